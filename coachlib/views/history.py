"""pandas views over the journal: history, latest levels, ratings per skill, levels only.

Everything here reads reviews and returns DataFrames; nothing writes. One coachee's standing
on one track, read from a handful of records, is in ``views.standing`` (no pandas).
Coach and self assessments are separate series everywhere: they are compared, never
averaged.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from ..model.review import Review
from ..model.rules import REVIEWER_ROLES, counts_as_level
from ..store import cache
from ..store.frameworks import registry_for
from ..store.index import read_level_index
from ..store.journal import JournalLoad, load_journal

if TYPE_CHECKING:
    from ..model.frameworks import Registry
    from ..store.workspace import Workspace

# No ``private_note`` and no ``handover_note``: every table, page and CSV is made from this
# frame, and the coach's private note must never leave the journal file (the summary reads
# the hand-over note from the records themselves).
HISTORY_COLUMNS = [
    "record_id",
    "coachee",
    "framework",
    "version",
    "role",
    "author",
    "when",
    "part",
    "skill",
    "skill_name",
    "level",
    "level_name",
    "mark",
    "evidence",
    "reflection",
    "next_steps",
    "note",
    "criteria_met",
    "session_notes",
    "path",
]
LATEST_KEYS = ["coachee", "framework", "skill", "role"]


def history_frame(reviews: Iterable[Review], registry: Registry | None = None) -> pd.DataFrame:
    """One row per assessed skill per saved review, oldest first.

    ``version`` is the framework text the record was made against and ``level_name`` is
    that text's name for the level; ``level`` is on the newest version's scale, so a
    person's progress is one line across versions."""
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

    rows = []
    for review in reviews:
        skill_names, level_names, mark_names, version = lookups(
            review.framework, review.framework_version
        )
        record_id = review.id
        path = str(review.path) if review.path else None
        head = (record_id, review.coachee, review.framework, version, review.role,
                review.author, review.when, review.part)  # fmt: skip
        for assessment in review.assessments:
            level = assessment.level
            if registry is not None:
                level = registry.level_now(review.framework, version, level)
            level_name = (
                level_names.get(assessment.level)
                if assessment.level is not None
                else mark_names.get(assessment.mark or "", assessment.mark)
            )
            rows.append(
                (
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
            )
    frame = pd.DataFrame.from_records(rows, columns=HISTORY_COLUMNS)
    frame["when"] = pd.to_datetime(frame["when"], utc=True)
    frame["level"] = frame["level"].astype("Int64")
    frame["version"] = frame["version"].astype("Int64")
    frame = frame.sort_values(["when", "record_id"], kind="stable").reset_index(drop=True)
    return frame


@dataclass
class History:
    """A workspace's (or one coachee's) history, with the files that could not be read."""

    frame: pd.DataFrame
    load: JournalLoad

    @property
    def problems(self):
        return self.load.problems


def load_history(
    workspace: Workspace, *, coachee: str | None = None, registry: Registry | None = None
) -> History:
    """Load the journal into the history DataFrame; bad files are reported, not fatal."""
    if registry is None:
        registry = registry_for(workspace.root)
    load = load_journal(workspace, coachee=coachee, registry=registry)
    # The frame is rebuilt only when a file or a framework changed; callers get their own
    # copy, so nothing they do can alter the cached one.
    slot = ("history", str(workspace.root.resolve()), coachee)
    fingerprint = (load.fingerprint, tuple(id(f) for f in registry))
    frame = cache.derived(slot, fingerprint, lambda: history_frame(load.reviews, registry))
    return History(frame=frame.copy(), load=load)


def latest_levels(history: pd.DataFrame) -> pd.DataFrame:
    """The latest assessment per coachee, framework, skill and role."""
    if history.empty:
        return history.copy()
    latest = history.drop_duplicates(subset=LATEST_KEYS, keep="last")
    return latest.sort_values(LATEST_KEYS, kind="stable").reset_index(drop=True)


def latest_by_skill(
    history: pd.DataFrame, *, coachee: str, framework, as_of: date | None = None
) -> pd.DataFrame:
    """One row per skill of the framework (framework order): latest coach and self ratings.

    Columns: ``skill``, ``skill_name``, ``coach``/``self`` (level, Int64, missing when not
    rated or marked), ``coach_mark``/``self_mark`` (e.g. 'waived'), ``coach_when``/
    ``self_when``, and ``gap`` (self minus coach, when both are levels).
    """
    rows = history[(history["coachee"] == coachee) & (history["framework"] == framework.id)]
    if as_of is not None and not rows.empty:
        rows = rows[rows["when"].dt.date <= as_of]
    latest = rows.drop_duplicates(subset=["skill", "role"], keep="last").set_index(
        ["skill", "role"]
    )
    records = []
    for skill in framework.skills:
        record: dict[str, object] = {"skill": skill.id, "skill_name": skill.name}
        for role in REVIEWER_ROLES:
            key = (skill.id, role)
            found = latest.loc[key] if key in latest.index else None
            record[role] = found["level"] if found is not None else pd.NA
            mark = found["mark"] if found is not None else None
            record[f"{role}_mark"] = mark if isinstance(mark, str) and mark else None
            record[f"{role}_when"] = found["when"] if found is not None else pd.NaT
        records.append(record)
    table = pd.DataFrame.from_records(
        records,
        columns=[
            "skill", "skill_name", "coach", "coach_mark", "coach_when",
            "self", "self_mark", "self_when",
        ],
    )  # fmt: skip
    for role in REVIEWER_ROLES:
        table[role] = table[role].astype("Int64")
    table["gap"] = (table["self"] - table["coach"]).astype("Int64")
    return table


def tier_readiness(framework, table: pd.DataFrame, *, role: str) -> pd.DataFrame:
    """Per tier: of its skills that are not waived, how many are rated at the top level.

    Skills with a mark (waived) are left out of both the count and the share: a mark is
    never a level (``model.rules.counts_as_level``).
    Columns: ``tier``, ``tier_name``, ``skills`` (not waived), ``waived``, ``top`` (rated at
    the top level), ``rated``, ``share`` (top / skills, 0-1).
    """
    top = framework.max_level
    by_skill = table.set_index("skill")
    rows = []
    for tier in framework.groups:
        ids = [skill.id for skill in tier.all_skills()]
        if not ids:
            continue
        marks = by_skill.loc[ids, f"{role}_mark"]
        levels = by_skill.loc[ids, role]
        waived = int((~marks.map(counts_as_level)).sum())
        counted = len(ids) - waived
        at_top = int((levels == top).sum())
        rows.append(
            {
                "tier": tier.id,
                "tier_name": tier.name,
                "skills": counted,
                "waived": waived,
                "top": at_top,
                "rated": int(levels.notna().sum()),
                "share": at_top / counted if counted else float("nan"),
            }
        )
    return pd.DataFrame(rows)


LEVEL_COLUMNS = [
    "record_id", "coachee", "framework", "version", "role", "author", "when", "part", "skill",
    "level", "mark",
]  # fmt: skip


def load_levels(workspace: Workspace, *, registry: Registry | None = None) -> History:
    """The history's levels and dates only (no texts), from the level index: what team
    views need, at a fraction of the cost of reading every file (see ``coachlib.store.index``)."""
    registry = registry or registry_for(workspace.root)
    load = read_level_index(workspace, registry)
    import numpy as np

    columns: dict[str, object] = {}
    for name, column in load.columns.items():
        if isinstance(column, dict):  # coded: categories taken by index, all in C
            categories = np.empty(len(column["categories"]), dtype=object)
            categories[:] = column["categories"]
            columns[name] = categories[np.asarray(column["codes"], dtype=np.int64)]
        else:
            columns[name] = column
    when = pd.to_datetime(pd.Series(columns.pop("when_ns"), dtype="int64"), unit="ns", utc=True)
    frame = pd.DataFrame(columns)
    frame.insert(LEVEL_COLUMNS.index("when"), "when", when)
    frame["level"] = pd.array(frame["level"], dtype="Int64")
    frame["version"] = pd.array(frame["version"], dtype="Int64")
    frame = frame.sort_values(["when", "record_id"], kind="stable").reset_index(drop=True)
    return History(frame=frame, load=JournalLoad(problems=load.problems))
