"""Interactive HTML view of the claim graph: one self-contained, offline page.

``render_graph_html(view)`` turns a :class:`GraphView` (plain rows, as a SPARQL
query or the pipeline gives them) into a single HTML file that an analyst opens
in a browser with no network: vis-network's JS/CSS (shipped inside the pyvis
package) are inlined, the data sits in a ``<script type="application/json">``
block, and the page renders every piece of text from the data with
``textContent`` only.

The graph is assembled as a pyvis ``Network`` (nodes and edges filled in bulk)
and laid out in Python (:mod:`claimgraph.viz_layout`: a seeded spring layout
with networkx for small graphs, a cheap grid of country clusters for big ones).
Above ``physics_above`` drawn nodes vis-network's physics stays off; above
``aggregate_above`` claims the page opens on one node per (country, measure)
until the filters narrow it down. How it looks is :mod:`claimgraph.viz_look`;
the page's HTML, CSS and JavaScript are :mod:`claimgraph.viz_page`.
"""

from __future__ import annotations

import contextlib
import html
import json
import math
import os
import re
import tempfile
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from claimgraph.viz_layout import place_nodes
from claimgraph.viz_look import EDGE_STYLES, vis_options
from claimgraph.viz_page import APP_CSS, APP_JS, LEGEND, PAGE, json_for_script, vis_assets

__all__ = ["GraphView", "claim_figure", "json_for_script", "render_graph_html", "write_graph_html"]


@dataclass(frozen=True)
class GraphView:
    """What the page shows: rows of documents, claims and conflicts (all strings).

    documents: keys document (IRI), source_file, title, publisher, url, date.
    claims: keys claim, document, source_file, quote, mention, start, end,
        country, place_role, measure, population, value, low, high, qualifier,
        as_of, attributed_to, derived_from, unit, rank.
    conflicts: keys conflict, kind, severity, claim_a, claim_b, reason,
        verdict, note.
    Missing values are empty strings (missing keys are tolerated too).
    """

    documents: list[dict[str, str]] = field(default_factory=list)
    claims: list[dict[str, str]] = field(default_factory=list)
    conflicts: list[dict[str, str]] = field(default_factory=list)
    title: str = "claimgraph"


# --------------------------------------------------------------------------- text helpers

QUALIFIER_SIGNS = {
    "exact": "",
    "approximately": "~",
    "at_least": "≥",
    "more_than": ">",
    "at_most": "≤",
    "less_than": "<",
}
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def _s(row: dict[str, Any], key: str) -> str:
    value = row.get(key)
    return "" if value is None else str(value).strip()


def _local(value: str) -> str:
    """The local name of an IRI (``…/measure/returned`` → ``returned``); other text unchanged."""
    if _SCHEME.match(value) and ("/" in value or "#" in value):
        tail = re.split(r"[/#]", value.rstrip("/#"))[-1]
        return tail or value
    return value


def _words(value: str) -> str:
    return _local(value).replace("_", " ").strip()


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or text.strip().lower()


def _org_key_and_name(value: str) -> tuple[str, str]:
    """Organisations are merged by slug: ``The Soufan Center`` == ``…/org/the-soufan-center``."""
    if _SCHEME.match(value) and ("/" in value or "#" in value):
        local = _local(value)
        name = " ".join(w.capitalize() if w.islower() else w for w in re.split(r"[-_]+", local) if w)
        return _slug(local), name or local
    return _slug(value), value


def _org_identity(value: str) -> tuple[str, str, bool]:
    """An organisation's key and name (see :func:`_org_key_and_name`), and whether VALUE is an IRI."""
    key, name = _org_key_and_name(value)
    return key, name, bool(_SCHEME.match(value))


def _country_codes(value: str) -> list[str]:
    codes = []
    for part in _local(value).split("+"):
        code = part.strip()
        if code and code not in codes:
            codes.append(code)
    return codes


def format_number(text: str) -> str:
    """``"5600"`` → ``"5,600"``; ``"0.50"`` → ``"0.5"``; non-numbers are returned as they are."""
    text = text.strip()
    if not text:
        return ""
    try:
        number = Decimal(text)
    except InvalidOperation:
        return text
    if not number.is_finite():
        return text
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number.normalize():,f}"


def claim_figure(row: dict[str, Any]) -> str:
    """The figure as an analyst writes it: ``≥5,600``, ``~1,200``, ``1,200–2,000``, ``7``."""
    value, low, high = (format_number(_s(row, k)) for k in ("value", "low", "high"))
    return _figure(_local(_s(row, "qualifier")), value, low, high, percent=_local(_s(row, "unit")) == "percent")


def _figure(qualifier: str, value: str, low: str, high: str, *, percent: bool) -> str:
    """:func:`claim_figure` from the qualifier's local name and the numbers as :func:`format_number` writes them."""
    unit = "%" if percent else ""
    if qualifier == "range" or (not value and low and high):
        if low and high and low != high:
            return f"{low}–{high}{unit}"
        value = value or low or high
    if not value:
        return "?"
    return f"{QUALIFIER_SIGNS.get(qualifier, '')}{value}{unit}"


def _interval(low: str, high: str) -> str:
    """``1,200–2,000``, ``≥ 400`` or ``≤ 3,000``; empty when the bounds say nothing more than the value."""
    if low and high:
        return f"{low}–{high}" if low != high else ""
    if low:
        return f"≥ {low}"
    return f"≤ {high}" if high else ""


def _label_suffix(place_and_measure: tuple[str, str]) -> str:
    """The second line of a claim's label, ``"\\nIQ+SY · returned"``; empty when it has neither place nor measure."""
    place, measure = place_and_measure
    if not (place or measure):
        return ""
    return "\n" + " · ".join(p for p in (place, _words(measure)) if p)


def _what_is_counted(measure_and_population: tuple[str, str]) -> str:
    """``returned fighters``: a claim's measure and population in words, for its tooltip."""
    measure, population = measure_and_population
    return " ".join(p for p in (_words(measure), population) if p)


def _in_document(title: str) -> str:
    """The tooltip line naming a claim's document by title (empty without one)."""
    return f"In: {_short(title, 80)}" if title else ""


def _claim_tip(figure: str, what: str, place: str, as_of: str, attributed_to: str, in_document: str) -> str:
    """A claim's tooltip, a line for each fact it has; the count of its conflicts is added once they are known."""
    tip = f"Claim: {figure} {what}".rstrip()
    if place:
        tip += "\nCountry: " + place
    if as_of:
        tip += "\nAs of: " + as_of
    if attributed_to:
        tip += "\nAttributed to: " + attributed_to
    if in_document:
        tip += "\n" + in_document
    return tip


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class _PerValue(dict):
    """``memo[value]`` is ``func(value)``, worked out once per distinct value.

    Claims share few measures, qualifiers, units, places, organisations and
    numbers, so the text helpers run once per value rather than once per row.
    A memo is made for one render and dropped with it.
    """

    __slots__ = ("func",)

    def __init__(self, func: Callable[[Any], Any]) -> None:
        super().__init__()
        self.func = func

    def __missing__(self, value: Any) -> Any:
        result = self[value] = self.func(value)
        return result


class _Texts(dict):
    """A row's values as :func:`_s` reads them; a missing key reads as ``""`` too."""

    __slots__ = ()

    def __missing__(self, key: str) -> str:
        return ""


def _texts(row: dict[str, Any]) -> _Texts:
    """Every value of ROW as :func:`_s` gives it (stripped text, ``None`` as ``""``), in one pass over the row."""
    return _Texts({key: "" if value is None else str(value).strip() for key, value in row.items()})


def _float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        return 0.0
    return value if math.isfinite(value) else 0.0


# --------------------------------------------------------------------------- model of the page


@dataclass
class _Built:
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    payload: dict[str, Any]


def _build(view: GraphView, aggregate_above: int) -> _Built:
    """The page's records (documents, organisations, countries, claims, conflicts, overview) and vis-network's nodes and
    edges of them, from the rows of VIEW."""
    # the text helpers, each run once per distinct value in this render
    local, words, number = _PerValue(_local), _PerValue(_words), _PerValue(format_number)
    org_identity = _PerValue(_org_identity)
    label_suffix, what_is_counted = _PerValue(_label_suffix), _PerValue(_what_is_counted)
    in_document = _PerValue(_in_document)

    # documents ---------------------------------------------------------------
    docs: list[dict[str, Any]] = []
    doc_by_iri: dict[str, int] = {}
    doc_by_file: dict[str, int] = {}

    def add_document(row: _Texts) -> int:
        iri, source_file = row["document"], row["source_file"]
        idx = len(docs)
        docs.append(
            {
                "n": f"d{idx}",
                "iri": iri,
                "source_file": source_file,
                "title": row["title"],
                "publisher": row["publisher"],
                "author": row["author"],
                "url": row["url"],
                "date": row["date"],
            }
        )
        if iri:
            doc_by_iri.setdefault(iri, idx)
        if source_file:
            doc_by_file.setdefault(source_file, idx)
        return idx

    for row in map(_texts, view.documents):
        iri = row["document"]
        if iri and iri in doc_by_iri:
            continue
        add_document(row)

    # organisations -----------------------------------------------------------
    orgs: list[dict[str, Any]] = []
    org_by_key: dict[str, int] = {}
    org_from_iri: list[bool] = []

    def org_index(value: str) -> int:
        key, name, from_iri = org_identity[value]
        idx = org_by_key.get(key)
        if idx is None:
            idx = org_by_key[key] = len(orgs)
            orgs.append({"n": f"o{idx}", "name": name})
            org_from_iri.append(from_iri)
        elif org_from_iri[idx] and not from_iri:
            orgs[idx]["name"] = name  # a written name beats one rebuilt from an IRI
            org_from_iri[idx] = False
        return idx

    for doc in docs:
        if doc["publisher"]:
            doc["pub"] = org_index(doc["publisher"])

    # countries ---------------------------------------------------------------
    countries: list[dict[str, Any]] = []
    country_by_code: dict[str, int] = {}

    def country_index(code: str) -> int:
        idx = country_by_code.get(code)
        if idx is None:
            idx = country_by_code[code] = len(countries)
            countries.append({"n": f"k{idx}", "code": code})
        return idx

    def place_of(country: str) -> tuple[list[int], str]:
        """A claim's country field as the indexes of its countries (new ones added in the order seen) and as ``IQ+SY``."""
        codes = _country_codes(country)
        return [country_index(code) for code in codes], "+".join(codes)

    places = _PerValue(place_of)

    # claims ------------------------------------------------------------------
    claims: list[dict[str, Any]] = []
    claim_by_iri: dict[str, int] = {}
    measures: dict[str, str] = {}
    tips: list[str] = []  # per claim: its tooltip but for the count of conflicts
    derived_iris: list[str] = []  # per claim: the claim it is derived from
    for row in map(_texts, view.claims):
        idx = len(claims)
        doc_iri, source_file = row["document"], row["source_file"]
        doc_idx = doc_by_iri.get(doc_iri)
        if doc_idx is None and source_file:
            doc_idx = doc_by_file.get(source_file)
        if doc_idx is None and (doc_iri or source_file):
            doc_idx = add_document(_Texts(document=doc_iri, source_file=source_file, title=source_file or doc_iri))
        country_indexes, place = places[row["country"]]
        measure = local[row["measure"]]
        if measure:
            measures.setdefault(measure, words[measure])
        attributed = row["attributed_to"]
        qualifier = local[row["qualifier"]]
        value, low, high = number[row["value"]], number[row["low"]], number[row["high"]]
        figure = _figure(qualifier, value, low, high, percent=local[row["unit"]] == "percent")
        record: dict[str, Any] = {
            "n": f"c{idx}",
            "iri": row["claim"],
            "doc": -1 if doc_idx is None else doc_idx,
            "quote": row["quote"],
            "mention": row["mention"],
            "figure": figure,
            "value": value,
            "qualifier": words[qualifier],
            "interval": _interval(low, high),
            "as_of": row["as_of"],
            "measure": measure,
            "population": words[row["population"]],
            "countries": list(country_indexes),
            "place_role": words[row["place_role"]],
            "region": row["region"],
            "attributed_to": org_identity[attributed][1] if attributed else "",
            "orgs": [org_index(attributed)] if attributed else [],
            "unit": words[row["unit"]],
            "rank": row["rank"],
            "start": row["start"],
            "end": row["end"],
        }
        record["label"] = figure + label_suffix[place, measure]
        claims.append(record)
        derived_iris.append(row["derived_from"])
        what = what_is_counted[measure, record["population"]]
        source = in_document[docs[doc_idx]["title"]] if doc_idx is not None else ""
        tips.append(_claim_tip(figure, what, place, record["as_of"], record["attributed_to"], source))
        if record["iri"]:
            claim_by_iri.setdefault(record["iri"], idx)

    for record, derived_iri in zip(claims, derived_iris, strict=True):
        record["derived"] = claim_by_iri.get(derived_iri, -1) if derived_iri else -1

    # conflicts ---------------------------------------------------------------
    conflicts: list[dict[str, Any]] = []
    for row in map(_texts, view.conflicts):
        a, b = claim_by_iri.get(row["claim_a"]), claim_by_iri.get(row["claim_b"])
        if a is None or b is None:
            continue
        severity = max(0.0, min(1.0, _float(row["severity"])))
        idx = len(conflicts)
        conflicts.append(
            {
                "iri": row["conflict"],
                "kind": words[row["kind"]] or "conflict",
                "severity": round(severity, 3),
                "severity_text": row["severity"],
                "a": a,
                "b": b,
                "reason": row["reason"],
                "verdict": words[row["verdict"]],
                "note": row["note"],
            }
        )
        for c in {a, b}:
            claims[c].setdefault("conflicts", []).append(idx)

    nodes, edges = _nodes_and_edges(docs, orgs, countries, claims, conflicts, tips)
    # aggregates: one node per (country, measure), only needed above the threshold
    aggregates = _aggregates(claims, conflicts, countries, words, nodes, edges) if len(claims) > aggregate_above else []

    payload = {
        "documents": docs,
        "organisations": orgs,
        "countries": countries,
        "claims": claims,
        "conflicts": conflicts,
        "aggregates": aggregates,
        "measures": sorted(measures.items(), key=lambda kv: kv[1]),
    }
    return _Built(nodes=nodes, edges=edges, payload=payload)


def _nodes_and_edges(
    docs: list[dict[str, Any]], orgs: list[dict[str, Any]], countries: list[dict[str, Any]], claims: list[dict[str, Any]],
    conflicts: list[dict[str, Any]], tips: list[str],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """vis-network's nodes (documents, organisations, countries, claims) and edges of the page's records."""
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    for idx, doc in enumerate(docs):
        title = doc["title"] or doc["source_file"] or doc["iri"] or "document"
        tip = "\n".join(
            p for p in (f"Document: {title}", doc["publisher"] and f"Publisher: {doc['publisher']}", doc["date"]) if p
        )
        nodes.append({"id": doc["n"], "label": _short(title, 60), "group": "document", "title": tip, "kind": "document", "ref": idx})
        if "pub" in doc:
            edges.append({"from": doc["n"], "to": orgs[doc["pub"]]["n"], "kind": "publisher"})
    for idx, org in enumerate(orgs):
        nodes.append(
            {
                "id": org["n"],
                "label": _short(org["name"], 40),
                "group": "organisation",
                "title": f"Organisation: {org['name']}",
                "kind": "organisation",
                "ref": idx,
            }
        )
    for idx, country in enumerate(countries):
        nodes.append(
            {
                "id": country["n"],
                "label": country["code"],
                "group": "country",
                "title": f"Country: {country['code']}",
                "kind": "country",
                "ref": idx,
            }
        )
    for idx, c in enumerate(claims):
        in_conflicts = c.get("conflicts")
        nodes.append(
            {
                "id": c["n"],
                "label": c["label"],
                "group": "claim_conflict" if in_conflicts else "claim",
                "title": f"{tips[idx]}\n{len(in_conflicts)} conflict(s)" if in_conflicts else tips[idx],
                "kind": "claim",
                "ref": idx,
            }
        )
        if c["doc"] >= 0:
            edges.append({"from": c["n"], "to": docs[c["doc"]]["n"], "kind": "stated"})
        for k in c["countries"]:
            edges.append({"from": c["n"], "to": countries[k]["n"], "kind": "country"})
        for o in c["orgs"]:
            edges.append({"from": c["n"], "to": orgs[o]["n"], "kind": "attributed"})
        if c["derived"] >= 0 and c["derived"] != idx:
            edges.append({"from": c["n"], "to": claims[c["derived"]]["n"], "kind": "derived"})
    for idx, conflict in enumerate(conflicts):
        if conflict["a"] == conflict["b"]:
            continue
        edges.append(
            {
                "from": claims[conflict["a"]]["n"],
                "to": claims[conflict["b"]]["n"],
                "kind": "conflict",
                "width": round(1 + 7 * conflict["severity"], 2),
                "conflict": idx,
            }
        )
    return nodes, edges


def _aggregates(
    claims: list[dict[str, Any]], conflicts: list[dict[str, Any]], countries: list[dict[str, Any]], words: _PerValue,
    nodes: list[dict[str, Any]], edges: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """The overview's records: one per (country, measure) with its claims and conflicts; their nodes and edges are added
    to NODES and EDGES, and each claim record gets the indexes of its aggregates (``aggs``)."""
    aggregates: list[dict[str, Any]] = []
    agg_by_key: dict[tuple[int, str], int] = {}
    for c in claims:
        c["aggs"] = []
        for k in c["countries"] or [-1]:
            key = (k, c["measure"])
            a = agg_by_key.get(key)
            if a is None:
                a = agg_by_key[key] = len(aggregates)
                code = countries[k]["code"] if k >= 0 else "no country"
                aggregates.append(
                    {
                        "n": f"a{a}",
                        "country": k,
                        "measure": c["measure"],
                        "base": f"{code} · {words[c['measure']] or 'no measure'}",
                        "short": words[c["measure"]] or "no measure",
                        "count": 0,
                        "conflicts": 0,
                    }
                )
            aggregates[a]["count"] += 1
            c["aggs"].append(a)
    pair_conflicts: dict[tuple[int, int], list[float]] = defaultdict(list)
    for conflict in conflicts:
        for x in claims[conflict["a"]]["aggs"]:
            for y in claims[conflict["b"]]["aggs"]:
                if x == y:
                    aggregates[x]["conflicts"] += 1
                else:
                    pair_conflicts[(min(x, y), max(x, y))].append(conflict["severity"])
    for a, agg in enumerate(aggregates):
        nodes.append(
            {
                "id": agg["n"],
                "label": f"{agg['short']}\n{agg['count']:,} claims",
                "group": "aggregate_conflict" if agg["conflicts"] else "aggregate",
                "title": f"{agg['base']}: {agg['count']:,} claims"
                + (f", {agg['conflicts']:,} conflicts inside" if agg["conflicts"] else ""),
                "kind": "aggregate",
                "ref": a,
                "size": round(8 + 2.2 * math.log2(1 + agg["count"]), 1),
            }
        )
        if agg["country"] >= 0:
            edges.append({"from": agg["n"], "to": countries[agg["country"]]["n"], "kind": "agg_country"})
    for (x, y), severities in sorted(pair_conflicts.items()):
        aggregates[x]["conflicts"] += len(severities)
        aggregates[y]["conflicts"] += len(severities)
        edges.append(
            {
                "from": aggregates[x]["n"],
                "to": aggregates[y]["n"],
                "kind": "agg_conflict",
                "width": round(1 + 7 * max(severities), 2),
                "count": len(severities),
            }
        )
    for node in nodes:
        if node["kind"] == "aggregate" and aggregates[node["ref"]]["conflicts"]:
            node["group"] = "aggregate_conflict"
    return aggregates


_EMPTY_NODE_VALUES = ("", None)


def _compact_node(node: dict[str, Any]) -> dict[str, Any]:
    """NODE without empty text or None (vis-network's defaults apply); NODE itself when it has none (most nodes)."""
    values = node.values()
    if "" not in values and None not in values:
        return node
    return {k: v for k, v in node.items() if v not in _EMPTY_NODE_VALUES}


def _compact_claim(claim: dict[str, Any]) -> dict[str, Any]:
    """A claim record as the page gets it: without empty text or empty lists.

    Records hold only text, numbers and lists of numbers, so "empty" is "falsy but not a number" (index 0 stays).
    """
    return {k: v for k, v in claim.items() if v or isinstance(v, (int, float))}


_EDGE_KINDS = list(EDGE_STYLES)


def render_graph_html(view: GraphView, *, aggregate_above: int = 5000, physics_above: int = 300) -> str:
    """The whole page as one HTML string: inline vis-network, data as JSON, no network use."""
    from pyvis.network import Network  # imported here: 0.1 s in a fresh process (see claimgraph.page_process)

    built = _build(view, aggregate_above)
    layout = place_nodes(built.nodes, built.edges, built.payload)

    net = Network(height="100%", width="100%", directed=True, heading=view.title, cdn_resources="in_line")
    # filled in bulk: Network.add_edge checks every existing edge, O(n^2) for a big graph
    net.nodes = built.nodes
    net.edges = built.edges
    net.node_ids = [n["id"] for n in built.nodes]
    net.node_map = {n["id"]: n for n in built.nodes}
    net.options = vis_options()
    nodes, edges, _heading, _height, _width, options_json = net.get_network_data()

    kind_code = {kind: i for i, kind in enumerate(_EDGE_KINDS)}
    compact_edges = []
    for e in edges:
        item: list[Any] = [e["from"], e["to"], kind_code[e["kind"]]]
        if "width" in e:
            item.append(e["width"])
            item.append(e.get("conflict", e.get("count", 0)))
        compact_edges.append(item)

    payload = dict(built.payload)
    for doc in payload["documents"]:
        for key in [k for k, v in doc.items() if v == ""]:
            del doc[key]
    payload["claims"] = [_compact_claim(c) for c in payload["claims"]]
    data = {
        "title": view.title,
        "config": {
            "aggregateAbove": aggregate_above,
            "physicsAbove": physics_above,
            "edgeKinds": _EDGE_KINDS,
            "edgeStyles": EDGE_STYLES,
        },
        "layout": layout,
        "options": json.loads(options_json),
        "nodes": [_compact_node(n) for n in nodes],
        "edges": compact_edges,
        **payload,
    }
    js, css = vis_assets()
    return PAGE.substitute(
        title=html.escape(view.title, quote=True),
        vis_css=css,
        app_css=APP_CSS,
        data=json_for_script(data),
        vis_js=js,
        app_js=APP_JS,
        legend=LEGEND,
    )


def write_graph_html(view: GraphView, path: Path | str, **kw: Any) -> None:
    """Render and write the page atomically (temp file in the same folder, then os.replace)."""
    path = Path(path)
    text = render_graph_html(view, **kw)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


