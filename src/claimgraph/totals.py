"""Corpus totals, kept between builds and updated by difference: the summaries and the names the shared chunk lists.

Two parts of claims.trig count the whole corpus: the shared chunk (every
organisation credited with a claim, every place counted) and the corpus
summaries (:class:`claimgraph.rdfgraph.ClaimSummaries`). Counted from every
claim, they made a rebuild of 10^5 documents after one changed write
claims.trig in 2.7 s; kept as below, in 0.84 s.

A build keeps its totals (``DIR/.cache/totals.pickle``) with the
extraction-cache keys of the documents they count; a key names a document's
text, metadata, name and the code that read it, hence its claims. The next
build takes out the claims of the keys gone (read back from the extraction
cache, which still holds them) and adds those of the keys new. It counts
afresh from every claim when that is not possible (no totals, totals of other
code, an old key no longer cached) or not cheaper (more than an eighth of the
corpus changed). The totals say which keys they count, so totals left by a
build that failed later are still right for those keys.
"""

from __future__ import annotations

import pickle
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from claimgraph.cache import CACHE_DIR, code_fingerprint, read_pickle
from claimgraph.model import Claim
from claimgraph.rdfgraph import ClaimSummaries, take_one
from claimgraph.store import write_atomic

TOTALS_FILE = "totals.pickle"
TOTALS_CODE = ("totals.py", "rdfgraph.py", "model.py")  # what decides what the totals hold
RECOUNT_SHARE = 8  # above 1/RECOUNT_SHARE of the corpus changed, counting afresh is cheaper


@dataclass
class CorpusTotals:
    """The summaries, organisations and places of the claims of the documents in ``counted`` (by cache key)."""

    summaries: ClaimSummaries = field(default_factory=ClaimSummaries)
    organisations: dict[str, int] = field(default_factory=dict)  # claims per organisation credited
    places: dict[str, int] = field(default_factory=dict)  # claims per place code (``IQ+SY`` counts IQ and SY)
    counted: Counter[str] = field(default_factory=Counter)  # documents counted, by extraction-cache key

    def add(self, key: str, claims: Iterable[Claim]) -> None:
        """Count the CLAIMS of the document with cache KEY."""
        summaries, organisations, places = self.summaries, self.organisations, self.places
        for claim in claims:
            summaries.add(claim)
            if name := claim.attributed_to:
                organisations[name] = organisations.get(name, 0) + 1
            if claim.country:
                for code in claim.country.split("+"):
                    places[code] = places.get(code, 0) + 1
        self.counted[key] += 1

    def remove(self, key: str, claims: Iterable[Claim]) -> None:
        """Take back the CLAIMS of the document with cache KEY, counted by :meth:`add`."""
        summaries, organisations, places = self.summaries, self.organisations, self.places
        for claim in claims:
            summaries.remove(claim)
            if name := claim.attributed_to:
                take_one(organisations, name)
            if claim.country:
                for code in claim.country.split("+"):
                    take_one(places, code)
        take_one(self.counted, key)  # type: ignore[arg-type]

    def organisation_names(self) -> set[str]:
        """The organisations credited with at least one claim."""
        return set(self.organisations)

    def place_codes(self) -> list[str]:
        """The place codes of the claims, sorted."""
        return sorted(self.places)


def count_totals(keys: list[str], claims: list[list[Claim]]) -> CorpusTotals:
    """The totals of every document (KEYS and their CLAIMS, in the same order), counted afresh."""
    totals = CorpusTotals()
    for key, found in zip(keys, claims, strict=True):
        totals.add(key, found)
    return totals


def update_totals(
    totals: CorpusTotals, keys: list[str], claims: list[list[Claim]], claims_of: Callable[[list[str]], Mapping[str, list[Claim]]]
) -> bool:
    """Bring TOTALS to the documents KEYS (with their CLAIMS) by difference; CLAIMS_OF gives the claims of keys no longer
    in the corpus. False (TOTALS unchanged) when that is not possible or not cheaper than counting afresh."""
    wanted = Counter(keys)
    gone, new = totals.counted - wanted, wanted - totals.counted
    if sum(gone.values()) + sum(new.values()) > len(keys) // RECOUNT_SHARE:
        return False
    old = claims_of(list(gone))
    if any(key not in old for key in gone):
        return False
    for key, times in gone.items():
        for _ in range(times):
            totals.remove(key, old[key])
    for key, found in zip(keys, claims, strict=True):
        if new.get(key):
            new[key] -= 1
            totals.add(key, found)
    return True


def totals_path(out_dir: Path | str) -> Path:
    """Where a build keeps its totals."""
    return Path(out_dir) / CACHE_DIR / TOTALS_FILE


def read_totals(out_dir: Path | str) -> CorpusTotals | None:
    """The totals the last build kept in OUT_DIR (None when there are none, or none this code can use)."""
    saved = read_pickle(totals_path(out_dir), dict)
    if saved and saved.get("code") == code_fingerprint(TOTALS_CODE) and isinstance(saved.get("totals"), CorpusTotals):
        return saved["totals"]
    return None


def write_totals(out_dir: Path | str, totals: CorpusTotals) -> None:
    """Keep TOTALS for the next build (replaced in one step)."""
    write_atomic(totals_path(out_dir), pickle.dumps({"code": code_fingerprint(TOTALS_CODE), "totals": totals}, protocol=pickle.HIGHEST_PROTOCOL))


def current_totals(out_dir: Path | str | None, keys: list[str], claims: list[list[Claim]],
                   claims_of: Callable[[list[str]], Mapping[str, list[Claim]]] | None) -> CorpusTotals:  # fmt: skip
    """The totals of the documents KEYS (with their CLAIMS): the last build's in OUT_DIR brought up to date where
    possible (see the module docstring), else counted afresh."""
    kept = read_totals(out_dir) if out_dir is not None and claims_of is not None else None
    if kept is not None and update_totals(kept, keys, claims, claims_of):  # type: ignore[arg-type]
        return kept
    return count_totals(keys, claims)


__all__ = ["CorpusTotals", "count_totals", "current_totals", "read_totals", "update_totals", "write_totals"]
