"""What cells show: charts with their text alternative, and the charts of a skills part.

Shared by the review sessions and the summary, so a chart looks (and reads) the same in a
review notebook, in the exported summary and in a coachee's pack.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from IPython.display import HTML, display

from ..model.frameworks import Framework
from ..model.rules import REVIEWER_ROLES
from ..views import html, plots

if TYPE_CHECKING:  # the skills charts take DataFrames; a milestone review needs no pandas
    import pandas as pd

RADAR_MAX_SKILLS = 30  # more spokes than this and the labels cannot stay readable


def show_chart(figure, description: str, *, details: str | None = None) -> None:
    """A chart with its text alternative (see ``views.html.figure_html``)."""
    display(HTML(html.figure_html(plots.to_png(figure), description, details=details)))


def show_part_charts(
    framework: Framework,
    table: pd.DataFrame,
    part: str,
    *,
    coachee: str,
    radar: bool = True,
    bars: bool = True,
) -> None:
    """The radar (up to 30 skills) and the bars of one part, each with its values as text."""
    group = framework.group(part)
    ids = [skill.id for skill in group.all_skills()]
    rows = table.set_index("skill").loc[ids]
    names = list(rows["skill_name"])
    coach, own = list(rows["coach"]), list(rows["self"])
    description = plots.describe_levels(framework, names, coach, own)
    title = f"{coachee}: {group.label}"
    if radar and 3 <= len(ids) <= RADAR_MAX_SKILLS:
        show_chart(plots.radar_chart(framework, names, coach, own, title=title), description)
    elif radar and len(ids) > RADAR_MAX_SKILLS:
        display(
            HTML(
                html.paragraph(
                    f"{group.label} has {len(ids)} skills: the radar chart is drawn for parts of "
                    f"up to {RADAR_MAX_SKILLS} skills (pick a skill set to see one)."
                )
            )
        )
    if bars:
        marks = (list(rows["coach_mark"]), list(rows["self_mark"]))
        figure = plots.level_bars(framework, names, coach, own, title=title, marks=marks)
        show_chart(figure, description)


def show_framework_radar(framework: Framework, table: pd.DataFrame, *, coachee: str) -> None:
    """One radar across every skill of a framework, coach and self overlaid."""
    names = list(table["skill_name"])
    coach, own = list(table["coach"]), list(table["self"])
    figure = plots.radar_chart(framework, names, coach, own, title=f"{coachee}: {framework.title}")
    show_chart(figure, plots.describe_levels(framework, names, coach, own))


def show_readiness(framework: Framework, table: pd.DataFrame, *, coachee: str) -> None:
    top = framework.level(framework.max_level).name
    from ..views.history import skill_rows
    from ..views.ratings import tier_readiness

    rows = skill_rows(table)
    readiness = {role: tier_readiness(framework, rows, role=role) for role in REVIEWER_ROLES}
    figure = plots.readiness_chart(readiness, title=f"{coachee}: tier readiness", top_name=top)
    show_chart(figure, plots.describe_readiness(readiness, top))
