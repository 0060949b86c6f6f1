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

import json
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache

import pyoxigraph as ox

from claimgraph.consensus import Consensus
from claimgraph.model import RECONCILIATION_GRAPH, Claim, Conflict, Document, format_number, reviewer_iri
from claimgraph.namespaces import PREFIXES
from claimgraph.rdfgraph import RANK_IRIS, claim_quads, document_quads, mention_context, quad_sort_key
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
    lines = [f"{_iri(RECONCILIATION_GRAPH)} {{"]
    reviewers: set[str] = set()
    p = _P

    def flush() -> Iterator[bytes]:
        text = "\n".join(lines) + "\n"
        lines.clear()
        yield text.encode("utf-8")

    for c in conflicts:
        s = _iri(c.iri)
        lines.append(f"{s} {_A} {_CONFLICT} ; {p['kind']} conflictkind:{c.kind} ; "
                     f"{p['severity']} \"{c.severity:.3f}\"^^{_DECIMAL} ; {p['severityKey']} \"{c.severity_key}\"^^{_INTEGER} ; "
                     f"{p['claimA']} {_iri(c.claim_a)} ; "
                     f"{p['claimB']} {_iri(c.claim_b)} ; {p['reason']} {_string(c.reason)} .")  # fmt: skip
        review = verdicts.get(c.iri)
        if review:
            who = _iri(reviewer_iri(review.reviewer))
            lines.append(f"{s} {p['verdict']} {_string(review.verdict)} ; {p['reviewedBy']} {who} ; "
                         f"{p['reviewedAt']} {_string(review.reviewed_at)}^^{_DATETIME} .")  # fmt: skip
            if review.note:
                lines.append(f"{s} {p['reviewNote']} {_string(review.note)} .")
            if review.prefer:
                lines.append(f"{s} {p['preferredClaim']} {_iri(c.claim_a if review.prefer == 'a' else c.claim_b)} .")
            if who not in reviewers:
                reviewers.add(who)
                lines.append(f"{who} {_A} {_PERSON} ; {_NAME} {_string(review.reviewer)} .")
        if len(lines) >= batch:
            yield from flush()
    for claim_iri, rank in ranks.items():
        lines.append(f"{_iri(claim_iri)} {_RANK} {_RANKS[rank]} .")
        if len(lines) >= batch:
            yield from flush()
    for group in consensus:
        lines.append(f"{_iri(group.claim.iri)} {p['consensusValue']} \"{format_number(group.claim.value)}\"^^{_DECIMAL} ; "
                     f"{p['consensusReason']} {_string(group.reason)} ; {p['groupSize']} \"{group.claims}\"^^{_INTEGER} .")  # fmt: skip
    lines.append("}")
    yield from flush()


__all__ = ["document_chunk", "reconciliation_chunk", "trig_chunk", "trig_header"]
