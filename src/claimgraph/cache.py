"""The extraction cache: what each document gave, keyed by a hash of its content and of the code that read it.

It lives beside the outputs (``DIR/.cache/extraction.sqlite``). A rebuild
looks every document up by its key; only documents whose text or metadata
changed (or that are new) are read again, so changing one document of 10,000
re-extracts that one. The key also covers the source of the extraction and
graph code, so upgrading claimgraph never reuses a stale result. Entries no
build uses any more are dropped after each successful build. SQLite makes
each write atomic: a build that fails half-way leaves a cache that is still
valid (it may hold a few extra entries).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, fields
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from claimgraph.errors import InputError
from claimgraph.model import Claim, Conflict, Document

CACHE_DIR = ".cache"
CACHE_FILE = "extraction.sqlite"
# what shapes an entry (a cached claim holds its interval, made by intervals.py as the claim is made)
EXTRACTION_CODE = ("extract", "model.py", "intervals.py", "rdfgraph.py", "trig.py", "namespaces.py", "vocab.py", "cache.py")
RECONCILIATION_CODE = ("reconcile.py", "candidates.py", "intervals.py", "scope.py", "model.py", "vocab.py")  # what decides a group's conflicts


@dataclass(frozen=True)
class Extracted:
    """What one document gave: its claims and its chunk of claims.trig."""

    claims: list[Claim]
    chunk: bytes


@lru_cache(maxsize=4)
def code_fingerprint(modules: tuple[str, ...] = EXTRACTION_CODE) -> str:
    """A hash of the source of MODULES (files or folders of the package): what decides what an entry holds."""
    digest = hashlib.sha256()
    root = Path(str(resources.files("claimgraph")))
    for name in modules:
        path = root / name
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(file.relative_to(root).as_posix().encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


def document_key(document: Document) -> str:
    """The cache key of a document: its text and metadata (not where it lies on disk) and the code fingerprint."""
    digest = hashlib.sha256(code_fingerprint().encode())
    for f in fields(Document):
        if f.name != "path":
            digest.update(f.name.encode() + b"\0" + repr(getattr(document, f.name)).encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()


def read_pickle(path: Path, kind: type) -> Any:
    """The object of type KIND pickled in PATH; None when there is none or it cannot be read (a cache is never trusted)."""
    try:
        with path.open("rb") as handle:
            found = pickle.load(handle)
    except Exception:  # noqa: BLE001  (none, or unreadable)
        return None
    return found if isinstance(found, kind) else None


class CacheFile:
    """An SQLite file of a cache beside the outputs: a damaged one is started afresh, and a forked child opens its own
    connection (SQLite connections must not cross a fork). Subclasses make the tables (:meth:`_open`)."""

    def __init__(self, out_dir: Path | str, name: str) -> None:
        folder = Path(out_dir) / CACHE_DIR
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / name
        try:
            self._connection = self._open()
        except sqlite3.DatabaseError:  # not a file we can read (a damaged one): start a new one
            self.path.unlink(missing_ok=True)
            self._connection = self._open()
        self._pid = os.getpid()

    @property
    def _db(self) -> sqlite3.Connection:
        """The connection, opened again in a forked child."""
        if os.getpid() != self._pid:
            self._connection, self._pid = sqlite3.connect(self.path), os.getpid()
        return self._connection

    def _open(self) -> sqlite3.Connection:
        raise NotImplementedError

    def close(self) -> None:
        """Close the database."""
        self._db.close()


class ExtractionCache(CacheFile):
    """Entries by document key in one SQLite file; use as a context manager."""

    def __init__(self, out_dir: Path | str) -> None:
        super().__init__(out_dir, CACHE_FILE)

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path)
        db.execute("DROP TABLE IF EXISTS extracted")  # the layout of an earlier version
        db.execute("CREATE TABLE IF NOT EXISTS documents (key TEXT PRIMARY KEY, claims BLOB NOT NULL, chunk BLOB NOT NULL)")
        db.execute("CREATE TABLE IF NOT EXISTS groups (key TEXT PRIMARY KEY, entry BLOB NOT NULL)")
        return db

    def __enter__(self) -> ExtractionCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def claims_of(self, keys: Iterable[str]) -> dict[str, list[Claim]]:
        """The claims stored for KEYS (missing or unreadable entries are simply absent)."""
        wanted = list(dict.fromkeys(keys))
        found: dict[str, list[Claim]] = {}
        for start in range(0, len(wanted), 500):
            batch = wanted[start : start + 500]
            query = f"SELECT key, claims FROM documents WHERE key IN ({','.join('?' * len(batch))})"
            for key, blob in self._db.execute(query, batch):
                try:
                    found[key] = pickle.loads(blob)
                except Exception:  # noqa: BLE001  (an unreadable entry is read again, never trusted)
                    continue
        return found

    def holds(self, keys: Iterable[str]) -> bool:
        """Whether there is an entry for every key of KEYS (the stored keys read from their index: 0.01 s for 10^4)."""
        stored = {row[0] for row in self._db.execute("SELECT key FROM documents")}
        return all(key in stored for key in keys)

    def chunks(self, keys: Iterable[str]) -> Iterator[bytes]:
        """The TriG chunk of each key, in order (an entry that vanished meanwhile is an error)."""
        ordered = list(keys)
        for start in range(0, len(ordered), 500):
            batch = ordered[start : start + 500]
            query = f"SELECT key, chunk FROM documents WHERE key IN ({','.join('?' * len(set(batch)))})"
            found = dict(self._db.execute(query, list(dict.fromkeys(batch))))
            for key in batch:
                if key not in found:
                    raise RuntimeError(f"the extraction cache {self.path} lost the entry {key} during the build")
                yield found[key]

    def chunk(self, key: str) -> bytes | None:
        """The TriG chunk stored for KEY, or None."""
        row = self._db.execute("SELECT chunk FROM documents WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def put_many(self, entries: Iterable[tuple[str, Extracted]]) -> None:
        """Store entries (one transaction)."""
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO documents (key, claims, chunk) VALUES (?, ?, ?)",
                ((key, pickle.dumps(e.claims, protocol=pickle.HIGHEST_PROTOCOL), e.chunk) for key, e in entries),
            )

    def group_conflicts(self) -> dict[str, list[Conflict]]:
        """Every group's conflicts stored by the last build, by group fingerprint (see :class:`claimgraph.reconcile.GroupMemo`)."""
        found = {}
        for key, blob in self._db.execute("SELECT key, entry FROM groups"):
            try:
                found[key] = pickle.loads(blob)
            except Exception:  # noqa: BLE001  (an unreadable entry is computed again)
                continue
        return found

    def keep_group_conflicts(self, used: Mapping[str, list[Conflict]], known: Iterable[str]) -> None:
        """Store the groups this build used that were not stored yet, and drop the ones it did not use."""
        known = set(known)
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO groups (key, entry) VALUES (?, ?)",
                ((key, pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL)) for key, entry in used.items() if key not in known),
            )
            self._db.executemany("DELETE FROM groups WHERE key = ?", ((key,) for key in known - used.keys()))

    def merge_from(self, out_dir: Path) -> int:
        """Copy in the document entries of the cache of another output folder (a shard's build); how many were new."""
        other = Path(out_dir) / CACHE_DIR / CACHE_FILE
        if not other.is_file():
            raise InputError("no extraction cache here (build it first, without --no-cache)", str(other))
        before = self._db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        try:
            self._db.execute("ATTACH DATABASE ? AS other", (str(other),))
        except sqlite3.DatabaseError:
            raise InputError("not an extraction cache that can be read", str(other)) from None
        try:
            with self._db:
                self._db.execute("INSERT OR IGNORE INTO documents SELECT key, claims, chunk FROM other.documents")
        except sqlite3.DatabaseError as exc:
            raise InputError(f"not an extraction cache that can be read: {exc}", str(other)) from None
        finally:
            self._db.execute("DETACH DATABASE other")
        return self._db.execute("SELECT COUNT(*) FROM documents").fetchone()[0] - before

    def keep_only(self, keys: Iterable[str]) -> int:
        """Drop every entry whose key is not in KEYS; how many were dropped.

        The stored keys are read from their index and compared here, and only the
        entries to drop are named to SQLite: 0.04 s at 10^5 documents, where
        loading the keys to keep into a table of their own took 0.42 s.
        """
        keep = set(keys)
        with self._db:
            stale = [row for row in self._db.execute("SELECT key FROM documents") if row[0] not in keep]
            self._db.executemany("DELETE FROM documents WHERE key = ?", stale)
        return len(stale)


__all__ = ["CACHE_DIR", "RECONCILIATION_CODE", "CacheFile", "ExtractionCache", "Extracted", "code_fingerprint", "document_key", "read_pickle"]
