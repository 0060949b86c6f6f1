"""audit.html from a build: rendered whole, or spliced a card at a time from the last build's page.

A card shows one conflict with its verdict, its two claims (with their
ranks) and their documents, and nothing else, so it is keyed by what those
depend on: the conflict's content digest, its verdict, and for each claim
its document's cache key (which names the claim's text and the document's
metadata), its place among that document's claims, and its rank. A rebuild
copies the cards whose keys the last page holds (see :mod:`claimgraph.segments`)
and renders the others; the counts at the top and the consensus table at the
bottom are rendered every time.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterator, Mapping
from dataclasses import replace
from operator import attrgetter

from claimgraph import audit
from claimgraph.audit import AuditEntry, audit_card, audit_entry, audit_head, audit_tail, audit_view_of_rows
from claimgraph.model import Claim, Conflict, Document
from claimgraph.reconcile import ReconcileResult
from claimgraph.reviews import Review
from claimgraph.rows import claim_row, conflict_row, consensus_rows, document_rows
from claimgraph.segments import SplicedTable, Whole
from claimgraph.writer import Chunk

_KIND = attrgetter("kind")
AUDIT_CODE = ("audit.py", "audit_output.py", "rows.py", "model.py", "reviews.py", "tables.py", "segments.py", "extract")
AUDIT_HEAD, AUDIT_TAIL = Whole("audit-head"), Whole("audit-tail")
CARD_BATCH = 500  # cards rendered per batch of conflicts and claims read
Location = tuple[str, int, str]  # a claim's document (cache key), its place among that document's claims, its rank


def stale_review_messages(manifest: dict) -> list[str]:
    """The build's warnings about reviewers' verdicts that were re-attached or no longer apply."""
    return [w for w in manifest.get("warnings", []) if "verdict '" in w]


def audit_html(carded: list[Conflict], shown_claims: list[Claim], ranks: Mapping[str, str], documents: list[Document],
               result: ReconcileResult, manifest: dict, left_out: tuple[dict[str, int], dict[str, int]]) -> str:  # fmt: skip
    """audit.html: a card per conflict CARDED, with the rows of their claims (SHOWN_CLAIMS, ranked by RANKS) and documents;
    the consensus and verdicts of RESULT; how many conflicts are LEFT_OUT, per kind and per verdict."""
    files = {c.source_file for c in shown_claims}
    view = audit_view_of_rows(
        [claim_row(c, ranks) for c in shown_claims], document_rows(d for d in documents if d.source_file in files),
        [conflict_row(c, result.verdicts) for c in carded], consensus_rows(result.consensus), stale_review_messages(manifest),
    )  # fmt: skip
    kinds, verdict_counts = left_out
    return audit.render_audit_html(replace(view, omitted=kinds, omitted_verdicts=verdict_counts))  # (looked up when called)


def uncarded_counts(ordered: list[Conflict], verdicts: Mapping[str, Review], carded: int) -> tuple[dict[str, int], dict[str, int]]:
    """How many conflicts after the first CARDED (those audit.html leaves out) there are per kind and per verdict (see
    :func:`left_out_counts`)."""
    return left_out_counts(list(map(_KIND, ordered[carded:])), {c.iri for c in ordered[:carded]}, verdicts)


def left_out_counts(kinds: list[str], shown: set[str], verdicts: Mapping[str, Review]) -> tuple[dict[str, int], dict[str, int]]:
    """How many conflicts audit.html leaves out there are per kind (KINDS: theirs, in the tables' order) and per verdict
    (those of VERDICTS not on a card: not SHOWN).

    Counted in C, without a row per conflict (hundreds of thousands at 10^5
    documents); the few reviewed ones are found through VERDICTS (by conflict IRI).
    """
    if not kinds:
        return {}, {}
    reviewed = Counter(review.verdict or "unreviewed" for iri, review in verdicts.items() if iri not in shown)
    unreviewed = len(kinds) - reviewed.total() + reviewed["unreviewed"]
    by_verdict = {**reviewed, "unreviewed": unreviewed} if unreviewed else dict(reviewed)
    # a handful of kinds, each counted by a scan in C (640,000 conflicts: 0.17 s; a Counter: 0.26 s)
    return {kind: kinds.count(kind) for kind in dict.fromkeys(kinds)}, by_verdict


def card_key(digest: bytes, review: Review | None, claim_a: Location | None, claim_b: Location | None) -> Hashable:
    """The key of a conflict's card in audit.html: everything the card shows depends on (see the module docstring)."""
    said = (review.verdict, review.reviewer, review.reviewed_at, review.note, review.prefer) if review else None
    return ("card", digest, said, claim_a, claim_b)


def audit_chunks(
    table: SplicedTable, iris: list[str], digests: list[bytes], kinds: list[str], claims_a: list[str], claims_b: list[str],
    verdicts: Mapping[str, Review], limit: int, locate: Callable[[set[str]], Mapping[str, Location]],
    entries: Callable[[list[int]], list[AuditEntry]], consensus: list[dict[str, str]], stale: list[str],
) -> Iterator[Chunk]:  # fmt: skip
    """audit.html spliced from the last build's: a card for each of the first LIMIT conflicts of IRIS (in the tables'
    order, with their content DIGESTS, KINDS and claims), keyed by :func:`card_key` (LOCATE gives where the claims are
    and their ranks); the cards not copied are made from ENTRIES (given their places, a batch at a time). The same bytes
    as :func:`audit_html`. Worked out when written (by a forked writer, where one writes)."""
    carded = min(limit, len(iris))
    where = locate(set(claims_a[:carded]) | set(claims_b[:carded]))
    keys = [card_key(digests[i], verdicts.get(iris[i]), where.get(claims_a[i]), where.get(claims_b[i])) for i in range(carded)]
    omitted, omitted_verdicts = left_out_counts(kinds[carded:], set(iris[:carded]), verdicts)
    shown_verdicts = Counter((verdicts[iri].verdict if iri in verdicts else "") or "unreviewed" for iri in iris[:carded])
    head = audit_head("claimgraph audit", Counter(kinds), shown_verdicts + Counter(omitted_verdicts), stale)
    tail = audit_tail(omitted, consensus, carded > 0)
    unknown = [i for i, key in enumerate(keys) if not table.knows(key)]
    where_unknown = {i: n for n, i in enumerate(unknown)}
    made: dict[int, str] = {}

    def card(i: int) -> bytes:
        if i not in made:  # this card and the next unknown ones, made from one batch of rows
            made.clear()
            batch = unknown[where_unknown[i] : where_unknown[i] + CARD_BATCH]
            made.update(zip(batch, map(audit_card, entries(batch)), strict=True))
        return made[i].encode("utf-8")

    def segments() -> Iterator[tuple[Hashable, Callable[[], bytes]]]:
        yield AUDIT_HEAD, lambda: head.encode("utf-8")
        for i, key in enumerate(keys):
            yield key, lambda i=i: card(i)
        yield AUDIT_TAIL, lambda: tail.encode("utf-8")

    yield from table.chunks(b"", segments())


def entries_of(conflicts: list[Conflict], claims: Mapping[str, tuple[Claim, str]], documents: Mapping[str, Document],
               verdicts: Mapping[str, Review]) -> list[AuditEntry]:  # fmt: skip
    """The audit entries of CONFLICTS, from their CLAIMS (by IRI, each with its rank) and the DOCUMENTS (by name)."""
    ranks = {iri: rank for iri, (_claim, rank) in claims.items()}
    claim_rows = {iri: claim_row(claim, ranks) for iri, (claim, _rank) in claims.items()}
    files = {claim.source_file for claim, _rank in claims.values()}
    document_by_iri = {row["document"]: row for row in document_rows(documents[f] for f in files if f in documents)}
    return [audit_entry(conflict_row(c, verdicts), claim_rows, document_by_iri) for c in conflicts]


__all__ = ["AUDIT_CODE", "audit_chunks", "audit_html", "card_key", "entries_of", "left_out_counts", "stale_review_messages", "uncarded_counts"]
