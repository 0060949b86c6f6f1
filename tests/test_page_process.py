"""The page process (graph.html rendered by a process forked as a build starts) and outputs swapped into place."""

from __future__ import annotations

import os
import select
import sys
import threading
import time
from pathlib import Path

import pytest

from claimgraph import page_process, writer
from claimgraph.build import build
from claimgraph.config import BuildConfig
from claimgraph.page_process import Deferred, PageProcess
from claimgraph.writer import exchange

QUIET = BuildConfig(progress=False)
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the page process forks (Linux only)")


def pid_page(prefix: str) -> str:
    """A page saying which process made it (module level: it is sent to the page process by name)."""
    return f"{prefix} {os.getpid()} {'pyvis.network' in sys.modules}"


def broken_page(*inputs: object) -> str:
    raise ValueError(f"cannot render a page of {len(inputs)} inputs")


@pytest.fixture
def forking(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writer, "FORK_BELOW_BYTES", 1 << 50)  # this test process may have grown large
    # the browser tests leave their event loop's threads running; what the page process imports is imported already
    monkeypatch.setattr(page_process, "only_thread", lambda: True)


def test_the_page_is_made_in_another_process_that_imported_what_it_needs(tmp_path: Path, forking: None) -> None:
    pages = PageProcess.start(("pyvis.network",))
    assert pages is not None and pages.pid != os.getpid()
    pages.send(Deferred(pid_page, lambda: ("made by",)), tmp_path / "page.html")
    pages.wait()
    prefix, pid, imported = (tmp_path / "page.html").read_text(encoding="utf-8").rsplit(" ", 2)
    assert prefix == "made by" and int(pid) not in (0, os.getpid()) and imported == "True"
    assert pages.pid is None
    pages.stop()  # nothing left to stop


def test_an_error_in_the_page_process_is_raised_in_the_build(tmp_path: Path, forking: None) -> None:
    pages = PageProcess.start(())
    assert pages is not None
    pages.send(Deferred(broken_page, lambda: ("the graph",)), tmp_path / "page.html")
    with pytest.raises(ValueError, match="cannot render a page of 1 inputs"):
        pages.wait()
    assert not (tmp_path / "page.html").exists()


def test_a_module_that_cannot_be_imported_fails_the_page_not_the_wait(tmp_path: Path, forking: None) -> None:
    pages = PageProcess.start(("claimgraph_no_such_module",))
    assert pages is not None
    with pytest.raises(ModuleNotFoundError, match="claimgraph_no_such_module"):
        pages.send(Deferred(pid_page, lambda: ("x",)), tmp_path / "page.html")  # the process is gone: its error, not a broken pipe
        pages.wait()
    unused = PageProcess.start(("claimgraph_no_such_module",))
    assert unused is not None
    assert select.select([unused._answer], [], [], 30)[0]  # its error sent
    while Path(f"/proc/{unused.pid}/stat").read_text().split(")")[-1].split()[0] != "Z":  # until it has exited
        time.sleep(0.01)
    with pytest.raises(ModuleNotFoundError, match="claimgraph_no_such_module"):
        unused.wait()  # nothing sent: still its error


class Unpicklable(Exception):
    def __init__(self) -> None:
        super().__init__(lambda: "cannot be pickled")


def unpicklable_page(*inputs: object) -> str:
    raise Unpicklable()


def test_an_error_that_cannot_be_pickled_comes_back_as_its_text(tmp_path: Path, forking: None) -> None:
    pages = PageProcess.start(())
    assert pages is not None
    pages.send(Deferred(unpicklable_page, lambda: ()), tmp_path / "page.html")
    with pytest.raises(RuntimeError, match="Unpicklable: <function"):
        pages.wait()


def test_inputs_that_fail_fail_the_send_and_release_the_process(tmp_path: Path, forking: None) -> None:
    pages = PageProcess.start(())
    assert pages is not None
    pid = pages.pid

    def inputs() -> tuple:
        raise KeyError("no view")

    with pytest.raises(KeyError, match="no view"):
        pages.send(Deferred(pid_page, inputs), tmp_path / "page.html")
    pages.wait()  # the process was told there is nothing to make: it exits cleanly
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, 0)  # type: ignore[arg-type]  (already reaped: no zombie)
    assert not (tmp_path / "page.html").exists()


def test_a_process_never_sent_anything_exits_or_is_stopped(forking: None) -> None:
    waited = PageProcess.start(())
    assert waited is not None
    waited.wait()  # told there is nothing to make
    stopped = PageProcess.start(())
    assert stopped is not None
    pid = stopped.pid
    stopped.stop()  # a build that failed
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, 0)  # type: ignore[arg-type]
    with pytest.raises(RuntimeError, match="one output"):
        waited.send(Deferred(pid_page, lambda: ("x",)), Path("unused"))


def test_no_page_process_when_the_system_will_not_fork(tmp_path: Path, forking: None, monkeypatch: pytest.MonkeyPatch) -> None:
    open_before = len(os.listdir("/proc/self/fd"))

    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    real_fork = os.fork
    monkeypatch.setattr(os, "fork", no_fork)
    assert PageProcess.start(()) is None
    assert len(os.listdir("/proc/self/fd")) == open_before  # its pipes closed
    unforked = build(None, tmp_path / "unforked", QUIET)  # the forked writer cannot start either: all written here
    monkeypatch.setattr(os, "fork", real_fork)
    forked = build(None, tmp_path / "forked", QUIET)
    for name in ("graph.html", "audit.html", "claims.trig", "claims.csv", "conflicts.csv"):
        assert (unforked.out / name).read_bytes() == (forked.out / name).read_bytes(), name


def test_no_page_process_while_another_thread_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writer, "FORK_BELOW_BYTES", 1 << 50)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert PageProcess.start(()) is None  # a fork could copy a lock that thread holds
    finally:
        stop.set()
        thread.join()
    assert page_process.only_thread() == (threading.active_count() == 1)


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[PageProcess | None]:
    """The page processes builds start (None where they start none)."""
    made: list[PageProcess | None] = []
    real_start = PageProcess.start.__func__  # type: ignore[attr-defined]

    def recorded(cls: type[PageProcess], modules: tuple[str, ...], warm: object = None) -> PageProcess | None:
        made.append(real_start(cls, modules, warm))
        return made[-1]

    monkeypatch.setattr(page_process.PageProcess, "start", classmethod(recorded))
    return made


def test_a_build_renders_graph_html_in_its_page_process_as_it_would_itself(
    tmp_path: Path, forking: None, started: list[PageProcess | None], monkeypatch: pytest.MonkeyPatch
) -> None:
    with_process = build(None, tmp_path / "with", QUIET)
    assert len(started) == 1 and started[0] is not None and started[0].sent and started[0].pid is None  # sent the page, waited
    monkeypatch.setattr(page_process.PageProcess, "start", classmethod(lambda cls, modules, warm=None: None))
    without = build(None, tmp_path / "without", QUIET)
    for name in ("graph.html", "audit.html", "claims.trig", "claims.csv", "conflicts.csv"):
        assert (with_process.out / name).read_bytes() == (without.out / name).read_bytes(), name


def test_a_page_that_fails_in_the_page_process_fails_the_build_and_keeps_the_outputs(
    tmp_path: Path, forking: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from claimgraph import outputs

    out = tmp_path / "out"
    build(None, out, QUIET)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    monkeypatch.setattr(outputs, "graph_html", broken_page)  # looked up by name in the page process, forked after this
    with pytest.raises(ValueError, match="cannot render a page of 2 inputs"):
        build(None, out, QUIET)
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".claimgraph-build-")) == []


def test_a_build_that_fails_while_the_page_renders_stops_it_and_leaves_no_staging_folder(
    tmp_path: Path, forking: None, started: list[PageProcess | None], monkeypatch: pytest.MonkeyPatch
) -> None:
    from claimgraph import audit

    def broken_audit(*args: object, **kwargs: object) -> str:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(audit, "render_audit_html", broken_audit)  # written by the build itself without a cache
    out = tmp_path / "out"
    with pytest.raises(OSError, match="No space left"):
        build(None, out, BuildConfig(progress=False, cache=False))
    assert started and started[0] is not None and started[0].sent and started[0].pid is None  # sent the page, then stopped
    assert not out.exists() or sorted(p.name for p in out.iterdir()) == []


def test_exchange_swaps_two_files_in_one_step(tmp_path: Path) -> None:
    new, target = tmp_path / "new", tmp_path / "target"
    new.write_bytes(b"new graph")
    assert not exchange(new, target) and new.read_bytes() == b"new graph"  # nothing to swap with: nothing changed
    target.write_bytes(b"old graph")
    if not exchange(new, target):
        pytest.skip("this file system cannot swap files (renameat2 RENAME_EXCHANGE)")
    assert target.read_bytes() == b"new graph" and new.read_bytes() == b"old graph"
