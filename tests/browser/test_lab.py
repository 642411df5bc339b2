"""People's paths through the workbooks, in real JupyterLab in real Chromium."""

from __future__ import annotations

import re
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from coachlib.model.review import Assessment, new_review
from coachlib.store.frameworks import registry_for
from coachlib.store.journal import load_journal, save_review
from coachlib.store.workspace import Workspace

EVIDENCE = "Zoë designed a learning hour on mutation testing.\nZweite Zeile: ünïcödé ✓"
REFLECTION = "Gut gemacht — la séance a bien marché. 日本語も。"
NEXT_STEPS = "Plan a series of three sessions.\nAsk Łukasz for feedback."


def toggle(page, label_start: str, within=None):
    """The toggle button whose label starts with ``label_start``."""
    scope = within if within is not None else page
    return scope.locator(".widget-toggle-button").filter(
        has_text=re.compile("^" + re.escape(label_start))
    )


def test_coach_path_saves_exactly_what_was_typed(lab, page):
    notebook = lab.new_notebook(
        "--framework", "samman-learning-hour", "--coachee", "Zoë Ağaoğlu",
        "--author", "Grace Hopper",
    )  # fmt: skip
    lab.open(page, notebook)
    lab.run_all(page)
    toggle(page, "3 · Design and lead new learning hours").click()
    # The kernel answers the click by showing the milestone's full text under the picker.
    page.locator(".widget-html", has_text="following the 4C structure").wait_for()
    page.get_by_label("Evidence").fill(EVIDENCE)
    page.get_by_label("Reflection").fill(REFLECTION)
    page.get_by_label("Next steps").fill(NEXT_STEPS)
    page.get_by_role("button", name="Save review").click()
    page.get_by_text(re.compile("Saved \\(1 saved in this session\\)")).wait_for()

    [review] = load_journal(Workspace(lab.workspace), coachee="Zoë Ağaoğlu").reviews
    [assessment] = review.assessments
    assert (review.role, review.author, assessment.level) == ("coach", "Grace Hopper", 3)
    assert assessment.evidence == EVIDENCE
    assert assessment.reflection == REFLECTION
    assert assessment.next_steps == NEXT_STEPS

    lab.run_cell_containing(page, "session.show_progress()")
    today = review.when.date().isoformat()
    page.get_by_text(f"Coach (1 reviews): {today}: 3.").wait_for()


def _coach_review(workspace: Path, coachee: str, level: int) -> None:
    save_review(
        Workspace(workspace),
        new_review(
            coachee=coachee, framework="samman-ensemble", author="Grace Hopper", role="coach",
            when=datetime.now(UTC) - timedelta(days=20),
            assessments=[Assessment("ensemble-facilitation", level, evidence="Seen in June.")],
        ),
        registry_for(workspace),
    )  # fmt: skip


def test_coachee_path_with_the_keyboard_alone_then_the_coach_sees_both(lab, page):
    coachee = "Łukasz Żółć"
    _coach_review(lab.workspace, coachee, 2)
    notebook = lab.new_notebook(
        "--framework", "samman-ensemble", "--coachee", coachee, "--author", coachee,
        "--role", "self",
    )  # fmt: skip
    lab.open(page, notebook)
    lab.run_all(page)
    # Keyboard only from here: Tab to a milestone, Space to pick it, Tab to each text field,
    # type (Enter for a new line), Tab to Save, Enter to press it.
    toggle(page, "0 · Not started").focus()
    for _ in range(3):  # to milestone 3
        page.keyboard.press("Tab")
    page.keyboard.press("Space")
    for _ in range(3):  # past milestones 4 and 5, into Evidence
        page.keyboard.press("Tab")
    page.keyboard.type("Taught a new team the roles.")
    page.keyboard.press("Enter")
    page.keyboard.type("Zweite Zeile: ünïcödé")
    page.keyboard.press("Tab")
    page.keyboard.type("Ich war nervös.")
    for _ in range(3):  # past next steps and session notes
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.get_by_text(re.compile("Saved \\(1 saved in this session\\)")).wait_for()
    reviews = load_journal(Workspace(lab.workspace), coachee=coachee).reviews
    own = [r for r in reviews if r.role == "self"]
    assert len(own) == 1
    [assessment] = own[0].assessments
    assert assessment.level == 3
    assert assessment.evidence == "Taught a new team the roles.\nZweite Zeile: ünïcödé"
    assert assessment.reflection == "Ich war nervös."

    coach_notebook = lab.new_notebook(
        "--framework", "samman-ensemble", "--coachee", coachee, "--author", "Grace Hopper"
    )
    lab.open(page, coach_notebook)
    lab.run_all(page)
    page.get_by_text("self rates 1 level higher than the coach (talk briefly)").first.wait_for()
    standing = page.locator("table.coach-table", has_text="Where Łukasz Żółć stands").first
    text = standing.inner_text()
    assert "Milestone 2: Support an experienced ensemble" in text
    assert "Milestone 3: For a team new to ensemble" in text
    ladder = page.locator("table.coach-ladder").first.inner_text()
    assert "◀ coach" in ladder and "◀ self" in ladder
    page.get_by_text(re.compile(r"Coach \(1 reviews\): .*Self \(1 reviews\)")).wait_for()


def test_skills_path_moves_part_rates_two_skills_and_ticks_criteria(lab, page):
    notebook = lab.new_notebook(
        "--framework", "core-engineer-progression", "--coachee", "Mia Wong",
        "--author", "Grace Hopper",
    )  # fmt: skip
    lab.open(page, notebook)
    lab.run_all(page)
    page.get_by_label("Part").select_option(label="Customer (group, 3 skills)")
    page.get_by_text("0 of 3 skills rated in Customer").wait_for()
    rows = page.locator(".widget-vbox").filter(has=page.get_by_text("Business Value", exact=True))
    business = rows.last
    toggle(page, "2 · Follow", within=business).click()
    business.get_by_text("Criteria at this level").wait_for()
    boxes = business.locator(".widget-checkbox input")
    boxes.nth(0).check()
    strategy = (
        page.locator(".widget-vbox").filter(has=page.get_by_text("Strategy", exact=True)).last
    )
    toggle(page, "3 · Practice", within=strategy).click()
    strategy.get_by_text("Criteria at this level").wait_for()
    strategy.locator(".widget-checkbox input").nth(1).check()
    page.get_by_text("2 of 3 skills rated in Customer").wait_for()
    page.get_by_role("button", name="Save review").click()
    page.get_by_text(re.compile(r"Saved 2 rating\(s\) in 1 record\(s\)")).wait_for()

    [review] = load_journal(Workspace(lab.workspace), coachee="Mia Wong").reviews
    assert review.part == "customer"
    cep = registry_for(lab.workspace).get("core-engineer-progression")
    got = {a.skill: (a.level, a.criteria_met) for a in review.assessments}
    assert got == {
        "business-value": (2, (cep.skill("business-value").criteria[2][0],)),
        "strategy": (3, (cep.skill("strategy").criteria[3][1],)),
    }


def test_export_button_writes_a_summary_that_opens_in_chromium(lab, page, browser):
    notebook = lab.new_notebook(
        "--framework", "samman-ensemble", "--coachee", "Ada Lovelace", "--author", "Morgan Reyes"
    )
    lab.open(page, notebook)
    lab.run_all(page)
    page.get_by_role("button", name="Export HTML summary").click()
    done = page.get_by_text(re.compile(r"Summary written to (\S+\.html)"))
    done.wait_for(timeout=120_000)
    path = Path(re.search(r"Summary written to (\S+\.html)", done.inner_text()).group(1))
    assert path.is_file()
    assert path.name == f"ada-lovelace-{date.today().isoformat()}.html"
    viewer = browser.new_page()
    try:
        viewer.goto(path.as_uri())
        assert viewer.locator("h1").inner_text() == "Coaching summary: Ada Lovelace"
        assert viewer.locator("img").count() == 2
    finally:
        viewer.close()


def test_hostile_text_in_names_and_reviews_never_runs_in_jupyterlab(lab, page):
    """JupyterLab renders the workbook's HTML outputs (and typesets LaTeX in them): the
    payloads must stay text there too."""
    from tests.hostile import PAYLOADS

    coachee = "Eve " + PAYLOADS[1]
    workspace = Workspace(lab.workspace)
    registry = registry_for(lab.workspace)
    for index, payload in enumerate(PAYLOADS):
        save_review(
            workspace,
            new_review(
                coachee=coachee, framework="samman-ensemble", author="Mallory " + payload,
                role="coach" if index % 2 else "self",
                when=datetime.now(UTC) - timedelta(days=len(PAYLOADS) - index),
                assessments=[Assessment("ensemble-facilitation", index % 6, evidence=payload,
                                        reflection=payload, next_steps=payload)],
                notes=payload,
            ),
            registry,
        )  # fmt: skip
    notebook = lab.new_notebook(
        "--framework", "samman-ensemble", "--coachee", coachee, "--author", PAYLOADS[0]
    )
    lab.open(page, notebook)
    lab.run_all(page)
    page.get_by_text("Where Eve").first.wait_for()
    page.mouse.click(400, 400)
    assert page.evaluate("window.__xss") is None
    assert page.locator(".jp-OutputArea-output script").count() == 0
    assert (
        page.locator(".jp-OutputArea-output [onerror], .jp-OutputArea-output iframe").count() == 0
    )


def test_unsaved_text_survives_a_closed_tab_as_a_draft(lab, page, browser):
    notebook = lab.new_notebook(
        "--framework", "samman-learning-hour", "--coachee", "Dana Draft", "--author", "Grace"
    )
    lab.open(page, notebook)
    lab.run_all(page)
    toggle(page, "2 · Lead learning hours").click()
    page.get_by_label("Reflection").fill("Half-way through typing — ünïcode\nand a second line")
    drafts = lab.workspace / "drafts" / "dana-draft"
    deadline = time.monotonic() + 20  # written a few seconds after typing stops
    while time.monotonic() < deadline and not list(drafts.glob("*.yaml")):
        time.sleep(0.25)
    assert list(drafts.glob("*.yaml")), "no draft was written"
    page.context.close()  # the tab is closed without saving

    context = browser.new_context(viewport={"width": 1300, "height": 1800})
    again = context.new_page()
    try:
        lab.open(again, notebook)
        lab.run_all(again)
        again.get_by_text("was kept as a draft").wait_for()
        again.get_by_role("button", name="Restore draft").click()
        from playwright.sync_api import expect

        expect(again.get_by_label("Reflection")).to_have_value(
            "Half-way through typing — ünïcode\nand a second line"
        )
        again.get_by_role("button", name="Save review").click()
        again.get_by_text(re.compile(r"Saved \(1 saved in this session\)")).wait_for()
    finally:
        context.close()
    [review] = load_journal(Workspace(lab.workspace), coachee="Dana Draft").reviews
    assert review.assessments[0].level == 2
    assert review.assessments[0].reflection.startswith("Half-way through typing")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and list(drafts.glob("*.yaml")):
        time.sleep(0.25)
    assert list(drafts.glob("*.yaml")) == []  # dropped on Save
