"""Dates: the date a figure refers to (as_of), as YYYY, YYYY-MM or YYYY-MM-DD.

Read from the clause around the figure ("in 2015", "by 2017", "As of August
2017", "2015 estimates", "mid-2019", "between 2014 and 2017" → the period's end,
"last month" → relative to the document's date), else the sentence, else the
document's date. Partial dates stay partial: "in 2015" is 2015, never 2015-10-01.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claimgraph.extract.fastre import Folded, any_of, lowered, may_contain
from claimgraph.extract.numbers import parse_number_words
from claimgraph.load import MONTHS

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_YEAR = r"(?:19|20)\d\d"
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("month_year", re.compile(rf"\b(?:as\s+of|in|by|since|until|through|from|of|at\s+the\s+end\s+of)?\s*(?:early|mid-?|late|the\s+end\s+of\s+)?\s*(?P<month>{_MONTH})\.?\s+(?:\d{{1,2}},?\s+)?(?P<year>{_YEAR})\b", re.I)),
    ("period", re.compile(rf"\b(?:between|from)\s+(?P<y1>{_YEAR})\s+(?:and|to)\s+(?P<year>{_YEAR})\b|\b(?P<y0>{_YEAR})\s*[-–—/]\s*(?P<yy>\d\d(?:\d\d)?)\b", re.I)),
    ("year", re.compile(rf"\b(?:as\s+of|in|by|since|until|during|of|for|mid-?|early|late|end\s+of|beginning\s+of|the\s+end\s+of|the\s+beginning\s+of)\s+(?:the\s+)?(?:year\s+)?(?P<year>{_YEAR})\b|\b(?P<year2>{_YEAR})\s+(?:estimates?|figures?|data|report|study|census|count|tally)\b|\bmid-(?P<year3>{_YEAR})\b", re.I)),
    ("relative", re.compile(r"\b(?P<rel>last|this|next|previous|past)\s+(?P<unit>month|year|week)\b|\b(?P<ago>\w+)\s+(?P<unit2>years?|months?)\s+ago\b", re.I)),
)

# What every match of a pattern needs (see `claimgraph.extract.fastre`): a year, and a month's or a unit's name.
_NEEDS_YEAR = {"month_year", "period", "year"}
_ANY_YEAR = re.compile(_YEAR)
_NEEDED_WORDS = {
    "month_year": any_of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
    "relative": any_of("month", "year", "week"),
}
_SINCE = re.compile(r"since\b", re.I)
_FOLDED = {kind: Folded(pattern.pattern, pattern.flags) for kind, pattern in PATTERNS}  # the same matches, faster


_SUBORDINATE = Folded(
    r"(?P<comma>,\s*)?\b(?P<sub>which|who|whose|where|after|before|since|when|once|until|till|because|although|though|as\s+soon\s+as)\s+"
    r"(?P<body>[^,;:()\[\]]*?)(?=\s*(?:[,;:()\[\]]|\s[–—]\s|$))"
)
_FINITE_VERB = Folded(
    r"\b(?:\w{3,}ed|broke|began|begun|fell|rose|took|taken|was|were|is|are|had|has|have|came|went|left|won|lost|became|began|drew|"
    r"saw|made|held|sent|led|struck|hit|ran|fled|swept|seized|declares?|proclaims?|falls?|begins?|takes?)\b"
)
_SUBORDINATE_WORDS = any_of("which", "who", "where", "after", "before", "since", "when", "once", "until", "till", "because", "though", "soon")
_COMPARISON = re.compile(
    r"\b(?:than|double|twice|triple|treble|half|compared\s+(?:with|to)|up\s+from|down\s+from|versus|vs\.?|against)\b[^,;.\d]{0,40}$",
    re.I,
)


@dataclass(frozen=True)
class DateMention:
    """A date expression in a text, with its span."""

    start: int
    end: int
    value: str  # YYYY, YYYY-MM or YYYY-MM-DD
    since: bool = False  # "since 2016": the start of a count that runs to the document's date


def _relative(match: re.Match[str], document_date: str) -> str | None:
    if not document_date:
        return None
    year = int(document_date[:4])
    month = int(document_date[5:7]) if len(document_date) >= 7 else None
    rel = (match.group("rel") or "").lower()
    unit = (match.group("unit") or "").lower()
    if rel == "past":
        return document_date  # "in the past year": up to the document's date
    if unit == "year":
        return str(year - 1 if rel in {"last", "previous"} else year + (1 if rel == "next" else 0))
    if unit == "month" and month:
        return _shift_month(year, month, -1 if rel in {"last", "previous"} else (1 if rel == "next" else 0))
    if unit == "week":
        return document_date[:7] if month else document_date
    if match.group("unit2"):
        count_text = match.group("ago").lower()
        count = 1 if count_text in {"a", "one"} else int(count_text) if count_text.isdigit() else parse_number_words(count_text)
        if count is None:
            return None
        if match.group("unit2").lower().startswith("year"):
            return str(year - int(count))
        if month:
            return _shift_month(year, month, -int(count))
    return None


def _shift_month(year: int, month: int, shift: int) -> str:
    index = year * 12 + (month - 1) + shift
    return f"{index // 12}-{index % 12 + 1:02d}"


def find_dates(text: str, document_date: str = "") -> list[DateMention]:
    """Every date expression in `text`, left to right.

    "since 2016" is the document's date: a count kept since then, as it stands now.

    >>> [d.value for d in find_dates("As of August 2017, in 2015 and between 2014 and 2017; last month", "2017-10-25")]
    ['2017-08', '2015', '2017', '2017-09']
    """
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    has_year = _ANY_YEAR.search(text) is not None
    lower = lowered(text)
    for kind, _pattern in PATTERNS:
        if kind in _NEEDS_YEAR and not has_year or kind in _NEEDED_WORDS and not may_contain(lower, _NEEDED_WORDS[kind]):
            continue  # the pattern cannot match
        scan, subject = _FOLDED[kind].on(text, lower)
        for match in scan.finditer(subject):  # groups in lower case: each is read case-insensitively
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
            since = kind in {"month_year", "year"} and bool(_SINCE.match(match.group(0).strip()))
            if value and document_date and since:
                value = document_date  # "have come back since 2016": the count as it stands now
            if value:
                found.append(DateMention(span[0], span[1], value, since))
                taken.append(span)
    return sorted(found, key=lambda d: d.start)


def background_spans(text: str) -> list[tuple[int, int, bool]]:
    """Spans of clauses whose dates are background to a figure, not its date:
    subordinate clauses with a verb of their own ("the group, which declared its caliphate in
    2014, ...", "after the war broke out in 2011") as (start, end, relative_to_people).
    `relative_to_people` marks "who ..." clauses, which may date the people they describe."""
    spans: list[tuple[int, int, bool]] = []
    lower = lowered(text)
    if not may_contain(lower, _SUBORDINATE_WORDS):
        return spans
    scan, subject = _SUBORDINATE.on(text, lower)
    finite_verb = _FINITE_VERB.on(text, lower)[0]  # the groups of a match on `lower` are in lower case too
    for match in scan.finditer(subject):
        word = match.group("sub").lower()
        if not finite_verb.search(match.group("body")):
            continue  # "since 2016", "after 2014": a date, not a clause
        people = word in {"who", "whose"} and not match.group("comma")
        spans.append((match.start("sub"), match.end(), people))
    return spans


def is_comparison_date(text: str, date: DateMention) -> bool:
    """The date of another figure named for comparison ("double the December 2013 figure", "up from 2015")."""
    return bool(_COMPARISON.search(text[max(0, date.start - 50) : date.start]))
