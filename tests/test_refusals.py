"""Every command's refusal holds the README's promise (docs/coach-guide.md, "exit
statuses"): exit status 2, one line on stderr naming what is wrong (a hint may follow),
never a traceback, and nothing changed on disk. One case per command of the parser, so a
new command without a case fails here."""

from __future__ import annotations

import pytest

from coachlib.cli import main
from coachlib.cli.parser import EXIT_USAGE, build_parser

MISSING = "/nonexistent-coachlib-test"

CASES = {
    "frameworks": ["frameworks", "show", "no-such-framework"],
    "new": ["new", "--framework", "no-such-framework", "--coachee", "Ada Lovelace",
            "--author", "Morgan Reyes"],
    "export": ["export", "--coachee", "Nobody Known"],
    "team": ["team", "--coachee", "Nobody Known"],
    "share": ["share", "--coachee", "Nobody Known", "--framework", "samman-ensemble"],
    "collect": ["collect", "--from-exchange", "--exchange", MISSING],
    "receive": ["receive", "--exchange", MISSING],
    "hand-in": ["hand-in", MISSING, "--zip", "back.zip"],
    "live": ["live"],
    "log": ["log", "--coachee", "Ada Lovelace", "--role", "led-adapted", "--team", "Payments",
            "--kind", "learning-hour", "--date", "1899-12-31"],
    "catalogue": ["catalogue", "refresh", f"{MISSING}.csv"],
    "block": ["block", "--team", "Nowhere", "--from", "2026-01-01"],
    "open": ["open", MISSING],
    "serve": ["serve", MISSING],
    "doctor": ["doctor", "--workspace", MISSING],
    "init": ["init", "pack.txt"],
    "demo": ["demo", "not-a-demo"],
}  # fmt: skip


def test_every_command_has_a_refusal_case():
    parser = build_parser()
    [commands] = [a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction"]
    assert set(commands.choices) == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_refused_command_exits_2_in_one_line_and_changes_nothing(
    name, demo_workspace, tmp_path, monkeypatch, capsys
):
    for variable in ("JUPYTERHUB_API_URL", "JUPYTERHUB_API_TOKEN", "JUPYTERHUB_USER"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("COACH_WORKSPACE", str(demo_workspace.root))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pack.txt").write_text("a file, not a folder")
    (tmp_path / "not-a-demo").mkdir()
    (tmp_path / "not-a-demo" / "mine.txt").write_text("somebody's")
    before = _snapshot(tmp_path) + _snapshot(demo_workspace.root)
    status = main(CASES[name])
    said = capsys.readouterr()
    assert status == EXIT_USAGE, (name, status, said.err)
    assert "Traceback" not in said.err + said.out
    lines = [line for line in said.err.splitlines() if line.strip()]
    assert 1 <= len(lines) <= 3 and lines[0].startswith("coach"), said.err
    assert _snapshot(tmp_path) + _snapshot(demo_workspace.root) == before, name


def _snapshot(folder):
    return sorted((str(p), p.stat().st_size) for p in folder.rglob("*") if p.is_file())
