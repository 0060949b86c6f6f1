"""Intervals and periods: what a stated figure allows, and which days a partial date covers.

Tolerance rules (what interval a stated figure allows):

* a figure written with trailing zeros carries the precision it was written
  with, half a unit of its last significant digit but at most 10 %: "3,400"
  allows [3,350, 3,450), "40,000" allows [36,000, 44,000), "3,417" allows
  [3,416.5, 3,417.5);
* ``approximately`` ("about 1,200") allows ±10 % or the written precision,
  whichever is wider; "nearly 200" allows [180, 200];
* ``at_least`` / ``more_than`` are open above, ``at_most`` / ``less_than`` open
  below (down to 0); ``range`` allows [low, high];
* a figure derived from a percentage of a stated total is compared at its
  computed value ±1 % when both are exact ("Ten percent of the 3,417"), and
  10 % wider for each approximate input ("around 30 percent of the
  approximately 5,000" allows ±21 %).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from claimgraph.extract.places import place_name
from claimgraph.model import Claim, format_number

APPROXIMATE_TOLERANCE = 0.10
DERIVED_TOLERANCE = 0.01
NEARLY_WORDS = ("nearly", "almost", "close to", "just under")


class Interval(NamedTuple):
    """The values a claim allows; `high` may be infinite, the upper end is exclusive when `open_high`.

    A named tuple, so that hashing one (reconciliation keys copies by it) is cheap.
    """

    low: float
    high: float
    open_high: bool = False

    def overlaps(self, other: Interval) -> bool:
        """Whether some value satisfies both intervals."""
        upper_a = self.high if not self.open_high else self.high - 1e-9
        upper_b = other.high if not other.open_high else other.high - 1e-9
        return self.low <= upper_b and other.low <= upper_a

    def gap(self, other: Interval) -> float:
        """Distance between two disjoint intervals (0 when they overlap)."""
        if self.overlaps(other):
            return 0.0
        return max(other.low - self.high, self.low - other.high, 0.0)


@lru_cache(maxsize=65536)
def written_precision(mention: str, value: Decimal) -> float:
    """Half the unit of the last significant digit as written, at most 10 % ("3,400" → 50, "3,417" → 0.5)."""
    digits = "".join(ch for ch in mention if ch.isdigit())
    if not digits or not any(ch.isdigit() for ch in mention[:3]):
        return 0.5  # number words ("seven") are exact
    if value != value.to_integral():
        return 0.05
    stripped = digits.rstrip("0")
    zeros = len(digits) - len(stripped)
    if "–" in mention or "-" in mention or " and " in mention or " to " in mention:
        return 0.5
    return max(0.5, min(0.5 * 10**zeros, float(value) * 0.1)) if zeros else 0.5


def claim_interval(claim: Claim) -> Interval:
    """The interval a claim allows under the tolerance rules of this module."""
    if claim.derived_from and claim.unit == "persons":
        value = float(claim.value)
        tolerance = max(abs(value) * (DERIVED_TOLERANCE + APPROXIMATE_TOLERANCE * _approximations_around(claim)), 0.5)
        return Interval(value - tolerance, value + tolerance)
    qualifier = claim.qualifier
    nearly = qualifier == "approximately" and any(word in claim.quote.lower() for word in NEARLY_WORDS) and _nearly_before(claim)
    return _stated_interval(claim.mention, claim.value, qualifier, claim.low, claim.high, nearly)


@lru_cache(maxsize=65536)  # what the figure says, without its sentence: a corpus repeats a few thousand of them
def _stated_interval(mention: str, value: Decimal, qualifier: str, low: Decimal | None, high: Decimal | None, nearly: bool) -> Interval:
    """The interval of a stated (not derived) figure; NEARLY: an approximate figure read as "nearly" (at most its value).

    Cached by value, as :func:`written_precision` is: equal Decimals ("1.0", "1") give equal floats and precision.
    """
    value_float = float(value)
    precision = written_precision(mention, value)
    if qualifier == "range":
        return Interval(float(low or 0), float(high if high is not None else math.inf))
    if qualifier in {"at_least", "more_than"}:
        return Interval(value_float - precision, math.inf)
    if qualifier in {"at_most", "less_than"}:
        return Interval(0.0, value_float + precision)
    if qualifier == "approximately":
        if nearly:
            return Interval(value_float * (1 - APPROXIMATE_TOLERANCE), value_float)
        tolerance = max(abs(value_float) * APPROXIMATE_TOLERANCE, precision)
        return Interval(value_float - tolerance, value_float + tolerance)
    return Interval(value_float - precision, value_float + precision, open_high=precision > 0.5)


_APPROXIMATION = re.compile(r"\b(about|around|approximately|roughly|some|an estimated|nearly|almost|close to|circa|c\.)\s", re.I)


def _approximations_around(claim: Claim) -> int:
    """How many of a derived figure's inputs are approximate ("around 30 percent of the approximately 5,000" → 2)."""
    quote = claim.quote
    index = quote.find(claim.mention)
    window = quote[max(0, index - 16) : index + len(claim.mention) + 48] if index >= 0 else quote
    return len(_APPROXIMATION.findall(window))


def _nearly_before(claim: Claim) -> bool:
    quote = claim.quote.lower()
    index = quote.find(claim.mention.lower())
    window = quote[max(0, index - 14) : index] if index >= 0 else ""
    return any(word in window for word in NEARLY_WORDS)


@lru_cache(maxsize=8192)
def period(as_of: str) -> tuple[dt.date, dt.date] | None:
    """The days a partial date covers: "2017" is the whole year, "2017-10" the whole month."""
    try:
        if len(as_of) == 4:
            year = int(as_of)
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        if len(as_of) == 7:
            year, month = int(as_of[:4]), int(as_of[5:7])
            last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1))
            return dt.date(year, month, 1), last
        if len(as_of) == 10:
            day = dt.date.fromisoformat(as_of)
            return day, day
    except ValueError:
        return None
    return None


QUALIFIER_WORDS = {"approximately": "about ", "at_least": "at least ", "more_than": "more than ", "at_most": "up to ", "less_than": "fewer than "}


def describe(claim: Claim) -> str:
    """A claim in a few words: "at least 5,600 (Soufan Center, 2017-10)"."""
    figure = _figure(claim.qualifier, claim.value, claim.low, claim.high)
    who = claim.attributed_to or "unattributed"
    when = claim.as_of or "undated"
    return f"{figure} ({who}, {claim.source_file}, {when})"


@lru_cache(maxsize=65536)  # a corpus repeats a few thousand figures (equal Decimals format alike: format_number normalises)
def _figure(qualifier: str, value: Decimal, low: Decimal | None, high: Decimal | None) -> str:
    if qualifier == "range":
        return f"{thousands(low)}–{thousands(high)}"
    return QUALIFIER_WORDS.get(qualifier, "") + thousands(value)


def thousands(value: Decimal | None) -> str:
    """A figure with thousands separators ("3417" → "3,417"); "?" when missing."""
    if value is None:
        return "?"
    text = format_number(value)
    if "." in text:
        return text
    return f"{int(text):,}"


def subject(claim: Claim) -> str:
    """What a claim counts, in words: "fighters returned (United States)"."""
    return _subject(claim.population, claim.measure, claim.country)


@lru_cache(maxsize=4096)  # a reason names one of a few hundred groups
def _subject(population: str, measure: str, country: str) -> str:
    place = place_name(country) if "+" not in country else " and ".join(place_name(c) for c in country.split("+"))
    return f"{population} {measure.replace('_', ' ')} ({place})"
