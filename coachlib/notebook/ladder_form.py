"""The ladder import as a form: pick a file, see its outline, say where the levels and
skills are with the outline's own headings, watch the placement table change, save.

Every choice is a value of :class:`~coachlib.ladders.mapping.Mapping`, placed by the same
:func:`~coachlib.ladders.importing.import_ladder` the command calls and written by the same
:mod:`~coachlib.store.ladder_files`: a ladder saved here is the file ``coach frameworks
import`` would write. The widgets only collect choices; everything they do is a method that
a test calls without a browser.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ipywidgets as w

from ..ladders.importing import LadderImport, import_ladder
from ..ladders.mapping import SHAPE, Mapping, parse_levels, parse_skills
from ..ladders.outline import FILE, HEADING, Outline, describe
from ..ladders.suggest import suggest
from ..model.errors import CoachError
from ..model.resources import example_ladder_path
from ..store.ladder_files import is_folder, plan_import, read_ladder, write_import
from ..store.workspace import Workspace
from ..views import html
from .forms.base import Described
from .forms.status import StatusLine

LADDER_FOLDER = "ladders"  # where the form looks for ladders in a workspace
SUFFIXES = (".md", ".markdown", ".html", ".htm", ".csv")
STATUS_COLOURS = {"placed": "#1a7f37", "left out": "#6e7781", "lost": "#a40000"}


def level_choices(outline: Outline) -> list[str]:
    """Where levels can be, in this outline's own terms: each heading depth it has, each
    depth under each heading that has deeper headings, its tables' rows and columns, its
    front matter's keys, its files, and the built-in shapes."""
    items = outline.items
    depths = sorted({it.depth for it in items if it.kind == HEADING})
    out = [f"h{d}" for d in depths]
    for index, item in enumerate(items):
        if item.kind != HEADING:
            continue
        below = set()
        for later in items[index + 1 :]:
            if later.kind == HEADING and later.depth <= item.depth:
                break
            if later.kind == HEADING:
                below.add(later.depth)
        quote = '"' if "'" in item.text else "'"
        out += [
            str(parse_levels(f"h{d} under {quote}{item.text}{quote}"))
            for d in sorted(below)
            if not ("'" in item.text and '"' in item.text)
        ]
    if any(it.kind == "table" for it in items):
        out += ["columns", "rows"]
    out += [
        f"front-matter:{key}"
        for key, value in outline.front.items()
        if isinstance(value, (dict, list))
    ]
    if any(it.kind == FILE for it in items):
        out.append("files")
    out.append(SHAPE)
    return list(dict.fromkeys(out))


def skill_choices(outline: Outline) -> list[str]:
    depths = sorted({it.depth for it in outline.items if it.kind == HEADING})
    return ["bold", *(f"h{d}" for d in depths), "none", "rows", "columns"]


def section_names(outline: Outline) -> list[str]:
    """What can be left out: every heading's text, every file's name, and images, code."""
    names = [it.file or it.text for it in outline.items if it.kind == FILE]
    names += [it.text for it in outline.items if it.kind == HEADING]
    return [*dict.fromkeys(names), "images", "code"]


def placement_table(done: LadderImport) -> str:
    """Every content item's fate as an HTML table (escaped): line, what became of it,
    where or why, its first words."""
    rows = []
    for row in done.rows:
        colour = STATUS_COLOURS.get(row["status"], "inherit")
        rows.append(
            f'<tr><td style="text-align:right">{row["line"]}</td>'
            f'<td style="color:{colour}">{html.esc(row["status"])}</td>'
            f"<td>{html.esc(row['where'])}</td><td>{html.esc(row['text'][:60])}</td></tr>"
        )
    counts = {s: sum(1 for r in done.rows if r["status"] == s) for s in STATUS_COLOURS}
    head = ", ".join(f"{n} {s}" for s, n in counts.items())
    return (
        f"<p><strong>{html.esc(head)}</strong> — as options: "
        f"<code>{html.esc(done.mapping.command_line())}</code></p>"
        '<table class="coach-placement"><thead><tr><th>line</th><th>what</th>'
        "<th>where, or why</th><th>text</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


class LadderImportForm:
    """One ladder, imported into a workspace's ``frameworks/`` (without a path: the
    example ladder shipped with coachlib, to try the form on)."""

    def __init__(self, *, workspace: str | Path | None = ".", path: str = "") -> None:
        self.workspace = Workspace.open(workspace, create=True)
        self.outline: Outline | None = None
        self.done: LadderImport | None = None
        self.written: Path | None = None
        self.file = w.Combobox(
            description="Ladder",
            value=path,
            options=self.ladder_files(),
            placeholder=f"{LADDER_FOLDER}/ladder.md",
            ensure_option=False,
        )
        self.open_button = w.Button(description="Read it", icon="folder-open")
        self.levels = w.Dropdown(description="Levels", options=[SHAPE])
        self.skills = w.Dropdown(description="Skills", options=["bold"])
        self.default_skill = w.Text(description="One skill", value="Expectations")
        self.skip = w.SelectMultiple(description="Leave out", options=[], rows=6)
        self.intro = w.ToggleButtons(description="Intro is", options=["description", "criteria"])
        self.outline_view = w.HTML()
        self.placement_view = w.HTML()
        self.save_button = w.Button(
            description="Save framework", icon="save", button_style="primary", disabled=True
        )
        self.status = StatusLine()
        self._filling = False
        self.open_button.on_click(lambda _b: self.open(self.file.value))
        for control in (self.levels, self.skills, self.default_skill, self.skip, self.intro):
            control.observe(lambda _change: self.preview(), names="value")
        self.save_button.on_click(lambda _b: self.save())
        self.open(path or str(example_ladder_path()))

    def ladder_files(self) -> list[str]:
        """Ladders in the workspace's top folder and its ``ladders/`` folder."""
        found = []
        for folder in (self.workspace.root, self.workspace.root / LADDER_FOLDER):
            if is_folder(folder):
                found += [
                    str(p.relative_to(self.workspace.root))
                    for p in sorted(folder.iterdir())
                    if p.suffix.casefold() in SUFFIXES and p.is_file()
                ]
        return found

    # -- what the widgets call ----------------------------------------------------------

    def open(self, path: str) -> bool:
        """Read a ladder, show its outline, and fill the choices with the suggestion."""
        self.outline = self.done = None
        self.save_button.disabled = True
        source = Path(path)
        if not source.is_absolute():
            source = self.workspace.root / source
        try:
            self.outline = read_ladder(source)
        except CoachError as exc:
            self.status.error(exc.one_line())
            return False
        suggestion = suggest(self.outline)
        self._filling = True
        try:
            self.levels.options = level_choices(self.outline)
            self.skills.options = skill_choices(self.outline)
            self.skip.options = section_names(self.outline)
            self.choose(suggestion)
        finally:
            self._filling = False
        # a line per item as its own block: a widget's HTML may space a <pre>'s lines apart
        lines = "".join(f"<div>{html.esc(line)}</div>" for line in describe(self.outline))
        self.outline_view.value = (
            f"<details open><summary>What was read ({len(self.outline.items)} items)</summary>"
            '<div style="max-height:20em;overflow:auto;font-family:monospace;white-space:pre;'
            f'line-height:1.35">{lines}</div></details>'
        )
        self.status.info(f"Read {source.name}; suggested: {suggestion.command_line()}")
        self.preview()
        return True

    def choose(self, mapping: Mapping) -> None:
        """Set the controls to a mapping (the suggestion, or one saved)."""
        levels = str(mapping.levels)
        if levels not in self.levels.options:
            self.levels.options = [*self.levels.options, levels]
        self.levels.value = levels
        skills = "none" if mapping.skills.kind == "none" else str(mapping.skills)
        self.skills.value = skills if skills in self.skills.options else "bold"
        self.default_skill.value = mapping.skills.name
        self.skip.value = tuple(s for s in mapping.skip if s in self.skip.options)
        self.intro.value = mapping.intro

    def mapping(self) -> Mapping:
        """The controls' values as a mapping."""
        skills = self.skills.value
        if skills == "none" and self.default_skill.value.strip():
            skills = f"none:{self.default_skill.value.strip()}"
        return Mapping(
            parse_levels(self.levels.value),
            parse_skills(skills),
            tuple(self.skip.value),
            self.intro.value,
        )

    def preview(self) -> LadderImport | None:
        """Place the ladder with the chosen mapping and show the placement table."""
        if self._filling or self.outline is None:
            return None
        self.save_button.disabled = True
        try:
            self.done = import_ladder(self.outline, self.mapping())
        except CoachError as exc:
            self.done = None
            self.placement_view.value = ""
            self.status.error(exc.one_line())
            return None
        self.placement_view.value = placement_table(self.done)
        lost = sum(1 for row in self.done.rows if row["status"] == "lost")
        if lost:
            hint = f"; most likely to place them: {self.done.hint}" if self.done.hint else ""
            self.status.error(f"{lost} item(s) lost: change the choices{hint}")
        else:
            self.status.ok("Every item placed or left out on purpose: ready to save")
            self.save_button.disabled = False
        return self.done

    def save(self) -> Path | None:
        """Write the framework into the workspace's frameworks/ (the next version when it
        is there already), with the mapping beside it. Nothing is written with a loss."""
        if self.done is None:
            self.status.error("Read a ladder first")
            return None
        target = self.workspace.frameworks_dir / f"{self.done.result.data['id']}.yaml"
        try:
            plan = plan_import(self.done, target, strict=True)
            if plan.refusal:
                self.status.error(f"{plan.refusal}; nothing written")
                return None
            if plan.unchanged is not None:
                self.status.info(
                    f"{plan.unchanged.path.name} already holds this text; nothing written"
                )
                return None
            self.written = write_import(plan, modes=self.workspace.modes)
        except CoachError as exc:
            self.status.error(exc.one_line())
            return None
        framework = plan.framework
        self.status.ok(
            f"Saved frameworks/{self.written.name}: version {framework.version} of "
            f"{framework.id}, {len(framework.skills)} skill(s)"
        )
        self.save_button.disabled = True
        return self.written

    def show_placement(self) -> Any:
        """The placement table as it stands (what nbval compares; the form shows it too)."""
        from IPython.display import HTML

        if self.done is None:
            return HTML(f"<p>{html.esc(self.status.text)}</p>")
        return HTML(placement_table(self.done))

    # -- the form ------------------------------------------------------------------------

    def form(self) -> Any:
        box = w.VBox(
            [
                w.HBox([self.file, self.open_button]),
                self.outline_view,
                w.HTML(
                    "<strong>Say where things are</strong> (the choices come from the "
                    "headings above):"
                ),
                self.levels,
                w.HBox([self.skills, self.default_skill]),
                self.skip,
                self.intro,
                self.status.widget,
                self.save_button,
                self.placement_view,
            ]
        )
        return Described(box, "The ladder import form: run the notebook to use it.")
