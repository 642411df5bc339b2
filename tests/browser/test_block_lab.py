"""The block-report notebook in real JupyterLab: the coach writes the block's synthesis in
the form under the report, saves it, and the report above opens with it at once; the file
it wrote is the one `coach block` reads."""

from __future__ import annotations

import json
from datetime import date, timedelta

from coachlib.model.resources import workbooks_dir
from coachlib.store.sessionlog import latest_block_summary
from coachlib.store.workspace import Workspace
from tests.browser_support import ARTIFACTS

SAID = "Outcomes: the team writes the test first on risky changes. Next: the legacy module."


def block_notebook(lab, start: date, end: date) -> str:
    """The block_report workbook with its parameters set, in the lab's workspace."""
    notebook = json.loads((workbooks_dir() / "block_report.ipynb").read_text(encoding="utf-8"))
    notebook["cells"][0]["source"] = [
        'team = "Payments"\n', f'date_from = "{start}"\n', f'date_to = "{end}"\n',
        f'workspace = "{lab.workspace}"\n', "include_reflections = False\n",
    ]  # fmt: skip
    target = lab.workspace / "workbooks" / "block-payments.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(notebook), encoding="utf-8")
    return str(target.relative_to(lab.root))


def test_the_coach_saves_the_synthesis_and_the_report_opens_with_it(lab, page):
    from coachlib.demo.sessions import demo_block_summaries

    demo = next(s for s in demo_block_summaries(today=date.today()) if s.team == "Payments")
    start, end = demo.start - timedelta(days=3), demo.end  # the demo block, a little wider
    lab.open(page, block_notebook(lab, start, end))
    lab.run_all(page)
    report = page.locator(".coach-summary").filter(has_text="Coaching block: Payments").first
    report.wait_for()
    assert demo.text in report.inner_text() and SAID not in report.inner_text()
    box = page.get_by_placeholder("Outcomes of the block, and what's next.")
    box.fill(SAID)
    page.get_by_role("button", name="Save synthesis").click()
    page.get_by_text("The report above opens with it.").wait_for()
    synthesis = page.locator(".coach-handover").filter(has_text=SAID)
    synthesis.wait_for()
    assert page.locator(".coach-handover").count() == 1
    assert SAID in synthesis.inner_text() and demo.text not in report.inner_text()
    assert "The coach's synthesis (Morgan Reyes" in synthesis.inner_text()
    page.get_by_role("button", name="Save synthesis").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "block-synthesis-form.png"))
    saved = latest_block_summary(Workspace(lab.workspace), team="Payments", start=start, end=end)
    assert saved.latest is not None and saved.latest.text == SAID
