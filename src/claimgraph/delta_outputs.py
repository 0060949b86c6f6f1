"""The outputs of a rebuild by difference (see :mod:`claimgraph.delta`): the bytes a whole build writes, from the index.

Every table is spliced from the last build's (see :mod:`claimgraph.segments`)
by the same segment keys a whole build uses, which the delta state gives
without a claim or conflict object: a document's claims' ranks, and the
runs of conflicts read from the index's columns (:func:`claimgraph.outputs.run_spans`).
Only the segments not copied read objects: the claims of their documents
(extraction cache) and the conflicts of their runs (delta store). The pages
read the few they show: audit.html its cards' conflicts and their claims,
graph.html the most contested claims and the first files' claims after them.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from operator import attrgetter

from claimgraph import outputs as whole
from claimgraph.audit import AuditEntry
from claimgraph.audit_output import audit_chunks, entries_of, stale_review_messages
from claimgraph.config import BuildConfig
from claimgraph.delta import Delta
from claimgraph.model import Document
from claimgraph.outputs import (
    RunMember,
    claims_csv_of,
    conflicts_csv_spliced,
    rank_runs,
    run_spans,
    trig_spliced,
)
from claimgraph.page_memo import PageMemo, memo_graph_inputs, read_memo
from claimgraph.page_process import Deferred
from claimgraph.rows import consensus_rows
from claimgraph.segments import SplicedTable
from claimgraph.writer import Chunk

_IRI = attrgetter("iri")


class _Runs:
    """The runs of conflicts of the index (see :func:`claimgraph.outputs.run_spans`), found when first read (by a forked
    writer, where one writes) and read again by the second table."""

    def __init__(self, delta: Delta) -> None:
        self.delta = delta
        self.runs: list[tuple[bytes, _Run]] | None = None

    def __iter__(self) -> Iterator[tuple[bytes, _Run]]:
        if self.runs is None:
            index = self.delta.state.index
            spans = run_spans(index.iris, index.digests, self.delta.state.verdicts)
            self.runs = [(key, _Run(self.delta, start, end, firsts)) for key, start, end, firsts in spans]
        return iter(self.runs)


class _Run:
    """The conflicts of one run (START to END in the index), read from the store only when the run is rendered."""

    def __init__(self, delta: Delta, start: int, end: int, firsts: Mapping[int, bool]) -> None:
        self.delta, self.start, self.end, self.firsts = delta, start, end, firsts
        self.members: list[RunMember] | None = None

    def __iter__(self) -> Iterator[RunMember]:
        if self.members is None:  # read once for both tables
            verdicts = self.delta.state.verdicts
            conflicts = self.delta.conflicts(self.delta.state.index.iris[self.start : self.end])
            self.members = [(c, verdicts.get(c.iri), self.firsts.get(i, False)) for i, c in enumerate(conflicts, start=self.start)]
        return iter(self.members)


def render_delta_outputs(
    delta: Delta, documents: list[Document], config: BuildConfig, manifest: dict, spliced: Mapping[str, SplicedTable],
    keep_page: Callable[[PageMemo], None],
) -> dict[str, bytes | Iterable[Chunk] | Deferred]:
    """Every output of a rebuild by difference, as :func:`claimgraph.outputs.render_outputs` and
    :func:`claimgraph.outputs.trig_chunks_spliced` give them for a whole build (the same bytes). graph.html's rows come
    from the last build's where they still hold (see :mod:`claimgraph.page_memo`); KEEP_PAGE gets those of this one."""
    import json

    def graph_inputs() -> tuple:
        return memo_graph_inputs(delta, documents, config, read_memo(delta.store.path.parent.parent), keep_page)

    state, files = delta.state, [d.source_file for d in documents]
    verdicts = state.verdicts
    runs = _Runs(delta)
    return {
        "claims.csv": claims_csv_of(spliced["claims.csv"], files, delta.keys, lambda _file, key: state.ranks[key],
                                    lambda wanted: delta.claims_of([key for _file, key in wanted])),  # fmt: skip
        "conflicts.csv": conflicts_csv_spliced(spliced["conflicts.csv"], runs, verdicts),
        "graph.html": Deferred(whole.graph_html, graph_inputs),  # (graph_html looked up when called)
        "audit.html": _audit(delta, documents, config, manifest, spliced["audit.html"]),
        "build.json": (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8"),
        "claims.trig": trig_spliced(spliced["claims.trig"], documents, lambda: delta.totals, delta.keys, delta.cache, runs,
                                    _rank_segments(delta), state.consensus),  # fmt: skip
    }


def _rank_segments(delta: Delta) -> Iterator[tuple[Hashable | None, Callable[[], bytes]]]:
    """The rank lines of claims.trig (as :func:`claimgraph.outputs.rank_runs` keys them for a whole build)."""
    return rank_runs(delta.keys, delta.state.ranks.__getitem__, delta.claims_of)


def _audit(delta: Delta, documents: list[Document], config: BuildConfig, manifest: dict, table: SplicedTable) -> Iterator[Chunk]:
    """audit.html spliced from the last build's (see :mod:`claimgraph.audit_output`): the cards not copied read their
    conflicts and claims from the store."""
    index, state = delta.state.index, delta.state
    by_name = {d.source_file: d for d in documents}

    def entries(batch: list[int]) -> list[AuditEntry]:
        conflicts = delta.conflicts(index.iris[i] for i in batch)
        found = delta.claims_by_iri(iri for c in conflicts for iri in (c.claim_a, c.claim_b))
        return entries_of(conflicts, {iri: (claim, delta.rank(key, place)) for iri, (key, place, claim) in found.items()}, by_name,
                          state.verdicts)  # fmt: skip

    return audit_chunks(table, index.iris, index.digests, index.kinds, index.claims_a, index.claims_b, state.verdicts, config.audit_conflicts,
                        delta.locate, entries, consensus_rows(state.consensus), stale_review_messages(manifest))  # fmt: skip


__all__ = ["render_delta_outputs"]
