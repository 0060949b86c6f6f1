"""Writing a build's outputs: claims.trig as a stream of chunks, the CSV tables, graph.html, audit.html and build.json.

Every output is rendered from the pipeline's objects (the tables through
:mod:`claimgraph.rows`), written into a temporary folder beside DIR and moved
into place only when all of them are complete, so a build that fails leaves
the previous outputs as they were.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Collection, Hashable, Iterable, Iterator, Mapping
from itertools import groupby, islice
from operator import attrgetter
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from claimgraph.audit import AuditEntry
from claimgraph.audit_output import (
    AUDIT_CODE,
    audit_chunks,
    audit_html,
    entries_of,
    stale_review_messages,
    uncarded_counts,
)
from claimgraph.cache import ExtractionCache
from claimgraph.config import BuildConfig
from claimgraph.consensus import Consensus
from claimgraph.extract.attribution import organisations_for
from claimgraph.model import Claim, Conflict, Document
from claimgraph.page_process import Deferred, PageProcess
from claimgraph.rdfgraph import organisation_quads, place_quads
from claimgraph.reconcile import ReconcileResult
from claimgraph.reviews import Review
from claimgraph.rows import (
    TABLE_ORDER,
    canonical_publishers,
    claim_row,
    claims_in_order,
    conflict_row,
    consensus_rows,
    document_rows,
)
from claimgraph.segments import SEGMENTS_CODE, CsvRows, SplicedTable, Whole
from claimgraph.store_update import StoreChunks
from claimgraph.stream import Extraction
from claimgraph.tables import CLAIM_COLUMNS, CONFLICT_COLUMNS, EXTRA_CLAIM_COLUMNS, EXTRA_CONFLICT_COLUMNS, to_csv
from claimgraph.totals import CorpusTotals
from claimgraph.trig import (
    conflict_text,
    consensus_close,
    rank_text,
    reconciliation_chunk,
    reconciliation_open,
    reviewer_key,
    summary_parts,
    summary_text,
    trig_chunk,
    trig_header,
)
from claimgraph.validate import ontology_dir
from claimgraph.viz import GraphView
from claimgraph.writer import Chunk, FileRange, exchange, write_files


def vocabulary_quads() -> list[ox.Quad]:
    """The SKOS vocabularies, so the built graph describes its own ids (skos:notation, labels)."""
    path = ontology_dir() / "vocabularies.ttl"
    return [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)]


def trig_chunks(documents: list[Document], totals: CorpusTotals, extraction: Extraction, result: ReconcileResult) -> Iterator[bytes]:
    """claims.trig as a stream of chunks (see :mod:`claimgraph.trig`): header, shared, one per document, reconciliation, summaries."""
    yield trig_header()
    yield shared_chunk(documents, totals)
    yield from extraction.chunks()
    yield from corpus_chunks(totals, result)


def trig_chunks_spliced(
    table: SplicedTable, documents: list[Document], totals: CorpusTotals, extraction: Extraction, result: ReconcileResult,
    runs: Iterable[tuple[bytes, Run]] | None = None,
) -> Iterator[Chunk]:
    """claims.trig as :func:`trig_chunks` writes it, copying from the last build's claims.trig what did not change.

    Segments (see :mod:`claimgraph.segments`): each document's chunk, keyed by
    its cache key (which names its text, metadata and the code that wrote the
    chunk); the conflicts in RUNS (made by :func:`conflict_runs` when not given);
    each document's claims' ranks (see :func:`rank_segments`). The shared chunk,
    the consensus and the summaries depend on the whole corpus and are rendered
    every time (the shared chunk and the summaries from TOTALS, see :mod:`claimgraph.totals`).
    """
    if extraction.cache is None:
        raise ValueError("claims.trig is spliced only with an extraction cache (the documents' chunks are keyed by it)")
    runs = conflict_runs(result.conflicts, result.verdicts) if runs is None else runs
    ranked = rank_segments(extraction.keys, extraction.claims, result.ranks)
    return trig_spliced(table, documents, lambda: totals, extraction.keys, extraction.cache, runs, ranked, result.consensus)


def trig_spliced(
    table: SplicedTable, documents: list[Document], totals: Callable[[], CorpusTotals], keys: list[str], cache: ExtractionCache,
    runs: Iterable[tuple[bytes, Iterable[RunMember]]], ranked: Iterable[tuple[Hashable | None, Callable[[], bytes]]],
    consensus: list[Consensus],
) -> Iterator[Chunk]:  # fmt: skip
    """claims.trig spliced from its parts (see :func:`trig_chunks_spliced`): the documents' chunks (KEYS, read from
    CACHE where not copied), the RUNS of conflicts, the RANKED segments, the CONSENSUS; TOTALS gives the corpus totals
    (asked for when the table is written: by a forked writer, where one writes it)."""
    def segments() -> Iterator[tuple[Hashable | None, Callable[[], bytes]]]:  # (made where the table is written)
        yield SHARED, lambda: shared_chunk(documents, totals())
        for block in key_runs(keys):  # read from the cache when not copied (an entry lost meanwhile is an error)
            yield run_key("documents", block), lambda block=block: b"".join(cache.chunks(block))
        yield RECONCILIATION_OPEN, reconciliation_open
        yield from conflict_segments(runs)
        yield from ranked
        yield RECONCILIATION_CLOSE, lambda: consensus_close(consensus)
        yield SUMMARIES, reconciliation_open  # the summaries' block: its place kept (see store_chunks), its parts spliced
        for key, render in summary_parts(totals().summaries):
            yield ("summaries", key), render
        yield SUMMARIES_CLOSE, lambda: b"}\n"

    return table.chunks(trig_header(), segments())


def key_runs(keys: Iterable[str]) -> list[list[str]]:
    """Documents' cache KEYS in runs, each ending at a key that ends in "0" (one in 16): a run of documents is one
    segment of a table, so a document that comes or goes changes its own run only, and a table of 10^4 documents has
    600 segments to look up and record, not 10,000."""
    runs, run = [], []
    for key in keys:
        run.append(key)
        if key.endswith("0"):
            runs.append(run)
            run = []
    if run:
        runs.append(run)
    return runs


def run_key(kind: str, run: list[str], ranked: Callable[[str], tuple[str, ...]] | None = None) -> tuple[str, bytes]:
    """The key of a segment of a RUN of documents (by cache key; with their claims' RANKED ranks where those decide it
    too): a digest, so a table's record holds 16 bytes per run, not every key."""
    text = "\n".join(run) if ranked is None else "\n".join(f"{key} {' '.join(ranked(key))}" for key in run)
    return kind, hashlib.blake2b(text.encode(), digest_size=16).digest()


def rank_segments(keys: list[str], claims: list[list[Claim]], ranks: Mapping[str, str]) -> Iterator[tuple[Hashable | None, Callable[[], bytes]]]:
    """The rank lines of claims.trig (every claim's, in the claims' order), as :func:`rank_runs` makes them; one segment
    rendered every time if two claims share an IRI (ranks has one line per IRI)."""
    if sum(map(len, claims)) != len(ranks):
        yield None, lambda: rank_text(ranks.items())
        return
    by_key = dict(zip(keys, claims, strict=True))
    ranked = {key: tuple(map(ranks.__getitem__, map(_CLAIM_IRI, found))) for key, found in by_key.items()}
    yield from rank_runs(keys, ranked.__getitem__, lambda wanted: {key: by_key[key] for key in wanted})


def rank_runs(keys: list[str], ranked: Callable[[str], tuple[str, ...]], claims_of: Callable[[list[str]], Mapping[str, list[Claim]]]
              ) -> Iterator[tuple[Hashable, Callable[[], bytes]]]:  # fmt: skip
    """The rank lines of claims.trig, in the claims' order, as one segment per run of documents with claims (see
    :func:`key_runs`), keyed by the documents' cache keys and their claims' RANKED ranks; CLAIMS_OF gives the claims of
    the documents of a run rendered."""

    def render(run: list[str]) -> bytes:
        found = claims_of(run)
        return b"".join(rank_text(zip(map(_CLAIM_IRI, found[key]), ranked(key), strict=True)) for key in run)

    for run in key_runs(key for key in keys if ranked(key)):
        yield run_key("ranks", run, ranked), lambda run=run: render(run)


# the parts of a spliced claims.trig rendered on every build, whose places it records (see store_chunks)
SHARED, RECONCILIATION_OPEN, RECONCILIATION_CLOSE, SUMMARIES, SUMMARIES_CLOSE = map(
    Whole, ("shared", "reconciliation-open", "reconciliation-close", "summaries", "summaries-close"))


@contextlib.contextmanager
def store_chunks(
    table: SplicedTable | None, documents: list[Document], totals: CorpusTotals, result: ReconcileResult
) -> Iterator[StoreChunks]:
    """The chunks a store refresh needs besides the documents' (see :func:`claimgraph.store_update.refresh_store`).

    Read back from the claims.trig that TABLE has just written (the reconciliation graph copied by the kernel where
    it can), else rendered again: 0.45 s at 10^4 documents, since a forked child may have written the file.
    """
    parts = (SHARED, RECONCILIATION_OPEN, RECONCILIATION_CLOSE, SUMMARIES, SUMMARIES_CLOSE)
    spans = [table.span(part.name) for part in parts] if table else [None]
    if None in spans:
        reconciliation = reconciliation_chunk(result.conflicts, result.ranks, result.verdicts, result.consensus)
        yield StoreChunks(trig_header(), shared_chunk(documents, totals), reconciliation, summary_chunk(totals))
        return
    (shared_at, shared_size), (open_at, _), (close_at, close_size), (summaries_at, _), (end_at, end_size) = spans  # type: ignore[misc]
    with table.path.open("rb") as handle:  # type: ignore[union-attr]
        fd, name = handle.fileno(), str(table.path)  # type: ignore[union-attr]
        shared = FileRange(fd, shared_at, shared_at + shared_size, name).read()
        summaries = FileRange(fd, summaries_at, end_at + end_size, name).read()
        yield StoreChunks(trig_header(), shared, [FileRange(fd, open_at, close_at + close_size, name)], summaries)


_SOURCE_FILE, _CLAIM_IRI, _DIGEST = attrgetter("source_file"), attrgetter("iri"), attrgetter("content_digest")
RunMember = tuple[Conflict, "Review | None", bool]  # a conflict, its verdict, and whether it describes its reviewer
Run = list[RunMember]  # conflicts in a row


def conflict_runs(conflicts: list[Conflict], verdicts: Mapping[str, Review], boundary: str = "0") -> Iterator[tuple[bytes, Run]]:
    """CONFLICTS (in the tables' order) in runs, each keyed by a digest of everything a table's text of them depends on
    (see :func:`run_spans`)."""
    iris = list(map(_CLAIM_IRI, conflicts))
    for key, start, end, firsts in run_spans(iris, list(map(_DIGEST, conflicts)), verdicts, boundary):
        yield key, [(conflicts[i], verdicts.get(iris[i]), firsts.get(i, False)) for i in range(start, end)]


def run_spans(iris: list[str], digests: list[bytes], verdicts: Mapping[str, Review], boundary: str = "0"
              ) -> list[tuple[bytes, int, int, dict[int, bool]]]:  # fmt: skip
    """Where the runs of conflicts lie among the conflicts of IRIS (in the tables' order; DIGESTS their content digests):
    (key, start, end, and for each reviewed one whether it is the first in the file with its reviewer).

    A run ends at a conflict whose IRI ends in BOUNDARY (one in 16), so runs do
    not depend on where they lie: a conflict added or gone changes its own run
    only. A run's key digests each conflict's :attr:`~claimgraph.model.Conflict.content_digest`
    (its IRI and fields; cached with the conflicts a rebuild reuses), its verdict
    and whether it is the first in the file with its reviewer (that conflict
    describes the reviewer too, in claims.trig). Read from columns, in C where no
    conflict of a run is reviewed.
    """
    if not iris:
        return []
    ends = [i + 1 for i, iri in enumerate(iris) if iri.endswith(boundary)]
    if not ends or ends[-1] != len(iris):
        ends.append(len(iris))
    reviewed = [iri in verdicts for iri in iris] if verdicts else None
    reviewers: set[str] = set()
    spans, start = [], 0
    for end in ends:
        firsts: dict[int, bool] = {}
        if reviewed is not None and any(reviewed[start:end]):
            parts: list[bytes] = []
            for i in range(start, end):
                parts.append(digests[i])
                review = verdicts.get(iris[i])
                if review:
                    who = reviewer_key(review)
                    first = firsts[i] = who not in reviewers
                    reviewers.add(who)
                    said = repr((review.verdict, review.reviewer, review.reviewed_at, review.note, review.prefer, first)).encode("utf-8", "surrogatepass")
                    parts.append(b"\x01" + len(said).to_bytes(4, "big") + said)  # digests are 16 bytes: the parts read back one way only
                else:
                    parts.append(b"\x00")
            data = b"".join(parts)
        else:
            data = b"\x00".join(digests[start:end]) + b"\x00"
        spans.append((hashlib.blake2b(data, digest_size=16).digest(), start, end, firsts))
        start = end
    return spans


def conflict_segments(runs: Iterable[tuple[bytes, Iterable[RunMember]]]) -> Iterator[tuple[bytes | None, Callable[[], bytes]]]:
    """The conflicts of the reconciliation graph (claims.trig) as segments, one per run (see :func:`conflict_runs`; a run's
    members are read only when it is rendered)."""

    def render(members: Iterable[RunMember]) -> bytes:
        return "".join(conflict_text(c, review, first) for c, review, first in members).encode("utf-8")

    for key, members in runs:
        yield key, lambda members=members: render(members)


def shared_chunk(documents: list[Document], totals: CorpusTotals) -> bytes:
    """The chunk of what documents share (default graph): the vocabularies, the organisations and the places (those of
    the claims from TOTALS)."""
    organisations = organisations_for(totals.organisation_names() | set(canonical_publishers(documents).values()))
    places = totals.place_codes()
    shared = list(vocabulary_quads())
    for org in organisations:
        shared.extend(organisation_quads(org))
    for code in places:
        shared.extend(place_quads(code))
    return trig_chunk(shared)


def corpus_chunks(totals: CorpusTotals, result: ReconcileResult) -> Iterator[bytes]:
    """The chunks of the reconciliation graph: conflicts, ranks, consensus, then the corpus summaries (from TOTALS)."""
    yield from reconciliation_chunk(result.conflicts, result.ranks, result.verdicts, result.consensus)
    yield summary_chunk(totals)


def summary_chunk(totals: CorpusTotals) -> bytes:
    """The chunk of the corpus summaries (a block of the reconciliation graph, written as text)."""
    return b"".join(summary_text(totals.summaries))


def render_outputs(
    documents: list[Document],
    claims: list[Claim],
    result: ReconcileResult,
    config: BuildConfig,
    manifest: dict | None = None,
    spliced: Mapping[str, SplicedTable] | None = None,
    keys: list[str] | None = None,
    runs: Iterable[tuple[bytes, Run]] | None = None,
) -> dict[str, bytes | Iterable[Chunk] | Deferred]:
    """Every output but claims.trig, from the pipeline's objects (rows made by :mod:`claimgraph.rows`).

    The CSV tables are written as streams of rows, never held whole, and the
    pages are rendered only when written (so claims.trig can be written by
    another process meanwhile). The pages are capped for very large corpora
    (``config.page_claims``, ``config.audit_conflicts``): they say how much
    they leave out, and the CSV tables always hold everything. With SPLICED
    tables (by name) and the documents' cache KEYS, the CSV tables copy the
    rows the last build wrote where they are unchanged (see :mod:`claimgraph.segments`),
    conflicts.csv in RUNS of conflicts (made by :func:`conflict_runs` when not given).
    """
    manifest = manifest or {}
    ranks, verdicts = result.ranks, result.verdicts
    ordered_conflicts = result.conflicts  # in the tables' order already (see ReconcileResult)
    carded = ordered_conflicts[: config.audit_conflicts]
    by_file = claims_by_file(claims)

    def audit_page() -> str:  # the rows of the claims and documents of its cards only
        shown = {iri for c in carded for iri in (c.claim_a, c.claim_b)}
        left_out = uncarded_counts(ordered_conflicts, verdicts, len(carded))
        return audit_html(carded, [c for c in claims if c.iri in shown], ranks, documents, result, manifest, left_out)

    audit: Iterable[Chunk] = _rendered(audit_page)
    if spliced and keys is not None and "audit.html" in spliced:
        audit = _audit_spliced(spliced["audit.html"], documents, keys, by_file, result, config, manifest)
    if spliced and keys is not None:
        claim_table: Iterable[Chunk] = claims_csv_spliced(spliced["claims.csv"], documents, keys, by_file, ranks)
        runs = conflict_runs(ordered_conflicts, verdicts) if runs is None else runs
        conflict_table: Iterable[Chunk] = conflicts_csv_spliced(spliced["conflicts.csv"], runs, verdicts)
    else:
        claim_table = csv_chunks((claim_row(c, ranks) for c in claims_in_order(claims)), CLAIM_COLUMNS + EXTRA_CLAIM_COLUMNS)
        conflict_table = csv_chunks((conflict_row(c, verdicts) for c in ordered_conflicts), CONFLICT_COLUMNS + EXTRA_CONFLICT_COLUMNS)
    return {
        "claims.csv": claim_table,
        "conflicts.csv": conflict_table,
        "graph.html": Deferred(graph_html, lambda: graph_page_inputs(documents, claims, ordered_conflicts, result, config, by_file)),
        "audit.html": audit,
        "build.json": (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8"),
    }


def _audit_spliced(table: SplicedTable, documents: list[Document], keys: list[str], by_file: Mapping[str, list[Claim]],
                   result: ReconcileResult, config: BuildConfig, manifest: dict) -> Iterator[Chunk]:  # fmt: skip
    """audit.html spliced from the last build's (see :mod:`claimgraph.audit_output`), from the pipeline's objects."""
    conflicts, ranks, verdicts = result.conflicts, result.ranks, result.verdicts
    carded = conflicts[: config.audit_conflicts]
    shown = {iri for c in carded for iri in (c.claim_a, c.claim_b)}
    where = {c.iri: (key, place, c) for d, key in zip(documents, keys, strict=True) for place, c in enumerate(by_file.get(d.source_file, ()))
             if c.iri in shown}  # fmt: skip
    by_name = {d.source_file: d for d in documents}

    def entries(batch: list[int]) -> list[AuditEntry]:
        chosen = [carded[i] for i in batch]
        iris = {iri for c in chosen for iri in (c.claim_a, c.claim_b) if iri in where}
        return entries_of(chosen, {iri: (where[iri][2], ranks.get(iri, "")) for iri in iris}, by_name, verdicts)

    columns = [list(map(attrgetter(name), conflicts)) for name in ("iri", "content_digest", "kind", "claim_a", "claim_b")]
    return audit_chunks(table, *columns, verdicts, config.audit_conflicts,
                        lambda iris: {iri: (where[iri][0], where[iri][1], ranks.get(iri, "")) for iri in iris if iri in where},
                        entries, consensus_rows(result.consensus), stale_review_messages(manifest))  # fmt: skip


def _rendered(render: Callable[[], str]) -> Iterator[bytes]:
    """A page rendered only when it is written."""
    yield render().encode("utf-8")


def csv_chunks(rows: Iterable[dict[str, str]], columns: tuple[str, ...], batch: int = 20_000) -> Iterator[bytes]:
    """A CSV table written in batches of rows (the same bytes as :func:`claimgraph.tables.to_csv`)."""
    yield to_csv([], columns).encode("utf-8")
    rows = iter(rows)
    while chunk := list(islice(rows, batch)):
        yield to_csv(chunk, columns).split("\n", 1)[1].encode("utf-8")


_KIND = attrgetter("kind")


TRIG_CODE = (*SEGMENTS_CODE, "outputs.py", "trig.py", "rdfgraph.py", "reviews.py", "namespaces.py", "vocab.py", "cache.py", "stream.py")
# the tables a build can write from the last build's, and the code that decides their segments' bytes besides their keys
SPLICED_TABLES = {"claims.csv": SEGMENTS_CODE, "conflicts.csv": SEGMENTS_CODE, "claims.trig": TRIG_CODE, "audit.html": AUDIT_CODE}


def claims_by_file(claims: Iterable[Claim]) -> dict[str, list[Claim]]:
    """CLAIMS by the file they were read in (each file's in the order they come)."""
    by_file: dict[str, list[Claim]] = {}
    for source_file, run in groupby(claims, _SOURCE_FILE):  # a build's claims come a document at a time
        by_file.setdefault(source_file, []).extend(run)
    return by_file


def claims_csv_spliced(
    table: SplicedTable, documents: list[Document], keys: list[str], by_file: Mapping[str, list[Claim]], ranks: Mapping[str, str]
) -> Iterator[Chunk]:
    """claims.csv as one segment per document (keyed by its cache key and its claims' ranks), in the table's order; the
    claims BY_FILE (see :func:`claims_by_file`)."""
    # Keyed by the ranks of the document's claims as they come (its cache key says which claims, in which order):
    # they are sorted into the table's order only when rendered (a rebuild at 10^5 documents sorted 100,000 lists).
    ranked = {source_file: tuple(map(ranks.get, map(_CLAIM_IRI, members))) for source_file, members in by_file.items()}
    files = [d.source_file for d in documents]
    return claims_csv_of(table, files, keys, lambda source_file, _key: ranked.get(source_file, ()),
                         lambda wanted: {key: by_file[source_file] for source_file, key in wanted})  # fmt: skip


def claims_csv_of(
    table: SplicedTable, files: list[str], keys: list[str], ranked: Callable[[str, str], tuple[str, ...]],
    claims_of: Callable[[list[tuple[str, str]]], Mapping[str, list[Claim]]],
) -> Iterator[Chunk]:  # fmt: skip
    """claims.csv spliced, one segment per run of documents with claims (names in FILES, cache keys in KEYS; see
    :func:`key_runs`), in the table's order, keyed by their keys and their claims' RANKED ranks (in the claims' order);
    the claims of the documents of a run rendered come from CLAIMS_OF (given (name, key) pairs, answering by key)."""
    rows = CsvRows(CLAIM_COLUMNS + EXTRA_CLAIM_COLUMNS)

    def segments() -> Iterator[tuple[Hashable, Callable[[], bytes]]]:  # (made where the table is written)
        ordered = sorted(zip(files, keys, strict=True))
        file_of = dict((key, source_file) for source_file, key in ordered)
        ranks_of = {key: ranks for _file, key in ordered if (ranks := ranked(file_of[key], key))}

        def render(run: list[str]) -> bytes:
            found = claims_of([(file_of[key], key) for key in run])
            ranked_by_iri = {c.iri: rank for key in run for c, rank in zip(found[key], ranks_of[key], strict=True)}
            return rows.render(claim_row(c, ranked_by_iri) for key in run for c in claims_in_order(found[key]))

        for run in key_runs(key for _file, key in ordered if key in ranks_of):
            yield run_key("claims", run, ranks_of.__getitem__), lambda run=run: render(run)

    return table.chunks(rows.header, segments())


def conflicts_csv_spliced(table: SplicedTable, runs: Iterable[tuple[bytes, Run]], verdicts: Mapping[str, Review]) -> Iterator[Chunk]:
    """conflicts.csv (most severe first) as segments, one per run of conflicts (see :func:`conflict_runs`; with a segment
    per conflict, writing it took 2.5 s instead of 1.9 s in a rebuild at 10^5 documents, and its record was 16 times as large)."""
    rows = CsvRows(CONFLICT_COLUMNS + EXTRA_CONFLICT_COLUMNS)

    def segments() -> Iterator[tuple[Hashable | None, Callable[[], bytes]]]:
        for key, members in runs:
            yield key, lambda members=members: rows.render([conflict_row(c, verdicts) for c, _review, _first in members])

    return table.chunks(rows.header, segments())


def graph_page_inputs(documents: list[Document], claims: list[Claim], conflicts: list[Conflict], result: ReconcileResult,
                      config: BuildConfig, by_file: Mapping[str, list[Claim]] | None = None) -> tuple[GraphView, int]:  # fmt: skip
    """What graph.html shows, and above how many claims it opens on the overview (see :func:`graph_html`), from claims
    (any order; BY_FILE too, when made already: see :func:`claims_by_file`) and conflicts in table order (see :func:`graph_view`)."""
    preferred = {item.claim.iri for item in result.consensus}  # the claims ranked preferred (see consensus.claim_ranks)
    return graph_view(
        len(claims), lambda count: conflicts if count is None else conflicts[:count], lambda: claims,
        lambda contested, limit: most_contested(claims, contested, preferred, limit, by_file), ObjectRows(documents, result), config,
    )  # fmt: skip


class PageRows(Protocol):
    """The rows of what graph.html shows (see :func:`graph_view`)."""

    def documents(self, cited: set[str] | None) -> list[dict[str, str]]:
        """The rows of the documents named CITED (all of them for None), in the documents table's order."""

    def claims(self, claims: list) -> list[dict[str, str]]:
        """The rows of CLAIMS (as they come)."""

    def conflicts(self, conflicts: list) -> list[dict[str, str]]:
        """The rows of CONFLICTS (as they come)."""


class ObjectRows:
    """Page rows made from the pipeline's objects."""

    def __init__(self, documents: list[Document], result: ReconcileResult) -> None:
        self._documents, self._result = documents, result

    def documents(self, cited: set[str] | None) -> list[dict[str, str]]:  # noqa: D102
        return document_rows(d for d in self._documents if cited is None or d.source_file in cited)

    def claims(self, claims: list[Claim]) -> list[dict[str, str]]:  # noqa: D102
        return [claim_row(c, self._result.ranks) for c in claims]

    def conflicts(self, conflicts: list[Conflict]) -> list[dict[str, str]]:  # noqa: D102
        return [conflict_row(c, self._result.verdicts) for c in conflicts]


def graph_view(
    total: int, conflicts: Callable[[int | None], list], everything: Callable[[], list], page: Callable[[set[str], int], list],
    rows: PageRows, config: BuildConfig,
) -> tuple[GraphView, int]:  # fmt: skip
    """What graph.html shows of TOTAL claims, and above how many it opens on the overview. Up to ``config.page_claims``:
    EVERYTHING (every claim) and every conflict (CONFLICTS(None); CONFLICTS(N) gives the first N in the tables' order).
    Above it, the PAGE of the most contested claims (given the claims of the first conflicts and the limit; see
    :func:`most_contested`), with the documents they cite. Claims and conflicts need only what the claims table sorts
    by and the two claims' IRIs: ROWS makes their rows."""
    title, aggregate_above, cited = "claimgraph", config.aggregate_above, None
    if total > config.page_claims:
        shown_conflicts = conflicts(config.page_claims // 4)
        contested = {iri for c in shown_conflicts for iri in (c.claim_a, c.claim_b)}
        claims = page(contested, config.page_claims)  # the page sorts them as the table does
        title = f"claimgraph ({len(claims):,} of {total:,} claims)"  # the most contested; all are in claims.csv
        kept = {c.iri for c in claims}
        shown_conflicts = [c for c in shown_conflicts if c.claim_a in kept and c.claim_b in kept]
        cited = {c.source_file for c in claims}
        aggregate_above = min(aggregate_above, config.page_claims // 2)  # open on the overview, not on thousands of nodes
    else:
        claims, shown_conflicts = everything(), conflicts(None)
    view = GraphView(documents=rows.documents(cited), claims=rows.claims(claims_in_order(claims)), conflicts=rows.conflicts(shown_conflicts),
                     title=title)  # fmt: skip
    return view, aggregate_above


def warm_graph_page() -> None:
    """Read what rendering graph.html reads first (its code and vis-network's files): a page process does it while the
    build loads the corpus."""
    from claimgraph.viz_page import vis_assets

    vis_assets()


def graph_html(view: GraphView, aggregate_above: int) -> str:
    """graph.html of VIEW (made by :func:`graph_page_inputs`; in the build's page process where there is one)."""
    from claimgraph.viz import render_graph_html  # imports pyvis when it renders

    return render_graph_html(view, aggregate_above=aggregate_above)


def most_contested(claims: list[Claim], contested: set[str], preferred: set[str], limit: int,
                   by_file: Mapping[str, list[Claim]] | None = None) -> list[Claim]:  # fmt: skip
    """The first LIMIT of CLAIMS ordered by whether they are CONTESTED, then whether they are PREFERRED, then as the
    claims table orders them: what sorting the whole table by those two tests keeps, without sorting it.

    The few contested or preferred claims are sorted; the rest are taken a file at a time, in the
    order of the files' names (the table's first key; BY_FILE: the claims by file, see :func:`claims_by_file`), until
    there are enough to sort. For 500,000 claims that took 0.11 s, where scanning every claim for the table's first
    ones took 0.35 s (and sorting them all twice, 0.83 s).
    """
    special = contested | preferred
    first = sorted((c for c in claims if c.iri in special), key=lambda c: (c.iri not in contested, c.iri not in preferred, TABLE_ORDER(c)))
    kept = first[:limit]
    wanted = limit - len(kept)
    if wanted > 0:
        by_file = claims_by_file(claims) if by_file is None else by_file
        taken: list[Claim] = []
        for source_file in sorted(by_file):  # every claim of a file comes before those of the files after it
            taken += [c for c in by_file[source_file] if c.iri not in special]
            if len(taken) >= wanted:
                break
        kept += sorted(taken, key=TABLE_ORDER)[:wanted]
    return kept


def write_outputs(
    out_dir: Path, outputs: Mapping[str, bytes | Iterable[Chunk] | Deferred], background: Collection[str] = (), *,
    keep_replaced: bool = False, pages: PageProcess | None = None, meanwhile: Callable[[], None] | None = None,
    after_background: Callable[[], None] | None = None,
) -> Path | None:
    """Write all outputs (bytes, or chunks of bytes) to a temporary folder, then move each into place.

    Those named in BACKGROUND are written by a forked child meanwhile (see
    :mod:`claimgraph.writer`), and a deferred page by PAGES (see
    :mod:`claimgraph.page_process`); MEANWHILE is called while they write, AFTER_BACKGROUND by the child once its
    outputs are written (see :func:`claimgraph.writer.write_files`). Nothing
    in OUT_DIR changes until every output is complete, so a build that fails keeps the previous outputs.

    With KEEP_REPLACED, the outputs replaced are not freed here: the temporary
    folder is returned holding them, for the caller to remove meanwhile (see
    :func:`claimgraph.writer.remove_in_background`). Freeing a file's blocks is
    done by the file system as its last name goes, and took a rebuild of 10^4
    documents 0.09 s for the 150 MB it replaces.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".claimgraph-build-", dir=out_dir))
    try:
        write_files(staging, outputs, background, pages, meanwhile, after_background)
        for name in outputs:
            if exchange(staging / name, out_dir / name):  # the last build's file is now in the staging folder
                os.replace(staging / name, staging / f"{name}.replaced")
                continue
            if keep_replaced:
                with contextlib.suppress(OSError):  # none yet, or no hard links here: then it is freed as it is replaced
                    os.link(out_dir / name, staging / f"{name}.replaced")
            os.replace(staging / name, out_dir / name)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if keep_replaced:
        return staging
    shutil.rmtree(staging, ignore_errors=True)
    return None


__all__ = [
    "conflict_runs", "conflict_segments", "corpus_chunks", "render_outputs", "shared_chunk", "store_chunks", "summary_chunk", "stale_review_messages", "trig_chunks",
    "trig_chunks_spliced", "vocabulary_quads", "write_outputs",
]  # fmt: skip
