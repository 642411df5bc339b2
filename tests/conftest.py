"""Shared fixtures: real workspaces in temporary folders, built from the real frameworks."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from coachlib.demo.workspace import build_demo_journal
from coachlib.model.frameworks import Registry
from coachlib.store.frameworks import registry_for
from coachlib.store.workspace import Workspace
from tests.browser_support import browser  # noqa: F401 - a fixture for every test module
from tests.golden.cases import GOLDEN_DAY, GOLDEN_SEED

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True, scope="session")
def _isolated_env(tmp_path_factory: pytest.TempPathFactory):
    """Keep COACH_WORKSPACE of the person running the tests out of the tests."""
    os.environ.pop("COACH_WORKSPACE", None)
    os.environ.setdefault("MPLCONFIGDIR", str(tmp_path_factory.mktemp("mplconfig")))
    # The level index goes to the user's cache folder: keep the tests' out of the real one.
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
    yield


@pytest.fixture
def registry() -> Registry:
    return registry_for(None)


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    (tmp_path / "ws").mkdir()
    return Workspace.open(tmp_path / "ws")


@pytest.fixture(scope="session")
def demo_journal_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo") / "ws"
    build_demo_journal(root, today=GOLDEN_DAY, seed=GOLDEN_SEED)
    return root


@pytest.fixture
def demo_workspace(demo_journal_master: Path, tmp_path: Path) -> Workspace:
    """A fresh copy of the deterministic demo journal (tests may write to it)."""
    root = tmp_path / "demo"
    shutil.copytree(demo_journal_master, root)
    return Workspace(root)
