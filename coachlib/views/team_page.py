"""The team overview as a :class:`~coachlib.views.page.Page` value.

Levels, movements, gaps, overdue reviews, job roles, sessions and the distribution over
levels, for every coachee of a workspace (or those chosen), per framework. Levels and
dates only, never anyone's evidence or reflections, unless the team agreed
(``include_reflections``): a team page is seen by more people than a coachee's summary.

Built once, here: the ``team_overview`` notebook displays it and ``coach team`` renders it
(``export.render``); neither runs the other. The parameters are checked here, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from ..model.params import check_cadence, coachee_names, parse_as_of
from ..store.frameworks import registry_for
from ..store.journal import load_journal
from ..store.sessionlog import load_log_light
from ..store.workspace import Workspace
from . import evidence, history, html, plots, standing, team
from .page import Chart, Footer, Headline, Markup, Note, Page, Section, Table, problems_note
from .summary import source_of
from .values import missing

HEATMAP_ROWS = 30  # coachees in a heat map: readable up to 30 coachees x 30 skills
TABLE_ROWS = 50  # rows of a list (movers, gaps, overdue) before "and N more"
INTROS = {
    "Levels at a glance": "The latest coach level (left) and self level (right) of every "
    "coachee, per skill. A grey dash: not rated.",
    "Who moved": "Changes between each coachee's last two coach reviews, largest first.",
    "Coach and self": "A difference of 1: talk briefly. Of 2 or more: discuss at length.",
    "Overdue": "Coachees whose last review is older than the cadence, and those never "
    "reviewed on the framework.",
    "Job role": "What each coachee's latest milestones (by the coach) mean for their job "
    "role, read across both Samman tracks as the Samman Society's job-role page says now. "
    "Where the page leaves a case open, coachlib's reading is shown under the table.",
    "Sessions logged": "Coaching sessions each coachee took part in, per month (the "
    "session log), and what the log says beside each recorded milestone: a milestone with "
    "nothing logged behind it, or logged evidence above it (ready for a review?).",
    "Distribution over the levels": "",
    "Evidence and reflections": "Not shown unless asked for (`include_reflections = True`, "
    "or `coach team --include-reflections`).",
}


@dataclass(frozen=True)
class TeamRequest:
    """The team overview's parameters, checked."""

    workspace: Workspace
    framework: str
    as_of: date
    cadence_days: int
    include_reflections: bool
    chosen: list[str]


def team_request(
    workspace: Workspace | str | Path | None,
    *,
    framework: str = "",
    as_of: str | date | None = None,
    cadence_days: int = 90,
    include_reflections: bool = False,
    coachees: list[str] | str | tuple = (),
) -> TeamRequest:
    """Check every parameter once (InputError names the wrong one) before loading."""
    cadence = check_cadence(cadence_days)
    opened = workspace if isinstance(workspace, Workspace) else Workspace.open(workspace)
    day = parse_as_of(as_of)
    chosen = opened.require_coachees(coachee_names(coachees))
    if framework:
        registry_for(opened.root).get(framework)  # an unknown id fails here, clearly
    return TeamRequest(opened, framework, day, int(cadence), bool(include_reflections), chosen)


def team_page(workspace: Workspace | str | Path | None, **parameters) -> Page:
    """The team overview as a Page (parameters as :func:`team_request` takes them)."""
    return TeamBuilder(team_request(workspace, **parameters)).page()


class TeamBuilder:
    """Loads the levels (the level index: no texts) and builds the page."""

    def __init__(self, request: TeamRequest) -> None:
        self.request = request
        self.workspace = request.workspace
        self.registry = registry_for(self.workspace.root)
        self.as_of = request.as_of
        self.cadence_days = request.cadence_days
        self.include_reflections = request.include_reflections
        timeline = history.load_levels(self.workspace, registry=self.registry)
        self.problems = timeline.problems
        frame = timeline.frame
        self.history = frame[frame["when"] < team.end_of(self.as_of)] if not frame.empty else frame
        everyone = sorted(self.workspace.coachees().values(), key=str.casefold)
        self.coachees = request.chosen or everyone
        if request.chosen:
            self.history = self.history[self.history["coachee"].isin(request.chosen)]
        if request.framework:
            self.frameworks = [self.registry.get(request.framework)]
        else:
            used = set(self.history["framework"].unique())  # not a Python loop of every rating
            self.frameworks = [f for f in self.registry if f.id in used]
        self._latest_cache: dict[str, pd.DataFrame] = {}

    def page(self) -> Page:
        names = ", ".join(f.title for f in self.frameworks) or "no reviews yet"
        facts = (
            f"{len(self.coachees)} coachee(s) · {names} · as of {self.as_of.isoformat()} · "
            f"review cadence {self.cadence_days} days"
        )
        if self.include_reflections:
            privacy = ("This page includes the coachees' evidence, reflections and next "
                       "steps (asked for with --include-reflections). Share it only with "
                       "people every coachee has agreed to.")  # fmt: skip
        else:
            privacy = "Levels and dates only: no evidence or reflections."
        notes = [Note(privacy, "privacy")]
        if self.problems:
            notes.append(problems_note(len(self.problems)))
        parts = [
            ("Levels at a glance", self.heatmaps()),
            ("Who moved", self.movers()),
            ("Coach and self", self.gaps()),
            ("Overdue", self.overdue()),
            ("Job role", self.job_roles()),
            ("Sessions logged", self.sessions()),
            ("Distribution over the levels", self.distribution()),
            ("Evidence and reflections", self.reflections()),
        ]
        sections = []
        for title, blocks in parts:
            intro = [Note(INTROS[title])] if INTROS[title] else []
            sections.append(Section(title, tuple(intro + blocks)))
        framework = self.request.framework
        return Page(
            title="Team overview",
            headline=Headline(facts),
            sections=tuple(sections),
            notes=tuple(notes),
            footer=Footer(
                person="Team overview",
                as_of=self.as_of,
                sources=tuple(source_of(f) for f in self.frameworks),
            ),
            file_stem=f"team-{framework + '-' if framework else ''}{self.as_of.isoformat()}",
        )

    # --- parts ------------------------------------------------------------------------------

    def _latest(self, framework):
        """Latest ratings per coachee, skill and role (computed once per framework)."""
        if framework.id not in self._latest_cache:
            self._latest_cache[framework.id] = team.latest_ratings(self.history, framework)
        return self._latest_cache[framework.id]

    def _each(self, heading: str, build) -> list:
        """A sub-section per framework, titled '<heading>: <framework>'."""
        return [
            Section(f"{heading}: {framework.title}", tuple(build(framework)), level=3)
            for framework in self.frameworks
        ]

    def heatmaps(self) -> list:
        """Latest coach and self levels, coachee x skill (or x skill set), side by side.

        Up to 30 coachees: with more no cell could be read, so the map shows the first 30
        and says how to choose (``coach team --coachee``)."""
        shown = self.coachees[:HEATMAP_ROWS]
        out: list = []
        if len(self.coachees) > HEATMAP_ROWS:
            out.append(Note(
                f"The heat maps show {HEATMAP_ROWS} of {len(self.coachees)} coachees (the "
                "first by name). Choose whom to show with the `coachees` parameter "
                "(`coach team --coachee NAME`, once per person); the lists below cover "
                "everyone."
            ))  # fmt: skip

        def build(framework):
            latest = self._latest(framework)
            panels = {
                "Coach": team.level_matrix(latest, framework, shown, role="coach"),
                "Self": team.level_matrix(latest, framework, shown, role="self"),
            }
            blocks: list = []
            if len(framework.skills) > 40:
                blocks.append(Note("Columns are skill sets: the mean level of their rated "
                                   "skills (waived skills left out)."))  # fmt: skip
            figure = plots.heatmap(framework, panels, title=framework.title)
            rows, cols = panels["Coach"].shape
            described = (
                f"Heat map of the latest coach and self levels of {rows} coachee(s) "
                f"in {cols} column(s) of {framework.title}."
            )
            tables = tuple(matrix_table(f"{role} levels", m) for role, m in panels.items())
            blocks.append(Chart(plots.to_png(figure), described, described, details=tables))
            return blocks

        return out + self._each("Levels", build)

    def movers(self) -> list:
        def build(framework):
            moved = team.movers(self.history, framework, as_of=self.as_of)
            rows = [
                (
                    row.coachee,
                    row.skill_name,
                    html.rating_text(framework, row.previous),
                    html.rating_text(framework, row.latest),
                    f"{row.change:+d}".replace("-", "−") + (" ▲" if row.change > 0 else " ▼"),
                    f"{row.previous_when.date()} → {row.when.date()}",
                )
                for row in moved.head(TABLE_ROWS).itertuples()  # only what is shown
            ]
            return table_or_none(
                f"Moved since the previous coach review ({len(moved)})",
                ("Coachee", "Skill", "Before", "Now", "Change", "Reviews"), rows,
                "Nobody moved since their previous review.", total=len(moved),
            )  # fmt: skip

        return self._each("Movement since the previous review", build)

    def gaps(self) -> list:
        def build(framework):
            found = team.gaps(self._latest(framework), framework)
            rows = [
                (
                    row.coachee,
                    row.skill_name,
                    html.rating_text(framework, row.coach),
                    html.rating_text(framework, row.self),
                    f"{row.difference:+d}".replace("-", "−"),
                    row.advice,
                )
                for row in found.head(TABLE_ROWS).itertuples()
            ]
            return table_or_none(
                f"Coach and self differ ({len(found)})",
                ("Coachee", "Skill", "Coach", "Self", "Self − coach", "Advice"), rows,
                "Coach and self agree wherever both have rated.", total=len(found),
            )  # fmt: skip

        return self._each("Coach and self", build)

    def overdue(self) -> list:
        def build(framework):
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
            return table_or_none(
                f"Overdue (no review for more than {self.cadence_days} days) or never "
                f"reviewed ({len(found)})",
                ("Coachee", "Status", "Last review", "Since"), rows,
                f"Everyone was reviewed within the last {self.cadence_days} days.",
                total=len(found),
            )  # fmt: skip

        return self._each("Overdue", build)

    def job_roles(self) -> list:
        """Each coachee's latest milestones read as a job role, as the source's current
        guidance says (the Samman Society's job-role page)."""
        shown = {framework.id for framework in self.frameworks}
        guides = [g for g in self.registry.guidance if shown & set(g.tracks)]
        if not guides:
            return [Note("Job roles are read from the Samman milestone tracks (no reviews on "
                         "them yet).")]  # fmt: skip
        out: list = []
        for guidance in guides:
            tracks = [self.registry.get(track) for track in guidance.tracks
                      if track in self.registry]  # fmt: skip
            milestones = {track.id: team.coach_milestones(self._latest(track)) for track in tracks}
            roles = team.job_roles(milestones, guidance, self.coachees)
            out.append(Markup(html.job_roles_html(guidance, tracks, roles)))
        return out

    def sessions(self) -> list:
        log = load_log_light(self.workspace)
        entries = [e for e in log.entries if e.day <= self.as_of]
        out: list = []
        if log.problems:
            out.append(Note(
                f"{len(log.problems)} file(s) of the journal or the session log could not be "
                "read and are left out (the command that made this page names them, as does "
                "coach doctor).", "problem",
            ))  # fmt: skip
        if not entries:
            return [*out, Note("No sessions logged yet (`coach log`, or the session log "
                               "notebook).")]  # fmt: skip
        table = evidence.sessions_per_month(entries, self.coachees)
        months = list(table.columns)[-12:]
        rows = tuple(
            (coachee, *(str(int(table.loc[coachee, m])) for m in months))
            for coachee in self.coachees
        )
        out.append(Table(
            "Sessions taken part in, per month (the last twelve months with sessions)",
            ("Coachee", *months), rows, short_heads=True,
        ))  # fmt: skip
        for framework in [f for f in self.frameworks if f.is_milestone_track]:
            coach = team.coach_milestones(self._latest(framework))
            found_rows = []
            for coachee in self.coachees:
                found = evidence.evidence_by_level(framework, entries, coachee)
                flag = evidence.evidence_flag(coach.get(coachee), found)
                counts = ", ".join(f"{lv}: {ev.count}" for lv, ev in found.items() if ev.count)
                recorded = coach.get(coachee)
                found_rows.append((coachee, "—" if recorded is None else str(recorded),
                                   counts or "none", flag or "—"))  # fmt: skip
            out.append(Table(
                f"Logged evidence per milestone: {framework.title}",
                ("Coachee", "Coach's milestone", "Sessions per milestone", "The log says"),
                tuple(found_rows),
            ))  # fmt: skip
        return out

    def distribution(self) -> list:
        def build(framework):
            counts = team.distribution(self._latest(framework), framework)
            figure = plots.distribution_chart(framework, counts, title=framework.title)
            described = plots.describe_distribution(framework, counts)
            return [Chart(plots.to_png(figure), described, described)]

        return self._each("Distribution over the levels", build)

    def reflections(self) -> list:
        """Only with ``include_reflections``: each coachee's latest texts, per framework."""
        if not self.include_reflections:
            return [Note("Evidence and reflections are not shown on the team page. "
                         "(`coach team --include-reflections` adds them, for a team that "
                         "agreed.)")]  # fmt: skip
        reviews = load_journal(self.workspace, registry=self.registry).reviews
        out: list = []
        for framework in self.frameworks:
            blocks = []
            for coachee in self.coachees:
                for role, title in (("coach", "coach review"), ("self", "self-review")):
                    latest = standing.latest_review(
                        reviews, coachee=coachee, framework=framework.id, role=role,
                        as_of=self.as_of,
                    )  # fmt: skip
                    if latest is not None:
                        blocks.append(Markup(html.texts_html(
                            framework, latest, title=f"{coachee}: latest {title}"
                        )))  # fmt: skip
            out.append(Section(f"Latest reviews: {framework.title}", tuple(blocks), level=3))
        return out


def table_or_none(
    caption: str, header: tuple[str, ...], rows: list, empty: str, total: int | None = None
) -> list:
    """The first rows (at most TABLE_ROWS) and how many more there are, or ``empty``."""
    if not rows:
        return [Note(empty)]
    total = len(rows) if total is None else total
    cells = tuple(tuple(str(c) for c in row) for row in rows[:TABLE_ROWS])
    out: list = [Table(caption, header, cells, compact=True, short_heads=True)]
    if total > TABLE_ROWS:
        out.append(Note(f"… and {total - TABLE_ROWS} more (`coach export --csv` has every "
                        "review)."))  # fmt: skip
    return out


def matrix_table(caption: str, matrix: pd.DataFrame) -> Table:
    """A coachee x column matrix of levels as a table ('–' where not rated)."""

    def cell(value: float) -> str:
        if missing(value):
            return "–"
        return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"

    rows = tuple((str(index), *(cell(v) for v in values)) for index, values in matrix.iterrows())
    return Table(caption, ("Coachee", *map(str, matrix.columns)), rows, short_heads=True)
