"""The coaching-block report as a :class:`~coachlib.views.page.Page` value.

For the people who sponsor the coaching: what one team did over a block of weeks, from
the session log. It opens with the coach's synthesis of the block (outcomes and what's
next, ``model.block_summary``) and the coach's name, then the numbers: sessions by kind,
a chart of sessions per week, the learning-hour topics and series, attendance; then, in
the team's own words, what went well, the challenges, the business value and the next
steps, each line once with how often and when it was said (daily notes repeat
themselves). Nobody's personal reflections, and no names of the people coached, unless
``include_reflections`` says the team agreed.

Built once, here: the ``block_report`` notebook displays it and ``coach block`` renders it
(``export.render``); neither runs the other. The parameters are checked here, once.
"""

from __future__ import annotations

import getpass
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..model import names
from ..model.block_summary import BlockSummary, new_block_summary
from ..model.catalogue import ATTRIBUTION
from ..model.params import parse_period
from ..model.sessionlog import KINDS, SESSION_ROLES, STAGES, STATUS_FIELDS
from ..store.journal import load_journal
from ..store.sessionlog import latest_block_summary, load_catalogue, load_log
from ..store.workspace import Workspace
from . import plots
from .page import (
    Chart,
    Footer,
    Headline,
    Note,
    Page,
    Remark,
    Remarks,
    Section,
    Table,
    problems_note,
)

OWN_WORDS = (
    "went_well",
    "challenges",
    "business_value",
    "next_steps",
    "progress",
    "what_we_did",
    "surprised",
)


@dataclass(frozen=True)
class BlockRequest:
    """The block report's parameters, checked."""

    workspace: Workspace
    team: str
    slug: str
    start: date
    end: date
    include_reflections: bool
    summary: BlockSummary | None = None  # a new synthesis, not saved yet: shown instead


def block_request(
    workspace: Workspace | str | Path | None,
    *,
    team: str,
    date_from: str | date,
    date_to: str | date | None = None,
    include_reflections: bool = False,
    summary: str | None = None,
) -> BlockRequest:
    """Check every parameter once: an unknown team, a date that is not one, a block that
    ends before it starts or is longer than two years, an empty or overlong synthesis
    (InputError names it). ``summary`` is a new synthesis (None: the latest saved), by
    the workspace's coach."""
    opened = workspace if isinstance(workspace, Workspace) else Workspace.open(workspace)
    name = names.clean_name(team, "team name")
    start, end = parse_period(date_from, date_to)
    slug = opened.require_team_slug(name)
    written = None
    if summary is not None:
        logged = load_log(opened, team=name).entries
        author = coach_name(opened, logged, start=start, end=end).split(", ")[0]
        written = new_block_summary(
            team=name, start=start, end=end, text=str(summary), author=author or getpass.getuser()
        )
    return BlockRequest(opened, name, slug, start, end, bool(include_reflections), written)


def coach_name(workspace: Workspace, entries: list, *, start: date, end: date) -> str:
    """Who coached the block, for its report: ``$COACH_AUTHOR`` or the workspace's
    ``coach`` setting (as the session-log form says), else whoever logged the team's
    sessions of the block (most sessions first), else of any time; "" when nobody is
    named. Never a login name: ``root`` or ``jovyan`` is no name for a sponsor's page."""
    named = workspace.default_author()
    if named:
        return named
    during = [entry for entry in entries if start <= entry.day <= end]
    authors = Counter(entry.author for entry in during or entries if entry.author)
    return ", ".join(author for author, _count in authors.most_common(3))


def block_page(workspace: Workspace | str | Path | None, **parameters) -> Page:
    """The coaching-block report as a Page (parameters as :func:`block_request`)."""
    return BlockBuilder(block_request(workspace, **parameters)).page()


class BlockBuilder:
    def __init__(self, request: BlockRequest) -> None:
        self.request = request
        self.workspace = request.workspace
        self.team = request.team
        self.start, self.end = request.start, request.end
        self.include_reflections = request.include_reflections
        log = load_log(self.workspace, team=self.team)
        self.problems = log.problems
        self.entries = [e for e in log.entries if self.start <= e.day <= self.end]
        self.catalogue = {entry.url: entry for entry in load_catalogue(self.workspace)}
        self.summary = request.summary
        if self.summary is None:
            saved = latest_block_summary(
                self.workspace, team=self.team, start=self.start, end=self.end
            )
            self.summary = saved.latest
            self.problems = [*self.problems, *saved.problems]
        self.coach = coach_name(self.workspace, log.entries, start=self.start, end=self.end)

    def page(self) -> Page:
        if self.include_reflections:
            privacy = (
                "This report includes the names of the people coached and their own "
                "reflections (asked for with --include-reflections). Share it only "
                "with people the team agreed to."
            )
        else:
            privacy = (
                "What the team did, in its own words; no names of the people coached "
                "and none of their personal reflections."
            )
        notes = [Note(privacy, "privacy")]
        if self.problems:
            notes.append(problems_note(len(self.problems)))
        if not self.entries:
            notes.append(
                Note(
                    f"No sessions of {self.team} logged between {self.start} and {self.end}.",
                    "empty",
                )
            )
            sections: list[Section] = []
        else:
            sections = [self.sessions(), *self.learning_hours(), self.own_words()]
            if self.include_reflections:
                sections.append(self.people())
        period = f"{self.start.isoformat()} to {self.end.isoformat()}"
        facts = f"{period} · {len(self.entries)} session(s) logged"
        if self.coach:
            facts += f" · coach: {self.coach}"
        headline = Headline(facts)
        if self.summary is not None:
            by = f"{self.summary.author}, {self.summary.written.date().isoformat()}"
            if (self.summary.start, self.summary.end) != (self.start, self.end):
                by += f", for {self.summary.start} to {self.summary.end}"
            headline = Headline(
                facts,
                self.summary.text,
                by,
                "The coach's synthesis",
                "The coach's synthesis of the block",
            )
        return Page(
            title=f"Coaching block: {self.team}",
            headline=headline,
            sections=tuple(sections),
            notes=tuple(notes),
            footer=Footer(person=f"{self.team}, {period}", as_of=self.end),
            file_stem=f"block-{self.request.slug}-{self.start.isoformat()}-{self.end.isoformat()}",
        )

    def sessions(self) -> Section:
        """Sessions held by kind, time spent and attendance; sessions per week."""
        kinds = Counter(entry.kind for entry in self.entries)
        rows = []
        for kind, label in KINDS.items():
            held = [e for e in self.entries if e.kind == kind]
            if not held:
                continue
            minutes = sum(e.minutes or 0 for e in held)
            counted = [e.participants for e in held if e.participants]
            attendance = (
                f"{sum(counted) / len(counted):.1f} on average" if counted else "not logged"
            )
            rows.append((label, str(kinds[kind]), _hours(minutes), attendance))
        total = sum(e.minutes or 0 for e in self.entries)
        table = Table(
            f"Sessions of {self.team}, {self.start} to {self.end} "
            f"({len(self.entries)} in all, {_hours(total)})",
            ("Kind", "Sessions", "Time", "Participants"),
            tuple(rows),
        )
        figure = plots.sessions_chart(
            self.entries, self.start, self.end, title=f"Sessions per week: {self.team}"
        )
        described = plots.describe_sessions(self.entries, self.start, self.end)
        return Section("Sessions held", (table, Chart(plots.to_png(figure), described, described)))

    def learning_hours(self) -> list[Section]:
        """The learning hours held, with their theme, in order; a series shows as its run
        of sessions on one theme."""
        held = [e for e in self.entries if e.kind == "learning-hour"]
        if not held:
            return []
        rows = []
        for entry in held:
            found = self.catalogue.get(entry.learning_hour)
            title = found.title if found else entry.material or "—"
            theme = found.theme.replace("_", " ") if found else "—"
            rows.append((entry.day.isoformat(), title, theme))
        themes = Counter(row[2] for row in rows if row[2] != "—")
        series = [
            f"{theme} ({count} sessions)" for theme, count in themes.most_common() if count > 1
        ]
        blocks: list = [
            Table(
                "Learning hours held",
                ("Date", "Learning hour", "Theme"),
                tuple(rows),
                compact=True,
                short_heads=True,
            )
        ]
        if series:
            blocks.append(Note("Themes taken up more than once: " + "; ".join(series) + "."))
        if any(self.catalogue.get(e.learning_hour) for e in held):
            blocks.append(Note(ATTRIBUTION, "attribution"))
        return [Section("Learning-hour topics", tuple(blocks))]

    def own_words(self) -> Section:
        """What went well, challenges, business value and next steps: the team's notes,
        as written, dated."""
        blocks: list = [
            Note(
                "Each line once, with how often and when it was written in the "
                "session log, the most often said first."
            )
        ]
        for key in OWN_WORDS:
            said = [(e.day, e.status[key]) for e in self.entries if e.status.get(key)]
            if said:
                blocks.append(Section(STATUS_FIELDS[key], (merged_lines(said),), level=3))
        return Section("In the team's own words", tuple(blocks))

    def people(self) -> Section:
        """Only with ``include_reflections``: who took part in which role, and each
        person's own reflections from reviews saved during the block."""
        people: dict[str, Counter] = {}
        for entry in self.entries:
            for person in entry.people:
                people.setdefault(person.coachee, Counter())[person.role] += 1
        rows = tuple(
            (name, ", ".join(f"{SESSION_ROLES[role]} × {count}" for role, count in roles.items()))
            for name, roles in sorted(people.items())
        )
        blocks: list = [Table("Roles in the block's sessions", ("Person", "Roles"), rows)]
        stages = [(e.day, e.people[0].coachee, STAGES[e.stage]) for e in self.entries if e.stage]
        if stages:
            blocks.append(
                Table(
                    "Mentoring",
                    ("Date", "Person", "Stage"),
                    tuple((d.isoformat(), n, s) for d, n, s in stages),
                )
            )
        for name in sorted(people):
            reviews = [
                r
                for r in load_journal(self.workspace, coachee=name).reviews
                if r.role == "self" and self.start <= r.when.date() <= self.end
            ]
            said = [
                (r.when.date(), a.reflection)
                for r in reviews
                for a in r.assessments
                if a.reflection
            ]
            if said:
                blocks.append(
                    Section(
                        name, tuple(Note(f"{d.isoformat()}: {t}", "said") for d, t in said), level=3
                    )
                )
        return Section("People and their reflections", tuple(blocks))


_BULLET = re.compile(r"^\s*(?:[-*•·]|\d+[.)])\s+")


def merged_lines(said: list[tuple[date, str]]) -> Remarks:
    """Every line of the texts once, with the days it was written: daily notes repeat
    themselves ("Plan the next block with the team lead." on five days), and a sponsor
    reads it once, knowing how often. Lines match whatever their case, spacing, bullet
    or final full stop; the first wording is kept. The most often said first, then in
    the order they were first said."""
    seen: dict[str, tuple[str, list[date]]] = {}
    for day, text in said:
        for raw in str(text).splitlines():
            line = _BULLET.sub("", raw).strip()
            if not line:
                continue
            key = " ".join(line.casefold().split()).rstrip(".")
            _first, days = seen.setdefault(key, (line, []))
            if day not in days:
                days.append(day)
    order = {key: index for index, key in enumerate(seen)}
    ranked = sorted(seen, key=lambda key: (-len(seen[key][1]), order[key]))
    return Remarks(tuple(Remark(seen[k][0], tuple(sorted(seen[k][1]))) for k in ranked))


def _hours(minutes: int) -> str:
    if not minutes:
        return "not logged"
    return f"{minutes / 60:.1f} hours" if minutes >= 60 else f"{minutes} minutes"
