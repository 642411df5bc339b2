"""The short words of the session log and what they mean, defined once.

Kept apart from ``model.sessionlog`` so that ``coach --help`` can list them without
loading the schema machinery.
"""

from __future__ import annotations

KINDS: dict[str, str] = {
    "learning-hour": "learning hour",
    "ensemble": "ensemble",
    "retrospective": "retrospective",
    "mentoring": "mentoring",
    "training": "training",
    "talk": "talk or demo",
    "other": "other",
}
"""What kind of session it was: the short word (CLI, files) and the words people read."""

SESSION_ROLES: dict[str, str] = {
    "took-part": "took part",
    "typist": "typist/navigator",
    "led-retro": "led the retrospective",
    "facilitated": "facilitated",
    "co-facilitated": "co-facilitated",
    "led-from-materials": "led from detailed materials or video",
    "led-adapted": "led from an existing plan, adapted",
    "designed": "designed it new",
    "series": "part of a series",
    "mentored-coach": "mentored a coach",
}
"""The role of the person being coached in the session."""

STAGES: dict[str, str] = {
    "i-do": "I do",
    "we-do": "we do",
    "you-do-supported": "you do with support",
    "you-do-improve": "you do and improve",
}
"""The mentoring ladder: where a mentoring session stands."""

STATUS_FIELDS: dict[str, str] = {
    "what_we_did": "What we did",
    "surprised": "What surprised us",
    "went_well": "What went well",
    "progress": "Progress",
    "challenges": "Challenges",
    "business_value": "Business value",
    "next_steps": "Next steps",
}
"""The daily-status notes Samman coaches keep per team, in their order."""
