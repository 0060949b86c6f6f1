"""RDF namespaces used by claimgraph, one per line, and the IRI minting rules."""

from __future__ import annotations

from rdflib import Namespace

BASE = "https://w3id.org/claimgraph/"

CG = Namespace(BASE + "ns#")  # the claimgraph ontology (classes and properties)
ID = Namespace(BASE + "id/")  # instance data: documents, claims, conflicts, graphs
MEASURE = Namespace(BASE + "vocab/measure/")  # SKOS concept scheme: measures
POPULATION = Namespace(BASE + "vocab/population/")  # SKOS concept scheme: populations
QUALIFIER = Namespace(BASE + "vocab/qualifier/")  # SKOS concept scheme: qualifiers
CONFLICT_KIND = Namespace(BASE + "vocab/conflict-kind/")  # SKOS concept scheme: conflict kinds
PROV = Namespace("http://www.w3.org/ns/prov#")
SCHEMA = Namespace("https://schema.org/")
OA = Namespace("http://www.w3.org/ns/oa#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
SH = Namespace("http://www.w3.org/ns/shacl#")
WIKIBASE = Namespace("http://wikiba.se/ontology#")
WD = Namespace("http://www.wikidata.org/entity/")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
DCTERMS = Namespace("http://purl.org/dc/terms/")

PREFIXES: dict[str, str] = {
    "cg": str(CG),
    "id": str(ID),
    "measure": str(MEASURE),
    "population": str(POPULATION),
    "qualifier": str(QUALIFIER),
    "conflictkind": str(CONFLICT_KIND),
    "prov": str(PROV),
    "schema": str(SCHEMA),
    "oa": str(OA),
    "skos": str(SKOS),
    "wikibase": str(WIKIBASE),
    "wd": str(WD),
    "xsd": str(XSD),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "dcterms": str(DCTERMS),
}

SPARQL_PREFIXES = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
