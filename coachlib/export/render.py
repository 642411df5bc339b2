"""A Page value (``views.page``) as HTML, with Jinja: one self-contained file, or the body a
notebook displays.

No notebook runs and no nbconvert: the page was built as data by ``views``, and this
module only lays it out, so ``coach export`` costs the page's charts and little else. The
file is offline and safe to open from disk: no script, a Content-Security-Policy that lets
nothing be fetched, charts inline as PNG with their text alternative, every text escaped
by Jinja's autoescape (the one exception, ``Markup``, was escaped by ``views.html``).

Print comes from the stylesheet: ``@page`` margins that suit A4 and Letter, page numbers
and the person and date in every page's margin (margin boxes, which Chromium and
WeasyPrint both draw), and tables and figures never cut by a page break.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import html
from pathlib import Path

from ..views.html import NO_MATH
from ..views.page import Chart, LevelGrid, Page

TEMPLATES = Path(__file__).resolve().parent / "templates" / "page"


def page_html(page: Page) -> str:
    """The whole page as one HTML document (styles inline, images inline)."""
    template = _environment().get_template("page.html.j2")
    return template.render(page=page, css=_css(), running=running_css(page), no_math=NO_MATH)


def body_html(page: Page) -> str:
    """The page's content without the document around it, for a notebook to display: the
    same markup as the file, so nbval checks what the export renders, with the few rules
    it needs where the page's stylesheet is not loaded (scoped to the page's classes)."""
    module = _environment().get_template("blocks.html.j2").module
    style = f"<style>{_css('notebook.css')}</style>"
    return f'<div class="coach-summary {NO_MATH}">{style}{module.body(page, NO_MATH)}</div>'


def css_string(text: str) -> str:
    """``text`` as a CSS string literal: every character but letters, digits and spaces
    as a hex escape, so no name can end the string, the rule or the <style> element."""
    out = []
    for char in text:
        if char.isalnum() or char == " ":
            out.append(char)
        else:
            out.append(f"\\{ord(char):x} ")
    return '"' + "".join(out) + '"'


def running_css(page: Page) -> str:
    """The print margins of every page: the person and the date at the foot, left; the
    page number and count, right."""
    who = css_string(f"{page.footer.person} · as of {page.footer.as_of.isoformat()}")
    what = css_string(page.title)
    return (
        "@page {\n"
        f"  @bottom-left {{ content: {who}; font: 8pt system-ui, sans-serif; color: #4a4a4a; }}\n"
        '  @bottom-right { content: "page " counter(page) " of " counter(pages);'
        " font: 8pt system-ui, sans-serif; color: #4a4a4a; }\n"
        f"  @top-left {{ content: {what}; font: 8pt system-ui, sans-serif; color: #4a4a4a; }}\n"
        "}"
    )


def _kind(value: object) -> str:
    return type(value).__name__


def _flowing(value: object) -> bool:
    """A block that may sit in a column of its own: a narrow chart, a level grid (a
    section of nothing else flows in two columns on paper)."""
    return isinstance(value, LevelGrid) or (isinstance(value, Chart) and not value.wide)


def _lines(text: object) -> object:
    """Escaped text with its line breaks kept visible."""
    from markupsafe import Markup

    return Markup(_line_text(text))


def _line_text(text: object) -> str:
    return html.escape("" if text is None else str(text)).replace("\n", "<br>\n")


def _cells(row: tuple, nowrap: tuple[int, ...]) -> object:
    """A table row's cells after its first (the row's header): each a ``<td>``, marked
    ``coach-nowrap`` where its column is in ``nowrap``, its text as :func:`_lines` writes
    it. One filter call a row: a loop in the template cost a dozen calls a cell, and a
    team overview has thousands of cells."""
    from markupsafe import Markup

    cells = []
    for column, cell in enumerate(row[1:], start=1):
        mark = ' class="coach-nowrap"' if column in nowrap else ""
        cells.append(f"<td{mark}>{_line_text(cell)}</td>")
    return Markup("".join(cells))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


@functools.cache
def _environment():
    """One Jinja environment per process, autoescape on for every template.

    Compiling the templates costs ``coach export`` a tenth of its own work (40 ms), so
    their compiled code is kept in the user's private cache folder, as Jinja's own
    bytecode cache does it: checked against each template's source and the Python
    version, and compiled again when either changed."""
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
        bytecode_cache=_bytecode_cache(),
    )
    environment.filters.update(kind=_kind, lines=_lines, cells=_cells, b64=_b64)
    environment.tests.update(flowing=_flowing)
    return environment


def _bytecode_cache():
    """Jinja's file bytecode cache in ``$XDG_CACHE_HOME/coachlib/templates`` (owner-only),
    or None where that folder cannot be made (a read-only home: templates compile). A
    cache that cannot be read or written (damaged, not a folder, no space) only costs
    the compiling: the page is rendered all the same."""
    import jinja2

    from ..model.errors import CoachError
    from ..store import atomic, cache

    class QuietCache(jinja2.FileSystemBytecodeCache):
        def load_bytecode(self, bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except (OSError, EOFError, ValueError, TypeError):
                bucket.reset()

        def dump_bytecode(self, bucket) -> None:
            with contextlib.suppress(OSError):
                super().dump_bytecode(bucket)

    try:
        folder = atomic.make_folder(cache.user_cache_dir() / "templates")
    except (OSError, CoachError):
        return None
    return QuietCache(str(folder), "%s.jinja")


@functools.cache
def _css(name: str = "page.css") -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")
