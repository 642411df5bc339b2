"""Workbook templates, filled in and run: what ``coach new``, the home and team notebooks
and a coachee's reflection pack start from (a page is never made by running one).

A template is read from the package's ``workbooks/``, its parameters are injected after the
cell tagged ``parameters`` (as papermill does), and its cells are run in this process
(``export.runner``). A failing cell raises :class:`CellFailed` with the notebook up to the
error, so the caller can keep it where a person can find it, and say where.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..model.errors import ExportError
from ..model.resources import workbooks_dir
from . import runner
from .runner import CellFailed

MILESTONE_REVIEW = "milestone_review.ipynb"
SKILLS_REVIEW = "skills_review.ipynb"
SUMMARY = "summary.ipynb"
TEAM_OVERVIEW = "team_overview.ipynb"
REFLECTION = "reflection.ipynb"
SKILLS_REFLECTION = "skills_reflection.ipynb"  # a skills pack's reflection.ipynb
HOME = "home.ipynb"
BLOCK_REPORT = "block_report.ipynb"
SESSION_LOG = "session_log.ipynb"
IMPORT_LADDER = "import_ladder.ipynb"
__all__ = ["CellFailed", "prepare", "run_template", "template_path"]


def template_path(name: str) -> Path:
    path = workbooks_dir() / name
    if not path.is_file():
        raise ExportError("workbook template missing from the installation", file=path)
    return path


def prepare(name: str, parameters: dict[str, object]) -> Any:
    """The template ``name`` with ``parameters`` injected, not run."""
    import nbformat

    notebook = nbformat.read(template_path(name), as_version=4)
    return runner.inject_parameters(notebook, parameters)


def run_template(name: str, parameters: dict[str, object], *, cwd: Path | None = None) -> Any:
    """The template ``name`` with ``parameters`` injected and every cell run (in ``cwd``)."""
    return runner.execute(prepare(name, parameters), cwd=cwd)
