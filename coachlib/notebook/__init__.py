"""What workbook cells call: review sessions, the summary, the team overview, and forms.

A cell should read like a sentence (``session.show_standing()``); the logic lives in the
layers below. Names are imported on first use, so a summary kernel never loads the
widgets a review form needs.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_NAMES = {
    "ReviewSession": ".session",
    "SkillsReviewSession": ".session",
    "CoacheeSummary": ".summary",
    "TeamOverview": ".overview",
    "ReflectionSession": ".reflection",
    "SkillsReflectionSession": ".skills_reflection",
    "CoachHome": ".home",
    "BlockReport": ".block",
    "SessionLog": ".session_log",
    "LadderImportForm": ".ladder_form",
}
__all__ = list(_NAMES)


def __getattr__(name: str) -> Any:
    if name in _NAMES:
        return getattr(import_module(_NAMES[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
