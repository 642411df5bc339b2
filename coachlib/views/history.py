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
from ..store.index import read_level_index
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

    # Oldest first, by time then record: sorted here on integer codes (a record's rank
    # among the distinct ids: its code once the ids are sorted), not by pandas on a
    # quarter of a million strings; numpy's lexsort is stable, as the frame's order always
    # was. Each column is then taken in that order straight from its codes: texts as
    # categoricals, levels as integers with a mask.
    columns = load.columns
    when_ns = np.asarray(columns["when_ns"], dtype=np.int64)
    texts = {
        name: _sorted_codes(column)
        for name, column in columns.items()
        if name not in ("when_ns", "level", "version")
    }
    order = np.lexsort((texts["record_id"][0], when_ns))
    data = {
        name: _integers(column, order)
        if name in ("level", "version")
        else pd.Categorical.from_codes(texts[name][0][order], categories=texts[name][1])
        for name, column in columns.items()
        if name != "when_ns"
    }
    frame = pd.DataFrame(data)
    when = pd.to_datetime(pd.Series(when_ns[order]), unit="ns", utc=True)
    frame.insert(LEVEL_COLUMNS.index("when"), "when", when)
    return History(frame=frame, load=JournalLoad(problems=load.problems))


def _sorted_codes(column):
    """A text column of the level index as codes into its sorted distinct values (-1 where
    missing), rows in the index's order, and those values. The team views compare, drop
    duplicates and group on these codes, as pandas categoricals, not on a quarter of a
    million strings (hashing them was most of what pandas did for a team of 500); sorted,
    so a sort or a group-by on the column orders rows as it did on the strings, and the
    record ids' codes are their ranks."""
    import numpy as np

    if not isinstance(column, dict):
        codes, uniques = pd.factorize(_values(column, slice(None)), sort=True)
        return np.asarray(codes, dtype=np.int64), list(uniques)
    categories = column["categories"]
    present = sorted(value for value in categories if value is not None)
    place = {value: n for n, value in enumerate(present)}
    recode = np.array(
        [-1 if value is None else place[value] for value in categories], dtype=np.int64
    )
    return recode[np.asarray(column["codes"], dtype=np.int64)], present


def _values(column, order):
    """One column of the level index as a numpy array of objects, rows in ``order`` (a
    coded column's categories taken by its codes, all in C)."""
    import numpy as np

    if not isinstance(column, dict):
        values = np.empty(len(column), dtype=object)
        values[:] = list(column)
        return values[order]
    categories = np.empty(len(column["categories"]), dtype=object)
    categories[:] = column["categories"]
    return categories[np.asarray(column["codes"], dtype=np.int64)[order]]


def _integers(column, order):
    """A column of whole numbers or None (levels, versions) as pandas' Int64, rows in
    ``order``: from the codes and a mask, without a Python loop over the rows."""
    import numpy as np

    if not isinstance(column, dict):
        return pd.array(_values(column, order), dtype="Int64")
    categories = column["categories"]
    numbers = np.array([0 if value is None else value for value in categories], dtype=np.int64)
    absent = np.array([value is None for value in categories], dtype=bool)
    codes = np.asarray(column["codes"], dtype=np.int64)[order]
    return pd.arrays.IntegerArray(numbers[codes], absent[codes])
