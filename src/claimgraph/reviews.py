"""Reviewers' verdicts on conflicts: a plain-text file beside the corpus, re-applied by every build.

The reviews file (``reviews.tsv`` in the corpus folder by default) holds one
verdict per line, tab-separated, so it diffs and merges like any text::

    # conflict   verdict    prefer  reviewer  reviewed_at           claims                                  note
    5183d89e…    confirmed  b       alice     2026-11-22T05:10:00Z  wapo.md@1234=7;gwu.md@880=12            GWU counts …

Lines are only ever appended; the last line for a conflict wins, so the file
is also the history of every decision. ``prefer`` names the claim the reviewer
holds right (``a`` or ``b`` of the conflict, or empty), which makes it the
group's consensus and deprecates the other claim.

Conflict ids are content hashes of the two claims, which change when a
document is edited (offsets move) or the extractor improves. A verdict whose
conflict no longer exists is matched again by its claims' documents and
figures (``claims``); when that finds exactly one conflict it is re-attached,
otherwise it is reported as stale, never silently dropped.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from claimgraph.errors import InputError
from claimgraph.store import write_atomic

VERDICTS: tuple[str, ...] = ("confirmed", "dismissed", "explained")
REVIEWS_FILE = "reviews.tsv"
COLUMNS = ("conflict", "verdict", "prefer", "reviewer", "reviewed_at", "claims", "note")
HEADER = (
    "# claimgraph reviews: one verdict per line, tab-separated; the last line for a conflict wins.\n"
    "# verdicts: confirmed (a real disagreement), dismissed (not a conflict), explained (both can stand, see note).\n"
    "# " + "\t".join(COLUMNS) + "\n"
)
_HEX_ID = re.compile(r"^[0-9a-f]{6,64}$")


@dataclass(frozen=True)
class Review:
    """One reviewer's verdict on one conflict, as one line of the reviews file."""

    conflict: str  # the conflict's id: the last segment of its IRI
    verdict: str
    reviewer: str
    reviewed_at: str  # ISO 8601, UTC
    note: str = ""
    prefer: str = ""  # "a" or "b": the claim the reviewer holds right; "" for none
    claims: str = ""  # "file@start=value;file@start=value" of claim a and claim b, to re-attach after ids change
    line: int = 0  # where it was read (0 for a new review)


@dataclass(frozen=True)
class ConflictRef:
    """What matching needs to know about a current conflict: its id and its two claims' fingerprints."""

    conflict: str
    claim_a: str  # fingerprint "file@start=value"
    claim_b: str


@dataclass
class ReviewMatch:
    """Reviews applied to current conflicts (by conflict id), re-attached ones, and stale ones."""

    applied: dict[str, Review] = field(default_factory=dict)
    reattached: list[tuple[Review, str]] = field(default_factory=list)
    stale: list[Review] = field(default_factory=list)

    def messages(self, path: Path | str) -> list[str]:
        """One warning per re-attached or stale verdict, naming the file and line."""
        lines = [
            f"{path}:{review.line}: verdict '{review.verdict}' on conflict {review.conflict} re-attached to conflict {new} "
            f"(same documents and figures; ids changed)"
            for review, new in self.reattached
        ]
        lines += [
            f"{path}:{review.line}: verdict '{review.verdict}' on conflict {review.conflict} ({review.claims or 'no claims recorded'}) "
            f"matches no conflict of this build: kept in the file, not applied"
            for review in self.stale
        ]
        return lines


def conflict_id(iri: str) -> str:
    """The short id of a conflict or claim: the last segment of its IRI."""
    return iri.rstrip("/").rsplit("/", 1)[-1]


def fingerprint(source_file: str, start: int | str, value: str) -> str:
    """A claim as the reviews file records it: document, offset and figure ("wapo.md@1234=7")."""
    return f"{source_file}@{start}={value}"


def default_reviewer() -> str:
    """Who is reviewing: $CLAIMGRAPH_REVIEWER, else the login name."""
    return os.environ.get("CLAIMGRAPH_REVIEWER") or getpass.getuser()


def now_utc() -> str:
    """The current time in ISO 8601 UTC, to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "")


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"t": "\t", "n": "\n"}.get(m.group(1), m.group(1)), text)


def format_review(review: Review) -> str:
    """The line of the reviews file for a review (tabs and newlines in the note escaped)."""
    fields = (review.conflict, review.verdict, review.prefer, review.reviewer, review.reviewed_at, review.claims, review.note)
    return "\t".join(_escape(value) for value in fields) + "\n"


def parse_reviews(text: str, path: Path | str) -> list[Review]:
    """The reviews of a reviews file's text; a malformed line raises InputError naming the file and line."""
    reviews = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        fields = raw.split("\t")
        if len(fields) != len(COLUMNS):
            raise InputError(f"expected {len(COLUMNS)} tab-separated fields ({', '.join(COLUMNS)}), found {len(fields)}", str(path), number)
        conflict, verdict, prefer, reviewer, reviewed_at, claims, note = (_unescape(f) for f in fields)
        if not _HEX_ID.match(conflict):
            raise InputError(f"'{conflict}' is not a conflict id", str(path), number)
        if verdict not in VERDICTS:
            raise InputError(f"unknown verdict '{verdict}' (use {', '.join(VERDICTS)})", str(path), number)
        if prefer not in ("", "a", "b"):
            raise InputError(f"prefer must be a, b or empty, not '{prefer}'", str(path), number)
        try:
            dt.datetime.fromisoformat(reviewed_at.replace("Z", "+00:00"))
        except ValueError:
            raise InputError(f"'{reviewed_at}' is not an ISO 8601 date and time", str(path), number) from None
        reviews.append(Review(conflict, verdict, reviewer, reviewed_at, note, prefer, claims, number))
    return reviews


def read_reviews(path: Path | str | None) -> list[Review]:
    """The reviews in a reviews file, in file order; none when the file does not exist."""
    if path is None or not Path(path).is_file():
        return []
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason})", str(path)) from None
    return parse_reviews(text, path)


def append_review(path: Path | str, review: Review) -> None:
    """Add one line to the reviews file (created with its header when missing); the file is never half-written."""
    target = Path(path)
    existing = target.read_text(encoding="utf-8") if target.is_file() else HEADER
    if existing and not existing.endswith("\n"):
        existing += "\n"
    write_atomic(target, existing + format_review(review))


def _figures(claims: str) -> frozenset[str]:
    """The documents and figures of a fingerprint pair, without offsets ("wapo.md=7")."""
    return frozenset(re.sub(r"@\d+=", "=", part) for part in claims.split(";") if part)


def match_reviews(reviews: Iterable[Review], conflicts: Iterable[ConflictRef]) -> ReviewMatch:
    """Apply the last verdict per conflict; re-attach by documents and figures when ids changed; report the rest."""
    current = {ref.conflict: ref for ref in conflicts}
    by_figures: dict[frozenset[str], list[ConflictRef]] = {}
    for ref in current.values():
        by_figures.setdefault(_figures(f"{ref.claim_a};{ref.claim_b}"), []).append(ref)
    latest: dict[str, Review] = {}
    for review in reviews:
        latest.pop(review.conflict, None)
        latest[review.conflict] = review  # re-inserted: dict order is the order of each conflict's last line
    match = ReviewMatch()
    for review in latest.values():
        if review.conflict in current:
            match.applied[review.conflict] = review
            continue
        candidates = by_figures.get(_figures(review.claims), []) if review.claims else []
        if len(candidates) == 1 and candidates[0].conflict not in match.applied:
            ref = candidates[0]
            match.applied[ref.conflict] = replace(review, prefer=_remap_prefer(review, ref))
            match.reattached.append((review, ref.conflict))
        else:
            match.stale.append(review)
    return match


def _remap_prefer(review: Review, ref: ConflictRef) -> str:
    """Which of the new conflict's claims the reviewer preferred (claims may swap places when ids change)."""
    if not review.prefer:
        return ""
    old = review.claims.split(";")
    preferred = _figures(old[0] if review.prefer == "a" else old[-1])
    return "a" if _figures(ref.claim_a) == preferred else "b"


def resolve_conflict(token: str, conflict_iris: Iterable[str]) -> str:
    """The conflict IRI that TOKEN names (a full IRI, an id, or a unique prefix of at least 6 characters)."""
    iris = list(conflict_iris)
    exact = [iri for iri in iris if token in (iri, conflict_id(iri))]
    if exact:
        return exact[0]
    if len(token) < 6:
        raise InputError(f"conflict '{token}': give its id (or at least its first 6 characters)")
    found = [iri for iri in iris if conflict_id(iri).startswith(token)]
    if not found:
        raise InputError(f"no conflict '{token}' in this graph: list them with 'claimgraph conflicts GRAPH'")
    if len(found) > 1:
        raise InputError(f"conflict '{token}' is ambiguous: {', '.join(conflict_id(i) for i in found[:5])}")
    return found[0]

