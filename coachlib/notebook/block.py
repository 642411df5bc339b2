"""The coaching-block report shown by ``workbooks/block_report.ipynb`` (and ``coach block``).

For the people who sponsor the coaching: what one team did over a block of weeks, from
the session log. Sessions by kind, the learning-hour topics and series, attendance, a
chart of sessions over time, and in the team's own words what went well, the challenges,
the business value and the next steps. Nobody's personal reflections, and no names of the
people coached, unless ``include_reflections`` says the team agreed.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

from IPython.display import HTML, display

from ..model import names
from ..model.catalogue import ATTRIBUTION
from ..model.params import parse_period
from ..model.sessionlog import KINDS, ROLES, STAGES, STATUS_FIELDS
from ..store.journal import load_journal
from ..store.sessionlog import load_catalogue, load_log
from ..store.workspace import Workspace
from ..views import html as render
from ..views import plots
from .display import show_chart

OWN_WORDS = ("went_well", "challenges", "business_value", "next_steps", "progress",
             "what_we_did", "surprised")  # fmt: skip


class BlockReport:
    """One team's coaching block, from ``date_from`` to ``date_to`` (both included)."""

    def __init__(
        self,
        *,
        team: str,
        date_from: str | date,
        date_to: str | date | None = None,
        workspace: str | Path | None = None,
        include_reflections: bool = False,
    ) -> None:
        self.workspace = Workspace.open(workspace)
        self.team = names.clean_name(team, "team name")
        self.start, self.end = parse_period(date_from, date_to)
        self.workspace.require_team_slug(self.team)
        self.include_reflections = bool(include_reflections)
        log = load_log(self.workspace, team=self.team)
        self.problems = log.problems
        self.entries = [e for e in log.entries if self.start <= e.day <= self.end]
        self.catalogue = {entry.url: entry for entry in load_catalogue(self.workspace)}

    def show_header(self) -> HTML:
        privacy = (
            "<p class='coach-privacy'><strong>This report includes the names of the people "
            "coached and their own reflections</strong> (asked for with "
            "--include-reflections). Share it only with people the team agreed to.</p>"
            if self.include_reflections
            else "<p class='coach-privacy'>What the team did, in its own words; no names of "
            "the people coached and none of their personal reflections.</p>"
        )
        return HTML(
            f'<header class="coach-header {render.NO_MATH}">'
            f"<h1>Coaching block: {render.esc(self.team)}</h1>"
            f"<p>{self.start.isoformat()} to {self.end.isoformat()} · "
            f"{len(self.entries)} session(s) logged</p>{privacy}"
            f"{render.problems_html(self.problems, named=False)}</header>"
        )

    def show_all(self) -> None:
        if not self.entries:
            display(HTML(render.paragraph(
                f"No sessions of {self.team} logged between {self.start} and {self.end}."
            )))  # fmt: skip
            return
        self.show_sessions()
        self.show_chart()
        self.show_learning_hours()
        self.show_own_words()
        if self.include_reflections:
            self.show_people()

    def show_sessions(self) -> None:
        """Sessions held by kind, time spent and attendance."""
        kinds = Counter(entry.kind for entry in self.entries)
        rows = []
        for kind, label in KINDS.items():
            held = [e for e in self.entries if e.kind == kind]
            if not held:
                continue
            minutes = sum(e.minutes or 0 for e in held)
            counted = [e.participants for e in held if e.participants]
            attendance = (f"{sum(counted) / len(counted):.1f} on average"
                          if counted else "not logged")  # fmt: skip
            rows.append((label, kinds[kind], _hours(minutes), attendance))
        total = sum(e.minutes or 0 for e in self.entries)
        display(HTML(
            f'<h2 class="{render.NO_MATH}">Sessions held</h2>'
            + render.table_html(
                f"Sessions of {self.team}, {self.start} to {self.end} "
                f"({len(self.entries)} in all, {_hours(total)})",
                ["Kind", "Sessions", "Time", "Participants"], rows,
            )
        ))  # fmt: skip

    def show_chart(self) -> None:
        figure = plots.sessions_chart(self.entries, self.start, self.end,
                                      title=f"Sessions per week: {self.team}")  # fmt: skip
        show_chart(figure, plots.describe_sessions(self.entries, self.start, self.end))

    def show_learning_hours(self) -> None:
        """The learning hours held, with their theme, in order; a series shows as its
        run of sessions on one theme."""
        held = [e for e in self.entries if e.kind == "learning-hour"]
        if not held:
            return
        rows = []
        for entry in held:
            found = self.catalogue.get(entry.learning_hour)
            title = found.title if found else entry.material or "—"
            theme = found.theme.replace("_", " ") if found else "—"
            rows.append((entry.day.isoformat(), title, theme))
        themes = Counter(row[2] for row in rows if row[2] != "—")
        series = [f"{theme} ({count} sessions)" for theme, count in themes.most_common()
                  if count > 1]  # fmt: skip
        out = [f'<h2 class="{render.NO_MATH}">Learning-hour topics</h2>',
               render.table_html("Learning hours held", ["Date", "Learning hour", "Theme"],
                                 rows)]  # fmt: skip
        if series:
            out.append(render.paragraph("Themes taken up more than once: " + "; ".join(series)
                                        + "."))  # fmt: skip
        if any(self.catalogue.get(e.learning_hour) for e in held):
            out.append(f'<p class="coach-attribution {render.NO_MATH}"><small>'
                       f"{render.esc(ATTRIBUTION)}</small></p>")  # fmt: skip
        display(HTML("\n".join(out)))

    def show_own_words(self) -> None:
        """What went well, challenges, business value and next steps: the team's notes,
        as written, dated."""
        out = [f'<h2 class="{render.NO_MATH}">In the team\'s own words</h2>']
        for key in OWN_WORDS:
            said = [(e.day, e.status[key]) for e in self.entries if e.status.get(key)]
            if not said:
                continue
            out.append(f'<h3 class="{render.NO_MATH}">{render.esc(STATUS_FIELDS[key])}</h3>'
                       f'<ul class="{render.NO_MATH}">')  # fmt: skip
            out += [f"<li>{day.isoformat()}: {render.esc(text)}</li>" for day, text in said]
            out.append("</ul>")
        display(HTML("\n".join(out)))

    def show_people(self) -> None:
        """Only with ``include_reflections``: who took part in which role, and each
        person's own reflections from reviews saved during the block."""
        people: dict[str, Counter] = {}
        for entry in self.entries:
            for person in entry.people:
                people.setdefault(person.coachee, Counter())[person.role] += 1
        rows = [(name, ", ".join(f"{ROLES[role]} × {count}" for role, count in roles.items()))
                for name, roles in sorted(people.items())]  # fmt: skip
        out = [
            f'<h2 class="{render.NO_MATH}">People and their reflections</h2>',
            render.table_html("Roles in the block's sessions", ["Person", "Roles"], rows),
        ]
        stages = [(e.day, e.people[0].coachee, STAGES[e.stage]) for e in self.entries
                  if e.stage]  # fmt: skip
        if stages:
            rows = [(day.isoformat(), name, stage) for day, name, stage in stages]
            out.append(render.table_html("Mentoring", ["Date", "Person", "Stage"], rows))
        for name in sorted(people):
            reviews = [r for r in load_journal(self.workspace, coachee=name).reviews
                       if r.role == "self" and self.start <= r.when.date() <= self.end]  # fmt: skip
            said = [(r.when.date(), a.reflection) for r in reviews for a in r.assessments
                    if a.reflection]  # fmt: skip
            if said:
                out.append(f'<h3 class="{render.NO_MATH}">{render.esc(name)}</h3><ul>')
                out += [f"<li>{d.isoformat()}: {render.esc(t)}</li>" for d, t in said]
                out.append("</ul>")
        display(HTML("\n".join(out)))


def _hours(minutes: int) -> str:
    if not minutes:
        return "not logged"
    return f"{minutes / 60:.1f} hours" if minutes >= 60 else f"{minutes} minutes"
