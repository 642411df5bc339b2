"""The `coach` command: listings, readable text, and one-line errors with exit status 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from coachlib.cli import main


def run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None):
    """Run the real command in a subprocess, as a user would."""
    import os

    return subprocess.run(
        [sys.executable, "-m", "coachlib.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


def test_frameworks_lists_id_title_shape_levels_skills(capsys, monkeypatch):
    monkeypatch.chdir(Path(__file__).resolve().parent.parent)  # files shown relative to it
    assert main(["frameworks"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["ID", "VERSION", "TITLE", "SHAPE", "LEVELS", "SKILLS", "FILE"]
    rows = {(line.split()[0], line.split()[1]): line.split() for line in out[1:]}
    # both Samman texts side by side: the seed draft (older) and today's published one
    assert rows["samman-ensemble", "1"][-4:] == [
        "milestones", "0-5", "1", "frameworks/samman-ensemble.yaml",
    ]  # fmt: skip
    assert rows["samman-ensemble", "1"][2] == "(older)"
    assert rows["samman-ensemble", "2"][-1] == "frameworks/samman-ensemble-2026.yaml"
    assert "Ensemble Facilitation" in " ".join(rows["samman-ensemble", "2"])
    assert rows["core-engineer-progression", "1"][-4:-1] == ["matrix", "0-5", "28"]
    assert rows["opensesame-career-skills", "1"][-5:-1] == ["catalogue", "0-3", "+waived", "215"]
    assert "Learning Hour Career Milestones" in " ".join(rows["samman-learning-hour", "1"])
    assert "Learning Hour Delivery" in " ".join(rows["samman-learning-hour", "2"])


def test_frameworks_show_prints_the_newest_version_with_its_provenance(capsys):
    assert main(["frameworks", "show", "samman-learning-hour"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Competence Milestones for Learning Hour Delivery\n=====")
    head = " ".join(out[: out.index("Levels")].split())
    assert "version 2 (2026-03-12)" in head
    assert "other versions installed: version 1: Learning Hour Career Milestones" in head
    assert "url: https://sammancoaching.org/society/learning_hour_milestones.html" in head
    assert "commit 512c55f of https://github.com/sammancoaching/website, 2026-03-12" in head
    assert "licence: CC-BY-SA-4.0" in head
    assert "Samman Technical Coaching Society (sammancoaching.org)" in head
    assert "20%" not in out  # the current text has no coaching-time percentages
    assert "4C" in out


def test_frameworks_show_prints_readable_text(capsys):
    assert main(["frameworks", "show", "samman-learning-hour", "--version", "1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Learning Hour Career Milestones\n=====")
    assert "3 · Milestone 3: Design and lead new learning hours" in out
    assert "job role: Formal part-time coaching role (around 20% of working time)" in out
    assert "still in draft" in out
    assert max(len(line) for line in out.splitlines()) <= 100


def test_a_broken_workspace_framework_is_reported_and_the_rest_listed(tmp_path, capsys):
    (tmp_path / "frameworks").mkdir()
    (tmp_path / "frameworks" / "bad.yaml").write_text("id: bad\nscale: [\n")
    assert main(["frameworks", "--workspace", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    assert "samman-ensemble" in captured.out
    assert f"warning: skipped {tmp_path / 'frameworks' / 'bad.yaml'}:" in captured.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["frameworks", "show", "nope"], "unknown framework 'nope'"),
        (["new", "--framework", "nope", "--coachee", "A", "--author", "B"], "unknown framework"),
        (["new", "--framework", "samman-ensemble", "--coachee", " ", "--author", "B"],
         "coachee name is empty"),
        (["new", "--framework", "samman-ensemble", "--coachee", "A", "--author", ""],
         "author name is empty"),
        (["new", "--framework", "samman-ensemble", "--coachee", "A"], "--author"),
        (["new", "--framework", "samman-ensemble", "--coachee", "A", "--author", "B",
          "--role", "boss"], "invalid choice: 'boss'"),
        (["export", "--coachee", "Ada"], "no workspace here"),
        (["bogus"], "invalid choice: 'bogus'"),
    ],
)  # fmt: skip
def test_wrong_input_is_one_line_and_exit_status_2(tmp_path, args, message):
    missing = tmp_path / "nowhere"
    result = run(*args, "--workspace", str(missing), cwd=tmp_path)
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert message in lines[0]
    assert lines[0].startswith("coach")


def test_workspace_from_the_environment(tmp_path):
    result = run("export", "--coachee", "Ada", env={"COACH_WORKSPACE": str(tmp_path / "env-ws")})
    assert result.returncode == 2
    assert str(tmp_path / "env-ws") in result.stderr


def test_help_works_without_heavy_imports():
    code = (
        "import sys\nfrom coachlib.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('pandas', 'matplotlib', 'papermill', 'nbconvert', 'ipywidgets',"
        " 'jsonschema') if m in sys.modules]\nprint(heavy)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip().endswith("[]"), result.stdout


@pytest.mark.slow
def test_new_then_export_from_the_command_line(tmp_path):
    made = run(
        "new", "--framework", "samman-learning-hour", "--coachee", "Ada Lovelace",
        "--author", "Grace Hopper", "--workspace", "ws", cwd=tmp_path,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    lines = made.stdout.splitlines()
    notebook = tmp_path / lines[0].removeprefix("Session notebook: ")
    assert notebook.is_file()
    assert notebook.parent == tmp_path / "ws" / "workbooks" / "ada-lovelace"
    assert lines[1].startswith("Open it in JupyterLab: ") and " lab " in lines[1]
    assert made.stderr == ""
    # No review saved yet: the export still works and says so.
    exported = run("export", "--coachee", "Ada Lovelace", "-o", "out.html", "--workspace", "ws",
                   cwd=tmp_path)  # fmt: skip
    assert exported.returncode == 0, exported.stderr
    assert "No reviews saved for Ada Lovelace yet." in (tmp_path / "out.html").read_text()


@pytest.mark.slow
def test_export_all_reports_a_failure_and_exports_the_others(demo_workspace):
    # A folder where one summary should go: writing that one fails, for real.
    blocked = demo_workspace.reports_dir / "mei-chen-2026-06-30.html"
    blocked.mkdir(parents=True)
    result = run(
        "export", "--all", "--as-of", "2026-06-30", "--workspace", str(demo_workspace.root)
    )
    assert result.returncode == 1
    assert "coach export: failed for Mei Chen: " in result.stderr
    assert "Traceback" not in result.stderr
    summary = result.stdout.strip().splitlines()[-1]
    assert summary.startswith("Wrote 5 of 6 summaries to ")
    assert summary.endswith("(1 failed, see above)")
    written = sorted(p.name for p in demo_workspace.reports_dir.glob("*.html") if p.is_file())
    assert written == [
        "ada-lovelace-2026-06-30.html", "bjorn-angstrom-2026-06-30.html",
        "priya-natarajan-2026-06-30.html", "sam-okafor-2026-06-30.html",
        "tomas-o-brien-2026-06-30.html",
    ]  # fmt: skip
    text = (demo_workspace.reports_dir / "ada-lovelace-2026-06-30.html").read_text()
    assert "Coaching summary: Ada Lovelace" in text and "Björn" not in text


@pytest.mark.slow
def test_export_all_reports_a_killed_worker_and_finishes(tmp_path):
    """A worker process killed mid-way (out of memory, say): its coachees are reported as
    failed, the command ends with one line each and exit status 1, no traceback."""
    import signal
    import time

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from benchmarks.make_workspace import make

    root = tmp_path / "ws"
    make(root, 40, 6)

    def workers(process) -> set[int]:
        """Forked workers: children running the same command line as the command."""
        own = Path(f"/proc/{process.pid}/cmdline").read_bytes()
        found = set()
        for task in Path(f"/proc/{process.pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                try:
                    if Path(f"/proc/{child}/cmdline").read_bytes() == own:
                        found.add(int(child))
                except OSError:
                    continue  # gone meanwhile
        return found

    for _attempt in range(3):  # a kill can miss: the last worker may already be done
        out_dir = tmp_path / f"out-{_attempt}"
        process = subprocess.Popen(
            [sys.executable, "-m", "coachlib.cli", "export", "--all", "-o", str(out_dir),
             "--workspace", str(root)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        deadline, seen = time.monotonic() + 120, set()
        stable: set[int] = set()
        while not stable and process.poll() is None:
            assert time.monotonic() < deadline, "no worker process started"
            time.sleep(0.01)  # polling for the worker to exist (the event), not a fixed wait
            now = workers(process)
            stable, seen = now & seen, now  # seen twice: a worker, not a fork about to exec
        if stable:
            os.kill(min(stable), signal.SIGKILL)
        out, err = process.communicate(timeout=600)
        if process.returncode == 1:
            break
    assert process.returncode == 1, err
    assert "Traceback" not in err
    failures = [line for line in err.splitlines() if "failed for" in line]
    assert failures and all("the export process stopped" in line for line in failures)
    written = len(list(out_dir.glob("*.html")))
    assert out.strip().splitlines()[-1].startswith(f"Wrote {written} of 40 summaries")


def test_worker_count_grows_with_coachees_up_to_the_cores():
    from coachlib.export.pool import worker_count

    assert worker_count(0) == worker_count(3) == 1
    assert worker_count(1000) == min(os.cpu_count() or 1, 4)
    assert worker_count(8) <= 4


@pytest.mark.slow
def test_team_overview_html_has_levels_but_no_reflections(demo_workspace, tmp_path):
    out = tmp_path / "team.html"
    result = run(
        "team", "--as-of", "2026-06-30", "-o", str(out), "--workspace", str(demo_workspace.root)
    )
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    for heading in ("Team overview", "Levels at a glance", "Who moved", "Coach and self",
                    "Overdue", "Job role", "Distribution over the levels"):  # fmt: skip
        assert heading in html
    assert "discuss at length" in html
    assert "Run All Cells" not in html  # notebook instructions are not exported
    assert "<script" not in html.lower()
    from coachlib.store.journal import load_journal

    texts = {
        a.reflection
        for r in load_journal(demo_workspace).reviews
        for a in r.assessments
        if a.reflection
    }
    assert texts and not [t for t in texts if t in html]


def test_export_csv_command(demo_workspace, tmp_path):
    out = tmp_path / "journal.csv"
    result = run("export", "--csv", "-o", str(out), "--workspace", str(demo_workspace.root))
    assert result.returncode == 0, result.stderr
    raw = out.read_bytes()
    assert raw.startswith("\ufeff".encode())  # spreadsheets then read it as UTF-8
    import pandas as pd

    frame = pd.read_csv(out)
    assert frame.columns[0] == "coachee"
    assert set(frame["coachee"]) >= {"Björn Ångström", "Tomás O'Brien"}
    from coachlib.store.journal import load_journal

    assert len(frame) == sum(len(r.assessments) for r in load_journal(demo_workspace).reviews)


def test_export_needs_one_of_coachee_all_csv(tmp_path):
    result = run("export", "--workspace", str(tmp_path))
    assert result.returncode == 2
    assert "one of the arguments --coachee --all --csv is required" in result.stderr


# --- control characters from other people never reach the terminal raw --------------------


def test_say_shows_every_control_character_and_keeps_letters():
    from coachlib.cli.terminal import json_visible, visible

    assert visible("x\nimported") == "x\\nimported"
    assert visible("\x1b[2J\x1b]0;title\x07") == "\\x1b[2J\\x1b]0;title\\x07"
    assert visible("exe\u202etxt.\x7f\x85\u2028") == "exe\\u202etxt.\\x7f\\u0085\\u2028"
    assert visible("Zoë Ağaoğlu, 李雷, می\u200cخواهم") == "Zoë Ağaoğlu, 李雷, می\u200cخواهم"
    assert visible("a\nb\x1b", keep_newlines=True) == "a\nb\\x1b"
    import json

    assert json.loads(json_visible(json.dumps(["\u202e\x7f\x85"], ensure_ascii=False))) == [
        "\u202e\x7f\x85"
    ]


def test_a_forged_zip_entry_cannot_forge_a_line_clear_the_screen_or_set_the_title(
    demo_workspace, tmp_path, capsys
):
    import zipfile

    from coachlib.export.share import make_pack

    pack = make_pack(demo_workspace, coachee="Ada Lovelace", framework="samman-ensemble",
                     to=tmp_path / "pack").path  # fmt: skip
    bad = tmp_path / "pack.zip"
    with zipfile.ZipFile(bad, "w") as archive:
        for path in sorted(pack.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(pack).as_posix())
        for name in ("journal/ada-lovelace/x\nimported       FAKE.yaml",
                     "journal/ada-lovelace/\x1b[2Jclear.yaml",
                     "journal/ada-lovelace/\x1b]0;pwned\x07title.yaml"):  # fmt: skip
            archive.writestr(name, b"format: nothing\n")
    main(["collect", "--workspace", str(demo_workspace.root), "--dry-run", str(bad)])
    out, err = capsys.readouterr()
    for stream in (out, err):
        assert "\x1b" not in stream and "\x07" not in stream
        assert not any(line.startswith("imported") for line in stream.splitlines()), stream
    assert "x\\nimported       FAKE.yaml" in out + err
    assert "\\x1b[2Jclear.yaml" in out + err and "\\x1b]0;pwned\\x07title.yaml" in out + err


def test_a_refreshed_catalogue_title_prints_its_escapes_visibly(tmp_path, capsys):
    """A title with terminal escapes is refused at refresh (the message shows them, never
    runs them); one with a bidi override, which a title may hold, prints it visibly."""
    import csv

    source = Path(__file__).parents[1] / "frameworks" / "catalogue" / "learning_hours.csv"
    with source.open(encoding="utf-8") as shipped:
        rows = list(csv.reader(shipped))
    (tmp_path / "ws").mkdir()
    ws = str(tmp_path / "ws")
    newer = tmp_path / "newer.csv"
    statuses = []
    for title in ("Golf \x1b]0;pwned\x07\x1b[2J\u202eevil", "Golf pwned \u202eevil"):
        rows[1][1] = title
        with newer.open("w", encoding="utf-8", newline="") as out:
            csv.writer(out).writerows(rows)
        status = main(["catalogue", "--workspace", ws, "refresh", str(newer)])
        said = capsys.readouterr()
        statuses.append(status)
        assert "\x1b" not in said.out + said.err and "\u202e" not in said.out + said.err
    assert statuses == [2, 0], said.err
    assert main(["catalogue", "--workspace", ws, "pwned"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Golf pwned \\u202eevil  ["), out
    assert "\u202e" not in out


def test_a_name_close_to_a_known_coachee_is_a_typo_until_said_otherwise(tmp_path, capsys):
    """`coach new --coachee "Ada Lovelance"` made a new person, who then appeared in every
    list; now it asks "did you mean", and --new-coachee adds them."""
    from coachlib.cli import main
    from coachlib.demo.workspace import build_demo_journal
    from coachlib.store.workspace import Workspace

    root = build_demo_journal(tmp_path / "ws").workspace.root
    known = Workspace(root).coachees()
    name = next(iter(known.values()))
    typo = name[:-2] + name[-1] + name[-2] if len(name) > 3 else name + "x"
    common = ["new", "--framework", "samman-ensemble", "--author", "Coach", "--no-execute",
              "--workspace", str(root)]  # fmt: skip
    assert main([*common, "--coachee", typo]) == 2
    assert f"did you mean {name!r}" in capsys.readouterr().err
    assert Workspace(root).coachees() == known  # nobody new, no folder
    assert main([*common, "--coachee", typo, "--new-coachee"]) == 0
    assert typo in Workspace(root).coachees().values()
    assert main([*common, "--coachee", "Zed Quartermaine"]) == 0  # far from everyone: fine
