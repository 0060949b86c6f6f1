"""What a build keeps so that the next one can rebuild by difference (see :mod:`claimgraph.delta`).

Two parts, beside the outputs:

* ``DIR/.cache/delta.pickle``: the :class:`DeltaState`, small enough to read
  whole on every rebuild: each document's cache key and its claims' ranks, each
  group's consensus, the verdicts that applied, and the conflicts in the
  tables' order as columns (:class:`ConflictIndex`: severity, IRI, kind, claims,
  content digest and the groups of its two claims), with no conflict object;
* ``DIR/.cache/delta.sqlite``: the comparable claims (by IRI, with their group,
  document and place in it) and the conflicts (by IRI), so a rebuild reads only
  the claims of the groups it compares again and the conflicts it renders.

Both carry one token, written into the database in the transaction that
changes it and into the state after it: a build that failed between the two
leaves tokens that differ, and the next build is a whole one.
"""

from __future__ import annotations

import bisect
import os
import pickle
import sqlite3
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, fields
from itertools import compress
from operator import attrgetter
from pathlib import Path

from claimgraph.cache import CACHE_DIR, RECONCILIATION_CODE, CacheFile, code_fingerprint, read_pickle
from claimgraph.consensus import Consensus
from claimgraph.model import Claim, Conflict
from claimgraph.reconcile import claim_fingerprint
from claimgraph.reviews import Review
from claimgraph.store import write_atomic

Key = tuple[str, str, str, str]  # a group's key (see claimgraph.reconcile.group_key)
STATE_FILE = "delta.pickle"
STORE_FILE = "delta.sqlite"
# what decides the state's contents besides the documents' keys (their claims) and the reviews
DELTA_CODE = (*RECONCILIATION_CODE, "consensus.py", "reviews.py", "delta_store.py", "delta.py")
BATCH = 500  # IRIs per query
SCHEMA = 2  # the database's layout (PRAGMA user_version)

_SEVERITY, _IRI, _KIND, _A, _B, _DIGEST = map(attrgetter, ("severity", "iri", "kind", "claim_a", "claim_b", "content_digest"))


@dataclass
class ConflictIndex:
    """Conflicts in the tables' order (most severe first, then by IRI), as columns: what a rebuild reads of every conflict."""

    severities: list[float]
    iris: list[str]
    kinds: list[str]
    claims_a: list[str]
    claims_b: list[str]
    digests: list[bytes]  # each conflict's content digest (what keys its run of the tables)
    groups_a: list[int]  # the group ids of its two claims
    groups_b: list[int]

    @classmethod
    def of(cls, conflicts: list[Conflict], group_of: Mapping[str, int]) -> ConflictIndex:
        """The index of CONFLICTS (in the tables' order already), with GROUP_OF giving each claim's group id."""
        claims_a, claims_b = list(map(_A, conflicts)), list(map(_B, conflicts))
        return cls(list(map(_SEVERITY, conflicts)), list(map(_IRI, conflicts)), list(map(_KIND, conflicts)), claims_a, claims_b,
                   list(map(_DIGEST, conflicts)), list(map(group_of.__getitem__, claims_a)), list(map(group_of.__getitem__, claims_b)))  # fmt: skip

    def __len__(self) -> int:
        return len(self.iris)

    def columns(self) -> list[list]:
        """Every column, in the order of the fields."""
        return [getattr(self, f.name) for f in fields(self)]

    def kept(self, keep: list[bool]) -> ConflictIndex:
        """The entries whose KEEP is true (one flag per entry)."""
        return ConflictIndex(*(list(compress(column, keep)) for column in self.columns()))

    def merged(self, other: ConflictIndex) -> ConflictIndex:
        """This index and OTHER (both in the tables' order) as one, in that order: OTHER's few entries are put in place
        by bisection (by severity, then by IRI among equal severities), the rest copied in slices."""
        ascending = [-s for s in self.severities]
        places = []
        for severity, iri in zip(other.severities, other.iris, strict=True):
            low = bisect.bisect_left(ascending, -severity)
            high = bisect.bisect_right(ascending, -severity, low)
            places.append(bisect.bisect_left(self.iris, iri, low, high))
        merged = []
        for mine, theirs in zip(self.columns(), other.columns(), strict=True):
            column, done = [], 0
            for place, value in zip(places, theirs, strict=True):
                column += mine[done:place]
                column.append(value)
                done = place
            column += mine[done:]
            merged.append(column)
        return ConflictIndex(*merged)


@dataclass
class DeltaState:
    """What a rebuild by difference starts from (see the module docstring)."""

    code: str  # the fingerprint of the code that made it (DELTA_CODE)
    token: str  # the token of the database written with it
    files: dict[str, str]  # each document's cache key, by its name in the corpus, in the documents' order
    ranks: dict[str, tuple[str, ...]]  # each document's claims' ranks, in their order, by the document's cache key
    groups: dict[Key, int]  # the id of every group that ever had claims here (ids are never reused)
    consensus: list[Consensus]  # by group key
    index: ConflictIndex
    verdicts: dict[str, Review]  # the verdicts that applied, by conflict IRI
    chosen: dict[str, Review]  # claims reviewers preferred (claimgraph.consensus.reviewer_choices)
    ruled_out: frozenset[str]  # claims reviewers ruled against

    @property
    def claim_count(self) -> int:
        """How many claims the documents hold."""
        return sum(map(len, self.ranks.values()))


def state_path(out_dir: Path | str) -> Path:
    """Where the delta state of OUT_DIR lies."""
    return Path(out_dir) / CACHE_DIR / STATE_FILE


def read_state(out_dir: Path | str) -> DeltaState | None:
    """The delta state the last build left in OUT_DIR; None when there is none, it cannot be read, or other code wrote it."""
    state = read_pickle(state_path(out_dir), DeltaState)
    return state if state is not None and state.code == code_fingerprint(DELTA_CODE) else None


def write_state(out_dir: Path | str, state: DeltaState) -> None:
    """Keep STATE for the next build (written whole, then moved into place)."""
    write_atomic(state_path(out_dir), pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))


def forget_state(out_dir: Path | str) -> None:
    """Remove the delta state (a build that cannot keep one: the next build is a whole one)."""
    state_path(out_dir).unlink(missing_ok=True)


def new_token() -> str:
    """A fresh token tying a state to the database written with it."""
    return uuid.uuid4().hex


ClaimRow = tuple[str, int, Claim]  # a stored claim: its document's cache key, its place among that document's claims, itself


class DeltaStore(CacheFile):
    """The comparable claims and the conflicts of the last build, by IRI, in one SQLite file (see the module docstring);
    a damaged file is started afresh (the state's token will not match it)."""

    def __init__(self, out_dir: Path | str) -> None:
        super().__init__(out_dir, STORE_FILE)

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path)
        db.execute("PRAGMA journal_mode=WAL")  # a forked writer reads while the build updates it
        db.execute("PRAGMA synchronous=NORMAL")  # a cache: a commit lost to a power cut leaves tokens that differ (a whole build)
        _create(db)
        return db

    def token(self) -> str | None:
        """The token of the last change (None for a new database)."""
        row = self._db.execute("SELECT value FROM meta WHERE name = 'token'").fetchone()
        return row[0] if row else None

    def claims_of_groups(self, ids: Iterable[int]) -> list[ClaimRow]:
        """The stored claims of the groups IDS (any order)."""
        wanted = list(set(ids))
        found: list[ClaimRow] = []
        for start in range(0, len(wanted), BATCH):
            batch = wanted[start : start + BATCH]
            query = f"SELECT doc, pos, entry FROM claims WHERE grp IN ({','.join('?' * len(batch))})"
            found += [(doc, pos, pickle.loads(entry)) for doc, pos, entry in self._db.execute(query, batch)]
        return found

    def fingerprints(self) -> dict[str, str]:
        """Every stored claim's fingerprint (as the reviews file records claims), by IRI: what re-attaching a verdict reads."""
        return {claim.iri: claim_fingerprint(claim) for claim in (pickle.loads(entry) for (entry,) in self._db.execute("SELECT entry FROM claims"))}

    def locations(self, iris: Iterable[str]) -> dict[str, tuple[str, int]]:
        """Where the stored claims of IRIS are (document key, place), by IRI (no claim is read)."""
        wanted = list(set(iris))
        found: dict[str, tuple[str, int]] = {}
        for start in range(0, len(wanted), BATCH):
            batch = wanted[start : start + BATCH]
            query = f"SELECT iri, doc, pos FROM claims WHERE iri IN ({','.join('?' * len(batch))})"
            found.update((iri, (doc, pos)) for iri, doc, pos in self._db.execute(query, batch))
        return found

    def claims_by_iri(self, iris: Iterable[str]) -> dict[str, ClaimRow]:
        """The stored claims of IRIS (those stored), by IRI."""
        return {row[2].iri: row for row in self._rows("SELECT doc, pos, entry FROM claims WHERE iri IN ({})", iris, 2)}

    def conflicts_by_iri(self, iris: Iterable[str]) -> dict[str, Conflict]:
        """The stored conflicts of IRIS (those stored), by IRI."""
        return {row[0].iri: row[0] for row in self._rows("SELECT entry FROM conflicts WHERE iri IN ({})", iris, 0)}

    def _rows(self, query: str, keys: Iterable[str], blob: int) -> Iterator[tuple]:
        wanted = list(dict.fromkeys(keys))
        for start in range(0, len(wanted), BATCH):
            batch = wanted[start : start + BATCH]
            for row in self._db.execute(query.format(",".join("?" * len(batch))), batch):
                yield (*row[:blob], pickle.loads(row[blob]), *row[blob + 1 :])

    def replace_all(self, claims: Iterable[tuple[int, str, int, Claim]], conflicts: Iterable[Conflict], token: str) -> None:
        """Store only these CLAIMS (group id, document key, place, claim) and CONFLICTS, under TOKEN.

        Written into a new file (no journal: it is not in use until it is complete), in the order of the rows' IRIs, its
        index made at the end, then moved over the old one: rows come in the B-trees' order (IRIs are digests) and
        once, where writing them through the old file's log wrote them twice.
        """
        fresh = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        fresh.unlink(missing_ok=True)
        try:
            db = sqlite3.connect(fresh)
            try:
                db.execute("PRAGMA journal_mode=OFF")
                db.execute("PRAGMA synchronous=OFF")
                db.execute("PRAGMA cache_size=-65536")
                _create(db)
                with db:
                    db.execute("DROP INDEX claims_by_group")
                    _insert(db, sorted(claims, key=lambda row: row[3].iri), sorted(conflicts, key=_IRI), token)
                    db.execute("CREATE INDEX claims_by_group ON claims (grp)")
            finally:
                db.close()
            self._db.close()
            for log in ("-wal", "-shm"):  # the old file's log must not be applied to the new one
                Path(f"{self.path}{log}").unlink(missing_ok=True)
            os.replace(fresh, self.path)
        finally:
            fresh.unlink(missing_ok=True)
        self._connection, self._pid = self._open(), os.getpid()

    def update(self, gone_claims: Iterable[str], claims: Iterable[tuple[int, str, int, Claim]], gone_conflicts: Iterable[str],
               conflicts: Iterable[Conflict], token: str) -> None:  # fmt: skip
        """Drop the claims GONE_CLAIMS and the conflicts GONE_CONFLICTS (by IRI), then store CLAIMS and CONFLICTS, under
        TOKEN (one transaction)."""
        with self._db:
            self._db.executemany("DELETE FROM claims WHERE iri = ?", ((iri,) for iri in gone_claims))
            self._db.executemany("DELETE FROM conflicts WHERE iri = ?", ((iri,) for iri in gone_conflicts))
            self._insert(claims, conflicts, token)

    def _insert(self, claims: Iterable[tuple[int, str, int, Claim]], conflicts: Iterable[Conflict], token: str) -> None:
        _insert(self._db, claims, conflicts, token)


def _create(db: sqlite3.Connection) -> None:
    """The tables, in a database of this layout (one of another is emptied)."""
    if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA:  # another layout: start afresh
        with db:
            for table in ("meta", "claims", "conflicts"):
                db.execute(f"DROP TABLE IF EXISTS {table}")
            db.execute(f"PRAGMA user_version = {SCHEMA}")
    db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute("CREATE TABLE IF NOT EXISTS claims (iri TEXT PRIMARY KEY, grp INTEGER NOT NULL, doc TEXT NOT NULL, "
               "pos INTEGER NOT NULL, entry BLOB NOT NULL)")  # fmt: skip
    db.execute("CREATE INDEX IF NOT EXISTS claims_by_group ON claims (grp)")
    db.execute("CREATE TABLE IF NOT EXISTS conflicts (iri TEXT PRIMARY KEY, entry BLOB NOT NULL)")


def _insert(db: sqlite3.Connection, claims: Iterable[tuple[int, str, int, Claim]], conflicts: Iterable[Conflict], token: str) -> None:
    dump, protocol = pickle.dumps, pickle.HIGHEST_PROTOCOL
    db.executemany("INSERT OR REPLACE INTO claims (iri, grp, doc, pos, entry) VALUES (?, ?, ?, ?, ?)",
                   ((c.iri, group, doc, pos, dump(c, protocol)) for group, doc, pos, c in claims))  # fmt: skip
    db.executemany("INSERT OR REPLACE INTO conflicts (iri, entry) VALUES (?, ?)", ((c.iri, dump(c, protocol)) for c in conflicts))
    db.execute("INSERT OR REPLACE INTO meta (name, value) VALUES ('token', ?)", (token,))


__all__ = ["ConflictIndex", "DeltaState", "DeltaStore", "forget_state", "new_token", "read_state", "write_state"]
