"""Run the claimgraph command line in-process, as the CLI tests do."""

from __future__ import annotations

import pytest

from claimgraph.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Exit status, stdout and stderr of ``claimgraph ARGV`` (usage errors exit through SystemExit)."""
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err
