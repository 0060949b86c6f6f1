"""Rebuilding by difference: a rebuild after a few documents changed reads and compares only what they touch.

A whole build reads every claim and every conflict as objects, several times
over (grouping, comparing, ranking, sorting, writing), and a rebuild after one
document of 10,000 changed did the same with cached inputs: 1.3 s, of which
reading the cached claims and conflicts alone took 0.3 s. A rebuild by
difference starts instead from the :class:`~claimgraph.delta_store.DeltaState`
the last build left (the conflicts in the tables' order as columns, each
document's ranks, each group's consensus):

1. the documents whose cache key changed, came or went, and their claims, old
   (from the extraction cache) and new (extracted, or from the cache);
2. the *touched* groups: those any of these claims that changed is in (a
   claim whose fields all read as before changes nothing). Reconciliation
   decides nothing across groups except along a scope constraint (see
   :mod:`claimgraph.reconcile_parallel`), so the touched groups are compared
   again, with every constraint that links one of them to another group; the
   claims of those groups are read from the :class:`~claimgraph.delta_store.DeltaStore`;
3. the index loses the conflicts of the last build that involve a touched
   group and gains those found again (merged in place, in the tables' order);
4. the consensus of the touched and linked groups is found again (their
   claims' conflicts may have changed), with the groups whose verdicts changed;
   the others keep theirs; ranks change for the claims that became or ceased
   to be a consensus or ruled out, and for the documents that changed.

Every conflict IRI digests its claims' IRIs, and a claim's its group's key,
so this is the answer a whole build gives: ``tests/test_delta.py`` compares
the outputs of the two after many kinds of change. A rebuild is a whole one
when the state is missing or of other code, or when more than a tenth of
the documents changed.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from itertools import chain, compress
from pathlib import Path
from typing import NamedTuple

from claimgraph.cache import ExtractionCache, code_fingerprint
from claimgraph.consensus import Consensus, consensus_counted, reviewer_choices
from claimgraph.delta_store import DELTA_CODE, ConflictIndex, DeltaState, DeltaStore, Key, new_token, write_state
from claimgraph.model import Claim, Conflict
from claimgraph.reconcile import (
    ReconcileResult,
    claim_fingerprint,
    comparable,
    first_of_each_iri,
    group_conflicts,
    group_key,
    match_verdicts,
    sorted_conflicts,
)
from claimgraph.reviews import Review, ReviewMatch
from claimgraph.scope import Relation, relation_violations, whole_index, wholes_of
from claimgraph.totals import CorpusTotals, count_totals, read_totals, update_totals

MAX_CHANGED_SHARE = 0.1  # above this share of the documents changed (and MIN_CHANGED documents), a whole build
MIN_CHANGED = 16


def consensus_key(item: Consensus) -> Key:
    """The key of the group a consensus is for."""
    return (item.measure, item.population, item.country, item.region)


def state_of_build(files: list[str], keys: list[str], claims: list[list[Claim]], result: ReconcileResult, token: str
                   ) -> tuple[DeltaState, list[tuple[int, str, int, Claim]]]:  # fmt: skip
    """The delta state of a whole build of the documents FILES (their cache KEYS and CLAIMS) that found RESULT, and the
    rows of its comparable claims for the store (group id, document key, place, claim)."""
    groups: dict[Key, int] = {}
    rows = []
    for key, found in zip(keys, claims, strict=True):
        for place, claim in enumerate(found):
            if comparable(claim):
                rows.append((groups.setdefault(group_key(claim), len(groups)), key, place, claim))
    group_of = {claim.iri: group for group, _key, _place, claim in rows}
    ranks = {key: tuple(map(result.ranks.__getitem__, (c.iri for c in found))) for key, found in zip(keys, claims, strict=True)}
    chosen, ruled_out = reviewer_choices(result.conflicts, result.verdicts)
    state = DeltaState(code_fingerprint(DELTA_CODE), token, dict(zip(files, keys, strict=True)), ranks, groups, list(result.consensus),
                       ConflictIndex.of(result.conflicts, group_of), dict(result.verdicts), chosen, frozenset(ruled_out))  # fmt: skip
    return state, rows


class _Entry(NamedTuple):
    """What :func:`claimgraph.consensus.reviewer_choices` reads of a conflict."""

    iri: str
    claim_a: str
    claim_b: str


@dataclass
class Delta:
    """A rebuild by difference: the new state, what changed, and how to reach the objects it did not read."""

    state: DeltaState
    keys: list[str]  # every document's cache key, in order
    came: dict[str, list[Claim]]  # the claims of the documents that changed or came, by cache key
    gone: list[str]  # the keys of the last build's documents that changed or went
    old: dict[str, list[Claim]]  # their claims, by key
    found: dict[str, Conflict]  # the conflicts found again, by IRI (every other is in the store)
    removed: dict[str, bytes]  # the last build's conflicts taken out of the index (most found again): their content digests
    claims: dict[str, tuple[str, int, Claim]]  # those of the groups compared again and of the documents that came, by IRI
    # (document key, place, claim): the store holds the others (under the keys of the last build, which those documents keep)
    match: ReviewMatch
    out_dir: str
    store: DeltaStore
    cache: ExtractionCache

    @functools.cached_property
    def totals(self) -> CorpusTotals:
        """The corpus totals (see :mod:`claimgraph.totals`): the last build's brought up to date by the documents that
        changed, else counted afresh. Worked out when first read: by the forked writer, where one writes claims.trig."""
        totals = read_totals(self.out_dir)
        partial = [self.came.get(key) for key in self.keys]  # the claims of the documents counted again (the others are not read)
        if totals is not None and update_totals(totals, self.keys, partial, self.cache.claims_of):  # type: ignore[arg-type]
            return totals
        found = self.cache.claims_of(self.keys)
        return count_totals(self.keys, [found[key] for key in self.keys])

    @property
    def result(self) -> ReconcileResult:
        """What the pages and tables read of the reconciliation besides the index (conflicts and ranks left out)."""
        return ReconcileResult([], {}, self.state.consensus, self.state.verdicts, self.match)

    def conflicts(self, iris: Iterable[str]) -> list[Conflict]:
        """The conflicts of IRIS, in that order."""
        iris = list(iris)
        stored = self.store.conflicts_by_iri(iri for iri in iris if iri not in self.found)
        return [self.found.get(iri) or stored[iri] for iri in iris]

    def claims_of(self, keys: list[str]) -> dict[str, list[Claim]]:
        """The claims of the documents KEYS, by key."""
        found = {key: self.came[key] for key in keys if key in self.came}
        found.update(self.cache.claims_of([key for key in keys if key not in found]))
        return found

    def claims_by_iri(self, iris: Iterable[str]) -> dict[str, tuple[str, int, Claim]]:
        """The comparable claims of IRIS (document key, place, claim), by IRI."""
        iris = set(iris)
        found = {iri: self.claims[iri] for iri in iris if iri in self.claims}
        found.update(self.store.claims_by_iri(iris - found.keys()))
        return found

    def locate(self, iris: Iterable[str]) -> dict[str, tuple[str, int, str]]:
        """Where the comparable claims of IRIS are (document key, place) and their ranks, by IRI (no claim is read)."""
        iris = set(iris)
        found = {iri: self.claims[iri][:2] for iri in iris if iri in self.claims}
        found.update(self.store.locations(iris - found.keys()))
        return {iri: (key, place, self.state.ranks[key][place]) for iri, (key, place) in found.items()}

    def rank(self, key: str, place: int) -> str:
        """The rank of the claim at PLACE among the claims of the document KEY."""
        return self.state.ranks[key][place]

    def store_changes(self) -> tuple[list[str], list[Conflict]]:
        """The conflicts the store must drop (by IRI) and those it must gain: those found again unchanged stay."""
        found, removed = self.found, self.removed
        gone = [iri for iri, digest in removed.items() if iri not in found or found[iri].content_digest != digest]
        return gone, [c for c in found.values() if removed.get(c.iri) != c.content_digest]

    def save(self, out_dir: Path | str) -> None:
        """Keep what the next build needs: the store's changes, then the state (see :mod:`claimgraph.delta_store`)."""
        gone, new = self.store_changes()
        gone_claims = [c.iri for found in self.old.values() for c in found if comparable(c)]  # (those that came again are stored again)
        self.store.update(gone_claims, self.store_rows(), gone, new, self.state.token)
        write_state(out_dir, self.state)

    def store_rows(self) -> list[tuple[int, str, int, Claim]]:
        """The rows of the comparable claims of the documents that changed or came, for the store."""
        groups = self.state.groups
        return [(groups[group_key(c)], key, place, c) for key, found in self.came.items() for place, c in enumerate(found) if comparable(c)]


def rebuild_by_difference(
    state: DeltaState, store: DeltaStore, cache: ExtractionCache, files: list[str], keys: list[str], reviews: list[Review],
    extract: Callable[[list[int]], list[list[Claim]]], out_dir: str,
) -> Delta | None:  # fmt: skip
    """The reconciliation of the documents FILES (their cache KEYS) with REVIEWS, from the last build's STATE (see the
    module docstring); EXTRACT gives the claims of the documents at some places. None when it must be a whole build."""
    if store.token() != state.token or len(set(files)) != len(files):
        return None
    now = dict(zip(files, keys, strict=True))
    gone = [key for file, key in state.files.items() if now.get(file) != key]
    came_at = [i for i, (file, key) in enumerate(zip(files, keys, strict=True)) if state.files.get(file) != key]
    if len(gone) + len(came_at) > max(MIN_CHANGED, MAX_CHANGED_SHARE * len(files)):
        return None
    old = cache.claims_of(gone)
    if len(old) != len(set(gone)) or not cache.holds(state.ranks.keys() & set(keys)):
        return None  # the last build's claims of a changed document, or of one unchanged, are no longer cached
    came = dict(zip((keys[i] for i in came_at), extract(came_at), strict=True))

    groups = dict(state.groups)
    # a changed document's claims that read the same as before (all their fields) leave their groups as they were
    before, after = Counter(chain(*old.values())), Counter(chain(*came.values()))
    touched = {group_key(c) for c in (before - after) + (after - before) if comparable(c)}
    for group in sorted(touched - groups.keys()):
        groups[group] = len(groups)
    place_of = {key: i for i, key in enumerate(keys)}
    members = _members(store, groups, touched, place_of, set(gone), came)
    if members is None:
        return None
    existing = {consensus_key(item) for item in state.consensus} - touched | {group for group in touched if members[group]}
    relations = [r for part in existing for r in wholes_of(part) if r.whole in existing and (part in touched or r.whole in touched)]
    linked = {group for r in relations for group in (r.part, r.whole)} - touched
    linked_members = _members(store, groups, linked, place_of, set(gone), came)
    if linked_members is None:
        return None
    members.update(linked_members)

    # Conflicts: the last build's but those of touched groups, and those found again, merged in the tables' order
    found = sorted_conflicts(_conflicts_of(touched, relations, members))
    claims = {c.iri: (keys[i], place, c) for group in members for i, place, c in members[group].rows}
    claims.update((c.iri, (key, place, c)) for key, found in came.items() for place, c in enumerate(found) if comparable(c))
    group_of = {iri: groups[group_key(row[2])] for iri, row in claims.items()}
    touched_ids = {groups[group] for group in touched}
    keep = [not (a in touched_ids or b in touched_ids) for a, b in zip(state.index.groups_a, state.index.groups_b, strict=True)]
    dropped = [not k for k in keep]
    removed = dict(zip(compress(state.index.iris, dropped), compress(state.index.digests, dropped), strict=True))  # IRI -> digest
    index = state.index.kept(keep).merged(ConflictIndex.of(found, group_of))

    # Verdicts, and the groups whose consensus they may change (those of the claims of conflicts whose verdict changed)
    match, verdicts = match_verdicts(reviews, index.iris, index.claims_a, index.claims_b, lambda: _fingerprints(store, came))
    reviewed = [_Entry(iri, a, b) for iri, a, b in zip(index.iris, index.claims_a, index.claims_b, strict=True) if iri in verdicts]
    chosen, ruled_out = reviewer_choices(reviewed, verdicts)  # type: ignore[arg-type]
    moved = {iri for iri in verdicts.keys() | state.verdicts.keys() if verdicts.get(iri) != state.verdicts.get(iri)}
    if moved:
        names = {group_id: group for group, group_id in groups.items()}
        regrouped = {names[g] for entries in (index, state.index) for iri, a, b in zip(entries.iris, entries.groups_a, entries.groups_b, strict=True)
                     if iri in moved for g in (a, b)} - members.keys()  # fmt: skip
        more = _members(store, groups, regrouped, place_of, set(gone), came)
        if more is None:
            return None
        members.update(more)
        claims.update({c.iri: (keys[i], place, c) for group in more for i, place, c in more[group].rows})
    again = {group for group in members if members[group].claims}
    consensus = _consensus(state.consensus, members, again, chosen, verdicts, index)

    ranks = _ranks(state, keys, came, consensus, frozenset(ruled_out), claims)
    new_state = DeltaState(state.code, new_token(), now, ranks, groups, consensus, index, verdicts, chosen, frozenset(ruled_out))
    return Delta(new_state, keys, came, gone, old, {c.iri: c for c in found}, removed, claims, match, out_dir, store, cache)


class _Members(NamedTuple):
    """A group's claims in the claims' order, with where each is (place of its document, place in it)."""

    rows: list[tuple[int, int, Claim]]

    @property
    def claims(self) -> list[Claim]:
        return [claim for _i, _place, claim in self.rows]


def _members(store: DeltaStore, groups: Mapping[Key, int], wanted: set[Key], place_of: Mapping[str, int], gone: set[str],
             came: Mapping[str, list[Claim]]) -> dict[Key, _Members] | None:  # fmt: skip
    """The claims of the WANTED groups now: the stored ones but those of documents GONE, and those of the documents that
    CAME; None when the store holds a claim of a document that is not in the corpus (it cannot be trusted)."""
    rows: dict[Key, list[tuple[int, int, Claim]]] = {group: [] for group in wanted}
    for key, place, claim in store.claims_of_groups(groups[group] for group in wanted if group in groups):
        if key in gone:
            continue
        if key not in place_of:
            return None
        rows[group_key(claim)].append((place_of[key], place, claim))
    for key, found in came.items():
        for place, claim in enumerate(found):
            if comparable(claim) and (group := group_key(claim)) in rows:
                rows[group].append((place_of[key], place, claim))
    return {group: _Members(sorted(found, key=lambda row: row[:2])) for group, found in rows.items()}


def _conflicts_of(touched: set[Key], relations: list[Relation], members: Mapping[Key, _Members]) -> list[Conflict]:
    """The conflicts of the touched groups and along RELATIONS (each list the first of each IRI; no IRI is in two)."""
    found: list[Conflict] = []
    indexes: dict[Key, object] = {}
    for relation in relations:
        if relation.whole not in indexes:
            indexes[relation.whole] = whole_index(members[relation.whole].claims)
        found += relation_violations(relation, members[relation.part].claims, indexes[relation.whole])  # type: ignore[arg-type]
    for group in sorted(touched):
        if members[group].rows:
            found += first_of_each_iri(group_conflicts(group, members[group].claims))
    return found


def _fingerprints(store: DeltaStore, came: Mapping[str, list[Claim]]) -> dict[str, str]:
    """Every comparable claim's fingerprint by IRI: the store's, and those of the documents that CAME."""
    prints = store.fingerprints()
    prints.update((c.iri, claim_fingerprint(c)) for found in came.values() for c in found)
    return prints


def _consensus(before: list[Consensus], members: Mapping[Key, _Members], again: set[Key], chosen: Mapping[str, Review],
               verdicts: Mapping[str, Review], index: ConflictIndex) -> list[Consensus]:  # fmt: skip
    """Every group's consensus: found AGAIN for those groups (from their MEMBERS), the last build's for the others."""
    dismissed = [verdicts.get(iri) is not None and verdicts[iri].verdict == "dismissed" for iri in index.iris] if verdicts else None

    def count(competing: set[str]) -> Counter[str]:
        sides = (index.claims_a, index.claims_b)
        if dismissed is not None:
            sides = tuple(list(compress(side, (not d for d in dismissed))) for side in sides)  # type: ignore[assignment]
        return Counter(filter(competing.__contains__, chain(*sides)))

    found = consensus_counted({group: members[group].claims for group in again}, chosen, count)
    kept = [item for item in before if consensus_key(item) not in members]
    return sorted(kept + found, key=consensus_key)


def _ranks(state: DeltaState, keys: list[str], came: Mapping[str, list[Claim]], consensus: list[Consensus], ruled_out: frozenset[str],
           claims: Mapping[str, tuple[str, int, Claim]]) -> dict[str, tuple[str, ...]]:  # fmt: skip
    """Each document's claims' ranks: the last build's, changed where a claim became or ceased to be a consensus or ruled out."""
    preferred = {item.claim.iri for item in consensus}

    def rank(iri: str) -> str:
        return "preferred" if iri in preferred else "deprecated" if iri in ruled_out else "normal"

    ranks = {key: tuple(rank(c.iri) for c in came[key]) if key in came else state.ranks[key] for key in keys}
    before = {item.claim.iri for item in state.consensus}
    changed: dict[str, list[tuple[int, str]]] = {}
    for iri in (before ^ preferred) | (state.ruled_out ^ ruled_out):
        if iri in claims:
            key, place, _claim = claims[iri]
            if key not in came:
                changed.setdefault(key, []).append((place, rank(iri)))
    for key, updates in changed.items():
        ranked = list(ranks[key])
        for place, value in updates:
            ranked[place] = value
        ranks[key] = tuple(ranked)
    return ranks


__all__ = ["Delta", "consensus_key", "rebuild_by_difference", "state_of_build"]
