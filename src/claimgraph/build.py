"""The whole pipeline: corpus folders → claims.trig, claims.csv, conflicts.csv, graph.html, audit.html, build.json.

Outputs are written into a temporary folder beside DIR and moved into place
only when every one of them is complete, so a build that fails leaves the
previous outputs as they were.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from claimgraph.cache import RECONCILIATION_CODE, ExtractionCache, code_fingerprint
from claimgraph.config import DEFAULT_CONFIG, BuildConfig
from claimgraph.errors import InputError
from claimgraph.gcpause import paused_gc
from claimgraph.load import load_corpus
from claimgraph.loadmemo import DocumentMemo
from claimgraph.model import Claim, Document
from claimgraph.outputs import (
    SPLICED_TABLES,
    conflict_runs,
    render_outputs,
    stale_review_messages,
    store_chunks,
    trig_chunks,
    trig_chunks_spliced,
    vocabulary_quads,
    write_outputs,
)
from claimgraph.page_process import PageProcess
from claimgraph.reconcile import GroupMemo, ReconcileResult, reconcile
from claimgraph.reviews import read_reviews
from claimgraph.segments import SplicedTable
from claimgraph.store import GRAPH_FILE, check_store_folder, write_atomic
from claimgraph.store_update import refresh_store
from claimgraph.stream import PARALLEL_FROM, extract_all, extract_documents
from claimgraph.totals import current_totals, write_totals
from claimgraph.writer import remove_in_background

OUTPUTS = ("claims.trig", "claims.csv", "conflicts.csv", "graph.html", "audit.html", "build.json")
PAGE_MODULES = ("pyvis.network",)  # what graph.html needs that a build has not imported
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
    read: int = 0  # documents extracted by this build (the others came unchanged from the cache)

    def summary(self) -> str:
        """One line: how many documents, claims and conflicts, and where the outputs are."""
        return (
            f"{len(self.documents)} documents ({self.read} read, {len(self.documents) - self.read} unchanged), "
            f"{len(self.claims)} claims, {len(self.reconciliation.conflicts)} conflicts "
            f"in {self.seconds:.1f}s -> {self.out}/ ({', '.join(OUTPUTS)})"
        )


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
    with paused_gc():  # a build makes millions of acyclic objects; the cyclic collector only slows it down
        return _build(corpora, Path(out), config, reviews)


def _build(corpora: list[Path | str] | None, out_dir: Path, config: BuildConfig, reviews: Path | str | None) -> BuildResult:
    started = time.perf_counter()
    if config.store:
        check_store_folder(config.store)  # before any work, and before the outputs are replaced
    sources = [Path(c) for c in corpora] if corpora else [example_corpus()]
    cleanup, cache = ExitStack(), None
    try:
        # graph.html's code imported by a second process while this one loads the corpus; it renders the page later
        pages = PageProcess.start(PAGE_MODULES)
        if pages:
            cleanup.callback(pages.stop)
        memo = DocumentMemo(out_dir) if config.cache else None
        loaded = load_corpus(sources, strict=config.strict, memo=memo)
        review_file = reviews_path(sources, config, reviews)
        recorded = read_reviews(review_file)  # a broken reviews file fails the build before any extraction
        documents = in_shard(loaded.documents, config.shard)
        cache = ExtractionCache(out_dir) if config.cache else None
        for other in config.cache_from if cache else ():
            cache.merge_from(Path(other))  # type: ignore[union-attr]
        keys = memo.keys(documents) if memo else None
        extraction = extract_documents(documents, cache, _progress_printer(config), config.jobs, keys)
        claims = extraction.all_claims()
        document_keys = dict(zip((d.source_file for d in documents), extraction.keys, strict=True))
        groups = GroupMemo(cache.group_conflicts(), document_keys, code_fingerprint(RECONCILIATION_CODE)) if cache else None
        result = reconcile(claims, recorded, groups)
        # the shared chunk's names and the summaries: the last build's, updated by difference where it can
        totals = current_totals(out_dir if cache else None, extraction.keys, extraction.claims, cache.claims_of if cache else None)
        warnings = loaded.warnings + result.reviews.messages(_shown(review_file))
        manifest = build_manifest(out_dir, [] if not corpora else sources, review_file, config, warnings)
        spliced = {name: SplicedTable(out_dir, name, code) for name, code in SPLICED_TABLES.items()} if cache else {}
        # conflicts.csv and claims.trig are spliced in the same runs of conflicts, made once here (before a writer forks)
        runs = list(conflict_runs(result.conflicts, result.verdicts)) if spliced else None
        outputs = render_outputs(documents, claims, result, config, manifest, spliced, extraction.keys, runs)
        if spliced:  # copied from the last build's claims.trig where unchanged
            outputs["claims.trig"] = trig_chunks_spliced(spliced["claims.trig"], documents, totals, extraction, result, runs)
        else:
            outputs["claims.trig"] = trig_chunks(documents, totals, extraction, result)
        # A forked child writes claims.trig meanwhile, and conflicts.csv when it is rendered whole; audit.html and the CSV
        # tables too when they are spliced. graph.html goes to the page process, so this process only makes the page's
        # inputs (a rebuild at 10^4: the child writes for about 0.35 s, the page process renders for 0.27 s; with
        # audit.html written here instead, seven rebuilds each took a median of 1.19 s against 1.17 s)
        replaced = write_outputs(out_dir, outputs, background=("claims.trig", "audit.html", "claims.csv", "conflicts.csv") if spliced else ("claims.trig", "conflicts.csv"),
                                 keep_replaced=True, pages=pages)  # fmt: skip
        for table in spliced.values():
            table.release()  # the last build's table, open to copy from: closed before the thread below frees it
        if replaced:  # the outputs replaced, freed while the caches are saved
            cleanup.callback(remove_in_background(replaced))
        for table in spliced.values():
            table.save()  # where each segment now lies, for the next build
        if config.store:  # before the cache forgets the chunks of documents that changed
            with store_chunks(spliced.get("claims.trig"), documents, totals, result) as chunks:
                refresh_store(config.store, out_dir / GRAPH_FILE, {d.iri: key for d, key in zip(documents, extraction.keys, strict=True)},
                              cache.chunk if cache else lambda _key: None, chunks)  # fmt: skip
        if cache:
            write_totals(out_dir, totals)
        if cache and groups:
            cache.keep_only(extraction.keys)
            cache.keep_group_conflicts(groups.used, groups.known)
        if memo:
            memo.save()
    finally:
        if cache:
            cache.close()
        cleanup.close()
    return BuildResult(out_dir, documents, claims, result, warnings, time.perf_counter() - started, extraction.read)


def in_shard(documents: list[Document], shard: tuple[int, int] | None) -> list[Document]:
    """The documents of shard K of N (by a hash of their path, so every machine splits a corpus alike); all without SHARD."""
    if shard is None:
        return documents
    k, n = shard
    return [d for d in documents if int(hashlib.sha256(d.source_file.encode("utf-8")).hexdigest()[:12], 16) % n == k - 1]


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


__all__ = [
    "OUTPUTS", "PARALLEL_FROM", "BuildResult", "build", "example_corpus", "extract_all", "stale_review_messages",
    "vocabulary_quads", "write_atomic",
]  # fmt: skip
