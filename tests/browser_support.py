"""Chromium for the tests: Debian's browser, driven by Playwright for Python.

Nothing is downloaded. Without Chromium the tests that need it skip with the reason,
except in CI (CI=true), where a missing browser is a failure.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

import pytest

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = Path(os.environ.get("COACH_CHROMIUM", "/usr/bin/chromium"))
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip
ARTIFACTS = Path(os.environ.get("COACH_TEST_ARTIFACTS", REPO / "test-artifacts"))
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"


def missing(reason: str) -> None:
    """Skip on a user's machine; fail in CI, where the browser must be there."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true and {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        missing(f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("Playwright for Python is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=FLAGS
        )
        yield browser
        browser.close()


LOCAL = {"127.0.0.1", "localhost"}


def offline_context(browser, **options) -> tuple:
    """A browser context that lets through only this machine (and data:/blob: URLs); every
    other request is aborted and its URL kept in the returned list, so a test can assert
    that a page works offline: ``context, outside = offline_context(browser)``."""
    context = browser.new_context(**options)
    outside: list[str] = []

    def only_this_machine(route) -> None:
        host = urlparse(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host in LOCAL:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_this_machine)
    return context, outside
