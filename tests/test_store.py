"""On-disk Oxigraph stores: written once, then queried without parsing the TriG again."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from claimgraph.cli import main
from claimgraph.errors import InputError
from claimgraph.query import canned_queries, format_result, run_query
from claimgraph.store import (
    STORE_DIR,
    is_store_dir,
    load_store,
    open_store,
    read_stamp,
    save_store,
    store_dir_of,
)


@pytest.fixture
def built(example_build, tmp_path: Path) -> Path:
    """A private copy of the example build (the session's build folder stays untouched)."""
    folder = tmp_path / "out"
    shutil.copytree(example_build.out, folder)
    return folder


def _answers(store: ox.Store) -> dict[str, list[str]]:
    return {name: sorted(format_result(run_query(store, text), "csv").splitlines()) for name, text in canned_queries().items()}


def test_a_saved_store_answers_like_the_trig(built: Path) -> None:
    info = save_store(built, built / STORE_DIR)
    assert is_store_dir(built / STORE_DIR) and info.quads > 1000
    from_trig = ox.Store()
    from_trig.bulk_load(path=str(built / "claims.trig"), format=ox.RdfFormat.TRIG)
    from_disk = open_store(built / STORE_DIR)
    assert len(from_disk) == len(from_trig) == info.quads
    assert _answers(from_disk) == _answers(from_trig)


def test_a_built_folder_opens_its_store_while_it_is_fresh(built: Path) -> None:
    assert store_dir_of(built) is None  # no store yet: the TriG is parsed
    save_store(built, built / STORE_DIR)
    assert store_dir_of(built) == built / STORE_DIR
    assert read_stamp(built / STORE_DIR)["source_size"] == (built / "claims.trig").stat().st_size
    trig = built / "claims.trig"
    stat = trig.stat()
    os.utime(trig, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # a newer build
    assert store_dir_of(built) is None
    assert len(load_store(built)) == info_quads(built)


def info_quads(built: Path) -> int:
    store = ox.Store()
    store.bulk_load(path=str(built / "claims.trig"), format=ox.RdfFormat.TRIG)
    return len(store)


def test_the_store_folder_itself_is_a_graph(built: Path, tmp_path: Path) -> None:
    save_store(built / "claims.trig", tmp_path / "elsewhere")
    store = load_store(tmp_path / "elsewhere")
    assert len(store) == info_quads(built)
    with pytest.raises(RuntimeError):
        store.update("INSERT DATA { <urn:a> <urn:b> <urn:c> }")  # opened read-only: never changed by a reader


def test_many_readers_at_once(built: Path) -> None:
    save_store(built, built / STORE_DIR)
    first, second = open_store(built / STORE_DIR), open_store(built / STORE_DIR)
    assert len(first) == len(second)


def test_saving_again_replaces_the_store(built: Path, tmp_path: Path) -> None:
    target = tmp_path / "store"
    save_store(built, target)
    quad = ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:b"), ox.Literal("c"), ox.DefaultGraph())
    info = save_store([quad], target)
    assert info.quads == 1 and len(open_store(target)) == 1
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no staging or old folders left


def test_never_replaces_a_folder_that_is_not_a_store(built: Path, tmp_path: Path) -> None:
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(InputError, match="not an Oxigraph store"):
        save_store(built, precious)
    assert (precious / "notes.txt").read_text(encoding="utf-8") == "keep me"
    with pytest.raises(InputError, match="not an Oxigraph store"):
        open_store(precious)


def test_a_build_into_a_store_folder_that_is_not_a_store_fails_first_and_keeps_the_outputs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["build", "--out", str(out), "--quiet"]) == 0
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.is_file()}
    (out / "notes").mkdir()
    (out / "notes" / "keep.txt").write_text("keep me", encoding="utf-8")
    assert main(["build", "--out", str(out), "--store", str(out / "notes"), "--quiet"]) == 1
    assert "not an Oxigraph store" in capsys.readouterr().err
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.is_file()} == before  # nothing was built or replaced
    assert (out / "notes" / "keep.txt").read_text(encoding="utf-8") == "keep me"


def test_bad_rdf_is_reported_with_its_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("<urn:a> <urn:b> .\n", encoding="utf-8")
    with pytest.raises(InputError, match="bad.ttl"):
        save_store(bad, tmp_path / "store")
    assert not (tmp_path / "store").exists()


def test_load_store_and_query_commands(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["load-store", str(built)]) == 0
    assert "quads ->" in capsys.readouterr().out
    assert main(["query", str(built / STORE_DIR), "SELECT (COUNT(*) AS ?n) WHERE { ?c a cg:Claim }", "-f", "csv"]) == 0
    from_store = capsys.readouterr().out
    assert main(["query", str(built / "claims.trig"), "SELECT (COUNT(*) AS ?n) WHERE { ?c a cg:Claim }", "-f", "csv"]) == 0
    assert capsys.readouterr().out == from_store and int(from_store.split()[1]) > 10
    assert main(["claims", str(built / STORE_DIR)]) == 0
    assert capsys.readouterr().out.startswith("claim,document,source_file")


def test_load_store_of_a_file_needs_a_target(built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["load-store", str(built / "claims.trig")]) == 2
    assert main(["load-store", str(built / "claims.trig"), "--store", str(tmp_path / "s")]) == 0
    assert is_store_dir(tmp_path / "s")
    assert main(["load-store", str(tmp_path / "missing.trig"), "--store", str(tmp_path / "t")]) == 1
    assert "no such graph" in capsys.readouterr().err
