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
from collections.abc import Callable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from claimgraph.cache import RECONCILIATION_CODE, ExtractionCache, code_fingerprint
from claimgraph.config import DEFAULT_CONFIG, BuildConfig
from claimgraph.delta import Delta, rebuild_by_difference, state_of_build
from claimgraph.delta_outputs import render_delta_outputs
from claimgraph.delta_store import DeltaStore, forget_state, new_token, read_state, write_state
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
    warm_graph_page,
    write_outputs,
)
from claimgraph.page_memo import PageMemo, memo_of_view, write_memo
from claimgraph.page_process import Deferred, PageProcess
from claimgraph.reconcile import GroupMemo, ReconcileResult, reconcile
from claimgraph.reviews import Review, read_reviews
from claimgraph.segments import SplicedTable
from claimgraph.store import GRAPH_FILE, check_store_folder, write_atomic
from claimgraph.store_update import refresh_store
from claimgraph.stream import PARALLEL_FROM, Extraction, extract_all, extract_documents
from claimgraph.totals import current_totals, write_totals
from claimgraph.writer import remove_in_background

OUTPUTS = ("claims.trig", "claims.csv", "conflicts.csv", "graph.html", "audit.html", "build.json")
PAGE_MODULES = ("pyvis.network", "claimgraph.viz")  # what graph.html needs that a build has not imported
BUNDLED = "bundled:example"  # how build.json names the bundled example corpus


def example_corpus() -> Path:
    """The example corpus bundled with the package (our own words, real figures and sources)."""
    return Path(str(resources.files("claimgraph") / "data" / "example"))


class BuildResult:
    """What a build produced, for the CLI and notebooks.

    A rebuild by difference (see :mod:`claimgraph.delta`) never holds every
    claim and conflict: ``claims`` and ``reconciliation`` are then read from the
    output folder's caches when first asked for (an error if a later build has
    replaced them meanwhile).
    """

    def __init__(
        self, out: Path, documents: list[Document], claims: list[Claim] | Callable[[], list[Claim]],
        reconciliation: ReconcileResult | Callable[[], ReconcileResult], warnings: list[str] | None = None, seconds: float = 0.0,
        read: int = 0, counts: tuple[int, int] | None = None,
    ) -> None:  # fmt: skip
        self.out, self.documents, self.warnings, self.seconds = out, documents, warnings or [], seconds
        self.read = read  # documents extracted by this build (the others came unchanged from the cache)
        self._claims, self._reconciliation = claims, reconciliation
        self._counts = counts  # claims and conflicts, where the two are not held
        self.by_difference = counts is not None  # a rebuild by difference (see claimgraph.delta)

    @property
    def claims(self) -> list[Claim]:
        """Every claim, in the documents' order."""
        if callable(self._claims):
            self._claims = self._claims()
        return self._claims

    @property
    def reconciliation(self) -> ReconcileResult:
        """What reconciliation found."""
        if callable(self._reconciliation):
            self._reconciliation = self._reconciliation()
        return self._reconciliation

    @property
    def counts(self) -> tuple[int, int]:
        """How many claims and conflicts the build found (without reading them, for a build by difference)."""
        return self._counts or (len(self.claims), len(self.reconciliation.conflicts))

    def summary(self) -> str:
        """One line: how many documents, claims and conflicts, and where the outputs are."""
        claims, conflicts = self.counts
        return (
            f"{len(self.documents)} documents ({self.read} read, {len(self.documents) - self.read} unchanged), "
            f"{claims} claims, {conflicts} conflicts in {self.seconds:.1f}s -> {self.out}/ ({', '.join(OUTPUTS)})"
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
    cleanup = ExitStack()
    with cleanup:
        # graph.html's code imported by a second process while this one loads the corpus; it renders the page later
        pages = PageProcess.start(PAGE_MODULES, warm_graph_page)
        if pages:
            cleanup.callback(pages.stop)
        memo = DocumentMemo(out_dir) if config.cache else None
        loaded = load_corpus(sources, strict=config.strict, memo=memo)
        review_file = reviews_path(sources, config, reviews)
        recorded = read_reviews(review_file)  # a broken reviews file fails the build before any extraction
        documents = in_shard(loaded.documents, config.shard)
        cache = ExtractionCache(out_dir) if config.cache else None
        if cache:
            cleanup.callback(cache.close)
        for other in config.cache_from if cache else ():
            cache.merge_from(Path(other))  # type: ignore[union-attr]
        keys = memo.keys(documents) if memo else None
        build = _Build(out_dir, config, documents, pages, cleanup, cache)
        delta = _by_difference(build, keys, recorded) if cache and memo and keys is not None else None
        if delta:
            answer = _write_by_difference(build, delta, loaded.warnings, corpora, sources, review_file, memo)  # type: ignore[arg-type]
        else:
            answer = _write_whole(build, keys, recorded, loaded.warnings, corpora, sources, review_file)
            if memo:
                memo.save()
    answer.seconds = time.perf_counter() - started
    return answer


@dataclass
class _Build:
    """What the two ways of writing a build share."""

    out_dir: Path
    config: BuildConfig
    documents: list[Document]
    pages: PageProcess | None
    cleanup: ExitStack
    cache: ExtractionCache | None
    read: int = 0  # documents extracted

    @property
    def files(self) -> list[str]:
        return [d.source_file for d in self.documents]

    def extract(self, places: list[int], keys: list[str] | None) -> Extraction:
        """What the documents at PLACES (with their cache KEYS, where known) gave, extracted unless cached."""
        chosen = [self.documents[i] for i in places]
        extraction = extract_documents(chosen, self.cache, _progress_printer(self.config), self.config.jobs,
                                       [keys[i] for i in places] if keys is not None else None)  # fmt: skip
        self.read += extraction.read
        return extraction

    def write(self, outputs: dict, spliced: Mapping[str, SplicedTable], store: Callable[[], None], meanwhile: Callable[[], None] | None = None,
              after_background: Callable[[], None] | None = None) -> None:  # fmt: skip
        """Write OUTPUTS (calling MEANWHILE while they are written, and AFTER_BACKGROUND once the forked writer's are: see
        :func:`claimgraph.writer.write_files`), record where the SPLICED tables' segments lie, and refresh the store (STORE)."""
        # A forked child writes claims.trig meanwhile, and conflicts.csv when it is rendered whole; audit.html and the CSV
        # tables too when they are spliced. graph.html goes to the page process, so this process only makes the page's
        # inputs (a rebuild at 10^4: the child writes for about 0.35 s, the page process renders for 0.27 s; with
        # audit.html written here instead, seven rebuilds each took a median of 1.19 s against 1.17 s)
        background = ("claims.trig", "audit.html", "claims.csv", "conflicts.csv") if spliced else ("claims.trig", "conflicts.csv")
        replaced = write_outputs(self.out_dir, outputs, background=background, keep_replaced=True, pages=self.pages, meanwhile=meanwhile,
                                 after_background=after_background)  # fmt: skip
        for table in spliced.values():
            table.release()  # the last build's table, open to copy from: closed before the thread below frees it
        if replaced:  # the outputs replaced, freed while the caches are saved
            self.cleanup.callback(remove_in_background(replaced))
        for table in spliced.values():
            table.save()  # where each segment now lies, for the next build
        if self.config.store:  # before the cache forgets the chunks of documents that changed
            store()


def _by_difference(build: _Build, keys: list[str], reviews: list[Review]) -> Delta | None:
    """The reconciliation by difference from the last build's state, where it can be (see :mod:`claimgraph.delta`)."""
    state = read_state(build.out_dir)
    if state is None:
        return None
    store = DeltaStore(build.out_dir)
    delta = rebuild_by_difference(state, store, build.cache, build.files, keys, reviews,  # type: ignore[arg-type]
                                  lambda places: build.extract(places, keys).claims, str(build.out_dir))  # fmt: skip
    if delta is None:
        store.close()
    else:
        build.cleanup.callback(store.close)
    return delta


def _write_by_difference(build: _Build, delta: Delta, warnings: list[str], corpora: list[Path | str] | None, sources: list[Path],
                         review_file: Path, memo: DocumentMemo) -> BuildResult:  # fmt: skip
    out_dir, documents, cache = build.out_dir, build.documents, build.cache
    warnings = warnings + delta.match.messages(_shown(review_file))
    manifest = build_manifest(out_dir, [] if not corpora else sources, review_file, build.config, warnings)
    spliced = {name: SplicedTable(out_dir, name, code) for name, code in SPLICED_TABLES.items()}
    pages: list[PageMemo] = []
    outputs = render_delta_outputs(delta, documents, build.config, manifest, spliced, pages.append)

    def store() -> None:
        with store_chunks(spliced["claims.trig"], documents, delta.totals, delta.result) as chunks:
            refresh_store(build.config.store, out_dir / GRAPH_FILE, {d.iri: key for d, key in zip(documents, delta.keys, strict=True)},  # type: ignore[arg-type]
                          cache.chunk, chunks)  # type: ignore[union-attr]  # fmt: skip

    # What the next build needs, valid for these documents whatever becomes of the outputs: kept while they are written,
    # the totals by the writer that brings them up to date (for claims.trig), the rest here while graph.html renders
    def keep() -> None:
        if pages:  # graph.html's rows, made by this process as it sent them to the page process
            write_memo(out_dir, pages[0])
        delta.save(out_dir)
        memo.save()
        if not build.config.store:  # (a store is refreshed after the outputs are in place, with the chunks of documents gone)
            cache.keep_only(delta.keys)  # type: ignore[union-attr]

    build.write(outputs, spliced, store, keep, after_background=lambda: write_totals(out_dir, delta.totals))
    if build.config.store:
        cache.keep_only(delta.keys)  # type: ignore[union-attr]
    return BuildResult(out_dir, documents, lambda: _all_claims(out_dir, delta.keys), lambda: _reconciliation(out_dir, delta), warnings,
                       read=build.read, counts=(delta.state.claim_count, len(delta.state.index)))  # fmt: skip


def _write_whole(build: _Build, keys: list[str] | None, recorded: list[Review], warnings: list[str], corpora: list[Path | str] | None,
                 sources: list[Path], review_file: Path) -> BuildResult:  # fmt: skip
    out_dir, documents, cache, config = build.out_dir, build.documents, build.cache, build.config
    extraction = build.extract(list(range(len(documents))), keys)
    keys, all_claims, claims, files = extraction.keys, extraction.claims, extraction.all_claims(), build.files
    groups = GroupMemo(cache.group_conflicts(), dict(zip(files, keys, strict=True)), code_fingerprint(RECONCILIATION_CODE)) if cache else None
    result = reconcile(claims, recorded, groups)
    # the shared chunk's names and the summaries: the last build's, updated by difference where it can
    totals = current_totals(out_dir if cache else None, keys, all_claims, cache.claims_of if cache else None)
    warnings = warnings + result.reviews.messages(_shown(review_file))
    manifest = build_manifest(out_dir, [] if not corpora else sources, review_file, config, warnings)
    spliced = {name: SplicedTable(out_dir, name, code) for name, code in SPLICED_TABLES.items()} if cache else {}
    # conflicts.csv and claims.trig are spliced in the same runs of conflicts, made once here (before a writer forks)
    runs = list(conflict_runs(result.conflicts, result.verdicts)) if spliced else None
    outputs = render_outputs(documents, claims, result, config, manifest, spliced, keys, runs)
    if spliced:  # copied from the last build's claims.trig where unchanged
        outputs["claims.trig"] = trig_chunks_spliced(spliced["claims.trig"], documents, totals, extraction, result, runs)
    else:
        outputs["claims.trig"] = trig_chunks(documents, totals, extraction, result)

    def store() -> None:
        with store_chunks(spliced.get("claims.trig"), documents, totals, result) as chunks:
            refresh_store(config.store, out_dir / GRAPH_FILE, {d.iri: key for d, key in zip(documents, keys, strict=True)},  # type: ignore[arg-type]
                          cache.chunk if cache else lambda _key: None, chunks)  # fmt: skip

    pages: list[PageMemo] = []
    if cache:  # graph.html's rows kept for the next build (see claimgraph.page_memo), as they are made
        page = outputs["graph.html"]

        def page_inputs() -> tuple:
            view, aggregate_above = page.inputs()  # type: ignore[union-attr]
            pages.append(memo_of_view(view, result.conflicts, result.verdicts, documents, keys, all_claims))
            return view, aggregate_above

        outputs["graph.html"] = Deferred(page.make, page_inputs)  # type: ignore[union-attr]

    def keep() -> None:  # valid for these documents whatever becomes of the outputs: kept while they are written
        if cache:
            write_totals(out_dir, totals)
            _keep_state(out_dir, files, keys, all_claims, result)
            if pages:
                write_memo(out_dir, pages[0])

    build.write(outputs, spliced, store, keep)
    if cache and groups:
        cache.keep_only(keys)
        cache.keep_group_conflicts(groups.used, groups.known)
    return BuildResult(out_dir, documents, claims, result, warnings, read=build.read)


def _keep_state(out_dir: Path, files: list[str], keys: list[str], claims: list[list[Claim]], result: ReconcileResult) -> None:
    """What the next build needs to rebuild by difference (none when two claims share an IRI: their ranks are one)."""
    if sum(map(len, claims)) != len(result.ranks):
        forget_state(out_dir)
        return
    token = new_token()
    state, rows = state_of_build(files, keys, claims, result, token)
    store = DeltaStore(out_dir)
    try:
        store.replace_all(rows, result.conflicts, token)
    finally:
        store.close()
    write_state(out_dir, state)


def _all_claims(out_dir: Path, keys: list[str]) -> list[Claim]:
    """Every claim of a build by difference, in the documents' order (read from its extraction cache)."""
    with ExtractionCache(out_dir) as cache:
        found = cache.claims_of(keys)
    if len(found) != len(set(keys)):
        raise RuntimeError(f"the claims of this build are no longer in {out_dir}: a later build replaced them")
    return [claim for key in keys for claim in found[key]]


def _reconciliation(out_dir: Path, delta: Delta) -> ReconcileResult:
    """The whole reconciliation of a build by difference: every conflict read from its delta store, every claim's rank."""
    state = delta.state
    store = DeltaStore(out_dir)
    try:
        if store.token() != state.token:
            raise RuntimeError(f"the conflicts of this build are no longer in {out_dir}: a later build replaced them")
        found = store.conflicts_by_iri(state.index.iris)
    finally:
        store.close()
    with ExtractionCache(out_dir) as cache:
        claims = cache.claims_of(delta.keys)
    ranks = {c.iri: rank for key in delta.keys for c, rank in zip(claims[key], state.ranks[key], strict=True)}
    return ReconcileResult([found[iri] for iri in state.index.iris], ranks, state.consensus, state.verdicts, delta.match)


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
