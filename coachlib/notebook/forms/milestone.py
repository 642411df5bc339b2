"""The milestone review form (Samman tracks): pick a milestone, write, Save."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as w

from ...model.errors import CoachError
from ...model.frameworks import Framework
from ...model.review import Review, milestone_review
from ...model.rules import role_text
from ...store.drafts import DraftKeeper
from ...views import html
from .base import LABEL_STYLE, CoachNotes, ReviewFormBase, textarea
from .savebutton import Values

TEXTS = ("evidence", "reflection", "next_steps", "notes")


class MilestoneReviewForm(ReviewFormBase):
    """Pick a milestone, write evidence, reflection, next steps and notes, Save. A coach's
    form also has the hand-over note and the private note (:class:`CoachNotes`).

    ``save`` receives the finished :class:`Review` and returns it saved (with its path);
    the session passes ``store.journal.save_review`` bound to the workspace.
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
        drafts: DraftKeeper | None = None,
        sessions: Sequence[tuple[str, str]] = (),
    ) -> None:
        super().__init__(
            framework,
            coachee=coachee,
            author=author,
            role=role,
            save=save,
            on_saved=on_saved,
            drafts=drafts,
            tooltip="Save this review to the journal (a new record each time it changed)",
        )
        whose = "your own" if role == "self" else f"{coachee}'s"
        # Toggle buttons, not radio buttons: in JupyterLab the arrow keys move between
        # cells unless focus is in a text field, so a radio group cannot be used with the
        # keyboard there; buttons can (Tab to one, Space or Enter to pick it).
        self.picker = w.ToggleButtons(
            options=[(level.label, level.level) for level in framework.scale],
            value=None,
            description="Milestone",
            tooltips=[level.title or level.name for level in framework.scale],
            layout=w.Layout(width="100%"),
            style={"button_width": "100%", "description_width": "9em"},
        )
        self.detail = w.HTML(value=self._detail_html(None))
        self.evidence = textarea("Evidence", f"What did you see that shows {whose} level?")
        self.reflection = textarea("Reflection", "What went well, what was hard, what surprised?")
        self.next_steps = textarea("Next steps", "What to try or learn before the next review?")
        self.notes = textarea("Session notes", "Anything else about this session.")
        self.coach_notes = CoachNotes(coachee) if role == "coach" else None
        self.texts = TEXTS + (CoachNotes.NAMES if self.coach_notes else ())
        if self.coach_notes:
            self.handover_note, self.private_note = self.coach_notes.fields
        # Logged sessions to attach as evidence: (label, id), newest first. A list box:
        # Tab to it, arrows to move, Shift/Ctrl+arrows or Space to pick several.
        self.sessions = w.SelectMultiple(
            options=list(sessions),
            value=(),
            rows=min(6, max(2, len(sessions))),
            description="Logged sessions",
            layout=w.Layout(width="100%"),
            style=LABEL_STYLE,
        )
        self.picker.observe(self._show_detail, names="value")
        for field in (self.picker, *self.text_fields, self.sessions):
            field.observe(self._changed, names="value")
        shown = [self.picker, self.detail, *(getattr(self, name) for name in TEXTS)]
        if sessions:
            shown.insert(3, self.sessions)
        if self.coach_notes:
            shown += self.coach_notes.widgets
        self.assemble(shown)

    after_save = "Re-run the Progress cell to see it on the chart."
    """What the Saved line adds: where the new review shows (a page that redraws its chart
    by itself says so instead)."""

    @property
    def text_fields(self) -> tuple[w.Textarea, ...]:
        return tuple(getattr(self, name) for name in self.texts)

    def _detail_html(self, level: int | None) -> str:
        if level is None:
            return "<p><em>Pick the milestone that describes the work you have seen.</em></p>"
        entry = self.framework.level(level)
        role = ""
        if entry.coaching_role:
            role = f"<p><em>Job role: {html.esc(role_text(entry.coaching_role))}</em></p>"
        return (
            f'<div class="{html.NO_MATH}" style="border-left:4px solid #0072B2;'
            f'padding-left:0.8em"><p><strong>{html.esc(entry.name)}'
            f"{': ' + html.esc(entry.title) if entry.title else ''}</strong></p>"
            f"<p>{html.esc(entry.description or '')}</p>{role}</div>"
        )

    def _show_detail(self, change: dict[str, Any]) -> None:
        self.detail.value = self._detail_html(change["new"])

    def draft_state(self) -> dict[str, Any]:
        return {"level": self.picker.value, "sessions": list(self.sessions.value)} | {
            name: getattr(self, name).value for name in self.texts
        }

    def apply_draft(self, state: dict[str, Any]) -> None:
        if state.get("level") in self.framework.levels:
            self.picker.value = state["level"]
        known = set(self.sessions.options and [v for _l, v in self.sessions.options])
        chosen = state.get("sessions")
        if isinstance(chosen, list):
            self.sessions.value = tuple(v for v in chosen if v in known)
        for name in self.texts:
            if isinstance(state.get(name), str):
                getattr(self, name).value = state[name]

    def review(self, values: Values | None = None) -> Review:
        """The review the form describes (InputError if no milestone is picked)."""
        current = self.current(values)
        return milestone_review(
            self.framework,
            coachee=self.coachee,
            author=self.author,
            role=self.role,
            level=current(self.picker),
            **{name: current(getattr(self, name)) for name in self.texts},
            sessions=tuple(current(self.sessions) or ()),
        )

    def save(self, values: Values | None = None) -> Review | None:
        """Save a new record of what the form holds, unless this form saved exactly that
        already; on any failure show the error and keep every field as typed."""
        try:
            review = self.review(values)
            if self.saved and self.saved[-1].content() == review.content():
                if self.same_moment_as_the_last_save():
                    return None  # the other person's Save of the same form: "Saved" stays
                self.status.ok(f"Already saved to {self.saved[-1].path}: nothing changed since.")
                return None
            saved = self._save(review)
        except CoachError as exc:
            self.status.error(f"Not saved: {exc}. Everything you typed is still here.")
            return None
        except Exception as exc:
            self.status.bug("Not saved", exc)
            raise
        self._saved_drafts()
        count = len(self.saved) + 1
        where = saved.path if saved.path is not None else "the journal"
        self.status.ok(f"Saved ({count} saved in this session) to {where}. {self.after_save}")
        self._written([saved])
        return saved
