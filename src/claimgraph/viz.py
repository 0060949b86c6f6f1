"""Interactive HTML view of the claim graph: one self-contained, offline page.

``render_graph_html(view)`` turns a :class:`GraphView` (plain rows, as a SPARQL
query or the pipeline gives them) into a single HTML file that an analyst opens
in a browser with no network: vis-network's JS/CSS (shipped inside the pyvis
package) are inlined, the data sits in a ``<script type="application/json">``
block, and the page renders every piece of text from the data with
``textContent`` only.

The graph is assembled as a pyvis ``Network`` (nodes and edges filled in bulk)
and laid out in Python with networkx (a seeded spring layout for small graphs,
a cheap grid of country clusters for big ones). Above ``physics_above`` drawn
nodes vis-network's physics stays off; above ``aggregate_above`` claims the page
opens on one node per (country, measure) until the filters narrow it down.
"""

from __future__ import annotations

import contextlib
import functools
import html
import json
import math
import os
import random
import re
import string
import tempfile
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pyvis
from pyvis.network import Network

__all__ = ["GraphView", "render_graph_html", "write_graph_html"]

VIS_DIR = Path(pyvis.__file__).resolve().parent / "templates" / "lib" / "vis-9.1.2"

SPRING_MAX_NODES = 2000  # above this many nodes: the grouped grid layout
PURE_PYTHON_SPRING_MAX = 600  # without numpy our own spring layout stops here
LAYOUT_SEED = 7


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


# --------------------------------------------------------------------------- look

COLOURS = {
    "document": {"background": "#eef3f9", "border": "#4a6485"},
    "organisation": {"background": "#c9b3ef", "border": "#7b4fc0"},
    "country": {"background": "#7cc8b2", "border": "#2d7d67"},
    "claim": {"background": "#5b9bdf", "border": "#2b5f9e"},
    "claim_conflict": {"background": "#5b9bdf", "border": "#d62828"},
    "aggregate": {"background": "#a9cbf0", "border": "#2b5f9e"},
    "aggregate_conflict": {"background": "#a9cbf0", "border": "#d62828"},
}
CONFLICT_RED = "#d62828"

FONT_FACE = "system-ui, -apple-system, 'Segoe UI', 'DejaVu Sans', Arial, sans-serif"


def _group(colour: str, shape: str, size: int, *, font: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    c = COLOURS[colour]
    return {
        "shape": shape,
        "size": size,
        "color": {
            "background": c["background"],
            "border": c["border"],
            "highlight": {"background": "#ffe08a", "border": c["border"]},
            "hover": {"background": c["background"], "border": "#1d2733"},
        },
        "font": {
            "color": "#1d2733",
            "size": 12,
            "face": FONT_FACE,
            "background": "rgba(255,255,255,0.82)",
            **(font or {}),
        },
        **extra,
    }


GROUPS: dict[str, dict[str, Any]] = {
    "document": _group(
        "document",
        "box",
        12,
        font={"size": 11, "background": "none"},
        margin=6,
        widthConstraint={"maximum": 170},
        shapeProperties={"borderRadius": 3},
    ),
    "organisation": _group("organisation", "diamond", 13, font={"size": 12, "strokeWidth": 3, "strokeColor": "#ffffff"}),
    "country": _group("country", "hexagon", 17, font={"size": 18, "strokeWidth": 4, "strokeColor": "#ffffff"}),
    "claim": _group("claim", "dot", 8, font={"size": 11, "strokeWidth": 3, "strokeColor": "#ffffff"}),
    "claim_conflict": _group(
        "claim_conflict", "dot", 9, font={"size": 11, "strokeWidth": 3, "strokeColor": "#ffffff"}, borderWidth=3
    ),
    "aggregate": _group("aggregate", "dot", 14, font={"size": 20, "strokeWidth": 4, "strokeColor": "#ffffff"}),
    "aggregate_conflict": _group(
        "aggregate_conflict", "dot", 14, font={"size": 20, "strokeWidth": 4, "strokeColor": "#ffffff"}, borderWidth=3
    ),
}

# Edge kinds: (colour, width, dashes, arrows, tooltip). The page applies these.
EDGE_STYLES: dict[str, dict[str, Any]] = {
    "stated": {"color": "#a7b1bd", "width": 1, "title": "stated in"},
    "country": {"color": "#8fcfbd", "width": 1, "title": "about country"},
    "attributed": {"color": "#b99ae6", "width": 1.2, "dashes": [2, 3], "title": "attributed to"},
    "publisher": {"color": "#b99ae6", "width": 1.2, "title": "published by"},
    "derived": {"color": "#3d4752", "width": 1.5, "dashes": [6, 4], "arrows": "to", "title": "derived from"},
    "conflict": {"color": CONFLICT_RED, "width": 3, "title": "conflict"},
    "agg_country": {"color": "#8fcfbd", "width": 1, "title": "about country"},
    "agg_conflict": {"color": CONFLICT_RED, "width": 3, "title": "conflicting claims"},
}

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
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
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

    # nodes and edges ------------------------------------------------------------
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

    # aggregates: one node per (country, measure), only needed above the threshold
    aggregates: list[dict[str, Any]] = []
    if len(claims) > aggregate_above:
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


# --------------------------------------------------------------------------- layout


def _spring_pure(n: int, pairs: Sequence[tuple[int, int]], seed: int, iterations: int = 60) -> list[tuple[float, float]]:
    """Fruchterman–Reingold on a grid (repulsion only between neighbouring cells), seeded."""
    rnd = random.Random(seed)
    xs = [rnd.random() for _ in range(n)]
    ys = [rnd.random() for _ in range(n)]
    if n < 2:
        return [(0.5, 0.5)] * n
    k = math.sqrt(1.0 / n)
    cell = 2 * k
    cell2 = cell * cell
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        dx_all = [0.0] * n
        dy_all = [0.0] * n
        grid: dict[tuple[int, int], list[int]] = defaultdict(list)
        for i in range(n):
            grid[(int(xs[i] // cell), int(ys[i] // cell))].append(i)
        for (gx, gy), members in grid.items():
            near: list[int] = []
            for ox in (-1, 0, 1):
                for oy in (-1, 0, 1):
                    near.extend(grid.get((gx + ox, gy + oy), ()))
            for i in members:
                xi, yi = xs[i], ys[i]
                ax = ay = 0.0
                for j in near:
                    if j == i:
                        continue
                    dx, dy = xi - xs[j], yi - ys[j]
                    d2 = dx * dx + dy * dy
                    if d2 > cell2:
                        continue
                    if d2 < 1e-12:
                        dx, dy, d2 = (rnd.random() - 0.5) * 1e-3, (rnd.random() - 0.5) * 1e-3, 1e-6
                    f = k * k / d2
                    ax += dx * f
                    ay += dy * f
                dx_all[i] += ax
                dy_all[i] += ay
        for u, v in pairs:
            dx, dy = xs[u] - xs[v], ys[u] - ys[v]
            d = math.sqrt(dx * dx + dy * dy)
            f = d / k
            dx_all[u] -= dx * f
            dy_all[u] -= dy * f
            dx_all[v] += dx * f
            dy_all[v] += dy * f
        for i in range(n):
            # weak pull to the centre keeps separate components in view
            dx_all[i] -= (xs[i] - 0.5) * 0.05
            dy_all[i] -= (ys[i] - 0.5) * 0.05
            length = math.hypot(dx_all[i], dy_all[i])
            if length > 0:
                step = min(length, temperature) / length
                xs[i] += dx_all[i] * step
                ys[i] += dy_all[i] * step
        temperature -= cooling
    return list(zip(xs, ys, strict=True))


def _spring_positions(ids: list[str], pairs: list[tuple[int, int]]) -> dict[str, tuple[float, float]] | None:
    """Seeded spring layout via networkx, scaled to vis-network pixels; None when too big."""
    import networkx as nx  # only this layout uses it (pyvis imports it too, so this alone saves no import time)

    n = len(ids)
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from(pairs)
    coords: list[tuple[float, float]] | None = None
    try:
        import numpy  # noqa: F401  (networkx's layouts need it)

        if n >= 500:
            import scipy  # noqa: F401
        layout = nx.spring_layout(graph, seed=LAYOUT_SEED, iterations=60)
        coords = [(float(layout[i][0]), float(layout[i][1])) for i in range(n)]
    except ImportError:
        if n > PURE_PYTHON_SPRING_MAX:
            return None
        coords = _spring_pure(n, list(graph.edges()), LAYOUT_SEED)
    if not coords:
        return {}
    xs, ys = [c[0] for c in coords], [c[1] for c in coords]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    scale = (140 * math.sqrt(n) + 200) / span
    return {ids[i]: ((coords[i][0] - cx) * scale, (coords[i][1] - cy) * scale) for i in range(n)}


_GOLDEN = math.pi * (3 - math.sqrt(5))


def _sunflower(count: int, spacing: float, hole: int = 6) -> list[tuple[float, float]]:
    """`count` points spaced evenly on a disc, leaving its centre free (for documents/organisations)."""
    return [
        (spacing * math.sqrt(i + hole) * math.cos(i * _GOLDEN), spacing * math.sqrt(i + hole) * math.sin(i * _GOLDEN))
        for i in range(count)
    ]


def _grouped_positions(payload: dict[str, Any]) -> dict[str, tuple[float, float]]:
    """Cheap deterministic layout for big graphs: a grid of country clusters.

    Each country node sits in the middle of its cluster; its claims are grouped
    by measure into small sunflowers on a ring around it. Documents and
    organisations sit at the centroid of the claims they are linked to.
    """
    claims, countries = payload["claims"], payload["countries"]
    spacing = 56.0
    clusters: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for idx, c in enumerate(claims):
        home = c["countries"][0] if c["countries"] else -1
        clusters[home][c["measure"]].append(idx)
    for k in range(len(countries)):
        clusters.setdefault(k, defaultdict(list))  # every country gets a cluster
    order = sorted(clusters, key=lambda k: (-sum(len(v) for v in clusters[k].values()), k))

    shapes: dict[int, tuple[float, list[tuple[str, float, float, list[tuple[float, float]]]]]] = {}
    for k in order:
        groups = sorted(clusters[k].items(), key=lambda kv: (-len(kv[1]), kv[0]))
        radii = [spacing * math.sqrt(len(members) + 6) + spacing for _, members in groups]
        if not groups:
            shapes[k] = (spacing * 2, [])
            continue
        if len(groups) == 1:
            ring = radii[0] + spacing * 2
        else:
            ring = max(max(radii) + spacing * 2, sum(2 * r for r in radii) / (2 * math.pi))
        placed = []
        for gi, (measure, members) in enumerate(groups):
            angle = 2 * math.pi * gi / len(groups) - math.pi / 2
            placed.append((measure, ring * math.cos(angle), ring * math.sin(angle), _sunflower(len(members), spacing)))
        shapes[k] = (ring + max(radii), placed)

    cols = max(1, math.ceil(math.sqrt(len(order))))
    cell = 2 * max(extent for extent, _ in shapes.values()) + 4 * spacing if shapes else 100
    positions: dict[str, tuple[float, float]] = {}
    for slot, k in enumerate(order):
        cx, cy = (slot % cols) * cell, (slot // cols) * cell
        if k >= 0:
            positions[countries[k]["n"]] = (cx, cy)
        for measure, gx, gy, offsets in shapes[k][1]:
            for claim_idx, (ox, oy) in zip(clusters[k][measure], offsets, strict=True):
                positions[claims[claim_idx]["n"]] = (cx + gx + ox, cy + gy + oy)
    _place_at_centroids(payload, positions)
    return positions


def _place_at_centroids(payload: dict[str, Any], positions: dict[str, tuple[float, float]]) -> None:
    """Documents and organisations without a place go to the centroid of their claims (spread a little)."""
    claims, docs, orgs = payload["claims"], payload["documents"], payload["organisations"]
    # per document or organisation: the x and the y of each placed claim linked to it, in the claims' order
    linked_xs: dict[str, list[float]] = defaultdict(list)
    linked_ys: dict[str, list[float]] = defaultdict(list)
    for c in claims:
        place = positions.get(c["n"])
        if place is None:
            continue
        linked = [orgs[o]["n"] for o in c["orgs"]]
        if c["doc"] >= 0:
            doc = docs[c["doc"]]
            linked.append(doc["n"])
            if "pub" in doc:
                linked.append(orgs[doc["pub"]]["n"])
        for node_id in linked:
            linked_xs[node_id].append(place[0])
            linked_ys[node_id].append(place[1])
    xs = [p[0] for p in positions.values()] or [0.0]
    ys = [p[1] for p in positions.values()] or [0.0]
    bottom, left = max(ys) + 150, min(xs)
    spread: dict[tuple[int, int], int] = defaultdict(int)
    loose = 0
    for node_id in [d["n"] for d in docs] + [o["n"] for o in orgs]:
        if node_id in positions:
            continue
        if node_id not in linked_xs:
            positions[node_id] = (left + 200 * (loose % 30), bottom + 120 * (loose // 30))
            loose += 1
            continue
        x = sum(linked_xs[node_id]) / len(linked_xs[node_id])
        y = sum(linked_ys[node_id]) / len(linked_ys[node_id])
        bucket = (round(x / 60), round(y / 60))
        nth = spread[bucket]
        spread[bucket] += 1
        if nth:
            x += 45 * math.sqrt(nth) * math.cos(nth * _GOLDEN)
            y += 45 * math.sqrt(nth) * math.sin(nth * _GOLDEN)
        positions[node_id] = (x, y)


def _aggregate_positions(payload: dict[str, Any]) -> dict[str, tuple[float, float]]:
    """Overview layout: a grid of countries, each ringed by its (country, measure) nodes.

    Aggregates are never drawn together with claims, so this frame is separate
    and compact: country nodes take these positions in the overview only.
    """
    aggregates, countries = payload["aggregates"], payload["countries"]
    rings: dict[int, list[int]] = defaultdict(list)
    for a, agg in enumerate(aggregates):
        rings[agg["country"]].append(a)
    order = sorted(rings, key=lambda k: (-sum(aggregates[a]["count"] for a in rings[k]), k))
    radius = {k: max(110.0, len(rings[k]) * 150 / (2 * math.pi)) for k in order}
    cell = 2 * max(radius.values(), default=110.0) + 170
    cols = max(1, math.ceil(math.sqrt(len(order))))
    positions: dict[str, tuple[float, float]] = {}
    for slot, k in enumerate(order):
        cx, cy = (slot % cols) * cell, (slot // cols) * cell
        if k >= 0:
            positions[countries[k]["n"]] = (cx, cy)
        members = sorted(rings[k], key=lambda a: (-aggregates[a]["count"], aggregates[a]["measure"]))
        for i, a in enumerate(members):
            angle = 2 * math.pi * i / len(members) - math.pi / 2
            positions[aggregates[a]["n"]] = (cx + radius[k] * math.cos(angle), cy + radius[k] * math.sin(angle))
    return positions


def _layout(nodes: list[dict[str, Any]], edges: list[dict[str, Any]], payload: dict[str, Any]) -> str:
    """Give every node an x/y (vis-network pixels), in place; return the layout's name.

    Countries also get ``ax``/``ay``: their place in the aggregated overview.
    """
    base = [n for n in nodes if n["kind"] != "aggregate"]
    positions: dict[str, tuple[float, float]] | None = None
    name = "spring"
    if len(base) <= SPRING_MAX_NODES:
        index = {n["id"]: i for i, n in enumerate(base)}
        pairs = sorted(
            {
                (min(index[e["from"]], index[e["to"]]), max(index[e["from"]], index[e["to"]]))
                for e in edges
                if e["from"] in index and e["to"] in index and e["from"] != e["to"]
            }
        )
        positions = _spring_positions([n["id"] for n in base], pairs)
        if positions is not None:
            _place_at_centroids(payload, positions)
    if positions is None:
        positions = _grouped_positions(payload)
        name = "grouped"
    overview = _aggregate_positions(payload) if payload["aggregates"] else {}
    origin = (0.0, 0.0)
    for node in nodes:
        kind = node["kind"]
        x, y = (overview if kind == "aggregate" else positions).get(node["id"], origin)
        node["x"], node["y"] = round(x, 1), round(y, 1)
        if kind == "country" and node["id"] in overview:
            ax, ay = overview[node["id"]]
            node["ax"], node["ay"] = round(ax, 1), round(ay, 1)
    return name


# --------------------------------------------------------------------------- page


@functools.lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    js = (VIS_DIR / "vis-network.min.js").read_text(encoding="utf-8")
    css = (VIS_DIR / "vis-network.css").read_text(encoding="utf-8")
    # neither file contains these today; make sure they never end their element early
    js = re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE)
    css = re.sub(r"</(style)", r"<\\/\1", css, flags=re.IGNORECASE)
    return js, css


_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def json_for_script(data: Any) -> str:
    """JSON that is safe inside ``<script type="application/json">`` (no ``</script>``, no ``<!--``)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    # one str.replace per character: a scan in C each, twice as fast as a regex with a callback per match
    # (no escape contains another escaped character, so the order does not matter)
    for char, escape in _JSON_ESCAPES.items():
        text = text.replace(char, escape)
    return text


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
    built = _build(view, aggregate_above)
    layout = _layout(built.nodes, built.edges, built.payload)

    net = Network(height="100%", width="100%", directed=True, heading=view.title, cdn_resources="in_line")
    # filled in bulk: Network.add_edge checks every existing edge, O(n^2) for a big graph
    net.nodes = built.nodes
    net.edges = built.edges
    net.node_ids = [n["id"] for n in built.nodes]
    net.node_map = {n["id"]: n for n in built.nodes}
    net.options = _vis_options()
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
    js, css = _vis_assets()
    return _PAGE.substitute(
        title=html.escape(view.title, quote=True),
        vis_css=css,
        app_css=_APP_CSS,
        data=json_for_script(data),
        vis_js=js,
        app_js=_APP_JS,
        legend=_LEGEND,
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


def _vis_options() -> dict[str, Any]:
    return {
        "autoResize": True,
        "nodes": {
            "font": {"face": FONT_FACE, "size": 12, "color": "#1d2733"},
            "borderWidth": 1.5,
            "scaling": {"label": {"drawThreshold": 4, "maxVisible": 26}},
        },
        "edges": {
            "smooth": False,
            "color": {"inherit": False},
            "selectionWidth": 1.5,
            "hoverWidth": 0.5,
            "arrows": {"to": {"enabled": False, "scaleFactor": 0.6}},
        },
        "groups": GROUPS,
        "physics": {
            "enabled": False,  # the page turns it on for small drawings
            "solver": "barnesHut",
            "barnesHut": {
                "gravitationalConstant": -2600,
                "centralGravity": 0.4,
                "springLength": 95,
                "springConstant": 0.04,
                "damping": 0.3,
                "avoidOverlap": 0.5,
            },
            "stabilization": {"enabled": True, "iterations": 250, "updateInterval": 50, "fit": True},
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "navigationButtons": False,
            "keyboard": False,
            "multiselect": False,
        },
        "layout": {"improvedLayout": False, "randomSeed": LAYOUT_SEED},
    }


def _legend_item(swatch: str, text: str, extra: str = "") -> str:
    return f'<li{extra}><span class="sw {swatch}"></span>{html.escape(text)}</li>'


_LEGEND = (
    '<div id="legend" aria-label="Legend"><h2>Legend</h2><ul>'
    + _legend_item("sw-claim", "Claim")
    + _legend_item("sw-claim-conflict", "Claim in a conflict")
    + _legend_item("sw-document", "Document")
    + _legend_item("sw-org", "Organisation")
    + _legend_item("sw-country", "Country")
    + _legend_item("sw-agg", "Country × measure group", ' id="legend-agg" hidden')
    + "</ul><ul>"
    + _legend_item("ln-conflict", "Conflict (wider = severer)")
    + _legend_item("ln-stated", "stated in")
    + _legend_item("ln-country", "about country")
    + _legend_item("ln-org", "attributed to / published by")
    + _legend_item("ln-derived", "derived from")
    + "</ul></div>"
)

_APP_CSS = string.Template(
    """
*{box-sizing:border-box}
html,body{margin:0;height:100%;font-family:$font;color:#1d2733;background:#f6f7f9;font-size:14px}
body{display:flex;flex-direction:column}
#topbar{display:flex;align-items:center;gap:16px;padding:8px 14px;background:#1f2d3d;color:#fff;flex-wrap:wrap}
#topbar h1{font-size:17px;margin:0 8px 0 0;font-weight:600;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;max-width:28vw}
#controls{display:flex;align-items:center;gap:10px;flex-wrap:wrap}
#controls label{font-size:12px;color:#c9d3de;display:flex;align-items:center;gap:5px}
#controls select,#controls input[type=search]{font:inherit;font-size:13px;padding:3px 6px;border-radius:4px;border:1px solid #8a99ab;background:#fff;color:#1d2733;max-width:190px}
#controls input[type=search]{width:220px}
#controls button{font:inherit;font-size:12px;padding:3px 10px;border-radius:4px;border:1px solid #8a99ab;background:#34475c;color:#fff;cursor:pointer}
#notice{padding:7px 14px;background:#fff4d6;border-bottom:1px solid #e6cf8b;color:#5c4300;font-size:13px}
main{flex:1;display:flex;min-height:0}
#graph-wrap{flex:1;position:relative;min-width:0;background:#fff}
#graph{position:absolute;inset:0}
#sidebar{width:410px;flex:none;display:flex;flex-direction:column;border-left:1px solid #d5dbe3;background:#fbfcfd;min-height:0}
#legend{flex:none;border-top:1px solid #d5dbe3;background:#fff;padding:8px 14px 10px;font-size:12px;display:flex;flex-wrap:wrap;column-gap:18px}
#legend h2{width:100%;margin:0 0 4px;font-size:11px;text-transform:uppercase;letter-spacing:.06em;color:#7b8794;font-weight:600}
#legend ul{list-style:none;margin:0;padding:0;flex:1 1 45%;min-width:0}
#legend li{display:flex;align-items:center;gap:7px;margin:1px 0;white-space:nowrap;font-size:11.5px}
#legend li[hidden]{display:none}
.sw{display:inline-block;flex:none;width:14px;height:14px}
.sw-claim{border-radius:50%;background:$claim_bg;border:2px solid $claim_border;width:12px;height:12px}
.sw-claim-conflict{border-radius:50%;background:$claim_bg;border:3px solid $red;width:13px;height:13px}
.sw-document{background:$doc_bg;border:1.5px solid $doc_border;border-radius:2px;width:18px;height:11px}
.sw-org{background:$org_bg;border:1.5px solid $org_border;transform:rotate(45deg) scale(.8)}
.sw-country{background:$country_border;clip-path:polygon(25% 5%,75% 5%,100% 50%,75% 95%,25% 95%,0 50%)}
.sw-agg{border-radius:50%;background:$agg_bg;border:2px solid $claim_border;width:16px;height:16px}
.ln-conflict,.ln-stated,.ln-country,.ln-org,.ln-derived{height:0;width:24px}
.ln-conflict{border-top:4px solid $red}
.ln-stated{border-top:2px solid #a7b1bd}
.ln-country{border-top:2px solid #8fcfbd}
.ln-org{border-top:2px solid #b99ae6}
.ln-derived{border-top:2px dashed #3d4752}
#status{position:absolute;right:10px;bottom:10px;font-size:12px;color:#51606f;background:rgba(255,255,255,.9);padding:3px 8px;border-radius:4px}
#details{flex:1;overflow-y:auto;padding:14px 16px;min-height:0}
#details .hint{color:#6b7886}
#details h2{font-size:22px;margin:0 0 2px}
#details h3{font-size:13px;text-transform:uppercase;letter-spacing:.04em;color:#5a6877;margin:16px 0 6px}
#details .sub{color:#51606f;margin:0 0 10px}
#details .kind{font-size:11px;text-transform:uppercase;letter-spacing:.06em;color:#7b8794;margin:0 0 4px}
#details dl{display:grid;grid-template-columns:max-content 1fr;gap:3px 12px;margin:0}
#details dt{color:#6b7886}
#details dd{margin:0;overflow-wrap:anywhere}
#details blockquote{margin:6px 0;padding:8px 10px;background:#fff;border-left:3px solid #5b9bdf;font-style:italic;line-height:1.45;overflow-wrap:anywhere}
#details mark{background:#ffe08a;font-style:normal;font-weight:600;padding:0 1px}
#details a{color:#1f5fae;overflow-wrap:anywhere}
#details .conflict{border:1px solid #f0c2c2;border-left:4px solid $red;border-radius:4px;background:#fff;padding:8px 10px;margin:8px 0}
#details .conflict .head{font-weight:600;color:#8f1d1d}
#details .sev{display:inline-block;height:6px;background:$red;border-radius:3px;vertical-align:middle;margin-left:6px}
#details .other{margin-top:6px}
#details button.link{font:inherit;color:#1f5fae;background:none;border:none;padding:0;cursor:pointer;text-decoration:underline;text-align:left}
#details ul.items{margin:4px 0;padding-left:18px}
#details .muted{color:#7b8794;font-size:12px}
div.vis-tooltip{white-space:pre-line;max-width:380px;font-family:$font;font-size:12px;background:#fff;border:1px solid #c3ccd6;box-shadow:0 2px 6px rgba(0,0,0,.12);color:#1d2733}
"""
).substitute(
    font=FONT_FACE,
    red=CONFLICT_RED,
    claim_bg=COLOURS["claim"]["background"],
    claim_border=COLOURS["claim"]["border"],
    doc_bg=COLOURS["document"]["background"],
    doc_border=COLOURS["document"]["border"],
    org_bg=COLOURS["organisation"]["background"],
    org_border=COLOURS["organisation"]["border"],
    country_border=COLOURS["country"]["background"],
    agg_bg=COLOURS["aggregate"]["background"],
)

_PAGE = string.Template(
    """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; font-src data:">
<title>$title</title>
<style>
$vis_css
</style>
<style>
$app_css
</style>
</head>
<body>
<header id="topbar">
<h1 id="page-title">$title</h1>
<div id="controls">
<label>Country <select id="filter-country"><option value="">All countries</option></select></label>
<label>Measure <select id="filter-measure"><option value="">All measures</option></select></label>
<label>Organisation <select id="filter-org"><option value="">All organisations</option></select></label>
<label><input type="checkbox" id="conflicts-only"> Conflicts only</label>
<input type="search" id="search" placeholder="Search quotes, titles, labels" aria-label="Search">
<button type="button" id="reset">Reset</button>
</div>
</header>
<div id="notice" role="status" hidden></div>
<main>
<div id="graph-wrap">
<div id="graph"></div>
<div id="status"></div>
</div>
<aside id="sidebar">
<section id="details" aria-live="polite"><p class="hint">Click a claim to see its figure, evidence and conflicts; click a document, organisation or country for a summary.</p></section>
$legend
</aside>
</main>
<script type="application/json" id="cg-data">$data</script>
<script>
$vis_js
</script>
<script>
$app_js
</script>
</body>
</html>
"""
)

_APP_JS = r"""
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("cg-data").textContent);
  var CFG = DATA.config;
  var docs = DATA.documents, orgs = DATA.organisations, countries = DATA.countries;
  var claims = DATA.claims, conflicts = DATA.conflicts, aggs = DATA.aggregates;
  var AGGREGATE_ABOVE = CFG.aggregateAbove, PHYSICS_ABOVE = CFG.physicsAbove;

  function $(id) { return document.getElementById(id); }
  function fmt(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ","); }
  function h(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function words(s) { return (s || "").replace(/_/g, " "); }
  function clear(e) { while (e.firstChild) { e.removeChild(e.firstChild); } }

  // ------------------------------------------------------------------ indexes
  var nodeInfo = Object.create(null);
  DATA.nodes.forEach(function (n) { nodeInfo[n.id] = n; });
  var docClaims = docs.map(function () { return []; });
  var orgClaims = orgs.map(function () { return []; });
  var orgDocs = orgs.map(function () { return []; });
  var countryClaims = countries.map(function () { return []; });
  docs.forEach(function (d, i) { if (d.pub !== undefined) { orgDocs[d.pub].push(i); } });
  claims.forEach(function (c, i) {
    if (c.doc >= 0) {
      docClaims[c.doc].push(i);
      var pub = docs[c.doc].pub;
      if (pub !== undefined) { orgClaims[pub].push(i); }
    }
    (c.orgs || []).forEach(function (o) { if (orgClaims[o].indexOf(i) < 0 || orgClaims[o][orgClaims[o].length - 1] !== i) { orgClaims[o].push(i); } });
    (c.countries || []).forEach(function (k) { countryClaims[k].push(i); });
  });
  orgClaims = orgClaims.map(function (list) { return list.filter(function (v, j) { return j === 0 || list[j - 1] !== v; }); });

  function countryCodes(c) { return (c.countries || []).map(function (k) { return countries[k].code; }).join("+"); }
  function claimDoc(c) { return c.doc >= 0 ? docs[c.doc] : null; }
  function claimOrgs(c) {
    var out = (c.orgs || []).slice();
    var d = claimDoc(c);
    if (d && d.pub !== undefined && out.indexOf(d.pub) < 0) { out.push(d.pub); }
    return out;
  }
  function searchText(c) {
    if (c._s === undefined) {
      var d = claimDoc(c);
      c._s = [c.quote, c.label, c.figure, c.mention, d && d.title, d && d.publisher, c.attributed_to,
              words(c.measure), c.population, countryCodes(c)].join("\n").toLowerCase();
    }
    return c._s;
  }

  // ------------------------------------------------------------------ datasets
  var kinds = CFG.edgeKinds, styles = CFG.edgeStyles;
  var edgeList = DATA.edges.map(function (e, i) {
    var kind = kinds[e[2]], st = styles[kind];
    var edge = {id: "e" + i, from: e[0], to: e[1], kind: kind, color: {color: st.color, highlight: st.color, hover: st.color},
                width: e.length > 3 ? e[3] : st.width, title: st.title};
    if (st.dashes) { edge.dashes = st.dashes; }
    if (st.arrows) { edge.arrows = st.arrows; }
    if (kind === "conflict") {
      var cf = conflicts[e[4]];
      edge.conflict = e[4];
      edge.title = "Conflict: " + cf.kind + " (severity " + cf.severity + ")" + (cf.reason ? "\n" + cf.reason : "");
      edge.smooth = {enabled: true, type: "curvedCW", roundness: 0.15};
    } else if (kind === "agg_conflict") {
      edge.title = fmt(e[4]) + " conflict(s) between these groups";
      edge.smooth = {enabled: true, type: "curvedCW", roundness: 0.15};
    }
    return edge;
  });
  var nodes = new vis.DataSet(DATA.nodes);
  var edges = new vis.DataSet(edgeList);
  var visible = new Set();
  var nodesView = null, edgesView = null;  // made once the first filter pass has run

  // ------------------------------------------------------------------ controls
  var selCountry = $("filter-country"), selMeasure = $("filter-measure"), selOrg = $("filter-org");
  var chkConflicts = $("conflicts-only"), inpSearch = $("search");
  function addOptions(select, items) {
    items.forEach(function (it) {
      var o = document.createElement("option");
      o.value = it[0];
      o.textContent = it[1];
      select.appendChild(o);
    });
  }
  var measureCount = Object.create(null);
  claims.forEach(function (c) { if (c.measure) { measureCount[c.measure] = (measureCount[c.measure] || 0) + 1; } });
  addOptions(selCountry, countries.map(function (k, i) { return [String(i), k.code + " (" + fmt(countryClaims[i].length) + ")"]; })
    .sort(function (a, b) { return a[1] < b[1] ? -1 : 1; }));
  addOptions(selMeasure, DATA.measures.map(function (m) { return [m[0], m[1] + " (" + fmt(measureCount[m[0]] || 0) + ")"]; }));
  addOptions(selOrg, orgs.map(function (o, i) { return [String(i), o.name + " (" + fmt(orgClaims[i].length) + ")"]; })
    .sort(function (a, b) { return a[1].toLowerCase() < b[1].toLowerCase() ? -1 : 1; }));
  if (aggs.length) { $("legend-agg").hidden = false; }

  function readFilters() {
    return {
      country: selCountry.value === "" ? -1 : Number(selCountry.value),
      measure: selMeasure.value,
      org: selOrg.value === "" ? -1 : Number(selOrg.value),
      conflicts: chkConflicts.checked,
      q: inpSearch.value.trim().toLowerCase()
    };
  }
  function claimMatches(c, f) {
    if (f.country >= 0 && (c.countries || []).indexOf(f.country) < 0) { return false; }
    if (f.measure && c.measure !== f.measure) { return false; }
    if (f.org >= 0 && claimOrgs(c).indexOf(f.org) < 0) { return false; }
    if (f.conflicts && !(c.conflicts && c.conflicts.length)) { return false; }
    if (f.q && searchText(c).indexOf(f.q) < 0) { return false; }
    return true;
  }

  // ------------------------------------------------------------------ positions
  // Countries have one place in the detail layout and one in the overview; in the
  // grouped (big-graph) layout, documents and organisations follow the claims shown.
  var posDetail = Object.create(null), posAgg = Object.create(null);
  DATA.nodes.forEach(function (n) {
    if (n.kind === "aggregate") { posAgg[n.id] = {x: n.x, y: n.y}; return; }
    posDetail[n.id] = {x: n.x, y: n.y};
    if (n.ax !== undefined) { posAgg[n.id] = {x: n.ax, y: n.ay}; }
  });
  var placed = {mode: "detail", moved: false};
  function placeNodes(mode, ok, active) {
    var updates = [];
    if (mode !== placed.mode) {
      countries.forEach(function (k) {
        var p = (mode === "aggregate" ? posAgg : posDetail)[k.n];
        if (p) { updates.push({id: k.n, x: p.x, y: p.y}); }
      });
      placed.mode = mode;
    }
    if (mode === "detail" && DATA.layout === "grouped") {
      if (active && ok.length) {
        // the claims shown keep their places; their documents go on a ring around them,
        // organisations on a wider ring, each at the angle of the claims it is linked to
        var cx = 0, cy = 0, radius = 0;
        ok.forEach(function (ci) { var p = posDetail[claims[ci].n]; cx += p.x; cy += p.y; });
        cx /= ok.length; cy /= ok.length;
        ok.forEach(function (ci) { var p = posDetail[claims[ci].n]; radius = Math.max(radius, Math.hypot(p.x - cx, p.y - cy)); });
        var sums = Object.create(null);
        var add = function (id, p) {
          var s = sums[id] || (sums[id] = {x: 0, y: 0, n: 0});
          s.x += p.x; s.y += p.y; s.n += 1;
        };
        ok.forEach(function (ci) {
          var c = claims[ci], p = posDetail[c.n];
          if (c.doc >= 0) { add(docs[c.doc].n, p); }
          claimOrgs(c).forEach(function (o) { add(orgs[o].n, p); });
        });
        var ring = function (ids, r, minArc) {
          var list = ids.map(function (id) {
            var s = sums[id];
            return {id: id, a: Math.atan2(s.y / s.n - cy, s.x / s.n - cx)};
          }).sort(function (p, q) { return p.a - q.a; });
          r = Math.max(r, list.length * minArc / (2 * Math.PI));
          var sep = minArc / r;
          if (list.length * sep >= 2 * Math.PI - sep) {
            list.forEach(function (e, i) { e.a = 2 * Math.PI * i / list.length; });
          } else {
            for (var i = 1; i < list.length; i++) { list[i].a = Math.max(list[i].a, list[i - 1].a + sep); }
          }
          list.forEach(function (e) { updates.push({id: e.id, x: cx + r * Math.cos(e.a), y: cy + r * Math.sin(e.a)}); });
          return r;
        };
        var ids = Object.keys(sums);
        var docRing = ring(ids.filter(function (id) { return nodeInfo[id].kind === "document"; }), radius + 180, 200);
        ring(ids.filter(function (id) { return nodeInfo[id].kind === "organisation"; }), docRing + 200, 190);
        placed.moved = true;
      } else if (placed.moved) {
        docs.concat(orgs).forEach(function (e) { var p = posDetail[e.n]; updates.push({id: e.n, x: p.x, y: p.y}); });
        placed.moved = false;
      }
    }
    if (updates.length) { nodes.update(updates); }
  }

  // ------------------------------------------------------------------ state
  var state = {mode: "detail", matched: 0};
  function computeVisible() {
    var f = readFilters();
    var active = f.country >= 0 || !!f.measure || f.org >= 0 || f.conflicts || !!f.q;
    var ok = [], i;
    for (i = 0; i < claims.length; i++) { if (claimMatches(claims[i], f)) { ok.push(i); } }
    var next = new Set();
    var mode = (claims.length > AGGREGATE_ABOVE && ok.length > AGGREGATE_ABOVE) ? "aggregate" : "detail";
    if (mode === "detail") {
      ok.forEach(function (ci) {
        var c = claims[ci];
        next.add(c.n);
        if (c.doc >= 0) { next.add(docs[c.doc].n); }
        (c.countries || []).forEach(function (k) { next.add(countries[k].n); });
        claimOrgs(c).forEach(function (o) { next.add(orgs[o].n); });
      });
      if (!active) {
        docs.forEach(function (d) { next.add(d.n); });
        orgs.forEach(function (o) { next.add(o.n); });
        countries.forEach(function (k) { next.add(k.n); });
      }
    } else {
      var counts = new Array(aggs.length).fill(0);
      ok.forEach(function (ci) { (claims[ci].aggs || []).forEach(function (a) { counts[a]++; }); });
      var updates = [];
      aggs.forEach(function (a, ai) {
        if (!counts[ai]) { return; }
        next.add(a.n);
        if (a.country >= 0) { next.add(countries[a.country].n); }
        if (a.shown !== counts[ai]) {
          a.shown = counts[ai];
          updates.push({id: a.n, label: a.short + "\n" + fmt(counts[ai]) + " claims",
                        title: a.base + ": " + fmt(counts[ai]) + " matching claims"});
        }
      });
      if (updates.length) { nodes.update(updates); }
    }
    placeNodes(mode, ok, active);
    visible = next;
    state.mode = mode;
    state.matched = ok.length;
    state.active = active;
    state.filters = f;
  }

  function updateNotice() {
    var notice = $("notice"), f = state.filters;
    if (state.mode === "aggregate") {
      notice.hidden = false;
      notice.textContent = fmt(state.matched) + " claims match - too many to draw one by one (the limit is " + fmt(AGGREGATE_ABOVE) +
        "). Showing one node per country and measure, labelled with its claim count; red links join groups whose claims conflict. " +
        (f.country >= 0 ? "This country still has too many: pick a measure or another filter too." :
         "Pick a country in the filter (or narrow by measure, organisation or search) to see its individual claims.");
    } else if (claims.length > AGGREGATE_ABOVE) {
      notice.hidden = false;
      notice.textContent = "Showing the " + fmt(state.matched) + " individual claims that match the filters. Clear the filters (Reset) to go back to the country × measure overview.";
    } else if (state.active && state.matched === 0) {
      notice.hidden = false;
      notice.textContent = "No claim matches these filters.";
    } else {
      notice.hidden = true;
      notice.textContent = "";
    }
    var drawnClaims = state.mode === "detail" ? state.matched : 0;
    $("status").textContent = fmt(visible.size) + " nodes drawn · " + (state.mode === "aggregate" ? "overview of " + fmt(state.matched) :
      fmt(drawnClaims) + " of " + fmt(claims.length)) + " claims · " + fmt(conflicts.length) + " conflicts in total";
  }

  computeVisible();
  nodesView = new vis.DataView(nodes, {filter: function (n) { return visible.has(n.id); }});
  edgesView = new vis.DataView(edges, {filter: function (e) { return visible.has(e.from) && visible.has(e.to); }});
  // physics only helps small drawings; the overview and big graphs keep the Python layout
  var physicsOn = state.mode === "detail" && visible.size > 0 && visible.size <= PHYSICS_ABOVE;
  var options = DATA.options;
  options.physics.enabled = physicsOn;
  options.interaction.hideEdgesOnDrag = claims.length > 2000;
  var network = new vis.Network($("graph"), {nodes: nodesView, edges: edgesView}, options);

  var api = {
    nodes: nodes,
    edges: edges,
    nodesView: nodesView,
    edgesView: edgesView,
    network: network,
    mode: state.mode,
    ready: false,
    physicsAtStart: physicsOn,
    drawnNodeCount: function () { return network.body.nodeIndices.length; },
    drawnEdgeCount: function () { return network.body.edgeIndices.length; },
    select: function (id) { selectNode(id); },
    claimNodeId: function (iri) {
      for (var i = 0; i < claims.length; i++) { if (claims[i].iri === iri) { return claims[i].n; } }
      return null;
    },
    refresh: function () { refresh(); }
  };
  window.claimgraph = api;

  function markReady() {
    network.once("afterDrawing", function () { api.ready = true; });
    network.redraw();
  }
  function keepPositions() {
    var pos = network.getPositions();
    Object.keys(pos).forEach(function (id) { if (posDetail[id]) { posDetail[id] = {x: pos[id].x, y: pos[id].y}; } });
    nodes.update(Object.keys(pos).map(function (id) { return {id: id, x: pos[id].x, y: pos[id].y}; }));
  }
  // physics pushes small islands (a document without claims, say) far from the rest,
  // which shrinks everything on screen: bring them back next to the main component
  function packComponents() {
    var ids = nodesView.getIds(), adj = Object.create(null), seen = Object.create(null), comps = [];
    ids.forEach(function (id) { adj[id] = []; });
    edgesView.get().forEach(function (e) { adj[e.from].push(e.to); adj[e.to].push(e.from); });
    ids.forEach(function (id) {
      if (seen[id]) { return; }
      var comp = [id], i;
      seen[id] = true;
      for (i = 0; i < comp.length; i++) {
        adj[comp[i]].forEach(function (m) { if (!seen[m]) { seen[m] = true; comp.push(m); } });
      }
      comps.push(comp);
    });
    if (comps.length < 2) { return; }
    comps.sort(function (a, b) { return b.length - a.length; });
    var pos = network.getPositions(ids);
    var centre = function (comp) {
      var x = 0, y = 0, r = 0;
      comp.forEach(function (id) { x += pos[id].x; y += pos[id].y; });
      x /= comp.length; y /= comp.length;
      comp.forEach(function (id) { r = Math.max(r, Math.hypot(pos[id].x - x, pos[id].y - y)); });
      return {x: x, y: y, r: r};
    };
    var main = centre(comps[0]), taken = [];
    comps.slice(1).forEach(function (comp, k) {
      var c = centre(comp), dx = c.x - main.x, dy = c.y - main.y, d = Math.hypot(dx, dy);
      var angle = d > 0 ? Math.atan2(dy, dx) : k;
      var want = main.r + c.r + 90;
      // step round the main component until this island does not sit on an earlier one
      for (var tries = 0; tries < 36; tries++) {
        var tx = main.x + want * Math.cos(angle), ty = main.y + want * Math.sin(angle);
        var clash = taken.some(function (t) { return Math.hypot(t.x - tx, t.y - ty) < t.r + c.r + 70; });
        if (!clash) { break; }
        angle += Math.PI / 18;
      }
      if (d <= want && tries === 0) { taken.push(c); return; }
      var mx = tx - c.x, my = ty - c.y;
      comp.forEach(function (id) { network.moveNode(id, pos[id].x + mx, pos[id].y + my); });
      taken.push({x: tx, y: ty, r: c.r});
    });
  }
  if (physicsOn) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({physics: {enabled: false}});
      packComponents();
      keepPositions();
      network.fit({animation: false});
      markReady();
    });
  } else {
    network.fit({animation: false});
    markReady();
  }

  function refresh() {
    computeVisible();
    nodesView.refresh();
    edgesView.refresh();
    api.mode = state.mode;
    updateNotice();
    network.fit({animation: false});
  }
  api.mode = state.mode;
  updateNotice();

  var timer = null;
  function refreshSoon() { clearTimeout(timer); timer = setTimeout(refresh, 150); }
  [selCountry, selMeasure, selOrg, chkConflicts].forEach(function (c) { c.addEventListener("change", refresh); });
  inpSearch.addEventListener("input", refreshSoon);
  $("reset").addEventListener("click", function () {
    selCountry.value = ""; selMeasure.value = ""; selOrg.value = ""; chkConflicts.checked = false; inpSearch.value = "";
    refresh();
  });

  // ------------------------------------------------------------------ details panel
  var panel = $("details");
  function row(dl, key, value) {
    if (value === undefined || value === null || value === "") { return; }
    dl.appendChild(h("dt", null, key));
    var dd = h("dd");
    if (value instanceof Node) { dd.appendChild(value); } else { dd.textContent = String(value); }
    dl.appendChild(dd);
  }
  function quoteEl(quote, mention) {
    var bq = h("blockquote", "quote");
    quote = quote || "";
    var at = mention ? quote.indexOf(mention) : -1;
    if (at < 0) {
      bq.textContent = quote || "(no quote)";
    } else {
      bq.appendChild(document.createTextNode(quote.slice(0, at)));
      bq.appendChild(h("mark", null, mention));
      bq.appendChild(document.createTextNode(quote.slice(at + mention.length)));
    }
    return bq;
  }
  function linkEl(url, text) {
    var a = h("a", null, text || url);
    if (/^https?:\/\//i.test(url || "")) {
      a.href = url;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
    }
    return a;
  }
  function nodeLink(id, text) {
    var b = h("button", "link", text);
    b.type = "button";
    b.addEventListener("click", function () { selectNode(id); });
    return b;
  }
  function claimSummary(c) {
    return c.figure + " " + [words(c.measure), c.population].filter(Boolean).join(" ") + (countryCodes(c) ? " (" + countryCodes(c) + ")" : "");
  }
  function docBlock(d) {
    var dl = h("dl");
    row(dl, "Title", d.title || d.source_file || d.iri);
    row(dl, "Publisher", d.publisher);
    row(dl, "Author", d.author);
    row(dl, "Date", d.date);
    if (d.url) { row(dl, "Link", linkEl(d.url)); }
    row(dl, "File", d.source_file);
    return dl;
  }
  function severityBar(sev) {
    var s = h("span", "sev");
    s.style.width = Math.round(8 + 60 * Math.max(0, Math.min(1, Number(sev) || 0))) + "px";
    return s;
  }

  function showClaim(ci) {
    var c = claims[ci], d = claimDoc(c);
    clear(panel);
    panel.appendChild(h("p", "kind", "Claim"));
    panel.appendChild(h("h2", "figure", c.figure));
    panel.appendChild(h("p", "sub", [words(c.measure), c.population].filter(Boolean).join(" · ") + (countryCodes(c) ? " — " + countryCodes(c) : "")));
    var dl = h("dl");
    row(dl, "Figure", c.figure);
    row(dl, "Qualifier", c.qualifier);
    row(dl, "Interval", c.interval);
    row(dl, "As of", c.as_of);
    row(dl, "Measure", words(c.measure));
    row(dl, "Population", c.population);
    row(dl, "Country", countryCodes(c));
    row(dl, "Place role", c.place_role);
    row(dl, "Region", c.region);
    row(dl, "Attributed to", c.attributed_to);
    row(dl, "Unit", c.unit);
    row(dl, "Rank", c.rank);
    if (c.derived >= 0) { row(dl, "Derived from", nodeLink(claims[c.derived].n, claimSummary(claims[c.derived]))); }
    panel.appendChild(dl);
    panel.appendChild(h("h3", null, "Evidence"));
    panel.appendChild(quoteEl(c.quote, c.mention));
    if (d) {
      panel.appendChild(h("h3", null, "Source document"));
      panel.appendChild(docBlock(d));
    }
    var list = (c.conflicts || []).slice().sort(function (a, b) { return conflicts[b].severity - conflicts[a].severity; });
    if (list.length) {
      panel.appendChild(h("h3", null, "Conflicts (" + list.length + ")"));
      list.forEach(function (k) { panel.appendChild(conflictBlock(conflicts[k], ci)); });
    }
    if (c.iri) { panel.appendChild(h("p", "muted", c.iri)); }
  }

  function conflictBlock(cf, fromClaim) {
    var box = h("div", "conflict");
    var head = h("div", "head", cf.kind + " · severity " + (cf.severity_text || cf.severity));
    head.appendChild(severityBar(cf.severity));
    box.appendChild(head);
    var dl = h("dl");
    row(dl, "Reason", cf.reason);
    row(dl, "Verdict", cf.verdict || "not reviewed");
    row(dl, "Note", cf.note);
    box.appendChild(dl);
    var sides = fromClaim === undefined ? [cf.a, cf.b] : [cf.a === fromClaim ? cf.b : cf.a];
    sides.forEach(function (oi) {
      var o = claims[oi], od = claimDoc(o);
      var other = h("div", "other");
      var label = h("div");
      label.appendChild(document.createTextNode(fromClaim === undefined ? "Claim: " : "Other claim: "));
      label.appendChild(nodeLink(o.n, claimSummary(o)));
      other.appendChild(label);
      other.appendChild(quoteEl(o.quote, o.mention));
      if (od) { other.appendChild(h("div", "muted", "— " + (od.title || od.source_file || "") + (od.publisher ? ", " + od.publisher : "") + (od.date ? ", " + od.date : ""))); }
      box.appendChild(other);
    });
    return box;
  }

  function claimList(indexes, limit) {
    var ul = h("ul", "items");
    indexes.slice(0, limit).forEach(function (ci) {
      var li = h("li");
      li.appendChild(nodeLink(claims[ci].n, claimSummary(claims[ci])));
      if (claims[ci].conflicts) { li.appendChild(h("span", "muted", " · " + claims[ci].conflicts.length + " conflict(s)")); }
      ul.appendChild(li);
    });
    if (indexes.length > limit) { ul.appendChild(h("li", "muted", "… and " + fmt(indexes.length - limit) + " more")); }
    return ul;
  }
  function conflictCount(indexes) {
    var seen = new Set();
    indexes.forEach(function (ci) { (claims[ci].conflicts || []).forEach(function (k) { seen.add(k); }); });
    return seen.size;
  }
  function breakdown(indexes, key) {
    var m = Object.create(null);
    indexes.forEach(function (ci) { var v = key(claims[ci]); if (v) { m[v] = (m[v] || 0) + 1; } });
    return Object.keys(m).sort(function (a, b) { return m[b] - m[a]; }).slice(0, 8).map(function (k) { return k + " " + fmt(m[k]); }).join(", ");
  }

  function showSummary(info) {
    clear(panel);
    var list, dl = h("dl");
    if (info.kind === "document") {
      var d = docs[info.ref];
      list = docClaims[info.ref];
      panel.appendChild(h("p", "kind", "Document"));
      panel.appendChild(h("h2", null, d.title || d.source_file || "document"));
      panel.appendChild(docBlock(d));
      panel.appendChild(h("h3", null, "In this document"));
      row(dl, "Claims", fmt(list.length));
      row(dl, "Conflicts", fmt(conflictCount(list)));
      row(dl, "Countries", breakdown(list, countryCodes));
    } else if (info.kind === "organisation") {
      var o = orgs[info.ref];
      list = orgClaims[info.ref];
      panel.appendChild(h("p", "kind", "Organisation"));
      panel.appendChild(h("h2", null, o.name));
      row(dl, "Documents published", fmt(orgDocs[info.ref].length));
      row(dl, "Claims (published or attributed)", fmt(list.length));
      row(dl, "Conflicts", fmt(conflictCount(list)));
      row(dl, "Countries", breakdown(list, countryCodes));
    } else if (info.kind === "country") {
      var k = countries[info.ref];
      list = countryClaims[info.ref];
      panel.appendChild(h("p", "kind", "Country"));
      panel.appendChild(h("h2", null, k.code));
      row(dl, "Claims", fmt(list.length));
      row(dl, "Documents", fmt(new Set(list.map(function (ci) { return claims[ci].doc; })).size));
      row(dl, "Conflicts", fmt(conflictCount(list)));
      row(dl, "Measures", breakdown(list, function (c) { return words(c.measure); }));
    } else if (info.kind === "aggregate") {
      var a = aggs[info.ref];
      list = [];
      claims.forEach(function (c, ci) { if ((c.aggs || []).indexOf(info.ref) >= 0 && claimMatches(c, state.filters)) { list.push(ci); } });
      panel.appendChild(h("p", "kind", "Country × measure"));
      panel.appendChild(h("h2", null, a.base));
      row(dl, "Claims", fmt(list.length));
      row(dl, "Conflicts", fmt(conflictCount(list)));
      var btn = h("button", "link", "Show these claims");
      btn.type = "button";
      btn.addEventListener("click", function () {
        if (a.country >= 0) { selCountry.value = String(a.country); }
        selMeasure.value = a.measure || "";
        refresh();
      });
      row(dl, "Drill down", btn);
      panel.appendChild(dl);
      return;
    }
    panel.appendChild(dl);
    if (list.length) {
      panel.appendChild(h("h3", null, "Claims"));
      panel.appendChild(claimList(list, 25));
    }
  }

  function showNode(id) {
    var info = nodeInfo[id];
    if (!info) { return; }
    if (info.kind === "claim") { showClaim(info.ref); } else { showSummary(info); }
    panel.scrollTop = 0;
  }
  function selectNode(id) {
    if (visible.has(id)) {
      network.selectNodes([id]);
      network.focus(id, {scale: Math.max(network.getScale(), 0.8), animation: false});
    }
    showNode(id);
  }
  function showEdge(id) {
    var e = edges.get(id);
    if (!e) { return; }
    if (e.kind === "conflict") {
      clear(panel);
      panel.appendChild(h("p", "kind", "Conflict"));
      panel.appendChild(conflictBlock(conflicts[e.conflict]));
    }
  }
  network.on("click", function (p) {
    if (p.nodes && p.nodes.length) { showNode(p.nodes[0]); }
    else if (p.edges && p.edges.length === 1) { showEdge(p.edges[0]); }
  });
  api.showNode = showNode;
})();
"""
