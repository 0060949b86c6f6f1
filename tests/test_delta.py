"""Rebuilds by difference write, byte for byte, what a whole build of the same corpus writes (see claimgraph.delta)."""

from __future__ import annotations

import dataclasses
import random
import shutil
from collections import Counter
from pathlib import Path

import pytest

from claimgraph import delta as delta_module
from claimgraph.build import OUTPUTS, BuildResult, build
from claimgraph.cache import CACHE_DIR
from claimgraph.config import BuildConfig
from claimgraph.delta_store import STATE_FILE, STORE_FILE, DeltaStore, read_state
from claimgraph.model import format_number
from claimgraph.page_memo import read_memo
from claimgraph.reviews import Review, append_review, conflict_id
from claimgraph.synthetic import write_corpus

CAPPED = BuildConfig(progress=False, jobs=1, page_claims=120, audit_conflicts=30)  # both pages leave conflicts out
WHOLE = BuildConfig(progress=False, jobs=1)  # both pages show everything
SENTENCES = [
    "Officials said 9,999 Belgians had returned home by 2016.",
    "About 40 Belgian foreign fighters had returned by 2015, the Egmont Institute said.",
    "Some 1,700 French nationals left to join jihadist groups, according to the International Crisis Group.",
    "The number of Tunisian fighters killed in Syria stood at 3,000 by 2017, officials said.",
    "At least 12 Icelandic citizens travelled to Syria to join the Islamic State by 2016, police said.",
    "Officials said 31 women returned to Belgium by 2018.",
]


def outputs(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in OUTPUTS}


@pytest.fixture(scope="module")
def original(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("delta") / "corpus"
    write_corpus(folder, 150, seed=23)
    return folder


@pytest.fixture
def work(original: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(original, folder)
    return folder


def documents(corpus: Path) -> list[Path]:
    return sorted(corpus.rglob("doc-*.md"))


def append(path: Path, sentence: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + f"\n\n{sentence}\n", encoding="utf-8")


def drop_paragraph(path: Path, which: int = 0) -> None:
    head, _, body = path.read_text(encoding="utf-8").partition("\n---\n")
    paragraphs = body.split("\n\n")
    paragraphs.pop(min(which, len(paragraphs) - 1))
    path.write_text(head + "\n---\n" + "\n\n".join(paragraphs), encoding="utf-8")


def same_as_whole(work: Path, tmp_path: Path, config: BuildConfig, *, by_difference: bool = True, name: str = "out") -> BuildResult:
    """Rebuild WORK into tmp_path/NAME (by difference, or not), build it whole elsewhere, and compare everything."""
    rebuilt = build([work], tmp_path / name, config)
    assert rebuilt.by_difference is by_difference
    shutil.rmtree(tmp_path / "whole", ignore_errors=True)
    whole = build([work], tmp_path / "whole", dataclasses.replace(config, cache=False))
    assert not whole.by_difference
    assert outputs(tmp_path / name) == outputs(tmp_path / "whole")
    assert rebuilt.summary().split("), ")[1].split(" in ")[0] == whole.summary().split("), ")[1].split(" in ")[0]  # claims, conflicts
    mine, theirs = rebuilt.reconciliation, whole.reconciliation  # read back from the output's caches
    assert rebuilt.claims == whole.claims
    assert mine.conflicts == theirs.conflicts and list(mine.ranks.items()) == list(theirs.ranks.items())
    assert mine.consensus == theirs.consensus and mine.verdicts == theirs.verdicts
    assert rebuilt.warnings == whole.warnings
    return rebuilt


@pytest.mark.parametrize("config", [CAPPED, WHOLE], ids=["pages capped", "pages whole"])
def test_a_changed_document_is_rebuilt_by_difference_as_a_whole_build_writes_it(work: Path, tmp_path: Path, config: BuildConfig) -> None:
    first = build([work], tmp_path / "out", config)
    assert not first.by_difference and read_state(tmp_path / "out") is not None
    memo = read_memo(tmp_path / "out")  # graph.html's rows, kept by the whole build for the next one
    assert len(memo.rows) == min(config.page_claims, len(first.claims)) and memo.conflicts and memo.documents
    again = build([work], tmp_path / "out", config)
    assert again.by_difference and again.read == 0
    append(documents(work)[17], SENTENCES[0])  # the benchmark's edit: a figure far above the others
    same_as_whole(work, tmp_path, config)


@pytest.mark.parametrize("step", ["figure", "paragraph", "added", "removed", "renamed", "new group", "emptied group"])
def test_each_kind_of_change_is_rebuilt_by_difference_as_a_whole_build_writes_it(work: Path, tmp_path: Path, step: str) -> None:
    build([work], tmp_path / "out", CAPPED)
    docs = documents(work)
    if step == "figure":
        append(docs[3], SENTENCES[2])
    elif step == "paragraph":
        drop_paragraph(docs[40], 1)
    elif step == "added":
        shutil.copy(docs[5], docs[5].with_name("doc-copy.md"))
    elif step == "removed":
        docs[9].unlink()
    elif step == "renamed":
        docs[11].rename(docs[11].with_name("doc-renamed.md"))
    elif step == "new group":
        append(docs[20], SENTENCES[4])
    else:  # a document holding the only claim of its group goes
        built = build([work], tmp_path / "probe", dataclasses.replace(CAPPED, cache=False))
        sizes = Counter((c.measure, c.population, c.country, c.region) for c in built.claims)
        alone = next(c for c in built.claims if sizes[(c.measure, c.population, c.country, c.region)] == 1 and c.country and c.measure != "other")
        (work / alone.source_file).unlink()
    same_as_whole(work, tmp_path, CAPPED)


def test_a_run_of_random_changes_stays_what_a_whole_build_writes(work: Path, tmp_path: Path) -> None:
    chance = random.Random(5)
    build([work], tmp_path / "out", CAPPED)
    for step in range(6):
        docs = documents(work)
        for _ in range(chance.randint(1, 3)):
            target = chance.choice(docs)
            if not target.exists():
                continue
            match chance.randrange(4):
                case 0:
                    append(target, chance.choice(SENTENCES))
                case 1:
                    drop_paragraph(target, chance.randrange(3))
                case 2:
                    shutil.copy(target, target.with_name(f"doc-new-{step}-{chance.randrange(1000)}.md"))
                case _:
                    target.unlink()
        same_as_whole(work, tmp_path, CAPPED)


def test_verdicts_recorded_or_reattached_are_rebuilt_by_difference(work: Path, tmp_path: Path) -> None:
    built = build([work], tmp_path / "out", CAPPED)
    reviews = work / "reviews.tsv"
    conflicts = built.reconciliation.conflicts
    claims = {c.iri: c for c in built.claims}

    def review(index: int, verdict: str, prefer: str = "") -> Review:
        c = conflicts[index]
        a, b = claims[c.claim_a], claims[c.claim_b]
        return Review(conflict_id(c.iri), verdict, "Ana María", f"2026-11-22T05:1{index % 10}:00Z", "checked", prefer,
                      f"{a.source_file}@{a.start}={format_number(a.value)};{b.source_file}@{b.start}={format_number(b.value)}")  # fmt: skip

    append_review(reviews, review(0, "confirmed", prefer="a"))  # a reviewer's choice: a group's consensus and a rank change
    same_as_whole(work, tmp_path, CAPPED)
    append_review(reviews, review(3, "dismissed"))  # no longer counts against its claims
    append_review(reviews, review(40, "explained", prefer="b"))  # a conflict left out of audit.html
    same_as_whole(work, tmp_path, CAPPED)
    target = work / claims[conflicts[3].claim_a].source_file  # its conflict's id changes: the verdict must be re-attached
    target.write_text(target.read_text(encoding="utf-8").replace("\n\n", "\n\nA sentence without a figure.\n\n", 1), encoding="utf-8")
    assert any("re-attached" in warning for warning in same_as_whole(work, tmp_path, CAPPED).warnings)
    append(documents(work)[60], SENTENCES[5])  # and its verdict, re-attached, stays so
    same_as_whole(work, tmp_path, CAPPED)


def test_many_changes_or_a_state_that_cannot_be_trusted_make_a_whole_build(work: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([work], out, CAPPED)
    for doc in documents(work)[:40]:  # more than a tenth of the corpus
        append(doc, SENTENCES[1])
    same_as_whole(work, tmp_path, CAPPED, by_difference=False)
    append(documents(work)[0], SENTENCES[3])
    (out / CACHE_DIR / STATE_FILE).write_bytes(b"not a state")
    same_as_whole(work, tmp_path, CAPPED, by_difference=False)
    store = DeltaStore(out)
    store.update([], [], [], [], "another token")  # the store changed after the state was written (a build that failed)
    store.close()
    append(documents(work)[1], SENTENCES[3])
    same_as_whole(work, tmp_path, CAPPED, by_difference=False)
    (out / CACHE_DIR / STORE_FILE).write_bytes(b"not a database" * 100)
    append(documents(work)[2], SENTENCES[3])
    same_as_whole(work, tmp_path, CAPPED, by_difference=False)
    append(documents(work)[3], SENTENCES[3])
    same_as_whole(work, tmp_path, CAPPED)  # and the next is by difference again


def test_a_rebuild_by_difference_compares_only_the_groups_it_touches(work: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built = build([work], tmp_path / "out", CAPPED)
    groups = {(c.measure, c.population, c.country, c.region) for c in built.claims}
    compared: list[tuple] = []
    real = delta_module.group_conflicts
    monkeypatch.setattr(delta_module, "group_conflicts", lambda key, members: compared.append(key) or real(key, members))
    append(documents(work)[17], SENTENCES[0])
    rebuilt = build([work], tmp_path / "out", CAPPED)
    assert rebuilt.by_difference and rebuilt.read == 1
    assert compared == [("returned", "fighters", "BE", "")] and len(groups) > 20


def test_the_claims_of_a_build_by_difference_cannot_be_read_after_a_later_build(work: Path, tmp_path: Path) -> None:
    build([work], tmp_path / "out", CAPPED)
    append(documents(work)[17], SENTENCES[0])
    rebuilt = build([work], tmp_path / "out", CAPPED)
    documents(work)[17].write_text("---\ntitle: gone\n---\n\nNothing here.\n", encoding="utf-8")
    build([work], tmp_path / "out", CAPPED)
    with pytest.raises(RuntimeError, match="a later build replaced them"):
        rebuilt.reconciliation  # noqa: B018
