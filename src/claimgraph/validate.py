"""SHACL validation of a built graph with pySHACL against ontology/shapes.ttl."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import rdflib

from claimgraph.store import graph_file


def ontology_dir() -> Path:
    """Where the ontology files are: inside the installed package, or the repo's ontology/ folder."""
    packaged = Path(str(resources.files("claimgraph"))) / "ontology"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "ontology"


@dataclass(frozen=True)
class ValidationResult:
    """pySHACL's answer: whether the graph conforms, and its text report."""

    conforms: bool
    report: str
    results: int


def _union(path: Path) -> rdflib.Graph:
    dataset = rdflib.Dataset()
    fmt = {".trig": "trig", ".nq": "nquads", ".ttl": "turtle", ".nt": "nt"}[path.suffix.lower()]
    dataset.parse(path, format=fmt)
    union = rdflib.Graph()
    for s, p, o, _g in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def validate_graph(graph: str | Path) -> ValidationResult:
    """Validate GRAPH (a built folder or graph file) against the SHACL shapes.

    The data graph is the union of all named graphs plus the SKOS vocabularies
    (pySHACL reads SKOS concepts only from the data graph).
    """
    import pyshacl

    folder = ontology_dir()
    data = _union(graph_file(graph))
    data.parse(folder / "vocabularies.ttl", format="turtle")
    ontology = rdflib.Graph().parse(folder / "claimgraph.ttl", format="turtle")
    data += ontology
    shapes = rdflib.Graph().parse(folder / "shapes.ttl", format="turtle")
    conforms, report_graph, report_text = pyshacl.validate(
        data, shacl_graph=shapes, ont_graph=ontology, inference="none", advanced=True, allow_warnings=True
    )
    results = len(list(report_graph.subjects(rdflib.RDF.type, rdflib.URIRef("http://www.w3.org/ns/shacl#ValidationResult"))))
    return ValidationResult(bool(conforms), str(report_text), results)
