"""graph.html's rows kept between builds, so a rebuild by difference reads only the claims and conflicts that changed.

The page shows a few thousand claims (the most contested, then the first
files' claims: see :func:`claimgraph.outputs.most_contested`), and a rebuild
after one document changed shows nearly the same ones. The memo
(``DIR/.cache/page.pickle``) keeps the rows the last page showed: each claim's
row by its document's cache key and its place among that document's claims
(which name its text), with where the document's claims lie in the claims
table's order; each document's row by its key; each conflict's row with the
content digest and verdict it was made from. A rebuild takes a row from the
memo when those still hold (a claim's rank is set again), and reads the
claim, conflict or document only otherwise. The memo is written by the build
that made the rows, whatever becomes of that build: its keys say what each row
is of. It is written again only once a fiftieth of the page's rows were not
in it: a rebuild after one changed document makes a few rows, and reads the
memo (4 MB at 10^4 documents) without writing it.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from claimgraph.cache import CACHE_DIR, code_fingerprint, read_pickle
from claimgraph.config import BuildConfig
from claimgraph.delta import Delta
from claimgraph.model import Claim, Conflict, Document
from claimgraph.outputs import graph_view, most_contested
from claimgraph.reviews import Review
from claimgraph.rows import claim_row, conflict_row, document_rows
from claimgraph.store import write_atomic
from claimgraph.viz import GraphView

PAGE_FILE = "page.pickle"
PREFETCH = 64  # files whose claims are read together when the memo lacks them
REWRITE_SHARE = 0.02  # the memo is written again once this share of the page's rows was made again (a few are cheap to make)
PAGE_CODE = ("rows.py", "model.py", "extract", "reviews.py", "page_memo.py")  # what decides a row besides its keys


class PageClaim(NamedTuple):
    """What choosing and ordering the page's claims reads of a claim (see :func:`claimgraph.outputs.most_contested`)."""

    source_file: str
    start: int
    end: int
    iri: str
    key: str  # its document's cache key
    place: int  # its place among that document's claims


class PageConflict(NamedTuple):
    """What choosing the page's conflicts reads of a conflict."""

    iri: str
    claim_a: str
    claim_b: str
    digest: bytes


@dataclass
class PageMemo:
    """The rows the last page showed (see the module docstring)."""

    code: str = ""
    claims: dict[str, tuple[tuple[str, int, int], ...]] = field(default_factory=dict)  # document key -> its claims (IRI, start, end)
    rows: dict[tuple[str, int], dict[str, str]] = field(default_factory=dict)  # (document key, place) -> the claim's row
    documents: dict[str, dict[str, str]] = field(default_factory=dict)  # document key -> its row
    conflicts: dict[str, tuple[bytes, Hashable, dict[str, str]]] = field(default_factory=dict)  # IRI -> (digest, verdict, row)


def memo_path(out_dir: Path | str) -> Path:
    """Where the page memo of OUT_DIR lies."""
    return Path(out_dir) / CACHE_DIR / PAGE_FILE


def read_memo(out_dir: Path | str) -> PageMemo:
    """The memo the last build left (an empty one when there is none, it cannot be read, or other code wrote it)."""
    memo = read_pickle(memo_path(out_dir), PageMemo)
    return memo if memo is not None and memo.code == code_fingerprint(PAGE_CODE) else PageMemo(code_fingerprint(PAGE_CODE))


def write_memo(out_dir: Path | str, memo: PageMemo) -> None:
    """Keep MEMO for the next build (written whole, then moved into place)."""
    write_atomic(memo_path(out_dir), pickle.dumps(memo, protocol=pickle.HIGHEST_PROTOCOL))


def _said(review: Review | None) -> Hashable:
    return (review.verdict, review.reviewer, review.reviewed_at, review.note, review.prefer) if review else None


class MemoPage:
    """graph.html's inputs for a rebuild by difference: rows from the memo where they still hold (see the module docstring)."""

    def __init__(self, delta: Delta, documents: list[Document], memo: PageMemo) -> None:
        self.delta, self.memo = delta, memo
        self.state = delta.state
        self.next = PageMemo(memo.code)
        self.document_of = dict(zip(delta.keys, documents, strict=True))
        self.key_of = {d.source_file: key for d, key in zip(documents, delta.keys, strict=True)}
        self._objects: dict[tuple[str, int], Claim] = {}  # claims read (where the memo had no row for them)
        self.misses = 0  # rows made again (the memo lacked them, or held them for other claims, conflicts or documents)
        self._read: dict[str, tuple[tuple[str, int, int], ...]] = {}  # the claims of documents read, by key

    # -- the claims of a document, as the page chooses among them

    def claims_of(self, key: str) -> list[PageClaim]:
        """The claims of the document KEY (from the memo, else read)."""
        file = self.document_of[key].source_file
        if not self.state.ranks[key]:
            return []
        known = self._known(key)
        if known is None:
            self.prefetch([key])
            known = self._known(key)
        self.next.claims[key] = known  # type: ignore[assignment]
        return [PageClaim(file, start, end, iri, key, place) for place, (iri, start, end) in enumerate(known)]  # type: ignore[arg-type]

    def _known(self, key: str) -> tuple[tuple[str, int, int], ...] | None:
        known = self._read.get(key) or self.memo.claims.get(key)
        return known if known is not None and len(known) == len(self.state.ranks[key]) else None

    def prefetch(self, keys: Iterable[str]) -> None:
        """Read, in one query, the claims of the documents KEYS that the memo does not hold."""
        wanted = [key for key in keys if self.state.ranks[key] and self._known(key) is None]
        for key, found in self.delta.claims_of(wanted).items() if wanted else ():
            self._objects.update(((key, place), c) for place, c in enumerate(found))
            self._read[key] = tuple((c.iri, c.start, c.end) for c in found)

    def by_file(self) -> Mapping[str, list[PageClaim]]:
        """Every document's claims by its name (those with claims), read when asked for."""
        return _ByFile(self)

    def by_iri(self, iris: Iterable[str]) -> list[PageClaim]:
        """The comparable claims of IRIS."""
        found = []
        where = self.delta.locate(iris)
        self.prefetch({key for key, _place, _rank in where.values()})
        for iri, (key, place, _rank) in where.items():
            claims = self.claims_of(key)
            if claims[place].iri != iri:  # (cannot happen: the store and the memo name the same claims)
                raise RuntimeError(f"the page memo and the delta store disagree about claim {iri}")
            found.append(claims[place])
        return found

    def everything(self) -> list[PageClaim]:
        """Every claim, in the documents' order."""
        return [claim for key in self.delta.keys for claim in self.claims_of(key)]

    # -- the rows (PageRows)

    def claims(self, claims: list[PageClaim]) -> list[dict[str, str]]:
        """The rows of CLAIMS, each with its rank now."""
        missing = [(c.key, c.place) for c in claims if (c.key, c.place) not in self.memo.rows and (c.key, c.place) not in self._objects]
        if missing:
            keys = list(dict.fromkeys(key for key, _place in missing))
            for key, found in self.delta.claims_of(keys).items():
                self._objects.update(((key, place), c) for place, c in enumerate(found))
        rows = []
        for c in claims:
            at = (c.key, c.place)
            rank = self.state.ranks[c.key][c.place]
            row = self.memo.rows.get(at)
            if row is None:
                row = claim_row(self._objects[at], {c.iri: rank})
                self.misses += 1
            elif row["rank"] != rank:
                row = {**row, "rank": rank}
            self.next.rows[at] = row
            rows.append(row)
        return rows

    def conflicts(self, conflicts: list[PageConflict]) -> list[dict[str, str]]:
        """The rows of CONFLICTS, each with its verdict now."""
        verdicts = self.state.verdicts
        fresh = [c.iri for c in conflicts if self._conflict_row(c) is None]
        self.misses += len(fresh)
        objects = {c.iri: c for c in self.delta.conflicts(fresh)} if fresh else {}
        rows = []
        for c in conflicts:
            row = self._conflict_row(c) or conflict_row(objects[c.iri], verdicts)
            self.next.conflicts[c.iri] = (c.digest, _said(verdicts.get(c.iri)), row)
            rows.append(row)
        return rows

    def _conflict_row(self, c: PageConflict) -> dict[str, str] | None:
        known = self.memo.conflicts.get(c.iri)
        if known is None or known[0] != c.digest or known[1] != _said(self.state.verdicts.get(c.iri)):
            return None
        return known[2]

    def documents(self, cited: set[str] | None) -> list[dict[str, str]]:
        """The rows of the documents named CITED (every document for None), in the documents table's order."""
        keys = [key for file, key in self.key_of.items() if cited is None or file in cited]
        missing = [self.document_of[key] for key in keys if key not in self.memo.documents]
        self.misses += len(missing)
        made = {row["source_file"]: row for row in document_rows(missing)}
        rows = []
        for key in keys:
            row = self.memo.documents.get(key) or made[self.document_of[key].source_file]
            self.next.documents[key] = row
            rows.append(row)
        rows.sort(key=lambda r: r["source_file"])
        return rows


class _ByFile(Mapping[str, list[PageClaim]]):
    def __init__(self, page: MemoPage) -> None:
        self.page = page
        self.files = sorted(file for file, key in page.key_of.items() if page.state.ranks[key])
        self.place = {file: i for i, file in enumerate(self.files)}

    def __getitem__(self, file: str) -> list[PageClaim]:
        at = self.place.get(file)
        if at is not None and at % PREFETCH == 0:  # the files taken in turn: those the memo lacks read a few at a time
            self.page.prefetch(self.page.key_of[f] for f in self.files[at : at + PREFETCH])
        return self.page.claims_of(self.page.key_of[file])

    def __iter__(self) -> Iterator[str]:
        return iter(self.files)

    def __len__(self) -> int:
        return len(self.files)


def memo_graph_inputs(delta: Delta, documents: list[Document], config: BuildConfig, memo: PageMemo,
                      keep: Callable[[PageMemo], None]) -> tuple[GraphView, int]:  # fmt: skip
    """What graph.html shows (see :func:`claimgraph.outputs.graph_view`), its rows from MEMO where they still hold;
    KEEP is given the memo of the rows it shows, for the next build."""
    state, page = delta.state, MemoPage(delta, documents, memo)
    index = state.index
    preferred = {item.claim.iri for item in state.consensus}

    def conflicts(count: int | None) -> list[PageConflict]:
        end = len(index) if count is None else min(count, len(index))
        return [PageConflict(*entry) for entry in zip(index.iris[:end], index.claims_a[:end], index.claims_b[:end], index.digests[:end], strict=True)]

    def chosen(contested: set[str], limit: int) -> list[PageClaim]:
        return most_contested(page.by_iri(contested | preferred), contested, preferred, limit, page.by_file())  # type: ignore[arg-type]

    answer = graph_view(state.claim_count, conflicts, page.everything, chosen, page, config)
    view = answer[0]
    if page.misses > REWRITE_SHARE * (len(view.claims) + len(view.conflicts) + len(view.documents)):
        keep(page.next)  # (else the memo stays: what it lacks is read again, a little, until enough is)
    return answer


def memo_of_view(view: GraphView, conflicts: list[Conflict], verdicts: Mapping[str, Review], documents: list[Document],
                 keys: list[str], claims: list[list[Claim]]) -> PageMemo:  # fmt: skip
    """The memo of the page of VIEW that a whole build made from its objects: CONFLICTS (in the tables' order, the page's
    among the first), the DOCUMENTS with their cache KEYS and CLAIMS."""
    memo = PageMemo(code_fingerprint(PAGE_CODE))
    shown = {row["claim"] for row in view.claims}
    key_of = {}
    for key, found in zip(keys, claims, strict=True):
        if any(c.iri in shown for c in found):
            memo.claims[key] = tuple((c.iri, c.start, c.end) for c in found)
            key_of.update((c.iri, (key, place)) for place, c in enumerate(found))
    memo.rows = {key_of[row["claim"]]: row for row in view.claims}
    by_file = {d.source_file: key for d, key in zip(documents, keys, strict=True)}
    memo.documents = {by_file[row["source_file"]]: row for row in view.documents if row["source_file"] in by_file}
    shown_conflicts = {row["conflict"] for row in view.conflicts}
    digests = {c.iri: c.content_digest for c in conflicts if c.iri in shown_conflicts}
    memo.conflicts = {row["conflict"]: (digests[row["conflict"]], _said(verdicts.get(row["conflict"])), row) for row in view.conflicts}
    return memo


__all__ = ["PageMemo", "memo_graph_inputs", "memo_of_view", "read_memo", "write_memo"]
