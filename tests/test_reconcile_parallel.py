"""Reconciliation on two cores (a forked child reconciles half of the groups) gives exactly the serial answer."""

from __future__ import annotations

import marshal
import os
import time
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimgraph import reconcile_parallel
from claimgraph.consensus import rank_claims
from claimgraph.model import Claim, Conflict
from claimgraph.reconcile import (
    GroupMemo,
    comparable_groups,
    find_conflicts,
    merge_sorted,
    sort_keys,
    sorted_conflicts,
    table_order,
)
from claimgraph.scope import wholes_of

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the split needs os.fork")

_PLACES = [("US", ""), ("FR", ""), ("FR", "Paris"), ("DE", ""), ("GB", ""), ("EU", ""), ("EUROPE", ""), ("WORLD", ""), ("IQ", "")]
_claim = st.builds(
    lambda value, qualifier, as_of, source, file, start, measure, population, place: Claim(
        file, start, start + 3, f"{value:,}", f"quote {start}", Decimal(value), None if qualifier == "at_most" else Decimal(value),
        None if qualifier in {"at_least", "more_than"} else Decimal(value), qualifier, measure, population, place[0], "origin",
        as_of, source, "", region=place[1], quote_start=start),
    st.sampled_from([7, 10, 12, 100, 120, 240, 250, 1000, 1200]),
    st.sampled_from(["exact", "approximately", "at_least", "more_than", "at_most"]),
    st.sampled_from(["", "2015", "2016", "2016-03", "2017"]), st.sampled_from(["", "ICSR", "Soufan Center"]),
    st.sampled_from(["a.txt", "b.txt", "c.txt", "d.txt"]), st.sampled_from([0, 10, 20]),
    st.sampled_from(["returned", "departed", "detained"]), st.sampled_from(["fighters", "women", "affiliates"]), st.sampled_from(_PLACES),
)  # fmt: skip


def _serial(groups: dict, memo: GroupMemo | None) -> tuple[list, list]:
    conflicts = find_conflicts([], groups, memo)
    return conflicts, rank_claims(groups, [c for members in groups.values() for c in members], conflicts)[1]


def _fields(conflicts: list) -> list[tuple]:
    return [(c.kind, c.severity, c.claim_a, c.claim_b, c.reason, c.iri) for c in conflicts]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_claim, min_size=1, max_size=60))
def test_the_split_gives_the_serial_conflicts_and_consensus(claims: list[Claim]) -> None:
    groups = comparable_groups(claims)
    conflicts, consensus = _serial(groups, None)
    split_conflicts, split_consensus, _ = reconcile_parallel.reconcile_split(comparable_groups(claims), None, with_consensus=True)
    assert _fields(split_conflicts) == _fields(conflicts)
    assert split_consensus == consensus


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_claim, min_size=1, max_size=60), st.randoms(use_true_random=False))
def test_the_split_fills_a_memo_as_the_serial_pass_does(claims: list[Claim], random) -> None:  # noqa: ANN001
    prints = {c.source_file: f"key of {c.source_file}" for c in claims}
    earlier = GroupMemo({}, prints, "code")
    find_conflicts([], comparable_groups(claims), earlier)
    known = {key: entries for key, entries in earlier.used.items() if random.random() < 0.5}  # some groups unchanged
    serial, split = GroupMemo(dict(known), prints, "code"), GroupMemo(dict(known), prints, "code")
    conflicts, _ = _serial(comparable_groups(claims), serial)
    split_conflicts, consensus, _ = reconcile_parallel.reconcile_split(comparable_groups(claims), split, with_consensus=False)
    assert consensus is None
    assert _fields(split_conflicts) == _fields(conflicts)
    assert list(split.used) == list(serial.used)  # same keys, in the same order
    assert [_fields(entries) for entries in split.used.values()] == [_fields(entries) for entries in serial.used.values()]
    assert all(split.used[key] is known[key] for key in known if key in split.used)  # a known group's own entries


@settings(max_examples=40, deadline=None)
@given(st.lists(_claim, min_size=1, max_size=80))
def test_work_items_hold_whole_components_largest_first(claims: list[Claim]) -> None:
    groups = comparable_groups(claims)
    items = reconcile_parallel.work_items(groups)
    assert sorted(key for keys in items for key in keys) == sorted(groups)  # every group once
    side = {key: n for n, keys in enumerate(items) for key in keys}
    for key in groups:
        for relation in wholes_of(key):
            if relation.whole in groups:
                assert side[key] == side[relation.whole]
    sizes = [sum(len(groups[key]) for key in keys) for keys in items]
    assert sizes == sorted(sizes, reverse=True)


def test_beyond_the_largest_queue_small_components_share_items(monkeypatch: pytest.MonkeyPatch) -> None:
    claims = [Claim("a.txt", n, n + 2, "7", "q", Decimal(7), Decimal(7), Decimal(7), "exact", "detained", "fighters", "IQ", "origin",
                    "2016", region=f"region {n}") for n in range(30)]  # fmt: skip
    groups = comparable_groups(claims)  # one group per region, and their country's group none of them: 30 components
    assert len(reconcile_parallel.components(groups)) == 30
    monkeypatch.setattr(reconcile_parallel, "MAX_ITEMS", 8)
    items = reconcile_parallel.work_items(groups)
    assert len(items) == 8 and sorted(key for keys in items for key in keys) == sorted(groups)


def test_a_failed_child_leaves_its_half_to_the_parent(monkeypatch: pytest.MonkeyPatch) -> None:
    figures = [("returned", "FR", 7), ("returned", "DE", 12), ("returned", "EU", 10), ("detained", "IQ", 300)]  # two components
    claims = [Claim(f"{name}.txt", 0, 3, str(value), "q", Decimal(value), Decimal(value), Decimal(value), "exact", measure,
                    "fighters", country, "origin", "2016") for n, name in enumerate("abc") for measure, country, value in
              [(measure, country, value + n) for measure, country, value in figures]]  # fmt: skip
    assert len(reconcile_parallel.work_items(comparable_groups(claims))) == 2

    def fail(*args: object) -> tuple:
        raise RuntimeError("the child fails")

    conflicts, consensus = _serial(comparable_groups(claims), None)
    monkeypatch.setattr(reconcile_parallel, "_rest", fail)
    # (this process waits before taking work, so the child takes every item and fails with them)
    split_conflicts, split_consensus, _ = reconcile_parallel.reconcile_split(comparable_groups(claims), None, with_consensus=True,
                                                                             meanwhile=lambda: time.sleep(0.5))  # fmt: skip
    assert _fields(split_conflicts) == _fields(conflicts) and conflicts
    assert split_consensus == consensus


def test_small_inputs_stay_serial() -> None:
    assert not reconcile_parallel.can_split(reconcile_parallel.MIN_CLAIMS - 1)


@pytest.mark.parametrize("seed", [0, 3])
def test_the_split_of_a_synthetic_corpus_gives_the_serial_answer(seed: int) -> None:
    """Thousands of claims in hundreds of groups, with conflicts in both processes and scope violations across groups; the
    child's answer in one frame for each work item with conflicts."""
    from claimgraph.synthetic import synthetic_claims

    _, claims = synthetic_claims(8000, seed)
    groups = comparable_groups(claims)
    conflicts, consensus = _serial(groups, None)
    assert len(reconcile_parallel.work_items(groups)) > 100
    assert {c.kind for c in conflicts} >= {"value_mismatch", "scope_violation"}
    split_conflicts, split_consensus, _ = reconcile_parallel.reconcile_split(groups, None, with_consensus=True)
    assert _fields(split_conflicts) == _fields(conflicts)
    assert split_consensus == consensus


def test_a_child_killed_before_it_answers_leaves_its_half_to_the_parent(monkeypatch: pytest.MonkeyPatch) -> None:
    figures = [("returned", "FR", 7), ("returned", "DE", 12), ("returned", "EU", 10), ("detained", "IQ", 300)]
    claims = [Claim(f"{name}.txt", 0, 3, str(value), "q", Decimal(value), Decimal(value), Decimal(value), "exact", measure,
                    "fighters", country, "origin", "2016") for n, name in enumerate("abc") for measure, country, value in
              [(measure, country, value + n) for measure, country, value in figures]]  # fmt: skip
    sent = []
    send = reconcile_parallel._Sender.conflicts

    def die_half_way(self, conflicts: list) -> None:  # noqa: ANN001
        if not sent:  # the first item's conflicts are sent whole
            sent.append(send(self, conflicts))
            return
        frame = marshal.dumps(reconcile_parallel._columns(conflicts), 2)
        self.channel.write(frame[: len(frame) // 2])  # half of the next item's frame is written, and its notice never comes
        self.channel.flush()
        os.kill(os.getpid(), 9)

    conflicts, consensus = _serial(comparable_groups(claims), None)
    monkeypatch.setattr(reconcile_parallel._Sender, "conflicts", die_half_way)
    # (this process waits before taking work, so the child takes every item and fails with them)
    split_conflicts, split_consensus, _ = reconcile_parallel.reconcile_split(comparable_groups(claims), None, with_consensus=True,
                                                                             meanwhile=lambda: time.sleep(0.5))  # fmt: skip
    assert _fields(split_conflicts) == _fields(conflicts) and conflicts
    assert split_consensus == consensus


_sorted_conflicts = st.lists(
    st.builds(lambda kind, severity, a, b: Conflict(kind, severity, f"claim/{a}", f"claim/{b}", "r"),
              st.sampled_from(["value_mismatch", "scope_violation"]), st.sampled_from([0.3, 0.35, 0.65, 1.0]),
              st.integers(0, 40), st.integers(0, 40)),
    max_size=40,
).map(lambda conflicts: sorted_conflicts(list({c.iri: c for c in conflicts}.values())))  # fmt: skip


@given(_sorted_conflicts, _sorted_conflicts)
def test_merging_two_sorted_halves_gives_the_order_of_sorting_them_together(first: list, second: list) -> None:
    ours = {c.iri for c in first}
    second = [c for c in second if c.iri not in ours]  # the halves never share a conflict
    merged = merge_sorted(first, second)
    assert merged == sorted(first + second, key=lambda c: (-c.severity, c.iri))
    assert merge_sorted(first, second, sort_keys(first), sort_keys(second)) == merged  # keys given: the conflicts are not read
    assert [c.iri for c in merged] == [c.iri for c in sorted_conflicts(first + second)]


@given(_sorted_conflicts, st.randoms(use_true_random=False))
def test_table_order_gives_the_order_of_sorted_conflicts(conflicts: list, random) -> None:  # noqa: ANN001
    shuffled = random.sample(conflicts, len(conflicts))
    assert [shuffled[n] for n in table_order(sort_keys(shuffled))] == conflicts


def test_a_memo_entry_with_a_conflict_not_among_the_found_ones_comes_back_whole() -> None:
    """A group's memo entry can hold a conflict the pass dropped as a repeat of an IRI: the child sends it apart."""
    found = [Conflict("value_mismatch", 0.5, "claim/a", "claim/b", "first"), Conflict("value_mismatch", 0.9, "claim/c", "claim/d", "r")]
    repeat = Conflict("value_mismatch", 0.5, "claim/b", "claim/a", "the same IRI, written again")
    work = reconcile_parallel._Work(found, [((1, 0, 0), "key", [found[0], repeat])], None, [0])
    rest = marshal.loads(marshal.dumps(reconcile_parallel._rest(work, {}, GroupMemo({}, {})), 2))
    rows, keys = reconcile_parallel._conflicts(marshal.loads(marshal.dumps(reconcile_parallel._columns(found), 2)))
    part = reconcile_parallel._decode(rows, keys, rest, {}, GroupMemo({}, {}))
    assert _fields(part.conflicts) == _fields([found[1], found[0]])  # in the tables' order
    assert part.keys == ([0.9, 0.5], [found[1].iri, found[0].iri])
    assert [(tag, key, _fields(entries)) for tag, key, entries in part.used] == [((1, 0, 0), "key", _fields([found[0], repeat]))]
