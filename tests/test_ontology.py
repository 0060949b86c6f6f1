"""The ontology, the SKOS vocabularies and the SHACL shapes in ``ontology/``.

Checks that the three files parse, that they describe every ``cg:`` term that
``rdfgraph.py`` writes and every id of ``vocab.py``, and that the shapes accept
a small valid build and reject broken ones with a message a person can read.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, Literal, URIRef

from claimgraph import vocab
from claimgraph.model import Claim, Conflict, Document, Organisation
from claimgraph.namespaces import (
    CG,
    CONFLICT_KIND,
    DCTERMS,
    MEASURE,
    OA,
    OWL,
    PREFIXES,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SH,
    SKOS,
    WIKIBASE,
    XSD,
)

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_DIR = ROOT / "ontology"
RDFGRAPH_SOURCE = ROOT / "src" / "claimgraph" / "rdfgraph.py"

ONTOLOGY_IRI = URIRef("https://w3id.org/claimgraph/ns")
VOCAB = "https://w3id.org/claimgraph/vocab/"
SCHEMES = {
    "measure": vocab.MEASURES,
    "population": vocab.POPULATIONS,
    "qualifier": vocab.QUALIFIERS,
    "conflict-kind": vocab.CONFLICT_KINDS,
}
TERM_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, RDFS.Datatype}
PROPERTY_TYPES = {OWL.ObjectProperty, OWL.DatatypeProperty}


def _parse(name: str) -> Graph:
    return Graph().parse(ONTOLOGY_DIR / name, format="turtle")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return _parse("claimgraph.ttl")


@pytest.fixture(scope="module")
def vocabularies() -> Graph:
    return _parse("vocabularies.ttl")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return _parse("shapes.ttl")


@pytest.fixture(scope="module")
def ont_graph(ontology: Graph) -> Graph:
    return ontology


def _cg_terms(graph: Graph) -> set[URIRef]:
    return {
        s for s in graph.subjects() if isinstance(s, URIRef) and s.startswith(str(CG))
    }


# --------------------------------------------------------------------------
# The files
# --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["claimgraph.ttl", "vocabularies.ttl", "shapes.ttl"])
def test_file_parses_as_turtle(name: str) -> None:
    assert len(_parse(name)) > 50


def test_ontology_header(ontology: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    for predicate in (DCTERMS.title, DCTERMS.description, OWL.versionInfo):
        assert ontology.value(ONTOLOGY_IRI, predicate) is not None, (
            f"the ontology has no {predicate}"
        )


# --------------------------------------------------------------------------
# The ontology describes every term that rdfgraph.py writes
# --------------------------------------------------------------------------


def test_every_cg_term_of_rdfgraph_is_declared(ontology: Graph) -> None:
    names = set(re.findall(r"CG\.(\w+)", RDFGRAPH_SOURCE.read_text(encoding="utf-8")))
    assert {"Claim", "Document", "value", "statedIn", "evidence", "severity"} <= names
    missing = sorted(
        n for n in names if not set(ontology.objects(CG[n], RDF.type)) & TERM_TYPES
    )
    assert not missing, (
        f"cg: terms used in rdfgraph.py but not declared in claimgraph.ttl: {missing}"
    )


@pytest.mark.parametrize(
    "name",
    [
        "verdict",
        "reviewNote",
        "reviewedBy",
        "reviewedAt",
        "consensusValue",
        "consensusReason",
    ],
)
def test_terms_for_later_work_are_declared(ontology: Graph, name: str) -> None:
    assert set(ontology.objects(CG[name], RDF.type)) & PROPERTY_TYPES


def test_every_cg_term_is_documented(ontology: Graph) -> None:
    terms = _cg_terms(ontology)
    assert len(terms) > 30
    problems = []
    for term in sorted(terms):
        types = set(ontology.objects(term, RDF.type))
        wanted = [RDFS.label, RDFS.comment, RDFS.isDefinedBy]
        if types & PROPERTY_TYPES:
            wanted += [RDFS.domain, RDFS.range]
        problems += [
            f"{term} has no {p}" for p in wanted if ontology.value(term, p) is None
        ]
        if not types & TERM_TYPES:
            problems.append(f"{term} is neither a class, a property nor a datatype")
    assert not problems, "\n".join(problems)


def test_reused_terms_are_not_redefined(ontology: Graph) -> None:
    redefining = (
        RDFS.label,
        RDFS.comment,
        RDFS.domain,
        RDFS.range,
        RDFS.subClassOf,
        RDFS.subPropertyOf,
    )
    foreign = {
        (s, p)
        for p in redefining
        for s in ontology.subjects(p, None)
        if isinstance(s, URIRef) and not s.startswith(str(CG))
    }
    assert not foreign, (
        f"claimgraph.ttl gives other vocabularies' terms axioms of its own: {sorted(foreign)}"
    )


@pytest.mark.parametrize(
    ("term", "predicate", "expected"),
    [
        (CG.Document, RDFS.subClassOf, SCHEMA.CreativeWork),
        (CG.Document, RDFS.subClassOf, PROV.Entity),
        (CG.Organisation, RDFS.subClassOf, SCHEMA.Organization),
        (CG.Organisation, RDFS.subClassOf, PROV.Agent),
        (CG.Country, RDFS.subClassOf, SCHEMA.Place),
        (CG.Claim, RDFS.subClassOf, PROV.Entity),
        (CG.statedIn, RDFS.subPropertyOf, PROV.wasDerivedFrom),
        (CG.derivedFrom, RDFS.subPropertyOf, PROV.wasDerivedFrom),
        (CG.value, RDFS.seeAlso, WIKIBASE.quantityAmount),
        (CG.lowerBound, RDFS.seeAlso, WIKIBASE.quantityLowerBound),
        (CG.upperBound, RDFS.seeAlso, WIKIBASE.quantityUpperBound),
        (CG.value, RDFS.range, XSD.decimal),
        (CG.severity, RDFS.range, XSD.decimal),
        (CG.population, RDFS.range, SKOS.Concept),
        (CG.evidence, RDFS.range, OA.SpecificResource),
        (CG.statedIn, RDFS.range, CG.Document),
        (CG.claimA, RDFS.domain, CG.Conflict),
    ],
)
def test_alignment_with_reused_vocabularies(
    ontology: Graph, term: URIRef, predicate: URIRef, expected: URIRef
) -> None:
    assert (term, predicate, expected) in ontology


# --------------------------------------------------------------------------
# The SKOS vocabularies are vocab.py's tuples
# --------------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(SCHEMES))
def test_scheme_notations_equal_vocab_tuple(vocabularies: Graph, key: str) -> None:
    scheme = URIRef(VOCAB + key)
    assert (scheme, RDF.type, SKOS.ConceptScheme) in vocabularies
    concepts = list(vocabularies.subjects(SKOS.inScheme, scheme))
    notations = [str(vocabularies.value(c, SKOS.notation)) for c in concepts]
    assert len(notations) == len(set(notations)), f"duplicate notations in {scheme}"
    assert set(notations) == set(SCHEMES[key])


@pytest.mark.parametrize("key", sorted(SCHEMES))
def test_concepts_are_complete(vocabularies: Graph, key: str) -> None:
    scheme = URIRef(VOCAB + key)
    for concept in vocabularies.subjects(SKOS.inScheme, scheme):
        notation = vocabularies.value(concept, SKOS.notation)
        assert (
            isinstance(notation, Literal)
            and notation.datatype is None
            and notation.language is None
        )
        assert str(concept) == f"{scheme}/{notation}"
        assert (concept, RDF.type, SKOS.Concept) in vocabularies
        labels = list(vocabularies.objects(concept, SKOS.prefLabel))
        assert len(labels) == 1 and labels[0].language == "en", (
            f"{concept} needs one English prefLabel"
        )
        assert vocabularies.value(concept, SKOS.definition) is not None, (
            f"{concept} has no definition"
        )
        broader = vocabularies.value(concept, SKOS.broader)
        if broader is None:
            assert (concept, SKOS.topConceptOf, scheme) in vocabularies
            assert (scheme, SKOS.hasTopConcept, concept) in vocabularies
        else:
            assert (broader, SKOS.inScheme, scheme) in vocabularies


# --------------------------------------------------------------------------
# The shapes themselves
# --------------------------------------------------------------------------


def test_every_shape_and_constraint_has_a_message(shapes: Graph) -> None:
    # A node shape whose only constraints are SPARQL constraints has no message
    # of its own: pySHACL would add it to each of their (self-explaining) results.
    sparql_only = {
        n
        for n in shapes.subjects(SH.sparql, None)
        if not set(shapes.predicates(n, None))
        - {RDF.type, RDFS.comment, SH.targetClass, SH.sparql}
    }
    nodes = set(shapes.subjects(RDF.type, SH.NodeShape)) - sparql_only
    nodes |= set(shapes.subjects(SH.path, None))
    nodes |= set(shapes.objects(None, SH.sparql))
    assert len(nodes) > 40
    silent = [n for n in nodes if shapes.value(n, SH.message) is None]
    assert not silent, (
        f"{len(silent)} shapes or constraints without sh:message, e.g. {silent[:3]}"
    )


def test_sparql_constraints_declare_their_prefixes(shapes: Graph) -> None:
    constraints = list(shapes.objects(None, SH.sparql))
    assert len(constraints) >= 2
    for constraint in constraints:
        declarer = shapes.value(constraint, SH.prefixes)
        assert declarer is not None, f"{constraint} has no sh:prefixes"
        declared = {
            str(shapes.value(d, SH.prefix))
            for d in shapes.objects(declarer, SH.declare)
        }
        used = set(
            re.findall(r"\b([a-z]+):\w", str(shapes.value(constraint, SH.select)))
        )
        assert used <= declared, f"prefixes used but not declared: {used - declared}"


# --------------------------------------------------------------------------
# The shapes accept a valid build and reject broken ones
# --------------------------------------------------------------------------

REPORT_TEXT = (
    "Example Research Centre, annual review.\n"
    "By the end of 2017 the centre counted 7 fighters who had come back to the United States.\n"
)
NEWS_TEXT = "A newspaper later wrote that between 9 and 12 fighters had come back to the United States in 2017.\n"

_PREFIXES = "".join(
    f"@prefix {p}: <{iri}> .\n" for p, iri in PREFIXES.items()
) + "".join(
    f"@prefix {kind}: <{PREFIXES['id']}{kind}/> .\n"
    for kind in ("doc", "graph", "org", "place", "claim", "conflict")
)

# The same build as _rdfgraph_example, written by hand (used while the
# extraction modules that rdfgraph imports are missing, and as a second case).
TURTLE_EXAMPLE = (
    _PREFIXES
    + f"""
doc:report a cg:Document , prov:Entity , schema:Report ;
    cg:sourceFile "report.md" ; cg:textLength {len(REPORT_TEXT)} ;
    cg:claimGraph graph:report ; cg:dateSource "front_matter" ;
    schema:name "Annual review" ; schema:publisher org:example-research-centre ;
    schema:datePublished "2018-03"^^xsd:gYearMonth ; cg:documentKind "report" .
doc:news a cg:Document , prov:Entity , schema:NewsArticle ;
    cg:sourceFile "news.txt" ; cg:textLength {len(NEWS_TEXT)} ;
    cg:claimGraph graph:news ; cg:dateSource "manifest" ;
    schema:datePublished "2018-05-02"^^xsd:date .
org:example-research-centre a cg:Organisation , schema:Organization , prov:Agent ;
    schema:name "Example Research Centre" .
place:US a cg:Country , schema:Place ; skos:notation "US" ; schema:name "United States" ;
    owl:sameAs wd:Q30 .

claim:a a cg:Claim , prov:Entity ;
    cg:statedIn doc:report ; cg:documentFile "report.md" ; cg:value "7"^^xsd:decimal ;
    cg:qualifier qualifier:exact ; cg:measure measure:returned ; cg:population population:fighters ;
    cg:unit "persons" ; cg:placeCode "US" ; cg:place place:US ; cg:placeRole "origin" ;
    cg:asOf "2017"^^xsd:gYear ;
    prov:wasAttributedTo org:example-research-centre ; cg:sourceName "Example Research Centre" ;
    cg:quote "By the end of 2017 the centre counted 7 fighters who had come back to the United States." ;
    cg:evidence claim:a-evidence .
claim:a-evidence a oa:SpecificResource ; oa:hasSource doc:report ;
    oa:hasSelector claim:a-quote , claim:a-position .
claim:a-quote a oa:TextQuoteSelector ; oa:exact "7" ; oa:prefix "the centre counted " .
claim:a-position a oa:TextPositionSelector ;
    oa:start {REPORT_TEXT.index(" 7 ") + 1} ; oa:end {REPORT_TEXT.index(" 7 ") + 2} .

claim:b a cg:Claim , prov:Entity ;
    cg:statedIn doc:news ; cg:documentFile "news.txt" ; cg:value "10.5"^^xsd:decimal ;
    cg:lowerBound "9"^^xsd:decimal ; cg:upperBound "12"^^xsd:decimal ;
    cg:qualifier qualifier:range ; cg:measure measure:returned ; cg:population population:fighters ;
    cg:unit "persons" ; cg:placeCode "US" ; cg:place place:US ; cg:placeRole "origin" ;
    cg:asOf "2017"^^xsd:gYear ;
    cg:quote "A newspaper later wrote that between 9 and 12 fighters had come back to the United States in 2017." ;
    cg:evidence claim:b-evidence .
claim:b-evidence a oa:SpecificResource ; oa:hasSource doc:news ;
    oa:hasSelector claim:b-quote , claim:b-position .
claim:b-quote a oa:TextQuoteSelector ; oa:exact "between 9 and 12" .
claim:b-position a oa:TextPositionSelector ;
    oa:start {NEWS_TEXT.index("between")} ; oa:end {NEWS_TEXT.index(" fighters")} .

conflict:a-b a cg:Conflict ;
    cg:kind conflictkind:value_mismatch ; cg:severity "0.500"^^xsd:decimal ; cg:severityKey 140737488355328500 ;
    cg:claimA claim:a ; cg:claimB claim:b ;
    cg:reason "The report counts 7 returned US fighters for 2017, the newspaper 9 to 12." .
claim:a wikibase:rank wikibase:PreferredRank .
claim:b wikibase:rank wikibase:NormalRank .
org:example-research-centre cg:claimCount 1 ; cg:documentCount 1 .
<https://w3id.org/claimgraph/id/summary/us-returned-2017> a cg:FigureSummary ;
    cg:summaryPlaceCode "US" ; cg:summaryMeasure measure:returned ; cg:summaryPopulation population:fighters ;
    cg:summaryUnit "persons" ; cg:summaryYear "2017"^^xsd:gYear ;
    cg:claimCount 2 ; cg:documentCount 2 ; cg:unattributedCount 1 ;
    cg:minValue "7"^^xsd:decimal ; cg:maxValue "10.5"^^xsd:decimal ; cg:sourceNames "Example Research Centre" .
"""
)


def _turtle_example() -> Graph:
    return Graph().parse(data=TURTLE_EXAMPLE, format="turtle")


@cache
def _rdfgraph_ready() -> bool:
    """False only while the module that rdfgraph imports is not written yet."""
    try:
        importlib.import_module("claimgraph.extract.places")
    except ModuleNotFoundError as error:
        if error.name in {"claimgraph.extract", "claimgraph.extract.places"}:
            return False
        raise
    return True


def _rdfgraph_example() -> Graph:
    from pyoxigraph import RdfFormat, serialize

    from claimgraph import rdfgraph

    report = Document(
        source_file="report.md",
        path="/corpus/report.md",
        text=REPORT_TEXT,
        title="Annual review",
        publisher="Example Research Centre",
        date="2018-03",
        date_source="front_matter",
        kind="report",
    )
    news = Document(
        source_file="news.txt",
        path="/corpus/news.txt",
        text=NEWS_TEXT,
        date="2018-05-02",
        date_source="manifest",
    )
    seven = REPORT_TEXT.index(" 7 ") + 1
    claim_a = Claim(
        source_file="report.md",
        start=seven,
        end=seven + 1,
        mention="7",
        quote=REPORT_TEXT.splitlines()[1],
        value=Decimal(7),
        low=Decimal(7),
        high=Decimal(7),
        qualifier="exact",
        measure="returned",
        population="fighters",
        country="US",
        place_role="origin",
        as_of="2017",
        attributed_to="Example Research Centre",
    )
    start, end = NEWS_TEXT.index("between"), NEWS_TEXT.index(" fighters")
    claim_b = Claim(
        source_file="news.txt",
        start=start,
        end=end,
        mention=NEWS_TEXT[start:end],
        quote=NEWS_TEXT.strip(),
        value=Decimal("10.5"),
        low=Decimal(9),
        high=Decimal(12),
        qualifier="range",
        measure="returned",
        population="fighters",
        country="US",
        place_role="origin",
        as_of="2017",
    )
    conflict = Conflict(
        kind="value_mismatch",
        severity=0.5,
        claim_a=claim_a.iri,
        claim_b=claim_b.iri,
        reason="The report counts 7 returned US fighters for 2017, the newspaper 9 to 12.",
    )
    quads = rdfgraph.dataset_quads(
        [report, news],
        [claim_a, claim_b],
        [conflict],
        [Organisation("Example Research Centre")],
        ranks={claim_a.iri: "preferred", claim_b.iri: "normal"},
    )
    ntriples = serialize((q.triple for q in quads), format=RdfFormat.N_TRIPLES)
    return Graph().parse(data=ntriples, format="nt")


@pytest.fixture(params=["turtle", "rdfgraph"])
def example(request: pytest.FixtureRequest) -> Graph:
    """A valid build (all graphs in one), hand-written or made by rdfgraph."""
    if request.param == "turtle":
        return _turtle_example()
    if not _rdfgraph_ready():
        pytest.skip("claimgraph.extract.places is not written yet")
    return _rdfgraph_example()


@pytest.fixture
def build() -> Graph:
    """The valid build that the broken cases start from: rdfgraph's when it can run."""
    return _rdfgraph_example() if _rdfgraph_ready() else _turtle_example()


def _validate(
    data: Graph, shapes: Graph, ont_graph: Graph, vocabularies: Graph
) -> tuple[bool, list[str], str]:
    # As in a build: the vocabularies are part of the data graph (pySHACL copies
    # only RDFS/OWL axioms from ont_graph, not SKOS concepts).
    data = data + vocabularies + ont_graph
    conforms, results, text = validate(
        data, shacl_graph=shapes, ont_graph=ont_graph, inference="none", advanced=True
    )
    messages = sorted(str(m) for m in results.objects(None, SH.resultMessage))
    return bool(conforms), messages, text


def test_valid_example_conforms(
    example: Graph, shapes: Graph, ont_graph: Graph, vocabularies: Graph
) -> None:
    assert len(list(example.subjects(RDF.type, CG.Claim))) == 2
    conforms, _, text = _validate(example, shapes, ont_graph, vocabularies)
    assert conforms, text


# Each mutation breaks the valid example in one way; the messages say how.


def _first_claim(g: Graph) -> URIRef:
    return min(g.subjects(RDF.type, CG.Claim))


def _conflict(g: Graph) -> URIRef:
    return next(iter(g.subjects(RDF.type, CG.Conflict)))


def _set(g: Graph, subject: URIRef, predicate: URIRef, value: object) -> None:
    g.set(
        (
            subject,
            predicate,
            value if isinstance(value, URIRef | Literal) else Literal(value),
        )
    )


def _decimal(value: str) -> Literal:
    return Literal(value, datatype=XSD.decimal)


def low_above_value(g: Graph) -> None:
    claim = _first_claim(g)
    value = Decimal(str(g.value(claim, CG.value)))
    _set(g, claim, CG.lowerBound, _decimal(str(value + 1)))


def high_below_value(g: Graph) -> None:
    claim = _first_claim(g)
    value = Decimal(str(g.value(claim, CG.value)))
    _set(g, claim, CG.upperBound, _decimal(str(value - 1)))


def two_values(g: Graph) -> None:
    claim = _first_claim(g)
    value = Decimal(str(g.value(claim, CG.value)))
    g.add((claim, CG.value, _decimal(str(value + 3))))


def no_stated_in(g: Graph) -> None:
    g.remove((_first_claim(g), CG.statedIn, None))


def document_missing(g: Graph) -> None:
    g.remove((g.value(_first_claim(g), CG.statedIn), None, None))


def end_beyond_text(g: Graph) -> None:
    claim = _first_claim(g)
    length = int(g.value(g.value(claim, CG.statedIn), CG.textLength))
    for selector in g.objects(g.value(claim, CG.evidence), OA.hasSelector):
        if (selector, RDF.type, OA.TextPositionSelector) in g:
            _set(g, selector, OA.end, Literal(length + 5))


def start_after_end(g: Graph) -> None:
    claim = _first_claim(g)
    for selector in g.objects(g.value(claim, CG.evidence), OA.hasSelector):
        if (selector, RDF.type, OA.TextPositionSelector) in g:
            _set(g, selector, OA.start, Literal(int(g.value(selector, OA.end)) + 1))


def evidence_elsewhere(g: Graph) -> None:
    claims = sorted(g.subjects(RDF.type, CG.Claim))
    other_document = g.value(claims[1], CG.statedIn)
    _set(g, g.value(claims[0], CG.evidence), OA.hasSource, other_document)


def severity_above_one(g: Graph) -> None:
    _set(g, _conflict(g), CG.severity, _decimal("1.5"))


def severity_key_as_decimal(g: Graph) -> None:
    _set(g, _conflict(g), CG.severityKey, _decimal("0.5"))


def same_claim_twice(g: Graph) -> None:
    conflict = _conflict(g)
    _set(g, conflict, CG.claimB, g.value(conflict, CG.claimA))


def empty_reason(g: Graph) -> None:
    _set(g, _conflict(g), CG.reason, Literal(" "))


def kind_outside_vocabulary(g: Graph) -> None:
    _set(g, _conflict(g), CG.kind, CONFLICT_KIND["disagreement"])


def measure_outside_vocabulary(g: Graph) -> None:
    _set(g, _first_claim(g), CG.measure, MEASURE["vanished"])


def bad_place_code(g: Graph) -> None:
    _set(g, _first_claim(g), CG.placeCode, Literal("USA"))


def bad_place_role(g: Graph) -> None:
    _set(g, _first_claim(g), CG.placeRole, Literal("home"))


def as_of_as_string(g: Graph) -> None:
    _set(g, _first_claim(g), CG.asOf, Literal("2017"))


def two_quotes(g: Graph) -> None:
    g.add((_first_claim(g), CG.quote, Literal("Another sentence.")))


def document_file_elsewhere(g: Graph) -> None:
    _set(g, _first_claim(g), CG.documentFile, Literal("elsewhere.md"))


def source_name_of_another(g: Graph) -> None:
    _set(g, _first_claim(g), CG.sourceName, Literal("Someone Else"))


def summary_range_upside_down(g: Graph) -> None:
    summary = next(iter(g.subjects(RDF.type, CG.FigureSummary)))
    _set(g, summary, CG.minValue, _decimal("99"))


def repeated_in_one_document(g: Graph) -> None:
    figure = URIRef("https://w3id.org/claimgraph/id/summary/once")
    g.add((figure, RDF.type, CG.RepeatedFigure))
    g.add((figure, CG.summaryPlaceCode, Literal("US")))
    g.add((figure, CG.summaryMeasure, MEASURE["returned"]))
    g.add((figure, CG.repeatedValue, _decimal("7")))
    g.add((figure, CG.documentCount, Literal(1)))


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (low_above_value, "lower bound"),
        (high_below_value, "upper bound"),
        (two_values, "exactly one cg:value"),
        (no_stated_in, "exactly one cg:statedIn"),
        (document_missing, "must be a cg:Document"),
        (end_beyond_text, "outside its document's text"),
        (evidence_elsewhere, "oa:hasSource must equal its cg:statedIn"),
        (start_after_end, "oa:start must be smaller than its oa:end"),
        (severity_above_one, "between 0 and 1"),
        (severity_key_as_decimal, "cg:severityKey"),
        (same_claim_twice, "two different claims"),
        (empty_reason, "exactly one cg:reason"),
        (kind_outside_vocabulary, "conflict-kind vocabulary"),
        (measure_outside_vocabulary, "measure vocabulary"),
        (bad_place_code, "cg:placeCode"),
        (bad_place_role, "cg:placeRole"),
        (as_of_as_string, "cg:asOf"),
        (two_quotes, "exactly one cg:quote"),
        (document_file_elsewhere, "cg:documentFile must be the cg:sourceFile"),
        (source_name_of_another, "cg:sourceName must be the schema:name"),
        (summary_range_upside_down, "no greater than its cg:maxValue"),
        (repeated_in_one_document, "2 or more"),
    ],
    ids=lambda v: v.__name__ if callable(v) else None,
)
def test_broken_example_does_not_conform(
    build: Graph,
    shapes: Graph,
    ont_graph: Graph,
    vocabularies: Graph,
    mutate: Callable[[Graph], None],
    message: str,
) -> None:
    mutate(build)
    conforms, messages, text = _validate(build, shapes, ont_graph, vocabularies)
    assert not conforms
    assert any(message in m for m in messages), (
        f"no message mentions {message!r}:\n{text}"
    )
