"""Graph stage: documents, claims and conflicts as RDF quads.

Layout (see ``ontology/claimgraph.ttl`` for the terms):

* default graph: documents (schema.org + PROV-O), organisations, places and the
  SKOS vocabularies;
* one named graph per document (``Document.graph_iri``) with its claims, each
  claim's evidence as a W3C Web Annotation (``oa:TextQuoteSelector`` and
  ``oa:TextPositionSelector``) and its provenance in PROV-O;
* the reconciliation graph with the conflicts, reviewers' verdicts on them,
  the claims' ranks, each group's consensus, and the corpus summaries
  (:class:`ClaimSummaries`) that the canned queries read instead of
  aggregating every claim.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad

from claimgraph.consensus import Consensus
from claimgraph.extract.attribution import canonical_organisation
from claimgraph.extract.places import place_name, wikidata_id
from claimgraph.model import (
    RECONCILIATION_GRAPH,
    Claim,
    Conflict,
    Document,
    Organisation,
    _digest,
    country_iri,
    document_graph_iri,
    format_number,
    organisation_iri,
    reviewer_iri,
)
from claimgraph.namespaces import (
    CG,
    CONFLICT_KIND,
    ID,
    MEASURE,
    OA,
    POPULATION,
    PROV,
    QUALIFIER,
    RDF,
    SCHEMA,
    SKOS,
    WD,
    WIKIBASE,
    XSD,
)
from claimgraph.reviews import Review


class _Nodes:
    """pyoxigraph NamedNodes of one namespace, each made once (rdflib's Namespace lookups are slow in hot loops)."""

    def __init__(self, namespace: object) -> None:
        self._base = str(namespace)

    def __getattr__(self, name: str) -> NamedNode:
        if name.startswith("_"):
            raise AttributeError(name)
        node = NamedNode(self._base + name)
        self.__dict__[name] = node
        return node

    def __getitem__(self, name: str) -> NamedNode:
        return self.__dict__.get(name) or self.__getattr__(name)


_CG, _CONFLICT_KIND, _MEASURE, _OA, _POPULATION, _PROV, _QUALIFIER, _RDF, _SCHEMA, _SKOS, _WD, _WIKIBASE, _XSD = (
    _Nodes(ns) for ns in (CG, CONFLICT_KIND, MEASURE, OA, POPULATION, PROV, QUALIFIER, RDF, SCHEMA, SKOS, WD, WIKIBASE, XSD)
)
_DEFAULT = DefaultGraph()
_RECONCILIATION = NamedNode(RECONCILIATION_GRAPH)
_TYPE = _RDF.type

DOCUMENT_KINDS = {
    "news": SCHEMA.NewsArticle,
    "report": SCHEMA.Report,
    "journal": SCHEMA.ScholarlyArticle,
    "scholarly": SCHEMA.ScholarlyArticle,
}

RANK_IRIS = {
    "preferred": WIKIBASE.PreferredRank,
    "normal": WIKIBASE.NormalRank,
    "deprecated": WIKIBASE.DeprecatedRank,
}
_RANK_NODES = {rank: NamedNode(str(iri)) for rank, iri in RANK_IRIS.items()}


def _n(iri: object) -> NamedNode:
    return NamedNode(str(iri))


def _decimal(value: Decimal) -> Literal:
    return Literal(format_number(value), datatype=_XSD.decimal)


def _integer(value: int) -> Literal:
    return Literal(str(value), datatype=_XSD.integer)


def date_literal(text: str) -> Literal:
    """A partial date as ``xsd:gYear``, ``xsd:gYearMonth`` or ``xsd:date``."""
    datatype = {4: XSD.gYear, 7: XSD.gYearMonth}.get(len(text), XSD.date)
    return Literal(text, datatype=_n(datatype))


def document_kind_class(kind: str) -> NamedNode:
    """The schema.org class for a manifest's `kind` column ("news article" → NewsArticle)."""
    lowered = kind.lower()
    for word, cls in DOCUMENT_KINDS.items():
        if word in lowered:
            return _n(cls)
    return _SCHEMA.CreativeWork


def document_quads(doc: Document) -> Iterator[Quad]:
    """Quads describing one document in the default graph."""
    s = _n(doc.iri)
    yield Quad(s, _TYPE, _CG.Document, _DEFAULT)
    yield Quad(s, _TYPE, _PROV.Entity, _DEFAULT)
    yield Quad(s, _TYPE, document_kind_class(doc.kind), _DEFAULT)
    yield Quad(s, _CG.sourceFile, Literal(doc.source_file), _DEFAULT)
    yield Quad(s, _CG.textLength, _integer(len(doc.text)), _DEFAULT)
    yield Quad(s, _CG.claimGraph, _n(doc.graph_iri), _DEFAULT)
    yield Quad(s, _CG.dateSource, Literal(doc.date_source), _DEFAULT)
    if doc.title:
        yield Quad(s, _SCHEMA.name, Literal(doc.title), _DEFAULT)
    if doc.publisher:
        yield Quad(s, _SCHEMA.publisher, _n(organisation_iri(canonical_organisation(doc.publisher))), _DEFAULT)
    if doc.author:
        yield Quad(s, _SCHEMA.author, Literal(doc.author), _DEFAULT)
    if doc.date:
        yield Quad(s, _SCHEMA.datePublished, date_literal(doc.date), _DEFAULT)
    if doc.url:
        yield Quad(s, _SCHEMA.url, Literal(doc.url, datatype=_XSD.anyURI), _DEFAULT)
    if doc.kind:
        yield Quad(s, _CG.documentKind, Literal(doc.kind), _DEFAULT)
    if doc.language:
        yield Quad(s, _SCHEMA.inLanguage, Literal(doc.language), _DEFAULT)
    for cited in doc.cites:
        yield Quad(s, _SCHEMA.citation, Literal(cited), _DEFAULT)


def organisation_quads(org: Organisation) -> Iterator[Quad]:
    """Quads describing one organisation in the default graph."""
    s = _n(org.iri)
    yield Quad(s, _TYPE, _CG.Organisation, _DEFAULT)
    yield Quad(s, _TYPE, _SCHEMA.Organization, _DEFAULT)
    yield Quad(s, _TYPE, _PROV.Agent, _DEFAULT)
    yield Quad(s, _SCHEMA.name, Literal(org.name), _DEFAULT)
    for alias in sorted(org.aliases - {org.name}):
        yield Quad(s, _SCHEMA.alternateName, Literal(alias), _DEFAULT)


def place_quads(code: str) -> Iterator[Quad]:
    """Quads describing one place (country, EU, EUROPE or WORLD) in the default graph."""
    s = _n(country_iri(code))
    yield Quad(s, _TYPE, _CG.Country, _DEFAULT)
    yield Quad(s, _TYPE, _SCHEMA.Place, _DEFAULT)
    yield Quad(s, _SKOS.notation, Literal(code), _DEFAULT)
    yield Quad(s, _SCHEMA.name, Literal(place_name(code)), _DEFAULT)
    qid = wikidata_id(code)
    if qid:
        yield Quad(s, _SCHEMA.sameAs, _WD[qid], _DEFAULT)


def claim_quads(claim: Claim, quote_context: tuple[str, str] = ("", "")) -> Iterator[Quad]:
    """Quads describing one claim in its document's named graph.

    `quote_context` is the text just before and after the mention (the
    ``oa:prefix`` and ``oa:suffix`` of its TextQuoteSelector).
    """
    g = _n(document_graph_iri(claim.source_file))
    s = _n(claim.iri)
    target = _n(claim.iri + "-evidence")
    quote_sel = _n(claim.iri + "-quote")
    position_sel = _n(claim.iri + "-position")
    doc = _n(claim.document)
    yield Quad(s, _TYPE, _CG.Claim, g)
    yield Quad(s, _TYPE, _PROV.Entity, g)
    yield Quad(s, _CG.statedIn, doc, g)
    yield Quad(s, _CG.documentFile, Literal(claim.source_file), g)  # the document's cg:sourceFile, so queries need not join
    yield Quad(s, _CG.value, _decimal(claim.value), g)
    if claim.low is not None:
        yield Quad(s, _CG.lowerBound, _decimal(claim.low), g)
    if claim.high is not None:
        yield Quad(s, _CG.upperBound, _decimal(claim.high), g)
    yield Quad(s, _CG.qualifier, _QUALIFIER[claim.qualifier], g)
    yield Quad(s, _CG.measure, _MEASURE[claim.measure], g)
    yield Quad(s, _CG.population, _POPULATION[claim.population], g)
    yield Quad(s, _CG.unit, Literal(claim.unit), g)
    if claim.country:
        yield Quad(s, _CG.placeCode, Literal(claim.country), g)
        for code in claim.country.split("+"):
            yield Quad(s, _CG.place, _n(country_iri(code)), g)
    if claim.region:
        yield Quad(s, _CG.region, Literal(claim.region), g)
    if claim.place_role:
        yield Quad(s, _CG.placeRole, Literal(claim.place_role), g)
    if claim.as_of:
        yield Quad(s, _CG.asOf, date_literal(claim.as_of), g)
    if claim.attributed_to:
        org = _n(organisation_iri(claim.attributed_to))
        yield Quad(s, _PROV.wasAttributedTo, org, g)
        yield Quad(s, _CG.sourceName, Literal(claim.attributed_to), g)  # the organisation's schema:name, so queries need not join
    if claim.derived_from:
        yield Quad(s, _CG.derivedFrom, _n(claim.derived_from), g)
    yield Quad(s, _CG.quote, Literal(claim.quote), g)
    yield Quad(s, _CG.evidence, target, g)
    yield Quad(target, _TYPE, _OA.SpecificResource, g)
    yield Quad(target, _OA.hasSource, doc, g)
    yield Quad(target, _OA.hasSelector, quote_sel, g)
    yield Quad(target, _OA.hasSelector, position_sel, g)
    yield Quad(quote_sel, _TYPE, _OA.TextQuoteSelector, g)
    yield Quad(quote_sel, _OA.exact, Literal(claim.mention), g)
    prefix, suffix = quote_context
    if prefix:
        yield Quad(quote_sel, _OA.prefix, Literal(prefix), g)
    if suffix:
        yield Quad(quote_sel, _OA.suffix, Literal(suffix), g)
    yield Quad(position_sel, _TYPE, _OA.TextPositionSelector, g)
    yield Quad(position_sel, _OA.start, _integer(claim.start), g)
    yield Quad(position_sel, _OA.end, _integer(claim.end), g)


def conflict_quads(conflict: Conflict) -> Iterator[Quad]:
    """Quads describing one conflict in the reconciliation graph."""
    g = _RECONCILIATION
    s = _n(conflict.iri)
    yield Quad(s, _TYPE, _CG.Conflict, g)
    yield Quad(s, _CG.kind, _CONFLICT_KIND[conflict.kind], g)
    yield Quad(s, _CG.severity, Literal(f"{conflict.severity:.3f}", datatype=_XSD.decimal), g)
    yield Quad(s, _CG.severityKey, _integer(conflict.severity_key), g)
    yield Quad(s, _CG.claimA, _n(conflict.claim_a), g)
    yield Quad(s, _CG.claimB, _n(conflict.claim_b), g)
    yield Quad(s, _CG.reason, Literal(conflict.reason), g)


def review_quads(conflict_iri: str, review: Review, claim_a: str, claim_b: str) -> Iterator[Quad]:
    """A reviewer's verdict on a conflict (who, when, why, and the claim held right), in the reconciliation graph."""
    g = _RECONCILIATION
    s = _n(conflict_iri)
    reviewer = _n(reviewer_iri(review.reviewer))
    yield Quad(s, _CG.verdict, Literal(review.verdict), g)
    yield Quad(s, _CG.reviewedBy, reviewer, g)
    yield Quad(s, _CG.reviewedAt, Literal(review.reviewed_at, datatype=_XSD.dateTime), g)
    if review.note:
        yield Quad(s, _CG.reviewNote, Literal(review.note), g)
    if review.prefer:
        yield Quad(s, _CG.preferredClaim, _n(claim_a if review.prefer == "a" else claim_b), g)
    yield Quad(reviewer, _TYPE, _PROV.Person, g)
    yield Quad(reviewer, _SCHEMA.name, Literal(review.reviewer), g)


def consensus_quads(consensus: Consensus) -> Iterator[Quad]:
    """The consensus of a group, on its preferred claim: value, reason and group size."""
    g = _RECONCILIATION
    s = _n(consensus.claim.iri)
    yield Quad(s, _CG.consensusValue, _decimal(consensus.claim.value), g)
    yield Quad(s, _CG.consensusReason, Literal(consensus.reason), g)
    yield Quad(s, _CG.groupSize, _integer(consensus.claims), g)


def rank_quads(ranks: dict[str, str]) -> Iterator[Quad]:
    """Quads giving each claim its Wikidata-style rank, in the reconciliation graph."""
    g = _RECONCILIATION
    for claim_iri, rank in ranks.items():
        yield Quad(_n(claim_iri), _WIKIBASE.rank, _RANK_NODES[rank], g)


@dataclass
class _FigureTotals:
    """The counts of one figure key. Every multiset is a dict of counts, so a claim can be taken back out (``remove``)."""

    claims: int = 0
    unattributed: int = 0
    values: dict[Decimal, int] = field(default_factory=dict)  # claims per value
    documents: dict[str, int] = field(default_factory=dict)  # claims per document
    sources: dict[str, int] = field(default_factory=dict)  # claims per source credited

    @property
    def low(self) -> Decimal | None:
        """The lowest value counted."""
        return min(self.values, default=None)

    @property
    def high(self) -> Decimal | None:
        """The highest value counted."""
        return max(self.values, default=None)


def take_one(counts: dict, key: object) -> None:
    """Count one fewer KEY in COUNTS, dropping it at zero (so ``len`` and iteration see only what is still counted)."""
    left = counts[key] - 1
    if left:
        counts[key] = left
    else:
        del counts[key]


class ClaimSummaries:
    """Corpus-wide counts written by the build, so the canned queries read a few thousand nodes, not every claim.

    Fed one claim at a time (``add``), then written as quads in the reconciliation graph (``quads``); ``remove``
    takes a claim back out, so a rebuild updates the last build's summaries (see :mod:`claimgraph.totals`):

    * each organisation credited with claims: ``cg:claimCount`` and ``cg:documentCount`` (``@claims-per-source``);
    * a ``cg:FigureSummary`` per place code, region, measure, population, unit and year of the claims' dates:
      how many claims and documents, how many claims credit no organisation, the lowest and highest value and
      the names of the sources credited (``@figures-over-time``, ``@unattributed-claims``);
    * a ``cg:RepeatedFigure`` per place code, measure and value that more than one document states: how many
      documents and the sources credited (``@repeated-figures``).

    Claims without a place, region or date leave that part of the key out (the node has no such property). The
    summaries state their keys with properties of their own (``cg:summaryPlaceCode``, not ``cg:placeCode``): a
    pattern on them then matches summaries only, never the million claims, whatever order Oxigraph joins them in.
    """

    def __init__(self) -> None:
        self._sources: dict[str, tuple[list[int], dict[str, int]]] = {}  # claims, and claims per document
        self._figures: dict[tuple[str, str, str, str, str, str], _FigureTotals] = {}
        self._repeated: dict[tuple[str, str, Decimal], tuple[dict[str, int], dict[str, int]]] = {}  # claims per document, per source

    def add(self, claim: Claim) -> None:
        """Count one claim."""
        source, file, value = claim.attributed_to, claim.source_file, claim.value
        if source:
            found = self._sources.get(source)
            if found is None:  # (setdefault would make an empty list and dict for every claim)
                found = self._sources[source] = ([0], {})
            found[0][0] += 1
            found[1][file] = found[1].get(file, 0) + 1
        key = (claim.country, claim.region, claim.measure, claim.population, claim.unit, claim.as_of[:4])
        totals = self._figures.get(key)
        if totals is None:
            totals = self._figures[key] = _FigureTotals()
        totals.claims += 1
        totals.documents[file] = totals.documents.get(file, 0) + 1
        totals.values[value] = totals.values.get(value, 0) + 1
        if source:
            totals.sources[source] = totals.sources.get(source, 0) + 1
        else:
            totals.unattributed += 1
        if claim.country:
            repeated_key = (claim.country, claim.measure, value)
            seen = self._repeated.get(repeated_key)
            if seen is None:
                seen = self._repeated[repeated_key] = ({}, {})
            seen[0][file] = seen[0].get(file, 0) + 1
            if source:
                seen[1][source] = seen[1].get(source, 0) + 1

    def remove(self, claim: Claim) -> None:
        """Take back one claim counted by :meth:`add` (what is left is what counting the others alone gives)."""
        source, file, value = claim.attributed_to, claim.source_file, claim.value
        if source:
            count, files = self._sources[source]
            count[0] -= 1
            take_one(files, file)
            if not count[0]:
                del self._sources[source]
        key = (claim.country, claim.region, claim.measure, claim.population, claim.unit, claim.as_of[:4])
        totals = self._figures[key]
        totals.claims -= 1
        if not totals.claims:
            del self._figures[key]
        else:
            take_one(totals.documents, file)
            take_one(totals.values, value)
            if source:
                take_one(totals.sources, source)
            else:
                totals.unattributed -= 1
        if claim.country:
            repeated_key = (claim.country, claim.measure, value)
            files, sources = self._repeated[repeated_key]
            take_one(files, file)
            if source:
                take_one(sources, source)
            if not files:
                del self._repeated[repeated_key]

    def by_source(self) -> Iterator[tuple[str, int, int]]:
        """Each credited organisation's name, claims and documents, by name."""
        for source in sorted(self._sources):
            count, docs = self._sources[source]
            yield source, count[0], len(docs)

    def by_figure(self) -> Iterator[tuple[tuple[str, str, str, str, str, str], _FigureTotals]]:
        """Each figure key (place code, region, measure, population, unit, year) and its totals, in key order."""
        for key in sorted(self._figures):
            yield key, self._figures[key]

    def repeated(self) -> Iterator[tuple[tuple[str, str, Decimal], int, list[str]]]:
        """Each (place code, measure, value) that more than one document states, its documents and sources (sorted)."""
        for key in sorted(self._repeated):
            docs, sources = self._repeated[key]
            if len(docs) >= 2:
                yield key, len(docs), sorted(sources)

    def quads(self) -> Iterator[Quad]:
        """The summaries as quads of the reconciliation graph, in a stable order (:func:`claimgraph.trig.summary_text`
        writes the same as text)."""
        g = _RECONCILIATION
        for source, claims, documents in self.by_source():
            s = _n(organisation_iri(source))
            yield Quad(s, _CG.claimCount, _integer(claims), g)
            yield Quad(s, _CG.documentCount, _integer(documents), g)
        for key, totals in self.by_figure():
            country, region, measure, population, unit, year = key
            s = _n(figure_summary_iri(key))
            yield Quad(s, _TYPE, _CG.FigureSummary, g)
            if country:
                yield Quad(s, _CG.summaryPlaceCode, Literal(country), g)
            if region:
                yield Quad(s, _CG.summaryRegion, Literal(region), g)
            yield Quad(s, _CG.summaryMeasure, _MEASURE[measure], g)
            yield Quad(s, _CG.summaryPopulation, _POPULATION[population], g)
            yield Quad(s, _CG.summaryUnit, Literal(unit), g)
            if year:
                yield Quad(s, _CG.summaryYear, Literal(year, datatype=_XSD.gYear), g)
            yield Quad(s, _CG.claimCount, _integer(totals.claims), g)
            yield Quad(s, _CG.documentCount, _integer(len(totals.documents)), g)
            yield Quad(s, _CG.unattributedCount, _integer(totals.unattributed), g)
            yield Quad(s, _CG.minValue, _decimal(totals.low), g)  # type: ignore[arg-type]  # set by the first claim
            yield Quad(s, _CG.maxValue, _decimal(totals.high), g)  # type: ignore[arg-type]
            if totals.sources:
                yield Quad(s, _CG.sourceNames, Literal(SOURCE_SEPARATOR.join(sorted(totals.sources))), g)
        for (country, measure, value), documents, sources in self.repeated():
            s = _n(repeated_summary_iri(country, measure, value))
            yield Quad(s, _TYPE, _CG.RepeatedFigure, g)
            yield Quad(s, _CG.summaryPlaceCode, Literal(country), g)
            yield Quad(s, _CG.summaryMeasure, _MEASURE[measure], g)
            yield Quad(s, _CG.repeatedValue, _decimal(value), g)
            yield Quad(s, _CG.documentCount, _integer(documents), g)
            if sources:
                yield Quad(s, _CG.sourceNames, Literal(SOURCE_SEPARATOR.join(sources)), g)


def figure_summary_iri(key: tuple[str, str, str, str, str, str]) -> str:
    """The IRI of the figure summary of KEY (place code, region, measure, population, unit, year)."""
    return f"{ID}summary/{_digest('figures', *key)}"


def repeated_summary_iri(country: str, measure: str, value: Decimal) -> str:
    """The IRI of the summary of a figure (place code, measure, value) that several documents state."""
    return f"{ID}summary/{_digest('repeated', country, measure, format_number(value))}"


SOURCE_SEPARATOR = "; "  # between the names of cg:sourceNames


def summary_quads(claims: Iterable[Claim]) -> Iterator[Quad]:
    """The corpus summaries of CLAIMS (see :class:`ClaimSummaries`)."""
    summaries = ClaimSummaries()
    for claim in claims:
        summaries.add(claim)
    yield from summaries.quads()


def mention_context(text: str, start: int, end: int, width: int = 32) -> tuple[str, str]:
    """The `width` characters before and after a mention (for ``oa:prefix``/``oa:suffix``)."""
    return text[max(0, start - width) : start], text[end : end + width]


def reconciliation_quads(
    conflicts: Iterable[Conflict],
    ranks: dict[str, str] | None = None,
    verdicts: dict[str, Review] | None = None,
    consensus: Iterable[Consensus] = (),
) -> Iterator[Quad]:
    """The reconciliation graph: conflicts with reviewers' verdicts, every claim's rank, each group's consensus."""
    for conflict in conflicts:
        yield from conflict_quads(conflict)
        review = (verdicts or {}).get(conflict.iri)
        if review:
            yield from review_quads(conflict.iri, review, conflict.claim_a, conflict.claim_b)
    yield from rank_quads(ranks or {})
    for group in consensus:
        yield from consensus_quads(group)


def dataset_quads(
    documents: Iterable[Document],
    claims: Iterable[Claim],
    conflicts: Iterable[Conflict],
    organisations: Iterable[Organisation],
    ranks: dict[str, str] | None = None,
    vocabulary: Iterable[Quad] = (),
    verdicts: dict[str, Review] | None = None,
    consensus: Iterable[Consensus] = (),
) -> list[Quad]:
    """All quads of a build (corpus summaries included), de-duplicated and sorted so serialisation is stable."""
    docs = list(documents)
    texts = {d.source_file: d.text for d in docs}
    quads: set[Quad] = set(vocabulary)
    places: set[str] = set()
    summaries = ClaimSummaries()
    for doc in docs:
        quads.update(document_quads(doc))
    for org in organisations:
        quads.update(organisation_quads(org))
    for claim in claims:
        text = texts.get(claim.source_file, "")
        quads.update(claim_quads(claim, mention_context(text, claim.start, claim.end)))
        summaries.add(claim)
        if claim.country:
            places.update(claim.country.split("+"))
    for code in places:
        quads.update(place_quads(code))
    quads.update(reconciliation_quads(conflicts, ranks, verdicts, consensus))
    quads.update(summaries.quads())
    return sorted(quads, key=quad_sort_key)


def quad_sort_key(quad: Quad) -> tuple[str, str, str, str]:
    """Sort by graph, subject, predicate, object so TriG output is byte-stable."""
    graph = "" if isinstance(quad.graph_name, DefaultGraph) else str(quad.graph_name)
    return (graph, str(quad.subject), str(quad.predicate), str(quad.object))

