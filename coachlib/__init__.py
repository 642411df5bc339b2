"""coachlib: JupyterLab as a coaching workbook.

The package is layered (see ``docs/architecture.md``; ``lint-imports`` checks it):
``model`` (frameworks, the review record, rules) < ``store`` (workspace, journal) <
``views`` (pandas, plots, HTML) < ``export`` (papermill, nbconvert) < ``notebook`` (what
workbook cells call, forms) < ``cli`` (the ``coach`` command).

The names below are the public surface; each is imported on first use, so ``import
coachlib`` and ``coach --help`` stay fast.
"""

from __future__ import annotations

from importlib import import_module

__version__ = "0.1.0"

_PUBLIC = {
    "CoachError": "coachlib.model.errors",
    "Diagnostic": "coachlib.model.errors",
    "Framework": "coachlib.model.frameworks",
    "Review": "coachlib.model.review",
    "Assessment": "coachlib.model.review",
    "new_review": "coachlib.model.review",
    "Workspace": "coachlib.store.workspace",
    "registry_for": "coachlib.store.frameworks",
    "load_framework_file": "coachlib.store.frameworks",
    "load_journal": "coachlib.store.journal",
    "save_review": "coachlib.store.journal",
    "load_history": "coachlib.views.history",
    "new_session_notebook": "coachlib.export.new",
    "export_summary": "coachlib.export.summaries",
    "export_team": "coachlib.export.summaries",
    "export_all": "coachlib.export.pool",
    "export_csv": "coachlib.export.journal_csv",
    "ReviewSession": "coachlib.notebook.session",
    "SkillsReviewSession": "coachlib.notebook.session",
    "CoacheeSummary": "coachlib.notebook.summary",
    "TeamOverview": "coachlib.notebook.overview",
}
__all__ = ["__version__", *_PUBLIC]


def __getattr__(name: str) -> object:
    if name in _PUBLIC:
        return getattr(import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module 'coachlib' has no attribute {name!r}")
