"""`coach doctor` and bad journal files reported by the CLI."""

from __future__ import annotations

import os
import time

from coachlib.cli import main
from coachlib.store.doctor import STALE_TEMP_SECONDS, check
from coachlib.store.journal import load_journal


def test_a_healthy_workspace(demo_workspace, capsys):
    assert main(["doctor", "--workspace", str(demo_workspace.root)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("ok: all ")
    assert "nothing needs a person" in out


def test_problems_are_reported_with_what_to_do(demo_workspace, capsys):
    folder = demo_workspace.journal_dir / "mei-chen"
    good = sorted(folder.glob("*.yaml"))[0]
    bad = folder / "20990101T000000.000000Z-samman-ensemble-coach.yaml"
    bad.write_text(good.read_text().replace("level: ", "level: high #"), encoding="utf-8")
    old_temp = folder / ".tmp-0123456789abcdef"
    old_temp.write_text("half a rec")
    stale = time.time() - STALE_TEMP_SECONDS - 5
    os.utime(old_temp, (stale, stale))
    fresh_temp = folder / ".tmp-fedcba9876543210"
    fresh_temp.write_text("being written")
    other = sorted((demo_workspace.journal_dir / "ada-lovelace").glob("*.yaml"))[0]
    other.chmod(0o644)

    assert main(["doctor", "--workspace", str(demo_workspace.root)]) == 1
    out = capsys.readouterr().out
    line = 1 + bad.read_text().splitlines().index(
        next(row for row in bad.read_text().splitlines() if "level: high" in row)
    )
    assert f"{bad}:{line}: error: assessments[0].level: expected a whole number" in out
    assert "→ correct it by hand, or move it out of journal/" in out
    assert f"fixed: removed {old_temp}" in out
    assert f"{fresh_temp}: warning: a write may still be in progress" in out
    assert "can be read by other users" in out and "chmod -R go-rwx" in out
    assert (
        out.strip().splitlines()[-1].endswith("1 problem(s) need a person; 2 warning(s); 1 fixed.")
    )
    assert not old_temp.exists() and fresh_temp.exists()
    assert bad.exists() and good.exists()  # a person's words are never removed


def test_the_loader_ignores_temp_files_and_reports_the_bad_one(demo_workspace, registry):
    folder = demo_workspace.journal_dir / "mei-chen"
    before = len(load_journal(demo_workspace, registry=registry).reviews)
    (folder / ".tmp-aaaa").write_text("format: coachlib.review/1\ncoachee: Mei")
    (folder / "broken.yaml").write_text("coachee: [")
    load = load_journal(demo_workspace, registry=registry)
    assert len(load.reviews) == before
    assert [p.file for p in load.problems] == [str(folder / "broken.yaml")]


def test_a_record_in_the_wrong_folder_needs_a_person(demo_workspace):
    ada = sorted((demo_workspace.journal_dir / "ada-lovelace").glob("*.yaml"))[0]
    (demo_workspace.journal_dir / "mei-chen" / ada.name).write_bytes(ada.read_bytes())
    checkup = check(demo_workspace)
    assert checkup.needs_a_person
    [misfiled] = [f for f in checkup.findings if f.field == "coachee"]
    assert misfiled.file == str(demo_workspace.journal_dir / "mei-chen" / ada.name)
    assert misfiled.message == "a record of 'Ada Lovelace' in the folder of 'Mei Chen'"


def test_csv_export_reports_bad_files_on_stderr(demo_workspace, tmp_path, capsys):
    bad = demo_workspace.journal_dir / "mei-chen" / "x.yaml"
    bad.write_text("role: [")
    assert main(["export", "--csv", "-o", str(tmp_path / "j.csv"),
                 "--workspace", str(demo_workspace.root)]) == 1  # fmt: skip
    captured = capsys.readouterr()
    assert f"warning: skipped {bad}:1: YAML syntax error" in captured.err
    assert (tmp_path / "j.csv").is_file()


def test_a_broken_settings_file_is_one_problem_and_the_rest_is_checked(demo_workspace, capsys):
    (demo_workspace.root / "workspace.yaml").write_text("shared: [\n")
    bad = demo_workspace.journal_dir / "mei-chen" / "x.yaml"
    bad.write_text("role: [")
    assert main(["doctor", "--workspace", str(demo_workspace.root)]) == 1
    out = capsys.readouterr().out
    assert f"{demo_workspace.root / 'workspace.yaml'}:" in out and "YAML syntax error" in out
    assert f"{bad}:1: error:" in out  # the journal was still checked
    assert "2 problem(s) need a person" in out


def test_an_unknown_setting_is_a_problem_for_doctor_and_named_by_every_command(
    demo_workspace, tmp_path, capsys
):
    settings = demo_workspace.root / "workspace.yaml"
    settings.write_text("shraed: true\n")
    assert main(["doctor", "--workspace", str(demo_workspace.root)]) == 1
    out = capsys.readouterr().out
    assert f"{settings}:1: error: unknown setting 'shraed', ignored (did you mean 'shared'?)" in out
    assert main(["export", "--csv", "-o", str(tmp_path / "j.csv"),
                 "--workspace", str(demo_workspace.root)]) == 0  # fmt: skip
    err = capsys.readouterr().err
    assert f"{settings}:1: warning: unknown setting 'shraed'" in err
    assert os.stat(tmp_path / "j.csv").st_mode & 0o077 == 0  # still private, as it said


def test_a_temporary_folder_of_a_killed_unpack_is_removed_whole(demo_workspace, capsys):
    """`coach receive --to` a folder of the workspace, killed mid-unpack, leaves a
    ``.tmp-*`` folder with the half pack in it: doctor removes it, once, as one thing."""
    left = demo_workspace.root / "packs" / ".tmp-k1ll3d"
    (left / "pack" / "journal").mkdir(parents=True)
    (left / "pack" / "pack.yaml").write_text("half")
    (left / "pack" / ".tmp-0123").write_text("half a file")
    stale = time.time() - STALE_TEMP_SECONDS - 5
    os.utime(left, (stale, stale))
    assert main(["doctor", "--workspace", str(demo_workspace.root)]) == 0
    out = capsys.readouterr().out
    assert out.count("fixed: removed") == 1 and f"fixed: removed {left}," in out
    assert not left.exists() and (demo_workspace.root / "packs").is_dir()
