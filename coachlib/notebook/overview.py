"""The team overview shown by ``workbooks/team_overview.ipynb`` (and ``coach team``).

Levels, movements, gaps, overdue reviews, job roles and the distribution over levels, for
every coachee of a workspace, per framework. It shows levels and dates only, never
anyone's evidence or reflections: a team page is seen by more people than a coachee's own
summary.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
from IPython.display import HTML, display

from ..model.params import check_cadence, coachee_names, parse_as_of
from ..store.frameworks import catalog_for
from ..store.journal import load_journal
from ..store.sessionlog import load_log_light
from ..store.workspace import Workspace
from ..views import evidence, plots, team
from ..views import history as analysis
from ..views import html as render
from ..views import standing as one_track
from .display import show_chart

HEATMAP_ROWS = 30  # coachees in a heat map: readable up to 30 coachees x 30 skills
TABLE_ROWS = 50  # rows of a list (movers, gaps, overdue) before "and N more"


class TeamOverview:
    """A coach's team at a glance, for one framework or every framework with reviews."""

    def __init__(
        self,
        *,
        workspace: str | Path | None = None,
        framework: str = "",
        as_of: str | date | None = None,
        cadence_days: int = 90,
        include_reflections: bool = False,
        coachees: list[str] | str = (),
    ) -> None:
        cadence_days = check_cadence(cadence_days)
        self.workspace = Workspace.open(workspace)
        self.catalog = catalog_for(self.workspace.root)
        self.as_of = parse_as_of(as_of)
        self.cadence_days = int(cadence_days)
        self.include_reflections = bool(include_reflections)
        # Levels and dates come from the level index (no texts are read at all); texts only
        # when a team agreed to share them.
        history = analysis.load_levels(self.workspace, catalog=self.catalog)
        self.problems = history.problems
        frame = history.frame
        self.history = frame[frame["when"] < team.end_of(self.as_of)] if not frame.empty else frame
        known = self.workspace.coachees()
        everyone = sorted(known.values(), key=str.casefold)
        chosen = self.workspace.require_coachees(coachee_names(coachees), known=known)
        self.coachees = chosen or everyone
        self._latest_cache: dict[str, pd.DataFrame] = {}
        if chosen:
            self.history = self.history[self.history["coachee"].isin(chosen)]
        if framework:
            self.frameworks = [self.catalog.get(framework)]
        else:
            used = set(self.history["framework"].unique())  # not a Python loop of every rating
            self.frameworks = [f for f in self.catalog if f.id in used]

    # -- cells ---------------------------------------------------------------------------

    def show_title(self) -> HTML:
        names = ", ".join(f.title for f in self.frameworks) or "no reviews yet"
        return HTML(
            f'<header class="{render.NO_MATH}"><h1>Team overview</h1>'
            f"<p>{len(self.coachees)} coachee(s) · {render.esc(names)} · as of "
            f"{self.as_of.isoformat()} · review cadence {self.cadence_days} days</p>"
            + (
                "<p class='coach-privacy'><strong>This page includes the coachees' evidence, "
                "reflections and next steps</strong> (asked for with --include-reflections). "
                "Share it only with people every coachee has agreed to.</p>"
                if self.include_reflections
                else "<p class='coach-privacy'>Levels and dates only: no evidence or "
                "reflections.</p>"
            )
            + f"{render.problems_html(self.problems, named=False)}</header>"
        )

    def show_reflections(self) -> None:
        """Only with ``include_reflections``: each coachee's latest texts, per framework."""
        if not self.include_reflections:
            display(HTML(render.paragraph(
                "Evidence and reflections are not shown on the team page. "
                "(`coach team --include-reflections` adds them, for a team that agreed.)"
            )))  # fmt: skip
            return
        reviews = load_journal(self.workspace, catalog=self.catalog).reviews
        for framework in self.frameworks:
            display(HTML(f'<h3 class="{render.NO_MATH}">Latest reviews: '
                         f"{render.esc(framework.title)}</h3>"))  # fmt: skip
            for coachee in self.coachees:
                for role, title in (("coach", "coach review"), ("self", "self-review")):
                    latest = one_track.latest_review(
                        reviews, coachee=coachee, framework=framework.id, role=role,
                        as_of=self.as_of,
                    )  # fmt: skip
                    if latest is not None:
                        display(HTML(render.texts_html(
                            framework, latest, title=f"{coachee}: latest {title}"
                        )))  # fmt: skip

    def _each(self, heading: str):
        for framework in self.frameworks:
            display(HTML(f'<h3 class="{render.NO_MATH}">{render.esc(heading)}: '
                         f"{render.esc(framework.title)}</h3>"))  # fmt: skip
            yield framework, self._latest(framework)

    def _latest(self, framework):
        """Latest ratings per coachee, skill and role (computed once per framework)."""
        if framework.id not in self._latest_cache:
            self._latest_cache[framework.id] = team.latest_ratings(self.history, framework)
        return self._latest_cache[framework.id]

    def show_heatmap(self) -> None:
        """Latest coach and self levels, coachee x skill (or x skill set), side by side.

        Up to 30 coachees: with more no cell could be read, so the map shows the first 30
        and says how to choose (the ``coachees`` parameter, ``coach team --coachee``).
        """
        shown = self.coachees[:HEATMAP_ROWS]
        if len(self.coachees) > HEATMAP_ROWS:
            display(HTML(render.paragraph(
                f"The heat maps show {HEATMAP_ROWS} of {len(self.coachees)} coachees (the "
                "first by name). Choose whom to show with the `coachees` parameter "
                "(`coach team --coachee NAME`, once per person); the lists below cover "
                "everyone."
            )))  # fmt: skip
        for framework, latest in self._each("Levels"):
            panels = {
                "Coach": team.level_matrix(latest, framework, shown, role="coach"),
                "Self": team.level_matrix(latest, framework, shown, role="self"),
            }
            if len(framework.skills) > 40:
                display(HTML(render.paragraph(
                    "Columns are skill sets: the mean level of their rated skills "
                    "(waived skills left out)."
                )))  # fmt: skip
            figure = plots.heatmap(framework, panels, title=framework.title)
            rows, cols = panels["Coach"].shape
            description = (
                f"Heat map of the latest coach and self levels of {rows} coachee(s) "
                f"in {cols} column(s) of {framework.title}."
            )
            tables = "".join(
                render.matrix_html(f"{role} levels", matrix) for role, matrix in panels.items()
            )
            show_chart(figure, description, details=tables)

    def show_movers(self) -> None:
        """Who moved up or down since their previous review (coach's ratings)."""
        for framework, _latest in self._each("Movement since the previous review"):
            moved = team.movers(self.history, framework, as_of=self.as_of)
            rows = [
                (
                    row.coachee,
                    row.skill_name,
                    render.rating_text(framework, row.previous),
                    render.rating_text(framework, row.latest),
                    f"{row.change:+d}".replace("-", "−") + (" ▲" if row.change > 0 else " ▼"),
                    f"{row.previous_when.date()} → {row.when.date()}",
                )
                for row in moved.head(TABLE_ROWS).itertuples()  # only what is shown
            ]
            display(HTML(self._table_or_none(
                f"Moved since the previous coach review ({len(moved)})",
                ["Coachee", "Skill", "Before", "Now", "Change", "Reviews"], rows,
                "Nobody moved since their previous review.", total=len(moved),
            )))  # fmt: skip

    def show_gaps(self) -> None:
        """Coach and self differ: by 1, talk briefly; by 2 or more, discuss at length."""
        for framework, latest in self._each("Coach and self"):
            found = team.gaps(latest, framework)
            rows = [
                (
                    row.coachee,
                    row.skill_name,
                    render.rating_text(framework, row.coach),
                    render.rating_text(framework, row.self),
                    f"{row.difference:+d}".replace("-", "−"),
                    row.advice,
                )
                for row in found.head(TABLE_ROWS).itertuples()
            ]
            display(HTML(self._table_or_none(
                f"Coach and self differ ({len(found)})",
                ["Coachee", "Skill", "Coach", "Self", "Self − coach", "Advice"], rows,
                "Coach and self agree wherever both have rated.", total=len(found),
            )))  # fmt: skip

    def show_overdue(self) -> None:
        """Reviews older than the cadence, and coachees never reviewed on the framework."""
        for framework, _latest in self._each("Overdue"):
            found = team.overdue(
                self.history, framework, self.coachees,
                as_of=self.as_of, cadence_days=self.cadence_days,
            )  # fmt: skip
            rows = [
                (
                    row.coachee,
                    row.status,
                    "—" if pd.isna(row.last_review) else row.last_review.isoformat(),
                    "—" if pd.isna(row.days_since) else f"{row.days_since} days",
                )
                for row in found.head(TABLE_ROWS).itertuples()
            ]
            display(HTML(self._table_or_none(
                f"Overdue (no review for more than {self.cadence_days} days) or never "
                f"reviewed ({len(found)})",
                ["Coachee", "Status", "Last review", "Since"], rows,
                f"Everyone was reviewed within the last {self.cadence_days} days.",
                total=len(found),
            )))  # fmt: skip

    def show_job_roles(self) -> None:
        """What each coachee's latest milestones mean for their job role, read across the
        tracks as the source's current guidance says (the Samman Society's job-role page)."""
        shown = {framework.id for framework in self.frameworks}
        guides = [g for g in self.catalog.guidance if shown & set(g.tracks)]
        if not guides:
            display(HTML(render.paragraph(
                "Job roles are read from the Samman milestone tracks (no reviews on them yet)."
            )))  # fmt: skip
            return
        for guidance in guides:
            tracks = [self.catalog.get(track) for track in guidance.tracks
                      if track in self.catalog]  # fmt: skip
            milestones = {track.id: team.coach_milestones(self._latest(track)) for track in tracks}
            roles = team.job_roles(milestones, guidance, self.coachees)
            display(HTML(render.job_roles_html(guidance, tracks, roles)))

    def show_sessions(self) -> None:
        """Sessions each coachee took part in per month (the session log), and per
        milestone track what the log says beside each coachee's recorded milestone."""
        log = load_log_light(self.workspace)
        entries = [e for e in log.entries if e.day <= self.as_of]
        if log.problems:
            display(HTML(render.problems_html(log.problems, named=False)))
        if not entries:
            display(HTML(render.paragraph(
                "No sessions logged yet (`coach log`, or the session log notebook)."
            )))  # fmt: skip
            return
        table = evidence.sessions_per_month(entries, self.coachees)
        months = list(table.columns)[-12:]
        rows = [(coachee, *(int(table.loc[coachee, m]) for m in months))
                for coachee in self.coachees]  # fmt: skip
        display(HTML(render.table_html(
            "Sessions taken part in, per month (the last twelve months with sessions)",
            ["Coachee", *months], rows,
        )))  # fmt: skip
        for framework in [f for f in self.frameworks if f.is_milestone_track]:
            coach = team.coach_milestones(self._latest(framework))
            rows = []
            for coachee in self.coachees:
                found = evidence.evidence_by_level(framework, entries, coachee)
                flag = evidence.evidence_flag(coach.get(coachee), found)
                counts = ", ".join(f"{lv}: {ev.count}" for lv, ev in found.items() if ev.count)
                recorded = coach.get(coachee)
                rows.append((coachee, "—" if recorded is None else recorded,
                             counts or "none", flag or "—"))  # fmt: skip
            display(HTML(render.table_html(
                f"Logged evidence per milestone: {framework.title}",
                ["Coachee", "Coach's milestone", "Sessions per milestone", "The log says"],
                rows,
            )))  # fmt: skip

    def show_distribution(self) -> None:
        """How the team spreads over the levels, coach and self side by side."""
        for framework, latest in self._each("Distribution over the levels"):
            counts = team.distribution(latest, framework)
            figure = plots.distribution_chart(framework, counts, title=framework.title)
            show_chart(figure, plots.describe_distribution(framework, counts))

    @staticmethod
    def _table_or_none(
        caption: str, header: list[str], rows: list, empty: str, total: int | None = None
    ) -> str:
        """The first rows (at most TABLE_ROWS) and how many more there are."""
        if not rows:
            return render.paragraph(empty)
        total = len(rows) if total is None else total
        html = render.table_html(caption, header, rows[:TABLE_ROWS])
        if total > TABLE_ROWS:
            html += render.paragraph(
                f"… and {total - TABLE_ROWS} more (`coach export --csv` has every review)."
            )
        return html
