"""Tables written again from the parts of the last build's tables that did not change.

claims.csv is one run of rows per document, conflicts.csv one run of
conflicts per segment (see :func:`claimgraph.outputs.conflict_runs`). A build
writes each table as a header and *segments*, each with a key naming
everything its bytes depend on (the document's cache key and its claims'
ranks; the conflicts' content digests and verdicts), and records where each
segment lies in the file it wrote (``DIR/.cache/NAME.segments.pickle``). The
next build copies the bytes of every segment whose key the record holds and
renders only the others, so changing one document of 10,000 renders a few
rows instead of 100,000.

The record holds the table's stamp (size, times, inode) as the build left
it and the code that rendered it: a table edited or replaced since, or
written by another version, is rendered whole. The record is written only
after the new table is in place, so a build that fails leaves a record that
no longer matches (the next build renders the table whole). The previous
table is kept open (on POSIX systems, where an open file can be replaced;
elsewhere tables are rendered whole), and each run of segments copied from it
is a :class:`~claimgraph.writer.FileRange`, which the writer copies inside the
kernel (``copy_file_range``) or reads at its offsets (``os.pread``). Mapped
into memory, the previous table counted every page copied in the build's
memory (1 GB more for a rebuild at 10^5 documents); read and written by this
process, a rebuild at 10^5 took 4.3 s to write claims.trig, against 2.9 s.

claims.trig is spliced the same way (see :func:`claimgraph.outputs.trig_chunks_spliced`):
one segment per document, keyed by its cache key, and the conflicts of the
reconciliation graph in runs keyed by a digest of what their text depends on.
Its parts that depend on the whole corpus (the shared chunk, the ranks, the
consensus, the summaries) are rendered every time: segments without a key, or
keyed by a :class:`Whole` name, which records where they lie in the table just
written (for this build only: ``build --store`` reads them back from there
instead of rendering them again). A table written by a forked child (see :mod:`claimgraph.writer`)
hands where its segments lie back to the build through a file beside the record.
"""

from __future__ import annotations

import csv
import io
import os
import pickle
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import BinaryIO, NamedTuple

from claimgraph.cache import CACHE_DIR, code_fingerprint
from claimgraph.loadmemo import file_stamp
from claimgraph.writer import Chunk, FileRange

SEGMENTS_CODE = ("segments.py", "rows.py", "tables.py", "model.py")  # what decides a segment's bytes (of the CSV tables)


class CsvRows:
    """CSV rows of fixed columns rendered to bytes, one call per segment (as :func:`claimgraph.tables.to_csv` writes them)."""

    def __init__(self, columns: tuple[str, ...]) -> None:
        self._buffer = io.StringIO()
        self._writer = csv.DictWriter(self._buffer, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
        self._writer.writeheader()
        self.header = self._take()

    def render(self, rows: Iterable[Mapping[str, str]]) -> bytes:
        """The bytes of ROWS, without a header."""
        self._writer.writerows(rows)
        return self._take()

    def _take(self) -> bytes:
        text = self._buffer.getvalue()
        self._buffer.seek(0)
        self._buffer.truncate()
        return text.encode("utf-8")


class Whole(NamedTuple):
    """The key of a segment rendered on every build: never copied from the last table, but where it lies in the new one
    is kept under NAME (see :meth:`SplicedTable.span`)."""

    name: str


class SplicedTable:
    """One table of a build: its segments copied from the previous table where their keys match, rendered otherwise."""

    def __init__(self, out_dir: Path | str, name: str, code: tuple[str, ...] = SEGMENTS_CODE) -> None:
        self.path = Path(out_dir) / name
        self.record = Path(out_dir) / CACHE_DIR / f"{name}.segments.pickle"
        self.code = code_fingerprint(code)  # the modules that decide a segment's bytes besides its key
        self._where: dict[Hashable, tuple[int, int]] = {}  # key -> (offset, length) in the new table
        self._spans: dict[str, tuple[int, int]] = {}  # Whole name -> (offset, length) in the new table
        self.reused = self.rendered = 0
        self._previous: dict[Hashable, tuple[int, int]] = {}
        self._old: BinaryIO | None = None  # the previous table, open for reading at offsets (os.pread)
        self._owner = os.getpid()
        # where a forked child that wrote the table leaves what save() needs (named by this process); those left by
        # builds that failed are cleared (a build whose handoff is gone records nothing: its next build renders whole)
        self._handoff = self.record.with_name(f".{name}.segments.{self._owner}.child")
        for stale in self.record.parent.glob(f".{name}.segments.*.child"):
            stale.unlink(missing_ok=True)
        self._opened = False  # the previous table and its record are read on first use (by a forked writer, where one writes)

    def _open_previous(self) -> None:
        if self._opened:
            return
        self._opened = True
        if os.name != "posix":  # elsewhere an open file cannot be replaced: render the table whole
            return
        try:
            with self.record.open("rb") as handle:
                saved = pickle.load(handle)
            self._old = self.path.open("rb")  # kept open: a build replaces the file, this one reads the old one
            if saved["code"] != self.code or saved["stamp"] != file_stamp(os.fstat(self._old.fileno())):
                self._old.close()
                self._old = None
                return
            self._previous = saved["segments"]
        except Exception:  # noqa: BLE001  (no record, no table, or an unreadable record: render the table whole)
            if self._old is not None:
                self._old.close()
            self._previous, self._old = {}, None

    def _range(self, start: int, end: int) -> FileRange:
        """Bytes START to END of the previous table, as a chunk to copy."""
        return FileRange(self._old.fileno(), start, end, str(self.path))  # type: ignore[union-attr]

    def knows(self, key: Hashable) -> bool:
        """Whether the segment of KEY will be copied from the previous table (else :meth:`chunks` renders it)."""
        self._open_previous()
        return self._old is not None and key in self._previous

    def chunks(self, header: bytes, segments: Iterable[tuple[Hashable | None, Callable[[], bytes]]]) -> Iterator[Chunk]:
        """The table's chunks: HEADER, then each segment (KEY, RENDER) copied when the previous table has KEY, else RENDER().

        Segments copied one after the other that lie one after the other in the previous table come as one
        :class:`~claimgraph.writer.FileRange`. A segment whose KEY is None is rendered every time and not recorded; one
        whose KEY is a :class:`Whole` is rendered every time and its place kept for :meth:`span`.
        """
        self._open_previous()
        yield header
        offset = len(header)
        run_start = run_end = -1  # a run of reused bytes that lie one after the other in the previous table
        for key, render in segments:
            found = self._previous.get(key) if key is not None and self._old is not None and not isinstance(key, Whole) else None
            if found is not None:
                start, length = found
                if start != run_end:
                    if run_start >= 0:
                        yield self._range(run_start, run_end)
                    run_start = start
                run_end = start + length
                self.reused += 1
            else:
                if run_start >= 0:
                    yield self._range(run_start, run_end)
                    run_start = run_end = -1
                data = render()
                length = len(data)
                self.rendered += 1
                yield data
            if isinstance(key, Whole):
                self._spans[key.name] = (offset, length)
            elif key is not None:
                self._where[key] = (offset, length)
            offset += length
        if run_start >= 0:
            yield self._range(run_start, run_end)
        if os.getpid() != self._owner:  # written by a forked child: the build's process saves the record
            self._handoff.parent.mkdir(parents=True, exist_ok=True)
            with self._handoff.open("wb") as handle:
                pickle.dump((self._where, self._spans, self.reused, self.rendered), handle, protocol=pickle.HIGHEST_PROTOCOL)

    def release(self) -> None:
        """Close the previous table (once the new one is written)."""
        if self._old is not None:
            self._old.close()
            self._old = None

    def save(self) -> None:
        """Record where each segment lies in the table now in place (call once the build has moved it there)."""
        self.release()
        if self._handoff.is_file():  # the table was written by a forked child
            with self._handoff.open("rb") as handle:
                self._where, self._spans, self.reused, self.rendered = pickle.load(handle)
            self._handoff.unlink()
        self.record.parent.mkdir(parents=True, exist_ok=True)
        partial = self.record.with_name(f".{self.record.name}.{os.getpid()}")
        with partial.open("wb") as handle:
            saved = {"code": self.code, "stamp": file_stamp(os.stat(self.path)), "segments": self._where}
            pickle.dump(saved, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, self.record)

    def span(self, name: str) -> tuple[int, int] | None:
        """Where the segment keyed ``Whole(NAME)`` lies in the table this build wrote (offset, length), once :meth:`save`
        has run; None when there was none."""
        return self._spans.get(name)


__all__ = ["CsvRows", "SplicedTable", "Whole"]
