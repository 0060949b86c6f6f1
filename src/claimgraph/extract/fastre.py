"""Making the extractor's regexes cheaper without changing what they match.

`trie_alternation` writes an alternation of many words as a trie. `lowered`,
`any_of` and `may_contain` are cheap word tests that let a costly
case-insensitive regex be skipped when it cannot match.

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

# Letters that IGNORECASE matches to an ASCII letter (i, i, s) but that lower() does not turn into it.
_FOLDS_APART = re.compile("[\u0130\u0131\u017f]")


def lowered(text: str) -> str | None:
    """`text` in lower case for `may_contain`, or None when lower case cannot stand for IGNORECASE matching."""
    if _FOLDS_APART.search(text):
        return None
    return text.lower()


def any_of(*words: str) -> re.Pattern[str]:
    """A case-sensitive pattern for `may_contain`: any of `words` (lower-case ASCII)."""
    return re.compile("|".join(re.escape(word) for word in words))


def may_contain(lowered_text: str | None, words: re.Pattern[str]) -> bool:
    """Whether a case-insensitive pattern whose every match contains one of `words` (made by `any_of`) may
    match the text `lowered_text` was made from (by `lowered`)."""
    return lowered_text is None or words.search(lowered_text) is not None


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
