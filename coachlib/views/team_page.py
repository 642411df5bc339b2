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
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from ..model.params import check_cadence, coachee_names, parse_as_of
from ..store.frameworks import registry_for
from ..store.journal import load_journal
from ..store.sessionlog import load_log_light
from ..store.workspace import Workspace
from . import evidence, history, html, plots, standing, team
from .page import Chart, Folded, Footer, Headline, Markup, Note, Page, Section, Table, problems_note
from .summary import source_of
from .values import missing

HEATMAP_ROWS = 30  # coachees in a heat map: readable up to 30 coachees x 30 skills
TABLE_ROWS = 50  # rows of a list (movers, gaps, overdue) before "and N more"
INTROS = {
    "Job role": "What each coachee's latest milestones (by the coach) mean for their job "
    "role, read across both Samman tracks as the Samman Society's job-role page says now. "
    "Where the page leaves a case open, coachlib's reading is shown under the table.",
    "Levels at a glance": "The latest coach and self levels of each coachee reviewed on "
    "the framework, per skill. A grey dash: not rated.",
    "Who moved": "Changes between each coachee's last two coach reviews: what moved within "
    "the review cadence, a line per coachee (every movement one click away, on screen).",
    "Coach and self": "Where coach and self differ by 2 levels or more (discuss at length); "
    "the differences of 1 (talk briefly) are one click away, on screen.",
    "Overdue": "Coachees whose last review on a framework they are reviewed on is older "
    "than the cadence.",
    "Sessions logged": "Coaching sessions each coachee took part in, per month (the "
    "session log), and what the log says beside each recorded milestone: a milestone with "
    "nothing logged behind it, or logged evidence above it (ready for a review?).",
    "Distribution over the levels": "",
    "Evidence and reflections": "",
}
JOB_ROLE_ROWS = 12  # more coachees: how many read as each role, every person one click away
MONTHS = 12  # of sessions per coachee: a year, every month shown (none: 0)


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
        self._reviewed_cache: dict[str, list[str]] = {}
        self._coachees_on: dict[str, set[str]] | None = None

    def page(self) -> Page:
        names = ", ".join(f.title for f in self.frameworks) or "no reviews yet"
        facts = (
            f"{len(self.coachees)} coachee(s) · {names} · as of {self.as_of.isoformat()} · "
            f"review cadence {self.cadence_days} days"
        )
        if self.include_reflections:
            privacy = (
                "This page includes the coachees' evidence, reflections and next "
                "steps (asked for with --include-reflections). Share it only with "
                "people every coachee has agreed to."
            )
        else:
            privacy = "Levels and dates only: no evidence or reflections."
        notes = [Note(privacy, "privacy")]
        if self.problems:
            notes.append(problems_note(len(self.problems)))
        parts = [
            ("Job role", self.job_roles()),
            ("Levels at a glance", self.heatmaps()),
            ("Who moved", self.movers()),
            ("Coach and self", self.gaps()),
            ("Overdue", self.overdue()),
            ("Sessions logged", self.sessions()),
            ("Distribution over the levels", self.distribution()),
            ("Evidence and reflections", self.reflections()),
        ]
        sections = []
        for title, blocks in parts:
            if not blocks:
                continue
            intro = [Note(INTROS[title])] if INTROS[title] else []
            sections.append(Section(title, tuple(intro + blocks)))
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
            file_stem=self.file_stem(),
        )

    def file_stem(self) -> str:
        """``team-<as of>``, with the framework if one was chosen; a choice of coachees
        says so (``team-selection-ada-lovelace-mei-chen-<as of>``, or for more than three
        ``team-selection-of-5-<digest>-<as of>``), so it never replaces the whole team's."""
        framework = self.request.framework
        stem = f"team-{framework + '-' if framework else ''}"
        chosen = self.request.chosen
        if chosen:
            from ..model.names import slugify

            if len(chosen) <= 3:
                stem += "selection-" + "-".join(slugify(name) for name in chosen) + "-"
            else:
                import hashlib

                digest = hashlib.sha256("\n".join(sorted(chosen)).encode()).hexdigest()[:8]
                stem += f"selection-of-{len(chosen)}-{digest}-"
        return stem + self.as_of.isoformat()

    # --- parts ------------------------------------------------------------------------------

    def _latest(self, framework):
        """Latest ratings per coachee, skill and role (computed once per framework)."""
        if framework.id not in self._latest_cache:
            self._latest_cache[framework.id] = team.latest_ratings(self.history, framework)
        return self._latest_cache[framework.id]

    def reviewed(self, framework) -> list[str]:
        """The coachees (of those shown) reviewed on ``framework``, by coach or self, as
        of the page's day: nobody appears on a framework they are not on."""
        if self._coachees_on is None:
            self._coachees_on = team.coachees_on(self.history)  # every framework at once
        if framework.id not in self._reviewed_cache:
            found = self._coachees_on.get(framework.id, set())
            self._reviewed_cache[framework.id] = [c for c in self.coachees if c in found]
        return self._reviewed_cache[framework.id]

    def _each(self, heading: str, build) -> list:
        """A sub-section per framework, titled '<heading>: <framework>'."""
        return [
            Section(f"{heading}: {framework.title}", tuple(build(framework)), level=3)
            for framework in self.frameworks
        ]

    def heatmaps(self) -> list:
        """Latest coach and self levels, coachee x skill (or x skill set), side by side,
        of the coachees reviewed on the framework.

        Up to 30 coachees: with more no cell could be read, so the map shows the first 30
        and says how to choose (the command's --coachee)."""

        def build(framework):
            reviewed = self.reviewed(framework)
            if not reviewed:
                return [Note("Nobody shown here is reviewed on it yet.")]
            shown = reviewed[:HEATMAP_ROWS]
            blocks: list = []
            if len(reviewed) > HEATMAP_ROWS:
                blocks.append(
                    Note(
                        f"The heat map shows {HEATMAP_ROWS} of the {len(reviewed)} coachees "
                        "reviewed on it (the first by name); the lists below cover everyone. A "
                        "page of chosen coachees: coach team --coachee NAME, once per person."
                    )
                )
            latest = self._latest(framework)
            panels = {
                "Coach": team.level_matrix(latest, framework, shown, role="coach"),
                "Self": team.level_matrix(latest, framework, shown, role="self"),
            }
            what = "skill sets" if len(framework.skills) > 40 else "skills"
            rated = [
                column
                for column in panels["Coach"].columns
                if any(m[column].notna().any() for m in panels.values())
            ]
            if len(rated) < panels["Coach"].shape[1]:
                left = panels["Coach"].shape[1] - len(rated)
                panels = {role: m[rated] for role, m in panels.items()}
                blocks.append(Note(f"{left} {what} that nobody shown is rated on are left out."))
            if len(framework.skills) > 40:
                blocks.append(
                    Note(
                        "Skill sets: the mean level of their rated skills (waived skills left out)."
                    )
                )
            if not rated:
                return [*blocks, Note("No levels rated on it yet.")]
            figure = plots.heatmap(framework, panels, title=framework.title)
            rows, cols = panels["Coach"].shape
            described = (
                f"Heat map of the latest coach and self levels of {rows} coachee(s) "
                f"in {cols} {what[:-1]}(s) of {framework.title}."
            )
            tables = tuple(matrix_table(f"{role} levels", m) for role, m in panels.items())
            width, height = figure.get_size_inches()
            tall = bool(height > width)  # many skills down: it may fill a printed page
            chart = Chart(plots.to_png(figure), described, described, details=tables, tall=tall)
            blocks.append(chart)

            return blocks

        return self._each("Levels", build)

    def movers(self) -> list:
        """What moved in the period (the review cadence up to the page's day), a line per
        coachee; every movement since each coachee's previous review one click away."""
        since = self.as_of - timedelta(days=self.cadence_days)

        def build(framework):
            moved = team.movers(self.history, framework, as_of=self.as_of)
            if moved.empty:
                return [Note("Nobody moved since their previous review.")]
            recent = moved[moved["when"] >= team.end_of(since)]
            blocks: list = []
            if recent.empty:
                blocks.append(Note(f"Nobody moved between {since} and {self.as_of}."))
            else:
                # A line per coachee, by name: only the lines shown are made (50 of
                # hundreds, each from every movement of its coachee).
                people = sorted(map(str, recent["coachee"].unique()), key=str.casefold)
                shown = recent[recent["coachee"].isin(people[:TABLE_ROWS])]
                lines = moved_lines(shown)
                blocks.append(
                    Table(
                        f"Moved between {since} and {self.as_of} ({len(people)} coachee(s))",
                        ("Coachee", "Up", "Down", "Largest moves", "Reviews"),
                        tuple(lines[:TABLE_ROWS]),
                        compact=True,
                        short_heads=True,
                        nowrap=(4,),
                    )
                )
                if len(people) > TABLE_ROWS:
                    blocks.append(
                        Note(
                            f"… and {len(people) - TABLE_ROWS} more coachees who "
                            "moved (every movement below, on screen)."
                        )
                    )
            rows = [
                (
                    row.coachee,
                    row.skill_name,
                    html.rating_text(framework, row.previous),
                    html.rating_text(framework, row.latest),
                    _change(row.change),
                    f"{row.previous_when.date()} → {row.when.date()}",
                )
                for row in moved.head(TABLE_ROWS).itertuples()  # only what is shown
            ]
            table = table_or_none(
                f"Every movement since the previous coach review ({len(moved)})",
                ("Coachee", "Skill", "Before", "Now", "Change", "Reviews"),
                rows,
                "",
                total=len(moved),
                nowrap=(4, 5),
            )
            blocks.append(
                Folded(
                    f"Every movement since each coachee's previous review, as a "
                    f"table ({len(moved)})",
                    tuple(table),
                )
            )
            return blocks

        return self._each("Movement", build)

    def gaps(self) -> list:
        def build(framework):
            found = team.gaps(self._latest(framework), framework)
            if found.empty:
                return [Note("Coach and self agree wherever both have rated.")]

            def rows(frame):
                return [
                    (
                        row.coachee,
                        row.skill_name,
                        html.rating_text(framework, row.coach),
                        html.rating_text(framework, row.self),
                        _change(row.difference, arrow=False),
                    )
                    for row in frame.head(TABLE_ROWS).itertuples()
                ]

            header = ("Coachee", "Skill", "Coach", "Self", "Self − coach")
            wide = found[found["difference"].abs() >= 2]
            blocks = table_or_none(
                f"Coach and self differ by 2 or more ({len(wide)})",
                header,
                rows(wide),
                "No difference of 2 levels or more.",
                total=len(wide),
            )
            small = found[found["difference"].abs() < 2]
            if not small.empty:
                table = table_or_none(
                    f"Coach and self differ by 1 ({len(small)})",
                    header,
                    rows(small),
                    "",
                    total=len(small),
                )
                blocks.append(
                    Folded(f"The differences of 1, as a table ({len(small)})", tuple(table))
                )
            return blocks

        return self._each("Coach and self", build)

    def overdue(self) -> list:
        """Per framework, who is overdue on it; the frameworks where nobody is, in one line."""
        out: list = []
        on_time = []
        for framework in self.frameworks:
            found = team.overdue(
                self.history,
                framework,
                self.reviewed(framework),
                as_of=self.as_of,
                cadence_days=self.cadence_days,
            )
            if found.empty:
                on_time.append(framework.title)
                continue
            rows = [
                (
                    row.coachee,
                    "—" if pd.isna(row.last_review) else row.last_review.isoformat(),
                    "—" if pd.isna(row.days_since) else f"{row.days_since} days",
                )
                for row in found.head(TABLE_ROWS).itertuples()
            ]
            out.append(
                Section(
                    f"Overdue: {framework.title}",
                    tuple(
                        table_or_none(
                            f"No review for more than {self.cadence_days} days ({len(found)})",
                            ("Coachee", "Last review", "Since"),
                            rows,
                            "",
                            total=len(found),
                            nowrap=(1, 2),
                        )
                    ),
                    level=3,
                )
            )
        if on_time:
            out.append(
                Note(
                    f"Everyone reviewed on {_joined(on_time)} was reviewed within "
                    f"the last {self.cadence_days} days."
                )
            )
        never = [
            c for c in self.coachees if not any(c in self.reviewed(f) for f in self.frameworks)
        ]
        if never:
            out.append(Note("Not reviewed on any framework yet: " + ", ".join(never) + "."))
        return out

    def job_roles(self) -> list:
        """Each coachee's latest milestones read as a job role, as the source's current
        guidance says (the Samman Society's job-role page)."""
        shown = {framework.id for framework in self.frameworks}
        guides = [g for g in self.registry.guidance if shown & set(g.tracks)]
        if not guides:
            return []  # nobody shown is on a track a job-role reading is made from
        out: list = []
        for guidance in guides:
            tracks = [
                self.registry.get(track) for track in guidance.tracks if track in self.registry
            ]
            milestones = {track.id: team.coach_milestones(self._latest(track)) for track in tracks}
            on_tracks = {c for track in tracks for c in self.reviewed(track)}
            people = [c for c in self.coachees if c in on_tracks]
            if not people:
                continue
            roles = team.job_roles(milestones, guidance, people)
            every = Markup(html.job_roles_html(guidance, tracks, roles))
            if len(people) <= JOB_ROLE_ROWS:
                out.append(every)
                continue
            # A big team: how many read as each role; every person one click away.
            counts = roles["reading"].value_counts()
            out.append(
                Table(
                    f"Job roles across the tracks: {guidance.title} ({len(people)} coachees)",
                    ("Job role", "Coachees"),
                    tuple((reading, str(int(count))) for reading, count in counts.items()),
                )
            )
            out.append(Folded(f"Each coachee's job role, as a table ({len(people)})", (every,)))
            out.append(Markup(html.attribution_html(guidance)))
        return out

    def sessions(self) -> list:
        log = load_log_light(self.workspace)
        entries = [e for e in log.entries if e.day <= self.as_of]
        out: list = []
        if log.problems and not self.problems:
            out.append(problems_note(len(log.problems)))
        if not entries:
            return [*out, Note("No sessions logged yet.")]
        table = evidence.sessions_per_month(entries, self.coachees)
        months = last_months(self.as_of, MONTHS)
        first_logged = min(e.day for e in entries).strftime("%Y-%m")
        months = [m for m in months if m >= first_logged]
        table = table.reindex(columns=months, fill_value=0)
        present = [c for c in self.coachees if int(table.loc[c].sum()) > 0]
        rows = tuple(
            (coachee, *(str(int(table.loc[coachee, m])) for m in months)) for coachee in present
        )
        named = [month_name(m) for m in months]  # "Jan 2026": wraps at its space
        if rows:
            out.append(
                Table(
                    f"Sessions taken part in, per month ({named[0]} to {named[-1]})",
                    ("Coachee", *named),
                    rows,
                    short_heads=True,
                    compact=True,
                )
            )
        absent = [c for c in self.coachees if c not in present]
        if absent:
            out.append(
                Note(
                    f"In no session logged from {named[0]} to {named[-1]}: "
                    + ", ".join(absent)
                    + "."
                )
            )
        # Each coachee's own sessions, found once: looking through the whole log for every
        # coachee grew with coachees times sessions (500 people, years of a practice).
        mine: dict[str, list] = {}
        for entry in entries:
            for person in dict.fromkeys(p.coachee for p in entry.people):
                mine.setdefault(person, []).append(entry)
        for framework in [f for f in self.frameworks if f.is_milestone_track]:
            coach = team.coach_milestones(self._latest(framework))
            found_rows = []
            for coachee in self.reviewed(framework):
                found = evidence.evidence_by_level(framework, mine.get(coachee, []), coachee)
                flag = evidence.evidence_flag(coach.get(coachee), found)
                counts = ", ".join(f"{lv}: {ev.count}" for lv, ev in found.items() if ev.count)
                recorded = coach.get(coachee)
                found_rows.append(
                    (
                        coachee,
                        "—" if recorded is None else str(recorded),
                        counts or "none",
                        flag or "—",
                    )
                )
            if found_rows:
                out.append(
                    Table(
                        f"Logged evidence per milestone: {framework.title}",
                        ("Coachee", "Coach's milestone", "Sessions per milestone", "The log says"),
                        tuple(found_rows),
                    )
                )
        return out

    def distribution(self) -> list:
        """A chart per framework, titled with it: on paper, two side by side."""
        out: list = []
        for framework in self.frameworks:
            counts = team.distribution(self._latest(framework), framework)
            figure = plots.distribution_chart(framework, counts, title=framework.title)
            described = plots.describe_distribution(framework, counts)
            said = f"{framework.title}. {described}"  # the charts share one section
            out.append(Chart(plots.to_png(figure), said, said, wide=False))
        return out

    def reflections(self) -> list:
        """Only with ``include_reflections``: each coachee's latest texts, per framework."""
        if not self.include_reflections:
            return []  # the page says so at the top: levels and dates only
        reviews = load_journal(self.workspace, registry=self.registry).reviews
        out: list = []
        for framework in self.frameworks:
            blocks = []
            for coachee in self.reviewed(framework):
                for role, title in (("coach", "coach review"), ("self", "self-review")):
                    latest = standing.latest_review(
                        reviews,
                        coachee=coachee,
                        framework=framework.id,
                        role=role,
                        as_of=self.as_of,
                    )
                    if latest is not None:
                        blocks.append(
                            Markup(
                                html.texts_html(
                                    framework, latest, title=f"{coachee}: latest {title}"
                                )
                            )
                        )
            out.append(Section(f"Latest reviews: {framework.title}", tuple(blocks), level=3))
        return out


def table_or_none(
    caption: str,
    header: tuple[str, ...],
    rows: list,
    empty: str,
    total: int | None = None,
    nowrap: tuple[int, ...] = (),
) -> list:
    """The first rows (at most TABLE_ROWS) and how many more there are, or ``empty``."""
    if not rows:
        return [Note(empty)] if empty else []
    total = len(rows) if total is None else total
    cells = tuple(tuple(str(c) for c in row) for row in rows[:TABLE_ROWS])
    out: list = [Table(caption, header, cells, compact=True, short_heads=True, nowrap=nowrap)]
    if total > TABLE_ROWS:
        out.append(
            Note(
                f"… and {total - TABLE_ROWS} more (the journal as CSV, coach export "
                "--csv, has every review)."
            )
        )
    return out


def moved_lines(moved: pd.DataFrame) -> list[tuple[str, ...]]:
    """Each coachee's movements in a line, by name: how many up and down, the three
    largest (skill, before → now; ``team.movers`` sorts the largest first), the reviews
    compared. One pass over the rows: a group per coachee costs milliseconds each, and a
    team of 500 has hundreds of coachees who moved."""
    # Columns as plain lists and the days as text in C (numpy): boxing a Timestamp per
    # row and per column took most of this at 500 coachees.
    found: dict[str, list] = {}
    columns = zip(
        moved["coachee"].astype(object).tolist(),
        moved["change"].tolist(),
        moved["skill_name"].astype(object).tolist(),
        moved["previous"].tolist(),
        moved["latest"].tolist(),
        _days(moved["previous_when"]),
        _days(moved["when"]),
        strict=True,
    )
    for coachee, change, skill_name, previous, latest, before, after in columns:
        counts = found.setdefault(coachee, [0, 0, [], set()])
        counts[0 if change > 0 else 1] += 1
        if len(counts[2]) < 3:
            counts[2].append(f"{skill_name} {previous} → {latest}")
        counts[3].add(f"{before} → {after}")
    out: list[tuple[str, ...]] = []
    for coachee in sorted(found, key=str.casefold):
        up, down, largest, dates = found[coachee]
        more = up + down - len(largest)
        moves = "; ".join(largest) + (f"; and {more} more" if more else "")
        out.append((coachee, str(up), str(down), moves, "; ".join(sorted(dates))))
    return out


def _days(when: pd.Series) -> list[str]:
    """UTC times as their days, 'YYYY-MM-DD' (what ``Timestamp.date()`` prints)."""
    import numpy as np

    utc = when.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy()
    return np.datetime_as_string(utc.astype("datetime64[D]"), unit="D").tolist()


MONTH_NAMES = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)  # not the locale's: the page is in English


def month_name(month: str) -> str:
    """'2026-01' as 'Jan 2026'."""
    year, number = month.split("-")
    return f"{MONTH_NAMES[int(number) - 1]} {year}"


def last_months(day: date, count: int) -> list[str]:
    """The ``count`` months up to the month of ``day``, oldest first, as YYYY-MM."""
    year, month = day.year, day.month
    out = []
    for _ in range(count):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]


def _joined(items: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _change(value: int, *, arrow: bool = True) -> str:
    """+1 ▲ / −2 ▼ (a true minus sign, and an arrow that does not rely on colour)."""
    text = f"{value:+d}".replace("-", "−")
    return text + ((" ▲" if value > 0 else " ▼") if arrow else "")


def matrix_table(caption: str, matrix: pd.DataFrame) -> Table:
    """A coachee x column matrix of levels as a table ('–' where not rated)."""

    def cell(value: float) -> str:
        if missing(value):
            return "–"
        return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"

    values = matrix.to_numpy(dtype=float).tolist()  # no Series made per row
    rows = tuple(
        (str(index), *(cell(v) for v in row))
        for index, row in zip(matrix.index, values, strict=True)
    )
    return Table(caption, ("Coachee", *map(str, matrix.columns)), rows, short_heads=True)
