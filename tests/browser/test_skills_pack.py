"""A coachee's skills pack in real Chromium, in JupyterLab and as a Voilà page: pick a part,
a level (its criteria show as a checklist), tick, write a note, Save; a note typed and
never saved stays in the pack's drafts/ and in no handed-back file; the coach collects the
hand-in into their workspace, every skill and level checked."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from coachlib.cli import main
from coachlib.export.share import make_pack
from coachlib.serve.voila_page import voila_command
from coachlib.store.collect import IMPORTED, collect
from coachlib.store.frameworks import registry_for
from coachlib.store.journal import load_journal
from coachlib.store.workspace import Workspace
from tests.browser_support import ARTIFACTS, offline_context
from tests.lab_server import free_port

PRIYA = "Priya Natarajan"
CEP = "core-engineer-progression"
NOTE = "Wrote the team's quarterly goals with our product owner."


def fill_the_form(page, marker: str) -> None:
    """Customer part; Strategy at 2 · Follow with its first criterion ticked and a note;
    Save; then a note typed into Business Value and never saved."""
    page.get_by_label("Part").select_option(label="Customer (group, 3 skills)")
    strategy = (
        page.locator(".widget-vbox")
        .filter(has=page.locator("strong", has_text=re.compile("^Strategy$")))
        .last
    )
    strategy.get_by_text(re.compile("^You last said: ")).wait_for()  # her earlier rating
    strategy.locator(".widget-toggle-button").filter(has_text=re.compile("^2 · Follow$")).click()
    criterion = strategy.get_by_label(re.compile("^Know what the strategy is for the team"))
    criterion.check()
    strategy.get_by_label("Note").fill(NOTE)
    page.get_by_role("button", name="Save review").click()
    page.get_by_text(re.compile(r"Saved 1 rating\(s\) in 1 record\(s\)")).wait_for()
    business = (
        page.locator(".widget-vbox")
        .filter(has=page.locator("strong", has_text=re.compile("^Business Value$")))
        .last
    )
    business.get_by_label("Note").fill(marker)


def wait_for_draft(pack: Path, marker: str, timeout: float = 60) -> None:
    """Until the form's debounced draft (a few seconds after typing stops) holds ``marker``:
    the unsaved note is on disk in the pack, so its absence from the hand-in means
    something."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        drafts = pack / "drafts"
        if drafts.is_dir() and any(marker in p.read_text(encoding="utf-8")
                                   for p in drafts.rglob("*.yaml")):  # fmt: skip
            return
        time.sleep(0.25)  # polling the file the kernel writes
    pytest.fail(f"no draft with the unsaved note in {pack / 'drafts'}")


def hand_in_and_collect(pack: Path, workspace: Path, marker: str, tmp: Path) -> None:
    """`coach hand-in --zip` (what a coachee off a hub sends), then `coach collect` of it
    into the coach's workspace: one new self-assessment, checked, and no unsaved text."""
    handed = tmp / "priya-back.zip"
    assert main(["hand-in", str(pack), "--zip", str(handed)]) == 0
    with zipfile.ZipFile(handed) as archive:
        names = archive.namelist()
        assert not [n for n in names if "/drafts/" in n], names
        for name in names:  # every file of the handed-back zip, unpacked
            assert marker.encode() not in archive.read(name), name
    assert marker.encode() not in handed.read_bytes()
    before = load_journal(Workspace(workspace), coachee=PRIYA).reviews
    report = collect(Workspace(workspace), [handed], registry=registry_for(workspace))
    assert report.count(IMPORTED) == 1 and not report.refused, report.outcomes
    after = load_journal(Workspace(workspace), coachee=PRIYA).reviews
    (new,) = [r for r in after if r not in before]
    assert (new.role, new.author, new.framework, new.part) == ("self", PRIYA, CEP, "customer")
    assert [(a.skill, a.level, a.note, a.criteria_met) for a in new.assessments] == [(
        "strategy", 2, NOTE,
        ("Know what the strategy is for the team and department I am working in",),
    )]  # fmt: skip
    for path in Path(workspace).rglob("*"):
        if path.is_file():
            assert marker.encode() not in path.read_bytes(), path


def test_a_skills_pack_in_jupyterlab_saved_handed_in_and_collected(lab, page, tmp_path):
    marker = "never-saved-lab-4d2f"
    pack = make_pack(Workspace(lab.workspace), coachee=PRIYA, framework=CEP,
                     to=lab.root / "priya-skills-pack").path  # fmt: skip
    lab.open(page, "priya-skills-pack/reflection.ipynb")
    code_cells = page.locator(".jp-CodeCell")
    assert page.locator(".jp-CodeCell .jp-InputPlaceholder").count() == code_cells.count() >= 5
    lab.run_all(page)
    page.get_by_text("Your latest ratings: Engineering").first.wait_for()
    fill_the_form(page, marker)
    wait_for_draft(pack, marker)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "coachee-skills-pack.png"), full_page=False)
    hand_in_and_collect(pack, lab.workspace, marker, tmp_path)


@pytest.fixture
def skills_page(tmp_path, browser):
    from coachlib.demo.workspace import build_demo_journal

    build_demo_journal(tmp_path / "coaching")
    pack = make_pack(Workspace(tmp_path / "coaching"), coachee=PRIYA, framework=CEP,
                     to=tmp_path / "priya-pack").path  # fmt: skip
    port = free_port()
    command, env = voila_command(pack, port=port, browser=False)
    env["JUPYTER_RUNTIME_DIR"] = str(tmp_path / "runtime")
    log = tmp_path / "voila.log"
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=pack, env=env, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(url, timeout=30).read()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"Voilà did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.25)  # polling until the server answers
    try:
        yield url, pack, tmp_path / "coaching"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def test_a_skills_pack_as_a_page_offline_saved_handed_in_and_collected(browser, skills_page,
                                                                       tmp_path):  # fmt: skip
    url, pack, workspace = skills_page
    marker = "never-saved-page-81c3"
    context, outside = offline_context(browser, viewport={"width": 1200, "height": 1800})
    page = context.new_page()
    page.set_default_timeout(120_000)
    try:
        page.goto(url)
        page.get_by_role("button", name="Save review").wait_for()
        assert "Your latest ratings: Engineering" in page.locator("body").inner_text()
        assert "SkillsReflectionSession" not in page.content()  # no code on the page
        fill_the_form(page, marker)
        wait_for_draft(pack, marker)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "coachee-skills-page.png"), full_page=False)
        assert outside == [], outside  # not one request left this machine
    finally:
        context.close()
    hand_in_and_collect(pack, workspace, marker, tmp_path)


def test_a_skills_pack_filled_in_together_live(browser, tmp_path):
    """`coach serve --collaborate` on a skills pack: the coach, joining by the link, picks
    the level, ticks a criterion and writes the note; the coachee sees it and saves once;
    one record, which the coach then collects."""
    import importlib.util

    from tests.browser.test_together import PACK_FILES, coach_serve, open_link
    from tests.browser_support import missing

    if importlib.util.find_spec("jupyter_collaboration") is None:
        missing("jupyter-collaboration is not installed (pip install -e '.[collaborate]')")
    from coachlib.demo.workspace import build_demo_journal

    workspace = tmp_path / "coaching"
    build_demo_journal(workspace)
    pack = make_pack(Workspace(workspace), coachee=PRIYA, framework=CEP,
                     to=tmp_path / "priya-pack").path  # fmt: skip
    before = len(load_journal(Workspace(pack)).reviews)
    with coach_serve(pack, tmp_path / "home") as lab:
        coachee = browser.new_context(viewport={"width": 1300, "height": 1800}).new_page()
        coach = browser.new_context(viewport={"width": 1300, "height": 1800}).new_page()
        try:
            for page in (coachee, coach):
                page.set_default_timeout(60_000)
            open_link(coachee, lab.link)
            lab.run_all(coachee)
            coachee.get_by_text("Your latest ratings: Engineering").first.wait_for()
            coachee.get_by_label("Part").select_option(label="Customer (group, 3 skills)")
            open_link(coach, lab.link)
            strategy = {
                name: page.locator(".widget-vbox")
                .filter(has=page.locator("strong", has_text=re.compile("^Strategy$")))
                .last
                for name, page in (("coachee", coachee), ("coach", coach))
            }
            strategy["coach"].locator(".widget-toggle-button").filter(
                has_text=re.compile("^2 · Follow$")
            ).click()
            strategy["coach"].get_by_label(
                re.compile("^Know what the strategy is for the team")
            ).check()
            strategy["coach"].get_by_label("Note").fill(NOTE)
            seen = strategy["coachee"].get_by_label("Note")
            coachee.wait_for_function("([el, text]) => el.value === text",
                                      arg=[seen.element_handle(), NOTE])  # fmt: skip
            from playwright.sync_api import expect

            expect(
                strategy["coachee"].get_by_label(
                    re.compile("^Know what the strategy is for the team")
                )
            ).to_be_checked()
            coachee.get_by_role("button", name="Save review").click()
            for page in (coachee, coach):
                page.get_by_text(re.compile(r"Saved 1 rating\(s\) in 1 record\(s\)")).wait_for()
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            coach.screenshot(path=str(ARTIFACTS / "together-skills-coach.png"), full_page=False)
        finally:
            coachee.context.close()
            coach.context.close()
    assert len(load_journal(Workspace(pack)).reviews) == before + 1
    assert {p.name for p in pack.iterdir()} <= PACK_FILES, sorted(p.name for p in pack.iterdir())
    hand_in_and_collect(pack, workspace, "no-marker-typed-here", tmp_path)
