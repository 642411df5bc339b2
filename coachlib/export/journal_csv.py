"""The whole journal as CSV, for a spreadsheet (``coach export --csv``).

UTF-8 with a byte-order mark (so spreadsheets read it as UTF-8), one row per assessed skill
per save, every multi-line text quoted, and any cell a spreadsheet would run as a formula
defused (OWASP: a leading apostrophe). Files that cannot be read are left out and reported.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ..store.workspace import Workspace
from ..views.history import load_history
from .output import output_target, save_output

CSV_COLUMNS = [
    "coachee",
    "framework",
    "skill",
    "skill_name",
    "level",
    "level_name",
    "mark",
    "role",
    "author",
    "date",
    "when",
    "evidence",
    "reflection",
    "next_steps",
    "note",
    "criteria_met",
    "part",
    "record_id",
]
TEXT_COLUMNS = ["coachee", "author", "evidence", "reflection", "next_steps", "note", "criteria_met"]
_FORMULA_START = ("=", "+", "@", "\t", "\r", "-=", "-+", "-@")


def defuse_formula(text: object) -> object:
    """A text a spreadsheet would run as a formula gets a leading apostrophe (OWASP)."""
    if isinstance(text, str) and (text.startswith(_FORMULA_START) or _looks_negative_formula(text)):
        return "'" + text
    return text


def _looks_negative_formula(text: str) -> bool:
    return len(text) > 1 and text[0] == "-" and (text[1].isdigit() or text[1] == "(")


def history_csv(workspace: Workspace, problems: list | None = None) -> str:
    """The whole journal, one row per assessed skill per save, as CSV text.

    Files that cannot be read are left out and appended to ``problems`` (when given).
    """
    history = load_history(workspace)
    if problems is not None:
        problems.extend(history.problems)
    frame = history.frame
    out = frame.assign(
        date=frame["when"].dt.date.astype(str),
        when=frame["when"].map(lambda ts: ts.isoformat()),
        criteria_met=frame["criteria_met"].map(lambda items: "; ".join(items)),
    )[CSV_COLUMNS]
    for column in TEXT_COLUMNS:
        out[column] = out[column].map(defuse_formula)
    return out.to_csv(index=False, lineterminator="\r\n")


def export_csv(
    workspace: Workspace, output: str | Path | None = None, problems: list | None = None
) -> Path:
    """Write the journal as CSV: UTF-8 with a byte-order mark (so spreadsheets read it as
    UTF-8), every multi-line text quoted. Unreadable files go to ``problems``."""
    target = output_target(output, workspace.reports_dir / f"journal-{date.today()}.csv")
    data = "\ufeff" + history_csv(workspace, problems)
    return save_output(workspace, data, target)
