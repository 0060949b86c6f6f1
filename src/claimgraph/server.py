"""``claimgraph serve``: a SPARQL 1.1 Protocol endpoint over a built graph, on Oxigraph.

Routes: ``/sparql`` (alias ``/query``) answers queries by GET ``?query=``, POST
form (``query=``) and POST ``application/sparql-query``, in the format chosen by
the Accept header or a ``format=`` parameter; ``/graph`` (alias ``/data``)
returns the whole graph; ``/`` is an index with a query form; ``/graph.html`` and
``/audit.html`` are served from the graph's folder when present. SPARQL Update
is refused (403) unless ``allow_update`` is set, and then changes only the
in-memory store, never the files. Every query has a time limit and a size
limit: see :mod:`claimgraph.server_sparql` for how the time limit works and
what it cannot do.
"""

from __future__ import annotations

import signal
import socket
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from claimgraph.errors import InputError
from claimgraph.query import canned_queries
from claimgraph.server_page import PAGE_CSP, PAGE_CSS, PAGE_JS, index_html
from claimgraph.server_sparql import Endpoint, Reply, ServeOptions, message
from claimgraph.store import load_store

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 7878
PAGES = ("graph.html", "audit.html")
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


# --------------------------------------------------------------------------- HTTP


class _HttpError(Exception):
    def __init__(self, reply: Reply) -> None:
        super().__init__(reply.status)
        self.reply = reply


class ClaimgraphServer(ThreadingHTTPServer):
    """A threading HTTP server (one thread per connection) holding an :class:`Endpoint`."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], endpoint: Endpoint) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.endpoint = endpoint
        super().__init__(address, _Handler)

    @property
    def url(self) -> str:
        """The base URL clients use, e.g. ``http://127.0.0.1:7878/``."""
        host, port = self.server_address[:2]
        return f"http://[{host}]:{port}/" if ":" in str(host) else f"http://{host}:{port}/"


class _Handler(BaseHTTPRequestHandler):
    server: ClaimgraphServer
    server_version = "claimgraph-serve"

    def version_string(self) -> str:
        """The Server header: no Python version."""
        return self.server_version

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_HEAD(self) -> None:
        self._dispatch("HEAD")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def _dispatch(self, method: str) -> None:
        started = time.monotonic()
        try:
            reply = self._route(method)
        except _HttpError as exc:
            reply = exc.reply
        except Exception as exc:  # a bug: answer 500, say where on stderr, keep serving
            traceback.print_exc(file=sys.stderr)
            reply = message(500, f"internal error: {exc}")
        self._send(reply, head=method == "HEAD")
        if not self.server.endpoint.options.quiet:
            elapsed = (time.monotonic() - started) * 1000
            self.log_message('"%s %s" %d %d %.0fms', method, self.path[:200], reply.status, len(reply.body), elapsed)

    def _route(self, method: str) -> Reply:
        self._check_host()
        path = urlsplit(self.path).path
        if path in ("/sparql", "/query"):
            return self._sparql(method)
        if method == "POST":
            raise _HttpError(message(405, f"{path} accepts GET only", {"Allow": "GET, HEAD"}))
        return self._get(path)

    def _get(self, path: str) -> Reply:
        endpoint = self.server.endpoint
        if path in ("/", "/index.html", "/query-page"):
            pages = [name for name in PAGES if endpoint.folder and (endpoint.folder / name).is_file()]
            page = index_html(endpoint.title, pages, canned_queries(), allow_update=endpoint.options.allow_update)
            return Reply(200, page.encode("utf-8"), "text/html; charset=utf-8", {"Content-Security-Policy": PAGE_CSP})
        if path == "/query-page.js":
            return Reply(200, PAGE_JS.encode("utf-8"), "text/javascript; charset=utf-8")
        if path == "/query-page.css":
            return Reply(200, PAGE_CSS.encode("utf-8"), "text/css; charset=utf-8")
        if path in ("/graph", "/data"):
            return endpoint.graph(self.headers.get("Accept"), self._params(self.path).get("format", [None])[0])
        if path.lstrip("/") in PAGES:
            return self._page(path.lstrip("/"))
        return message(404, f"not found: {path} (see / for what this server offers)")

    def _check_host(self) -> None:
        """Refuse foreign Host headers on a loopback server (a DNS-rebinding attack would send its own name)."""
        if str(self.server.server_address[0]) not in LOOPBACK:
            return
        host = self.headers.get("Host") or "localhost"
        name = host.partition("]")[0][1:] if host.startswith("[") else host.rsplit(":", 1)[0]
        if name.lower() not in LOOPBACK:
            raise _HttpError(message(403, f"unexpected Host header {host!r}: this server only answers requests for localhost"))

    def _page(self, name: str) -> Reply:
        folder = self.server.endpoint.folder
        path = folder / name if folder else None
        if path is None or not path.is_file():
            return message(404, f"no {name} beside this graph")
        return Reply(200, path.read_bytes(), "text/html; charset=utf-8")

    @staticmethod
    def _params(target: str) -> dict[str, list[str]]:
        return parse_qs(urlsplit(target).query, keep_blank_values=True)

    def _sparql(self, method: str) -> Reply:
        params = self._params(self.path)
        if method == "POST":
            params = self._post_params(params)
        queries, updates = params.get("query", []), params.get("update", [])
        if len(queries) + len(updates) != 1:
            return message(400, "give exactly one 'query' (or, by POST, one 'update'), "
                           "e.g. /sparql?query=ASK%7B%7D; see / for the query form")
        endpoint = self.server.endpoint
        if updates:
            if method != "POST":
                return message(400, "SPARQL Update needs POST (form field 'update' or Content-Type application/sparql-update)")
            self._check_origin()
            return endpoint.update(updates[0])
        fmt = (params.get("format") or params.get("output") or [None])[0]
        dataset = params.get("default-graph-uri", []), params.get("named-graph-uri", [])
        return endpoint.query(queries[0], self.headers.get("Accept"), fmt, *dataset)

    def _post_params(self, params: dict[str, list[str]]) -> dict[str, list[str]]:
        kind = self.headers.get_content_type()
        body = self._body()
        if kind == "application/x-www-form-urlencoded":
            for key, values in parse_qs(body, keep_blank_values=True).items():
                params.setdefault(key, []).extend(values)
        elif kind == "application/sparql-query":
            params["query"] = params.get("query", []) + [body]
        elif kind == "application/sparql-update":
            params["update"] = params.get("update", []) + [body]
        else:
            raise _HttpError(message(415, f"unsupported Content-Type {kind}: use application/x-www-form-urlencoded, "
                                     "application/sparql-query or application/sparql-update"))
        return params

    def _body(self) -> str:
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            raise _HttpError(message(411, "a POST needs a Content-Length header"))
        if int(length) > self.server.endpoint.options.max_body:
            raise _HttpError(message(413, f"request body too large (more than {self.server.endpoint.options.max_body} bytes)"))
        try:
            return self.rfile.read(int(length)).decode("utf-8")
        except UnicodeDecodeError:
            raise _HttpError(message(400, "the request body is not UTF-8")) from None

    def _check_origin(self) -> None:
        """Refuse updates sent by a page from another origin (a form POST needs no CORS preflight)."""
        origin = self.headers.get("Origin")
        if origin and origin != f"http://{self.headers.get('Host')}":
            raise _HttpError(message(403, f"cross-origin update refused (Origin {origin})"))

    def _send(self, reply: Reply, *, head: bool) -> None:
        body = b"" if reply.status == 204 else reply.body
        try:
            self.send_response(reply.status)
            headers = {"Content-Type": reply.content_type, "Content-Length": str(len(body)), "X-Content-Type-Options": "nosniff",
                       "Cache-Control": "no-store", "Vary": "Accept", **reply.headers}
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            if not head:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Silence the default line: :meth:`_dispatch` logs one line per request with its duration."""

    def log_message(self, format: str, *args: object) -> None:
        """One line on stderr: client, request, status, bytes, milliseconds (nothing under ``quiet``)."""
        if not self.server.endpoint.options.quiet:
            sys.stderr.write(f"{self.address_string()} [{self.log_date_time_string()}] {format % args}\n")


# --------------------------------------------------------------------------- public API


def make_server(graph: str | Path | ox.Store, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *, timeout: float = 10.0,
                max_results: int = 100_000, allow_update: bool = False, quiet: bool = False, folder: str | Path | None = None,
                max_overdue: int = 4) -> ClaimgraphServer:
    """A bound, not yet running server for GRAPH (a built folder, a graph file, or an Oxigraph store).

    Port 0 picks a free port (read it from ``server.server_address`` or ``server.url``). Run it with
    ``serve_forever()`` (in a thread, for tests) and stop it with ``shutdown()`` then ``server_close()``.
    ``folder`` is where ``graph.html`` and ``audit.html`` are looked for (default: GRAPH's folder).
    With ``allow_update``, SPARQL Update changes a copy of the graph in memory, never GRAPH itself.
    """
    if timeout <= 0 or max_results <= 0 or max_overdue <= 0:
        raise InputError("--timeout, --max-results and max_overdue must be positive")
    if isinstance(graph, ox.Store):
        store, title = graph, "graph"
    else:
        path = Path(graph)
        store, title, folder = load_store(path), str(graph), folder or (path if path.is_dir() else path.parent)
    if allow_update:  # updates go to a copy in memory: never to the files, nor to an on-disk store
        memory = ox.Store()
        memory.extend(store)
        store = memory
    options = ServeOptions(timeout=timeout, max_results=max_results, allow_update=allow_update, quiet=quiet,
                           max_overdue=max_overdue)
    endpoint = Endpoint(store, Path(folder) if folder else None, options, title)
    try:
        return ClaimgraphServer((host, port), endpoint)
    except OSError as exc:
        raise InputError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def serve(graph: str | Path | ox.Store, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *, timeout: float = 10.0,
          max_results: int = 100_000, allow_update: bool = False, quiet: bool = False) -> None:
    """Serve GRAPH until Ctrl-C (or SIGTERM): the options are those of :func:`make_server`."""
    server = make_server(graph, host, port, timeout=timeout, max_results=max_results, allow_update=allow_update, quiet=quiet)
    print(f"claimgraph serve: {server.url} (SPARQL endpoint {server.url}sparql); Ctrl-C to stop", file=sys.stderr, flush=True)
    if str(host) not in LOOPBACK:
        change = " (and, with --allow-update, change)" if allow_update else ""
        print(f"warning: listening on {host}: anyone who can reach this port can query{change} the graph", file=sys.stderr, flush=True)
    previous = _stop_on_sigterm()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        print("claimgraph serve: stopped", file=sys.stderr, flush=True)


def _stop_on_sigterm() -> object:
    """Make SIGTERM stop the server like Ctrl-C (only possible from the main thread)."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def _interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    return signal.signal(signal.SIGTERM, _interrupt)
