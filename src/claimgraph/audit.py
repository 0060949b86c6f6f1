"""The audit report: every conflict, most severe first, with both figures, their evidence, sources and verdict.

Read from the graph (the single source of truth) into plain rows, then written
as text for the terminal (``claimgraph audit GRAPH``) or as ``audit.html``: a
static, self-contained page with no script at all, readable from disk without
a server. Every piece of document text is escaped; links are kept only for
http(s) URLs.
"""

from __future__ import annotations

import html
import textwrap
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from claimgraph.extract.places import place_name
from claimgraph.reviews import conflict_id
from claimgraph.tables import claims_table, conflicts_table, consensus_table, documents_table

QUALIFIER_WORDS = {"approximately": "about", "at_least": "at least", "more_than": "more than", "at_most": "up to", "less_than": "fewer than"}
KIND_LABELS = {
    "value_mismatch": "independent sources disagree",
    "quotation_mismatch": "one source quoted with different figures",
    "temporal_inconsistency": "a total that only grows went down",
    "derived_mismatch": "a computed share disagrees with a stated figure",
    "scope_violation": "a part exceeds its whole",
}


@dataclass
class AuditEntry:
    """One conflict with the rows of its two claims and their documents."""

    conflict: dict[str, str]
    claim_a: dict[str, str]
    claim_b: dict[str, str]
    document_a: dict[str, str]
    document_b: dict[str, str]

    @property
    def id(self) -> str:
        """The conflict's short id (what ``claimgraph review`` takes)."""
        return conflict_id(self.conflict["conflict"])

    @property
    def verdict(self) -> str:
        """The reviewer's verdict, or "unreviewed"."""
        return self.conflict.get("verdict") or "unreviewed"


@dataclass
class AuditView:
    """Everything the audit report shows, as plain rows."""

    entries: list[AuditEntry]
    consensus: list[dict[str, str]]
    stale_reviews: list[str] = field(default_factory=list)
    title: str = "claimgraph audit"
    omitted: dict[str, int] = field(default_factory=dict)  # conflicts per kind left out of a capped page
    omitted_verdicts: dict[str, int] = field(default_factory=dict)  # and per verdict

    def counts(self, what: str) -> Counter[str]:
        """How many conflicts per kind (``what="kind"``) or per verdict (``what="verdict"``)."""
        return Counter(entry.verdict if what == "verdict" else entry.conflict[what] for entry in self.entries)


def audit_view(store: ox.Store, stale_reviews: Iterable[str] = (), title: str = "claimgraph audit") -> AuditView:
    """The audit of the graph in STORE; ``stale_reviews`` are the build's messages about verdicts that no longer apply."""
    return audit_view_of_rows(claims_table(store), documents_table(store), conflicts_table(store), consensus_table(store),
                              stale_reviews, title)  # fmt: skip


def audit_view_of_rows(
    claims: Iterable[dict[str, str]],
    documents: Iterable[dict[str, str]],
    conflicts: Iterable[dict[str, str]],
    consensus: list[dict[str, str]],
    stale_reviews: Iterable[str] = (),
    title: str = "claimgraph audit",
    limit: int | None = None,
) -> AuditView:
    """The audit of the four tables (conflict rows most severe first); with LIMIT, only that many conflicts get a card.

    The conflicts beyond LIMIT are only counted (by their ``kind`` and ``verdict``:
    the only columns read of those rows), so CONFLICTS may be a generator over a
    very large table; CLAIMS need only hold the claims of the shown conflicts.
    """
    by_claim = {row["claim"]: row for row in claims}
    by_document = {row["document"]: row for row in documents}
    entries = []
    omitted: Counter[str] = Counter()
    verdicts: Counter[str] = Counter()
    for row in conflicts:
        if limit is not None and len(entries) >= limit:
            omitted[row["kind"]] += 1
            verdicts[row.get("verdict") or "unreviewed"] += 1
            continue
        entries.append(audit_entry(row, by_claim, by_document))
    return AuditView(entries, consensus, list(stale_reviews), title, dict(omitted), dict(verdicts))


def audit_entry(conflict: dict[str, str], claims: dict[str, dict[str, str]], documents: dict[str, dict[str, str]]) -> AuditEntry:
    """The entry of a CONFLICT row, with the rows of its CLAIMS and their DOCUMENTS (each by IRI; {} where missing)."""
    a, b = claims.get(conflict["claim_a"], {}), claims.get(conflict["claim_b"], {})
    return AuditEntry(conflict, a, b, documents.get(a.get("document", ""), {}), documents.get(b.get("document", ""), {}))


def figure(claim: dict[str, str]) -> str:
    """A claim's figure as stated: "about 1,200", "1,200–2,000", "at least 5,600"."""
    if not claim:
        return "?"
    if claim.get("qualifier") == "range":
        return f"{_thousands(claim.get('low', ''))}–{_thousands(claim.get('high', ''))}"
    word = QUALIFIER_WORDS.get(claim.get("qualifier", ""), "")
    suffix = "%" if claim.get("unit") == "percent" else ""
    return f"{word} {_thousands(claim.get('value', ''))}{suffix}".strip()


def _thousands(text: str) -> str:
    try:
        number = float(text)
    except ValueError:
        return text or "?"
    return f"{number:,.0f}" if number == int(number) else f"{number:,}"


def counted(claim: dict[str, str]) -> str:
    """What a claim counts: "fighters returned, United States (origin)"."""
    if not claim:
        return ""
    places = " and ".join(place_name(code) for code in claim.get("country", "").split("+") if code) or "no place"
    region = f" ({claim['region']})" if claim.get("region") else ""
    role = f", {claim['place_role']}" if claim.get("place_role") else ""
    return f"{claim.get('population', '')} {claim.get('measure', '').replace('_', ' ')} · {places}{region}{role}"


def quote_parts(claim: dict[str, str]) -> tuple[str, str, str]:
    """The quote split around the figure's mention (before, mention, after) for highlighting."""
    quote, mention = claim.get("quote", ""), claim.get("mention", "")
    index = quote.find(mention) if mention else -1
    if index < 0:
        return quote, "", ""
    return quote[:index], mention, quote[index + len(mention) :]


def document_line(document: dict[str, str]) -> str:
    """A document in one line: title, publisher, date."""
    title = document.get("title") or document.get("source_file", "unknown document")
    details = ", ".join(x for x in (document.get("publisher", ""), document.get("date", "")) if x)
    return f"{title} ({details})" if details else title


# ---------------------------------------------------------------- text


def render_audit_text(view: AuditView, graph: str = "GRAPH", width: int = 100) -> str:
    """The audit as plain text for the terminal, most severe conflict first."""
    kinds = ", ".join(f"{n} {k}" for k, n in sorted(view.counts("kind").items()))
    verdicts = ", ".join(f"{n} {v}" for v, n in sorted(view.counts("verdict").items()))
    lines = [f"{len(view.entries)} conflicts" + (f": {kinds}" if kinds else ""), f"verdicts: {verdicts or 'none'}", ""]
    wrap = textwrap.TextWrapper(width=width, initial_indent="     ", subsequent_indent="     ")
    for entry in view.entries:
        c = entry.conflict
        lines.append(f"[{float(c['severity']):.2f}] {c['kind']}  {entry.id}  ({KIND_LABELS.get(c['kind'], c['kind'])})")
        for label, claim, document in (("A", entry.claim_a, entry.document_a), ("B", entry.claim_b, entry.document_b)):
            preferred = "  ← reviewer's choice" if c.get("preferred_claim") and c["preferred_claim"] == claim.get("claim") else ""
            lines.append(f"  {label}: {figure(claim)} — {counted(claim)}, as of {claim.get('as_of') or 'undated'}{preferred}")
            before, mention, after = quote_parts(claim)
            lines.extend(wrap.wrap(f"“{before}«{mention}»{after}”" if mention else f"“{before}”"))
            lines.append(f"     in {claim.get('source_file', '?')}: {document_line(document)}")
            lines.append(f"     source: {claim.get('attributed_to') or 'not attributed'}" + (f"; {document['url']}" if document.get("url") else ""))
        lines.extend(textwrap.wrap(f"why: {c['reason']}", width=width, initial_indent="  ", subsequent_indent="       "))
        if c.get("verdict"):
            note = f": {c['note']}" if c.get("note") else ""
            lines.append(f"  verdict: {c['verdict']} by {c.get('reviewer') or '?'} at {c.get('reviewed_at') or '?'}{note}")
        else:
            lines.append(f"  verdict: unreviewed — claimgraph review {graph} {entry.id} --verdict confirmed|dismissed|explained --note \"...\"")
        lines.append("")
    if view.stale_reviews:
        lines.append("Verdicts that no longer apply:")
        lines.extend(f"  {message}" for message in view.stale_reviews)
    return "\n".join(lines).rstrip() + "\n"


# ---------------------------------------------------------------- HTML

_CSS = """
:root { --ink:#1f2328; --muted:#59636e; --line:#d1d9e0; --bg:#f6f8fa; --red:#cf222e; --mark:#fff3b0; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); margin: 0; background: #fff; }
header { padding: 20px 32px 12px; border-bottom: 1px solid var(--line); background: var(--bg); }
h1 { font-size: 22px; margin: 0 0 6px; }
h2 { font-size: 18px; margin: 28px 0 10px; }
main { padding: 0 32px 40px; max-width: 1200px; }
.summary span { display: inline-block; margin: 2px 8px 2px 0; padding: 2px 10px; border-radius: 12px; background: #eaeef2; font-size: 13px; }
.conflict { border: 1px solid var(--line); border-left: 6px solid var(--red); border-radius: 6px; margin: 16px 0; padding: 12px 16px; }
.conflict header { all: unset; display: flex; gap: 12px; align-items: baseline; flex-wrap: wrap; }
.severity { font-weight: 700; color: var(--red); }
.kind { font-weight: 600; }
.label, .id, .muted { color: var(--muted); font-size: 13px; }
.id { font-family: ui-monospace, monospace; }
.claims { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; margin-top: 10px; }
.claim { background: var(--bg); border-radius: 6px; padding: 10px 12px; }
.claim.preferred { outline: 2px solid #1a7f37; }
.figure { font-size: 20px; font-weight: 700; }
blockquote { margin: 6px 0; padding-left: 10px; border-left: 3px solid var(--line); }
mark { background: var(--mark); padding: 0 2px; font-weight: 700; }
.reason { margin: 10px 0 4px; }
.verdict { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 13px; font-weight: 600; background: #eaeef2; }
.verdict.confirmed { background: #ffebe9; color: #82071e; }
.verdict.dismissed { background: #dafbe1; color: #116329; }
.verdict.explained { background: #ddf4ff; color: #0a3069; }
code { font-family: ui-monospace, monospace; font-size: 12px; background: #eaeef2; padding: 1px 4px; border-radius: 4px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
.stale { background: #fff8c5; border: 1px solid #d4a72c; border-radius: 6px; padding: 8px 12px; }
@media (max-width: 800px) { .claims { grid-template-columns: 1fr; } main, header { padding-left: 12px; padding-right: 12px; } }
"""

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _link(url: str, text: str) -> str:
    if url.startswith(("https://", "http://")):
        return f'<a href="{_e(url)}" rel="noopener noreferrer">{_e(text)}</a>'
    return _e(text)


def _claim_html(label: str, claim: dict[str, str], document: dict[str, str], preferred: bool) -> str:
    before, mention, after = quote_parts(claim)
    quote = f"{_e(before)}<mark>{_e(mention)}</mark>{_e(after)}" if mention else _e(before)
    rank = claim.get("rank", "")
    return f"""<div class="claim{' preferred' if preferred else ''}" data-claim="{_e(claim.get('claim', ''))}">
<div class="label">Claim {label}{' · reviewer’s choice' if preferred else ''}{f' · rank {_e(rank)}' if rank else ''}</div>
<div class="figure">{_e(figure(claim))}</div>
<div>{_e(counted(claim))} · as of {_e(claim.get('as_of') or 'undated')} · {_e(claim.get('qualifier', ''))}</div>
<blockquote>{quote}</blockquote>
<div>{_link(document.get('url', ''), document_line(document))}</div>
<div class="muted">{_e(claim.get('source_file', ''))} · characters {_e(claim.get('start', ''))}–{_e(claim.get('end', ''))}</div>
<div>Primary source: <strong>{_e(claim.get('attributed_to') or 'not attributed')}</strong></div>
</div>"""


def _entry_html(entry: AuditEntry, graph: str) -> str:
    c = entry.conflict
    preferred = c.get("preferred_claim", "")
    if c.get("verdict"):
        note = f" — {_e(c['note'])}" if c.get("note") else ""
        verdict = (f'<span class="verdict {_e(c["verdict"])}">{_e(c["verdict"])}</span> '
                   f'by {_e(c.get("reviewer", "?"))} at {_e(c.get("reviewed_at", "?"))}{note}')
    else:
        verdict = (f'<span class="verdict">unreviewed</span> <span class="muted">record one with</span> '
                   f'<code>claimgraph review {_e(graph)} {_e(entry.id)} --verdict confirmed|dismissed|explained --note "…"</code>')
    return f"""<section class="conflict" id="c-{_e(entry.id)}" data-kind="{_e(c['kind'])}" data-verdict="{_e(entry.verdict)}">
<header><span class="severity">{float(c['severity']):.2f}</span><span class="kind">{_e(c['kind'])}</span>
<span class="muted">{_e(KIND_LABELS.get(c['kind'], ''))}</span><span class="id">{_e(entry.id)}</span></header>
<div class="claims">
{_claim_html("A", entry.claim_a, entry.document_a, preferred == c['claim_a'])}
{_claim_html("B", entry.claim_b, entry.document_b, preferred == c['claim_b'])}
</div>
<p class="reason"><strong>Why:</strong> {_e(c['reason'])}</p>
<div class="review"><strong>Verdict:</strong> {verdict}</div>
</section>"""


def _consensus_html(rows: list[dict[str, str]]) -> str:
    if not rows:
        return "<p class='muted'>No group of comparable claims.</p>"
    body = "\n".join(
        f"<tr><td>{_e(counted(r))}</td><td><strong>{_e(figure(r))}</strong></td><td>{_e(r['as_of'])}</td>"
        f"<td>{_e(r['attributed_to'] or 'not attributed')}</td><td>{_e(r['claims'])}</td><td>{_e(r['reason'])}</td></tr>"
        for r in rows
    )
    return ("<table><thead><tr><th>what</th><th>best current value</th><th>as of</th><th>source</th><th>claims</th>"
            f"<th>why this one</th></tr></thead><tbody>{body}</tbody></table>")


def render_audit_html(view: AuditView, graph: str = "GRAPH") -> str:
    """The audit as one self-contained HTML page (no script, no external resource)."""
    kinds, verdicts = view.counts("kind") + Counter(view.omitted), view.counts("verdict") + Counter(view.omitted_verdicts)
    return (audit_head(view.title, kinds, verdicts, view.stale_reviews) + "".join(audit_card(e, graph) for e in view.entries)
            + audit_tail(view.omitted, view.consensus, bool(view.entries), graph))  # fmt: skip


def audit_head(title: str, kinds: Counter[str], verdicts: Counter[str], stale_reviews: list[str]) -> str:
    """audit.html up to its first card: the counts of every conflict per kind and per verdict, the stale verdicts."""
    summary = " ".join(f"<span>{n:,} {_e(k)}</span>" for k, n in sorted(kinds.items()))
    by_verdict = " ".join(f"<span>{n:,} {_e(v)}</span>" for v, n in sorted(verdicts.items()))
    stale = ""
    if stale_reviews:
        items = "".join(f"<li>{_e(m)}</li>" for m in stale_reviews)
        stale = f'<h2>Verdicts that no longer apply</h2><div class="stale"><ul>{items}</ul></div>'
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)}</title>
<style>{_CSS}</style>
</head>
<body>
<header>
<h1>{_e(title)}</h1>
<div class="summary"><strong>{kinds.total():,} conflicts</strong> {summary}</div>
<div class="summary">Verdicts: {by_verdict or '<span>none</span>'}</div>
</header>
<main>
{stale}
<h2>Conflicts, most severe first</h2>
"""


def audit_card(entry: AuditEntry, graph: str = "GRAPH") -> str:
    """One conflict's card (and the line that ends it): what it depends on is the entry's rows only."""
    return _entry_html(entry, graph) + "\n"


def audit_tail(omitted: dict[str, int], consensus: list[dict[str, str]], any_cards: bool, graph: str = "GRAPH") -> str:
    """audit.html after its last card: how many conflicts it leaves out (OMITTED, per kind) and the consensus table."""
    text = "" if any_cards else "<p>No conflicts: every figure can stand with every other.</p>"
    if omitted:
        left = ", ".join(f"{n:,} {_e(k)}" for k, n in sorted(omitted.items()))
        text += (f'<p class="omitted">{sum(omitted.values()):,} less severe conflicts are not shown here ({left}): '
                 f"they are all in conflicts.csv, and <code>claimgraph audit {_e(graph)}</code> lists them.</p>")  # fmt: skip
    return f"""{text}
<h2>Consensus: the best current value of each group of comparable claims</h2>
{_consensus_html(consensus)}
</main>
</body>
</html>
"""
