"""`coach collect`: what coachees wrote in their packs, checked, into the coach's journal.

Every record is checked before anything is written: it must read as a saved review (safe
YAML, no tags, no key given twice, the schema, the size limits), be a self-review by the
pack's coachee, who must be a coachee of this workspace, on the pack's framework, which
the workspace must know, with levels and skills that framework has, and a date that is
not in the future, and without the coach's own words (a hand-over or private note is
the coach's, never the coachee's: a record that brings either is refused). A record
already in the journal (same identity: see ``model.pack.record_identity``) is not written
again, so collecting a pack twice adds nothing the second time. Each record is written
whole by the atomic writer: an interrupted collect leaves whole records only, and running
it again finishes the job. The pack itself is never changed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ..model import safeyaml
from ..model.errors import CoachError, InputError, JournalError
from ..model.frameworks import Framework, Registry
from ..model.pack import MANIFEST, MAX_RECORDS, Manifest, record_identity
from ..model.review import COACH_ONLY, Review, check_against_framework, parse_record
from .journal import load_journal, save_received
from .packs import read_pack
from .workspace import Workspace

IMPORTED, ALREADY, REFUSED = "imported", "already there", "refused"
FUTURE_SLACK = timedelta(days=1)  # clocks differ; a record from next week is a mistake


@dataclass(frozen=True)
class Outcome:
    """What happened to one record (or to a whole pack that could not be read)."""

    source: str
    file: str
    status: str
    reason: str = ""
    coachee: str = ""


@dataclass
class CollectReport:
    outcomes: list[Outcome] = field(default_factory=list)
    dry_run: bool = False

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def refused(self) -> bool:
        return self.count(REFUSED) > 0

    def summary(self) -> str:
        verb = "would be imported" if self.dry_run else "imported"
        return (
            f"{self.count(IMPORTED)} record(s) {verb}, {self.count(ALREADY)} already there, "
            f"{self.count(REFUSED)} refused"
        )


def collect(
    workspace: Workspace,
    sources: list[Path],
    *,
    registry: Registry,
    dry_run: bool = False,
    vouched: dict[Path, str] | None = None,
    labels: dict[Path, str] | None = None,
) -> CollectReport:
    """Check every record of every pack, then write the new ones (unless ``dry_run``).

    ``vouched`` names, for a pack that came through the exchange, the coachee whose folder
    it was in: only that person can write there, so a pack naming anybody else is refused.
    ``labels`` says how a pack is shown in the report (a hand-in as its coachee and its
    name, not as a path into the exchange); a pack without one is shown by its path.
    """
    report = CollectReport(dry_run=dry_run)
    known: dict[str, set[str]] = {}  # coachee -> identities in the journal
    new: list[tuple[Outcome, Review, bytes]] = []
    for source in sources:
        expected = (vouched or {}).get(source)
        label = (labels or {}).get(source, str(source))
        records = _pack_records(workspace, source, label, registry, expected)
        for outcome, review, data in records:
            if review is None:
                report.outcomes.append(outcome)
                continue
            if review.coachee not in known:
                journal = load_journal(workspace, coachee=review.coachee)
                known[review.coachee] = {record_identity(r) for r in journal.reviews}
            identity = record_identity(review)
            if identity in known[review.coachee]:
                report.outcomes.append(_with(outcome, ALREADY, f"record {identity}"))
                continue
            known[review.coachee].add(identity)
            new.append((_with(outcome, IMPORTED, f"record {identity}"), review, data))
    if new and not dry_run:
        try:  # every new record of every pack: written whole, flushed to disk once
            save_received(workspace, [(review, data) for _, review, data in new])
        except CoachError as exc:
            new = [(_with(o, REFUSED, exc.one_line()), r, d) for o, r, d in new]
    report.outcomes.extend(outcome for outcome, _, _ in new)
    return report


def _with(outcome: Outcome, status: str, reason: str) -> Outcome:
    return Outcome(outcome.source, outcome.file, status, reason, outcome.coachee)


def _pack_records(
    workspace: Workspace, source: Path, label: str, registry: Registry, expected: str | None
) -> Iterator[tuple[Outcome, Review | None, bytes]]:
    """(outcome, review, bytes) for each record of a pack; review None when refused."""
    pack = read_pack(source, zip_only=expected is not None)  # a hand-in is a zip file
    if pack.fatal is not None:
        yield Outcome(label, "", REFUSED, pack.fatal.message), None, b""
        return
    for problem in pack.refused:
        yield Outcome(label, problem.file or "", REFUSED, problem.message), None, b""
    try:
        manifest = _manifest(pack.files, label, workspace, registry)
        if expected is not None and manifest.coachee != expected:
            raise InputError(
                f"a pack of {manifest.coachee!r} handed in by {expected!r}: "
                "a coachee hands in their own pack only",
                file=f"{label}:{MANIFEST}",
                field="coachee",
            )
    except CoachError as exc:
        yield Outcome(label, MANIFEST, REFUSED, exc.one_line()), None, b""
        return
    records = sorted(name for name in pack.files if name != MANIFEST)
    if len(records) > MAX_RECORDS:
        yield (
            Outcome(
                label,
                "journal/",
                REFUSED,
                f"{len(records):,} records, more than {MAX_RECORDS:,} in one pack: none read",
            ),
            None,
            b"",
        )
        return
    now = datetime.now(UTC)
    for name in records:
        base = Outcome(label, name, REFUSED, coachee=manifest.coachee)
        try:
            review = _record(pack.files[name], f"{label}:{name}", manifest, registry, now)
        except CoachError as exc:
            yield _with(base, REFUSED, exc.one_line()), None, b""
            continue
        yield base, review, pack.files[name]


def _manifest(
    files: dict[str, bytes], label: str, workspace: Workspace, registry: Registry
) -> Manifest:
    where = f"{label}:{MANIFEST}"
    if MANIFEST not in files:
        raise InputError("no pack.yaml: not a coachlib pack", file=label)
    text = _text(files[MANIFEST], where)
    data = safeyaml.parse(text, file=where, error=InputError)
    try:
        manifest = Manifest.from_dict(data, file=where)
        if workspace.coachee_slug(manifest.coachee) is None:
            raise InputError(
                f"{manifest.coachee!r} is not a coachee of this workspace",
                file=where,
                field="coachee",
            )
        if manifest.framework not in registry:
            raise InputError(
                f"unknown framework {manifest.framework!r}", file=where, field="framework"
            )
    except InputError as exc:  # the line of the field it names
        if exc.line is not None or not exc.field:
            raise
        raise InputError(
            exc.message,
            file=exc.file,
            line=safeyaml.line_of(text, [exc.field]),
            field=exc.field,
            hint=exc.hint,
        ) from None
    return manifest


def _text(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise JournalError(f"not UTF-8 text ({exc.reason})", file=where) from None


def _record(
    data: bytes, where: str, manifest: Manifest, registry: Registry, now: datetime
) -> Review:
    text = _text(data, where)
    review = parse_record(text, file=where)
    try:
        return _checked(review, where, manifest, registry, now)
    except JournalError as exc:  # the line of the field it names, in the record's text
        if exc.line is not None or not exc.field:
            raise
        line = safeyaml.line_of(text, _field_path(exc.field))
        raise JournalError(
            exc.message, file=exc.file, line=line, field=exc.field, hint=exc.hint
        ) from None


def _field_path(field: str) -> list[str | int]:
    """``assessments[2].level`` as the path ``["assessments", 2, "level"]``."""
    path: list[str | int] = []
    for part in field.split("."):
        name, _, index = part.partition("[")
        path.append(name)
        if index.rstrip("]").isdigit():
            path.append(int(index.rstrip("]")))
    return path


def _checked(
    review: Review, where: str, manifest: Manifest, registry: Registry, now: datetime
) -> Review:
    """The review, if it may come back from this pack; JournalError naming the field."""
    if review.role != "self":
        raise JournalError(
            "a pack brings self-reviews only, not a coach's review", file=where, field="role"
        )
    for name in COACH_ONLY:  # a coachee's self-review is not the coach's note
        if getattr(review, name):
            raise JournalError(
                "a pack's self-review cannot carry a coach's hand-over note or private note",
                file=where,
                field=name,
            )
    if review.coachee != manifest.coachee:
        raise JournalError(
            f"a record of {review.coachee!r} in the pack of {manifest.coachee!r}",
            file=where,
            field="coachee",
        )
    if review.author != review.coachee:
        raise JournalError(
            "a self-review must be written by the coachee", file=where, field="author"
        )
    if review.framework != manifest.framework:
        raise JournalError(
            f"framework {review.framework!r}, not the pack's {manifest.framework!r}",
            file=where,
            field="framework",
        )
    if review.when > now + FUTURE_SLACK:
        raise JournalError(
            f"saved in the future ({review.when.isoformat()})", file=where, field="when"
        )
    try:  # against the text it names (an older record: the oldest installed text)
        framework = registry.made_against(review.framework, review.framework_version)
    except LookupError as exc:
        raise JournalError(str(exc), file=where, field="framework_version") from None
    if review.framework_hash and review.framework_hash != framework.digest:
        raise JournalError(
            f"made against a text of {review.framework} version {framework.version} that "
            f"differs from the one installed here (hash {review.framework_hash}, installed "
            f"{framework.digest})",
            file=where,
            field="framework_hash",
            hint="the pack's framework file was changed: ask for the pack as it was sent",
        )
    problems = check_against_framework(review, framework)
    if problems:
        index, name, message = problems[0]
        raise JournalError(message, file=where, field=f"assessments[{index}].{name}")
    _check_part(review, framework, where)
    return review


def _check_part(review: Review, framework: Framework, where: str) -> None:
    """A part, when a record names one (the skills form always does:
    ``review.reviews_by_part``), is a part of its framework holding every skill the record
    rates. A milestone record names none; a skills record saved without one (by hand, or
    before parts) is read as the journal reads it."""
    if review.part is None:
        return
    parts = {group.id: group for group, _ in framework.parts()}
    if framework.is_milestone_track or review.part not in parts:
        raise JournalError(
            f"unknown part {review.part!r} of {framework.id}", file=where, field="part"
        )
    inside = {skill.id for skill in parts[review.part].all_skills()}
    for index, assessment in enumerate(review.assessments):
        if assessment.skill not in inside:
            raise JournalError(
                f"skill {assessment.skill!r} is not in the part {review.part!r}",
                file=where,
                field=f"assessments[{index}].skill",
            )
