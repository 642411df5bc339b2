"""Make the README's pictures: the review form in JupyterLab, and two hand-over pages (a
coachee's summary and a coaching-block report).

    .venv/bin/python docs/make_screenshots.py

Uses the browser tests' own JupyterLab helper and Debian's Chromium (as the tests do), on
a demo workspace made for the purpose: the pictures show the product as it is.
"""

from __future__ import annotations

import re
import sys
import tempfile
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from coachlib.demo.sessions import demo_block_summaries  # noqa: E402
from coachlib.demo.workspace import build_demo_journal  # noqa: E402
from coachlib.export.summaries import export_block, export_summary  # noqa: E402
from tests.browser_support import CHROMIUM, FLAGS  # noqa: E402
from tests.lab_server import running_lab  # noqa: E402

AS_OF = "2026-06-30"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        root = Path(tmp)
        workspace = build_demo_journal(root / "coaching").workspace
        page = browser.new_page(viewport={"width": 1100, "height": 1500})
        summary = export_summary(workspace, "Ada Lovelace", as_of=AS_OF)
        page.goto(summary.as_uri())
        page.screenshot(path=str(HERE / "images" / "summary.png"))
        # The latest finished block of the demo's Payments team, with the coach's synthesis.
        latest = next(s for s in demo_block_summaries(today=date.today()) if s.team == "Payments")
        block = export_block(workspace, team="Payments", date_from=latest.start,
                             date_to=latest.end)  # fmt: skip
        page.set_viewport_size({"width": 1100, "height": 1250})
        page.goto(block.as_uri())
        page.screenshot(path=str(HERE / "images" / "block-report.png"))
        with running_lab(root) as lab:
            notebook = lab.new_notebook("--framework", "samman-ensemble", "--coachee",
                                        "Ada Lovelace", "--author", "Morgan Reyes")  # fmt: skip
            lab_page = browser.new_page(viewport={"width": 1200, "height": 1300})
            lab.open(lab_page, notebook)
            lab.run_all(lab_page)
            form = lab_page.locator(".widget-vbox").filter(
                has=lab_page.get_by_role("button", name="Save review")).last  # fmt: skip
            form.locator(".widget-toggle-button").filter(
                has_text=re.compile("^3 · ")).click()  # fmt: skip
            lab_page.get_by_label("Evidence").fill(
                "Facilitated the team's first three ensembles; they now rotate on their own."
            )
            form.scroll_into_view_if_needed()
            form.screenshot(path=str(HERE / "images" / "review-form.png"))
        browser.close()
    print("Written: docs/images/summary.png, block-report.png and review-form.png")


if __name__ == "__main__":
    main()
