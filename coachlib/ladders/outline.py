"""A ladder document as one outline: what a reader found, in document order, by line.

Every reader (Markdown, HTML, CSV, a folder of files) ends here, so the mapping, the placer
and the suggester see one shape of data whatever the format: headings with their depth,
paragraphs, list items, tables with their header row, front matter, images and code, each
with the line of the source it came from. Nothing in an outline is interpreted yet: which
heading is a level is the mapping's to say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

HEADING, PARAGRAPH, ITEM, TABLE, FRONT_MATTER, IMAGE, CODE, FILE = (
    "heading",
    "paragraph",
    "item",
    "table",
    "front-matter",
    "image",
    "code",
    "file",
)


@dataclass(frozen=True)
class Row:
    """One table row: its cells' text and its line."""

    cells: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class Item:
    """One block of the document. ``depth`` is a heading's level (1-6), a list item's
    nesting (1 = top), a file's 0; a table holds its rows (the first ``header_rows`` are
    its header); front matter holds its parsed value in ``data``."""

    kind: str
    text: str
    line: int
    depth: int = 0
    rows: tuple[Row, ...] = ()
    header_rows: int = 0
    data: Any = None
    file: str = ""

    @property
    def header(self) -> tuple[str, ...]:
        return self.rows[0].cells if self.rows and self.header_rows else ()

    @property
    def body(self) -> tuple[Row, ...]:
        return self.rows[self.header_rows :]


@dataclass
class Outline:
    """The items of one document (or of a folder's files, each opened by a FILE item)."""

    source: str
    items: list[Item] = field(default_factory=list)
    front: dict[str, Any] = field(default_factory=dict)
    fmt: str = "markdown"
    text: str = ""  # the document as read (the shape readers read it again)
    line_numbers: list[int] | None = None  # an HTML page's lines, for the Markdown made of it
    notes: list[str] = field(default_factory=list)  # what a reader left out, said once

    def headings(self) -> list[tuple[int, Item]]:
        return [(i, item) for i, item in enumerate(self.items) if item.kind == HEADING]

    def title(self) -> str | None:
        """The front matter's title, else the first depth-1 heading (the document's name)."""
        if self.fmt == "folder":  # a folder's name, not its first file's heading
            return None
        front = self.front.get("title")
        if isinstance(front, str) and front.strip():
            return front.strip()
        for item in self.items:
            if item.kind == HEADING and item.depth == 1:
                return item.text
            if item.kind == HEADING:
                return None
        return None


_LINK = re.compile(r"!?\[([^\]]*)\]\((?:\{%[^)]*%\}|[^)]*)\)")
_LIQUID = re.compile(r"\{%.*?%\}")
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")  # a backslash escape of ASCII punctuation
_TAG = re.compile(r"</?(?:br|span|em|i|code|sup|sub|u|a)\b[^>]*>", re.I)


def plain(text: str) -> str:
    """Text as a criterion keeps it: link text without the target, no Liquid tags, one
    line, single spaces (emphasis and backticks stay: they are the author's)."""
    if (
        "[" not in text
        and "{%" not in text
        and "  " not in text
        and "\n" not in text
        and "\\" not in text
    ):
        return text.strip()  # most criteria: nothing to take out
    text = _LINK.sub(r"\1", text)
    text = _ESCAPED.sub(r"\1", text)  # "1\. Ships": CommonMark's escape, the author's "1."
    text = _LIQUID.sub("", text)
    return re.sub(r"\s+", " ", text).strip()


def first_words(text: str, width: int = 60) -> str:
    """A line of the outline listing: the start of the text, cut at ``width``."""
    text = plain(text)
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def describe(outline: Outline) -> list[str]:
    """The outline as compact lines: line number, depth and kind, first words."""
    out = []
    for item in outline.items:
        where = f"{item.line:>5}"
        if item.kind == HEADING:
            out.append(f"{where}  {'#' * item.depth} {first_words(item.text, 70)}")
        elif item.kind == FILE:
            out.append(f"{where}  file {item.text}")
        elif item.kind == TABLE:
            head = " | ".join(first_words(c, 18) for c in item.header) or "(no header)"
            out.append(f"{where}    table, {len(item.body)} row(s): {head}")
        elif item.kind == ITEM:
            out.append(f"{where}    {'  ' * (item.depth - 1)}- {first_words(item.text)}")
        elif item.kind == FRONT_MATTER:
            keys = ", ".join(map(str, item.data)) if isinstance(item.data, dict) else ""
            out.append(f"{where}    front matter: {keys}")
        else:
            out.append(f"{where}    {item.kind}: {first_words(item.text)}")
    return out
