"""Reconciliation on two cores: about half of the groups in a forked child, the rest here.

Groups of comparable claims are independent, except where a scope constraint
links two of them (a region and its country, a country and the world, returned
and departed, women and affiliates, ...). Groups linked by constraints form a
*component*, and everything reconciliation decides stays inside one component:

* a conflict's two claims are in one group, or in a part and its whole;
* a group's consensus counts the conflicts of its own claims, all of them in
  its component.

So whole components are work items, put in a queue (a pipe) largest first; a
forked child and this process each take the next item until none is left (so
each does about half of the work, whatever an item costs), and the results are
merged. The merge gives exactly the serial answer:

* conflicts: the serial pass keeps the first conflict of each IRI (scope
  violations first, then each group's in order) and sorts by severity and
  IRI. A conflict IRI digests its two claims' IRIs, and a claim's IRI digests
  its group's key, so two components never share a conflict IRI: each process
  keeps the same first conflicts (it visits each component's groups in the serial order),
  and sorting the union by (severity, IRI), which are unique, gives one order;
* consensus: per group, from the same conflicts; listed by group key;
* ranks: every claim in input order, ``preferred`` for each consensus claim;
* a :class:`~claimgraph.reconcile.GroupMemo` gets the same entries in the same
  order: each lookup is tagged with its place in the serial pass.

The child sends plain data (marshal) through a file in memory, in frames of
a few thousand conflicts, each conflict with its IRI, so this process need not
hash them again (claims carry theirs from the start), and a notice through a
pipe after each frame. This process reads each frame as it comes (the child
marshals the next meanwhile), and does not wait for the child to exit. If the
child fails (the pipe closes before the last frame's notice), this process
reconciles the items the child took itself.
"""

from __future__ import annotations

import marshal
import os
import struct
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
from claimgraph.reconcile import GroupMemo, Keys, find_conflicts, merge_sorted, sort_keys, table_order, unsorted_conflicts
from claimgraph.scope import wholes_of

MIN_CLAIMS = 50_000  # below this, forking costs more than it saves (and tests and small builds stay serial)

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
    keys: Keys | None = None  # the conflicts' sort keys, when known (see claimgraph.reconcile.merge_sorted)


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


MAX_ITEMS = 4096  # work items in the queue (4 bytes each: a pipe holds 16,384 without a reader)


def work_items(groups: dict[Key, list[Claim]]) -> list[list[Key]]:
    """The keys of GROUPS as work items, whole components each, largest first (by claims); at most ``MAX_ITEMS`` of them
    (beyond that, the smallest components are spread over the smaller half of the items)."""
    items = sorted(components(groups), key=lambda keys: -sum(len(groups[k]) for k in keys))
    extra, items = items[MAX_ITEMS:], items[:MAX_ITEMS]
    for n, keys in enumerate(extra):
        items[MAX_ITEMS // 2 + n % (MAX_ITEMS - MAX_ITEMS // 2)] += keys
    return items


def reconcile_part(groups: dict[Key, list[Claim]], memo: _RecordingMemo | None, with_consensus: bool) -> Part:
    """Conflicts, memo entries and (if asked) consensus of GROUPS, whole components, as the serial pass finds them."""
    conflicts = find_conflicts([], groups, memo)
    return Part(conflicts, memo.records if memo else [], group_consensus(groups, conflicts) if with_consensus else None)


@dataclass
class _Work:
    """What one process found in the work items it took: conflicts (unsorted), memo records and consensus."""

    found: list[Conflict]
    records: list[tuple[Tag, str, list[Conflict]]]
    consensus: list[Consensus] | None
    taken: list[int]


def _take_work(queue: int, groups: dict[Key, list[Claim]], items: list[list[Key]], memo: _RecordingMemo | None,
               with_consensus: bool, after_item: Callable[[list[Conflict]], object]) -> _Work:  # fmt: skip
    """Reconcile work items taken from QUEUE (a pipe of item numbers, shared with the other process) until it is empty,
    calling AFTER_ITEM with each item's conflicts."""
    taken: list[int] = []
    found: list[Conflict] = []
    while number := os.read(queue, 4):  # 4 bytes at a time from a pipe written whole: never a part of a number
        taken.append(int.from_bytes(number, "little"))
        got = unsorted_conflicts({key: groups[key] for key in items[taken[-1]]}, memo)  # (no IRI in two components)
        after_item(got)
        found += got
    mine = {key: groups[key] for n in taken for key in items[n]}
    consensus = group_consensus(mine, found) if with_consensus else None  # (it counts conflicts: their order is no matter)
    return _Work(found, memo.records if memo else [], consensus, taken)


def reconcile_split(
    groups: dict[Key, list[Claim]], memo: GroupMemo | None, with_consensus: bool, meanwhile: Callable[[], T] | None = None
) -> tuple[list[Conflict], list[Consensus] | None, T | None]:
    """Conflicts (sorted as :func:`claimgraph.reconcile.find_conflicts` sorts them) and consensus (by group key, when
    WITH_CONSENSUS) of all GROUPS, on two cores; MEMO filled as the serial pass fills it.

    The two processes take work items (:func:`work_items`) from one queue until it is empty, so each does about half
    of the work whatever the items cost. The child sends each item's conflicts as soon as it has them; this process
    reads them between its own items. MEANWHILE (its answer is the third value) runs here first, while the child starts.
    """
    positions = {id(members): i for i, members in enumerate(groups.values())}

    def recorder() -> _RecordingMemo | None:
        return _RecordingMemo(memo.known, memo.document_keys, memo.code, positions=positions) if memo else None

    items = work_items(groups)
    queue, queued = os.pipe()
    os.write(queued, b"".join(n.to_bytes(4, "little") for n in range(len(items))))  # at most 16 KB: never waits
    os.close(queued)  # the queue ends (a read finds nothing) once both processes have taken every item
    ready, done = os.pipe()  # a notice for each frame of the child's answer once it is in CHANNEL (see _Sender)
    with _memory_file() as channel:

        def child_work() -> None:
            os.close(ready)
            sender = _Sender(channel, done)
            work = _take_work(queue, groups, items, recorder(), with_consensus, sender.conflicts)  # freed after the last frame
            sender.last(_rest(work, groups, memo))

        child = fork_child(child_work)
        os.close(done)
        receiver = _Receiver(ready, channel)
        try:
            extra = meanwhile() if meanwhile else None
            work = _take_work(queue, groups, items, recorder(), with_consensus, receiver.poll)
            keys = sort_keys(work.found)
            conflicts, keys = _in_order(work.found, keys, table_order(keys))
            mine = Part(conflicts, work.records, work.consensus, keys)
            # Read the answer as it comes, without waiting for the child to exit: freeing its copy-on-write pages
            # takes the kernel a few tenths of a second, done meanwhile (it is waited for below).
            theirs = receiver.finish(groups, memo)
        except BaseException:
            stop_child(child)
            raise
        finally:
            os.close(queue)
            os.close(ready)
    if theirs is None:  # the child failed (killed, out of memory): the items it took are reconciled here
        os.waitpid(child, 0)
        rest = set(range(len(items))) - set(work.taken)
        theirs = reconcile_part({key: groups[key] for n in sorted(rest) for key in items[n]}, recorder(), with_consensus)
        child = 0
    if memo:
        for _tag, key, entries in sorted(mine.used + theirs.used, key=lambda record: record[0]):
            memo.used[key] = entries
    conflicts = merge_sorted(mine.conflicts, theirs.conflicts, mine.keys, theirs.keys)
    if child:
        os.waitpid(child, 0)  # it has sent its answer: it is exiting, or gone
    if mine.consensus is None or theirs.consensus is None:
        return conflicts, None, extra
    consensus = sorted(mine.consensus + theirs.consensus, key=lambda c: (c.measure, c.population, c.country, c.region))
    return conflicts, consensus, extra


_NOTICE = struct.Struct("<?QQ")  # a frame is in the channel: whether it is the last one, where it starts, its length


def _memory_file() -> BinaryIO:
    """A file in memory for the child's answer (Linux ``memfd``); writing hundreds of MB to /tmp took 0.4 s, this 0.07 s.

    The child writes into it without waiting for this process to read (a pipe would hold the child back: its frames are
    ready while this process is still reconciling its own items)."""
    try:
        return os.fdopen(os.memfd_create("claimgraph-reconcile"), "w+b")
    except (AttributeError, OSError):  # not Linux, or memfd refused (a sandbox): a temporary file does the same
        return tempfile.TemporaryFile()


class _Sender:
    """The child's side: frames written to CHANNEL (marshal format 2, without references between objects: faster to
    write), each followed by a notice on the pipe NOTICES."""

    def __init__(self, channel: BinaryIO, notices: int) -> None:
        self.channel, self.notices = channel, notices

    def conflicts(self, conflicts: list[Conflict]) -> None:
        """One work item's conflicts, as columns (:func:`_columns`)."""
        if conflicts:
            self._write(marshal.dumps(_columns(conflicts), 2), last=False)

    def last(self, rest: tuple) -> None:
        """The rest of the answer (:func:`_rest`); its notice says it is the last frame."""
        self._write(marshal.dumps(rest, 2), last=True)

    def _write(self, frame: bytes, last: bool) -> None:
        start = self.channel.tell()
        self.channel.write(frame)
        self.channel.flush()
        os.write(self.notices, _NOTICE.pack(last, start, len(frame)))  # a few bytes: written at once, never waits


class _Receiver:
    """This process's side: the child's frames read from CHANNEL as the notices on the pipe READY come."""

    def __init__(self, ready: int, channel: BinaryIO) -> None:
        self.ready, self.channel = ready, channel
        self.rows: list[Conflict] = []  # the child's conflicts, in the order it found them
        self.keys: Keys = ([], [])  # their severities and IRIs
        self.rest: tuple | None = None
        self.closed = False
        self.pending = b""
        os.set_blocking(ready, False)

    def poll(self, _conflicts_here: object = None) -> None:
        """Read the frames whose notices have come, without waiting for more."""
        self._read()

    def finish(self, groups: dict[Key, list[Claim]], memo: GroupMemo | None) -> Part | None:
        """The child's :class:`Part`, once its last frame has come; None when the child stopped first."""
        os.set_blocking(self.ready, True)
        while self.rest is None and not self.closed:
            self._read()
        return None if self.rest is None else _decode(self.rows, self.keys, self.rest, groups, memo)

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.ready, 1 << 16)
            except BlockingIOError:
                return
            if not data:
                self.closed = True
                return
            self.pending += data
            while len(self.pending) >= _NOTICE.size:
                last, start, length = _NOTICE.unpack_from(self.pending)
                self.pending = self.pending[_NOTICE.size :]
                frame = os.pread(self.channel.fileno(), length, start)
                if len(frame) < length:  # (the child writes a frame whole before its notice)
                    self.closed = True
                    return
                if last:
                    self.rest = marshal.loads(frame)
                    return
                rows, (severities, iris) = _conflicts(marshal.loads(frame))
                self.rows += rows
                self.keys[0].extend(severities)
                self.keys[1].extend(iris)


def _rest(work: _Work, groups: dict[Key, list[Claim]], memo: GroupMemo | None) -> tuple:
    """The rest of the child's answer once its conflicts are sent: conflicts of memo entries not among them (as columns),
    the sorted order of all, memo entries and consensus by reference (places in GROUPS)."""
    rows = work.found
    order = table_order(sort_keys(rows))
    extra: list[Conflict] = []
    used: list[tuple] = []
    if memo:
        index = {id(c): n for n, c in enumerate(rows)}

        def ref(conflict: Conflict) -> int:  # a conflict found twice in a group is among a memo entry's, not among ROWS
            row = index.get(id(conflict))
            if row is None:
                row = index[id(conflict)] = len(rows) + len(extra)
                extra.append(conflict)
            return row

        used = [(tag, key, None if memo.known.get(key) is entries else [ref(c) for c in entries]) for tag, key, entries in work.records]
    consensus = None
    if work.consensus is not None:
        places = {key: position for position, key in enumerate(groups)}
        consensus = [(places[key := (c.measure, c.population, c.country, c.region)], _place(groups[key], c.claim), c.reason)
                     for c in work.consensus]  # fmt: skip
    return _columns(extra), order, used, consensus


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


def _conflicts(columns: tuple) -> tuple[list[Conflict], Keys]:
    """The conflicts back from :func:`_columns`, and their :func:`~claimgraph.reconcile.sort_keys` (read from the columns)."""
    count, *fields = columns
    if not count:
        return [], ([], [])
    kinds, severities, claims_a, claims_b, reasons, iris = (f.split(_SEPARATOR) if isinstance(f, str) else f for f in fields)
    return list(map(Conflict.restored, kinds, severities, claims_a, claims_b, reasons, iris)), (severities, iris)


_FIELDS = attrgetter("kind", "severity", "claim_a", "claim_b", "reason", "iri")


def _place(members: list[Claim], claim: Claim) -> int:
    return next(i for i, member in enumerate(members) if member is claim)


def _decode(rows: list[Conflict], keys: Keys, rest: tuple, groups: dict[Key, list[Claim]], memo: GroupMemo | None) -> Part:
    """The child's :class:`Part` back from its conflicts (ROWS, in the order found, with their KEYS) and :func:`_rest`'s
    answer."""
    extra, order, used, consensus = rest
    extra_rows, (extra_severities, extra_iris) = _conflicts(extra)
    rows, keys = rows + extra_rows, (keys[0] + extra_severities, keys[1] + extra_iris)
    entries = [
        (tuple(tag), key, memo.known[key] if rows_of is None else [rows[i] for i in rows_of])  # type: ignore[union-attr]
        for tag, key, rows_of in used
    ]
    found = None
    if consensus is not None:
        names = list(groups)
        found = [Consensus(*names[g], claim=groups[names[g]][place], claims=len(groups[names[g]]), reason=reason)
                 for g, place, reason in consensus]  # fmt: skip
    conflicts, keys = _in_order(rows, keys, order)
    return Part(conflicts, entries, found, keys)


def _in_order(conflicts: list[Conflict], keys: Keys, order: list[int]) -> tuple[list[Conflict], Keys]:
    """CONFLICTS and their KEYS in ORDER (positions)."""
    severities, iris = keys
    return [conflicts[n] for n in order], ([severities[n] for n in order], [iris[n] for n in order])


__all__ = ["MIN_CLAIMS", "can_split", "components", "reconcile_part", "reconcile_split", "work_items"]
