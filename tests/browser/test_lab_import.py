"""The ladder import form in real JupyterLab: the coach changes where the levels are, sees
the placement table follow, puts it right, and saves the framework into frameworks/."""

from __future__ import annotations

import re

from coachlib.store.frameworks import load_framework_file
from coachlib.store.workspace import Workspace
from tests.browser_support import ARTIFACTS


def test_a_coach_steers_and_saves_a_ladder_import_in_jupyterlab(lab, page):
    from coachlib.export.new import new_import_notebook

    workspace = Workspace(lab.workspace)
    new_import_notebook(workspace)  # with no ladder given: the example shipped with coachlib
    lab.open(page, "coaching/import_ladder.ipynb")
    lab.run_all(page)
    page.get_by_text("14 placed, 7 left out, 0 lost").first.wait_for()
    levels = page.locator(".widget-dropdown", has_text="Levels").locator("select")
    levels.select_option("h3")  # the skills' headings as levels: no skill is left
    page.get_by_text(re.compile(r"✖ example-ladder\.md: placed no skills")).wait_for()
    save = page.get_by_role("button", name="Save framework")
    assert save.is_disabled()
    levels.select_option("h2")
    page.get_by_text("Every item placed or left out on purpose: ready to save").wait_for()
    save.click()
    page.get_by_text(re.compile(r"Saved frameworks/example-engineering-ladder\.yaml")).wait_for()
    page.screenshot(path=str(ARTIFACTS / "import-ladder.png"), full_page=False)
    written = lab.workspace / "frameworks" / "example-engineering-ladder.yaml"
    framework = load_framework_file(written)
    assert [lv.name for lv in framework.scale if lv.level] == [
        "E1 — Engineer", "E2 — Senior Engineer"]  # fmt: skip
    assert (lab.workspace / "frameworks" / "example-engineering-ladder.import.yaml").is_file()
