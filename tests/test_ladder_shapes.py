"""Every ladder shape the issue lists imports whole, under --strict, with at most two
options; levels, skills and criteria compared. The ladders (tests/ladders/shapes/) are
written for these tests, not copied from any company."""

from __future__ import annotations

from pathlib import Path

import pytest

from coachlib.cli import main
from coachlib.ladders.importing import import_ladder, read_outline
from coachlib.ladders.mapping import from_options
from coachlib.store.frameworks import load_framework_file

SHAPES = Path(__file__).resolve().parent / "ladders" / "shapes"

# name: (options, [(level, name)], {skill: {level: [criteria]}}, at least this many skills)
WHOLE = {
    "code-in-parentheses.md": (
        [], [(1, "Trainee (T 1)"), (2, "Cook (T 2)")],
        {"Scope": {1: ["One station, with a mentor beside them."],
                   2: ["Any station on a normal night."]},
         "Responsibilities": {1: ["Keeps the station clean during service.",
                                  "Follows the prep list."],
                              2: ["Writes the prep list for their station.",
                                  "Trains a new trainee."]}},
    ),
    "dash-codes.md": (
        [], [(1, "D1 - Developer 1"), (2, "D2 - Developer 2"), (3, "D3 - Developer 3")],
        {"Craft": {1: ["Builds screens from a finished design."],
                   2: ["Builds a feature from a rough sketch."],
                   3: ["Chooses the patterns the app uses."]}},
    ),
    "engineer-numerals.md": (
        [], [(1, "Engineer I"), (2, "Engineer II"), (3, "Engineer III")],
        {"Safety": {1: ["Follows the ladder safety rules."], 2: ["Runs the site risk check."],
                    3: ["Audits other teams' sites."]}},
    ),
    "wrapper-progression.md": (
        ["--skip", "Frequently asked questions"],
        [(1, "Engineer I.1"), (2, "Engineer I.2"), (3, "Engineer II.1")],
        {"Expectations": {1: ["Fixes small bugs with guidance.", "Writes tests for their fixes."],
                          2: ["Fixes bugs alone."], 3: ["Builds small features."]}},
    ),
    "summary-then-sections.md": (
        [], [(1, "IC1 — Engineer I"), (2, "IC2 — Engineer II")],
        {"Craft": {1: ["Writes readable code."], 2: ["Refactors without being asked."]},
         "Delivery": {1: ["Finishes tasks in the sprint."], 2: ["Breaks features into tasks."]}},
    ),
    "levels-as-rows.csv": (
        [], [(1, "Junior"), (2, "Mid"), (3, "Senior")],
        {"Coding": {1: ["Writes small functions"], 2: ["Designs modules"],
                    3: ["Shapes the architecture"]},
         "Communication": {1: ["Asks questions early"], 2: ["Writes clear design notes"],
                           3: ["Explains trade-offs to leaders"]}},
    ),
    "levels-as-rows.html": (
        [], [(1, "Baker I"), (2, "Baker II")],
        {"Food safety": {1: ["Logs fridge temperatures"], 2: ["Trains others on the log"]}},
    ),
    "level-word-table.md": (
        [], [(1, "Level 1"), (2, "Level 2")],
        {"Tone": {1: ["Is polite"], 2: ["Calms an angry customer"]}},
    ),
    "cells-with-lists.html": (
        [], [(1, "Novice"), (2, "Expert")],
        {"Soldering": {1: ["Ships small widgets", "Asks when blocked"],
                       2: ["Designs boards", "Reviews others' joints"]}},
    ),
    "quoted-paragraphs.csv": (
        [], [(1, "Starter"), (2, "Expert")],
        {"Writing": {1: ["Writes a clear ticket.", 'Says "done" only when done.'],
                     2: ["Edits others' docs.", 'Sets the "house style".']}},
    ),
    "empty-header.csv": (
        [], [(1, "Level 1"), (2, "Column 3"), (3, "Level 3")],
        {"Testing": {1: ["Writes unit tests"], 2: ["Writes integration tests"],
                     3: ["Designs the test strategy"]}},
    ),
    "group-before-skill.csv": (
        [], [(1, "Apprentice"), (2, "Journeyman")],
        {"Teaching": {1: ["Shows a visitor round"], 2: ["Teaches an apprentice"]}},
    ),
    "with-images.md": (
        [], [(1, "Designer"), (2, "Senior Designer")],
        {"Research": {1: ["Runs an interview with a script."],
                      2: ["Plans the research for a project."]}},
    ),
    "front-matter-ladder.md": (
        [], [(1, "Assistant"), (2, "Librarian")],
        {"Cataloguing": {1: ["Shelves returned books in order"],
                         2: ["Catalogues new acquisitions", "Fixes cataloguing errors"]}},
    ),
    "plain-bullets.md": (
        [], [(1, "Associate"), (2, "Lead Associate")],
        {"Expectations": {1: ["Picks orders from the list.", "Reports damaged stock."],
                          2: ["Plans the section's picks.", "Trains new associates."]}},
    ),
    "named-default-skill.md": (
        ["--levels", "h2", "--skills", "none:Musicianship"],
        [(1, "Singer"), (2, "Section Leader")],
        {"Musicianship": {1: ["Learns the part before rehearsal."],
                          2: ["Teaches the part to the section.",
                              "Marks breathing in the scores."]}},
    ),
    "file-per-level": (
        ["--levels", "files", "--skip", "README.md"], [(1, "Crew Member"), (2, "Shift Lead")],
        {"Service": {1: ["Greets every guest."], 2: ["Handles complaints."]}},
    ),
    "raw-html-table.md": (
        [], [(1, "Technician"), (2, "Senior Technician")],
        {"Pipetting": {1: ["Pipettes accurately"], 2: ["Calibrates pipettes"]}},
    ),
    "second-title.md": (
        ["--skip", "Appendix"], [(1, "Deckhand"), (2, "Bosun")],
        {"Seamanship": {1: ["Ties the standard knots."], 2: ["Leads the mooring team."]}},
    ),
    "bold-paragraph-keys.md": (
        [], [(1, "Reporter"), (2, "Senior Reporter")],
        {"Sourcing": {1: ["Keeps a contact book."], 2: ["Protects confidential sources."]}},
    ),
    "html-sections.html": (
        [], [(1, "Staff Nurse"), (2, "Senior Nurse")],
        {"Handover": {1: ["Gives a clear handover."], 2: ["Teaches handover to students."]}},
    ),
    "ic-table-in-level.md": (
        [], [(1, "IC1"), (2, "IC2")],
        {"Quality": {1: ["Adds a data check"], 2: ["Owns the data checks"]}},
    ),
    "inline-numbered-levels.md": (
        [], [(1, "Apprentice"), (2, "Journeyman")],
        {"Joints": {1: ["Cuts a butt joint."], 2: ["Cuts dovetails."]}},
    ),
}  # fmt: skip


def run(*args: str) -> int:
    return main(["frameworks", "import", *map(str, args)])


@pytest.mark.parametrize("name", sorted(WHOLE))
def test_every_shape_imports_whole_with_at_most_two_options(tmp_path, capsys, name):
    options, levels, skills = WHOLE[name]
    assert len([o for o in options if o.startswith("--")]) <= 2
    out = tmp_path / "out"
    out.mkdir()
    assert run(SHAPES / name, "-o", out, "--strict", *options) == 0, capsys.readouterr().err
    assert "0 content line(s) not placed" in capsys.readouterr().err
    (written,) = [p for p in out.iterdir() if not p.name.endswith(".import.yaml")]
    framework = load_framework_file(written)
    assert [(lv.level, lv.name) for lv in framework.scale if lv.level] == levels
    by_name = {skill.name: skill for skill in framework.skills}
    for skill, criteria in skills.items():
        assert {lv: list(items) for lv, items in by_name[skill].criteria.items()} == criteria


@pytest.mark.parametrize("name", sorted(n for n, (o, _l, _s) in WHOLE.items() if o))
def test_without_its_options_a_shape_is_refused_or_differs_never_lost_with_exit_0(
    tmp_path, capsys, name
):
    """The shapes that need an option: without it, exit 1 (and the refusal names the
    option), or a different reading that still loses nothing."""
    out = tmp_path / "out"
    out.mkdir()
    status = run(SHAPES / name, "-o", out, "--strict")
    err = capsys.readouterr().err
    if status == 0:
        assert "0 content line(s) not placed" in err
    else:
        assert not [p for p in out.iterdir()], "a refused import writes nothing"
    if name in ("wrapper-progression.md", "second-title.md"):
        assert status == 1
        assert f"most likely to place the lost lines: --skip {WHOLE[name][0][1]!r}".replace(
            "'Appendix'", "Appendix") in err  # fmt: skip


def test_the_outline_shows_what_was_read_and_the_options_that_give_the_suggestion(capsys):
    assert run(SHAPES / "wrapper-progression.md", "--outline") == 0
    out = capsys.readouterr().out
    assert "   11  #### Engineer I.1" in out
    assert "   15    - Fixes small bugs with guidance." in out
    assert "Mapping (suggested): --levels \"h4 under 'Level Progression'\" --skills h5" in out


def test_the_saved_mapping_reads_a_changed_ladder_the_same_way(tmp_path, capsys):
    ladder = tmp_path / "crew.md"
    ladder.write_text((SHAPES / "named-default-skill.md").read_text())
    out = tmp_path / "fw"
    out.mkdir()
    assert run(ladder, "-o", out, "--levels", "h2", "--skills", "none:Musicianship") == 0
    saved = out / "choir-section-leader-path.import.yaml"
    assert "skills: none:Musicianship" in saved.read_text()
    ladder.write_text(ladder.read_text() + "- Leads the warm-up.\n")
    capsys.readouterr()
    assert run(ladder, "-o", out) == 0  # no options: the saved mapping, not the suggestion
    captured = capsys.readouterr()
    assert "read with the mapping saved in" in captured.err
    assert "version 2 of choir-section-leader-path" in captured.out
    framework = load_framework_file(out / "choir-section-leader-path-v2.yaml")
    assert framework.skill("musicianship").criteria[2][-1] == "Leads the warm-up."


def test_o_a_new_folder_without_a_slash_writes_id_yaml_inside_it(tmp_path):
    target = tmp_path / "frameworks"
    assert run(SHAPES / "dash-codes.md", "-o", target) == 0
    assert (target / "studio-developer-levels.yaml").is_file()
    assert run(SHAPES / "dash-codes.md", "-o", target) == 0  # unchanged: nothing new
    assert sorted(p.name for p in tmp_path.iterdir()) == ["frameworks"]


@pytest.mark.parametrize("name", ["app.js", "Ladder.vue"])
def test_a_file_that_is_no_ladder_format_is_named(tmp_path, capsys, name):
    path = tmp_path / name
    path.write_text("export default {}\n")
    assert run(path, "-o", tmp_path / "x.yaml") == 2
    err = capsys.readouterr().err
    assert name in err and "is not a ladder format" in err and "save the rendered page" in err
    assert not (tmp_path / "x.yaml").exists()


def test_a_folder_with_a_readme_names_every_refused_file(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    assert run(SHAPES / "file-per-level", "-o", out) != 0
    err = capsys.readouterr().err
    assert "README.md" in err and "--levels files" in err
    assert list(out.iterdir()) == []


def test_the_cli_and_the_package_place_the_same():
    """One function: what the notebook form calls gives what the command wrote."""
    outline = read_outline("plain-bullets.md", (SHAPES / "plain-bullets.md").read_text())
    done = import_ladder(outline, from_options("h2", "none", None, None))
    assert done.mapping.command_line() == "--levels h2 --skills none"
    assert {row["status"] for row in done.rows} == {"placed", "left out"}
    assert [row["line"] for row in done.rows if row["status"] == "placed"][:3] == [3, 5, 7]


def test_the_readme_import_works_in_a_new_workspace_and_the_mapping_is_no_framework(
    tmp_path, capsys
):
    """`coach init` makes frameworks/; the import lands there as ID.yaml with its saved
    mapping beside it, and the workspace lists the framework (the mapping is not read as
    one)."""
    ws = tmp_path / "ws"
    assert main(["init", str(ws)]) == 0
    assert (ws / "frameworks").is_dir()
    assert run(SHAPES / "dash-codes.md", "-o", ws / "frameworks") == 0
    assert sorted(p.name for p in (ws / "frameworks").iterdir()) == [
        "studio-developer-levels.import.yaml",
        "studio-developer-levels.yaml",
    ]
    capsys.readouterr()
    assert main(["frameworks", "--workspace", str(ws)]) == 0
    out = capsys.readouterr()
    assert "studio-developer-levels" in out.out and "import" not in out.err


def test_skills_whose_names_slug_alike_get_ids_of_their_own(tmp_path):
    ladder = tmp_path / "lang.md"
    ladder.write_text("# Lang\n\n## Junior\n\n- **C:** writes C\n- **C++:** writes C++\n\n"
                      "## Senior\n\n- **C:** teaches C\n- **C++:** teaches C++\n")  # fmt: skip
    assert run(ladder, "-o", tmp_path / "lang.yaml", "--strict") == 0
    assert [s.id for s in load_framework_file(tmp_path / "lang.yaml").skills] == ["c", "c-2"]


def test_a_framework_that_does_not_validate_is_said_in_the_ladders_terms():
    """No 'x.yaml:49' of a file that does not exist, no schema path: the skill, the level
    and the ladder's own line, and what to do."""
    from coachlib.ladders.importing import checked_text
    from coachlib.model.errors import FrameworkError

    outline = read_outline("dash-codes.md", (SHAPES / "dash-codes.md").read_text())
    done = import_ladder(outline)
    done.result.data["groups"][0]["skills"][1]["criteria"][1]["items"][0] = ""
    with pytest.raises(FrameworkError) as caught:
        checked_text(done, file_name="studio.yaml")
    said = caught.value.one_line()
    assert said.startswith("dash-codes.md:") and "skill 'Teamwork' at level 2" in said
    assert "studio.yaml" not in said and "[0]" not in said and "see --outline" in said


ALL_LADDERS = sorted(
    p
    for p in [*SHAPES.parent.iterdir(), *SHAPES.iterdir()]
    if p.is_file() or p.name == "file-per-level"
)


@pytest.mark.parametrize("path", ALL_LADDERS, ids=lambda p: p.name)
def test_no_ladder_exits_0_with_content_lost(tmp_path, capsys, path):
    """Whatever the suggestion makes of a test ladder, an exit 0 means nothing was lost."""
    out = tmp_path / "out"
    out.mkdir()
    status = run(path, "-o", out)
    err = capsys.readouterr().err
    if status == 0:
        assert "[unplaced]" not in err and " not placed: line(s)" not in err
        assert "0 content line(s) not placed" in err or "milestone(s)" in err
    else:
        assert not [p for p in out.iterdir() if p.suffix == ".yaml"], "refused, yet written"


def test_a_levels_intro_is_its_description_or_criteria(tmp_path):
    ladder = SHAPES / "plain-bullets.md"
    assert run(ladder, "-o", tmp_path / "a/a.yaml", "--levels", "h2", "--skills", "none") == 0
    framework = load_framework_file(tmp_path / "a/a.yaml")
    assert framework.level(1).description == "You are learning the floor."
    assert framework.skill("expectations").criteria[1][0] == "Picks orders from the list."
    assert run(ladder, "-o", tmp_path / "b/b.yaml", "--levels", "h2", "--skills", "none",
               "--intro", "criteria") == 0  # fmt: skip
    framework = load_framework_file(tmp_path / "b/b.yaml")
    assert not framework.level(1).description
    assert framework.skill("expectations").criteria[1][0] == "You are learning the floor."


@pytest.mark.parametrize(
    ("options", "said"),
    [
        (["--levels", "h9"], "--levels 'h9' is not a place levels can be"),
        (["--levels", "h2", "--skills", "italic"], "--skills 'italic' is not a place"),
        (["--levels", "h3 under 'Nowhere'"], "no heading 'Nowhere' to find the levels under"),
        (["--levels", "front-matter:ladder"], "the front matter has no key 'ladder'"),
        (["--levels", "rows"], "--levels rows: the document has no table"),
    ],
)
def test_a_mapping_that_cannot_be_is_one_line_and_writes_nothing(tmp_path, capsys, options, said):
    assert run(SHAPES / "dash-codes.md", "-o", tmp_path / "x.yaml", *options) == 2
    err = capsys.readouterr().err
    assert said in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not list(tmp_path.iterdir())


def test_the_outline_of_a_csv_suggests_the_levels_as_rows(capsys):
    assert run(SHAPES / "levels-as-rows.csv", "--outline") == 0
    out = capsys.readouterr().out
    assert "    1    table, 3 row(s): Level | Coding | Communication" in out
    assert out.rstrip().endswith("Mapping (suggested): --levels rows --skills columns")


def test_the_outline_of_a_front_matter_ladder_suggests_only_where_the_levels_are(capsys):
    """Its skills and levels are the front matter's own keys: no --skills to give."""
    assert run(SHAPES / "front-matter-ladder.md", "--outline") == 0
    out = capsys.readouterr().out
    assert out.rstrip().endswith("Mapping (suggested): --levels front-matter:ladder")
