"""A coachee's pack as a page without code (Voilà, `coach open`): offline, no code on it,
and a save lands in the pack."""

from __future__ import annotations

import re
import subprocess

import pytest

from coachlib.export.share import make_pack
from coachlib.serve.voila_page import voila_command
from coachlib.store.journal import load_journal
from coachlib.store.workspace import Workspace
from tests.browser_support import ARTIFACTS, offline_context
from tests.lab_server import free_port, stop_group, wait_until_answers


@pytest.fixture
def page_server(tmp_path, browser):
    from coachlib.demo.workspace import build_demo_journal

    build_demo_journal(tmp_path / "coaching")
    pack = make_pack(Workspace(tmp_path / "coaching"), coachee="Mei Chen",
                     framework="samman-learning-hour", to=tmp_path / "mei-pack").path  # fmt: skip
    port = free_port()
    command, env = voila_command(pack, port=port, browser=False)
    env["JUPYTER_RUNTIME_DIR"] = str(tmp_path / "runtime")
    log = tmp_path / "voila.log"
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=pack, env=env, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
    url = f"http://127.0.0.1:{port}/"
    wait_until_answers(url, process, log, what="Voilà", timeout=90)
    try:
        yield url, pack, log
    finally:
        stop_group(process)


def test_the_pack_as_a_page_offline_without_code_saves_into_the_pack(browser, page_server):
    url, pack, _log = page_server
    context, outside = offline_context(browser, viewport={"width": 1200, "height": 1800})
    page = context.new_page()
    page.set_default_timeout(120_000)
    try:
        page.goto(url)
        save = page.get_by_role("button", name="Save review")
        save.wait_for()
        body = page.locator("body").inner_text()
        assert "Where you stand on" in body and "Learning Hour" in body
        assert "session.review_form()" not in page.content()  # no code on the page
        assert "ReflectionSession" not in page.content()
        assert "Run All" not in body  # nothing to run on a page
        # text at a readable width (at most about 75 characters a line), with margins
        widest, leftmost = page.evaluate(
            "() => { const ps = [...document.querySelectorAll('.jp-RenderedMarkdown p')];"
            " return [Math.max(...ps.map(p => p.getBoundingClientRect().width)),"
            " Math.min(...ps.map(p => p.getBoundingClientRect().left))]; }"
        )
        assert widest <= 75 * 9 and leftmost >= 100, (widest, leftmost)
        page.locator(".widget-toggle-button").filter(has_text=re.compile("^2 · ")).click()
        page.get_by_label("Evidence").fill("Led two learning hours from existing plans.")
        save.click()
        page.get_by_text(re.compile(r"Saved \(1 saved in this session\)")).wait_for()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "coachee-page.png"), full_page=False)
        assert outside == [], outside  # not one request left this machine
    finally:
        context.close()
    reviews = load_journal(Workspace(pack)).reviews
    assert [r.assessments[0].evidence for r in reviews if r.assessments[0].evidence.startswith(
        "Led two learning hours")] == ["Led two learning hours from existing plans."]  # fmt: skip


PHONE = {"width": 390, "height": 844}
COMMANDS_TO_CELLS = re.compile(r"Run All|re-run|Run this cell|Hand in", re.IGNORECASE)


def overflowing(page) -> list:
    """Buttons whose text is cut (wider than the button: '…' or clipped) and fields wider
    than their box, as [tag, text, scrollWidth, clientWidth]."""
    return page.evaluate(
        """() => [...document.querySelectorAll('button, textarea, select, .widget-vbox,'
                                              + '.widget-inline-hbox, .widget-toggle-buttons')]
           .filter(e => e.offsetParent && e.scrollWidth > e.clientWidth + 1)
           .map(e => [e.tagName, e.textContent.trim().slice(0, 40), e.scrollWidth,
                      e.clientWidth])"""
    )


def chart(page) -> dict:
    return page.locator("figure.coach-figure img").last.evaluate(
        "i => ({shown: i.getBoundingClientRect().width, natural: i.naturalWidth,"
        " source: i.currentSrc.slice(-80), right: i.getBoundingClientRect().right})"
    )


def test_the_page_on_a_phone_fits_its_width_and_redraws_the_chart_after_save(browser, page_server):
    """390 px wide: every milestone button shows its whole text, no field runs off the
    screen, the chart is drawn for the width (labels at a readable size, not a wide chart
    shrunk), the words never ask to run a cell, and a Save puts the review on the chart."""
    url, _pack, _log = page_server
    context = browser.new_context(viewport=PHONE, device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(120_000)
    try:
        page.goto(url)
        save = page.get_by_role("button", name="Save review")
        save.wait_for()
        assert overflowing(page) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        before = chart(page)
        # drawn for the phone: at least 300 px of the 390, at 85% or more of its own size
        assert before["shown"] >= 300 and before["right"] <= PHONE["width"], before
        assert before["natural"] <= before["shown"] / 0.85, before
        text = page.locator("body").inner_text()
        assert COMMANDS_TO_CELLS.findall(text) == [], text
        assert "coach hand-in" in text  # no hub here: how to send it back instead

        page.locator(".widget-toggle-button").filter(has_text=re.compile("^4 · ")).click()
        page.get_by_label("Evidence").fill("Designed a series of three learning hours.")
        save.click()
        page.get_by_text(re.compile(r"Saved \(1 saved in this session\)")).wait_for()
        page.get_by_text("Your progress chart (section 4) shows it now").wait_for()
        page.wait_for_function(
            "() => [...document.querySelectorAll('figure.coach-figure img')].some("
            "i => /Self \\(\\d+ reviews\\).*: 4\\.?$/.test(i.alt))"
        )
        assert chart(page)["source"] != before["source"]
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "coachee-page-phone.png"))
    finally:
        context.close()
