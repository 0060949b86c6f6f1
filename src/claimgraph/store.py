"""Reading a built graph into a SPARQL engine (pyoxigraph), persistent on-disk stores, and atomic file writing.

A graph is read from a built output folder (its ``claims.trig``), a graph file,
or an on-disk Oxigraph store: a folder written by :func:`save_store` (or
``claimgraph load-store``, or ``oxigraph load``). A built folder whose
``store/`` is up to date with its ``claims.trig`` is opened from the store,
without parsing the TriG again.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from claimgraph.errors import InputError

GRAPH_FILE = "claims.trig"
FORMATS = {".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS, ".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES}
STORE_DIR = "store"  # OUT/store/: the persistent store of a built folder
STAMP_FILE = "claimgraph-store.json"  # inside a store: which graph file it was loaded from (RocksDB ignores it)


def graph_file(graph: str | Path) -> Path:
    """The RDF file behind GRAPH: a built output folder (its claims.trig) or a graph file."""
    path = Path(graph)
    if path.is_dir():
        path = path / GRAPH_FILE
        if not path.is_file():
            raise InputError(f"no {GRAPH_FILE} here: build it first with 'claimgraph build CORPUS --out {graph}'", str(graph))
        return path
    if not path.is_file():
        raise InputError("no such graph folder or file", str(graph))
    if path.suffix.lower() not in FORMATS:
        raise InputError(f"unknown graph format {path.suffix!r}: use a built folder or a .trig, .nq, .ttl or .nt file", str(graph))
    return path


def load_store(graph: str | Path) -> ox.Store:
    """An Oxigraph store holding the graph at GRAPH.

    An on-disk store (GRAPH itself, or a built folder's up-to-date ``store/``)
    is opened read-only; otherwise the graph file is parsed into memory.
    """
    persistent = store_dir_of(graph)
    if persistent is not None:
        return open_store(persistent)
    path = graph_file(graph)
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=FORMATS[path.suffix.lower()])
    except SyntaxError as exc:
        line = _line_of(str(exc))
        raise InputError(f"not valid RDF: {str(exc).splitlines()[0]}", str(path), line) from None
    return store


def is_store_dir(path: str | Path) -> bool:
    """Whether PATH is a folder holding an on-disk Oxigraph (RocksDB) store."""
    folder = Path(path)
    return (folder / "CURRENT").is_file() and any(folder.glob("MANIFEST-*"))


def store_dir_of(graph: str | Path) -> Path | None:
    """The on-disk store to open for GRAPH, or None when its graph file must be parsed.

    GRAPH itself when it is a store; a built folder's ``store/`` when its stamp
    matches the folder's ``claims.trig`` (a store older than the TriG is ignored).
    """
    path = Path(graph)
    if not path.is_dir():
        return None
    if is_store_dir(path):
        return path
    candidate = path / STORE_DIR
    if not is_store_dir(candidate):
        return None
    trig = path / GRAPH_FILE
    if not trig.is_file():
        return candidate
    stamp = read_stamp(candidate)
    fresh = stamp is not None and stamp.get("source_size") == trig.stat().st_size and stamp.get("source_mtime_ns") == trig.stat().st_mtime_ns
    return candidate if fresh else None


def open_store(directory: str | Path, *, writable: bool = False) -> ox.Store:
    """Open the on-disk store in DIRECTORY: read-only (many readers at once) unless `writable`.

    A writable store locks the folder; do not open a store that another process
    (an ``oxigraph serve``) is writing: query that server with ``--endpoint``.
    """
    folder = Path(directory)
    if not is_store_dir(folder):
        raise InputError("not an Oxigraph store (no CURRENT and MANIFEST-* files): write one with 'claimgraph load-store'", str(folder))
    try:
        return ox.Store(str(folder)) if writable else ox.Store.read_only(str(folder))
    except OSError as exc:
        raise InputError(f"cannot open the store: {str(exc).splitlines()[0]}", str(folder)) from None


@dataclass(frozen=True)
class StoreInfo:
    """What `save_store` wrote: where, how many quads, and how long it took."""

    directory: Path
    quads: int
    seconds: float

    def summary(self) -> str:
        """One line for the CLI."""
        return f"{self.quads:,} quads -> {self.directory}/ in {self.seconds:.1f}s"


def check_store_folder(directory: str | Path) -> Path:
    """DIRECTORY as a place a store may be written: absent, empty, or a store already (else an InputError naming it)."""
    target = Path(directory)
    if target.exists() and not (target.is_dir() and (is_store_dir(target) or not any(target.iterdir()))):
        raise InputError("exists and is not an Oxigraph store: choose another --store folder", str(target))
    return target


def save_store(source: str | Path | Iterable[ox.Quad], directory: str | Path, *, graph: str | Path | None = None) -> StoreInfo:
    """Write SOURCE (a graph file, a built folder, or quads) into a new on-disk store at DIRECTORY.

    The store is built in a temporary folder beside DIRECTORY and swapped in
    when complete, so readers never see half a store. A folder at DIRECTORY
    that is not a store (and not empty) is never replaced. `graph` names the
    graph file the quads came from, so readers can tell when the store is
    stale; a file SOURCE is its own.
    """
    started = time.perf_counter()
    target = check_store_folder(directory)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        store = ox.Store(str(staging))
        if isinstance(source, (str, Path)):
            path = graph_file(source)
            graph = path
            try:
                store.bulk_load(path=str(path), format=FORMATS[path.suffix.lower()])
            except SyntaxError as exc:
                raise InputError(f"not valid RDF: {str(exc).splitlines()[0]}", str(path), _line_of(str(exc))) from None
        else:
            store.bulk_extend(source)
        store.flush()
        quads = len(store)
        del store  # closes RocksDB before the folder moves
        write_stamp(staging, graph, quads)
        swap_in(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return StoreInfo(target, quads, time.perf_counter() - started)


def read_stamp(directory: str | Path) -> dict[str, object] | None:
    """The stamp `save_store` left in a store (source file, size, mtime, quads), or None."""
    try:
        data = json.loads((Path(directory) / STAMP_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def write_stamp(directory: Path, graph: str | Path | None, quads: int, extra: dict[str, object] | None = None) -> None:
    """Record in a store which graph file it holds (path, size, modification time), its size, and EXTRA fields."""
    stamp: dict[str, object] = {"quads": quads, "written": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                                "pyoxigraph": getattr(ox, "__version__", ""), **(extra or {})}  # fmt: skip
    if graph is not None and Path(graph).is_file():
        info = Path(graph).stat()
        stamp.update(source=str(Path(graph).resolve()), source_size=info.st_size, source_mtime_ns=info.st_mtime_ns)
    (directory / STAMP_FILE).write_text(json.dumps(stamp, indent=1) + "\n", encoding="utf-8")


def swap_in(staging: Path, target: Path) -> None:
    """Replace TARGET by STAGING (two renames; the old store is removed after)."""
    if not target.exists():
        os.rename(staging, target)
        return
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    os.rename(target, old)
    try:
        os.rename(staging, target)
    except BaseException:
        os.rename(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _line_of(message: str) -> int | None:
    match = re.search(r"line (\d+)|(\d+):\d+", message)
    if not match:
        return None
    return int(match.group(1) or match.group(2)) + (0 if match.group(1) else 1)


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write a file so readers see the old or the new content, never half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
