"""What ``workbooks/session_log.ipynb`` calls: the session-log form and the latest entries."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from IPython.display import HTML

from ..model import names
from ..model.catalogue import ATTRIBUTION
from ..model.params import parse_as_of
from ..model.session_words import KINDS, SESSION_ROLES
from ..store.sessionlog import load_catalogue, load_log, save_entry
from ..store.workspace import Workspace
from ..views import html
from .forms.session_log import SessionLogForm

RECENT = 20


class SessionLog:
    """The session log of one workspace, for the coach who keeps it."""

    def __init__(
        self,
        *,
        workspace: str | Path | None = ".",
        author: str = "",
        team: str = "",
        as_of: str | date | None = None,
    ) -> None:
        self.workspace = Workspace.open(workspace, create=True)
        self.author = (
            names.clean_name(author, "author name")
            if author.strip()
            else self.workspace.default_author() or "coach"
        )
        self.team = team
        self.as_of = parse_as_of(as_of)

    def form(self) -> SessionLogForm:
        return SessionLogForm(
            author=self.author,
            teams=list(self.workspace.teams().values()),
            coachees=list(self.workspace.coachees().values()),
            catalogue=load_catalogue(self.workspace),
            save=lambda entry: save_entry(self.workspace, entry),
            team=self.team,
        )

    def show_recent(self) -> HTML:
        """The latest sessions logged (of the team, if one is given), newest first."""
        log = load_log(self.workspace, team=self.team or None)
        rows = [
            (
                e.day.isoformat(),
                KINDS[e.kind],
                e.team,
                ", ".join(f"{p.coachee} ({SESSION_ROLES[p.role]})" for p in e.people),
                e.material or "",
            )
            for e in reversed(log.entries[-RECENT:])
        ]
        if not rows:
            return HTML(
                html.paragraph("No sessions logged yet.") + html.problems_html(log.problems)
            )
        table = html.table_html(
            f"The latest sessions ({len(log.entries)} logged in all)",
            ["Date", "Kind", "Team", "People", "Material"],
            rows,
        )
        credit = f'<p class="coach-attribution"><small>{html.esc(ATTRIBUTION)}</small></p>'
        return HTML(html.problems_html(log.problems) + table + credit)
