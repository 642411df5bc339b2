"""ipywidgets forms. Thin: they collect what a person typed and hand it to ``journal``.

The form never clears itself: after a failed save everything typed is still there, and
after a successful one the coach can adjust and save again (a second, separate record).
Save errors of any kind are shown in the form, never raised into the notebook, so a full
disk or a bad value cannot lose what was typed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w

from . import render
from .frameworks import Framework
from .journal import Assessment, Review, new_review

TEXT_LAYOUT = {"width": "100%", "height": "6em"}
LABEL_STYLE = {"description_width": "9em"}


def _textarea(label: str, placeholder: str) -> w.Textarea:
    return w.Textarea(
        description=label,
        placeholder=placeholder,
        layout=w.Layout(**TEXT_LAYOUT),
        style=LABEL_STYLE,
        continuous_update=True,
    )


class StatusLine:
    """One line under a form saying what happened (role=status for screen readers)."""

    def __init__(self) -> None:
        self.widget = w.HTML(value="")

    def ok(self, message: str) -> None:
        self.widget.value = f'<div role="status" class="coach-ok">✔ {render.esc(message)}</div>'

    def error(self, message: str) -> None:
        self.widget.value = (
            f'<div role="alert" class="coach-error" style="color:#a40000">'
            f"✖ {render.esc(message)}</div>"
        )

    def info(self, message: str) -> None:
        self.widget.value = f'<div role="status">{render.esc(message)}</div>'

    @property
    def text(self) -> str:
        """The message without markup (for tests and logs)."""
        import re

        return re.sub(r"<[^>]+>", "", self.widget.value).replace("&lt;", "<").strip()


class MilestoneReviewForm:
    """Pick a milestone, write evidence, reflection, next steps and notes, Save.

    ``save`` receives the finished :class:`Review` and returns it saved (with its path);
    the session passes ``journal.save_review`` bound to the workspace.
    """

    def __init__(
        self,
        framework: Framework,
        *,
        coachee: str,
        author: str,
        role: str,
        save: Callable[[Review], Review],
        on_saved: Callable[[Review], Any] | None = None,
    ) -> None:
        self.framework = framework
        self.coachee = coachee
        self.author = author
        self.role = role
        self._save = save
        self._on_saved = on_saved
        self.saved: list[Review] = []
        whose = "your own" if role == "self" else f"{coachee}'s"
        self.picker = w.RadioButtons(
            options=[(level.label, level.level) for level in framework.scale],
            value=None,
            description="Milestone",
            layout=w.Layout(width="100%"),
            style=LABEL_STYLE,
        )
        self.detail = w.HTML(value=self._detail_html(None))
        self.evidence = _textarea("Evidence", f"What did you see that shows {whose} level?")
        self.reflection = _textarea("Reflection", "What went well, what was hard, what surprised?")
        self.next_steps = _textarea("Next steps", "What to try or learn before the next review?")
        self.notes = _textarea("Session notes", "Anything else about this session.")
        self.save_button = w.Button(
            description="Save review",
            button_style="primary",
            icon="save",
            tooltip="Save this review to the journal (a new record each time)",
        )
        self.status = StatusLine()
        self.picker.observe(self._show_detail, names="value")
        self.save_button.on_click(lambda _button: self.save())
        self.widget = w.VBox(
            [
                w.HTML(
                    f"<strong>{render.esc(framework.title)}</strong>: review of "
                    f"{render.esc(coachee)} by {render.esc(author)} ({render.esc(role)})"
                ),
                self.picker,
                self.detail,
                self.evidence,
                self.reflection,
                self.next_steps,
                self.notes,
                self.save_button,
                self.status.widget,
            ],
            layout=w.Layout(width="100%"),
        )

    def _detail_html(self, level: int | None) -> str:
        if level is None:
            return "<p><em>Pick the milestone that describes the work you have seen.</em></p>"
        entry = self.framework.level(level)
        role = ""
        if entry.coaching_role:
            role = f"<p><em>Job role: {render.esc(render.role_text(entry.coaching_role))}</em></p>"
        return (
            f'<div class="{render.NO_MATH}" style="border-left:4px solid #0072B2;'
            f'padding-left:0.8em"><p><strong>{render.esc(entry.name)}'
            f"{': ' + render.esc(entry.title) if entry.title else ''}</strong></p>"
            f"<p>{render.esc(entry.description or '')}</p>{role}</div>"
        )

    def _show_detail(self, change: dict[str, Any]) -> None:
        self.detail.value = self._detail_html(change["new"])

    def review(self) -> Review:
        """The review the form currently describes (raises InputError if incomplete)."""
        from .errors import InputError

        if self.picker.value is None:
            raise InputError("pick a milestone before saving")
        assessment = Assessment(
            skill=self.framework.track_skill.id,
            level=self.picker.value,
            evidence=self.evidence.value.strip(),
            reflection=self.reflection.value.strip(),
            next_steps=self.next_steps.value.strip(),
        )
        return new_review(
            coachee=self.coachee,
            framework=self.framework.id,
            author=self.author,
            role=self.role,
            assessments=[assessment],
            notes=self.notes.value.strip(),
        )

    def save(self) -> Review | None:
        """Save a new record; on any failure show the error and keep every field as typed."""
        try:
            saved = self._save(self.review())
        except Exception as exc:
            self.status.error(f"Not saved: {exc}. Everything you typed is still here.")
            return None
        self.saved.append(saved)
        count = len(self.saved)
        where = saved.path if saved.path is not None else "the journal"
        self.status.ok(
            f"Saved ({count} saved in this session) to {where}. "
            "Re-run the Progress cell to see it on the chart."
        )
        if self._on_saved is not None:
            self._on_saved(saved)
        return saved

    def _repr_mimebundle_(self, **kwargs: Any):
        return self.widget._repr_mimebundle_(**kwargs)
