"""Reconciliation on two cores: half of the groups in a forked child, the other half here.

Groups of comparable claims are independent, except where a scope constraint
links two of them (a region and its country, a country and the world, returned
and departed, women and affiliates, ...). Groups linked by constraints form a
*component*, and everything reconciliation decides stays inside one component:

* a conflict's two claims are in one group, or in a part and its whole;
* a group's consensus counts the conflicts of its own claims, all of them in
  its component.

So the components are split into two halves of about the same number of claims;
a forked child reconciles one half, this process the other, and the results
are merged. The merge gives exactly the serial answer:

* conflicts: the serial pass keeps the first conflict of each IRI (scope
  violations first, then each group's in order) and sorts by severity and
  IRI. A conflict IRI digests its two claims' IRIs, and a claim's IRI digests
  its group's key, so two components never share a conflict IRI: each half
  keeps the same first conflicts (it visits its groups in the serial order),
  and sorting the union by (severity, IRI), which are unique, gives one order;
* consensus: per group, from the same conflicts; listed by group key;
* ranks: every claim in input order, ``preferred`` for each consensus claim;
* a :class:`~claimgraph.reconcile.GroupMemo` gets the same entries in the same
  order: each lookup is tagged with its place in the serial pass.

The child sends plain data (marshal) through a file in memory, each
conflict with its IRI, so this process need not hash them again (claims carry
theirs from the start), and then one byte through a pipe: this process reads
the answer without waiting for the child to exit. If the child fails (the pipe
closes without that byte), this process reconciles the child's half itself.
"""

from __future__ import annotations

import marshal
import os
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import BinaryIO, TypeVar

from claimgraph.consensus import Consensus, group_consensus
from claimgraph.forking import fork_child, stop_child
from claimgraph.model import Claim, Conflict
from claimgraph.reconcile import GroupMemo, find_conflicts, merge_sorted
from claimgraph.scope import wholes_of

MIN_CLAIMS = 50_000  # below this, forking costs more than it saves (and tests and small builds stay serial)
CHILD_SHARE = 0.5  # of the claims: time is about proportional to them; the child also marshals its answer (0.5 s at 10^6)

Key = tuple[str, str, str, str]
T = TypeVar("T")
Tag = tuple[int, int, int]  # (pass: 0 scope, 1 groups; position of the group in the serial pass; lookup number)


def can_split(claims: int) -> bool:
    """Whether reconciling CLAIMS comparable claims should use a forked child: on Linux, with two cores, no other threads."""
    return (
        claims >= MIN_CLAIMS
        and hasattr(os, "fork")
        and sys.platform.startswith("linux")
        and threading.active_count() == 1  # forking a process with threads can copy a lock that is held
        and len(os.sched_getaffinity(0)) >= 2
    )


@dataclass
class Part:
    """What reconciling some components found: their conflicts (sorted), memo entries (tagged) and consensus."""

    conflicts: list[Conflict]
    used: list[tuple[Tag, str, list[Conflict]]]
    consensus: list[Consensus] | None


@dataclass
class _RecordingMemo(GroupMemo):
    """A :class:`GroupMemo` that also records each lookup's place in the serial pass (see the module docstring)."""

    positions: dict[int, int] = field(default_factory=dict)  # id of a group's member list -> the group's place in the pass
    records: list[tuple[Tag, str, list[Conflict]]] = field(default_factory=list)

    def note(self, key: str, found: list[Conflict], parts: tuple[list[Claim], ...], label: str) -> None:
        """Record the entry with its place in the serial pass (scope lookups carry a label, group lookups none)."""
        self.records.append(((1 if not label else 0, self.positions[id(parts[0])], len(self.records)), key, found))


def components(groups: dict[Key, list[Claim]]) -> list[list[Key]]:
    """The keys of GROUPS linked by scope constraints (wholes that are present), one list per component."""
    parent = {key: key for key in groups}

    def root(key: Key) -> Key:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for key in groups:
        for relation in wholes_of(key):
            if relation.whole in groups:
                parent[root(key)] = root(relation.whole)
    found: dict[Key, list[Key]] = {}
    for key in groups:
        found.setdefault(root(key), []).append(key)
    return list(found.values())


def halves(groups: dict[Key, list[Claim]], share: float = 0.5) -> tuple[dict[Key, list[Claim]], dict[Key, list[Claim]]]:
    """Two sub-dicts of GROUPS, whole components each, the second with about SHARE of the claims (largest component first,
    each into the half furthest below its share)."""
    sizes = [0, 0]
    targets = [1 - share, share]
    side: dict[Key, int] = {}
    for keys in sorted(components(groups), key=lambda keys: -sum(len(groups[k]) for k in keys)):
        smaller = 0 if sizes[0] / targets[0] <= sizes[1] / targets[1] else 1
        sizes[smaller] += sum(len(groups[k]) for k in keys)
        side.update(dict.fromkeys(keys, smaller))
    return ({k: v for k, v in groups.items() if side[k] == 0}, {k: v for k, v in groups.items() if side[k] == 1})


def reconcile_part(groups: dict[Key, list[Claim]], memo: _RecordingMemo | None, with_consensus: bool) -> Part:
    """Conflicts, memo entries and (if asked) consensus of GROUPS, whole components, as the serial pass finds them."""
    conflicts = find_conflicts([], groups, memo)
    return Part(conflicts, memo.records if memo else [], group_consensus(groups, conflicts) if with_consensus else None)


def reconcile_split(
    groups: dict[Key, list[Claim]], memo: GroupMemo | None, with_consensus: bool, meanwhile: Callable[[], T] | None = None
) -> tuple[list[Conflict], list[Consensus] | None, T | None]:
    """Conflicts (sorted as :func:`claimgraph.reconcile.find_conflicts` sorts them) and consensus (by group key, when
    WITH_CONSENSUS) of all GROUPS, half of them reconciled in a forked child; MEMO filled as the serial pass fills it.

    MEANWHILE (its answer is the third value) runs here once this half is done, while the child finishes its own.
    """
    positions = {id(members): i for i, members in enumerate(groups.values())}

    def recorder() -> _RecordingMemo | None:
        return _RecordingMemo(memo.known, memo.document_keys, memo.code, positions=positions) if memo else None

    here, there = halves(groups, CHILD_SHARE)
    theirs = None
    with _memory_file() as channel:
        ready, done = os.pipe()  # the child writes one byte once its whole answer is in CHANNEL

        def child_work() -> None:
            os.close(ready)
            part = reconcile_part(there, recorder(), with_consensus)
            answer = _encode(part, there, memo)
            _send(answer, channel)
            os.write(done, b"1")  # before PART and ANSWER are freed (half a million objects: 0.3 s the parent need not wait)

        child = fork_child(child_work)
        os.close(done)
        try:
            mine = reconcile_part(here, recorder(), with_consensus)
            extra = meanwhile() if meanwhile else None
            # Read the answer as soon as it is complete, without waiting for the child to exit: freeing its
            # copy-on-write pages takes the kernel a few tenths of a second, done meanwhile (it is waited for below).
            if os.read(ready, 1) == b"1":
                channel.seek(0)
                theirs = _decode(marshal.loads(channel.read()), there, memo)  # one read (marshal.load reads each object apart)
        except BaseException:
            stop_child(child)
            raise
        finally:
            os.close(ready)
    if theirs is None:  # the child failed (killed, out of memory): its half is reconciled here
        os.waitpid(child, 0)
        theirs = reconcile_part(there, recorder(), with_consensus)
        child = 0
    if memo:
        for _tag, key, entries in sorted(mine.used + theirs.used, key=lambda record: record[0]):
            memo.used[key] = entries
    conflicts = merge_sorted(mine.conflicts, theirs.conflicts)
    if child:
        os.waitpid(child, 0)  # it has sent its answer: it is exiting, or gone
    if mine.consensus is None or theirs.consensus is None:
        return conflicts, None, extra
    consensus = sorted(mine.consensus + theirs.consensus, key=lambda c: (c.measure, c.population, c.country, c.region))
    return conflicts, consensus, extra


def _memory_file() -> BinaryIO:
    """A file in memory for the child's answer (Linux ``memfd``); writing hundreds of MB to /tmp took 0.4 s, this 0.07 s."""
    try:
        return os.fdopen(os.memfd_create("claimgraph-reconcile"), "w+b")
    except (AttributeError, OSError):  # not Linux, or memfd refused (a sandbox): a temporary file does the same
        return tempfile.TemporaryFile()


def _send(answer: tuple, channel: BinaryIO) -> None:
    """The child's answer, marshalled into CHANNEL (a file in memory the parent reads once the child says it is complete).

    Marshal format 2 (without references between objects): for this answer, written in 0.4 s against 0.7 s for format 4.
    """
    marshal.dump(answer, channel, 2)
    channel.flush()


def _encode(part: Part, groups: dict[Key, list[Claim]], memo: GroupMemo | None) -> tuple:
    """PART as plain data: the conflicts once each, as columns (:func:`_columns`), memo entries and consensus by reference."""
    index: dict[int, int] = {}
    unique: list[Conflict] = []

    def ref(conflict: Conflict) -> int:
        row = index.get(id(conflict))
        if row is None:
            row = index[id(conflict)] = len(unique)
            unique.append(conflict)
        return row

    if memo:
        order = [ref(c) for c in part.conflicts]
        used = [
            (tag, key, None if memo.known.get(key) is entries else [ref(c) for c in entries]) for tag, key, entries in part.used
        ]
    else:  # no memo: the rows are the conflicts, in order
        unique, order, used = part.conflicts, None, []
    consensus = None
    if part.consensus is not None:
        places = {key: position for position, key in enumerate(groups)}
        consensus = [(places[key := (c.measure, c.population, c.country, c.region)], _place(groups[key], c.claim), c.reason)
                     for c in part.consensus]  # fmt: skip
    return _columns(unique), order, used, consensus


_SEPARATOR = "\n"  # never in a kind or an IRI (minted from hex digests); a column that holds one is sent as a list


def _columns(conflicts: list[Conflict]) -> tuple:
    """CONFLICTS as six columns (kind, severity, claim_a, claim_b, reason, IRI), each column of names one string.

    Names joined into one string are marshalled and split again in C: 0.5 s against 0.9 s for 470,000 conflicts as
    one tuple each. Reasons stay a list: they can hold any character, and one joined string would be as wide as its
    widest character (a "≤" makes every reason two bytes a character).
    """
    if not conflicts:
        return (0,)
    kinds, severities, claims_a, claims_b, reasons, iris = map(list, zip(*map(_FIELDS, conflicts), strict=True))  # each read once
    return len(conflicts), _joined(kinds), severities, _joined(claims_a), _joined(claims_b), reasons, _joined(iris)


def _joined(names: list[str]) -> str | list[str]:
    text = _SEPARATOR.join(names)
    return text if text.count(_SEPARATOR) == len(names) - 1 else names


def _conflicts(columns: tuple) -> list[Conflict]:
    """The conflicts back from :func:`_columns`."""
    count, *fields = columns
    if not count:
        return []
    return list(map(Conflict.restored, *(f.split(_SEPARATOR) if isinstance(f, str) else f for f in fields)))


_FIELDS = attrgetter("kind", "severity", "claim_a", "claim_b", "reason", "iri")


def _place(members: list[Claim], claim: Claim) -> int:
    return next(i for i, member in enumerate(members) if member is claim)


def _decode(answer: tuple, groups: dict[Key, list[Claim]], memo: GroupMemo | None) -> Part:
    """The child's :class:`Part` back from :func:`_encode`'s tuples."""
    columns, order, used, consensus = answer
    conflicts = _conflicts(columns)
    entries = [
        (tuple(tag), key, memo.known[key] if rows_of is None else [conflicts[i] for i in rows_of])  # type: ignore[union-attr]
        for tag, key, rows_of in used
    ]
    found = None
    if consensus is not None:
        keys = list(groups)
        found = [Consensus(*keys[g], claim=groups[keys[g]][place], claims=len(groups[keys[g]]), reason=reason)
                 for g, place, reason in consensus]  # fmt: skip
    return Part(conflicts if order is None else [conflicts[i] for i in order], entries, found)


__all__ = ["MIN_CLAIMS", "can_split", "components", "halves", "reconcile_part", "reconcile_split"]
