"""Reconcile stage: find the figures that cannot all be right, and say why.

The reconciler never deletes or hides a claim: it marks conflicts and ranks
claims (preferred / normal / deprecated, as Wikidata does). It runs small named
passes in order over *groups* of comparable claims (same measure, population,
country and region), never over all pairs of the corpus.

Figures of one sentence are never compared with each other (they describe
parts of one picture: "captured by 900 jihadists, with 40 foreign fighters").
Two documents that credit one primary source within a year of each other
quote the same report, so their figures are compared as of one date; when
they disagree it is a ``quotation_mismatch``.

Time: measures that only grow (departed, returned, charged, ...) form a
cumulative series: a later figure below an earlier one is a
``temporal_inconsistency``; a later figure above is no conflict. Figures for
overlapping periods ("2017" contains "2017-10") must agree (``value_mismatch``).
Snapshot measures (active, detained, unaccounted) are compared only where their
periods overlap.
"""

from __future__ import annotations

import bisect
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from operator import attrgetter

from claimgraph.candidates import candidate_pairs, evidence_units
from claimgraph.consensus import Consensus, claim_ranks, normal_ranks, rank_claims
from claimgraph.gcpause import paused_gc
from claimgraph.intervals import (  # noqa: F401  (re-exported: the tolerance rules live there)
    APPROXIMATE_TOLERANCE,
    DERIVED_TOLERANCE,
    Interval,
    claim_interval,
    describe,
    period,
    subject,
    written_precision,
)
from claimgraph.model import Claim, Conflict, format_number
from claimgraph.reviews import ConflictRef, Review, ReviewMatch, conflict_id, fingerprint, match_reviews
from claimgraph.scope import scope_violations
from claimgraph.vocab import CUMULATIVE_MEASURES

QUOTATION_WINDOW_DAYS = 366  # documents quoting one source within a year quote the same report
MAX_SEARCHED = 50  # copies a side looked at for a conflicting pair (copies that read alike are decided once)
MAX_CARRIED = 5  # copies a side that one conflict between two evidence units is carried to (more are the same evidence)
DIRECT_PAIRS = 16  # up to this many copy pairs, two units are compared pair by pair

def group_key(claim: Claim) -> tuple[str, str, str, str]:
    """Claims count the same thing when measure, population, place and region agree."""
    return (claim.measure, claim.population, claim.country, claim.region)


def comparable(claim: Claim) -> bool:
    """Only counts of people with a known measure and place take part in reconciliation."""
    return claim.unit == "persons" and claim.measure != "other" and bool(claim.country)


@dataclass
class GroupMemo:
    """The conflicts of groups found by an earlier build, so a rebuild compares again only the groups that changed.

    ``document_keys`` gives the extraction-cache key of each file (by its name
    in the corpus): a document's key names its text, metadata and the code that
    read it, so it names its claims too. A group's key hashes the group, the
    keys of the documents its claims come from and ``code``, so any change to a
    member or to the reconciler's code misses. ``used`` collects this run's entries.
    """

    known: dict[str, list[Conflict]]
    document_keys: Mapping[str, str]
    code: str = ""
    used: dict[str, list[Conflict]] = field(default_factory=dict)
    digests: dict[int, tuple[list[Claim], str | None]] = field(default_factory=dict)  # by id of a group's list (kept alive)

    def key(self, *parts: list[Claim], label: str = "") -> str | None:
        """The key of a group (or of several, with a LABEL saying how they are compared); None when a document has no key."""
        lines = [self.code, label]
        for members in parts:
            digest = self.digest(members)
            if digest is None:
                return None
            lines.append(digest)
        return hashlib.sha256("\n".join(lines).encode()).hexdigest()

    def digest(self, members: list[Claim]) -> str | None:
        """A digest of a whole group from its MEMBERS, in any order: its key, size and the keys of the documents they come
        from (which say which claims those are); None when a document has no key. Made once per group: a whole such as
        the world's figures takes part in a scope constraint with every place.

        A digest per claim (its document's key and place there) took two and a half times as long: a rebuild of 10^5 documents
        made and looked up half a million of them.
        """
        found = self.digests.get(id(members))
        if found is None:
            keys = list(map(self.document_keys.get, set(map(_SOURCE_FILE, members))))  # in C: a group can hold 90,000 claims
            text = None
            if None not in keys:
                lines = [repr(group_key(members[0])), str(len(members)), *sorted(keys)]  # type: ignore[list-item]
                text = hashlib.sha256("\n".join(lines).encode("utf-8", "surrogatepass")).hexdigest()
            found = self.digests[id(members)] = (members, text)
        return found[1]

    def reuse(self, compute: Callable[[], list[Conflict]], *parts: list[Claim], label: str = "") -> list[Conflict]:
        """The conflicts an earlier build found for these claims, else COMPUTE's; either way kept for the next build."""
        key = self.key(*parts, label=label)
        found = self.known.get(key) if key else None
        if found is None:
            found = compute()
        if key:
            self.used[key] = found
            self.note(key, found, parts, label)
        return found

    def note(self, key: str, found: list[Conflict], parts: tuple[list[Claim], ...], label: str) -> None:
        """Called with each entry this run uses (for a subclass that records more; nothing here)."""


@dataclass
class ReconcileResult:
    """What reconciliation found: conflicts, a rank per claim, and a consensus per group."""

    conflicts: list[Conflict] = field(default_factory=list)  # in the tables' order: most severe first, then by IRI
    ranks: dict[str, str] = field(default_factory=dict)
    consensus: list[Consensus] = field(default_factory=list)
    verdicts: dict[str, Review] = field(default_factory=dict)  # reviewers' verdicts by conflict IRI
    reviews: ReviewMatch = field(default_factory=ReviewMatch)  # which verdicts applied, moved or went stale

    def report(self) -> str:
        """A short text report, one line per conflict, most severe first."""
        lines = [f"{len(self.conflicts)} conflicts"]
        for conflict in sorted(self.conflicts, key=lambda c: -c.severity):
            lines.append(f"  [{conflict.severity:.2f}] {conflict.kind}: {conflict.reason}")
        return "\n".join(lines)


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _severity(a: Claim, b: Claim, gap: float) -> float:
    scale = max(abs(float(a.value)), abs(float(b.value)), 1.0)
    distance = min(1.0, gap / scale * 2)
    directness = 1.0 if not (a.derived_from or b.derived_from) else 0.8
    return round(min(1.0, (0.3 + 0.7 * distance) * directness), 3)


_FOUND = Conflict("value_mismatch", 0.0, "", "", "")  # what _pair_conflict answers when it need not explain


def _pair_conflict(a: Claim, b: Claim, apart: bool | None = None, explain: bool = True) -> Conflict | None:
    """The conflict between two claims of one group, if their figures cannot both be true.

    APART says whether to treat them as read in two different files (default:
    whether they are); without EXPLAIN, any conflict found is ``_FOUND`` (no reason is written).
    """
    low_a, high_a, open_a = a.interval
    low_b, high_b, open_b = b.interval
    if (
        low_a <= (high_b - 1e-9 if open_b else high_b) and low_b <= (high_a - 1e-9 if open_a else high_a)
        and (low_a < high_b or not open_b) and (low_b < high_a or not open_a)
    ):  # fmt: skip
        # Intervals that overlap (Interval.overlaps, written out) never conflict, whatever the dates; the last two
        # tests keep this exact where 1e-9 is below a float's precision (an open upper end equal to the other's lower).
        return None
    first, second = (a, b) if a.iri < b.iri else (b, a)
    interval_a, interval_b = first.interval, second.interval
    period_a, period_b = period(first.as_of), period(second.as_of)
    same_time = period_a is None or period_b is None or (period_a[0] <= period_b[1] and period_b[0] <= period_a[1])
    apart = first.source_file != second.source_file if apart is None else apart
    same_source = bool(first.attributed_to) and first.attributed_to == second.attributed_to and apart
    cumulative = first.measure in CUMULATIVE_MEASURES
    different_years = len(first.as_of) == len(second.as_of) == 4  # "in 2015" vs "in 2016": the writers date them apart
    if same_source and not same_time and not different_years and abs((period_a[0] - period_b[0]).days) <= QUOTATION_WINDOW_DAYS:  # type: ignore[index]
        earlier, later = (interval_a, interval_b) if period_a[0] < period_b[0] else (interval_b, interval_a)  # type: ignore[index]
        derived = bool(first.derived_from or second.derived_from)
        if cumulative and not derived and later.high - (1e-9 if later.open_high else 0) >= earlier.low:
            return None  # the source's later figure may be an update of a total that grew
        same_time = True  # two documents quoting one report: its figure has one date
    if same_time:  # (their intervals do not overlap)
        if not explain:
            return _FOUND
        kind = "derived_mismatch" if (first.derived_from or second.derived_from) else "value_mismatch"
        if kind == "value_mismatch" and same_source:
            kind = "quotation_mismatch"
        reason = (
            f"{first.description} and {second.description} count the same {subject(first)} "
            f"for overlapping dates, and their intervals do not overlap."
        )
        gap = max(interval_b.low - interval_a.high, interval_a.low - interval_b.high, 0.0)  # Interval.gap of disjoint ones
        return Conflict(kind, _severity(first, second, gap), first.iri, second.iri, reason)
    if not cumulative:
        return None  # snapshots at different times may differ
    earlier, later = (first, second) if period_a[1] < period_b[0] else (second, first)  # type: ignore[index]
    interval_earlier, interval_later = earlier.interval, later.interval
    if interval_later.high < interval_earlier.low or (interval_later.open_high and interval_later.high <= interval_earlier.low):
        if not explain:
            return _FOUND
        reason = (
            f"{_capitalised(subject(later))} only grows over time, but the later figure {later.description} "
            f"is below the earlier {earlier.description}."
        )
        gap = interval_earlier.low - interval_later.high
        return Conflict("temporal_inconsistency", _severity(earlier, later, gap), first.iri, second.iri, reason)
    return None


def find_conflicts(
    claims: Iterable[Claim], groups: dict[tuple[str, str, str, str], list[Claim]] | None = None, memo: GroupMemo | None = None
) -> list[Conflict]:
    """Conflicts within each group of comparable claims, plus scope violations between groups, sorted as every table
    lists them (see :func:`unsorted_conflicts`)."""
    groups = comparable_groups(claims) if groups is None else groups
    return sorted_conflicts(unsorted_conflicts(groups, memo))


def unsorted_conflicts(groups: dict[tuple[str, str, str, str], list[Claim]], memo: GroupMemo | None = None) -> list[Conflict]:
    """Conflicts within each group of comparable claims, plus scope violations between groups: each IRI once (its first
    conflict), in the order found.

    Claims are merged into evidence units (copies of one source's figure) and
    only candidate pairs of units are compared (see :mod:`claimgraph.candidates`),
    so a group of thousands of claims costs near-linear time. When one copy
    conflicts with a claim, the conflict is carried to the other copies of both
    units (at most ``MAX_CARRIED`` copies a side, so one figure quoted by a
    whole archive does not flood the audit).
    """
    found = scope_violations(groups, memo)
    for key, members in groups.items():
        found.extend(memo.reuse(lambda k=key, m=members: group_conflicts(k, m), members) if memo else group_conflicts(key, members))
    return first_of_each_iri(found)


def group_conflicts(key: tuple[str, str, str, str], members: list[Claim]) -> list[Conflict]:
    """The conflicts within one group of comparable claims (its KEY, its MEMBERS in the claims' order), in the order found."""
    units = evidence_units(members)
    pairs = [(units[i], units[j]) for i, j in candidate_pairs(units, key[0] in CUMULATIVE_MEASURES)]
    search = _PairSearch()
    return [c for a, b in pairs if a.may_disagree(b) for c in _unit_conflict(a.claims, b.claims, search)]


def first_of_each_iri(found: list[Conflict]) -> list[Conflict]:
    """The first conflict of each IRI in FOUND, in their order (read backwards, the first one is written last; made in C)."""
    return list(dict(zip(map(_IRI, reversed(found)), reversed(found), strict=True)).values())


_IRI, _SEVERITY, _SOURCE_FILE = attrgetter("iri"), attrgetter("severity"), attrgetter("source_file")


def sorted_conflicts(conflicts: list[Conflict]) -> list[Conflict]:
    """CONFLICTS sorted in place as every table lists them: most severe first, then by IRI.

    Two stable sorts on keys read in C (by IRI, then by severity reversed, which
    keeps equal severities in IRI order): half the time of one sort on
    ``(-severity, iri)`` tuples over a million conflicts.
    """
    conflicts.sort(key=_IRI)
    conflicts.sort(key=_SEVERITY, reverse=True)
    return conflicts


Keys = tuple[list[float], list[str]]  # the severities and IRIs of a list of conflicts, in its order


def sort_keys(conflicts: list[Conflict]) -> Keys:
    """The severities and IRIs of CONFLICTS (what the tables' order reads), each read once in C."""
    return list(map(_SEVERITY, conflicts)), list(map(_IRI, conflicts))


def table_order(keys: Keys) -> list[int]:
    """The positions of conflicts with these KEYS in the tables' order (as :func:`sorted_conflicts` sorts them): two
    stable sorts of positions, by IRI and then by severity reversed, on keys read in C."""
    severities, iris = keys
    order = sorted(range(len(iris)), key=iris.__getitem__)
    order.sort(key=severities.__getitem__, reverse=True)
    return order


def merge_sorted(first: list[Conflict], second: list[Conflict], first_keys: Keys | None = None, second_keys: Keys | None = None
                 ) -> list[Conflict]:  # fmt: skip
    """Two lists of conflicts, each sorted as :func:`sorted_conflicts` sorts them, as one sorted list.

    The answer of sorting both together, in time linear in their length: runs of
    one list more severe than the other's next conflict are copied whole (found
    by bisection), and only conflicts of one severity in both lists are sorted
    by IRI. With their :func:`sort_keys` (FIRST_KEYS, SECOND_KEYS), no conflict
    is read at all: 0.1 s for a million, against 0.3-0.8 s reading each one twice.
    """
    severities_a, iris_a = first_keys or sort_keys(first)
    severities_b, iris_b = second_keys or sort_keys(second)
    up_a, up_b = [-s for s in severities_a], [-s for s in severities_b]  # ascending, for bisection
    merged: list[Conflict] = []
    i = j = 0
    while i < len(first) and j < len(second):
        here, there = up_a[i], up_b[j]
        if here < there:  # FIRST's next conflicts are more severe than SECOND's next
            end = bisect.bisect_left(up_a, there, i)
            merged += first[i:end]
            i = end
        elif there < here:
            end = bisect.bisect_left(up_b, here, j)
            merged += second[j:end]
            j = end
        else:  # one severity in both: by IRI
            end_a, end_b = bisect.bisect_right(up_a, here, i), bisect.bisect_right(up_b, here, j)
            block, iris = first[i:end_a] + second[j:end_b], iris_a[i:end_a] + iris_b[j:end_b]
            merged += [block[n] for n in sorted(range(len(block)), key=iris.__getitem__)]
            i, j = end_a, end_b
    merged += first[i:]
    merged += second[j:]
    return merged


def _one_picture(a: Claim, b: Claim) -> bool:
    """Figures of one sentence describe parts of one picture ("900 jihadists, with 40 foreign fighters")."""
    return a.source_file == b.source_file and a.quote_start == b.quote_start


def _signature(claim: Claim) -> tuple:
    """Everything :func:`_pair_conflict` reads of a claim to decide, except which file it is in."""
    return (claim.interval, claim.as_of, claim.attributed_to, bool(claim.derived_from), claim.measure)


class _Copies:
    """The copies of an evidence unit searched for a conflicting pair, and what deciding a pair reads of them.

    Made once per unit and group (a unit is in several candidate pairs). When a
    pair has too many copies to try one by one, :meth:`sign` adds each copy's
    signature as a number (equal numbers: copies that read alike) and the
    files the copies are in.
    """

    __slots__ = ("claims", "signatures", "files")

    def __init__(self, claims: list[Claim]) -> None:
        self.claims = claims[:MAX_SEARCHED]
        self.signatures: list[int] = []
        self.files: set[str] = set()

    def sign(self, numbers: dict[tuple, int]) -> _Copies:
        """These copies with their signatures (numbered in NUMBERS, shared by a group), read on first use."""
        if not self.signatures:
            self.signatures = [numbers.setdefault(_signature(c), len(numbers)) for c in self.claims]
            self.files = {c.source_file for c in self.claims}
        return self


class _PairSearch:
    """Finds the first conflicting copy pair of two units of one group, remembering what it decided for the next pairs.

    Whether two claims from different files conflict depends only on their
    signatures, so each pair of signatures is decided once per group.
    """

    def __init__(self) -> None:
        self.numbers: dict[tuple, int] = {}
        self.copies: dict[int, _Copies] = {}  # by id of a unit's list of claims
        self.decided: dict[tuple[int, int], bool] = {}

    def of(self, claims: list[Claim]) -> _Copies:
        """The searched copies of a unit's CLAIMS (made on first use)."""
        found = self.copies.get(id(claims))
        if found is None:
            found = self.copies[id(claims)] = _Copies(claims)
        return found

    def first(self, side_a: _Copies, side_b: _Copies) -> tuple[Conflict, Claim, Claim] | None:
        """The first pair (a, b), in the order of the two sides' copies, whose figures conflict: (the conflict, a, b)."""
        claims_a, claims_b = side_a.claims, side_b.claims
        if len(claims_a) * len(claims_b) <= DIRECT_PAIRS:  # few copies: trying each pair is cheaper than grouping them
            for a in claims_a:
                file_a, start_a = a.source_file, a.quote_start
                for b in claims_b:
                    # (not _one_picture(a, b), written out: this loop runs for millions of pairs)
                    if (b.quote_start != start_a or b.source_file != file_a) and (conflict := _pair_conflict(a, b)):
                        return conflict, a, b
            return None
        side_a, side_b = side_a.sign(self.numbers), side_b.sign(self.numbers)
        decided, files_b = self.decided, side_b.files
        hopeless: set[int] = set()  # signatures of a that conflict with no copy of b in another file
        for sig_a, a in zip(side_a.signatures, claims_a, strict=True):
            file_a = a.source_file
            if sig_a in hopeless and file_a not in files_b:
                continue
            for sig_b, b in zip(side_b.signatures, claims_b, strict=True):
                if b.source_file == file_a:
                    conflict = None if _one_picture(a, b) else _pair_conflict(a, b)
                else:  # decided once per pair of signatures (and group); most pairs stop at their first copies
                    verdict = decided.get((sig_a, sig_b))
                    if verdict is None:
                        verdict = decided[sig_a, sig_b] = _pair_conflict(a, b, apart=True, explain=False) is not None
                    conflict = _pair_conflict(a, b) if verdict else None
                if conflict:
                    return conflict, a, b
            hopeless.add(sig_a)  # (a copy of b in A's file may still conflict with another copy of that signature)
        return None


def _first_conflicting_pair(side_a: list[Claim], side_b: list[Claim]) -> Conflict | None:
    """The first pair (a, b), in the order of the two lists, whose figures conflict.

    The same answer as trying every pair in order, but copies that read alike
    (same interval, date, source) are decided once: whether two claims from
    different files conflict depends only on their signatures, so each pair of
    signatures is tried once and only pairs that can conflict are built.
    Claims of one file are still compared one by one (one sentence is one picture).
    """
    search = _PairSearch()
    found = search.first(search.of(side_a), search.of(side_b))
    return found[0] if found else None


def _unit_conflict(unit_a: list[Claim], unit_b: list[Claim], search: _PairSearch | None = None) -> list[Conflict]:
    """The conflicts between two evidence units: the first copy pair that conflicts, carried to a few other copies.

    Up to ``MAX_CARRIED - 1`` other copies of each unit are paired with the
    conflicting claim of the other unit, so a figure repeated by a whole
    archive gives a handful of rows, not one per copy (nor per pair of copies).
    """
    if len(unit_a) == 1 and len(unit_b) == 1:  # one copy a side (most pairs): the one pair, and no other copy to carry it to
        a, b = unit_a[0], unit_b[0]
        conflict = None if _one_picture(a, b) else _pair_conflict(a, b)
        return [conflict] if conflict else []
    search = search or _PairSearch()
    first = search.first(search.of(unit_a), search.of(unit_b))
    if first is None:
        return []
    found, rep_a, rep_b = first
    carried = [found]
    kind, severity, elsewhere = found.kind, found.severity, found.reason
    others_a = [a for a in unit_a[:MAX_CARRIED] if a is not rep_a][: MAX_CARRIED - 1]  # a unit may hold thousands of copies
    others_b = [b for b in unit_b[:MAX_CARRIED] if b is not rep_b][: MAX_CARRIED - 1]
    for a, b in [(a, rep_b) for a in others_a] + [(rep_a, b) for b in others_b]:
        if a.quote_start == b.quote_start and a.source_file == b.source_file:  # _one_picture(a, b), written out
            continue
        first_claim, second_claim = (a, b) if a.iri < b.iri else (b, a)
        reason = f"{first_claim.description} and {second_claim.description} repeat figures that conflict elsewhere: {elsewhere}"
        carried.append(Conflict(kind, severity, first_claim.iri, second_claim.iri, reason))
    return carried


def comparable_groups(claims: Iterable[Claim]) -> dict[tuple[str, str, str, str], list[Claim]]:
    """Comparable claims grouped by what they count (measure, population, place, region)."""
    groups: dict[tuple[str, str, str, str], list[Claim]] = defaultdict(list)
    for claim in claims:
        if comparable(claim):
            groups[group_key(claim)].append(claim)
    return groups


def claim_fingerprint(claim: Claim) -> str:
    """A claim as the reviews file records it (see :func:`claimgraph.reviews.fingerprint`)."""
    return fingerprint(claim.source_file, claim.start, format_number(claim.value))


def conflict_refs(conflicts: Iterable[Conflict], claims: Iterable[Claim]) -> list[ConflictRef]:
    """Conflicts with their claims' fingerprints, as reviews are matched against them."""
    prints = {c.iri: claim_fingerprint(c) for c in claims}
    return [ConflictRef(conflict_id(c.iri), prints.get(c.claim_a, ""), prints.get(c.claim_b, "")) for c in conflicts]


def reconcile(claims: Iterable[Claim], reviews: Iterable[Review] = (), memo: GroupMemo | None = None) -> ReconcileResult:
    """Run the reconciliation passes over all claims and apply reviewers' verdicts; the input is never modified.

    With MEMO, groups whose claims are unchanged since the build that filled
    it reuse its conflicts instead of being compared again.

    >>> reconcile([]).conflicts
    []
    """
    with paused_gc():  # millions of acyclic objects: the cyclic collector would only slow this down
        return _reconcile(list(claims), list(reviews), memo)


def _reconcile(claim_list: list[Claim], review_list: list[Review], memo: GroupMemo | None) -> ReconcileResult:
    from claimgraph import reconcile_parallel  # imports this module

    groups = comparable_groups(claim_list)
    consensus: list[Consensus] | None = None
    # Same answer on two cores. Not for a rebuild (a memo that knows groups): the child would send back every conflict,
    # most of them reused, and at 10^5 documents that made the rebuild's reconciliation slower (9.2 s against 6.3 s).
    rebuild = memo is not None and bool(memo.known)
    if not rebuild and reconcile_parallel.can_split(sum(len(members) for members in groups.values())):
        # Without reviews, ranks start normal for every claim: made here while the child starts on the work.
        conflicts, consensus, normal = reconcile_parallel.reconcile_split(
            groups, memo, with_consensus=not review_list, meanwhile=None if review_list else lambda: normal_ranks(claim_list)
        )
    else:
        conflicts = find_conflicts(claim_list, groups, memo)
    match, verdicts = apply_reviews(review_list, conflicts, claim_list)
    if consensus is None:
        ranks, consensus = rank_claims(groups, claim_list, conflicts, verdicts)
    else:  # no reviews: each half found its groups' consensus
        ranks = claim_ranks(claim_list, consensus, normal=normal)
    return ReconcileResult(conflicts, ranks, consensus, verdicts, match)


def apply_reviews(reviews: list[Review], conflicts: list[Conflict], claims: list[Claim]) -> tuple[ReviewMatch, dict[str, Review]]:
    """Which verdicts apply to which conflicts (by conflict IRI); no work at all without reviews."""
    columns = [list(map(attrgetter(name), conflicts)) for name in ("iri", "claim_a", "claim_b")] if reviews else [[], [], []]
    return match_verdicts(reviews, *columns, lambda: {c.iri: claim_fingerprint(c) for c in claims})


def match_verdicts(reviews: list[Review], iris: list[str], claims_a: list[str], claims_b: list[str],
                   fingerprints: Callable[[], Mapping[str, str]]) -> tuple[ReviewMatch, dict[str, Review]]:  # fmt: skip
    """Which verdicts apply to the conflicts of IRIS (with their two claims' IRIs), by conflict IRI in their order. A
    verdict whose conflict's id changed is matched again by its claims' figures: FINGERPRINTS gives every claim's
    (by IRI), asked for only then."""
    if not reviews:
        return ReviewMatch(), {}
    ids = set(map(conflict_id, iris))
    if all(review.conflict in ids for review in reviews):  # nothing to re-attach: no fingerprints needed
        match = match_reviews(reviews, [ConflictRef(review.conflict, "", "") for review in reviews])
    else:
        prints = fingerprints()
        match = match_reviews(reviews, [ConflictRef(conflict_id(iri), prints.get(a, ""), prints.get(b, ""))
                                        for iri, a, b in zip(iris, claims_a, claims_b, strict=True)])  # fmt: skip
    return match, {iri: match.applied[cid] for iri in iris if (cid := conflict_id(iri)) in match.applied}
