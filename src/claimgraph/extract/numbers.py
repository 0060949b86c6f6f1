"""The number grammar: figures in text as value, low, high and qualifier.

Handles digits with comma, space, thin-space or no-break-space separators
("3,417", "3 000"), decimals with scale words ("1.5 million"), number words
("seven", "fifty-six hundred", "a dozen"), ranges ("1,200–2,000", "between
600 and 900", "from 5,000 to 6,000", "25-30,000"), percentages, and the
qualifier words around them. Qualifiers are kept apart, never collapsed to a mean.

Interval convention of the claims table (the reconciler adds tolerance):

=============  ===========================  ==============
qualifier      words                        low / high
=============  ===========================  ==============
exact          (none)                       v / v
approximately  about, around, some, roughly, v / v
               an estimated, nearly, almost
at_least       at least, no fewer than, N+  v / (none)
more_than      more than, over, in excess   v / (none)
at_most        up to, no more than          (none) / v
less_than      fewer than, under            (none) / v
range          N–M, between N and M         N / M (value = midpoint)
=============  ===========================  ==============

"nearly" and "almost" are read as ``approximately`` with the figure as the
stated value: the reconciler treats them as an interval that ends at the figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from claimgraph.extract.fastre import Folded, WordNeeds, any_of, lowered, may_contain, trie_alternation

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}

_SEP = "[,\u00a0\u2009\u202f ]"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:[\u00a0\u2009\u202f ]\d{3})+(?![\d,])|\d+(?:\.\d+)?"
_WORD = "|".join(sorted([*UNITS, *TENS, *SCALES], key=len, reverse=True))
_WORD_TRIE = trie_alternation([*UNITS, *TENS, *SCALES])  # the same match as _WORD, found faster
_WORDS = rf"(?:(?:a|one)\s+)?(?:{_WORD_TRIE})(?:(?:[\s-]+|\s+and\s+)(?:{_WORD_TRIE}))*"
_SCALE_AFTER = r"(?:\s*(?:million|thousand|hundred|bn|m)\b|k\b)?"
_DOZEN = r"(?:a|one|two|three|half\s+a)\s+dozen"
_NUMBER = rf"(?:(?P<digits>{_DIGITS}){_SCALE_AFTER}|(?P<dozen>{_DOZEN})|(?P<words>{_WORDS}))"
_ONE_NUMBER = Folded(rf"(?<![\w.,/:])(?<![A-Za-z]-)(?:{_NUMBER})(?![\w/]|[.,:]\d)")
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")

QUALIFIER_PATTERNS: tuple[tuple[str, str], ...] = (
    ("approximately", r"(?:about|around|some|roughly|approximately|approx\.|circa|c\.|an\s+estimated|estimated|nearly|almost|close\s+to|~|"
                      r"in\s+the\s+region\s+of|on\s+the\s+order\s+of|of\s+the\s+order\s+of|more\s+or\s+less)"),
    ("at_least", r"(?:at\s+least|no\s+fewer\s+than|no\s+less\s+than|a\s+minimum\s+of|as\s+few\s+as)"),
    ("more_than", r"(?:more\s+than|over|in\s+excess\s+of|upwards\s+of|well\s+over|just\s+over|above|exceeds?|exceeding)"),
    ("at_most", r"(?:up\s+to|no\s+more\s+than|at\s+most|a\s+maximum\s+of|as\s+many\s+as)"),
    ("less_than", r"(?:fewer\s+than|less\s+than|under|below|a\s+little\s+under|just\s+under|not\s+quite)"),
)
_QUALIFIER_BEFORE = [
    (name, Folded(rf"(?:^|(?<=[\s(\"'‘“]))(?:{words})\s+(?:the\s+)?$"))
    for name, words in QUALIFIER_PATTERNS
]
_PLUS_AFTER = re.compile(r"^(?:\+|\s+or\s+more\b|\s+plus\b|-plus\b)")
_APPROX_AFTER = re.compile(r"^(?:-odd\b|\s+odd\b|\s+or\s+so\b)")
_BARE_SCALE = {"hundred", "thousand", "million", "billion"}  # "a few hundred", "several thousand": no figure
_PERCENT_AFTER = re.compile(r"^\s*(?:%|percent\b|per\s+cent\b|pct\b)", re.IGNORECASE)
_RANGE_DASH = re.compile(r"^\s*(?:[-–—]|to)\s*", re.IGNORECASE)
# Words one of which each qualifier pattern needs (see `claimgraph.extract.fastre`).
_QUALIFIER_NEEDS = WordNeeds({
    "approximately": ("about", "around", "some", "roughly", "approx", "circa", "c.", "estimated", "nearly", "almost", "close", "~",
                      "region", "order", "more"),
    "at_least": ("least", "less", "minimum", "few"),
    "more_than": ("more", "over", "excess", "upwards", "above", "exceed"),
    "at_most": ("up", "more", "most", "maximum", "many"),
    "less_than": ("fewer", "less", "under", "below", "quite"),
})  # fmt: skip
_ANY_DIGIT = re.compile(r"\d")
_NUMBER_WORDS = any_of(*UNITS, *TENS, *SCALES, "dozen")
_SCALE_FACTORS = {"million": 1_000_000, "m": 1_000_000, "bn": 1_000_000_000, "thousand": 1000, "hundred": 100, "k": 1000}
_LETTERS = re.compile(r"[a-z]+")
_DIGITS_AND_SCALE = re.compile(rf"^(?P<num>[\d{_SEP[1:-1]}.]+?)\s*(?P<scale>million|thousand|hundred|bn|m|k)?$", re.I)
_SEPARATOR = re.compile(_SEP)
_YEAR_SPAN = re.compile(r"\s*[-–—/]\s*(\d{2}|\d{4})(?!\d)")
_GROUPED = re.compile(r"\d[,\u00a0\u2009\u202f ]\d{3}")
_GROUPED_COMMA = re.compile(r"\d,\d{3}")
_BETWEEN_BEFORE = re.compile(r"\bbetween\s+$")
_FROM_BEFORE = re.compile(r"\bfrom\s+$")
_AND_GAP = re.compile(r"\s+and\s+")
_TO_GAP = re.compile(r"\s+to\s+", re.I)
_DASH_GAP = re.compile(r"\s*[-–—]\s*")
_OR_GAP = re.compile(r"\s+or\s+", re.I)
_ATTACHED_AFTER = re.compile(r"\+|-(?:odd|plus)\b")


@dataclass(frozen=True)
class NumberMention:
    """A figure found in text. Offsets are relative to the string searched."""

    start: int  # first character of the figure (qualifier words excluded)
    end: int
    text: str
    value: Decimal
    low: Decimal | None
    high: Decimal | None
    qualifier: str
    percent: bool = False
    is_word: bool = False
    grouped: bool = False  # written with thousands separators
    qualifier_start: int = -1  # where a qualifier word before the figure starts
    year: bool = False  # a bare year (2015) or a span of years (2013–17)
    ratio: Decimal | None = None  # for a fraction ("two-thirds"): the exact share, 0 < ratio < 1


def parse_number_words(text: str) -> Decimal | None:
    """Value of a phrase of number words.

    >>> parse_number_words("fifty-six hundred"), parse_number_words("a dozen"), parse_number_words("one thousand two hundred")
    (Decimal('5600'), Decimal('12'), Decimal('1200'))
    """
    words = _LETTERS.findall(text.lower())
    if not words:
        return None
    if "dozen" in words:
        count = {"a": 1, "one": 1, "two": 2, "three": 3, "half": Decimal("0.5")}.get(words[0], 1)
        return Decimal(count) * 12
    total = 0
    current = 0
    seen = False
    for word in words:
        if word in {"a", "and"}:
            if word == "a":
                current = max(current, 1)
            continue
        if word in UNITS:
            current += UNITS[word]
        elif word in TENS:
            current += TENS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word in SCALES:
            total += max(current, 1) * SCALES[word]
            current = 0
        else:
            return None
        seen = True
    return Decimal(total + current) if seen else None


def parse_digits(text: str) -> Decimal | None:
    """Value of a digit string with separators and an optional scale word.

    >>> parse_digits("3,417"), parse_digits("3\u2009000"), parse_digits("1.5 million"), parse_digits("3k")
    (Decimal('3417'), Decimal('3000'), Decimal('1500000.0'), Decimal('3000'))
    """
    stripped = text.strip()
    if stripped.isdigit() and stripped.isascii():  # the usual case, read without the pattern
        return Decimal(stripped) * 1  # multiplied as every value below is (the product is rounded to the context)
    match = _DIGITS_AND_SCALE.match(stripped)
    if not match:
        return None
    digits = _SEPARATOR.sub("", match.group("num"))
    try:
        value = Decimal(digits)
    except InvalidOperation:
        return None
    scale = (match.group("scale") or "").lower()
    factor = _SCALE_FACTORS.get(scale, 1)
    return value * factor


def _value_of(match: re.Match[str]) -> tuple[Decimal | None, bool]:
    if match.group("digits"):
        return parse_digits(match.group(0)), False
    return parse_number_words(match.group(0)), True


def _qualifier_before(text: str, start: int) -> tuple[str, int]:
    window = text[max(0, start - 40) : start]
    lower = lowered(window)
    possible = _QUALIFIER_NEEDS.possible(lower)
    for name, pattern in _QUALIFIER_BEFORE:
        if name not in possible:
            continue
        scan, subject = pattern.on(window, lower)
        found = scan.search(subject)
        if found:
            return name, start - len(window) + found.start()
    return "exact", -1


_THOUSANDS_END = re.compile(r",\d{3}$")
_SCALE_END = re.compile(r"(million|thousand|hundred|k)\s*$", re.I)


def _scale_low(low: Decimal, high: Decimal, low_text: str, high_text: str) -> Decimal:
    """'25-30,000' means 25,000 to 30,000: give the short low end the high end's scale."""
    if low < high / 100 and "," not in low_text and _THOUSANDS_END.search(high_text):
        for factor in (1000, 1_000_000):
            if low * factor <= high and low * factor * 10 > high:
                return low * factor
    scale = _SCALE_END.search(high_text)
    if scale and not _SCALE_END.search(low_text):
        factor = {"million": 1_000_000, "thousand": 1000, "hundred": 100, "k": 1000}[scale.group(1).lower()]
        if low * factor <= high:
            return low * factor
    return low


def find_numbers(text: str, years: bool = True) -> list[NumberMention]:
    """Every figure in `text` with its interval and qualifier, left to right; bare years and spans
    of years too unless `years` is false.

    Never raises; for each mention ``low <= value <= high`` where bounds exist.

    >>> [(m.text, str(m.value), m.qualifier) for m in find_numbers("about 1,200 fighters, between 600 and 900 others")]
    [('1,200', '1200', 'approximately'), ('600 and 900', '750', 'range')]
    """
    try:
        return _find_numbers(text, years)
    except (InvalidOperation, ValueError, ArithmeticError):  # pragma: no cover - defensive
        return []


def _find_numbers(text: str, years: bool = True) -> list[NumberMention]:
    mentions: list[NumberMention] = []
    lower = lowered(text)
    if not _ANY_DIGIT.search(text) and not may_contain(lower, _NUMBER_WORDS):
        return mentions  # a figure needs a digit or a number word
    scan, subject = _ONE_NUMBER.on(text, lower)
    matches = [m for m in scan.finditer(subject) if m.group(0).strip()]  # groups in lower case, each read case-insensitively
    used: set[int] = set()
    for i, match in enumerate(matches):
        if i in used:
            continue
        value, is_word = _value_of(match)
        if value is None or (is_word and match.group(0).strip().lower() in _BARE_SCALE):
            continue
        start, end = match.start(), match.end()
        mention_text = text[start:end]
        is_year = bool(_YEAR.match(mention_text))
        span = _YEAR_SPAN.match(text[end:]) if is_year else None
        if is_year and span:
            end += span.end()
            mention_text = text[start:end]
            if i + 1 < len(matches) and matches[i + 1].start() < end:
                used.add(i + 1)
        if is_year and not years:
            continue  # what follows reads nothing a later figure depends on
        grouped = bool(_GROUPED.search(mention_text))
        qualifier, q_start = _qualifier_before(text, start)
        low: Decimal | None = value
        high: Decimal | None = value
        # Ranges: "between N and M", "from N to M", "N–M", "N to M".
        nxt = matches[i + 1] if i + 1 < len(matches) else None
        if nxt is not None and not is_year and i + 1 not in used:
            gap = text[end : nxt.start()]
            before = text[max(0, start - 12) : start].lower()
            is_between = _BETWEEN_BEFORE.search(before) and _AND_GAP.fullmatch(gap)
            is_from = _FROM_BEFORE.search(before) and _TO_GAP.fullmatch(gap)
            is_dash = _DASH_GAP.fullmatch(gap) or (_TO_GAP.fullmatch(gap) and not _FROM_BEFORE.search(before))
            is_or = _OR_GAP.fullmatch(gap)  # "four or five hundred", "20 or 30"
            if is_between or is_from or is_dash or is_or:
                second, second_word = _value_of(nxt)
                if second is not None:
                    first = _scale_low(value, second, mention_text, nxt.group(0))
                    if first < second and (not is_or or second <= first * 3):
                        used.add(i + 1)
                        if is_between:
                            q_start = start - len(before) + before.rfind("between")
                        elif is_from:
                            q_start = start - len(before) + before.rfind("from")
                        low, high = first, second
                        value = (first + second) / 2
                        qualifier = "range"
                        end = nxt.end()
                        mention_text = text[start:end]
                        grouped = grouped or bool(_GROUPED_COMMA.search(nxt.group(0)))
                        is_word = is_word and second_word
        after = text[end : end + 12]
        percent = bool(_PERCENT_AFTER.match(after))
        if qualifier == "exact" and _APPROX_AFTER.match(after):
            qualifier = "approximately"  # "30-odd", "200 or so"
        if qualifier != "range" and _PLUS_AFTER.match(after):
            qualifier = "at_least"
        attached = _ATTACHED_AFTER.match(after)
        if attached and qualifier in {"approximately", "at_least"}:  # "5,000+", "30-odd": the suffix is part of the figure
            end += attached.end()
            mention_text = text[start:end]
        if qualifier in {"at_least", "more_than"}:
            high = None
        elif qualifier in {"at_most", "less_than"}:
            low = None
        mentions.append(
            NumberMention(
                start, end, mention_text, value, low, high, qualifier, percent, is_word, grouped, q_start, is_year
            )
        )
    return mentions


# A verb right after a share: "a third have returned", "one in five were women" (a share of the figure before).
SHARE_VERB = r"\s+(?:have|has|had|are|were|is|was|remain\w*|returned|came|went|died|will|would|could|may|might|now|still|later)\b"
_NUMERATORS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
_DENOMINATORS = {"half": 2, "halves": 2, "third": 3, "quarter": 4, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
                 "eighth": 8, "ninth": 9, "tenth": 10}  # fmt: skip
_FRACTION_WORDS = Folded(
    r"(?<![\w-])(?<!first\s)(?<!second\s)(?<!latter\s)(?<!other\s)(?:(?P<num>an?|one|two|three|four|five|six|seven|eight|nine)[\s-]+(?P<den>half|halves|thirds?|quarters?|fourths?|fifths?|sixths?|sevenths?|eighths?|ninths?|tenths?)"
    r"|(?P<half>half))"
    rf"(?=\s+of\b|\s+(?:the|these|those|its|their)\s|{SHARE_VERB})(?!\s+of\s+(?:(?:the\s+)?(?:19|20)\d\d|the\s+(?:year|decade|century|month)))",
)
_ONE_IN_N = Folded(
    rf"(?<![\w-])(?P<a>one|two|three|four|five|six|seven|eight|nine|\d{{1,2}})\s+(?:in|out\s+of)\s+(?:every\s+)?(?P<b>{_WORD}|\d{{1,3}})(?![\w-])(?=\s+of\s|{SHARE_VERB})",
)

# What every match of _FRACTION_WORDS, and of _ONE_IN_N (in lower case), contains (see `claimgraph.extract.fastre`).
_FRACTION_NEEDS = any_of("half", "halves", "third", "quarter", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
_ONE_IN_N_NEEDS = re.compile(r"\s(?:in|out)\s")


def find_fractions(text: str) -> list[NumberMention]:
    """Fractions that open a partitive, as percent mentions: "half of the 850" → 50.

    Covers "half (of) the", "a quarter of", "two-thirds of", "one in eight of",
    "nine out of ten of"; the word before sets the qualifier ("around half").
    `value` is the share in percent (rounded to two places for display); the
    exact ratio is `value / 100` only for halves, quarters and tenths, so use
    :func:`fraction_of` for arithmetic.

    >>> [(m.text, str(m.value), m.qualifier) for m in find_fractions("around half of the 850 and one in eight of them")]
    [('half', '50', 'approximately'), ('one in eight', '12.5', 'exact')]
    """
    found: list[NumberMention] = []
    lower = lowered(text)
    words, subject = _FRACTION_WORDS.on(text, lower)  # matches on `lower` hold lower-case text: fraction_of reads it so
    for match in words.finditer(subject) if may_contain(lower, _FRACTION_NEEDS) else ():
        ratio = fraction_of(match.group(0))
        if ratio is not None:
            found.append(_fraction_mention(text, match, ratio))
    one_in_n, subject = _ONE_IN_N.on(text, lower)
    for match in one_in_n.finditer(subject) if lower is None or _ONE_IN_N_NEEDS.search(lower) else ():
        ratio = fraction_of(match.group(0))
        if ratio is not None and not any(m.start <= match.start() < m.end for m in found):
            found.append(_fraction_mention(text, match, ratio))
    return sorted(found, key=lambda m: m.start)


def fraction_of(phrase: str) -> Decimal | None:
    """The ratio a fraction phrase states: "two-thirds" → 2/3, "one in eight" → 1/8, "half" → 1/2.

    >>> fraction_of("a quarter"), fraction_of("one in eight"), fraction_of("banana")
    (Decimal('0.25'), Decimal('0.125'), None)
    """
    words = re.findall(r"[a-z]+|\d+", phrase.lower())
    if words == ["half"]:
        return Decimal("0.5")
    if len(words) == 2 and words[0] in _NUMERATORS:
        den = _DENOMINATORS.get(words[1].rstrip("s")) or _DENOMINATORS.get(words[1])
        if den and _NUMERATORS[words[0]] < den:
            return Decimal(_NUMERATORS[words[0]]) / Decimal(den)
        return None
    match = re.fullmatch(r"(\w+)\s+(?:in|out\s+of)\s+(?:every\s+)?([\w\s-]+)", phrase.strip().lower())
    if not match:
        return None
    a = Decimal(match.group(1)) if match.group(1).isdigit() else parse_number_words(match.group(1))
    b = Decimal(match.group(2)) if match.group(2).isdigit() else parse_number_words(match.group(2))
    if a and b and a < b:
        return a / b
    return None


def _fraction_mention(text: str, match: re.Match[str], ratio: Decimal) -> NumberMention:
    qualifier, q_start = _qualifier_before(text, match.start())
    share = (ratio * 100).quantize(Decimal("0.01"))
    if share == share.to_integral_value():
        share = share.quantize(Decimal(1))
    elif share * 10 == (share * 10).to_integral_value():
        share = share.quantize(Decimal("0.1"))
    low: Decimal | None = share
    high: Decimal | None = share
    if qualifier in {"at_least", "more_than"}:
        high = None
    elif qualifier in {"at_most", "less_than"}:
        low = None
    return NumberMention(
        match.start(), match.end(), text[match.start() : match.end()], share, low, high, qualifier, percent=True, is_word=True, qualifier_start=q_start, ratio=ratio
    )


def find_fraction(text: str) -> tuple[Decimal, int, int] | None:
    """The first fraction that opens a partitive, as (ratio, start, end).

    >>> find_fraction("around half of the 850")
    (Decimal('0.5'), 7, 11)
    """
    for mention in find_fractions(text):
        if mention.ratio is not None:
            return mention.ratio, mention.start, mention.end
    return None
