"""pandas views of a whole team: latest levels, movers, coach-self gaps, overdue reviews,
job roles (Samman tracks) and the distribution over levels.

Everything takes the history DataFrame of ``views.history`` and returns DataFrames; nothing
reads files or draws. Coach and self are kept apart: gaps compare them, nothing averages
one with the other. Only levels, dates and names come out of here, never reflections.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pandas as pd

from ..model.frameworks import Framework
from ..model.guidance import Guidance
from ..model.rules import REVIEWER_ROLES, gap_advice
from .ratings import job_role_readings


def _upto(
    history: pd.DataFrame, framework: Framework, as_of: date | None, columns: list[str]
) -> pd.DataFrame:
    """The rows of one framework up to ``as_of``, only ``columns``: taken in one step (a
    whole journal's rows are copied once, and only the columns the view reads)."""
    mask = history["framework"] == framework.id
    if as_of is not None and mask.any():
        mask &= history["when"] < end_of(as_of)
    return history.loc[mask, columns]


def end_of(day: date) -> pd.Timestamp:
    """The first moment after ``day`` (UTC): compares fast, unlike ``.dt.date``."""
    return pd.Timestamp(day, tz="UTC") + pd.Timedelta(days=1)


def latest_ratings(
    history: pd.DataFrame, framework: Framework, *, as_of: date | None = None
) -> pd.DataFrame:
    """The latest rating per coachee, skill and role, as of a date.

    Columns: coachee, skill, role, level (Int64), mark, when.
    """
    rows = _upto(history, framework, as_of, ["coachee", "skill", "role", "level", "mark", "when"])
    latest = rows.drop_duplicates(subset=["coachee", "skill", "role"], keep="last")
    return latest[["coachee", "skill", "role", "level", "mark", "when"]].reset_index(drop=True)


def level_matrix(
    latest: pd.DataFrame, framework: Framework, coachees: list[str], *, role: str
) -> pd.DataFrame:
    """Coachee x column matrix of levels for one role (NaN where not rated or waived).

    Columns are the skills; for a catalogue with more than 40 skills they are the skill sets,
    each the mean level of its rated skills (waived left out), so the map stays readable.
    """
    mine = latest[(latest["role"] == role) & latest["level"].notna()]
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
    rows = _upto(history, framework, as_of, ["coachee", "skill", "role", "level", "when"])
    rows = rows[(rows["role"] == role) & rows["level"].notna()][
        ["coachee", "skill", "level", "when"]
    ]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    keys = ["coachee", "skill"]
    # The latest rating per key, then the latest of what is left: hashing twice is much
    # faster than ranking within groups.
    latest = rows.drop_duplicates(subset=keys, keep="last")
    earlier = rows.drop(index=latest.index).drop_duplicates(subset=keys, keep="last")
    previous = earlier.set_index(keys).add_suffix("_before")
    both = latest.set_index(keys).join(previous, how="inner").reset_index()
    both["change"] = (both["level"] - both["level_before"]).astype(int)
    both = both[both["change"] != 0]
    names = {s.id: s.name for s in framework.skills}
    frame = pd.DataFrame(
        {
            "coachee": both["coachee"],
            "skill": both["skill"],
            "skill_name": both["skill"].map(lambda s: names.get(s, s)),
            "previous": both["level_before"].astype(int),
            "latest": both["level"].astype(int),
            "change": both["change"],
            "previous_when": both["when_before"],
            "when": both["when"],
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
    levels = latest[latest["level"].notna()]
    pivot = levels.pivot_table(
        index=["coachee", "skill"], columns="role", values="level", aggfunc="last"
    )
    names = {s.id: s.name for s in framework.skills}
    columns = ["coachee", "skill", "skill_name", "coach", "self", "difference", "advice"]
    if pivot.empty or not set(REVIEWER_ROLES) <= set(pivot.columns):
        return pd.DataFrame(columns=columns)
    both = pivot.dropna(subset=list(REVIEWER_ROLES)).reset_index()
    both["difference"] = (both["self"] - both["coach"]).astype(int)
    both = both[both["difference"] != 0].copy()
    both["coach"] = both["coach"].astype(int)
    both["self"] = both["self"].astype(int)
    both["skill_name"] = both["skill"].map(lambda s: names.get(s, s))
    both["advice"] = both["difference"].map(gap_advice)
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
    rows = _upto(history, framework, as_of, ["coachee", "when"])
    last = rows.groupby("coachee")["when"].max()
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
    return {row.coachee: int(row.level) for row in coach.itertuples()}


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
