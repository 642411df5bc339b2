"""The ladder import form, driven as a coach would, in plain Python (no browser): the
choices come from the outline's own headings, the placement table follows them, and Save
writes what `coach frameworks import` writes."""

from __future__ import annotations

import html
import shutil
from pathlib import Path

from coachlib.cli import main
from coachlib.notebook.ladder_form import LadderImportForm, level_choices
from coachlib.store.ladder_files import read_ladder

SHAPES = Path(__file__).resolve().parent / "ladders" / "shapes"


def workspace_with(tmp_path: Path, name: str) -> Path:
    ws = tmp_path / "ws"
    (ws / "ladders").mkdir(parents=True)
    shutil.copy(SHAPES / name, ws / "ladders" / name)
    return ws


def test_the_choices_are_the_outlines_own_headings():
    outline = read_ladder(SHAPES / "wrapper-progression.md")
    choices = level_choices(outline)
    assert "h4 under 'Level Progression'" in choices and "h2" in choices
    assert "h5 under 'Engineer I'" in choices and choices[-1] == "shape"


def test_the_form_suggests_shows_the_loss_and_saves_once_whole(tmp_path):
    ws = workspace_with(tmp_path, "wrapper-progression.md")
    form = LadderImportForm(workspace=ws)
    assert form.file.options == ("ladders/wrapper-progression.md",)
    assert form.open("ladders/wrapper-progression.md")
    assert form.levels.value == "h4 under 'Level Progression'" and form.skills.value == "h5"
    assert "#### Engineer I.1" in form.outline_view.value
    assert "1 lost" in form.placement_view.value and "Ask your lead." in form.placement_view.value
    assert "--skip 'Frequently asked questions'" in html.unescape(form.status.text)
    assert form.save_button.disabled and form.save() is None
    assert not (ws / "frameworks").exists() or not list((ws / "frameworks").iterdir())
    form.skip.value = ("Frequently asked questions",)  # the table follows the choice
    assert "0 lost" in form.placement_view.value and not form.save_button.disabled
    written = form.save()
    assert written == ws / "frameworks" / "greenhouse-engineering-handbook.yaml"
    assert "Saved frameworks/greenhouse-engineering-handbook.yaml: version 1" in form.status.text
    # the command, with the options the form shows, writes the very same file
    out = tmp_path / "cli"
    out.mkdir()
    options = ["--levels", "h4 under 'Level Progression'", "--skills", "h5",
               "--skip", "Frequently asked questions"]  # fmt: skip
    assert main(["frameworks", "import", str(SHAPES / "wrapper-progression.md"),
                 "-o", str(out), *options]) == 0  # fmt: skip
    assert (out / written.name).read_text() == written.read_text()
    saved = (ws / "frameworks" / "greenhouse-engineering-handbook.import.yaml").read_text()
    assert (out / "greenhouse-engineering-handbook.import.yaml").read_text() == saved


def test_a_changed_choice_that_places_nothing_says_so_in_one_line(tmp_path):
    ws = workspace_with(tmp_path, "levels-as-rows.csv")
    form = LadderImportForm(workspace=ws, path="ladders/levels-as-rows.csv")
    assert form.levels.value == "rows" and not form.save_button.disabled
    form.levels.value = "shape"
    assert form.done is None and form.save_button.disabled
    assert form.status.text.startswith("✖ levels-as-rows.csv: the shape readers read Markdown")
    form.levels.value = "rows"
    assert not form.save_button.disabled


def test_a_missing_file_is_one_line(tmp_path):
    form = LadderImportForm(workspace=tmp_path / "ws")
    assert not form.open("ladders/nope.md")
    assert "nope.md" in form.status.text and form.outline is None
