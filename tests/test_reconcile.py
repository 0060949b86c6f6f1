"""Reconciliation: interval logic, time, copies of one source, and the seed cases."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimgraph import scope
from claimgraph.candidates import evidence_units
from claimgraph.intervals import period
from claimgraph.model import Claim, Conflict
from claimgraph.reconcile import (
    MAX_CARRIED,
    _first_conflicting_pair,
    _one_picture,
    _pair_conflict,
    claim_interval,
    reconcile,
    written_precision,
)
from claimgraph.scope import ANY_DATE, WHOLES_PER_PART, _WholeIndex

D = Decimal


def claim(value: int | str, *, mention: str | None = None, qualifier: str = "exact", measure: str = "returned", country: str = "US",
          as_of: str = "2017-10", source: str = "", file: str = "a.txt", start: int = 0, population: str = "fighters",
          low: int | None = None, high: int | None = None, derived_from: str = "") -> Claim:
    v = D(value)
    lo = D(low) if low is not None else (None if qualifier in {"at_most", "less_than"} else v)
    hi = D(high) if high is not None else (None if qualifier in {"at_least", "more_than"} else v)
    return Claim(file, start, start + 3, mention or f"{int(v):,}", f"quote {start}", v, lo, hi, qualifier, measure, population,
                 country, "origin", as_of, source, derived_from, quote_start=start)


def kinds(*claims: Claim) -> list[str]:
    return [c.kind for c in reconcile(claims).conflicts]


def test_written_precision() -> None:
    assert written_precision("3,400", D(3400)) == 50
    assert written_precision("3,417", D(3417)) == 0.5
    assert written_precision("seven", D(7)) == 0.5


def test_round_figure_allows_its_precision() -> None:
    assert kinds(claim(3417, file="a"), claim(3400, file="b")) == []
    assert kinds(claim(3417, file="a"), claim(3300, file="b")) == ["value_mismatch"]


def test_at_least_and_more_than_are_open_above() -> None:
    assert kinds(claim(3000, qualifier="more_than", file="a"), claim(3244, file="b")) == []
    assert kinds(claim(5600, qualifier="at_least", file="a"), claim(5700, file="b")) == []
    assert kinds(claim(5600, qualifier="at_least", file="a"), claim(5000, file="b")) == ["value_mismatch"]


def test_ranges_and_approximate() -> None:
    assert kinds(claim(1200, qualifier="more_than", file="a"), claim(1600, qualifier="range", low=1200, high=2000, file="b")) == []
    assert kinds(claim(1000, qualifier="approximately", file="a"), claim(1080, file="b")) == []
    assert kinds(claim(1000, qualifier="approximately", file="a"), claim(1300, file="b")) == ["value_mismatch"]


def test_seven_versus_twelve() -> None:
    assert kinds(claim(7, mention="seven", source="Soufan Center", file="a"), claim(12, source="GWU", file="b", as_of="2017")) == ["value_mismatch"]


def test_cumulative_series_may_grow_but_not_shrink() -> None:
    series = [claim(6000, as_of="2013", file="a", measure="departed", country="WORLD"),
              claim(20000, as_of="2015", file="b", measure="departed", country="WORLD", qualifier="approximately"),
              claim(40000, as_of="2017", file="c", measure="departed", country="WORLD", qualifier="more_than")]
    assert kinds(*series) == []
    assert kinds(claim(3417, as_of="2017-10", file="a", measure="departed"), claim(4500, qualifier="range", low=4000, high=5000, as_of="2015", file="b", measure="departed")) == ["temporal_inconsistency"]


def test_snapshots_at_different_times_are_not_compared() -> None:
    assert kinds(claim(2000, measure="detained", as_of="2018", file="a"), claim(500, measure="detained", as_of="2019", file="b")) == []
    assert kinds(claim(2000, measure="detained", as_of="2019-03", file="a"), claim(500, measure="detained", as_of="2019", file="b")) == ["value_mismatch"]


def test_different_scope_is_not_compared() -> None:
    assert kinds(claim(135, measure="charged", as_of="2017-08", file="a"), claim(9, measure="charged", population="returnees", as_of="2018", file="b")) == []
    assert kinds(claim(800, measure="returned", country="GB", file="a"), claim(400, measure="unaccounted", country="GB", qualifier="at_least", file="b")) == []


def test_same_source_quoted_differently_is_a_quotation_mismatch() -> None:
    a = claim(5600, source="Soufan Center", file="post.txt", as_of="2018-02", country="WORLD")
    b = claim(5700, source="Soufan Center", file="jazeera.txt", as_of="2017-10", country="WORLD")
    assert kinds(a, b) == ["quotation_mismatch"]


def test_derived_figure_is_checked() -> None:
    total = claim(3417, measure="departed", country="RU", file="b")
    derived = claim(342, qualifier="approximately", country="RU", file="b", start=50, derived_from=total.iri)
    direct = claim(400, country="RU", file="a")
    assert "derived_mismatch" in kinds(total, derived, direct)
    assert claim_interval(derived).high < 350


def test_copies_of_one_figure_share_its_conflict() -> None:
    wapo = claim(7, mention="seven", source="Soufan Center", file="wapo", as_of="2018-02")
    copy = claim(7, mention="Seven", source="Soufan Center", file="breitbart", as_of="2017-10")
    gwu = claim(12, source="GWU", file="wapo", start=40, as_of="2018-02")
    pairs = {frozenset((c.claim_a, c.claim_b)) for c in reconcile([wapo, copy, gwu]).conflicts}
    assert frozenset((wapo.iri, gwu.iri)) in pairs and frozenset((copy.iri, gwu.iri)) in pairs


def test_figures_in_one_sentence_are_not_compared() -> None:
    assert kinds(claim(900, measure="active", start=0), replace(claim(40, measure="active", start=10), quote_start=0)) == []


def test_reconcile_never_mutates_and_ranks_every_claim() -> None:
    claims = [claim(7, file="a"), claim(12, file="b")]
    before = list(claims)
    result = reconcile(claims)
    assert claims == before
    assert set(result.ranks) == {c.iri for c in claims}
    assert sorted(result.ranks.values()) == ["normal", "preferred"]
    assert result.consensus[0].claims == 2


@pytest.fixture(scope="module")
def seed_conflicts(seeds_build):
    claims = {c.iri: c for c in seeds_build.claims}
    return [(c.kind, claims[c.claim_a], claims[c.claim_b]) for c in seeds_build.reconciliation.conflicts]


def _flagged(conflicts, a: int, b: int, country: str) -> bool:
    return any({int(x.value), int(y.value)} == {a, b} and x.country == country for _k, x, y in conflicts)


@pytest.mark.parametrize(("a", "b", "country"), [(7, 12, "US"), (3417, 4500, "RU"), (5600, 5700, "WORLD"), (400, 342, "RU")])
def test_seeds_must_flag(seed_conflicts, a: int, b: int, country: str) -> None:
    assert _flagged(seed_conflicts, a, b, country)


def test_seeds_flag_seven_twelve_through_both_outlets(seed_conflicts) -> None:
    files = {x.source_file if int(x.value) == 7 else y.source_file for _k, x, y in seed_conflicts if {int(x.value), int(y.value)} == {7, 12}}
    assert {f[:3] for f in files} == {"000", "004"}


@pytest.mark.parametrize(("a", "b", "country"), [(3417, 3400, "RU"), (3000, 3244, "SA"), (760, 760, "SA"), (900, 900, "TR"), (800, 800, "TN"),
                                                  (1200, 1600, "EU"), (1200, 1500, "EU"), (1600, 1500, "EU"), (6000, 20000, "WORLD"),
                                                  (20000, 40000, "WORLD"), (135, 9, "US"), (800, 400, "GB"), (5600, 5700, "never-at-least")])
def test_seeds_must_not_flag(seed_conflicts, a: int, b: int, country: str) -> None:
    if country == "never-at-least":
        assert not any({int(x.value), int(y.value)} == {5600, 5700} and "at_least" in (x.qualifier, y.qualifier) for _k, x, y in seed_conflicts)
    else:
        assert not _flagged(seed_conflicts, a, b, country)


# Scope: returned ≤ departed, a part ≤ its whole.

def test_returned_cannot_exceed_departed() -> None:
    departed = claim(129, measure="departed", file="a", as_of="2017")
    assert kinds(departed, claim(12, file="b", as_of="2017")) == []
    assert kinds(departed, claim(300, file="b", as_of="2017")) == ["scope_violation"]
    # A later departure count bounds an earlier return count; an earlier one says nothing about later returns.
    assert kinds(claim(129, measure="departed", file="a", as_of="2015"), claim(300, file="b", as_of="2017")) == []
    assert kinds(claim(129, measure="departed", file="a", as_of="2019"), claim(300, file="b", as_of="2017")) == ["scope_violation"]


def test_scope_respects_tolerance_and_open_intervals() -> None:
    assert kinds(claim(1200, measure="departed", qualifier="approximately", file="a"), claim(1300, file="b")) == []
    assert kinds(claim(1200, measure="departed", qualifier="more_than", file="a"), claim(5000, file="b")) == []


def test_country_is_part_of_eu_europe_world() -> None:
    world = claim(5600, qualifier="at_least", country="WORLD", file="w")
    assert kinds(world, claim(7, file="us")) == []
    assert kinds(claim(400, country="WORLD", file="w"), claim(900, country="TN", file="tn")) == ["scope_violation"]
    eu = claim(1500, qualifier="range", low=1200, high=2000, country="EU", file="eu")
    assert kinds(eu, claim(400, country="FR", file="fr")) == []
    assert kinds(eu, claim(2500, country="FR", file="fr")) == ["scope_violation"]
    assert kinds(claim(1000, country="EUROPE", file="e"), claim(1500, country="EU", file="eu")) == ["scope_violation"]
    # Russia and Turkey are not counted as parts of "Europe"; the UK was part of the EU only until January 2020.
    assert kinds(claim(1000, country="EUROPE", file="e"), claim(3417, country="RU", file="ru")) == []
    assert kinds(claim(100, country="EU", file="e", as_of="2017"), claim(400, country="GB", file="gb", as_of="2017")) == ["scope_violation"]
    assert kinds(claim(100, country="EU", file="e", as_of="2021"), claim(400, country="GB", file="gb", as_of="2021")) == []


def test_women_and_children_are_part_of_affiliates_and_region_of_country() -> None:
    affiliates = claim(5600, population="affiliates", country="WORLD", file="a")
    assert kinds(affiliates, claim(1000, population="women", country="WORLD", file="b")) == []
    assert kinds(affiliates, claim(6400, population="children", country="WORLD", file="b")) == ["scope_violation"]
    dagestan = Claim("d.txt", 0, 3, "1,200", "q", D(1200), D(1200), D(1200), "exact", "departed", "fighters", "RU", "origin", "2017",
                     region="Dagestan")
    assert kinds(dagestan, claim(3417, measure="departed", country="RU", file="r")) == []
    assert kinds(dagestan, claim(1000, measure="departed", country="RU", file="r")) == ["scope_violation"]


def test_snapshot_parts_compare_only_when_dates_overlap() -> None:
    whole = claim(400, measure="detained", country="WORLD", file="w", as_of="2016")
    assert kinds(whole, claim(900, measure="detained", country="IQ", file="i", as_of="2019")) == []
    assert kinds(whole, claim(900, measure="detained", country="IQ", file="i", as_of="2016-05")) == ["scope_violation"]


def test_scope_violation_reason_names_the_constraint() -> None:
    conflict = reconcile([claim(129, measure="departed", file="a"), claim(300, file="b")]).conflicts[0]
    assert "returned ≤ departed" in conflict.reason and "300" in conflict.reason and "129" in conflict.reason
    assert 0 < conflict.severity <= 1


# Scale: candidate pairs, not all pairs.

def test_an_outlier_among_many_agreeing_figures_is_flagged_without_a_flood() -> None:
    agreeing = [claim(240, qualifier="approximately", source=f"Outlet {i}", file=f"f{i}.txt", measure="departed") for i in range(300)]
    outlier = claim(440, source="Odd Institute", file="odd.txt", measure="departed")
    result = reconcile([*agreeing, outlier])
    flagged = {iri for c in result.conflicts for iri in (c.claim_a, c.claim_b)}
    assert outlier.iri in flagged
    assert all(outlier.iri in (c.claim_a, c.claim_b) for c in result.conflicts)  # the agreeing figures never conflict
    assert len(result.conflicts) <= len(agreeing)  # at most one per other unit, never pairs of pairs


def test_a_conflict_is_carried_to_a_few_copies_of_each_side_not_to_every_pair() -> None:
    copies = [claim(7, source="Soufan Center", file=f"copy{i}.txt") for i in range(30)]
    other = [claim(12, source="GWU", file=f"gwu{i}.txt") for i in range(20)]
    conflicts = reconcile([*copies, *other]).conflicts
    flagged = {iri for c in conflicts for iri in (c.claim_a, c.claim_b)}
    first = lambda claims: sorted(claims, key=lambda c: c.iri)[:MAX_CARRIED]  # noqa: E731
    assert flagged == {c.iri for c in first(copies) + first(other)}
    assert len(conflicts) == 2 * MAX_CARRIED - 1  # one pair, then each other copy of either side with the other side's claim


def test_a_conflict_is_found_beyond_the_copies_it_is_carried_to() -> None:
    same_date = [claim(7, source="Soufan Center", file=f"copy{i}.txt", as_of="2016") for i in range(12)]
    later = claim(7, source="Soufan Center", file="zz-late.txt", as_of="2019")  # the one copy dated after GWU's higher count
    earlier = claim(12, source="GWU", file="gwu.txt", as_of="2018")
    conflicts = reconcile([*same_date, later, earlier]).conflicts
    assert any({c.claim_a, c.claim_b} == {later.iri, earlier.iri} for c in conflicts), [c.reason for c in conflicts]


def test_a_sources_later_larger_total_is_an_update_not_a_misquote() -> None:
    earlier = claim(1000, source="ICSR", file="a.txt", as_of="2015-01", measure="departed")
    later = claim(1400, source="ICSR", file="b.txt", as_of="2015-09", measure="departed")
    assert kinds(earlier, later) == []
    shrunk = claim(800, source="ICSR", file="b.txt", as_of="2015-09", measure="departed")
    assert kinds(earlier, shrunk) == ["quotation_mismatch"]


# --- the reconciler's shortcuts give the answers of the plain rules (property tests) ----------------------------------------

_values = st.sampled_from([7, 10, 12, 100, 120, 240, 250, 1000, 1200])
_claims = st.builds(
    lambda value, qualifier, as_of, source, file, start, measure: claim(
        value, qualifier=qualifier, as_of=as_of, source=source, file=file, start=start, measure=measure),
    _values, st.sampled_from(["exact", "approximately", "at_least", "more_than", "at_most"]),
    st.sampled_from(["", "2015", "2016", "2016-03", "2016-03-01", "2017"]), st.sampled_from(["", "ICSR", "Soufan Center"]),
    st.sampled_from(["a.txt", "b.txt", "c.txt"]), st.sampled_from([0, 10]), st.sampled_from(["returned", "detained"]),
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_claims, min_size=1, max_size=4), st.lists(_claims, min_size=1, max_size=4))
def test_units_that_cannot_disagree_hold_no_conflicting_pair(side_a: list[Claim], side_b: list[Claim]) -> None:
    side_b = [replace(c, measure=side_a[0].measure) for c in side_b]
    side_a = [replace(c, measure=side_a[0].measure) for c in side_a]
    units_a, units_b = evidence_units(side_a), evidence_units(side_b)
    for unit_a in units_a:
        for unit_b in units_b:
            if not unit_a.may_disagree(unit_b):
                assert not any(_pair_conflict(a, b) for a in unit_a.claims for b in unit_b.claims if a.source_file != b.source_file)


def _first_pair_by_hand(side_a: list[Claim], side_b: list[Claim]) -> Conflict | None:
    for a in side_a:
        for b in side_b:
            if not _one_picture(a, b) and (conflict := _pair_conflict(a, b)):
                return conflict
    return None


@settings(max_examples=300, deadline=None)
@given(st.lists(_claims, min_size=1, max_size=9), st.lists(_claims, min_size=1, max_size=9))
def test_first_conflicting_pair_is_the_first_pair_in_order(side_a: list[Claim], side_b: list[Claim]) -> None:
    """Small sides are compared pair by pair, larger ones by signature: both give the first conflicting pair in order."""
    side_b = [replace(c, measure=side_a[0].measure) for c in side_b]
    side_a = [replace(c, measure=side_a[0].measure) for c in side_a]
    assert _first_conflicting_pair(side_a, side_b) == _first_pair_by_hand(side_a, side_b)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60), st.sampled_from(["", "2015", "2016", "2017-06"])), min_size=65, max_size=400),
       st.integers(0, 60), st.sampled_from(["", "2016", "2016-06"]), st.booleans())  # fmt: skip
def test_closest_wholes_are_those_a_full_scan_finds(wholes: list[tuple[int, str]], part: int, as_of: str, cumulative: bool) -> None:
    claims = [claim(v, as_of=d, file=f"w{i}.txt", measure="departed") for i, (v, d) in enumerate(wholes)]
    index = _WholeIndex(claims)
    span = period(as_of) or ANY_DATE
    low = float(part)

    def dated_like(whole: Claim) -> bool:
        whole_span = period(whole.as_of) or ANY_DATE
        return whole_span[1] >= span[0] and (cumulative or whole_span[0] <= span[1])

    expected = sorted(((c.interval.high, c.iri), c) for c in claims if c.interval.high < low and dated_like(c))[::-1][:WHOLES_PER_PART]
    for scan in (scope.SCAN_BEFORE_FALLBACK, 1):  # also with the fallback scan (skipping blocks) nearly always taken
        scope.SCAN_BEFORE_FALLBACK, default = scan, scope.SCAN_BEFORE_FALLBACK
        try:
            found = index.closest_below(low, span, cumulative, lambda c: True, WHOLES_PER_PART)
        finally:
            scope.SCAN_BEFORE_FALLBACK = default
        assert [c.iri for c, _ in found] == [c.iri for _, c in expected]


def test_paused_gc_restores_the_collector_even_on_errors() -> None:
    import gc

    from claimgraph.gcpause import paused_gc

    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():  # nested: the outer block keeps it paused
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), paused_gc():
        raise ValueError("a failed pass")
    assert gc.isenabled()
    reconcile([claim(7, file="a.txt"), claim(12, file="b.txt")])
    assert gc.isenabled()


def _most_recent_by_hand(members: list[Claim], in_conflict: dict[str, int]) -> tuple[Claim, str]:
    """The consensus rule read claim by claim: latest period end, then agreement among the figures that reach it."""
    from claimgraph.consensus import AGREEMENT_CANDIDATES, _agreeing, _facts

    def end(c: Claim) -> object:
        span = period(c.as_of)
        return span[1] if span else date.min

    latest = max(end(c) for c in members)
    candidates = sorted((c for c in members if end(c) == latest), key=lambda c: (bool(c.derived_from), in_conflict.get(c.iri, 0), c.iri))
    candidates = candidates[:AGREEMENT_CANDIDATES]
    spans = [period(c.as_of) for c in candidates]
    reaching = members
    if all(spans):
        earliest = min(span[0] for span in spans)
        reaching = [m for m in members if (span := period(m.as_of)) is None or span[1] >= earliest]
    facts = _facts(reaching)
    scored = [(len(_agreeing(c, facts)), c) for c in candidates]
    agreement, best = max(scored, key=lambda pair: (pair[0], -candidates.index(pair[1])))
    return best, agreement


@settings(max_examples=300, deadline=None)
@given(st.lists(_claims, min_size=1, max_size=30), st.lists(st.integers(0, 3), min_size=30, max_size=30))
def test_consensus_reads_dates_once_per_date_with_the_answer_of_the_claim_by_claim_rule(members: list[Claim], counts: list[int]) -> None:
    from claimgraph.consensus import _most_recent, _newest

    in_conflict = {c.iri: n for c, n in zip(members, counts, strict=False) if n}
    best, reason = _most_recent(members, _newest(members), in_conflict)
    expected, agreement = _most_recent_by_hand(members, in_conflict)
    assert best is expected
    assert (f"; {agreement} independent sources agree" in reason) == (agreement > 1)


def test_an_open_upper_end_equal_to_a_later_lower_end_is_decided_by_the_dates_even_where_floats_absorb_1e_9() -> None:
    # Above 10^8, x - 1e-9 == x in floats: the overlap test (Interval.overlaps) says these intervals touch, but a later
    # total whose open upper end equals the earlier lower end is below it, a temporal inconsistency. The shortcut for
    # overlapping intervals in _pair_conflict must not answer before the dates are read.
    from claimgraph.intervals import Interval

    earlier = claim(300_000_000, as_of="2015", file="a", measure="departed", country="WORLD")
    later = claim(250_000_000, as_of="2017", file="b", measure="departed", country="WORLD")
    object.__setattr__(earlier, "interval", Interval(3e8, 3.1e8))
    object.__setattr__(later, "interval", Interval(2.5e8, 3e8, open_high=True))
    assert 3e8 - 1e-9 == 3e8 and Interval(3e8, 3.1e8).overlaps(Interval(2.5e8, 3e8, open_high=True))
    conflict = _pair_conflict(earlier, later)
    assert conflict is not None and conflict.kind == "temporal_inconsistency"
    assert _pair_conflict(later, earlier) is not None


def test_conflicts_come_in_the_conflicts_table_order() -> None:
    """The outputs list ``ReconcileResult.conflicts`` as they are (no second sort): it must be the tables' order."""
    from claimgraph.rows import conflicts_in_order
    from claimgraph.synthetic import synthetic_claims

    _, claims = synthetic_claims(4000, 3)
    conflicts = reconcile(claims).conflicts
    assert len({c.severity for c in conflicts}) > 5  # several severities, each with many conflicts: both keys matter
    assert [c.iri for c in conflicts] == [c.iri for c in conflicts_in_order(conflicts)]
