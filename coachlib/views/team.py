"""pandas views of a whole team: latest levels, movers, coach-self gaps, overdue reviews,
job roles (Samman tracks) and the distribution over levels.

Everything takes the history DataFrame of ``views.history`` and returns DataFrames; nothing
reads files or draws. Coach and self are kept apart: gaps compare them, nothing averages
one with the other. Only levels, dates and names come out of here, never reflections.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import numpy as np
import pandas as pd

from ..model.frameworks import Framework
from ..model.guidance import Guidance
from ..model.rules import REVIEWER_ROLES, gap_advice
from .ratings import job_role_readings


def _rows(history: pd.DataFrame, framework: Framework, as_of: date | None) -> np.ndarray:
    """The positions of one framework's rows up to ``as_of``: a view takes the columns it
    reads of those rows only, never a copy of them all (a team of 500 has a quarter of a
    million)."""
    mask = (history["framework"] == framework.id).to_numpy(dtype=bool)
    if as_of is not None and mask.any():
        mask = mask & (history["when"] < end_of(as_of)).to_numpy(dtype=bool)
    return np.flatnonzero(mask)


def _codes(column: pd.Series, rows: np.ndarray | None = None) -> tuple[np.ndarray, pd.Index]:
    """The values of ``column`` (at ``rows``; None: every row) as numbers (-1: missing)
    and the values they number: a categorical's codes as they are; any other column
    factorized."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.cat.codes.to_numpy()
        return (codes if rows is None else codes[rows]).astype(np.int64), column.cat.categories
    codes, values = pd.factorize(column if rows is None else column.take(rows))
    return codes.astype(np.int64), pd.Index(values)


def _keys(history: pd.DataFrame, rows: np.ndarray, columns: list[str]) -> np.ndarray:
    """A number for each of ``rows``, the same exactly when its values in ``columns`` are
    (missing values alike, as ``drop_duplicates`` has them): rows are grouped and matched
    on one integer, not on several columns of names."""
    key = np.zeros(len(rows), dtype=np.int64)
    for name in columns:
        codes, values = _codes(history[name], rows)
        key = key * (len(values) + 1) + (codes + 1)
    return key


def _last_each(keys: np.ndarray) -> np.ndarray:
    """The indices of each key's last occurrence, in order (``keep="last"``)."""
    return np.flatnonzero(~pd.Series(keys).duplicated(keep="last").to_numpy())


def coachees_on(history: pd.DataFrame) -> dict[str, set[str]]:
    """Who has rows on each framework: framework id -> coachees. Found by counting each
    (framework, coachee) pair's number in one pass, not by taking each framework's rows."""
    frameworks, framework_ids = _codes(history["framework"])
    coachees, names = _codes(history["coachee"])
    pairs = frameworks * len(names) + coachees
    if len(pairs) and (frameworks.min() < 0 or coachees.min() < 0):
        pairs = pairs[(frameworks >= 0) & (coachees >= 0)]  # a row without either
    pairs = np.flatnonzero(np.bincount(pairs))
    ids, people = [str(name) for name in framework_ids.tolist()], names.tolist()
    found: dict[str, set[str]] = {}
    on, who = np.divmod(pairs, len(names))
    for framework, coachee in zip(on.tolist(), who.tolist(), strict=True):
        found.setdefault(ids[framework], set()).add(people[coachee])
    return found


def end_of(day: date) -> pd.Timestamp:
    """The first moment after ``day`` (UTC): compares fast, unlike ``.dt.date``."""
    return pd.Timestamp(day, tz="UTC") + pd.Timedelta(days=1)


def latest_ratings(
    history: pd.DataFrame, framework: Framework, *, as_of: date | None = None
) -> pd.DataFrame:
    """The latest rating per coachee, skill and role, as of a date.

    Columns: coachee, skill, role, level (Int64), mark, when.
    """
    rows = _rows(history, framework, as_of)
    latest = rows[_last_each(_keys(history, rows, ["coachee", "skill", "role"]))]
    columns = ["coachee", "skill", "role", "level", "mark", "when"]
    return history[columns].take(latest).reset_index(drop=True)


def level_matrix(
    latest: pd.DataFrame, framework: Framework, coachees: list[str], *, role: str
) -> pd.DataFrame:
    """Coachee x column matrix of levels for one role (NaN where not rated or waived).

    Columns are the skills; for a catalogue with more than 40 skills they are the skill sets,
    each the mean level of its rated skills (waived left out), so the map stays readable.
    """
    # Only the coachees asked for (a heat map shows 30 of a team of 500).
    mine = latest[
        (latest["role"] == role) & latest["level"].notna() & latest["coachee"].isin(coachees)
    ]
    pivot = mine.pivot_table(index="coachee", columns="skill", values="level", aggfunc="last")
    pivot = pivot.reindex(index=coachees, columns=[s.id for s in framework.skills])
    pivot = pivot.astype(float)
    if len(framework.skills) <= 40:
        pivot.columns = [s.name for s in framework.skills]
        return pivot
    columns = {}
    for group, _depth in framework.parts():
        if group.groups:
            continue
        ids = [s.id for s in group.all_skills()]
        columns[group.label] = pivot[ids].mean(axis=1, skipna=True)
    return pd.DataFrame(columns, index=coachees)


def movers(
    history: pd.DataFrame, framework: Framework, *, as_of: date | None = None, role: str = "coach"
) -> pd.DataFrame:
    """Who moved since their previous review: per coachee and skill, the last two levels.

    Columns: coachee, skill, skill_name, previous, latest, change, previous_when, when.
    Only rows where the level changed; largest moves first.
    """
    columns = [
        "coachee",
        "skill",
        "skill_name",
        "previous",
        "latest",
        "change",
        "previous_when",
        "when",
    ]
    rows = _rows(history, framework, as_of)
    rated = ((history["role"] == role) & history["level"].notna()).to_numpy(dtype=bool)
    rows = rows[rated[rows]]
    if not len(rows):
        return pd.DataFrame(columns=columns)
    # The latest rating per coachee and skill, then the latest of what is left: found on
    # one integer key per row, each latest matched with its key's previous.
    keys = _keys(history, rows, ["coachee", "skill"])
    last = _last_each(keys)
    left = np.ones(len(rows), dtype=bool)
    left[last] = False
    earlier = np.flatnonzero(left)
    earlier = earlier[_last_each(keys[earlier])]
    latest = rows[last[pd.Index(keys[last]).get_indexer(keys[earlier])]]
    before = rows[earlier]
    levels = history["level"]
    now = levels.take(latest).to_numpy(dtype=np.int64)
    then = levels.take(before).to_numpy(dtype=np.int64)
    moved = now != then
    latest, before, now, then = latest[moved], before[moved], now[moved], then[moved]

    def taken(column: str, at: np.ndarray) -> pd.Series:
        return history[column].take(at).reset_index(drop=True)

    names = {s.id: s.name for s in framework.skills}
    skill = taken("skill", latest)
    frame = pd.DataFrame(
        {
            "coachee": taken("coachee", latest),
            "skill": skill,
            "skill_name": skill.map(lambda s: names.get(s, s)),
            "previous": then,
            "latest": now,
            "change": now - then,
            "previous_when": taken("when", before),
            "when": taken("when", latest),
        },
        columns=columns,
    )
    frame = frame.sort_values(["coachee", "skill"], kind="stable")
    order = frame["change"].abs().sort_values(ascending=False, kind="stable").index
    return frame.loc[order].reset_index(drop=True)


def gaps(latest: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """Where coach and self disagree, per coachee and skill.

    Columns: coachee, skill, skill_name, coach, self, difference (self - coach), advice.
    Only differences of 1 or more; largest first.
    """
    names = {s.id: s.name for s in framework.skills}
    columns = ["coachee", "skill", "skill_name", "coach", "self", "difference", "advice"]
    rated = latest["level"].notna().to_numpy(dtype=bool)
    keys = _keys(latest, np.arange(len(latest)), ["coachee", "skill"])
    found = {}
    for role in REVIEWER_ROLES:  # each role's rated rows, the last per coachee and skill
        mine = np.flatnonzero(rated & (latest["role"] == role).to_numpy(dtype=bool))
        found[role] = mine[_last_each(keys[mine])]
    coach, own = found["coach"], found["self"]
    if not len(coach) or not len(own):
        return pd.DataFrame(columns=columns)
    match = pd.Index(keys[own]).get_indexer(keys[coach])  # the self row of each coach row
    coach, own = coach[match >= 0], own[match[match >= 0]]
    levels = latest["level"]
    by_coach = levels.take(coach).to_numpy(dtype=np.int64)
    by_self = levels.take(own).to_numpy(dtype=np.int64)
    differ = by_self != by_coach
    coach = coach[differ]
    both = pd.DataFrame(
        {
            "coachee": latest["coachee"].take(coach).reset_index(drop=True),
            "skill": latest["skill"].take(coach).reset_index(drop=True),
            "coach": by_coach[differ],
            "self": by_self[differ],
            "difference": (by_self - by_coach)[differ],
        }
    )
    both["skill_name"] = both["skill"].map(lambda s: names.get(s, s))
    advice = {difference: gap_advice(difference) for difference in both["difference"].unique()}
    both["advice"] = both["difference"].map(advice)  # a call per difference, not per row
    both = both.assign(size=both["difference"].abs()).sort_values(
        ["size", "coachee", "skill"], ascending=[False, True, True], kind="stable"
    )
    return both[columns].reset_index(drop=True)


def overdue(
    history: pd.DataFrame,
    framework: Framework,
    coachees: list[str],
    *,
    as_of: date,
    cadence_days: int,
) -> pd.DataFrame:
    """Coachees whose last review on this framework is older than the cadence, or never.

    Columns: coachee, last_review (date or NaT), days_since (Int64), status ('overdue' or
    'never reviewed'). Coachees within the cadence are not listed.
    """
    rows = _rows(history, framework, as_of)
    codes, names = _codes(history["coachee"], rows)
    named = codes >= 0
    codes = codes[named]
    # Each coachee's latest time, in numpy (UTC nanoseconds): a group-by would hash the
    # codes of every row first.
    when = history["when"].take(rows[named]).to_numpy(dtype="datetime64[ns]").view(np.int64)
    latest = np.full(len(names), np.iinfo(np.int64).min)
    np.maximum.at(latest, codes, when)
    seen = np.flatnonzero(np.bincount(codes, minlength=len(names)))
    stamps = pd.to_datetime(latest[seen].view("datetime64[ns]")).tz_localize("UTC")
    last = pd.Series(stamps, index=names[seen])
    frame = pd.DataFrame({"coachee": coachees})
    frame["last"] = frame["coachee"].map(last)
    days = (pd.Timestamp(as_of) - frame["last"].dt.tz_convert(None).dt.normalize()).dt.days
    frame["days_since"] = days.astype("Int64")
    frame["last_review"] = frame["last"].dt.date
    frame["status"] = "overdue"
    frame.loc[frame["last"].isna(), "status"] = "never reviewed"
    frame = frame[frame["last"].isna() | (frame["days_since"] > cadence_days)]
    frame = frame[["coachee", "last_review", "days_since", "status"]]
    return frame.sort_values(
        ["status", "days_since"], ascending=[False, False], kind="stable"
    ).reset_index(drop=True)


def coach_milestones(latest: pd.DataFrame) -> dict[str, int]:
    """Each coachee's latest milestone by the coach (one track's ``latest_ratings``)."""
    coach = latest[(latest["role"] == "coach") & latest["level"].notna()]
    # Two columns as lists: a row tuple would make a Timestamp of every row's time too.
    return dict(zip(coach["coachee"].tolist(), coach["level"].astype(int).tolist(), strict=True))


def job_roles(
    milestones: Mapping[str, Mapping[str, int]], guidance: Guidance, coachees: list[str]
) -> pd.DataFrame:
    """The job-role reading of each coachee, across the guidance's tracks.

    ``milestones`` holds, per track id, each coachee's latest milestone by the coach (on
    the newest version's scale). The reading applies the guidance as it is now, also to
    milestones recorded against an older text of a track. Columns: coachee, one Int64
    column per track, reading, role (the rule id), decisions (coachlib's readings of cases
    the source leaves open, as a tuple), assessed (False: no coach review on any track).
    """
    rows = [
        (one.coachee, *one.levels.values(), one.reading, one.role, one.decisions, one.assessed)
        for one in job_role_readings(milestones, guidance, coachees)
    ]
    columns = ["coachee", *guidance.tracks, "reading", "role", "decisions", "assessed"]
    frame = pd.DataFrame(rows, columns=columns)
    for track in guidance.tracks:
        frame[track] = frame[track].astype("Int64")
    return frame


def distribution(latest: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """How many ratings sit at each level, per role (index: level, columns: coach, self).

    For a milestone track this is the number of coachees at each milestone; for a skills
    framework the number of (coachee, skill) ratings at each level.
    """
    levels = [level.level for level in framework.scale]
    counts = {}
    for role in REVIEWER_ROLES:
        mine = latest[(latest["role"] == role) & latest["level"].notna()]
        counts[role] = mine["level"].astype(int).value_counts().reindex(levels, fill_value=0)
    frame = pd.DataFrame(counts)
    frame.index.name = "level"
    return frame
