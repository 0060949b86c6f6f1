"""The notebooks in notebooks/ run top to bottom on this venv's kernel, show what they promise, and touch no repo file.

Each notebook is executed once (module fixture) with nbclient. The kernel is
ipykernel's "python3" looked up only in this interpreter's prefix
(``sys.prefix/share/jupyter/kernels``, where pip puts it, with ipykernel's own
spec as the fallback), so a user-level or system kernelspec can never swap in
another Python. The kernel runs in a temporary folder with TMPDIR pointing
there too, so whatever a notebook writes lands under pytest's tmp_path.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from traitlets import default

from claimgraph import BuildConfig, build, canned_queries, claims_table, conflicts_table, example_corpus, load_store

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "notebooks"
KERNEL_NAME = "python3"
VENV_KERNELS = Path(sys.prefix) / "share" / "jupyter" / "kernels"
CELL_TIMEOUT = 120  # seconds per cell
PROBE = "import sys, tempfile; print(sys.prefix); print(sys.executable); print(tempfile.gettempdir())"


class VenvKernelManager(AsyncKernelManager):
    """A kernel manager that finds kernelspecs only inside this interpreter's prefix."""

    @default("kernel_spec_manager")
    def _venv_kernel_specs(self) -> KernelSpecManager:
        return KernelSpecManager(kernel_dirs=[str(VENV_KERNELS)])


def tree_hashes(*folders: Path) -> dict[str, str]:
    """SHA-256 of every file under FOLDERS, by path (new, removed and changed files all show)."""
    hashes = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                hashes[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


def execute(name: str, workdir: Path) -> nbformat.NotebookNode:
    """Run notebooks/NAME in WORKDIR (also its TMPDIR) with a probe cell first; raises on the first failing cell."""
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(PROBE))
    client = NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        kernel_name=KERNEL_NAME,
        kernel_manager_class=VenvKernelManager,
        resources={"metadata": {"path": str(workdir)}},
    )
    client.execute(env={**os.environ, "TMPDIR": str(workdir), "CLAIMGRAPH_REVIEWER": "pytest"})
    return nb


def outputs(nb: nbformat.NotebookNode, skip_probe: bool = True) -> list[str]:
    """Every output of every code cell as text: stream text, text/html (preferred) or text/plain.

    Consecutive stream outputs are joined: the kernel may split one print into several messages under load.
    """
    texts: list[str] = []
    for cell in nb.cells[1 if skip_probe else 0 :]:
        if cell.cell_type != "code":
            continue
        previous = None
        for out in cell.get("outputs", []):
            if out.output_type == "stream" and previous == "stream":
                texts[-1] += out.text
            elif out.output_type == "stream":
                texts.append(out.text)
            elif "data" in out:
                texts.append(out.data.get("text/html") or out.data.get("text/plain", ""))
            previous = out.output_type
    return texts


def errors(nb: nbformat.NotebookNode) -> list[str]:
    return [
        f"{o.ename}: {o.evalue}"
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.output_type == "error"
    ]


def inline_pages(texts: list[str]) -> list[str]:
    """The HTML pages shown inline as <iframe srcdoc="...">, unescaped."""
    return [html.unescape(m) for text in texts for m in re.findall(r'<iframe srcdoc="([^"]*)"', text)]


def page_data(page: str) -> dict:
    """The JSON data block of a graph.html page."""
    match = re.search(r'<script type="application/json" id="cg-data">(.*?)</script>', page, re.S)
    assert match, "no cg-data block in the inline graph page"
    return json.loads(match.group(1))


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Both notebooks executed once, the repo folders they must not touch hashed before and after, the expected figures."""
    guarded = sorted({REPO / "graph", REPO / "src" / "claimgraph" / "data" / "example", example_corpus()})
    before = tree_hashes(*guarded)
    explore_dir, audit_dir = tmp_path_factory.mktemp("explore-nb"), tmp_path_factory.mktemp("audit-nb")
    explore, audit = execute("explore.ipynb", explore_dir), execute("audit.ipynb", audit_dir)
    after = tree_hashes(*guarded)

    expected = tmp_path_factory.mktemp("expected")
    build(None, expected / "graph", BuildConfig(progress=False), reviews=expected / "reviews.tsv")
    store = load_store(expected / "graph")
    claims = claims_table(store)
    return {
        "explore": explore, "audit": audit, "dirs": (explore_dir, audit_dir), "before": before, "after": after,
        "claims": len(claims), "us_claims": sum("US" in c["country"].split("+") for c in claims),
        "conflicts": len(conflicts_table(store)),
    }  # fmt: skip


def test_kernelspec_is_in_this_venv() -> None:
    spec = VenvKernelManager(kernel_name=KERNEL_NAME).kernel_spec
    # "python" in argv[0] is replaced by sys.executable when the kernel starts (jupyter_client)
    assert spec.argv[0] in ("python", "python3", sys.executable), spec.argv
    assert "ipykernel_launcher" in spec.argv


@pytest.mark.parametrize("name", ["explore", "audit"])
def test_notebook_ran_on_this_venv_without_errors(run: dict, name: str) -> None:
    nb = run[name]
    assert errors(nb) == []
    prefix, executable, tmpdir = nb.cells[0].outputs[0].text.split("\n")[:3]
    assert (prefix, executable) == (sys.prefix, sys.executable), "the kernel is not this venv's Python"
    assert tmpdir == str(run["dirs"][name == "audit"]), "the kernel did not get its own TMPDIR"


def test_explore_shows_tables_queries_and_graphs(run: dict) -> None:
    texts = outputs(run["explore"])
    joined = "\n".join(texts)
    assert f"<b>claims ({run['claims']} rows)</b>" in joined
    assert f"<b>claims about the United States ({run['us_claims']} rows)</b>" in joined
    assert f"United States: {run['us_claims']} claims" in joined
    for name in canned_queries():
        assert f"<td style='text-align:left'>{name}</td>" in joined
    assert f"<b>conflicts-with-sources ({run['conflicts']} rows)</b>" in joined
    full, us_only = inline_pages(texts)
    assert len(page_data(full)["claims"]) == run["claims"]
    assert len(page_data(us_only)["claims"]) == run["us_claims"]
    assert page_data(us_only)["title"] == "claimgraph: United States"


def test_audit_records_a_verdict_that_survives_a_rebuild(run: dict) -> None:
    texts = outputs(run["audit"])
    joined = "\n".join(texts)
    first_audit = next(t for t in texts if "verdicts:" in t)
    assert first_audit.startswith(f"{run['conflicts']} conflicts") and f"verdicts: {run['conflicts']} unreviewed" in first_audit
    assert f"<b>conflicts, most severe first ({run['conflicts']} rows)</b>" in joined
    assert "<b>consensus (" in joined
    assert re.search(r"\n[0-9a-f]{16}\tconfirmed\t[ab]\tnotebook reviewer\t", joined), "no verdict line in the reviews file"
    rebuilt = next(t for t in texts if "the conflict after the verdict (1 rows)" in t)
    assert "<td style='text-align:left'>confirmed</td>" in rebuilt and "notebook reviewer" in rebuilt
    assert "GWU claim  (12): preferred" in joined and "WaPo claim  (7): deprecated" in joined
    assert "reviewer's choice (notebook reviewer" in joined
    assert "verdicts: 1 confirmed" in joined
    assert "verdict after rebuild: confirmed by notebook reviewer" in joined
    assert "ranks after rebuild: GWU preferred / WaPo deprecated" in joined


def test_notebooks_leave_the_repo_and_their_temp_folders_alone(run: dict) -> None:
    assert run["after"] == run["before"], "a notebook changed graph/ or the bundled example corpus"
    for workdir in run["dirs"]:
        assert not list(workdir.glob("claimgraph-*")), f"a notebook left its temporary folder in {workdir}"


@pytest.mark.parametrize("name", ["explore.ipynb", "audit.ipynb"])
def test_notebooks_are_committed_without_outputs(name: str) -> None:
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == KERNEL_NAME
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.outputs == [] and c.execution_count is None for c in code), "clear the outputs before committing"
    assert sum(c.cell_type == "markdown" for c in nb.cells) >= len(code) // 2, "explain the steps in markdown cells"
    assert not re.search(r"from claimgraph\.|import claimgraph\.", "\n".join(c.source for c in code)), "public API only"
