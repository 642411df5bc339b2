"""What every review form shares: who is reviewed by whom, saving, drafts and the status.

A form only collects: it turns what a person typed into records with a function of the
model (``model.review``) and hands them to a save callback (the session's, which writes the
journal). It never clears itself: after a failed save everything typed is still there, and
after a successful one the coach can adjust and save again (a second, separate record).
Saving what was already saved writes nothing: one intended save is one record, however
often the button is pressed. Save errors of any kind are shown in the form, never raised
into the notebook, so a full disk or a bad value cannot lose what was typed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from ...model.frameworks import Framework
from ...model.review import Review
from ...store.drafts import DraftKeeper
from ...views import html
from .savebutton import SaveButton, Values
from .status import DraftBanner, StatusLine

PLAIN_FORM = "The review form shows here once the notebook runs (Run ▸ Run All Cells)."
SAME_MOMENT_SECONDS = 5.0
"""Two people's Saves of the same form (a live session) this close together are one save."""
TEXT_LAYOUT = {"width": "100%", "height": "6em"}
LABEL_STYLE = {"description_width": "9em"}


def textarea(label: str, placeholder: str) -> w.Textarea:
    return w.Textarea(
        description=label,
        placeholder=placeholder,
        layout=w.Layout(**TEXT_LAYOUT),
        style=LABEL_STYLE,
        continuous_update=True,
    )


PRIVATE_NOTE_WORDS = (
    "Private: for you alone. It never leaves your workspace: not in the coachee's summary, "
    "the team overview, a block report, a reflection pack (not even with the coach's view), "
    "the CSV export or anything collected. Only the journal file keeps it."
)


class CoachNotes:
    """The coach's own words on a coach's review: a hand-over note (the coachee's summary
    opens with the latest one) and a private note, labelled beside the field as never
    leaving the workspace, so nobody writes there what they would not keep to themselves.

    Only a coach's form has them (``model.review.COACH_ONLY``): a self-review is the
    coachee's words, not the coach's note."""

    NAMES = ("handover_note", "private_note")

    def __init__(self, coachee: str) -> None:
        self.handover_note = textarea(
            "Hand-over note",
            f"A few sentences for {coachee}'s summary: where they stand, what changed, "
            "what's next.",
        )
        self.private_note = textarea("Private note", "For you alone; see below.")
        self.private_note.tooltip = PRIVATE_NOTE_WORDS
        self.private_label = w.HTML(
            f'<p class="coach-private-label"><strong>{html.esc(PRIVATE_NOTE_WORDS)}</strong></p>'
        )

    @property
    def fields(self) -> tuple[w.Textarea, w.Textarea]:
        return (self.handover_note, self.private_note)

    @property
    def widgets(self) -> list[w.Widget]:
        """The fields as shown: the private note with its label right under it."""
        return [self.handover_note, self.private_note, self.private_label]


class Described:
    """A widget, and in words what it is where it cannot be drawn (a notebook opened
    before it runs, a page without a kernel), instead of a widget's repr."""

    def __init__(self, widget: w.Widget, words: str) -> None:
        self.widget = widget
        self.words = words

    def _repr_mimebundle_(self, **kwargs: Any):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = self.words
        return bundle


class ReviewFormBase:
    """A review form: subclasses build ``fields`` and say how to ``save(values)``.

    A form provides ``draft_state()`` (what it holds, as plain data) and
    ``apply_draft(state)`` (fill itself from such data).
    """

    drafts: DraftKeeper | None = None
    banner: DraftBanner
    widget: w.VBox

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
        tooltip: str = "",
    ) -> None:
        self.framework = framework
        self.coachee = coachee
        self.author = author
        self.role = role
        self._save = save
        self._on_saved = on_saved
        self.saved: list[Review] = []
        self.status = StatusLine()
        self.save_button = SaveButton(self.save, description="Save review", tooltip=tooltip)
        self._init_drafts(drafts)

    def heading(self) -> w.HTML:
        who = (
            f"your own review ({html.esc(self.coachee)})"
            if self.role == "self"
            else f"review of {html.esc(self.coachee)} by {html.esc(self.author)}"
        )
        return w.HTML(f"<strong>{html.esc(self.framework.title)}</strong>: {who}")

    def assemble(self, fields: list[w.Widget]) -> None:
        """The form's widget: banner, heading, the fields, Save and the status line. The
        Save button reads the fields in the browser when clicked."""
        self.widget = w.VBox(
            [self.banner.widget, self.heading(), *fields, self.save_button, self.status.widget],
            layout=w.Layout(width="100%"),
        )
        self.save_button.form = self.widget

    def save(self, values: Values | None = None) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    @staticmethod
    def current(values: Values | None) -> Callable[[w.Widget], Any]:
        """A field's value: as the browser held it at the click, else the kernel's copy."""
        held = values or {}
        return lambda field: held.get(field, field.value)

    def same_moment_as_the_last_save(self) -> bool:
        """Whether this click came from another view than the one whose click wrote the
        last save, within SAME_MOMENT_SECONDS: in a live session both people pressed Save
        at once. The form then leaves its "Saved" line as it is, so the one whose click
        wrote the record is not told "Already saved … nothing changed" by the other's."""
        origin = self.save_button.origin
        return (
            origin is not None
            and self._wrote_by not in (None, origin)
            and time.monotonic() - self._wrote_at < SAME_MOMENT_SECONDS
        )

    _wrote_by: str | None = None
    _wrote_at: float = 0.0

    def _written(self, reviews: list[Review]) -> None:
        self._wrote_by, self._wrote_at = self.save_button.origin, time.monotonic()
        self.saved.extend(reviews)
        if self._on_saved is not None:
            for review in reviews:
                self._on_saved(review)

    # -- drafts ----------------------------------------------------------------------------

    def _init_drafts(self, drafts: DraftKeeper | None) -> None:
        self.drafts = drafts
        self.banner = DraftBanner()
        self._offered: Any = None
        if drafts is None:
            return
        earlier = drafts.earlier()
        if earlier is not None:
            self._offered = earlier
            self.banner.offer(str(earlier[1].get("saved_at", "")))
        self.banner.restore_button.on_click(lambda _b: self.restore_draft())
        self.banner.discard_button.on_click(lambda _b: self.discard_draft())

    def restore_draft(self) -> None:
        if self._offered is None or self.drafts is None:  # nothing offered
            return
        path, data = self._offered
        self.apply_draft(data["state"])
        self.drafts.restored_from = path
        self._offered = None
        self.banner.hide()

    def discard_draft(self) -> None:
        if self._offered is None or self.drafts is None:  # nothing offered
            return
        self.drafts.drop(self._offered[0])
        self._offered = None
        self.banner.hide()

    def apply_draft(self, state: dict[str, Any]) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _changed(self, *_args: Any) -> None:
        if self.drafts is not None:
            self.drafts.touch()

    def _saved_drafts(self) -> None:
        if self.drafts is not None:
            self.drafts.saved()

    def _repr_mimebundle_(self, **kwargs: Any):
        """The form's widgets, and in words what to do where they cannot be drawn (a
        notebook opened before it is run, a page without a kernel)."""
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = PLAIN_FORM
        return bundle
