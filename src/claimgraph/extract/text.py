"""Text segmentation: the readable body of a document, split into sentences with offsets.

Nothing is removed from the text (offsets must stay those of the file); parts
that can never hold a claim are *masked* with spaces instead: front matter,
footnote markers (``<sup>12</sup>``), URLs, DOI/ISSN strings, chart axis
labels alone on a line, and everything after a Notes/References heading.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

from claimgraph.extract.fastre import any_of, lowered, may_contain

_NOTES_HEADING = re.compile(
    r"^[ \t]*(?:#+[ \t]*)?(?:\*\*)?(?:notes|endnotes|footnotes|references|bibliography|works cited)(?:\*\*)?[ \t]*:?[ \t]*$",
    re.I | re.M,
)
# Each mask with what every match of it contains: a string (as written), words (any of, in lower case) or None.
_MASKS: tuple[tuple[re.Pattern[str], str | re.Pattern[str] | None], ...] = (
    (re.compile(r"<sup>.*?</sup>", re.I | re.S), "<"),  # footnote markers
    (re.compile(r"\[\^?\d+\]"), "["),  # [12] or [^12] citation markers
    (re.compile(r"<?https?://[^\s)>\]]+>?"), "://"),  # URLs
    (re.compile(r"\b(?:doi|DOI)\s*:?\s*\[?10\.\d{4,9}/[^\s\]]+\]?"), "10."),
    (re.compile(r"\b10\.\d{4,9}/\S+"), "10."),
    (re.compile(r"\bISSN:?\s*[\dXx-]+(?:\s*\([A-Za-z]+\))?(?:\s+[\dXx-]+(?:\s*\([A-Za-z]+\))?)*"), "ISSN"),
    (re.compile(r"\b(?:tel|phone|fax)\.?:?\s*\+?[\d\s().-]{7,}", re.I), any_of("tel", "phone", "fax")),
    (re.compile(r"\+\d{1,3}[\s.-]?\(?\d{1,4}\)?[\s.-]?\d{3,4}[\s.-]?\d{3,4}\b"), "+"),  # phone numbers
    (re.compile(r"^[ \t]*[\d.,]+[ \t]*[kKmM%]?[ \t]*$", re.M), None),  # chart axis labels alone on a line
    (re.compile(r"@\w+|\b[\w.+-]+@[\w-]+\.[\w.]+"), "@"),  # handles and e-mail addresses
)
_NOTES_WORDS = any_of("notes", "references", "bibliography", "works cited")  # one of which _NOTES_HEADING needs
_NOTE_MASKS = (
    re.compile(r"(?<![\w])['‘\"“](?:[^'’\"”\n]|['’](?=\w)){3,300}?['’\"”](?![\w])"),  # quoted titles
    re.compile(r"\*[^*\n]{2,200}\*"),  # italic titles
    re.compile(r"^[ \t]*[-*•]?[ \t]*\d{1,3}(?=[ \t])", re.M),  # the note's own number
)
ABBREVIATIONS = {
    "u.s", "u.k", "u.n", "e.u", "mr", "mrs", "ms", "dr", "st", "no", "nos", "vol", "p", "pp", "e.g", "i.e", "jan", "feb",
    "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "gen", "col", "lt", "sgt", "approx", "c", "ca",
    "tajik", "kyrgy", "kyrg", "neth", "switz", "azer", "kazak", "kazakh", "mac", "turkmen", "uzbek", "afghan", "etc",
    "inc", "ltd", "co", "corp", "dept", "fig", "ed", "eds", "al", "vs", "cf", "ibid", "op", "cit", "gov", "rep", "sen",
}  # fmt: skip
_NUMBERED_CAPTION = re.compile(r"(?:#+\s*|\*\*)?(?:table|figure|fig|chart|map|box|graph|exhibit|annex|appendix)\s+[\dIVXA-Z]+[a-z]?\.", re.I)
_LAST_WORD_STOP = re.compile(r"([A-Za-z][A-Za-z.]*)\.[\"'”’)\]]*$")
_WORD_STOP_CHARS = string.ascii_letters + ".\"'”’)]"
_WORD_CHAR = re.compile(r"\w")
_LINE = re.compile(r"[^\n]+")
_FUNCTION_WORD_END = re.compile(r"\b(?:and|or|of|the|in|to|a|an|with|by|for|from|at|on|into|than|as|that|who)$", re.I)
# A stop and its closing quotes or brackets, before a capital or digit or at the end. Written with the stop
# first (not as two alternatives that each start with it) so that re scans for the stop at C speed; the
# match is the same, as the closing characters are never spaces.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]*_]*(?:(?=\s+[\"'“‘(\[*_]?[A-Z0-9])|$)")


@dataclass(frozen=True)
class Sentence:
    """A sentence of the document: its span in the file's text and its (masked) text."""

    start: int
    end: int
    text: str  # the masked text of the span (same length as the span)
    paragraph: int  # index of the paragraph it belongs to
    in_notes: bool = False  # after a Notes/References heading


def mask(text: str, start: int, end: int) -> str:
    """Replace text[start:end] by spaces, keeping newlines."""
    blanked = "\n".join(" " * len(line) for line in text[start:end].split("\n"))
    return text[:start] + blanked + text[end:]


def readable_body(text: str, body_offset: int) -> str:
    """The document text with everything that cannot hold a claim masked by spaces."""
    masked = mask(text, 0, body_offset) if body_offset else text
    notes = _notes_heading(masked, body_offset)
    if notes:  # in notes, keep the prose but mask cited titles and note numbers
        for pattern in _NOTE_MASKS:
            for match in list(pattern.finditer(masked, notes.start())):
                masked = mask(masked, match.start(), match.end())
    for pattern, needed in _MASKS:
        if not _may_match(masked, needed):
            continue
        for match in list(pattern.finditer(masked)):
            masked = mask(masked, match.start(), match.end())
    return masked


def _may_match(text: str, needed: str | re.Pattern[str] | None) -> bool:
    """Whether a mask may match `text`, given what each of its matches contains (see `_MASKS`)."""
    if needed is None:
        return True
    if isinstance(needed, str):
        return needed in text
    return may_contain(lowered(text), needed)


def _notes_heading(masked: str, pos: int = 0) -> re.Match[str] | None:
    """The first Notes/References heading at or after `pos`."""
    if not may_contain(lowered(masked), _NOTES_WORDS):
        return None
    return _NOTES_HEADING.search(masked, pos)


def _ends_with_abbreviation(chunk: str) -> bool:
    if _NUMBERED_CAPTION.fullmatch(chunk.strip()):
        return True  # "## Table 1. Foreign fighters by country" is one heading
    # Every match is made of _WORD_STOP_CHARS up to the end: search only the chunk's last run of them.
    tail = chunk if chunk.endswith("\n") else chunk[len(chunk.rstrip(_WORD_STOP_CHARS)) :]
    match = _LAST_WORD_STOP.search(tail)
    if not match:
        return False
    word = match.group(1).lower()
    return word in ABBREVIATIONS or len(word) == 1


def notes_start(masked: str) -> int:
    """Where a Notes/References section starts, or the text's length when there is none."""
    match = _notes_heading(masked)
    return match.start() if match else len(masked)


def split_sentences(masked: str) -> list[Sentence]:
    """Sentences of a masked body, as spans of the original text.

    A line break inside a sentence (a page break, a wrapped line) does not end it
    when the next line starts in lower case; a blank line or a line with no
    words at all does.
    """
    sentences: list[Sentence] = []
    paragraph = 0
    notes = notes_start(masked)
    for block in _paragraph_spans(masked):
        start = block[0]
        pos = block[0]
        block_end = block[1]
        while pos < block_end:
            match = _SENTENCE_END.search(masked, pos, block_end)
            if match is None:
                cut = block_end
            else:
                cut = match.end()
                if masked[match.start()] == "." and _ends_with_abbreviation(masked[start : match.end()]):
                    pos = match.end()
                    if pos < block_end:
                        continue
                    cut = block_end
            _add_sentence(sentences, masked, start, cut, paragraph, start >= notes)
            start = pos = cut
        paragraph += 1
    return sentences


def _add_sentence(sentences: list[Sentence], masked: str, start: int, end: int, paragraph: int, in_notes: bool) -> None:
    while start < end and masked[start].isspace():
        start += 1
    while end > start and masked[end - 1].isspace():
        end -= 1
    if end > start and _WORD_CHAR.search(masked, start, end):
        sentences.append(Sentence(start, end, masked[start:end], paragraph, in_notes))


def _paragraph_spans(masked: str) -> list[tuple[int, int]]:
    """Blocks separated by line breaks, re-joined where a sentence runs over the break."""
    spans: list[tuple[int, int]] = []
    for match in _LINE.finditer(masked):
        start, end = match.span()
        if not masked[start:end].strip():
            continue
        if spans and _continues(masked, spans[-1], start):
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def _continues(masked: str, previous: tuple[int, int], start: int) -> bool:
    tail = masked[previous[0] : previous[1]].rstrip()
    head = masked[start:].lstrip()
    if not tail or not head:
        return False
    if tail[-1] in ".!?:;\"”’)]":
        return False
    function_word = _FUNCTION_WORD_END.search(tail)
    return head[0].islower() or bool(function_word) or (tail[-1] == "," and len(tail.split()) > 3)
