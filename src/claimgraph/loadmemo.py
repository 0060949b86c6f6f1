"""The documents the last build loaded, reused while their files are unchanged on disk.

A rebuild of 10,000 documents spent half a second reading and parsing files
that had not changed. The memo (``DIR/.cache/documents.pickle``) keeps each
loaded `Document`, its warnings and its extraction-cache key, with the file's
*stamp*: size, modification and change times in nanoseconds, inode and
device, as ``make``, ``rsync`` and git's index trust them. An entry is reused
only when the stamp, the file's manifest row, its name in the corpus and the
way messages show its path are all the same, and when the file was last
changed well before the last build started loading (a file changed within
the same clock tick as it was read could keep its times: git calls it
"racily clean"), so every edit, ``touch`` or ``chmod`` reads the file again. The memo also
records the code that made it (loading, model and extraction modules): a new
version of claimgraph starts afresh. A missing or unreadable memo is no
error: every file is read, as without it.
"""

from __future__ import annotations

import os
import pickle
import time
from dataclasses import dataclass
from pathlib import Path

from claimgraph.cache import CACHE_DIR, EXTRACTION_CODE, code_fingerprint, document_key
from claimgraph.model import Document

MEMO_FILE = "documents.pickle"
MEMO_CODE = ("load.py", *EXTRACTION_CODE)  # what decides a loaded Document and its key
RACY_NS = 2_000_000_000  # a file changed less than this before the last build started is read again

Stamp = tuple[int, int, int, int, int]  # size, mtime_ns, ctime_ns, inode, device


def file_stamp(stat: os.stat_result) -> Stamp:
    """What says a file is unchanged: size, modification and change times (ns), inode and device."""
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, stat.st_dev)


@dataclass(frozen=True)
class LoadedFile:
    """One file as the last build loaded it."""

    stamp: Stamp
    context: tuple  # its name in the corpus, how messages show it, its manifest row
    document: Document
    warnings: tuple[str, ...]
    key: str  # its extraction-cache key (claimgraph.cache.document_key)


class DocumentMemo:
    """Loaded documents by absolute path: looked up while loading, saved after a successful build."""

    def __init__(self, out_dir: Path | str | None = None) -> None:
        self.path = Path(out_dir) / CACHE_DIR / MEMO_FILE if out_dir is not None else None
        self.code = code_fingerprint(MEMO_CODE)
        self.previous: dict[str, LoadedFile] = {}
        self.taken_ns = 0  # when the build that wrote the previous memo started loading
        self.started_ns = time.time_ns()  # when this one started: files changed after it have other stamps
        self.current: dict[str, LoadedFile] = {}
        self._pending: dict[str, tuple[Stamp, tuple, Document, tuple[str, ...]]] = {}
        self.reused = 0
        if self.path is not None:
            self._read()

    def _read(self) -> None:
        try:
            with self.path.open("rb") as handle:  # type: ignore[union-attr]
                saved = pickle.load(handle)
            if saved["code"] == self.code:
                self.previous, self.taken_ns = saved["files"], saved["taken_ns"]
        except Exception:  # noqa: BLE001  (no memo, or one we cannot read: every file is read again)
            self.previous, self.taken_ns = {}, 0

    def lookup(self, path: str, stamp: Stamp, context: tuple) -> tuple[Document, list[str]] | None:
        """The document and warnings loaded from PATH last time, if its file and context are unchanged (else None)."""
        entry = self.previous.get(path)
        if entry is None or entry.stamp != stamp or entry.context != context:
            return None
        if max(stamp[1], stamp[2]) >= self.taken_ns - RACY_NS:  # changed close to when it was loaded: not trusted
            return None
        self.current[path] = entry
        self.reused += 1
        return entry.document, list(entry.warnings)

    def record(self, path: str, stamp: Stamp, context: tuple, document: Document, warnings: list[str]) -> None:
        """Remember a document just loaded from PATH (its key is computed when :meth:`keys` asks for it)."""
        self._pending[path] = (stamp, context, document, tuple(warnings))

    def keys(self, documents: list[Document]) -> list[str]:
        """The extraction-cache key of each document: remembered for reused ones, computed for the others."""
        keys = []
        for document in documents:
            entry = self.current.get(document.path)
            if entry is not None and entry.document is document:
                keys.append(entry.key)
                continue
            key = document_key(document)
            if document.path in self._pending:
                stamp, context, loaded, warnings = self._pending.pop(document.path)
                self.current[document.path] = LoadedFile(stamp, context, loaded, warnings, key)
            keys.append(key)
        return keys

    def save(self) -> None:
        """Write the files this build loaded (only those), replacing the previous memo in one step."""
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(f".{MEMO_FILE}.{os.getpid()}")
        with partial.open("wb") as handle:
            pickle.dump(
                {"code": self.code, "taken_ns": self.started_ns, "files": self.current}, handle, protocol=pickle.HIGHEST_PROTOCOL
            )
        os.replace(partial, self.path)


__all__ = ["MEMO_FILE", "DocumentMemo", "LoadedFile", "file_stamp"]
