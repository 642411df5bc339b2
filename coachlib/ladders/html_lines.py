"""HTML as the equivalent Markdown lines, each with the line of the page it came from.

Python's ``html.parser`` tokenises the page (tags, entities, comments, unclosed elements);
this module keeps what a ladder is made of (headings, paragraphs, list items, tables, bold
keys, line breaks in cells, images) as the equivalent Markdown lines, each carrying the line
of the page it came from, and the Markdown reader makes the outline: a line the placer
cannot place is reported by the page's line. A table cell holding several ``<li>`` or
``<p>`` keeps each as its own line (each is a criterion). The head, scripts, styles,
navigation, headers and footers are left out (the report says so).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

BLOCKS = {
    "p",
    "div",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "dt",
    "dd",
    "blockquote",
    "section",
    "article",
    "main",
    "ul",
    "ol",
    "dl",
}
SKIPPED = {"head", "script", "style", "nav", "header", "footer", "noscript", "template", "svg"}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[tuple[int, str]] = []  # (line of the page, Markdown line)
        self.text: list[str] = []
        self.start = 1
        self.prefix = ""
        self.skipping = 0
        self.skipped = 0
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.rows_in_table = 0

    # -- text ---------------------------------------------------------------------------

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        target = self.cell if self.cell is not None else self.text
        if not target and not data.strip():
            return
        if not target:
            self.start = self.getpos()[0]
        target.append(data)

    def _flush(self) -> None:
        text = re.sub(r"\s+", " ", "".join(self.text)).strip()
        if text:
            self.lines.append((self.start, self.prefix + text))
            self.lines.append((self.start, ""))
        self.text, self.prefix = [], ""

    # -- tags ---------------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in SKIPPED:
            self.skipping += 1
            self.skipped += 1
            return
        if self.skipping:
            return
        if tag == "table":
            self._flush()
            self.rows_in_table = 0
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th"):
            self.cell = []
        elif tag == "br":
            (self.cell if self.cell is not None else self.text).append(
                "<br>" if self.cell is not None else " "
            )
        elif tag in ("strong", "b"):
            (self.cell if self.cell is not None else self.text).append("**")
        elif tag == "img" and self.cell is None:
            self._flush()
            alt = dict(attrs).get("alt") or "image"
            self.lines.append((self.getpos()[0], f"![{alt}](image)"))
            self.lines.append((self.getpos()[0], ""))
        elif tag in ("li", "p", "div", "dd") and self.cell is not None:
            if "".join(self.cell).strip():  # a cell holding several: each its own line
                self.cell.append("<br>")
        elif tag in BLOCKS:
            self._flush()
            self.start = self.getpos()[0]
            if tag[0] == "h" and tag[1:].isdigit():
                self.prefix = "#" * int(tag[1]) + " "
            elif tag in ("li", "dd"):
                self.prefix = "- "

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED:
            self.skipping = max(0, self.skipping - 1)
            return
        if self.skipping:
            return
        if tag in ("strong", "b"):
            (self.cell if self.cell is not None else self.text).append("**")
        elif tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append(re.sub(r"\s+", " ", "".join(self.cell)).strip().replace("|", "/"))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            line = self.getpos()[0]
            self.lines.append((line, "| " + " | ".join(self.row) + " |"))
            if self.rows_in_table == 0:
                self.lines.append((line, "|" + "---|" * len(self.row)))
            self.rows_in_table += 1
            self.row = None
        elif tag == "table":
            self.lines.append((self.getpos()[0], ""))
        elif tag in BLOCKS:
            self._flush()

    def close(self) -> None:
        super().close()
        self._flush()


def html_as_markdown(text: str) -> tuple[str, list[int]]:
    """The page as Markdown lines, and for each the line of the page it came from."""
    page = _Page()
    page.feed(text)
    page.close()
    numbers = [number for number, _line in page.lines]
    markdown = "\n".join(line.replace("****", "") for _number, line in page.lines)
    return markdown, numbers
