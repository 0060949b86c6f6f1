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
from claimgraph.store import STORE_DIR
from claimgraph.synthetic import CONFLICT_RATE
from claimgraph.vocab import CONFLICT_KINDS

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE = 0, 1, 2


def _shard(text: str) -> tuple[int, int]:
    """'K/N' with 1 <= K <= N, for --shard."""
    try:
        k, n = (int(part) for part in text.split("/"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected K/N such as 2/8, got {text!r}") from None
    if not 1 <= k <= n:
        raise argparse.ArgumentTypeError(f"K must be between 1 and N, got {text!r}")
    return k, n


def _cmd_build(args: argparse.Namespace) -> int:
    from claimgraph.build import build
    from claimgraph.config import BuildConfig

    options = {"strict": args.strict}
    if args.jobs:
        options["jobs"] = args.jobs
    if args.quiet:
        options["progress"] = False
    if args.no_cache:
        options["cache"] = False
    if args.shard:
        options["shard"] = args.shard
    if args.cache_from:
        options["cache_from"] = tuple(args.cache_from)
    if args.store:
        options["store"] = str(Path(args.out) / STORE_DIR) if args.store == "-" else args.store
    result = build(args.corpus or None, args.out, BuildConfig(**options), reviews=args.reviews)
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
    elif table == "consensus":
        rows, columns, query = tables.consensus_table, tables.CONSENSUS_COLUMNS, tables.CONSENSUS_QUERY
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


def _cmd_consensus(args: argparse.Namespace) -> int:
    return _print_table(args, "consensus")


def _cmd_review(args: argparse.Namespace) -> int:
    from claimgraph.verdicts import record_verdict

    recorded = record_verdict(args.graph, args.conflict, args.verdict, args.note, args.prefer or "", args.reviewer,
                              args.reviews, rebuild=not args.no_rebuild)
    review = recorded.review
    print(f"{recorded.reviews_file}: {review.verdict} on conflict {review.conflict} by {review.reviewer} at {review.reviewed_at}")
    if recorded.rebuilt:
        for warning in recorded.rebuilt.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        print(f"rebuilt: {recorded.rebuilt.summary()}")
    else:
        print(f"not rebuilt: run 'claimgraph build ... --out {args.graph}' to apply it")
    return EXIT_OK


def _cmd_audit(args: argparse.Namespace) -> int:
    from claimgraph.audit import audit_view, render_audit_html, render_audit_text
    from claimgraph.build import read_manifest, stale_review_messages
    from claimgraph.store import load_store, write_atomic

    stale = stale_review_messages(read_manifest(args.graph)) if Path(args.graph).is_dir() else []
    view = audit_view(load_store(args.graph), stale)
    if args.kind:
        view.entries = [e for e in view.entries if e.conflict["kind"] in args.kind]
    if args.unreviewed:
        view.entries = [e for e in view.entries if not e.conflict.get("verdict")]
    if args.html:
        write_atomic(Path(args.html), render_audit_html(view, args.graph))
        print(f"wrote {args.html}")
    else:
        sys.stdout.write(render_audit_text(view, args.graph))
    return EXIT_OK


def _cmd_query(args: argparse.Namespace) -> int:
    from claimgraph.query import canned_queries, format_result, query_text, run_query
    from claimgraph.store import load_store

    if args.list:
        for name, text in canned_queries().items():
            first = next((line[1:].strip() for line in text.splitlines() if line.startswith("#")), "")
            print(f"@{name:28} {first}")
        return EXIT_OK
    if args.endpoint:
        return _query_endpoint(args)
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


def _cmd_serve(args: argparse.Namespace) -> int:
    from claimgraph.server import serve

    serve(args.graph, args.host, args.port, timeout=args.timeout, max_results=args.max_results,
          allow_update=args.allow_update, quiet=args.quiet)
    return EXIT_OK


def _query_endpoint(args: argparse.Namespace) -> int:
    """``query --endpoint URL``: run the query on a remote SPARQL endpoint (then GRAPH is left out)."""
    from claimgraph.query import query_text
    from claimgraph.remote import ask_remote, format_remote, union_default_graph_hint

    if args.graph and args.query:
        print("claimgraph query: error: with --endpoint give only QUERY (the graph is the server's)", file=sys.stderr)
        return EXIT_USAGE
    text = query_text(args.query or args.graph or "")
    if not text:
        print("claimgraph query: error: QUERY is required", file=sys.stderr)
        return EXIT_USAGE
    answer = ask_remote(args.endpoint, text, token=args.token, timeout=args.timeout, default_graph_uris=args.default_graph_uri or ())
    sys.stdout.write(format_remote(answer.result(), args.format))
    if not args.default_graph_uri and answer.is_empty():  # nothing found: say so when the server's setup is why
        hint = union_default_graph_hint(args.endpoint, token=args.token, timeout=args.timeout)
        if hint:
            print(f"claimgraph query: note: {hint}", file=sys.stderr)
    return EXIT_OK


def _cmd_push(args: argparse.Namespace) -> int:
    from claimgraph.remote import progress_printer, push

    result = push(args.graph, args.endpoint, token=args.token, timeout=args.timeout, content_type=args.content_type,
                  progress=None if args.quiet else progress_printer())  # fmt: skip
    if not args.quiet:
        print(result.summary())
    return EXIT_OK


def _cmd_load_store(args: argparse.Namespace) -> int:
    from claimgraph.store import STORE_DIR, save_store

    target = args.store or (Path(args.graph) / STORE_DIR if Path(args.graph).is_dir() else None)
    if target is None:
        print("claimgraph load-store: error: --store DIR is required when GRAPH is a file", file=sys.stderr)
        return EXIT_USAGE
    print(save_store(args.graph, target).summary())
    return EXIT_OK


def _cmd_synth(args: argparse.Namespace) -> int:
    from claimgraph.synthetic import write_corpus

    if args.docs < 1:
        print("claimgraph synth: error: --docs must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    print(write_corpus(args.out, args.docs, args.seed, conflict_rate=args.conflict_rate).summary())
    return EXIT_OK


def _add_scale_commands(sub: argparse._SubParsersAction) -> None:
    """The push, load-store and synth commands."""
    p = sub.add_parser("push", help="send each graph of a built graph to a SPARQL Graph Store endpoint (replacing it)",
                       description="PUT each named graph of GRAPH (one per document, and the reconciliation graph) to "
                       "ENDPOINT?graph=IRI and the default graph to ENDPOINT?default (SPARQL 1.1 Graph Store HTTP Protocol). "
                       "PUT replaces a graph, so pushing again is safe. Credentials: http://user:password@host/..., or --token.")
    p.add_argument("graph", help="a built output folder, a graph file, or an Oxigraph store folder")
    p.add_argument("--endpoint", required=True, help="the Graph Store URL, e.g. http://localhost:7878/store (Oxigraph)")
    p.add_argument("--token", help="bearer token for the server (default: $CLAIMGRAPH_ENDPOINT_TOKEN)")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for each answer (default: 60)")
    p.add_argument("--content-type", choices=("application/n-triples", "text/turtle"), default="application/n-triples",
                   help="media type sent (the bytes are N-Triples, valid Turtle too; default: application/n-triples)")
    p.add_argument("--quiet", "-q", action="store_true", help="print nothing but errors")
    p.set_defaults(func=_cmd_push)

    p = sub.add_parser("load-store", help="bulk-load a built graph into an on-disk Oxigraph store (queried without reparsing)",
                       description="Bulk-load GRAPH (claims.trig of a built folder, or a graph file) into an on-disk Oxigraph "
                       "store. 'claimgraph query', 'claims', 'conflicts' then open the store instead of parsing the TriG; "
                       "'oxigraph serve-read-only --location DIR' can serve it.")
    p.add_argument("graph", help="a built output folder or a graph file (.trig, .nq, .ttl, .nt)")
    p.add_argument("--store", help="the store folder (default: GRAPH/store for a built folder)")
    p.set_defaults(func=_cmd_load_store)

    p = sub.add_parser("synth", help="write a synthetic corpus with planted figures and their ground truth",
                       description="Write N synthetic documents (1,000 per sub-folder) with planted figures, some repeated, "
                       "some deliberately wrong, and numbers that are not claims; the ground truth goes to DIR/.synth/.")
    p.add_argument("--docs", "-n", type=int, required=True, help="how many documents")
    p.add_argument("--out", "-o", required=True, help="corpus folder to write")
    p.add_argument("--seed", type=int, default=0, help="seed (same seed, same corpus; default: 0)")
    p.add_argument("--conflict-rate", type=float, default=CONFLICT_RATE, help=f"share of figures written deliberately wrong (default: {CONFLICT_RATE})")
    p.set_defaults(func=_cmd_synth)


def make_parser() -> argparse.ArgumentParser:
    """The argument parser of every command (each with its own help text)."""
    parser = argparse.ArgumentParser(
        prog="claimgraph",
        description="Turn reports into a knowledge graph of numeric claims, find the figures that disagree, and show it.",
    )
    parser.add_argument("--version", action="version", version=f"claimgraph {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser("build", help="extract, graph, reconcile; write claims.trig, claims.csv, conflicts.csv, graph.html, audit.html",
                       description="Build the claim graph of one or more corpus folders (none: the bundled example corpus).")
    p.add_argument("corpus", nargs="*", help="corpus folders of .txt/.md documents (default: the bundled example)")
    p.add_argument("--out", "-o", required=True, help="output folder (previous outputs stay if the build fails)")
    p.add_argument("--strict", action="store_true", help="treat warnings (skipped files, unknown dates) as errors")
    p.add_argument("--quiet", "-q", action="store_true", help="print nothing but warnings and errors")
    p.add_argument("--reviews", metavar="FILE", help="reviewers' verdicts to apply (default: reviews.tsv in the first corpus folder)")
    p.add_argument("--jobs", "-j", type=int, metavar="N", help="worker processes for extraction (default: all cores)")
    p.add_argument("--shard", type=_shard, metavar="K/N", help="build only shard K of N of the documents (split by a hash of their path)")
    p.add_argument("--cache-from", action="append", metavar="DIR", help="first merge the extraction cache of another build "
                   "(a shard's --out folder); repeatable: a build over the whole corpus then reads nothing the shards read")
    p.add_argument("--store", nargs="?", const="-", metavar="DIR", help="also bulk-load the graph into an on-disk Oxigraph store "
                   "(default DIR: OUT/store) that query, claims, conflicts and serve open without parsing claims.trig")
    p.add_argument("--no-cache", action="store_true", help="read every document again and keep no DIR/.cache/ (default: reuse what unchanged documents gave)")
    p.set_defaults(func=_cmd_build)

    tables = (
        ("claims", _cmd_claims, "print the claims table of a built graph", "Print the claims table of GRAPH."),
        ("conflicts", _cmd_conflicts, "print the conflicts table of a built graph", "Print the conflicts table of GRAPH."),
        ("consensus", _cmd_consensus, "print the best current value of each group of comparable claims",
         "Print one row per group of comparable claims (measure, population, place, region): its best current value, "
         "the claim it comes from, and why (reviewer's choice, most recent figure, agreement)."),
    )
    for name, func, summary, description in tables:
        p = sub.add_parser(name, help=summary, description=description)
        p.add_argument("graph", help="a built output folder or a graph file (.trig, .nq, .ttl)")
        p.add_argument("--format", "-f", choices=("csv", "json", "table"), default="csv", help="output format (default: csv)")
        p.set_defaults(func=func)

    p = sub.add_parser("review", help="record a reviewer's verdict on a conflict (kept in the reviews file, re-applied by every build)",
                       description="Append a verdict on CONFLICT to the reviews file beside the corpus, then rebuild GRAPH so "
                       "every output shows it. The last verdict per conflict wins; the file keeps the history.")
    p.add_argument("graph", help="a built output folder (its build.json says where the corpus and reviews file are)")
    p.add_argument("conflict", help="the conflict: its IRI, its id, or the first 6+ characters of its id")
    p.add_argument("--verdict", required=True, choices=("confirmed", "dismissed", "explained"),
                   help="confirmed: a real disagreement; dismissed: not a conflict; explained: both can stand (say why in --note)")
    p.add_argument("--note", default="", help="why: one or two sentences for the next reader")
    p.add_argument("--prefer", metavar="a|b|CLAIM", help="the claim you hold right: it becomes the consensus, the other is deprecated")
    p.add_argument("--reviewer", help="who is reviewing (default: $CLAIMGRAPH_REVIEWER or the login name)")
    p.add_argument("--reviews", metavar="FILE", help="the reviews file (default: the one recorded in GRAPH/build.json)")
    p.add_argument("--no-rebuild", action="store_true", help="only record the verdict; the next build applies it")
    p.set_defaults(func=_cmd_review)

    p = sub.add_parser("audit", help="report every conflict with both figures, quotes, sources, dates, reason and verdict",
                       description="Print the audit of GRAPH (conflicts by severity), or write it as a self-contained HTML page.")
    p.add_argument("graph", help="a built output folder or a graph file")
    p.add_argument("--html", metavar="FILE", help="write the audit page to FILE instead of printing text")
    p.add_argument("--kind", action="append", choices=CONFLICT_KINDS, help="only conflicts of this kind (repeatable)")
    p.add_argument("--unreviewed", action="store_true", help="only conflicts without a verdict")
    p.set_defaults(func=_cmd_audit)

    p = sub.add_parser("query", help="run a SPARQL 1.1 query over a built graph",
                       description="Run a SPARQL 1.1 query over GRAPH. The default graph is the union of all graphs; "
                       "the prefixes cg, prov, schema, oa, skos, xsd, ... are predeclared.")
    p.add_argument("graph", nargs="?", help="a built output folder or a graph file (.trig, .nq, .ttl)")
    p.add_argument("query", nargs="?", help="query text, @file.rq, or @name of a canned query")
    p.add_argument("--format", "-f", choices=("csv", "json", "table"), default="table", help="output format (default: table)")
    p.add_argument("--list", action="store_true", help="list the canned audit queries")
    p.add_argument("--endpoint", metavar="URL", help="run QUERY on this remote SPARQL endpoint instead (GRAPH is left out)")
    p.add_argument("--token", help="with --endpoint: bearer token (default: $CLAIMGRAPH_ENDPOINT_TOKEN)")
    p.add_argument("--timeout", type=float, default=60.0, help="with --endpoint: seconds to wait for the answer (default: 60)")
    p.add_argument("--default-graph-uri", action="append", metavar="IRI", help="with --endpoint: the default graph (repeatable)")
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

    p = sub.add_parser("serve", help="serve a built graph as a SPARQL 1.1 endpoint with a query page",
                       description="Serve GRAPH over HTTP: SPARQL 1.1 Protocol queries at /sparql (default graph: the union "
                       "of all graphs), the graph at /graph, a query page at /, graph.html and audit.html. Read-only unless "
                       "--allow-update; every query has a time limit and a size limit. Ctrl-C stops it.")
    p.add_argument("graph", help="a built output folder or a graph file (.trig, .nq, .ttl)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int, default=7878, help="port to listen on (default: 7878; 0 picks a free one)")
    p.add_argument("--timeout", type=float, default=10.0, help="seconds a query may run before the answer is 503 (default: 10)")
    p.add_argument("--max-results", type=int, default=100_000, help="most rows or triples in an answer, else 413 (default: 100000)")
    p.add_argument("--allow-update", action="store_true", help="accept SPARQL Update (changes the in-memory graph only, never the files)")
    p.add_argument("--quiet", "-q", action="store_true", help="do not log one line per request on stderr")
    p.set_defaults(func=_cmd_serve)
    _add_scale_commands(sub)
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
