"""The session log: entries written once and checked, the catalogue, evidence beside each
milestone, the form, and the coaching-block report."""

from __future__ import annotations

import stat
from datetime import date
from pathlib import Path

import pytest

from coachlib.cli import main
from coachlib.model.catalogue import parse_catalogue
from coachlib.model.errors import InputError
from coachlib.model.sessionlog import new_entry
from coachlib.store.frameworks import registry_for
from coachlib.store.journal import load_journal
from coachlib.store.sessionlog import load_catalogue, load_log, save_entry
from coachlib.views import evidence

LH = "samman-learning-hour"
TODAY = date(2026, 6, 30)


def log(workspace, *args: str) -> int:
    return main(["log", "--workspace", str(workspace.root), *args])


def files_under(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}  # fmt: skip


def entry(day=(2026, 5, 4), kind="learning-hour", role="led-adapted", coachee="Ada Lovelace",
          team="Payments", **kw):  # fmt: skip
    return new_entry(day=date(*day), kind=kind, team=team, people=[(coachee, role)],
                     author="Morgan Reyes", today=TODAY, **kw)  # fmt: skip


def test_a_logged_session_is_one_private_file_read_back_as_written(workspace, capsys):
    assert log(workspace, "--coachee", "Ada Lovelace", "--role", "led-adapted", "--team",
               "Payments", "--kind", "learning-hour", "--date", "2026-05-04",
               "--learning-hour", "Refactoring Golf", "--minutes", "60", "--participants",
               "6", "--went-well", "Everyone typed.", "--business-value", "Fewer bugs.",
               "--author", "Morgan Reyes") == 0  # fmt: skip
    [path] = list(workspace.log_dir.rglob("*.yaml"))
    assert (
        path.relative_to(workspace.log_dir).as_posix() == "payments/2026-05-04-learning-hour.yaml"
    )
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "Logged: " in capsys.readouterr().out
    [read] = load_log(workspace).entries
    assert read.people[0].coachee == "Ada Lovelace" and read.people[0].role == "led-adapted"
    assert read.material == "Refactoring Golf"
    assert read.learning_hour.startswith("https://sammancoaching.org/learning_hours/")
    assert read.status == {"went_well": "Everyone typed.", "business_value": "Fewer bugs."}
    assert (read.minutes, read.participants) == (60, 6)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kind", "lh"], "kind: unknown kind 'lh' (one of: learning-hour"),
        (["--role", "designd"], "people[0].role: unknown role 'designd'"),
        (["--date", "2099-01-01"], "date: 2099-01-01 is in the future"),
        (["--date", "2026-02-30"], "date: not a date: '2026-02-30'"),
        (["--date", "1899-12-31"], "date: 1899-12-31 is outside the years 1900-2199"),
        (["--team", "  "], "team name is empty"),
        (["--learning-hour", "Refactorin Golf"],
         "no learning hour 'Refactorin Golf' in the catalogue (did you mean: Refactoring Golf"),
        (["--notes", "x" * 20_001], "notes: holds more than the limit of 20,000 characters"),
        (["--stage", "we-do"], "stage: a mentoring stage belongs to a mentoring session"),
        (["--kind", "mentoring", "--stage", "later"], "stage: unknown stage 'later'"),
        (["--coachee", "Bo"], "2 --coachee but 1 --role"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_naming_the_field_and_nothing_is_written(
    workspace, capsys, args, message
):
    base = {"--coachee": "Ada", "--role": "took-part", "--team": "Payments",
            "--kind": "ensemble"}  # fmt: skip
    given = dict(zip(args[::2], args[1::2], strict=True))
    merged = [part for key, value in (base | given).items() for part in (key, value)]
    if "--coachee" in given and given["--coachee"] == "Bo":
        merged = ["--coachee", "Ada", *merged]
    before = files_under(workspace.root)
    assert log(workspace, *merged) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err, err
    assert files_under(workspace.root) == before


def test_help_lists_the_kinds_roles_and_stages(capsys):
    with pytest.raises(SystemExit):
        main(["log", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "learning-hour (learning hour)" in out and "led-retro (led the retrospective)" in out
    assert "you-do-supported (you do with support)" in out


def test_a_hand_edited_entry_names_its_file_line_and_field(workspace):
    saved = save_entry(workspace, entry())
    text = saved.path.read_text().replace("role: led-adapted", "role: lead")
    saved.path.write_text(text)
    load = load_log(workspace)
    [problem] = load.problems
    assert load.entries == []
    assert problem.field == "people[0].role" and "unknown role 'lead'" in problem.message
    lines = text.splitlines()
    assert problem.line == next(i for i, line in enumerate(lines) if "role: lead" in line) + 1


def test_the_catalogue_ships_with_its_rows_and_refreshes_only_when_every_row_is_good(
    workspace, tmp_path, capsys
):
    shipped = load_catalogue(workspace)
    assert len(shipped) == 141
    good = tmp_path / "new.csv"
    text = (Path(__file__).resolve().parent.parent / "frameworks" / "catalogue"
            / "learning_hours.csv").read_text(encoding="utf-8")  # fmt: skip
    good.write_text(text + "bdd,A New Hour,Kata,2,someone,new,https://sammancoaching.org/x.html\n")
    bad = tmp_path / "bad.csv"
    bad.write_text(text + "bdd,Broken,Kata,hard,someone,,https://sammancoaching.org/y.html\n")
    assert main(["catalogue", "refresh", str(bad), "--workspace", str(workspace.root)]) == 2
    assert "difficulty: difficulty 'hard' is not a whole number" in capsys.readouterr().err
    assert not (workspace.frameworks_dir / "catalogue").exists()
    assert main(["catalogue", "refresh", str(good), "--workspace", str(workspace.root)]) == 0
    assert len(load_catalogue(workspace)) == 142
    with pytest.raises(InputError, match="no column kata, difficulty, author, tags, url"):
        parse_catalogue("theme,title\nx,y\n", "f.csv")


def test_evidence_counts_per_milestone_as_the_framework_data_says(workspace):
    registry = registry_for(workspace.root)
    track = registry.get(LH)
    for day, role in (((2026, 3, 2), "led-from-materials"), ((2026, 4, 6), "led-adapted"),
                      ((2026, 5, 4), "led-adapted"), ((2026, 6, 1), "designed")):  # fmt: skip
        save_entry(workspace, entry(day=day, role=role))
    save_entry(workspace, entry(kind="ensemble", role="designed"))  # not a learning hour
    save_entry(workspace, entry(coachee="Mei Chen", role="series"))  # someone else
    found = evidence.evidence_by_level(track, load_log(workspace).entries, "Ada Lovelace")
    assert {lv: ev.count for lv, ev in found.items()} == {1: 1, 2: 2, 3: 1, 4: 0, 5: 0}
    assert found[2].latest == date(2026, 5, 4)
    assert evidence.evidence_flag(2, found) == (
        "logged evidence for milestone 3: ready for a review?"
    )
    assert evidence.evidence_flag(3, found) == ""
    assert evidence.evidence_flag(4, found) == "milestone 4 recorded with no logged evidence"
    # the seed text's version has the same rules
    assert registry.get(LH, 1).level(3).evidence == track.level(3).evidence


def test_the_review_notebook_shows_evidence_and_the_form_attaches_it(workspace):
    from coachlib.notebook import ReviewSession

    first = save_entry(workspace, entry(day=(2026, 5, 4), role="led-adapted"))
    save_entry(workspace, entry(day=(2026, 6, 1), role="designed"))
    session = ReviewSession(framework=LH, coachee="Ada Lovelace", author="Morgan Reyes",
                            workspace=workspace.root, as_of="2026-06-30")  # fmt: skip
    shown = session.show_standing().data
    assert "Logged evidence" in shown
    assert "1 session, latest 2026-05-04" in shown and "1 session, latest 2026-06-01" in shown
    assert "ready for a review?" in shown.lower()
    form = session.review_form()
    labels = [label for label, _ in form.sessions.options]
    assert labels[0].startswith("2026-06-01 · learning hour · Payments · designed it new")
    form.picker.value = 2
    form.sessions.value = (first.id,)
    form.save_button.click()
    assert "Saved" in form.status.text, form.status.text
    [review] = load_journal(workspace).reviews
    assert review.sessions == (first.id,) == ("payments/2026-05-04-learning-hour",)


def test_the_summary_has_an_evidence_section_with_nothing_of_others(workspace, tmp_path):
    from coachlib.export.summaries import export_summary
    from coachlib.model.review import milestone_review
    from coachlib.store.journal import save_review

    registry = registry_for(workspace.root)
    review = milestone_review(
        registry.get(LH), coachee="Ada Lovelace", author="Morgan", role="coach", level=2
    )
    save_review(workspace, review, registry)
    save_entry(workspace, new_entry(
        day=date(2026, 5, 4), kind="learning-hour", team="Payments", author="Morgan",
        people=[("Ada Lovelace", "led-adapted"), ("Zed Other", "took-part")],
        notes="Zed was quiet today.", material="Gilded Rose", today=TODAY,
    ))  # fmt: skip
    page = export_summary(workspace, "Ada Lovelace", output=tmp_path / "ada.html")
    html = page.read_text(encoding="utf-8")
    assert "Evidence from the session log" in html
    assert "2026-05-04 · learning hour · Payments · led from an existing plan, adapted" in html
    import re

    text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", html)  # chart bytes aside
    assert "Zed" not in text  # another person in the session, and the notes about them


def test_the_block_report_speaks_in_the_teams_words_and_names_nobody_unasked(
    workspace, tmp_path, capsys
):
    from coachlib.export.summaries import export_block

    golf = "https://sammancoaching.org/learning_hours/refactoring/golf.html"
    said = {"went_well": "Rotations flowed.", "business_value": "Faster fixes."}
    hour = entry(day=(2026, 5, 4), status=said, learning_hour=golf,
                 material="Refactoring Golf", minutes=60, participants=6)  # fmt: skip
    save_entry(workspace, hour)
    slow = {"challenges": "The build was slow."}
    ensemble = entry(day=(2026, 5, 6), kind="ensemble", role="facilitated", status=slow,
                     minutes=120)  # fmt: skip
    save_entry(workspace, ensemble)
    save_entry(workspace, entry(day=(2026, 1, 6)))  # before the block
    page = export_block(workspace, team="Payments", date_from="2026-05-01",
                        date_to="2026-05-31", output=tmp_path / "b.html").read_text()  # fmt: skip
    assert "Coaching block: Payments" in page and "2 session(s) logged" in page
    assert "Rotations flowed." in page and "Faster fixes." in page
    assert "The build was slow." in page and "Refactoring Golf" in page
    assert "3.0 hours" in page
    assert "Ada Lovelace" not in page
    assert "Sessions per week." in page and "data:image/png;base64," in page
    named = export_block(workspace, team="Payments", date_from="2026-05-01",
                         date_to="2026-05-31", output=tmp_path / "n.html",
                         include_reflections=True).read_text()  # fmt: skip
    assert "Ada Lovelace" in named and "names of the people coached" in named
    for args, message in (
        (["--team", "Nope", "--from", "2026-05-01"], "no team called 'Nope'"),
        (["--team", "Payments", "--from", "2026-05-31", "--to", "2026-05-01"], "ends"),
        (["--team", "Payments", "--from", "May"], "from must be a date"),
    ):
        assert main(["block", "--workspace", str(workspace.root), *args]) == 2
        assert message in capsys.readouterr().err


def test_the_form_saves_one_entry_and_keeps_what_was_typed_on_an_error(workspace):
    from coachlib.notebook import SessionLog

    log_book = SessionLog(workspace=workspace.root, author="Morgan Reyes", as_of="2026-06-30")
    form = log_book.form()
    form.team.value = "Payments"
    form.coachee.value = "Ada Lovelace"
    form.kind.value = "learning-hour"
    form.role.value = "designed"
    form.learning_hour.value = "Refactorin Golf"
    form.save_button.click()
    assert "Not saved" in form.status.text and "did you mean: Refactoring Golf" in form.status.text
    assert form.team.value == "Payments" and not workspace.log_dir.exists()
    form.learning_hour.value = "Refactoring Golf"
    form.status_fields["went_well"].value = "Good energy."
    form.save_button.click()
    form.save_button.click()  # nothing changed: no second file
    assert "Already saved" in form.status.text
    [saved] = load_log(workspace).entries
    assert saved.people[0].role == "designed" and saved.status == {"went_well": "Good energy."}
    assert "Refactoring Golf" in log_book.show_recent().data


def test_the_demo_has_a_year_of_coaching_blocks(demo_journal_master):
    from coachlib.store.workspace import Workspace

    load = load_log(Workspace(demo_journal_master))
    assert load.problems == []
    assert {e.team for e in load.entries} == {"Payments", "Search"}
    assert {e.kind for e in load.entries} >= {"learning-hour", "ensemble", "retrospective"}
    assert len(load.entries) > 60


def test_the_log_index_follows_every_change_and_survives_damage(workspace):
    from coachlib.store import cache
    from coachlib.store.sessionlog import load_log_light, log_index_path

    saved = save_entry(workspace, entry(role="led-adapted"))
    save_entry(workspace, entry(coachee="Mei Chen", role="took-part"))
    assert [e.people[0].role for e in load_log_light(workspace).entries] == [
        "led-adapted", "took-part"]  # fmt: skip
    assert log_index_path(workspace).is_file()
    mine = load_log_light(workspace, coachee="Mei Chen").entries
    assert [e.people[0].coachee for e in mine] == ["Mei Chen"]
    saved.path.write_text(saved.path.read_text().replace("led-adapted", "designed"))
    cache.clear()
    assert load_log_light(workspace, coachee="Ada Lovelace").entries[0].people[0].role == (
        "designed"
    )
    log_index_path(workspace).write_text('{"version": 1, "files": {"x": [1, 2]}}')
    cache.clear()
    assert len(load_log_light(workspace).entries) == 2
    saved.path.write_text("kind: [")
    cache.clear()
    light = load_log_light(workspace)
    assert len(light.entries) == 1 and light.problems[0].file == str(saved.path)


def test_a_coachee_with_nothing_logged_gets_no_evidence_column(workspace):
    from coachlib.notebook import ReviewSession

    save_entry(workspace, entry(coachee="Mei Chen"))
    session = ReviewSession(framework=LH, coachee="Ada Lovelace", author="Morgan Reyes",
                            workspace=workspace.root)  # fmt: skip
    shown = session.show_standing().data
    assert "Logged evidence" not in shown and "none logged" not in shown
    assert session.review_form().sessions.options == ()


def _hostile_log_files(workspace) -> dict[str, str]:
    """A team's log with one good session and a hostile file of each kind: the file's name
    and a piece of what the command must say about it."""
    save_entry(workspace, entry())
    folder = workspace.log_dir / "payments"
    good = next(folder.glob("*.yaml")).read_text()
    (folder / "2026-05-05-bad-yaml.yaml").write_text("date: [unclosed\n")
    (folder / "2026-05-06-wrong-field.yaml").write_text(good.replace("role: led-adapted",
                                                                     "role: lead"))  # fmt: skip
    (folder / "2026-05-07-too-big.yaml").write_bytes(b"#" * 2_000_000)
    (folder / "2026-05-08-binary.yaml").write_bytes(b"\xff\xfe\x00binary")
    (folder / "2026-05-09-link.yaml").symlink_to("/etc/passwd")
    return {
        "2026-05-05-bad-yaml.yaml": "2026-05-05-bad-yaml.yaml:1",
        "2026-05-06-wrong-field.yaml": "people[0].role: unknown role 'lead'",
        "2026-05-07-too-big.yaml": "over the limit",
        "2026-05-08-binary.yaml": "not UTF-8",
        "2026-05-09-link.yaml": "2026-05-09-link.yaml",
    }


def test_block_and_team_name_each_hostile_log_file_and_exit_1(workspace, tmp_path, capsys):
    said = _hostile_log_files(workspace)
    root = str(workspace.root)
    capsys.readouterr()
    for command, page in ((["block", "--team", "Payments", "--from", "2026-05-01",
                            "--to", "2026-05-31"], tmp_path / "block.html"),
                          (["team"], tmp_path / "team.html")):  # fmt: skip
        assert main([*command, "--workspace", root, "-o", str(page)]) == 1, command
        err = capsys.readouterr().err
        for name, piece in said.items():
            line = next((line for line in err.splitlines() if name in line), "")
            assert "left out" in line and piece in line, (command, name, err)
        assert "Traceback" not in err
        html = page.read_text(encoding="utf-8")  # written all the same
        assert "5 file(s) of the journal or the session log could not be read" in html
        assert str(workspace.root.resolve()) not in html and "bad-yaml" not in html


def test_doctor_checks_the_log_with_file_line_and_field(workspace, capsys):
    said = _hostile_log_files(workspace)
    capsys.readouterr()
    assert main(["doctor", "--workspace", str(workspace.root)]) == 1
    out = capsys.readouterr().out
    for name, piece in said.items():
        line = next((line for line in out.splitlines() if name in line), "")
        assert "error" in line and piece in line, (name, out)
    wrong = next(line for line in out.splitlines() if "wrong-field" in line)
    assert "2026-05-06-wrong-field.yaml:" in wrong and "people[0].role" in wrong
    assert "and 1 logged session(s) read" in out


def _no_marker(marker: Path) -> None:
    marker.unlink()


def _linked_marker(marker: Path) -> None:
    marker.unlink()
    marker.symlink_to(marker.parent / "2026-05-04-learning-hour.yaml")


def _huge_marker(marker: Path) -> None:
    marker.write_bytes(b"Payments\n" + b" " * 5_000_000)


def _another_teams_marker(marker: Path) -> None:
    marker.write_text("Search\n")


@pytest.mark.parametrize(
    ("breakage", "said"),
    [
        (_no_marker, "warning: no .team file; the team is 'Payments'"),
        (_linked_marker, "error: its .team file is a symbolic link"),
        (_huge_marker, "error: its .team file holds 5,000,009 bytes"),
        (_another_teams_marker, "error: team: names the team 'Search', but the sessions in its "
                                "folder are of 'Payments'"),
    ],
)  # fmt: skip
def test_a_broken_team_marker_hides_no_team_and_doctor_names_it(workspace, capsys, breakage, said):
    save_entry(workspace, entry())
    save_entry(workspace, entry(team="Search", coachee="Mei Chen"))
    marker = workspace.log_dir / "payments" / ".team"
    breakage(marker)
    assert sorted(workspace.teams().values()) == ["Payments", "Search"]
    assert workspace.require_team_slug("Payments") == "payments"
    assert workspace.require_team_slug("Search") == "search"
    assert len(load_log(workspace, team="Payments").entries) == 1
    capsys.readouterr()
    status = main(["doctor", "--workspace", str(workspace.root)])
    out = capsys.readouterr().out
    line = next((line for line in out.splitlines() if said in line), "")
    assert "payments" in line, out
    assert status == (0 if breakage is _no_marker else 1)
    assert log(workspace, "--coachee", "Ada Lovelace", "--role", "took-part", "--team",
               "Payments", "--kind", "ensemble", "--date", "2026-05-05") == 0  # fmt: skip
    assert not (workspace.log_dir / "payments-2").exists()  # the same team, the same folder


def test_a_hand_edited_date_outside_the_years_is_named_with_its_line(workspace):
    saved = save_entry(workspace, entry())
    saved.path.write_text(saved.path.read_text().replace("date: '2026-05-04'",
                                                         "date: '1899-12-31'"))  # fmt: skip
    [problem] = load_log(workspace).problems
    assert problem.field == "date" and "outside the years 1900-2199" in problem.message
    assert problem.line == 2


def test_log_refuses_a_workspace_that_does_not_exist(tmp_path, capsys):
    missing = tmp_path / "nonexistent-ws"
    assert main(["log", "--workspace", str(missing), "--coachee", "Ada", "--role",
                 "took-part", "--team", "Payments", "--kind", "ensemble"]) == 2  # fmt: skip
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no workspace here" in err
    assert not missing.exists()


@pytest.mark.parametrize(
    ("period", "message"),
    [
        (["--from", "1900-01-01"], "a coaching block is at most 731 days (two years)"),
        (["--from", "2026-05-01", "--to", "2199-01-01"], "at most 731 days"),
        (["--from", "1899-12-31", "--to", "1900-01-01"], "from: 1899-12-31 is outside"),
        (["--from", "2026-05-01", "--to", "2200-01-01"], "to: 2200-01-01 is outside"),
    ],
)
def test_a_block_is_bounded_and_refused_at_once_beyond(workspace, capsys, period, message):
    import time

    save_entry(workspace, entry())
    before = files_under(workspace.root)
    started = time.monotonic()
    assert main(["block", "--workspace", str(workspace.root), "--team", "Payments",
                 *period]) == 2  # fmt: skip
    assert time.monotonic() - started < 5  # refused before any kernel starts
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err, err
    assert files_under(workspace.root) == before


def test_the_block_chart_and_its_text_do_not_grow_with_empty_weeks():
    from coachlib.views import plots

    sessions = [entry(day=(2024, 7, 1)), entry(day=(2026, 6, 29), kind="ensemble",
                                               role="facilitated")]  # fmt: skip
    start, end = date(2024, 6, 30), date(2026, 6, 30)  # 731 days: the longest block
    text = plots.describe_sessions(sessions, start, end)
    assert text == (
        "Sessions per week. week of 2024-06-24: none; week of 2024-07-01: 1 learning hour; "
        "weeks of 2024-07-08 to 2026-06-22: none; week of 2026-06-29: 1 ensemble."
    )
    figure = plots.sessions_chart(sessions, start, end, title="t")
    [axes] = figure.axes
    assert len(axes.patches) == 2  # one bar a week that had sessions, none for the others
    assert len(axes.get_xticks()) <= 11


def test_a_team_name_that_folds_to_a_logged_one_is_refused_unless_new(workspace, capsys):
    save_entry(workspace, entry())
    before = files_under(workspace.root)
    for typed in ("payments", "Paymënts", "PAY-MENTS"):
        assert log(workspace, "--coachee", "Ada", "--role", "took-part", "--team", typed,
                   "--kind", "ensemble") == 2  # fmt: skip
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "did you mean 'Payments'?" in err, err
        assert "--new-team" in err
    assert files_under(workspace.root) == before
    assert log(workspace, "--coachee", "Ada", "--role", "took-part", "--team", "payments",
               "--kind", "ensemble", "--new-team") == 0  # fmt: skip
    assert set(workspace.teams().values()) == {"payments", "Payments"}
    assert main(["block", "--workspace", str(workspace.root), "--team", "Paymënts",
                 "--from", "2026-05-01"]) == 2  # fmt: skip
    assert "did you mean 'Payments' or 'payments'?" in capsys.readouterr().err


def test_doctor_names_a_log_file_others_can_read(workspace, capsys):
    saved = save_entry(workspace, entry())
    saved.path.chmod(0o644)
    capsys.readouterr()
    main(["doctor", "--workspace", str(workspace.root), "--no-clean"])
    out = capsys.readouterr().out
    assert "1 session log file(s) or folder(s) can be read by other users" in out, out


def test_the_form_counts_only_what_is_given_and_takes_several_people(workspace, monkeypatch):
    """Participants stay empty until given (0 would say nobody came); several people
    coached, as the CLI takes; the author is the workspace's coach, not the login name."""
    from coachlib.notebook import SessionLog

    monkeypatch.delenv("COACH_AUTHOR", raising=False)
    (workspace.root / "workspace.yaml").write_text("coach: Morgan Reyes\n")
    log_book = SessionLog(workspace=workspace.root, as_of="2026-06-30")
    form = log_book.form()
    assert form.participants.value == ""
    assert "Logged as Morgan Reyes" in form.widget.children[1].value
    form.team.value = "Payments"
    form.kind.value = "ensemble"
    form.coachee.value = "Ada Lovelace, Mei Chen"
    form.role.value = "led-adapted"
    form.participants.value = "six"
    form.save_button.click()
    assert "participants: a whole number" in form.status.text, form.status.text
    form.participants.value = ""
    form.save_button.click()
    [saved] = load_log(workspace).entries
    assert [p.coachee for p in saved.people] == ["Ada Lovelace", "Mei Chen"]
    assert saved.participants is None and saved.author == "Morgan Reyes"
    monkeypatch.setenv("COACH_AUTHOR", "Sam Lee")
    assert SessionLog(workspace=workspace.root).author == "Sam Lee"
