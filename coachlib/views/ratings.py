"""One coachee's ratings as plain rows: the history, the latest rating of each skill, tier
readiness and the job-role reading, without pandas.

A coachee's summary reads a few hundred ratings at most. pandas would take a third of a
second to import in a process that makes one page (``coach export``), more than building
the page itself, so the summary reads its rows from here; the team views, which read a
whole journal, use the DataFrames of ``views.history`` and ``views.team``, built from the
same rows and the same rules (one definition of each, not two that could drift apart).
Coach and self stay apart: compared, never averaged.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, NamedTuple

from ..model.review import Review
from ..model.rules import REVIEWER_ROLES, counts_as_level
from .values import missing

if TYPE_CHECKING:
    from ..model.frameworks import Framework, Registry
    from ..model.guidance import Guidance


class HistoryRow(NamedTuple):
    """One assessed skill of one saved review (a row of the history DataFrame).

    ``version`` is the framework text the record was made against and ``level_name`` is
    that text's name for the level; ``level`` is on the newest version's scale, so a
    person's progress is one line across versions. No ``private_note`` and no
    ``handover_note``: every table, page and CSV is made from these rows, and the coach's
    private note must never leave the journal file."""

    record_id: str
    coachee: str
    framework: str
    version: int | None
    role: str
    author: str
    when: datetime  # UTC
    part: str | None
    skill: str
    skill_name: str
    level: int | None
    level_name: str | None
    mark: str | None
    evidence: str
    reflection: str
    next_steps: str
    note: str
    criteria_met: tuple[str, ...]
    session_notes: str
    path: str | None


def history_tuples(reviews: Iterable[Review], registry: Registry | None = None) -> Iterator[tuple]:
    """The fields of each :class:`HistoryRow`, in the order the reviews come (``when`` as
    the record says it; :func:`history_rows` and ``views.history.history_frame`` both sort
    and make it UTC)."""
    names: dict[tuple[str, int | None], tuple[dict, dict, dict, int | None]] = {}

    def lookups(framework_id: str, number: int | None) -> tuple[dict, dict, dict, int | None]:
        if (framework_id, number) not in names:
            framework = None
            if registry is not None and framework_id in registry:
                with contextlib.suppress(LookupError):
                    framework = registry.made_against(framework_id, number)
            names[framework_id, number] = (
                {s.id: s.name for s in framework.skills} if framework else {},
                {lv.level: lv.name for lv in framework.scale} if framework else {},
                {m.id: m.name for m in framework.marks} if framework else {},
                framework.version if framework else number,
            )
        return names[framework_id, number]

    for review in reviews:
        skill_names, level_names, mark_names, version = lookups(
            review.framework, review.framework_version
        )
        path = str(review.path) if review.path else None
        head = (
            review.id,
            review.coachee,
            review.framework,
            version,
            review.role,
            review.author,
            review.when,
            review.part,
        )
        for assessment in review.assessments:
            level = assessment.level
            if registry is not None:
                level = registry.level_now(review.framework, version, level)
            level_name = (
                level_names.get(assessment.level)
                if assessment.level is not None
                else mark_names.get(assessment.mark or "", assessment.mark)
            )
            yield (
                *head,
                assessment.skill,
                skill_names.get(assessment.skill, assessment.skill),
                level,
                level_name,
                assessment.mark,
                assessment.evidence,
                assessment.reflection,
                assessment.next_steps,
                assessment.note,
                assessment.criteria_met,
                review.notes,
                path,
            )


def utc(when: datetime) -> datetime:
    """``when`` in UTC (a time without a zone is taken as UTC, as pandas takes it)."""
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def history_rows(reviews: Iterable[Review], registry: Registry | None = None) -> list[HistoryRow]:
    """One row per assessed skill per saved review, oldest first (by time, then record)."""
    rows = [
        HistoryRow._make((*row[:6], utc(row[6]), *row[7:]))
        for row in history_tuples(reviews, registry)
    ]
    rows.sort(key=lambda row: (row.when, row.record_id))
    return rows


def up_to(rows: Iterable[HistoryRow], as_of: date) -> list[HistoryRow]:
    """The rows saved on or before ``as_of`` (a UTC date)."""
    return [row for row in rows if row.when.date() <= as_of]


def latest_per_skill_and_role(
    rows: Iterable[HistoryRow],
) -> dict[tuple[str, str], HistoryRow]:
    """The last row of each (skill, role), of rows oldest first."""
    return {(row.skill, row.role): row for row in rows}


class SkillLatest(NamedTuple):
    """One skill's latest coach and self ratings (a row of ``latest_by_skill``): the
    level (None when not rated or marked), the mark (e.g. 'waived'), when, and ``gap``
    (self minus coach, when both are levels)."""

    skill: str
    skill_name: str
    coach: int | None
    coach_mark: str | None
    coach_when: datetime | None
    self: int | None
    self_mark: str | None
    self_when: datetime | None
    gap: int | None


def latest_by_skill(
    rows: Iterable[HistoryRow], *, coachee: str, framework: Framework, as_of: date | None = None
) -> list[SkillLatest]:
    """One row per skill of the framework, in framework order."""
    mine = [row for row in rows if row.coachee == coachee and row.framework == framework.id]
    if as_of is not None:
        mine = up_to(mine, as_of)
    latest = latest_per_skill_and_role(mine)
    out = []
    for skill in framework.skills:
        values: dict[str, object] = {}
        for role in REVIEWER_ROLES:
            found = latest.get((skill.id, role))
            level = None if found is None or missing(found.level) else found.level
            mark = found.mark if found is not None else None
            values[role] = level
            values[f"{role}_mark"] = mark if isinstance(mark, str) and mark else None
            values[f"{role}_when"] = found.when if found is not None else None
        coach, own = values["coach"], values["self"]
        gap = own - coach if coach is not None and own is not None else None  # type: ignore[operator]
        out.append(SkillLatest(skill=skill.id, skill_name=skill.name, gap=gap, **values))  # type: ignore[arg-type]
    return out


def is_rated(row: SkillLatest) -> bool:
    """Rated by coach or by self, as a level or with a mark."""
    return any(v is not None for v in (row.coach, row.self, row.coach_mark, row.self_mark))


class TierReadiness(NamedTuple):
    """Of one tier's skills that are not waived, how many are rated at the top level."""

    tier: str
    tier_name: str
    skills: int  # not waived
    waived: int
    top: int  # rated at the top level
    rated: int
    share: float  # top / skills, 0-1 (NaN when every skill is waived)


def tier_readiness(
    framework: Framework, table: Sequence[SkillLatest], *, role: str
) -> list[TierReadiness]:
    """Per tier of ``framework``, from its latest ratings (``latest_by_skill``).

    Skills with a mark (waived) are left out of both the count and the share: a mark is
    never a level (``model.rules.counts_as_level``)."""
    top = framework.max_level
    by_skill = {row.skill: row for row in table}
    out = []
    for tier in framework.groups:
        rows = [by_skill[skill.id] for skill in tier.all_skills()]
        if not rows:
            continue
        waived = sum(1 for row in rows if not counts_as_level(getattr(row, f"{role}_mark")))
        levels = [getattr(row, role) for row in rows]
        counted = len(rows) - waived
        at_top = sum(1 for level in levels if not missing(level) and level == top)
        out.append(
            TierReadiness(
                tier=tier.id,
                tier_name=tier.name,
                skills=counted,
                waived=waived,
                top=at_top,
                rated=sum(1 for level in levels if not missing(level)),
                share=at_top / counted if counted else float("nan"),
            )
        )
    return out


class JobRole(NamedTuple):
    """One coachee's job-role reading across a guidance's tracks."""

    coachee: str
    levels: dict[str, int | None]  # per track id, the coach's latest milestone (or None)
    reading: str
    role: str  # the rule id
    decisions: tuple[str, ...]  # coachlib's readings of cases the source leaves open
    assessed: bool  # False: no coach review on any track


def job_role_readings(
    milestones: Mapping[str, Mapping[str, int]], guidance: Guidance, coachees: Iterable[str]
) -> list[JobRole]:
    """The reading of each coachee. ``milestones`` holds, per track id, each coachee's
    latest milestone by the coach (on the newest version's scale). The guidance applies
    as it is now, also to milestones recorded against an older text of a track."""
    out = []
    read: dict[tuple, tuple[str, str, tuple[str, ...], bool]] = {}  # by the levels: a few
    for coachee in coachees:
        levels = {track: milestones.get(track, {}).get(coachee) for track in guidance.tracks}
        key = tuple(levels.values())
        if key not in read:
            reading = guidance.read(levels)
            assessed = any(level is not None for level in levels.values())
            text = reading.text if assessed else "not assessed"
            decisions = reading.decisions if assessed else ()
            read[key] = (text, reading.role.id, decisions, assessed)
        out.append(JobRole(coachee, levels, *read[key]))
    return out
