"""The audit report: `claimgraph audit` in the terminal, audit.html in a real Chromium, consensus table."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from claimgraph.audit import audit_view, render_audit_html, render_audit_text
from claimgraph.build import build
from claimgraph.config import BuildConfig
from claimgraph.store import load_store
from claimgraph.tables import CONSENSUS_COLUMNS
from clirun import run

pytest_plugins = ["browser"]

QUIET = BuildConfig(progress=False)
HOSTILE = "<img src=x onerror=\"document.title='pwned'\"></script><script>document.title='pwned'</script>"



@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two documents that disagree, whose title, publisher and text carry HTML and script."""
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "one.md").write_text(
        f"---\ntitle: Report {HOSTILE}\npublisher: Watch <b>Group</b>\ndate: 2017-06-01\nurl: javascript:alert(1)\n---\n"
        f"By June 2017, 310 Belgians had returned from Syria, the report said. {HOSTILE}\n",
        encoding="utf-8",
    )
    (folder / "two.md").write_text(
        "---\ntitle: Second count\npublisher: Courier\ndate: 2017-06-20\nurl: https://example.org/two\n---\n"
        f"Officials said 120 Belgians had returned from Syria. {HOSTILE}\n",
        encoding="utf-8",
    )
    out = tmp_path_factory.mktemp("hostile-out")
    build([folder], out, QUIET)
    return out


def test_audit_text_shows_both_figures_quotes_sources_dates_and_how_to_review(example_build, capsys) -> None:
    code, text, _ = run(capsys, "audit", str(example_build.out))
    assert code == 0
    conflicts = list(csv.DictReader(io.StringIO((example_build.out / "conflicts.csv").read_text(encoding="utf-8"))))
    assert text.splitlines()[0].startswith(f"{len(conflicts)} conflicts")
    seven_twelve = next(c for c in conflicts if "7 (" in c["reason"] and "12 (" in c["reason"] and c["kind"] == "value_mismatch")
    block = text.partition(seven_twelve["conflict"].rsplit("/", 1)[1])[2].split("\n\n")[0]
    assert "«7»" in block or "«seven»" in block.lower()
    assert ("«12»" in block or "«twelve»" in block.lower()) and "Soufan Center" in block and "George Washington University" in block
    assert "as of 2018-02" in block and "why:" in block
    severities = [float(line[1:5]) for line in text.splitlines() if line.startswith("[")]
    assert severities == sorted(severities, reverse=True) and len(severities) == len(conflicts)


def test_audit_filters(example_build, capsys) -> None:
    code, text, _ = run(capsys, "audit", str(example_build.out), "--kind", "temporal_inconsistency")
    assert code == 0
    kinds = {line.split()[1] for line in text.splitlines() if line.startswith("[")}
    assert kinds <= {"temporal_inconsistency"}
    assert run(capsys, "audit", str(example_build.out), "--kind", "nonsense")[0] == 2


def test_consensus_command_prints_one_row_per_group(example_build, capsys) -> None:
    code, text, _ = run(capsys, "consensus", str(example_build.out), "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == CONSENSUS_COLUMNS
    groups = {(r["measure"], r["population"], r["country"], r["region"]) for r in rows}
    assert len(groups) == len(rows) == len(example_build.reconciliation.consensus)
    claims = {r["claim"]: r for r in csv.DictReader(io.StringIO((example_build.out / "claims.csv").read_text(encoding="utf-8")))}
    for row in rows:
        assert claims[row["claim"]]["rank"] == "preferred" and row["reason"]
        assert int(row["claims"]) >= 1
    us_returned = next(r for r in rows if (r["measure"], r["country"]) == ("returned", "US"))
    assert int(us_returned["claims"]) >= 3 and ("most recent" in us_returned["reason"] or "reviewer's choice" in us_returned["reason"])


def test_audit_html_is_static_escaped_and_offline(hostile_build: Path) -> None:
    page = (hostile_build / "audit.html").read_text(encoding="utf-8")
    assert "<script" not in page.lower().replace("&lt;script", "")
    assert "javascript:" not in page.replace("javascript:alert(1)", "") or 'href="javascript:' not in page
    assert 'href="javascript:' not in page and 'href="https://example.org/two"' in page
    assert "Content-Security-Policy" in page


@pytest.mark.browser
def test_audit_page_in_chromium(example_build, open_page) -> None:
    record = open_page(example_build.out / "audit.html")
    record.assert_clean()
    page = record.page
    conflicts = list(csv.DictReader(io.StringIO((example_build.out / "conflicts.csv").read_text(encoding="utf-8"))))
    assert page.locator("section.conflict").count() == len(conflicts)
    first = page.locator("section.conflict").first
    assert first.locator(".claim").count() == 2 and first.locator("mark").count() == 2
    assert first.locator(".reason").inner_text().startswith("Why:")
    assert page.locator("table tbody tr").count() == len(example_build.reconciliation.consensus)
    page.screenshot(path=str(_artifact("audit.png")), full_page=False)


@pytest.mark.browser
def test_hostile_text_stays_text_in_the_audit_page(hostile_build: Path, open_page) -> None:
    record = open_page(hostile_build / "audit.html")
    record.assert_clean()
    page = record.page
    assert page.title() != "pwned" and page.evaluate("document.title") != "pwned"
    assert page.locator("img").count() == 0 and page.locator("main script, body script").count() == 0
    body = page.locator("main").inner_text()
    assert "<img src=x onerror=" in body and "</script><script>" in body
    assert page.locator("a[href^='javascript']").count() == 0


def test_render_functions_work_on_an_empty_graph(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "a.md").write_text("---\ntitle: Nothing\ndate: 2020\n---\nNo figures here.\n", encoding="utf-8")
    build([folder], tmp_path / "out", QUIET)
    view = audit_view(load_store(tmp_path / "out"))
    assert view.entries == [] and render_audit_text(view).startswith("0 conflicts")
    assert "No conflicts" in render_audit_html(view)


def _artifact(name: str) -> Path:
    from browser import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / name


def test_a_capped_audit_page_counts_every_conflict_it_leaves_out(tmp_path: Path) -> None:
    """Above ``audit_conflicts``, the page counts the rest per kind and per verdict (reviewed ones included)."""
    import csv
    import re
    from collections import Counter

    from claimgraph.build import build
    from claimgraph.config import BuildConfig
    from claimgraph.reviews import Review, append_review
    from claimgraph.synthetic import write_corpus

    corpus, out = tmp_path / "corpus", tmp_path / "out"
    write_corpus(corpus, 200, seed=5, conflict_rate=0.6)
    config = BuildConfig(progress=False, jobs=1, audit_conflicts=10)
    build([corpus], out, config)
    rows = list(csv.DictReader((out / "conflicts.csv").open(encoding="utf-8")))
    assert len(rows) > 40
    for row, verdict in zip(rows[20:23], ("confirmed", "dismissed", "confirmed"), strict=True):  # three left out of the page
        append_review(corpus / "reviews.tsv", Review(row["conflict"].rsplit("/", 1)[1], verdict, "Ana", "2026-11-30T10:00:00Z"))
    build([corpus], out, config)
    rows = list(csv.DictReader((out / "conflicts.csv").open(encoding="utf-8")))
    page = (out / "audit.html").read_text(encoding="utf-8")

    def spans(counts: Counter) -> str:
        return " ".join(f"<span>{n:,} {k}</span>" for k, n in sorted(counts.items()))

    assert f"<strong>{len(rows):,} conflicts</strong> {spans(Counter(r['kind'] for r in rows))}" in page
    assert spans(Counter(r["verdict"] or "unreviewed" for r in rows)) in page
    assert Counter(r["verdict"] for r in rows[10:]) == {"": len(rows) - 13, "confirmed": 2, "dismissed": 1}
    left = ", ".join(f"{n:,} {k}" for k, n in sorted(Counter(r["kind"] for r in rows[10:]).items()))
    assert re.search(rf"{len(rows) - 10:,} less severe conflicts are not shown here \({re.escape(left)}\)", page)
