"""A hand-over page as PDF (``coach export --pdf``): Chromium prints the rendered HTML.

Chromium's printing (through Playwright, as nbconvert's webpdf exporter does) rather than
WeasyPrint: the page is already made for Chromium (the browser tests print it the same
way and check that no chart or table is cut), Chromium draws the print stylesheet's
margin boxes (person, date, page numbers), and Playwright is already what the tests use,
so the PDF a coach gets is the one the tests measured. WeasyPrint would be a second
layout engine to keep the page right for, and pulls in pango and its own CSS subset.

Nothing leaves the machine: the page is loaded from memory, and every request it could
make (it makes none: images are inline) is refused. Playwright is optional (``pip install
'coachlib[pdf]'``); the browser is Debian's Chromium at ``/usr/bin/chromium`` unless
``COACHLIB_CHROMIUM`` names another.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ..model.errors import ExportError

PAPERS = {"a4": "A4", "letter": "Letter"}
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
INSTALL = "pip install 'coachlib[pdf]'"


def chromium_path() -> Path:
    """The Chromium that prints: ``$COACHLIB_CHROMIUM``, else /usr/bin/chromium, else one
    on the PATH (ExportError, in one line, when there is none)."""
    named = os.environ.get("COACHLIB_CHROMIUM", "")
    if named:
        if not Path(named).is_file():
            raise ExportError(
                "COACHLIB_CHROMIUM names no file",
                file=named,
                hint="set it to a Chromium or Chrome executable",
            )
        return Path(named)
    for candidate in (
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
        shutil.which("google-chrome"),
    ):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise ExportError(
        "a PDF needs Chromium, and none was found",
        hint="apt-get install chromium, or set COACHLIB_CHROMIUM to a Chromium executable",
    )


def html_to_pdf(html: str, *, paper: str = "a4") -> bytes:
    """The PDF Chromium prints of ``html`` on ``paper`` (a4 or letter)."""
    if paper.lower() not in PAPERS:
        raise ExportError(f"paper must be one of {', '.join(PAPERS)}, not {paper!r}", field="paper")
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        raise ExportError(f"a PDF needs Playwright, which is not installed: {INSTALL}") from None
    browser_path = chromium_path()

    def print_page() -> bytes:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(browser_path), args=CHROMIUM_ARGS
            )
            try:
                page = browser.new_page()
                page.route("**/*", lambda route: route.abort())  # offline, whatever it asks
                page.set_content(html, wait_until="load")
                return page.pdf(format=PAPERS[paper.lower()], print_background=True)
            finally:
                browser.close()

    # In a thread of its own: Playwright's sync API refuses a thread with a running
    # event loop, which a Jupyter kernel (the home notebook's export form) always has.
    from concurrent.futures import ThreadPoolExecutor

    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(print_page).result()
    except Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ExportError(
            f"Chromium could not print the page: {first}", file=str(browser_path)
        ) from None
