"""What a workbook's cells call: one object per open review session.

A notebook cell should read like a sentence (``session.show_standing()``), so the logic
lives here and in the modules it delegates to, where it is tested without a kernel.
Every ``show_*`` method returns (or displays) something Jupyter shows: HTML, a chart with
its text alternative and a caption that states its values, or a form. It works the same
run by ``coach new`` or nbval as in JupyterLab.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from IPython.display import HTML

from ..model import names
from ..model.errors import CoachError, InputError
from ..model.frameworks import Framework
from ..model.params import check_role, parse_as_of
from ..model.review import Review
from ..model.rules import REVIEWER_ROLES
from ..store.drafts import DraftKeeper
from ..store.frameworks import registry_for
from ..store.journal import JournalLoad, load_journal, save_review
from ..store.sessionlog import load_log_light
from ..store.workspace import Workspace
from ..views import evidence, html, plots, standing
from ..views.standing import Point, Standing
from .display import show_chart, show_part_charts, show_readiness
from .forms import MilestoneReviewForm, SkillsReviewForm, StatusLine
from .forms.base import Described
from .kernel import kernel_scheduler


class ExportBox(Described):
    """The Export button and its status line; in words where it cannot be drawn."""

    def __init__(self, button: Any, status: StatusLine) -> None:
        import ipywidgets as w

        super().__init__(
            w.VBox([button, status.widget]), "The Export button shows here once the notebook runs."
        )
        self.button = button
        self.status = status


class Session:
    """What every review session shares: who, which framework, the journal, the export."""

    def __init__(
        self,
        *,
        framework: str,
        coachee: str,
        author: str,
        role: str = "coach",
        workspace: str | Path | None = None,
        as_of: str | date | None = None,
    ) -> None:
        check_role(role)
        self.workspace = Workspace.open(workspace, create=True)
        self.registry = registry_for(self.workspace.root)
        # "id" is the newest text of a framework, "id@1" names an older one
        self.framework: Framework = self.registry.find(framework)
        self.newest: Framework = self.registry.get(self.framework.id)
        self.coachee = names.clean_name(coachee, "coachee name")
        self.author = names.clean_name(author, "author name")
        self.role = role
        self.as_of = parse_as_of(as_of)
        self.refresh()

    def refresh(self) -> None:
        """Read the coachee's journal again (after a save, or another person's save)."""
        self.journal: JournalLoad = load_journal(
            self.workspace, coachee=self.coachee, registry=self.registry
        )

    def save(self, review: Review) -> Review:
        return save_review(self.workspace, review, self.registry)

    def draft_keeper(self, state) -> DraftKeeper:
        """Keeps the form's unsaved text as a draft (see ``coachlib.store.drafts``)."""
        return DraftKeeper(
            self.workspace,
            coachee=self.coachee,
            framework=self.framework.id,
            role=self.role,
            author=self.author,
            state=state,
            scheduler=kernel_scheduler(),
        )

    def show_title(self) -> HTML:
        who = "self-review" if self.role == "self" else f"review by {self.author}"
        older = ""
        if self.newest is not self.framework:
            older = (
                f"<p class='{html.NO_MATH}'><strong>This review uses an older text: "
                f"{html.esc(self.framework.version_label)}.</strong> "
                f"{html.esc(self.newest.version_label).capitalize()} is newest "
                f"(<code>coach frameworks diff {html.esc(self.framework.id)} "
                f"{self.framework.version} {self.newest.version}</code>).</p>"
            )
        return HTML(
            f"<p class='{html.NO_MATH}'><strong>{html.esc(self.coachee)}</strong> · "
            f"{html.esc(self.framework.title)} ({html.esc(self.framework.version_label)})"
            f" · {html.esc(who)} · as of {self.as_of.isoformat()}</p>"
            + older
            + html.problems_html(self.registry.problems)  # a framework file left out
        )

    def export_button(self) -> Any:
        """A button that writes the HTML summary (as `coach export`) and shows the path."""
        import ipywidgets as w

        button = w.Button(
            description="Export HTML summary",
            icon="file",
            button_style="info",
            layout=w.Layout(width="auto"),
        )
        status = StatusLine()

        def export(_button: Any) -> None:
            from ..export.summaries import export_summary

            status.info("Exporting…")
            try:
                path = export_summary(self.workspace, self.coachee, as_of=self.as_of)
            except CoachError as exc:
                status.error(f"Export failed: {exc}")
                return
            except Exception as exc:
                status.bug("Export failed", exc)
                raise
            status.ok(f"Summary written to {path.resolve()}")

        button.on_click(export)
        return ExportBox(button, status)


class ReviewSession(Session):
    """A milestone review (Samman tracks): one skill whose levels are the milestones."""

    @property
    def skill(self):
        return self.framework.track_skill

    def standing(self) -> Standing:
        return standing.standing(
            self.journal.reviews,
            coachee=self.coachee,
            framework=self.framework.id,
            skill=self.skill.id,
            as_of=self.as_of,
            level_now=self.registry.record_level,
        )

    def show_standing(self) -> HTML:
        """Both latest milestones, the ladder with them marked, days since last review,
        and each latest review's level in the words of the text it was made against."""
        current = self.standing()
        log = self.logged()
        found = evidence.evidence_by_level(self.newest, log.entries, self.coachee, as_of=self.as_of)
        if not log.entries:  # nothing logged for this person: no column of "none logged"
            found = {}
        parts = [
            html.problems_html(self.journal.problems),
            html.standing_html(self.newest, current, coachee=self.coachee),
            html.ladder_html(
                self.newest,
                coach_level=current.coach_level,
                self_level=current.self_level,
                evidence=found if found else None,
            ),
            html.evidence_html(
                self.newest,
                found,
                self.coachee,
                flag=evidence.evidence_flag(current.coach_level, found),
            )
            if found
            else "",
            html.problems_html(log.problems),
            self._made_against_html(),
        ]
        return HTML("\n".join(part for part in parts if part))

    def logged(self):
        """The coachee's logged sessions (read once per session: the log index)."""
        if getattr(self, "_logged", None) is None:
            self._logged = load_log_light(self.workspace, coachee=self.coachee)
        return self._logged

    def _made_against_html(self) -> str:
        """For a latest review made against an older text: its level in that text's
        words, and where to see what changed."""
        out = []
        for role in REVIEWER_ROLES:
            latest = standing.latest_review(
                self.journal.reviews,
                coachee=self.coachee,
                framework=self.framework.id,
                role=role,
                as_of=self.as_of,
            )
            if latest is None:
                continue
            against = self.registry.of_record(latest)
            if against.version == self.newest.version:
                continue
            level = next((a.level for a in latest.assessments if a.level is not None), None)
            words = html.level_text(against, level)
            said = f"The latest {role} review ({words}) was made against {against.version_label}."
            out.append(html.paragraph(said) + html.version_note_html(against, self.newest))
        return "\n".join(out)

    def show_framework(self) -> HTML:
        """The milestones in full, rendered from the framework file."""
        return HTML(html.framework_html(self.framework))

    def review_form(self) -> MilestoneReviewForm:
        """The form; Save writes a new journal record and re-reads the journal."""
        form: MilestoneReviewForm = MilestoneReviewForm(
            self.framework,
            coachee=self.coachee,
            author=self.author,
            role=self.role,
            save=self.save,
            on_saved=lambda _saved: self.refresh(),
            drafts=self.draft_keeper(lambda: form.draft_state()),
            sessions=self._session_choices(),
        )
        return form

    def _session_choices(self) -> list[tuple[str, str]]:
        """The coachee's logged sessions up to the review's day, newest first, as (label,
        id) for the form: date, kind, team, their role, the material."""
        mine = [e for e in self.logged().entries if e.role_of(self.coachee) and e.day <= self.as_of]
        return [
            (
                " · ".join(
                    p for p in (html.session_words(e, self.coachee), (e.material or "")[:60]) if p
                ),
                e.id,
            )
            for e in reversed(mine)
        ]

    def progress_series(self) -> dict[str, list[Point]]:
        return standing.progress_series(
            self.journal.reviews,
            coachee=self.coachee,
            framework=self.framework.id,
            skill=self.skill.id,
            as_of=self.as_of,
            level_now=self.registry.record_level,
        )

    def show_progress(self) -> None:
        """The chart (coach and self, every review's date) and its values as text."""
        self.refresh()
        series = self.progress_series()
        figure = plots.progress_chart(
            self.framework, series, title=f"{self.coachee}: {self.framework.title}"
        )
        show_chart(figure, plots.describe_progress(self.framework, series))


class SkillsReviewSession(Session):
    """A review of a framework with many skills (a matrix or a catalogue), part by part."""

    def __init__(self, *, part: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        parts = [group.id for group, _ in self.framework.parts()]
        if part and part not in parts:
            raise InputError(f"no part {part!r} in {self.framework.id} (parts: {', '.join(parts)})")
        self.part = part or parts[0]

    def frame(self):
        """The coachee's history as a DataFrame (the skills views need pandas)."""
        from ..views.history import history_frame

        return history_frame(self.journal.reviews, self.registry)

    def table(self):
        """Latest coach and self rating of every skill, as of the session's date."""
        from ..views.history import latest_by_skill

        return latest_by_skill(
            self.frame(), coachee=self.coachee, framework=self.framework, as_of=self.as_of
        )

    def show_standing(self) -> HTML:
        """Per part: skills rated by coach and self, and gaps; then the chosen part."""
        from ..views.history import skill_rows

        table = self.table()
        frame = self.frame()
        frame = frame[frame["when"].dt.date <= self.as_of] if not frame.empty else frame
        last = frame["when"].max() if not frame.empty else None
        days = f"{(self.as_of - last.date()).days} days ago ({last.date()})" if last else "never"
        reviews = frame["record_id"].nunique() if not frame.empty else 0
        parts = [
            html.problems_html(self.journal.problems),
            html.paragraph(
                f"{self.coachee} on {self.framework.title}: {reviews} review record(s) saved; "
                f"last review {days}."
            ),
            html.parts_summary_html(self.framework, skill_rows(table)),
            html.skills_table_html(self.framework, self.framework.group(self.part), table),
        ]
        return HTML("\n".join(part for part in parts if part))

    def hints(self) -> dict[str, str]:
        """'Last: coach 3 Practice (2026-05-01), self 4 Drive/Lead (2026-04-28)' per skill."""
        hints = {}
        for row in self.table().itertuples():
            said = []
            for role in REVIEWER_ROLES:
                text = html.rating_text(
                    self.framework, getattr(row, role), getattr(row, f"{role}_mark")
                )
                when = getattr(row, f"{role}_when")
                if text != "not rated":
                    said.append(f"{role} {text} ({when.date()})")
            if said:
                hints[row.skill] = "Last: " + ", ".join(said)
        return hints

    def review_form(self) -> SkillsReviewForm:
        form: SkillsReviewForm = SkillsReviewForm(
            self.framework,
            coachee=self.coachee,
            author=self.author,
            role=self.role,
            save=self.save,
            part=self.part,
            hints=self.hints(),
            on_saved=lambda _saved: self.refresh(),
            drafts=self.draft_keeper(lambda: form.draft_state()),
        )
        return form

    def show_charts(self, part: str | None = None) -> None:
        """Radar and bars for one part; for a catalogue, readiness per tier too."""
        self.refresh()
        show_part_charts(self.framework, self.table(), part or self.part, coachee=self.coachee)
        if self.framework.shape == "catalogue":
            show_readiness(self.framework, self.table(), coachee=self.coachee)
