"""A mapping applied to an outline: the framework's levels, skills and criteria, and an
account of every content item: placed (and where), left out on purpose (and why), or lost.

The placer guesses nothing: the mapping says which headings are levels and where the
skills are; whatever the mapping gives no place is lost, reported by line with the
section it is in, never dropped quietly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..model.errors import FrameworkError
from ..model.names import slugify
from .limits import MAX_LEVELS
from .mapping import Mapping
from .outline import (
    CODE,
    FILE,
    FRONT_MATTER,
    HEADING,
    IMAGE,
    ITEM,
    PARAGRAPH,
    TABLE,
    Item,
    Outline,
    Row,
    plain,
)

PLACED, OMITTED, LOST = "placed", "left out", "lost"
GROUP_HEADERS = {"group", "category", "area", "pillar", "track", "competency area", "theme"}
DESCRIPTION_HEADERS = {"description", "summary", "what it means"}
LEVEL_HEADERS = {"level", "levels", "grade", "band", "step", "stage", "rung"}
NAME_HEADERS = {"title", "name", "role", "job title"}
_LEVEL_WORDS = re.compile(r"^(?:level|lvl|l)\s*(\d+)\s*(?:[-–—:.)]\s*(.*))?$", re.I)
_NUMBERED = re.compile(r"^(\d+)\s*[-–—:.)]\s*(\S.*)$")
_BOLD_KEY = re.compile(r"^(?:\*\*|__)(.+?)(?:\*\*|__)\s*[:—–-]?\s*(.*)$")
_PLAIN_KEY = re.compile(r"^([^:*]{2,60}):\s+(\S.*)$")


@dataclass
class Account:
    """What became of one content item (a table row is an item of its own)."""

    line: int
    text: str
    status: str
    where: str  # where it was placed, or why it was left out or lost
    section: str = ""


@dataclass
class Placement:
    data: dict[str, Any]
    accounts: list[Account] = field(default_factory=list)
    decisions: list[tuple[int | None, str]] = field(default_factory=list)
    level_of_line: dict[int, int] = field(default_factory=dict)

    def lost(self) -> list[Account]:
        return [a for a in self.accounts if a.status == LOST]


class _Build:
    """The framework being built: levels by number, groups and skills by name, in order."""

    def __init__(self) -> None:
        self.levels: dict[int, dict[str, Any]] = {}
        self.groups: dict[str, dict[str, dict[str, Any]]] = {}
        self.introduction: list[str] = []
        self.skill_group: dict[str, str] = {}

    def register(self, skill: str, group: str | None = None) -> dict[str, Any]:
        """The skill (made in its group the first time it is named: the document's order
        is the framework's, even for a skill named before its first criterion)."""
        skill = plain(skill).strip() or "Expectations"
        key = skill.casefold()
        group = self.skill_group.setdefault(key, group or "Skills")
        skills = self.groups.setdefault(group, {})
        entry = skills.get(key)
        if entry is None:  # slugified once, not for each of its criteria
            entry = skills[key] = {"id": slugify(skill), "name": skill, "criteria": {}}
        return entry

    def add(self, level: int, skill: str, text: str, group: str | None = None) -> str:
        entry = self.register(skill, group)
        entry["criteria"].setdefault(level, []).append(plain(text))
        return f"level {level}, skill {entry['name']!r}"

    def data(self, title: str, decisions: list[tuple[int | None, str]]) -> dict[str, Any]:
        scale = [{"level": n, **v} for n, v in sorted(self.levels.items())]
        if scale and scale[0]["level"] != 0:
            scale.insert(0, {"level": 0, "name": "Not yet"})
            decisions.append((None, "added level 0 'Not yet' below the first level"))
        ids: set[str] = set()
        groups = []
        for name, skills in self.groups.items():
            group_id = base = slugify(name)
            counter = 2
            while group_id in ids:
                group_id, counter = f"{base}-{counter}", counter + 1
            ids.add(group_id)
            out = []
            for skill in skills.values():
                skill = dict(skill)
                skill_id = base = skill["id"]  # 'C' and 'C++' are both 'c': one is 'c-2'
                counter = 2
                while skill_id in ids:
                    skill_id, counter = f"{base}-{counter}", counter + 1
                ids.add(skill_id)
                skill["id"] = skill_id
                skill["criteria"] = [
                    {"level": lv, "items": items} for lv, items in sorted(skill["criteria"].items())
                ]
                if not skill["criteria"]:
                    del skill["criteria"]
                out.append(skill)
            groups.append({"id": group_id, "name": name, "kind": "group", "skills": out})
        return {
            "title": title,
            "shape": "matrix",
            "introduction": " ".join(self.introduction) or None,
            "scale": [
                {"level": level["level"]} | {k: v for k, v in level.items() if v and k != "level"}
                for level in scale
            ],
            "groups": groups,
        }


def split_cell(cell: str) -> list[str]:
    """The criteria in one table cell: one per line (``<br>``, a line of a CSV cell, an
    HTML ``<li>`` or ``<p>``) or bullet (•). A ';' stays: it joins two halves of one
    sentence as often as it separates two criteria."""
    parts = re.split(r"<br\s*/?>|\n|\s•\s|^•\s", cell)
    return [text for p in parts if (text := plain(p).strip(" •-*"))]


def level_names(headers: list[str]) -> tuple[list[tuple[int, str]], bool]:
    """Level numbers and names: 'Level 2: Mid' and '1 - Novice' say their number; when
    one does not, all are numbered 1, 2, 3… in order (and the second value is False)."""
    parsed = []
    for header in headers:
        match = _LEVEL_WORDS.match(header) or _NUMBERED.match(header)
        if match is None:
            break
        parsed.append((int(match[1]), (match[2] or "").strip() or f"Level {match[1]}"))
    numbers = [n for n, _ in parsed]
    if len(parsed) == len(headers) and len(set(numbers)) == len(numbers):
        return parsed, True
    return [(i, h) for i, h in enumerate(headers, start=1)], False


def place(outline: Outline, mapping: Mapping, *, title: str) -> Placement:
    """The framework data a mapping gives, with an account of every content item."""
    kind = mapping.levels.kind
    if kind in ("rows", "columns"):
        return _Tables(outline, mapping, title).run()
    if kind == "front-matter":
        return _FrontMatter(outline, mapping, title).run()
    return _Sections(outline, mapping, title).run()


class _Placer:
    def __init__(self, outline: Outline, mapping: Mapping, title: str) -> None:
        self.outline, self.mapping, self.title = outline, mapping, title
        self.build = _Build()
        self.result = Placement(data={})
        self.section = ""
        self.skipped: set[int] = self._skipped()

    def _skipped(self) -> set[int]:
        """The items in a section the mapping leaves out (the heading and all below it)."""
        out: set[int] = set()
        items = self.outline.items
        for index, item in enumerate(items):
            if item.kind not in (HEADING, FILE) or index in out:
                continue
            if not (
                self.mapping.skips(item.text)
                or (item.kind == FILE and item.file and self.mapping.skips(item.file))
            ):
                continue
            out.add(index)
            for later in range(index + 1, len(items)):
                other = items[later]
                if other.kind == FILE or (
                    other.kind == HEADING and item.kind == HEADING and other.depth <= item.depth
                ):
                    break
                out.add(later)
        return out

    def account(
        self, item: Item, status: str, where: str, line: int | None = None, text: str | None = None
    ) -> None:
        self.result.accounts.append(
            Account(line or item.line, text or item.text, status, where, self.section)
        )

    def common(self, index: int, item: Item) -> bool:
        """Items every mapping treats alike; True when this one was accounted for."""
        if item.kind in (HEADING, FILE):
            self.section = item.text
        if index in self.skipped:
            why = f"in a section left out with --skip {self.section!r}"
            for row in item.rows:  # a table: each row, by its line
                self.account(item, OMITTED, why, row.line, " | ".join(row.cells))
            if not item.rows:
                self.account(item, OMITTED, why)
            return True
        if item.kind == IMAGE:
            self.account(item, OMITTED, "an image (images are left out)")
            return True
        if item.kind == "contents":
            self.account(item, OMITTED, "a table of contents (a link to a heading)")
            return True
        if item.kind == CODE:
            if "code" in self.mapping.skip:
                self.account(item, OMITTED, "a code block (--skip code)")
            else:
                self.account(item, LOST, "a code block (leave code out with --skip code)")
            return True
        if item.kind == FRONT_MATTER:
            self.account(item, OMITTED, "front matter (its title is the framework's)")
            return True
        return False

    def finish(self) -> Placement:
        self.result.data = self.build.data(self.title, self.result.decisions)
        if len(self.build.levels) > MAX_LEVELS:
            raise FrameworkError(
                f"more than {MAX_LEVELS} levels: no ladder has so many", file=self.outline.source
            )
        return self.result

    def intro(self, item: Item) -> None:
        if item.kind == TABLE:
            for row in item.rows:
                self.build.introduction.append(" | ".join(c for c in row.cells if c))
                self.account(
                    item, PLACED, "the framework's introduction", row.line, " | ".join(row.cells)
                )
            return
        self.build.introduction.append(plain(item.text))
        self.account(item, PLACED, "the framework's introduction")


# --- a section per level (headings, or a file per level) -----------------------------------


class _Sections(_Placer):
    def run(self) -> Placement:
        items = self.outline.items
        levels = self.mapping.levels
        start, end = 0, len(items)
        if levels.kind == "files":
            heads = [i for i, it in enumerate(items) if it.kind == FILE and i not in self.skipped]
            if not heads:
                raise FrameworkError(
                    "--levels files: no file in the folder is left to read",
                    file=self.outline.source,
                )
        else:
            if levels.under:
                wrapper = next(
                    (
                        i
                        for i, it in enumerate(items)
                        if it.kind == HEADING and it.text.casefold() == levels.under.casefold()
                    ),
                    None,
                )
                if wrapper is None:
                    names = ", ".join(repr(it.text) for _, it in self.outline.headings()[:8])
                    raise FrameworkError(
                        f"no heading {levels.under!r} to find the levels under (--levels "
                        f"{levels}); the headings are: {names}",
                        file=self.outline.source,
                        hint="see them all with --outline",
                    )
                start = wrapper + 1
                end = next(
                    (
                        i
                        for i in range(start, len(items))
                        if items[i].kind == HEADING and items[i].depth <= items[wrapper].depth
                    ),
                    len(items),
                )
            heads = [
                i
                for i in range(start, end)
                if items[i].kind == HEADING
                and items[i].depth == levels.depth
                and i not in self.skipped
            ]
            if not heads:
                depths = sorted({it.depth for _, it in self.outline.headings()})
                under = f" under {levels.under!r}" if levels.under else ""
                raise FrameworkError(
                    f"no h{levels.depth} headings{under} to read as levels (--levels {levels}); "
                    "the document has "
                    f"headings of depth {', '.join(f'h{d}' for d in depths) or 'none'}",
                    file=self.outline.source,
                    hint="see the outline with --outline",
                )
        if len(heads) > MAX_LEVELS:
            raise FrameworkError(
                f"more than {MAX_LEVELS:,} levels (headings of the same depth): "
                "no ladder has so many (a limit of coachlib's)",
                file=self.outline.source,
                line=items[heads[MAX_LEVELS]].line,
            )
        ends = []
        for position, head in enumerate(heads):
            stop = heads[position + 1] if position + 1 < len(heads) else end
            if levels.kind != "files":
                stop = next(
                    (
                        i
                        for i in range(head + 1, stop)
                        if items[i].kind == HEADING and items[i].depth <= levels.depth
                    ),
                    stop,
                )
            ends.append(stop)
        titles = [self._level_name(head) for head in heads]
        numbered, explicit = level_names(titles)
        if not explicit and len(heads) > 1:
            self.result.decisions.append(
                (
                    items[heads[0]].line,
                    "the levels have names but no numbers: numbered 1, 2, 3… in document order",
                )
            )
        for number, name in numbered:
            self.build.levels.setdefault(number, {"name": plain(name)})
        owner: dict[int, tuple[int, int]] = {}
        for (number, _), head, stop in zip(numbered, heads, ends, strict=True):
            for i in range(head, stop):
                owner[i] = (number, head)
        title_index = self._title_index(heads)
        first = heads[0]
        position = 0
        while position < len(items):
            item = items[position]
            if position in owner:
                number, head = owner[position]
                stop = ends[heads.index(head)]
                self._level(number, head, stop)
                position = stop
                continue
            if position == title_index:
                self.section = item.text
                self.account(item, OMITTED, "the title")
            elif self.common(position, item):
                pass
            elif item.kind == HEADING:
                self.account(
                    item,
                    OMITTED,
                    "a heading outside the levels"
                    if position > first
                    else "a heading before the levels",
                )
            elif item.kind == TABLE and self._index_table(item):
                pass  # each row accounted for as a level's description
            elif position < first:
                self.intro(item)
            else:
                self._lose(item, "after the levels" if position > first else "between levels")
            position += 1
        return self.finish()

    def _lose(self, item: Item, where: str) -> None:
        if item.kind == TABLE:
            for row in item.rows:
                self.account(item, LOST, where, row.line, " | ".join(row.cells))
        else:
            self.account(item, LOST, where)

    def _level_name(self, head: int) -> str:
        item = self.outline.items[head]
        if item.kind == FILE:  # the file's first heading names the level, else its name
            for later in self.outline.items[head + 1 :]:
                if later.kind == FILE:
                    break
                if later.kind == HEADING:
                    return later.text
            return item.text
        return item.text

    def _title_index(self, heads: list[int]) -> int | None:
        if self.mapping.levels.kind == "files" or self.mapping.levels.depth == 1:
            return None
        for index, item in enumerate(self.outline.items[: heads[0]]):
            if item.kind == HEADING and item.depth == 1:
                return index
        return None

    def _index_table(self, item: Item) -> bool:
        """A table of the levels (a row per level, naming it) outside the level sections:
        each row's other cells become that level's description."""
        names = {n: level["name"].casefold() for n, level in self.build.levels.items()}
        matched: dict[int, tuple[int, Row]] = {}
        for row in item.body:
            for number, name in names.items():
                if any(
                    c.strip()
                    and (
                        c.strip().casefold() == name
                        or re.search(rf"\b{re.escape(c.strip().casefold())}\b", name)
                    )
                    for c in row.cells
                    if not c.strip().isdigit()
                ):
                    matched.setdefault(number, (number, row))
                    break
        if len(matched) < max(2, len(item.body)) or len(item.body) > len(names):
            return False
        for row in item.rows[: item.header_rows]:
            self.account(
                item, OMITTED, "the header of the table of levels", row.line, " | ".join(row.cells)
            )
        for number, row in matched.values():
            name = names[number]
            said = [
                plain(c)
                for c in row.cells
                if c.strip() and not c.strip().isdigit() and c.strip().casefold() not in name
            ]
            level = self.build.levels[number]
            if said and not level.get("description"):
                level["description"] = "; ".join(said)
            self.account(
                item,
                PLACED,
                f"level {number}'s description (a table of the levels)",
                row.line,
                " | ".join(row.cells),
            )
        return True

    def _level(self, number: int, head: int, stop: int) -> None:
        items = self.outline.items
        mapping = self.mapping
        skills = mapping.skills
        level = self.build.levels[number]
        head_item = items[head]
        self.section = head_item.text
        self.account(head_item, PLACED, f"level {number} ({level['name']})")
        inner = [i for i in range(head + 1, stop) if items[i].kind == HEADING]
        depths = sorted({items[i].depth for i in inner})
        name_heading = None
        if head_item.kind == FILE and inner:  # a file's first heading names its level
            name_heading = inner[0]
            depths = sorted({items[i].depth for i in inner[1:]})
        group_depths = [d for d in depths if skills.kind == "heading" and d < skills.depth]
        if skills.kind == "bold" and len(depths) > 1:
            group_depths = depths[:1]
        group: str | None = None
        skill: str | None = None
        started = False  # anything but the intro seen in this level
        description: list[str] = []
        for position in range(head + 1, stop):
            item = items[position]
            self.result.level_of_line[item.line] = number
            if position == name_heading:
                self.section = item.text
                self.account(item, PLACED, f"the name of level {number}")
                continue
            if self.common(position, item):
                continue
            if item.kind == HEADING:
                started = True
                if item.depth in group_depths:
                    group, skill = item.text, None
                    self.account(item, PLACED, f"group {item.text!r}")
                elif skills.kind == "none":
                    self.account(
                        item,
                        OMITTED,
                        "a heading inside a level (--skills none: "
                        f"its criteria go to {skills.name!r})",
                    )
                elif skills.kind == "heading" and item.depth > skills.depth:
                    self.account(item, OMITTED, "a heading below a skill")
                else:
                    skill = item.text
                    self.build.register(skill, group)
                    self.account(item, PLACED, f"skill {plain(skill)!r}")
                continue
            if item.kind == TABLE:
                started = True
                self._level_table(number, item, group)
                continue
            text = item.text
            bold = _BOLD_KEY.match(text) if skills.kind == "bold" else None
            if bold is None and skills.kind == "bold" and item.kind == ITEM and skill is None:
                bold = _PLAIN_KEY.match(text)
            if bold:
                started = True
                key, rest = bold[1].strip().rstrip(":").strip(), bold[2].strip()
                if rest:
                    self.account(item, PLACED, self.build.add(number, key, rest, group))
                else:
                    skill = key
                    self.account(item, PLACED, f"skill {plain(key)!r}")
                continue
            if not started and item.kind == PARAGRAPH and mapping.intro == "description":
                description.append(plain(text))
                self.account(item, PLACED, f"level {number}'s description")
                continue
            started = True
            if skills.kind == "none":
                self.account(item, PLACED, self.build.add(number, skills.name, text, group))
            elif skill is not None:
                self.account(item, PLACED, self.build.add(number, skill, text, group))
            else:
                hint = (
                    "no skill is named before it (--skills none puts plain criteria in one skill)"
                )
                self.account(item, LOST, hint)
        if description:
            level["description"] = " ".join(description)

    def _level_table(self, number: int, item: Item, group: str | None) -> None:
        """A table inside a level: a row per skill (its first cell), the rest criteria."""
        for row in item.rows[: item.header_rows]:
            self.account(item, OMITTED, "a table's header", row.line, " | ".join(row.cells))
        for row in item.body:
            text = " | ".join(row.cells)
            if self.mapping.skills.kind == "none":
                criteria = [c for cell in row.cells for c in split_cell(cell)]
                name = self.mapping.skills.name
            else:
                name = plain(row.cells[0]).strip("*_ ") if row.cells else ""
                criteria = [c for cell in row.cells[1:] for c in split_cell(cell)]
            if not name or not criteria:
                self.account(
                    item, LOST, "a table row without a skill name or criteria", row.line, text
                )
                continue
            for criterion in criteria:
                where = self.build.add(number, name, criterion, group)
            self.account(item, PLACED, where, row.line, text)


# --- a table of levels and skills ----------------------------------------------------------


class _Tables(_Placer):
    def run(self) -> Placement:
        items = self.outline.items
        tables = [i for i, it in enumerate(items) if it.kind == TABLE and i not in self.skipped]
        if not tables:
            raise FrameworkError(
                f"--levels {self.mapping.levels}: the document has no table",
                file=self.outline.source,
                hint="see the outline with --outline",
            )
        chosen = max(tables, key=lambda i: sum(len(r.cells) for r in items[i].rows))
        # tables of the same columns (a table per group, under the group's heading) too
        same = {
            i
            for i in tables
            if [c.casefold() for c in items[i].header]
            == [c.casefold() for c in items[chosen].header]
        }
        chosen = min(same)
        group: str | None = None
        for position, item in enumerate(items):
            if position in same:
                self._table(item, group if len(same) > 1 else None)
                continue
            if self.common(position, item):
                continue
            if item.kind == HEADING:
                if item.depth == 1 and position < chosen:
                    self.account(item, OMITTED, "the title")
                elif len(same) > 1 and any(i > position for i in same):
                    group = item.text
                    self.account(item, PLACED, f"group {item.text!r} (of the table below it)")
                else:
                    self.account(item, OMITTED, "a heading")
                continue
            if position < chosen:
                self.intro(item)
            elif item.kind == TABLE:
                for row in item.rows:
                    self.account(
                        item,
                        LOST,
                        "a second table (the ladder is the largest one)",
                        row.line,
                        " | ".join(row.cells),
                    )
            else:
                self.account(item, LOST, "after the table")
        return self.finish()

    def _table(self, item: Item, group: str | None = None) -> None:
        header_rows = item.header_rows or 1
        header = [plain(c).strip("*_ ") for c in item.rows[0].cells]
        for row in item.rows[:header_rows]:
            self.account(
                item,
                PLACED,
                "the table's header (names the columns)",
                row.line,
                " | ".join(row.cells),
            )
        body = item.rows[header_rows:]
        if self.mapping.levels.kind == "columns":
            self._levels_as_columns(item, header, body, group)
        else:
            self._levels_as_rows(item, header, body)

    def _unnamed(self, header: list[str], column: int, line: int, what: str) -> str:
        name = f"Column {column + 1}"
        self.result.decisions.append(
            (line, f"column {column + 1} has no header: its {what} is called {name!r}")
        )
        return name

    def _levels_as_columns(
        self, item: Item, header: list[str], body: tuple[Row, ...], category: str | None = None
    ) -> None:
        kinds = [h.casefold() for h in header]
        group_col = next((i for i, h in enumerate(kinds) if h in GROUP_HEADERS), None)
        description_col = next(
            (i for i, h in enumerate(kinds) if i and h in DESCRIPTION_HEADERS), None
        )
        skill_col = next(i for i in range(len(header)) if i not in (group_col, description_col))
        columns = [
            i for i in range(len(header)) if i not in (group_col, description_col, skill_col)
        ]
        if len(columns) > MAX_LEVELS:
            raise FrameworkError(
                f"more than {MAX_LEVELS} level columns: no ladder has so many",
                file=self.outline.source,
                line=item.line,
            )
        names = [header[i] or self._unnamed(header, i, item.line, "level") for i in columns]
        numbered, explicit = level_names(names)
        if not explicit:
            self.result.decisions.append(
                (
                    item.line,
                    "the levels have names but no numbers: "
                    "numbered 1, 2, 3… in the order of the columns",
                )
            )
        for number, name in numbered:
            self.build.levels.setdefault(number, {"name": name})
        for row in body:
            cells = list(row.cells) + [""] * (len(header) - len(row.cells))
            text = " | ".join(c for c in cells if c)
            name = plain(cells[skill_col]).strip("*_ ")
            others = [c for i, c in enumerate(cells) if i != skill_col and c.strip()]
            if name and not others:
                category = name
                self.result.decisions.append(
                    (
                        row.line,
                        f"{name!r} has only its first cell: read as a group of the rows below it",
                    )
                )
                self.account(item, PLACED, f"group {name!r}", row.line, text)
                continue
            if not name:
                self.account(item, LOST, "a row without a skill name", row.line, text)
                continue
            group = cells[group_col] if group_col is not None and cells[group_col] else category
            placed = 0
            for column, (number, _) in zip(columns, numbered, strict=True):
                for criterion in split_cell(cells[column]) if column < len(cells) else []:
                    self.build.add(number, name, criterion, group)
                    placed += 1
            key = name.casefold()
            if not placed:  # a skill named, with no criteria: kept, reported as empty
                self.build.groups.setdefault(group or "Skills", {}).setdefault(
                    key, {"id": slugify(name), "name": name, "criteria": {}}
                )
            skill = self.build.groups[self.build.skill_group.get(key, group or "Skills")][key]
            if description_col is not None and cells[description_col]:
                skill["description"] = plain(cells[description_col])
            self.account(item, PLACED, f"skill {name!r}, {placed} criteria", row.line, text)

    def _levels_as_rows(self, item: Item, header: list[str], body: tuple[Row, ...]) -> None:
        kinds = [h.casefold() for h in header]
        level_col = next((i for i, h in enumerate(kinds) if h in LEVEL_HEADERS), 0)
        name_cols = [i for i, h in enumerate(kinds) if h in NAME_HEADERS and i != level_col]
        description_col = next(
            (i for i, h in enumerate(kinds) if h in DESCRIPTION_HEADERS and i != level_col), None
        )
        group_col = next((i for i, h in enumerate(kinds) if h in GROUP_HEADERS), None)
        skill_cols = [
            i
            for i in range(len(header))
            if i not in (level_col, description_col, group_col, *name_cols)
        ]
        skill_names = {
            i: header[i] or self._unnamed(header, i, item.line, "skill") for i in skill_cols
        }
        rows = [r for r in body if any(c.strip() for c in r.cells)]
        labels = []
        for row in rows:
            cells = list(row.cells) + [""] * (len(header) - len(row.cells))
            label = plain(cells[level_col]).strip("*_ ")
            label = " ".join([label, *(plain(cells[i]) for i in name_cols if cells[i])]).strip()
            labels.append(label)
        numbered, explicit = level_names(labels)
        if not explicit:
            self.result.decisions.append(
                (
                    item.line,
                    "the levels have names but no numbers: "
                    "numbered 1, 2, 3… in the order of the rows",
                )
            )
        for row, (number, name) in zip(rows, numbered, strict=True):
            cells = list(row.cells) + [""] * (len(header) - len(row.cells))
            text = " | ".join(c for c in cells if c)
            if not name:
                self.account(item, LOST, "a row without a level name", row.line, text)
                continue
            level = self.build.levels.setdefault(number, {"name": name})
            if description_col is not None and cells[description_col]:
                level["description"] = plain(cells[description_col])
            group = cells[group_col] if group_col is not None and cells[group_col] else None
            placed = 0
            for column in skill_cols:
                for criterion in split_cell(cells[column]):
                    self.build.add(number, skill_names[column], criterion, group)
                    placed += 1
            self.account(
                item, PLACED, f"level {number} ({name}), {placed} criteria", row.line, text
            )
            self.result.level_of_line[row.line] = number


# --- a ladder held in front matter ---------------------------------------------------------

_NAME_KEYS = ("name", "topic", "skill", "title", "area", "competency")
_LEVELS_KEYS = ("levels", "criteria", "expectations", "items")
_LEVEL_KEYS = ("level", "name", "title")


class _FrontMatter(_Placer):
    def run(self) -> Placement:
        key = self.mapping.levels.key or ""
        data = self.outline.front.get(key)
        if data is None:
            keys = ", ".join(map(str, self.outline.front)) or "none"
            raise FrameworkError(
                f"the front matter has no key {key!r} (--levels "
                f"front-matter:{key}); its keys are: {keys}",
                file=self.outline.source,
            )
        front_line = next((it.line for it in self.outline.items if it.kind == FRONT_MATTER), 1)
        order: dict[str, int] = {}
        lost: list[str] = []
        for topic, levels in self._topics(data, lost):
            for level, criteria in levels:
                number = order.setdefault(str(level), len(order) + 1)
                self.build.levels.setdefault(number, {"name": str(level)})
                for criterion in criteria:
                    self.build.add(number, topic, criterion)
        numbered, explicit = level_names(list(order))
        if explicit:  # "Level 2: Mid" keys say their numbers (and names)
            renumber = dict(zip(order.values(), (n for n, _ in numbered), strict=True))
            self.build.levels = {n: {"name": name} for n, name in numbered}
            for skills in self.build.groups.values():
                for skill in skills.values():
                    skill["criteria"] = {renumber[n]: c for n, c in skill["criteria"].items()}
        else:
            self.result.decisions.append(
                (
                    front_line,
                    "the levels have names but no numbers: "
                    "numbered 1, 2, 3… in the order first seen",
                )
            )
        for position, item in enumerate(self.outline.items):
            if item.kind == FRONT_MATTER:
                self.account(item, PLACED, f"the ladder (front matter key {key!r})")
                for text in lost:
                    self.account(item, LOST, "front matter the mapping has no place for", text=text)
            elif self.common(position, item):
                continue
            elif item.kind == HEADING:
                self.account(item, OMITTED, "a heading of the prose below the ladder")
            else:
                self.intro(item)
        return self.finish()

    def _topics(self, data: Any, lost: list[str]):
        """(topic, [(level, [criteria])]) from a mapping of topics or a list of them."""
        if isinstance(data, dict):
            for topic, levels in data.items():
                yield str(topic), list(self._levels(levels, lost))
        elif isinstance(data, list):
            for entry in data:
                if not isinstance(entry, dict):
                    lost.append(str(entry))
                    continue
                name = next((entry[k] for k in _NAME_KEYS if k in entry), None)
                levels = next((entry[k] for k in _LEVELS_KEYS if k in entry), None)
                if name is None or levels is None:
                    lost.append(str(entry))
                    continue
                yield str(name), list(self._levels(levels, lost))
        else:
            lost.append(str(data))

    def _levels(self, levels: Any, lost: list[str]):
        if isinstance(levels, dict):
            for level, criteria in levels.items():
                yield level, _strings(criteria)
        elif isinstance(levels, list):
            for entry in levels:
                if isinstance(entry, dict):
                    level = next((entry[k] for k in _LEVEL_KEYS if k in entry), None)
                    criteria = next((entry[k] for k in _LEVELS_KEYS if k in entry), None)
                    if level is not None and criteria is not None:
                        yield level, _strings(criteria)
                        continue
                lost.append(str(entry))
        else:
            lost.append(str(levels))


def _strings(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [str(value).strip()] if str(value).strip() else []
