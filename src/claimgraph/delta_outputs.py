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
from claimgraph.model import Claim, Document
from claimgraph.outputs import (
    CHUNK_BATCH,
    RunMember,
    batched,
    claims_csv_of,
    conflicts_csv_spliced,
    graph_view,
    most_contested,
    run_spans,
    trig_spliced,
)
from claimgraph.page_process import Deferred
from claimgraph.reviews import Review
from claimgraph.rows import consensus_rows
from claimgraph.segments import SplicedTable
from claimgraph.trig import rank_text
from claimgraph.writer import Chunk

_IRI = attrgetter("iri")


class _Run:
    """The conflicts of one run (START to END in the index), read from the store only when the run is rendered."""

    def __init__(self, delta: Delta, start: int, end: int, firsts: Mapping[int, bool]) -> None:
        self.delta, self.start, self.end, self.firsts = delta, start, end, firsts

    def __iter__(self) -> Iterator[RunMember]:
        verdicts = self.delta.state.verdicts
        for i, conflict in enumerate(self.delta.conflicts(self.delta.state.index.iris[self.start : self.end]), start=self.start):
            yield conflict, verdicts.get(conflict.iri), self.firsts.get(i, False)


class _Ranked:
    """The claims the pages read, loaded a few at a time, with the rank of each (by IRI)."""

    def __init__(self, delta: Delta, files: list[str]) -> None:
        self.delta = delta
        self.ranks: dict[str, str] = {}
        ranks = delta.state.ranks
        self.key_of = {source_file: key for source_file, key in zip(files, delta.keys, strict=True) if ranks[key]}
        self._fetch = batched(sorted(self.key_of), self._claims_of_files, CHUNK_BATCH)

    def _claims_of_files(self, files: list[str]) -> dict[str, list[Claim]]:
        found = self.delta.claims_of([self.key_of[f] for f in files])
        return {f: self._ranked(self.key_of[f], found[self.key_of[f]]) for f in files}

    def _ranked(self, key: str, claims: list[Claim]) -> list[Claim]:
        self.ranks.update(zip(map(_IRI, claims), self.delta.state.ranks[key], strict=True))
        return claims

    def by_iri(self, iris: Iterable[str]) -> list[Claim]:
        """The comparable claims of IRIS."""
        found = []
        for key, place, claim in self.delta.claims_by_iri(iris).values():
            self.ranks[claim.iri] = self.delta.rank(key, place)
            found.append(claim)
        return found

    def by_file(self) -> Mapping[str, list[Claim]]:
        """Every document's claims by its name, read when asked for (in the names' order, a batch at a time)."""
        return _ByFile(self)

    def everything(self) -> list[Claim]:
        """Every claim, in the documents' order."""
        found = self.delta.claims_of(self.delta.keys)
        return [claim for key in self.delta.keys for claim in self._ranked(key, found[key])]


class _ByFile(Mapping[str, list[Claim]]):
    """Claims by file, read when asked for (see :func:`claimgraph.outputs.most_contested`)."""

    def __init__(self, ranked: _Ranked) -> None:
        self.ranked = ranked

    def __getitem__(self, source_file: str) -> list[Claim]:
        return self.ranked._fetch(source_file)

    def __iter__(self) -> Iterator[str]:
        return iter(self.ranked.key_of)

    def __len__(self) -> int:
        return len(self.ranked.key_of)


def render_delta_outputs(
    delta: Delta, documents: list[Document], config: BuildConfig, manifest: dict, spliced: Mapping[str, SplicedTable]
) -> dict[str, bytes | Iterable[Chunk] | Deferred]:
    """Every output of a rebuild by difference, as :func:`claimgraph.outputs.render_outputs` and
    :func:`claimgraph.outputs.trig_chunks_spliced` give them for a whole build (the same bytes)."""
    import json

    state, files = delta.state, [d.source_file for d in documents]
    index, verdicts = state.index, state.verdicts
    runs = [(key, _Run(delta, start, end, firsts)) for key, start, end, firsts in run_spans(index.iris, index.digests, verdicts)]
    return {
        "claims.csv": claims_csv_of(spliced["claims.csv"], files, delta.keys, lambda _file, key: state.ranks[key],
                                    lambda wanted: delta.claims_of([key for _file, key in wanted])),  # fmt: skip
        "conflicts.csv": conflicts_csv_spliced(spliced["conflicts.csv"], runs, verdicts),
        "graph.html": Deferred(whole.graph_html, lambda: _graph_inputs(delta, documents, config)),  # looked up when called
        "audit.html": _audit(delta, documents, config, manifest, spliced["audit.html"]),
        "build.json": (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8"),
        "claims.trig": trig_spliced(spliced["claims.trig"], documents, delta.totals, delta.keys, delta.cache, runs,
                                    _rank_segments(delta, spliced["claims.trig"]), state.consensus),  # fmt: skip
    }


def _rank_segments(delta: Delta, table: SplicedTable) -> Iterator[tuple[Hashable | None, Callable[[], bytes]]]:
    """The rank lines of claims.trig, a segment per document (as :func:`claimgraph.outputs.rank_segments` keys them)."""
    ranks = delta.state.ranks
    unknown = [key for key in delta.keys if ranks[key] and not table.knows(("ranks", key, ranks[key]))]
    claims = batched(unknown, delta.claims_of, CHUNK_BATCH)
    for key in delta.keys:
        if ranked := ranks[key]:
            yield ("ranks", key, ranked), lambda k=key, r=ranked: rank_text(zip(map(_IRI, claims(k)), r, strict=True))


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


def _graph_inputs(delta: Delta, documents: list[Document], config: BuildConfig) -> tuple:
    """What graph.html shows (see :func:`claimgraph.outputs.graph_view`), reading only the claims and conflicts it shows."""
    state = delta.state
    ranked = _Ranked(delta, [d.source_file for d in documents])
    preferred = {item.claim.iri for item in state.consensus}
    verdicts: Mapping[str, Review] = state.verdicts

    def page(contested: set[str], limit: int) -> list[Claim]:
        special = ranked.by_iri(contested | preferred)
        return most_contested(special, contested, preferred, limit, ranked.by_file())

    return graph_view(
        documents, state.claim_count, lambda count: delta.conflicts(state.index.iris if count is None else state.index.iris[:count]),
        ranked.everything, page, lambda _page: ranked.ranks, verdicts, config,
    )  # fmt: skip


__all__ = ["render_delta_outputs"]
