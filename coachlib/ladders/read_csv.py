"""A CSV export of a spreadsheet into an outline: one table, every row with its line.

Python's ``csv`` reads quoting as a spreadsheet writes it (a quoted cell spanning several
lines, ``""`` inside it), so a cell is never cut apart. The delimiter (comma, semicolon or
tab) is sniffed. Each cell is held to the journal's text limit and refused, by its line and
column, if it holds a control character.
"""

from __future__ import annotations

import csv
import io

from ..model.catalogue import csv_cells_up_to
from ..model.errors import FrameworkError
from .limits import CONTROL_CHARACTER, MAX_CELL_CHARS, MAX_SKILLS, check_text_size, too_many
from .outline import TABLE, Item, Outline, Row


def _check_cells(rows: list[Row], source: str) -> None:
    """Each cell at most :data:`MAX_CELL_CHARS` long and free of control characters, else
    refused by its line and its column (named by the header row)."""
    header = rows[0].cells if rows else ()
    for row in rows:
        for column, cell in enumerate(row.cells):
            control = CONTROL_CHARACTER.search(cell)
            if len(cell) <= MAX_CELL_CHARS and not control:
                continue
            name = (
                header[column]
                if column < len(header) and header[column]
                else f"column {column + 1}"
            )
            problem = (
                f"holds the control character U+{ord(control[0]):04X}"
                if control is not None
                else f"{len(cell):,} characters, over the limit of {MAX_CELL_CHARS:,}"
            )
            raise FrameworkError(problem, file=source, line=row.line, field=name)


def read_csv(text: str, source: str) -> Outline:
    """The outline of a CSV file: a single table whose first row is its header."""
    check_text_size(text, source, controls=False)
    try:  # only the delimiter is sniffed: quoting is a spreadsheet's ("" inside a cell)
        delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), csv.excel, delimiter=delimiter)
    rows: list[Row] = []
    with csv_cells_up_to(len(text) + 1):  # a long cell is refused below, by its column
        try:
            first = 1
            for cells in reader:
                if any(cell.strip() for cell in cells):
                    rows.append(Row(tuple(cell.strip() for cell in cells), first))
                first = reader.line_num + 1
        except csv.Error as exc:
            raise FrameworkError(
                f"not readable as CSV: {exc}", file=source, line=reader.line_num
            ) from None
    _check_cells(rows, source)
    if len(rows) - 1 > MAX_SKILLS:
        raise too_many("rows", MAX_SKILLS, line=rows[MAX_SKILLS + 1].line, source=source)
    outline = Outline(source=source, fmt="csv")
    if rows:
        outline.items.append(Item(TABLE, "table", rows[0].line, rows=tuple(rows), header_rows=1))
    return outline
