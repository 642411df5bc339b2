"""The limits a ladder is held to before any work is done, and the one way to say how a
ladder can be written (every refusal that found no ladder ends with it)."""

from __future__ import annotations

import re

from ..model.errors import FrameworkError

# Limits no real ladder reaches (the largest seed, OpenSesame's catalogue, is 118 kB, 1,700
# lines, 130 skills and 4 levels), so a file beyond one is refused before any work is done:
# the import's cost grows linearly with the file, and these bound it (README, "Bring your
# own ladder").
MAX_LADDER_BYTES = 4_000_000  # the file read from disk
MAX_LADDER_LINES = 50_000  # lines of Markdown (of an HTML page: the page's own lines)
MAX_LEVELS = 100  # levels on the scale (a CSV's or a table's level columns)
MAX_SKILLS = 10_000  # skills (a CSV's rows)
HOW_TO_WRITE = (
    "write the levels in, for example a table with a row per skill and a column per level "
    "('| Skill | 1 - Novice | 2 - Expert |'), or a section per level ('## 1 - Novice') "
    "with a bullet per skill ('- **Testing**: writes tests first')"
)
# Control characters (Unicode category Cc) but tab and line ends: an ESC in a criterion
# would rewrite the terminal of whoever is shown it, a NUL no page can show.
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
MAX_CELL_CHARS = 20_000  # one CSV cell, as a journal's text field (README, "Limits")


def check_text_size(text: str, source: str, *, controls: bool = True) -> None:
    """Refuse a document over :data:`MAX_LADDER_BYTES` (as characters: never fewer than its
    bytes) or :data:`MAX_LADDER_LINES` before reading it: the command reads the file
    within the limit, a caller handing text in is held to it here. With ``controls``, a
    control character is refused by its line (the CSV reader says its column instead)."""
    if len(text) > MAX_LADDER_BYTES:
        raise FrameworkError(
            f"{len(text):,} characters, over the limit of "
            f"{MAX_LADDER_BYTES:,}: no ladder is this long",
            file=source,
        )
    if text.count("\n") >= MAX_LADDER_LINES:
        raise FrameworkError(
            f"more than {MAX_LADDER_LINES:,} lines: no ladder is this long",
            file=source,
            line=MAX_LADDER_LINES + 1,
        )
    control = CONTROL_CHARACTER.search(text) if controls else None
    if control:
        raise FrameworkError(
            f"holds the control character U+{ord(control[0]):04X}",
            file=source,
            line=text.count("\n", 0, control.start()) + 1,
            hint="take it out of the document",
        )


def too_many(what: str, limit: int, *, line: int | None = None, source: str | None = None):
    """The error for a ladder beyond one of the limits (levels, skills)."""
    return FrameworkError(
        f"more than {limit:,} {what}: no ladder has so many (a limit of coachlib's)",
        file=source,
        line=line,
    )
