"""Extraction in worker processes gives exactly the claims of a serial run, in the same order."""

from __future__ import annotations

from pathlib import Path

from claimgraph.build import PARALLEL_FROM, build, extract_all
from claimgraph.config import BuildConfig
from claimgraph.load import load_corpus
from claimgraph.synthetic import write_corpus


def test_parallel_extraction_equals_serial(tmp_path: Path) -> None:
    write_corpus(tmp_path / "corpus", PARALLEL_FROM + 40, seed=11)
    documents = load_corpus([tmp_path / "corpus"]).documents
    serial = extract_all(documents, jobs=1)
    assert len(serial) > PARALLEL_FROM
    seen: list[int] = []
    assert extract_all(documents, lambda done, total: seen.append(done), jobs=2) == serial
    assert seen == list(range(1, len(documents) + 1))


def test_build_with_jobs_writes_the_same_graph(tmp_path: Path) -> None:
    write_corpus(tmp_path / "corpus", PARALLEL_FROM + 10, seed=12)
    one = build([tmp_path / "corpus"], tmp_path / "one", BuildConfig(progress=False, jobs=1))
    two = build([tmp_path / "corpus"], tmp_path / "two", BuildConfig(progress=False, jobs=2))
    assert len(one.claims) == len(two.claims)
    for name in ("claims.trig", "claims.csv", "conflicts.csv"):
        assert (one.out / name).read_bytes() == (two.out / name).read_bytes()
