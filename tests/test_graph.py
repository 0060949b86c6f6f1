"""The graph: golden build of the example corpus, determinism, and graph/ kept current."""

from __future__ import annotations

from pathlib import Path

import rdflib
from rdflib.compare import isomorphic

from claimgraph.build import build
from claimgraph.config import BuildConfig

REPO = Path(__file__).resolve().parents[1]


def _dataset(path: Path) -> rdflib.Graph:
    ds = rdflib.Dataset()
    ds.parse(path, format="trig")
    union = rdflib.Graph()
    for s, p, o, _g in ds.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def test_committed_graph_is_current(example_build) -> None:
    """graph/ holds the build of the bundled example corpus: rebuild with `make demo` when this fails."""
    for name in ("claims.trig", "claims.csv", "conflicts.csv"):
        committed = REPO / "graph" / name
        assert committed.is_file(), f"graph/{name} is missing: run `make demo`"
        assert (example_build.out / name).read_bytes() == committed.read_bytes(), f"graph/{name} is stale: run `make demo`"
    assert isomorphic(_dataset(example_build.out / "claims.trig"), _dataset(REPO / "graph" / "claims.trig"))


def test_rebuild_is_byte_identical(tmp_path: Path, example_build) -> None:
    again = build(None, tmp_path, BuildConfig(progress=False))
    assert (again.out / "claims.trig").read_bytes() == (example_build.out / "claims.trig").read_bytes()


def test_one_named_graph_per_document_and_documents_in_default(example_build) -> None:
    ds = rdflib.Dataset()
    ds.parse(example_build.out / "claims.trig", format="trig")
    cg = rdflib.Namespace("https://w3id.org/claimgraph/ns#")
    default = ds.default_context
    docs = set(default.subjects(rdflib.RDF.type, cg.Document))
    assert len(docs) == len(example_build.documents)
    for doc in docs:
        graph_iri = default.value(doc, cg.claimGraph)
        claims = set(ds.graph(graph_iri).subjects(rdflib.RDF.type, cg.Claim))
        assert all(ds.graph(graph_iri).value(c, cg.statedIn) == doc for c in claims)
    assert not set(default.subjects(rdflib.RDF.type, cg.Claim))
