"""The one date rule, for every way a date comes in, and the longest coaching block.

A module of its own (it imports nothing of the model but errors), so that records, the
session log and workbook parameters all check dates with the same words.
"""

from __future__ import annotations

from datetime import date

from .errors import InputError

FIRST_YEAR, LAST_YEAR = 1900, 2199
"""The one date rule, for every way a date comes in (a review's time, a logged session's
day, --as-of, a block's --from and --to, a collected record): outside these years pandas
(which counts nanoseconds from 1970 in 64 bits) cannot hold the date, and no coaching
session happened or will happen there, so it is a typo."""

MAX_BLOCK_DAYS = 731
"""A coaching block is at most two years: a block is weeks or months, a yearly review fits
twice over, and the report's work stays bounded whatever dates are typed."""


def outside_years(day: date, *, what: str = "coachlib") -> str | None:
    """Why ``day`` breaks the date rule (None if it keeps it)."""
    if FIRST_YEAR <= day.year <= LAST_YEAR:
        return None
    return f"{day.isoformat()} is outside the years {FIRST_YEAR}-{LAST_YEAR} {what} accepts"


def check_day(day: date, *, field: str) -> date:
    """``day``, if it keeps the date rule; InputError naming the field otherwise."""
    problem = outside_years(day)
    if problem:
        raise InputError(problem, field=field)
    return day
