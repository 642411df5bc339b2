"""The journal: saved reviews, one YAML file each, written once and never rewritten.

A :class:`Review` is what one Save in a review form produces: who was reviewed, on which
framework, by whom (``role`` ``coach`` or ``self``), when, and per skill an
:class:`Assessment` (level or mark, evidence, reflection, next steps, notes, criteria ticked).

Saving checks the review against its framework first (a level that is not on the scale is
refused before anything touches the disk), then writes a temporary file beside the target
and links it into place under a name nobody has used, so two writers at the same moment
never overwrite each other and a crash leaves the whole record or nothing.

Loading never stops at a bad file: each one becomes a :class:`~coachlib.errors.JournalError`
(file, line, field, what is wrong) in :attr:`JournalLoad.problems`, and the rest load.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import cache as file_cache
from . import names, yamlio
from .errors import CoachError, InputError, JournalError
from .paths import PACKAGE_DIR
from .workspace import NAME_MARKER, TEMP_PREFIX, Workspace

if TYPE_CHECKING:
    from .frameworks import Catalog, Framework

FORMAT = "coachlib.review/1"
ROLES = ("coach", "self")
TEXT_FIELDS = ("evidence", "reflection", "next_steps", "note")
RECORD_SUFFIX = ".yaml"


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
    path: Path | None = field(default=None, compare=False)

    @property
    def id(self) -> str:
        """'<coachee-slug>/<file stem>': unique within the workspace."""
        if self.path is None:
            return ""
        path = os.fspath(self.path)
        folder = os.path.basename(os.path.dirname(path))
        return f"{folder}/{os.path.basename(path).removesuffix(RECORD_SUFFIX)}"

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "format": FORMAT,
            "coachee": self.coachee,
            "framework": self.framework,
            "author": self.author,
            "role": self.role,
            "when": self.when.isoformat(),
        }
        if self.part is not None:
            data["part"] = self.part
        if self.notes:
            data["notes"] = self.notes
        data["assessments"] = [a.to_dict() for a in self.assessments]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any], path: Path | None = None) -> Review:
        return cls(
            coachee=data["coachee"],
            framework=data["framework"],
            author=data["author"],
            role=data["role"],
            when=_parse_when(data["when"]),
            assessments=tuple(Assessment.from_dict(a) for a in data["assessments"]),
            notes=data.get("notes", ""),
            part=data.get("part"),
            path=path,
        )


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
) -> Review:
    """A review ready to save, with names cleaned and the time set to now (UTC)."""
    if role not in ROLES:
        raise InputError(f"role must be 'coach' or 'self', not {role!r}")
    return Review(
        coachee=names.clean_name(coachee, "coachee name"),
        framework=framework,
        author=names.clean_name(author, "author name"),
        role=role,
        when=(when or datetime.now(UTC)).astimezone(UTC),
        assessments=tuple(assessments),
        notes=notes,
        part=part,
    )


# --- validation ----------------------------------------------------------------------------


@cache
def _record_validator():
    import fastjsonschema  # compiled once; ~20 µs per record, which matters for big journals

    schema_path = PACKAGE_DIR / "schemas" / "review.schema.json"
    return fastjsonschema.compile(json.loads(schema_path.read_text(encoding="utf-8")))


def check_against_framework(review: Review, framework: Framework) -> list[tuple[int, str, str]]:
    """What in a review does not fit its framework: (assessment index, field, message)."""
    problems: list[tuple[int, str, str]] = []
    levels = framework.levels
    marks = framework.mark_ids
    seen: set[str] = set()
    for index, assessment in enumerate(review.assessments):
        if not framework.has_skill(assessment.skill):
            problems.append((index, "skill", f"unknown skill {assessment.skill!r}"))
            continue
        if assessment.skill in seen:
            problems.append((index, "skill", f"skill {assessment.skill!r} assessed twice"))
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
                (index, "mark", f"unknown mark {assessment.mark!r} (allowed: {allowed})")
            )
        if assessment.level is not None and assessment.mark is not None:
            problems.append((index, "mark", "give a level or a mark, not both"))
        if assessment.criteria_met:
            skill = framework.skill(assessment.skill)
            known = set(skill.criteria.get(assessment.level or 0, ()))
            for criterion in assessment.criteria_met:
                if assessment.level is None or criterion not in known:
                    problems.append(
                        (index, "criteria_met", f"criterion not under this level: {criterion!r}")
                    )
    return problems


# --- saving --------------------------------------------------------------------------------


def record_file_names(review: Review) -> Iterator[str]:
    """Candidate file names, most readable first; the writer takes the first free one."""
    stamp = review.when.astimezone(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    base = f"{stamp}-{review.framework}-{review.role}"
    yield base + RECORD_SUFFIX
    for number in range(2, 10_000):
        yield f"{base}-{number}{RECORD_SUFFIX}"


def save_review(workspace: Workspace, review: Review, catalog: Catalog | None = None) -> Review:
    """Write one review as a new journal file; return it with its path set.

    Checks first (against ``catalog``'s framework when given), so nothing invalid is
    written. Raises InputError for a review that does not fit, OSError for a disk problem;
    in either case nothing already saved is touched.
    """
    if not review.assessments:
        raise InputError("nothing to save: the review assesses no skill")
    if catalog is not None:
        framework = catalog.get(review.framework)
        problems = check_against_framework(review, framework)
        if problems:
            index, name, message = problems[0]
            raise InputError(message, field=f"assessments[{index}].{name}")
    data = review.to_dict()
    _validate_record(data, file="(new review)", text=None)
    _refuse_lone_surrogates(review)
    encoded = yamlio.dump(data).encode("utf-8")
    slug = workspace.coachee_slug(review.coachee, create=True)
    assert slug is not None
    path = workspace.write_new_file(
        workspace.journal_dir / slug, record_file_names(review), encoded
    )
    return replace(review, path=path)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _refuse_lone_surrogates(review: Review) -> None:
    """Half of a character pair (possible in text pasted from broken sources) can be
    written but never read back by YAML: refuse it, with the field, before writing."""
    fields = [("notes", review.notes), ("coachee", review.coachee), ("author", review.author)]
    for index, assessment in enumerate(review.assessments):
        fields += [(f"assessments[{index}].{name}", getattr(assessment, name))
                   for name in TEXT_FIELDS]  # fmt: skip
    for name, value in fields:
        if _SURROGATE.search(value or ""):
            raise InputError(
                "the text holds half of a character pair, which cannot be saved; "
                "retype that part and save again",
                field=name,
            )


# --- loading -------------------------------------------------------------------------------


@dataclass
class JournalLoad:
    """Reviews that loaded, oldest first, and one problem per file that did not."""

    reviews: list[Review] = field(default_factory=list)
    problems: list[JournalError] = field(default_factory=list)
    fingerprint: tuple = ()  # (path, signature) of every file read: changes with any file


def record_paths(workspace: Workspace, coachee_slug: str | None = None) -> list[Path]:
    """Every journal file (temporary files and markers skipped), sorted by path."""
    root = workspace.journal_dir
    if not root.is_dir():
        return []
    folders = [root / coachee_slug] if coachee_slug else sorted(root.iterdir())
    paths: list[Path] = []
    for folder in folders:
        if not folder.is_dir() or folder.name.startswith("."):
            continue
        paths.extend(
            path
            for path in folder.iterdir()
            if path.suffix == RECORD_SUFFIX and not path.name.startswith(".")
        )
    return sorted(paths)


def read_record(path: Path) -> Review:
    """Read and validate one journal file; raise JournalError naming file, line and field."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise JournalError(f"not UTF-8 text ({exc.reason})", file=path) from None
    except OSError as exc:
        raise JournalError(f"cannot read: {exc.strerror}", file=path) from None
    data = yamlio.parse(text, file=path, error=JournalError)
    if not isinstance(data, dict):
        raise JournalError("not a saved review (expected a mapping)", file=path, line=1)
    if isinstance(data.get("when"), datetime):  # an unquoted timestamp typed by hand
        data["when"] = data["when"].isoformat()
    _validate_record(data, file=path, text=text)
    try:
        return Review.from_dict(data, path)
    except ValueError as exc:
        raise JournalError(
            str(exc), file=path, line=yamlio.line_of(text, ["when"]), field="when"
        ) from None


def _validate_record(data: dict[str, Any], *, file: str | Path, text: str | None) -> None:
    import fastjsonschema

    try:
        _record_validator()(data)
    except fastjsonschema.JsonSchemaValueException as exc:
        path = [int(p) if p.isdigit() else p for p in (exc.path or [])[1:]]
        line = yamlio.line_of(text, path) if text is not None else None
        message = exc.message.removeprefix(exc.name or "").strip() or exc.message
        raise JournalError(
            message, file=file, line=line, field=yamlio.field_name(path) or None
        ) from None
    try:
        _parse_when(data["when"])
    except ValueError as exc:
        line = yamlio.line_of(text, ["when"]) if text is not None else None
        raise JournalError(str(exc), file=file, line=line, field="when") from None


def _parse_when(value: str) -> datetime:
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"not a date and time: {value!r} (expected ISO 8601)") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when


def scan_records(workspace: Workspace, coachee_slug: str | None = None) -> list[tuple[str, Any]]:
    """(path, stat) of every journal file, sorted by path; one directory scan per folder."""
    root = workspace.journal_dir
    if not root.is_dir():
        return []
    if coachee_slug:
        folders = [os.path.join(root, coachee_slug)]
    else:
        folders = sorted(e.path for e in os.scandir(root) if not e.name.startswith("."))
    found = []
    for folder in folders:
        try:
            entries = list(os.scandir(folder))
        except (NotADirectoryError, FileNotFoundError):
            continue
        for entry in entries:
            name = entry.name
            if name.endswith(RECORD_SUFFIX) and not name.startswith(".") and entry.is_file():
                found.append((entry.path, entry.stat()))
    found.sort(key=lambda item: item[0])
    return found


def load_journal(
    workspace: Workspace,
    *,
    coachee: str | None = None,
    catalog: Catalog | None = None,
) -> JournalLoad:
    """Load every review of a workspace (or one coachee), reporting bad files as problems.

    With a ``catalog``, reviews on unknown frameworks or with skills or levels that are
    not in their framework are reported too and left out, so views never mis-read them.
    Files already read and unchanged since are not parsed again (see ``coachlib.cache``).
    """
    slug = None
    if coachee is not None:
        slug = workspace.coachee_slug(coachee)
        if slug is None:
            return JournalLoad()
    result = JournalLoad()
    scanned = scan_records(workspace, slug)
    for path, stat in scanned:
        outcome = file_cache.per_file(
            path, file_cache.signature(stat), lambda p=path: _read_outcome(p)
        )
        if isinstance(outcome, JournalError):
            result.problems.append(outcome)
            continue
        if catalog is not None:
            problem = _framework_problem(outcome, catalog)
            if problem is not None:
                result.problems.append(problem)
                continue
        result.reviews.append(outcome)
    if slug is None:
        file_cache.forget_missing(str(workspace.journal_dir), {path for path, _stat in scanned})
    result.reviews.sort(key=lambda review: (review.when, review.id))
    result.fingerprint = tuple((path, file_cache.signature(stat)) for path, stat in scanned)
    return result


def _read_outcome(path: str) -> Review | JournalError:
    try:
        return read_record(Path(path))
    except JournalError as problem:
        return problem


def _framework_problem(review: Review, catalog: Catalog) -> JournalError | None:
    assert review.path is not None
    if review.framework not in catalog:
        return JournalError(
            f"unknown framework {review.framework!r}", file=review.path, field="framework"
        )
    problems = check_against_framework(review, catalog.get(review.framework))
    if not problems:
        return None
    index, name, message = problems[0]
    text = review.path.read_text(encoding="utf-8")
    return JournalError(
        message,
        file=review.path,
        line=yamlio.line_of(text, ["assessments", index, name]),
        field=f"assessments[{index}].{name}",
    )


def first_coachee_in(folder: Path) -> str | None:
    """The coachee named by the first readable record in a folder (for unmarked folders)."""
    for path in sorted(folder.glob("*" + RECORD_SUFFIX)):
        if path.name.startswith(".") or path.name == NAME_MARKER:
            continue
        try:
            return read_record(path).coachee
        except CoachError:
            continue
    return None


def stray_temp_files(workspace: Workspace) -> list[Path]:
    """Temporary files left by writers that were killed (safe to delete)."""
    if not workspace.root.is_dir():
        return []
    return sorted(workspace.root.rglob(TEMP_PREFIX + "*"))
