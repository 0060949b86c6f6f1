"""Synthetic corpora for scale tests: documents with planted figures and their ground truth.

A seeded *world* holds the true figures (how many fighters from each country
travelled, returned, were charged, killed or detained, how many are still
active in each theatre, by year, for fighters, women and children). Each
document is written by one publisher on one date and reports a few of those
figures in varied styles (news copy, report bullets, quotes), with number
words, ranges and qualifiers, attributions and dates, and with numbers that
are *not* claims (years, ages, page, resolution and phone numbers).

Popular figures are cited by many documents (copies of one source), and a
share of the figures is deliberately wrong (far outside any tolerance), so
the reconciler has conflicts to find.

Everything is deterministic for a seed: document ``i`` depends only on the
seed and ``i`` (a corpus of 1,000 documents is the first 1,000 of a corpus of
100,000). The ground truth goes to ``DIR/.synth/`` (the loader skips dot
folders), never into a file the loader reads as a document.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import itertools
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from claimgraph.extract.numbers import TENS, UNITS
from claimgraph.model import Claim, Document

TRUTH_DIR = ".synth"
CLAIMS_FILE = "planted_claims.csv"
NOISE_FILE = "planted_noise.csv"
DOCS_PER_FOLDER = 1000
CONFLICT_RATE = 0.03  # share of figures written deliberately wrong
YEARS = tuple(range(2013, 2021))
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")
TRUTH_COLUMNS = (
    "file", "start", "end", "mention", "value", "low", "high", "qualifier", "measure", "population", "country",
    "as_of", "attributed_to", "fact", "planted", "style",
)  # fmt: skip
NOISE_COLUMNS = ("file", "start", "end", "mention", "kind")


@dataclass(frozen=True)
class Country:
    """A country people leave from: ISO code, name, adjective and plural demonym ("Belgians")."""

    code: str
    name: str
    adjective: str
    people: str


ORIGINS = tuple(
    Country(*row.split("|"))
    for row in (
        "TN|Tunisia|Tunisian|Tunisians", "FR|France|French|French nationals", "RU|Russia|Russian|Russians",
        "SA|Saudi Arabia|Saudi Arabian|Saudis", "JO|Jordan|Jordanian|Jordanians", "TR|Turkey|Turkish|Turks",
        "MA|Morocco|Moroccan|Moroccans", "DE|Germany|German|Germans", "GB|the United Kingdom|British|Britons",
        "UZ|Uzbekistan|Uzbek|Uzbeks", "BE|Belgium|Belgian|Belgians", "EG|Egypt|Egyptian|Egyptians",
        "TJ|Tajikistan|Tajik|Tajiks", "KZ|Kazakhstan|Kazakh|Kazakhs", "AZ|Azerbaijan|Azerbaijani|Azerbaijanis",
        "ID|Indonesia|Indonesian|Indonesians", "NL|the Netherlands|Dutch|Dutch nationals", "SE|Sweden|Swedish|Swedes",
        "AT|Austria|Austrian|Austrians", "LB|Lebanon|Lebanese|Lebanese nationals", "DZ|Algeria|Algerian|Algerians",
        "XK|Kosovo|Kosovar|Kosovars", "BA|Bosnia and Herzegovina|Bosnian|Bosnians", "DK|Denmark|Danish|Danes",
        "AU|Australia|Australian|Australians", "CA|Canada|Canadian|Canadians", "US|the United States|American|Americans",
        "ES|Spain|Spanish|Spaniards", "IT|Italy|Italian|Italians", "NO|Norway|Norwegian|Norwegians",
        "FI|Finland|Finnish|Finnish nationals", "AL|Albania|Albanian|Albanians", "PK|Pakistan|Pakistani|Pakistanis",
        "MY|Malaysia|Malaysian|Malaysians", "KG|Kyrgyzstan|Kyrgyz|Kyrgyz nationals", "CH|Switzerland|Swiss|Swiss nationals",
    )  # fmt: skip
)
_ORIGIN = {o.code: o for o in ORIGINS}
THEATRES = (("SY", "Syria"), ("IQ", "Iraq"), ("LY", "Libya"), ("AF", "Afghanistan"), ("SO", "Somalia"), ("YE", "Yemen"))
# Organisations credited with figures: (as written, canonical name the extractor gives).
SOURCES = (
    ("the Soufan Center", "Soufan Center"),
    ("the International Centre for the Study of Radicalisation", "International Centre for the Study of Radicalisation"),
    ("the United Nations", "United Nations"),
    ("Europol", "Europol"),
    ("the Institute for the Study of War", "Institute for the Study of War"),
    ("the Egmont Institute", "Egmont Institute"),
    ("the Washington Institute for Near East Policy", "Washington Institute for Near East Policy"),
    ("the Combating Terrorism Center", "Combating Terrorism Center"),
    ("the International Crisis Group", "International Crisis Group"),
    ("the Nordic Security Institute", "Nordic Security Institute"),
    ("the Centre for Conflict Analysis", "Centre for Conflict Analysis"),
    ("the Mediterranean Observatory on Extremism", "Mediterranean Observatory on Extremism"),
)
PUBLISHERS = (
    ("The Northern Ledger", "news article"), ("Harbour Post", "news article"), ("Capital Wire", "news article"),
    ("Policy Review Weekly", "analysis"), ("Centre for Conflict Analysis", "report"), ("Nordic Security Institute", "report"),
    ("Evening Courier", "news article"), ("Global Affairs Monitor", "analysis"),
)  # fmt: skip
CITIES = {"TN": "Tunis", "FR": "Paris", "DE": "Berlin", "GB": "London", "BE": "Brussels", "RU": "Moscow", "SE": "Stockholm"}
MEASURE_WEIGHTS = {"departed": 40, "returned": 22, "charged": 8, "killed": 8, "detained": 10, "active": 12}
POPULATION_WEIGHTS = {"fighters": 75, "women": 13, "children": 12}
MEASURES_OF = {
    "fighters": ("departed", "returned", "charged", "killed", "detained", "active"),
    "women": ("departed", "returned", "detained"),
    "children": ("departed", "returned", "detained"),
}


@dataclass(frozen=True)
class Fact:
    """One true figure of the synthetic world."""

    id: int
    measure: str
    population: str
    country: str  # ISO code: where people come from, or the theatre for `active`
    year: int
    value: int
    source: int = 0  # index in SOURCES of the organisation that published the figure


@dataclass
class World:
    """The true figures of a seed, and how often documents cite each."""

    facts: list[Fact]
    cumulative_weights: list[float]
    by_key: dict[tuple[str, str, str, int], Fact] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_key = {(f.measure, f.population, f.country, f.year): f for f in self.facts}

    @classmethod
    def from_seed(cls, seed: int) -> World:
        """The world of `seed`: every (measure, population, country, year) figure, with Zipf-like popularity."""
        rng = random.Random(f"claimgraph-world:{seed}")
        facts: list[Fact] = []
        weights: list[float] = []
        for rank, origin in enumerate(ORIGINS, start=1):
            total = int(rng.lognormvariate(math.log(4000 / rank**0.9), 0.4)) + 20
            midpoint = rng.uniform(2014.5, 2016.5)
            shares = {"women": rng.uniform(0.08, 0.2), "children": rng.uniform(0.06, 0.25)}
            ratios = {"returned": rng.uniform(0.1, 0.45), "charged": rng.uniform(0.1, 0.4), "killed": rng.uniform(0.08, 0.3),
                      "detained": rng.uniform(0.05, 0.25)}  # fmt: skip
            for population in ("fighters", "women", "children"):
                scale = 1.0 if population == "fighters" else shares[population]
                for year in YEARS:
                    grown = total * scale / (1 + math.exp(-(year - midpoint) * 1.4))
                    values = {"departed": grown, "returned": grown * ratios["returned"] * (year - 2012) / 8}
                    values["charged"] = values["returned"] * ratios["charged"]
                    values["killed"] = grown * ratios["killed"]
                    values["detained"] = grown * ratios["detained"] * (1.5 if year >= 2018 else 0.7)
                    for measure in MEASURES_OF[population]:
                        if measure == "active" or round(values[measure]) < 3:
                            continue
                        popularity = 1 / rank**1.1 * MEASURE_WEIGHTS[measure] * POPULATION_WEIGHTS[population] * (1 + (year - 2012) / 4)
                        facts.append(Fact(len(facts), measure, population, origin.code, year, round(values[measure]), rng.randrange(len(SOURCES))))
                        weights.append(popularity)
        for rank, (code, _) in enumerate(THEATRES, start=1):
            peak = rng.uniform(3000, 30000) / rank
            for year in YEARS:
                value = round(peak * math.exp(-((year - 2015.5) ** 2) / 6))
                facts.append(Fact(len(facts), "active", "fighters", code, year, max(value, 50), rng.randrange(len(SOURCES))))
                weights.append(MEASURE_WEIGHTS["active"] * POPULATION_WEIGHTS["fighters"] / rank * 4)
        return cls(facts, list(itertools.accumulate(weights)))

    def pick(self, rng: random.Random, until_year: int) -> Fact:
        """A fact cited by a document written in `until_year` (popular facts more often)."""
        fact = self.facts[bisect.bisect_left(self.cumulative_weights, rng.random() * self.cumulative_weights[-1])]
        if fact.year <= until_year:
            return fact
        return self.by_key.get((fact.measure, fact.population, fact.country, until_year), fact)


# --- numbers as written ----------------------------------------------------------------------

_UNIT_WORDS = {v: k for k, v in UNITS.items()}
_TEN_WORDS = {v: k for k, v in TENS.items()}


def number_words(value: int) -> str:
    """English words for 0–99 ("seventy-two")."""
    if value < 20:
        return _UNIT_WORDS[value]
    tens, units = divmod(value, 10)
    return _TEN_WORDS[tens * 10] + (f"-{_UNIT_WORDS[units]}" if units else "")


def round_to(value: float, digits: int = 2, how: str = "nearest") -> int:
    """`value` to `digits` significant digits, rounded to nearest, "down" or "up"."""
    if value < 10**digits:
        return max(1, round(value)) if how == "nearest" else max(1, (math.floor if how == "down" else math.ceil)(value))
    step = 10 ** (int(math.log10(value)) + 1 - digits)
    op = {"nearest": round, "down": math.floor, "up": math.ceil}[how]
    return int(op(value / step) * step)


def digits(value: int) -> str:
    """Digits with thousands commas ("5,600")."""
    return f"{value:,}"


@dataclass(frozen=True)
class Figure:
    """How a figure is written: qualifier words, the mention text, and the interval it states."""

    lead: str  # qualifier words before the mention ("about ", "between ")
    mention: str
    value: Decimal
    low: Decimal | None
    high: Decimal | None
    qualifier: str


QUALIFIER_WORDS = {
    "approximately": ("about ", "around ", "some ", "roughly ", "an estimated ", "approximately "),
    "at_least": ("at least ", "no fewer than "),
    "more_than": ("more than ", "over "),
    "at_most": ("up to ", "as many as "),
    "less_than": ("fewer than ",),
}


def write_figure(rng: random.Random, value: int, bounded: bool = False, words_ok: bool = False) -> Figure:
    """A true `value` as a writer might put it; `bounded` keeps to exact, approximate and range figures."""
    kinds = ("exact", "approximately", "range") if bounded else ("exact", "approximately", "approximately", "at_least", "more_than", "at_most", "less_than", "range")
    kind = rng.choice(kinds)
    if kind == "exact":
        text = number_words(value) if words_ok and value < 100 and rng.random() < 0.6 else digits(value)
        return Figure("", text, Decimal(value), Decimal(value), Decimal(value), "exact")
    if kind == "range" and value >= 20:
        low, high = round_to(value * 0.85, how="down"), round_to(value * 1.15, how="up")
        style = rng.randrange(3)
        if style == 0:
            lead, text = "between ", f"{digits(low)} and {digits(high)}"
        elif style == 1:
            lead, text = "", f"{digits(low)}–{digits(high)}"
        else:
            lead, text = "from ", f"{digits(low)} to {digits(high)}"
        return Figure(lead, text, (Decimal(low) + Decimal(high)) / 2, Decimal(low), Decimal(high), "range")
    if kind in ("approximately", "range"):
        shown = round_to(value)
        return Figure(rng.choice(QUALIFIER_WORDS["approximately"]), digits(shown), Decimal(shown), Decimal(shown), Decimal(shown), "approximately")
    if kind in ("at_least", "more_than"):
        shown = round_to(value, how="down")
        return Figure(rng.choice(QUALIFIER_WORDS[kind]), digits(shown), Decimal(shown), Decimal(shown), None, kind)
    shown = round_to(value, how="up")
    if kind == "less_than" and shown == value:
        shown = round_to(value + 1, how="up")
    return Figure(rng.choice(QUALIFIER_WORDS[kind]), digits(shown), Decimal(shown), None, Decimal(shown), kind)


# --- text with offsets -----------------------------------------------------------------------


@dataclass
class PlantedClaim:
    """A figure planted in a document, where it is and what it states (one row of planted_claims.csv)."""

    start: int
    end: int
    figure: Figure
    fact: Fact
    as_of: str
    attributed_to: str
    planted: str  # consistent | conflict
    style: str = "plain"
    quote_start: int = 0
    quote_end: int = 0


@dataclass
class _Text:
    """A document being written, with the offsets of what was planted in it."""

    parts: list[str] = field(default_factory=list)
    length: int = 0
    claims: list[PlantedClaim] = field(default_factory=list)
    noise: list[tuple[int, int, str, str]] = field(default_factory=list)

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def noise_number(self, text: str, kind: str) -> None:
        self.noise.append((self.length, self.length + len(text), text, kind))
        self.add(text)

    def text(self) -> str:
        return "".join(self.parts)


# --- sentences -------------------------------------------------------------------------------


def _date_phrase(rng: random.Random, fact: Fact, doc_date: dt.date) -> tuple[str, str]:
    """A phrase dating the figure, and the as_of it gives ('' means the document's date)."""
    roll = rng.random()
    if roll < 0.3:
        return f"in {fact.year}", str(fact.year)
    if roll < 0.5:
        return f"by {fact.year}", str(fact.year)
    if roll < 0.7:
        month = rng.randint(1, doc_date.month if fact.year == doc_date.year else 12)
        return f"as of {MONTH_NAMES[month - 1]} {fact.year}", f"{fact.year}-{month:02d}"
    if roll < 0.8 or fact.year != doc_date.year:  # an undated figure is the document's own year's
        return f"by the end of {fact.year}", str(fact.year)
    return "", ""


def _people(rng: random.Random, origin: Country, population: str) -> tuple[str, str]:
    """The counted noun phrase after the figure, and a trailing place phrase ("" when the noun carries it)."""
    if population == "women":
        return rng.choice(((f"{origin.adjective} women", ""), ("women", f" from {origin.name}")))
    if population == "children":
        return rng.choice(((f"{origin.adjective} children", ""), ("children", f" from {origin.name}")))
    return rng.choice(
        ((f"{origin.adjective} fighters", ""), ("fighters", f" from {origin.name}"), (origin.people, ""),
         ("foreign fighters", f" from {origin.name}"), (f"{origin.adjective} citizens", ""))
    )  # fmt: skip


PREDICATES = {
    "departed": ("travelled to Syria and Iraq", "joined the Islamic State", "have travelled to Syria", "left to join jihadist groups"),
    "returned": ("have returned", "have come back", "returned home", "are back in their home country"),
    "charged": ("have been charged", "were charged with terrorism offences", "have been indicted"),
    "killed": ("were killed in Syria and Iraq", "have been killed in the fighting", "died in Syria"),
    "detained": ("were detained", "are held in camps in northeast Syria", "are in detention"),
}
STYLES = ("plain", "date_first", "according", "study", "estimates", "quote", "number_of", "plain", "according")
LIST_STYLES = ("bullet", "bullet", "bullet", "label")  # report-style key figures; 'label' is a known hard case


def _subject(rng: random.Random, fact: Fact) -> tuple[str, str, str]:
    """The counted noun, a trailing place phrase, and the predicate for `fact`."""
    if fact.measure == "active":
        theatre = dict(THEATRES)[fact.country]
        noun = rng.choice(("foreign fighters", "militants", "jihadists", "fighters"))
        return noun, "", rng.choice((f"are still active in {theatre}", f"remain active in {theatre}", f"were still active in {theatre}"))
    origin = _ORIGIN[fact.country]
    noun, tail = _people(rng, origin, fact.population)
    return noun, tail, rng.choice(PREDICATES[fact.measure])


def claim_sentence(
    text: _Text, rng: random.Random, fact: Fact, figure: Figure, source: tuple[str, str] | None, doc_date: dt.date, planted: str, style: str
) -> None:
    """Write one sentence stating `figure` about `fact` in `style`, recording the figure's span and what it states."""
    date, as_of = _date_phrase(rng, fact, doc_date)
    noun, tail, verb = _subject(rng, fact)
    if style in ("according", "study", "estimates", "quote") and not source:
        style = "plain"
    if style == "label" and (fact.measure == "active" or fact.population != "fighters"):
        style = "bullet"
    credited = source[1] if source else ""
    tail_attribution = ""
    if style in ("plain", "date_first", "number_of") and source and rng.random() < 0.75:
        tail_attribution = rng.choice((f", according to {source[0]}", f", {source[0]} said"))
    elif style in ("plain", "date_first", "number_of", "bullet", "label"):
        credited = ""
    dated = f" {date}" if date else ""
    if style == "date_first" and date:
        head, rest = f"{_capital(date)}, {figure.lead}", f" {noun}{tail} {verb}{tail_attribution}."
    elif style == "according":
        head, rest = f"According to {source[0]}, {figure.lead}", f" {noun}{tail} {verb}{dated}."
    elif style == "study":
        head, rest = f"A study by {source[0]} found that {figure.lead}", f" {noun}{tail} {verb}{dated}."
    elif style == "estimates":
        head, rest = f"{_capital(source[0])} estimates that {figure.lead}", f" {noun}{tail} {verb}{dated}."
    elif style == "quote":
        speaker = rng.choice(("an official at", "a researcher at", "a spokesperson for"))
        head = f'"We believe {figure.lead}'
        rest = f' {noun}{tail} {verb}{dated}," {speaker} {source[0]} {rng.choice(("told reporters", "said"))}.'
    elif style == "number_of":
        relative = "who are still active" if fact.measure == "active" else f"who {verb}"
        where = f" in {dict(THEATRES)[fact.country]}" if fact.measure == "active" else ""
        head = f"The number of {noun}{tail} {relative}{where} stood at {figure.lead}"
        rest = f"{dated}{tail_attribution}."
    elif style == "label":
        head, rest = f"- {_ORIGIN[fact.country].name.removeprefix('the ')}: {figure.lead}", f" fighters {verb}{dated}."
    elif style == "bullet":
        head, rest = f"- {_capital(figure.lead)}", f" {noun}{tail} {verb}{dated}."
    else:
        head, rest = _capital(figure.lead), f" {noun}{tail} {verb}{dated}{tail_attribution}."
    if head in ("", "- "):
        figure = replace(figure, mention=_capital(figure.mention))
    mention = figure.mention
    sentence_start = text.length
    text.add(head)
    start = text.length
    text.add(mention)
    end = text.length
    text.add(rest)
    text.claims.append(PlantedClaim(start, end, figure, fact, as_of, credited, planted, style, sentence_start, text.length))


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def noise_sentence(text: _Text, rng: random.Random, origin: Country, year: int) -> None:
    """Write a sentence whose numbers are no claims (a resolution, page, age, phone number), recording them."""
    kind = rng.randrange(6)
    if kind == 0:
        text.add("The Security Council set out the obligations of member states in resolution ")
        text.noise_number(str(rng.choice((2170, 2178, 2253, 2368, 2396))), "resolution")
        text.add(", adopted in ")
        text.noise_number(str(rng.choice((2014, 2015, 2017))), "year")
        text.add(".")
    elif kind == 1:
        text.add("The methodology is described on page ")
        text.noise_number(str(rng.randint(3, 240)), "page")
        text.add(" of the annex.")
    elif kind == 2:
        text.add("One of them, a ")
        text.noise_number(str(rng.randint(16, 58)), "age")
        text.add(f"-year-old from {CITIES.get(origin.code, origin.name)}, was arrested at the airport in ")
        text.noise_number(str(year), "year")
        text.add(".")
    elif kind == 3:
        text.add("Families can call a helpline on ")
        phone = rng.choice(("+44 20 7946 {:04d}", "+33 1 4000 {:04d}", "+49 30 1234 {:04d}")).format(rng.randint(0, 9999))
        text.noise_number(phone, "phone")
        text.add(" for advice.")
    elif kind == 4:
        text.add("The group declared its caliphate in June ")
        text.noise_number("2014", "year")
        text.add(" and lost its last territory in March ")
        text.noise_number("2019", "year")
        text.add(".")
    else:
        text.add(f"The {rng.choice(('youngest', 'oldest'))} recruit from {origin.name} was ")
        text.noise_number(str(rng.randint(15, 64)), "age")
        text.add(" years old when he left.")


FILLER = (
    "Officials have warned that the figures remain uncertain and are revised often.",
    "Researchers relied on court records, government statements and interviews.",
    "Estimates differ because governments count travellers in different ways.",
    "The numbers do not include people who were stopped before they could leave.",
    "Security services say the flow of travellers slowed sharply after the fall of the caliphate.",
)


@dataclass
class SynthDocument:
    """One synthetic document: its path in the corpus, text, metadata and planted figures."""

    source_file: str
    text: str
    body_offset: int
    date: str
    publisher: str
    kind: str
    claims: list[PlantedClaim]
    noise: list[tuple[int, int, str, str]]

    def truth_rows(self) -> Iterator[dict[str, str]]:
        """Rows of planted_claims.csv for this document."""
        for c in self.claims:
            f = c.figure
            yield {
                "file": self.source_file, "start": str(c.start), "end": str(c.end), "mention": f.mention,
                "value": _num(f.value), "low": _num(f.low), "high": _num(f.high), "qualifier": f.qualifier,
                "measure": c.fact.measure, "population": c.fact.population, "country": c.fact.country,
                "as_of": c.as_of or self.date, "attributed_to": c.attributed_to, "fact": str(c.fact.id), "planted": c.planted, "style": c.style,
            }  # fmt: skip

    def to_document(self) -> Document:
        """The `Document` the loader would give for this file (without reading it back)."""
        return Document(self.source_file, self.source_file, self.text, date=self.date, date_source="front_matter",
                        publisher=self.publisher, body_offset=self.body_offset)  # fmt: skip

    def to_claims(self) -> list[Claim]:
        """The planted figures as `Claim`s (what a perfect extractor would read), for graph and reconciler benchmarks."""
        claims = []
        for c in self.claims:
            f = c.figure
            role = "location" if c.fact.measure == "active" else "origin"
            claims.append(
                Claim(self.source_file, c.start, c.end, f.mention, self.text[c.quote_start : c.quote_end], f.value, f.low, f.high,
                      f.qualifier, c.fact.measure, c.fact.population, c.fact.country, role, c.as_of or self.date, c.attributed_to,
                      quote_start=c.quote_start, quote_end=c.quote_end)
            )  # fmt: skip
        return claims


def _num(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format(value.normalize(), "f") if value == value.to_integral() else str(value)


def make_document(world: World, seed: int, index: int, conflict_rate: float = CONFLICT_RATE) -> SynthDocument:
    """Document `index` of the corpus of `seed` (independent of every other document)."""
    rng = random.Random(f"claimgraph-doc:{seed}:{index}")
    year = rng.choice(YEARS[1:] + (2021,))
    date = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
    publisher, kind = rng.choice(PUBLISHERS)
    topic = world.pick(rng, year)
    origin = _ORIGIN.get(topic.country) or rng.choice(ORIGINS)
    source_file = f"{index // DOCS_PER_FOLDER:03d}/doc-{index:06d}.md"
    text = _Text()
    title = f"{origin.adjective} {rng.choice(('fighters', 'returnees', 'travellers'))}: " + rng.choice(
        ("what the figures say", "a new count", "the numbers behind the headlines", "an update")
    )
    roll = rng.random()
    date_text = date.isoformat() if roll < 0.8 else date.isoformat()[:7] if roll < 0.93 else ""
    front = f'---\ntitle: "{title}"\npublisher: {publisher}\n' + (f"date: {date_text}\n" if date_text else "")
    text.add(front + f"url: https://example.org/{publisher.lower().replace(' ', '-')}/{index:06d}\n---\n\n")
    body_offset = text.length
    if not date_text:  # a dateline gives the date instead
        date_text = date.isoformat()
        city = CITIES.get(origin.code, "BRUSSELS").upper()
        text.add(f"{city}, {MONTH_NAMES[date.month - 1]} {date.day}, {date.year} — {rng.choice(FILLER)}\n\n")
    report_source = rng.choice(SOURCES) if rng.random() < 0.75 else None

    def claims(count: int, styles: tuple[str, ...], first: Fact | None = None) -> None:
        for number in range(count):
            fact = first if first and number == 0 else world.pick(rng, year)
            wrong = rng.random() < conflict_rate
            value = _wrong_value(rng, fact.value) if wrong else fact.value
            figure = write_figure(rng, value, bounded=wrong, words_ok=True)
            roll = rng.random()  # most copies credit the figure's publisher, some the document's report or another body
            source = SOURCES[fact.source] if roll < 0.75 or not report_source else report_source if roll < 0.9 else rng.choice(SOURCES)
            credited = source if rng.random() < 0.85 else None
            claim_sentence(text, rng, fact, figure, credited, date, "conflict" if wrong else "consistent", rng.choice(styles))
            text.add("\n" if styles is LIST_STYLES else " ")

    if kind == "report" and rng.random() < 0.7:
        text.add("## Key figures\n\n")
        claims(rng.randint(2, 4), LIST_STYLES)
        text.add("\n## Findings\n\n")
    for paragraph in range(rng.randint(2, 4)):
        if paragraph == 0 and rng.random() < 0.5:
            text.add(rng.choice(FILLER) + " ")
        claims(rng.randint(1, 2), STYLES, topic if paragraph == 0 else None)
        if rng.random() < 0.6:
            noise_sentence(text, rng, origin, year)
            text.add(" ")
        if rng.random() < 0.4:
            text.add(rng.choice(FILLER))
        text.add("\n\n")
    return SynthDocument(source_file, text.text(), body_offset, date_text, publisher, kind, text.claims, text.noise)


def _wrong_value(rng: random.Random, value: int) -> int:
    """A figure far outside any tolerance of `value` (a misprint, a stale or inflated count)."""
    factor = rng.uniform(1.8, 2.8) if rng.random() < 0.6 else rng.uniform(0.3, 0.5)
    return max(1, round_to(value * factor))


def synthetic_documents(count: int, seed: int = 0, start: int = 0, conflict_rate: float = CONFLICT_RATE) -> Iterator[SynthDocument]:
    """Documents `start` … `start + count - 1` of the corpus of `seed`."""
    world = World.from_seed(seed)
    for index in range(start, start + count):
        yield make_document(world, seed, index, conflict_rate)


def synthetic_claims(count: int, seed: int = 0, conflict_rate: float = CONFLICT_RATE) -> tuple[list[Document], list[Claim]]:
    """The first `count` planted claims of the corpus of `seed` as `Claim` objects (no text, no extraction), with their documents.

    They are what a perfect extractor would read: for graph and reconciler benchmarks at sizes where
    writing and extracting the text would take too long.
    """
    documents: list[Document] = []
    claims: list[Claim] = []
    for doc in synthetic_documents(10**12, seed, conflict_rate=conflict_rate):
        documents.append(doc.to_document())
        claims.extend(doc.to_claims())
        if len(claims) >= count:
            break
    return documents, claims[:count]


@dataclass(frozen=True)
class SynthResult:
    """What `write_corpus` wrote."""

    out: Path
    documents: int
    claims: int
    noise: int

    @property
    def truth(self) -> Path:
        return self.out / TRUTH_DIR / CLAIMS_FILE

    def summary(self) -> str:
        return f"{self.documents} documents, {self.claims} planted claims, {self.noise} non-claim numbers -> {self.out}/ (truth: {self.truth})"


def write_corpus(out: Path | str, count: int, seed: int = 0, conflict_rate: float = CONFLICT_RATE) -> SynthResult:
    """Write `count` documents into `out` (1,000 per sub-folder) and the ground truth into `out/.synth/`."""
    out_dir = Path(out)
    truth_dir = out_dir / TRUTH_DIR
    truth_dir.mkdir(parents=True, exist_ok=True)
    claims = noise = 0
    made: set[str] = set()
    with (truth_dir / CLAIMS_FILE).open("w", newline="", encoding="utf-8") as claims_file, \
         (truth_dir / NOISE_FILE).open("w", newline="", encoding="utf-8") as noise_file:  # fmt: skip
        claim_rows = csv.DictWriter(claims_file, TRUTH_COLUMNS, lineterminator="\n")
        noise_rows = csv.writer(noise_file, lineterminator="\n")
        claim_rows.writeheader()
        noise_rows.writerow(NOISE_COLUMNS)
        for doc in synthetic_documents(count, seed, conflict_rate=conflict_rate):
            folder = doc.source_file.split("/", 1)[0]
            if folder not in made:
                (out_dir / folder).mkdir(exist_ok=True)
                made.add(folder)
            path = out_dir / doc.source_file
            with open(path, "w", encoding="utf-8", newline="") as handle:
                handle.write(doc.text)
            claim_rows.writerows(doc.truth_rows())
            noise_rows.writerows((doc.source_file, s, e, m, k) for s, e, m, k in doc.noise)
            claims += len(doc.claims)
            noise += len(doc.noise)
    (truth_dir / "README.txt").write_text(
        f"Ground truth of the synthetic corpus in the folder above (seed {seed}, {count} documents, conflict rate {conflict_rate}).\n"
        f"{CLAIMS_FILE}: every planted claim (offsets into the file's text; planted=conflict marks a deliberately wrong figure).\n"
        f"{NOISE_FILE}: numbers that are not claims (years, ages, pages, resolutions, phone numbers).\n",
        encoding="utf-8",
    )
    return SynthResult(out_dir, count, claims, noise)


def read_truth(out: Path | str) -> list[dict[str, str]]:
    """The planted claims of a corpus written by `write_corpus`."""
    with (Path(out) / TRUTH_DIR / CLAIMS_FILE).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def read_noise(out: Path | str) -> list[dict[str, str]]:
    """The planted non-claim numbers of a corpus written by `write_corpus`."""
    with (Path(out) / TRUTH_DIR / NOISE_FILE).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


__all__ = ["SynthResult", "World", "make_document", "read_noise", "read_truth", "synthetic_claims", "synthetic_documents", "write_corpus"]
