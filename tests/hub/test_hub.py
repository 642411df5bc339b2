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
import os
import re
import secrets
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import nbformat
import pytest

from tests.browser_support import ARTIFACTS, REPO
from tests.hub.hub_server import TEST_ENV, Hub, Person, running_hub
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
    page.goto(f"{hub.server_url(person)}lab/workspaces/{layout}/tree/{path}?reset")
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
        listing = page.request.get(f"{hub.server_url(person)}api/contents/packs").json()
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
    """Code in Ada's own kernel: Bo's pack, Bo's exchange folder and hand-in, the list of
    everybody's exchange folders, and the coach's journal all raise PermissionError (files
    that exist: checked as root)."""
    ada, bo = hub.coachees
    hub.ensure_handed_in()
    bo_pack = next((bo.home / "packs").iterdir())
    bo_inbound = next((hub.exchange / bo.user / "inbound").iterdir())
    coach_record = next((hub.coach.home / "coaching" / "journal").glob("*/.*"))
    paths = {
        "bo's pack": str(bo_pack / "reflection.ipynb"),
        "bo's packs folder": f"{bo.home}/packs/",
        "bo's exchange folder": f"{hub.exchange / bo.user}/",
        "the exchange's root (who is coached)": f"{hub.exchange}/",
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
    own = page.request.get(f"{hub.server_url(ada)}api/contents/packs")
    assert own.status == 200
    context.close()


def test_another_coachees_cookie_does_not_open_a_coachees_server(hub, browser):
    ada, bo = hub.coachees
    context, _page = log_in(browser, hub, bo)
    theirs = context.request.get(f"{hub.server_url(ada)}api/contents/packs",
                                 max_redirects=0)  # fmt: skip
    assert theirs.status in (302, 403), theirs.status
    lab = context.request.get(f"{hub.server_url(ada)}lab")  # the whole OAuth dance
    assert lab.status == 403, lab.status
    assert "reflection" not in lab.text()
    # Bo's own server cookie, renamed for Ada's server, is Bo's token: still refused.
    mine = next(c for c in context.cookies() if c["name"].endswith(f"jupyterhub-user-{bo.user}"))
    target = urlsplit(hub.server_url(ada))
    path = "/" if mine["name"].startswith("__Host-") else target.path
    context.add_cookies([{**mine, "name": mine["name"].replace(bo.user, ada.user),
                          "domain": target.hostname, "path": path}])  # fmt: skip
    forged = context.request.get(f"{hub.server_url(ada)}api/contents/packs",
                                 max_redirects=0)  # fmt: skip
    assert forged.status in (302, 403), forged.status
    context.close()


def test_sharing_reaches_the_coach_only_and_a_revoked_share_stops(hub, browser):
    ada, bo = hub.coachees
    ada_context, ada_page = log_in(browser, hub, ada)
    coach_context, coach = log_in(browser, hub, hub.coach)
    server = hub.server_url(ada).rstrip("/")
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


def test_the_work_together_button_lets_the_coach_in_and_stop_ends_it(hub, browser):
    """No terminal for a coachee: Work together with my coach in the reflection notebook,
    the coach finds the server in their home notebook and opens it, Stop ends it."""
    ada = hub.coachees[0]
    hub.ensure_handed_in()
    pack = next((ada.home / "packs").iterdir())
    ada_context, ada_page = log_in(browser, hub, ada)
    open_notebook(ada_page, hub, ada, f"packs/{pack.name}/reflection.ipynb")
    run_all(ada_page)
    ada_page.get_by_role("button", name="Work together with my coach").click()
    ada_page.locator(".coach-ok", has_text="can now open your server").wait_for()

    coach_context, coach = log_in(browser, hub, hub.coach)
    wait_kernel(coach)  # the coach starts on their home notebook
    run_all(coach)
    shared = section(coach, "Work together: servers shared with you")
    shared.get_by_role("button", name="Look").click()
    link = shared.locator("a", has_text="open their JupyterLab")
    link.wait_for()
    assert ada.user in shared.inner_text()
    href = link.get_attribute("href")
    assert href.startswith(hub.server_url(ada)), href
    visit = coach_context.new_page()
    visit.set_default_timeout(120_000)
    open_shared(visit, href)
    server = hub.server_url(ada)
    assert in_page(visit, f"{server}api/contents/packs").status == 200

    ada_page.get_by_role("button", name="Stop").click()
    ada_page.locator(".coach-ok", has_text="can no longer open").wait_for()
    started = time.monotonic()
    while in_page(visit, f"{server}api/contents/packs").status == 200:
        assert time.monotonic() - started < 60, "the coach still got in 60 s after Stop"
        time.sleep(0.5)  # polling for the event: the share's end reaching the server
    ada_context.close()
    coach_context.close()


# -- one origin per person: what a coachee serves never acts as their coach ----------------

TAKEOVER = """
(function () {
  const COACH = %(coach)s, COACH_SERVER = %(server)s;
  const result = {ran: location.href};
  const peek = (url) => new Promise((resolve) => {
    const win = window.open(url, "_blank");
    if (!win) { resolve("no window"); return; }
    let tries = 0;
    const timer = setInterval(() => {
      tries += 1;
      try {
        const doc = win.document;
        if (doc.readyState === "complete" && win.location.href !== "about:blank") {
          clearInterval(timer);
          const text = doc.body ? doc.body.innerText : "";
          win.close();
          resolve("READ " + text.slice(0, 400));
        }
      } catch (error) { clearInterval(timer); win.close(); resolve("blocked " + error.name); }
      if (tries > 300) { clearInterval(timer); win.close(); resolve("no answer"); }
    }, 100);
  });
  const send = async (url, options) => {
    try {
      const reply = await fetch(url, options);
      if (reply.type === "opaque") { return "opaque"; }
      return reply.status + " " + (await reply.text()).slice(0, 400);
    } catch (error) { return "blocked " + error.name; }
  };
  window._JUPYTERLAB = window._JUPYTERLAB || {};
  window._JUPYTERLAB["coach-takeover"] = {
    init: () => Promise.resolve(),
    get: () => Promise.resolve(() => ({
      id: "coach-takeover:plugin",
      autoStart: true,
      activate: () => { (async () => {
        result.samePath = await peek(
          location.origin + "/user/" + COACH + "/api/contents/coaching/journal");
        result.coachOrigin = await peek(COACH_SERVER + "api/contents/coaching/journal");
        result.read = await send(
          COACH_SERVER + "api/contents/coaching/journal", {credentials: "include"});
        const xsrf = (document.cookie.match(/_xsrf=([^;]+)/) || [])[1] || "";
        result.kernel = await send(COACH_SERVER + "api/kernels", {
          method: "POST", credentials: "include", body: "{}",
          headers: {"X-XSRFToken": xsrf, "Content-Type": "application/json"}});
        result.kernelNoCors = await send(COACH_SERVER + "api/kernels?_xsrf=" + xsrf, {
          method: "POST", mode: "no-cors", credentials: "include", body: "{}"});
        result.done = true;
        window.__takeover = result;
      })(); },
    })),
  };
})();
"""


def install_extension(person: Person, script: str) -> Path:
    """A JupyterLab extension in the person's own data folder, as any user may drop one
    (no admin, no restart): a package.json and the script JupyterLab loads."""
    folder = person.home / ".local" / "share" / "jupyter" / "labextensions" / "coach-takeover"
    (folder / "static").mkdir(parents=True, exist_ok=True)
    (folder / "package.json").write_text(json.dumps({
        "name": "coach-takeover", "version": "0.1.0",
        "jupyterlab": {"_build": {"load": "static/remoteEntry.js", "extension": "./extension"}},
    }))  # fmt: skip
    (folder / "static" / "remoteEntry.js").write_text(script)
    subprocess.run(["chown", "-R", f"{person.user}:", str(person.home / ".local")], check=True)
    return folder


def in_page(page, url: str, method: str = "GET") -> Answer:
    """``fetch`` from a page already on ``url``'s origin, with that page's cookies (a
    redirect is status 0, a failed request -1)."""
    answer = page.evaluate(
        """async ({url, method}) => {
            const xsrf = (document.cookie.match(/_xsrf=([^;]+)/) || [])[1] || "";
            try {  // a redirect (to the hub's login, say) is an answer too: status 0
                const reply = await fetch(url, {method, redirect: "manual",
                                                headers: {"X-XSRFToken": xsrf}});
                return {status: reply.status, body: await reply.text()};
            } catch (error) {
                return {status: -1, body: String(error)};
            }
        }""",
        {"url": url, "method": method},
    )
    return Answer(answer["status"], answer["body"])


def open_shared(page, url: str) -> None:
    """Open a server shared with this person: the hub asks them to authorize it once."""
    page.goto(url)
    authorize = page.get_by_role("button", name=re.compile("Authorize"))
    lab = page.locator("#jp-main-dock-panel")
    authorize.or_(lab).first.wait_for(timeout=120_000)
    if authorize.is_visible():
        authorize.click()
    lab.wait_for(timeout=120_000)


def test_a_coachees_extension_cannot_read_or_run_anything_as_their_coach(hub, browser):
    """The probe's attack: Ada drops an extension into her own Jupyter data folder and
    shares her server; her coach opens it. The script runs in the coach's browser, but on
    Ada's origin: the coach's server is another origin, so nothing of it is readable, and
    no kernel starts as the coach."""
    ada = hub.coachees[0]
    hub.ensure_handed_in()  # the coach's journal holds records of both coachees
    coach_context, coach = log_in(browser, hub, hub.coach)
    coach_server = hub.server_url(hub.coach)
    kernels = in_page(coach, f"{coach_server}api/kernels")
    assert kernels.status == 200, kernels
    journal = in_page(coach, f"{coach_server}api/contents/coaching/journal")
    secrets_of_the_coach = [item["name"] for item in json.loads(journal.body)["content"]]
    assert secrets_of_the_coach, journal  # what the attack would take, were it to work
    script = TAKEOVER % {"coach": json.dumps(hub.coach.user), "server": json.dumps(coach_server)}
    extension = install_extension(ada, script)
    ada_context, ada_page = log_in(browser, hub, ada)
    try:
        assert api(ada_page, hub, "POST", f"shares/{ada.user}/", {"user": hub.coach.user}
                   ).status == 200  # fmt: skip
        victim = coach_context.new_page()
        victim.set_default_timeout(120_000)
        open_shared(victim, f"{hub.server_url(ada)}lab")
        victim.wait_for_function("window.__takeover && window.__takeover.done")
        result = victim.evaluate("window.__takeover")
    finally:
        shutil.rmtree(extension, ignore_errors=True)
        api(ada_page, hub, "DELETE", f"shares/{ada.user}/")
    print("the extension's attempts:", json.dumps(result, indent=1))
    assert result["ran"].startswith(hub.server_url(ada)), result  # it did run, on Ada's origin
    said = json.dumps(result)
    assert not [name for name in secrets_of_the_coach if name in said], said
    for attempt in ("samePath", "coachOrigin", "read"):
        assert not result[attempt].startswith(("READ {", "200")), result
    assert not result["kernel"].startswith("201") and result["kernelNoCors"] != "201", result
    after = in_page(coach, f"{coach_server}api/kernels")
    assert [k["id"] for k in json.loads(after.body)] == [
        k["id"] for k in json.loads(kernels.body)
    ], "a kernel was started as the coach"
    ada_context.close()
    coach_context.close()


PLANTED = "window.__planted = (window.__planted || []).concat"


def planted_notebook() -> nbformat.NotebookNode:
    """Everything a coachee can save into a notebook's Markdown and outputs that could run
    script in a browser: HTML, SVG, Markdown, JavaScript, a widget's saved state."""

    def script(tag: str) -> str:
        return f"<script>{PLANTED}('{tag}')</script>"

    def img(tag: str) -> str:
        return f'<img src="x-{tag}" onerror="{PLANTED}(&quot;{tag}&quot;)">'

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell(
            f"# Planted\n\n{script('markdown-script')}\n\n{img('markdown-img')}"
        ),
        nbformat.v4.new_code_cell(
            "print('planted')",
            execution_count=1,
            outputs=[
                nbformat.v4.new_output(
                    "display_data",
                    data={
                        "text/html": f"<b>html</b>{script('html-script')}{img('html-img')}",
                        "text/plain": "html",
                    },
                ),
                nbformat.v4.new_output(
                    "display_data",
                    data={
                        "image/svg+xml": '<svg xmlns="http://www.w3.org/2000/svg" onload="'
                        f"{PLANTED}('svg-onload')\">{script('svg-script')}</svg>",
                        "text/plain": "svg",
                    },
                ),
                nbformat.v4.new_output(
                    "display_data",
                    data={"application/javascript": f"{PLANTED}('javascript')", "text/plain": "js"},
                ),
                nbformat.v4.new_output(
                    "display_data",
                    data={
                        "text/markdown": f"markdown output {img('markdown-output')}",
                        "text/plain": "md",
                    },
                ),
                nbformat.v4.new_output(
                    "display_data",
                    data={
                        "application/vnd.jupyter.widget-view+json": {
                            "model_id": "0" * 32,
                            "version_major": 2,
                            "version_minor": 0,
                        },
                        "text/plain": "HTML(value=...)",
                    },
                ),
            ],
        ),
    ]
    widget = {"model_module": "@jupyter-widgets/controls", "model_module_version": "2.0.0"}
    base = {"model_module": "@jupyter-widgets/base", "model_module_version": "2.0.0"}
    notebook.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {
        "version_major": 2, "version_minor": 0, "state": {
            "0" * 32: {**widget, "model_name": "HTMLModel", "state": {
                "value": img("widget-html"), "layout": "IPY_MODEL_" + "1" * 32,
                "style": "IPY_MODEL_" + "2" * 32}},
            "1" * 32: {**base, "model_name": "LayoutModel", "state": {}},
            "2" * 32: {**widget, "model_name": "HTMLStyleModel", "state": {}},
        }}}  # fmt: skip
    return notebook


def test_what_a_coachee_saves_in_a_notebook_runs_nothing_in_their_coachs_browser(hub, browser):
    ada = hub.coachees[0]
    path = ada.home / "planted.ipynb"
    nbformat.write(planted_notebook(), path)
    shutil.chown(path, ada.user, ada.user)
    ada_context, ada_page = log_in(browser, hub, ada)
    coach_context, coach = log_in(browser, hub, hub.coach)
    try:
        assert api(ada_page, hub, "POST", f"shares/{ada.user}/", {"user": hub.coach.user}
                   ).status == 200  # fmt: skip
        coach.set_default_timeout(120_000)
        layout = secrets.token_hex(6)
        open_shared(coach, f"{hub.server_url(ada)}lab/workspaces/{layout}/tree/{path.name}?reset")
        coach.locator(".jp-RenderedMarkdown h1", has_text="Planted").wait_for()
        coach.locator(".jp-OutputArea-output").nth(3).wait_for()
        # every image that could call a handler has loaded or failed (its error fired)
        coach.wait_for_function(
            "[...document.querySelectorAll('.jp-RenderedMarkdown img, .jp-OutputArea img')]"
            ".filter(i => i.complete).length >= 3"
        )
        coach.screenshot(path=str(ARTIFACTS / "hub" / "coach-planted.png"))
        assert coach.evaluate("window.__planted === undefined"), coach.evaluate("window.__planted")
    finally:
        api(ada_page, hub, "DELETE", f"shares/{ada.user}/")
    ada_context.close()
    coach_context.close()


# -- the hub's life: a restart keeps people's work, a removed person is gone ---------------


def server_pids(person: Person) -> list[str]:
    found = subprocess.run(["pgrep", "-u", person.user, "-f", "jupyterhub-singleuser"],
                           capture_output=True, text=True, check=False)  # fmt: skip
    return sorted(found.stdout.split())


def test_a_hub_restart_leaves_peoples_servers_running(hub, browser):
    ada = hub.coachees[0]
    context, page = log_in(browser, hub, ada)
    running = server_pids(ada)
    assert running
    started = time.monotonic()
    hub.stop()
    stopped = time.monotonic() - started
    assert server_pids(ada) == running  # the hub is down; Ada's server is not
    hub.start()
    print(f"hub stopped in {stopped:.1f} s, up again after {time.monotonic() - started:.1f} s")
    assert server_pids(ada) == running
    page.goto(f"{hub.server_url(ada)}lab")
    assert in_page(page, f"{hub.server_url(ada)}api/contents/packs").status == 200
    context.close()


def test_a_removed_person_is_gone_and_their_old_token_reaches_nobody(hub, browser):
    """`remove` while the person's server runs: their hub record goes (their token, their
    cookie), their server stops, and a new person given the same name is out of reach."""
    bo = hub.coachees[1]
    old_context, page = log_in(browser, hub, bo)
    made = api(page, hub, "POST", f"users/{bo.user}/tokens", {"note": "kept by bo"})
    assert made.status in (200, 201), made.body
    token = json.loads(made.body)["token"]
    assert hub.call("GET", "user", token) == 200
    running = server_pids(bo)
    assert running
    started = time.monotonic()
    hub.tool("remove", bo.user)
    print(f"removed with their server running in {time.monotonic() - started:.1f} s")
    assert hub.call("GET", "user", token) == 403
    states = subprocess.run(["ps", "-o", "stat=", "-p", ",".join(running)],
                            capture_output=True, text=True).stdout.split()  # fmt: skip
    assert all(state.startswith("Z") for state in states), "their server still runs"

    bo.password = secrets.token_urlsafe(12)  # somebody new, with the old name
    hub.tool("add-coachee", bo.user, "--coach", hub.coach.user, "--name", bo.name,
             "--password-stdin", stdin=bo.password + "\n")  # fmt: skip
    new_context, _page = log_in(browser, hub, bo)
    assert hub.call("GET", f"users/{bo.user}", token) == 403
    assert hub.call("POST", f"users/{bo.user}/server", token) == 403
    stale = old_context.new_page()
    stale.goto(f"{hub.url}/hub/home")
    assert "/hub/login" in stale.url, stale.url  # the old login cookie opens nothing
    new_context.close()
    old_context.close()


def test_the_proxy_runs_on_the_node_debian_12_ships(hub):
    """The README tells an admin to install Debian 12's nodejs (18): the pinned proxy
    declares it runs there, and here it does."""
    pid = (hub.root / "hub" / "jupyterhub-proxy.pid").read_text().strip()
    node = os.readlink(f"/proc/{pid}/exe")
    version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout
    assert version.startswith("v18."), (node, version)
    lock = json.loads((REPO / "package-lock.json").read_text())["packages"]
    assert lock["node_modules/configurable-http-proxy"]["engines"]["node"] == ">= 18"


RULES_AROUND_ANY_LOGIN = """
import sys
sys.path.insert(0, sys.argv[1])
import coachhub
from jupyterhub.auth import DummyAuthenticator

for login in (DummyAuthenticator, "dummy", "jupyterhub.auth.DummyAuthenticator"):
    wrapped = coachhub.with_coaching_rules(login)
    assert issubclass(wrapped, DummyAuthenticator), wrapped
    assert coachhub.with_coaching_rules(wrapped) is wrapped
    first = [route for route, *_ in wrapped().get_handlers(None)][:4]
    assert first[0] == r"/api/shares/([^/]+)/([^/]*)", first
    assert "/accept-share" in first, first
rules = coachhub.CoachingAuthenticator()
assert rules.members(None, "coachlib-" + sys.argv[2]) >= {sys.argv[2], sys.argv[3]}
print("RULES HOLD")
"""


def test_the_sharing_rules_wrap_any_login(hub):
    """On Kubernetes the login is the chart's: ``with_coaching_rules`` puts the rules in
    front of any Authenticator's handlers (by class, entry point or dotted name)."""
    ada = hub.coachees[0]
    said = subprocess.run(
        [str(TEST_ENV / "bin" / "python"), "-c", RULES_AROUND_ANY_LOGIN,
         str(REPO / "deploy" / "jupyterhub"), ada.user, hub.coach.user],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert "RULES HOLD" in said.stdout, said.stdout + said.stderr
