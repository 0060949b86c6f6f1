"""Recording a reviewer's verdict on a built graph: append it to the reviews file, then rebuild.

This is what ``claimgraph review`` and notebooks call. The reviews file is the
one the build recorded in ``build.json`` (or an explicit path); the rebuild
uses the corpora recorded there, so the verdict shows in every output at once
and every later build re-applies it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from claimgraph.build import BuildResult, build, read_manifest, resolve_manifest_path
from claimgraph.config import BuildConfig
from claimgraph.errors import InputError
from claimgraph.reviews import (
    VERDICTS,
    Review,
    append_review,
    conflict_id,
    default_reviewer,
    fingerprint,
    now_utc,
    resolve_conflict,
)
from claimgraph.store import load_store
from claimgraph.tables import claims_table, conflicts_table


@dataclass
class Recorded:
    """A verdict written to the reviews file, and the rebuild that applied it (None when not rebuilt)."""

    review: Review
    reviews_file: Path
    rebuilt: BuildResult | None


def _prefer_side(token: str, claim_a: str, claim_b: str) -> str:
    """Which side ("a"/"b") TOKEN names: "a", "b", or the claim's IRI, id or id prefix."""
    if token in ("", "a", "b"):
        return token
    for side, iri in (("a", claim_a), ("b", claim_b)):
        if token in (iri, conflict_id(iri)) or (len(token) >= 6 and conflict_id(iri).startswith(token)):
            return side
    raise InputError(f"--prefer '{token}' is neither a, b nor one of the conflict's two claims ({conflict_id(claim_a)}, {conflict_id(claim_b)})")


def record_verdict(
    graph: Path | str,
    conflict: str,
    verdict: str,
    note: str = "",
    prefer: str = "",
    reviewer: str | None = None,
    reviews_file: Path | str | None = None,
    rebuild: bool = True,
) -> Recorded:
    """Record VERDICT on CONFLICT (IRI, id or unique id prefix) of the built GRAPH, then rebuild GRAPH to apply it."""
    if verdict not in VERDICTS:
        raise InputError(f"unknown verdict '{verdict}' (use {', '.join(VERDICTS)})")
    if prefer and verdict == "dismissed":
        raise InputError("a dismissed conflict is not a disagreement: --prefer goes with confirmed or explained")
    graph_dir = Path(graph)
    store = load_store(graph_dir)
    conflicts = {row["conflict"]: row for row in conflicts_table(store)}
    iri = resolve_conflict(conflict, conflicts)
    row = conflicts[iri]
    claims = {c["claim"]: c for c in claims_table(store)}
    prints = [fingerprint(claims[c]["source_file"], claims[c]["start"], claims[c]["value"]) for c in (row["claim_a"], row["claim_b"]) if c in claims]
    review = Review(conflict_id(iri), verdict, reviewer or default_reviewer(), now_utc(), note,
                    _prefer_side(prefer, row["claim_a"], row["claim_b"]), ";".join(prints))
    manifest = read_manifest(graph_dir) if graph_dir.is_dir() else {}
    if reviews_file is None and not manifest.get("reviews"):
        raise InputError("no build.json tells where its reviews file is: pass --reviews FILE", str(graph_dir))
    path = Path(reviews_file) if reviews_file else resolve_manifest_path(manifest["reviews"], graph_dir)
    append_review(path, review)
    rebuilt = None
    if rebuild and manifest.get("corpora"):
        corpora = [resolve_manifest_path(c, graph_dir) for c in manifest["corpora"]]
        bundled = manifest["corpora"] == ["bundled:example"]
        rebuilt = build(None if bundled else corpora, graph_dir, BuildConfig(strict=manifest.get("strict", False), progress=False), path)
    return Recorded(review, path, rebuilt)
