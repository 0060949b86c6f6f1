"""Reviewers' verdicts: the reviews file, `claimgraph review`, re-applied by every build, stale ones reported."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from claimgraph.build import build
from claimgraph.config import BuildConfig
from claimgraph.errors import InputError
from claimgraph.reviews import (
    HEADER,
    ConflictRef,
    Review,
    append_review,
    format_review,
    match_reviews,
    parse_reviews,
    read_reviews,
    resolve_conflict,
)
from claimgraph.store import load_store
from claimgraph.tables import claims_table, conflicts_table, consensus_table
from clirun import run

QUIET = BuildConfig(progress=False)

DOC_A = """---
title: Returnees count, spring report
publisher: Northfield Institute
date: 2018-03-01
---
The Northfield Institute counted 40 Freedonians who had returned home by March 2018.
"""
DOC_B = """---
title: Returnees count, newspaper
publisher: Daily Ledger
date: 2018-03-10
---
According to the Ministry of Interior, 95 Freedonians have returned home from the conflict zone.
"""



def corpus(tmp_path: Path, second: str = DOC_B) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir(exist_ok=True)
    (folder / "a.md").write_text(DOC_A.replace("Freedonians", "Tunisians"), encoding="utf-8")
    (folder / "b.md").write_text(second.replace("Freedonians", "Tunisians"), encoding="utf-8")
    return folder


def only_conflict(out: Path) -> dict[str, str]:
    rows = list(csv.DictReader(io.StringIO((out / "conflicts.csv").read_text(encoding="utf-8"))))
    assert len(rows) == 1, rows
    return rows[0]


# ---------------------------------------------------------------- the file


def test_reviews_file_round_trips_notes_with_tabs_and_newlines(tmp_path: Path) -> None:
    review = Review("0123456789abcdef", "explained", "Ana María", "2026-11-22T05:10:00Z", "two\tcolumns\nand a line \\ break",
                    "b", "a.md@10=40;b.md@20=95")
    path = tmp_path / "reviews.tsv"
    append_review(path, review)
    append_review(path, review)
    text = path.read_text(encoding="utf-8")
    assert text.startswith(HEADER) and text.count("\n") == HEADER.count("\n") + 2
    back = read_reviews(path)
    assert [r.note for r in back] == [review.note, review.note]
    assert back[0].line == HEADER.count("\n") + 1 and back[0].prefer == "b"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("abc\tconfirmed", "expected 7 tab-separated fields"),
        ("zzzzzzzz\tconfirmed\t\tme\t2026-01-01T00:00:00Z\t\t", "is not a conflict id"),
        ("0123456789abcdef\tmaybe\t\tme\t2026-01-01T00:00:00Z\t\t", "unknown verdict 'maybe'"),
        ("0123456789abcdef\tconfirmed\tc\tme\t2026-01-01T00:00:00Z\t\t", "prefer must be a, b or empty"),
        ("0123456789abcdef\tconfirmed\t\tme\tyesterday\t\t", "not an ISO 8601"),
    ],
)
def test_a_bad_line_names_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "reviews.tsv"
    path.write_text(HEADER + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_reviews(path)
    assert f"{path}:{HEADER.count(chr(10)) + 2}:" in str(info.value) and message in str(info.value)


def test_last_verdict_wins_and_moved_or_missing_conflicts_are_reported() -> None:
    text = "".join(
        format_review(r)
        for r in (
            Review("aaaaaaaa00000001", "confirmed", "x", "2026-01-01T00:00:00Z", claims="a.md@10=40;b.md@20=95"),
            Review("aaaaaaaa00000001", "dismissed", "y", "2026-01-02T00:00:00Z", claims="a.md@10=40;b.md@20=95"),
            Review("bbbbbbbb00000002", "explained", "x", "2026-01-01T00:00:00Z", prefer="a", claims="c.md@5=7;d.md@9=12"),
            Review("cccccccc00000003", "confirmed", "x", "2026-01-01T00:00:00Z", claims="e.md@1=1;f.md@2=2"),
        )
    )
    reviews = parse_reviews(text, "reviews.tsv")
    current = [
        ConflictRef("aaaaaaaa00000001", "a.md@10=40", "b.md@20=95"),
        ConflictRef("dddddddd00000004", "d.md@90=12", "c.md@50=7"),  # offsets moved and sides swapped: same figures
    ]
    match = match_reviews(reviews, current)
    assert match.applied["aaaaaaaa00000001"].verdict == "dismissed"
    assert match.applied["dddddddd00000004"].prefer == "b"  # still the figure 7 of c.md
    assert [r.conflict for r, _ in match.reattached] == ["bbbbbbbb00000002"]
    assert [r.conflict for r in match.stale] == ["cccccccc00000003"]
    messages = match.messages("reviews.tsv")
    assert any("reviews.tsv:3:" in m and "re-attached" in m for m in messages)
    assert any("reviews.tsv:4:" in m and "matches no conflict" in m for m in messages)


def test_resolve_conflict_by_id_prefix() -> None:
    iris = ["https://w3id.org/claimgraph/id/conflict/5183d89e7b08d172", "https://w3id.org/claimgraph/id/conflict/54c4f17d84447eb8"]
    assert resolve_conflict("5183d89e", iris) == iris[0]
    assert resolve_conflict(iris[1], iris) == iris[1]
    with pytest.raises(InputError, match="ambiguous"):
        resolve_conflict("5183d8", [*iris, "https://w3id.org/claimgraph/id/conflict/5183d8aaaaaaaaaa"])
    with pytest.raises(InputError, match="first 6 characters"):
        resolve_conflict("518", iris)
    with pytest.raises(InputError, match="no conflict"):
        resolve_conflict("ffffff", iris)


# ---------------------------------------------------------------- review, rebuild, survive


def test_review_records_rebuilds_and_survives_rebuilds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = corpus(tmp_path)
    out = tmp_path / "out"
    build([folder], out, QUIET)
    conflict = only_conflict(out)
    assert conflict["verdict"] == ""
    manifest = json.loads((out / "build.json").read_text(encoding="utf-8"))
    assert manifest["reviews"] == "../corpus/reviews.tsv"

    code, stdout, err = run(capsys, "review", str(out), conflict["conflict"].rsplit("/", 1)[1][:8], "--verdict", "confirmed",
                            "--note", "The ministry counts everyone, the institute only adults", "--prefer", "b", "--reviewer", "Lee")
    assert code == 0, err
    assert "rebuilt:" in stdout and "confirmed on conflict" in stdout
    reviews = (folder / "reviews.tsv").read_text(encoding="utf-8")
    assert reviews.count("\n") == HEADER.count("\n") + 1 and "\tconfirmed\tb\tLee\t" in reviews

    def check(folder_out: Path) -> None:
        row = only_conflict(folder_out)
        assert (row["verdict"], row["reviewer"], row["note"]) == ("confirmed", "Lee", "The ministry counts everyone, the institute only adults")
        assert row["preferred_claim"] == row["claim_b"]
        store = load_store(folder_out)
        ranks = {c["claim"]: c["rank"] for c in claims_table(store)}
        assert ranks[row["claim_b"]] == "preferred" and ranks[row["claim_a"]] == "deprecated"
        (group,) = [g for g in consensus_table(store) if g["country"] == "TN"]
        assert group["claim"] == row["claim_b"] and group["reason"].startswith("reviewer's choice (Lee,")
        assert "The ministry counts everyone" in (folder_out / "audit.html").read_text(encoding="utf-8")

    check(out)
    build([folder], out, QUIET)  # a plain rebuild re-applies the verdict from the file
    check(out)
    build([folder], tmp_path / "elsewhere", QUIET)  # and so does a build into another folder
    check(tmp_path / "elsewhere")


def test_a_verdict_whose_conflict_is_gone_is_reported_not_dropped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = corpus(tmp_path)
    out = tmp_path / "out"
    build([folder], out, QUIET)
    conflict_id = only_conflict(out)["conflict"].rsplit("/", 1)[1]
    assert run(capsys, "review", str(out), conflict_id, "--verdict", "dismissed", "--reviewer", "Lee")[0] == 0
    before = (folder / "reviews.tsv").read_text(encoding="utf-8")

    (folder / "b.md").write_text(DOC_B.replace("Freedonians", "Tunisians").replace("95", "41"), encoding="utf-8")  # now they agree
    result = build([folder], out, QUIET)
    assert result.reconciliation.conflicts == []
    assert any("matches no conflict" in w and conflict_id in w and "reviews.tsv:" in w for w in result.warnings)
    assert (folder / "reviews.tsv").read_text(encoding="utf-8") == before  # kept in the file
    code, text, _ = run(capsys, "audit", str(out))
    assert code == 0 and "Verdicts that no longer apply" in text and conflict_id in text
    assert "Verdicts that no longer apply" in (out / "audit.html").read_text(encoding="utf-8")


def test_review_errors_exit_1_with_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = corpus(tmp_path)
    out = tmp_path / "out"
    build([folder], out, QUIET)
    code, _, err = run(capsys, "review", str(out), "ffffffffff", "--verdict", "confirmed")
    assert code == 1 and "no conflict 'ffffffffff'" in err
    conflict_id = only_conflict(out)["conflict"].rsplit("/", 1)[1]
    code, _, err = run(capsys, "review", str(out), conflict_id, "--verdict", "dismissed", "--prefer", "a")
    assert code == 1 and "--prefer goes with confirmed or explained" in err
    code, _, err = run(capsys, "review", str(out), conflict_id, "--verdict", "confirmed", "--prefer", "zzz")
    assert code == 1 and "--prefer 'zzz'" in err
    assert run(capsys, "review", str(out), conflict_id, "--verdict", "perhaps")[0] == 2
    assert not (folder / "reviews.tsv").exists()  # nothing recorded by a failed command


def test_a_broken_reviews_file_fails_the_build_and_keeps_outputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = corpus(tmp_path)
    out = tmp_path / "out"
    build([folder], out, QUIET)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    (folder / "reviews.tsv").write_text(HEADER + "not a review\n", encoding="utf-8")
    cached = _cached_documents(out)
    (folder / "new-report.md").write_text("---\ntitle: New\ndate: 2019-01-01\n---\nSome 70 Danes have returned.\n", encoding="utf-8")
    code, _, err = run(capsys, "build", str(folder), "--out", str(out), "--quiet")
    assert code == 1 and "reviews.tsv:4:" in err
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert _cached_documents(out) == cached  # it failed before extracting: the new document was not read


def _cached_documents(out: Path) -> int:
    import sqlite3

    from claimgraph.cache import CACHE_DIR, CACHE_FILE

    with sqlite3.connect(out / CACHE_DIR / CACHE_FILE) as db:
        return db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]


def test_explicit_reviews_file_and_no_rebuild(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = corpus(tmp_path)
    out = tmp_path / "out"
    elsewhere = tmp_path / "team" / "verdicts.tsv"
    build([folder], out, QUIET, reviews=elsewhere)
    conflict = only_conflict(out)
    code, stdout, _ = run(capsys, "review", str(out), conflict["conflict"], "--verdict", "explained", "--no-rebuild", "--reviewer", "Kim")
    assert code == 0 and "not rebuilt" in stdout and elsewhere.is_file()
    assert only_conflict(out)["verdict"] == ""  # not applied yet
    assert run(capsys, "build", str(folder), "--out", str(out), "--reviews", str(elsewhere), "--quiet")[0] == 0
    assert only_conflict(out)["verdict"] == "explained"


def test_reviewed_graph_conforms_to_the_shapes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = corpus(tmp_path)
    out = tmp_path / "out"
    build([folder], out, QUIET)
    conflict = only_conflict(out)["conflict"]
    assert run(capsys, "review", str(out), conflict, "--verdict", "confirmed", "--prefer", "a", "--reviewer", "Lee")[0] == 0
    code, stdout, err = run(capsys, "validate", str(out))
    assert code == 0, err
    rows = conflicts_table(load_store(out))
    assert rows[0]["reviewed_at"].endswith("Z")
