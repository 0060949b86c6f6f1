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
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pyoxigraph as ox

from claimgraph.cache import Extracted, ExtractionCache, document_key
from claimgraph.config import DEFAULT_CONFIG, BuildConfig
from claimgraph.errors import InputError
from claimgraph.extract import extract_claims
from claimgraph.extract.attribution import canonical_organisation, organisations_for
from claimgraph.load import load_corpus
from claimgraph.model import Claim, Document
from claimgraph.namespaces import PREFIXES
from claimgraph.rdfgraph import organisation_quads, place_quads, reconciliation_quads
from claimgraph.reconcile import ReconcileResult, reconcile
from claimgraph.reviews import read_reviews
from claimgraph.rows import claim_rows, conflict_rows, consensus_rows, document_rows
from claimgraph.store import write_atomic
from claimgraph.tables import CLAIM_COLUMNS, CONFLICT_COLUMNS, EXTRA_CLAIM_COLUMNS, EXTRA_CONFLICT_COLUMNS, to_csv
from claimgraph.trig import document_chunk, trig_chunk, trig_header
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


def read_document(document: Document) -> Extracted:
    """Extract one document's claims and write its chunk of claims.trig (what a worker process does)."""
    claims = extract_claims(document)
    return Extracted(claims, document_chunk(document, claims))


def _read_all(documents: list[Document], progress: Callable[[int, int], None] | None, jobs: int) -> Iterator[Extracted]:
    if jobs > 1 and len(documents) >= PARALLEL_FROM:
        import multiprocessing

        context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
        with context.Pool(jobs) as pool:
            for index, found in enumerate(pool.imap(read_document, documents, chunksize=16), start=1):
                if progress:
                    progress(index, len(documents))
                yield found
        return
    for index, document in enumerate(documents, start=1):
        found = read_document(document)
        if progress:
            progress(index, len(documents))
        yield found


def extract_documents(
    documents: list[Document],
    cache: ExtractionCache | None = None,
    progress: Callable[[int, int], None] | None = None,
    jobs: int = 1,
) -> list[Extracted]:
    """What every document gives (claims and TriG chunk), in document order.

    Documents found in CACHE (same text, metadata and code) are not read again;
    the others are read, with ``jobs`` > 1 in worker processes, and added to it.
    """
    keys = [document_key(d) for d in documents] if cache else []
    found = cache.get_many(keys) if cache else {}
    missing = [i for i, key in enumerate(keys) if key not in found] if cache else list(range(len(documents)))
    fresh = dict(zip(missing, _read_all([documents[i] for i in missing], progress, jobs), strict=True))
    if cache and fresh:
        cache.put_many((keys[i], extracted) for i, extracted in fresh.items())
    return [fresh[i] if i in fresh else found[keys[i]] for i in range(len(documents))]


def extract_all(
    documents: list[Document], progress: Callable[[int, int], None] | None = None, jobs: int = 1
) -> list[Claim]:
    """Claims of every document, in document order; with ``jobs`` > 1 (and enough documents) in worker processes."""
    return [claim for extracted in extract_documents(documents, None, progress, jobs) for claim in extracted.claims]


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
    cache = ExtractionCache(out_dir) if config.cache else None
    try:
        extracted = extract_documents(documents, cache, _progress_printer(config), config.jobs)
        claims = [claim for e in extracted for claim in e.claims]
        result = reconcile(claims, read_reviews(review_file))
        warnings = loaded.warnings + result.reviews.messages(_shown(review_file))
        manifest = build_manifest(out_dir, [] if not corpora else sources, review_file, config, warnings)
        outputs = render_outputs(documents, claims, result, config, manifest)
        outputs["claims.trig"] = trig_chunks(documents, claims, extracted, result)
        write_outputs(out_dir, outputs)
        if cache:
            cache.keep_only(document_key(d) for d in documents)
    finally:
        if cache:
            cache.close()
    return BuildResult(out_dir, documents, claims, result, warnings, time.perf_counter() - started)


def trig_chunks(documents: list[Document], claims: list[Claim], extracted: list[Extracted], result: ReconcileResult) -> Iterator[bytes]:
    """claims.trig as a stream of chunks (see :mod:`claimgraph.trig`): header, shared, one per document, reconciliation."""
    organisations = organisations_for({c.attributed_to for c in claims} | {canonical_organisation(d.publisher) for d in documents if d.publisher})
    places = sorted({code for c in claims if c.country for code in c.country.split("+")})
    yield trig_header()
    shared = list(vocabulary_quads())
    for org in organisations:
        shared.extend(organisation_quads(org))
    for code in places:
        shared.extend(place_quads(code))
    yield trig_chunk(shared)
    for each in extracted:
        yield each.chunk
    yield trig_chunk(reconciliation_quads(result.conflicts, result.ranks, result.verdicts, result.consensus))


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


def render_outputs(
    documents: list[Document], claims: list[Claim], result: ReconcileResult, config: BuildConfig, manifest: dict | None = None
) -> dict[str, bytes | Iterable[bytes]]:
    """The bytes of every output but claims.trig, from the tables of the pipeline's objects (:mod:`claimgraph.rows`).

    The pages are capped for very large corpora (``config.page_claims``,
    ``config.audit_conflicts``): they say how much they leave out, and the CSV
    tables always hold everything.
    """
    from claimgraph.audit import audit_view_of_rows, render_audit_html

    manifest = manifest or {}
    claim_table = claim_rows(claims, result.ranks)
    conflict_table = conflict_rows(result.conflicts, result.verdicts)
    document_table = document_rows(documents)
    audit = audit_view_of_rows(claim_table, document_table, conflict_table, consensus_rows(result.consensus),
                               stale_review_messages(manifest), limit=config.audit_conflicts)  # fmt: skip
    return {
        "claims.csv": csv_chunks(claim_table, CLAIM_COLUMNS + EXTRA_CLAIM_COLUMNS),
        "conflicts.csv": csv_chunks(conflict_table, CONFLICT_COLUMNS + EXTRA_CONFLICT_COLUMNS),
        "graph.html": render_graph_page(document_table, claim_table, conflict_table, config).encode("utf-8"),
        "audit.html": render_audit_html(audit).encode("utf-8"),
        "build.json": (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8"),
    }


def csv_chunks(rows: list[dict[str, str]], columns: tuple[str, ...], batch: int = 20_000) -> Iterator[bytes]:
    """A CSV table written in batches of rows (the same bytes as :func:`claimgraph.tables.to_csv`)."""
    yield to_csv([], columns).encode("utf-8")
    for start in range(0, len(rows), batch):
        yield to_csv(rows[start : start + batch], columns).split("\n", 1)[1].encode("utf-8")


def render_graph_page(documents: list[dict[str, str]], claims: list[dict[str, str]], conflicts: list[dict[str, str]],
                      config: BuildConfig) -> str:  # fmt: skip
    """graph.html; above ``config.page_claims`` claims, only the most contested ones (the rest are in the tables)."""
    from claimgraph.viz import GraphView, render_graph_html

    title = "claimgraph"
    if len(claims) > config.page_claims:
        shown_conflicts = conflicts[: config.page_claims // 4]
        contested = {iri for row in shown_conflicts for iri in (row["claim_a"], row["claim_b"])}
        ranked = sorted(claims, key=lambda row: (row["claim"] not in contested, row["rank"] != "preferred"))
        kept = {row["claim"] for row in ranked[: config.page_claims]}
        title = (f"claimgraph: {len(kept):,} of {len(claims):,} claims and {len(shown_conflicts):,} of {len(conflicts):,} conflicts "
                 "(the most severe; all are in claims.csv and conflicts.csv)")  # fmt: skip
        claims = [row for row in claims if row["claim"] in kept]
        conflicts = [row for row in shown_conflicts if row["claim_a"] in kept and row["claim_b"] in kept]
        cited = {row["document"] for row in claims}
        documents = [row for row in documents if row["document"] in cited]
    view = GraphView(documents=documents, claims=claims, conflicts=conflicts, title=title)
    return render_graph_html(view, aggregate_above=config.aggregate_above)


def write_outputs(out_dir: Path, outputs: Mapping[str, bytes | Iterable[bytes]]) -> None:
    """Write all outputs (bytes, or chunks of bytes) to a temporary folder, then move each into place.

    Nothing in OUT_DIR changes until every output is complete, so a build that
    fails keeps the previous outputs.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".claimgraph-build-", dir=out_dir))
    try:
        for name, data in outputs.items():
            with (staging / name).open("wb") as handle:
                if isinstance(data, bytes):
                    handle.write(data)
                else:
                    for chunk in data:
                        handle.write(chunk)
        for name in outputs:
            os.replace(staging / name, out_dir / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


__all__ = ["OUTPUTS", "BuildResult", "build", "example_corpus", "write_atomic"]
