"""Beyond one machine: push a built graph to a SPARQL server and query a remote endpoint.

``push`` sends each graph of the dataset with the SPARQL 1.1 Graph Store HTTP
Protocol: ``PUT <store>?graph=IRI`` for each named graph (one per document, and
the reconciliation graph) and ``PUT <store>?default`` for the default graph
(documents, organisations, places, vocabularies). PUT replaces a graph, so a
push is repeatable: pushing twice leaves the same triples, and pushing after
one document changed changes only that document's graph (and the shared
default and reconciliation graphs).

``query`` sends a query with the SPARQL 1.1 Protocol (``POST`` of
``query=...``, form-encoded) and reads JSON or XML results, or N-Triples or
Turtle for CONSTRUCT and DESCRIBE. The project's prefixes are declared for the
server, as they are for local queries. Local queries see the union of all
graphs as the default graph; configure the server the same way (Oxigraph:
``oxigraph serve --union-default-graph``; GraphDB, Virtuoso and QLever do it by
default; Fuseki/TDB2: ``tdb2:unionDefaultGraph true``) or pass
``default_graph_uris``.

Only the standard library speaks HTTP here (``urllib``). Credentials come from
the URL (``http://user:password@host/...``, HTTP Basic or Digest) or a bearer
token (``token``, or ``$CLAIMGRAPH_ENDPOINT_TOKEN``).
"""

from __future__ import annotations

import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from claimgraph.errors import ClaimgraphError
from claimgraph.namespaces import PREFIXES

TOKEN_VARIABLE = "CLAIMGRAPH_ENDPOINT_TOKEN"
RESULTS_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.9, application/n-triples;q=0.8, text/turtle;q=0.7"
CONTENT_TYPES = ("application/n-triples", "text/turtle")  # N-Triples bytes are valid Turtle too
DEFAULT_TIMEOUT = 60.0


class RemoteError(ClaimgraphError):
    """A server could not be reached, or answered with an error; the message names the URL."""


@dataclass(frozen=True)
class Remote:
    """An endpoint URL with its credentials taken apart, ready for requests."""

    url: str  # without user:password
    opener: urllib.request.OpenerDirector
    headers: tuple[tuple[str, str], ...] = ()
    timeout: float = DEFAULT_TIMEOUT

    @classmethod
    def parse(cls, endpoint: str, token: str | None = None, timeout: float = DEFAULT_TIMEOUT) -> Remote:
        """Check ENDPOINT and split off ``user:password@`` (HTTP Basic or Digest) and the bearer token."""
        parts = urllib.parse.urlsplit(endpoint)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise RemoteError(f"{endpoint!r} is not an http:// or https:// URL of a SPARQL endpoint")
        netloc = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
        netloc += f":{parts.port}" if parts.port else ""
        url = urllib.parse.urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
        handlers: list[urllib.request.BaseHandler] = []
        if parts.username is not None:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            passwords.add_password(None, url, urllib.parse.unquote(parts.username), urllib.parse.unquote(parts.password or ""))
            handlers += [urllib.request.HTTPBasicAuthHandler(passwords), urllib.request.HTTPDigestAuthHandler(passwords)]
        token = token if token is not None else os.environ.get(TOKEN_VARIABLE, "")
        headers = (("Authorization", f"Bearer {token}"),) if token else ()
        return cls(url, urllib.request.build_opener(*handlers), headers, timeout)

    def with_params(self, *params: tuple[str, str] | str) -> str:
        """The URL with query parameters added (a bare string is a flag such as ``default``)."""
        encoded = [p if isinstance(p, str) else f"{p[0]}={urllib.parse.quote(p[1], safe='')}" for p in params]
        return self.url + ("&" if "?" in self.url else "?") + "&".join(encoded)

    def request(self, method: str, url: str, data: bytes | None, headers: dict[str, str]) -> tuple[str, bytes]:
        """Send one request; the answer's content type and body, or a one-line `RemoteError`."""
        request = urllib.request.Request(url, data=data, method=method, headers={**dict(self.headers), **headers})
        try:
            with self.opener.open(request, timeout=self.timeout) as answer:
                return answer.headers.get("Content-Type", ""), answer.read()
        except urllib.error.HTTPError as exc:
            detail = _first_line(exc.read())
            raise RemoteError(f"{_shown(url)} answered {exc.code} {exc.reason}" + (f": {detail}" if detail else "")) from None
        except urllib.error.URLError as exc:
            reason = getattr(exc.reason, "strerror", None) or str(exc.reason)
            raise RemoteError(f"cannot reach {_shown(url)}: {reason} (is the server running, and is the URL right?)") from None
        except TimeoutError:
            raise RemoteError(f"no answer from {_shown(url)} within {self.timeout:g}s") from None
        except (ConnectionError, OSError) as exc:
            raise RemoteError(f"connection to {_shown(url)} failed: {exc.strerror or exc}") from None


def _shown(url: str) -> str:
    """A URL for messages: without its query string (graph IRIs, tokens)."""
    return url.split("?", 1)[0]


def _first_line(body: bytes) -> str:
    text = body.decode("utf-8", "replace").strip()
    text = re.sub(r"<[^>]+>", " ", text)  # HTML error pages
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    return line[:200]


# --- push ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PushResult:
    """What a push sent: how many graphs and triples, where, and how long it took."""

    endpoint: str
    graphs: int
    triples: int
    seconds: float

    def summary(self) -> str:
        """One line for the CLI."""
        return f"pushed {self.graphs:,} graphs ({self.triples:,} triples) to {_shown(self.endpoint)} in {self.seconds:.1f}s"


def graph_names(store: ox.Store) -> list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph]:
    """The default graph first, then every named graph in IRI order."""
    return [ox.DefaultGraph(), *sorted(store.named_graphs(), key=lambda g: g.value)]


def push(
    graph: str | os.PathLike[str] | ox.Store,
    endpoint: str,
    *,
    token: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    content_type: str = CONTENT_TYPES[0],
    only: Sequence[str] = (),
    progress: Callable[[int, int], None] | None = None,
) -> PushResult:
    """Replace each graph of GRAPH on the Graph Store endpoint ENDPOINT (HTTP PUT per graph).

    `only` limits the push to these graph IRIs (``""`` is the default graph).
    """
    from claimgraph.store import load_store

    if content_type not in CONTENT_TYPES:
        raise RemoteError(f"content type must be one of {', '.join(CONTENT_TYPES)}")
    started = time.perf_counter()
    remote = Remote.parse(endpoint, token, timeout)
    store = graph if isinstance(graph, ox.Store) else load_store(graph)
    names = graph_names(store)
    if only:
        wanted = set(only)
        names = [g for g in names if (g.value if not isinstance(g, ox.DefaultGraph) else "") in wanted]
    triples = 0
    for index, name in enumerate(names, start=1):
        body = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=name)
        triples += body.count(b"\n")
        url = remote.with_params("default") if isinstance(name, ox.DefaultGraph) else remote.with_params(("graph", name.value))
        remote.request("PUT", url, body, {"Content-Type": f"{content_type}; charset=utf-8"})
        if progress:
            progress(index, len(names))
    return PushResult(remote.url, len(names), triples, time.perf_counter() - started)


def progress_printer(every: int = 1000) -> Callable[[int, int], None]:
    """Print a line on stderr every `every` graphs (and at the end) of a long push."""

    def show(done: int, total: int) -> None:
        if total >= every and (done % every == 0 or done == total):
            print(f"pushing: {done}/{total} graphs", file=sys.stderr, flush=True)

    return show


# --- query -----------------------------------------------------------------------------------


def with_prefixes(query: str) -> str:
    """The query with the project's PREFIX declarations it uses but does not declare itself."""
    declared = {m.lower() for m in re.findall(r"(?i)\bPREFIX\s+([\w.-]*):", query)}
    needed = [p for p in PREFIXES if p.lower() not in declared and re.search(rf"(?<![\w.-]){re.escape(p)}:", query)]
    return "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in needed) + query


RemoteResult = ox.QuerySolutions | ox.QueryBoolean | list[ox.Triple]


@dataclass(frozen=True)
class RemoteAnswer:
    """An endpoint's answer as it came (its URL, media type and bytes), to be read as often as needed."""

    url: str
    media: str
    data: bytes

    def result(self) -> RemoteResult:
        """The answer read: solutions and booleans as pyoxigraph parses them, triples as a list."""
        try:
            if "sparql-results" in self.media:
                return ox.parse_query_results(self.data, format=ox.QueryResultsFormat.from_media_type(self.media))
            rdf_format = ox.RdfFormat.from_media_type(self.media) if self.media else None
            if rdf_format is not None:
                return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(self.data, format=rdf_format)]
        except (SyntaxError, ValueError) as exc:
            raise RemoteError(f"{_shown(self.url)} sent results that cannot be read ({self.media}): {str(exc).splitlines()[0]}") from None
        raise RemoteError(f"{_shown(self.url)} answered with {self.media or 'no content type'}, not SPARQL results: {_first_line(self.data)}")

    def is_empty(self) -> bool:
        """Whether the answer holds no solution or no triple (a boolean answer is never empty)."""
        result = self.result()
        if isinstance(result, ox.QueryBoolean):
            return False
        return next(iter(result), None) is None


def ask_remote(
    endpoint: str, query: str, *, token: str | None = None, timeout: float = DEFAULT_TIMEOUT, default_graph_uris: Sequence[str] = ()
) -> RemoteAnswer:
    """Send QUERY to the SPARQL endpoint ENDPOINT (SPARQL 1.1 Protocol, the project's prefixes declared); its answer."""
    remote = Remote.parse(endpoint, token, timeout)
    form = [("query", with_prefixes(query))] + [("default-graph-uri", uri) for uri in default_graph_uris]
    body = urllib.parse.urlencode(form).encode("ascii")
    content_type, data = remote.request(
        "POST", remote.url, body, {"Content-Type": "application/x-www-form-urlencoded", "Accept": RESULTS_ACCEPT}
    )
    return RemoteAnswer(remote.url, content_type.split(";", 1)[0].strip().lower(), data)


def remote_query(
    endpoint: str, query: str, *, token: str | None = None, timeout: float = DEFAULT_TIMEOUT, default_graph_uris: Sequence[str] = ()
) -> RemoteResult:
    """Run QUERY on the SPARQL endpoint ENDPOINT; solutions and booleans as pyoxigraph parses them, triples as a list."""
    return ask_remote(endpoint, query, token=token, timeout=timeout, default_graph_uris=default_graph_uris).result()


UNION_HINT = (
    "the server's default graph holds no claims, but its named graphs do: queries that read across documents need a "
    "default graph that is the union of the named graphs (oxigraph serve --union-default-graph; Fuseki/TDB2: "
    "tdb2:unionDefaultGraph true), or --default-graph-uri for each graph, or GRAPH ?g { ... } patterns"
)


def union_default_graph_hint(endpoint: str, *, token: str | None = None, timeout: float = DEFAULT_TIMEOUT) -> str | None:
    """Why a query found nothing when the reason is the server's configuration: claims pushed into named graphs, and a
    default graph that is not their union (Oxigraph's default). None when the default graph has claims, or no graph has."""
    if bool(remote_query(endpoint, "ASK { ?claim a cg:Claim }", token=token, timeout=timeout)):
        return None
    if not bool(remote_query(endpoint, "ASK { GRAPH ?g { ?claim a cg:Claim } }", token=token, timeout=timeout)):
        return None
    return UNION_HINT


def format_remote(result: RemoteResult, fmt: str) -> str:
    """A remote result as csv, json or table, exactly as a local query prints it."""
    from claimgraph.query import _table, _term, format_result

    if not isinstance(result, list):
        return format_result(result, fmt)
    if fmt == "json":
        import json

        return json.dumps([[_term(t.subject), _term(t.predicate), _term(t.object)] for t in result], indent=1) + "\n"
    rows = [{"subject": _term(t.subject), "predicate": _term(t.predicate), "object": _term(t.object)} for t in result]
    return _table(["subject", "predicate", "object"], rows, fmt)


__all__ = [
    "PushResult", "Remote", "RemoteAnswer", "RemoteError", "ask_remote", "format_remote", "push", "remote_query",
    "union_default_graph_hint", "with_prefixes",
]  # fmt: skip
