"""Journal folders edited by hand: every odd entry is one problem named by its file, and the
other records still load and export. Nothing is skipped without a word."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from coachlib.cli import main
from coachlib.model.errors import InputError, JournalError
from coachlib.model.names import clean_name
from coachlib.model.review import MAX_RECORD_BYTES, Assessment, new_review
from coachlib.store.journal import load_journal, save_review
from coachlib.store.records import read_record
from coachlib.views.history import load_history, load_levels

MEI = "mei-chen"


def a_record(workspace) -> Path:
    return sorted((workspace.journal_dir / MEI).glob("*.yaml"))[0]


def with_when(workspace, when: str, name: str) -> Path:
    text = a_record(workspace).read_text(encoding="utf-8")
    start = text.index("when: ")
    end = text.index("\n", start)
    path = workspace.journal_dir / MEI / name
    path.write_text(text[:start] + f"when: '{when}'" + text[end:], encoding="utf-8")
    return path


def odd_entries(workspace) -> dict[str, Path]:
    """One of each thing a hand (or a sync tool) leaves in a journal folder."""
    folder = workspace.journal_dir / MEI
    entries = {
        "dangling link": folder / "20260101T000000.000000Z-dangling-coach.yaml",
        "link loop": folder / "20260101T000001.000000Z-loop-coach.yaml",
        "link to a folder": folder / "20260101T000002.000000Z-folder-link-coach.yaml",
        "folder": folder / "20260101T000003.000000Z-folder-coach.yaml",
        "fifo": folder / "20260101T000004.000000Z-fifo-coach.yaml",
        "link to a record": folder / "20260101T000005.000000Z-record-link-coach.yaml",
        "too big": folder / "20260101T000006.000000Z-big-coach.yaml",
        "deep": folder / "20260101T000007.000000Z-deep-coach.yaml",
        "outside a folder": workspace.journal_dir / "20260101T000008.000000Z-stray-coach.yaml",
    }
    entries["dangling link"].symlink_to(folder / "gone.yaml")
    entries["link loop"].symlink_to(entries["link loop"].name)
    entries["link to a folder"].symlink_to(folder.parent)
    entries["folder"].mkdir()
    os.mkfifo(entries["fifo"])
    entries["link to a record"].symlink_to(a_record(workspace))
    entries["too big"].write_text("notes: '" + "x" * MAX_RECORD_BYTES + "'\n")
    entries["deep"].write_text("coachee: " + "[" * 600 + "]" * 600 + "\n")
    entries["outside a folder"].write_bytes(a_record(workspace).read_bytes())
    for year in ("2300", "1000", "1677", "2262", "9999", "0001"):
        entries[f"year {year}"] = with_when(
            workspace, f"{year}-06-01T10:00:00+00:00", f"{year}0601T100000.000000Z-x-coach.yaml"
        )
    entries["year 9999, west of UTC"] = with_when(
        workspace, "9999-12-31T23:59:59-12:00", "99991231T235959.000000Z-y-coach.yaml"
    )
    return entries


@pytest.fixture
def edited(demo_workspace):
    before = len(load_journal(demo_workspace).reviews)
    return demo_workspace, odd_entries(demo_workspace), before


def test_each_odd_entry_is_one_problem_named_by_its_file(edited, registry):
    workspace, entries, before = edited
    load = load_journal(workspace, registry=registry)
    named = [problem.file for problem in load.problems]
    assert sorted(named) == sorted(str(path) for path in entries.values())
    assert len(load.reviews) == before  # the others all load
    levels = load_levels(workspace, registry=registry)
    assert sorted(p.file for p in levels.problems) == sorted(named)


def test_the_reasons_say_what_is_wrong(edited):
    workspace, entries, _before = edited
    reasons = {p.file: p.message for p in load_journal(workspace).problems}

    def reason(kind: str) -> str:
        return reasons[str(entries[kind])]

    assert "symbolic link" in reason("dangling link")
    assert "symbolic link" in reason("link loop")
    assert "symbolic link" in reason("link to a folder")
    assert "a folder named like a journal file" in reason("folder")
    assert "not a regular file" in reason("fifo")
    assert f"over the limit of {MAX_RECORD_BYTES:,}" in reason("too big")
    assert "nested more than" in reason("deep")
    assert "outside any coachee's folder" in reason("outside a folder")
    for year in ("2300", "1000", "1677", "2262", "9999", "0001"):
        assert "outside the years 1900-2199" in reason(f"year {year}")


def test_doctor_names_every_one_and_goes_on(edited, capsys):
    workspace, entries, _before = edited
    assert main(["doctor", "--workspace", str(workspace.root)]) == 1
    out = capsys.readouterr().out
    for path in entries.values():
        assert f"{path}" in out, path
    assert "Traceback" not in out


def test_views_and_exports_go_on_without_them(edited, tmp_path, registry):
    workspace, _entries, _before = edited
    history = load_history(workspace, registry=registry)
    assert history.frame["when"].dt.year.between(1900, 2199).all()
    assert main(["export", "--csv", "-o", str(tmp_path / "j.csv"),
                 "--workspace", str(workspace.root)]) == 1  # fmt: skip
    text = (tmp_path / "j.csv").read_text(encoding="utf-8-sig")
    assert text.count("\n") > 100


@pytest.mark.slow
def test_team_and_summary_go_on_without_them(edited, tmp_path, capsys):
    workspace, _entries, _before = edited
    root = str(workspace.root)
    assert main(["team", "-o", str(tmp_path / "team.html"), "--workspace", root]) == 1
    assert "coach team: left out: " in capsys.readouterr().err  # each file, by name
    assert main(["export", "--coachee", "Mei Chen", "-o", str(tmp_path / "mei.html"),
                 "--workspace", root]) == 0  # fmt: skip
    page = (tmp_path / "mei.html").read_text(encoding="utf-8")
    assert "could not be read and are left out" in page
    assert "Traceback" not in capsys.readouterr().err


def test_a_big_record_is_refused_without_reading_it(demo_workspace, monkeypatch):
    """27 MB of assessments: refused by its size at once, never parsed (the parser is not
    called at all: shown by making any call to it fail)."""
    from coachlib.store import records

    path = demo_workspace.journal_dir / MEI / "20260101T000000.000000Z-huge-coach.yaml"
    with path.open("w") as out:
        out.write("format: coachlib.review/1\nassessments:\n")
        for index in range(100_000):
            out.write(f"- skill: s{index}\n  level: 1\n  evidence: {'e' * 240}\n")

    def never(*_args, **_kwargs):
        raise AssertionError("a file over the limit was parsed")

    monkeypatch.setattr(records, "parse_record", never)
    with pytest.raises(JournalError, match="over the limit"):
        read_record(path)


def test_a_long_value_is_cut_in_messages(demo_workspace):
    text = a_record(demo_workspace).read_text(encoding="utf-8")
    path = demo_workspace.journal_dir / MEI / "20260101T000000.000000Z-long-coach.yaml"
    path.write_text(text.replace("role: coach", "role: " + "r" * 500_000), encoding="utf-8")
    with pytest.raises(JournalError) as caught:
        read_record(path)
    assert len(str(caught.value)) < 1000
    assert "more characters" in str(caught.value)


def test_fields_over_the_limit_are_refused_with_the_field(workspace, registry):
    review = new_review(
        coachee="Ada", framework="samman-ensemble", author="B", role="coach",
        assessments=[Assessment("ensemble-facilitation", 2, reflection="x" * 20_001)],
    )  # fmt: skip
    with pytest.raises(InputError) as caught:
        save_review(workspace, review, registry)
    assert caught.value.field == "assessments[0].reflection"
    assert "20,000" in caught.value.message
    assert not workspace.journal_dir.exists()


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Ada\u200bLovelace", "U+200B ZERO WIDTH SPACE"),
        ("Ada\nLovelace", "U+000A"),
        ("Ada\x00Lovelace", "U+0000"),
        ("Ada\u202eLovelace", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("Ada\u2028Lovelace", "U+2028 LINE SEPARATOR"),
    ],
)
def test_hidden_characters_in_names_are_refused(name, shown):
    with pytest.raises(InputError, match=shown.replace("+", r"\+")):
        clean_name(name, "coachee name")


def test_names_that_only_look_different_are_one_name():
    assert clean_name("  Ada\u00a0Lovelace\t") == "Ada Lovelace"
    assert clean_name("Zoe\u0308") == "Zoë"  # composed
    assert clean_name("علی\u200cرضا") == "علی\u200cرضا"  # a Persian name keeps its joiner


def test_a_hidden_character_never_merges_into_an_existing_coachee(demo_workspace, registry):
    for name in ("Mei\nChen", "Mei\x00Chen", "Mei\u200bChen"):
        with pytest.raises(InputError):
            save_review(
                demo_workspace,
                new_review(coachee=name, framework="samman-ensemble", author="B",
                           role="coach", assessments=[Assessment("ensemble-facilitation", 2)]),
                registry,
            )  # fmt: skip
    assert "Mei\nChen" not in demo_workspace.coachees().values()


def test_shared_workspace_notebooks_follow_its_modes(demo_workspace):
    from coachlib.export.new import new_session_notebook

    (demo_workspace.root / "workspace.yaml").write_text("shared: true\n")
    made = new_session_notebook(
        demo_workspace, framework="samman-ensemble", coachee="Mei Chen", author="B",
        execute=False,
    )  # fmt: skip
    assert stat.S_IMODE(made.path.stat().st_mode) == 0o660
    assert stat.S_IMODE(made.path.parent.stat().st_mode) & 0o070 == 0o070
