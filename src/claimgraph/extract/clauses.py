"""Clauses: the stretch of a sentence that belongs to one figure.

A figure's measure, place and date are read from its own clause: the words up to
a semicolon, colon, bracket or dash, a contrast ("while", "but"), a relative
clause about a subset (", of whom"), or ", and" followed by a new subject
(", and until October the SDF were holding ...").
"""

from __future__ import annotations

import re

from claimgraph.extract.fastre import Folded, lowered

CLAUSE_BREAK = re.compile(r";|:|,\s+(?:of\s+whom|of\s+which|among\s+whom)\b|(?<!\.[A-Z])\.\s+(?=[A-Z0-9\"“‘(])|,\s+(?:with|while|but|whereas)\b|\s+(?:while|but|whereas)\s+|\(|\)|\s[–—]\s|\s-\s")
# ", and until mid-October the SDF were holding ...", ", and one of them went back": a clause with its own subject.
NEW_CLAUSE = re.compile(
    r",\s+(?:and|but)\s+(?=(?:until|since|by|in|after|before|when|while|then|later|meanwhile|one|some|none|most|many|all|several|few|"
    r"about|around|nearly|almost|roughly|another|a\s+further|\d)\b"
    r"|(?:the|a|an|its|their|his|her)\s+(?!(?:Netherlands|UK|U\.K\.|US|U\.S\.|USA|United|Philippines|UAE|Gambia|Maldives|Czech|Republic)\b))",
    re.I,
)
_NEW_CLAUSE = Folded(NEW_CLAUSE.pattern)  # the same matches, faster


def clause_after(text: str, start: int, stop: int) -> str:
    """The clause that starts at `start`, cut before `stop`."""
    segment = text[start:stop]
    cut = CLAUSE_BREAK.search(segment)
    segment = segment[: cut.start()] if cut else segment
    new = _NEW_CLAUSE.search(segment)
    return segment[: new.start()] if new else segment


def clause_before(text: str, end: int, start_limit: int) -> str:
    """The clause that ends at `end`, not reaching back before `start_limit`."""
    segment = text[start_limit:end]
    cuts = list(CLAUSE_BREAK.finditer(segment))
    segment = segment[cuts[-1].end() :] if cuts else segment
    scan, subject = _NEW_CLAUSE.on(segment, lowered(segment))
    new = list(scan.finditer(subject))
    return segment[new[-1].end() :] if new else segment
