"""claims.trig written in chunks: one header of prefixes, then self-contained blocks.

A TriG file may state triples of one graph in several blocks, so the build
writes (and caches) one chunk per document, made where the document is read
(in a worker process), and never holds the whole graph in memory:

1. the header: every ``@prefix`` of the project;
2. the shared chunk: vocabularies, organisations and places (default graph);
3. one chunk per document, in corpus order: the document's description in the
   default graph and its claims in its own named graph;
4. the reconciliation chunk: conflicts, verdicts, ranks and consensus.

Quads inside a chunk are sorted, so the file is byte-stable for a corpus.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import pyoxigraph as ox

from claimgraph.model import Claim, Document
from claimgraph.namespaces import PREFIXES
from claimgraph.rdfgraph import claim_quads, document_quads, mention_context, quad_sort_key

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
    return trig_chunk(quads)


__all__ = ["document_chunk", "trig_chunk", "trig_header"]
