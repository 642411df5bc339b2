"""The journal: one file per save, never rewritten, names slugged, bad files reported."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from coachlib.model.errors import InputError, JournalError, WorkspaceError
from coachlib.model.names import clean_name, slugify
from coachlib.model.review import Assessment, new_review
from coachlib.store.journal import load_journal, record_paths, save_review
from coachlib.store.records import read_record
from coachlib.store.workspace import Workspace

WHEN = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)


def review(coachee="Ada Lovelace", level=2, role="coach", when=WHEN, **texts):
    return new_review(
        coachee=coachee,
        framework="samman-ensemble",
        author="Grace Hopper",
        role=role,
        when=when,
        assessments=[Assessment("ensemble-facilitation", level, **texts)],
    )


def test_a_saved_review_round_trips_with_every_field(workspace, registry):
    original = new_review(
        coachee="Ada Lovelace",
        framework="samman-ensemble",
        author="Grace Hopper",
        role="self",
        when=WHEN,
        assessments=[
            Assessment(
                "ensemble-facilitation",
                3,
                evidence="Ran the retro.\nTwo lines, ünïcödé, <b>tags</b>, 'quotes': and # hash",
                reflection="  leading spaces and trailing\n\n\nblank lines  ",
                next_steps="- a list\n- of steps",
            )
        ],
        notes="Session notes: 100% fine",
    )
    saved = save_review(workspace, original, registry)
    assert saved.path.parent == workspace.journal_dir / "ada-lovelace"
    assert saved.path.name == "20260301T100000.000000Z-samman-ensemble-self.yaml"
    loaded = read_record(saved.path)
    newest = registry.get("samman-ensemble")
    # the record names the text it was made against: the newest, unless the review named one
    assert (loaded.framework_version, loaded.framework_hash) == (newest.version, newest.digest)
    assert loaded == replace(original, framework_version=newest.version,
                             framework_hash=newest.digest)  # fmt: skip
    assert loaded.assessments[0].evidence == original.assessments[0].evidence
    data = yaml.safe_load(saved.path.read_text(encoding="utf-8"))
    assert data["coachee"] == "Ada Lovelace"
    assert data["author"] == "Grace Hopper"
    assert data["role"] == "self"
    assert data["when"] == "2026-03-01T10:00:00+00:00"
    assert data["assessments"][0]["level"] == 3
    assert data["notes"] == "Session notes: 100% fine"


def test_a_second_save_is_a_second_file_and_the_first_is_untouched(workspace, registry):
    first = save_review(workspace, review(level=1), registry)
    before = first.path.read_bytes()
    second = save_review(workspace, review(level=2), registry)  # same second, same names
    assert second.path != first.path
    assert second.path.name.endswith("-coach-2.yaml")
    assert first.path.read_bytes() == before
    assert [r.assessments[0].level for r in load_journal(workspace).reviews] == [1, 2]


def test_no_temporary_files_are_left_behind(workspace, registry):
    save_review(workspace, review(), registry)
    leftovers = [p for p in workspace.root.rglob("*") if p.name.startswith(".tmp-")]
    assert leftovers == []


def test_records_and_folders_are_private_by_default(workspace, registry):
    saved = save_review(workspace, review(), registry)
    assert saved.path.stat().st_mode & 0o077 == 0
    assert saved.path.parent.stat().st_mode & 0o077 == 0


def test_a_level_off_the_scale_is_refused_before_writing(workspace, registry):
    with pytest.raises(InputError, match="level 7 is not on the scale of samman-ensemble"):
        save_review(workspace, review(level=7), registry)
    assert record_paths(workspace) == []


def test_unknown_framework_is_refused(workspace, registry):
    bad = new_review(
        coachee="A", framework="nope", author="B", role="coach",
        assessments=[Assessment("x", 1)],
    )  # fmt: skip
    with pytest.raises(Exception, match="unknown framework 'nope'"):
        save_review(workspace, bad, registry)


@pytest.mark.parametrize("role", ["", "mentor", "Coach"])
def test_role_must_be_coach_or_self(role):
    with pytest.raises(InputError, match="role must be 'coach' or 'self'"):
        review(role=role)


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Ada Lovelace", "ada-lovelace"),
        ("  Zoë   Ağaoğlu ", "zoe-agaoglu"),
        ("../../etc/passwd", "etc-passwd"),
        ("/abs", "abs"),
        ("a/b", "a-b"),
        ("CON", None),
        (".", None),
        ("李小龙", None),
        ("🦄", None),
        ("مريم", None),
        ("x" * 300, None),
    ],
)
def test_slugs_are_safe_path_components(name, slug):
    made = slugify(clean_name(name))
    if slug is not None:
        assert made == slug
    assert made and made not in {".", ".."}
    assert "/" not in made and "\\" not in made
    assert len(made) <= 72
    assert made.lower() not in {"con", "nul", "prn", "aux"}


@pytest.mark.parametrize("name", ["", "   ", "\n\t", 7, None])
def test_empty_names_are_refused(name):
    with pytest.raises(InputError):
        clean_name(name, "coachee name")


@pytest.mark.parametrize(
    "name", ["../../etc/passwd", "/abs", "CON", "a/b", ".", "🦄🦄", "李小龙", "x" * 300, "مريم"]
)
def test_any_name_saves_inside_the_workspace_and_keeps_the_name(workspace, registry, name):
    saved = save_review(workspace, review(coachee=name), registry)
    assert saved.path.resolve().is_relative_to(workspace.journal_dir.resolve())
    assert read_record(saved.path).coachee == clean_name(name)


def test_names_with_the_same_slug_get_different_folders(workspace, registry):
    one = save_review(workspace, review(coachee="Ada Lovelace"), registry)
    two = save_review(workspace, review(coachee="ada lovelace"), registry)
    three = save_review(workspace, review(coachee="Ada  Lovelace"), registry)  # same person
    assert one.path.parent.name == "ada-lovelace"
    assert two.path.parent.name == "ada-lovelace-2"
    assert three.path.parent == one.path.parent
    assert [r.coachee for r in load_journal(workspace, coachee="ada lovelace").reviews] == [
        "ada lovelace"
    ]


def test_a_folder_copied_without_its_marker_still_belongs_to_its_coachee(workspace, registry):
    saved = save_review(workspace, review(coachee="Ada Lovelace"), registry)
    (saved.path.parent / ".coachee").unlink()
    assert workspace.coachee_slug("Ada Lovelace") == "ada-lovelace"
    assert workspace.coachees() == {"ada-lovelace": "Ada Lovelace"}


def write_raw(workspace: Workspace, name: str, text: str) -> Path:
    folder = workspace.journal_dir / "ada-lovelace"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_bad_file_is_reported_with_file_line_and_field_and_the_rest_load(workspace, registry):
    good = save_review(workspace, review(), registry)
    text = good.path.read_text()
    bad_type = write_raw(workspace, "b.yaml", text.replace("level: 2", "level: two"))
    bad_syntax = write_raw(workspace, "c.yaml", text.replace("role: coach", "role: [coach"))
    unknown_level = write_raw(workspace, "d.yaml", text.replace("level: 2", "level: 9"))
    unknown_fw = write_raw(
        workspace, "e.yaml", text.replace("framework: samman-ensemble", "framework: gone")
    )
    loaded = load_journal(workspace, registry=registry)
    assert [r.path for r in loaded.reviews] == [good.path]
    problems = {Path(p.file).name: p for p in loaded.problems}
    assert set(problems) == {"b.yaml", "c.yaml", "d.yaml", "e.yaml"}
    assert problems["b.yaml"].field == "assessments[0].level"
    assert problems["b.yaml"].line == text.splitlines().index("    level: 2") + 1
    assert "YAML syntax error" in str(problems["c.yaml"])
    assert problems["d.yaml"].field == "assessments[0].level"
    assert "level 9 is not on the scale" in str(problems["d.yaml"])
    assert "unknown framework 'gone'" in str(problems["e.yaml"])
    for path in (bad_type, bad_syntax, unknown_level, unknown_fw):
        assert str(path) in str(problems[path.name])


def test_a_hand_edited_name_reads_as_every_other_way_in_records_it(workspace, registry):
    """One rule for names wherever they come from: NFC, spaces tidied, hidden characters
    refused with the line and field."""
    saved = save_review(workspace, review(), registry)
    text = saved.path.read_text(encoding="utf-8")
    saved.path.write_text(text.replace("coachee: Ada Lovelace", 'coachee: "Ada\\u00a0Lovelace "'),
                          encoding="utf-8")  # fmt: skip
    assert read_record(saved.path).coachee == "Ada Lovelace"
    hidden = write_raw(
        workspace, "z.yaml", text.replace("author: Grace Hopper", 'author: "Grace\\u200bHopper"')
    )
    loaded = load_journal(workspace, coachee="Ada Lovelace")
    assert [r.path for r in loaded.reviews] == [saved.path]
    [problem] = loaded.problems
    assert problem.file == str(hidden) and problem.field == "author"
    assert "U+200B" in problem.message
    assert problem.line == text.splitlines().index("author: Grace Hopper") + 1


def test_temporary_and_hidden_files_are_ignored(workspace, registry):
    save_review(workspace, review(), registry)
    write_raw(workspace, ".tmp-123abc", "half a rec")
    write_raw(workspace, ".tmp-x.yaml", "half a rec")
    loaded = load_journal(workspace, registry=registry)
    assert len(loaded.reviews) == 1 and loaded.problems == []


def test_python_tags_in_a_journal_file_are_refused(workspace, tmp_path):
    marker = tmp_path / "pwned"
    write_raw(workspace, "x.yaml", f"coachee: !!python/object/apply:os.system ['touch {marker}']\n")
    loaded = load_journal(workspace)
    assert "refused: the tag !!python/object/apply:os.system" in str(loaded.problems[0])
    assert not marker.exists()


def test_an_unquoted_timestamp_typed_by_hand_is_accepted(workspace, registry):
    saved = save_review(workspace, review(), registry)
    text = saved.path.read_text().replace("'2026-03-01T10:00:00+00:00'", "2026-03-01 10:00:00")
    saved.path.write_text(text)
    assert read_record(saved.path).when == WHEN


def test_workspace_resolution(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("COACH_WORKSPACE", raising=False)
    from coachlib.store.workspace import resolve_root

    assert resolve_root(None) == Path("coaching")
    monkeypatch.setenv("COACH_WORKSPACE", str(tmp_path / "env"))
    assert resolve_root(None) == tmp_path / "env"
    assert resolve_root(tmp_path / "explicit") == tmp_path / "explicit"
    with pytest.raises(WorkspaceError, match="no workspace here"):
        Workspace.open(None)
    with pytest.raises(WorkspaceError, match="does not exist"):
        Workspace.open(tmp_path / "missing" / "deeper", create=True)
    # A new workspace is made by its first write, not by opening it: a refused command
    # leaves nothing behind.
    assert not Workspace.open(None, create=True).root.exists()


def test_shared_workspace_setting_gives_the_group_access(tmp_path, registry):
    root = tmp_path / "shared"
    root.mkdir()
    (root / "workspace.yaml").write_text("shared: true\n")
    workspace = Workspace.open(root)
    saved = save_review(workspace, review(), registry)
    assert saved.path.stat().st_mode & 0o777 == 0o660
    assert saved.path.parent.stat().st_mode & 0o777 == 0o770


def test_a_bad_workspace_setting_is_a_clear_error(tmp_path):
    (tmp_path / "workspace.yaml").write_text("shared: yes please\n")
    with pytest.raises(WorkspaceError, match="shared: expected true or false"):
        Workspace(tmp_path).shared  # noqa: B018


def test_journal_error_survives_pickling():
    import pickle

    error = JournalError("bad", file="x.yaml", line=3, field="role")
    again = pickle.loads(pickle.dumps(error))
    assert (again.file, again.line, again.field, str(again)) == ("x.yaml", 3, "role", str(error))
    assert os.fspath("x.yaml") in str(again)


def test_exotic_line_breaks_are_kept_exactly(workspace, registry):
    text = "a\r\nb\x85c\u2028d\u2029e\tf\x00g"
    saved = save_review(workspace, review(evidence=text), registry)
    assert read_record(saved.path).assessments[0].evidence == text


def test_half_a_character_pair_is_refused_clearly(workspace, registry):
    with pytest.raises(InputError, match="half of a character pair") as caught:
        save_review(workspace, review(evidence="broken \ud800 text"), registry)
    assert caught.value.field == "assessments[0].evidence"
    assert record_paths(workspace) == []


def test_aliases_are_refused(tmp_path):
    bomb = "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
    path = tmp_path / "bomb.yaml"
    path.write_text(bomb + "coachee: x\n")
    with pytest.raises(JournalError, match="aliases") as caught:
        read_record(path)
    assert caught.value.line == 1  # where the value used twice is defined


def test_a_key_given_twice_is_refused_with_both_lines(workspace, registry):
    saved = save_review(workspace, review(evidence="first"), registry)
    text = saved.path.read_text(encoding="utf-8")
    twice = text.replace("role: coach\n", "role: coach\nauthor: Someone Else\n")
    saved.path.write_text(twice, encoding="utf-8")
    first = twice.splitlines().index("author: Grace Hopper") + 1
    second = twice.splitlines().index("author: Someone Else") + 1
    with pytest.raises(JournalError) as caught:
        read_record(saved.path)
    assert caught.value.line == second
    assert f"the key 'author' is given twice (first on line {first})" in caught.value.message


def test_a_settings_key_given_twice_is_refused(tmp_path):
    (tmp_path / "workspace.yaml").write_text("shared: false\nshared: true\n")
    with pytest.raises(WorkspaceError, match=r"workspace.yaml:2: .*'shared' is given twice"):
        Workspace(tmp_path).settings  # noqa: B018


def test_the_record_schema_and_the_rules_name_the_same_roles():
    import json

    from coachlib.model.resources import review_schema_path
    from coachlib.model.rules import REVIEWER_ROLES

    schema = json.loads(review_schema_path().read_text(encoding="utf-8"))
    assert tuple(schema["properties"]["role"]["enum"]) == REVIEWER_ROLES


def test_a_time_inside_the_years_in_its_zone_but_not_in_utc_is_refused():
    """1900-01-01T00:00+14:00 is 1899-12-31 in UTC, where the journal's tables and exports
    count: one date rule, whatever the zone a record was written in."""
    from coachlib.model.review import parse_when

    for value in ("1900-01-01T00:00+14:00", "2199-12-31T23:00-05:00"):
        with pytest.raises(ValueError, match="outside the years 1900-2199"):
            parse_when(value)
    assert parse_when("1900-01-02T00:00+14:00").year == 1900
