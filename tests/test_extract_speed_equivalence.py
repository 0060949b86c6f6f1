"""The extractor's regex speed-ups (`claimgraph.extract.fastre`) never change what matches.

* Lower-casing keeps what a folded (case-sensitive) twin needs: every character's length and class,
  and each ASCII and `FOLDABLE_LETTERS` letter matched as IGNORECASE matches it.
* Every folded twin finds the spans its case-insensitive pattern finds, on real, synthetic and
  awkward text.
* Every word list that lets a pattern be skipped is needed by each match of the pattern: checked on
  the same texts and on strings generated from each pattern's own syntax, in mixed case.
* A trie alternation matches as the flat longest-first alternation it replaces.
"""

from __future__ import annotations

import random
import re
import string
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from re import _constants as sre_constants  # type: ignore[attr-defined]
from re import _parser as sre_parser  # type: ignore[attr-defined]

import pytest

from claimgraph.extract import attribution, claims, clauses, dates, measures, numbers, places, text
from claimgraph.extract.fastre import (
    FOLDABLE_LETTERS,
    Folded,
    fold_pattern,
    lowered,
    may_contain,
    search_from_starts,
    trie_alternation,
)
from claimgraph.synthetic import World, make_document

EXAMPLE = Path(__file__).resolve().parent.parent / "src" / "claimgraph" / "data" / "example"
AWKWARD = [
    "The Kelvin sign \u212a, titlecase \u01c5 and \u01c8, ÜBER Türkiye TÜRKIYE, CÔTE D'IVOIRE and Côte d'Ivoire, STRASSE straße ẞ.",
    "İstanbul, ıslam and the long ſ: 1,200 FIGHTERS Returned to FRANCE in MAY 2017, According to the UN.",
    "ABOUT 3,000 Russians HAVE RETURNED, At Least 400 Were Detained; Half Of The 850 Remain Active Since 2016.",
    "Σίσυφος ΟΔΟΣ — µ and μ; ＡＢＣ fullwidth; 5\u00a0000 fighters\u2009and 3\u202f000 more (c. 2015–17).",
]


def _all_characters() -> str:
    return "".join(chr(i) for i in range(sys.maxunicode + 1) if not 0xD800 <= i <= 0xDFFF)


def test_lower_case_keeps_length_and_character_classes() -> None:
    everything = _all_characters().replace("\u0130", "")  # İ is the one lower() lengthens; `lowered` refuses it
    lower = everything.lower()
    assert len(lower) == len(everything)
    for pattern in (r"\w", r"\s", r"\d"):
        assert [m.start() for m in re.finditer(pattern, everything)] == [m.start() for m in re.finditer(pattern, lower)]


@pytest.mark.parametrize("letter", list(string.ascii_lowercase + FOLDABLE_LETTERS))
def test_letters_fold_as_ignorecase_matches_them(letter: str) -> None:
    everything = _all_characters()
    ignorecase = set(re.findall(re.escape(letter), everything, re.I)) - {"\u0130", "\u0131", "\u017f"}  # `lowered` refuses these
    by_lower = {c for c in everything if c.lower() == letter}
    assert ignorecase == by_lower


def test_fold_pattern_refuses_what_lower_case_would_change() -> None:
    for pattern in (r"\S+", r"\W", r"\B", r"(?-i:ISIS)", r"(?i:x)", r"[^A-Z]", r"(?P<Name>x)", "Σ", "ı"):
        with pytest.raises(ValueError):
            fold_pattern(pattern)
    assert fold_pattern(r"(?P<year>\d{4})[A-Z]+ Türkiye") == r"(?P<year>\d{4})[a-z]+ türkiye"


def _mixed_case(value: str, rng: random.Random) -> str:
    return "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in value)


def _texts() -> list[str]:
    """Sentences and lines of the bundled example, of synthetic documents, and awkward strings."""
    found: list[str] = list(AWKWARD)
    for path in sorted(EXAMPLE.glob("*.*")):
        found.extend(line for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    world = World.from_seed(7)
    for index in range(150):
        found.extend(line for line in make_document(world, 7, index).text.splitlines() if line.strip())
    found.extend(random.Random(1).sample(found, 300))
    return found + [_mixed_case(t, random.Random(i)) for i, t in enumerate(found[:: 7])]


TEXTS = _texts()



def _folded_patterns() -> Iterator[tuple[str, Folded]]:
    """Every Folded pattern of the extract modules (module constants, and those in dicts, lists and tuples)."""
    for module in (attribution, claims, clauses, dates, measures, numbers, places, text):
        for name, value in vars(module).items():
            for index, item in enumerate(_flatten(value)):
                yield f"{module.__name__}.{name}[{index}]", item
    yield "places._alias_regex", places._alias_regex()[0]


def _flatten(value: object) -> Iterator[Folded]:
    if isinstance(value, Folded):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _flatten(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _flatten(item)


FOLDED = dict(_folded_patterns())


def test_there_are_folded_patterns_to_check() -> None:
    assert len(FOLDED) > 30


@pytest.mark.parametrize("name", sorted(FOLDED))
def test_folded_twin_matches_where_its_pattern_does(name: str) -> None:
    pattern = FOLDED[name]
    for sample in TEXTS + _generated(pattern.insensitive, 150):
        scan, subject = pattern.on(sample, lowered(sample))
        got = [(m.span(), m.group(0).lower()) for m in scan.finditer(subject)]
        want = [(m.span(), m.group(0).lower()) for m in pattern.insensitive.finditer(sample)]
        assert got == want, (name, sample)


# --- word lists that let a pattern be skipped -----------------------------------------------------


def _skip_rules() -> Iterator[tuple[str, re.Pattern[str], Callable[[str], bool]]]:
    """(name, pattern, may the pattern match this text?) for every prefilter of the extract modules."""
    for measure, pattern in measures._CUE_RES.items():
        yield f"cue {measure}", pattern.insensitive, lambda t, m=measure: m in measures._CUE_NEEDS.possible(lowered(t))
    for name, pattern in numbers._QUALIFIER_BEFORE:
        yield f"qualifier {name}", pattern.insensitive, lambda t, n=name: n in numbers._QUALIFIER_NEEDS.possible(lowered(t))
    yield "fraction words", numbers._FRACTION_WORDS.insensitive, lambda t: may_contain(lowered(t), numbers._FRACTION_NEEDS)
    yield "one in n", numbers._ONE_IN_N.insensitive, lambda t: numbers._ONE_IN_N_NEEDS.search(t.lower()) is not None
    yield "fraction hint", claims._FRACTION_HINT, claims._may_hold_fraction
    yield "figure", numbers._ONE_NUMBER.insensitive, lambda t: bool(numbers._ANY_DIGIT.search(t)) or may_contain(lowered(t), numbers._NUMBER_WORDS)
    yield "subordinate clause", dates._SUBORDINATE.insensitive, lambda t: may_contain(lowered(t), dates._SUBORDINATE_WORDS)
    needs = attribution._NEEDS
    yield "trigger", attribution._TRIGGER.insensitive, lambda t: "trigger" in needs.possible(lowered(t))
    yield "report intro", attribution.REPORT_INTRO, lambda t: "intro" in needs.possible(lowered(t))
    yield "report title", attribution._REPORT_TITLE, lambda t: "title" in needs.possible(lowered(t))
    for index, pattern in enumerate(attribution.EXPLICIT_PATTERNS):
        yield f"explicit {index}", pattern, lambda t, i=index: f"explicit{i}" in needs.possible(lowered(t))
    for kind, pattern in dates.PATTERNS:
        yield f"date {kind}", pattern, lambda t, k=kind: _date_may_match(k, t)
    yield "the number", claims._THE_NUMBER, lambda t: may_contain(lowered(t), claims._AMOUNT_NOUNS)
    yield "number of", claims._NUMBER_OF, lambda t: may_contain(lowered(t), claims._AMOUNT_NOUNS)
    yield "affiliates", measures.AFFILIATES_PHRASE, lambda t: may_contain(lowered(t), measures._CHILDREN)
    yield "mostly families", measures._MOSTLY_FAMILIES, lambda t: may_contain(lowered(t), measures._CHILDREN)
    yield "local and foreign", measures._LOCAL_AND_FOREIGN, lambda t: may_contain(lowered(t), measures._LOCAL)
    yield "notes heading", text._NOTES_HEADING, lambda t: may_contain(lowered(t), text._NOTES_WORDS)
    for index, (pattern, needed) in enumerate(text._MASKS):
        yield f"mask {index}", pattern, lambda t, n=needed: text._may_match(t, n)


def _date_may_match(kind: str, sample: str) -> bool:
    if kind in dates._NEEDS_YEAR and not dates._ANY_YEAR.search(sample):
        return False
    return kind not in dates._NEEDED_WORDS or may_contain(lowered(sample), dates._NEEDED_WORDS[kind])


SKIP_RULES = {name: (pattern, may_match) for name, pattern, may_match in _skip_rules()}


@pytest.mark.parametrize("name", sorted(SKIP_RULES))
def test_a_pattern_is_skipped_only_where_it_cannot_match(name: str) -> None:
    pattern, may_match = SKIP_RULES[name]
    matched = 0
    for sample in TEXTS + _generated(pattern, 400):
        if pattern.search(sample):
            matched += 1
            assert may_match(sample), (name, sample)
    assert matched, f"{name}: no text exercised the pattern"


# --- strings generated from a pattern's syntax --------------------------------------------------


def _generated(pattern: re.Pattern[str], count: int) -> list[str]:
    """Strings built from `pattern`'s syntax (lookarounds ignored, so not all match), as written and in mixed
    case, between spaces."""
    rng = random.Random(pattern.pattern)
    tree = sre_parser.parse(pattern.pattern, pattern.flags)
    samples = [_sample(list(tree), rng) for _ in range(count)]
    return [f" {sample} " for sample in samples] + [f" {_mixed_case(sample, rng)} " for sample in samples]


_CATEGORY_SAMPLES = {"CATEGORY_SPACE": " ", "CATEGORY_WORD": "w", "CATEGORY_DIGIT": "7", "CATEGORY_NOT_SPACE": "x", "CATEGORY_NOT_WORD": ",", "CATEGORY_NOT_DIGIT": "x"}


def _sample(items: list, rng: random.Random) -> str:
    out: list[str] = []
    for op, av in items:
        if op is sre_constants.LITERAL:
            out.append(chr(av))
        elif op is sre_constants.NOT_LITERAL or op is sre_constants.ANY:
            out.append(rng.choice([c for c in " a,1" if op is sre_constants.ANY or ord(c) != av]))
        elif op is sre_constants.IN:
            out.append(_sample_set(av, rng))
        elif op is sre_constants.BRANCH:
            out.append(_sample(list(rng.choice(av[1])), rng))
        elif op is sre_constants.SUBPATTERN:
            out.append(_sample(list(av[3]), rng))
        elif op is sre_constants.ATOMIC_GROUP:
            out.append(_sample(list(av), rng))
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT):
            low, high, sub = av
            out.extend(_sample(list(sub), rng) for _ in range(rng.randint(low, min(high, low + 2))))
    return "".join(out)


def _sample_set(items: list, rng: random.Random) -> str:
    if items and items[0][0] is sre_constants.NEGATE:
        candidates = [c for c in " a,1-x" if re.fullmatch(_rebuild_set(items), c)]
        return rng.choice(candidates or [" "])
    op, av = rng.choice(items)
    if op is sre_constants.LITERAL:
        return chr(av)
    if op is sre_constants.RANGE:
        return chr(rng.randint(av[0], av[1]))
    return _CATEGORY_SAMPLES.get(str(av), "a")


def _rebuild_set(items: list) -> str:
    parts = []
    for op, av in items[1:]:
        if op is sre_constants.LITERAL:
            parts.append(re.escape(chr(av)))
        elif op is sre_constants.RANGE:
            parts.append(f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}")
        else:
            parts.append({"CATEGORY_SPACE": r"\s", "CATEGORY_WORD": r"\w", "CATEGORY_DIGIT": r"\d"}.get(str(av), ""))
    return "[^" + "".join(parts) + "]"


# --- trie alternations ----------------------------------------------------------------------------


def test_trie_alternation_matches_as_the_flat_longest_first_alternation() -> None:
    rng = random.Random(3)
    for _ in range(300):
        words = list({"".join(rng.choice("ab .") for _ in range(rng.randint(1, 5))).strip() or "a" for _ in range(rng.randint(1, 8))})
        flat = re.compile(r"(?<![\w])(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")(?![\w])", re.I)
        trie = re.compile(r"(?<![\w])" + trie_alternation(words) + r"(?![\w])", re.I)
        for _ in range(20):
            sample = "".join(rng.choice("abAB .,") for _ in range(rng.randint(0, 20)))
            assert [m.span() for m in flat.finditer(sample)] == [m.span() for m in trie.finditer(sample)], (words, sample)


def test_sentence_end_written_stop_first_matches_as_before() -> None:
    before = re.compile(r"[.!?][\"'”’)\]*_]*(?=\s+[\"'“‘(\[*_]?[A-Z0-9])|[.!?][\"'”’)\]*_]*$")  # as it was written
    rng = random.Random(5)
    for _ in range(20000):
        sample = "".join(rng.choice(".!?\"'”’)]*_ \n\tAa1(“‘[") for _ in range(rng.randint(0, 12)))
        start = rng.randint(0, len(sample))
        end = rng.randint(start, len(sample))
        want, got = before.search(sample, start, end), text._SENTENCE_END.search(sample, start, end)
        assert (want and want.span()) == (got and got.span()), (sample, start, end)


STARTS = {
    **{f"explicit {i}": (attribution.EXPLICIT_PATTERNS[i], starts) for i, starts in attribution._EXPLICIT_STARTS.items()},
    "report title": (attribution._REPORT_TITLE, attribution._TITLE_STARTS),
}


@pytest.mark.parametrize("name", sorted(STARTS))
def test_a_pattern_tried_only_where_its_matches_start_finds_the_same_match(name: str) -> None:
    pattern, starts = STARTS[name]
    found = 0
    for sample in TEXTS + _generated(pattern, 400):
        want = pattern.search(sample)
        got = search_from_starts(pattern, sample, starts, lowered(sample))
        assert (want and (want.span(), want.groupdict())) == (got and (got.span(), got.groupdict())), (name, sample)
        found += want is not None
    assert found, f"{name}: no text exercised the pattern"


def _ends_with_abbreviation_as_before(chunk: str) -> bool:
    if text._NUMBERED_CAPTION.fullmatch(chunk.strip()):
        return True
    match = re.search(r"([A-Za-z][A-Za-z.]*)\.[\"'”’)\]]*$", chunk)  # searched over the whole chunk
    return bool(match) and (match.group(1).lower() in text.ABBREVIATIONS or len(match.group(1)) == 1)


def test_abbreviation_test_reading_only_the_last_run_agrees_with_the_whole_chunk() -> None:
    rng = random.Random(9)
    samples = ["the U.S.", "forces etc.)", "see No.", "e.g.'", "Table 2.", "in 2015.", "Mr.\n", "(Jan.)"]
    samples += ["".join(rng.choice("abuse.Zetc \"'”’)]\n,1") for _ in range(rng.randint(0, 14))) for _ in range(20000)]
    for chunk in samples:
        assert text._ends_with_abbreviation(chunk) == _ends_with_abbreviation_as_before(chunk), chunk
