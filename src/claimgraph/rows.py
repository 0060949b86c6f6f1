"""The four tables (claims, conflicts, consensus, documents) built straight from the pipeline's objects.

:mod:`claimgraph.tables` reads the same tables from a built graph with SPARQL;
a build uses these functions instead, so it never has to load its own output
into a store to write ``claims.csv``, ``conflicts.csv``, ``graph.html`` and
``audit.html``. Both give the same rows in the same order, as strings, exactly
as the graph's literals are written (``tests/test_rows.py`` checks it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from operator import attrgetter

from claimgraph.consensus import Consensus
from claimgraph.extract.attribution import canonical_organisation
from claimgraph.model import Claim, Conflict, Document, format_number
from claimgraph.reviews import Review


def _number(value: object) -> str:
    return format_number(value) if value is not None else ""  # type: ignore[arg-type]


def claim_row(c: Claim, ranks: Mapping[str, str]) -> dict[str, str]:
    """One claim's row (the columns of :data:`claimgraph.tables.CLAIM_COLUMNS`, then the extra ones)."""
    return {
        "claim": c.iri, "document": c.document, "source_file": c.source_file, "quote": c.quote,
        "start": str(c.start), "end": str(c.end), "country": c.country, "place_role": c.place_role,
        "measure": c.measure, "population": c.population, "value": _number(c.value), "low": _number(c.low),
        "high": _number(c.high), "qualifier": c.qualifier, "as_of": c.as_of, "attributed_to": c.attributed_to,
        "derived_from": c.derived_from, "unit": c.unit, "mention": c.mention, "rank": ranks.get(c.iri, ""),
        "region": c.region,
    }  # fmt: skip


TABLE_ORDER = attrgetter("source_file", "start", "end", "iri")  # the claims table's sort key (made in C)


def claims_in_order(claims: Iterable[Claim]) -> list[Claim]:
    """Claims in the claims table's order: by file, then offsets."""
    return sorted(claims, key=TABLE_ORDER)


def claim_rows(claims: Iterable[Claim], ranks: Mapping[str, str] | None = None) -> list[dict[str, str]]:
    """One row per claim, as :func:`claimgraph.tables.claims_table` reads it from the graph."""
    return [claim_row(c, ranks or {}) for c in claims_in_order(claims)]


def conflict_row(c: Conflict, verdicts: Mapping[str, Review]) -> dict[str, str]:
    """One conflict's row with its reviewer's verdict (the conflicts table's columns, then the extra ones)."""
    review = verdicts.get(c.iri)
    preferred = "" if not review or not review.prefer else c.claim_a if review.prefer == "a" else c.claim_b
    return {
        "conflict": c.iri, "kind": c.kind, "severity": format_number(Decimal(f"{c.severity:.3f}")), "claim_a": c.claim_a,
        "claim_b": c.claim_b, "reason": c.reason, "verdict": review.verdict if review else "",
        "note": review.note if review else "", "reviewer": review.reviewer if review else "",
        "reviewed_at": review.reviewed_at if review else "", "preferred_claim": preferred,
    }  # fmt: skip


def conflicts_in_order(conflicts: Iterable[Conflict]) -> list[Conflict]:
    """Conflicts in the conflicts table's order: most severe first, then by IRI."""
    return sorted(conflicts, key=lambda c: (-round(c.severity, 3), c.iri))


def conflict_rows(conflicts: Iterable[Conflict], verdicts: Mapping[str, Review] | None = None) -> list[dict[str, str]]:
    """One row per conflict with its reviewer's verdict, most severe first, as :func:`claimgraph.tables.conflicts_table`."""
    return [conflict_row(c, verdicts or {}) for c in conflicts_in_order(conflicts)]


def consensus_rows(consensus: Iterable[Consensus]) -> list[dict[str, str]]:
    """One row per group of comparable claims, as :func:`claimgraph.tables.consensus_table`."""
    rows = [
        {
            "measure": g.claim.measure, "population": g.claim.population, "country": g.claim.country,
            "region": g.claim.region, "value": _number(g.claim.value), "low": _number(g.claim.low),
            "high": _number(g.claim.high), "qualifier": g.claim.qualifier, "as_of": g.claim.as_of, "claim": g.claim.iri,
            "source_file": g.claim.source_file, "attributed_to": g.claim.attributed_to, "claims": str(g.claims),
            "reason": g.reason,
        }  # fmt: skip
        for g in consensus
    ]
    rows.sort(key=lambda r: (r["country"], r["measure"], r["population"], r["region"]))
    return rows


def canonical_publishers(documents: Iterable[Document]) -> dict[str, str]:
    """The canonical name of each publisher DOCUMENTS name, worked out once per name (10^5 documents name a few hundred)."""
    return {name: canonical_organisation(name) for name in {d.publisher for d in documents if d.publisher}}


def document_rows(documents: Iterable[Document]) -> list[dict[str, str]]:
    """One row per document with its metadata, as :func:`claimgraph.tables.documents_table`."""
    documents = list(documents)
    publishers = canonical_publishers(documents)
    rows = [
        {
            "document": d.iri, "source_file": d.source_file, "title": d.title,
            "publisher": publishers.get(d.publisher, ""), "author": d.author, "date": d.date,
            "date_source": d.date_source, "url": d.url, "kind": d.kind,
        }  # fmt: skip
        for d in documents
    ]
    rows.sort(key=lambda r: r["source_file"])
    return rows
