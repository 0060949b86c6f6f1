"""claims.trig written in chunks: one header of prefixes, then self-contained blocks.

A TriG file may state triples of one graph in several blocks, so the build
writes (and caches) one chunk per document, made where the document is read
(in a worker process), and never holds the whole graph in memory:

1. the header: every ``@prefix`` of the project;
2. the shared chunk: vocabularies, organisations and places (default graph);
3. one chunk per document, in corpus order: the document's description in the
   default graph and its claims in its own named graph;
4. the reconciliation chunk: conflicts, verdicts, ranks and consensus;
5. the summaries chunk: the corpus summaries the canned queries read
   (``rdfgraph.ClaimSummaries``, also in the reconciliation graph).

Quads inside a chunk are sorted, so the file is byte-stable for a corpus.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from functools import lru_cache
from itertools import groupby
from typing import Any

import pyoxigraph as ox

from claimgraph.consensus import Consensus
from claimgraph.model import RECONCILIATION_GRAPH, Claim, Conflict, Document, format_number, organisation_iri, reviewer_iri
from claimgraph.namespaces import MEASURE, POPULATION, PREFIXES
from claimgraph.rdfgraph import (
    RANK_IRIS,
    SOURCE_SEPARATOR,
    ClaimSummaries,
    claim_quads,
    document_quads,
    figure_summary_iri,
    mention_context,
    quad_sort_key,
    repeated_summary_iri,
)
from claimgraph.reviews import Review

_PROBE = ox.Quad(ox.NamedNode("urn:claimgraph:probe"), ox.NamedNode("urn:claimgraph:probe"), ox.Literal("x"), ox.DefaultGraph())


@lru_cache(maxsize=1)
def trig_header() -> bytes:
    """The ``@prefix`` lines every chunk shares (written once, at the top of the file)."""
    text = ox.serialize([_PROBE], format=ox.RdfFormat.TRIG, prefixes=PREFIXES)
    return b"".join(line for line in text.splitlines(keepends=True) if line.startswith(b"@prefix "))


def trig_chunk(quads: Iterable[ox.Quad], ordered: bool = False) -> bytes:
    """Quads as TriG statements using the header's prefixes, de-duplicated, without prefix lines.

    Quads are sorted unless ORDERED says they already come in a stable order
    (sorting a million quads by their text costs seconds).
    """
    unique = list(dict.fromkeys(quads)) if ordered else sorted(set(quads), key=quad_sort_key)
    if not unique:
        return b""
    text = ox.serialize(unique, format=ox.RdfFormat.TRIG, prefixes=PREFIXES)
    header = trig_header()
    if not text.startswith(header):
        raise RuntimeError("pyoxigraph wrote the prefixes in an unexpected form")
    return text[len(header) :]


def document_chunk(document: Document, claims: Iterable[Claim]) -> bytes:
    """One document's chunk: its description (default graph) and its claims with their evidence (its named graph)."""
    quads = list(document_quads(document))
    for claim in claims:
        quads.extend(claim_quads(claim, mention_context(document.text, claim.start, claim.end)))
    return trig_chunk(quads, ordered=True)  # made in a stable order: subject by subject


def _iri(iri: object) -> str:
    return f"<{iri}>"


def _string(text: str) -> str:
    """A TriG string literal: JSON's escapes (quotes, backslash, control characters) are TriG's too."""
    return json.dumps(text, ensure_ascii=False)


_P = {name: f"cg:{name}" for name in (
    "kind", "severity", "severityKey", "claimA", "claimB", "reason", "verdict", "reviewedBy", "reviewedAt", "reviewNote",
    "preferredClaim", "consensusValue", "consensusReason", "groupSize",
)}  # fmt: skip
# vocabulary terms by prefixed name (the header declares the prefixes); instance IRIs in full
_A, _CONFLICT, _RANK, _PERSON, _NAME = "a", "cg:Conflict", "wikibase:rank", "prov:Person", "schema:name"
_DECIMAL, _INTEGER, _DATETIME = "xsd:decimal", "xsd:integer", "xsd:dateTime"
_RANKS = {rank: "wikibase:" + str(iri).rsplit("#", 1)[1] for rank, iri in RANK_IRIS.items()}


def reconciliation_open() -> bytes:
    """The line that opens the reconciliation graph's block."""
    return f"{_iri(RECONCILIATION_GRAPH)} {{\n".encode()


def conflict_text(c: Conflict, review: Review | None, introduces_reviewer: bool) -> str:
    """The lines of one conflict and its verdict (with the reviewer's description when INTRODUCES_REVIEWER: the
    first conflict in the file with that reviewer), each ending in a newline."""
    p = _P
    s = _iri(c.iri)
    text = (f"{s} {_A} {_CONFLICT} ; {p['kind']} conflictkind:{c.kind} ; "
            f"{p['severity']} \"{c.severity:.3f}\"^^{_DECIMAL} ; {p['severityKey']} \"{c.severity_key}\"^^{_INTEGER} ; "
            f"{p['claimA']} {_iri(c.claim_a)} ; "
            f"{p['claimB']} {_iri(c.claim_b)} ; {p['reason']} {_string(c.reason)} .\n")  # fmt: skip
    if review:
        who = _iri(reviewer_iri(review.reviewer))
        text += (f"{s} {p['verdict']} {_string(review.verdict)} ; {p['reviewedBy']} {who} ; "
                 f"{p['reviewedAt']} {_string(review.reviewed_at)}^^{_DATETIME} .\n")  # fmt: skip
        if review.note:
            text += f"{s} {p['reviewNote']} {_string(review.note)} .\n"
        if review.prefer:
            text += f"{s} {p['preferredClaim']} {_iri(c.claim_a if review.prefer == 'a' else c.claim_b)} .\n"
        if introduces_reviewer:
            text += f"{who} {_A} {_PERSON} ; {_NAME} {_string(review.reviewer)} .\n"
    return text


def reviewer_key(review: Review) -> str:
    """What says two verdicts have the same reviewer in the graph (one description per reviewer IRI)."""
    return reviewer_iri(review.reviewer)


def reconciliation_close(ranks: Mapping[str, str], consensus: Iterable[Consensus], batch: int = 20_000) -> Iterator[bytes]:
    """The rest of the reconciliation graph after the conflicts: every claim's rank, each group's consensus, and the
    line that closes the block."""
    items = list(ranks.items())
    for start in range(0, len(items), batch):
        yield rank_text(items[start : start + batch])
    yield consensus_close(consensus)


def rank_text(ranked: Iterable[tuple[str, str]]) -> bytes:
    """The rank lines of claims (IRI, rank), in their order."""
    return "".join([f"{_iri(claim_iri)} {_RANK} {_RANKS[rank]} .\n" for claim_iri, rank in ranked]).encode("utf-8")


def consensus_close(consensus: Iterable[Consensus]) -> bytes:
    """Each group's consensus, then the line that closes the reconciliation graph's block."""
    p = _P
    lines = [f"{_iri(group.claim.iri)} {p['consensusValue']} \"{format_number(group.claim.value)}\"^^{_DECIMAL} ; "
             f"{p['consensusReason']} {_string(group.reason)} ; {p['groupSize']} \"{group.claims}\"^^{_INTEGER} .\n"
             for group in consensus]  # fmt: skip
    lines.append("}\n")
    return "".join(lines).encode("utf-8")


def summary_text(summaries: ClaimSummaries) -> Iterator[bytes]:
    """The corpus summaries as TriG text in a block of the reconciliation graph, written directly (the same triples
    as :meth:`claimgraph.rdfgraph.ClaimSummaries.quads`): at 10^5 documents, tens of thousands of summaries made as
    quad objects and serialised took a second of every build."""
    yield reconciliation_open()
    for _key, render in summary_parts(summaries):
        yield render()
    yield b"}\n"


def summary_parts(summaries: ClaimSummaries) -> Iterator[tuple[bytes, Callable[[], bytes]]]:
    """The lines of the corpus summaries in parts (the sources; then each place's figures; then each place's repeated
    figures), each with a digest of everything its text says, so a rebuild renders only the parts whose counts changed."""
    sources = list(summaries.by_source())
    yield _digest_of(("sources", sources)), lambda: "".join(_source_text(*entry) for entry in sources).encode("utf-8")
    for _place, run in groupby(summaries.by_figure(), key=lambda entry: entry[0][0]):
        figures = list(run)
        said = [(key, t.claims, len(t.documents), t.unattributed, t.low, t.high, sorted(t.sources)) for key, t in figures]
        yield _digest_of(("figures", said)), lambda figures=figures: "".join(_figure_text(*entry) for entry in figures).encode("utf-8")
    for _place, run in groupby(summaries.repeated(), key=lambda entry: entry[0][0]):
        repeated = list(run)
        yield _digest_of(("repeated", repeated)), lambda repeated=repeated: "".join(_repeated_text(*entry) for entry in repeated).encode("utf-8")


def _digest_of(value: object) -> bytes:
    return hashlib.blake2b(repr(value).encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _source_text(source: str, claims: int, documents: int) -> str:
    return f"{_iri(organisation_iri(source))} cg:claimCount \"{claims}\"^^{_INTEGER} ; cg:documentCount \"{documents}\"^^{_INTEGER} .\n"


def _figure_text(key: tuple[str, str, str, str, str, str], totals: Any) -> str:  # (rdfgraph's _FigureTotals)
    country, region, measure, population, unit, year = key
    text = f"{_iri(figure_summary_iri(key))} {_A} cg:FigureSummary ; "
    if country:
        text += f"cg:summaryPlaceCode {_string(country)} ; "
    if region:
        text += f"cg:summaryRegion {_string(region)} ; "
    text += f"cg:summaryMeasure {_iri(MEASURE + measure)} ; cg:summaryPopulation {_iri(POPULATION + population)} ; "
    text += f"cg:summaryUnit {_string(unit)} ; "
    if year:
        text += f"cg:summaryYear {_string(year)}^^xsd:gYear ; "
    text += (f"cg:claimCount \"{totals.claims}\"^^{_INTEGER} ; cg:documentCount \"{len(totals.documents)}\"^^{_INTEGER} ; "
             f"cg:unattributedCount \"{totals.unattributed}\"^^{_INTEGER} ; "
             f"cg:minValue \"{format_number(totals.low)}\"^^{_DECIMAL} ; cg:maxValue \"{format_number(totals.high)}\"^^{_DECIMAL}")  # fmt: skip
    if totals.sources:
        text += f" ; cg:sourceNames {_string(SOURCE_SEPARATOR.join(sorted(totals.sources)))}"
    return text + " .\n"


def _repeated_text(key: tuple[str, str, Decimal], documents: int, sources: list[str]) -> str:
    country, measure, value = key
    text = (f"{_iri(repeated_summary_iri(country, measure, value))} {_A} cg:RepeatedFigure ; "
            f"cg:summaryPlaceCode {_string(country)} ; cg:summaryMeasure {_iri(MEASURE + measure)} ; "
            f"cg:repeatedValue \"{format_number(value)}\"^^{_DECIMAL} ; cg:documentCount \"{documents}\"^^{_INTEGER}")  # fmt: skip
    if sources:
        text += f" ; cg:sourceNames {_string(SOURCE_SEPARATOR.join(sources))}"
    return text + " .\n"


def reconciliation_chunk(
    conflicts: Iterable[Conflict],
    ranks: Mapping[str, str],
    verdicts: Mapping[str, Review],
    consensus: Iterable[Consensus],
    batch: int = 20_000,
) -> Iterator[bytes]:
    """The reconciliation graph as TriG text, written directly (the same triples as :func:`claimgraph.rdfgraph.reconciliation_quads`).

    It holds a statement or more per claim and per conflict, so it is formatted
    as text rather than built as a million quad objects first.
    """
    yield reconciliation_open()
    texts: list[str] = []
    reviewers: set[str] = set()
    for c in conflicts:
        review = verdicts.get(c.iri)
        introduces = False
        if review:
            who = reviewer_key(review)
            introduces = who not in reviewers
            reviewers.add(who)
        texts.append(conflict_text(c, review, introduces))
        if len(texts) >= batch:
            yield "".join(texts).encode("utf-8")
            texts.clear()
    if texts:
        yield "".join(texts).encode("utf-8")
    yield from reconciliation_close(ranks, consensus, batch)


__all__ = [
    "conflict_text", "consensus_close", "document_chunk", "rank_text", "reconciliation_chunk", "reconciliation_close",
    "reconciliation_open", "reviewer_key", "summary_text", "trig_chunk", "trig_header",
]  # fmt: skip
