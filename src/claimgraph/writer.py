"""Writing output files, the largest in a forked child process while the build renders the others.

After reconciliation a build has several outputs to render and write
(claims.trig, the CSV tables, the two pages), and one core would sit idle.
On Linux, :func:`write_files` forks a child that writes the outputs named in
``background`` (claims.trig: a gigabyte at 10^5 documents) while the parent
renders and writes the rest. The child has a copy of everything the parent
had when it forked, so it needs nothing sent to it; an error in the child is
pickled to a file and raised again in the parent, so a failed write fails
the build exactly as it would without the child. Elsewhere (no ``fork``),
the files are written one after the other.
"""

from __future__ import annotations

import os
import pickle
import sys
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path

from claimgraph.forking import fork_child, stop_child

ERROR_FILE = ".background-error.pickle"
FORK_BELOW_BYTES = 1 << 30  # a build larger than this (peak resident memory) writes everything itself


def _peak_resident_bytes() -> int:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kilobytes on Linux


def write_file(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Write DATA (bytes, or chunks of bytes) to PATH."""
    with path.open("wb") as handle:
        if isinstance(data, bytes):
            handle.write(data)
        else:
            for chunk in data:
                handle.write(chunk)


def can_fork() -> bool:
    """Whether outputs should be written by a forked child here: on Linux (fork is unsafe or missing elsewhere), and
    while the build is under ``FORK_BELOW_BYTES``. The child shares the build's memory, but copies each page whose
    objects it reads (their reference counts change): at 10^5 documents that added 1.4 GB to a 2 GB build and saved
    little time, at 10^4 a third of a rebuild's time for a few hundred MB."""
    return hasattr(os, "fork") and sys.platform.startswith("linux") and _peak_resident_bytes() < FORK_BELOW_BYTES


def write_files(folder: Path, outputs: Mapping[str, bytes | Iterable[bytes]], background: Collection[str] = ()) -> None:
    """Write every output into FOLDER; those named in BACKGROUND by a forked child while this process writes the rest.

    Returns when all files are complete; raises the child's error if it failed.
    """
    in_child = [name for name in outputs if name in background] if can_fork() else []
    child = _fork_writer(folder, {name: outputs[name] for name in in_child}) if in_child else None
    try:
        for name, data in outputs.items():
            if name not in in_child:
                write_file(folder / name, data)
    except BaseException:
        if child:
            stop_child(child)
        raise
    if child:
        _wait_for(child, folder / ERROR_FILE)


def _fork_writer(folder: Path, outputs: Mapping[str, bytes | Iterable[bytes]]) -> int:
    """Fork a child that writes OUTPUTS into FOLDER and exits (status 0, or 1 with its error pickled to ERROR_FILE)."""

    def write_all() -> None:
        for name, data in outputs.items():
            write_file(folder / name, data)

    def send_back(error: BaseException) -> None:
        try:
            payload = pickle.dumps(error)
        except Exception:  # noqa: BLE001  (an error that cannot be pickled goes back as its text)
            payload = pickle.dumps(RuntimeError(f"{type(error).__name__}: {error}"))
        (folder / ERROR_FILE).write_bytes(payload)

    return fork_child(write_all, send_back)


def _wait_for(child: int, error_file: Path) -> None:
    """Wait for the writer child; raise its error if it failed."""
    _, status = os.waitpid(child, 0)
    code = os.waitstatus_to_exitcode(status)
    if code == 0:
        return
    if error_file.is_file():
        error = pickle.loads(error_file.read_bytes())
        error_file.unlink()
        raise error
    raise RuntimeError(f"the process writing the outputs in the background stopped (exit status {code})")


__all__ = ["can_fork", "write_file", "write_files"]
