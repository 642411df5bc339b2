"""The hub tests: a real JupyterHub with real Unix users, driven by Chromium.

They need root (users are made for the test and removed after it), npm's
configurable-http-proxy and Debian's Python for the single-user environment. Without them
they skip with the reason, except in CI (CI=true), where that is a failure.
"""

from __future__ import annotations

import os

import pytest

from tests.browser.conftest import pytest_runtest_makereport  # noqa: F401  (screenshots)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/hub/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.hub)
            item.add_marker(pytest.mark.slow)
