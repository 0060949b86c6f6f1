"""claimgraph: a knowledge graph of numeric claims, with their sources, and the figures that disagree.

The pipeline, one public function per stage (plain data in, plain data out)::

    load_corpus → extract_claims → dataset_quads → reconcile → outputs
"""

from __future__ import annotations

__version__ = "0.1.0"

from claimgraph.build import BuildResult, build, example_corpus  # noqa: E402
from claimgraph.extract import extract_claims  # noqa: E402
from claimgraph.load import load_corpus  # noqa: E402
from claimgraph.model import Claim, Conflict, Document, Organisation  # noqa: E402
from claimgraph.query import canned_queries, format_result, run_query  # noqa: E402
from claimgraph.reconcile import ReconcileResult, reconcile  # noqa: E402
from claimgraph.store import load_store  # noqa: E402
from claimgraph.tables import claims_table, conflicts_table, documents_table  # noqa: E402
from claimgraph.validate import validate_graph  # noqa: E402

__all__ = [
    "BuildResult", "Claim", "Conflict", "Document", "Organisation", "ReconcileResult", "build", "canned_queries",
    "claims_table", "conflicts_table", "documents_table", "example_corpus", "extract_claims", "format_result",
    "load_corpus", "load_store", "reconcile", "run_query", "validate_graph",
]  # fmt: skip
