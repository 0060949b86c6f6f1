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

An output is bytes or a stream of chunks; a chunk is bytes, or a
:class:`FileRange` of another file (a rebuild's unchanged parts of the last
build's tables, see :mod:`claimgraph.segments`), which is copied inside the
kernel where it can be (``copy_file_range``): no read into this process and
no write back out of it (a rebuild at 10^5 documents copies 1.4 GB that way).
"""

from __future__ import annotations

import ctypes
import errno
import functools
import os
import pickle
import shutil
import sys
import threading
from collections.abc import Callable, Collection, Iterable, Mapping
from pathlib import Path
from typing import BinaryIO, NamedTuple

from claimgraph.forking import fork_child, pickled_error, stop_child
from claimgraph.page_process import Deferred, PageProcess

ERROR_FILE = ".background-error.pickle"
FORK_BELOW_BYTES = 1 << 30  # a build larger than this (peak resident memory) writes everything itself


def _peak_resident_bytes() -> int:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kilobytes on Linux


COPY_PIECE = 1 << 20  # bytes read at a time where a range cannot be copied in the kernel


class FileRange(NamedTuple):
    """Bytes START to END of the file open as FD (named PATH in errors): a chunk written by copying them."""

    fd: int
    start: int
    end: int
    path: str

    def read(self) -> bytes:
        """The bytes themselves."""
        return b"".join(self._pieces(self.start))

    def _pieces(self, start: int) -> Iterable[bytes]:
        while start < self.end:
            piece = os.pread(self.fd, min(COPY_PIECE, self.end - start), start)
            if not piece:
                raise OSError(f"{self.path}: shorter than its record of segments")
            start += len(piece)
            yield piece


Chunk = bytes | FileRange


def joined(chunks: Iterable[Chunk]) -> bytes:
    """CHUNKS as one bytes object (the ranges read)."""
    return b"".join(chunk.read() if isinstance(chunk, FileRange) else chunk for chunk in chunks)


Output = bytes | Iterable[Chunk] | Deferred


def write_file(path: Path, data: Output) -> None:
    """Write DATA (bytes, chunks: bytes and ranges of other files, or a page rendered now) to PATH."""
    if isinstance(data, Deferred):
        data = data.render()
    with path.open("wb") as handle:
        if isinstance(data, bytes):
            handle.write(data)
        else:
            for chunk in data:
                if isinstance(chunk, FileRange):
                    _copy_range(chunk, handle)
                else:
                    handle.write(chunk)


_NOT_IN_KERNEL = {errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.EPERM}  # then read and write


def _copy_range(source: FileRange, handle: BinaryIO) -> None:
    """Append SOURCE's bytes to HANDLE: in the kernel where the system and file systems allow, else read and written."""
    handle.flush()
    start = source.start
    copy = getattr(os, "copy_file_range", None)  # Linux
    try:
        while copy and start < source.end:
            copied = copy(source.fd, handle.fileno(), source.end - start, start)  # appended where the file's position is
            if not copied:
                raise OSError(f"{source.path}: shorter than its record of segments")
            start += copied
    except OSError as error:
        if error.errno not in _NOT_IN_KERNEL:
            raise
    for piece in source._pieces(start):
        handle.write(piece)


def can_fork() -> bool:
    """Whether outputs should be written by a forked child here: on Linux (fork is unsafe or missing elsewhere), and
    while the build is under ``FORK_BELOW_BYTES``. The child shares the build's memory, but copies each page whose
    objects it reads (their reference counts change): at 10^5 documents that added 1.4 GB to a 2 GB build and saved
    little time, at 10^4 a third of a rebuild's time for a few hundred MB."""
    return hasattr(os, "fork") and sys.platform.startswith("linux") and _peak_resident_bytes() < FORK_BELOW_BYTES


def write_files(folder: Path, outputs: Mapping[str, Output], background: Collection[str] = (), pages: PageProcess | None = None,
                meanwhile: Callable[[], None] | None = None, after_background: Callable[[], None] | None = None) -> None:  # fmt: skip
    """Write every output into FOLDER; those named in BACKGROUND by a forked child, and the first deferred page of the
    others by PAGES (see :mod:`claimgraph.page_process`), while this process writes the rest, then calls MEANWHILE.
    AFTER_BACKGROUND is called by the child once its outputs are written (here, when there is none): work that would
    otherwise compete for a core with the page process.

    Returns when all files are complete; raises the child's or the page process's error if either failed.
    """
    in_child = [name for name in outputs if name in background] if can_fork() else []
    child = None
    try:
        if in_child:
            try:
                child = _fork_writer(folder, {name: outputs[name] for name in in_child}, after_background)
            except OSError:  # the system would not fork (a limit on processes or memory): everything is written here
                in_child = []
        if child is None and after_background:
            meanwhile = _both(meanwhile, after_background)
        page = next((name for name, data in outputs.items() if isinstance(data, Deferred) and name not in in_child), None) if pages else None
        if page:  # its inputs made here, then rendered by the page process while this process writes the rest
            pages.send(outputs[page], folder / page)  # type: ignore[arg-type, union-attr]
        for name, data in outputs.items():
            if name not in in_child and name != page:
                write_file(folder / name, data)
        if meanwhile:
            meanwhile()
        if pages:
            pages.wait()
    except BaseException:
        if child:
            stop_child(child)
        if pages:
            pages.stop()  # before the caller removes FOLDER: the page must not land in it afterwards
        raise
    if child:
        _wait_for(child, folder / ERROR_FILE)


def _both(first: Callable[[], None] | None, second: Callable[[], None]) -> Callable[[], None]:
    def both() -> None:
        if first:
            first()
        second()

    return both


def _fork_writer(folder: Path, outputs: Mapping[str, Output], after: Callable[[], None] | None = None) -> int:
    """Fork a child that writes OUTPUTS into FOLDER (then calls AFTER) and exits (status 0, or 1 with its error pickled
    to ERROR_FILE)."""

    def write_all() -> None:
        for name, data in outputs.items():
            write_file(folder / name, data)
        if after:
            after()

    def send_back(error: BaseException) -> None:
        (folder / ERROR_FILE).write_bytes(pickled_error(error))

    return fork_child(write_all, send_back)


RENAME_EXCHANGE = 2  # renameat2's flag (Linux 3.15)
_AT_FDCWD = -100
_NO_EXCHANGE = {errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EXDEV, errno.ENOENT, errno.EPERM}


@functools.cache
def _renameat2() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    libc = ctypes.CDLL(None, use_errno=True)
    return getattr(libc, "renameat2", None)  # glibc 2.28


def exchange(new: Path, target: Path) -> bool:
    """Swap NEW and TARGET in one step, where the system can (Linux, renameat2): TARGET then holds NEW's file and NEW the
    file TARGET held. False where it cannot, or when TARGET does not exist (nothing is changed then).

    Moving a rebuild's outputs into place with ``os.replace`` took 0.05-0.07 s at 10^4 documents, and 0.006-0.013 s
    swapped (on ext4, which may allocate a file's blocks as it is renamed over another: ``auto_da_alloc``).
    """
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(new), _AT_FDCWD, os.fsencode(target), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in _NO_EXCHANGE:
        return False
    raise OSError(code, os.strerror(code), str(target))


def remove_in_background(folder: Path) -> Callable[[], None]:
    """Remove FOLDER in a thread while this one goes on; the function returned waits until it is gone.

    The file system frees a large file's blocks inside the call that removes its
    last name, which Python makes without holding the GIL.
    """
    thread = threading.Thread(target=shutil.rmtree, args=(folder,), kwargs={"ignore_errors": True}, name="remove-replaced-outputs")
    thread.start()
    return thread.join


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


__all__ = ["Chunk", "FileRange", "Output", "exchange", "can_fork", "joined", "remove_in_background", "write_file", "write_files"]
