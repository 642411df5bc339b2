"""Markdown into an outline, by markdown-it-py's block tokens (never by line rules).

CommonMark decides what is a heading (ATX or setext), a list item, a table row, a fenced
code block, an HTML block or a link reference definition; this module only records each
block with its depth and line. Raw HTML inside the Markdown (a ``<table>``, ``<details>``)
is read by the HTML reader, so a table pasted into a README is a table here too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from ..model.errors import FrameworkError
from ..model.safeyaml import parse as parse_yaml
from .outline import (
    CODE,
    FRONT_MATTER,
    HEADING,
    IMAGE,
    ITEM,
    PARAGRAPH,
    TABLE,
    Item,
    Outline,
    Row,
)

CONTENTS = "contents"  # a list item that only links to a heading of the same page
_IMAGE_ONLY = re.compile(
    r"^(?:\s*(?:\[?!\[[^\]]*\]\([^)]*\)\]?(?:\([^)]*\))?|<img\b[^>]*>)\s*)+$", re.I
)
_ANCHOR_ONLY = re.compile(r"^\s*\[[^\]]+\]\(#[^)]*\)\s*$")
_KEYED_LINE = re.compile(r"^(?:\*\*|__)[^*_]+(?:\*\*|__)")


_RULE_LINE = re.compile(r"([-*_])(?:[ \t]*\1){2,}[ \t]*$", re.M)  # "---", "* * *"
_UNDERLINE = re.compile(r"[=-][ \t]*$", re.M)  # a setext heading's "===" or "---"
# what may stand before a block on its line: indent, block quote and list markers
_BLOCK_START = {mark: re.compile(rf"^[ \t>*+.)0-9-]*{re.escape(mark)}", re.M) for mark in "><#"}


def _starts(mark: str, body: str) -> bool:
    """Whether a line of ``body`` may open a block with ``mark`` (after its indent and any
    block quote or list markers): a ``<br>`` in a table cell opens no HTML block."""
    return mark in body and _BLOCK_START[mark].search(body) is not None


# The block rules a document can use, each with what its text must hold for the rule to
# match anywhere (at a line's start, in a list item or a block quote). A rule that cannot
# match is left out of the parse: markdown-it-py tries every rule on every line (and each
# as a paragraph's terminator), so a ladder of headings and bullets is parsed in about
# half the time, into the very same tokens.
_NEEDS: tuple[tuple[str, Callable[[str], bool]], ...] = (
    ("table", lambda body: "|" in body),  # a table's header row holds a pipe
    ("code", lambda body: "    " in body or "\t" in body),  # four columns of indent
    ("fence", lambda body: "```" in body or "~~~" in body),
    ("blockquote", lambda body: _starts(">", body)),
    ("hr", lambda body: _RULE_LINE.search(body) is not None),
    ("reference", lambda body: "]:" in body),  # "[label]: destination"
    ("html_block", lambda body: _starts("<", body)),
    ("heading", lambda body: _starts("#", body)),
    ("lheading", lambda body: _UNDERLINE.search(body) is not None),
)


def _parser(body: str):
    """The parser for ``body``: block rules only (an inline token's ``content`` keeps the
    raw text, which the placer reads: bold keys, links), and of those only the ones that
    can match in it."""
    return _parser_without(tuple(name for name, can in _NEEDS if not can(body)))


@lru_cache(maxsize=32)
def _parser_without(rules: tuple[str, ...]):
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark").enable("table").disable("inline")
    return parser.disable(list(rules)) if rules else parser


def _front_matter(lines: list[str], source: str) -> tuple[Any, int]:
    """The YAML between a first line ``---`` and the next ``---``, and the lines it takes."""
    if not lines or lines[0].strip() != "---":
        return None, 0
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            text = "\n".join(lines[1:end])
            try:
                data = parse_yaml(text, file=source, error=FrameworkError)
            except FrameworkError:  # not YAML after all: read as plain "key: value" lines
                data = {}
                for entry in lines[1:end]:
                    key, _, value = entry.partition(":")
                    if key.strip():
                        data[key.strip()] = value.strip()
            return data if data is not None else {}, end + 1
    return None, 0


# the token types read below (the rest, most of a table's, are passed over at once)
_READ = frozenset(
    (
        "bullet_list_open",
        "ordered_list_open",
        "bullet_list_close",
        "ordered_list_close",
        "list_item_open",
        "list_item_close",
        "heading_open",
        "paragraph_open",
        "table_open",
        "thead_open",
        "thead_close",
        "tr_open",
        "th_open",
        "td_open",
        "tr_close",
        "table_close",
        "fence",
        "code_block",
        "html_block",
    )
)


def read_markdown(
    text: str, source: str, *, line_numbers: list[int] | None = None, html: bool = True
) -> Outline:
    """The outline of a Markdown document. ``line_numbers`` maps each line of ``text`` to
    the line of the file it came from (Markdown made from an HTML page)."""
    lines = text.splitlines()
    front, skip = _front_matter(lines, source) if line_numbers is None else (None, 0)
    outline = Outline(source=source, fmt="markdown")

    def at(index: int) -> int:
        if line_numbers is not None:
            return line_numbers[min(index, len(line_numbers) - 1)] if line_numbers else 1
        return index + 1

    if front is not None:
        outline.front = front if isinstance(front, dict) else {"value": front}
        outline.items.append(Item(FRONT_MATTER, "front matter", 1, data=front))
    body = "\n".join(lines[skip:])
    tokens = _parser(body).parse(body)
    offset = skip
    list_depth = 0
    open_items: list[list[int]] = []  # per open list item: its first line, items it holds
    table: list[Row] | None = None
    header_rows = 0
    in_head = False
    row: list[str] | None = None
    row_line = 0
    index = 0
    while index < len(tokens):
        token = tokens[index]
        kind = token.type
        if kind not in _READ:  # a closing or inline token, read through its opener
            index += 1
            continue
        first = token.map[0] + offset if token.map else None
        block = first if first is not None else offset  # block tokens always have a map
        if kind in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
        elif kind in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
        elif kind == "list_item_open" and first is not None:
            open_items.append([first, len(outline.items)])
        elif kind == "list_item_close" and open_items:
            start, count = open_items.pop()
            if len(outline.items) == count and not (open_items and open_items[-1][0] == start):
                # "- 0." is a bullet holding an empty numbered item to CommonMark: the
                # author wrote the text "0.", kept as the bullet's text
                raw = re.sub(r"^\s*(?:[-*+]|\d{1,9}[.)])\s*", "", lines[start])
                if not raw.strip() and re.fullmatch(r"\s*\d{1,9}[.)]\s*", lines[start]):
                    raw = lines[start]  # a line "0." alone: the author's text, not a list
                if raw.strip():
                    outline.items.append(Item(ITEM, raw.strip(), at(start), depth=list_depth))
        elif kind == "heading_open":
            content = tokens[index + 1].content
            outline.items.append(Item(HEADING, _clean(content), at(block), depth=int(token.tag[1])))
            index += 2
        elif kind == "paragraph_open":
            content = tokens[index + 1].content
            depth = list_depth
            if len(open_items) > 1 and open_items[-1][0] == open_items[-2][0] == block:
                # "- 1. Ships" is a bullet holding a numbered item to CommonMark; the
                # author wrote one bullet whose text starts "1.": kept as written
                content = re.sub(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+", "", lines[block]).strip()
                depth = list_depth - 1
            _paragraph(outline, content, block, at, ITEM if list_depth else PARAGRAPH, depth)
            index += 2
        elif kind == "table_open":
            table, header_rows = [], 0
        elif kind == "thead_open":
            in_head = True
        elif kind == "thead_close":
            in_head = False
        elif kind == "tr_open":
            row, row_line = [], at(first) if first is not None else 0
        elif kind in ("th_open", "td_open") and row is not None:
            row.append(tokens[index + 1].content.strip())
            index += 1
        elif kind == "tr_close" and row is not None and table is not None:
            table.append(Row(tuple(row), row_line))
            header_rows += in_head
            row = None
        elif kind == "table_close" and table is not None:
            outline.items.append(
                Item(
                    TABLE,
                    "table",
                    table[0].line if table else 0,
                    rows=tuple(table),
                    header_rows=min(header_rows, 1),
                )
            )
            table = None
        elif kind in ("fence", "code_block") and token.content.strip():
            where = block + (1 if kind == "fence" else 0)
            outline.items.append(Item(CODE, token.content.strip(), at(where)))
        elif kind == "html_block":
            _html_block(outline, token.content, block, at, html)
        index += 1
    return outline


def _clean(text: str) -> str:
    """A heading's text without the emphasis wrapped round all of it (``## **Senior**``)."""
    text = text.strip()
    while len(text) > 1 and text[0] == text[-1] and text[0] in "*_":
        text = text[1:-1].strip()
    return re.sub(r"\s+#+$", "", text).strip()


def _paragraph(outline: Outline, content: str, first: int, at, kind: str, depth: int) -> None:
    """One paragraph (or a list item's paragraph) as items: an image alone is an image; a
    paragraph whose lines each start with a bold key (``**Scope:** …`` on consecutive
    lines) is one item per line, each with its own line."""
    if _IMAGE_ONLY.match(content):
        outline.items.append(Item(IMAGE, content.strip(), at(first)))
        return
    if kind == ITEM and _ANCHOR_ONLY.match(content):
        outline.items.append(Item(CONTENTS, content.strip(), at(first), depth=depth))
        return
    parts = content.split("\n")
    if len(parts) > 1 and sum(bool(_KEYED_LINE.match(p.strip())) for p in parts) >= 2:
        for number, part in enumerate(parts):
            if part.strip():
                outline.items.append(Item(kind, part.strip(), at(first + number), depth=depth))
        return
    outline.items.append(Item(kind, " ".join(p.strip() for p in parts), at(first), depth=depth))


def _html_block(outline: Outline, content: str, first: int, at, html: bool) -> None:
    """Raw HTML in Markdown: a comment is nothing, an image an image, anything else is
    read by the HTML reader (a ``<table>`` becomes a table) with the Markdown's lines."""
    stripped = content.strip()
    if stripped.startswith("<!--") and stripped.endswith("-->"):
        return
    if re.fullmatch(r"(?:\s*</?(?:picture|source|img|p|div|a|br)\b[^>]*>\s*)+", stripped, re.I):
        if re.search(r"<(?:img|source)\b", stripped, re.I):
            outline.items.append(Item(IMAGE, stripped, at(first)))
        return
    if not html:  # already inside an HTML page: the text as it is
        outline.items.append(Item(PARAGRAPH, stripped, at(first)))
        return
    from .html_lines import html_as_markdown

    markdown, numbers = html_as_markdown(content)
    inner = read_markdown(
        markdown, outline.source, line_numbers=[at(first + n - 1) for n in numbers], html=False
    )
    outline.items.extend(inner.items)
