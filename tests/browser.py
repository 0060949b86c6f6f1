"""Shared Playwright helpers for browser tests: Debian's Chromium, headless, offline.

Use from a test module with ``pytest_plugins = ["browser"]`` (this folder is on
``sys.path`` under pytest's default import mode), then ask for the fixtures:

* ``chromium_browser`` - one headless Chromium per test session. Never downloads
  a browser: it uses ``/usr/bin/chromium`` (or ``$CLAIMGRAPH_CHROMIUM``). When that
  is missing the test is skipped, except under ``CI=true`` where it fails.
* ``open_page`` - ``open_page(path)`` loads a local file and returns a
  :class:`PageRecord`, which keeps the console errors, page errors and every
  request the page made, so a test can assert the page stayed offline.

Wait with :func:`wait_for_js`, not ``page.wait_for_function``: a page whose
Content-Security-Policy forbids ``eval`` (claimgraph's does) breaks Playwright's
in-page polling of string predicates, while ``page.evaluate`` is not affected.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("CLAIMGRAPH_CHROMIUM", "/usr/bin/chromium"))
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1400, "height": 860}
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


def wait_for_js(page: Any, expression: str, arg: Any = None, *, timeout_ms: float = 10_000, every_ms: float = 50) -> Any:
    """Poll ``page.evaluate(expression, arg)`` until it is truthy; return that value (fail after the timeout)."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        value = page.evaluate(expression, arg)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_ms:.0f} ms waiting for {expression!r} (last value {value!r})")
        page.wait_for_timeout(every_ms)


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (browser tests must run under CI=true)", pytrace=False)
    pytest.skip(reason)


def launch_options() -> dict[str, Any]:
    """Keyword arguments for ``playwright.chromium.launch``."""
    return {"executable_path": str(CHROMIUM), "headless": True, "args": list(LAUNCH_ARGS)}


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing: install Debian's chromium package to run browser tests")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - depends on the environment
        _unavailable("the playwright Python package is not installed")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(**launch_options())
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class PageRecord:
    """A page and what it did: console errors, uncaught errors, requests."""

    page: Any
    url: str = ""
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def foreign_requests(self) -> list[str]:
        """Every request other than the page's own file:// URL."""
        return [r for r in self.requests if r != self.url]

    def wait(self, expression: str, arg: Any = None, *, timeout_ms: float = 10_000) -> Any:
        return wait_for_js(self.page, expression, arg, timeout_ms=timeout_ms)

    def assert_clean(self) -> None:
        assert self.page_errors == [], self.page_errors
        assert self.console_errors == [], self.console_errors
        assert self.foreign_requests() == [], self.foreign_requests()


@pytest.fixture
def open_page(chromium_browser: Any) -> Iterator[Callable[..., PageRecord]]:
    contexts: list[Any] = []

    def _open(path: Path, *, timeout_ms: float = 30_000, wait_for: str | None = None) -> PageRecord:
        context = chromium_browser.new_context(viewport=VIEWPORT, service_workers="block")
        contexts.append(context)
        page = context.new_page()
        record = PageRecord(page=page, url=Path(path).resolve().as_uri())
        page.on("console", lambda msg: record.console_errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda err: record.page_errors.append(str(err)))
        page.on("request", lambda req: record.requests.append(req.url))
        page.goto(record.url, wait_until="load", timeout=timeout_ms)
        if wait_for:
            wait_for_js(page, wait_for, timeout_ms=timeout_ms)
        return record

    yield _open
    for context in contexts:
        context.close()
