"""A coachee's pack as a page without code (Voilà, `coach open`): offline, no code on it,
and a save lands in the pack."""

from __future__ import annotations

import re
import subprocess
from urllib.parse import urlparse

import pytest

from coachlib.export.share import make_pack
from coachlib.serve.voila_page import voila_command
from coachlib.store.journal import load_journal
from coachlib.store.workspace import Workspace
from tests.browser_support import ARTIFACTS
from tests.lab_server import free_port, stop_group, wait_until_answers

LOCAL = {"127.0.0.1", "localhost"}


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
    context = browser.new_context(viewport={"width": 1200, "height": 1800})
    outside: list[str] = []

    def only_this_machine(route) -> None:
        host = urlparse(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host in LOCAL:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_this_machine)
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
