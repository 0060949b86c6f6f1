"""The synthetic corpus: deterministic, loads and builds, the extractor finds what was planted and nothing else."""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from claimgraph.cli import main
from claimgraph.intervals import claim_interval, period
from claimgraph.reconcile import comparable_groups, group_key
from claimgraph.synthetic import (
    TRUTH_DIR,
    World,
    make_document,
    number_words,
    read_noise,
    read_truth,
    round_to,
    synthetic_claims,
    synthetic_documents,
    write_corpus,
    write_figure,
)

HARD_STYLES = {"label", "number_of"}  # styles the extractor is known to read badly (kept: the generator is honest)
DOCS = 50


def _digest(folder: Path) -> str:
    sha = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        sha.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return sha.hexdigest()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("synth") / "corpus"
    write_corpus(folder, DOCS, seed=7, conflict_rate=0.1)  # more wrong figures than the default, so a small corpus has some
    return folder


@pytest.fixture(scope="module")
def built(corpus: Path, tmp_path_factory: pytest.TempPathFactory):
    from claimgraph.build import build
    from claimgraph.config import BuildConfig

    return build([corpus], tmp_path_factory.mktemp("synth-out"), BuildConfig(progress=False))


def test_same_seed_same_corpus_other_seed_other_corpus(tmp_path: Path) -> None:
    write_corpus(tmp_path / "a", 20, seed=3)
    write_corpus(tmp_path / "b", 20, seed=3)
    write_corpus(tmp_path / "c", 20, seed=4)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert _digest(tmp_path / "a") != _digest(tmp_path / "c")


def test_a_small_corpus_is_the_start_of_a_large_one() -> None:
    small = [d.text for d in synthetic_documents(5, seed=1)]
    large = [d.text for d in synthetic_documents(12, seed=1)]
    assert small == large[:5]


def test_truth_is_beside_the_documents_where_the_loader_does_not_look(corpus: Path) -> None:
    documents = sorted(p.relative_to(corpus).as_posix() for p in corpus.rglob("*.md"))
    assert len(documents) == DOCS and all(not d.startswith(".") for d in documents)
    assert (corpus / TRUTH_DIR / "planted_claims.csv").is_file()
    assert not list(corpus.rglob("gold_claims.csv")) and not list(corpus.rglob("sources.csv"))


def test_documents_load_with_metadata_and_build(built) -> None:
    assert len(built.documents) == DOCS
    assert not built.warnings  # every document has a date (front matter, partial date or dateline)
    assert all(d.title and d.publisher and d.url for d in built.documents)
    assert Counter(d.date_source for d in built.documents)["front_matter"] >= DOCS * 0.7
    assert len(built.claims) > DOCS * 3
    assert built.reconciliation.conflicts  # planted wrong figures and repeated figures give the reconciler work


def test_planted_figures_are_found(corpus: Path, built) -> None:
    found = {(c.source_file, c.start): c for c in built.claims}
    rows = read_truth(corpus)
    assert len(rows) > DOCS * 3
    hits: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    dated = 0
    for row in rows:
        tier = "hard" if row["style"] in HARD_STYLES else "core"
        totals[tier] += 1
        claim = found.get((row["file"], int(row["start"])))
        if claim is None:
            continue
        same = (
            claim.value == Decimal(row["value"])
            and claim.low == (Decimal(row["low"]) if row["low"] else None)
            and claim.high == (Decimal(row["high"]) if row["high"] else None)
            and (claim.qualifier, claim.measure, claim.population, claim.country)
            == (row["qualifier"], row["measure"], row["population"], row["country"])
        )
        hits[tier] += same
        dated += same and claim.as_of == row["as_of"]
    assert hits["core"] / totals["core"] >= 0.95, (hits, totals)
    assert sum(hits.values()) / len(rows) >= 0.85, (hits, totals)
    assert dated / sum(hits.values()) >= 0.95


def test_numbers_that_are_not_claims_stay_out(corpus: Path, built) -> None:
    noise = read_noise(corpus)
    assert {row["kind"] for row in noise} >= {"year", "age", "page", "resolution", "phone"}
    spans: dict[str, list[tuple[int, int]]] = {}
    for row in noise:
        spans.setdefault(row["file"], []).append((int(row["start"]), int(row["end"])))
    wrong = [c for c in built.claims if any(s < c.end and c.start < e for s, e in spans.get(c.source_file, []))]
    assert not wrong, [(c.source_file, c.mention, c.quote) for c in wrong[:3]]


def test_planted_conflicts_are_flagged(corpus: Path, built) -> None:
    """A planted wrong figure is flagged wherever a comparable figure for an overlapping date contradicts it."""
    planted = {(r["file"], int(r["start"])) for r in read_truth(corpus) if r["planted"] == "conflict"}
    in_conflict = {iri for c in built.reconciliation.conflicts for iri in (c.claim_a, c.claim_b)}
    groups = comparable_groups(built.claims)

    def contradicted(claim) -> bool:
        span, interval = period(claim.as_of), claim_interval(claim)
        for other in groups.get(group_key(claim), []):
            other_span = period(other.as_of)
            same_time = span and other_span and span[0] <= other_span[1] and other_span[0] <= span[1]
            if other is not claim and other.source_file != claim.source_file and same_time and not interval.overlaps(claim_interval(other)):
                return True
        return False

    detectable = [c for c in built.claims if (c.source_file, c.start) in planted and contradicted(c)]
    assert planted and detectable, "the corpus should plant some figures that a same-date figure contradicts"
    assert all(c.iri in in_conflict for c in detectable), [c.quote for c in detectable if c.iri not in in_conflict]


def test_some_documents_repeat_a_figure(corpus: Path) -> None:
    copies = Counter((r["fact"], r["value"], r["qualifier"]) for r in read_truth(corpus) if r["planted"] == "consistent")
    assert max(copies.values()) >= 2


def test_number_words_and_rounding() -> None:
    assert [number_words(v) for v in (7, 13, 40, 72)] == ["seven", "thirteen", "forty", "seventy-two"]
    assert round_to(1712) == 1700 and round_to(1712, how="up") == 1800 and round_to(1790, how="down") == 1700
    assert round_to(34) == 34 and round_to(7.2, how="up") == 8


def test_written_figures_state_the_true_value() -> None:
    rng = random.Random(0)
    for _ in range(2000):
        value = rng.randint(3, 60000)
        figure = write_figure(rng, value, words_ok=True)
        low = figure.low if figure.low is not None else Decimal(0)
        high = figure.high if figure.high is not None else Decimal("Infinity")
        if figure.qualifier == "approximately":
            assert abs(figure.value - value) <= Decimal(value) * Decimal("0.06")
        else:
            assert low <= value <= high or (figure.qualifier == "less_than" and value < high), (value, figure)


def test_synthetic_claims_without_text_extraction() -> None:
    documents, claims = synthetic_claims(300, seed=2)
    assert len(claims) == 300 and documents
    texts = {d.source_file: d.text for d in documents}
    assert all(texts[c.source_file][c.start : c.end] == c.mention for c in claims)
    assert {c.measure for c in claims} >= {"departed", "returned", "active"}


def test_world_is_deterministic() -> None:
    assert World.from_seed(5).facts == World.from_seed(5).facts
    assert make_document(World.from_seed(5), 5, 3).text == make_document(World.from_seed(5), 5, 3).text


def test_synth_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["synth", "--docs", "3", "--out", str(tmp_path / "c"), "--seed", "1"]) == 0
    assert "3 documents" in capsys.readouterr().out
    assert len(list((tmp_path / "c").rglob("*.md"))) == 3
    with pytest.raises(SystemExit):
        main(["synth", "--out", str(tmp_path / "d")])  # --docs is required
