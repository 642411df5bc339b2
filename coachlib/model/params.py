"""Workbook parameters, checked the same way before a kernel starts and inside it.

``coach team --cadence 0`` and a notebook with ``cadence_days = 0`` get the same message,
and the command says it at once instead of after starting a kernel.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from datetime import date

from .dates import MAX_BLOCK_DAYS, check_day
from .errors import InputError
from .names import clean_name
from .rules import REVIEWER_ROLES


def parse_as_of(value: str | date | None, *, field: str = "as_of") -> date:
    """The date a workbook is seen as of: '' or None means today."""
    if value in (None, ""):
        return date.today()
    if isinstance(value, date):
        return check_day(value, field=field)
    try:
        day = date.fromisoformat(str(value))
    except ValueError:
        raise InputError(
            f"{field} must be a date like 2026-06-30, not {value!r}", field=field
        ) from None
    return check_day(day, field=field)


def parse_period(date_from: str | date, date_to: str | date | None) -> tuple[date, date]:
    """A coaching block's first and last day ('' or None as the last: today)."""
    start = parse_as_of(date_from, field="from")
    end = parse_as_of(date_to, field="to")
    if end < start:
        raise InputError(f"the block ends ({end}) before it starts ({start})", field="to")
    if (end - start).days >= MAX_BLOCK_DAYS:
        raise InputError(
            f"{start} to {end} is {(end - start).days + 1:,} days; a coaching "
            f"block is at most {MAX_BLOCK_DAYS:,} days (two years): report a "
            "longer time as several blocks",
            field="from",
        )
    return start, end


def check_cadence(days: object) -> int:
    """A review cadence in days: a whole number, 1 or more."""
    number = None
    if isinstance(days, int | str) and not isinstance(days, bool):
        with contextlib.suppress(ValueError):
            number = int(days)
    if number is None:
        raise InputError(f"cadence_days must be a whole number of days, not {days!r}")
    if number < 1:
        raise InputError(f"cadence_days must be 1 or more, not {days!r}")
    return number


def check_role(role: object) -> str:
    if role not in REVIEWER_ROLES:
        raise InputError(f"role must be 'coach' or 'self', not {role!r}")
    return str(role)


def coachee_names(names: Iterable[str] | str | None) -> list[str]:
    """Coachee names as given, each one a whole name (a ';' in a name is part of it).

    A single name may be given as a string; a list gives several. Empty entries are left
    out; each name is cleaned as everywhere else.
    """
    if names is None:
        return []
    if isinstance(names, str):
        names = [names]
    return [clean_name(name, "coachee name") for name in names if str(name).strip()]
