"""The pages of ``claimgraph serve``: the index with its query form, and the form's script and style.

Everything is self-contained (no external resources). The script only sets
``textContent`` (never ``innerHTML``), and the page is served with
:data:`PAGE_CSP`, which allows nothing but this server's own script, style and
``fetch`` calls.
"""

from __future__ import annotations

import html
import json

PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)

PAGE_JS = """\
"use strict";
(function () {
  const MAX_SHOWN = 2000;
  const canned = JSON.parse(document.getElementById("canned-queries").textContent);
  const picker = document.getElementById("canned");
  const editor = document.getElementById("query");
  const status = document.getElementById("status");
  const table = document.getElementById("results");
  const raw = document.getElementById("raw");

  for (const name of Object.keys(canned)) {
    const option = document.createElement("option");
    option.value = name;
    option.textContent = name;
    picker.appendChild(option);
  }
  picker.addEventListener("change", function () {
    if (Object.prototype.hasOwnProperty.call(canned, picker.value)) editor.value = canned[picker.value];
  });

  function term(t) {
    if (!t) return "";
    if (t.type === "bnode") return "_:" + t.value;
    if (t.type === "triple") return "<< " + term(t.value.subject) + " " + term(t.value.predicate) + " " + term(t.value.object) + " >>";
    return t.value;
  }

  function row(cells, tag) {
    const tr = document.createElement("tr");
    for (const cell of cells) {
      const td = document.createElement(tag);
      td.textContent = cell;
      tr.appendChild(td);
    }
    return tr;
  }

  function say(text, isError) {
    status.textContent = text;
    status.className = isError ? "error" : "";
  }

  function showTable(data) {
    const vars = data.head.vars || [];
    const bindings = data.results.bindings;
    const head = document.createElement("thead");
    head.appendChild(row(vars, "th"));
    const body = document.createElement("tbody");
    for (const binding of bindings.slice(0, MAX_SHOWN)) body.appendChild(row(vars.map(function (v) { return term(binding[v]); }), "td"));
    table.append(head, body);
    return bindings.length + " rows" + (bindings.length > MAX_SHOWN ? " (first " + MAX_SHOWN + " shown)" : "");
  }

  async function run() {
    table.replaceChildren();
    raw.textContent = "";
    raw.hidden = true;
    say("running…", false);
    const started = performance.now();
    try {
      const response = await fetch("sparql", {
        method: "POST",
        headers: {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json, application/n-triples;q=0.9"},
        body: new URLSearchParams({query: editor.value}),
      });
      if (!response.ok) {
        say("Error " + response.status + ": " + (await response.text()), true);
        return;
      }
      const type = response.headers.get("Content-Type") || "";
      let summary;
      if (type.startsWith("application/sparql-results+json")) {
        const data = await response.json();
        summary = ("boolean" in data) ? "ASK: " + data["boolean"] : showTable(data);
      } else {
        raw.textContent = await response.text();
        raw.hidden = false;
        summary = "triples (N-Triples)";
      }
      say(summary + " in " + Math.round(performance.now() - started) + " ms", false);
    } catch (error) {
      say("Request failed: " + error, true);
    }
  }

  document.getElementById("run").addEventListener("click", run);
  editor.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter") run();
  });
})();
"""

PAGE_CSS = """\
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
nav a { margin-right: 1em; }
textarea { width: 100%; height: 14em; font: 13px/1.35 ui-monospace, monospace; box-sizing: border-box; }
.controls { margin: .5em 0; display: flex; gap: .75em; align-items: center; }
#status.error { color: #b00020; white-space: pre-wrap; }
table { border-collapse: collapse; margin-top: .5em; }
th, td { border: 1px solid #ccc; padding: 2px 6px; text-align: left; vertical-align: top; max-width: 40em; overflow-wrap: anywhere; }
th { background: #f2f2f2; position: sticky; top: 0; white-space: nowrap; overflow-wrap: normal; }
pre { background: #f7f7f7; padding: .5em; overflow: auto; }
code { background: #f2f2f2; padding: 0 3px; }
"""


def _script_json(data: object) -> str:
    """JSON that is safe inside a ``<script type="application/json">`` block."""
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def index_html(title: str, pages: list[str], canned: dict[str, str], *, allow_update: bool) -> str:
    """The index page: links to the graph's pages and downloads, and the SPARQL query form."""
    links = "".join(f'<a href="{html.escape(name)}">{html.escape(name)}</a>' for name in pages)
    mode = "read-write (SPARQL Update allowed, in memory only)" if allow_update else "read-only"
    first = next(iter(canned.values()), "SELECT * WHERE { ?s ?p ?o } LIMIT 10")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>claimgraph serve: {html.escape(title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="query-page.css">
<script type="application/json" id="canned-queries">{_script_json(canned)}</script>
<script src="query-page.js" defer></script>
</head>
<body>
<h1>claimgraph: {html.escape(title)}</h1>
<nav>{links}<a href="graph">graph (TriG)</a><a href="graph?format=ttl">graph (Turtle)</a><a href="graph?format=nq">graph (N-Quads)</a></nav>
<p>SPARQL 1.1 endpoint: <code>/sparql</code> ({mode}). The default graph is the union of all graphs;
the prefixes <code>cg:</code>, <code>prov:</code>, <code>schema:</code>, <code>oa:</code>, <code>skos:</code>, <code>xsd:</code>, … are predeclared.</p>
<div class="controls">
<label for="canned">Canned query</label>
<select id="canned"><option value="">(choose)</option></select>
<button id="run" type="button">Run (Ctrl+Enter)</button>
<span id="status" role="status"></span>
</div>
<textarea id="query" spellcheck="false" aria-label="SPARQL query">{html.escape(first)}</textarea>
<pre id="raw" hidden></pre>
<table id="results"></table>
</body>
</html>
"""
