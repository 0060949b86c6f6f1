"""claimgraph.viz: the offline, self-contained graph page (unit tests + headless Chromium)."""

from __future__ import annotations

import json
import re
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

from claimgraph.viz import GraphView, claim_figure, json_for_script, render_graph_html, write_graph_html

TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS))  # tests/browser.py, whatever pytest's import mode
pytest_plugins = ["browser"]

ARTIFACTS = TESTS / "artifacts"
ID = "https://w3id.org/claimgraph/id/"
READY = "window.claimgraph && window.claimgraph.ready === true"

PAYLOAD_IMG = '<img src=x onerror="window.__pwned=1">'
PAYLOAD_SCRIPT = "</script><script>window.__pwned=2</script>"


# --------------------------------------------------------------------------- views


def _claim(n: int, doc: int, quote: str, mention: str, **kw: str) -> dict[str, str]:
    keys = ["source_file", "start", "end", "country", "place_role", "measure", "population", "value", "low"]
    keys += ["high", "qualifier", "as_of", "attributed_to", "derived_from", "unit", "rank"]
    row = dict.fromkeys(keys, "")
    row.update(claim=f"{ID}claim/{n}", document=f"{ID}doc/{doc}", quote=quote, mention=mention, unit="persons")
    row.update(kw)
    return row


def _doc(n: int, title: str, publisher: str, url: str = "", date: str = "") -> dict[str, str]:
    return {
        "document": f"{ID}doc/{n}",
        "source_file": f"reports/{n}.md",
        "title": title,
        "publisher": publisher,
        "url": url,
        "date": date,
    }


def _conflict(n: int, a: int, b: int, kind: str, severity: str, reason: str, verdict: str = "") -> dict[str, str]:
    return {
        "conflict": f"{ID}conflict/{n}",
        "kind": kind,
        "severity": severity,
        "claim_a": f"{ID}claim/{a}",
        "claim_b": f"{ID}claim/{b}",
        "reason": reason,
        "verdict": verdict,
        "note": "",
    }


def small_view() -> GraphView:
    """Six invented claims in three invented reports; two conflicts, one derived claim."""
    documents = [
        _doc(1, "Returnees to the Levant: an autumn review", "Harbour Policy Institute", "https://example.org/levant", "2017-10-24"),
        _doc(2, "Counting the travellers", "Northgate Monitor", "javascript:alert(1)", "2018-02-01"),
        _doc(3, "Annual security bulletin", "Harbour Policy Institute", "", "2018-06"),
    ]
    claims = [
        _claim(1, 1, "At least 5,600 people had returned to Iraq by October, the institute estimated.", "5,600",
               country="IQ", measure="returned", population="fighters", value="5600", qualifier="at_least",
               as_of="2017-10", attributed_to="Harbour Policy Institute"),
        _claim(2, 2, "Only about 1,200 fighters ever came back to Iraq, officials said.", "1,200",
               country="IQ", measure="returned", population="fighters", value="1200", qualifier="approximately",
               as_of="2017-11", attributed_to="Interior Ministry"),
        _claim(3, 2, "Between 1,200 and 2,000 people travelled from Syria and Iraq combined.", "1,200 and 2,000",
               country="IQ+SY", measure="departed", population="fighters", value="1600", low="1200", high="2000",
               qualifier="range"),
        _claim(4, 3, "Seven residents returned home to the United States.", "Seven",
               country="US", measure="returned", population="returnees", value="7", qualifier="exact"),
        _claim(5, 3, "Some 300 detainees remained in camps in Syria.", "300",
               country="SY", measure="detained", population="fighters", value="300", qualifier="approximately"),
        _claim(6, 1, "Of the 6,000 who left, 5,600 are back, so 400 remain unaccounted for.", "400",
               country="IQ", measure="unaccounted", population="fighters", value="400", qualifier="exact",
               derived_from=f"{ID}claim/1"),
    ]
    conflicts = [
        _conflict(1, 1, 2, "value_mismatch", "0.625", "5,600 and about 1,200 returned to Iraq a month apart"),
        _conflict(2, 6, 2, "derived_mismatch", "0.25", "400 unaccounted assumes 5,600 returned", "confirmed"),
    ]
    return GraphView(documents=documents, claims=claims, conflicts=conflicts, title="Returnee figures, test corpus")


def xss_view() -> GraphView:
    documents = [
        _doc(1, f"Report {PAYLOAD_IMG} {PAYLOAD_SCRIPT}", f"Press {PAYLOAD_IMG}", "javascript:window.__pwned=3"),
        _doc(2, "A calm report", "Calm Office", "https://example.org/calm"),
    ]
    claims = [
        _claim(1, 1, f"Officials counted 12 returnees {PAYLOAD_IMG} and then {PAYLOAD_SCRIPT} later.", "12",
               country="IQ", measure="returned", value="12", qualifier="exact", attributed_to=PAYLOAD_SCRIPT),
        _claim(2, 2, "Officials counted 40 returnees in the same month.", "40",
               country="IQ", measure="returned", value="40", qualifier="exact"),
    ]
    conflicts = [_conflict(1, 1, 2, "value_mismatch", "0.9", f"12 vs 40 {PAYLOAD_SCRIPT}")]
    return GraphView(documents=documents, claims=claims, conflicts=conflicts, title=f"Graph {PAYLOAD_IMG}{PAYLOAD_SCRIPT}")


def expected_drawn(view: GraphView, keep=lambda claim, doc: True) -> int:
    """Nodes drawn when the claims passing `keep` are shown: claims + their documents, countries, organisations."""
    docs = {d["document"]: d for d in view.documents}
    shown = [c for c in view.claims if keep(c, docs.get(c["document"], {}))]
    countries = {code for c in shown for code in c["country"].split("+") if code}
    orgs = {c["attributed_to"] for c in shown if c["attributed_to"]}
    orgs |= {docs[c["document"]]["publisher"] for c in shown if docs[c["document"]]["publisher"]}
    return len(shown) + len({c["document"] for c in shown}) + len(countries) + len(orgs)


def all_nodes(view: GraphView) -> int:
    orgs = {d["publisher"] for d in view.documents if d["publisher"]} | {
        c["attributed_to"] for c in view.claims if c["attributed_to"]
    }
    countries = {code for c in view.claims for code in c["country"].split("+") if code}
    return len(view.documents) + len(orgs) + len(countries) + len(view.claims)


# --------------------------------------------------------------------------- page helpers


def _render(tmp_path: Path, view: GraphView, name: str = "graph.html", **kw) -> Path:
    path = tmp_path / name
    write_graph_html(view, path, **kw)
    return path


def drawn(page) -> int:
    return page.evaluate("window.claimgraph.drawnNodeCount()")


def click_node(page, node_id: str) -> None:
    """A real mouse click on the node's centre (vis canvas coordinates -> page coordinates)."""
    box = page.locator("#graph canvas").bounding_box()
    point = page.evaluate(
        "id => { const n = window.claimgraph.network; return n.canvasToDOM(n.getPositions([id])[id]); }", node_id
    )
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])


def claim_node(page, n: int) -> str:
    return page.evaluate("iri => window.claimgraph.claimNodeId(iri)", f"{ID}claim/{n}")


def select_option_starting(page, selector: str, prefix: str) -> None:
    value = page.evaluate(
        "([sel, prefix]) => [...document.querySelector(sel).options].find(o => o.textContent.startsWith(prefix)).value",
        [selector, prefix],
    )
    page.select_option(selector, value=value)


def wait_drawn(rec, count: int) -> None:
    rec.wait("n => window.claimgraph.drawnNodeCount() === n", count)


# --------------------------------------------------------------------------- unit tests (no browser)


def test_figure_labels():
    assert claim_figure({"value": "5600", "qualifier": "at_least"}) == "≥5,600"
    assert claim_figure({"value": "1200", "qualifier": "approximately"}) == "~1,200"
    assert claim_figure({"value": "1600", "low": "1200", "high": "2000", "qualifier": "range"}) == "1,200–2,000"
    assert claim_figure({"value": "7", "qualifier": "exact"}) == "7"
    assert claim_figure({"value": "12.5", "qualifier": "https://w3id.org/claimgraph/vocab/qualifier/more_than", "unit": "percent"}) == ">12.5%"


def test_html_is_self_contained_and_data_cannot_break_out():
    page = render_graph_html(xss_view())
    for tag in re.findall(r"<(?:script|link)\b[^>]*>", page, flags=re.IGNORECASE):
        for attr in re.findall(r"\b(?:src|href)\s*=\s*([\"']?)([^\"'\s>]*)\1", tag, flags=re.IGNORECASE):
            assert not re.match(r"(?i)(https?:)?//", attr[1]), tag
    assert not re.search(r"<link\b", page, flags=re.IGNORECASE)
    assert not re.search(r"<script[^>]*\bsrc\s*=", page, flags=re.IGNORECASE)
    assert "</script><script>" not in page
    assert "<img src=x" not in page
    # an HTML parser sees exactly the page's own three scripts: nothing in the data ended one early
    scripts: list[dict[str, str | None]] = []

    class Scripts(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag == "script":
                scripts.append(dict(attrs))
            assert tag not in ("img", "link", "iframe", "object", "embed"), tag

    Scripts().feed(page)
    assert scripts == [{"type": "application/json", "id": "cg-data"}, {}, {}]
    assert "vis.Network" in page and "vis-network" in page  # the library itself is inlined


def test_json_for_script_escapes_html_breakers():
    text = json_for_script({"q": "</script><!-- & \u2028\u2029 >"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text and "\u2029" not in text
    assert "\\u003c/script\\u003e" in text


def page_data(page: str) -> dict:
    """The JSON data block of a rendered page."""
    return json.loads(re.search(r'<script type="application/json" id="cg-data">(.*?)</script>', page, flags=re.DOTALL)[1])


def test_claim_figures_on_the_page_are_claim_figure():
    # the page works figures out once per distinct value; each must still be what claim_figure says for its row
    view = small_view()
    rows = view.claims + [
        _claim(7, 1, "Between 10 and 10 percent.", "10", value="10", low="10", high="10", qualifier="range", unit="percent"),
        _claim(8, 1, "Somewhere above 0.50.", "0.50", low="0.50", qualifier="more_than"),
        _claim(9, 1, "No number at all.", "many", value="many"),
    ]
    claims = page_data(render_graph_html(GraphView(view.documents, rows, view.conflicts)))["claims"]
    assert [c["figure"] for c in claims] == [claim_figure(row) for row in rows]


def test_page_data_leaves_out_empty_fields_but_keeps_index_zero():
    documents = [_doc(1, "First report", "Harbour Policy Institute")]
    claims = [
        _claim(1, 1, "About 40 returned.", "40", country="IQ", measure="returned", value="40", qualifier="approximately"),
        _claim(2, 1, "Half of them, 20.", "20", value="20", derived_from=f"{ID}claim/1"),
    ]
    data = page_data(render_graph_html(GraphView(documents=documents, claims=claims)))
    first, second = data["claims"]
    assert first["doc"] == second["doc"] == 0 and second["derived"] == 0  # index 0 is kept
    assert "countries" not in second and "orgs" not in first and "region" not in first  # empty lists and text are not
    for record in data["claims"]:
        assert "derived_iri" not in record
        assert all(value not in ("", [], None) for value in record.values())


def test_node_with_an_empty_label_leaves_it_out():
    # an organisation IRI whose last segment is blank gives a blank name: its node goes without a label
    claims = [_claim(1, 1, "About 40 returned.", "40", value="40", attributed_to="https://example.org/ /")]
    data = page_data(render_graph_html(GraphView(documents=[_doc(1, "First report", "")], claims=claims)))
    organisation = next(node for node in data["nodes"] if node["kind"] == "organisation")
    assert "label" not in organisation and organisation["title"] == "Organisation:  "
    assert all("" not in node.values() and None not in node.values() for node in data["nodes"])


def test_write_graph_html_is_atomic(tmp_path):
    target = tmp_path / "out" / "graph.html"
    write_graph_html(small_view(), target)
    write_graph_html(small_view(), target)  # replaces in place
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in target.parent.iterdir()) == ["graph.html"]  # no temp file left


def test_big_view_renders_quickly_without_browser():
    view = synthetic_view(20_000)
    started = time.perf_counter()
    page = render_graph_html(view)
    assert time.perf_counter() - started < 30
    assert '"layout":"grouped"' in page


# --------------------------------------------------------------------------- browser tests


@pytest.mark.browser
def test_page_is_offline_and_draws_every_node(tmp_path, open_page):
    view = small_view()
    rec = open_page(_render(tmp_path, view), wait_for=READY)
    page = rec.page
    assert drawn(page) == all_nodes(view) == 15
    assert page.evaluate("window.claimgraph.mode") == "detail"
    assert page.evaluate("window.claimgraph.physicsAtStart") is True  # 15 nodes: under physics_above
    assert page.title() == view.title
    assert page.locator("#legend").is_visible()
    assert page.locator("#notice").is_hidden()
    # the analyst's first look: a claim in a conflict is selected
    click_node(page, claim_node(page, 1))
    rec.wait("document.querySelector('#details').textContent.includes('Only about')")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "graph.png"))
    rec.assert_clean()


@pytest.mark.browser
def test_clicking_a_conflicting_claim_shows_both_quotes(tmp_path, open_page):
    view = small_view()
    rec = open_page(_render(tmp_path, view), wait_for=READY)
    page = rec.page
    click_node(page, claim_node(page, 2))
    details = page.locator("#details")
    details.get_by_text("Only about", exact=False).first.wait_for()
    text = details.inner_text()
    assert "~1,200" in text
    assert "Only about 1,200 fighters ever came back to Iraq, officials said." in text  # its own quote
    assert "At least 5,600 people had returned to Iraq by October" in text  # the other side of the conflict
    assert "Of the 6,000 who left" in text  # the second conflict's other claim
    assert "value mismatch" in text and "0.625" in text and "confirmed" in text
    assert "Counting the travellers" in text and "Northgate Monitor" in text
    assert page.locator("#details mark").first.inner_text() == "1,200"
    # a javascript: URL is shown as text, never made a link
    assert page.evaluate("[...document.querySelectorAll('#details a')].every(a => !a.getAttribute('href'))")
    # a document click gives a summary with counts
    click_node(page, "d0")
    rec.wait("document.querySelector('#details').textContent.includes('In this document')")
    assert "Returnees to the Levant" in details.inner_text()
    assert page.evaluate("[...document.querySelectorAll('#details a')].map(a => a.href)") == ["https://example.org/levant"]
    rec.assert_clean()


@pytest.mark.browser
def test_filters_change_what_is_drawn(tmp_path, open_page):
    view = small_view()
    rec = open_page(_render(tmp_path, view), wait_for=READY)
    page = rec.page
    full = all_nodes(view)
    assert drawn(page) == full

    select_option_starting(page, "#filter-country", "SY ")
    want = expected_drawn(view, lambda c, d: "SY" in c["country"].split("+"))
    assert want < full
    wait_drawn(rec, want)
    page.select_option("#filter-country", value="")
    wait_drawn(rec, full)

    select_option_starting(page, "#filter-measure", "detained")
    wait_drawn(rec, expected_drawn(view, lambda c, d: c["measure"] == "detained"))
    page.select_option("#filter-measure", value="")

    select_option_starting(page, "#filter-org", "Interior Ministry")
    wait_drawn(rec, expected_drawn(view, lambda c, d: c["attributed_to"] == "Interior Ministry"))
    page.select_option("#filter-org", value="")
    wait_drawn(rec, full)

    page.check("#conflicts-only")
    conflicting = {c[k] for c in view.conflicts for k in ("claim_a", "claim_b")}
    wait_drawn(rec, expected_drawn(view, lambda c, d: c["claim"] in conflicting))
    page.uncheck("#conflicts-only")
    wait_drawn(rec, full)

    page.fill("#search", "camps")  # in a quote
    wait_drawn(rec, expected_drawn(view, lambda c, d: "camps" in c["quote"]))
    page.fill("#search", "counting the travellers")  # a document title
    wait_drawn(rec, expected_drawn(view, lambda c, d: d["title"] == "Counting the travellers"))
    page.fill("#search", "no such words anywhere")
    wait_drawn(rec, 0)
    assert "No claim matches" in page.locator("#notice").inner_text()
    page.click("#reset")
    wait_drawn(rec, full)
    rec.assert_clean()


@pytest.mark.browser
def test_physics_is_off_above_the_threshold(tmp_path, open_page):
    rec = open_page(_render(tmp_path, small_view(), physics_above=5), wait_for=READY)
    assert rec.page.evaluate("window.claimgraph.physicsAtStart") is False
    assert rec.page.evaluate("window.claimgraph.network.physics.options.enabled") is False
    assert drawn(rec.page) == 15
    rec.assert_clean()


@pytest.mark.browser
def test_hostile_text_stays_text(tmp_path, open_page):
    view = xss_view()
    rec = open_page(_render(tmp_path, view), wait_for=READY)
    page = rec.page
    assert page.title() == view.title
    assert PAYLOAD_IMG in page.locator("#page-title").inner_text()
    click_node(page, claim_node(page, 1))
    rec.wait("document.querySelector('#details').textContent.includes('Officials counted 12')")
    page.wait_for_timeout(200)  # give any injected handler a chance to run
    assert page.evaluate("typeof window.__pwned") == "undefined"
    text = page.locator("#details").inner_text()
    assert f"Officials counted 12 returnees {PAYLOAD_IMG} and then {PAYLOAD_SCRIPT} later." in text
    assert f"Report {PAYLOAD_IMG} {PAYLOAD_SCRIPT}" in text
    assert f"12 vs 40 {PAYLOAD_SCRIPT}" in text
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    assert page.evaluate("[...document.querySelectorAll('#details a')].every(a => !a.getAttribute('href'))")
    assert page.evaluate("document.querySelectorAll('script').length") == 3  # data, vis-network, app
    rec.assert_clean()  # the <img src=x> would have been a request


def synthetic_view(n_claims: int, n_countries: int = 24) -> GraphView:
    countries = [f"{chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(n_countries)]
    measures = ["departed", "returned", "detained", "killed", "convicted", "active"]
    documents = [
        _doc(d, f"Synthetic report {d}", f"Synthetic org {d % 30}", f"https://example.org/r/{d}", "2019")
        for d in range(400)
    ]
    claims = [
        _claim(
            i,
            i % 400,
            f"In report {i % 400} some {i + 3} people were {measures[(i // n_countries) % 6]} in {countries[i % n_countries]}.",
            str(i + 3),
            country=countries[i % n_countries],
            measure=measures[(i // n_countries) % 6],
            population="fighters",
            value=str(i + 3),
            qualifier="exact",
            attributed_to=f"Synthetic org {i % 30}" if i % 4 == 0 else "",
        )
        for i in range(n_claims)
    ]
    conflicts = [
        _conflict(i, i, i + n_countries * 6, "value_mismatch", "0.5", "synthetic mismatch")
        for i in range(0, n_claims - n_countries * 6, 50)
    ]
    return GraphView(documents=documents, claims=claims, conflicts=conflicts, title="Synthetic 50k")


@pytest.mark.browser
def test_fifty_thousand_claims_open_aggregated(tmp_path, open_page):
    view = synthetic_view(50_000)
    rec = open_page(_render(tmp_path, view), timeout_ms=90_000, wait_for=READY)
    page = rec.page
    assert page.evaluate("window.claimgraph.mode") == "aggregate"
    assert 0 < drawn(page) <= 24 + 24 * 6
    notice = page.locator("#notice")
    assert notice.is_visible() and "50,000 claims" in notice.inner_text()

    select_option_starting(page, "#filter-country", "AC ")
    rec.wait("window.claimgraph.mode === 'detail'", timeout_ms=30_000)
    want = expected_drawn(view, lambda c, d: c["country"] == "AC")
    assert 2000 < want < 5000
    assert drawn(page) == want
    click_node(page, claim_node(page, 2))  # claim 2 is in country AC
    rec.wait("document.querySelector('#details').textContent.includes('some 5 people')")

    page.select_option("#filter-country", value="")
    rec.wait("window.claimgraph.mode === 'aggregate'", timeout_ms=30_000)
    assert drawn(page) <= 24 + 24 * 6
    rec.assert_clean()


@pytest.mark.browser
def test_aggregated_view_drills_down_only_under_the_threshold(tmp_path, open_page):
    view = small_view()  # 6 claims: IQ has 4, SY has 2
    rec = open_page(_render(tmp_path, view, aggregate_above=3), wait_for=READY)
    page = rec.page
    assert page.evaluate("window.claimgraph.mode") == "aggregate"
    assert page.locator("#legend-agg").is_visible()
    select_option_starting(page, "#filter-country", "SY ")
    rec.wait("window.claimgraph.mode === 'detail'")
    assert drawn(page) == expected_drawn(view, lambda c, d: "SY" in c["country"].split("+"))
    select_option_starting(page, "#filter-country", "IQ ")
    rec.wait("window.claimgraph.mode === 'aggregate'")
    assert "still has too many" in page.locator("#notice").inner_text()
    select_option_starting(page, "#filter-measure", "returned")
    rec.wait("window.claimgraph.mode === 'detail'")
    assert drawn(page) == expected_drawn(view, lambda c, d: "IQ" in c["country"].split("+") and c["measure"] == "returned")
    rec.assert_clean()
