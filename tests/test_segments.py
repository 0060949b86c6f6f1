"""Spliced tables: a rebuild copies the rows that did not change and renders the others, and writes what a fresh build writes."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from claimgraph import segments
from claimgraph.build import OUTPUTS, build
from claimgraph.config import BuildConfig
from claimgraph.segments import SplicedTable
from claimgraph.writer import joined

QUIET = BuildConfig(progress=False, jobs=1)


def write_table(folder: Path, parts: list[tuple[str, bytes]]) -> SplicedTable:
    """Write a table of PARTS (key, bytes) through a SplicedTable, move it in place as a build does, and record it."""
    table = SplicedTable(folder, "t.csv")
    data = joined(table.chunks(b"h\n", ((key, lambda b=body: b) for key, body in parts)))
    (folder / "t.csv.new").write_bytes(data)
    (folder / "t.csv.new").replace(folder / "t.csv")
    table.save()
    return table


def test_unchanged_segments_are_copied_and_the_others_rendered(tmp_path: Path) -> None:
    first = [("a", b"1\n"), ("b", b"22\n"), ("c", b"333\n")]
    assert write_table(tmp_path, first).rendered == 3
    second = [("c", b"333\n"), ("new", b"n\n"), ("a", b"1\n"), ("b", b"22\n")]
    table = write_table(tmp_path, second)
    assert (table.reused, table.rendered) == (3, 1)
    assert (tmp_path / "t.csv").read_bytes() == b"h\n333\nn\n1\n22\n"
    table = write_table(tmp_path, second[1:])
    assert (table.reused, table.rendered) == (3, 0) and (tmp_path / "t.csv").read_bytes() == b"h\nn\n1\n22\n"


def test_a_table_changed_since_or_a_record_of_other_code_is_rendered_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parts = [("a", b"1\n"), ("b", b"22\n")]
    write_table(tmp_path, parts)
    (tmp_path / "t.csv").write_bytes(b"h\nXX\n22\n")  # edited by hand, same size
    assert write_table(tmp_path, parts).reused == 0
    assert (tmp_path / "t.csv").read_bytes() == b"h\n1\n22\n"
    monkeypatch.setattr(segments, "code_fingerprint", lambda modules: "another version")
    assert write_table(tmp_path, parts).reused == 0
    (tmp_path / ".cache" / "t.csv.segments.pickle").write_bytes(b"damaged")
    assert write_table(tmp_path, parts).reused == 0


def write(folder: Path, name: str, date: str, text: str) -> None:
    (folder / name).write_text(f"---\ntitle: {name}\ndate: {date}\npublisher: Daily {name}\n---\n{text}\n", encoding="utf-8")


def ranks_in(out: Path) -> dict[str, str]:
    rows = csv.DictReader(io.StringIO((out / "claims.csv").read_text(encoding="utf-8")))
    return {row["source_file"]: row["rank"] for row in rows}


def test_a_new_rank_of_an_unchanged_document_is_written(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write(corpus, "a.md", "2017-06-01", "By May 2017, 120 Belgians had returned home, officials said.")
    write(corpus, "b.md", "2017-06-02", "By May 2017, 150 Belgians had returned home, officials said.")
    build([corpus], tmp_path / "out", QUIET)
    assert sorted(ranks_in(tmp_path / "out").values()) == ["normal", "preferred"]
    write(corpus, "c.md", "2017-07-02", "By June 2017, 160 Belgians had returned home, officials said.")  # more recent
    build([corpus], tmp_path / "out", QUIET)
    assert ranks_in(tmp_path / "out") == {"a.md": "normal", "b.md": "normal", "c.md": "preferred"}  # one of a, b changed
    build([corpus], tmp_path / "fresh", BuildConfig(progress=False, jobs=1, cache=False))
    assert {n: (tmp_path / "out" / n).read_bytes() for n in OUTPUTS} == {n: (tmp_path / "fresh" / n).read_bytes() for n in OUTPUTS}
