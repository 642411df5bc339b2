"""The coach's home notebook: the team at a glance, and every action of the command as a
form, driven in plain Python (the browser test clicks one in JupyterLab)."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path

import nbformat
import pytest

from coachlib.export.share import make_pack
from coachlib.notebook import CoachHome

pytestmark = pytest.mark.slow


def section(home_actions, title: str):
    """The fields, button and status of one action."""
    for box in home_actions.widget.children:
        if title in box.children[0].value:
            *fields, button, _outcome = box.children[1:]
            return fields, button, box.outcome
    raise AssertionError(title)


def linked(status) -> Path:
    return Path(re.search(r'href="([^"]+)"', status.value).group(1))


def test_the_team_at_a_glance(demo_workspace):
    html = unescape(CoachHome(workspace=demo_workspace.root, as_of="2026-06-30").show_team().data)
    for coachee in demo_workspace.coachees().values():
        assert coachee in html
    assert "Last coach review" in html and "days ago" in html
    assert "evidence" not in html.lower()  # levels and dates only


def test_every_action_makes_its_file_and_links_to_it(demo_workspace, monkeypatch):
    monkeypatch.chdir(demo_workspace.root)  # a kernel runs in the notebook's folder
    home = CoachHome(workspace=".")
    actions = home.actions()

    fields, button, status = section(actions, "Start a review")
    coachee, framework, author, _role, newcomer = fields
    coachee.value, framework.value, author.value = "New Person", "samman-ensemble", "Morgan"
    button.click()
    made = demo_workspace.root / linked(status)
    assert made.is_file() and made.suffix == ".ipynb", status.value
    assert "new-person" in made.parts

    coachee.value = "Ada Lovelance"  # a typo of a known coachee: asked, not added
    button.click()
    assert "did you mean 'Ada Lovelace'" in html.unescape(status.value), status.value
    assert "Ada Lovelance" not in demo_workspace.coachees().values()
    newcomer.value = True  # somebody new after all
    button.click()
    assert "Ada Lovelance" in demo_workspace.coachees().values(), status.value

    fields, button, status = section(actions, "Make a reflection pack")
    # the people just added are offered at once, without running the notebook again
    assert {"New Person", "Ada Lovelance"} <= set(fields[0].options), fields[0].options
    fields[0].value, fields[1].value = "Ada Lovelace", "samman-ensemble"
    button.click()
    readme = demo_workspace.root / linked(status)
    assert readme.name == "README.md" and readme.parent.parent.name == "outbox"

    inbox = demo_workspace.root / "inbox"
    inbox.mkdir()
    readme.parent.rename(inbox / readme.parent.name)
    _fields, button, status = section(actions, "Collect the packs")
    button.click()
    assert "0 record(s) imported" in status.value and "already there" in status.value
    shutil.rmtree(inbox / readme.parent.name)
    empty = make_pack(demo_workspace, coachee="New Person", framework="samman-ensemble",
                      to=inbox / "new-person").path  # no review in it  # fmt: skip
    button.click()
    assert "Nothing handed in" not in status.value, status.value
    assert empty.name in status.value and "no reviews in them" in status.value, status.value

    _fields, button, status = section(actions, "Team overview")
    button.click()
    team = demo_workspace.root / linked(status)
    assert team.parent.name == "team"
    assert any("team.show()" in c.source for c in nbformat.read(team, 4).cells)

    _fields, button, status = section(actions, "HTML summaries")
    button.click()
    assert status.value.count(".html") >= 6


def test_a_failed_action_says_so_in_the_page(demo_workspace):
    actions = CoachHome(workspace=demo_workspace.root).actions()
    fields, button, status = section(actions, "Start a review")
    fields[0].value = ""  # no coachee
    before = sorted(p for p in demo_workspace.root.rglob("*") if p.is_file())
    button.click()
    assert "Not done: coachee name is empty" in status.value
    # refused, so nothing made: no notebook, no coachee folder, no record
    assert sorted(p for p in demo_workspace.root.rglob("*") if p.is_file()) == before


def test_coach_init_makes_a_workspace_with_its_home(tmp_path):
    result = subprocess.run([sys.executable, "-m", "coachlib.cli", "init", str(tmp_path / "ws")],
                            capture_output=True, text=True, timeout=300)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "ws" / "home.ipynb").is_file()
    assert (tmp_path / "ws" / "inbox").is_dir() and (tmp_path / "ws" / "journal").is_dir()
    # the README's `coach frameworks import LADDER -o frameworks` has its folder; the
    # import form its notebook
    assert (tmp_path / "ws" / "frameworks").is_dir()
    assert (tmp_path / "ws" / "import_ladder.ipynb").is_file()
    assert "Home notebook:" in result.stdout
