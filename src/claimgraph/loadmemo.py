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

The memo holds every document's text (140 MB at 10^5 documents), so a build
that read only a few files does not write it again: it writes those few
entries beside it (``documents.delta.pickle``, tied to the memo by its stamp),
each with when it was read. The next build reads both. The memo is written
whole again once the entries beside it pass an eighth of the corpus, or an
eighth of its entries are of files no build loads any more. Writing it whole
took 0.74 s of a 20 s rebuild at 10^5 documents.

The memo is two pickles in one file: each entry as plain values (its file's
stamp and context, its key, its warnings, its document's fields but the text),
then every text. A build reads the first only, and a document taken from the
memo reads its text when first asked for (:meth:`claimgraph.model.Document.restored`):
a rebuild by difference needs no unchanged document's text, and 10^4 documents
made from values took 0.01 s, where unpickling them with their text took 0.04 s.
The file read stays open while the build runs, so a text asked for after it
wrote a new memo is read from the one it loaded.
"""

from __future__ import annotations

import os
import pickle
import time
from pathlib import Path
from typing import IO

from claimgraph.cache import CACHE_DIR, EXTRACTION_CODE, code_fingerprint, document_key
from claimgraph.model import Document

MEMO_FILE = "documents.pickle"
DELTA_FILE = "documents.delta.pickle"  # the entries read since the memo was written whole
DELTA_SHARE = 8  # the memo is written whole when the delta (or its unused entries) pass 1/DELTA_SHARE of the corpus
MEMO_CODE = ("load.py", "loadmemo.py", "model.py", *EXTRACTION_CODE)  # what decides a loaded Document, its key and their form
RACY_NS = 2_000_000_000  # a file changed less than this before the last build started is read again

Stamp = tuple[int, int, int, int, int]  # size, mtime_ns, ctime_ns, inode, device


def file_stamp(stat: os.stat_result) -> Stamp:
    """What says a file is unchanged: size, modification and change times (ns), inode and device."""
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, stat.st_dev)


# One file as a build loaded it, as a plain tuple (unpickled in C, where a named tuple's class makes each one in Python):
# its stamp, its context (its name in the corpus, how messages show it, its manifest row), its extraction-cache key
# (claimgraph.cache.document_key), its warnings, and its document's fields but the text (Document.values_but_text).
Entry = tuple[Stamp, tuple, str, tuple[str, ...], tuple]
STAMP, CONTEXT, KEY, WARNINGS, VALUES = range(5)


class DocumentMemo:
    """Loaded documents by absolute path: looked up while loading, saved after a successful build."""

    def __init__(self, out_dir: Path | str | None = None) -> None:
        self.path = Path(out_dir) / CACHE_DIR / MEMO_FILE if out_dir is not None else None
        self.code = code_fingerprint(MEMO_CODE)
        self.previous: dict[str, Entry] = {}
        self.taken_ns = 0  # when the build that wrote the whole memo started loading
        self.taken: dict[str, int] = {}  # when each entry of the delta was read (by path): its own build's start
        self.started_ns = time.time_ns()  # when this one started: files changed after it have other stamps
        self.current: dict[str, tuple[Entry, Document]] = {}
        self._pending: dict[str, tuple[Stamp, tuple, Document, tuple[str, ...]]] = {}
        self._memo_stamp: Stamp | None = None  # the whole memo's stamp, as the delta names it
        self._file: IO[bytes] | None = None  # the whole memo, open: its texts follow its entries
        self._texts_at = 0
        self._texts: dict[str, str] | None = None  # the whole memo's texts, once one is asked for
        self._delta_texts: dict[str, str] = {}
        self.reused = 0
        if self.path is not None:
            self._read()

    @property
    def delta_path(self) -> Path:
        """Where the entries read since the memo was written whole lie."""
        return self.path.with_name(DELTA_FILE)  # type: ignore[union-attr]

    def _read(self) -> None:
        try:
            handle = self.path.open("rb")  # type: ignore[union-attr]
        except OSError:  # no memo: every file is read
            return
        try:
            saved = pickle.load(handle)
            if saved["code"] == self.code:
                self.previous, self.taken_ns = saved["files"], saved["taken_ns"]
                self._memo_stamp, self._texts_at, self._file = file_stamp(os.fstat(handle.fileno())), handle.tell(), handle
        except Exception:  # noqa: BLE001  (a memo we cannot read: every file is read again)
            self.previous, self.taken_ns = {}, 0
        if self._file is None:
            handle.close()
            return
        try:
            with self.delta_path.open("rb") as delta_handle:
                delta = pickle.load(delta_handle)
            if delta["code"] == self.code and delta["memo"] == self._memo_stamp:  # a delta of this very memo
                for path, (entry, taken_ns, text) in delta["files"].items():
                    self.previous[path], self.taken[path], self._delta_texts[path] = entry, taken_ns, text
        except Exception:  # noqa: BLE001, S110  (no delta, or one we cannot read: its files are read again)
            pass

    def text_of(self, path: str) -> str:
        """The text the memo holds of the file at PATH (read with every other text, once)."""
        if path in self._delta_texts:
            return self._delta_texts[path]
        if self._texts is None:  # read at its offset (a forked writer shares the file's position with this process)
            fd = self._file.fileno()  # type: ignore[union-attr]
            self._texts = pickle.loads(os.pread(fd, os.fstat(fd).st_size - self._texts_at, self._texts_at))
        return self._texts[path]  # type: ignore[index]

    def lookup(self, path: str, stamp: Stamp, context: tuple) -> tuple[Document, list[str]] | None:
        """The document and warnings loaded from PATH last time, if its file and context are unchanged (else None)."""
        entry = self.previous.get(path)
        if entry is None or entry[STAMP] != stamp or entry[CONTEXT] != context:
            return None
        if max(stamp[1], stamp[2]) >= self.taken.get(path, self.taken_ns) - RACY_NS:  # changed close to when it was read
            return None
        document = Document.restored(entry[VALUES], lambda: self.text_of(path))
        self.current[path] = (entry, document)
        self.reused += 1
        return document, list(entry[WARNINGS])

    def record(self, path: str, stamp: Stamp, context: tuple, document: Document, warnings: list[str]) -> None:
        """Remember a document just loaded from PATH (its key is computed when :meth:`keys` asks for it)."""
        self._pending[path] = (stamp, context, document, tuple(warnings))

    def keys(self, documents: list[Document]) -> list[str]:
        """The extraction-cache key of each document: remembered for reused ones, computed for the others."""
        keys = []
        for document in documents:
            found = self.current.get(document.path)
            if found is not None and found[1] is document:
                keys.append(found[0][KEY])
                continue
            key = document_key(document)
            if document.path in self._pending:
                stamp, context, loaded, warnings = self._pending.pop(document.path)
                self.current[document.path] = ((stamp, context, key, warnings, loaded.values_but_text()), loaded)
            keys.append(key)
        return keys

    def save(self) -> None:
        """Record the files this build loaded: beside the memo when they are few (see the module docstring), else as a
        whole new memo (of those files only), each file replaced in one step."""
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # the entries the whole memo lacks: read by this build (now), or reused from the delta (read when it says)
        delta = {path: (entry, self.started_ns if self.previous.get(path) is not entry else self.taken[path], document.text)
                 for path, (entry, document) in self.current.items() if self.previous.get(path) is not entry or path in self.taken}  # fmt: skip
        unused = len(self.previous.keys() - self.current.keys())
        limit = len(self.current) // DELTA_SHARE
        if self._memo_stamp is not None and len(delta) <= limit and unused <= limit:
            _write_atomic(self.delta_path, [{"code": self.code, "memo": self._memo_stamp, "files": delta}])
            return
        entries = {path: entry for path, (entry, _document) in self.current.items()}
        texts = {path: document.text for path, (_entry, document) in self.current.items()}
        _write_atomic(self.path, [{"code": self.code, "taken_ns": self.started_ns, "files": entries}, texts])
        self.delta_path.unlink(missing_ok=True)  # a delta of the memo replaced (it would no longer match it anyway)


def _write_atomic(path: Path, parts: list) -> None:
    """PARTS pickled one after the other into PATH, replaced in one step."""
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    with partial.open("wb") as handle:
        for part in parts:
            pickle.dump(part, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(partial, path)


__all__ = ["DELTA_FILE", "MEMO_FILE", "DocumentMemo", "Entry", "file_stamp"]
