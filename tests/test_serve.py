"""`claimgraph serve`: a real server on 127.0.0.1, queried with SPARQLWrapper, urllib and Chromium (no mocks)."""

from __future__ import annotations

import csv
import json
import re
import select
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from xml.dom.minidom import Document

import pyoxigraph as ox
import pytest
from SPARQLWrapper import CSV, JSON, POST, TSV, TURTLE, XML, SPARQLWrapper

from claimgraph.build import build
from claimgraph.config import BuildConfig
from claimgraph.query import run_query
from claimgraph.server import ClaimgraphServer, make_server
from claimgraph.server_sparql import negotiate
from claimgraph.store import load_store

TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS))  # tests/browser.py, whatever pytest's import mode
pytest_plugins = ["browser"]

COUNT_CLAIMS = "SELECT (COUNT(?c) AS ?n) WHERE { ?c a cg:Claim }"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # every triple, cubed
XSS = '<img src=x onerror="window.__pwned=1">'


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("serve") / "out"
    build(None, out, BuildConfig(progress=False))
    if not (out / "audit.html").exists():  # older builds write no audit page
        (out / "audit.html").write_text("<!DOCTYPE html><title>audit</title><p>audit</p>\n", encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def claims(built: Path) -> int:
    with (built / "claims.csv").open(encoding="utf-8", newline="") as handle:
        return len(list(csv.DictReader(handle)))


def _start(graph: Any, **options: Any) -> ClaimgraphServer:
    server = make_server(graph, "127.0.0.1", 0, quiet=True, **options)
    threading.Thread(target=server.serve_forever, name="test-serve", daemon=True).start()
    return server


def _stop(server: ClaimgraphServer) -> None:
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def server(built: Path) -> Iterator[ClaimgraphServer]:
    srv = _start(built, timeout=10)
    yield srv
    _stop(srv)


@pytest.fixture(scope="module")
def writable(built: Path) -> Iterator[ClaimgraphServer]:
    srv = _start(built, allow_update=True)
    yield srv
    _stop(srv)


@pytest.fixture(scope="module")
def cli_server(built: Path) -> Iterator[str]:
    """`python -m claimgraph.cli serve` as a subprocess, with a 1 s time limit and at most 5 results."""
    argv = [sys.executable, "-m", "claimgraph.cli", "serve", str(built), "--port", "0", "--timeout", "1", "--max-results", "5", "--quiet"]
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        ready, _, _ = select.select([proc.stderr], [], [], 30)
        line = proc.stderr.readline() if ready else ""
        match = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
        assert match, f"the server did not start: {line!r}"
        yield match.group(1)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:  # pragma: no cover - a failure, but do not leave it running
            proc.kill()
            proc.wait()
        proc.stderr.close()


def http(url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None, timeout: float = 30) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def get_query(base: str, query: str, accept: str = "application/sparql-results+json", **params: str) -> tuple[int, dict[str, str], bytes]:
    return http(base + "sparql?" + urllib.parse.urlencode({"query": query, **params}), headers={"Accept": accept})


def post_form(base: str, field: str, text: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    body = urllib.parse.urlencode({field: text}).encode()
    return http(base + "sparql", data=body, headers={"Content-Type": "application/x-www-form-urlencoded", **headers})


def count_of(body: bytes) -> int:
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


# --------------------------------------------------------------------------- SPARQL 1.1 Protocol


def test_count_of_claims_equals_claims_csv(server: ClaimgraphServer, claims: int) -> None:
    status, headers, body = get_query(server.url, COUNT_CLAIMS)
    assert status == 200 and headers["Content-Type"].startswith("application/sparql-results+json")
    assert count_of(body) == claims > 0


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("fmt", [JSON, CSV, TSV, XML])
def test_sparqlwrapper_formats(server: ClaimgraphServer, claims: int, fmt: str, method: str) -> None:
    """Each return format, by GET and by POST (SPARQLWrapper sends both an Accept header and format=)."""
    client = SPARQLWrapper(server.url + "sparql")
    client.setQuery(COUNT_CLAIMS)
    client.setReturnFormat(fmt)
    if method == "POST":
        client.setMethod(POST)
    result = client.query().convert()
    if fmt == JSON:
        value = result["results"]["bindings"][0]["n"]["value"]
    elif fmt == XML:
        assert isinstance(result, Document)
        value = result.getElementsByTagName("literal")[0].firstChild.data
    else:
        lines = result.decode().strip().splitlines()
        assert lines[0] == ("n" if fmt == CSV else "?n")
        value = lines[1].split("^^")[0].strip('"')
    assert int(value) == claims


def test_post_direct_and_ask(server: ClaimgraphServer) -> None:
    status, _, body = http(server.url + "sparql", data=b"ASK { ?c a cg:Claim }", headers={"Content-Type": "application/sparql-query"})
    assert status == 200 and json.loads(body) == {"head": {}, "boolean": True}
    client = SPARQLWrapper(server.url + "query")  # the alias
    client.setQuery("ASK { ?c a cg:NoSuchClass }")
    client.setReturnFormat(JSON)
    assert client.query().convert()["boolean"] is False


def test_construct_as_turtle(server: ClaimgraphServer, claims: int) -> None:
    query = "CONSTRUCT { ?c a cg:Claim } WHERE { ?c a cg:Claim }"
    status, headers, body = get_query(server.url, query, accept="text/turtle")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    assert len(list(ox.parse(body, format=ox.RdfFormat.TURTLE))) == claims
    client = SPARQLWrapper(server.url + "sparql")
    client.setQuery(query)
    client.setReturnFormat(TURTLE)
    assert len(list(ox.parse(client.query().convert(), format=ox.RdfFormat.TURTLE))) == claims
    status, headers, body = get_query(server.url, query, accept="application/n-triples")
    assert status == 200 and len(body.splitlines()) == claims


def test_format_parameter_overrides_accept(server: ClaimgraphServer, claims: int) -> None:
    status, headers, body = get_query(server.url, COUNT_CLAIMS, accept="application/sparql-results+json", format="csv")
    assert status == 200 and headers["Content-Type"].startswith("text/csv") and body.decode().split() == ["n", str(claims)]
    status, headers, _ = get_query(server.url, COUNT_CLAIMS, accept="text/csv;q=0.5, application/sparql-results+xml")
    assert headers["Content-Type"].startswith("application/sparql-results+xml")


def test_unacceptable_format_is_406(server: ClaimgraphServer) -> None:
    status, _, body = get_query(server.url, COUNT_CLAIMS, accept="image/png")
    assert status == 406 and b"text/csv" in body
    assert get_query(server.url, COUNT_CLAIMS, format="yaml")[0] == 406


def test_negotiation_rules() -> None:
    results = (ox.QueryResultsFormat.JSON, ox.QueryResultsFormat.XML, ox.QueryResultsFormat.CSV)
    assert negotiate(None, None, results) == ox.QueryResultsFormat.JSON
    assert negotiate("text/*", None, results) == ox.QueryResultsFormat.CSV
    assert negotiate("application/json;q=0, text/csv;q=0.1", None, results) == ox.QueryResultsFormat.CSV
    assert negotiate("*/*", "xml", results) == ox.QueryResultsFormat.XML
    assert negotiate("*/*", "turtle", (ox.RdfFormat.TRIG, ox.RdfFormat.TURTLE)) == ox.RdfFormat.TURTLE


def test_graph_download_as_trig_has_every_quad(server: ClaimgraphServer, built: Path) -> None:
    on_disk = list(ox.parse(path=str(built / "claims.trig")))
    status, headers, body = http(server.url + "graph", headers={"Accept": "application/trig"})
    assert status == 200 and headers["Content-Type"].startswith("application/trig")
    assert len(list(ox.parse(body, format=ox.RdfFormat.TRIG))) == len(on_disk)
    status, _, body = http(server.url + "data", headers={"Accept": "application/n-quads"})
    assert status == 200 and len(body.splitlines()) == len(on_disk)
    status, headers, body = http(server.url + "graph?format=ttl")
    union = {q.triple for q in on_disk}
    assert headers["Content-Type"].startswith("text/turtle") and len(list(ox.parse(body, format=ox.RdfFormat.TURTLE))) == len(union)


def test_malformed_query_is_400_with_the_reason(server: ClaimgraphServer) -> None:
    status, _, body = get_query(server.url, "SELECT ?x WHERE { ?x ")
    assert status == 400 and b"SPARQL syntax error" in body
    status, _, body = http(server.url + "sparql")
    assert status == 400 and b"query" in body
    status, _, body = http(server.url + "sparql", data=b"x", headers={"Content-Type": "text/plain"})
    assert status == 415


def test_update_is_refused_with_403(server: ClaimgraphServer) -> None:
    update = "INSERT DATA { <urn:x:s> <urn:x:p> 'o' }"
    for status, _, body in (post_form(server.url, "update", update),
                            http(server.url + "sparql", data=update.encode(), headers={"Content-Type": "application/sparql-update"})):
        assert status == 403 and b"--allow-update" in body
    assert json.loads(get_query(server.url, "ASK { <urn:x:s> ?p ?o }")[2])["boolean"] is False


def test_update_with_allow_update(writable: ClaimgraphServer) -> None:
    status, _, _ = post_form(writable.url, "update", "INSERT DATA { GRAPH <urn:x:g> { <urn:x:s> <urn:x:p> 'inserted' } }")
    assert status == 204
    status, _, body = get_query(writable.url, "SELECT ?o WHERE { <urn:x:s> <urn:x:p> ?o }")
    assert json.loads(body)["results"]["bindings"][0]["o"]["value"] == "inserted"
    status, _, body = post_form(writable.url, "update", "DROP ALL", Origin="http://evil.example")
    assert status == 403 and b"cross-origin" in body
    assert post_form(writable.url, "update", "INSERT DATA { oops")[0] == 400


def test_slow_query_is_503_on_time_and_the_server_keeps_answering(cli_server: str, claims: int) -> None:
    started = time.monotonic()
    status, _, body = get_query(cli_server, SLOW)
    elapsed = time.monotonic() - started
    assert status == 503 and b"time limit" in body
    assert elapsed < 1 + 1.5, f"503 after {elapsed:.1f}s"
    started = time.monotonic()
    status, _, body = get_query(cli_server, COUNT_CLAIMS)
    assert status == 200 and count_of(body) == claims and time.monotonic() - started < 1


def test_runaway_queries_cannot_pile_up(built: Path, claims: int) -> None:
    srv = _start(built, timeout=0.3, max_overdue=1)
    try:
        medium = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . VALUES ?x { 1 2 } }"  # about 1 s, uninterruptible
        assert get_query(srv.url, medium)[0] == 503
        status, _, body = get_query(srv.url, COUNT_CLAIMS)
        assert status == 503 and b"busy" in body
        deadline = time.monotonic() + 30
        while srv.endpoint.overdue and time.monotonic() < deadline:
            time.sleep(0.05)
        status, _, body = get_query(srv.url, COUNT_CLAIMS)
        assert srv.endpoint.overdue == 0 and status == 200 and count_of(body) == claims
    finally:
        _stop(srv)


def test_too_many_results_is_413(cli_server: str) -> None:
    status, _, body = get_query(cli_server, "SELECT * WHERE { ?s ?p ?o }")
    assert status == 413 and b"--max-results" in body
    assert get_query(cli_server, "CONSTRUCT WHERE { ?s ?p ?o }", accept="text/turtle")[0] == 413
    assert get_query(cli_server, "SELECT * WHERE { ?s ?p ?o } LIMIT 5")[0] == 200


def test_concurrent_clients_all_get_right_answers(server: ClaimgraphServer) -> None:
    queries = [COUNT_CLAIMS, "SELECT (COUNT(?c) AS ?n) WHERE { ?c a cg:Conflict }", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"]
    expected = {q: int(next(iter(run_query(server.endpoint.store, q)))["n"].value) for q in queries}
    assert all(expected.values())

    def client(index: int) -> list[str]:
        errors = []
        for i in range(50):
            query = queries[(index + i) % len(queries)]
            status, _, body = get_query(server.url, query)
            if status != 200 or count_of(body) != expected[query]:
                errors.append(f"{status} {body[:80]!r}")
        return errors

    with ThreadPoolExecutor(20) as pool:
        errors = [e for found in pool.map(client, range(20)) for e in found]
    assert errors == []


# --------------------------------------------------------------------------- pages


def test_index_and_pages(server: ClaimgraphServer, built: Path) -> None:
    status, headers, body = http(server.url)
    assert status == 200 and "default-src 'none'" in headers["Content-Security-Policy"]
    page = body.decode()
    assert 'href="graph.html"' in page and 'href="audit.html"' in page and "claims-per-source" in page
    status, headers, body = http(server.url + "graph.html")
    assert status == 200 and body == (built / "graph.html").read_bytes()
    assert http(server.url + "audit.html")[0] == 200
    assert http(server.url + "claims.trig")[0] == 404  # only the two pages, never other files
    assert http(server.url + "../claims.csv")[0] == 404
    script = http(server.url + "query-page.js")[2].decode()
    assert "textContent" in script and "innerHTML" not in script


def test_store_api_without_a_folder_has_no_pages(built: Path) -> None:
    srv = _start(load_store(built))
    try:
        assert http(srv.url + "graph.html")[0] == 404 and http(srv.url + "audit.html")[0] == 404
        assert 'href="graph.html"' not in http(srv.url)[2].decode()
        assert get_query(srv.url, "ASK { ?c a cg:Claim }")[0] == 200
    finally:
        _stop(srv)


def test_foreign_host_header_is_refused(server: ClaimgraphServer) -> None:
    status, _, body = http(server.url + "graph", headers={"Host": "attacker.example:7878"})
    assert status == 403 and b"Host" in body


def test_index_from_the_cli_server(cli_server: str) -> None:
    status, _, body = http(cli_server)
    assert status == 200 and b"<textarea" in body


# --------------------------------------------------------------------------- the query page in Chromium


def _open(browser: Any, url: str) -> tuple[Any, Any, list[str]]:
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda err: problems.append(str(err)))
    page.on("request", lambda req: None if req.url.startswith(url) or req.url.startswith("data:") else problems.append(req.url))
    page.goto(url, wait_until="load")
    return context, page, problems


@pytest.mark.browser
def test_query_page_runs_a_canned_query(server: ClaimgraphServer, chromium_browser: Any) -> None:
    from browser import wait_for_js

    context, page, problems = _open(chromium_browser, server.url)
    try:
        page.select_option("#canned", "claims-per-source")
        assert "SELECT" in page.input_value("#query")
        page.click("#run")
        rows = wait_for_js(page, "document.querySelectorAll('#results tbody tr').length")
        assert rows > 0 and "rows" in page.text_content("#status")
        assert page.locator("#results th").count() > 0
        assert problems == []
        page.fill("#query", "SELECT WHERE {")
        page.click("#run")
        wait_for_js(page, "document.querySelector('#status').textContent.startsWith('Error 400')")
        assert all("400" in m for m in problems)  # Chromium logs the failed fetch, nothing else
    finally:
        context.close()


@pytest.mark.browser
def test_query_page_shows_data_as_text(writable: ClaimgraphServer, chromium_browser: Any) -> None:
    from browser import wait_for_js

    literal = XSS.replace('"', '\\"')
    assert post_form(writable.url, "update", f'INSERT DATA {{ <urn:x:xss> <urn:x:label> "{literal}" }}')[0] == 204
    context, page, problems = _open(chromium_browser, writable.url)
    try:
        page.fill("#query", "SELECT ?label WHERE { <urn:x:xss> <urn:x:label> ?label }")
        page.click("#run")
        wait_for_js(page, "document.querySelectorAll('#results tbody td').length")
        assert page.text_content("#results tbody td") == XSS
        assert page.evaluate("window.__pwned === undefined && document.querySelectorAll('#results img').length === 0")
        assert problems == []
    finally:
        context.close()
