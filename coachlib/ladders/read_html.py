"""A ladder saved from a web page: its Markdown lines (:mod:`.html_lines`) as an outline,
every item carrying the page's own line."""

from __future__ import annotations

from .html_lines import _Page
from .outline import Outline
from .read_markdown import read_markdown


def read_html(text: str, source: str) -> tuple[Outline, int]:
    """The outline of a page, and how many script, style or navigation elements were left
    out."""
    page = _Page()
    page.feed(text)
    page.close()
    numbers = [number for number, _line in page.lines] or [1]
    markdown = "\n".join(line.replace("****", "") for _number, line in page.lines)
    outline = read_markdown(markdown, source, line_numbers=numbers, html=False)
    outline.fmt = "html"
    return outline, page.skipped
