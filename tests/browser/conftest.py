"""Real JupyterLab in real Chromium: a server per test session, a browser context per test.

Chromium is Debian's (/usr/bin/chromium; $COACH_CHROMIUM overrides), driven by Playwright
for Python; nothing is downloaded. Without Chromium the tests skip with the reason, except
in CI (CI=true), where a missing browser is a failure. When a test fails, a screenshot and
the JupyterLab log are saved under test-artifacts/ (or $COACH_TEST_ARTIFACTS).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator

import pytest

from tests.browser_support import ARTIFACTS
from tests.lab_server import Lab, free_port, running_lab

__all__ = ["free_port"]  # tests import it from here


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def lab(tmp_path_factory, browser) -> Iterator[Lab]:
    from coachlib.demo.workspace import build_demo_journal

    root = tmp_path_factory.mktemp("lab")
    build_demo_journal(root / "coaching")
    try:
        with running_lab(root) as server:
            yield server
    except RuntimeError as exc:
        pytest.fail(str(exc))


@pytest.fixture
def page(browser, lab, request):
    context = browser.new_context(viewport={"width": 1300, "height": 1800})
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        folder.mkdir(parents=True, exist_ok=True)
        try:
            page.screenshot(path=str(folder / "screenshot.png"), full_page=True)
        except Exception as exc:  # the original failure matters more than this one
            (folder / "screenshot-error.txt").write_text(str(exc))
        shutil.copy(lab.log, folder / "jupyterlab.log")
        print(f"\nbrowser test artifacts: {folder}")
    context.close()
