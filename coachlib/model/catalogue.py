"""The Samman learning-hour catalogue: what a logged learning hour can name as its material.

The catalogue is the site's index of published learning hours (theme, title, kata,
difficulty, author, tags, URL), shipped as CSV in ``frameworks/catalogue/`` with its
attribution (CC BY-SA 4.0). A newer CSV from the site is checked here, row by row, before
anything is installed (``coach catalogue refresh``).
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError, quote

COLUMNS = ("theme", "title", "kata", "difficulty", "author", "tags", "url")
ATTRIBUTION = (
    "Learning hours from the catalogue of the Samman Technical Coaching Society "
    "(sammancoaching.org), CC BY-SA 4.0; each the work of its author."
)
MAX_ROWS = 10_000
MAX_CATALOGUE_BYTES = 4_000_000  # 141 learning hours are 22 kB: 10,000 rows fit well within
MAX_FIELD_CHARS = 20_000  # a cell, as a journal's text field (README, "Limits")
# Control characters (Unicode category Cc) but tab and line ends: a cell may hold lines.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


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
    with csv_cells_up_to(len(text) + 1):
        return _parse(text, file)


@contextlib.contextmanager
def csv_cells_up_to(limit: int) -> Iterator[None]:
    """The csv module refuses a cell over 131,072 characters with a bare ``csv.Error``
    (its process-wide default): raised to the file's own length while one file is read, a
    long cell is read whole and refused below by its line and column, then put back."""
    before = csv.field_size_limit()
    csv.field_size_limit(max(before, limit))
    try:
        yield
    finally:
        csv.field_size_limit(before)


def _check_cell(value: str, *, file: str | Path, line: int, column: str) -> None:
    """A cell over :data:`MAX_FIELD_CHARS`, or holding a control character (NUL, ESC: a
    title that rewrites the terminal it is printed in, or that no page can show), is
    refused with its line and column."""
    if len(value) > MAX_FIELD_CHARS:
        raise InputError(
            f"{len(value):,} characters, over the limit of {MAX_FIELD_CHARS:,}",
            file=file,
            line=line,
            field=column,
        )
    control = _CONTROL.search(value)
    if control:
        raise InputError(
            f"holds the control character U+{ord(control[0]):04X} at position "
            f"{control.start() + 1}",
            file=file,
            line=line,
            field=column,
            hint="take it out of the cell",
        )


def _parse(text: str, file: str | Path) -> tuple[LearningHour, ...]:
    reader = csv.DictReader(io.StringIO(text))
    try:
        names = reader.fieldnames or []
    except csv.Error as exc:
        raise InputError(f"not readable as CSV: {exc}", file=file, line=1) from None
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        raise InputError(
            f"not a learning-hour catalogue: no column {', '.join(missing)} "
            f"(expected {', '.join(COLUMNS)})",
            file=file,
            line=1,
        )
    found: list[LearningHour] = []
    seen: set[str] = set()
    rows = iter(reader)
    while True:
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as exc:
            raise InputError(
                f"not readable as CSV: {exc}", file=file, line=reader.line_num
            ) from None
        line = reader.line_num
        if len(found) >= MAX_ROWS:
            raise InputError(f"more than {MAX_ROWS:,} rows", file=file, line=line)
        if None in row or any(row[c] is None for c in COLUMNS):
            raise InputError("a row with too many or too few cells", file=file, line=line)
        for column in COLUMNS:
            _check_cell(row[column], file=file, line=line, column=column)
        for column in ("theme", "title", "url"):
            if not row[column].strip():
                raise InputError(f"the {column} is empty", file=file, line=line, field=column)
        url = row["url"].strip()
        if not url.startswith("https://"):
            raise InputError(
                f"{quote(url)} is not an https address", file=file, line=line, field="url"
            )
        if url in seen:
            raise InputError(f"{quote(url)} is listed twice", file=file, line=line, field="url")
        seen.add(url)
        difficulty = row["difficulty"].strip()
        if not difficulty.isdigit():
            raise InputError(
                f"difficulty {quote(difficulty)} is not a whole number",
                file=file,
                line=line,
                field="difficulty",
            )
        found.append(
            LearningHour(
                theme=row["theme"].strip(),
                title=" ".join(row["title"].split()),
                kata=row["kata"].strip(),
                difficulty=int(difficulty),
                author=row["author"].strip(),
                tags=tuple(row["tags"].split()),
                url=url,
            )
        )
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
    raise InputError(
        f"no learning hour {quote(wanted)} in the catalogue{hint}", field="learning_hour"
    )
