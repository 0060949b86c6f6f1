"""push and query --endpoint against a real Oxigraph server (``oxigraph serve``), started for these tests."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from claimgraph.build import build, example_corpus
from claimgraph.cli import main
from claimgraph.config import BuildConfig
from claimgraph.model import RECONCILIATION_GRAPH
from claimgraph.remote import RemoteError, push, remote_query, with_prefixes
from claimgraph.store import load_store

COUNT_PER_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def _oxigraph_binary() -> str:
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail("the oxigraph server binary is missing (pip install oxigraph); CI must run the endpoint tests")
    pytest.skip("no oxigraph server binary (pip install oxigraph): endpoint tests skipped")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(tmp_path_factory: pytest.TempPathFactory, *options: str) -> Iterator[str]:
    """A fresh `oxigraph serve` on a free port, with OPTIONS; its base URL while it runs."""
    binary = _oxigraph_binary()
    port = _free_port()
    location = tmp_path_factory.mktemp("oxigraph")
    log = (location.parent / f"oxigraph-{port}.log").open("wb")
    process = subprocess.Popen(
        [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}", *options], stdout=log, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                pytest.fail(f"oxigraph serve exited with {process.returncode}: {Path(log.name).read_text()}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("oxigraph serve did not listen within 30 s")
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server whose default graph is the union of all graphs, as local queries see it."""
    yield from _serve(tmp_path_factory, "--union-default-graph")


@pytest.fixture(scope="module")
def plain_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server as `oxigraph serve` starts by default: its default graph is a graph of its own."""
    yield from _serve(tmp_path_factory)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the example corpus, so one test can change a document."""
    folder = tmp_path_factory.mktemp("remote") / "corpus"
    shutil.copytree(example_corpus(), folder)
    return folder


@pytest.fixture(scope="module")
def built(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("remote-out")
    build([corpus], out, BuildConfig(progress=False))
    return out


def _remote_counts(base: str) -> dict[str, int]:
    rows = remote_query(f"{base}/query", COUNT_PER_GRAPH)
    counts = {row["g"].value: int(row["n"].value) for row in rows}
    counts[""] = len(_graph_lines(base, ""))  # the default graph itself (queries see the union of all graphs)
    return counts


def _local_counts(graph: Path) -> dict[str, int]:
    store = load_store(graph)
    counts: dict[str, int] = {}
    for quad in store:
        name = "" if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value
        counts[name] = counts.get(name, 0) + 1
    return counts


def _graph_lines(base: str, name: str) -> set[str]:
    url = f"{base}/store?default" if not name else f"{base}/store?graph={urllib.request.quote(name, safe='')}"
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": "application/n-triples"}), timeout=30) as answer:
        return set(answer.read().decode("utf-8").splitlines())


def _clear(base: str) -> None:
    request = urllib.request.Request(f"{base}/update", data=b"DROP ALL", headers={"Content-Type": "application/sparql-update"})
    urllib.request.urlopen(request, timeout=30).close()


def test_push_then_push_again_gives_the_same_graphs(server: str, built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _clear(server)
    assert main(["push", str(built), "--endpoint", f"{server}/store"]) == 0
    assert "pushed" in capsys.readouterr().out
    local = _local_counts(built)
    assert _remote_counts(server) == local
    assert len(local) > 3  # the default graph, one graph per document, the reconciliation graph
    result = push(built, f"{server}/store")
    assert result.graphs == len(local) and result.triples == sum(local.values())
    assert _remote_counts(server) == local


def test_changing_one_document_changes_only_its_graph(server: str, corpus: Path, built: Path, tmp_path: Path) -> None:
    _clear(server)
    push(built, f"{server}/store")
    before = {name: _graph_lines(server, name) for name in _local_counts(built)}
    document = corpus / "npr-americans-in-isis-2018-02-05.md"
    original = document.read_text(encoding="utf-8")
    assert "about 300 Americans" in original
    document.write_text(original.replace("about 300 Americans", "about 310 Americans"), encoding="utf-8")
    try:
        changed_out = tmp_path / "changed"
        result = build([corpus], changed_out, BuildConfig(progress=False))
    finally:
        document.write_text(original, encoding="utf-8")
    push(changed_out, f"{server}/store")
    after = {name: _graph_lines(server, name) for name in _local_counts(changed_out)}
    changed_graph = next(d.graph_iri for d in result.documents if d.source_file == document.name)
    assert set(after) == set(before)
    differ = {name for name in before if before[name] != after[name]}
    assert changed_graph in differ
    assert differ <= {changed_graph, "", RECONCILIATION_GRAPH}  # shared graphs may follow (text length, ranks)
    assert _remote_counts(server) == _local_counts(changed_out)


def test_query_endpoint_prints_like_a_local_query(server: str, built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _clear(server)
    push(built, f"{server}/store")
    for fmt in ("csv", "table", "json"):
        assert main(["query", str(built), "@claims-per-source", "-f", fmt]) == 0
        local = capsys.readouterr().out
        assert main(["query", "@claims-per-source", "--endpoint", f"{server}/query", "-f", fmt]) == 0
        remote = capsys.readouterr().out
        if fmt == "json":
            rows = [json.loads(text)["results"]["bindings"] for text in (local, remote)]
            assert sorted(map(str, rows[0])) == sorted(map(str, rows[1]))
        else:
            assert sorted(local.splitlines()) == sorted(remote.splitlines())


def test_ask_construct_and_default_graph_uri(server: str, built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _clear(server)
    push(built, f"{server}/store")
    assert main(["query", "ASK { ?c a cg:Claim }", "--endpoint", f"{server}/query", "-f", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["boolean"] is True
    assert main(["query", "CONSTRUCT WHERE { ?c a cg:Conflict } LIMIT 3", "--endpoint", f"{server}/query", "-f", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "subject,predicate,object" and 1 < len(lines) <= 4
    conflicts = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert main(["query", conflicts, "--endpoint", f"{server}/query", "--default-graph-uri", RECONCILIATION_GRAPH, "-f", "csv"]) == 0
    in_reconciliation = int(capsys.readouterr().out.split()[1])
    assert in_reconciliation == _local_counts(built)[RECONCILIATION_GRAPH]


def test_push_only_some_graphs(server: str, built: Path) -> None:
    _clear(server)
    result = push(built, f"{server}/store", only=[""])
    assert result.graphs == 1 and _remote_counts(server) == {"": _local_counts(built)[""]}


def test_prefixes_are_declared_for_the_server() -> None:
    text = with_prefixes("PREFIX cg: <urn:mine#>\nSELECT * WHERE { ?s a cg:Claim ; schema:name ?n }")
    assert text.count("PREFIX cg:") == 1 and "PREFIX schema: <https://schema.org/>" in text and "PREFIX oa:" not in text


def test_unreachable_server_is_one_clear_line(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dead = f"http://127.0.0.1:{_free_port()}"
    assert main(["push", str(built), "--endpoint", f"{dead}/store"]) == 1
    err = capsys.readouterr().err
    assert "cannot reach" in err and len(err.strip().splitlines()) == 1
    assert main(["query", "ASK {}", "--endpoint", f"{dead}/query"]) == 1
    assert "cannot reach" in capsys.readouterr().err


def test_server_errors_are_reported(server: str, built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "SELEC nonsense", "--endpoint", f"{server}/query"]) == 1
    err = capsys.readouterr().err
    assert "answered 400" in err and len(err.strip().splitlines()) == 1
    with pytest.raises(RemoteError, match="answered 404"):
        push(built, f"{server}/no-such-service")
    with pytest.raises(RemoteError, match="not an http"):
        push(built, "ftp://example.org/store")


def test_endpoint_usage_errors(server: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "graph", "ASK {}", "--endpoint", f"{server}/query"]) == 2
    assert main(["query", "--endpoint", f"{server}/query"]) == 2


def test_a_query_that_finds_nothing_because_of_the_servers_default_graph_says_so(
    server: str, plain_server: str, built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    push(built, f"{plain_server}/store")
    assert main(["query", "--endpoint", f"{plain_server}/query", "@conflicts-with-sources", "--format", "csv"]) == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 1  # the header only: the claims are in the named graphs
    assert "default graph holds no claims" in err and "--union-default-graph" in err
    assert main(["query", "--endpoint", f"{plain_server}/query", "--format", "csv",
                 "SELECT ?c WHERE { GRAPH ?g { ?c a cg:Claim } } LIMIT 1"]) == 0  # fmt: skip
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 2 and not err  # found something: no note
    _clear(server)
    push(built, f"{server}/store")
    assert main(["query", "--endpoint", f"{server}/query", "--format", "csv", "SELECT ?c WHERE { ?c cg:value -1 }"]) == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 1 and not err  # nothing found, but not for that reason
    _clear(plain_server)
    assert main(["query", "--endpoint", f"{plain_server}/query", "--format", "csv", "SELECT ?c WHERE { ?c a cg:Claim }"]) == 0
    assert not capsys.readouterr().err  # an empty server: nothing to say about its default graph
