"""Keeping a build's on-disk store (``build --store``) up to date without loading the whole graph again.

A build with ``--store DIR`` leaves beside the Oxigraph store which cache key
each document's graph came from (``documents`` in the store's stamp), the
shared chunk (vocabularies, organisations, places), the corpus summaries and
the reconciliation graph's text (one statement per line). The next build into
the same folder updates a copy of the store instead of loading all of
``claims.trig``:

* the copy is an Oxigraph backup, which hard-links the store's immutable
  files, so it costs little however large the store is;
* out go the quads of documents that changed or left the corpus (a document's
  quads are its own: its description has the document as subject, its claims
  are in its own named graph), and in come those of new or changed documents;
* the shared chunk and the summaries are compared quad by quad, the
  reconciliation graph line by line (a one-document change alters few lines);
* the copy is swapped in for the store, so readers see the old store or the
  new one, never half of one.

When anything needed is missing (no earlier store, a store of another graph,
an entry no longer in the extraction cache) or more than a quarter of the
documents changed, the store is loaded whole from ``claims.trig`` as
:func:`claimgraph.store.save_store` does.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from claimgraph.model import RECONCILIATION_GRAPH
from claimgraph.store import StoreInfo, is_store_dir, read_stamp, save_store, swap_in, write_stamp
from claimgraph.writer import Chunk, write_file

SHARED_FILE = "claimgraph-shared.trig"  # inside a store: the shared chunk it holds (RocksDB ignores it)
RECONCILIATION_FILE = "claimgraph-reconciliation.trig"  # ... its reconciliation graph, one statement per line
SUMMARIES_FILE = "claimgraph-summaries.trig"  # ... its corpus summaries
MAX_CHANGED_SHARE = 0.25  # above this share of changed documents, loading the graph whole is simpler and as fast


def refresh_store(
    directory: Path | str,
    graph: Path,
    documents: Mapping[str, str],
    chunk_of: Callable[[str], bytes | None],
    chunks: StoreChunks,
) -> StoreInfo:
    """Bring the store at DIRECTORY up to date with the build whose graph file is GRAPH.

    DOCUMENTS maps each document's IRI to its extraction-cache key and
    CHUNK_OF gives a key's TriG chunk (None when it is no longer cached);
    CHUNKS holds the build's other chunks.
    """
    started = time.perf_counter()
    target = Path(directory)
    previous, previous_quads = _previous_documents(target, graph)
    changed = [key for iri, key in documents.items() if previous is not None and previous.get(iri) != key]
    gone = [key for iri, key in (previous or {}).items() if documents.get(iri) != key]
    few = len(changed) + len(gone) <= MAX_CHANGED_SHARE * max(len(documents), 1)
    old_chunks = [chunk_of(key) for key in gone] if previous is not None and few else []
    if previous is None or not few or None in old_chunks:
        info = save_store(graph, target)  # stamped without documents until _record is done
        _write_lines(target / RECONCILIATION_FILE, chunks.reconciliation)
        _record(target, graph, info.quads, documents, chunks)
        return info
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    staging.rmdir()  # the backup makes the folder
    try:
        ox.Store(str(target)).backup(str(staging))  # hard links to the store's immutable files
        reconciliation = _write_lines(staging / RECONCILIATION_FILE, chunks.reconciliation)
        removed = _quads(chunks.header, [(target / SHARED_FILE).read_bytes(), (target / SUMMARIES_FILE).read_bytes(), *old_chunks])  # type: ignore[list-item]
        added = _quads(chunks.header, [chunks.shared, chunks.summaries, *(chunk_of(key) or b"" for key in changed)])
        lines_gone, lines_new = _changed_lines(target / RECONCILIATION_FILE, reconciliation)
        removed |= _quads(chunks.header, [_in_reconciliation_graph(lines_gone)])
        added |= _quads(chunks.header, [_in_reconciliation_graph(lines_new)])
        store = ox.Store(str(staging))
        dropped = [quad for quad in removed - added if quad in store]  # a quad in both was never removed
        inserted = [quad for quad in added - removed if quad not in store]
        for quad in dropped:
            store.remove(quad)
        store.extend(inserted)
        store.flush()
        quads = previous_quads - len(dropped) + len(inserted)  # counting the store took 0.25 s at 10^4 documents
        del store  # closes RocksDB before the folder moves
        _record(staging, graph, quads, documents, chunks)
        swap_in(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return StoreInfo(target, quads, time.perf_counter() - started)


@dataclass(frozen=True)
class StoreChunks:
    """A build's TriG chunks other than the documents': prefixes, shared chunk, reconciliation graph, summaries."""

    header: bytes
    shared: bytes
    reconciliation: Iterable[Chunk]  # one statement per line (see :func:`claimgraph.trig.reconciliation_chunk`)
    summaries: bytes


def _quads(header: bytes, chunks: Iterable[bytes]) -> set[ox.Quad]:
    found: set[ox.Quad] = set()
    for chunk in chunks:
        if chunk:
            found.update(ox.parse(header + chunk, format=ox.RdfFormat.TRIG))
    return found


def _write_lines(path: Path, chunks: Iterable[Chunk]) -> Path:
    write_file(path, chunks)
    return path


def _digest(line: bytes) -> bytes:
    return hashlib.blake2b(line, digest_size=16).digest()


def _changed_lines(old: Path, new: Path) -> tuple[list[bytes], list[bytes]]:
    """Lines of OLD that NEW no longer has, and lines of NEW that OLD did not have (read as streams, compared by digest:
    each line's digest is made once, and the lines are read again to pick the changed ones)."""
    with old.open("rb") as handle:
        old_digests = list(map(_digest, handle))
    with new.open("rb") as handle:
        new_digests = list(map(_digest, handle))
    in_old, in_new = set(old_digests), set(new_digests)
    with old.open("rb") as handle:
        gone = [line for line, digest in zip(handle, old_digests, strict=True) if digest not in in_new]
    with new.open("rb") as handle:
        fresh = [line for line, digest in zip(handle, new_digests, strict=True) if digest not in in_old]
    return gone, fresh


def _in_reconciliation_graph(lines: list[bytes]) -> bytes:
    """Statements of the reconciliation graph's text as a chunk of their own (the graph's braces are never among them)."""
    if not lines:
        return b""
    return f"<{RECONCILIATION_GRAPH}> {{\n".encode() + b"".join(line if line.endswith(b"\n") else line + b"\n" for line in lines) + b"}\n"


def _previous_documents(target: Path, graph: Path) -> tuple[dict[str, str] | None, int]:
    """The documents map and the number of quads of the store at TARGET when it was made from GRAPH by an earlier build,
    else (None, 0)."""
    if not is_store_dir(target) or not all((target / name).is_file() for name in (SHARED_FILE, SUMMARIES_FILE, RECONCILIATION_FILE)):
        return None, 0
    stamp = read_stamp(target) or {}
    documents, quads = stamp.get("documents"), stamp.get("quads")
    if (stamp.get("source") != str(graph.resolve()) or stamp.get("pyoxigraph") != getattr(ox, "__version__", "")
            or not isinstance(documents, dict) or not isinstance(quads, int)):  # fmt: skip
        return None, 0
    return documents, quads


def _record(directory: Path, graph: Path, quads: int, documents: Mapping[str, str], chunks: StoreChunks) -> None:
    """Keep beside the store the chunks the next build compares with, then stamp it with its graph file and documents.

    The stamp comes last: a store whose stamp names no documents is loaded whole next time, so a build stopped
    half-way through this never leaves a store that a later build would update from the wrong chunks.
    """
    (directory / SHARED_FILE).write_bytes(chunks.shared)
    (directory / SUMMARIES_FILE).write_bytes(chunks.summaries)
    write_stamp(directory, graph, quads, {"documents": dict(documents)})


__all__ = ["RECONCILIATION_FILE", "SHARED_FILE", "SUMMARIES_FILE", "StoreChunks", "refresh_store"]
