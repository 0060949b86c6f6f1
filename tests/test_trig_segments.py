"""claims.trig spliced: a rebuild copies the documents' chunks and the runs of conflicts that did not change, and writes
what a fresh build writes."""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from claimgraph import writer
from claimgraph.build import build
from claimgraph.config import BuildConfig
from claimgraph.model import Conflict
from claimgraph.outputs import TRIG_CODE, conflict_runs, conflict_segments
from claimgraph.reviews import Review, append_review
from claimgraph.segments import SplicedTable
from claimgraph.synthetic import write_corpus
from claimgraph.trig import reconciliation_chunk, reconciliation_close, reconciliation_open, trig_header
from claimgraph.writer import joined

QUIET = BuildConfig(progress=False, jobs=1)
FRESH = BuildConfig(progress=False, jobs=1, cache=False)
EDITED = "000/doc-000017.md"
build_module = importlib.import_module("claimgraph.build")  # the module (the package exports a function of that name)


# ---------------------------------------------------------------- the conflicts' runs, without a build


def conflicts(count: int = 160) -> list[Conflict]:
    return [Conflict("value_mismatch", round(0.3 + (i % 7) / 10, 3), f"https://x.test/claim/{i}", f"https://x.test/claim/{i + 1000}",
                     f"figure {i} against figure {i + 1000}") for i in range(count)]  # fmt: skip


def review(c: Conflict, reviewer: str = "Ana María", verdict: str = "confirmed", note: str = "", prefer: str = "") -> Review:
    return Review(c.iri.rsplit("/", 1)[1], verdict, reviewer, "2026-11-22T05:10:00Z", note, prefer)


def other_iri(iri: str) -> str:
    """IRI with another first digit of its digest (the same last digit: the same runs)."""
    digest = iri.rsplit("/", 1)[1]
    return iri[: -len(digest)] + ("e" if digest[0] == "f" else "f") + digest[1:]


def write_graph(folder: Path, found: list[Conflict], verdicts: dict[str, Review]) -> SplicedTable:
    """The reconciliation graph of FOUND written through a SplicedTable as a build writes it, moved in place, recorded."""
    table = SplicedTable(folder, "g.trig", TRIG_CODE)
    parts = [(None, reconciliation_open), *conflict_segments(conflict_runs(found, verdicts)), (None, lambda: b"".join(reconciliation_close({}, [])))]
    data = joined(table.chunks(trig_header(), iter(parts)))
    (folder / "g.trig.new").write_bytes(data)
    (folder / "g.trig.new").replace(folder / "g.trig")
    table.save()
    assert data == trig_header() + b"".join(reconciliation_chunk(found, {}, verdicts, []))  # what a fresh build writes
    return table


def test_runs_of_conflicts_are_copied_unless_what_they_say_changed(tmp_path: Path) -> None:
    found = conflicts()
    first = write_graph(tmp_path, found, {})
    runs = first.rendered - 2  # the opening and closing segments have no key
    assert runs > 4  # a run ends at one conflict in 16
    assert write_graph(tmp_path, found, {}).rendered == 2  # every run copied
    changes = {
        "kind": dataclasses.replace(found[40], kind="unit_mismatch"),
        "severity": dataclasses.replace(found[40], severity=found[40].severity + 0.0001),  # the same text at 3 decimals
        "claim_a": dataclasses.replace(found[40], claim_a="https://x.test/claim/x"),
        "claim_b": dataclasses.replace(found[40], claim_b="https://x.test/claim/y"),
        "reason": dataclasses.replace(found[40], reason="another reason"),
        "iri": Conflict.restored(*dataclasses.astuple(found[40]), other_iri(found[40].iri)),  # as if sent by another process
    }
    for field, changed in changes.items():
        table = write_graph(tmp_path, [*found[:40], changed, *found[41:]], {})
        assert table.rendered == 3, field  # the changed conflict's run, opening, closing
        write_graph(tmp_path, found, {})
    added = write_graph(tmp_path, [*found[:40], *conflicts(170)[160:], *found[40:]], {})
    assert added.rendered == 3 and added.reused == runs - 1  # a conflict added changes its own run only


def test_a_verdict_or_who_first_describes_a_reviewer_changes_the_runs_that_say_it(tmp_path: Path) -> None:
    found = conflicts()
    write_graph(tmp_path, found, {})
    verdicts = {found[3].iri: review(found[3]), found[150].iri: review(found[150])}
    assert write_graph(tmp_path, found, verdicts).rendered == 4  # two runs, opening, closing
    for changed in (review(found[150], verdict="dismissed"), review(found[150], note="a note"), review(found[150], prefer="a"),
                    review(found[150], reviewer="Bo")):  # fmt: skip
        write_graph(tmp_path, found, {**verdicts, found[150].iri: changed})
        write_graph(tmp_path, found, verdicts)
    # without the first verdict, the last conflict is the one that describes the reviewer
    table = write_graph(tmp_path, found, {found[150].iri: verdicts[found[150].iri]})
    assert table.rendered == 4


def test_a_separator_in_a_field_neither_stops_copying_nor_makes_two_conflicts_alike(tmp_path: Path) -> None:
    found = conflicts(20)
    found[2] = dataclasses.replace(found[2], reason="a\x1fb")
    write_graph(tmp_path, found, {})
    assert write_graph(tmp_path, found, {}).rendered == 2  # every run copied, that one's too
    one = Conflict.restored("value_mismatch", 0.5, "x", "y", "a\x1fb", "https://x.test/conflict/0")
    other = Conflict.restored("value_mismatch", 0.5, "x", "y\x1fa", "b", "https://x.test/conflict/0")  # the same text, joined
    assert one.content_digest != other.content_digest


# ---------------------------------------------------------------- whole builds


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("trig-segments") / "corpus"
    write_corpus(folder, 160, seed=7)  # about 60 conflicts: several runs
    return folder


@pytest.fixture(scope="module")
def fresh_original(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """claims.trig of the corpus as it was written, built without a cache."""
    return fresh_trig(corpus, tmp_path_factory.mktemp("fresh"))


@pytest.fixture
def tables(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[SplicedTable]]:
    """The claims.trig tables the builds of a test made (their counts, after the build)."""
    made: list[SplicedTable] = []

    class Recorded(SplicedTable):
        def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
            super().__init__(*args, **kwargs)
            if self.path.name == "claims.trig":
                made.append(self)

    monkeypatch.setattr(build_module, "SplicedTable", Recorded)
    yield made


def fresh_trig(corpus: Path, folder: Path, reviews: Path | None = None) -> bytes:
    build([corpus], folder, FRESH, reviews=reviews)
    return (folder / "claims.trig").read_bytes()


@pytest.mark.parametrize("fork", [True, False])
def test_a_rebuild_after_an_edit_writes_the_trig_of_a_fresh_build(
    fork: bool, corpus: Path, fresh_original: bytes, tmp_path: Path, tables: list[SplicedTable], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writer, "can_fork", lambda: fork)  # claims.trig written by a forked child, or by the build itself
    out = tmp_path / "out"
    first = build([corpus], out, QUIET)
    assert tables[-1].reused == 0 and (out / "claims.trig").read_bytes() == fresh_original
    assert len(first.reconciliation.conflicts) > 40
    edited = corpus / EDITED
    original = edited.read_bytes()
    try:
        edited.write_bytes(original + b"\n\nOfficials said 9,999 Belgians had returned home by 2016.\n")
        assert build([corpus], out, QUIET).read == 1
        table = tables[-1]
        assert table.reused > 2 * table.rendered and table.rendered < 12, (table.reused, table.rendered)  # runs of documents, of conflicts
        assert (out / "claims.trig").read_bytes() == fresh_trig(corpus, tmp_path / "fresh")
        for table_name in ("conflicts.csv", "claims.csv"):  # spliced the same way
            assert (out / table_name).read_bytes() == (tmp_path / "fresh" / table_name).read_bytes()
    finally:
        edited.write_bytes(original)
    build([corpus], out, QUIET)  # back as it was
    assert (out / "claims.trig").read_bytes() == fresh_original and tables[-1].reused > 2 * tables[-1].rendered


def test_a_reviewers_verdict_reaches_the_spliced_trig(corpus: Path, tmp_path: Path, tables: list[SplicedTable]) -> None:
    out, reviews = tmp_path / "out", tmp_path / "reviews.tsv"
    built = build([corpus], out, QUIET, reviews=reviews)
    early, late = built.reconciliation.conflicts[5], built.reconciliation.conflicts[-5]
    append_review(reviews, review(late, reviewer="Bo"))
    build([corpus], out, QUIET, reviews=reviews)
    assert (out / "claims.trig").read_bytes() == fresh_trig(corpus, tmp_path / "fresh", reviews)
    # a verdict by the same reviewer on an earlier conflict: that one now describes the reviewer, the later one no longer
    append_review(reviews, review(early, reviewer="Bo", verdict="dismissed", note="first now"))
    build([corpus], out, QUIET, reviews=reviews)
    assert tables[-1].reused > 2 * tables[-1].rendered
    spliced = (out / "claims.trig").read_bytes()
    assert spliced == fresh_trig(corpus, tmp_path / "fresh", reviews)
    assert spliced.count(b"prov:Person") == 1 and b'"dismissed"' in spliced
    assert (out / "conflicts.csv").read_bytes() == (tmp_path / "fresh" / "conflicts.csv").read_bytes()  # its verdicts too


def test_a_hand_edited_trig_or_a_damaged_record_is_rendered_whole(corpus: Path, tmp_path: Path, tables: list[SplicedTable]) -> None:
    out = tmp_path / "out"
    build([corpus], out, QUIET)
    build([corpus], out, QUIET)
    assert tables[-1].rendered == 5  # the shared chunk, opening, consensus and closing, summaries opening and closing: all else copied
    text = (out / "claims.trig").read_bytes()
    at = text.index(b"cg:reason") + len(b"cg:reason ")
    (out / "claims.trig").write_bytes(text[:at] + b"X" + text[at + 1 :])  # edited by hand, same size
    build([corpus], out, QUIET)
    assert tables[-1].reused == 0 and (out / "claims.trig").read_bytes() == text
    (out / ".cache" / "claims.trig.segments.pickle").write_bytes(b"damaged")
    build([corpus], out, QUIET)
    assert tables[-1].reused == 0 and (out / "claims.trig").read_bytes() == text
    assert not list((out / ".cache").glob(".claims.trig.segments.*"))  # no handoff from the writer child left behind
