"""The domain's rules, each defined once: roles, marks, the coach-self gap.

The job-role reading of the Samman milestones is data, not a rule here: see
``model.guidance`` and ``frameworks/guidance/``.

Views, forms and exports import these; none of them restates a threshold or a word.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only for the annotations: `coach --help` imports this module
    from .frameworks import CoachingRole

REVIEWER_ROLES = ("coach", "self")
"""Who wrote a review: the coach, or the coachee about themselves. Never averaged."""

WAIVED = "waived"
"""The mark a catalogue uses for a skill that does not apply to a person (never a level)."""


def counts_as_level(mark: object) -> bool:
    """A rating counts (in readiness, averages, heat maps) only when it carries no mark."""
    return not (isinstance(mark, str) and mark)


def gap_advice(difference: int) -> str:
    """How to act on a coach-self difference: 1 level, talk briefly; 2 or more, discuss."""
    size = abs(int(difference))
    if size == 0:
        return "agree"
    return "talk briefly" if size == 1 else "discuss at length"


def gap_text(gap: int | None, *, advice: bool = True) -> str:
    """How far self and coach are apart, in words a coach can act on. ``advice=False``
    leaves out how to act on it ('talk briefly', 'discuss at length'): that is the coach's
    working note, for the coach's notebook and team overview, not the coachee's summary."""
    if gap is None:
        return "no comparison yet (needs a coach and a self review)"
    if gap == 0:
        return "agree"
    direction = "higher" if gap > 0 else "lower"
    size = abs(gap)
    words = f"self rates {size} level{'s' if size > 1 else ''} {direction} than the coach"
    return f"{words} ({gap_advice(gap)})" if advice else words


def short_gap(gap: int | None, *, advice: bool = True) -> str:
    """'agree', 'self +1: talk briefly', 'self −2: discuss at length', or ''; without the
    coach's advice (``advice=False``, for the coachee's summary) 'self +1', 'self −2'."""
    if gap is None:
        return ""
    if gap == 0:
        return "agree"
    text = f"self {gap:+d}: {gap_advice(gap)}" if advice else f"self {gap:+d}"
    return text.replace("-", "−")


def role_text(role: CoachingRole) -> str:
    """'Formal part-time coaching role (around 20% of working time)'."""
    share = role.share or ""
    return role.summary + (f" ({share} of working time)" if "%" in share else "")
