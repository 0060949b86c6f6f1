"""Where graph.html draws each node: laid out in Python, so a big graph opens at once, without physics.

A seeded spring layout for small graphs (networkx's, or a pure-Python
Fruchterman–Reingold when numpy is missing), a grid of country clusters
above ``SPRING_MAX_NODES``, and the overview's one node per country and measure.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

SPRING_MAX_NODES = 2000  # above this many nodes: the grouped grid layout
PURE_PYTHON_SPRING_MAX = 600  # without numpy our own spring layout stops here
LAYOUT_SEED = 7


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


def place_nodes(nodes: list[dict[str, Any]], edges: list[dict[str, Any]], payload: dict[str, Any]) -> str:
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
        if not (math.isfinite(x) and math.isfinite(y)):  # (the page's JSON holds finite numbers only)
            raise ValueError(f"graph.html's layout put node {node['id']} at ({x}, {y})")
        node["x"], node["y"] = round(x, 1), round(y, 1)
        if kind == "country" and node["id"] in overview:
            ax, ay = overview[node["id"]]
            node["ax"], node["ay"] = round(ax, 1), round(ay, 1)
    return name


__all__ = ["LAYOUT_SEED", "PURE_PYTHON_SPRING_MAX", "SPRING_MAX_NODES", "place_nodes"]
