"""Extract stage: a `Document` becomes a list of `Claim`s.

For each sentence: number grammar (figures and fractions) → figures given place
by place (`lists`) → is each other figure a count of people? → measure and
population → place and its role (`roles`) → date → attribution → claims, with
a share of a stated total ("half of the 850", "30 percent of them") giving a
proportion claim and a derived count. Context carries from one sentence to the
next only through explicit cues: "Of these", "a quarter of them", "the
country", "the report", "the number had increased to", a heading or "...:"
above a list, and a figure without noun or place that continues its paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from claimgraph.extract.attribution import (
    ANAPHORIC_SOURCE,
    Attribution,
    canonical_organisation,
    find_attribution,
    known_organisation,
)
from claimgraph.extract.clauses import CLAUSE_BREAK, clause_after, clause_before
from claimgraph.extract.dates import DateMention, background_spans, find_dates, is_comparison_date
from claimgraph.extract.fastre import Folded, any_of, lowered, may_contain
from claimgraph.extract.lists import (
    FOLLOW_UP,
    NOT_PEOPLE_CONTEXT,
    ListContext,
    column_context,
    find_list_items,
    is_list_intro,
    is_row,
    items_span_text,
    list_context,
    merge_contexts,
    table_cells,
)
from claimgraph.extract.measures import (
    INHERENT_MEASURE,
    NON_DOMAIN_NOUNS,
    PEOPLE_NOUNS,
    PEOPLE_RE,
    choose_measure,
    find_cues,
    next_word,
    people_noun_after,
    population_for,
)
from claimgraph.extract.numbers import SHARE_VERB, TENS, UNITS, NumberMention, find_fractions, find_numbers
from claimgraph.extract.places import PLACES, REGIONS, THEATRE, PlaceMention, find_places, join_codes
from claimgraph.extract.roles import (
    FLOW_MEASURES,
    SOURCE_PLACE_AFTER,
    coordinated_roles,
    holder_place,
    its_people_place,
    label_place,
    role_after,
    role_before,
    with_antecedent,
)
from claimgraph.extract.text import Sentence, readable_body, split_sentences
from claimgraph.model import Claim, Document

_DEMONYMS = {d.lower(): e.code for e in PLACES.values() for d in e.demonyms}
# Words before a figure that make it a label, not a count.
_LABEL_BEFORE = Folded(
    r"(?:\b(?:resolutions?|res\.|unscr|scr|s/res/|no\.|nos\.|(?<!to\s)number|vol\.|volume|p\.|pp\.|pages?|chapter|article|art\.|section|sec\.|paragraph|para\.|"
    r"§|act|law|statute|flight|route|highway|issue|edition|aged?|ages|age\s+of|over\s+the\s+age\s+of|under\s+the\s+age\s+of|"
    r"above\s+the\s+age\s+of|room|cell|block|camp|level|phase|step|tier|grade|class|rank|top|bottom|figure|table|fig\.|"
    r"appendix|annex|footnote|note|q[1-4]|#)\s*|\b(?:19|20)\d\d[a-z]?\s*:\s*(?:pp?\.\s*)?)$",
)
# Words right after a figure that make it something other than a count of people.
_NOT_COUNT_AFTER = Folded(
    r"^(?:-|\s)*(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?|year-olds?|-year-old|km|kilomet(?:re|er)s?|miles?|metres?|meters?|"
    r"percent|per\s+cent|%|times|countries|nations|states|cities|towns|villages|provinces|regions|pages?|dollars?|euros?|pounds?|"
    r"attacks?|plots?|cases?|incidents?|groups?|organi[sz]ations?|resolutions?|reports?|studies|articles?|laws?|flights?|"
    r"am|pm|a\.m\.|p\.m\.|o'clock|bn|billion|january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\b",
)
_RATE_AFTER = Folded(r"\b(?:each|every|per|a)\s+(?:day|week|month|year)\b|\bmonthly\b|\bweekly\b|\bdaily\b|\bannually\b")
_CONTINUATION_WORDS = {
    "have", "has", "had", "are", "is", "were", "was", "will", "would", "could", "may", "might", "remain", "remained",
    "remains", "of", "to", "from", "in", "into", "returned", "returning", "came", "come", "coming", "went", "joined",
    "travelled", "traveled", "left", "being", "been", "who", "that", "which", "now", "still", "reportedly", "more",
    "back", "ended", "died", "at", "for", "as", "and", "or", "with", "while", "according",
    "said", "the", "fewer", "later", "subsequently", "then", "also", "already", "likely", "probably",
}  # fmt: skip
_ANAPHORIC_OPENER = re.compile(
    r"^\W*(?:of\s+(?:these|them|those|this\s+number|that\s+number|this\s+total|the\s+total)|among\s+(?:them|these|those)|"
    r"(?:the|this|that)\s+group\s+(?:included|includes|comprised|comprises|consisted\s+of|was\s+made\s+up\s+of)|"
    r"(?:they|these|those)\s+(?:included|include|comprised|comprise))\b",
    re.I,
)
_THE_NUMBER = re.compile(r"\b(?:the|that|this|their)\s+(?:\w+\s+)?(?:number|figure|total|tally|count|estimate)\b.{0,40}\b(?:increased|rose|risen|grown|grew|fell|fallen|dropped|reached|stood|climbed|declined|jumped|doubled)\b", re.I)
_NUMBER_OF = re.compile(r"\b(?:the\s+)?(?:overall\s+|total\s+)?(?:number|total|count|figure)\s+of\s+(?P<np>[^;:]{0,120}?),?\s+(?:at|to|from|was|is|stood|reached)\s+(?:(?:more|fewer|less)\s+than|about|around|some|nearly|almost|at\s+least|over|up\s+to|an\s+estimated|roughly)?\s*$", re.I)
_AMOUNT_NOUNS = any_of("number", "figure", "total", "tally", "count", "estimate")  # one of which both patterns above need


def _the_number(text: str) -> re.Match[str] | None:
    """'the number had increased to': a figure restating a number given before (_THE_NUMBER)."""
    return _THE_NUMBER.search(text) if may_contain(lowered(text), _AMOUNT_NOUNS) else None


def _number_of(text: str) -> re.Match[str] | None:
    """'the number of Russian fighters ... at': _NUMBER_OF in `text`."""
    return _NUMBER_OF.search(text) if may_contain(lowered(text), _AMOUNT_NOUNS) else None


_NUMBER_WORDS = "|".join(sorted([*UNITS, *TENS, "hundred", "thousand", "dozen"], key=len, reverse=True))
_QUALIFIED = r"(?:estimated|approximately|about|some|roughly|around|nearly|almost)?\s*"
_PARTITIVE_WHOLE = Folded(
    rf"(?:\bof\s+(?:the|these|those|its|their)\s+{_QUALIFIED}|"
    rf"\b(?:some|many|most|all|none|half|part|several|few|majority|minority|percent|cent|%|\d[\d,]*|{_NUMBER_WORDS})\s+of\s+(?:an\s+)?{_QUALIFIED}|"
    rf"\bhalf\s+(?:the|these|those|its|their)\s+{_QUALIFIED})$"
)
_PARTITIVE_PART = re.compile(rf"^\s+of\s+(?:the|these|those|an|its|their)?\s*{_QUALIFIED}(?=\d|[a-z]+\b)", re.I)
_THE_COUNTRY = re.compile(r"\b(?:from|in|to|of|for)\s+(?:the|that|this)\s+country\b", re.I)
_WORLD_SCOPE = Folded(r"\bfrom\s+(?:\d[\d,]*|[a-z]+)\s+(?:different\s+)?countries\b|\b(?:around|across|all\s+over)\s+the\s+world\b|\bworldwide\b|\bglobally\b|\bglobal\b")
_RESPECTIVELY = Folded(r"\brespectively\b")
_AMOUNT_BEFORE = re.compile(
    r"\b(?:numbered|numbering|numbers|totall?ed|totall?ing|totals|reached|reaching|(?:stood|stands|stand|standing)\s+at|amount(?:ed|s)?\s+to|"
    r"c[ao]me\s+to|(?:risen|rose|grown|grew|increased|climbed|jumped|soared|swelled|swollen|fallen|fell|dropped|declined|decreased|shrunk|shrank)\s+(?:to|at)|"
    r"(?:estimated|put|thought|believed|reckoned|said)\s+(?:to\s+(?:be|number|total)|at)|(?P<copula>is|are|was|were)(?:\s+now)?|"
    r"(?P<put>(?:put|puts|putting|placed|places|estimated|estimates)\s+(?:the|their|its)\s+(?:total|number|figure|tally|count)\s+at)|"
    r"(?P<supply>supplied|supplies|contributed|contributes|provided|provides|sent|sends|produced|produces|exported))\s+$",
    re.I,
)
_TRAJECTORY = re.compile(
    r"\b(?:grew|grown|grow|rose|risen|increased|climbed|jumped|swelled|swollen|fell|fallen|dropped|declined|decreased|shrank|shrunk|went|gone|expanded|multiplied)\b",
    re.I,
)
_TOPIC_WORDS = re.compile(r"\b(?:contingents?|departures|returns|foreign\s+terrorist\s+fighters?)\b", re.I)
_AMOUNT_SUBJECT = re.compile(r"\b(?:number|figure|total|tally|count|estimate|contingent|ranks|population)s?\b", re.I)
# A verb whose object is the figure: "... jails held 17,000 people", "... charged 135 people".
_OBJECT_OF_CUE = re.compile(r"\b\w+(?:ed|eld|ept|ung)\s+(?:(?:a\s+further|another|an?\s+additional|the|some|an\s+estimated)\s+)?$", re.I)
_OF_THEM_NOUN = re.compile(r"\s+of\s+(?:them|these|those|whom)\s+(?:(?:were|are|was|is|being)\s+)?", re.I)
_EVENT_NOUN = re.compile(r"(departures|returns|arrests|deaths|convictions|prosecutions)\b", re.I)
_DEFINITE_BEFORE = re.compile(r"(?:^|[^\w\s])\s*(?:the|these|those)\s+(?:other\s+|remaining\s+)?$", re.I)
_ON_RETURN = Folded(r"\b(?:on|upon|after)\s+(?:their\s+|his\s+|her\s+)?(?:return(?:ing)?|arrival|coming\s+(?:home|back))\b")
_PREDICATE_PEOPLE = Folded(r"\b(?:were|are|was|is)\s+(?:\w+\s+)?(women|children|minors|girls|boys|men|wives|widows|teenagers)\b")
_ANAPHORIC_WORD = re.compile(r"\b(?:them|these|those|this\s+total)\b", re.I)
_MOST_PEOPLE = 250_000  # no count of fighters, members or affiliates has been larger
_PLACE_SIZE = Folded(r"\b(?:city|town|village|country|nation|province|region|district|area|camp\s+built\s+for|population)\s+of\s+(?:some\s+|about\s+|around\s+|nearly\s+|more\s+than\s+|over\s+)?$")
_CURRENCY_BEFORE = re.compile(r"[$€£]\s*$")
_BRACKET_BEFORE = re.compile(r"\[\s*$")
_BRACKET_AFTER = re.compile(r"^\s*\]")
_RATIO_BEFORE = re.compile(r"\b(?:one|\d+)\s+(?:in|out\s+of)\s+$", re.I)
_ORDINAL_AFTER = re.compile(r"^\s*(?:st|nd|rd|th)\b")
_TOTAL_AFTER = re.compile(r"\b(?:in total|total)\b")
_OF_GROUP_AFTER = re.compile(r"^\s+of\s+(?:the|those|these|its|their)\s+", re.I)
_RETURNEE_MEASURES = {"detained", "charged", "convicted", "prosecuted", "unaccounted", "other"}  # what happens to those who came back
_FRACTION_HINT = re.compile(r"half|third|quarter|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\s(?:in|out\s+of)\s", re.I)
# _FRACTION_HINT in two fast parts, for lower-cased text: its words, or "in" / "out of" between spaces.
_FRACTION_HINT_WORDS = any_of("half", "third", "quarter", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
_IN_OUT_OF = re.compile(r"\s(?:in|out\s+of)\s")
_SHARE_OF = re.compile(r"^\s*(?P<unit>%|percent\b|per\s+cent\b|pct\b)?\s*(?:of\s+|(?=the\s|these\s|those\s|its\s|their\s))", re.I)
_ANAPHORIC_WHOLE = re.compile(
    r"(?:them|these|those|whom|which|this\s+(?:number|total|figure|group)|that\s+(?:number|total|figure)|the\s+(?:total|latter|former))\b(?!\s*\d)",
    re.I,
)


@dataclass
class _Count:
    """A figure that counts people, while its claim is being assembled."""

    mention: NumberMention
    noun: str = ""
    population: str | None = None
    np_end: int = 0  # end of the counted noun phrase, relative to the sentence
    whole_of: int | None = None  # index of the whole in "N of the M"
    is_whole: bool = False
    measure: str = ""
    country: str = ""
    role: str = ""
    as_of: str = ""
    derived_total: int | None = None  # index of the total for a percentage or fraction
    fraction: Decimal | None = None
    anaphoric_total: bool = False  # "a quarter of them": the total is the last figure stated before
    whole_code: str = ""  # place of the people a share is taken of ("of the Belgians"); '*' for people in general
    cued: bool = False  # the measure was read from a verb or noun of the figure's own clause
    fixed: bool = False  # a list item: place, measure and date were set from the list
    subject: tuple[int, int] | None = None  # "fighters from Algeria numbered 2,000": the subject's span
    hypothetical: bool = False  # "would go back": not a statement of fact
    region: str = ""


@dataclass
class _DocumentState:
    document: Document
    doc_source: str = ""
    last_claims: list[Claim] = field(default_factory=list)
    last_place: str = ""
    paragraph: int = -1
    paragraph_source: str = ""
    claims: list[Claim] = field(default_factory=list)
    attributions: dict[int, Attribution | None] = field(default_factory=dict)  # by sentence start
    unscanned: list[str] = field(default_factory=list)  # sentences without figures, not yet searched for places
    last_paragraph: int = -1  # the paragraph of last_claims
    list_intro: ListContext | None = None  # the heading or "...:" sentence a list on the next lines reads under
    list_source: str = ""  # the organisation that heading credits
    table_columns: list[ListContext | None] | None = None  # what each column of the current Markdown table counts

    def attribution_of(self, sentence: Sentence) -> Attribution | None:
        """The credit a sentence gives (read once per sentence)."""
        if sentence.start not in self.attributions:
            self.attributions[sentence.start] = find_attribution(sentence.text)
        return self.attributions[sentence.start]

    def recent_place(self) -> str:
        """The last place named so far; sentences without figures are only searched when this is asked."""
        while self.unscanned:
            places = find_places(self.unscanned.pop())
            if places:
                self.last_place = _sentence_place(places)
                self.unscanned.clear()
        return self.last_place

    def saw_places(self, places: list[PlaceMention]) -> None:
        """Record the places of the sentence just read."""
        if places:
            self.last_place = _sentence_place(places)
            self.unscanned.clear()


def extract_claims(document: Document) -> list[Claim]:
    """Every numeric claim about people in `document`, in text order.

    Never raises on any text; each claim's ``start:end`` is the figure's span in
    ``document.text``.

    >>> from claimgraph.model import Document
    >>> doc = Document("a.txt", "a.txt", "Officials said 1,200 fighters returned to France in 2017.", date="2018")
    >>> [(c.value, c.country, c.measure, c.as_of) for c in extract_claims(doc)]
    [(Decimal('1200'), 'FR', 'returned', '2017')]
    """
    masked = readable_body(document.text, document.body_offset)
    sentences = split_sentences(masked)
    state = _DocumentState(document)
    state.doc_source = _first_report_source(state, sentences)
    for sentence in sentences:
        try:
            _extract_sentence(state, sentence)
        except (ArithmeticError, ValueError, IndexError, KeyError):  # pragma: no cover - never let one sentence stop a build
            continue
    return state.claims


def _first_report_source(state: _DocumentState, sentences: list[Sentence]) -> str:
    """The report the document is about: the first sentence that introduces one ("A study by X ...")."""
    for sentence in sentences:
        attribution = state.attribution_of(sentence) if not sentence.in_notes else None
        if attribution and attribution.introduces_report:
            return attribution.name
    return ""


def _extract_sentence(state: _DocumentState, sentence: Sentence) -> None:
    text = sentence.text
    if sentence.paragraph != state.paragraph:
        state.paragraph = sentence.paragraph
        state.paragraph_source = ""
    attribution = state.attribution_of(sentence)
    mentions = _mentions(text)
    places = find_places(text) if mentions else []
    items = _list_counts(state, text, mentions, places, sentence.paragraph)
    _note_list_intro(state, text, attribution, bool(items))
    counts = _counts_in(text, mentions, items, bool(state.last_claims))
    if not counts:
        state.unscanned.append(text)
        _remember_source(state, sentence, attribution)
        return
    dates = find_dates(text, state.document.date)
    anaphoric = bool(_ANAPHORIC_OPENER.search(text))
    previous = state.last_claims
    order = sorted(range(len(counts)), key=lambda i: (counts[i].whole_of is not None, i))
    order = [i for i in order if not counts[i].fixed]
    if order:
        restated = previous if (anaphoric or _the_number(text)) else []  # what "the number" or "of these" refers to
        for index in order:
            _assign_measure(text, counts, index, restated)
    sentence_dates = _SentenceDates.read(text, dates) if order else _SentenceDates(dates, [], frozenset())
    continued = previous if anaphoric or state.last_paragraph == sentence.paragraph else []
    for index in order:
        _assign_place(text, counts, index, places, state, previous if anaphoric else [], continued)
        counts[index].as_of = _assign_date(text, counts, index, sentence_dates, state.document.date)
    fallback = _fallback_source(state, text, bool(items))
    first_credited = _first_credited(text, counts, attribution)
    sources = [attribution.name if attribution and i >= first_credited else fallback for i in range(len(counts))]
    _remember_source(state, sentence, attribution)
    if not counts[0].noun and previous and not _topic_noun_strict(text):
        for count in counts:
            after_return = previous[-1].measure == "returned" or previous[-1].population == "returnees"
            if not count.noun and count.population in (None, "fighters") and count.measure in _RETURNEE_MEASURES and after_return:
                count.population = "returnees"  # "Twelve came home. Nine were charged." counts returnees
    claims = _to_claims(state, sentence, counts, sources)
    state.claims.extend(claims)
    if claims:
        state.last_claims, state.last_paragraph = claims, sentence.paragraph
    state.saw_places(places)


def _remember_source(state: _DocumentState, sentence: Sentence, attribution: Attribution | None) -> None:
    if attribution:
        state.paragraph_source = attribution.name
        if attribution.introduces_report and not sentence.in_notes:
            state.doc_source = attribution.name


def _fallback_source(state: _DocumentState, text: str, has_items: bool) -> str:
    """The source of figures whose sentence credits no one: the list's heading, the paragraph's
    or the document's report, or the publisher of a report."""
    source = state.list_source if has_items else ""
    if not source and (state.paragraph_source or ANAPHORIC_SOURCE.search(text)):
        source = state.paragraph_source or state.doc_source
    source = source or state.doc_source
    if not source and "report" in state.document.kind.lower() and state.document.publisher:
        source = canonical_organisation(state.document.publisher)  # a report's own figures are its publisher's
    return source


def _first_credited(text: str, counts: list[_Count], attribution: Attribution | None) -> int:
    """Index of the first figure a credit covers: 'grew from 6,000 ... and, on UN figures, to 40,000'
    credits only the figures after it; otherwise every figure of the sentence."""
    if attribution is None or attribution.start < 0 or len(counts) < 2:
        return 0
    window = text[max(0, attribution.start - 30) : attribution.start]
    lead = re.search(r"\b(?:according\s+to|on|citing|by)\s+(?:the\s+)?(?:\w+\s+)?$", window, re.I)
    phrase_start = attribution.start - len(window) + lead.start() if lead else attribution.start
    for index in range(1, len(counts)):
        before, after = counts[index - 1].mention, counts[index].mention
        start = after.qualifier_start if after.qualifier_start >= 0 else after.start
        inserted = re.search(r"(?:\band|\bbut|\bwhile|;)\s*,?\s*(?:[\w-]+\s+){0,3}$", text[before.end : phrase_start])
        if inserted and before.end <= phrase_start and attribution.end <= start and len(text[attribution.end : start]) < 45:
            return index
    return 0


def _note_list_intro(state: _DocumentState, text: str, attribution: Attribution | None, has_items: bool) -> None:
    """Remember a heading or '...:' sentence for the list lines that may follow; prose ends a list."""
    columns = table_cells(text)
    if columns is not None:
        if all(re.fullmatch(r"[^\d]*|\s*(?:19|20)\d\d\s*", text[a:b]) for a, b in columns[1:]):
            state.table_columns = [column_context(text[a:b], state.document.date) for a, b in columns]
        return
    state.table_columns = None
    if is_list_intro(text) and not has_items:
        state.list_intro = list_context(text, state.document.date)
        state.list_source = attribution.name if attribution else known_organisation(text)
    elif not has_items:
        state.list_intro, state.list_source = None, ""


def _list_counts(state: _DocumentState, text: str, mentions: list[NumberMention], places: list[PlaceMention], paragraph: int) -> dict[int, list[_Count]]:
    """Counts for figures given place by place, keyed by mention index (see `claimgraph.extract.lists`).

    The words around the items say what they count; else the heading above the list; else, in a
    document already counting people, the figures the list follows up ("... account for most of them")."""
    if not places:
        return {}
    if state.table_columns is not None and table_cells(text) is not None:
        return _table_counts(state, text, mentions, places)
    items = find_list_items(text, places, mentions)
    if not items:
        return {}
    words = items_span_text(text, items)
    if NOT_PEOPLE_CONTEXT.search(words):
        return {}
    own = list_context(words, state.document.date)
    context = merge_contexts(own, state.list_intro) if (is_row(text, items, mentions) or not own.topic) else own
    if not context.topic and state.last_claims and (state.last_paragraph == paragraph or FOLLOW_UP.search(words)):
        last = state.last_claims[-1]
        same_time = state.last_paragraph == paragraph or _ANAPHORIC_WORD.search(words)
        context = merge_contexts(own, ListContext(last.measure, "", last.population, last.as_of if same_time else "", "origin", True))
    if not context.topic:
        return {}
    counts: dict[int, list[_Count]] = {}
    for item in items:
        for codes in ([(c,) for c in item.codes] if item.each else [item.codes]):
            counts.setdefault(item.mention, []).append(_item_count(mentions[item.mention], codes, context, item.city, state.document.date))
    return counts


def _table_counts(state: _DocumentState, text: str, mentions: list[NumberMention], places: list[PlaceMention]) -> dict[int, list[_Count]]:
    """A Markdown table row: the place in its first cells, each figure counted as its column's header says."""
    cells = table_cells(text) or []
    columns = state.table_columns or []
    place_cells = [k for k, (a, b) in enumerate(cells) if any(a <= p.start < b for p in places)]
    if not place_cells:
        return {}
    home = place_cells[0]
    codes = tuple(p.code for p in places if cells[home][0] <= p.start < cells[home][1])
    counts: dict[int, list[_Count]] = {}
    for index, mention in enumerate(mentions):
        column = next((k for k, (a, b) in enumerate(cells) if a <= mention.start < b), None)
        if column is None or column == home or mention.percent or column >= len(columns) or columns[column] is None:
            continue
        context = merge_contexts(columns[column], state.list_intro)  # type: ignore[arg-type]
        if context.topic:
            counts[index] = [_item_count(mention, codes, context, False, state.document.date)]
    return counts


def _item_count(mention: NumberMention, codes: tuple[str, ...], context: ListContext, city: bool, document_date: str) -> _Count:
    role = "location" if city else context.role
    if context.measure == "returned" and role == "destination":
        role = "origin"  # "returned to France (271)": the country they came home to is where they are from
    count = _Count(mention, noun=context.noun, population=context.population, measure=context.measure, country=join_codes(list(codes)), role=role)
    count.as_of, count.cued, count.fixed = context.as_of or document_date, bool(context.measure), True
    _default_measure(count)
    return count


def _mentions(text: str) -> list[NumberMention]:
    """Figures of a sentence (years left out) and fractions that open a partitive, left to right."""
    mentions = find_numbers(text, years=False)
    fractions = find_fractions(text) if _may_hold_fraction(text) else []
    if not fractions:
        return mentions
    kept = [m for m in mentions if not any(f.start <= m.start < f.end for f in fractions)]
    return sorted(kept + fractions, key=lambda m: m.start)


def _may_hold_fraction(text: str) -> bool:
    """Whether `text` matches _FRACTION_HINT (no fraction can be found in a text that does not)."""
    lower = lowered(text)
    if lower is None:
        return bool(_FRACTION_HINT.search(text))
    return may_contain(lower, _FRACTION_HINT_WORDS) or _IN_OUT_OF.search(lower) is not None


def _sentence_place(places: list[PlaceMention]) -> str:
    return places[-1].code


# --- which figures count people -------------------------------------------------------------


def _counts_in(text: str, mentions: list[NumberMention], items: dict[int, list[_Count]], known_topic: bool = False) -> list[_Count]:
    """The figures of a sentence that count people (list items already made into counts by `items`)."""
    counts: list[_Count] = []
    if not mentions:
        return counts
    topic_cache: list[str] = []

    def topic() -> str:
        if not topic_cache:
            topic_cache.append(_topic_noun(text))
        return topic_cache[0]

    for i, mention in enumerate(mentions):
        if i in items:
            counts.extend(items[i])
            continue
        before = text[: mention.start]
        after = text[mention.end :]
        if _LABEL_BEFORE.search(before[-30:]) or _CURRENCY_BEFORE.search(before):
            continue
        if _BRACKET_BEFORE.search(before) and _BRACKET_AFTER.match(after):
            continue  # an editor's insertion: "all [5,600] would go back"
        if _RATIO_BEFORE.search(before):
            continue  # "one in nine": a ratio without a stated total
        if mention.value > _MOST_PEOPLE and not mention.percent:
            continue  # millions are populations, refugees or war dead, never the people counted here
        if _PLACE_SIZE.search(before[-40:]):
            continue  # "a city of 80,000 people"
        if mention.percent:
            count = _percentage(text, mentions, i, counts)
            if count:
                counts.append(count)
            continue
        if _NOT_COUNT_AFTER.match(after) or _ORDINAL_AFTER.match(after):
            continue
        if mention.text.lower() in {"one", "a", "an"} and not people_noun_after(after):
            continue
        if _RATE_AFTER.search(after[:80].split(".")[0]) and not _TOTAL_AFTER.search(after[:80]):
            continue
        noun = people_noun_after(after)
        count = _Count(mention)
        if noun:
            count.noun, count.population, count.np_end = noun.noun, noun.population, mention.end + noun.end
        else:
            demonym = _demonym_after(after)
            if demonym:
                count.noun, count.population, count.np_end = demonym[0], "fighters", mention.end + demonym[1]
            else:
                shared = _shared_noun(text, mentions, i)
                part = _PARTITIVE_PART.match(after)
                group = _OF_GROUP_AFTER.match(after)
                group_noun = people_noun_after(" " + after[group.end() :]) if group else None
                if part and i + 1 < len(mentions) and mentions[i + 1].start == mention.end + part.end():
                    if _NOT_COUNT_AFTER.match(text[mentions[i + 1].end :]):
                        continue  # "3 of 10 provinces": a part of something other than people
                    count.np_end = mention.end  # "Seven of the 129 ...": noun and place come from the whole
                elif group and group_noun:  # "Twelve of those travellers"
                    count.noun, count.population = group_noun.noun, group_noun.population
                    count.np_end = mention.end + group.end() + group_noun.end - 1
                elif (of_them := _OF_THEM_NOUN.match(after)) and (them := people_noun_after(" " + after[of_them.end() :])):
                    count.noun, count.population = them.noun, them.population  # "2,000 of them foreign fighters"
                    if them.noun == "foreigners":
                        count.population = "fighters"  # "up to 3,000 of them foreigners": the group's foreign members
                    count.np_end = mention.end + of_them.end() + them.end - 1
                elif group and (event := _EVENT_NOUN.match(after, group.end())):  # "850 of those departures"
                    count.noun, count.np_end = event.group(1).lower(), mention.end + event.end()
                elif group and re.match(r"(?:who|that)\b", after[group.end() :]):  # "300 of those who left were women"
                    count.np_end = mention.end + group.end()
                elif re.fullmatch(r"\W*of\s+(?:the|these|those|all)\s+", before[: mention.qualifier_start if mention.qualifier_start >= 0 else None], re.I) and after.startswith(","):
                    count.np_end = mention.end  # "Of the 1,050, a third are back": the whole restated
                elif shared:
                    count.noun, count.population, count.np_end = shared
                elif subject := _amount_subject(text, mention, topic, known_topic):
                    count.np_end, count.subject = mention.end, subject  # "Figures for Chechen jihadists were 450"
                    noun = PEOPLE_RE.search(text, *subject)
                    if noun:
                        count.noun, count.population = noun.group(0).lower(), PEOPLE_NOUNS[noun.group(0).lower()]
                elif not _noun_less_count(text, mention, topic, bool(counts), known_topic):
                    continue
                else:
                    count.np_end = mention.end
        if count.noun and count.noun.lower() in NON_DOMAIN_NOUNS:
            continue
        if count.noun == "people" and re.search(r"\b(?:killed|wounded|injured|murdered)\s+(?:\w+\s+){0,2}$", before):
            continue  # victims of an attack, not ISIS people
        counts.append(count)
    _link_partitives(text, counts)
    return counts


_PLURAL_DEMONYM = r"[A-Z][\w-]+(?:s|ese|ss|sh|ch)"
_MORE_DEMONYMS = re.compile(rf"^(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)({_PLURAL_DEMONYM})\b")


_MORE_BEFORE_DEMONYM = re.compile(r"^\s+(?:more|other|additional|further)(?=\s)")
_TWO_WORD_DEMONYM = re.compile(rf"^\s+((?:[A-Z][\w.-]+\s+)?{_PLURAL_DEMONYM})\b")
_ONE_WORD_DEMONYM = re.compile(rf"^\s+({_PLURAL_DEMONYM})\b")
_RELATIVE_OPENER = re.compile(r"^\s*(?:which|who)\b")
_ADVERB_ONLY = re.compile(r"[\s\"'’”]*(?:(?:\w+ly|still|now|also|later|then|since)\s+)?")
_NOUNS_LONGEST_FIRST = sorted(PEOPLE_NOUNS, key=len, reverse=True)
_NOUN_WORD = {noun: re.compile(rf"\b{noun}\b", re.I) for noun in PEOPLE_NOUNS}


def _demonym_after(after: str) -> tuple[str, int] | None:
    """A demonym used as the counted noun right after a figure ('3,400 Russians', '300 Ingush'),
    with those joined to it ('2,000 Algerians, Moroccans and Tunisians'): (first demonym, end)."""
    skip = _MORE_BEFORE_DEMONYM.match(after)
    if skip:  # "50 more Americans"
        found = _demonym_after(after[skip.end() :])
        return (found[0], skip.end() + found[1]) if found else None
    match = _TWO_WORD_DEMONYM.match(after)
    if not match or match.group(1).lower() not in _DEMONYMS:
        match = _ONE_WORD_DEMONYM.match(after)
    if not match or match.group(1).lower() not in _DEMONYMS:
        return None
    end = match.end()
    while more := _MORE_DEMONYMS.match(after[end:]):
        if more.group(1).lower() not in _DEMONYMS:
            break
        end += more.end()
    return match.group(1), end


def _shared_noun(text: str, mentions: list[NumberMention], i: int) -> tuple[str, str, int] | None:
    """'3,417 and 3,244 people': the first figure shares the noun of the last one."""
    j = i
    while j + 1 < len(mentions) and re.fullmatch(r"\s*(?:,|and|or|,\s*and)\s*", text[mentions[j].end : mentions[j + 1].start]):
        j += 1
        noun = people_noun_after(text[mentions[j].end :])
        if noun:
            return noun.noun, noun.population, mentions[j].end + noun.end
        demonym = _demonym_after(text[mentions[j].end :])
        if demonym:
            return demonym[0], "fighters", mentions[j].end + demonym[1]
    return None


def _topic_noun(text: str) -> str:
    found = PEOPLE_RE.search(text) or _TOPIC_WORDS.search(text)
    if found:
        return found.group(0).lower()
    for match in re.finditer(r"\b[A-Z][\w-]+s\b", text):
        if match.group(0).lower() in _DEMONYMS:
            return match.group(0)
    if find_cues(text):
        return "people"
    return ""


def _topic_noun_strict(text: str) -> bool:
    return bool(PEOPLE_RE.search(text))


def _noun_less_count(text: str, mention: NumberMention, topic: Callable[[], str], previous_counted: bool, known_topic: bool = False) -> bool:
    """A figure without its own noun counts people only in a sentence about people, and only as
    the subject of a verb about people ("760 have returned"), a list item after a counted figure
    ("..., 400 to the United Kingdom"), or an amount ("put the number of fighters at 2,000",
    "fighters from Algeria numbered 2,000", "the estimate has risen to almost 4,000")."""
    if _amount_subject(text, mention, topic, known_topic):
        return True
    if not topic():
        return False
    after = text[mention.end :]
    before = text[: mention.start]
    word = next_word(after)
    stripped = after.lstrip(" \"'‘’“”")
    verb_next = bool(word) and any(c.start <= 3 for c in find_cues(stripped[:40]))
    if word and not verb_next and word not in _CONTINUATION_WORDS and not stripped.startswith((",", ";", ":", ".", ")", "(")):
        return False
    if verb_next:
        return True  # "with 129 travelling to join the fight"
    clause = clause_after(text, mention.end, len(text))
    if find_cues(clause[:60]) and word in _CONTINUATION_WORDS - {"of", "and", "or", "the", "at", "for", "as", "with"}:
        return True  # the subject of a verb about people
    if previous_counted and re.search(r"(?:,|\band|;|:)\s*(?:[a-z]+\s+){0,4}$", before):
        return True  # a list item
    if _number_of(before) or _the_number(before) or re.search(r"\bat\s+$", before) and re.search(r"\b(?:number|total|put|estimated?)\b", before, re.I):
        return True
    return bool(_ANAPHORIC_OPENER.search(before))


def _amount_subject(text: str, mention: NumberMention, topic: Callable[[], str], known_topic: bool) -> tuple[int, int] | None:
    """Span of the subject when the figure is what a number of people amounts to:
    'fighters from Algeria numbered 2,000', 'the total was 900', 'the estimate has risen to 4,000'."""
    head = text[: mention.qualifier_start if mention.qualifier_start >= 0 else mention.start]
    offset = max(0, len(head) - 60)
    amount = _AMOUNT_BEFORE.search(head, offset) or _trajectory(head)
    if not amount or not re.match(r"^\s*(?:$|[,;.)]|\b(?:in|by|as|at|for|from|and|or|while|according|last|this|each)\b)", text[mention.end :]):
        return None
    subject = clause_before(text, amount.start(), 0)
    span = (amount.start() - len(subject), amount.start())
    counted = _AMOUNT_SUBJECT.search(subject)
    if amount.re is _AMOUNT_BEFORE and amount.group("copula"):
        return span if counted and (topic() or known_topic) else None
    if amount.re is _AMOUNT_BEFORE and amount.group("put"):  # "a UN report put the total at over 40,000"
        return span if topic() or known_topic else None
    if amount.re is _AMOUNT_BEFORE and amount.group("supply"):  # "Russia supplied about 3,400"
        return span if (topic() or known_topic) and find_places(subject) else None
    if PEOPLE_RE.search(subject) or _plural_demonym(subject) or counted and (topic() or known_topic):
        return span
    return None


def _trajectory(head: str) -> re.Match[str] | None:
    """'grew from 6,000 in 2013 to 20,000 by 2015': the verb of a figure that is a step of a trajectory."""
    verbs = list(_TRAJECTORY.finditer(head))
    if not verbs:
        return None
    verb = verbs[-1]
    rest = head[verb.end() :]
    if re.fullmatch(r"[:\s]*(?:\w+\s+){0,2}?from\s+", rest) or re.search(r"\bfrom\s+\S*\d", rest) and re.search(r"\bto\s+$", rest):
        return verb
    return None


def _plural_demonym(text: str) -> bool:
    return any(m.group(0).lower() in _DEMONYMS for m in re.finditer(r"\b[A-Z][\w-]+s\b", text))


def _percentage(text: str, mentions: list[NumberMention], i: int, counts: list[_Count]) -> _Count | None:
    """A share of a stated total: 'Ten percent of the 3,417 Russians', 'half of the Russians',
    'a quarter of them' (the total stated just before)."""
    mention = mentions[i]
    after = text[mention.end :]
    of = _SHARE_OF.match(after)
    verb = re.match(rf"\s*(?:%|percent\b|per\s+cent\b|pct\b)?{SHARE_VERB}", after, re.I)
    if verb and (mention.ratio is not None or verb.group(0).strip()[:1] in "%p"):
        count = _Count(mention, fraction=mention.ratio if mention.ratio is not None else mention.value / 100, anaphoric_total=True, noun="people")
        count.np_end = mention.end + len(re.match(r"\s*(?:%|percent|per\s+cent|pct)?", after, re.I).group(0))
        return count  # "..., of whom about half have returned", "around a third have returned"
    if not of or (mention.ratio is None and not of.group("unit")):
        return None
    count = _Count(mention, fraction=mention.ratio if mention.ratio is not None else mention.value / 100)
    rest = after[of.end() :]
    count.np_end = mention.end + of.end()
    whole = _ANAPHORIC_WHOLE.match(rest)
    if whole:  # "of them", "of those who left", "of the total"
        count.anaphoric_total = True
        count.noun = "people"
        count.np_end += whole.end()
        return count
    determiner = re.match(r"(?:the|these|those|all|its|their)\s+", rest, re.I)
    if determiner:
        rest = rest[determiner.end() :]
        count.np_end += determiner.end()
    noun = people_noun_after(" " + rest)
    demonym = _demonym_after(" " + rest)
    if noun:
        count.noun, count.population = noun.noun, noun.population
    elif demonym:
        count.noun, count.population = demonym[0], "fighters"
    elif i + 1 < len(mentions) and 0 <= mentions[i + 1].start - count.np_end < 20:
        count.derived_total = len(counts) + 1  # the next count in this sentence
        count.noun = "people"
    else:
        return None
    np_length = noun.end - 1 if noun else demonym[1] - 1 if demonym else 0
    whole_places = find_places(rest[:np_length]) if np_length else []
    count.whole_code = join_codes([p.code for p in whole_places]) if whole_places else ""
    count.np_end += np_length
    if not whole_places and _part_has_predicate(text, count):  # "Tunisians made up 15 percent of the foreign fighters"
        count.whole_code = "*"
        subject = PEOPLE_RE.search(clause_before(text, mention.start, 0))
        count.population = PEOPLE_NOUNS[subject.group(0).lower()] if subject else None
    return count


def _link_partitives(text: str, counts: list[_Count]) -> None:
    for index, count in enumerate(counts):
        before = text[: count.mention.start]
        if _PARTITIVE_WHOLE.search(before[-40:]):
            count.is_whole = True
            if index > 0:
                previous = counts[index - 1]
                gap = text[previous.mention.end : count.mention.start]
                if re.fullmatch(r"\s*(?:%|percent|per\s+cent)?\s+(?:of\s+)?(?:the|these|those|an|its|their)?\s*(?:estimated|approximately|about|some|roughly|around)?\s*", gap, re.I) and (
                    "of" in gap.lower() or previous.mention.ratio is not None
                ):
                    previous.whole_of = index
                    if previous.derived_total is None and previous.fraction is not None:
                        previous.derived_total = index
            if count.noun and index > 0 and counts[index - 1].whole_of == index and not counts[index - 1].noun:
                counts[index - 1].noun, counts[index - 1].population = count.noun, count.population


# --- measure ---------------------------------------------------------------------------------


_PARTICIPLE = re.compile(
    r"^\s*(?=(?:arrested|held|detained|jailed|imprisoned|captured|charged|convicted|prosecuted|sentenced|killed|repatriated|"
    r"returned|stopped|intercepted|identified|believed|thought|known|registered|recorded|tracked)\b)",
    re.I,
)
_MAIN_VERB = re.compile(r"\s(?:are|is|were|was|have|has|had|remain\w*|will|now)\s")
_SHARE_VERB = re.compile(r"\b(?:make\s+up|made\s+up|makes\s+up|account(?:s|ed)?\s+for|represent(?:s|ed)?|comprise[ds]?|constitute[ds]?|are|were|is|was)\s+(?:\w+\s+)?$", re.I)


def _relative_clause(text: str, start: int, stop: int, reduced: bool = False) -> str:
    """The relative clause right after a whole ('who went to join ISIS ...'), up to the main verb.

    A reduced relative ('the 153 people arrested in ...') counts only when a main verb
    follows it or `reduced` says the sentence's predicate came before the whole."""
    segment = clause_after(text, start, stop)
    opener = re.match(r"^\s*(?:who|that|which)\s+(?:(?:have|has|had|are|were|is|was|been|being)\s+)*", segment, re.I)
    if not opener:
        opener = _PARTICIPLE.match(segment)
        if not opener or not (reduced or _MAIN_VERB.search(segment)):
            return ""
    main = _MAIN_VERB.search(segment[opener.end() :])
    return segment[: opener.end() + main.start()] if main else segment


def _assign_measure(text: str, counts: list[_Count], index: int, previous: list[Claim]) -> None:
    count = counts[index]
    mention = count.mention
    stop = counts[index + 1].mention.start if index + 1 < len(counts) and counts[index + 1].whole_of is None else len(text)
    if count.whole_of is not None:  # the part of "N of the M X ...": the predicate after the whole's phrase
        whole = counts[count.whole_of]
        rel = _relative_clause(text, whole.np_end, len(text), _part_has_predicate(text, count))
        post = clause_after(text, whole.np_end + len(rel), len(text))
        prev_end = counts[index - 1].np_end if index > 0 else 0
        pre = clause_before(text, mention.qualifier_start if mention.qualifier_start >= 0 else mention.start, min(prev_end, mention.start))[-60:]
        count.noun = count.noun or whole.noun
        count.population = count.population or whole.population
    elif count.is_whole:
        part = next((c for c in counts if c.whole_of == index), None)
        post = _relative_clause(text, count.np_end, len(text), part is not None and _part_has_predicate(text, part))
        pre = ""
    else:
        post = clause_after(text, count.np_end, stop)
        prev_end = counts[index - 1].np_end if index > 0 and counts[index - 1].whole_of is None else 0
        pre = clause_before(text, mention.start, min(prev_end, mention.start))[-60:]
    if not count.noun and (index > 0 or previous) and _the_number(text[: mention.start]):
        earlier = counts[index - 1] if index > 0 else None  # "600 had left by 2015; by 2017 the number had increased to 1,200"
        count.measure = earlier.measure if earlier else previous[-1].measure
        count.population = count.population or (earlier.population if earlier else previous[-1].population)
        return
    number_of = _number_of(text[: mention.start]) if not count.noun else None
    if number_of:
        np = number_of.group("np")
        noun = next((n for n in _NOUNS_LONGEST_FIRST if _NOUN_WORD[n].search(np)), "")
        count.noun, count.population = noun, PEOPLE_NOUNS.get(noun)
        pre = np
    cues = find_cues(post)
    count.hypothetical = any(c.hypothetical for c in cues if c.main or c is cues[0])
    if count.noun and count.noun.lower() in INHERENT_MEASURE and not any(c.main for c in cues):
        inherent = INHERENT_MEASURE[count.noun.lower()]
        if inherent != "returned" or not cues:
            cues = [c for c in cues if c.main]
    measure = choose_measure([c for c in cues if c.main])
    object_of = _OBJECT_OF_CUE.search(text[max(0, mention.start - 60) : mention.qualifier_start if mention.qualifier_start >= 0 else mention.start])
    if measure is None and object_of:
        measure = choose_measure(find_cues(object_of.group(0)))  # "Iraqi jails held 17,000 people charged with ...": the verb before
    if measure is None and cues and _ADVERB_ONLY.fullmatch(post[: cues[0].start]):
        measure = choose_measure(cues[:1])  # the verb right after the counted people is their predicate
    if measure is None:
        pre_cues = find_cues(pre)
        measure = choose_measure(pre_cues[-1:]) if pre_cues else None
    if measure is None:
        measure = choose_measure(cues)
    count.cued = measure is not None
    if measure is None and count.noun.lower() in INHERENT_MEASURE:
        measure = INHERENT_MEASURE[count.noun.lower()]
    if measure is None and count.whole_of is not None:
        measure = counts[count.whole_of].measure or None
    if not count.noun and index > 0 and counts[index - 1].population == "returnees" and count.whole_of is None:
        count.population = "returnees"  # "12 returnees ..., with nine being charged"
    if measure is None and index > 0 and not count.is_whole and counts[index - 1].measure:
        measure = counts[index - 1].measure
        count.population = count.population or counts[index - 1].population
    if measure is None and previous:
        measure = previous[-1].measure
    count.measure = measure or ""  # filled by the place step's default when still empty
    reference = counts[count.whole_of] if count.whole_of is not None else counts[index - 1] if index > 0 else None
    predicate = _PREDICATE_PEOPLE.search(post) if count.population is None or count.fraction is not None else None
    if predicate:  # "300 of those who left were women", "200 were minors"
        count.population = PEOPLE_NOUNS.get(predicate.group(1).lower())
    came_back = reference is not None and (reference.measure == "returned" or reference.population == "returnees")
    if count.measure in _RETURNEE_MEASURES and count.population in (None, "fighters") and (came_back or _ON_RETURN.search(post)):  # "300 were jailed on return"
        count.population = "returnees"  # "of 800 Britons who had come home, 400 could not be accounted for"


def _part_has_predicate(text: str, part: _Count) -> bool:
    """'... make up a third of the 153 people arrested': the part's verb comes before it."""
    start = part.mention.qualifier_start if part.mention.qualifier_start >= 0 else part.mention.start
    return bool(_SHARE_VERB.search(text[max(0, start - 40) : start]))


# --- place -----------------------------------------------------------------------------------


def _assign_place(
    text: str, counts: list[_Count], index: int, places: list[PlaceMention], state: _DocumentState, previous: list[Claim], continued: list[Claim]
) -> None:
    """Country and place role: origin (where people come from), location (where they are), destination.

    `previous` are the claims an anaphoric sentence refers to ("Of these, ..."); `continued` those of
    the paragraph's last sentence with figures, which a figure without noun or place continues
    ("... 64 Americans. At least 50 more were stopped.")."""
    count = counts[index]
    mention = count.mention
    stop = counts[index + 1].mention.start if index + 1 < len(counts) else len(text)
    post = clause_after(text, count.np_end, stop)
    own_part = index > 0 and counts[index - 1].whole_of == index  # "at least 400 of the 800": one noun phrase
    prev_end = 0
    if index > 0 and not own_part:  # places in the previous figure's clause are its own
        before = counts[index - 1]
        prev_end = min(before.np_end + len(clause_after(text, before.np_end, mention.start)), mention.start)
    pre = clause_before(text, mention.start, prev_end)
    if _RELATIVE_OPENER.match(pre):  # "the US – which has 272 affiliates": reach back to the antecedent
        pre = clause_before(text, mention.start - len(pre) - 3, 0)[-40:] + text[mention.start - len(pre) - 3 : mention.start]
    counted = [p for p in places if not SOURCE_PLACE_AFTER.match(text[p.end : p.end + 20])]
    in_np = [p for p in counted if mention.end <= p.start < count.np_end or count.subject and count.subject[0] <= p.start < count.subject[1]]
    origin = [p.code for p in in_np if p.demonym or not p.city and mention.end <= p.start < count.np_end]  # "120 U.S. citizens"
    count.region = next((REGIONS[p.text.lower()] for p in in_np if p.text.lower() in REGIONS), "")
    if not origin and count.whole_of is not None and counts[count.whole_of].country:
        whole = counts[count.whole_of]
        count.country, count.role = whole.country, whole.role
        _default_measure(count)
        return
    respectively = _respectively_place(text, counts, index, counted)
    if respectively and not origin:
        origin.append(respectively)
    roles: dict[str, list[str]] = {"origin": origin, "location": [], "destination": []}
    after = [p for p in counted if count.np_end <= p.start < count.np_end + len(post)]
    for place, role in coordinated_roles(text, after, lambda p: role_after(text, p, count.measure)):
        roles[role].append(place.code)
    label = label_place(text, counted)
    if label and not origin:
        origin.append(label)  # "- Russia: six fighters were killed in Syria": the line is about Russians
    world = _WORLD_SCOPE.search(text[mention.start : count.np_end + len(post)])
    if not origin and world:
        origin.append("WORLD")
    if not origin:
        before = [p for p in counted if p.end <= mention.start and p.start >= mention.start - len(pre)]
        for place, role in coordinated_roles(text, before, lambda p: role_before(text, p, pre, mention.start, count.measure)):
            roles[role].append(place.code)
    location, destination = roles["location"], roles["destination"]
    if not origin:
        the_country = _THE_COUNTRY.search(text[max(0, mention.start - 40) : count.np_end + len(post)])
        if the_country and state.recent_place():
            target = origin if the_country.group(0).lower().startswith(("from", "of")) else destination
            target.append(state.recent_place())
    if not (origin or location or destination):
        speaker = [p.code for p in places if p not in counted and p.start >= mention.start - len(pre) and p.end <= mention.start]
        if speaker:  # "the Saudi authorities report 760 returns": a country's own count of its people
            origin.append(speaker[-1])
    if not origin and (its := its_people_place(text, counted, mention.end, count.np_end)):
        origin.append(its)
    if not (origin or location or destination) and count.measure == "detained" and (holder := holder_place(text)):
        location.append(holder)  # "5,904 foreign fighters are being held by the SDF"
    if not (origin or location or destination):
        for place, role in with_antecedent(text, counted, prev_end, mention.start, count.measure):
            roles[role].append(place.code)  # "Belgium had the highest rate, with some 470 fighters"
    definite = bool(continued) and bool(_DEFINITE_BEFORE.search(text[: mention.start])) and mention.value <= continued[-1].value  # "The four men"
    if continued and not previous and (not count.noun or definite) and index == 0 and not origin and all(c in THEATRE for c in location + destination):
        previous = continued  # "... 300 Americans. Court files list 64 who got to Syria."
        location, destination = [], []
    if not (origin or location or destination):
        if previous:
            count.country, count.role, count.region = previous[-1].country, previous[-1].place_role, previous[-1].region
        elif index > 0 and counts[index - 1].country:
            count.country, count.role = counts[index - 1].country, counts[index - 1].role
            count.region = count.region or counts[index - 1].region
        _number_of_place(text, count, places)
    if not count.country:
        count.country, count.role = _choose_place(count, origin, location, destination, counts, index, state)
    if not count.region:  # "Figures for Chechen militants were 450 ... and 600": the region named in the clause
        span = (mention.start - len(pre), count.np_end + len(post))
        count.region = next((REGIONS[p.text.lower()] for p in counted if span[0] <= p.start < span[1] and p.code == count.country and p.text.lower() in REGIONS), "")
    _default_measure(count)


def _choose_place(count: _Count, origin: list[str], location: list[str], destination: list[str], counts: list[_Count], index: int, state: _DocumentState) -> tuple[str, str]:
    if origin:
        return join_codes(origin), "origin"
    if count.measure in FLOW_MEASURES:
        outside = [c for c in destination + location if c not in THEATRE]
        if outside:
            return join_codes(outside), "origin" if count.measure == "returned" else "destination"
        return "WORLD", "origin"
    chosen = location or destination
    if chosen:
        return join_codes(chosen), "location"
    if index > 0 and counts[index - 1].country:
        return counts[index - 1].country, counts[index - 1].role
    if not count.measure:
        return "WORLD", "origin"
    return (state.recent_place(), "location") if state.recent_place() else ("WORLD", "location")


def _number_of_place(text: str, count: _Count, places: list[PlaceMention]) -> None:
    """'the number of Russian fighters active in Iraq and Syria at 4,000': read the noun phrase before."""
    match = _number_of(text[: count.mention.start])
    if not match:
        return
    np_start = match.start("np")
    np_places = [p for p in places if np_start <= p.start < match.end("np")]
    demonyms = [p.code for p in np_places if p.demonym]
    if count.country:
        pass  # the place came with the figure before ("from 6,000 in 2013 to 20,000 in 2015")
    elif demonyms:
        count.country, count.role = join_codes(demonyms), "origin"
        if count.measure == "active" and not re.search(r"\bstill\b", match.group("np"), re.I):
            count.measure = "departed"
    elif np_places:
        count.country, count.role = join_codes([p.code for p in np_places]), "location"
    noun = next((n for n in PEOPLE_NOUNS if _NOUN_WORD[n].search(match.group("np"))), "")
    if noun:
        count.noun = count.noun or noun
        count.population = count.population or PEOPLE_NOUNS[noun]
    if not count.measure:
        cue = choose_measure(find_cues(match.group("np")))
        count.measure = cue or ""


def _respectively_place(text: str, counts: list[_Count], index: int, places: list[PlaceMention]) -> str:
    if not _RESPECTIVELY.search(text[counts[index].mention.start :]):
        return ""
    group = [i for i, c in enumerate(counts) if _RESPECTIVELY.search(text[c.mention.start :])]
    before = [p for p in places if p.end <= counts[group[0]].mention.start and not p.demonym]
    if len(before) < len(group):
        return ""
    chosen = before[-len(group) :]
    return chosen[group.index(index)].code


def _default_measure(count: _Count) -> None:
    if count.measure:
        if count.measure == "active" and count.role == "origin" and count.country not in {"WORLD", ""}:
            count.measure = "departed"  # nationals counted in the theatre are departures
        return
    if count.role == "location" and count.country not in THEATRE | {"WORLD"} or count.role == "location":
        count.measure = "active"
    else:
        count.measure = "departed"


# --- date ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _SentenceDates:
    """The dates of a sentence, with what the figures' dates depend on (read once per sentence)."""

    dates: list[DateMention]
    background: list[tuple[int, int, bool]]  # see `background_spans`
    comparisons: frozenset[DateMention]  # dates of figures named for comparison

    @classmethod
    def read(cls, text: str, dates: list[DateMention]) -> _SentenceDates:
        """What `text`, whose dates are `dates`, says about them."""
        if not dates:
            return cls(dates, [], frozenset())
        return cls(dates, background_spans(text), frozenset(d for d in dates if is_comparison_date(text, d)))


def _assign_date(text: str, counts: list[_Count], index: int, sentence_dates: _SentenceDates, document_date: str) -> str:
    """The date of a figure: one in its own clause first (after it, then before it), else the
    sentence's; dates of background clauses and of figures named for comparison never count."""
    count = counts[index]
    mention = count.mention
    dates = _own_dates(text, count, sentence_dates)
    next_start = counts[index + 1].mention.start if index + 1 < len(counts) else len(text)
    prev_end = counts[index - 1].mention.end if index > 0 else 0
    after = [d for d in dates if mention.end <= d.start < next_start and not CLAUSE_BREAK.search(text[mention.end : d.start])]
    if after:
        return after[0].value
    before = [d for d in dates if prev_end <= d.start and d.end <= mention.start]
    if before:
        return before[-1].value
    if dates and index > 0 and counts[index - 1].as_of:
        return counts[index - 1].as_of
    earlier = [d for d in dates if d.end <= mention.start]
    if earlier:
        return earlier[-1].value
    return dates[0].value if dates else document_date


def _own_dates(text: str, count: _Count, sentence_dates: _SentenceDates) -> list[DateMention]:
    """Dates that can belong to the figure: not inside a background clause that leaves the figure
    out ('the group, which declared its caliphate in 2014, still holds 3,000'), nor a comparison."""
    dates = sentence_dates.dates
    if not dates:
        return dates
    start, end = count.mention.start, max(count.mention.end, count.np_end)
    spans = [
        (a, b)
        for a, b, people in sentence_dates.background
        if not a <= start < b and not (people and (a >= end and not CLAUSE_BREAK.search(text[end:a]) or b <= start and "," not in text[b:start]))
    ]
    own = [d for d in dates if not any(a <= d.start < b for a, b in spans) and d not in sentence_dates.comparisons]
    stated = [d for d in own if not d.since]
    return stated or own  # "estimated in 2017 that 300 had left since 2012": the estimate's date


# --- claims ----------------------------------------------------------------------------------


def _to_claims(state: _DocumentState, sentence: Sentence, counts: list[_Count], sources: list[str]) -> list[Claim]:
    doc = state.document
    claims: list[Claim] = []
    quote = " ".join(doc.text[sentence.start : sentence.end].split())
    by_index: dict[int, Claim] = {}
    for index, count in enumerate(counts):
        m = count.mention
        population = population_for(count.population, count.measure, doc.text[sentence.start + m.end : sentence.end])
        if count.population == "returnees" and count.measure != "returned":
            population = "returnees"
        claim = Claim(
            source_file=doc.source_file,
            start=sentence.start + m.start,
            end=sentence.start + m.end,
            mention=doc.text[sentence.start + m.start : sentence.start + m.end],
            quote=quote,
            value=m.value,
            low=m.low,
            high=m.high,
            qualifier=m.qualifier,
            measure=count.measure or "other",
            population=population,
            country=count.country,
            place_role=count.role or ("origin" if count.country else ""),
            as_of=count.as_of,
            attributed_to=sources[index],
            region=count.region,
            quote_start=sentence.start,
            quote_end=sentence.end,
        )
        if count.fraction is not None:
            claim = replace(claim, unit="percent")
        by_index[index] = claim
    for index, count in enumerate(counts):
        claim = by_index[index]
        if count.hypothetical:
            continue
        if count.fraction is None:
            claims.append(claim)
            continue
        total = _total_for(state, counts, by_index, index)
        if total is not None and claim.country in {"", "WORLD"} and count.whole_code != "*":
            claim = replace(claim, country=total.country, place_role=total.place_role, region=claim.region or total.region)
        if total is not None and not count.cued and count.whole_of is None:
            claim = replace(claim, measure=total.measure)  # "one in five of the total were Europeans": the total's measure
        claims.append(replace(claim, derived_from=total.iri if total else ""))
        if total is not None:
            claims.append(_derived_count(claim, count, total))
    return claims


def _total_for(state: _DocumentState, counts: list[_Count], by_index: dict[int, Claim], index: int) -> Claim | None:
    """The stated total a share is taken of: the figure it names, the last figure before it
    ("a quarter of them"), or the document's earlier count of the same people ("of the Russians")."""
    count = counts[index]
    if count.derived_total is not None:
        return by_index.get(count.derived_total)
    if count.anaphoric_total:
        for j in range(index - 1, -1, -1):
            if counts[j].fraction is None and not counts[j].hypothetical:
                return by_index[j]
        persons = [c for c in state.last_claims if c.unit == "persons" and not c.derived_from]
        return persons[-1] if persons else None
    return _total_in_document(state, by_index[index], count)


def _total_in_document(state: _DocumentState, claim: Claim, count: _Count) -> Claim | None:
    """The earlier count of the people a share names ('20 percent of the Belgians'); a share of
    people in general ('Tunisians made up 15 percent of the foreign fighters') takes a world total."""
    codes = {"WORLD", ""} if count.whole_code == "*" else {count.whole_code or _DEMONYMS.get(count.noun.lower(), "") or claim.country}
    if codes & {"EU", "EUROPE"}:
        codes |= {"EU", "EUROPE"}  # "half of the European foreign fighters": Europe's count is mostly the EU's
    for earlier in reversed(state.claims):
        if earlier.unit == "persons" and earlier.country in codes and earlier.measure in {"departed", "returned", "detained"} and not earlier.derived_from:
            return earlier
    return None


def _derived_count(percent: Claim, count: _Count, total: Claim) -> Claim:
    """The count a share of a total stands for: 'half of the 850' → 425 (bounds and qualifier follow the share)."""
    ratio = count.fraction or Decimal(0)

    def share_of(bound: Decimal | None) -> Decimal | None:
        if bound is None:
            return None
        factor = ratio if bound == percent.value else bound / 100
        return (total.value * factor).quantize(Decimal(1), rounding=ROUND_HALF_UP)

    value = share_of(percent.value) or Decimal(0)
    exact = percent.qualifier == "exact" and total.qualifier == "exact" and value == total.value * ratio
    qualifier = percent.qualifier if percent.qualifier not in {"exact", "approximately"} else ("exact" if exact else "approximately")
    return replace(
        percent,
        value=value,
        low=share_of(percent.low),
        high=share_of(percent.high),
        qualifier=qualifier,
        unit="persons",
        country=percent.country if percent.country not in {"", "WORLD"} else total.country,
        place_role=percent.place_role or total.place_role,
        population=total.population if percent.population == "fighters" and count.whole_code != "*" else percent.population,
        derived_from=total.iri,
    )
