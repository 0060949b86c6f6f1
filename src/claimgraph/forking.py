"""Work done in a forked child process, which starts with a copy of everything the parent holds.

Used where a build has a second core and a large piece of independent work:
writing claims.trig (:mod:`claimgraph.writer`) and reconciling half of the
groups (:mod:`claimgraph.reconcile_parallel`). Nothing is sent to the child;
it reports back through a file, and its exit status says whether it finished.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
from collections.abc import Callable


def fork_child(work: Callable[[], object], on_error: Callable[[BaseException], object] | None = None) -> int:
    """Fork a child that runs WORK and exits: status 0 when it returned, else 1 after ON_ERROR(the error).

    Returns the child's pid (in the parent). The child exits with ``os._exit``:
    no cleanup of the parent's objects (open databases, temporary folders) runs in it.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid:
        return pid
    status = 1
    try:
        work()
        status = 0
    except BaseException as error:  # noqa: BLE001  (every error goes back to the parent, as ON_ERROR sends it)
        if on_error:
            on_error(error)
    finally:
        os._exit(status)


def pickled_error(error: BaseException) -> bytes:
    """ERROR pickled, to be raised again in the parent; an error that cannot be pickled goes as its text."""
    try:
        return pickle.dumps(error)
    except Exception:  # noqa: BLE001
        return pickle.dumps(RuntimeError(f"{type(error).__name__}: {error}"))


def stop_child(pid: int) -> None:
    """Stop a child this process forked, and wait for it (so it leaves no zombie)."""
    os.kill(pid, signal.SIGKILL)  # our own child, by its pid
    os.waitpid(pid, 0)


__all__ = ["fork_child", "pickled_error", "stop_child"]
