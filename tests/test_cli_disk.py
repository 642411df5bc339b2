"""The command and the disk: one line (never a traceback) and a documented exit status for
every disk problem; exports written atomically with the workspace's privacy; a refused
command changes nothing on disk; parameters checked before any kernel starts."""

from __future__ import annotations

import os
import resource
import signal
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from coachlib.cli import main
from coachlib.cli.parser import EXIT_IO, EXIT_USAGE
from coachlib.export import workbooks
from coachlib.model.errors import InputError
from coachlib.notebook import TeamOverview

ROOT = os.geteuid() == 0


def coach(*args: str, limit_file_size: int | None = None, cwd: Path | None = None):
    """The real command in a subprocess (optionally with a file size limit: a full disk)."""

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write fails with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_file_size, limit_file_size))

    return subprocess.run(
        [sys.executable, "-m", "coachlib.cli", *args],
        capture_output=True, text=True, timeout=300, cwd=cwd,
        preexec_fn=limit if limit_file_size else None,
    )  # fmt: skip


def one_line_error(result: subprocess.CompletedProcess) -> str:
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def csv_args(workspace: Path, output: str | Path) -> list[str]:
    return ["export", "--csv", "-o", str(output), "--workspace", str(workspace)]


def test_a_folder_as_output_gets_the_usual_file_name_in_it(demo_workspace, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    assert main(csv_args(demo_workspace.root, out)) == 0
    [written] = out.iterdir()
    assert written.name == f"journal-{date.today()}.csv"
    assert capsys.readouterr().out.startswith("Journal as CSV: ")


def test_a_missing_output_folder_is_one_line_and_exit_3(demo_workspace, tmp_path):
    target = tmp_path / "no-such-folder" / "journal.csv"
    result = coach(*csv_args(demo_workspace.root, target))
    line = one_line_error(result)
    assert result.returncode == EXIT_IO
    assert str(target.parent) in line and "does not exist" in line and "make it first" in line
    assert not target.parent.exists()


def test_a_folder_you_may_not_write_into_is_one_line_and_exit_3(demo_workspace, tmp_path):
    if ROOT:  # root may write into any folder by mode; the kernel's own files refuse root
        target = Path("/sys/coachlib-test.csv")
    else:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o555)
        target = locked / "journal.csv"
    result = coach(*csv_args(demo_workspace.root, target))
    line = one_line_error(result)
    assert result.returncode == EXIT_IO
    assert str(target.parent) in line and "Permission denied" in line
    assert "check the folder's permissions" in line
    assert not target.exists()


def test_a_full_device_is_one_line_and_exit_3(demo_workspace):
    result = coach(*csv_args(demo_workspace.root, "/dev/full"))
    line = one_line_error(result)
    assert result.returncode == EXIT_IO
    assert "/dev/full" in line and "No space left on device" in line
    assert "the disk is full" in line
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)  # written into, never replaced


def test_a_disk_that_fills_up_mid_write_leaves_nothing_behind(demo_workspace, tmp_path):
    """The atomic path: the temporary file cannot grow, so the write fails before the name
    is given: no CSV, no half CSV, no temporary file."""
    out = tmp_path / "out"
    out.mkdir()
    target = out / "journal.csv"
    result = coach(*csv_args(demo_workspace.root, target), limit_file_size=4096)
    line = one_line_error(result)
    assert result.returncode == EXIT_IO
    assert "File too large" in line and str(out) in line
    assert list(out.iterdir()) == []


def test_an_existing_export_is_replaced_whole(demo_workspace, tmp_path):
    (tmp_path / "out").mkdir()
    tmp_path = tmp_path / "out"
    target = tmp_path / "journal.csv"
    target.write_text("old")
    inode = target.stat().st_ino
    assert main(csv_args(demo_workspace.root, target)) == 0
    assert target.read_text(encoding="utf-8-sig").startswith("coachee,framework")
    assert target.stat().st_ino != inode  # renamed into place, not rewritten in place
    assert sorted(p.name for p in tmp_path.iterdir()) == ["journal.csv"]


@pytest.mark.parametrize(("shared", "mode"), [(False, 0o600), (True, 0o660)])
def test_exports_follow_the_workspace_privacy(demo_workspace, tmp_path, shared, mode):
    if shared:
        (demo_workspace.root / "workspace.yaml").write_text("shared: true\n")
    old = os.umask(0o022)
    try:
        target = tmp_path / "journal.csv"
        assert main(csv_args(demo_workspace.root, target)) == 0
        assert main(["export", "--csv", "--workspace", str(demo_workspace.root)]) == 0
    finally:
        os.umask(old)
    [default] = demo_workspace.reports_dir.glob("journal-*.csv")
    for path in (target, default):
        assert stat.S_IMODE(path.stat().st_mode) == mode, path


@pytest.mark.parametrize(
    "args",
    [
        ["new", "--framework", "samman-ensemble", "--coachee", "", "--author", "B"],
        ["new", "--framework", "nope", "--coachee", "Ada", "--author", "B"],
        ["new", "--framework", "samman-ensemble", "--coachee", "Ada\u200bLovelace",
         "--author", "B"],
        ["new", "--framework", "core-engineer-progression", "--coachee", "Ada",
         "--author", "B", "--role", "boss"],
        ["team", "--cadence", "0"],
        ["export", "--coachee", "Ada"],
        ["doctor"],
    ],
)  # fmt: skip
def test_a_refused_command_changes_nothing_on_disk(tmp_path, args):
    workspace = tmp_path / "new-workspace"
    before = sorted(tmp_path.rglob("*"))
    result = coach(*args, "--workspace", str(workspace), cwd=tmp_path)
    assert result.returncode == EXIT_USAGE, result.stderr
    one_line_error(result)
    assert not workspace.exists()
    assert sorted(tmp_path.rglob("*")) == before


def test_a_refused_review_in_a_workspace_makes_no_coachee(demo_workspace):
    before = sorted(demo_workspace.root.rglob("*"))
    assert main(["new", "--framework", "nope", "--coachee", "New Person", "--author", "B",
                 "--workspace", str(demo_workspace.root)]) == EXIT_USAGE  # fmt: skip
    assert sorted(demo_workspace.root.rglob("*")) == before


@pytest.mark.parametrize(
    ("args", "parameters"),
    [
        (["--cadence", "0"], {"cadence_days": 0}),
        (["--as-of", "2026-13-01"], {"as_of": "2026-13-01"}),
        (["--coachee", "Nobody Here"], {"coachees": ["Nobody Here"]}),
        (["--coachee", "Mei Chen\nAda"], {"coachees": ["Mei Chen\nAda"]}),
    ],
)
def test_team_parameters_are_checked_before_a_kernel_starts(
    demo_workspace, capsys, monkeypatch, args, parameters
):
    """The command refuses with the notebook's own message, and runs no notebook."""
    started = []
    monkeypatch.setattr(workbooks, "run_template", lambda *a, **k: started.append(a))
    assert main(["team", *args, "--workspace", str(demo_workspace.root)]) == EXIT_USAGE
    err = capsys.readouterr().err
    inside = TeamOverview(workspace=demo_workspace.root, **parameters)
    assert isinstance(inside.error, InputError) and inside.error.message in err
    shown = inside.show().data  # the notebook: one line, the command's words
    assert "No team overview" in shown and "Traceback" not in shown
    assert started == []


def test_a_name_with_a_semicolon_is_one_name(demo_workspace, registry):
    from coachlib.model.review import Assessment, new_review
    from coachlib.store.journal import save_review

    save_review(
        demo_workspace,
        new_review(coachee="Smith; John", framework="samman-ensemble", author="Morgan Reyes",
                   role="coach", assessments=[Assessment("ensemble-facilitation", 2)]),
        registry,
    )  # fmt: skip
    team = TeamOverview(workspace=demo_workspace.root, coachees=["Smith; John"])
    assert team.coachees == ["Smith; John"]
    refused = TeamOverview(workspace=demo_workspace.root, coachees=["Smith", "John"])
    assert "no coachee called 'Smith'" in refused.error.message


def test_exit_statuses_are_documented_in_help_and_the_coachs_guide():
    result = coach("--help")
    guide = (Path(__file__).resolve().parent.parent / "docs" / "coach-guide.md").read_text(
        encoding="utf-8"
    )
    for status, words in ((1, "needs a person"), (2, "refused"), (3, "could not be read or")):
        assert f"{status}    " in result.stdout and words in result.stdout
        assert f"| {status} |" in guide


def test_a_block_notebook_with_a_wrong_parameter_shows_one_line(demo_workspace):
    from coachlib.notebook import BlockReport

    report = BlockReport(team="Nowhere", date_from="2026-01-01", workspace=demo_workspace.root)
    shown = report.show().data
    assert report.error is not None and "No block report" in shown and "Nowhere" in shown
    assert "Traceback" not in shown
