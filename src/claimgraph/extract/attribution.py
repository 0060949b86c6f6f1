"""Attribution: which organisation or report the text credits for a figure.

Known organisations are normalised through an alias table ("The Soufan
Center", "Soufan Group" → "Soufan Center"); others are read from patterns such
as "according to X", "a study by X", "X said" and keep their own name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from claimgraph.extract.fastre import Folded, WordNeeds, any_of, lowered, search_from_starts, trie_alternation
from claimgraph.extract.places import find_places
from claimgraph.model import Organisation

# canonical name → aliases (matched case-insensitively, longest first)
ORGANISATIONS: dict[str, tuple[str, ...]] = {
    "Soufan Center": ("The Soufan Center", "Soufan Center", "Soufan Centre", "Soufan Group", "The Soufan Group", "Center Suphan", "Suphan Center", "Soufan"),
    "Global Strategy Network": ("Global Strategy Network",),
    "George Washington University Program on Extremism": (
        "The George Washington University Program on Extremism",
        "George Washington University Program on Extremism",
        "George Washington University's Program on Extremism",
        "GWU Program on Extremism",
        "Program on Extremism at George Washington University",
        "Program on Extremism",
    ),
    "United Nations": ("United Nations", "UN data", "the UN", "UN", "UN Security Council", "UNSC", "U.N.", "UN Office of Counter-Terrorism", "UNOCT"),
    "International Centre for the Study of Radicalisation": (
        "International Centre for the Study of Radicalisation",
        "International Center for the Study of Radicalization",
        "ICSR",
    ),
    "Institute for the Study of War": ("Institute for the Study of War", "ISW"),
    "US Department of Defense": ("US Department of Defense", "U.S. Department of Defense", "Department of Defense", "Pentagon", "CJTF-OIR", "CJTF–OIR", "US estimates"),
    "Europol": ("Europol",),
    "Interpol": ("Interpol", "INTERPOL"),
    "International Crisis Group": ("International Crisis Group",),
    "Washington Institute for Near East Policy": ("Washington Institute for Near East Policy", "Washington Institute"),
    "IISS": ("International Institute for Strategic Studies", "IISS"),
    "Combating Terrorism Center": ("Combating Terrorism Center", "CTC at West Point"),
    "Egmont Institute": ("Egmont Institute", "EGDMONT", "Royal Institute for International Relations"),
    "Federal Bureau of Investigation": ("Federal Bureau of Investigation", "FBI"),
    "Home Office": ("Home Office",),
    "MI5": ("MI5",),
    "Syrian Democratic Forces": ("Syrian Democratic Forces", "SDF"),
}
# Reports cited by title alone (the start of the title is enough), and the organisation that published them.
KNOWN_REPORTS: dict[str, str] = {
    "beyond the caliphate": "Soufan Center",
    "foreign fighters: an updated assessment": "Soufan Center",
    "the travelers": "George Washington University Program on Extremism",
    "isis in america": "George Washington University Program on Extremism",
    "from daesh to diaspora": "International Centre for the Study of Radicalisation",
}


def report_publisher(title: str) -> str:
    """The organisation behind a report known by the start of its title; else the title itself."""
    lowered = title.lower()
    return next((publisher for start, publisher in KNOWN_REPORTS.items() if lowered.startswith(start)), title)


def _quoted(group: str) -> str:
    return rf"[\"“”‘'](?P<{group}>[A-Z][^\"“”’\n]{{2,100}}?)[\"”’']"


_REPORT_TITLE = re.compile(
    rf"\b(?i:report|study|paper|analysis|survey|assessment|review|briefing)\s*,?\s*(?:(?i:titled|entitled|called|named)\s+)?{_quoted('t1')}"
    rf"|\b(?i:according\s+to)\s+{_quoted('t2')}|{_quoted('t3')}\s*,?\s*(?i:a|the|an)\s+(?:[\w-]+\s+){{0,3}}(?i:report|study|paper|analysis|survey|assessment)\b",
)
_ALIAS_TO_NAME = {alias.lower(): name for name, aliases in ORGANISATIONS.items() for alias in (*aliases, name)}
_ALIAS_RE = Folded(r"(?<![\w-])" + trie_alternation(list(_ALIAS_TO_NAME)) + r"(?![\w-])")
_ORG_NAME = r"(?:the\s+)?(?P<org>(?-i:[A-Z][\w&'’.-]*(?:\s+(?:of|for|on|and|the|de|&)?\s*[A-Z][\w&'’.-]*){0,8}))"
EXPLICIT_PATTERNS = (
    re.compile(rf"\b(?:according\s+to|per|citing)\s+(?:(?:a|the|an)\s+(?:new\s+|latest\s+|recent\s+)?(?:report|study|analysis|estimate|data|figures)\s+(?:by|from)\s+)?{_ORG_NAME}", re.I),
    re.compile(rf"\b(?:study|report|analysis|survey|estimate|tally|database|count)\s+(?:\w+\s+)?(?:by|from|of)\s+{_ORG_NAME}", re.I),
    re.compile(rf"{_ORG_NAME}(?:'s|’s)?\s+(?:said|says|reported|reports|estimated|estimates|found|finds|counted|counts|puts|put|tracked|told|noted|warned|data|figures|report|study)\b"),
    re.compile(rf"\(\s*{_ORG_NAME},?\s+(?:19|20)\d\d[a-z]?(?:[:,]\s*(?:pp?\.\s*)?\d+(?:[-–]\d+)?)?\s*\)"),  # "(Home Office 2017)"
)
ORG_WORDS = re.compile(
    r"\b(?:Center|Centre|Institute|University|College|School|Academy|Program|Programme|Council|Department|Ministry|Agency|Office|Group|Network|"
    r"Foundation|Commission|Committee|Bureau|Service|Services|Forum|Organi[sz]ation|Association|Project|Observatory|Monitor|"
    r"Survey|Watch|Nations|Union|Police|Government|Coalition|Task Force|Europol|Interpol)\b"
)
# Sentences that introduce the report a document is about (its figures carry to the whole text).
REPORT_INTRO = re.compile(
    r"\b(?:study|report|analysis)\s+(?:\w+\s+){0,2}(?:by|from|of)\s+|said\s+in\s+a\s+(?:new\s+)?report|report\s+(?:\w+\s+)?commissioned\s+by|latest\s+report\s+from",
    re.I,
)
ANAPHORIC_SOURCE = re.compile(
    r"\b(?:the|this|that|its)\s+(?:report|study|analysis|survey|researchers|authors)\b|\bresearchers\b|\b(?:it|they)\s+(?:said|says|found|adds|added|notes|estimates)\b",
    re.I,
)

# Every pattern above needs one of these words; most sentences have none and are skipped at once.
_TRIGGER = Folded(
    r"according|stud(?:y|ies)|report|analys[ie]s|survey|estimat|tally|database|count|said|says|found|finds|tracked|told|noted|warned|data|figures|"
    r"paper|assessment|review|briefing|puts?\b|\bper\s|citing|\(\s*[A-Z][^()]{1,60}\d{4}"
)
_REPORT_INTRO = Folded(REPORT_INTRO.pattern)
# Words one of which every match of a pattern contains (see `claimgraph.extract.fastre`): most patterns are not run.
_EXPLICIT_WORDS = (
    ("according", "per", "citing"),
    ("study", "report", "analysis", "survey", "estimate", "tally", "database", "count"),
    ("said", "says", "report", "estimate", "found", "finds", "count", "put", "tracked", "told", "noted", "warned", "data", "figures", "study"),
    ("(",),
)
_NEEDS = WordNeeds({
    "trigger": ("according", "stud", "report", "analys", "survey", "estimat", "tally", "database", "count", "said", "says", "found",
                "finds", "tracked", "told", "noted", "warned", "data", "figures", "paper", "assessment", "review", "briefing", "put",
                "per", "citing", "("),
    "intro": ("study", "report", "analysis", "said"),
    "title": ("report", "study", "paper", "analysis", "survey", "assessment", "review", "briefing", "according"),
    **{f"explicit{i}": words for i, words in enumerate(_EXPLICIT_WORDS)},
})  # fmt: skip
# Where matches of EXPLICIT_PATTERNS 0, 1 and 3 and of _REPORT_TITLE start (see `search_from_starts`).
_EXPLICIT_STARTS = {0: any_of(*_EXPLICIT_WORDS[0]), 1: any_of(*_EXPLICIT_WORDS[1]), 3: any_of("(")}
_TITLE_STARTS = any_of("report", "study", "paper", "analysis", "survey", "assessment", "review", "briefing", "according", *"\"“”‘'")
_CREDIT_VERB = re.compile(r"\b(?:said|says|according|reported|estimate|data|figures|told)\b", re.I)


@dataclass(frozen=True)
class Attribution:
    """An organisation credited in a sentence, and whether it introduces the document's report."""

    name: str
    introduces_report: bool
    start: int = field(default=-1, repr=False, compare=False)  # where the credit is given in the sentence
    end: int = field(default=-1, repr=False, compare=False)


_SPACES = re.compile(r"\s+")
_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)
_JOINERS = re.compile(r"\band\b|[\s,&]")


def canonical_organisation(name: str) -> str:
    """The canonical name of an organisation ("The Soufan Group" → "Soufan Center")."""
    cleaned = _SPACES.sub(" ", name).strip(" .,'’\"")
    known = _ALIAS_TO_NAME.get(cleaned.lower())
    if known:
        return known
    match = _known_alias(cleaned, lowered(cleaned))
    if match and len(match.group(0)) >= len(cleaned) * 0.6:
        return _ALIAS_TO_NAME[match.group(0).lower()]
    return _ARTICLE.sub("", cleaned)


def find_attribution(sentence: str) -> Attribution | None:
    """The organisation a sentence credits, if it names one.

    >>> find_attribution("A study by The Soufan Center has tracked 5,600 fighters.")
    Attribution(name='Soufan Center', introduces_report=True)
    """
    lower = lowered(sentence)
    possible = _NEEDS.possible(lower)
    if "trigger" not in possible or not _TRIGGER.search_lowered(sentence, lower):
        return None
    intro = "intro" in possible and bool(_REPORT_INTRO.search_lowered(sentence, lower))
    known = _known_alias(sentence, lower)
    for index in range(len(EXPLICIT_PATTERNS)):
        match = _search_explicit(index, sentence, lower) if f"explicit{index}" in possible else None
        if not match:
            continue
        raw = match.group("org")
        possessor = _PLACE_POSSESSIVE.match(raw)
        if possessor and find_places(possessor.group(0)):
            raw = raw[possessor.end() :]  # "Norway's PST" → "PST"
        name = canonical_organisation(raw)
        if name.lower() in {"it", "he", "she", "they", "report", "study"} or len(name) < 2:
            continue
        if name.split()[0].lower() in {"the", "this", "that", "these", "researchers", "experts", "officials"}:
            continue
        if find_places(name) and not _JOINERS.sub("", _strip_places(name)):
            continue  # "Saudi Arabia reported": a country speaking, not an organisation
        if known and name not in ORGANISATIONS and _ALIAS_TO_NAME[known.group(0).lower()] in ORGANISATIONS:
            name = _ALIAS_TO_NAME[known.group(0).lower()]
        elif known and known.end() <= match.start("org") and re.fullmatch(r"\s*(?:[–—/-]|and|&)\s*", sentence[known.end() : match.start("org")]):
            name = _ALIAS_TO_NAME[known.group(0).lower()]  # "a joint Soufan Center–Global Strategy Network study": the first named
            return Attribution(name, intro, known.start(), match.end())
        if name not in ORGANISATIONS and not ORG_WORDS.search(name) and not (_ACRONYM.fullmatch(name) and name.upper() not in _NOT_ORGANISATIONS):
            continue  # a person or a place speaking ("Voronkov said"), not an organisation
        return Attribution(name, intro, match.start(), match.end())
    if known and (intro or _CREDIT_VERB.search(sentence)):
        return Attribution(_ALIAS_TO_NAME[known.group(0).lower()], intro, known.start(), known.end())
    title = search_from_starts(_REPORT_TITLE, sentence, _TITLE_STARTS, lower) if "title" in possible else None
    if title:
        name = (title.group("t1") or title.group("t2") or title.group("t3")).strip(" ,.")
        return Attribution(report_publisher(name), intro, title.start(), title.end())
    return None


_PLACE_POSSESSIVE = re.compile(r"^(?:the\s+)?[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?['’]s\s+(?=[A-Z])")
_NOT_ORGANISATIONS = {"PM", "MP", "MPS", "FM", "CEO", "TV", "ISIS", "ISIL", "IS", "US", "USA", "UK", "EU", "AP", "OK", "DR", "PHD", "MR", "MRS", "MS"}
_ACRONYM = re.compile(r"(?=(?:[^A-Z]*[A-Z]){2})[A-Z][A-Za-z]{1,5}")  # CIA, BfV, PST, DGSI: at least two capitals


def _search_explicit(index: int, sentence: str, lower: str | None) -> re.Match[str] | None:
    """EXPLICIT_PATTERNS[index] searched in `sentence` (`lower` is `lowered(sentence)`)."""
    pattern = EXPLICIT_PATTERNS[index]
    if index in _EXPLICIT_STARTS:
        return search_from_starts(pattern, sentence, _EXPLICIT_STARTS[index], lower)
    return pattern.search(sentence)


def _known_alias(text: str, lower: str | None) -> re.Match[str] | None:
    """The first known organisation's alias in `text` (`lower` is `lowered(text)`); its text is in lower case."""
    return _ALIAS_RE.search_lowered(text, lower)


def known_organisation(text: str) -> str:
    """The first known organisation named in `text` ("Sources: Soufan Group" → "Soufan Center"), or ''."""
    match = _known_alias(text, lowered(text))
    return _ALIAS_TO_NAME[match.group(0).lower()] if match else ""


def _strip_places(name: str) -> str:
    for place in reversed(find_places(name)):
        name = name[: place.start] + name[place.end :]
    return name


def organisation_aliases(name: str) -> frozenset[str]:
    """Known aliases of a canonical organisation name (the name itself included)."""
    return frozenset((name, *ORGANISATIONS.get(name, ())))


def organisations_for(names: set[str]) -> list[Organisation]:
    """`Organisation` records for canonical names, with their aliases, sorted by name."""
    return [Organisation(name, organisation_aliases(name)) for name in sorted(n for n in names if n)]
