"""Place roles: whether a place named near a figure is where the people come from (origin),
where they are (location) or where they went (destination).

The role is read from the words before the place ("from", "to", "in", "held in Iraqi
prisons"), from what the figure counts (people who *returned to* Tunisia are Tunisians),
and places joined by "and" or commas share one role.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from claimgraph.extract.clauses import clause_before
from claimgraph.extract.places import THEATRE, PlaceMention, join_codes

FLOW_MEASURES = {"departed", "attempted_departure", "relocated", "returned"}  # measures of people on the move
# A place followed by these words speaks or acts ("Saudi authorities", "Iraq's PM"); it is not the place counted.
SOURCE_PLACE_AFTER = re.compile(
    r"^[\s'’]*(?:s\s+)?(?:estimates?|officials?|authorities|forces|military|government|data|intelligence|sources|report|troops|army|"
    r"president|secretary|department|defen[cs]e|ministry|minister|media|press|-backed|-led|pm|prime\s+minister|premier|leader|envoy|"
    r"ambassador|spokes(?:man|woman|person)|police|interior|foreign\s+ministry|security\s+services?|prosecutors?|courts?|judiciary|"
    r"counter-?terrorism|embassy|parliament|census|statistics)\b",
    re.I,
)
# Words before a place that make it where people come from: "from", "left", "nationals of".
_FROM_LEAD = re.compile(
    r"\b(?:from|left|leaving|fled|(?:residents?|nationals?|citizens?|natives?)\s+of)\s+"
    r"(?:(?:\w+\s+)?(?:countries|states|nations|parts|across|throughout)\s+(?:in\s+|of\s+)?)?(?:the\s+)?"
    r"(?:(?:western|eastern|northern|southern|central|other|neighbou?ring|several|various)\s+)?$"
)


def with_antecedent(text: str, places: list[PlaceMention], start: int, figure_start: int, measure: str) -> list[tuple[PlaceMention, str]]:
    """Places of the clause that ', with N ...' or ': N ...' elaborates ('France had the most, with around 1,700',
    'Belgium has the highest rate: roughly 500 people')."""
    cut = re.search(r"(?:,\s+with|:)\s+(?:[\w-]+\s+){0,3}$", text[start:figure_start])
    if not cut:
        return []
    end = start + cut.start()
    clause = clause_before(text, end, start)
    before = [p for p in places if end - len(clause) <= p.start and p.end <= end]
    return coordinated_roles(text, before, lambda p: role_before(text, p, clause, end, measure))


_ITS_PEOPLE = re.compile(r"\b(?:of\s+)?(?:its|their)\s+(?:own\s+)?(?:citizens|nationals|residents|people)\b", re.I)
# Forces and camps that hold prisoners in one country: "held by the SDF" is held in Syria.
_HOLDERS = re.compile(r"\b(?:SDF|Syrian\s+Democratic\s+Forces|Kurdish-led\s+forces|Roj\s+camp|Peshmerga|Kurdistan\s+Regional\s+Government|KRG)\b")
_HOLDER_PLACE = {"sdf": "SY", "syrian democratic forces": "SY", "kurdish-led forces": "SY", "roj camp": "SY", "peshmerga": "IQ",
                 "kurdistan regional government": "IQ", "krg": "IQ"}  # fmt: skip


def its_people_place(text: str, places: list[PlaceMention], figure_end: int, np_end: int) -> str:
    """'Trinidad and Tobago ... saw about 130 of its citizens travel': the country the figure's 'its' refers to."""
    if not _ITS_PEOPLE.search(text[figure_end : max(np_end, figure_end) + 25]):
        return ""
    subject = next((p for p in places if p.end <= figure_end and not p.city), None)
    return subject.code if subject else ""


def holder_place(text: str) -> str:
    """The country of the forces or camp said to hold prisoners ("held by the SDF" → SY), or ''."""
    match = _HOLDERS.search(text)
    return _HOLDER_PLACE[re.sub(r"\s+", " ", match.group(0).lower())] if match else ""


def label_place(text: str, places: list[PlaceMention]) -> str:
    """The place a line is labelled with ('- Tunisia: 672 fighters have been charged'), or ''."""
    if not places or places[0].city or not _LABEL_LEAD.fullmatch(text[: places[0].start]):
        return ""
    group = [places[0]]
    for place in places[1:]:
        if not _COORDINATED.fullmatch(text[group[-1].end : place.start]):
            break
        group.append(place)
    return join_codes([p.code for p in group]) if _LABEL_COLON.match(text, group[-1].end) else ""


_LABEL_LEAD = re.compile(r"[\s\-*•#>]*(?:\*\*|__)?\s*(?:the\s+)?", re.I)
_LABEL_COLON = re.compile(r"\s*(?:\*\*|__)?(?::\s*(?:\*\*|__)?|\s[–—])\s")
_COORDINATED = re.compile(r"\s*(?:,|&|\band\b|\bor\b|,\s*and\b|,\s*or\b)\s*(?:the\s+)?", re.I)


def coordinated_roles(text: str, places: list[PlaceMention], role_of: Callable[[PlaceMention], str | None]) -> list[tuple[PlaceMention, str]]:
    """Each place with its role; a place joined to the one before by 'and' or a comma shares its role
    ('from Algeria, Morocco and Tunisia': all three are origins)."""
    found: list[tuple[PlaceMention, str]] = []
    last: tuple[PlaceMention, str | None] | None = None
    for place in places:
        if last is not None and _COORDINATED.fullmatch(text[last[0].end : place.start]) and last[0].demonym == place.demonym:
            role = last[1]
        else:
            role = role_of(place)
        last = (place, role)
        if role:
            found.append((place, role))
    return found


_HOME_TO_LEAD = re.compile(r"\b(?:to|home\s+to|back\s+to|in|into)\s+(?:the\s+)?$")
_HELD_AFTER = re.compile(r"\s+\w+\s*(?:prisons?|jails?|camps?|custody)")
_COUNTRIES_AFTER = re.compile(r"\s+(?:countries|states|nations)\b")
_TOWARDS_LEAD = re.compile(r"\b(?:to|into|towards|for|in)\s+(?:the\s+)?(?:\w+\s+)?$")


def role_after(text: str, place: PlaceMention, measure: str) -> str | None:
    """Role of a place named after the figure ('... travelled to Syria', '... came home to Tunisia')."""
    lead = text[max(0, place.start - 40) : place.start].lower()
    follows = text[place.end : place.end + 30]
    flow = measure in FLOW_MEASURES
    if _FROM_LEAD.search(lead):
        return None if measure == "returned" and place.code in THEATRE else "origin"  # "brought back 607 people from Syria"
    if measure == "returned" and _HOME_TO_LEAD.search(lead):
        return None if place.code in THEATRE else "origin"
    if place.demonym and _HELD_AFTER.match(" " + follows):
        return "location"
    if place.demonym and _COUNTRIES_AFTER.match(follows):
        return "origin"
    if place.demonym and flow:
        return None
    if flow and _TOWARDS_LEAD.search(lead):
        return "destination"
    return "location"


def role_before(text: str, place: PlaceMention, pre: str, figure_start: int, measure: str) -> str:
    """Role of a place named before the figure ('In Belgium, 500 ...', 'the United States charged 135')."""
    lead = text[max(0, place.start - 30) : place.start].lower()
    if re.search(r"\b(?:to|into|towards)\s+(?:the\s+)?$", lead):
        return "destination"
    if place.demonym and re.match(r"\s+(?:countries|states|nations)\b", text[place.end : place.end + 20]):
        return "origin"
    if re.search(r"\b(?:in|around|across|near|inside|within)\s+(?:the\s+)?(?:\w+\s+)?$", lead):
        scope = pre.lstrip(" \"'‘“").lower().startswith("in ") and place.start - (figure_start - len(pre)) < 35 and place.code not in THEATRE
        return "origin" if scope and measure not in {"active", "detained"} else "location"
    follows = text[place.end : place.end + 20]
    if place.demonym and re.search(r"(?:s|ese|ss|sh|ch)$", place.text) and re.match(r"\s+(?:[a-z]+\s+)?(?:made|make|makes|accounted|account|accounts|represent|were|are|was|is|have|had|has|left|travelled|traveled|went|joined|returned|constitute|comprised?)\b", follows):
        return "origin"  # "Tunisians made up 15 percent", "Britons have returned": a people noun as the subject
    if place.city or (place.demonym and not re.match(r"\s+(?:ISIS|IS|Islamic|jihad|foreign|fighters|militants|members|people)", follows, re.I)):
        return "location"
    return "origin"  # the subject: "the United States charged 135 people"
