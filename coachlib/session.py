"""What a workbook's cells call: one object per open review session.

A notebook cell should read like a sentence (``session.show_standing()``), so the logic
lives here and in the modules it delegates to, where it is tested without a kernel.
Every ``show_*`` method returns something Jupyter displays (HTML or a PNG with alt text),
and works the same headless (papermill, nbval) as in JupyterLab.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from IPython.display import HTML, Image, display

from . import analysis, names, plots, render
from .errors import InputError
from .frameworks import catalog_for
from .journal import ROLES, Review, save_review
from .widgets import MilestoneReviewForm, StatusLine
from .workspace import Workspace


def parse_as_of(value: str | date | None) -> date:
    """The date a workbook is seen as of: '' or None means today."""
    if value in (None, ""):
        return date.today()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InputError(f"as_of must be a date like 2026-06-30, not {value!r}") from None


class ReviewSession:
    """A coach (or a coachee, role ``self``) reviewing one coachee on one framework."""

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
        if role not in ROLES:
            raise InputError(f"role must be 'coach' or 'self', not {role!r}")
        self.workspace = Workspace.open(workspace, create=True)
        self.catalog = catalog_for(self.workspace.root)
        self.framework = self.catalog.get(framework)
        self.coachee = names.clean_name(coachee, "coachee name")
        self.author = names.clean_name(author, "author name")
        self.role = role
        self.as_of = parse_as_of(as_of)
        self.refresh()

    def refresh(self) -> None:
        """Read the coachee's journal again (after a save, or another person's save)."""
        self.history = analysis.load_history(
            self.workspace, coachee=self.coachee, catalog=self.catalog
        )

    @property
    def skill(self):
        return self.framework.track_skill

    def standing(self) -> analysis.Standing:
        return analysis.standing(
            self.history.frame,
            coachee=self.coachee,
            framework=self.framework.id,
            skill=self.skill.id,
            as_of=self.as_of,
        )

    # -- cells ---------------------------------------------------------------------------

    def show_title(self) -> HTML:
        who = "self-review" if self.role == "self" else f"review by {self.author}"
        return HTML(
            f"<p class='{render.NO_MATH}'><strong>{render.esc(self.coachee)}</strong> · "
            f"{render.esc(self.framework.title)} · {render.esc(who)} · "
            f"as of {self.as_of.isoformat()}</p>"
        )

    def show_standing(self) -> HTML:
        """Both latest milestones, the ladder with them marked, days since last review."""
        current = self.standing()
        parts = [
            render.problems_html(self.history.problems),
            render.standing_html(self.framework, current, coachee=self.coachee),
            render.ladder_html(
                self.framework, coach_level=current.coach_level, self_level=current.self_level
            ),
        ]
        return HTML("\n".join(part for part in parts if part))

    def show_framework(self) -> HTML:
        """The milestones in full, rendered from the framework file."""
        return HTML(render.framework_html(self.framework))

    def review_form(self) -> MilestoneReviewForm:
        """The form; Save writes a new journal record and re-reads the journal."""

        def save(review: Review) -> Review:
            return save_review(self.workspace, review, self.catalog)

        return MilestoneReviewForm(
            self.framework,
            coachee=self.coachee,
            author=self.author,
            role=self.role,
            save=save,
            on_saved=lambda _saved: self.refresh(),
        )

    def progress_series(self):
        return analysis.progress_series(
            self.history.frame,
            coachee=self.coachee,
            framework=self.framework.id,
            skill=self.skill.id,
            as_of=self.as_of,
        )

    def show_progress(self) -> None:
        """The chart (coach and self, every review's date) and its values as text."""
        self.refresh()
        series = self.progress_series()
        figure = plots.progress_chart(
            self.framework, series, title=f"{self.coachee}: {self.framework.title}"
        )
        description = plots.describe_progress(self.framework, series)
        display(Image(plots.to_png(figure), alt=description))
        display(HTML(f'<p class="coach-caption {render.NO_MATH}">{render.esc(description)}</p>'))

    def export_button(self) -> Any:
        """A button that writes the HTML summary (as `coach export`) and shows the path."""
        import ipywidgets as w

        button = w.Button(description="Export HTML summary", icon="file", button_style="info")
        status = StatusLine()

        def export(_button: Any) -> None:
            from .report import export_summary

            status.info("Exporting… (this starts a kernel; about 10 seconds)")
            try:
                path = export_summary(self.workspace, self.coachee, as_of=self.as_of)
            except Exception as exc:
                status.error(f"Export failed: {exc}")
                return
            status.ok(f"Summary written to {path.resolve()}")

        button.on_click(export)
        box = w.VBox([button, status.widget])
        box.status = status  # type: ignore[attr-defined] - for tests and the browser
        box.button = button  # type: ignore[attr-defined]
        return box
