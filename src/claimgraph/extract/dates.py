"""Dates: the date a figure refers to (as_of), as YYYY, YYYY-MM or YYYY-MM-DD.

Read from the clause around the figure ("in 2015", "by 2017", "As of August
2017", "2015 estimates", "mid-2019", "between 2014 and 2017" → the period's end,
"last month" → relative to the document's date), else the sentence, else the
document's date. Partial dates stay partial: "in 2015" is 2015, never 2015-10-01.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claimgraph.load import MONTHS

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_YEAR = r"(?:19|20)\d\d"
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("month_year", re.compile(rf"\b(?:as\s+of|in|by|since|until|through|from|of|at\s+the\s+end\s+of)?\s*(?:early|mid-?|late|the\s+end\s+of\s+)?\s*(?P<month>{_MONTH})\.?\s+(?:\d{{1,2}},?\s+)?(?P<year>{_YEAR})\b", re.I)),
    ("period", re.compile(rf"\b(?:between|from)\s+(?P<y1>{_YEAR})\s+(?:and|to)\s+(?P<year>{_YEAR})\b|\b(?P<y0>{_YEAR})\s*[-–—/]\s*(?P<yy>\d\d(?:\d\d)?)\b", re.I)),
    ("year", re.compile(rf"\b(?:as\s+of|in|by|since|until|during|of|for|mid-?|early|late|end\s+of|beginning\s+of|the\s+end\s+of|the\s+beginning\s+of)\s+(?:the\s+)?(?:year\s+)?(?P<year>{_YEAR})\b|\b(?P<year2>{_YEAR})\s+(?:estimates?|figures?|data|report|study|census|count|tally)\b|\bmid-(?P<year3>{_YEAR})\b", re.I)),
    ("relative", re.compile(r"\b(?P<rel>last|this|next|previous)\s+(?P<unit>month|year|week)\b|\b(?P<ago>\w+)\s+(?P<unit2>years?|months?)\s+ago\b", re.I)),
)


@dataclass(frozen=True)
class DateMention:
    """A date expression in a text, with its span."""

    start: int
    end: int
    value: str  # YYYY, YYYY-MM or YYYY-MM-DD


def _relative(match: re.Match[str], document_date: str) -> str | None:
    if not document_date:
        return None
    year = int(document_date[:4])
    month = int(document_date[5:7]) if len(document_date) >= 7 else None
    rel = (match.group("rel") or "").lower()
    unit = (match.group("unit") or "").lower()
    if unit == "year":
        return str(year - 1 if rel in {"last", "previous"} else year + (1 if rel == "next" else 0))
    if unit == "month" and month:
        shift = -1 if rel in {"last", "previous"} else (1 if rel == "next" else 0)
        month += shift
        if month == 0:
            year, month = year - 1, 12
        elif month == 13:
            year, month = year + 1, 1
        return f"{year}-{month:02d}"
    if unit == "week":
        return document_date[:7] if month else document_date
    if match.group("unit2"):
        from claimgraph.extract.numbers import parse_number_words

        count_text = match.group("ago")
        count = int(count_text) if count_text.isdigit() else parse_number_words(count_text)
        if count is None:
            return None
        if match.group("unit2").lower().startswith("year"):
            return str(year - int(count))
    return None


def find_dates(text: str, document_date: str = "") -> list[DateMention]:
    """Every date expression in `text`, left to right.

    >>> [d.value for d in find_dates("As of August 2017, in 2015 and between 2014 and 2017; last month", "2017-10-25")]
    ['2017-08', '2015', '2017', '2017-09']
    """
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(text):
            span = match.span()
            if any(s < span[1] and span[0] < e for s, e in taken):
                continue
            value: str | None
            if kind == "month_year":
                value = f"{match.group('year')}-{MONTHS[match.group('month').lower().rstrip('.')]:02d}"
            elif kind == "period":
                if match.group("year"):
                    value = match.group("year")
                else:
                    start_year, tail = match.group("y0"), match.group("yy")
                    value = tail if len(tail) == 4 else start_year[:2] + tail
                    if int(value) < int(start_year):
                        continue
            elif kind == "year":
                value = match.group("year") or match.group("year2") or match.group("year3")
            else:
                value = _relative(match, document_date)
            if value:
                found.append(DateMention(span[0], span[1], value))
                taken.append(span)
    return sorted(found, key=lambda d: d.start)
