"""The command line: parse options, call the public function, turn errors into one line and an exit status.

Exit status: 0 on success, 1 when the input is bad (the message names the file
and line), 2 for a usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from claimgraph import __version__
from claimgraph.errors import ClaimgraphError

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE = 0, 1, 2


def _cmd_build(args: argparse.Namespace) -> int:
    from claimgraph.build import build
    from claimgraph.config import BuildConfig

    options = {"strict": args.strict}
    if args.quiet:
        options["progress"] = False
    result = build(args.corpus or None, args.out, BuildConfig(**options))
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if not args.quiet:
        print(result.summary())
    return EXIT_OK


def _print_table(args: argparse.Namespace, table: str) -> int:
    """Print the claims or conflicts table of GRAPH in the chosen format."""
    from claimgraph import tables
    from claimgraph.query import format_result, run_query
    from claimgraph.store import load_store

    store = load_store(args.graph)
    if table == "claims":
        rows, columns, query = tables.claims_table, tables.CLAIM_COLUMNS + tables.EXTRA_CLAIM_COLUMNS, tables.CLAIMS_QUERY
    else:
        rows, columns, query = tables.conflicts_table, tables.CONFLICT_COLUMNS + tables.EXTRA_CONFLICT_COLUMNS, tables.CONFLICTS_QUERY
    if args.format == "csv":
        sys.stdout.write(tables.to_csv(rows(store), columns))
    else:
        sys.stdout.write(format_result(run_query(store, query), args.format))
    return EXIT_OK


def _cmd_claims(args: argparse.Namespace) -> int:
    return _print_table(args, "claims")


def _cmd_conflicts(args: argparse.Namespace) -> int:
    return _print_table(args, "conflicts")


def _cmd_query(args: argparse.Namespace) -> int:
    from claimgraph.query import canned_queries, format_result, query_text, run_query
    from claimgraph.store import load_store

    if args.list:
        for name, text in canned_queries().items():
            first = next((line[1:].strip() for line in text.splitlines() if line.startswith("#")), "")
            print(f"@{name:28} {first}")
        return EXIT_OK
    if not args.graph or not args.query:
        print("claimgraph query: error: GRAPH and QUERY are required (or --list)", file=sys.stderr)
        return EXIT_USAGE
    text = query_text(args.query)
    store = load_store(args.graph)
    sys.stdout.write(format_result(run_query(store, text), args.format))
    return EXIT_OK


def _cmd_validate(args: argparse.Namespace) -> int:
    from claimgraph.validate import validate_graph

    result = validate_graph(args.graph)
    if result.conforms:
        print(f"{args.graph}: conforms to the claimgraph SHACL shapes")
        return EXIT_OK
    print(f"{args.graph}: does NOT conform ({result.results} violations)", file=sys.stderr)
    print(result.report, file=sys.stderr)
    return EXIT_BAD_INPUT


def _cmd_viz(args: argparse.Namespace) -> int:
    from claimgraph.store import load_store
    from claimgraph.tables import claims_table, conflicts_table, documents_table
    from claimgraph.viz import GraphView, write_graph_html

    store = load_store(args.graph)
    view = GraphView(documents_table(store), claims_table(store), conflicts_table(store), title=args.title)
    write_graph_html(view, Path(args.output), aggregate_above=args.aggregate_above)
    print(f"wrote {args.output}")
    return EXIT_OK


def make_parser() -> argparse.ArgumentParser:
    """The argument parser of every command (each with its own help text)."""
    parser = argparse.ArgumentParser(
        prog="claimgraph",
        description="Turn reports into a knowledge graph of numeric claims, find the figures that disagree, and show it.",
    )
    parser.add_argument("--version", action="version", version=f"claimgraph {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser("build", help="extract, graph, reconcile; write claims.trig, claims.csv, conflicts.csv, graph.html",
                       description="Build the claim graph of one or more corpus folders (none: the bundled example corpus).")
    p.add_argument("corpus", nargs="*", help="corpus folders of .txt/.md documents (default: the bundled example)")
    p.add_argument("--out", "-o", required=True, help="output folder (previous outputs stay if the build fails)")
    p.add_argument("--strict", action="store_true", help="treat warnings (skipped files, unknown dates) as errors")
    p.add_argument("--quiet", "-q", action="store_true", help="print nothing but warnings and errors")
    p.set_defaults(func=_cmd_build)

    for name, func, what in (("claims", _cmd_claims, "claims"), ("conflicts", _cmd_conflicts, "conflicts")):
        p = sub.add_parser(name, help=f"print the {what} table of a built graph", description=f"Print the {what} table of GRAPH.")
        p.add_argument("graph", help="a built output folder or a graph file (.trig, .nq, .ttl)")
        p.add_argument("--format", "-f", choices=("csv", "json", "table"), default="csv", help="output format (default: csv)")
        p.set_defaults(func=func)

    p = sub.add_parser("query", help="run a SPARQL 1.1 query over a built graph",
                       description="Run a SPARQL 1.1 query over GRAPH. The default graph is the union of all graphs; "
                       "the prefixes cg, prov, schema, oa, skos, xsd, ... are predeclared.")
    p.add_argument("graph", nargs="?", help="a built output folder or a graph file (.trig, .nq, .ttl)")
    p.add_argument("query", nargs="?", help="query text, @file.rq, or @name of a canned query")
    p.add_argument("--format", "-f", choices=("csv", "json", "table"), default="table", help="output format (default: table)")
    p.add_argument("--list", action="store_true", help="list the canned audit queries")
    p.set_defaults(func=_cmd_query)

    p = sub.add_parser("validate", help="validate a built graph against the SHACL shapes (pySHACL)",
                       description="Validate GRAPH against ontology/shapes.ttl; exit 1 with a readable report when it does not conform.")
    p.add_argument("graph", help="a built output folder or a graph file (.trig, .nq, .ttl)")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("viz", help="write the interactive graph page of a built graph",
                       description="Write a self-contained, offline HTML page showing GRAPH.")
    p.add_argument("graph", help="a built output folder or a graph file")
    p.add_argument("--output", "-o", required=True, help="HTML file to write")
    p.add_argument("--title", default="claimgraph", help="page title")
    p.add_argument("--aggregate-above", type=int, default=5000, help="show one node per country and measure above this many claims")
    p.set_defaults(func=_cmd_viz)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``claimgraph`` console script."""
    parser = make_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except ClaimgraphError as exc:
        print(f"claimgraph {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
