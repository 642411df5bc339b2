"""The import contracts between layers are live: lint-imports passes on the package as it
is, and fails on a copy with a wrong-way import (at the top or inside a function), a circle,
a forbidden library, or a new package that is no layer; an import only for the type
checker (under ``if TYPE_CHECKING:``) is allowed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is not installed"),
]


def lint_copy(tmp_path: Path, file: str = "", line: str = "") -> subprocess.CompletedProcess:
    """lint-imports on a copy of the package, with ``line`` added to ``file`` (made if it
    does not exist)."""
    source = tmp_path / "src"
    shutil.copytree(REPO / "coachlib", source / "coachlib",
                    ignore=shutil.ignore_patterns("__pycache__", "_data"))  # fmt: skip
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    if file:
        target = source / "coachlib" / file
        target.parent.mkdir(parents=True, exist_ok=True)
        before = target.read_text(encoding="utf-8") if target.exists() else ""
        target.write_text(before + f"\n{line}\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(source)}
    return subprocess.run(
        [str(LINT_IMPORTS), str(tmp_path / "pyproject.toml"), "--no-cache"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_the_package_keeps_every_contract(tmp_path):
    result = lint_copy(tmp_path)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("file", "line", "contract"),
    [
        # the store reading a view: a wrong-way import
        ("store/journal.py", "from ..views import history  # noqa", "Layers import one way"),
        # the same, lazily: an import inside a function counts
        ("store/journal.py", "def _later():\n    from ..views import history  # noqa",
         "Layers import one way"),
        # an export starting a server, a server reaching up into the notebook
        ("export/share.py", "from ..serve import together  # noqa", "Layers import one way"),
        ("serve/live.py", "from ..notebook import home  # noqa", "Layers import one way"),
        # a new package that is not among the layers: it must be given its place
        ("reports/__init__.py", "", "Layers import one way"),
        # the circle of the old layout: workspace -> journal -> workspace
        ("store/workspace.py", "from . import journal  # noqa", "No import circles"),
        # the old report <-> session circle, now an export importing a notebook module
        ("export/summaries.py", "from ..notebook import session  # noqa",
         "Layers import one way"),
        ("model/rules.py", "import pandas  # noqa", "The model never imports"),
        ("views/plots.py", "from ..store import journal  # noqa", "Plots never read"),
        ("store/doctor.py", "import ipywidgets  # noqa", "The store never imports"),
        # the page renderer running a notebook to make a page, as the export once did
        ("export/render.py", "from . import workbooks  # noqa", "A hand-over page is rendered"),
        # an export showing a widget or calling IPython's display
        ("export/journal_csv.py", "import ipywidgets  # noqa", "Exports never display"),
        ("export/pool.py", "from IPython.display import display  # noqa",
         "Exports never display"),
    ],
)  # fmt: skip
def test_a_broken_rule_fails_the_check(tmp_path, file, line, contract):
    result = lint_copy(tmp_path, file, line)
    assert result.returncode != 0, result.stdout[-3000:]
    broken = result.stdout.partition("Broken contracts")[2]
    assert contract in broken, result.stdout[-3000:]


def test_an_import_for_the_type_checker_only_is_allowed(tmp_path):
    """A store module may name a view's type in an annotation (``if TYPE_CHECKING:``): it
    never runs, so it is not a wrong-way import, and the annotation need not be ``Any``."""
    line = "if TYPE_CHECKING:\n    from ..views.history import History  # noqa"
    result = lint_copy(tmp_path, "store/journal.py", line)
    assert result.returncode == 0, result.stdout[-3000:]
