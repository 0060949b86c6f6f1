"""claimgraph: a knowledge graph of numeric claims, with their sources, and the figures that disagree.

The pipeline, one public function per stage (plain data in, plain data out)::

    load_corpus → extract_documents (extract_claims + a TriG chunk each) → reconcile → render_outputs → write_outputs
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

from claimgraph.audit import AuditView, audit_view, render_audit_text  # noqa: E402
from claimgraph.build import BuildResult, build, example_corpus  # noqa: E402
from claimgraph.config import BuildConfig  # noqa: E402
from claimgraph.extract import extract_claims  # noqa: E402
from claimgraph.load import load_corpus  # noqa: E402
from claimgraph.model import Claim, Conflict, Document, Organisation  # noqa: E402
from claimgraph.query import canned_queries, format_result, run_query  # noqa: E402
from claimgraph.reconcile import ReconcileResult, reconcile  # noqa: E402
from claimgraph.store import load_store  # noqa: E402
from claimgraph.tables import claims_table, conflicts_table, consensus_table, documents_table  # noqa: E402
from claimgraph.validate import validate_graph  # noqa: E402
from claimgraph.verdicts import Recorded, record_verdict  # noqa: E402

if TYPE_CHECKING:
    from claimgraph.viz import GraphView, render_graph_html

# The page renderer pulls in networkx and pyvis (~0.5 s): imported on first use, not by `import claimgraph`.
_LAZY = {"GraphView": "claimgraph.viz", "render_graph_html": "claimgraph.viz"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'claimgraph' has no attribute {name!r}")

__all__ = [
    "AuditView", "BuildConfig", "BuildResult", "Claim", "Conflict", "Document", "GraphView", "Organisation",
    "ReconcileResult", "Recorded", "audit_view", "build", "canned_queries", "claims_table", "conflicts_table",
    "consensus_table", "documents_table", "example_corpus", "extract_claims", "format_result", "load_corpus",
    "load_store", "reconcile", "record_verdict", "render_audit_text", "render_graph_html", "run_query",
    "validate_graph",
]  # fmt: skip
