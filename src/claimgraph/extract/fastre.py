"""Making the extractor's regexes cheaper without changing what they match.

`trie_alternation` writes an alternation of many words as a trie. `lowered`,
`any_of` and `may_contain` are cheap word tests that let a costly
case-insensitive regex be skipped when it cannot match; `WordNeeds` does the
same for several patterns in one scan; `search_from_starts` tries a pattern
only where its matches can start. `Folded` runs a
case-insensitive regex as its case-sensitive twin over the lower-cased text,
where ``re``'s fast scans work.

Python's ``re`` scans a case-insensitive alternation slowly: at every position of
the text it tries each alternative in turn. Most sentences hold none of the words
such a pattern needs, so the extractor first asks whether the lower-cased text
contains any word that *every* match of the pattern must contain; only then is
the pattern run. The test is exact, never a heuristic: when it says no, the
pattern has no match.

``re.IGNORECASE`` matches an ASCII letter to its two cases, to the Kelvin sign
(whose ``lower()`` is ``k``) and to three letters whose ``lower()`` is not that
letter (``İ``, ``ı``, ``ſ``); a text holding one of those three is never
filtered.
"""

from __future__ import annotations

import re

# Pattern text whose lower-case twin would not mean the same: upper-case escapes (\S, \W, ...), inline flags,
# negated character classes holding letters.
_UNFOLDABLE = re.compile(r"\\[ABDGNSWZ]|\(\?[a-zA-Z]*-|\(\?[aiLmsux]|\[\^[^\]]*[A-Za-z]|\(\?P[<=][^>)]*[A-Z]")
_GROUP_SYNTAX = re.compile(r"\(\?p([<=])")
# Non-ASCII letters that IGNORECASE matches to exactly the characters whose lower() they are (checked over all of
# Unicode in tests/test_extract_speed_equivalence.py): a pattern may hold them in either case.
FOLDABLE_LETTERS = "ßàáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿ"
# Letters that IGNORECASE matches to an ASCII letter (i, i, s) but that lower() does not turn into it.
_FOLDS_APART = re.compile("[\u0130\u0131\u017f]")


def lowered(text: str) -> str | None:
    """`text` in lower case for `may_contain`, or None when lower case cannot stand for IGNORECASE matching."""
    if not text.isascii() and _FOLDS_APART.search(text):
        return None
    return text.lower()


def any_of(*words: str) -> re.Pattern[str]:
    """A case-sensitive pattern for `may_contain`: any of `words` (lower-case ASCII)."""
    return re.compile("|".join(re.escape(word) for word in words))


def may_contain(lowered_text: str | None, words: re.Pattern[str]) -> bool:
    """Whether a case-insensitive pattern whose every match contains one of `words` (made by `any_of`) may
    match the text `lowered_text` was made from (by `lowered`)."""
    return lowered_text is None or words.search(lowered_text) is not None


def search_from_starts(pattern: re.Pattern[str], text: str, starts: re.Pattern[str], lowered_text: str | None) -> re.Match[str] | None:
    """``pattern.search(text)`` for a pattern each match of which starts where `starts` (made by `any_of`)
    matches the lower-cased text: the pattern is tried there only, left to right."""
    if lowered_text is None:
        return pattern.search(text)
    start = starts.search(lowered_text)
    while start:
        match = pattern.match(text, start.start())
        if match:
            return match
        start = starts.search(lowered_text, start.start() + 1)
    return None


def trie_alternation(words: list[str]) -> str:
    """One alternation for many words, shared prefixes factored out (much faster than a flat alternation).

    Like a flat alternation sorted longest first, it tries the longest word that matches first, and
    shorter ones only when what follows fails: it gives the same match.

    >>> trie_alternation(["one", "on", "two"])
    '(?:on(?:e|)|two)'
    """
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(char) + build(child) for char, child in node.items() if char]
        if "" in node:
            branches.append("")  # the word ends here: tried after every longer word
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return build(trie)


def fold_pattern(pattern: str) -> str:
    """The case-sensitive twin of a case-insensitive pattern, for text lower-cased by `lowered`.

    On such text the twin matches exactly where the pattern does, because ``lower()`` keeps every
    character's length and its class (``\\w``, ``\\s``, ``\\d``), and maps an ASCII letter's cases (and the
    Kelvin sign) to the one lower-case letter the twin spells (so for `FOLDABLE_LETTERS`). Raises ValueError
    for a pattern the lower-casing would change otherwise (see `_UNFOLDABLE`) or that holds another letter.

    >>> fold_pattern("(?P<group>ISIS|Daesh)[A-Z]?")
    '(?P<group>isis|daesh)[a-z]?'
    """
    if _UNFOLDABLE.search(pattern) or any(not c.isascii() and not _foldable(c) for c in pattern):
        raise ValueError(f"cannot fold {pattern[:60]!r}")
    return _GROUP_SYNTAX.sub(r"(?P\1", pattern.lower())


def _foldable(char: str) -> bool:
    """A non-ASCII character that lower-cases as IGNORECASE matches it: uncased, or one of FOLDABLE_LETTERS."""
    return char.lower() == char.upper() == char or char.lower() in FOLDABLE_LETTERS


class Folded:
    """A case-insensitive pattern that, on text lower-cased by `lowered`, runs as its faster case-sensitive twin.

    Matches found on the lower-cased text have the same spans as on the text; their groups hold
    lower-case text.
    """

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.insensitive = re.compile(pattern, flags | re.IGNORECASE)
        self.sensitive = re.compile(fold_pattern(pattern), flags & ~re.IGNORECASE)

    def on(self, text: str, lowered_text: str | None) -> tuple[re.Pattern[str], str]:
        """The pattern to run and the string to run it on: the twin on `lowered_text` when there is one."""
        if lowered_text is None:
            return self.insensitive, text
        return self.sensitive, lowered_text

    def search(self, text: str) -> re.Match[str] | None:
        """The first match in `text` (its groups in lower case)."""
        return self.search_lowered(text, lowered(text))

    def match(self, text: str) -> re.Match[str] | None:
        """A match at the start of `text` (its groups in lower case)."""
        lower = lowered(text)
        return self.insensitive.match(text) if lower is None else self.sensitive.match(lower)

    def search_lowered(self, text: str, lowered_text: str | None) -> re.Match[str] | None:
        """The first match in `text`, found in `lowered_text` (``lowered(text)``) when there is one."""
        return self.insensitive.search(text) if lowered_text is None else self.sensitive.search(lowered_text)


class WordNeeds:
    """For several patterns, the words one of which each pattern's every match contains (lower-case ASCII):
    one scan of a lower-cased text tells which patterns may match it (as `may_contain` would for each)."""

    def __init__(self, needs: dict[str, tuple[str, ...]]) -> None:
        words = sorted({word for each in needs.values() for word in each})
        self._finder = re.compile(trie_alternation(words))  # the longest word at a position
        self._all = frozenset(needs)
        # The patterns a word found allows: those that need it or a word inside it.
        self._allows = {word: frozenset(name for name, each in needs.items() if any(w in word for w in each)) for word in words}

    def possible(self, lowered_text: str | None) -> frozenset[str]:
        """Names of the patterns that may match the text `lowered_text` was made from (by `lowered`)."""
        if lowered_text is None:
            return self._all
        possible: frozenset[str] = frozenset()
        match = self._finder.search(lowered_text)
        while match:  # every position where a word starts, so words that overlap are all found
            possible |= self._allows[match.group(0)]
            match = self._finder.search(lowered_text, match.start() + 1)
        return possible
