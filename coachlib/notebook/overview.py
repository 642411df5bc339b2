"""The team overview in a notebook (``workbooks/team_overview.ipynb``).

The content is a Page value built by ``views.team_page`` (which checks the parameters,
once); this module only displays it, with the markup ``coach team`` writes to a file. Levels
and dates only, never anyone's evidence or reflections, unless the team agreed.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from IPython.display import HTML

from ..model.errors import CoachError
from ..views.team_page import TeamBuilder, team_request
from .summary import ShownPage


class TeamOverview(ShownPage):
    """A coach's team at a glance, for one framework or every framework with reviews.

    A wrong parameter is kept in ``error`` (before anything is loaded) and shown as one
    line, as the command says it."""

    refused = "No team overview"

    def __init__(
        self,
        *,
        workspace: str | Path | None = None,
        framework: str = "",
        as_of: str | date | None = None,
        cadence_days: int = 90,
        include_reflections: bool = False,
        coachees: list[str] | str | tuple[str, ...] = (),
    ) -> None:
        self.coachees: list[str] = []
        try:
            request = team_request(
                workspace or None,
                framework=framework,
                as_of=as_of or None,
                cadence_days=cadence_days,
                include_reflections=include_reflections,
                coachees=coachees,
            )
            self.builder = TeamBuilder(request)
            self.coachees = self.builder.coachees
            self.page = self.builder.page()
        except CoachError as exc:
            self.error = exc

    # Team notebooks made before the page was one value (the home notebook's Team overview
    # action saves one in workbooks/team/) call a cell per part: the first shows the whole
    # page, the others have nothing left to show.
    def show_title(self) -> HTML:
        return self.show()

    def _shown_above(self) -> None:
        return None

    show_heatmap = show_movers = show_gaps = show_overdue = _shown_above
    show_job_roles = show_sessions = show_distribution = show_reflections = _shown_above
