"""Coach and coachee in one notebook at once: `coach serve PACK --collaborate` with
jupyter-collaboration, two Chromium contexts (two people) on the link it prints."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import ssl
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from coachlib.store.journal import load_journal
from coachlib.store.workspace import Workspace
from tests.browser_support import ARTIFACTS, missing
from tests.lab_server import KERNEL_IDLE, Lab, free_port, stop_group, wait_until_answers

EVIDENCE = "We agreed: I facilitated two retros. Ünïcödé ✓"
CELL_TEXT = "# Notes from our call, typed by Mei"
PACK_FILES = {"README.md", "frameworks", "journal", "pack.yaml", "reflection.ipynb",
              "drafts", ".ipynb_checkpoints"}  # fmt: skip


@contextmanager
def coach_serve(pack: Path, home: Path, *options: str) -> Iterator[Lab]:
    """The real `coach serve --collaborate` on ``pack`` (with ``options``: --ip, TLS); a Lab
    for the link it prints."""
    config = home / "config"
    config.mkdir(parents=True)
    # What a test needs of the server beyond what `coach serve` sets: running as root in CI
    # and the app object for the helpers. Everything else comes from the command itself.
    (config / "jupyter_server_config.json").write_text(
        json.dumps({"ServerApp": {"allow_root": True}, "LabApp": {"expose_app_in_browser": True}})
    )
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(config),
        "JUPYTER_DATA_DIR": str(home / "data"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
    }
    log = home / "serve.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "coachlib.cli", "serve", str(pack), "--collaborate",
             f"--port={free_port()}", "--workspace", str(home / "no-workspace"), *options],
            stdout=subprocess.PIPE, stderr=output, text=True, env=env, start_new_session=True,
        )  # fmt: skip
    try:
        printed = [process.stdout.readline()]
        while "can read and write every file you can" not in printed[-1]:  # the last line
            printed.append(process.stdout.readline())
            assert printed[-1], f"coach serve ended: {printed}\n{log.read_text()[-3000:]}"
        links = [line.strip() for line in printed if line.strip().startswith("http")]
        assert links, f"no link printed: {printed}\n{log.read_text()[-3000:]}"
        link = links[0]
        base, token = link.split("/lab/")[0], link.split("token=")[1]
        unverified = ssl._create_unverified_context()  # the test's own self-signed certificate
        wait_until_answers(f"{base}/api/status?token={token}", process, log,
                           what="coach serve", timeout=90, context=unverified)  # fmt: skip
        lab = Lab(url=base, token=token, root=pack, log=log)
        lab.link = link  # type: ignore[attr-defined]
        lab.printed = printed  # type: ignore[attr-defined]
        yield lab
    finally:
        stop_group(process)


def open_link(page, link: str) -> None:
    """Open the printed link as a person would, and wait for the cells and an idle kernel."""
    page.goto(link)
    page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for(timeout=120_000)
    page.wait_for_function(
        "document.querySelector('#jp-main-statusbar') && "
        f"/{KERNEL_IDLE}/.test(document.querySelector('#jp-main-statusbar').innerText)",
        timeout=120_000,
    )


def shown_code(page) -> list[str]:
    """Code, folded code's first line and cell numbers on show in the notebook."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.jp-NotebookPanel .jp-CodeCell .jp-InputArea,'
                  + '.jp-NotebookPanel .jp-InputPlaceholder, .jp-NotebookPanel .jp-InputPrompt,'
                  + '.jp-NotebookPanel .jp-OutputPrompt')]
           .filter(e => e.getClientRects().length && e.innerText.trim())
           .map(e => e.className + ': ' + e.innerText.trim().slice(0, 60))"""
    )


def form_state(page) -> dict:
    """What this person sees of the form: the chosen milestone, the evidence, the status."""
    return page.evaluate(
        """() => ({
            level: [...document.querySelectorAll('.widget-toggle-button.mod-active')]
                     .map(b => b.textContent.trim()),
            evidence: document.querySelector('.widget-textarea textarea')?.value ?? null,
            saved: [...document.querySelectorAll('.jp-OutputArea-output')]
                     .map(o => o.innerText).join('\\n').match(/Saved \\(\\d+ saved[^)]*\\)/)?.[0]
                     ?? null,
        })"""
    )


def test_coach_and_coachee_fill_in_one_notebook_together(browser, tmp_path):
    if importlib.util.find_spec("jupyter_collaboration") is None:
        missing("jupyter-collaboration is not installed (pip install -e '.[collaborate]')")
    from coachlib.demo.workspace import build_demo_journal
    from coachlib.export.share import make_pack

    workspace = build_demo_journal(tmp_path / "coaching").workspace
    pack = make_pack(workspace, coachee="Mei Chen", framework="samman-ensemble",
                     to=tmp_path / "mei-pack").path  # fmt: skip
    before = len(load_journal(Workspace(pack)).reviews)
    with coach_serve(pack, tmp_path / "home") as lab:
        assert "this machine only" in lab.printed[2] and "ssh -L" in lab.printed[2], lab.printed
        assert "can read and write every file you can" in lab.printed[3], lab.printed
        coachee = browser.new_context(viewport={"width": 1300, "height": 1800}).new_page()
        coach = browser.new_context(viewport={"width": 1300, "height": 1800}).new_page()
        try:
            for page in (coachee, coach):
                page.set_default_timeout(60_000)
            open_link(coachee, lab.link)
            # Trusted as the server's user before it started: its saved outputs (the
            # milestones, the chart, the form) render as they are, for everyone.
            assert coachee.evaluate(
                "() => { const cells = window.jupyterapp.shell.currentWidget.content.model.cells;"
                " return [...Array(cells.length).keys()].map(i => cells.get(i))"
                ".filter(c => c.type === 'code').every(c => c.trusted); }"
            )
            lab.run_all(coachee)
            coachee.get_by_text("Where you stand on").first.wait_for()
            # What a coachee sees is prose, forms and charts: no line of code, no cell
            # number, and no Jupyter news pop-up (its plugin is off in this server).
            assert shown_code(coachee) == []
            assert not coachee.evaluate(
                "window.jupyterapp.hasPlugin('@jupyterlab/apputils-extension:announcements')"
            )
            assert coachee.get_by_text(re.compile("Jupyter news", re.I)).count() == 0

            # The coach joins by the link and sees the live form the coachee's run made.
            open_link(coach, lab.link)
            coach.get_by_text("Where you stand on").first.wait_for()
            coach.locator(".widget-textarea textarea").first.wait_for()

            # Text typed in the notebook by one shows for the other.
            coachee.evaluate("window.jupyterapp.commands.execute('notebook:insert-cell-below')")
            coachee.evaluate("window.jupyterapp.commands.execute('notebook:enter-edit-mode')")
            coachee.keyboard.type(CELL_TEXT)
            coach.wait_for_function(
                "(text) => [...document.querySelectorAll('.jp-Cell .jp-InputArea-editor')]"
                ".some(e => e.innerText.includes(text))",
                arg=CELL_TEXT,
            )

            # The coach picks the milestone and types the evidence; the coachee sees both.
            coach.locator(".widget-toggle-button").filter(has_text=re.compile("^2 · ")).click()
            coach.locator(".widget-textarea textarea").first.click()
            coach.keyboard.type(EVIDENCE)
            coachee.wait_for_function(
                "(text) => document.querySelector('.widget-textarea textarea').value === text",
                arg=EVIDENCE,
            )
            coachee.locator(".widget-toggle-button.mod-active").filter(
                has_text=re.compile("^2 · ")
            ).wait_for()

            # Both press Save at once: one record, and both read "Saved" (the one whose
            # click wrote it is not told "Already saved … nothing changed").
            coachee.get_by_role("button", name="Save review").click()
            coach.get_by_role("button", name="Save review").click()
            for page in (coachee, coach):
                page.get_by_text(re.compile(r"Saved \(1 saved in this session\)")).wait_for()
                page.wait_for_function(  # both clicks answered by the kernel
                    "() => [...document.querySelectorAll('button[aria-busy]')]"
                    ".every(b => b.getAttribute('aria-busy') === 'false')"
                )
            for page in (coachee, coach):
                assert form_state(page)["saved"] == "Saved (1 saved in this session)"
                assert page.get_by_text("Already saved").count() == 0
            for name, page in (("coachee", coachee), ("coach", coach)):
                page.screenshot(path=str(ARTIFACTS / f"together-{name}.png"), full_page=False)
            reviews = load_journal(Workspace(pack)).reviews
            assert len(reviews) == before + 1
            [saved] = [r for r in reviews if r.assessments[0].evidence == EVIDENCE]
            assert (saved.role, saved.author, saved.assessments[0].level) == (
                "self", "Mei Chen", 2)  # fmt: skip

            # After both reload, both see the same form: the state lives in the one kernel.
            states = []
            for page in (coachee, coach):
                page.reload()
                page.locator(".widget-textarea textarea").first.wait_for(timeout=120_000)
                page.wait_for_function(
                    "(text) => document.querySelector('.widget-textarea textarea').value === text",
                    arg=EVIDENCE,
                )
                states.append(form_state(page))
            assert states[0] == states[1]
            assert states[0]["evidence"] == EVIDENCE
            assert states[0]["saved"] == "Saved (1 saved in this session)"
            assert len(load_journal(Workspace(pack)).reviews) == before + 1
        finally:
            coachee.context.close()
            coach.context.close()
    # Nothing of the collaboration (its keystroke history) is left inside the pack.
    assert {p.name for p in pack.iterdir()} <= PACK_FILES, sorted(p.name for p in pack.iterdir())


def this_machines_address() -> str | None:
    """An address of this machine other than loopback (the one it would reach others by)."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no packet is sent: this only picks a route
        except OSError:
            return None
        address = probe.getsockname()[0]
    return None if address.startswith("127.") else address


def test_a_coach_joins_from_another_machine_over_tls(browser, tmp_path):
    """`coach serve --collaborate --ip ADDRESS --certfile --keyfile`: the link is https on
    that address (not loopback, so no "this machine only" note), and a keystroke of one
    person reaches the other's browser through it."""
    import shutil

    if importlib.util.find_spec("jupyter_collaboration") is None:
        missing("jupyter-collaboration is not installed (pip install -e '.[collaborate]')")
    address = this_machines_address()
    if address is None or shutil.which("openssl") is None:
        missing("no non-loopback address or no openssl on this machine")
    from coachlib.demo.workspace import build_demo_journal
    from coachlib.export.share import make_pack

    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", f"/CN={address}", "-addext", f"subjectAltName=IP:{address}",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    workspace = build_demo_journal(tmp_path / "coaching").workspace
    pack = make_pack(workspace, coachee="Mei Chen", framework="samman-ensemble",
                     to=tmp_path / "mei-pack").path  # fmt: skip
    options = (f"--ip={address}", f"--certfile={cert}", f"--keyfile={key}")
    with coach_serve(pack, tmp_path / "home", *options) as lab:
        assert lab.link.startswith(f"https://{address}:"), lab.printed
        assert not any("this machine only" in line for line in lab.printed), lab.printed
        pages = [browser.new_context(ignore_https_errors=True,
                                     viewport={"width": 1300, "height": 1000}).new_page()
                 for _person in ("coachee", "coach")]  # fmt: skip
        coachee, coach = pages
        try:
            for page in pages:
                page.set_default_timeout(60_000)
                open_link(page, lab.link)
            assert coach.evaluate("location.protocol + location.hostname") == f"https:{address}"
            coachee.evaluate("window.jupyterapp.commands.execute('notebook:insert-cell-below')")
            coachee.evaluate("window.jupyterapp.commands.execute('notebook:enter-edit-mode')")
            coachee.keyboard.type(CELL_TEXT)
            coach.wait_for_function(
                "(text) => [...document.querySelectorAll('.jp-Cell .jp-InputArea-editor')]"
                ".some(e => e.innerText.includes(text))",
                arg=CELL_TEXT,
            )
        finally:
            for page in pages:
                page.context.close()
