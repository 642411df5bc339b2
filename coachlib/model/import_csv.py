"""A skills matrix exported from a spreadsheet as CSV: a row per skill, a column per level.

The first row names the columns: the skill's (the first column), levels ("1 - Novice",
"Level 2: Mid", "Senior", "IC3": numbered as written, else in column order), and
optionally a group column ("Group", "Category", "Area", "Pillar", "Track") and a
description column ("Description", "Summary"). A row whose only filled cell is the first
is a category row: the rows below it are that group's skills. A cell's criteria are its
lines (a spreadsheet cell may hold several), ``<br>`` or bullets (•); a ';' stays inside
one criterion. Every row is accounted for: placed, a category, or reported by its line.
"""

from __future__ import annotations

import csv
import io
from pathlib import PurePath
from typing import Any

from .catalogue import csv_cells_up_to
from .errors import FrameworkError
from .importer import (
    CONTROL_CHARACTER,
    DECISION,
    HOW_TO_WRITE,
    MAX_CELL_CHARS,
    MAX_LEVELS,
    MAX_SKILLS,
    UNPLACED,
    ImportResult,
    _clean_heading,
    _group_named,
    _Groups,
    _level_names,
    _report,
    _scale_with_zero,
    _split_criteria,
    check_text_size,
    finish_import,
    too_many,
)
from .names import slugify

GROUP_HEADERS = {"group", "category", "area", "pillar", "track", "competency area", "theme"}
DESCRIPTION_HEADERS = {"description", "summary", "what it means"}


def _check_cells(rows: list[tuple[int, list[str]]], source: str) -> None:
    """Each cell at most :data:`MAX_CELL_CHARS` long and free of control characters,
    else refused by its line and its column (named by the header row)."""
    header = rows[0][1] if rows else []
    for line, cells in rows:
        for column, cell in enumerate(cells):
            control = CONTROL_CHARACTER.search(cell)
            if len(cell) <= MAX_CELL_CHARS and not control:
                continue
            name = header[column] if column < len(header) and header[column] else \
                f"column {column + 1}"  # fmt: skip
            problem = (f"{len(cell):,} characters, over the limit of {MAX_CELL_CHARS:,}"
                       if len(cell) > MAX_CELL_CHARS else
                       f"holds the control character U+{ord(control[0]):04X}")  # type: ignore[index]  # fmt: skip
            raise FrameworkError(problem, file=source, line=line, field=name)


def import_csv(text: str, *, source: str = "ladder.csv", framework_id: str | None = None):
    """Read a CSV skills matrix; FrameworkError (with the line) when it cannot be one."""
    check_text_size(text, source, controls=False)
    reports: list = []
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), dialect)
    rows: list[tuple[int, list[str]]] = []
    with csv_cells_up_to(len(text) + 1):  # a long cell is refused below, by its column
        try:
            for row in reader:
                if any(cell.strip() for cell in row):
                    rows.append((reader.line_num, [cell.strip() for cell in row]))
        except csv.Error as exc:
            raise FrameworkError(f"not readable as CSV: {exc}", file=source,
                                 line=reader.line_num) from None  # fmt: skip
    _check_cells(rows, source)
    if len(rows) < 2:
        raise FrameworkError("a CSV matrix needs a header row and a row per skill",
                             file=source, hint=HOW_TO_WRITE)  # fmt: skip
    header_line, header = rows[0]
    if len(rows) - 1 > MAX_SKILLS:
        raise too_many("rows", MAX_SKILLS, line=rows[MAX_SKILLS + 1][0], source=source)
    kinds = [h.casefold() for h in header]
    group_column = next((i for i, h in enumerate(kinds) if i and h in GROUP_HEADERS), None)
    description_column = next((i for i, h in enumerate(kinds) if i and h in DESCRIPTION_HEADERS),
                              None)  # fmt: skip
    level_columns = [i for i in range(1, len(header))
                     if i not in (group_column, description_column) and header[i]]  # fmt: skip
    if not level_columns:
        raise FrameworkError("no level columns: the first row names the skill column, then "
                             "one column per level", file=source, line=header_line,
                             hint=HOW_TO_WRITE)  # fmt: skip
    if len(level_columns) > MAX_LEVELS:
        raise too_many("level columns", MAX_LEVELS, line=header_line, source=source)
    levels = _level_names([header[i] for i in level_columns], header_line, reports)
    groups = _Groups()
    category = "Skills"
    for line, cells in rows[1:]:
        cells = cells + [""] * (len(header) - len(cells))
        name = _clean_heading(cells[0])
        if not name:
            reports.append(_report(UNPLACED, line, " | ".join(c for c in cells if c)))
            continue
        if not any(cells[1:]):
            category = name
            reports.append(_report(DECISION, line, f"{name!r} has only its first cell: read "
                                   "as a group of the rows below it, not a skill"))  # fmt: skip
            continue
        group_name = cells[group_column] if group_column is not None and cells[group_column] \
            else category  # fmt: skip
        skill: dict[str, Any] = {"id": slugify(name), "name": name}
        if description_column is not None and cells[description_column]:
            skill["description"] = cells[description_column]
        criteria = [{"level": number, "items": items}
                    for column, (number, _level) in zip(level_columns, levels, strict=True)
                    if (items := _split_criteria(cells[column]))]  # fmt: skip
        if criteria:
            skill["criteria"] = criteria
        _group_named(groups, group_name)["skills"].append(skill)
    scale = dict(levels)
    title = PurePath(source).stem.replace("-", " ").replace("_", " ").strip().title()
    reports.append(_report(DECISION, None, f"a CSV file has no title: called it {title!r} "
                           "after the file"))  # fmt: skip
    data = {
        "title": title,
        "shape": "matrix",
        "scale": _scale_with_zero(scale, reports),
        "groups": [group for group in groups if group["skills"]],
    }
    result: ImportResult = finish_import(data, shape="csv table", reports=reports,
                                         source=source, framework_id=framework_id)  # fmt: skip
    return result
