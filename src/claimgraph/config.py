"""Defaults in one frozen dataclass; the CLI passes only the options the user set."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class BuildConfig:
    """Options of a build.

    >>> BuildConfig(strict=True).strict
    True
    """

    strict: bool = False  # turn corpus warnings into errors
    progress: bool = True  # show progress on long runs (stderr, only when a TTY or many files)
    progress_every: int = 50  # documents between progress lines
    jobs: int = max(1, os.cpu_count() or 1)
    aggregate_above: int = 5000  # graph.html shows one node per country and measure above this
    reviews_file: str = "reviews.tsv"  # kept beside the corpus, one verdict per line
    cache: bool = True  # reuse what unchanged documents gave last time (DIR/.cache/)
    page_claims: int = 5_000  # graph.html shows at most this many claims (the most contested first)
    shard: tuple[int, int] | None = None  # (K, N): build only shard K of N of the documents (machines extract in parallel)
    cache_from: tuple[str, ...] = ()  # output folders whose extraction caches are merged into this build's first
    store: str = ""  # also bulk-load claims.trig into this on-disk Oxigraph store folder
    audit_conflicts: int = 2_000  # audit.html gives a card to at most this many conflicts (the most severe)


DEFAULT_CONFIG = BuildConfig()
