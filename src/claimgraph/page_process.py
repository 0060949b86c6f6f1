"""graph.html rendered by a process forked as a build starts, so the second core imports and renders it.

Rendering graph.html needs pyvis, and importing pyvis takes 0.1 s in a fresh
process (it imports networkx, IPython and jinja2): a tenth of a rebuild at
10^4 documents. A :class:`PageProcess` is forked before the build loads
anything, imports the page's code while the build loads the corpus, and
waits. When the outputs are written, the build sends it the page's inputs
(:class:`Deferred`: a function and its arguments) and goes on with the other
outputs; the process renders the page into its file and exits. A failure in
it is sent back and raised in the build, as if the build had rendered the page.

Nothing else is shared: the process is a copy of the build as it started,
and it reads only what is sent through its pipe.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import pickle
import struct
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from claimgraph.forking import fork_child, pickled_error, stop_child


class Deferred(NamedTuple):
    """An output made when it is written: ``make(*inputs())``, a str written as UTF-8 (a page).

    INPUTS are made by the build; MAKE runs in the page process where there is
    one, so it must be a module-level function (it is sent by name).
    """

    make: Callable[..., str]
    inputs: Callable[[], tuple[Any, ...]]

    def render(self) -> bytes:
        """The output's bytes, made here."""
        return self.make(*self.inputs()).encode("utf-8")


class PageProcess:
    """A forked process that imports MODULES at once (then calls WARM), then writes one :class:`Deferred` output sent to
    it later."""

    def __init__(self, modules: tuple[str, ...], warm: Callable[[], object] | None = None) -> None:
        request_read, self._request = os.pipe()
        self._answer, answer_write = os.pipe()

        def serve() -> None:
            os.close(self._request)
            os.close(self._answer)
            for module in modules:
                importlib.import_module(module)
            if warm:
                warm()
            with os.fdopen(request_read, "rb") as requests:  # read to a length, not to the end: children forked later
                size = struct.unpack("<Q", _exactly(requests, 8))[0]  # by the build hold its end open too
                request = _exactly(requests, size)
            if request:
                make, inputs, path = pickle.loads(request)
                Path(path).write_bytes(make(*inputs).encode("utf-8"))

        def send_back(error: BaseException) -> None:
            with os.fdopen(answer_write, "wb") as answer:
                answer.write(pickled_error(error))

        try:
            self.pid: int | None = fork_child(serve, send_back)
        except OSError:  # no process to spare (a limit on processes or memory)
            for fd in (request_read, self._request, self._answer, answer_write):
                os.close(fd)
            raise
        os.close(request_read)
        os.close(answer_write)
        self.sent = False  # whether a page was sent
        self._told = False  # whether the request was written (a page, or that there is none)

    @classmethod
    def start(cls, modules: tuple[str, ...], warm: Callable[[], object] | None = None) -> PageProcess | None:
        """A process importing MODULES (then calling WARM: what the page reads first, read meanwhile), where this system
        forks safely: Linux, and no other thread that could hold a lock the child would need. None elsewhere, or when the
        system will not fork (the build then renders its pages itself)."""
        from claimgraph.writer import can_fork

        if not can_fork() or not only_thread():
            return None
        try:
            return cls(modules, warm)
        except OSError:  # the system would not fork: the build renders its pages itself
            return None

    def send(self, deferred: Deferred, path: Path) -> None:
        """Have the process write DEFERRED's output to PATH; :meth:`wait` says when it is written."""
        if self._told or self.pid is None:
            raise RuntimeError("a page process writes one output")
        self.sent = True
        try:
            request = pickle.dumps((deferred.make, deferred.inputs(), str(path)), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException:
            self._write(b"")  # the process stops waiting
            raise
        try:
            self._write(request)
        except BrokenPipeError:  # the process failed before it read the request: its error, else this one
            self.wait()
            raise

    def _write(self, request: bytes) -> None:
        self._told = True
        with os.fdopen(self._request, "wb") as requests:
            requests.write(struct.pack("<Q", len(request)) + request)

    def wait(self) -> None:
        """Wait until the process has written what was sent (or, sent nothing, exited); raise its error if it failed."""
        if self.pid is None:
            return
        if not self._told:
            with contextlib.suppress(BrokenPipeError):  # gone already: its error is read below
                self._write(b"")  # nothing to write: the process exits
        with os.fdopen(self._answer, "rb") as answer:
            payload = answer.read()  # until the process exits
        _, status = os.waitpid(self.pid, 0)
        self.pid = None
        if payload:
            raise pickle.loads(payload)
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            raise RuntimeError(f"the process rendering graph.html stopped (exit status {code})")

    def stop(self) -> None:
        """Stop the process if it is still there (a build that failed); no error is raised."""
        if self.pid is None:
            return
        stop_child(self.pid)
        self.pid = None
        for fd in ((self._answer,) if self._told else (self._request, self._answer)):
            os.close(fd)


def only_thread() -> bool:
    """Whether this thread is the process's only one (a fork copies only it, with any lock another thread held)."""
    return threading.active_count() == 1


def _exactly(stream: BinaryIO, size: int) -> bytes:
    """SIZE bytes read from STREAM (EOFError if it ends first: the build stopped)."""
    data = stream.read(size)
    if len(data) != size:
        raise EOFError("the build stopped before sending the page")
    return data


__all__ = ["Deferred", "PageProcess"]
