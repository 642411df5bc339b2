"""The review record: what one Save produces, and what makes a record acceptable.

A :class:`Review` says who was reviewed, on which framework, by whom (``role`` ``coach`` or
``self``), when, and per skill an :class:`Assessment` (level or mark, evidence, reflection,
next steps, notes, criteria ticked). A coach's review may also carry the coach's own words
(:data:`COACH_ONLY`): a ``handover_note`` (where the coachee stands, what changed, what is
next, in a few sentences: the summary opens with the latest one) and a ``private_note``
(for the coach alone: it never leaves the coach's journal file, so no view, page, pack or
CSV reads it). A self-review carries neither: the coachee's words are not the coach's note.

Records are checked here, without touching a disk: against ``schemas/review.schema.json``
(fields, types, sizes), against their framework (skills and levels that exist), for dates
a calendar and the views can hold, and for text that can be written and read back.

Limits (documented in the README): a record file holds at most 1 MB, a text field at most
20,000 characters, a record at most 500 assessments, a name at most 300 characters;
``when`` lies in the years 1900-2199.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import names
from .dates import FIRST_YEAR, LAST_YEAR
from .errors import InputError, JournalError, quote
from .params import check_role
from .schema import REVIEW

if TYPE_CHECKING:
    from .frameworks import Framework

FORMAT = "coachlib.review/1"
TEXT_FIELDS = ("evidence", "reflection", "next_steps", "note")
# The coach's own words on a coach's review; never on a self-review, never from a pack.
COACH_ONLY = ("handover_note", "private_note")
MAX_RECORD_BYTES = 1_000_000
MAX_TEXT_CHARS = 20_000  # also in the schema, which enforces it
MAX_ASSESSMENTS = 500  # also in the schema


@dataclass(frozen=True)
class Assessment:
    """One skill's rating in a review. ``level`` is None when a mark (waived) is given."""

    skill: str
    level: int | None = None
    mark: str | None = None
    evidence: str = ""
    reflection: str = ""
    next_steps: str = ""
    note: str = ""
    criteria_met: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"skill": self.skill, "level": self.level}
        if self.mark is not None:
            data["mark"] = self.mark
        for name in TEXT_FIELDS:
            if getattr(self, name):
                data[name] = getattr(self, name)
        if self.criteria_met:
            data["criteria_met"] = list(self.criteria_met)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Assessment:
        return cls(
            skill=data["skill"],
            level=data.get("level"),
            mark=data.get("mark"),
            evidence=data.get("evidence", ""),
            reflection=data.get("reflection", ""),
            next_steps=data.get("next_steps", ""),
            note=data.get("note", ""),
            criteria_met=tuple(data.get("criteria_met", ())),
        )


@dataclass(frozen=True)
class Review:
    """One saved review (one journal file)."""

    coachee: str
    framework: str
    author: str
    role: str
    when: datetime
    assessments: tuple[Assessment, ...]
    notes: str = ""
    part: str | None = None
    framework_version: int | None = None
    framework_hash: str | None = None
    sessions: tuple[str, ...] = ()  # logged sessions attached as evidence (their ids)
    # The coach's own words (coach reviews only; see the module's docstring). Records saved
    # before these existed have neither and read as empty: nothing to show, nothing hidden.
    handover_note: str = ""
    private_note: str = field(default="", repr=False)  # never in a repr, a log, a traceback
    path: Path | None = field(default=None, compare=False)

    @property
    def id(self) -> str:
        """'<coachee-slug>/<file stem>': unique within the workspace."""
        if self.path is None:
            return ""
        path = os.fspath(self.path)
        folder = os.path.basename(os.path.dirname(path))
        return f"{folder}/{os.path.basename(path).removesuffix('.yaml')}"

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "format": FORMAT,
            "coachee": self.coachee,
            "framework": self.framework,
        }
        if self.framework_version is not None:
            data["framework_version"] = self.framework_version
        if self.framework_hash:
            data["framework_hash"] = self.framework_hash
        data |= {
            "author": self.author,
            "role": self.role,
            "when": self.when.isoformat(),
        }
        if self.part is not None:
            data["part"] = self.part
        if self.sessions:
            data["sessions"] = list(self.sessions)
        if self.notes:
            data["notes"] = self.notes
        if self.handover_note:  # written only when given: an older record stays byte-equal
            data["handover_note"] = self.handover_note
        if self.private_note:
            data["private_note"] = self.private_note
        data["assessments"] = [a.to_dict() for a in self.assessments]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any], path: Path | None = None) -> Review:
        return cls(
            coachee=data["coachee"],
            framework=data["framework"],
            author=data["author"],
            role=data["role"],
            when=parse_when(data["when"]),
            assessments=tuple(Assessment.from_dict(a) for a in data["assessments"]),
            notes=data.get("notes", ""),
            part=data.get("part"),
            framework_version=data.get("framework_version"),
            framework_hash=data.get("framework_hash"),
            sessions=tuple(data.get("sessions", ())),
            handover_note=data.get("handover_note", ""),
            private_note=data.get("private_note", ""),
            path=path,
        )

    def content(self) -> tuple[object, ...]:
        """What the person said, without when it was saved: two saves of one form with
        nothing changed in between have the same content (see the forms' double-save
        guard)."""
        return (
            self.coachee,
            self.framework,
            self.framework_version,
            self.author,
            self.role,
            self.part,
            self.notes,
            self.sessions,
            self.handover_note,
            self.private_note,
            self.assessments,
        )

    def without_coach_notes(self) -> Review:
        """This record without the coach's own words: what may travel (a copy in a pack)."""
        return replace(self, handover_note="", private_note="")


def new_review(
    *,
    coachee: str,
    framework: str,
    author: str,
    role: str,
    assessments: Iterable[Assessment],
    notes: str = "",
    part: str | None = None,
    when: datetime | None = None,
    version: Framework | None = None,
    handover_note: str = "",
    private_note: str = "",
) -> Review:
    """A review ready to save, with names cleaned and the time set to now (UTC).

    ``version`` is the framework text the review is made against; without it the store
    records the newest installed version when it saves."""
    return Review(
        coachee=names.clean_name(coachee, "coachee name"),
        framework=framework,
        framework_version=version.version if version is not None else None,
        framework_hash=version.digest or None if version is not None else None,
        author=names.clean_name(author, "author name"),
        role=check_role(role),
        when=(when or datetime.now(UTC)).astimezone(UTC),
        assessments=tuple(assessments),
        notes=notes,
        part=part,
        handover_note=handover_note,
        private_note=private_note,
    )


# --- checks --------------------------------------------------------------------------------


def parse_when(value: str) -> datetime:
    """A record's time: ISO 8601, in the years 1900-2199 (UTC if no zone is given).

    Outside that range pandas (which counts nanoseconds from 1970 in 64 bits) cannot hold
    the date, and no coaching session happened or will happen there: a typo, most likely.
    """
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"not a date and time: {quote(value)} (expected ISO 8601)") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    # in its own zone and in UTC (the journal's tables and exports count in UTC: a time
    # of 1900-01-01T00:00+14:00 is 1899-12-31 there)
    inside = FIRST_YEAR <= when.year <= LAST_YEAR
    if inside:  # only then: far outside, the conversion itself overflows
        inside = FIRST_YEAR <= when.astimezone(UTC).year <= LAST_YEAR
    if not inside:
        raise ValueError(
            f"{quote(value)} is outside the years {FIRST_YEAR}-{LAST_YEAR} a journal accepts"
        )
    return when


def validate_record(data: dict[str, Any], *, file: str | Path, text: str | None) -> None:
    """Raise JournalError (file, line, field) unless ``data`` is a well-formed record."""
    REVIEW.check(data, file=file, text=text, error=JournalError)
    try:
        parse_when(data["when"])
    except ValueError as exc:
        from .safeyaml import line_of

        line = line_of(text, ["when"]) if text is not None else None
        raise JournalError(str(exc), file=file, line=line, field="when") from None


def parse_record(text: str, *, file: str | Path, path: Path | None = None) -> Review:
    """A saved review from its YAML text (JournalError naming file, line and field)."""
    from .safeyaml import parse

    data = parse(text, file=file, error=JournalError)
    if not isinstance(data, dict):
        raise JournalError("not a saved review (expected a mapping)", file=file, line=1)
    if isinstance(data.get("when"), datetime):  # an unquoted timestamp typed by hand
        data["when"] = data["when"].isoformat()
    validate_record(data, file=file, text=text)
    _clean_names(data, file=file, text=text)
    return Review.from_dict(data, path)


def _clean_names(data: dict[str, Any], *, file: str | Path, text: str | None) -> None:
    """The record's names as every other way in records them (``names.clean_name``: NFC,
    spaces tidied, hidden characters refused). A record from a pack or edited by hand may
    hold ``Ada Lovelace `` or decomposed accents: read as written, it would name a coachee
    the journal does not know, and collect would import it again on every run."""
    for key, what in (("coachee", "coachee name"), ("author", "author name")):
        try:
            data[key] = names.clean_name(data[key], what)
        except InputError as exc:
            from .safeyaml import line_of

            line = line_of(text, [key]) if text is not None else None
            raise JournalError(
                exc.message, file=file, line=line, field=key, hint=exc.hint
            ) from None


def check_against_framework(review: Review, framework: Framework) -> list[tuple[int, str, str]]:
    """What in a review does not fit its framework: (assessment index, field, message)."""
    problems: list[tuple[int, str, str]] = []
    levels = framework.levels
    marks = framework.mark_ids
    seen: set[str] = set()
    for index, assessment in enumerate(review.assessments):
        if not framework.has_skill(assessment.skill):
            problems.append((index, "skill", f"unknown skill {quote(assessment.skill)}"))
            continue
        if assessment.skill in seen:
            problems.append((index, "skill", f"skill {quote(assessment.skill)} assessed twice"))
        seen.add(assessment.skill)
        if assessment.level is not None and assessment.level not in levels:
            problems.append(
                (
                    index,
                    "level",
                    f"level {assessment.level} is not on the scale of {framework.id} "
                    f"({framework.min_level}-{framework.max_level})",
                )
            )
        if assessment.mark is not None and assessment.mark not in marks:
            allowed = ", ".join(sorted(marks)) or "none"
            problems.append(
                (index, "mark", f"unknown mark {quote(assessment.mark)} (allowed: {allowed})")
            )
        if assessment.level is not None and assessment.mark is not None:
            problems.append((index, "mark", "give a level or a mark, not both"))
        if assessment.criteria_met:
            skill = framework.skill(assessment.skill)
            known = set(skill.criteria.get(assessment.level or 0, ()))
            for criterion in assessment.criteria_met:
                if assessment.level is None or criterion not in known:
                    problems.append(
                        (
                            index,
                            "criteria_met",
                            f"criterion not under this level: {quote(criterion)}",
                        )
                    )
    return problems


def check_new_review(review: Review, framework: Framework | None) -> dict[str, Any]:
    """Everything a review must pass before it is written; its data, ready to dump.

    Raises InputError naming the field: no assessment, a skill or level its framework
    does not have, a field over its size limit, a date out of range, text that YAML could
    write but never read back.
    """
    if not review.assessments:
        raise InputError("nothing to save: the review assesses no skill")
    if review.role != "coach":
        for name in COACH_ONLY:
            if getattr(review, name):
                raise InputError(
                    "a self-review has no hand-over note or private note: those are the "
                    "coach's own words, on the coach's review",
                    field=name,
                )
    if framework is not None:
        problems = check_against_framework(review, framework)
        if problems:
            index, name, message = problems[0]
            raise InputError(message, field=f"assessments[{index}].{name}")
    data = review.to_dict()
    try:
        validate_record(data, file="(new review)", text=None)
    except JournalError as exc:
        raise InputError(exc.message, field=exc.field) from None
    _refuse_lone_surrogates(review)
    return data


_SURROGATE = re.compile("[\ud800-\udfff]")


def _refuse_lone_surrogates(review: Review) -> None:
    """Half of a character pair (possible in text pasted from broken sources) can be
    written but never read back by YAML: refuse it, with the field, before writing."""
    fields = [
        ("notes", review.notes),
        ("coachee", review.coachee),
        ("author", review.author),
        *((name, getattr(review, name)) for name in COACH_ONLY),
    ]
    for index, assessment in enumerate(review.assessments):
        fields += [
            (f"assessments[{index}].{name}", getattr(assessment, name)) for name in TEXT_FIELDS
        ]
    for name, value in fields:
        if _SURROGATE.search(value or ""):
            raise InputError(
                "the text holds half of a character pair, which cannot be saved; "
                "retype that part and save again",
                field=name,
            )


# --- what a form holds, as records ----------------------------------------------------------


def milestone_review(
    framework: Framework,
    *,
    coachee: str,
    author: str,
    role: str,
    level: int | None,
    evidence: str = "",
    reflection: str = "",
    next_steps: str = "",
    notes: str = "",
    sessions: tuple[str, ...] = (),
    handover_note: str = "",
    private_note: str = "",
) -> Review:
    """The record a milestone form describes (InputError if no milestone is picked);
    ``sessions`` are the logged sessions attached as its evidence, ``handover_note`` and
    ``private_note`` the coach's own words (a self-review with either is refused on save)."""
    if level is None:
        raise InputError("pick a milestone before saving")
    assessment = Assessment(
        skill=framework.track_skill.id,
        level=level,
        evidence=evidence.strip(),
        reflection=reflection.strip(),
        next_steps=next_steps.strip(),
    )
    review = new_review(
        coachee=coachee,
        framework=framework.id,
        author=author,
        role=role,
        assessments=[assessment],
        notes=notes.strip(),
        version=framework,
    )
    return replace(
        review,
        sessions=tuple(sorted(sessions)),
        handover_note=handover_note.strip(),
        private_note=private_note.strip(),
    )


@dataclass(frozen=True)
class Rating:
    """What a skills form holds for one skill: a level (``"3"``), a mark (``"waived"``) or
    nothing (``""``), a note, and the criteria ticked under the chosen level."""

    skill: str
    choice: str = ""
    note: str = ""
    ticked: tuple[str, ...] = ()

    @property
    def rated(self) -> bool:
        return self.choice != ""

    def assessment(self) -> Assessment:
        level = int(self.choice) if self.choice.isdigit() else None
        return Assessment(
            skill=self.skill,
            level=level,
            mark=None if level is not None else self.choice,
            note=self.note.strip(),
            criteria_met=self.ticked if level is not None else (),
        )


def reviews_by_part(
    framework: Framework,
    ratings: Iterable[Rating],
    *,
    shown_part: str,
    coachee: str,
    author: str,
    role: str,
    notes: str = "",
    handover_note: str = "",
    private_note: str = "",
) -> list[Review]:
    """One record per part: the part shown for its skills, and for a skill rated while
    another part was shown, that skill's own smallest group (its skill set). Like the
    session notes, the coach's hand-over and private notes go on every record of the save:
    each record is whole on its own, whichever part is read later."""
    shown = {skill.id for skill in framework.group(shown_part).all_skills()}
    by_part: dict[str, list[Assessment]] = {}
    for rating in ratings:
        if not rating.rated:
            continue
        skill = framework.skill(rating.skill)
        part = shown_part if skill.id in shown else skill.group_ids[-1]
        by_part.setdefault(part, []).append(rating.assessment())
    return [
        new_review(
            coachee=coachee,
            framework=framework.id,
            author=author,
            role=role,
            assessments=assessments,
            notes=notes.strip(),
            part=part,
            version=framework,
            handover_note=handover_note.strip(),
            private_note=private_note.strip(),
        )
        for part, assessments in by_part.items()
    ]
