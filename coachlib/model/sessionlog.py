"""The session log: one entry per coaching session (a learning hour, an ensemble, a
retrospective, mentoring, …), the evidence behind a milestone.

A Samman milestone is a claim about what someone has done; the log records what was done,
with whom, and in which role, in the words coaches already use in their daily notes (what
we did, what surprised us, what went well, progress, challenges, business value, next
steps). Entries are checked here, without a disk: against
``schemas/session.schema.json`` (fields, sizes, the short words for kinds, roles and
mentoring stages) and for what a schema cannot say (a date in the future, a mentoring
stage on a session that is not mentoring, a person named twice).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from . import names
from .dates import check_day, outside_years
from .errors import InputError, JournalError, quote
from .schema import SESSION
from .session_words import KINDS, SESSION_ROLES, STAGES, STATUS_FIELDS

__all__ = [
    "KINDS",
    "SESSION_ROLES",
    "STAGES",
    "STATUS_FIELDS",
    "LogEntry",
    "Participant",
    "new_entry",
    "parse_entry",
]

FORMAT = "coachlib.session/1"

MAX_TEXT_CHARS = 20_000  # also in the schema
MAX_PEOPLE = 100  # also in the schema


@dataclass(frozen=True)
class Participant:
    """A person being coached, and their role in the session."""

    coachee: str
    role: str


@dataclass(frozen=True)
class LogEntry:
    """One coaching session, as logged (one file, written once)."""

    day: date
    kind: str
    team: str
    people: tuple[Participant, ...]
    author: str
    logged: datetime
    material: str = ""
    learning_hour: str = ""  # the catalogue entry's URL, when the material is one
    minutes: int | None = None
    participants: int | None = None
    stage: str | None = None
    notes: str = ""
    status: dict[str, str] = field(default_factory=dict)
    path: Path | None = field(default=None, compare=False)

    @property
    def id(self) -> str:
        """'<team-slug>/<file stem>': unique within the workspace."""
        if self.path is None:
            return ""
        return f"{self.path.parent.name}/{self.path.name.removesuffix('.yaml')}"

    def role_of(self, coachee: str) -> str | None:
        return next((p.role for p in self.people if p.coachee == coachee), None)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "format": FORMAT,
            "date": self.day.isoformat(),
            "kind": self.kind,
            "team": self.team,
            "people": [{"coachee": p.coachee, "role": p.role} for p in self.people],
            "author": self.author,
            "logged": self.logged.isoformat(),
        }
        optional = {
            "material": self.material,
            "learning_hour": self.learning_hour,
            "minutes": self.minutes,
            "participants": self.participants,
            "stage": self.stage,
            "notes": self.notes,
        }
        data |= {key: value for key, value in optional.items() if value not in (None, "")}
        data |= {key: self.status[key] for key in STATUS_FIELDS if self.status.get(key)}
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any], path: Path | None = None) -> LogEntry:
        return cls(
            day=date.fromisoformat(data["date"]),
            kind=data["kind"],
            team=data["team"],
            people=tuple(Participant(p["coachee"], p["role"]) for p in data["people"]),
            author=data["author"],
            logged=datetime.fromisoformat(data["logged"]),
            material=data.get("material", ""),
            learning_hour=data.get("learning_hour", ""),
            minutes=data.get("minutes"),
            participants=data.get("participants"),
            stage=data.get("stage"),
            notes=data.get("notes", ""),
            status={key: data[key] for key in STATUS_FIELDS if data.get(key)},
            path=path,
        )


def new_entry(
    *,
    day: date | None,
    kind: str,
    team: str,
    people: list[tuple[str, str]],
    author: str,
    material: str = "",
    learning_hour: str = "",
    minutes: int | None = None,
    participants: int | None = None,
    stage: str | None = None,
    notes: str = "",
    status: dict[str, str] | None = None,
    today: date | None = None,
) -> LogEntry:
    """An entry ready to save, every value checked; InputError naming the field."""
    today = today or date.today()
    day = check_day(day or today, field="date")
    if day > today:
        raise InputError(
            f"{day.isoformat()} is in the future (today is {today.isoformat()})", field="date"
        )
    _choice(kind, KINDS, "kind")
    if not people:
        raise InputError(
            "name the person being coached (--coachee) and their --role", field="coachee"
        )
    cleaned: list[Participant] = []
    for index, (coachee, role) in enumerate(people):
        coachee = names.clean_name(coachee, "coachee name")
        _choice(role, SESSION_ROLES, f"people[{index}].role")
        if any(other.coachee == coachee for other in cleaned):
            raise InputError(f"{quote(coachee)} is named twice", field=f"people[{index}]")
        cleaned.append(Participant(coachee, role))
    if stage is not None:
        _choice(stage, STAGES, "stage")
        if kind != "mentoring":
            raise InputError(
                "a mentoring stage belongs to a mentoring session (--kind mentoring)", field="stage"
            )
    for name, value in (("minutes", minutes), ("participants", participants)):
        if value is not None and not 1 <= value <= 100_000:
            raise InputError(f"{value} is not a plausible number of {name}", field=name)
    entry = LogEntry(
        day=day,
        kind=kind,
        team=names.clean_name(team, "team name"),
        people=tuple(cleaned),
        author=names.clean_name(author, "author name"),
        logged=datetime.now(UTC),
        material=material.strip(),
        learning_hour=learning_hour.strip(),
        minutes=minutes,
        participants=participants,
        stage=stage,
        notes=notes.strip(),
        status={key: value.strip() for key, value in (status or {}).items() if value.strip()},
    )
    problem = SESSION.problem(entry.to_dict())
    if problem is not None:
        raise InputError(problem.message, field=problem.field)
    return entry


def _unknown(value: str, choices: dict[str, str], name: str) -> str | None:
    """Why ``value`` is not one of the short words (None if it is one)."""
    if value in choices:
        return None
    return f"unknown {name} {quote(value)} (one of: {', '.join(choices)})"


def _choice(value: str, choices: dict[str, str], name: str) -> None:
    problem = _unknown(value, choices, name.split(".")[-1])
    if problem:
        raise InputError(problem, field=name)


def parse_entry(text: str, *, file: str | Path, path: Path | None = None) -> LogEntry:
    """A saved entry from its YAML text (JournalError naming file, line and field)."""
    from .safeyaml import field_name, line_of, parse

    data = parse(text, file=file, error=JournalError)
    if not isinstance(data, dict):
        raise JournalError("not a logged session (expected a mapping)", file=file, line=1)
    for key in ("date", "logged"):  # an unquoted date typed by hand
        if isinstance(data.get(key), date | datetime):
            data[key] = data[key].isoformat()
    SESSION.check(data, file=file, text=text, error=JournalError)
    for key, parse_value in (("date", date.fromisoformat), ("logged", datetime.fromisoformat)):
        try:
            parse_value(data[key])
        except ValueError:
            raise JournalError(
                f"not a {'date' if key == 'date' else 'date and time'}: {quote(data[key])}",
                file=file,
                line=line_of(text, [key]),
                field=key,
            ) from None
    problem = outside_years(date.fromisoformat(data["date"]), what="the session log")
    if problem:
        raise JournalError(problem, file=file, line=line_of(text, ["date"]), field="date")
    entry = LogEntry.from_dict(data, path)
    checks: list[tuple[str | None, dict[str, str], list[str | int]]] = [
        (entry.kind, KINDS, ["kind"]),
        (entry.stage, STAGES, ["stage"]),
    ]
    checks += [(p.role, SESSION_ROLES, ["people", i, "role"]) for i, p in enumerate(entry.people)]
    for value, choices, where in checks:
        problem = _unknown(value, choices, str(where[-1])) if value is not None else None
        if problem:
            raise JournalError(
                problem, file=file, line=line_of(text, where), field=field_name(where)
            )
    if entry.stage is not None and entry.kind != "mentoring":
        raise JournalError(
            "a mentoring stage on a session that is not mentoring",
            file=file,
            line=line_of(text, ["stage"]),
            field="stage",
        )
    return entry
