"""Reading a built graph into a SPARQL engine (pyoxigraph), and atomic file writing."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pyoxigraph as ox

from claimgraph.errors import InputError

GRAPH_FILE = "claims.trig"
FORMATS = {".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS, ".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES}


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
    """An in-memory Oxigraph store holding the graph at GRAPH."""
    path = graph_file(graph)
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=FORMATS[path.suffix.lower()])
    except SyntaxError as exc:
        line = _line_of(str(exc))
        raise InputError(f"not valid RDF: {str(exc).splitlines()[0]}", str(path), line) from None
    return store


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
