"""The seed corpus from ../shared: the four outputs with the spec's columns, SHACL-valid, extraction bar."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from claimgraph.tables import CLAIM_COLUMNS, CONFLICT_COLUMNS
from claimgraph.validate import validate_graph


def test_seeds_build_outputs_and_columns(seeds_build) -> None:
    out: Path = seeds_build.out
    with (out / "claims.csv").open(encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert tuple(header[: len(CLAIM_COLUMNS)]) == CLAIM_COLUMNS
    with (out / "conflicts.csv").open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0][: len(CONFLICT_COLUMNS)]) == CONFLICT_COLUMNS and len(rows) > 1
    assert all(0 <= float(r[2]) <= 1 for r in rows[1:])
    assert (out / "graph.html").stat().st_size > 1000


def test_seeds_build_is_shacl_valid(seeds_build) -> None:
    result = validate_graph(seeds_build.out)
    assert result.conforms, result.report


def test_seed_offsets_point_at_the_numbers(seeds_build) -> None:
    texts = {d.source_file: d.text for d in seeds_build.documents}
    for claim in seeds_build.claims:
        assert texts[claim.source_file][claim.start : claim.end] == claim.mention


def test_extraction_bar_on_gold(seeds) -> None:
    sys.path.insert(0, str(Path(__file__).parent / "benchmarks"))
    from extraction import score

    result = score(seeds)
    assert result["core_recall"] >= 0.95, result["missed"]
    assert result["hard_recall"] >= 0.85, result["missed"]
    assert result["precision"] >= 0.90, result["unmatched"]
    assert result["neg_extracted"] == 0
