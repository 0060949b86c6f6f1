"""How graph.html looks: node colours and shapes (vis-network groups), edge styles, vis-network's options."""

from __future__ import annotations

from typing import Any

from claimgraph.viz_layout import LAYOUT_SEED

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


def vis_options() -> dict[str, Any]:
    """vis-network's options for the page (fonts, groups, physics, interaction)."""
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


__all__ = ["COLOURS", "CONFLICT_RED", "EDGE_STYLES", "FONT_FACE", "GROUPS", "vis_options"]
