"""Builds at scale: tables from objects equal the SPARQL tables, and rebuilds reuse what did not change."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimgraph import rows, tables
from claimgraph.build import OUTPUTS, build
from claimgraph.cache import CACHE_DIR, CACHE_FILE
from claimgraph.config import BuildConfig
from claimgraph.store import load_store
from claimgraph.synthetic import write_corpus

QUIET = BuildConfig(progress=False, jobs=2)


def outputs(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in OUTPUTS}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("incremental") / "corpus"
    write_corpus(folder, 240, seed=11)  # above PARALLEL_FROM: workers write the chunks
    return folder


@pytest.mark.parametrize("which", ["example", "synthetic"])
def test_tables_from_objects_equal_the_sparql_tables_of_the_graph(which: str, corpus: Path, tmp_path: Path) -> None:
    built = build([corpus] if which == "synthetic" else None, tmp_path / "out", QUIET)
    store = load_store(tmp_path / "out")  # parses the streamed claims.trig
    result = built.reconciliation
    assert rows.claim_rows(built.claims, result.ranks) == tables.claims_table(store)
    assert rows.conflict_rows(result.conflicts, result.verdicts) == tables.conflicts_table(store)
    assert rows.consensus_rows(result.consensus) == tables.consensus_table(store)
    assert rows.document_rows(built.documents) == tables.documents_table(store)
    assert len(built.claims) > 50 and result.conflicts


def test_rebuild_reads_only_the_changed_document_and_writes_what_a_fresh_build_writes(corpus: Path, tmp_path: Path) -> None:
    work = tmp_path / "corpus"
    write_corpus(work, 240, seed=11)
    first = build([work], tmp_path / "out", QUIET)
    assert first.read == 240
    before = outputs(tmp_path / "out")
    again = build([work], tmp_path / "out", QUIET)
    assert again.read == 0 and outputs(tmp_path / "out") == before
    changed = work / "000" / "doc-000017.md"
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text.replace("\n\n", "\n\nOfficials said 9,999 Belgians had returned home by 2016.\n\n", 1), encoding="utf-8")
    rebuilt = build([work], tmp_path / "out", QUIET)
    assert rebuilt.read == 1
    fresh = build([work], tmp_path / "fresh", BuildConfig(progress=False, jobs=2, cache=False))
    assert fresh.read == 240 and not (tmp_path / "fresh" / CACHE_DIR).exists()
    assert outputs(tmp_path / "out") == outputs(tmp_path / "fresh")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted([*OUTPUTS, CACHE_DIR])  # the replaced ones freed
    assert any("9,999" in c.reason for c in rebuilt.reconciliation.conflicts)  # the new figure was reconciled
    assert len(rebuilt.claims) == len(first.claims) + 1


def test_removed_documents_leave_the_cache(corpus: Path, tmp_path: Path) -> None:
    work = tmp_path / "corpus"
    write_corpus(work, 30, seed=5)
    build([work], tmp_path / "out", QUIET)
    (work / "000" / "doc-000003.md").unlink()
    build([work], tmp_path / "out", QUIET)
    with sqlite3.connect(tmp_path / "out" / CACHE_DIR / CACHE_FILE) as db:
        assert db.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 29


def test_a_damaged_cache_is_rebuilt_not_trusted(tmp_path: Path) -> None:
    build(None, tmp_path / "out", QUIET)
    expected = outputs(tmp_path / "out")
    (tmp_path / "out" / CACHE_DIR / CACHE_FILE).write_bytes(b"not a database at all" * 100)
    again = build(None, tmp_path / "out", QUIET)
    assert again.read == len(again.documents) and outputs(tmp_path / "out") == expected


def test_shards_split_the_corpus_and_a_final_build_reads_nothing_they_read(corpus: Path, tmp_path: Path) -> None:
    shards = [build([corpus], tmp_path / f"shard-{k}", BuildConfig(progress=False, jobs=2, shard=(k, 3))) for k in (1, 2, 3)]
    names = [{d.source_file for d in shard.documents} for shard in shards]
    assert all(names) and sum(map(len, names)) == 240 and set.union(*names) == {f"{i // 1000:03d}/doc-{i:06d}.md" for i in range(240)}
    folders = tuple(str(tmp_path / f"shard-{k}") for k in (1, 2, 3))
    final = build([corpus], tmp_path / "final", BuildConfig(progress=False, jobs=2, cache_from=folders))
    build([corpus], tmp_path / "plain", BuildConfig(progress=False, jobs=2, cache=False))
    assert final.read == 0 and outputs(tmp_path / "final") == outputs(tmp_path / "plain")


def test_build_store_is_opened_by_query_without_parsing_the_trig(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from claimgraph.store import store_dir_of
    from clirun import run

    code, out, _ = run(capsys, "build", "--out", str(tmp_path / "out"), "--store", "-q")
    assert code == 0 and store_dir_of(tmp_path / "out") == tmp_path / "out" / "store"
    (tmp_path / "out" / "claims.trig").rename(tmp_path / "elsewhere.trig")  # the store alone answers
    code, out, _ = run(capsys, "query", str(tmp_path / "out" / "store"), "SELECT (COUNT(*) AS ?n) WHERE { ?c a cg:Claim }", "--format", "csv")
    assert code == 0 and out.split() == ["n", "65"]


@pytest.mark.parametrize("bad", ["0/3", "4/3", "x/3", "3"])
def test_a_bad_shard_is_a_usage_error(bad: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from clirun import run

    code, _, err = run(capsys, "build", "--out", str(tmp_path / "out"), "--shard", bad)
    assert code == 2 and "--shard" in err and not (tmp_path / "out").exists()


def test_the_reconciliation_graph_written_as_text_has_the_quads_of_rdfgraph(corpus: Path, tmp_path: Path) -> None:
    import pyoxigraph as ox

    from claimgraph.rdfgraph import reconciliation_quads
    from claimgraph.reviews import Review
    from claimgraph.trig import reconciliation_chunk, trig_header

    built = build([corpus], tmp_path / "out", QUIET)
    result = built.reconciliation
    hostile = 'a "quoted" \\ back\\slash,\nnew line, tab\t, 🎯 emoji, \u2028 and </script>'
    verdicts = {c.iri: Review(c.iri.rsplit("/", 1)[1][:8], "explained", f"Ana {i} \"the\" reviewer", "2026-11-22T08:00:00Z",
                              hostile if i % 2 else "", "ab"[i % 2] if i % 3 else "")
                for i, c in enumerate(result.conflicts[:6])}  # fmt: skip
    text = trig_header() + b"".join(reconciliation_chunk(result.conflicts, result.ranks, verdicts, result.consensus, batch=7))
    parsed = set(ox.parse(text, format=ox.RdfFormat.TRIG))
    expected = set(reconciliation_quads(result.conflicts, result.ranks, verdicts, result.consensus))
    assert parsed == expected and len(parsed) > 1000


def test_pages_of_a_huge_corpus_are_capped_and_say_what_they_leave_out(corpus: Path, tmp_path: Path) -> None:
    built = build([corpus], tmp_path / "out", BuildConfig(progress=False, jobs=2, page_claims=300, audit_conflicts=25))
    total_claims, total_conflicts = len(built.claims), len(built.reconciliation.conflicts)
    assert total_claims > 300 and total_conflicts > 25
    page = (tmp_path / "out" / "graph.html").read_text(encoding="utf-8")
    assert f"claimgraph (300 of {total_claims:,} claims)" in page
    audit = (tmp_path / "out" / "audit.html").read_text(encoding="utf-8")
    assert audit.count('<section class="conflict"') == 25
    assert f"<strong>{total_conflicts:,} conflicts</strong>" in audit and f"{total_conflicts - 25:,} less severe conflicts are not shown" in audit
    assert f"{total_conflicts:,} unreviewed" in audit
    for kind, count in Counter(c.kind for c in built.reconciliation.conflicts).items():  # shown and left out, counted by kind
        assert f"<span>{count:,} {kind}</span>" in audit
    csv_rows = (tmp_path / "out" / "conflicts.csv").read_text(encoding="utf-8").count("\n") - 1
    assert csv_rows >= total_conflicts  # the tables hold everything (a reason may span lines)


def test_outputs_written_in_the_background_are_the_bytes_written_in_one_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from claimgraph import writer

    monkeypatch.setattr(writer, "FORK_BELOW_BYTES", 1 << 50)  # this test process may have grown large
    assert writer.can_fork()  # Linux: claims.trig is written by a forked child (conflicts.csv too, without a cache)
    forked = build(None, tmp_path / "forked", BuildConfig(progress=False))
    monkeypatch.setattr(writer, "FORK_BELOW_BYTES", 0)  # a build above the limit writes everything itself
    assert not writer.can_fork()
    serial = build(None, tmp_path / "serial", BuildConfig(progress=False))
    for name in ("claims.trig", "claims.csv", "conflicts.csv", "graph.html", "audit.html"):
        assert (forked.out / name).read_bytes() == (serial.out / name).read_bytes(), name


def test_an_error_in_the_background_writer_fails_the_build_and_keeps_the_outputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from claimgraph import writer
    from claimgraph.outputs import write_outputs

    out = tmp_path / "out"
    write_outputs(out, {"claims.trig": b"old graph", "claims.csv": b"old table"})

    def broken() -> Iterator[bytes]:
        yield b"half of a graph"
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writer, "FORK_BELOW_BYTES", 1 << 50)
    with pytest.raises(OSError, match="No space left"):
        write_outputs(out, {"claims.trig": broken(), "claims.csv": b"new table"}, background=("claims.trig",))
    assert (out / "claims.trig").read_bytes() == b"old graph" and (out / "claims.csv").read_bytes() == b"old table"
    assert sorted(p.name for p in out.iterdir()) == ["claims.csv", "claims.trig"]  # no staging folder or error file left


def test_outputs_replaced_can_be_kept_for_the_caller_to_free(tmp_path: Path) -> None:
    from claimgraph.outputs import write_outputs
    from claimgraph.writer import remove_in_background

    out = tmp_path / "out"
    assert write_outputs(out, {"claims.trig": b"old graph"}) is None
    kept = write_outputs(out, {"claims.trig": b"new graph", "claims.csv": b"new table"}, keep_replaced=True)
    assert kept is not None and kept.parent == out
    assert [(p.name, p.read_bytes()) for p in kept.iterdir()] == [("claims.trig.replaced", b"old graph")]  # no old claims.csv
    assert (out / "claims.trig").read_bytes() == b"new graph" and (out / "claims.csv").read_bytes() == b"new table"
    remove_in_background(kept)()
    assert sorted(p.name for p in out.iterdir()) == ["claims.csv", "claims.trig"]


def test_a_claim_unpickled_is_the_claim_pickled_with_its_attributes_in_the_same_order(tmp_path: Path) -> None:
    import inspect
    import pickle
    from dataclasses import fields

    from claimgraph.model import Claim, _restored_claim

    stored = [f.name for f in fields(Claim)] + ["iri", "interval"]  # what __init__ stores, in its order
    assert list(inspect.signature(_restored_claim).parameters) == stored  # a new field must be pickled too
    claims = build(None, tmp_path / "out", QUIET).claims
    assert {c.low is None for c in claims} == {True, False} and any(c.derived_from for c in claims)
    for claim in claims:
        claim.description  # noqa: B018  (read once, kept in the claim's dict, made again after unpickling)
        again = pickle.loads(pickle.dumps(claim, protocol=pickle.HIGHEST_PROTOCOL))
        assert again == claim and list(vars(again).items()) == [(name, vars(claim)[name]) for name in stored]


def _quads_of(store_dir: Path) -> set:
    import pyoxigraph as ox

    return set(ox.Store.read_only(str(store_dir)))


def _quads_of_trig(path: Path) -> set:
    """The quads of a TriG file as a store holds them (a store writes typed literals in canonical form)."""
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.TRIG)
    return set(store)


def test_a_rebuild_updates_the_store_in_place_of_loading_the_graph_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from claimgraph import store_update

    work = tmp_path / "corpus"
    write_corpus(work, 40, seed=5)
    config = BuildConfig(progress=False, store=str(tmp_path / "out" / "store"))
    build([work], tmp_path / "out", config)
    assert _quads_of(tmp_path / "out" / "store") == _quads_of_trig(tmp_path / "out" / "claims.trig")
    changed = work / "000" / "doc-000017.md"
    changed.write_text(changed.read_text(encoding="utf-8").replace("\n\n", "\n\nOfficials said 9,999 Belgians had returned home by 2016.\n\n", 1),
                       encoding="utf-8")  # fmt: skip
    (work / "000" / "doc-000003.md").unlink()
    (work / "000" / "doc-000040.md").write_text("---\ntitle: A new report\npublisher: Harbour Post\ndate: 2019-05-02\n---\n"
                                                "Some 70 Danes have returned from Syria, the Danish Security and Intelligence Service said in 2018.\n",
                                                encoding="utf-8")  # fmt: skip

    def no_full_load(*_: object, **__: object) -> None:
        raise AssertionError("the store was loaded whole again")

    monkeypatch.setattr(store_update, "save_store", no_full_load)
    rebuilt = build([work], tmp_path / "out", config)
    assert rebuilt.read == 2  # the changed document and the new one
    assert _quads_of(tmp_path / "out" / "store") == _quads_of_trig(tmp_path / "out" / "claims.trig")
    from claimgraph.store import read_stamp, store_dir_of

    assert read_stamp(tmp_path / "out" / "store")["quads"] == len(_quads_of(tmp_path / "out" / "store"))  # counted by difference

    assert store_dir_of(tmp_path / "out") == tmp_path / "out" / "store"  # its stamp matches the new claims.trig


def test_a_store_keeps_the_chunks_read_back_from_claims_trig_as_they_are_rendered(tmp_path: Path) -> None:
    from claimgraph.store_update import RECONCILIATION_FILE, SHARED_FILE, SUMMARIES_FILE

    work = tmp_path / "corpus"
    write_corpus(work, 60, seed=8)
    for name, cache in (("spliced", True), ("rendered", False)):  # without a cache, claims.trig is not spliced
        build([work], tmp_path / name, BuildConfig(progress=False, cache=cache, store=str(tmp_path / name / "store")))
    for name in (SHARED_FILE, SUMMARIES_FILE, RECONCILIATION_FILE):
        kept = (tmp_path / "spliced" / "store" / name).read_bytes()
        assert kept == (tmp_path / "rendered" / "store" / name).read_bytes() and len(kept) > 100, name
    assert (tmp_path / "spliced" / "claims.trig").read_bytes() == (tmp_path / "rendered" / "claims.trig").read_bytes()


def test_a_store_of_another_graph_is_loaded_whole(tmp_path: Path) -> None:
    work = tmp_path / "corpus"
    write_corpus(work, 12, seed=6)
    store = tmp_path / "shared-store"
    build(None, tmp_path / "example", BuildConfig(progress=False, store=str(store)))
    build([work], tmp_path / "out", BuildConfig(progress=False, store=str(store), cache=False))  # other graph, no cache
    assert _quads_of(store) == _quads_of_trig(tmp_path / "out" / "claims.trig")


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 400), st.floats(0, 1), st.floats(0, 1))
def test_the_claims_graph_html_keeps_are_those_a_sort_of_the_whole_table_keeps(seed: int, limit: int, contested_share: float,
                                                                               preferred_share: float) -> None:  # fmt: skip
    import random

    from claimgraph.outputs import most_contested
    from claimgraph.synthetic import synthetic_claims

    _, claims = synthetic_claims(300, seed % 7)
    pick = random.Random(seed)
    pick.shuffle(claims)  # any order in, the table's order decides
    contested = {c.iri for c in claims if pick.random() < contested_share}
    ranks = {c.iri: "preferred" if pick.random() < preferred_share else "normal" for c in claims}
    table = sorted(claims, key=lambda c: (c.source_file, c.start, c.end, c.iri))
    expected = sorted(table, key=lambda c: (c.iri not in contested, ranks[c.iri] != "preferred"))[:limit]  # stable: ties in table order
    preferred = {iri for iri, rank in ranks.items() if rank == "preferred"}
    assert [c.iri for c in most_contested(claims, contested, preferred, limit)] == [c.iri for c in expected]


def test_the_extraction_cache_key_covers_the_code_of_what_a_cached_claim_holds() -> None:
    """A cached claim holds its IRI and interval, made as it is made: a change to that code must miss the cache."""
    import inspect

    from claimgraph import model
    from claimgraph.cache import EXTRACTION_CODE
    from claimgraph.synthetic import synthetic_claims

    _, claims = synthetic_claims(5, 0)
    assert {"iri", "interval"} <= set(vars(claims[0]))  # stored in the claim, so pickled into the cache with it
    package = Path(inspect.getsourcefile(model)).parent  # type: ignore[arg-type]
    for made_by in (model._claim_iri, model._claim_interval_rule or model._claim_interval):
        assert Path(inspect.getsourcefile(made_by)).relative_to(package).as_posix() in EXTRACTION_CODE  # type: ignore[arg-type]

