"""The corpus summaries a build writes (``rdfgraph.ClaimSummaries``) and the claims' shortcuts agree with the claims.

The canned queries that read the summaries must answer what the same question asked of every claim answers: each
is compared here with a query that aggregates the claims themselves, on the example build, the seed corpus build
and a synthetic graph with many repeated figures.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest

from claimgraph.build import vocabulary_quads
from claimgraph.extract.attribution import organisations_for
from claimgraph.query import canned_queries, run_query
from claimgraph.rdfgraph import SOURCE_SEPARATOR, dataset_quads
from claimgraph.synthetic import synthetic_claims

# The same questions asked of every claim (what the canned queries computed before the summaries)
FROM_CLAIMS = {
    "claims-per-source": """
        SELECT ?source (COUNT(DISTINCT ?claim) AS ?claims) (COUNT(DISTINCT ?doc) AS ?documents)
        WHERE { ?claim a cg:Claim ; prov:wasAttributedTo/schema:name ?source ; cg:statedIn ?doc }
        GROUP BY ?source""",
    "figures-over-time": """
        SELECT ?country ?measure ?population ?region ?year (COUNT(?claim) AS ?claims) (COUNT(DISTINCT ?doc) AS ?documents)
               (MIN(?value) AS ?min_value) (MAX(?value) AS ?max_value) (GROUP_CONCAT(DISTINCT COALESCE(?source, ""); separator="|") AS ?sources)
        WHERE {
          ?claim a cg:Claim ; cg:unit "persons" ; cg:placeCode ?country ; cg:measure/skos:notation ?measure ;
                 cg:population/skos:notation ?population ; cg:value ?value ; cg:statedIn ?doc .
          OPTIONAL { ?claim cg:region ?region }
          OPTIONAL { ?claim cg:asOf ?as_of }
          BIND(SUBSTR(STR(?as_of), 1, 4) AS ?year)
          OPTIONAL { ?claim prov:wasAttributedTo/schema:name ?source }
        }
        GROUP BY ?country ?measure ?population ?region ?year""",
    "repeated-figures": """
        SELECT ?country ?measure ?value (COUNT(DISTINCT ?doc) AS ?documents) (GROUP_CONCAT(DISTINCT COALESCE(?source, ""); separator="|") AS ?sources)
        WHERE {
          ?claim a cg:Claim ; cg:placeCode ?country ; cg:measure/skos:notation ?measure ; cg:value ?value ; cg:statedIn ?doc .
          OPTIONAL { ?claim prov:wasAttributedTo/schema:name ?source }
        }
        GROUP BY ?country ?measure ?value
        HAVING (COUNT(DISTINCT ?doc) > 1)""",
    "unattributed-claims": """
        SELECT ?country ?measure (SUM(IF(BOUND(?org), 0, 1)) AS ?unattributed) (COUNT(?claim) AS ?claims)
        WHERE {
          ?claim a cg:Claim ; cg:measure/skos:notation ?measure .
          OPTIONAL { ?claim cg:placeCode ?country }
          OPTIONAL { ?claim prov:wasAttributedTo ?org }
        }
        GROUP BY ?country ?measure
        HAVING (SUM(IF(BOUND(?org), 0, 1)) > 0)""",
    "claims-for-country": """
        SELECT ?measure ?population ?value ?low ?high ?qualifier ?as_of ?source ?document
        WHERE {
          ?claim a cg:Claim ; cg:placeCode "US" ; cg:measure/skos:notation ?measure ; cg:population/skos:notation ?population ;
                 cg:value ?value ; cg:qualifier/skos:notation ?qualifier ; cg:statedIn/cg:sourceFile ?document .
          OPTIONAL { ?claim prov:wasAttributedTo/schema:name ?source }
          OPTIONAL { ?claim cg:lowerBound ?low }
          OPTIONAL { ?claim cg:upperBound ?high }
          OPTIONAL { ?claim cg:asOf ?as_of }
        }""",
}
NUMBERS = {"n", "claims", "documents", "unattributed", "value", "low", "high", "min_value", "max_value"}


def _rows(store: ox.Store, text: str) -> list[tuple]:
    """The rows of a query, order-free: numbers as Decimals, source lists as sorted tuples."""
    result = run_query(store, text)
    names = [v.value for v in result.variables]  # type: ignore[union-attr]
    rows = []
    for solution in result:  # type: ignore[union-attr]
        row = []
        for name in names:
            term = solution[name]
            value = "" if term is None else term.value
            if name in NUMBERS and value:
                row.append(Decimal(value))
            elif name == "sources":
                row.append(tuple(sorted(s for s in value.replace(SOURCE_SEPARATOR, "|").split("|") if s)))
            else:
                row.append(value)
        rows.append(tuple(row))
    return sorted(rows, key=repr)


def _check(store: ox.Store) -> None:
    canned = canned_queries()
    for name, text in FROM_CLAIMS.items():
        expected = _rows(store, text)
        assert _rows(store, canned[name]) == expected, name
    assert _rows(store, canned["claims-per-source"]) and _rows(store, canned["figures-over-time"])


def _shortcuts_agree(store: ox.Store) -> None:
    wrong = """
        SELECT (COUNT(*) AS ?n) WHERE {
          ?claim a cg:Claim .
          OPTIONAL { ?claim cg:documentFile ?file }  OPTIONAL { ?claim cg:statedIn/cg:sourceFile ?real_file }
          OPTIONAL { ?claim cg:sourceName ?name }    OPTIONAL { ?claim prov:wasAttributedTo/schema:name ?real_name }
          FILTER(!BOUND(?file) || ?file != ?real_file || BOUND(?name) != BOUND(?real_name) || (BOUND(?name) && ?name != ?real_name))
        }"""
    assert _rows(store, wrong) == [(Decimal(0),)]


def _store_of(path: Path) -> ox.Store:
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.TRIG)
    return store


def test_summaries_of_the_example_build_agree_with_its_claims(example_build) -> None:
    store = _store_of(example_build.out / "claims.trig")
    _check(store)
    _shortcuts_agree(store)


def test_summaries_of_the_seed_build_agree_with_its_claims(seeds_build) -> None:
    store = _store_of(seeds_build.out / "claims.trig")
    _check(store)
    _shortcuts_agree(store)


@pytest.fixture(scope="module")
def synthetic_store() -> ox.Store:
    documents, claims = synthetic_claims(3000, seed=5)
    organisations = organisations_for({c.attributed_to for c in claims})
    store = ox.Store()
    store.extend(dataset_quads(documents, claims, [], organisations, vocabulary=vocabulary_quads()))
    return store


def test_summaries_of_a_synthetic_graph_agree_with_its_claims(synthetic_store: ox.Store) -> None:
    _check(synthetic_store)
    _shortcuts_agree(synthetic_store)
    repeated = _rows(synthetic_store, canned_queries()["repeated-figures"])
    assert len(repeated) > 20 and max(row[3] for row in repeated) > 5  # popular figures repeated by many documents


def test_unattributed_counts_add_up(synthetic_store: ox.Store) -> None:
    total = "SELECT (COUNT(*) AS ?n) WHERE { ?c a cg:Claim MINUS { ?c prov:wasAttributedTo ?org } }"
    [(unattributed,)] = _rows(synthetic_store, total)
    assert unattributed > 0
    assert sum(row[2] for row in _rows(synthetic_store, canned_queries()["unattributed-claims"])) == unattributed


def test_conflicts_with_sources_lists_every_conflict_of_a_small_graph(example_build) -> None:
    store = _store_of(example_build.out / "claims.trig")
    rows = _rows(store, canned_queries()["conflicts-with-sources"])
    assert len(rows) == len(example_build.reconciliation.conflicts) < 1000
    assert all(row[4] and row[8] for row in rows)  # both documents


def test_conflicts_with_sources_come_in_the_conflicts_table_order(tmp_path: Path) -> None:
    """cg:severityKey sorts as the table does (most severe first, then by IRI), ties included, and the LIMIT keeps the first."""
    from claimgraph.build import build
    from claimgraph.config import BuildConfig
    from claimgraph.synthetic import write_corpus

    write_corpus(tmp_path / "corpus", 1000, seed=3)
    built = build([tmp_path / "corpus"], tmp_path / "out", BuildConfig(progress=False))
    conflicts = built.reconciliation.conflicts
    assert len(conflicts) > 1000 and len({c.severity for c in conflicts[:1000]}) < 1000  # ties at the top
    result = run_query(_store_of(tmp_path / "out" / "claims.trig"), canned_queries()["conflicts-with-sources"])
    reasons = [solution["reason"].value for solution in result]  # type: ignore[union-attr, index]
    assert reasons == [c.reason for c in conflicts[:1000]]


def test_the_summaries_written_as_text_are_the_quads_of_rdfgraph() -> None:
    """claims.trig writes the summaries as text; they must parse to exactly ClaimSummaries.quads(), odd names included."""
    import dataclasses

    import pyoxigraph as ox

    from claimgraph.rdfgraph import ClaimSummaries, summary_quads
    from claimgraph.synthetic import synthetic_claims
    from claimgraph.trig import summary_text, trig_header

    _, claims = synthetic_claims(3000, 1)
    odd = ['Centre "Quoted" \\ Backslash', "Line\nbreak\tand tab", "Ünïcödé — 研究所", ""]
    claims += [dataclasses.replace(c, attributed_to=name, region=name, as_of=c.as_of or "2016")
               for c, name in zip(claims[:40], odd * 10, strict=True)]  # fmt: skip
    summaries = ClaimSummaries()
    for claim in claims:
        summaries.add(claim)
    text = trig_header() + b"".join(summary_text(summaries))
    expected = set(summary_quads(claims))
    assert {q.predicate.value.rsplit("#", 1)[-1].rsplit("/", 1)[-1] for q in expected} >= {
        "summaryRegion", "sourceNames", "repeatedValue", "unattributedCount", "summaryYear"}  # every kind of statement
    assert set(ox.parse(text, format=ox.RdfFormat.TRIG)) == expected
