"""Where one coachee stands on one skill, read straight from their reviews (no pandas).

A milestone review shows a person's standing and progress on one track: a handful of
records. Reading them as a list keeps the review notebook (and ``coach new``) from loading
pandas for it; the team views, which read thousands of ratings, use ``views.history``.
Coach and self stay apart: compared, never averaged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from ..model.review import Assessment, Review
from ..model.rules import REVIEWER_ROLES


@dataclass(frozen=True)
class Standing:
    """Where one coachee stands on one skill of one framework, as of a date."""

    coach_level: int | None
    coach_when: datetime | None
    coach_author: str | None
    self_level: int | None
    self_when: datetime | None
    last_review: datetime | None
    days_since_last_review: int | None
    reviews: int

    @property
    def gap(self) -> int | None:
        """Self level minus coach level (positive: the coachee rates themselves higher)."""
        if self.coach_level is None or self.self_level is None:
            return None
        return self.self_level - self.coach_level


@dataclass(frozen=True)
class Point:
    """One review's level of one skill, for a progress chart."""

    when: datetime  # UTC
    level: int
    author: str


LevelNow = Callable[[Review, int], int]
"""A level as recorded in a review, on the newest version's scale (``Registry.record_level``):
progress stays one line when a framework's new version renumbers its levels."""


def _as_recorded(_review: Review, level: int) -> int:
    return level


def utc(when: datetime) -> datetime:
    return when.astimezone(UTC)


def ratings(
    reviews: Iterable[Review],
    *,
    coachee: str,
    framework: str,
    skill: str,
    as_of: date | None = None,
) -> list[tuple[Review, Assessment]]:
    """Every rating of one skill, oldest first (up to ``as_of``, a UTC date)."""
    found = [
        (review, assessment)
        for review in reviews
        if review.coachee == coachee
        and review.framework == framework
        and (as_of is None or utc(review.when).date() <= as_of)
        for assessment in review.assessments
        if assessment.skill == skill
    ]
    return sorted(found, key=lambda pair: (pair[0].when, pair[0].id))


def standing(
    reviews: Iterable[Review],
    *,
    coachee: str,
    framework: str,
    skill: str,
    as_of: date,
    level_now: LevelNow = _as_recorded,
) -> Standing:
    """Latest coach and self levels of one skill, and days since the last review."""
    rated = ratings(reviews, coachee=coachee, framework=framework, skill=skill, as_of=as_of)
    latest: dict[str, tuple[int, datetime, str]] = {}
    for review, assessment in rated:
        if assessment.level is not None:
            level = level_now(review, assessment.level)
            latest[review.role] = (level, utc(review.when), review.author)
    coach = latest.get("coach", (None, None, None))
    own = latest.get("self", (None, None, None))
    last = max((utc(review.when) for review, _ in rated), default=None)
    return Standing(
        coach_level=coach[0],
        coach_when=coach[1],
        coach_author=coach[2],
        self_level=own[0],
        self_when=own[1],
        last_review=last,
        days_since_last_review=(as_of - last.date()).days if last is not None else None,
        reviews=len({review.id for review, _ in rated}),
    )


def progress_series(
    reviews: Iterable[Review],
    *,
    coachee: str,
    framework: str,
    skill: str,
    as_of: date | None = None,
    level_now: LevelNow = _as_recorded,
) -> dict[str, list[Point]]:
    """Per role, the levels over time (marks left out: they are not levels), one line
    across the framework's versions."""
    series: dict[str, list[Point]] = {role: [] for role in REVIEWER_ROLES}
    for review, assessment in ratings(
        reviews, coachee=coachee, framework=framework, skill=skill, as_of=as_of
    ):
        if assessment.level is not None:
            level = level_now(review, assessment.level)
            series[review.role].append(Point(utc(review.when), level, review.author))
    return series


def latest_review(
    reviews: Iterable[Review],
    *,
    coachee: str,
    framework: str,
    role: str,
    as_of: date | None = None,
) -> Review | None:
    """The most recent review of one role on a framework (its texts are shown in full)."""
    mine = [
        review
        for review in reviews
        if review.coachee == coachee
        and review.framework == framework
        and review.role == role
        and (as_of is None or utc(review.when).date() <= as_of)
    ]
    return max(mine, key=lambda review: (review.when, review.id), default=None)
