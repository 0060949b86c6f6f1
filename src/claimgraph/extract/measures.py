"""Measure and population: what a figure counts, read from the nouns and verbs around it.

A figure counts people when a people noun follows it ("5,600 fighters",
"3,400 Russians", "men, women and children") or when it is the subject of a
verb about people ("760 have returned"). The measure comes from the verbs
around it; when several apply, the main predicate (after an auxiliary such as
"have", "are", "remain") wins, then `MEASURE_PRIORITY`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claimgraph.extract.fastre import Folded, WordNeeds, any_of, lowered, may_contain, trie_alternation

PEOPLE_NOUNS = {
    "fighters": "fighters", "fighter": "fighters", "foreign fighters": "fighters", "combatants": "fighters",
    "militants": "fighters", "jihadists": "fighters", "jihadis": "fighters", "mujahideen": "fighters",
    "extremists": "fighters", "islamists": "fighters", "terrorists": "fighters", "operatives": "fighters", "recruits": "fighters",
    "volunteers": "fighters", "travellers": "fighters", "travelers": "fighters", "ftfs": "fighters",
    "people": "fighters", "persons": "fighters", "individuals": "fighters", "nationals": "fighters",
    "citizens": "fighters", "residents": "fighters", "suspects": "fighters", "men": "fighters",
    "foreigners": "affiliates", "supporters": "affiliates", "affiliates": "affiliates", "adherents": "affiliates",
    "followers": "affiliates", "sympathisers": "affiliates", "sympathizers": "affiliates", "family members": "affiliates",
    "members": "members", "women": "women", "wives": "women", "widows": "women", "girls": "women",
    "children": "children", "minors": "children", "boys": "children", "kids": "children", "infants": "children",
    "orphans": "children", "teenagers": "children",
    "returnees": "returnees", "prisoners": "prisoners", "detainees": "prisoners", "inmates": "prisoners",
    "captives": "prisoners",
}  # fmt: skip
# Nouns after a figure that show it does not count ISIS people.
NON_DOMAIN_NOUNS = {
    "civilians", "victims", "inhabitants", "soldiers", "troops", "police", "officers", "officials", "refugees",
    "students", "workers", "voters", "tourists", "passengers", "journalists", "hostages", "migrants",
}  # fmt: skip
PEOPLE_RE = re.compile(r"\b(?:" + trie_alternation(list(PEOPLE_NOUNS)) + r")\b", re.I)  # the longest noun first
_MOSTLY_FAMILIES = re.compile(r"^[^.;:]{0,40}?,\s*(?:most(?:ly)?(?:\s+of\s+them)?|mainly|largely|chiefly)\s+women\s+and\s+children\b", re.I)
AFFILIATES_PHRASE = re.compile(r"\bmen,?\s+women,?\s+(?:and|&)\s+children\b", re.I)
_LOCAL_AND_FOREIGN = re.compile(r"\blocal\s+and\s+foreign\b", re.I)
_CHILDREN, _LOCAL = any_of("children"), any_of("local")  # words AFFILIATES_PHRASE and _MOSTLY_FAMILIES, and _LOCAL_AND_FOREIGN, need

# Verb and noun cues for each measure (regex over a clause).
MEASURE_CUES: dict[str, str] = {
    "returned": r"left\s+(?:the\s+)?(?:(?:ISIL|ISIS|IS|Islamic\s+State|Daesh)[\w-]*\s+(?:held\s+|controlled\s+)?(?:areas?|territor\w+)|Syria|Iraq|the\s+caliphate|the\s+conflict\s+zones?)|return(?:ed|ing|s)?\b|returnees?\b|c[ao]me\s+(?:back|home)|coming\s+(?:back|home)|(?:gone|went|go|going|headed|heading)\s+home|went\s+back|gone\s+back|go(?:ing)?\s+back|"
    r"back\s+(?:home|in\b|on\s+home|to\s+their)|(?:are|is|were|was|be|been|now|got|get)\s+back\b|repatriated|repatriation|(?:flew|flown|fly|flying|brought|bring|bringing)\s+(?:\w+\s+)?(?:home|back)\b|"
    r"(?:trip|journey|way)\s+(?:back|home)|home\s+again|(?:are|is|were|was|been|now)\s+(?:\w+\s+)?home\b",
    "unaccounted": r"unaccounted|untracked|whereabouts\s+(?:are\s+)?unknown|missing|(?:(?:could|can|have|has|had)\s*)?(?:not|n't|never)\s+(?:be(?:en)?\s+)?accounted\s+for|cannot\s+be\s+accounted\s+for",
    "convicted": r"convicted|convictions?|sentenced|found\s+guilty",
    "prosecuted": r"prosecuted|prosecutions?|put\s+on\s+trial|tried\s+(?:in|for|before)",
    "charged": r"charged|indicted|charges?\b(?!\s+of\s+the)|faced\s+charges|(?:placed|put)\s+under\s+(?:formal\s+)?investigation",
    "detained": r"(?<!-)\bheld\b|detained|detention|imprisoned|jailed|in\s+(?:their\s+|its\s+)?custody|\bprisons?\b|\bjails?\b|\bcamps?\b|captured|arrested|prisoners|detainees",
    "attempted_departure": r"(?:attempt(?:ed|ing|s)?|tried|trying|sought|seeking)\s+to\s+(?:join|travel|leave|reach|go|enter|get|make)|attempted[\s-]+(?:travel|departures?)|"
    r"(?:failed|thwarted|foiled|aborted|would-be)\s+(?:travell?ers|travel|departures?|attempts?)|"
    r"(?:stopped|prevented|blocked)\s+from\s+(?:travel|leaving|going)|frustrated\s+travel(?:l?ers)?|"
    r"(?:were|was|been|being)\s+(?:stopped|intercepted|turned\s+back|offloaded)\b",
    "relocated": r"relocat(?:ed|ing|ion|ors?)|redeployed|moved\s+on\s+to",
    "killed": r"killed|died|dead\b|slain|perished|deaths?\b",
    "departed": r"travel(?:l)?(?:ed|ing|s)?\b|\bwent\s+(?:to|abroad|off)|\bgone\s+(?:to|abroad)|\bgoing\s+to|\bjoin(?:ed|ing|s)?\b|\bleft\b|"
    r"migrated|flocked|moved\s+to|headed\s+(?:to|for)|made\s+(?:the\s+|their\s+)?(?:journey|trip|way)(?!\s+(?:back|home))|departed|departures?|"
    r"c[ao]me\s+from|recruited|mobili[sz]ed|foreign\s+fighters?\s+(?:in|to)|succeeded|made\s+it\s+to|"
    r"(?:reached|arrived\s+in|got\s+to)\s+(?:the\s+)?(?:battlefield|conflict|war\s+zone|front|caliphate|[\w-]+-held|territory|Syria|Iraq|Islamic\s+State)",
    "active": r"still\s+active|\bactive\b|remain(?:s|ed|ing)?(?:\s+(?:in|at|active|inside|abroad|overseas|there|behind)\b|\s*(?:[.,;]|$))|\bretains?\b|operating|present\s+in|still\s+fighting|\bleading\b",
}
MEASURE_PRIORITY = (
    "returned", "unaccounted", "convicted", "prosecuted", "charged", "detained", "attempted_departure",
    "relocated", "killed", "departed", "active",
)  # fmt: skip
_CUE_RES = {m: Folded(rf"(?:{p})") for m, p in MEASURE_CUES.items()}
# Every match of a measure's cue pattern contains one of its words (see `claimgraph.extract.fastre`): a clause with none is not searched.
# Keep these in step with MEASURE_CUES (tests/test_extract_speed_equivalence.py checks every alternative).
CUE_WORDS: dict[str, tuple[str, ...]] = {
    "returned": ("left", "return", "back", "home", "repatriat"),
    "unaccounted": ("accounted", "untracked", "whereabouts", "missing"),
    "convicted": ("convict", "sentenced", "guilty"),
    "prosecuted": ("prosecut", "trial", "tried"),
    "charged": ("charge", "indicted", "investigation"),
    "detained": ("held", "detain", "detention", "prison", "jail", "custody", "camp", "captured", "arrested"),
    "attempted_departure": ("attempt", "tried", "trying", "sought", "seeking", "travel", "depart", "stopped", "prevented", "blocked",
                            "frustrated", "intercepted", "turned", "offloaded"),
    "relocated": ("relocat", "redeployed", "moved"),
    "killed": ("killed", "died", "dead", "slain", "perished", "death"),
    "departed": ("travel", "went", "gone", "going", "join", "left", "migrated", "flocked", "moved", "headed", "made", "depart", "came",
                 "come", "recruited", "mobili", "foreign", "succeeded", "reached", "arrived", "got"),
    "active": ("active", "remain", "retain", "operating", "present", "fighting", "leading"),
}  # fmt: skip
_CUE_NEEDS = WordNeeds(CUE_WORDS)
_AUXILIARY = Folded(
    r"\b(?:have|has|had|are|is|were|was|be|been|being|will|would|remain|remained|remains|now|also|already|reportedly|"
    r"since|later|then|subsequently|who|that|which|they)\s+(?:\w+\s+)?(?:\w+\s+(?:and|or)\s+)?$",
)
_MODAL = Folded(r"\b(?:would|could|might|may|should)\s+(?:\w+\s+)?$")
_NEGATION = Folded(r"\b(?:not|never|no\s+longer|yet\s+to|n't)\s+(?:\w+\s+){0,2}$")
_PASSIVE_AGENT = re.compile(r"^\s+by\b", re.I)
_VICTIMS_AFTER = re.compile(r"\s+(?:\w+\s+)?(?:people|civilians|persons)")
_COPULA_CUE = re.compile(r"(?:are|is|were|was|have|has|had|been|be)\s", re.I)
_NON_ISIS_GROUP = re.compile(r"\b\w+-backed\b|\b(?:government|army|kurdish|sdf|rebel|peshmerga|police|national)\b", re.I)


@dataclass(frozen=True)
class Cue:
    """A measure cue found in a clause: which measure, where, and whether it is the main predicate."""

    measure: str
    start: int
    main: bool
    negated: bool
    hypothetical: bool = False  # "would go back": a modal verb, not a fact
    end: int = -1  # where the cue's words end (-1 when unknown)


def _tail(text: str, end: int, width: int = 120) -> str:
    """The words of TEXT just before END (the end-anchored auxiliary, modal and negation patterns need no more)."""
    if end <= width:
        return text[:end]
    cut = text.find(" ", end - width, end)
    return text[cut:end] if cut >= 0 else text[end - width : end]


def find_cues(clause: str) -> list[Cue]:
    """All measure cues in `clause`, left to right."""
    cues: list[Cue] = []
    lower = lowered(clause)
    possible = _CUE_NEEDS.possible(lower)
    for measure, pattern in _CUE_RES.items():
        if measure not in possible:
            continue
        scan, subject = pattern.on(clause, lower)
        for match in scan.finditer(subject):
            before = _tail(clause, match.start())
            lower_before = _tail(lower, match.start()) if lower is not None else None  # lowered(before)
            after = clause[match.end() :]
            if measure == "detained" and match.group(0).lower() == "captured" and _PASSIVE_AGENT.match(after):
                continue  # "was captured by 900 jihadists": the people are the agents
            if measure == "departed" and match.group(0).lower().startswith("join") and _NON_ISIS_GROUP.search(after[:60]):
                cues.append(Cue("other", match.start(), bool(_AUXILIARY.search_lowered(before, lower_before)), False))
                continue
            if measure == "killed" and _VICTIMS_AFTER.match(after):
                continue  # "killed 224 people": victims, not ISIS people
            main = bool(_AUXILIARY.search_lowered(before, lower_before)) or bool(_COPULA_CUE.match(match.group(0)))
            negated = bool(_NEGATION.search_lowered(before, lower_before))
            cues.append(Cue(measure, match.start(), main, negated, bool(_MODAL.search_lowered(before, lower_before)), match.end()))
    return _outermost(sorted(cues, key=lambda c: c.start))


def _outermost(cues: list[Cue]) -> list[Cue]:
    """Drop a cue found inside a longer one ("travel" inside "attempted travel")."""
    if len(cues) < 2:
        return cues
    return [c for c in cues if not any(o is not c and o.start <= c.start and c.end <= o.end and o.end - o.start > c.end - c.start for o in cues)]


def choose_measure(cues: list[Cue]) -> str | None:
    """The measure a list of cues points to.

    Main predicates (after an auxiliary: "have returned", "were held") win, the
    most specific first (`MEASURE_PRIORITY`); otherwise the cue nearest the
    figure. A negated cue ("have not faced charges") gives ``other``.
    """
    if not cues:
        return None
    main = [c for c in cues if c.main]
    if not main:
        return "other" if cues[0].negated else cues[0].measure  # the cue nearest the figure
    if any(c.negated for c in main):
        return "other"
    ranked = sorted(main, key=lambda c: MEASURE_PRIORITY.index(c.measure) if c.measure in MEASURE_PRIORITY else 99)
    return ranked[0].measure


@dataclass(frozen=True)
class NounPhrase:
    """The people noun that a figure counts, found right after it."""

    noun: str
    population: str
    end: int  # offset just past the noun, relative to the text searched


_MODIFIER = re.compile(
    r"^(?:\s+|\s*['‘’\"“”(]\s*)(?:[A-Z][\w.'’-]*|[a-z][\w'-]*(?:an|ian|ish|ese|i|ic|al|ed|ing|ive|ern|new|old|foreign|local|other|more|such)|"
    r"new|foreign|local|young|suspected|alleged|known|former|would-be|aspiring|veteran|male|female|adult|armed|so-called|more|other|additional|further|"
    r"terrorist|militant|jihadist|islamist|extremist|radical|radicali[sz]ed|isis|isil|daesh)(?:\b|(?<=\.)(?=\s))",
)


def people_noun_after(text: str) -> NounPhrase | None:
    """The people noun that follows a figure within a few modifiers ("Islamic State supporters").

    `text` starts right after the figure.

    >>> people_noun_after(" captured British foreign fighters held").noun
    'foreign fighters'
    """
    affiliates = AFFILIATES_PHRASE.match(text.lstrip(" \"'‘“"))
    if affiliates:
        offset = len(text) - len(text.lstrip(" \"'‘“"))
        return NounPhrase("men, women and children", "affiliates", offset + affiliates.end())
    pos = 0
    for _ in range(5):
        match = PEOPLE_RE.match(text[pos:].lstrip(" \"'‘’“”(\n")) if text[pos:].strip() else None
        if match:
            offset = pos + len(text[pos:]) - len(text[pos:].lstrip(" \"'‘’“”(\n"))
            noun = match.group(0).lower()
            return NounPhrase(noun, PEOPLE_NOUNS[noun], offset + match.end())
        modifier = _MODIFIER.match(text[pos:])
        if not modifier:
            return None
        word = modifier.group(0).strip(" '‘’\"“”(").lower()
        if word in NON_DOMAIN_NOUNS:
            return None
        pos += modifier.end()
    return None


def demonym_noun_after(text: str, demonyms: set[str]) -> int | None:
    """End offset of a demonym used as the counted noun ("3,400 Russians"), else None."""
    match = re.match(r"^\s+([A-Z][\w.-]+(?:\s+[A-Z][\w-]+)?)", text)
    if match and match.group(1).lower() in demonyms and match.group(1).endswith("s"):
        return match.end()
    return None


def next_word(text: str) -> str:
    """The first word of `text` (lower case), skipping quotes and brackets."""
    match = re.match(r"^[\s\"'‘’“”(]*([A-Za-z][\w'-]*)", text)
    return match.group(1).lower() if match else ""


def population_for(noun_population: str | None, measure: str, text: str) -> str:
    """The population id from the counted noun, the measure and the phrase."""
    head = lowered(text[:120])
    families = may_contain(head, _CHILDREN)  # what the two patterns about families need
    if families and AFFILIATES_PHRASE.search(text[:80]):
        return "affiliates"
    if families and noun_population in {None, "fighters"} and _MOSTLY_FAMILIES.search(text[:60]):
        return "affiliates"  # "70,000 people, most of them women and children"
    if noun_population in {None, "fighters", "members"} and may_contain(head, _LOCAL) and _LOCAL_AND_FOREIGN.search(text[:120]):
        return "members"
    population = noun_population or "fighters"
    if population == "returnees" and measure == "returned":
        return "fighters"
    return population


INHERENT_MEASURE = {"departures": "departed", "returns": "returned", "arrests": "detained", "deaths": "killed", "convictions": "convicted",
                    "prosecutions": "prosecuted", "returnees": "returned", "prisoners": "detained", "detainees": "detained", "inmates": "detained",
                    "captives": "detained", "recruits": "departed", "travellers": "departed", "travelers": "departed"}  # fmt: skip
