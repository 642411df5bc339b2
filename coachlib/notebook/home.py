"""The coach's home notebook: the team at a glance, and the everyday actions without a terminal.

``home.ipynb`` at the top of a workspace (``coach init``, ``coach demo``) shows who is
coached and when each was last reviewed, and offers the everyday part of what the ``coach``
command does: start a review, log a session, make a reflection pack, collect the packs that
came back into ``inbox/``, make the team overview, a coaching-block report, export every
summary. Each action says what it made and links to it (the link opens the file in a tab of
the running JupyterLab). The rest (doctor, frameworks, CSV and PDF export) is the command's.
"""

from __future__ import annotations

import os
from datetime import date
from html import escape
from pathlib import Path
from typing import Any

import ipywidgets as w
from IPython.display import HTML

from ..model.errors import CoachError
from ..model.params import parse_as_of
from ..model.rules import REVIEWER_ROLES
from ..store import exchange
from ..store.frameworks import registry_for
from ..store.journal import load_journal
from ..store.workspace import INBOX, Workspace
from ..views import html
from .forms.base import Described
from .forms.status import StatusLine

WHOLE_LABEL = {"width": "auto"}  # a checkbox is 300 px wide by default: its label was cut


class Outcome:
    """What an action did, under its button: "Working…" and errors as a status line, and
    what it made as an output JupyterLab renders itself, so its links open the file in a
    tab of the running JupyterLab (a link in a widget's HTML would load all of JupyterLab
    again, 4-6 s). ``value`` is the last message, as HTML (for tests and logs)."""

    def __init__(self) -> None:
        self.status = StatusLine()
        self.made = w.Output()
        self.widget = w.VBox([self.status.widget, self.made])
        self.value = ""

    def info(self, message: str) -> None:
        self.made.clear_output()
        self.status.info(message)
        self.value = self.status.widget.value

    def error(self, message: str) -> None:
        self.made.clear_output()
        self.status.error(message)
        self.value = self.status.widget.value

    def bug(self, doing: str, exc: BaseException) -> None:
        """A programming error: said as a bug, with its traceback (the caller raises it)."""
        self.made.clear_output()
        self.status.bug(doing, exc)
        self.value = self.status.widget.value

    def done(self, words: str) -> None:
        """``words``: HTML (the actions escape what they put in it)."""
        from IPython.display import display

        self.status.widget.value = ""
        self.value = f'<div role="status" class="coach-ok">✔ {words}</div>'
        self.made.clear_output()
        with self.made:
            display(HTML(self.value))


class CoachHome:
    """Everything a coach starts from, for one workspace."""

    def __init__(self, *, workspace: str | Path | None = ".", as_of: str | date | None = None):
        self.workspace = Workspace.open(workspace, create=True)
        self.registry = registry_for(self.workspace.root)
        self.as_of = parse_as_of(as_of)
        # lists that follow what the forms just did (a coachee added by Start a review is
        # offered by Make a reflection pack at once): (widget, where its options come from)
        self._followers: list[tuple[Any, Any]] = []

    # -- the team ---------------------------------------------------------------------------

    def show_team(self) -> HTML:
        """Per coachee: the last review by the coach and the last self-review, with their
        frameworks and days since (levels and dates only: this page may be on a screen)."""
        journal = load_journal(self.workspace, registry=self.registry)
        last: dict[tuple[str, str], Any] = {}
        for review in journal.reviews:
            if review.when.date() <= self.as_of:
                last[(review.coachee, review.role)] = review
        rows = []
        for coachee in self.workspace.coachees().values():
            cells = [coachee]
            for role in REVIEWER_ROLES:
                latest = last.get((coachee, role))
                if latest is None:
                    cells.append("never")
                    continue
                title = self.registry.frameworks.get(latest.framework)
                days = (self.as_of - latest.when.date()).days
                cells.append(
                    f"{latest.when.date().isoformat()} ({days} days ago), "
                    f"{title.title if title else latest.framework}"
                )
            rows.append(cells)
        if not rows:
            return HTML(
                html.paragraph("Nobody is coached in this workspace yet: start a review below.")
            )
        parts = [
            html.problems_html(journal.problems),
            html.table_html(
                f"The team, as of {self.as_of.isoformat()}",
                ["Coachee", "Last coach review", "Last self-review"],
                rows,
            ),
        ]
        return HTML("\n".join(part for part in parts if part))

    # -- actions ----------------------------------------------------------------------------

    def actions(self) -> Described:
        """The forms for each action, one under the other."""
        sections = [self._review(), self._log(), self._pack(), self._collect()]
        if exchange.configured():  # on a coaching hub: whose server is shared with you
            sections.append(self._shared())
        box = w.VBox([*sections, self._team(), self._block(), self._summaries()])
        return Described(box, "The actions show here once the notebook runs.")

    def link(self, path: Path, text: str | None = None) -> str:
        """A link a notebook output opens in JupyterLab (relative to the home notebook)."""
        relative = os.path.relpath(path.resolve(), self.workspace.root.resolve())
        return f'<a href="{escape(relative)}">{escape(text or relative)}</a>'

    def _coachees(self) -> list[str]:
        return list(self.workspace.coachees().values())

    def _teams(self) -> list[str]:
        return list(self.workspace.teams().values())

    def _follow(self, widget: Any, options: Any) -> Any:
        """Keep ``widget``'s options as ``options()`` says after every action."""
        self._followers.append((widget, options))
        return widget

    def _refresh(self) -> None:
        for widget, options in self._followers:
            value, fresh = widget.value, options()
            widget.options = fresh
            if value in fresh or isinstance(widget, w.Combobox):
                widget.value = value

    def _section(self, title: str, fields: list[w.Widget], label: str, action) -> w.VBox:
        outcome = Outcome()
        button = w.Button(description=label, button_style="primary", layout=w.Layout(width="auto"))

        def run(_button: Any) -> None:
            outcome.info("Working…")
            try:
                words = action()
                self._refresh()
            except CoachError as exc:  # a refusal: one line in the page
                outcome.error(f"Not done: {exc}")
                return
            except Exception as exc:
                outcome.bug("Not done", exc)
                raise
            outcome.done(words)

        button.on_click(run)
        heading = w.HTML(f"<h3>{html.esc(title)}</h3>")
        box = w.VBox([heading, *fields, button, outcome.widget])
        box.outcome = outcome  # what it did, for tests
        return box

    def _review(self) -> w.VBox:
        from ..export.new import new_session_notebook

        coachee = self._follow(
            w.Combobox(
                options=self._coachees(),
                placeholder="a coachee, or a new name",
                description="Coachee",
                ensure_option=False,
            ),
            self._coachees,
        )
        framework = w.Dropdown(
            options=[(f.title, f.id) for f in self.registry], description="Framework"
        )
        author = w.Text(description="Author", placeholder="who writes the review")
        role = w.ToggleButtons(options=list(REVIEWER_ROLES), value="coach", description="Role")
        newcomer = w.Checkbox(
            value=False,
            indent=False,
            layout=WHOLE_LABEL,
            description="a new person, though the name is close to a known one",
        )

        def make() -> str:
            made = new_session_notebook(
                self.workspace,
                framework=framework.value,
                coachee=coachee.value,
                author=author.value,
                role=role.value,
                new_coachee=newcomer.value,
            )
            newcomer.value = False
            return f"Review notebook made: {self.link(made.path)}"

        return self._section(
            "Start a review",
            [coachee, framework, author, role, newcomer],
            "Make the review notebook",
            make,
        )

    def _pack(self) -> w.VBox:
        from ..export.share import hand_out, make_pack

        on_hub = exchange.configured()

        def known() -> list[str]:
            people = self._coachees()
            if on_hub:  # the coachees the server's admin gave this coach, as well
                root = exchange.exchange_root()
                people += [f.name for f in exchange.folders(root) if f.name not in people]
            return people

        coachee = self._follow(w.Dropdown(options=known(), description="Coachee"), known)
        tracks = [(f.title, f.id) for f in self.registry]  # milestone tracks and skills
        framework = w.Dropdown(options=tracks, description="Track")
        view = w.Checkbox(
            description="with my latest milestone and next steps", indent=False, layout=WHOLE_LABEL
        )
        through = w.Checkbox(
            description="hand it out through the exchange",
            value=on_hub,
            indent=False,
            disabled=not on_hub,
            layout=WHOLE_LABEL,
        )

        def make() -> str:
            if through.value:
                pack = hand_out(
                    self.workspace,
                    coachee=coachee.value,
                    framework=framework.value,
                    exchange=exchange.exchange_root(),
                    coach_view=view.value,
                )
                return (
                    f"Pack for {html.esc(pack.coachee)} handed out "
                    f"({html.esc(pack.path.name)}): they find it in their packs/ "
                    "folder when their server starts"
                )
            pack = make_pack(
                self.workspace,
                coachee=coachee.value,
                framework=framework.value,
                coach_view=view.value,
            )
            return (
                f"Pack for {html.esc(pack.coachee)}: "
                f"{self.link(pack.path / 'README.md', self._relative(pack.path))}"
            )

        fields = [coachee, framework, view] + ([through] if on_hub else [])
        return self._section("Make a reflection pack", fields, "Make the pack", make)

    def _collect(self) -> w.VBox:
        from ..store.collect import collect

        inbox = self.workspace.inbox_dir
        on_hub = exchange.configured()
        where = f"{INBOX}/ and the exchange" if on_hub else f"{INBOX}/"
        note = w.HTML(
            html.paragraph(
                "Collects what your coachees handed in, and the packs that came back "
                f"(folders or zips) that you put into {INBOX}/."
                if on_hub
                else f"Put the packs that came back (folders or zips) into {INBOX}/."
            )
        )

        def run() -> str:
            packs = sorted(inbox.iterdir()) if inbox.is_dir() else []
            report = (
                exchange.collect_hand_ins(
                    self.workspace, exchange.exchange_root(), registry=self.registry, packs=packs
                )
                if on_hub
                else collect(self.workspace, packs, registry=self.registry)
            )
            if not report.outcomes and not packs:
                return f"Nothing handed in and no packs in {INBOX}/ yet."
            if not report.outcomes:  # packs, none holding a review: say so, as the CLI does
                listed = ", ".join(html.esc(self._pack_label(str(p))) for p in packs)
                return f"{html.esc(report.summary())} (read: {listed}; no reviews in them)"
            rows = [
                (o.status, self._pack_label(o.source), o.file or "-", o.reason)
                for o in report.outcomes
            ]
            return html.esc(report.summary()) + html.table_html(
                "What came back", ["Status", "Pack", "File", "Detail"], rows
            )

        return self._section(f"Collect the packs in {where}", [note], "Collect them", run)

    def _shared(self) -> w.VBox:
        """The coachees' servers shared with this coach (the coachee pressed Work together,
        or ran `coach live`), each with its link."""
        from ..serve.live import shared_with_me

        def look() -> str:
            found = shared_with_me()
            if not found:
                return "Nobody has shared their server with you right now."
            links = "".join(
                f'<li>{html.esc(s.owner)}: <a href="{html.esc(s.link)}" target="_blank" '
                f'rel="noopener">open their JupyterLab</a></li>'
                for s in found
            )
            return f"Shared with you:<ul>{links}</ul>"

        note = w.HTML(
            html.paragraph(
                "When a coachee presses Work together with my coach in their notebook, their "
                "server is yours to open until they press Stop."
            )
        )
        return self._section("Work together: servers shared with you", [note], "Look", look)

    def _team(self) -> w.VBox:
        from ..export.new import new_team_notebook

        def make() -> str:
            path = new_team_notebook(self.workspace, as_of=self.as_of)
            return f"Team overview: {self.link(path)}"

        return self._section("Team overview", [], "Make the team overview notebook", make)

    def _log(self) -> w.VBox:
        from ..export.new import new_log_notebook

        def make() -> str:
            path = new_log_notebook(self.workspace)
            return f"Session log: {self.link(path)} (a form for each session you coach)"

        return self._section("Log a coaching session", [], "Open the session log notebook", make)

    def _block(self) -> w.VBox:
        from ..export.summaries import export_block

        team = self._follow(
            w.Combobox(
                options=self._teams(),
                description="Team",
                placeholder="a team of the session log",
                ensure_option=False,
            ),
            self._teams,
        )
        start = w.DatePicker(description="From", value=self.as_of.replace(day=1))
        end = w.DatePicker(description="To", value=self.as_of)
        names = w.Checkbox(
            description="with names and personal reflections (the team agreed)",
            indent=False,
            layout=WHOLE_LABEL,
        )

        def make() -> str:
            path = export_block(
                self.workspace,
                team=team.value,
                date_from=start.value,
                date_to=end.value,
                include_reflections=names.value,
            )
            return f"Coaching-block report: {self.link(path)}"

        return self._section(
            "Coaching-block report", [team, start, end, names], "Write the report", make
        )

    def _summaries(self) -> w.VBox:
        from ..export.pool import export_all

        def run() -> str:
            result = export_all(self.workspace, as_of=self.as_of)
            links = ", ".join(self.link(path, path.name) for path in result.written)
            failed = "".join(
                f"<br>Failed for {html.esc(c)}: {html.esc(why)}" for c, why in result.failed
            )
            count = len(result.written)
            return f"{count} {'summary' if count == 1 else 'summaries'}: {links}{failed}"

        return self._section("HTML summaries", [], "Export every summary", run)

    def _relative(self, path: Path) -> str:
        return os.path.relpath(path.resolve(), self.workspace.root.resolve())

    def _pack_label(self, source: str) -> str:
        """A pack in the workspace by its path there; a hand-in (or a pack elsewhere) as
        collect labelled it, never as a climb of ../../ out of the workspace."""
        root = self.workspace.root.resolve()
        path = Path(source)
        if path.is_absolute() and path.resolve().is_relative_to(root):
            return self._relative(path)
        return source
