"""pandas views over the journal: history, latest levels, ratings per skill, levels only.

Everything here reads reviews and returns DataFrames; nothing writes. One coachee's standing
on one track, read from a handful of records, is in ``views.standing`` (no pandas).
Coach and self assessments are separate series everywhere: they are compared, never
averaged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from ..model.review import Review
from ..model.rules import REVIEWER_ROLES
from ..store import cache
from ..store.frameworks import registry_for
from ..store.index import Coded, read_level_index
from ..store.journal import JournalLoad, load_journal
from . import ratings
from .ratings import HistoryRow, history_tuples
from .values import missing

if TYPE_CHECKING:
    from ..model.frameworks import Registry
    from ..store.workspace import Workspace

# The columns of ``views.ratings.HistoryRow`` (no ``private_note``, no ``handover_note``).
HISTORY_COLUMNS = list(HistoryRow._fields)
LATEST_KEYS = ["coachee", "framework", "skill", "role"]


def history_frame(reviews: Iterable[Review], registry: Registry | None = None) -> pd.DataFrame:
    """One row per assessed skill per saved review, oldest first (the rows of
    ``views.ratings.history_rows``, as a DataFrame)."""
    rows = list(history_tuples(reviews, registry))
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
            "skill",
            "skill_name",
            "coach",
            "coach_mark",
            "coach_when",
            "self",
            "self_mark",
            "self_when",
        ],
    )
    for role in REVIEWER_ROLES:
        table[role] = table[role].astype("Int64")
    table["gap"] = (table["self"] - table["coach"]).astype("Int64")
    return table


def skill_rows(table: pd.DataFrame) -> list[ratings.SkillLatest]:
    """The rows of :func:`latest_by_skill`'s table as ``views.ratings.SkillLatest`` values
    (None where a value is missing), for the functions that take plain rows."""
    columns = list(ratings.SkillLatest._fields)
    return [
        ratings.SkillLatest._make(None if missing(value) else value for value in row)
        for row in table[columns].itertuples(index=False, name=None)
    ]


def tier_readiness(framework, table: pd.DataFrame, *, role: str) -> pd.DataFrame:
    """``views.ratings.tier_readiness`` of a :func:`latest_by_skill` table, as a DataFrame.
    Columns: ``tier``, ``tier_name``, ``skills`` (not waived), ``waived``, ``top`` (rated at
    the top level), ``rated``, ``share`` (top / skills, 0-1)."""
    return pd.DataFrame(ratings.tier_readiness(framework, skill_rows(table), role=role))


LEVEL_COLUMNS = [
    "record_id",
    "coachee",
    "framework",
    "version",
    "role",
    "author",
    "when",
    "part",
    "skill",
    "level",
    "mark",
]


def load_levels(workspace: Workspace, *, registry: Registry | None = None) -> History:
    """The history's levels and dates only (no texts), from the level index: what team
    views need, at a fraction of the cost of reading every file (see ``coachlib.store.index``)."""
    registry = registry or registry_for(workspace.root)
    load = read_level_index(workspace, registry)
    import numpy as np

    # Oldest first, by time then record, each record's ratings in their order: the files
    # are sorted on their times (numpy's stable sort; the index keeps the record ids in
    # order, so ties stay in record order), then each column is taken in that order
    # straight from its codes: a record's own values once per rating, texts as
    # categoricals, numbers as integers with a mask.
    counts = np.asarray(load.counts, dtype=np.int64)
    when_ns = np.asarray(load.when_ns, dtype=np.int64)
    file_order = np.argsort(when_ns, kind="stable")
    taken = counts[file_order]
    firsts = np.cumsum(counts) - counts
    of_row = np.repeat(file_order, taken)  # each rating's file, in the frame's order
    row_order = np.repeat(firsts[file_order] - (np.cumsum(taken) - taken), taken) + np.arange(
        int(taken.sum())
    )
    data = {}
    for name in LEVEL_COLUMNS:
        if name == "record_id":
            data[name] = pd.Categorical.from_codes(of_row, categories=load.ids)
        elif name == "when":
            continue
        else:
            column, order = (
                (load.files[name], of_row) if name in load.files else (load.rows[name], row_order)
            )
            if name in ("level", "version"):
                data[name] = _integers(column, order)
            else:
                codes, categories = _sorted_codes(column)
                data[name] = pd.Categorical.from_codes(codes[order], categories=categories)
    frame = pd.DataFrame(data)
    when = pd.to_datetime(pd.Series(when_ns[of_row]), unit="ns", utc=True)
    frame.insert(LEVEL_COLUMNS.index("when"), "when", when)
    return History(frame=frame, load=JournalLoad(problems=load.problems))


def _sorted_codes(column: Coded):
    """A text column of the level index as codes into its sorted distinct values (-1 where
    missing), and those values. The team views compare, drop duplicates and group on
    these codes, as pandas categoricals, not on a quarter of a million strings (hashing
    them was most of what pandas did for a team of 500); sorted, so a sort or a group-by
    on the column orders rows as it did on the strings."""
    import numpy as np

    categories = column.categories
    present = sorted(value for value in categories if value is not None)
    place = {value: n for n, value in enumerate(present)}
    recode = np.array(
        [-1 if value is None else place[value] for value in categories], dtype=np.int64
    )
    return recode[np.asarray(column.codes, dtype=np.int64)], present


def _integers(column: Coded, order):
    """A column of whole numbers or None (levels, versions) as pandas' Int64, rows in
    ``order``: from the codes and a mask, without a Python loop over the rows."""
    import numpy as np

    categories = column.categories
    numbers = np.array([0 if value is None else value for value in categories], dtype=np.int64)
    absent = np.array([value is None for value in categories], dtype=bool)
    codes = np.asarray(column.codes, dtype=np.int64)[order]
    return pd.arrays.IntegerArray(numbers[codes], absent[codes])
