"""Coach and coachee in one notebook at once: `coach serve PACK --collaborate` with
jupyter-collaboration, two Chromium contexts (two people) on the link it prints."""

from __future__ import annotations

import importlib.util
import json
import os
import re
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
def coach_serve(pack: Path, home: Path) -> Iterator[Lab]:
    """The real `coach serve --collaborate` on ``pack``; a Lab for the link it prints."""
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
             f"--port={free_port()}", "--workspace", str(home / "no-workspace")],
            stdout=subprocess.PIPE, stderr=output, text=True, env=env, start_new_session=True,
        )  # fmt: skip
    try:
        printed = [process.stdout.readline() for _ in range(4)]
        links = [line.strip() for line in printed if line.strip().startswith("http://")]
        assert links, f"no link printed: {printed}\n{log.read_text()[-3000:]}"
        link = links[0]
        assert "this machine only" in printed[2] and "ssh -L" in printed[2], printed
        assert "can read and write every file you can" in printed[3], printed
        base, token = link.split("/lab/")[0], link.split("token=")[1]
        wait_until_answers(f"{base}/api/status?token={token}", process, log,
                           what="coach serve", timeout=90)  # fmt: skip
        lab = Lab(url=base, token=token, root=pack, log=log)
        lab.link = link  # type: ignore[attr-defined]
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

            # One Save (by the coachee): one record, and both see "Saved".
            coachee.get_by_role("button", name="Save review").click()
            for page in (coachee, coach):
                page.get_by_text(re.compile(r"Saved \(1 saved in this session\)")).wait_for()
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
