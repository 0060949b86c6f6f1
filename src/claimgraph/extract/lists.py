"""Figures given place by place: tables written as text.

Three shapes are read here:

* inline lists, where a place is followed directly by its figure:
  "France (1,700), Germany (915) and Belgium (498)", "Tunisia: 800; Morocco: 300",
  "France about 1,200, and Britain and Germany between 500 and 600 each",
  "Russia with 3,417 and Saudi Arabia with 3,244";
* rows, one place and its figure per line ("Russia 3,417" under a heading);
* Markdown tables, whose column headers say what each column counts.

Each item is one figure for one place, or for several places joined by "and"
(one claim for all of them, or one per place when the text says "each"). What
the figures count (measure, population, date, source) is not in the item: it
comes from the rest of the sentence, else from the heading or the sentence
ending in ":" that introduces the list (`ListContext`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claimgraph.extract.dates import find_dates
from claimgraph.extract.measures import PEOPLE_NOUNS, PEOPLE_RE, choose_measure, find_cues
from claimgraph.extract.numbers import NumberMention
from claimgraph.extract.places import PlaceMention

# Between a place and its figure: nothing, a bracket, a colon, a dash, a bar, "with" or "at".
_ITEM_GAP = re.compile(r"\s*(?:[(:=|]|\s[-–—]|[-–—]\s|\bwith\b|\bat\b|\bon\b|\btogether\b|\bcombined\b|\bjointly\b)?\s*", re.I)
_WORD_GAP = re.compile(r"\s*(?:\bwith\b|\bat\b|\bon\b|\btogether\b|\bcombined\b|\bjointly\b)\s*", re.I)
_ITEM_END = re.compile(r"\s*(?:\)|\]|\|)?\s*(?P<each>\beach\b|\bapiece\b)?\s*(?:[,;.)\]|]|\band\b|\bor\b|\bwhile\b|\bwhereas\b|\bbut\b|\bfollowed\b|$)", re.I)
_COORDINATION = re.compile(r"\s*(?:,|&|\band\b|\bor\b|,\s*and\b|,\s*or\b)\s*(?:the\s+)?", re.I)
_LOCATIVE_LEAD = re.compile(r"\b(?:in|inside|within|across|throughout|to|into)\s+(?:the\s+)?$", re.I)
_HEADING = re.compile(r"^\s*(?:#{1,6}\s+\S|\*\*[^*]+\*\*\s*:?\s*$|__[^_]+__\s*$)")
_ROW_FILLER = re.compile(r"^(?:[\s\-*•·|,;:.()\[\]–—=]|\b(?:19|20)\d\d\b)*$")
# Words around a list that show its figures count something other than people.
NOT_PEOPLE_CONTEXT = re.compile(
    r"%|\b(?:percent|per\s+cent|per\s+(?:million|capita|100,?000)|population|inhabitants|GDP|km|miles|votes|seats|medals|points|goals|"
    r"exports?|imports?|tonnes|barrels|dollars|euros)\b|[$€£]",
    re.I,
)
# Words of a list that follows up figures already given: "the largest contributors were ...", "... most of them".
FOLLOW_UP = re.compile(
    r"\b(?:them|these|those|contributors?|contingents?|nationalit(?:y|ies)|countries\s+of\s+origin|source\s+countries|largest|biggest|"
    r"most|followed\s+by)\b",
    re.I,
)
_BAR = re.compile(r"\|")
_SENTENCE_STOP = re.compile(r"[.!?]\s")
_FINAL_PUNCTUATION = re.compile(r"[.!?;,]$")
_ALIGNED_GAP = re.compile(r"(?<=\S)(?:\t+| {2,})(?=\S)")
_NOT_PEOPLE_COLUMN = re.compile(r"%|\b(?:percent|per\s+cent|share|rate|ratio|rank|year|population|inhabitants|per\s+(?:million|capita|100,?000))\b", re.I)
_LOCATION_CONTEXT = re.compile(
    r"\b(?:held|detained|imprisoned|jailed|present|active|located|remaining|remain|still)\s+in\b|\bin\s+(?:custody|prisons?|camps?|detention)\b|"
    r"\bby\s+(?:country|place)\s+of\s+(?:detention|residence|location)\b|\bwhere\s+they\s+(?:are|were)\b",
    re.I,
)
_DESTINATION_CONTEXT = re.compile(r"\bby\s+destination\b|\bdestinations?\b|\b(?:went|travelled|traveled|moved|relocated|headed)\s+to\b", re.I)
_ORIGIN_CONTEXT = re.compile(r"\bby\s+(?:nationality|citizenship|country\s+of\s+origin|origin)\b|\bnationals?\b|\bcitizens?\b|\bfrom\b", re.I)


@dataclass(frozen=True)
class ListItem:
    """One figure of a list, and the places it is given for."""

    mention: int  # index of the figure among the sentence's mentions
    codes: tuple[str, ...]  # place codes, in text order
    each: bool  # "Britain and Germany 500 each": the figure holds for every place
    start: int  # where the item starts (its first place)
    end: int  # where it ends (after the figure, bracket or "each")
    city: bool = False  # the place is a city: where people are


@dataclass(frozen=True)
class ListContext:
    """What the figures of a list count, read from the words around the items."""

    measure: str  # '' when no verb or noun says
    noun: str
    population: str | None
    as_of: str
    role: str  # origin | location | destination
    topic: bool  # the words are about people at all


def find_list_items(text: str, places: list[PlaceMention], mentions: list[NumberMention]) -> list[ListItem]:
    """Figures that follow their place directly ("France (1,700)", "Tunisia: 800", "Britain and Germany 500 each").

    >>> from claimgraph.extract.numbers import find_numbers
    >>> from claimgraph.extract.places import find_places
    >>> t = "from France (1,700), Germany (915) and Belgium (498)"
    >>> [(i.codes, i.each) for i in find_list_items(t, find_places(t), find_numbers(t))]
    [(('FR',), False), (('DE',), False), (('BE',), False)]
    """
    items: list[ListItem] = []
    for index, mention in enumerate(mentions):
        if mention.percent or mention.year:
            continue
        start = mention.qualifier_start if mention.qualifier_start >= 0 else mention.start
        place = _place_before(text, places, start)
        if place is None:
            continue
        gap = text[place.end : start]
        tail = _ITEM_END.match(text, mention.end)
        if not tail:
            continue
        if not gap.strip() or _WORD_GAP.fullmatch(gap):
            if _LOCATIVE_LEAD.search(text[max(0, place.start - 12) : place.start]):
                continue  # "fighting in Syria with 2,000 ..." is not an item
            if gap.strip() and not _earlier_items_or_colon(text, items, place.start):
                continue  # "... with 3,244" needs a list around it
        group = _coordinated(text, places, place)
        items.append(
            ListItem(index, tuple(p.code for p in group), bool(tail.group("each")), group[0].start, tail.end("each") if tail.group("each") else mention.end, place.city)
        )
    return items


def _place_before(text: str, places: list[PlaceMention], start: int) -> PlaceMention | None:
    for place in reversed(places):
        if place.end <= start:
            gap = text[place.end : start]
            if _ITEM_GAP.fullmatch(gap) and "\n" not in gap and not re.match(r"['’]s\b", text[place.end : place.end + 2]):
                return place
            return None
    return None


def _earlier_items_or_colon(text: str, items: list[ListItem], start: int) -> bool:
    """'Russia is credited with 3,417 departures and Saudi Arabia with 3,244': an item after a coordination."""
    return bool(items) or bool(re.search(r"(?:\band|,|;|:)\s*(?:the\s+)?$", text[max(0, start - 8) : start]))


def _coordinated(text: str, places: list[PlaceMention], place: PlaceMention) -> list[PlaceMention]:
    """The place with those joined to it by 'and' or commas ('Britain and Germany')."""
    group = [place]
    for earlier in reversed([p for p in places if p.end <= place.start]):
        if not _COORDINATION.fullmatch(text[earlier.end : group[0].start]) or earlier.demonym != place.demonym:
            break
        group.insert(0, earlier)
    return group


def items_span_text(text: str, items: list[ListItem]) -> str:
    """`text` with the list items blanked out: the words that say what the figures count."""
    chars = list(text)
    for item in items:
        chars[item.start : item.end] = " " * (item.end - item.start)
    return "".join(chars)


def is_row(text: str, items: list[ListItem], mentions: list[NumberMention]) -> bool:
    """The sentence is nothing but list items (a line of a table: "Russia 3,417")."""
    if not items or len({i.mention for i in items}) != len([m for m in mentions if not m.year]):
        return False
    return bool(_ROW_FILLER.match(items_span_text(text, items)))


def list_context(text: str, document_date: str = "") -> ListContext:
    """Measure, population, date and place role stated by the words around a list."""
    cues = find_cues(text)
    measure = choose_measure(cues) or ""
    noun_match = PEOPLE_RE.search(text)
    noun = noun_match.group(0).lower() if noun_match else ""
    dates = find_dates(text, document_date)
    bare_year = re.search(r"(?<![\w.,/-])(?:19|20)\d\d(?![\w.,/-]|\s*[-–—])", text) if not dates else None
    as_of = dates[-1].value if dates else (bare_year.group(0) if bare_year else "")
    topic = bool(noun or cues or re.search(r"\b(?:foreign|jihadi|ISIS|ISIL|Islamic\s+State|Daesh)\b", text))
    role = "origin"
    if _LOCATION_CONTEXT.search(text) and not _ORIGIN_CONTEXT.search(text):
        role = "location"
    elif _DESTINATION_CONTEXT.search(text) and measure not in {"returned"} and not re.search(r"\bfrom\b", text, re.I):
        role = "destination"
    return ListContext(measure, noun, PEOPLE_NOUNS.get(noun), as_of, role, topic)


def is_list_intro(text: str) -> bool:
    """A heading, a caption (a short line without final stop) or a sentence ending in ':',
    any of which can introduce a list on the lines below."""
    stripped = text.rstrip()
    caption = not _FINAL_PUNCTUATION.search(stripped) and len(stripped.split()) <= 20
    return stripped.endswith(":") or caption or bool(_HEADING.match(text))


def table_cells(text: str) -> list[tuple[int, int]] | None:
    """Spans of the cells of a table row: Markdown ("| Russia | 3,417 |") or columns aligned with
    tabs or runs of spaces ("Russia      3,417     400"); None when the line is not a row of three or more cells."""
    stripped = text.strip()
    if stripped.startswith("|") and stripped.count("|") >= 3:
        bars = [m.start() for m in _BAR.finditer(text)]
        return [(a + 1, b) for a, b in zip(bars, bars[1:], strict=False)]
    gaps = list(_ALIGNED_GAP.finditer(text)) if "\t" in text or "  " in text else []  # a gap is a tab or two spaces
    if len(gaps) < 2 or _SENTENCE_STOP.search(text):
        return None
    start = len(text) - len(text.lstrip())
    cells = []
    for gap in gaps:
        cells.append((start, gap.start()))
        start = gap.end()
    cells.append((start, len(text.rstrip())))
    if len(cells) > 8 or any(len(text[a:b].split()) > 6 for a, b in cells):
        return None  # prose with doubled spaces (text taken from a PDF), not a table
    return cells


def column_context(header: str, document_date: str = "") -> ListContext | None:
    """What a table column counts, from its header cell; None for columns that never count people."""
    if _NOT_PEOPLE_COLUMN.search(header):
        return None
    return list_context(header, document_date)


def merge_contexts(own: ListContext, outer: ListContext | None) -> ListContext:
    """The list's own words first, then those of the heading that introduced it."""
    if outer is None:
        return own
    population = own.population if own.noun else outer.population
    if own.measure in {"departed", "attempted_departure"} and population == "returnees":
        population = None  # a "Departed" column under a "Returnees" heading counts those who left
    return ListContext(
        own.measure or outer.measure,
        own.noun or outer.noun,
        population,
        own.as_of or outer.as_of,
        own.role if own.role != "origin" else outer.role,
        own.topic or outer.topic,
    )
