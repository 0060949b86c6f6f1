"""Which evidence units of a group to compare: candidate pairs in near-linear time, not all pairs.

A group of comparable claims can hold thousands of claims (one figure repeated
by a news archive); comparing every pair is quadratic and, where one figure is
wrong, reports it once per other claim. Instead, claims are first merged into
*evidence units* (copies of one source's figure), and units are paired only
where a conflict is possible:

* **same time**: every partial date lies within one calendar year, so units
  are bucketed by year (undated units join every bucket). In a bucket, units
  are sorted by the low end of their interval, and each unit is paired with the
  ``NEAREST`` units whose whole interval lies above its own and whose period
  overlaps it: the closest disagreeing figures, which are the ones an auditor
  needs to see. A figure far from all others is still paired with every unit
  below it that has no closer disagreement.
* **cumulative series**: sweeping by date, each unit is paired with the
  ``NEAREST`` earlier units (period over before it starts) whose lower bound
  exceeds its upper bound: a total that went down.
* **one source**: units crediting the same source are paired with the next
  ``SAME_SOURCE_WINDOW`` figures of that source by date, which finds
  misquotations across dates (a report quoted a year later).

The pairs are only candidates: :func:`claimgraph.reconcile._pair_conflict`
decides. The cost is O(u log u + u·NEAREST) per group for u units.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from operator import attrgetter

from claimgraph.intervals import period
from claimgraph.model import Claim

NEAREST = 1  # disagreeing units paired with each unit, per direction (the closest one: what an auditor needs)
SCAN_LIMIT = 64  # units looked at per unit before giving up on period overlap
SAME_SOURCE_WINDOW = 8  # figures of one source compared with its next ones by date

_iri, _INTERVAL, _AS_OF = attrgetter("iri"), attrgetter("interval"), attrgetter("as_of")


@dataclass(slots=True)  # hundreds of thousands per build: slots make them smaller and quicker to make
class EvidenceUnit:
    """Copies of one source's figure: one piece of evidence, with the hull of their intervals and dates."""

    claims: list[Claim]
    source: str
    low: float
    high: float
    start: dt.date | None  # None: undated
    end: dt.date | None
    max_low: float  # the largest lower bound of its copies' intervals
    min_upper: float  # the smallest upper bound (just below it when open)

    def may_disagree(self, other: EvidenceUnit) -> bool:
        """False when every copy's interval overlaps every copy of OTHER's: then no pair of them can conflict.

        Every conflict between two figures needs their intervals apart (a
        figure outside the other's range, or a later total below an earlier one).
        """
        return self.max_low > other.min_upper or other.max_low > self.min_upper

    def overlaps_in_time(self, other: EvidenceUnit) -> bool:
        """Whether the two units' periods overlap (undated units overlap everything)."""
        if self.start is None or other.start is None:
            return True
        return self.start <= other.end and other.start <= self.end  # type: ignore[operator]


def evidence_units(members: list[Claim]) -> list[EvidenceUnit]:
    """Claims repeating one primary source's figure form one unit; each unit knows its interval hull and period."""
    grouped: dict[tuple, list[Claim]] = {}
    for claim in sorted(members, key=_iri):
        source = claim.attributed_to or f"doc:{claim.source_file}:{claim.start}"
        key = (source, claim.value, claim.low, claim.high, claim.derived_from and "derived")  # Decimal("1.0") == Decimal("1")
        copies = grouped.get(key)
        if copies is None:
            grouped[key] = [claim]
        else:
            copies.append(claim)
    units = []
    for key, claims in grouped.items():
        if len(claims) == 1:  # most units: the hulls below of one interval and one period
            low, high, open_high = claims[0].interval
            start, end = period(claims[0].as_of) or (None, None)
            units.append(EvidenceUnit(claims, key[0], low, high, start, end, low, high - 1e-9 if open_high else high))
            continue
        # The hulls over distinct intervals and dates: a unit can hold thousands of copies of one figure and date.
        intervals = set(map(_INTERVAL, claims))
        spans = [period(as_of) for as_of in set(map(_AS_OF, claims))]
        start = None if None in spans else min(s[0] for s in spans)  # type: ignore[index]
        end = max(s[1] for s in spans) if start else None  # type: ignore[index]
        uppers = [i.high - 1e-9 if i.open_high else i.high for i in intervals]  # as Interval.overlaps reads them
        lows = [i.low for i in intervals]
        units.append(EvidenceUnit(claims, key[0], min(lows), max(i.high for i in intervals), start, end, max(lows), min(uppers)))
    return units


def _same_time_pairs(units: list[EvidenceUnit]) -> Iterator[tuple[int, int]]:
    buckets: dict[int, list[int]] = defaultdict(list)
    undated = [i for i, u in enumerate(units) if u.start is None]
    for i, unit in enumerate(units):
        if unit.start is not None:
            for year in range(unit.start.year, unit.end.year + 1):  # type: ignore[union-attr]
                buckets[year].append(i)
    for members in (list(buckets.values()) or [[]]):
        indexes = sorted(set(members) | set(undated), key=lambda i: (units[i].low, i))
        lows = [units[i].low for i in indexes]
        for i in indexes:
            unit = units[i]
            found = 0
            start = bisect.bisect_left(lows, unit.high)
            for j in indexes[start : start + SCAN_LIMIT]:
                if found >= NEAREST:
                    break
                if j != i and unit.overlaps_in_time(units[j]):
                    found += 1
                    yield i, j


def _decrease_pairs(units: list[EvidenceUnit]) -> Iterator[tuple[int, int]]:
    dated = [i for i, u in enumerate(units) if u.start is not None]
    by_end = sorted(dated, key=lambda i: units[i].end)  # type: ignore[arg-type, return-value]
    earlier: list[tuple[float, int]] = []  # (low, index) of units whose period is over, sorted
    cursor = 0
    for i in sorted(dated, key=lambda i: units[i].start):  # type: ignore[arg-type, return-value]
        unit = units[i]
        while cursor < len(by_end) and units[by_end[cursor]].end < unit.start:  # type: ignore[operator]
            bisect.insort(earlier, (units[by_end[cursor]].low, by_end[cursor]))
            cursor += 1
        first_above = bisect.bisect_left(earlier, (unit.high, -1))
        for _low, j in earlier[first_above : first_above + NEAREST]:
            yield j, i


def _same_source_pairs(units: list[EvidenceUnit]) -> Iterator[tuple[int, int]]:
    by_source: dict[str, list[int]] = defaultdict(list)
    for i, unit in enumerate(units):
        if not unit.source.startswith("doc:"):
            by_source[unit.source].append(i)
    for members in by_source.values():
        members.sort(key=lambda i: units[i].start or dt.date.min)
        for position, i in enumerate(members):
            for j in members[position + 1 : position + 1 + SAME_SOURCE_WINDOW]:
                yield i, j


def candidate_pairs(units: list[EvidenceUnit], cumulative: bool) -> list[tuple[int, int]]:
    """Index pairs (i < j) of units that may conflict, without repeats."""
    pairs: set[tuple[int, int]] = set()
    sources = [_same_time_pairs(units), _same_source_pairs(units)] + ([_decrease_pairs(units)] if cumulative else [])
    for source in sources:
        for i, j in source:
            if i != j:
                pairs.add((i, j) if i < j else (j, i))
    return sorted(pairs)
