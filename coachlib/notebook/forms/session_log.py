"""The session-log form: one coaching session, keyboard-only, Save writes one entry.

Every field is a plain ipywidget a keyboard reaches with Tab: text boxes, drop-downs (arrow
keys), and two combo boxes that filter as you type (the team, and the learning hour from
the Samman catalogue, matched on its title). Like the review forms, it only collects: the
entry is built and checked by ``model.sessionlog.new_entry`` and written by the save
callback; an error shows under the button and everything typed stays.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date
from typing import Any

import ipywidgets as w

from ...model.catalogue import LearningHour, find
from ...model.errors import CoachError, InputError
from ...model.session_words import KINDS, SESSION_ROLES, STAGES, STATUS_FIELDS
from ...model.sessionlog import LogEntry, new_entry
from .base import LABEL_STYLE, Described, ReviewFormBase, textarea
from .savebutton import SaveButton, Values
from .status import StatusLine

NO_STAGE = "—"
BUTTONS = {"description_width": "9em", "button_width": "auto"}


class SessionLogForm:
    """Log one session: when, what kind, which team, who in which role, the material,
    how long, how many, and the daily-status notes."""

    def __init__(
        self,
        *,
        author: str,
        teams: list[str],
        coachees: list[str],
        catalogue: tuple[LearningHour, ...],
        save: Callable[[LogEntry], LogEntry],
        today: date | None = None,
        team: str = "",
    ) -> None:
        self.author = author
        self.catalogue = catalogue
        self._save = save
        self.saved: list[LogEntry] = []
        self.today = today
        self.day = w.DatePicker(description="Date", value=today or date.today(), style=LABEL_STYLE)
        # Toggle buttons, not drop-downs: in JupyterLab a drop-down with focus loses its
        # arrow keys and letters to the notebook; buttons take Tab, then Space or Enter.
        self.kind = w.ToggleButtons(
            options=[(said, word) for word, said in KINDS.items()],
            description="Kind",
            style=BUTTONS,
        )
        self.team = w.Combobox(
            options=teams,
            value=team,
            description="Team",
            placeholder="the team coached",
            ensure_option=False,
            style=LABEL_STYLE,
        )
        self.coachee = w.Combobox(
            options=coachees,
            description="People coached",
            placeholder="their names, commas between",
            ensure_option=False,
            style=LABEL_STYLE,
        )
        self.role = w.ToggleButtons(
            options=[(said, word) for word, said in SESSION_ROLES.items()],
            description="Their role",
            style=BUTTONS,
        )
        self.learning_hour = w.Combobox(
            options=[entry.title for entry in catalogue],
            description="Learning hour",
            placeholder="type to search the Samman catalogue",
            ensure_option=False,
            layout=w.Layout(width="100%"),
            style=LABEL_STYLE,
        )
        self.material = w.Text(
            description="Other material",
            placeholder="if not a catalogue learning hour",
            layout=w.Layout(width="100%"),
            style=LABEL_STYLE,
        )
        self.minutes = w.BoundedIntText(
            value=60, min=0, max=10_000, description="Minutes", style=LABEL_STYLE
        )
        # empty until given: 0 would claim nobody came
        self.participants = w.Text(
            description="Participants",
            style=LABEL_STYLE,
            placeholder="how many; empty if not counted",
        )
        self.stage = w.ToggleButtons(
            options=[("none", NO_STAGE), *((s, k) for k, s in STAGES.items())],
            value=NO_STAGE,
            description="Mentoring stage",
            style=BUTTONS,
        )
        self.notes = textarea("Notes", "Anything else about the session.")
        self.status_fields = {key: textarea(label, "") for key, label in STATUS_FIELDS.items()}
        self.status = StatusLine()
        self.save_button = SaveButton(
            self.save, description="Save session", tooltip="Log this session (a new file)"
        )
        fields = [
            self.day,
            self.kind,
            self.team,
            self.coachee,
            self.role,
            self.learning_hour,
            self.material,
            self.minutes,
            self.participants,
            self.stage,
            self.notes,
            *self.status_fields.values(),
        ]
        logged_as = w.HTML(
            f"<small>Logged as {html.escape(author)} (your name: <code>coach:</code> in "
            "workspace.yaml, or $COACH_AUTHOR)</small>"
        )
        self.widget = w.VBox(
            [
                w.HTML("<strong>Log a coaching session</strong>"),
                logged_as,
                *fields,
                self.save_button,
                self.status.widget,
            ],
            layout=w.Layout(width="100%"),
        )
        self.save_button.form = self.widget

    def entry(self, values: Values | None = None) -> LogEntry:
        """The entry the form describes; InputError naming the field when it cannot be."""
        current = ReviewFormBase.current(values)
        chosen = (current(self.learning_hour) or "").strip()
        hour = find(self.catalogue, chosen) if chosen else None
        day = current(self.day)
        if day is None:
            raise InputError("pick the day of the session", field="date")
        stage = current(self.stage)
        return new_entry(
            day=day,
            kind=current(self.kind),
            team=current(self.team) or "",
            people=[(person, current(self.role)) for person in _people(current(self.coachee))],
            author=self.author,
            material=hour.title if hour else current(self.material) or "",
            learning_hour=hour.url if hour else "",
            minutes=current(self.minutes) or None,
            participants=_count(current(self.participants)),
            stage=None if stage == NO_STAGE else stage,
            notes=current(self.notes) or "",
            status={key: current(field) or "" for key, field in self.status_fields.items()},
            today=self.today,
        )

    def save(self, values: Values | None = None) -> LogEntry | None:
        """Save a new entry, unless this form saved exactly that already; on any failure
        show the error and keep every field as typed."""
        try:
            entry = self.entry(values)
            if self.saved and _same(self.saved[-1], entry):
                self.status.ok(f"Already saved to {self.saved[-1].path}: nothing changed since.")
                return None
            saved = self._save(entry)
        except CoachError as exc:
            self.status.error(f"Not saved: {exc}. Everything you typed is still here.")
            return None
        except Exception as exc:
            self.status.bug("Not saved", exc)
            raise
        self.saved.append(saved)
        self.status.ok(f"Saved ({len(self.saved)} in this session) to {saved.path}.")
        return saved

    def _repr_mimebundle_(self, **kwargs: Any):
        return Described(
            self.widget,
            "The session-log form shows here once the notebook runs (Run ▸ Run All Cells).",
        )._repr_mimebundle_(**kwargs)


def _same(one: LogEntry, other: LogEntry) -> bool:
    """Two entries saying the same (when they were logged aside)."""
    return one.to_dict() | {"logged": ""} == other.to_dict() | {"logged": ""}


def _people(text: str | None) -> list[str]:
    """The people coached, as typed ("Ada Lovelace, Mei Chen"); [""] when none, which
    the entry's own check refuses for the kinds that need someone."""
    found = [part.strip() for part in (text or "").split(",") if part.strip()]
    return found or [""]


def _count(text: object) -> int | None:
    """How many took part, as typed; None when left empty (not counted)."""
    if text is None or str(text).strip() == "":
        return None
    try:
        value = int(str(text).strip())
    except ValueError:
        raise InputError(
            f"participants: a whole number, got {str(text)!r}", field="participants"
        ) from None
    if not 0 < value <= 10_000:
        raise InputError("participants: between 1 and 10,000", field="participants")
    return value
