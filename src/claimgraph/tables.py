"""The claims and conflicts tables of the spec, read from the graph (the single source of truth)."""

from __future__ import annotations

import csv
import io

import pyoxigraph as ox

from claimgraph.namespaces import SPARQL_PREFIXES

CLAIM_COLUMNS = (
    "claim", "document", "source_file", "quote", "start", "end", "country", "place_role", "measure", "population",
    "value", "low", "high", "qualifier", "as_of", "attributed_to", "derived_from",
)  # fmt: skip
EXTRA_CLAIM_COLUMNS = ("unit", "mention", "rank", "region")
CONFLICT_COLUMNS = ("conflict", "kind", "severity", "claim_a", "claim_b", "reason")
EXTRA_CONFLICT_COLUMNS = ("verdict", "note", "reviewer", "reviewed_at", "preferred_claim")
CONSENSUS_COLUMNS = (
    "measure", "population", "country", "region", "value", "low", "high", "qualifier", "as_of", "claim", "source_file",
    "attributed_to", "claims", "reason",
)  # fmt: skip
DOCUMENT_COLUMNS = ("document", "source_file", "title", "publisher", "author", "date", "date_source", "url", "kind")

CLAIMS_QUERY = SPARQL_PREFIXES + """
SELECT ?claim ?document ?source_file ?quote ?start ?end ?country ?place_role ?measure ?population
       ?value ?low ?high ?qualifier ?as_of ?attributed_to ?derived_from ?unit ?mention ?rank ?region
WHERE {
  ?claim a cg:Claim ; cg:statedIn ?document ; cg:value ?value ; cg:quote ?quote ; cg:unit ?unit ;
         cg:measure/skos:notation ?measure ; cg:population/skos:notation ?population ;
         cg:qualifier/skos:notation ?qualifier ;
         cg:evidence ?ev .
  ?ev oa:hasSelector ?pos, ?qsel .
  ?pos a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
  ?qsel a oa:TextQuoteSelector ; oa:exact ?mention .
  ?document cg:sourceFile ?source_file .
  OPTIONAL { ?claim cg:placeCode ?country }
  OPTIONAL { ?claim cg:placeRole ?place_role }
  OPTIONAL { ?claim cg:lowerBound ?low }
  OPTIONAL { ?claim cg:upperBound ?high }
  OPTIONAL { ?claim cg:asOf ?as_of }
  OPTIONAL { ?claim cg:region ?region }
  OPTIONAL { ?claim prov:wasAttributedTo/schema:name ?attributed_to }
  OPTIONAL { ?claim cg:derivedFrom ?derived_from }
  OPTIONAL { ?claim wikibase:rank ?rank_iri . BIND(LCASE(REPLACE(STR(?rank_iri), "^.*#(.*)Rank$", "$1")) AS ?rank) }
}
ORDER BY ?source_file ?start ?end ?claim
"""

CONFLICTS_QUERY = SPARQL_PREFIXES + """
SELECT ?conflict ?kind ?severity ?claim_a ?claim_b ?reason ?verdict ?note ?reviewer ?reviewed_at ?preferred_claim
WHERE {
  ?conflict a cg:Conflict ; cg:kind/skos:notation ?kind ; cg:severity ?severity ;
            cg:claimA ?claim_a ; cg:claimB ?claim_b ; cg:reason ?reason .
  OPTIONAL { ?conflict cg:verdict ?verdict }
  OPTIONAL { ?conflict cg:reviewNote ?note }
  OPTIONAL { ?conflict cg:reviewedBy/schema:name ?reviewer }
  OPTIONAL { ?conflict cg:reviewedAt ?reviewed_at }
  OPTIONAL { ?conflict cg:preferredClaim ?preferred_claim }
}
ORDER BY DESC(?severity) ?conflict
"""

CONSENSUS_QUERY = SPARQL_PREFIXES + """
SELECT ?measure ?population ?country ?region ?value ?low ?high ?qualifier ?as_of ?claim ?source_file ?attributed_to
       ?claims ?reason
WHERE {
  ?claim cg:consensusReason ?reason ; cg:groupSize ?claims ; cg:value ?value ;
         cg:measure/skos:notation ?measure ; cg:population/skos:notation ?population ;
         cg:qualifier/skos:notation ?qualifier ; cg:statedIn/cg:sourceFile ?source_file .
  OPTIONAL { ?claim cg:placeCode ?country }
  OPTIONAL { ?claim cg:region ?region }
  OPTIONAL { ?claim cg:lowerBound ?low }
  OPTIONAL { ?claim cg:upperBound ?high }
  OPTIONAL { ?claim cg:asOf ?as_of }
  OPTIONAL { ?claim prov:wasAttributedTo/schema:name ?attributed_to }
}
ORDER BY ?country ?measure ?population ?region
"""

DOCUMENTS_QUERY = SPARQL_PREFIXES + """
SELECT ?document ?source_file ?title ?publisher ?author ?date ?date_source ?url ?kind
WHERE {
  ?document a cg:Document ; cg:sourceFile ?source_file .
  OPTIONAL { ?document schema:name ?title }
  OPTIONAL { ?document schema:publisher/schema:name ?publisher }
  OPTIONAL { ?document schema:author ?author }
  OPTIONAL { ?document schema:datePublished ?date }
  OPTIONAL { ?document cg:dateSource ?date_source }
  OPTIONAL { ?document schema:url ?url }
  OPTIONAL { ?document cg:documentKind ?kind }
}
ORDER BY ?source_file
"""


def _rows(store: ox.Store, query: str, columns: tuple[str, ...]) -> list[dict[str, str]]:
    rows = []
    for solution in store.query(query, use_default_graph_as_union=True):
        row = {}
        for name in columns:
            term = solution[name]
            row[name] = "" if term is None else term.value
        rows.append(row)
    return rows


def claims_table(store: ox.Store) -> list[dict[str, str]]:
    """One row per claim with the spec's columns, then unit, mention, rank and region."""
    return _rows(store, CLAIMS_QUERY, CLAIM_COLUMNS + EXTRA_CLAIM_COLUMNS)


def conflicts_table(store: ox.Store) -> list[dict[str, str]]:
    """One row per conflict with the spec's columns, then the reviewer's verdict, note, name, time and preferred claim."""
    return _rows(store, CONFLICTS_QUERY, CONFLICT_COLUMNS + EXTRA_CONFLICT_COLUMNS)


def consensus_table(store: ox.Store) -> list[dict[str, str]]:
    """One row per group of comparable claims: its best current value, the claim it comes from, and why."""
    return _rows(store, CONSENSUS_QUERY, CONSENSUS_COLUMNS)


def documents_table(store: ox.Store) -> list[dict[str, str]]:
    """One row per document with its metadata."""
    return _rows(store, DOCUMENTS_QUERY, DOCUMENT_COLUMNS)


def to_csv(rows: list[dict[str, str]], columns: tuple[str, ...]) -> str:
    """CSV text with a header row, columns in the given order (Unix line endings)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()
