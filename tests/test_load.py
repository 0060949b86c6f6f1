"""Loading a corpus: metadata order, and bad input of every kind."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimgraph.errors import InputError
from claimgraph.load import find_dateline, load_corpus, normalise_date


def write(folder: Path, name: str, data: str | bytes) -> Path:
    path = folder / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


def test_front_matter_wins_over_manifest_and_dateline(tmp_path: Path) -> None:
    write(tmp_path, "a.md", "---\ntitle: From front matter\ndate: 2017-10\npublisher: Desk\n---\nMarch 3, 2019 - Text.\n")
    write(tmp_path, "sources.csv", "file,title,publisher,author,date,url,kind\na.md,From manifest,Other,,2016,,news article\n")
    doc = load_corpus([tmp_path]).documents[0]
    assert (doc.title, doc.date, doc.date_source, doc.publisher, doc.kind) == ("From front matter", "2017-10", "front_matter", "Desk", "news article")
    assert doc.text.startswith("---") and doc.body_offset == doc.text.index("March")


def test_manifest_then_dateline_then_unknown(tmp_path: Path) -> None:
    write(tmp_path, "m.txt", "Plain text.\n")
    write(tmp_path, "d.txt", "CAIRO, October 25, 2017 - Some text.\n")
    write(tmp_path, "u.txt", "No date anywhere.\n")
    write(tmp_path, "sources.csv", "file,title,publisher,author,date,url,kind\nm.txt,Manifest title,Pub,,2018-02,,report\n")
    result = load_corpus([tmp_path])
    docs = {d.source_file: d for d in result.documents}
    assert (docs["m.txt"].date, docs["m.txt"].date_source, docs["m.txt"].title) == ("2018-02", "manifest", "Manifest title")
    assert (docs["d.txt"].date, docs["d.txt"].date_source) == ("2017-10-25", "dateline")
    assert (docs["u.txt"].date, docs["u.txt"].date_source) == ("", "unknown")
    assert any("u.txt" in w and "date is unknown" in w for w in result.warnings)


def test_gold_and_manifest_are_not_documents_and_other_suffixes_warn(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", "Text.\n")
    write(tmp_path, "gold_claims.csv", "file,quote\n")
    write(tmp_path, "notes.pdf", b"%PDF-1.4")
    result = load_corpus([tmp_path])
    assert [d.source_file for d in result.documents] == ["a.txt"]
    assert any("notes.pdf" in w and "skipped" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("latin1.txt", "line one\nca\xe9\n".encode("latin-1"), "latin1.txt:2: not UTF-8"),
        ("binary.txt", b"abc\x00\x01\x02", "binary.txt: binary file"),
        ("empty.txt", b"  \n", "empty.txt: empty file"),
    ],
)
def test_unreadable_files_are_skipped_with_a_warning_naming_them(tmp_path: Path, name: str, data: bytes, expected: str) -> None:
    write(tmp_path, name, data)
    write(tmp_path, "good.txt", "Fine.\n")
    result = load_corpus([tmp_path], display_root=tmp_path)
    assert [d.source_file for d in result.documents] == ["good.txt"]
    assert any(w.startswith(expected) for w in result.warnings), result.warnings
    with pytest.raises(InputError, match="--strict"):
        load_corpus([tmp_path], strict=True, display_root=tmp_path)


def test_broken_front_matter_names_file_and_line(tmp_path: Path) -> None:
    write(tmp_path, "bad.md", "---\ntitle: ok\ndate: [2017\n---\nBody\n")
    with pytest.raises(InputError, match=r"bad\.md:\d+: broken front matter"):
        load_corpus([tmp_path], display_root=tmp_path)


def test_unclosed_front_matter_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, "open.md", "---\ntitle: never closed\nBody\n")
    with pytest.raises(InputError, match=r"open\.md:1: front matter"):
        load_corpus([tmp_path], display_root=tmp_path)


def test_bad_date_warns_and_is_ignored(tmp_path: Path) -> None:
    write(tmp_path, "a.md", "---\ndate: next spring\n---\nBody\n")
    result = load_corpus([tmp_path], display_root=tmp_path)
    assert result.documents[0].date == ""
    assert any("a.md" in w and "next spring" in w for w in result.warnings)


def test_missing_corpus_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        load_corpus([tmp_path / "nope"])


def test_dates() -> None:
    assert normalise_date("2017") == "2017"
    assert normalise_date("2017-13") is None
    assert normalise_date("2017-02-30") is None
    assert find_dateline("Published online: 26 May 2020.") == "2020-05-26"
    assert find_dateline("nothing here") is None
