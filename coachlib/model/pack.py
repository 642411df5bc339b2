"""A reflection pack: what travels to one coachee and back, and what may come back.

A pack is a folder (or a zip of it) made for one person: their reflection notebook, the
framework it uses, their own earlier self-reviews, a README, and ``pack.yaml``, the
manifest saying whose pack it is and for which framework. It is a workspace of its own:
the coachee's saves land in its ``journal/``.

Everything in a returned pack is untrusted input (it passed through other hands and
other machines): these are the limits a pack must keep and the identity by which a
record that is already in the coach's journal is recognised.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import names
from .errors import InputError, quote
from .review import COACH_ONLY, Review

FORMAT = "coachlib.pack/1"
MANIFEST = "pack.yaml"
COACH_VIEW = "coach-view.yaml"
MAX_RECORDS = 1_000  # records in one pack (a person saves a few a month)
MAX_ENTRIES = 2_000  # files and folders in one pack or zip
MAX_BYTES = 50_000_000  # unpacked size of one pack
MAX_RATIO = 200  # a zip entry may expand at most this many times (zip bombs)


@dataclass(frozen=True)
class Manifest:
    """Whose pack it is, for which framework, made when, and whether it shows the coach's
    view (the coach's latest level and next steps)."""

    coachee: str
    framework: str
    made: datetime
    coach_view: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "coachee": self.coachee,
            "framework": self.framework,
            "made": self.made.isoformat(),
            "coach_view": self.coach_view,
        }

    @classmethod
    def from_dict(cls, data: object, *, file: str | Path) -> Manifest:
        """The manifest of a returned pack (InputError naming the field if it is not)."""
        if not isinstance(data, dict):
            raise InputError("not a pack manifest (expected a mapping)", file=file, line=1)
        if data.get("format") != FORMAT:
            raise InputError(
                f"not a coachlib pack (format {quote(data.get('format'))})",
                file=file,
                field="format",
            )
        for name in ("coachee", "framework", "made"):
            if not isinstance(data.get(name), str) or not data[name].strip():
                raise InputError("missing or not text", file=file, field=name)
        try:
            made = datetime.fromisoformat(data["made"])
        except ValueError:
            raise InputError(
                f"not a date and time: {quote(data['made'])}", file=file, field="made"
            ) from None
        extra = set(data) - {"format", "coachee", "framework", "made", "coach_view"}
        if extra:
            raise InputError(f"unknown field {quote(sorted(extra)[0])}", file=file)
        try:  # as the records will read it (``review.parse_record``)
            coachee = names.clean_name(data["coachee"], "coachee name")
        except InputError as exc:
            raise InputError(exc.message, file=file, field="coachee", hint=exc.hint) from None
        return cls(
            coachee=coachee,
            framework=data["framework"],
            made=made,
            coach_view=bool(data.get("coach_view", False)),
        )


@dataclass(frozen=True)
class CoachView:
    """What a pack made with ``--with-coach-view`` shows of the coach's assessment: the
    latest level, when, and the next steps; nothing of the coach's evidence or notes."""

    level: int
    when: datetime
    next_steps: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"level": self.level, "when": self.when.isoformat(), "next_steps": self.next_steps}

    @classmethod
    def from_dict(cls, data: object) -> CoachView | None:
        """The view, or None for anything that is not one (the notebook then shows none)."""
        if not isinstance(data, dict) or not isinstance(data.get("level"), int):
            return None
        try:
            when = datetime.fromisoformat(str(data.get("when")))
        except ValueError:
            return None
        steps = data.get("next_steps", "")
        return cls(
            level=data["level"], when=when, next_steps=steps if isinstance(steps, str) else ""
        )


def record_identity(review: Review) -> str:
    """What makes a record the same record, wherever its file is: who, on what, by whom,
    in which role, saved when (to the microsecond), and everything it says. Two saves of
    the same words at different times are two records; the same save collected twice is
    one.

    The coach's own words (``COACH_ONLY``) are not part of it: a pack carries a record
    without them (``Review.without_coach_notes``), and that copy coming back is the same
    record as the one in the journal, not a second one."""
    data = review.to_dict()
    for name in COACH_ONLY:
        data.pop(name, None)
    data["when"] = review.when.astimezone(UTC).isoformat()
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:20]
