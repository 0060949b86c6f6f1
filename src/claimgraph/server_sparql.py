"""The SPARQL side of ``claimgraph serve``: content negotiation, limits, and answers as bytes.

:class:`Endpoint` holds the Oxigraph store and answers queries (SELECT, ASK,
CONSTRUCT, DESCRIBE), updates and whole-graph downloads as :class:`Reply`
objects; :mod:`claimgraph.server` puts them on HTTP. The default graph of a query
is the union of all graphs and the usual prefixes are predeclared
(:func:`claimgraph.query.run_query`).

Time limit, and what it cannot do. Oxigraph has no way to interrupt a query
from Python. Each query therefore runs in its own daemon thread (pyoxigraph
releases the GIL while it evaluates), and the request thread waits at most
``timeout`` seconds before it answers 503. The worker checks the deadline (and
the result-size limit) between solutions, so a query that streams many
solutions stops promptly and frees the engine. A query that spends its time
inside one step (an aggregate or ORDER BY over a huge join, an ASK) cannot be
stopped: the client gets its 503 on time, but the thread keeps one core busy
until Oxigraph returns, and its result is thrown away. While ``max_overdue``
such queries are still running, new queries are refused with 503 at once, so
runaway queries cannot pile up. Updates obey the same time limit, and an
update that overruns may still be applied when it completes.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from claimgraph.errors import InputError
from claimgraph.namespaces import PREFIXES
from claimgraph.query import run_query

RESULT_FORMATS = (ox.QueryResultsFormat.JSON, ox.QueryResultsFormat.XML, ox.QueryResultsFormat.CSV, ox.QueryResultsFormat.TSV)
F = ox.RdfFormat
TRIPLE_FORMATS = (F.TURTLE, F.N_TRIPLES, F.RDF_XML, F.TRIG, F.N_QUADS, F.JSON_LD, F.N3)
DATASET_FORMATS = (F.TRIG, F.N_QUADS, F.TURTLE, F.N_TRIPLES, F.RDF_XML, F.JSON_LD, F.N3)
ALIASES = {"turtle": F.TURTLE, "ntriples": F.N_TRIPLES, "n-triples": F.N_TRIPLES, "nquads": F.N_QUADS, "n-quads": F.N_QUADS,
           "rdf+xml": F.RDF_XML, "rdfxml": F.RDF_XML, "json-ld": F.JSON_LD}  # fmt: skip
Format = ox.QueryResultsFormat | ox.RdfFormat
Results = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples
RETRY = {"Retry-After": "10"}


@dataclass(frozen=True)
class ServeOptions:
    """The limits of a server: time per query, rows or triples per answer, updates, logging."""

    timeout: float = 10.0
    max_results: int = 100_000
    allow_update: bool = False
    quiet: bool = False
    max_overdue: int = 4  # timed-out queries still running before new queries are refused
    max_body: int = 1 << 20  # bytes of a POST body


@dataclass
class Reply:
    """An HTTP answer: status, body, content type and extra headers."""

    status: int
    body: bytes = b""
    content_type: str = "text/plain; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


def message(status: int, text: str, headers: dict[str, str] | None = None) -> Reply:
    """A plain-text answer (errors, mostly)."""
    return Reply(status, (text.rstrip() + "\n").encode("utf-8"), headers=headers or {})


class _Overdue(Exception):
    """The query went past its deadline."""


class _TooLarge(Exception):
    """The answer has more rows or triples than allowed."""


# --------------------------------------------------------------------------- content negotiation


def negotiate(accept: str | None, override: str | None, candidates: Sequence[Format]) -> Format | None:
    """The format to answer in: ``override`` (a ``format=`` value) if given, else the best Accept match, else None."""
    if override:
        return _by_name(override.strip().lower(), candidates)
    for media in _accept_ranges(accept or "*/*"):
        found = _by_media(media, candidates)
        if found is not None:
            return found
    return None


def _accept_ranges(accept: str) -> list[str]:
    ranked = []
    for index, part in enumerate(accept.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        quality = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        if media and quality > 0:
            ranked.append((-quality, index, media.lower()))
    return [media for _, _, media in sorted(ranked)]


def _by_media(media: str, candidates: Sequence[Format]) -> Format | None:
    if media == "*/*":
        return candidates[0]
    if media.endswith("/*"):
        return next((c for c in candidates if c.media_type.startswith(media[:-1])), None)
    found = type(candidates[0]).from_media_type(media)
    return found if found in candidates else None


def _by_name(name: str, candidates: Sequence[Format]) -> Format | None:
    kind = type(candidates[0])
    for found in (kind.from_extension(name), kind.from_media_type(name), ALIASES.get(name)):
        if found is not None and found in candidates:
            return found
    return None


def _not_acceptable(candidates: Sequence[Format]) -> Reply:
    offered = ", ".join(c.media_type.split(";")[0] for c in candidates)
    return message(406, f"no acceptable format: this answer is available as {offered} (Accept header or format=)")


def _content_type(fmt: Format) -> str:
    media = fmt.media_type
    return media if "charset" in media else f"{media}; charset=utf-8"


# --------------------------------------------------------------------------- results


def _json_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        parts = {"subject": term.subject, "predicate": term.predicate, "object": term.object}
        return {"type": "triple", "value": {k: _json_term(v) for k, v in parts.items()}}
    found: dict[str, object] = {"type": "literal", "value": term.value}
    if term.language:
        found["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        found["datatype"] = term.datatype.value
    return found


def _collect(results: ox.QuerySolutions | ox.QueryTriples, limit: int, deadline: float) -> list[Any]:
    """Pull every solution or triple, checking the deadline and the size limit between them."""
    items = []
    for item in results:
        if time.monotonic() > deadline:
            raise _Overdue
        items.append(item)
        if len(items) > limit:
            raise _TooLarge
    return items


def _solutions_body(results: ox.QuerySolutions, fmt: ox.QueryResultsFormat, limit: int, deadline: float) -> bytes:
    names = [v.value for v in results.variables]
    rows = _collect(results, limit, deadline)
    bindings = [{n: _json_term(s[n]) for n in names if s[n] is not None} for s in rows]
    document = json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}}, ensure_ascii=False).encode("utf-8")
    if fmt == ox.QueryResultsFormat.JSON:
        return document
    return ox.parse_query_results(document, ox.QueryResultsFormat.JSON).serialize(format=fmt)


# --------------------------------------------------------------------------- the endpoint


@dataclass
class _Job:
    work: Callable[[float], Reply]
    deadline: float
    reply: Reply | None = None
    abandoned: bool = False
    done: threading.Event = field(default_factory=threading.Event)


class Endpoint:
    """The graph behind a server: its store, folder and limits; evaluates queries, updates and downloads."""

    def __init__(self, store: ox.Store, folder: Path | None, options: ServeOptions, title: str = "graph") -> None:
        self.store, self.folder, self.options, self.title = store, folder, options, title
        self._lock = threading.Lock()
        self.overdue = 0

    def query(self, text: str, accept: str | None, fmt: str | None = None,
              default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = ()) -> Reply:
        """Answer a SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) in the negotiated format, within the limits.

        ``fmt`` is a ``format=`` value (``json``, ``csv``, ``ttl``, a media type, ...) that overrides ``accept``;
        ``default_graphs`` and ``named_graphs`` are the protocol's ``default-graph-uri`` and ``named-graph-uri``.
        """
        return self._run(lambda deadline: self._answer(text, accept, fmt, (default_graphs, named_graphs), deadline))

    def update(self, text: str) -> Reply:
        """Apply a SPARQL update to the in-memory store (403 unless updates are allowed)."""
        if not self.options.allow_update:
            return message(403, "SPARQL Update is refused: this server is read-only "
                           "(start it with --allow-update to change the in-memory graph)")
        return self._run(lambda deadline: self._apply(text))

    def graph(self, accept: str | None, fmt: str | None) -> Reply:
        """The whole graph: TriG, N-Quads (or JSON-LD) with its named graphs; Turtle and others as the union of the graphs.

        A download is not a query: it has neither the time limit nor the size limit.
        """
        found = negotiate(accept, fmt, DATASET_FORMATS)
        if found is None:
            return _not_acceptable(DATASET_FORMATS)
        if found.supports_datasets:
            body = self.store.dump(format=found, prefixes=PREFIXES)
        else:
            body = ox.serialize(list(dict.fromkeys(q.triple for q in self.store)), format=found, prefixes=PREFIXES)
        return Reply(200, body, _content_type(found))

    def _evaluate(self, text: str, default_graphs: Sequence[str], named_graphs: Sequence[str]) -> Results:
        if not default_graphs and not named_graphs:
            return run_query(self.store, text)
        default = [ox.NamedNode(g) for g in default_graphs] or None
        named = [ox.NamedNode(g) for g in named_graphs] or None
        try:
            return self.store.query(text, prefixes=PREFIXES, use_default_graph_as_union=default is None,
                                    default_graph=default, named_graphs=named)
        except SyntaxError as exc:
            raise InputError(f"SPARQL syntax error: {str(exc).splitlines()[0]}", "query") from None

    def _answer(self, text: str, accept: str | None, fmt: str | None, dataset: tuple[Sequence[str], Sequence[str]],
                deadline: float) -> Reply:
        results = self._evaluate(text, *dataset)
        candidates = TRIPLE_FORMATS if isinstance(results, ox.QueryTriples) else RESULT_FORMATS
        found = negotiate(accept, fmt, candidates)
        if found is None:
            return _not_acceptable(candidates)
        if time.monotonic() > deadline:
            raise _Overdue
        if isinstance(results, ox.QueryBoolean):
            return Reply(200, results.serialize(format=found), _content_type(found))
        if isinstance(results, ox.QueryTriples):
            triples = _collect(results, self.options.max_results, deadline)
            return Reply(200, ox.serialize(triples, format=found, prefixes=PREFIXES), _content_type(found))
        return Reply(200, _solutions_body(results, found, self.options.max_results, deadline), _content_type(found))

    def _apply(self, text: str) -> Reply:
        try:
            self.store.update(text, prefixes=PREFIXES)
        except SyntaxError as exc:
            raise InputError(f"SPARQL syntax error: {str(exc).splitlines()[0]}", "update") from None
        return Reply(204)

    def _run(self, work: Callable[[float], Reply]) -> Reply:
        """Run WORK in a daemon thread; answer 503 when it is not done by the deadline (see the module docstring)."""
        limit = self.options.timeout
        with self._lock:
            if self.overdue >= self.options.max_overdue:
                return message(503, f"server busy: {self.overdue} earlier queries went past the {limit:g} s time limit and are "
                               "still running (Oxigraph cannot interrupt them); try again later", RETRY)
        job = _Job(work, time.monotonic() + limit)
        threading.Thread(target=self._work, args=(job,), name="claimgraph-query", daemon=True).start()
        if job.done.wait(limit):
            return job.reply or message(500, "internal error: no answer")
        with self._lock:
            if job.done.is_set():
                return job.reply or message(500, "internal error: no answer")
            job.abandoned = True
            self.overdue += 1
        return self._overdue_reply()

    def _overdue_reply(self) -> Reply:
        return message(503, f"query timed out: it ran longer than the {self.options.timeout:g} s time limit (--timeout); "
                       "narrow it (a LIMIT, fewer joins) or raise the limit", RETRY)

    def _work(self, job: _Job) -> None:
        reply = self._safely(job)
        with self._lock:
            job.reply = reply
            job.done.set()
            if job.abandoned:
                self.overdue -= 1

    def _safely(self, job: _Job) -> Reply:
        try:
            return job.work(job.deadline)
        except _Overdue:
            return self._overdue_reply()
        except _TooLarge:
            return message(413, f"the answer has more than {self.options.max_results} rows or triples (--max-results): "
                           "add a LIMIT or narrow the query")
        except (InputError, ValueError) as exc:
            return message(400, str(exc))
        except Exception as exc:  # evaluation errors from Oxigraph (RuntimeError, OSError)
            return message(500, f"query evaluation failed: {exc}")
