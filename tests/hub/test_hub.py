"""A coaching practice on a real JupyterHub: one coach, two coachees, the walls between them.

The coach logs in and hands packs out from the home notebook; each coachee logs in, finds
only their own pack, fills in the form and hands it in; the coach collects both. Then the
walls: a coachee's kernel cannot read the other coachee's pack, hand-ins or the coach's
journal; another coachee's cookie does not open a coachee's server; a coachee can share
their server with their coach only, never by code or with a group, and a coach never; a
revoked share stops working once the server's cache of the hub's answer expires.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from tests.browser_support import ARTIFACTS
from tests.hub.hub_server import Hub, Person, running_hub
from tests.lab_server import KERNEL_IDLE

ENSEMBLE = "Competence Milestones for Ensemble Facilitation"


@pytest.fixture(scope="module")
def hub(browser) -> Hub:
    try:
        with running_hub(ARTIFACTS / "hub") as server:
            yield server
    except RuntimeError as exc:
        pytest.fail(str(exc))


def log_in(browser, hub: Hub, person: Person):
    """A browser context logged in as ``person``, on the page the hub starts them at."""
    context = browser.new_context(viewport={"width": 1300, "height": 1800})
    page = context.new_page()
    page.set_default_timeout(90_000)
    page.goto(f"{hub.url}/hub/login")
    page.fill("#username_input", person.user)
    page.fill("#password_input", person.password)
    page.click("#login_submit")
    page.wait_for_url(re.compile(rf"/user/{re.escape(person.user)}/lab"), timeout=120_000)
    return context, page


def wait_kernel(page) -> None:
    page.wait_for_function(
        "document.querySelector('#jp-main-statusbar') && "
        f"/{KERNEL_IDLE}/.test(document.querySelector('#jp-main-statusbar').innerText)",
        timeout=120_000,
    )


def open_notebook(page, hub: Hub, person: Person, path: str) -> None:
    """Open a notebook alone, in a fresh JupyterLab workspace (no tabs restored from before),
    and wait until its kernel is idle."""
    layout = secrets.token_hex(6)
    page.goto(f"{hub.url}/user/{person.user}/lab/workspaces/{layout}/tree/{path}?reset")
    wait_kernel(page)


def run_all(page) -> None:
    """Run ▸ Run All Cells, as a person does, then until no cell is queued or running."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile("^Run$")).click()
    page.locator(".lm-Menu-item[data-command='runmenu:run-all']").click()
    page.wait_for_function(
        "![...document.querySelectorAll('.jp-InputArea-prompt')]"
        ".some(p => p.textContent.includes('*'))",
        timeout=120_000,
    )
    wait_kernel(page)


def section(page, title: str):
    return page.locator(".widget-vbox").filter(has=page.get_by_text(title)).last


@dataclass
class Answer:
    status: int
    body: str

    def text(self) -> str:
        return self.body


def api(page, hub: Hub, method: str, path: str, body: dict | None = None) -> Answer:
    """The hub's REST API as the person logged in on ``page``, called the way the hub's own
    pages call it: ``fetch`` from a hub page, with the XSRF token the hub gives them."""
    page.goto(f"{hub.url}/hub/home")
    answer = page.evaluate(
        """async ({url, method, body}) => {
            const reply = await fetch(url, {method, body, headers: {
                'X-XSRFToken': window.jhdata.xsrf_token, 'Content-Type': 'application/json'}});
            return {status: reply.status, body: await reply.text()};
        }""",
        {"url": f"{hub.url}/hub/api/{path}", "method": method,
         "body": json.dumps(body) if body is not None else None},
    )  # fmt: skip
    return Answer(answer["status"], answer["body"])


def refused(answer, because: str) -> bool:
    """Refused by our rule (not for want of credentials): 403 with our reason."""
    return answer.status == 403 and because in answer.text()


def run_in_kernel(page, hub: Hub, person: Person, name: str, code: str) -> str:
    """Run ``code`` in a notebook of ``person``'s own (their kernel, as their Unix user,
    with their server's environment) and return what it printed."""
    kernel = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    notebook = nbformat.v4.new_notebook(metadata={"kernelspec": kernel})
    notebook.cells = [nbformat.v4.new_code_cell(code)]
    path = person.home / f"{name}.ipynb"
    nbformat.write(notebook, path)
    shutil.chown(path, person.user, person.user)
    open_notebook(page, hub, person, path.name)
    run_all(page)
    output = page.locator(".jp-OutputArea-output:visible").first  # this notebook, not a tab behind
    output.wait_for()
    return output.inner_text()


def journal_records(hub: Hub, coachee: Person) -> list[Path]:
    folder = hub.coach.home / "coaching" / "journal"
    return sorted(p for p in folder.glob("*/*.yaml")
                  if f"coachee: {coachee.name}" in p.read_text())  # fmt: skip


def test_hand_out_fill_in_hand_in_collect_through_the_hub(hub, browser):
    ada, bo = hub.coachees
    coach_context, coach = log_in(browser, hub, hub.coach)
    wait_kernel(coach)  # the coach starts on their home notebook
    run_all(coach)
    packs = section(coach, "Make a reflection pack")
    for person in (ada, bo):
        packs.get_by_label("Coachee").select_option(label=person.name)
        packs.get_by_label("Track").select_option(label=ENSEMBLE)
        packs.get_by_role("button", name="Make the pack").click()
        coach.locator(".coach-ok", has_text=f"Pack for {person.name} handed out").wait_for()
    coach.screenshot(path=str(ARTIFACTS / "hub" / "coach-handed-out.png"))

    for person, evidence in ((ada, "Ada ran the retro."), (bo, "Bo taught TDD.")):
        context, page = log_in(browser, hub, person)
        mine = sorted(p.name for p in (person.home / "packs").iterdir())
        assert len(mine) == 1 and mine[0].startswith(person.name.lower().replace(" ", "-"))
        listing = page.request.get(f"{hub.url}/user/{person.user}/api/contents/packs").json()
        assert [item["name"] for item in listing["content"]] == mine
        open_notebook(page, hub, person, f"packs/{mine[0]}/reflection.ipynb")
        run_all(page)
        page.locator(".widget-toggle-button").filter(has_text=re.compile("^2 · ")).click()
        page.get_by_label("Evidence").fill(evidence)
        page.get_by_role("button", name="Save review").click()
        page.get_by_text(re.compile(r"Saved \(1 saved in this session\)")).wait_for()
        page.get_by_role("button", name="Hand in").click()
        page.locator(".coach-ok", has_text="Handed in").wait_for()
        page.screenshot(path=str(ARTIFACTS / "hub" / f"{person.user}-handed-in.png"))
        context.close()

    before = {person.user: len(journal_records(hub, person)) for person in (ada, bo)}
    section(coach, "Collect the packs").get_by_role("button", name="Collect them").click()
    coach.locator(".coach-ok", has_text="2 record(s) imported").wait_for()
    coach.screenshot(path=str(ARTIFACTS / "hub" / "coach-collected.png"))
    for person, evidence in ((ada, "Ada ran the retro."), (bo, "Bo taught TDD.")):
        records = journal_records(hub, person)
        assert len(records) == before[person.user] + 1
        assert any(evidence in path.read_text() for path in records)
    coach_context.close()


PROBE = """
import json, os
def attempt(path):
    try:
        if path.endswith('/'):
            os.listdir(path)
        else:
            open(path, 'rb').read(1)
        return 'READ'
    except OSError as exc:
        return type(exc).__name__
print('WALLS ' + json.dumps({name: attempt(path) for name, path in PATHS.items()}))
"""


def test_a_coachees_kernel_cannot_read_anybody_elses_work(hub, browser):
    """Code in Ada's own kernel: Bo's pack, Bo's exchange folder and hand-in, and the
    coach's journal all raise PermissionError (files that exist: checked as root)."""
    ada, bo = hub.coachees
    hub.ensure_handed_in()
    bo_pack = next((bo.home / "packs").iterdir())
    bo_inbound = next((hub.exchange / bo.user / "inbound").iterdir())
    coach_record = next((hub.coach.home / "coaching" / "journal").glob("*/.*"))
    paths = {
        "bo's pack": str(bo_pack / "reflection.ipynb"),
        "bo's packs folder": f"{bo.home}/packs/",
        "bo's exchange folder": f"{hub.exchange / bo.user}/",
        "bo's hand-in": str(bo_inbound),
        "the coach's journal": f"{hub.coach.home}/coaching/journal/",
        "a file in the coach's journal": str(coach_record),
    }
    for path in paths.values():
        assert Path(path).exists(), path
    context, page = log_in(browser, hub, ada)
    output = run_in_kernel(page, hub, ada, "walls", f"PATHS = {paths!r}\n" + PROBE)
    results = json.loads(output.split("WALLS ", 1)[1])
    assert results == dict.fromkeys(paths, "PermissionError"), results
    own = page.request.get(f"{hub.url}/user/{ada.user}/api/contents/packs")
    assert own.status == 200
    context.close()


def test_another_coachees_cookie_does_not_open_a_coachees_server(hub, browser):
    ada, bo = hub.coachees
    context, _page = log_in(browser, hub, bo)
    theirs = context.request.get(f"{hub.url}/user/{ada.user}/api/contents/packs",
                                 max_redirects=0)  # fmt: skip
    assert theirs.status in (302, 403), theirs.status
    lab = context.request.get(f"{hub.url}/user/{ada.user}/lab")  # the whole OAuth dance
    assert lab.status == 403, lab.status
    assert "reflection" not in lab.text()
    # Bo's own server cookie, renamed for Ada's server, is Bo's token: still refused.
    mine = next(c for c in context.cookies() if c["name"] == f"jupyterhub-user-{bo.user}")
    context.add_cookies([{**mine, "name": f"jupyterhub-user-{ada.user}",
                          "path": f"/user/{ada.user}/"}])  # fmt: skip
    forged = context.request.get(f"{hub.url}/user/{ada.user}/api/contents/packs",
                                 max_redirects=0)  # fmt: skip
    assert forged.status in (302, 403), forged.status
    context.close()


def test_sharing_reaches_the_coach_only_and_a_revoked_share_stops(hub, browser):
    ada, bo = hub.coachees
    ada_context, ada_page = log_in(browser, hub, ada)
    coach_context, coach = log_in(browser, hub, hub.coach)
    server = f"{hub.url}/user/{ada.user}"
    share = f"shares/{ada.user}/"

    assert refused(api(ada_page, hub, "POST", share, {"user": bo.user}), "with their coach")
    assert refused(api(ada_page, hub, "POST", share, {"group": "coaches"}), "with a group")
    assert refused(api(ada_page, hub, "POST", f"share-codes/{ada.user}/", {}), "share codes")
    accept = ada_page.request.get(f"{hub.url}/hub/accept-share?code=anything")
    assert accept.status == 403
    by_coach = api(coach, hub, "POST", f"shares/{hub.coach.user}/", {"user": ada.user})
    assert by_coach.status == 403, by_coach.text()

    assert coach.request.get(f"{server}/lab").status == 403  # not shared yet
    said = run_in_kernel(ada_page, hub, ada, "live", "import subprocess\n"
                         "print(subprocess.run(['coach', 'live'], capture_output=True, "
                         "text=True).stdout)")  # fmt: skip
    assert f"shared with your coach, {hub.coach.user}" in said
    coach.goto(f"{server}/lab")  # the hub asks the coach to authorize access, once
    coach.get_by_role("button", name=re.compile("Authorize")).click()
    coach.wait_for_url(re.compile(rf"/user/{re.escape(ada.user)}/lab"))
    assert coach.request.get(f"{server}/api/contents/packs").status == 200

    said = run_in_kernel(ada_page, hub, ada, "stop", "import subprocess\n"
                         "print(subprocess.run(['coach', 'live', '--stop'], "
                         "capture_output=True, text=True).stdout)")  # fmt: skip
    assert "no longer shared" in said
    started = time.monotonic()
    while coach.request.get(f"{server}/api/contents/packs").status == 200:
        assert time.monotonic() - started < 60, "a revoked share still worked after 60 s"
        time.sleep(0.5)  # polling for the event: the share's end reaching the server
    print(f"revoked share stopped working after {time.monotonic() - started:.1f} s")
    ada_context.close()
    coach_context.close()
