"""The whole pipeline: corpus folders → claims.trig, claims.csv, conflicts.csv, graph.html, audit.html, build.json.

Outputs are written into a temporary folder beside DIR and moved into place
only when every one of them is complete, so a build that fails leaves the
previous outputs as they were.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pyoxigraph as ox

from claimgraph.config import DEFAULT_CONFIG, BuildConfig
from claimgraph.errors import InputError
from claimgraph.extract import extract_claims
from claimgraph.extract.attribution import canonical_organisation, organisations_for
from claimgraph.load import load_corpus
from claimgraph.model import Claim, Document
from claimgraph.namespaces import PREFIXES
from claimgraph.rdfgraph import dataset_quads
from claimgraph.reconcile import ReconcileResult, reconcile
from claimgraph.reviews import read_reviews
from claimgraph.store import write_atomic
from claimgraph.tables import (
    CLAIM_COLUMNS,
    CONFLICT_COLUMNS,
    EXTRA_CLAIM_COLUMNS,
    EXTRA_CONFLICT_COLUMNS,
    claims_table,
    conflicts_table,
    documents_table,
    to_csv,
)
from claimgraph.validate import ontology_dir

OUTPUTS = ("claims.trig", "claims.csv", "conflicts.csv", "graph.html", "audit.html", "build.json")
BUNDLED = "bundled:example"  # how build.json names the bundled example corpus


def example_corpus() -> Path:
    """The example corpus bundled with the package (our own words, real figures and sources)."""
    return Path(str(resources.files("claimgraph") / "data" / "example"))


@dataclass
class BuildResult:
    """What a build produced, for the CLI and notebooks."""

    out: Path
    documents: list[Document]
    claims: list[Claim]
    reconciliation: ReconcileResult
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        """One line: how many documents, claims and conflicts, and where the outputs are."""
        return (
            f"{len(self.documents)} documents, {len(self.claims)} claims, {len(self.reconciliation.conflicts)} conflicts "
            f"in {self.seconds:.1f}s -> {self.out}/ ({', '.join(OUTPUTS)})"
        )


def vocabulary_quads() -> list[ox.Quad]:
    """The SKOS vocabularies, so the built graph describes its own ids (skos:notation, labels)."""
    path = ontology_dir() / "vocabularies.ttl"
    return [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)]


PARALLEL_FROM = 200  # documents: below this, starting worker processes costs more than it saves


def extract_all(
    documents: list[Document], progress: Callable[[int, int], None] | None = None, jobs: int = 1
) -> list[Claim]:
    """Claims of every document, in document order; with ``jobs`` > 1 (and enough documents) in worker processes.

    Workers get documents in chunks and send claims back in order, so the
    result is the same list as a serial run.
    """
    claims: list[Claim] = []
    if jobs > 1 and len(documents) >= PARALLEL_FROM:
        import multiprocessing

        context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
        with context.Pool(jobs) as pool:
            for index, found in enumerate(pool.imap(extract_claims, documents, chunksize=32), start=1):
                claims.extend(found)
                if progress:
                    progress(index, len(documents))
        return claims
    for index, document in enumerate(documents, start=1):
        claims.extend(extract_claims(document))
        if progress:
            progress(index, len(documents))
    return claims


def serialise_trig(quads: list[ox.Quad]) -> bytes:
    """TriG with the project's prefixes; quads arrive sorted, so output is byte-stable."""
    return ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=PREFIXES)


def _progress_printer(config: BuildConfig) -> Callable[[int, int], None] | None:
    if not config.progress:
        return None
    started = time.perf_counter()

    def show(done: int, total: int) -> None:
        if total >= config.progress_every and (done % config.progress_every == 0 or done == total):
            rate = done / max(time.perf_counter() - started, 1e-9)
            print(f"extracting: {done}/{total} documents ({rate:,.0f}/s)", file=sys.stderr, flush=True)

    return show


def reviews_path(sources: list[Path], config: BuildConfig, explicit: Path | str | None = None) -> Path:
    """Where the reviewers' verdicts are kept: EXPLICIT, else the reviews file in the first corpus folder."""
    if explicit:
        return Path(explicit)
    first = sources[0] if sources else example_corpus()
    return (first if first.is_dir() else first.parent) / config.reviews_file


def build(
    corpora: list[Path | str] | None,
    out: Path | str,
    config: BuildConfig = DEFAULT_CONFIG,
    reviews: Path | str | None = None,
) -> BuildResult:
    """Load, extract, graph, reconcile, apply reviewers' verdicts, and write the outputs into `out`.

    With no corpora, builds the bundled example corpus. The verdicts come from
    REVIEWS, else ``reviews.tsv`` in the first corpus folder; verdicts on
    conflicts that no longer exist are reported as warnings, never dropped.
    """
    started = time.perf_counter()
    out_dir = Path(out)
    sources = [Path(c) for c in corpora] if corpora else [example_corpus()]
    loaded = load_corpus(sources, strict=config.strict)
    review_file = reviews_path(sources, config, reviews)
    documents = loaded.documents
    claims = extract_all(documents, _progress_printer(config), config.jobs)
    result = reconcile(claims, read_reviews(review_file))
    warnings = loaded.warnings + result.reviews.messages(_shown(review_file))
    organisations = organisations_for({c.attributed_to for c in claims} | {canonical_organisation(d.publisher) for d in documents if d.publisher})
    quads = dataset_quads(documents, claims, result.conflicts, organisations, result.ranks, vocabulary_quads(),
                          result.verdicts, result.consensus)
    store = ox.Store()
    store.bulk_extend(quads)
    manifest = build_manifest(out_dir, [] if not corpora else sources, review_file, config, warnings)
    outputs = render_outputs(store, quads, config, manifest)
    write_outputs(out_dir, outputs)
    return BuildResult(out_dir, documents, claims, result, warnings, time.perf_counter() - started)


def _shown(path: Path) -> str:
    """A path as messages show it: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _portable(path: Path, out_dir: Path) -> str:
    """PATH as build.json records it: relative to the output folder, or inside the bundled example."""
    try:
        return f"{BUNDLED}/{path.resolve().relative_to(example_corpus().resolve()).as_posix()}".rstrip("/.")
    except ValueError:
        return Path(os.path.relpath(path.resolve(), out_dir.resolve())).as_posix()


def build_manifest(out_dir: Path, corpora: list[Path], review_file: Path, config: BuildConfig, warnings: list[str]) -> dict:
    """What ``build.json`` records: how to rebuild this output (corpora, reviews file, options) and what was reported."""
    return {
        "corpora": [_portable(c, out_dir) for c in corpora] or [BUNDLED],
        "reviews": _portable(review_file, out_dir),
        "strict": config.strict,
        "warnings": warnings,
    }


def resolve_manifest_path(text: str, out_dir: Path) -> Path:
    """A path recorded in build.json, back as a real path."""
    if text == BUNDLED or text.startswith(BUNDLED + "/"):
        return example_corpus() / text[len(BUNDLED) + 1 :]
    return (out_dir / text).resolve()


def read_manifest(out_dir: Path | str) -> dict:
    """The build.json of a built output folder ({} when there is none)."""
    path = Path(out_dir) / "build.json"
    if not path.is_file():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg}", str(path), exc.lineno) from None


def stale_review_messages(manifest: dict) -> list[str]:
    """The build's warnings about reviewers' verdicts that were re-attached or no longer apply."""
    return [w for w in manifest.get("warnings", []) if "verdict '" in w]


def render_outputs(store: ox.Store, quads: list[ox.Quad], config: BuildConfig, manifest: dict | None = None) -> dict[str, bytes]:
    """The bytes of every output file, rendered from the graph."""
    from claimgraph.audit import audit_view, render_audit_html
    from claimgraph.viz import GraphView, render_graph_html

    manifest = manifest or {}
    claims = claims_table(store)
    conflicts = conflicts_table(store)
    view = GraphView(documents=documents_table(store), claims=claims, conflicts=conflicts, title="claimgraph")
    audit = audit_view(store, stale_review_messages(manifest))
    return {
        "claims.trig": serialise_trig(quads),
        "claims.csv": to_csv(claims, CLAIM_COLUMNS + EXTRA_CLAIM_COLUMNS).encode("utf-8"),
        "conflicts.csv": to_csv(conflicts, CONFLICT_COLUMNS + EXTRA_CONFLICT_COLUMNS).encode("utf-8"),
        "graph.html": render_graph_html(view, aggregate_above=config.aggregate_above).encode("utf-8"),
        "audit.html": render_audit_html(audit).encode("utf-8"),
        "build.json": (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8"),
    }


def write_outputs(out_dir: Path, outputs: dict[str, bytes]) -> None:
    """Write all outputs to a temporary folder, then move each into place (atomic per file)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".claimgraph-build-", dir=out_dir))
    try:
        for name, data in outputs.items():
            (staging / name).write_bytes(data)
        for name in outputs:
            os.replace(staging / name, out_dir / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


__all__ = ["OUTPUTS", "BuildResult", "build", "example_corpus", "write_atomic"]
