"""SPARQL 1.1 queries over a built graph, on Oxigraph, with csv, json and table output."""

from __future__ import annotations

import csv
import io
import json
from importlib import resources
from pathlib import Path

import pyoxigraph as ox

from claimgraph.errors import InputError
from claimgraph.namespaces import PREFIXES

FORMATS = ("csv", "json", "table")


def canned_queries() -> dict[str, str]:
    """The bundled audit queries (src/claimgraph/queries/*.rq) by name."""
    folder = resources.files("claimgraph") / "queries"
    found = {}
    for entry in folder.iterdir():
        if entry.name.endswith(".rq"):
            found[entry.name[:-3]] = entry.read_text(encoding="utf-8")
    return dict(sorted(found.items()))


def query_text(query: str) -> str:
    """The query itself: text, ``@file.rq``, or ``@name`` of a canned query."""
    if not query.startswith("@"):
        return query
    name = query[1:]
    path = Path(name)
    if path.is_file():
        try:
            return path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise InputError("query file is not UTF-8", name) from None
    canned = canned_queries()
    if name in canned:
        return canned[name]
    raise InputError(f"no such query file or canned query (canned: {', '.join(canned) or 'none'})", name)


def run_query(store: ox.Store, query: str) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    """Run a SPARQL query; the default graph is the union of all graphs, the common prefixes are predeclared."""
    try:
        return store.query(query, use_default_graph_as_union=True, prefixes=PREFIXES)
    except SyntaxError as exc:
        raise InputError(f"SPARQL syntax error: {str(exc).splitlines()[0]}", "query") from None


def _term(term: ox.NamedNode | ox.Literal | ox.BlankNode | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def format_result(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples, fmt: str) -> str:
    """The result as csv, json (SPARQL 1.1 JSON results) or an aligned text table."""
    if isinstance(result, ox.QueryBoolean):
        value = bool(result)
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": value}) + "\n"
        return ("true" if value else "false") + "\n"
    if isinstance(result, ox.QueryTriples):
        triples = list(result)
        if fmt == "json":
            return json.dumps([[_term(t.subject), _term(t.predicate), _term(t.object)] for t in triples], indent=1) + "\n"
        rows = [{"subject": _term(t.subject), "predicate": _term(t.predicate), "object": _term(t.object)} for t in triples]
        return _table(["subject", "predicate", "object"], rows, fmt)
    names = [v.value for v in result.variables]
    if fmt == "json":
        return result.serialize(format=ox.QueryResultsFormat.JSON).decode("utf-8") + "\n"
    rows = [{name: _term(solution[name]) for name in names} for solution in result]
    return _table(names, rows, fmt)


def _table(names: list[str], rows: list[dict[str, str]], fmt: str) -> str:
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=names, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return buffer.getvalue()
    widths = {n: min(60, max([len(n)] + [len(r[n]) for r in rows])) for n in names}
    lines = [" | ".join(n.ljust(widths[n]) for n in names), "-+-".join("-" * widths[n] for n in names)]
    for row in rows:
        lines.append(" | ".join(_clip(row[n], widths[n]).ljust(widths[n]) for n in names))
    lines.append(f"({len(rows)} rows)")
    return "\n".join(lines) + "\n"


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
