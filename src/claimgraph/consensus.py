"""Consensus: a best current value per group of comparable claims, and a Wikidata-style rank per claim.

For each group (same measure, population, place and region) the best value is,
in this order:

1. the **reviewer's choice**: a verdict that prefers one claim of a conflict
   makes it the group's consensus and deprecates the other claim;
2. otherwise the **most recent** figure (by the end of its period), preferring
   among those of that date the one that most **independent sources agree**
   with (sources whose intervals overlap it, copies of one source counted once),
   then a **primary** figure over one derived from a percentage, then the one in
   fewest live conflicts.

Ranks: ``preferred`` for the consensus claim, ``deprecated`` for a claim a
reviewer ruled against, ``normal`` for the rest. No claim is ever removed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from itertools import chain, compress
from operator import attrgetter

from claimgraph.intervals import period
from claimgraph.model import Claim, Conflict, format_number
from claimgraph.reviews import Review

_CLAIMS, _IRI = attrgetter("claim_a", "claim_b"), attrgetter("iri")
AGREEMENT_CANDIDATES = 20  # how many same-date claims are scored for agreement (keeps huge groups linear)


@dataclass(frozen=True)
class Consensus:
    """The best current value of one group of comparable claims, with its reason."""

    measure: str
    population: str
    country: str
    region: str
    claim: Claim
    claims: int  # how many claims the group holds
    reason: str

    def row(self) -> dict[str, str]:
        """The consensus as a table row (the columns of ``claimgraph consensus``)."""
        best = self.claim
        return {
            "measure": self.measure, "population": self.population, "country": self.country, "region": self.region,
            "value": format_number(best.value), "low": format_number(best.low), "high": format_number(best.high),
            "qualifier": best.qualifier, "as_of": best.as_of, "claim": best.iri, "source_file": best.source_file,
            "attributed_to": best.attributed_to, "claims": str(self.claims), "reason": self.reason,
        }  # fmt: skip


def reviewer_choices(conflicts: list[Conflict], verdicts: Mapping[str, Review]) -> tuple[dict[str, Review], set[str]]:
    """Claims a reviewer preferred (with the review) and claims a reviewer ruled against."""
    chosen: dict[str, Review] = {}
    ruled_out: set[str] = set()
    if not verdicts:
        return chosen, ruled_out
    for conflict in conflicts:
        review = verdicts.get(conflict.iri)
        if not review or not review.prefer or review.verdict == "dismissed":
            continue
        winner, loser = (conflict.claim_a, conflict.claim_b) if review.prefer == "a" else (conflict.claim_b, conflict.claim_a)
        if winner not in chosen or review.reviewed_at >= chosen[winner].reviewed_at:
            chosen[winner] = review
        ruled_out.add(loser)
    for winner in chosen:
        ruled_out.discard(winner)
    return chosen, ruled_out


def live_conflicts(conflicts: list[Conflict], verdicts: Mapping[str, Review]) -> list[Conflict]:
    """The conflicts no reviewer dismissed (all of them when there are no verdicts)."""
    if not verdicts:
        return conflicts
    return [c for c in conflicts if getattr(verdicts.get(c.iri), "verdict", "") != "dismissed"]


Fact = tuple[tuple[dt.date, dt.date] | None, float, float, str]  # a member's period, lower bound, upper bound (as read by overlaps), source


def _facts(members: list[Claim]) -> list[Fact]:
    """What :func:`_agreeing` reads of each member, read once for all the candidates of a group."""
    facts = []
    for other in members:
        low, high, open_high = other.interval
        facts.append((period(other.as_of), low, high - 1e-9 if open_high else high, other.attributed_to or f"document {other.source_file}"))
    return facts


def _agreeing(claim: Claim, facts: list[Fact]) -> set[str]:
    """Independent sources whose figure for an overlapping date allows CLAIM's value range, from the members' FACTS
    (the test is :meth:`Interval.overlaps`, written out)."""
    low, high, open_high = claim.interval
    upper = high - 1e-9 if open_high else high
    span = period(claim.as_of)
    sources = set()
    for other_span, other_low, other_upper, source in facts:
        same_time = span is None or other_span is None or (span[0] <= other_span[1] and other_span[0] <= span[1])
        if same_time and other_low <= upper and low <= other_upper:
            sources.add(source)
    return sources


Spans = dict[str, "tuple[dt.date, dt.date] | None"]
_AS_OF = attrgetter("as_of")


@dataclass
class Newest:
    """What the consensus of a group reads of its dates: each member's date, each date's period, the newest members."""

    dates: list[str]  # the date of each member, in order (read once: a group can hold 90,000 claims)
    spans: Spans  # the period of each distinct date
    candidates: list[Claim]  # the members of the most recent date (ending last)


def _newest(members: list[Claim]) -> Newest:
    """The dates of a group's MEMBERS and its members of the most recent date."""
    dates = list(map(_AS_OF, members))
    # A group of 90,000 claims has a few hundred distinct dates: periods are read once per date, not once per claim.
    spans = {as_of: period(as_of) for as_of in set(dates)}
    ends = {as_of: span[1] if span else dt.date.min for as_of, span in spans.items()}  # undated: before every date
    latest = max(ends.values())
    newest = {as_of for as_of, end in ends.items() if end == latest}
    return Newest(dates, spans, list(compress(members, map(newest.__contains__, dates))))


def _most_recent(members: list[Claim], newest: Newest, in_conflict: Mapping[str, int]) -> tuple[Claim, str]:
    """The consensus of a group without a reviewer's choice, from :func:`_newest`'s answer (see the module docstring)."""
    spans = newest.spans
    candidates = sorted(newest.candidates, key=lambda c: (bool(c.derived_from), in_conflict.get(c.iri, 0), c.iri))
    candidates = candidates[:AGREEMENT_CANDIDATES]
    reaching = members
    if all(spans[c.as_of] for c in candidates):  # only figures whose period reaches the candidates' can agree with them
        earliest = min(spans[c.as_of][0] for c in candidates)  # type: ignore[index]
        late_enough = {as_of for as_of, span in spans.items() if span is None or span[1] >= earliest}
        reaching = list(compress(members, map(late_enough.__contains__, newest.dates)))
    facts = _facts(reaching)
    scored = [(len(_agreeing(c, facts)), c) for c in candidates]
    agreement, best = max(scored, key=lambda pair: (pair[0], -candidates.index(pair[1])))
    kind = "derived figure" if best.derived_from else "primary figure"
    reason = f"most recent {kind} (as of {best.as_of or 'undated'})" if len(members) > 1 else "the only figure"
    if agreement > 1:
        sources = sorted(_agreeing(best, facts))
        reason += f"; {agreement} independent sources agree ({', '.join(sources[:4])}{', ...' if agreement > 4 else ''})"
    return best, reason


def rank_claims(
    groups: Mapping[tuple[str, str, str, str], list[Claim]],
    all_claims: list[Claim],
    conflicts: list[Conflict],
    verdicts: Mapping[str, Review] | None = None,
) -> tuple[dict[str, str], list[Consensus]]:
    """A rank per claim and a consensus per group (see the module docstring for the order of reasons)."""
    verdicts = verdicts or {}
    chosen, ruled_out = reviewer_choices(conflicts, verdicts)
    consensus = consensus_of(groups, live_conflicts(conflicts, verdicts), chosen)
    return claim_ranks(all_claims, consensus, ruled_out), consensus


def group_consensus(groups: Mapping[tuple[str, str, str, str], list[Claim]], conflicts: list[Conflict]) -> list[Consensus]:
    """The consensus of each group, in the order of their keys, when no reviewer has ruled (as :func:`rank_claims` finds it).

    A group's consensus reads only the conflicts that involve its own claims, so
    the groups can be split (see :mod:`claimgraph.reconcile_parallel`) as long
    as CONFLICTS holds all of those.
    """
    return consensus_of(groups, conflicts, {})


def normal_ranks(all_claims: list[Claim]) -> dict[str, str]:
    """Rank normal for every claim, in the order of ALL_CLAIMS (what :func:`claim_ranks` starts from)."""
    return dict.fromkeys(map(_IRI, all_claims), "normal")  # in C: 0.8 s against 1.0 s for 10^6 claims


def claim_ranks(
    all_claims: list[Claim], consensus: list[Consensus], ruled_out: Iterable[str] = (), normal: dict[str, str] | None = None
) -> dict[str, str]:
    """A rank per claim, in the order of ALL_CLAIMS: preferred for each consensus claim, deprecated when ruled out, else normal.

    NORMAL: the answer of :func:`normal_ranks` for ALL_CLAIMS, if made already (it is changed and returned).
    """
    ranks = normal_ranks(all_claims) if normal is None else normal
    for item in consensus:
        ranks[item.claim.iri] = "preferred"
    for iri in ruled_out:
        if ranks.get(iri) == "normal":
            ranks[iri] = "deprecated"
    return ranks


def consensus_of(groups: Mapping[tuple[str, str, str, str], list[Claim]], live: list[Conflict], chosen: Mapping[str, Review]) -> list[Consensus]:
    """The consensus of each of GROUPS (by key, in the order of their keys), from the LIVE conflicts (any that involve
    their claims; others are ignored) and the claims reviewers CHOSE (see :func:`reviewer_choices`)."""
    # Live conflicts are counted only for the claims that compete for a consensus (those of each group's newest date),
    # which are a few of all: one pass over the conflicts, filtered and counted in C.
    return consensus_counted(groups, chosen, lambda competing: Counter(filter(competing.__contains__, chain.from_iterable(map(_CLAIMS, live)))))


def consensus_counted(groups: Mapping[tuple[str, str, str, str], list[Claim]], chosen: Mapping[str, Review],
                      count: Callable[[set[str]], Mapping[str, int]]) -> list[Consensus]:  # fmt: skip
    """The consensus of each of GROUPS as :func:`consensus_of` finds it, with COUNT giving how many live conflicts each of
    the claims it is given (those competing for a consensus) is in."""
    newest = {key: _newest(members) for key, members in groups.items()}
    in_conflict = count({c.iri for found in newest.values() for c in found.candidates})
    consensus = []
    for key, members in sorted(groups.items()):
        picked = [(chosen[c.iri], c) for c in members if c.iri in chosen] if chosen else []
        if picked:
            review, best = max(picked, key=lambda pair: (pair[0].reviewed_at, pair[1].iri))
            reason = f"reviewer's choice ({review.reviewer}, {review.reviewed_at[:10]})" + (f": {review.note}" if review.note else "")
        else:
            best, reason = _most_recent(members, newest[key], in_conflict)
        consensus.append(Consensus(*key, claim=best, claims=len(members), reason=reason))
    return consensus
