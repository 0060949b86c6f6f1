"""Corpus totals (the summaries and the shared chunk's names) kept between builds and updated by difference."""

from __future__ import annotations

import pickle
import random
from collections import defaultdict
from pathlib import Path

import pytest

from claimgraph import totals as totals_module
from claimgraph.build import OUTPUTS, build
from claimgraph.config import BuildConfig
from claimgraph.model import Claim
from claimgraph.outputs import shared_chunk, summary_chunk
from claimgraph.synthetic import synthetic_claims, write_corpus
from claimgraph.totals import CorpusTotals, count_totals, read_totals, totals_path, update_totals, write_totals

QUIET = BuildConfig(progress=False, jobs=2)


@pytest.fixture(scope="module")
def claims_by_file() -> dict[str, list[Claim]]:
    _, claims = synthetic_claims(400, seed=3)  # about 80 documents
    found: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        found[claim.source_file].append(claim)
    return dict(found)


def same(a: CorpusTotals, b: CorpusTotals) -> bool:
    return (summary_chunk(a) == summary_chunk(b) and shared_chunk([], a) == shared_chunk([], b)
            and a.counted == b.counted and a.organisations == b.organisations and a.places == b.places)  # fmt: skip


@pytest.mark.parametrize("seed", range(6))
def test_totals_updated_by_difference_are_the_totals_counted_afresh(claims_by_file: dict[str, list[Claim]], seed: int) -> None:
    rng = random.Random(seed)
    files = sorted(claims_by_file)
    before = {f"{file}@1": claims_by_file[file] for file in files[:60]}
    after = dict(before)
    for file in rng.sample(files[:60], 1):  # gone
        del after[f"{file}@1"]
    for file in rng.sample(files[:60], 2):  # changed: other claims (one fewer) under another key
        after.pop(f"{file}@1", None)
        after[f"{file}@2"] = claims_by_file[file][:-1]
    for file in files[60:62]:  # new (7 changes: at most an eighth of the corpus)
        after[f"{file}@1"] = claims_by_file[file]
    keys = list(after)
    rng.shuffle(keys)
    kept = count_totals(list(before), list(before.values()))
    old = dict(before)
    assert update_totals(kept, keys, [after[k] for k in keys], lambda wanted: {k: old[k] for k in wanted if k in old})
    assert same(kept, count_totals(keys, [after[k] for k in keys]))
    assert summary_chunk(kept) != summary_chunk(count_totals(list(before), list(before.values())))  # the change shows


def test_totals_count_afresh_when_the_old_claims_are_gone_or_much_changed(claims_by_file: dict[str, list[Claim]]) -> None:
    files = sorted(claims_by_file)
    before = {file: claims_by_file[file] for file in files[:40]}
    kept = count_totals(list(before), list(before.values()))
    untouched = pickle.dumps(kept)
    keys = files[1:41]  # one gone, one new
    assert not update_totals(kept, keys, [claims_by_file[k] for k in keys], lambda wanted: {})  # the cache lost the old one
    keys = files[10:50]  # 10 gone and 10 new: a quarter of the corpus
    assert not update_totals(kept, keys, [claims_by_file[k] for k in keys], lambda wanted: {k: claims_by_file[k] for k in wanted})
    assert pickle.dumps(kept) == untouched


def test_totals_of_other_code_or_damaged_are_not_read(claims_by_file: dict[str, list[Claim]], tmp_path: Path) -> None:
    files = sorted(claims_by_file)[:5]
    kept = count_totals(files, [claims_by_file[f] for f in files])
    write_totals(tmp_path, kept)
    assert same(read_totals(tmp_path), kept)  # type: ignore[arg-type]
    saved = pickle.loads(totals_path(tmp_path).read_bytes())
    totals_path(tmp_path).write_bytes(pickle.dumps({**saved, "code": "other"}))
    assert read_totals(tmp_path) is None
    totals_path(tmp_path).write_bytes(b"not a pickle")
    assert read_totals(tmp_path) is None


def test_a_rebuild_takes_the_changed_document_out_of_the_totals_and_writes_what_a_fresh_build_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "corpus"
    write_corpus(work, 40, seed=8)
    build([work], tmp_path / "out", QUIET)
    changed = work / "000" / "doc-000005.md"
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text.replace("\n\n", "\n\nThe ministry said 4,321 Danes had travelled to Syria by 2015.\n\n", 1), encoding="utf-8")
    (work / "000" / "doc-000009.md").unlink()

    def no_recount(*_args: object) -> CorpusTotals:
        raise AssertionError("the totals were counted afresh")

    with monkeypatch.context() as patch:
        patch.setattr(totals_module, "count_totals", no_recount)
        rebuilt = build([work], tmp_path / "out", QUIET)
    assert rebuilt.read == 1
    build([work], tmp_path / "fresh", BuildConfig(progress=False, jobs=2, cache=False))
    for name in OUTPUTS:
        assert (tmp_path / "out" / name).read_bytes() == (tmp_path / "fresh" / name).read_bytes(), name
    kept = read_totals(tmp_path / "out")
    assert kept is not None and len(kept.counted) == 39 == len(rebuilt.documents)
    assert same(kept, count_totals(list(kept.counted), _claims_by_key(tmp_path / "out", list(kept.counted))))


def _claims_by_key(out: Path, keys: list[str]) -> list[list[Claim]]:
    from claimgraph.cache import ExtractionCache

    with ExtractionCache(out) as cache:
        found = cache.claims_of(keys)
    return [found[key] for key in keys]
