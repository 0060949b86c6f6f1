"""Every command: help text, exit codes 0/1/2, output; atomic builds."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from claimgraph.cli import main, make_parser
from claimgraph.tables import CLAIM_COLUMNS, CONFLICT_COLUMNS
from clirun import run

COMMANDS = ["build", "claims", "conflicts", "consensus", "review", "audit", "query", "validate", "viz", "serve", "push", "load-store", "synth"]



@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(capsys: pytest.CaptureFixture[str], command: str) -> None:
    code, out, _ = run(capsys, command, "--help")
    assert code == 0 and "usage: claimgraph " + command in out and len(out.splitlines()) > 3


def test_parser_knows_every_command() -> None:
    choices = next(a for a in make_parser()._actions if a.dest == "command").choices
    assert set(COMMANDS) <= set(choices)


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "nonsense")[0] == 2
    assert run(capsys, "build")[0] == 2  # --out is required
    assert run(capsys, "claims", "x", "--format", "xml")[0] == 2
    assert run(capsys, "query", "graph-only")[0] == 2


def test_console_script_runs() -> None:
    result = subprocess.run([sys.executable, "-m", "claimgraph.cli", "--version"], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and result.stdout.startswith("claimgraph ")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cli") / "out"
    assert main(["build", "--out", str(out), "--quiet"]) == 0
    return out


def test_build_writes_the_four_outputs(built: Path) -> None:
    for name in ("claims.trig", "claims.csv", "conflicts.csv", "graph.html"):
        assert (built / name).stat().st_size > 100
    assert not list(built.glob(".claimgraph-build-*"))


def test_claims_and_conflicts_tables(capsys: pytest.CaptureFixture[str], built: Path) -> None:
    code, out, _ = run(capsys, "claims", str(built), "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert code == 0 and tuple(rows[0][: len(CLAIM_COLUMNS)]) == CLAIM_COLUMNS and len(rows) > 20
    assert out == (built / "claims.csv").read_text(encoding="utf-8")
    code, out, _ = run(capsys, "conflicts", str(built), "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert code == 0 and tuple(rows[0][: len(CONFLICT_COLUMNS)]) == CONFLICT_COLUMNS and len(rows) >= 2
    code, out, _ = run(capsys, "conflicts", str(built), "--format", "json")
    assert code == 0 and json.loads(out)["results"]["bindings"]


def test_query_formats(capsys: pytest.CaptureFixture[str], built: Path, tmp_path: Path) -> None:
    query = "SELECT ?country (COUNT(?c) AS ?n) WHERE { ?c a cg:Claim ; cg:placeCode ?country } GROUP BY ?country ORDER BY ?country"
    code, out, _ = run(capsys, "query", str(built), query, "--format", "csv")
    assert code == 0 and out.splitlines()[0] == "country,n" and "US," in out
    code, out, _ = run(capsys, "query", str(built), query, "--format", "json")
    assert code == 0 and {b["country"]["value"] for b in json.loads(out)["results"]["bindings"]} >= {"US", "WORLD"}
    code, out, _ = run(capsys, "query", str(built), query, "--format", "table")
    assert code == 0 and out.splitlines()[0].startswith("country") and "rows)" in out
    file = tmp_path / "q.rq"
    file.write_text("ASK { ?c a cg:Conflict }", encoding="utf-8")
    assert run(capsys, "query", str(built), f"@{file}", "--format", "csv")[1] == "true\n"


def test_canned_queries_all_run(capsys: pytest.CaptureFixture[str], built: Path) -> None:
    code, out, _ = run(capsys, "query", "--list")
    names = [line.split()[0] for line in out.splitlines()]
    assert code == 0 and "@conflicts-with-sources" in names and len(names) >= 6
    for name in names:
        code, out, err = run(capsys, "query", str(built), name, "--format", "csv")
        assert code == 0, err


def test_bad_input_exits_1_with_file_named(capsys: pytest.CaptureFixture[str], tmp_path: Path, built: Path) -> None:
    code, _, err = run(capsys, "claims", str(tmp_path / "missing"))
    assert code == 1 and "missing" in err
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nex:a ex:b \n", encoding="utf-8")
    code, _, err = run(capsys, "claims", str(broken))
    assert code == 1 and "broken.ttl" in err and "Traceback" not in err
    code, _, err = run(capsys, "query", str(built), "SELECT WHERE {")
    assert code == 1 and "SPARQL syntax error" in err
    code, _, err = run(capsys, "query", str(built), "@no-such-query")
    assert code == 1 and "no-such-query" in err


def test_bad_corpus_keeps_previous_outputs(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "out"
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.md").write_text("---\ntitle: A\ndate: 2018\n---\nOfficials said 300 Belgians had returned home.\n", encoding="utf-8")
    assert run(capsys, "build", str(corpus), "--out", str(out), "-q")[0] == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    (corpus / "b.md").write_text("---\ntitle: [unclosed\n---\nText\n", encoding="utf-8")
    code, _, err = run(capsys, "build", str(corpus), "--out", str(out), "-q")
    assert code == 1 and "b.md:2" in err and err.count("\n") == 1
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


def test_strict_turns_warnings_into_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Undated text about 40 fighters who returned.\n", encoding="utf-8")
    code, _, err = run(capsys, "build", str(corpus), "--out", str(tmp_path / "o"), "-q")
    assert code == 0 and "warning:" in err and "a.txt" in err
    code, _, err = run(capsys, "build", str(corpus), "--out", str(tmp_path / "o2"), "--strict")
    assert code == 1 and "a.txt" in err and not (tmp_path / "o2" / "claims.trig").exists()


def test_validate_conforms_and_fails(capsys: pytest.CaptureFixture[str], built: Path, tmp_path: Path) -> None:
    code, out, _ = run(capsys, "validate", str(built))
    assert code == 0 and "conforms" in out
    bad = tmp_path / "bad.trig"
    text = (built / "claims.trig").read_text(encoding="utf-8")
    bad.write_text(text.replace("cg:value ", "cg:value 1.5 , ", 1), encoding="utf-8")
    code, _, err = run(capsys, "validate", str(bad))
    assert code == 1 and "does NOT conform" in err


def test_viz_command(capsys: pytest.CaptureFixture[str], built: Path, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    assert run(capsys, "viz", str(built), "-o", str(page))[0] == 0
    assert "<html" in page.read_text(encoding="utf-8").lower()
