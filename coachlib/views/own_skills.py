"""The coachee's own skills ratings, worded to them: what a skills pack's notebook shows.

A skills pack holds the coachee's own earlier self-assessments and nothing of the coach's
(``coach share``), so these tables have one column of ratings, theirs, where the coach's
views (``html.parts_summary_html``, ``html.skills_table_html``) set coach beside self.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model.frameworks import Framework, Group
from .html import paragraph, rating_text, table_html
from .values import missing

if TYPE_CHECKING:
    import pandas as pd

PARTS_HEADERS = ("Part", "Skills", "Rated by you", "Last rated")


def own_parts_rows(framework: Framework, table: pd.DataFrame) -> list[tuple[str | int, ...]]:
    """One row per top-level group: its skills, how many you rated, the day you last did."""
    by_skill = table.set_index("skill")
    rows: list[tuple[str | int, ...]] = []
    for group in framework.groups:
        ids = [skill.id for skill in group.all_skills()]
        if not ids:
            continue
        part = by_skill.loc[ids]
        rated = int(part["self"].notna().sum() + part["self_mark"].notna().sum())
        when = part["self_when"].dropna()
        rows.append((group.label, len(ids), rated, str(when.max().date()) if len(when) else "–"))
    return rows


def own_parts_html(framework: Framework, table: pd.DataFrame) -> str:
    """Per part: how many of its skills you have rated, and when you last did."""
    return table_html(
        f"{framework.title}: your ratings per part",
        list(PARTS_HEADERS),
        own_parts_rows(framework, table),
    )


def own_part_rows(
    framework: Framework, group: Group, history: pd.DataFrame
) -> list[tuple[str, ...]]:
    """Each skill of one part: your latest rating, its day, your note, what you ticked."""
    rows = history[(history["framework"] == framework.id) & (history["role"] == "self")]
    latest = rows.drop_duplicates(subset=["skill"], keep="last").set_index("skill")
    out: list[tuple[str, ...]] = []
    for skill in group.all_skills():
        if skill.id not in latest.index:
            out.append((skill.name, "not rated yet", "", "", ""))
            continue
        row = latest.loc[skill.id]
        level = None if missing(row["level"]) else row["level"]
        ticked = row["criteria_met"] if isinstance(row["criteria_met"], (list, tuple)) else ()
        out.append(
            (
                skill.name,
                rating_text(framework, level, row["mark"]),
                str(row["when"].date()),
                row["note"] or "",
                " • ".join(ticked),
            )
        )
    return out


def own_part_html(framework: Framework, group: Group, history: pd.DataFrame) -> str:
    """Your latest self-assessment of each skill of one part, with your own words."""
    return table_html(
        f"Your latest ratings: {group.label}",
        ["Skill", "Your rating", "Day", "Your note", "Criteria you ticked"],
        own_part_rows(framework, group, history),
    )


def scale_html(framework: Framework) -> str:
    """The levels of the framework's scale (and its marks), each with what it means."""
    rows = [(f"{level.level} · {level.name}", level.description or "") for level in framework.scale]
    rows += [(mark.name, mark.description or "") for mark in framework.marks]
    if not any(meaning for _, meaning in rows):  # named only: a line, not an empty column
        names = ", ".join(name for name, _ in rows)
        return paragraph(
            f"The levels of {framework.title}: {names}. What each means for a "
            "skill is in that skill's criteria, shown in the form."
        )
    return table_html(f"The levels of {framework.title}", ["Level", "What it means"], rows)
