"""Shared fixtures: the seed corpus from ../shared (skipped in a user's clone, required under CI=true)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "corpus" / "seeds"


def require_seeds() -> Path:
    """The seed corpus folder; skip (or fail under CI=true) when ../shared is absent."""
    if SEEDS.is_dir():
        return SEEDS
    if os.environ.get("CI") == "true":
        pytest.fail(f"../shared/corpus/seeds is missing at {SEEDS}; CI must have it")
    pytest.skip("../shared/corpus/seeds is not beside this clone (a user's clone): seed tests skipped")


@pytest.fixture(scope="session")
def seeds() -> Path:
    return require_seeds()


@pytest.fixture(scope="session")
def seeds_build(tmp_path_factory: pytest.TempPathFactory, seeds: Path):
    from claimgraph.build import build
    from claimgraph.config import BuildConfig

    out = tmp_path_factory.mktemp("seeds")
    return build([seeds], out, BuildConfig(progress=False))


@pytest.fixture(scope="session")
def example_build(tmp_path_factory: pytest.TempPathFactory):
    from claimgraph.build import build
    from claimgraph.config import BuildConfig

    out = tmp_path_factory.mktemp("example")
    return build(None, out, BuildConfig(progress=False))
