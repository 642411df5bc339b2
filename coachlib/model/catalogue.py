"""The Samman learning-hour catalogue: what a logged learning hour can name as its material.

The catalogue is the site's index of published learning hours (theme, title, kata,
difficulty, author, tags, URL), shipped as CSV in ``frameworks/catalogue/`` with its
attribution (CC BY-SA 4.0). A newer CSV from the site is checked here, row by row, before
anything is installed (``coach catalogue refresh``).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError, quote

COLUMNS = ("theme", "title", "kata", "difficulty", "author", "tags", "url")
ATTRIBUTION = (
    "Learning hours from the catalogue of the Samman Technical Coaching Society "
    "(sammancoaching.org), CC BY-SA 4.0; each the work of its author."
)
MAX_ROWS = 10_000


@dataclass(frozen=True)
class LearningHour:
    """One published learning hour."""

    theme: str
    title: str
    kata: str
    difficulty: int
    author: str
    tags: tuple[str, ...]
    url: str

    @property
    def label(self) -> str:
        """'Theme: Title (by author)': how the picker and the pages show it."""
        return f"{self.title} ({self.theme.replace('_', ' ')}, by {self.author})"


def parse_catalogue(text: str, file: str | Path) -> tuple[LearningHour, ...]:
    """Every row, checked: InputError names the file, the line and the column."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError(f"not a learning-hour catalogue: no column {', '.join(missing)} "
                         f"(expected {', '.join(COLUMNS)})", file=file, line=1)  # fmt: skip
    found: list[LearningHour] = []
    seen: set[str] = set()
    for row in reader:
        line = reader.line_num
        if len(found) >= MAX_ROWS:
            raise InputError(f"more than {MAX_ROWS:,} rows", file=file, line=line)
        if None in row or any(row[c] is None for c in COLUMNS):
            raise InputError("a row with too many or too few cells", file=file, line=line)
        for column in ("theme", "title", "url"):
            if not row[column].strip():
                raise InputError(f"the {column} is empty", file=file, line=line, field=column)
        url = row["url"].strip()
        if not url.startswith("https://"):
            raise InputError(f"{quote(url)} is not an https address", file=file, line=line,
                             field="url")  # fmt: skip
        if url in seen:
            raise InputError(f"{quote(url)} is listed twice", file=file, line=line, field="url")
        seen.add(url)
        difficulty = row["difficulty"].strip()
        if not difficulty.isdigit():
            raise InputError(f"difficulty {quote(difficulty)} is not a whole number",
                             file=file, line=line, field="difficulty")  # fmt: skip
        found.append(LearningHour(
            theme=row["theme"].strip(), title=" ".join(row["title"].split()),
            kata=row["kata"].strip(), difficulty=int(difficulty),
            author=row["author"].strip(), tags=tuple(row["tags"].split()), url=url,
        ))  # fmt: skip
    if not found:
        raise InputError("the catalogue has no rows", file=file, line=2)
    return tuple(found)


def find(catalogue: tuple[LearningHour, ...], title_or_url: str) -> LearningHour:
    """The entry a person named by its URL or its title (case and spaces aside);
    InputError with the nearest titles when there is none."""
    wanted = " ".join(title_or_url.split())
    for entry in catalogue:
        if wanted == entry.url or wanted.casefold() == entry.title.casefold():
            return entry
    import difflib

    close = difflib.get_close_matches(wanted, [e.title for e in catalogue], n=3, cutoff=0.5)
    hint = f" (did you mean: {'; '.join(close)}?)" if close else ""
    raise InputError(f"no learning hour {quote(wanted)} in the catalogue{hint}",
                     field="learning_hour")  # fmt: skip
