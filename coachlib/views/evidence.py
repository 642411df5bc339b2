"""Logged sessions as evidence beside each milestone, and what they suggest.

A milestone is a claim about what someone has done; the framework data says which logged
sessions count for each level (``Level.evidence``). These functions count them per level
for one person, and compare them with the level the coach recorded: a milestone recorded
with nothing logged behind it, and logged evidence above the recorded milestone ("ready
for a review?"). Nothing here reads files or draws.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ..model.frameworks import Framework
from ..model.sessionlog import LogEntry


@dataclass(frozen=True)
class LevelEvidence:
    """The sessions that count for one level, for one person, oldest first."""

    level: int
    entries: tuple[LogEntry, ...]

    @property
    def count(self) -> int:
        return len(self.entries)

    @property
    def latest(self) -> date | None:
        return self.entries[-1].day if self.entries else None


def evidence_by_level(
    framework: Framework, entries: Iterable[LogEntry], coachee: str, *, as_of: date | None = None
) -> dict[int, LevelEvidence]:
    """For each level with evidence rules: the coachee's sessions that count for it."""
    mine = [
        e for e in entries if e.role_of(coachee) is not None and (as_of is None or e.day <= as_of)
    ]
    mine.sort(key=lambda e: (e.day, e.logged))
    found = {}
    for level in framework.scale:
        if not level.evidence:
            continue
        counted = tuple(
            entry
            for entry in mine
            if any(rule.counts(entry.kind, entry.role_of(coachee)) for rule in level.evidence)
        )
        found[level.level] = LevelEvidence(level.level, counted)
    return found


def evidence_flag(recorded: int | None, evidence: dict[int, LevelEvidence]) -> str:
    """What the log says of the recorded milestone, in a few words ('' if nothing)."""
    above = [lv for lv, found in evidence.items() if found.count and (recorded or 0) < lv]
    if above:
        return f"logged evidence for milestone {max(above)}: ready for a review?"
    if recorded and recorded in evidence and not evidence[recorded].count:
        return f"milestone {recorded} recorded with no logged evidence"
    return ""


def sessions_per_month(entries: Iterable[LogEntry], coachees: list[str]):
    """A DataFrame: one row per coachee, one column per month (YYYY-MM), sessions taken
    part in (any role)."""
    import pandas as pd

    rows = [
        (person.coachee, entry.day.strftime("%Y-%m"))
        for entry in entries
        for person in entry.people
        if person.coachee in coachees
    ]
    frame = pd.DataFrame(rows, columns=["coachee", "month"])
    if frame.empty:
        return pd.DataFrame(index=pd.Index(coachees, name="coachee"))
    table = frame.value_counts().unstack(fill_value=0).reindex(coachees, fill_value=0)
    return table[sorted(table.columns)]
