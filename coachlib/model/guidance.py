"""Career guidance: how a person's latest milestones across several tracks read as a job role.

The Samman Society publishes its job-role guidance as a page of its own, read per person
across both milestone tracks (milestone 3 in *either* track, milestone 4 in *both*). The
rules are data (``frameworks/guidance/*.yaml``, validated against
``frameworks/guidance.schema.json``), never code: when the Society changes its guidance, a
file changes. Each rule has conditions on the person's ``highest`` and ``lowest`` latest
level over the tracks; the first ``roles`` rule that holds is the reading, every ``also``
rule that holds is added. Where the source leaves a case open, the rule carries coachlib's
``decision``, shown wherever the reading is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import safeyaml
from .errors import FrameworkError
from .schema import GUIDANCE


@dataclass(frozen=True)
class Rule:
    """One reading and when it holds."""

    id: str
    reading: str
    highest: int | None = None
    lowest: int | None = None
    quote: str | None = None
    decision: str | None = None

    def holds(self, highest: int, lowest: int) -> bool:
        return (self.highest is None or highest >= self.highest) and (
            self.lowest is None or lowest >= self.lowest
        )


@dataclass(frozen=True)
class Reading:
    """What one person's milestones mean for their job role."""

    levels: dict[str, int | None]
    role: Rule
    also: tuple[Rule, ...] = ()

    @property
    def text(self) -> str:
        """'Part-time technical coach …; has the skills to be invited …'."""
        return "; ".join(
            [
                self.role.reading,
                *(rule.reading[:1].lower() + rule.reading[1:] for rule in self.also),
            ]
        )

    @property
    def decisions(self) -> tuple[str, ...]:
        """coachlib's decisions this reading rests on (cases the source leaves open)."""
        return tuple(rule.decision for rule in (self.role, *self.also) if rule.decision)


@dataclass(frozen=True)
class Guidance:
    """A source's guidance on job roles, over the milestone tracks it names."""

    id: str
    title: str
    tracks: tuple[str, ...]
    roles: tuple[Rule, ...]
    also: tuple[Rule, ...] = ()
    version: int = 1
    source: dict[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    path: Path | None = None

    @property
    def attribution(self) -> str | None:
        return self.source.get("attribution")

    def read(self, levels: Mapping[str, int | None]) -> Reading:
        """The reading for one person's latest level per track (None: no review yet,
        which counts as 0)."""
        values = [levels.get(track) or 0 for track in self.tracks]
        highest, lowest = max(values), min(values)
        role = next(rule for rule in self.roles if rule.holds(highest, lowest))
        also = tuple(rule for rule in self.also if rule.holds(highest, lowest))
        return Reading({track: levels.get(track) for track in self.tracks}, role, also)


def parse_guidance(text: str, file: str | Path) -> Guidance:
    """Validate one guidance file and build it; FrameworkError names file, line, field."""
    data = safeyaml.parse(text, file=file, error=FrameworkError)
    if not isinstance(data, dict):
        raise FrameworkError("expected a mapping with id, title, tracks and roles", file=file)
    GUIDANCE.check(data, file=file, text=text, error=FrameworkError)

    def rule(raw: dict[str, Any]) -> Rule:
        when = raw["when"]
        return Rule(
            id=raw["id"],
            reading=raw["reading"],
            highest=when.get("highest"),
            lowest=when.get("lowest"),
            quote=raw.get("quote"),
            decision=raw.get("decision"),
        )

    roles = tuple(rule(raw) for raw in data["roles"])
    if not roles[-1].holds(0, 0):
        raise FrameworkError(
            "the last role must hold for everyone (when: {highest: 0}), so every person "
            "has a reading",
            file=file,
            line=safeyaml.line_of(text, ["roles", len(roles) - 1, "when"]),
            field=f"roles[{len(roles) - 1}].when",
        )
    return Guidance(
        id=data["id"],
        title=data["title"],
        tracks=tuple(data["tracks"]),
        roles=roles,
        also=tuple(rule(raw) for raw in data.get("also", [])),
        version=data.get("version", 1),
        source=dict(data.get("source", {})),
        notes=tuple(data.get("notes", [])),
        path=Path(file),
    )
