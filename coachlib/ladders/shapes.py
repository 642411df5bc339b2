"""`coach frameworks import`: a career ladder written in Markdown becomes framework YAML.

Recognised shapes (the seed documents show the first three):

* **milestones**: a numbered list, each item a bold headline and a paragraph;
* **levels per skill**: a section per skill with a short description and a ``Level`` list of
  numbered levels (``3 - Practice``), each followed by its criteria lines; headings like
  ``# --Engineering--`` group the skills;
* **catalogue**: headed skills with description paragraphs, ``**Excluded:**`` and
  ``**See also:**`` lines, grouped in tiers and skill sets (``Basic Design (SE)``), where
  heading depth and emphasis are inconsistent: structure is read from meaning;
* **table**: a Markdown table, skills as rows, levels as columns, criteria in the cells;
* **sections per level**: a section per level holding the skills' expectations as bullets
  (``- **Testing**: writes tests first``) or as sub-sections with bullets.

Nothing is guessed silently: every line that could not be placed, and every decision taken
(a duplicate merged, a See also left unresolved, levels numbered in document order), is
reported with its line number. ``strict`` turns any report into an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from ..model.errors import NOTE, WARNING, Diagnostic, FrameworkError
from ..model.names import slugify
from .limits import (
    HOW_TO_WRITE,
    MAX_LEVELS,
    MAX_SKILLS,
    check_text_size,
    too_many,
)

UNPLACED, DECISION = "unplaced", "decision"

DEFAULT_CATALOGUE_SCALE = ("None", "Learning", "Proficient", "Fluent")

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_CODE = re.compile(r"^(.+?)\s+\(([^()]+)\)$")
_GROUP_MARK = re.compile(r"^-+\s*(.+?)\s*-+$")
_LEVEL_LINE = re.compile(r"^(\d+)\s*[-–—:.]\s*(\S.*)$")
_MILESTONE = re.compile(r"^(\d+)\.\s+\*\*(.+?)\*\*\s*(.*)$")
_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?\s*$")
_LEVEL_HEADING = re.compile(r"^(?:level|lvl|l)\s*(\d+)\s*(?:[-–—:.]\s*(.*))?$", re.I)
_NUMBERED_NAME = re.compile(r"^(\d+)\s*(?:[-–—:.)]\s*)?(.*)$")
_BOLD_ITEM = re.compile(r"^[-*+]\s+\*\*(.+?)\*\*\s*[:—–-]?\s*(.*)$")
_PLAIN_ITEM = re.compile(r"^[-*+]\s+([^:]{2,60}):\s+(.+)$")
_LINK = re.compile(r"\[([^\]]+)\]\((?:\{%[^)]*%\}|[^)]*)\)")
_LIQUID = re.compile(r"\{%.*?%\}")
_INLINE_LEVEL = re.compile(
    r"^(?:[-*+]\s+)?\*\*(?:level|lvl)\s*(\d+)\s*(?:[-–—(]\s*([^*):]+?)\s*\)?)?\s*:?\s*\*\*"
    r"\s*[:–—-]?\s*(\S.*)$",
    re.I,
)
_CONTENTS_LINE = re.compile(r"^\s*[-*]\s+\[[^\]]+\]\(#[^)]*\)\s*$")


def _report(kind: str, line: int | None, text: str) -> Diagnostic:
    """A line that could not be placed (a warning), or a decision the importer took (a note)."""
    return Diagnostic(text, line=line, code=kind, severity=WARNING if kind == UNPLACED else NOTE)


@dataclass
class ImportResult:
    data: dict[str, Any]
    shape: str
    reports: list[Diagnostic] = field(default_factory=list)
    level_of_line: dict[int, int] = field(default_factory=dict)  # where the report can say


@dataclass
class Line:
    number: int
    text: str


class _Reader:
    """The document's lines (front matter, HTML comments and link targets taken out)."""

    def __init__(
        self, text: str, reports: list[Diagnostic], line_numbers: list[int] | None = None
    ) -> None:
        self.reports = reports
        self.front: dict[str, str] = {}
        self.level_of_line: dict[int, int] = {}  # a line's level, where the shape says it
        lines = text.splitlines()
        start = 0
        if lines and lines[0].strip() == "---":
            for index in range(1, len(lines)):
                if lines[index].strip() == "---":
                    for entry in lines[1:index]:
                        key, _, value = entry.partition(":")
                        self.front[key.strip()] = value.strip()
                    start = index + 1
                    break
        fenced: set[int] = set()
        comments: set[int] = set()
        references: set[int] = set()
        if _PARSER_TRIGGERS.search(text):  # else the parse would find none of the three
            tokens = _block_tokens(lines[start:])
            lines = lines[:start] + _atx_headings(lines[start:], tokens)
            fenced, comments, references = _blocks(lines[start:], tokens)
        self.lines: list[Line] = []
        links = contents = 0
        for number, raw in enumerate(lines[start:], start=start + 1):
            index = number - start - 1
            if index in fenced:  # a code block: never a heading or a criterion
                if raw.strip() and not raw.strip().startswith(("```", "~~~")):
                    shown = line_numbers[number - 1] if line_numbers else number
                    reports.append(_report(UNPLACED, shown, f"in a code block: {raw.strip()}"))
                continue
            if index in comments or index in references:
                continue
            if _CONTENTS_LINE.match(raw):  # a table of contents: links to the headings
                contents += 1
                continue
            cleaned, count = _LINK.subn(r"\1", raw)
            links += count
            cleaned = _LIQUID.sub("", cleaned).rstrip()
            if line_numbers is not None and number - 1 < len(line_numbers):
                number = line_numbers[number - 1]
            self.lines.append(Line(number, cleaned))
        if contents:
            reports.append(
                _report(DECISION, None, f"left out a table of contents ({contents} lines)")
            )
        if references:
            reports.append(
                _report(
                    DECISION,
                    None,
                    f"left out {len(references)} link reference definition(s) (link targets)",
                )
            )
        if links:
            reports.append(
                _report(DECISION, None, f"kept the text of {links} link(s), not their targets")
            )


# What must be in a document for markdown-it-py to find a setext heading (a line that is
# only = or - after its indentation or > marks), a fence, an HTML comment or a link
# reference definition (``[label]:``). Matching more than those is harmless (the parser
# then decides); a document with none of them is not parsed: the parse was the largest
# part of a large ladder's import.
_PARSER_TRIGGERS = re.compile(r"```|~~~|<!--|\]:|(?:^|[\s>])(?:=+|-+)[ \t]*$", re.M)


@cache
def _block_parser():
    """markdown-it-py for the document's blocks only: headings, fences, HTML blocks, link
    reference definitions and tables are block rules; inline parsing (emphasis, links),
    which the importer reads with its own rules, is switched off: it was most of the
    parse's cost. An inline token's ``content`` (a table cell's text) is kept."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table").disable("inline")


def _block_tokens(lines: list[str]) -> list[Any]:
    """The document parsed once, for the setext headings and the blocks below."""
    return _block_parser().parse("\n".join(lines))


def _blocks(lines: list[str], tokens: list[Any]) -> tuple[set[int], set[int], set[int]]:
    """The indexes of the lines of fenced code blocks, of HTML comments, and of link
    reference definitions (``[1]: https://…``, which CommonMark takes out of the text), all
    found by markdown-it-py, not by line rules. ``covered`` grows by each top-level
    block's lines once: a ``set.update`` per block, linear in the document."""
    fenced: set[int] = set()
    comments: set[int] = set()
    covered: set[int] = set()
    for token in tokens:
        if not token.map or token.level != 0:
            continue
        covered.update(range(*token.map))
        if token.type == "fence":
            fenced.update(range(*token.map))
        elif token.type == "html_block" and token.content.lstrip().startswith("<!--"):
            comments.update(range(*token.map))
    references = {i for i, line in enumerate(lines) if line.strip() and i not in covered}
    return fenced, comments, references


def _atx_headings(lines: list[str], tokens: list[Any]) -> list[str]:
    """The lines with every setext heading (a title underlined with === or ---) written as
    an ATX one (# Title), found by a CommonMark parser (markdown-it-py), so a code fence or
    a table rule is never mistaken for one. The underline becomes an empty line: line
    numbers stay those of the document (so the same parse serves :func:`_blocks`)."""
    out = list(lines)
    for token in tokens:
        if token.type != "heading_open" or token.markup not in ("=", "-") or not token.map:
            continue
        first, end = token.map
        title = " ".join(out[i].strip() for i in range(first, end - 1))
        out[first] = "#" * int(token.tag[1]) + " " + title
        for index in range(first + 1, end):
            out[index] = ""
    return out


def _clean_heading(text: str) -> str:
    text = text.strip()
    while len(text) > 1 and text[0] == text[-1] and text[0] in "*_":
        text = text[1:-1].strip()
    return text.strip("*_ ").strip()


def _paragraphs(lines: list[Line]) -> list[tuple[int, str]]:
    """(first line number, text) per paragraph: lines joined by spaces."""
    out: list[tuple[int, str]] = []
    current: list[Line] = []
    for line in [*lines, Line(0, "")]:
        if line.text.strip() and line.text.strip() != "---":
            current.append(line)
        elif current:
            out.append((current[0].number, " ".join(x.text.strip() for x in current)))
            current = []
    return out


def _headings(lines: list[Line]) -> list[tuple[int, int, str]]:
    """(index into lines, depth, cleaned text) of every heading."""
    found = []
    for index, line in enumerate(lines):
        match = _HEADING.match(line.text)
        if match:
            found.append((index, len(match[1]), _clean_heading(match[2])))
    return found


# --- an index of the levels, then a section per level ---------------------------------------


def _read_level_index(reader: _Reader, reports: list[Diagnostic]) -> dict[int, str] | None:
    """A summary table of the levels followed by a section per level (``| 1 | Junior | … |``
    then ``## Junior``): the table is the scale's index, not a skills table. When the
    headings after the table are the names in one of its columns, the table is taken out,
    each such heading becomes ``## Level N: Name`` (N from a column of numbers, else the
    table's order), and the function returns each level's description (a third column,
    if any). None when the document is not of this shape."""
    lines = reader.lines
    rule = next((i for i, line in enumerate(lines) if _TABLE_RULE.match(line.text.strip())), None)
    if rule is None or rule == 0 or not lines[rule - 1].text.strip().startswith("|"):
        return None
    end = _table_end(lines, rule + 1)
    rows = _table_cells([line.text for line in lines[rule - 1 : end]])[1:]
    if len(rows) < 2:
        return None
    width = min(len(row) for row in rows)
    after = [(i, depth, name) for i, depth, name in _headings(lines) if i > end]
    if not after:
        return None
    depth = min(d for _, d, _ in after)
    sections = {name.casefold(): i for i, d, name in after if d == depth}
    names = next(
        (
            c
            for c in range(width)
            if sum(_clean_heading(row[c]).casefold() in sections for row in rows) >= 2
            and all(_clean_heading(row[c]).casefold() in sections for row in rows)
        ),
        None,
    )
    if names is None:
        return None
    numbers = next(
        (
            c
            for c in range(width)
            if c != names and all(re.fullmatch(r"\d+", row[c]) for row in rows)
        ),
        None,
    )
    described = next((c for c in range(width) if c not in (names, numbers)), None)
    descriptions: dict[int, str] = {}
    for position, row in enumerate(rows, start=1):
        number = int(row[numbers]) if numbers is not None else position
        name = _clean_heading(row[names])
        index = sections[name.casefold()]
        lines[index] = Line(lines[index].number, f"{'#' * depth} Level {number}: {name}")
        if described is not None and row[described]:
            descriptions[number] = row[described]
    first = lines[rule - 1].number
    del lines[rule - 1 : end]
    reports.append(
        _report(
            DECISION,
            first,
            "read the table as the index of the levels, "
            "and the sections after it as the levels' contents",
        )
    )
    return descriptions


# --- shape detection --------------------------------------------------------------------------


def detect_shape(lines: list[Line]) -> str:
    texts = [line.text.strip() for line in lines]
    if any(re.match(r"^level\b", t, re.I) and "\t" in t for t in texts) or (
        sum(bool(_LEVEL_LINE.match(t)) for t in texts) >= 6
        and any(
            _GROUP_MARK.match(_clean_heading(t.lstrip("#"))) for t in texts if t.startswith("#")
        )
    ):
        return "levels-per-skill"
    headings = [h for _, _, h in _headings(lines)]
    if sum(bool(_INLINE_LEVEL.match(t)) for t in texts) >= 2 and not any(
        _LEVEL_HEADING.match(h) for h in headings
    ):
        return "skill-sections"  # "## Testing" then "**Level 1:** writes a test"
    if sum(bool(_LEVEL_HEADING.match(h)) for h in headings) >= 2:
        return "level-sections"  # "## Level 2: …" headings say it, whatever else is there
    if any(_TABLE_RULE.match(t) for t in texts):
        return "table"
    if any("**Excluded:**" in t or "**See also:**" in t for t in texts) or (
        sum(bool(_CODE.match(h)) for h in headings[1:]) >= 2
    ):
        return "catalogue"
    if sum(bool(_MILESTONE.match(t)) for t in texts) >= 2:
        return "milestones"
    return "level-sections"


def import_markdown(
    text: str,
    *,
    source: str = "document.md",
    framework_id: str | None = None,
    line_numbers: list[int] | None = None,
) -> ImportResult:
    """Read a Markdown career framework; raise FrameworkError if no shape fits at all.

    ``line_numbers`` gives each line of ``text`` the line of the document it came from
    (an HTML page read as Markdown), for the report."""
    check_text_size(text, source)
    reports: list[Diagnostic] = []
    reader = _Reader(text, reports, line_numbers)
    described = _read_level_index(reader, reports)
    shape = "level-sections" if described is not None else detect_shape(reader.lines)
    parse = {
        "milestones": _milestones,
        "levels-per-skill": _levels_per_skill,
        "catalogue": _catalogue,
        "table": _table,
        "level-sections": _level_sections,
        "skill-sections": _skill_sections,
    }[shape]
    try:
        data = parse(reader, reports)
    except FrameworkError as exc:
        raise FrameworkError(exc.message, file=exc.file or source, line=exc.line) from None
    for level in data.get("scale", []) if described else []:
        if described.get(level["level"]):
            level["description"] = described[level["level"]]
    result = finish_import(
        data,
        shape=shape,
        reports=reports,
        source=source,
        framework_id=framework_id,
        publisher=reader.front.get("author"),
    )
    result.level_of_line = reader.level_of_line
    return result


def finish_import(
    data: dict[str, Any],
    *,
    shape: str,
    reports: list[Diagnostic],
    source: str,
    framework_id: str | None,
    publisher: str | None = None,
) -> ImportResult:
    """What every reader ends with: the id, the provenance, the note saying how the document
    was read, and a refusal when no skill came out at all."""
    title = data.pop("title")
    data = {
        "schema_version": 1,
        "id": framework_id or slugify(title),
        "title": title,
        **data,
    }
    data.setdefault("source", {"title": title, "publisher": publisher or "Unknown"})
    data.setdefault("notes", []).append(
        f"Imported from {source} by `coach frameworks import` on {date.today().isoformat()} "
        f"(read as: {shape})."
    )
    check_size(data, source)
    if not any(_skills_of(group) for group in data["groups"]):
        raise FrameworkError(
            f"found no skills (read as {shape}): nothing said which level a skill's text "
            "belongs to",
            file=source,
            hint=HOW_TO_WRITE,
        )
    return ImportResult(data=_ordered(data), shape=shape, reports=reports)


def check_size(data: dict[str, Any], source: str) -> None:
    """Every reader's result held to :data:`MAX_LEVELS` and :data:`MAX_SKILLS` (the
    readers refuse earlier, by line, where they can)."""
    if len(data.get("scale", [])) > MAX_LEVELS + 1:  # level 0 may have been added
        raise too_many("levels", MAX_LEVELS, source=source)
    if sum(len(_skills_of(group)) for group in data["groups"]) > MAX_SKILLS:
        raise too_many("skills", MAX_SKILLS, source=source)


def _skills_of(group: dict[str, Any]) -> list[dict[str, Any]]:
    return [*group.get("skills", []), *(s for g in group.get("groups", []) for s in _skills_of(g))]


def _ordered(data: dict[str, Any]) -> dict[str, Any]:
    order = [
        "schema_version",
        "id",
        "title",
        "shape",
        "summary",
        "introduction",
        "source",
        "related",
        "scale",
        "marks",
        "groups",
        "notes",
        "defects",
    ]
    return {key: data[key] for key in order if key in data and data[key] not in (None, [], "")}


def _title(reader: _Reader, fallback: str = "Imported framework") -> tuple[str, int | None]:
    """The front matter's title, else the first heading; and the index of the heading that
    is the title (with a title in the front matter, only a heading saying the same: the
    first heading is then often the first level)."""
    front = reader.front.get("title")
    for index, _depth, text in _headings(reader.lines):
        if front and text.casefold() != front.casefold():
            return front, None
        return front or text, index
    return front or fallback, None


# --- milestones --------------------------------------------------------------------------------


def _milestones(reader: _Reader, reports: list[Diagnostic]) -> dict[str, Any]:
    lines = reader.lines
    doc_title, title_index = _title(reader)
    headings = _headings(lines)
    heading_title = headings[0][2] if headings else doc_title
    items: list[dict[str, Any]] = []
    intro: list[Line] = []
    note = None
    current: dict[str, Any] | None = None
    for index, line in enumerate(lines):
        text = line.text.strip()
        if index == title_index or not text:
            if current is not None and not text:
                current["open"] = False
            continue
        match = _MILESTONE.match(text)
        if match:
            current = {
                "level": int(match[1]),
                "title": match[2].strip(),
                "text": [match[3]],
                "line": line.number,
                "open": True,
            }
            items.append(current)
        elif re.match(r"^_?\*?note:", text, re.I) or (
            text.startswith("_") and "note" in text.lower()
        ):
            note = text.strip("_* ")
        elif current is not None and current["open"]:
            current["text"].append(text)
        elif not items:
            intro.append(line)
        else:
            reports.append(_report(UNPLACED, line.number, text))
    scale = [
        {"level": 0, "name": "Not started", "description": "Not yet at milestone 1."},
    ]
    reports.append(_report(DECISION, None, "added level 0 'Not started' below milestone 1"))
    for item in items:
        scale.append(
            {
                "level": item["level"],
                "name": f"Milestone {item['level']}",
                "title": item["title"],
                "description": " ".join(t for t in item["text"] if t).strip() or item["title"],
            }
        )
    intro_text = " ".join(p for _, p in _paragraphs(intro)) or None
    skill_name = heading_title
    source: dict[str, Any] = {"title": doc_title, "publisher": "Unknown"}
    if note:
        source["status_note"] = re.sub(r"^note:\s*", "", note, flags=re.I)
        if "draft" in note.lower():
            source["status"] = "draft"
            reports.append(_report(DECISION, None, "marked draft: the note says so"))
    track = slugify(heading_title)
    return {
        "title": heading_title,
        "shape": "milestones",
        "introduction": intro_text,
        "source": source,
        "scale": scale,
        "groups": [
            {
                "id": f"{track}-track",
                "name": heading_title,
                "kind": "track",
                "skills": [{"id": track, "name": skill_name}],
            }
        ],
    }


# --- levels per skill (seed 002) ---------------------------------------------------------------


def _levels_per_skill(reader: _Reader, reports: list[Diagnostic]) -> dict[str, Any]:
    title, title_index = _title(reader)
    groups = _Groups()
    scale: dict[int, str] = {}
    skill: dict[str, Any] | None = None
    level: int | None = None
    in_levels = False
    seen: dict[str, dict[str, Any]] = {}
    for index, line in enumerate(reader.lines):
        text = line.text.strip()
        if not text or index == title_index:
            continue
        heading = _HEADING.match(line.text)
        if heading:
            name = _clean_heading(heading[2])
            group = _GROUP_MARK.match(name)
            if group:
                groups.append(
                    {"id": slugify(group[1]), "name": group[1], "kind": "group", "skills": []}
                )
                skill = None
                continue
            if not groups:
                groups.append({"id": "skills", "name": "Skills", "kind": "group", "skills": []})
                reports.append(
                    _report(
                        DECISION,
                        line.number,
                        "no group heading before the first "
                        "skill: put the skills in a group 'Skills'",
                    )
                )
            skill = {"id": slugify(name), "name": name, "criteria": {}, "line": line.number}
            groups[-1]["skills"].append(skill)
            in_levels, level = False, None
            continue
        if skill is None:
            reports.append(_report(UNPLACED, line.number, text))
            continue
        if re.match(r"^level\b", text, re.I):
            in_levels = True
            continue
        match = _LEVEL_LINE.match(text)
        if match and (in_levels or "description" in skill):
            number, level_name = int(match[1]), match[2].strip()
            if scale.setdefault(number, level_name) != level_name:
                reports.append(
                    _report(
                        DECISION,
                        line.number,
                        f"level {number} is called "
                        f"{level_name!r} here and {scale[number]!r} earlier: "
                        "kept the first name",
                    )
                )
            in_levels, level = True, number
            skill["criteria"].setdefault(number, [])
            continue
        if in_levels and level is not None:
            skill["criteria"][level].append(text)
        elif "description" not in skill:
            skill["description"] = text
        else:
            skill["description"] += " " + text
    copies: dict[str, int] = {}
    for group in groups:
        kept = []
        for skill in group["skills"]:
            key = skill["name"].casefold()
            content = (skill.get("description"), repr(skill["criteria"]))
            if key in seen:
                earlier = seen[key]
                if (earlier.get("description"), repr(earlier["criteria"])) == content:
                    reports.append(
                        _report(
                            DECISION,
                            skill["line"],
                            f"{skill['name']!r} appears twice, word for word: merged into one",
                        )
                    )
                    earlier.setdefault("defects", []).append(
                        {
                            "kind": "duplicate",
                            "text": f"The source lists {skill['name']!r} twice, "
                            "word for word; it appears once here.",
                        }
                    )
                    continue
                copies[key] = copies.get(key, 1) + 1  # counted, not searched for
                skill["id"] = f"{skill['id']}-{copies[key]}"
                reports.append(
                    _report(
                        DECISION,
                        skill["line"],
                        f"a second, different {skill['name']!r}: kept as {skill['id']}",
                    )
                )
            seen.setdefault(key, skill)
            kept.append(skill)
        group["skills"] = kept
    for group in groups:
        for skill in group["skills"]:
            skill.pop("line", None)
            criteria = skill.pop("criteria")
            skill["criteria"] = [
                {"level": lv, "items": items} for lv, items in sorted(criteria.items()) if items
            ]
            if not skill["criteria"]:
                del skill["criteria"]
    return {
        "title": title,
        "shape": "matrix",
        "scale": [{"level": number, "name": name} for number, name in sorted(scale.items())],
        "groups": [g for g in groups if g["skills"]],
    }


# --- catalogue (seed 003) ----------------------------------------------------------------------


@dataclass
class _Block:
    line: int
    depth: int
    name: str
    body: list[Line]
    kind: str = "skill"  # tier, set, skill, expectation, group


def _catalogue(reader: _Reader, reports: list[Diagnostic]) -> dict[str, Any]:
    lines = reader.lines
    headings = _headings(lines)
    if not headings:
        raise FrameworkError("a catalogue needs headings")
    title_index, _depth, title = headings[0]
    intro = lines[title_index + 1 : headings[1][0]] if len(headings) > 1 else []
    blocks = []
    for position, (index, depth, name) in enumerate(headings[1:], start=1):
        end = headings[position + 1][0] if position + 1 < len(headings) else len(lines)
        blocks.append(_Block(lines[index].number, depth, name, lines[index + 1 : end]))
    _classify(blocks, reports)

    tiers: list[dict[str, Any]] = []
    sets: dict[str, dict[str, Any]] = {}
    expectations: list[tuple[str, str, _Block]] = []
    skills: list[tuple[dict[str, Any], list[str], int]] = []
    tier: dict[str, Any] | None = None
    skill_set: dict[str, Any] | None = None
    extra_groups: list[dict[str, Any]] = []
    skill_by_id: dict[str, dict[str, Any]] = {}  # found at once: the search was quadratic
    skill_ids = _Ids()
    for block in blocks:
        paragraphs = _paragraphs(block.body)
        if block.kind == "tier":
            tier = {"id": slugify(block.name), "name": block.name, "kind": "tier", "groups": []}
            text = "\n\n".join(p for _, p in paragraphs)
            if text:
                tier["description"] = text
            tiers.append(tier)
            skill_set = None
        elif block.kind == "set":
            match = _CODE.match(block.name)
            assert match is not None
            skill_set = {
                "id": slugify(match[1]),
                "name": match[1],
                "kind": "skill-set",
                "code": match[2],
                "skills": [],
            }
            text = "\n\n".join(p for _, p in paragraphs)
            if text:
                skill_set["description"] = text
            if tier is None:
                tier = {"id": "skills", "name": "Skills", "kind": "tier", "groups": []}
                tiers.append(tier)
            tier["groups"].append(skill_set)
            sets[match[1].casefold()] = skill_set
        elif block.kind == "higher-bar":
            if tier is not None:
                text = "\n\n".join(p for _, p in paragraphs)
                tier["description"] = (tier.get("description", "") + "\n\n" + text).strip()
                reports.append(
                    _report(
                        DECISION,
                        block.line,
                        f"{block.name!r} introduces what "
                        f"{tier['name']} expects of earlier skill sets: read as part "
                        "of the tier's description",
                    )
                )
        elif block.kind == "expectation":
            expectations.append(
                (block.name.strip("()").casefold(), tier["id"] if tier else "", block)
            )
        elif block.kind == "group":
            group = {"id": slugify(block.name), "name": block.name, "kind": "group"}
            texts = [p for _, p in paragraphs]
            if texts:
                group["description"] = texts[0]
            if any(t.strip().lower() == "(tbd)" for t in texts):
                group["defects"] = [{"kind": "incomplete", "text": "The source says '(tbd)'."}]
            extra_groups.append(group)
            sets[block.name.casefold()] = group
            skill_set = None
        else:
            if skill_set is None:
                reports.append(
                    _report(UNPLACED, block.line, f"skill {block.name!r} outside any skill set")
                )
                continue
            skill, see_also = _catalogue_skill(block, reports)
            twin = skill_by_id.get(skill["id"])  # the first skill of this id
            if twin is not None:
                same = {k: v for k, v in twin.items() if k != "defects"} == skill
                if same:
                    reports.append(
                        _report(
                            DECISION,
                            block.line,
                            f"{block.name!r} appears twice, word for word: merged into one",
                        )
                    )
                    continue
                skill["id"] = skill_ids.free(skill["id"])
                reports.append(
                    _report(
                        DECISION,
                        block.line,
                        f"a second, different skill named "
                        f"{block.name!r}: kept as {skill['id']}; See also names "
                        "resolve to the first",
                    )
                )
            skill_set["skills"].append(skill)
            skills.append((skill, see_also, block.line))
            skill_by_id.setdefault(skill["id"], skill)
            skill_ids.add(skill["id"])

    for name, tier_id, block in expectations:
        target = sets.get(name)
        paragraphs = _paragraphs(block.body)
        text = [p for _, p in paragraphs if not p.startswith("**Excluded:**")]
        excluded = [p for _, p in paragraphs if p.startswith("**Excluded:**")]
        if target is None:
            reports.append(
                _report(
                    UNPLACED,
                    block.line,
                    f"{block.name!r}: no skill set of that name for this 'higher bar'",
                )
            )
            continue
        entry = {"tier": tier_id, "text": "\n\n".join(text)}
        if excluded:
            entry["excluded"] = excluded[0].removeprefix("**Excluded:**").strip()
        target.setdefault("expectations", []).append(entry)

    names: dict[str, str] = {}
    for skill, _see_also, _line in skills:
        names.setdefault(skill["name"].casefold(), skill["id"])
    names.update({g["name"].casefold(): g["id"] for g in sets.values()})
    for skill, see_also, line in skills:
        resolved = []
        for reference in see_also:
            target = names.get(reference.casefold().rstrip("."))
            if target is None:
                reports.append(
                    _report(
                        DECISION,
                        line,
                        f"{skill['name']}: See also {reference!r} "
                        "names no skill or skill set: left unresolved",
                    )
                )
                skill.setdefault("defects", []).append(
                    {
                        "kind": "unresolved-reference",
                        "text": f"See also names '{reference}', which is no skill title.",
                    }
                )
            elif target not in resolved:
                resolved.append(target)
        if resolved:
            skill["see_also"] = resolved
    for tier in tiers:
        if not tier["groups"]:
            del tier["groups"]
    intro_paragraphs = _paragraphs(intro)
    source: dict[str, Any] = {"title": title, "publisher": "Unknown"}
    introduction = []
    for _line, paragraph in intro_paragraphs:
        updated = re.match(r"^\*\*updated\s+(.+?)\*\*$", paragraph, re.I)
        if updated:
            source["updated"] = updated[1]
        elif paragraph.startswith("*") and paragraph.endswith("*") and "status_note" not in source:
            source["status_note"] = paragraph.strip("*")
        else:
            introduction.append(paragraph)
    reports.append(
        _report(
            DECISION,
            None,
            "the document defines no rating scale: used None, "
            "Learning, Proficient, Fluent and the mark 'waived' (edit to change)",
        )
    )
    return {
        "title": title,
        "shape": "catalogue",
        "introduction": "\n\n".join(introduction) or None,
        "source": source,
        "scale": [{"level": i, "name": n} for i, n in enumerate(DEFAULT_CATALOGUE_SCALE)],
        "marks": [{"id": "waived", "name": "Waived"}],
        "groups": [*tiers, *extra_groups],
    }


class _Ids:
    """Ids handed out so far: ``base``, else ``base-2``, ``base-3``… The next free number
    of each base is remembered, so a thousand skills of one name cost a thousand steps,
    not half a million."""

    def __init__(self) -> None:
        self.taken: set[str] = set()
        self.next_number: dict[str, int] = {}

    def __contains__(self, candidate: str) -> bool:
        return candidate in self.taken

    def add(self, candidate: str) -> None:
        self.taken.add(candidate)

    def free(self, base: str) -> str:
        """``base-N`` for the first N from 2 not taken (``base`` itself is taken)."""
        number = self.next_number.get(base, 2)
        while f"{base}-{number}" in self.taken:
            number += 1
        self.next_number[base] = number + 1
        return f"{base}-{number}"

    def unique(self, base: str) -> str:
        """``base``, or the next free ``base-N``; then it is taken."""
        chosen = base if base not in self.taken else self.free(base)
        self.taken.add(chosen)
        return chosen


def _classify(blocks: list[_Block], reports: list[Diagnostic]) -> None:
    """Tiers, skill sets, skills, 'higher bar' expectations and late groups, by meaning."""
    set_names = {
        _CODE.match(b.name)[1].casefold()
        for b in blocks
        if _CODE.match(b.name)  # type: ignore[index]
    }
    pending: set[str] = set()
    in_higher_bar = False
    for index, block in enumerate(blocks):
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if _CODE.match(block.name) and not block.name.startswith("("):
            block.kind = "set"
            in_higher_bar = False
            if following is not None and following.name.strip("()").casefold() in set_names:
                block.kind = "higher-bar"
                in_higher_bar = True
        elif following is not None and _CODE.match(following.name) and _introduces_sets(block):
            block.kind = "tier"
            in_higher_bar = False
        elif in_higher_bar:
            block.kind = "expectation"
            pending.add(block.name.strip("()").casefold())
        elif block.name.casefold() in pending:
            block.kind = "group"
            reports.append(
                _report(
                    DECISION,
                    block.line,
                    f"{block.name!r} is named by a 'higher "
                    "bar' but has no skills: read as a group of its own",
                )
            )
        else:
            block.kind = "skill"


_INTRODUCES = re.compile(r"\b(these|the following) skill(s| sets)\b|\bskill sets\b", re.I)


def _introduces_sets(block: _Block) -> bool:
    """A tier introduces its skill sets ("These skill sets represent…"); a skill that
    happens to come before the next skill set describes a skill, and has markers."""
    text = " ".join(line.text for line in block.body)
    if "**Excluded:**" in text or "**See also:**" in text:
        return False
    return bool(_INTRODUCES.search(text)) or not text.strip()


def _catalogue_skill(block: _Block, reports: list[Diagnostic]) -> tuple[dict[str, Any], list[str]]:
    skill: dict[str, Any] = {"id": slugify(block.name), "name": block.name}
    description: list[str] = []
    see_also: list[str] = []
    marker_seen = False
    for _line, paragraph in _paragraphs(block.body):
        if paragraph.startswith("**Excluded:**"):
            skill["excluded"] = paragraph.removeprefix("**Excluded:**").strip()
            marker_seen = True
        elif paragraph.startswith("**See also:**"):
            see_also = [
                r.strip()
                for r in re.split(r"[;,]", paragraph.removeprefix("**See also:**"))
                if r.strip()
            ]
            marker_seen = True
        else:
            further = re.match(r"^\*\*(.+?):\*\*\s*(.*)$", paragraph)
            if further:
                paragraph = f"{further[1]}: {further[2]}"
                if marker_seen:
                    reports.append(
                        _report(
                            DECISION,
                            _line,
                            f"{block.name}: '{further[1]}' line "
                            "after See also: added to the description",
                        )
                    )
            description.append(paragraph)
    if description:
        skill["description"] = "\n\n".join(description)
    if "excluded" in skill:  # keep the schema's field order: description, excluded
        skill["excluded"] = skill.pop("excluded")
    return skill, see_also


# --- a table: skills as rows, levels as columns ---------------------------------------------


def _table_end(lines: list[Line], first: int, stop: int | None = None) -> int:
    """The index after the last of the table rows (``| … |`` lines) from ``first`` on."""
    stop = len(lines) if stop is None else stop
    end = first
    while end < stop and lines[end].text.strip().startswith("|"):
        end += 1
    return end


def _tables_in(lines: list[Line], start: int, end: int) -> dict[int, list[str] | None]:
    """The tables between ``start`` and ``end``: each body row's cells by its position in
    ``lines``, and None for a header or delimiter row (a table of skills in a level's
    section: a row per skill, its expectations in the other cells)."""
    rows: dict[int, list[str] | None] = {}
    position = start
    while position < end - 1:
        if lines[position].text.strip().startswith("|") and _TABLE_RULE.match(
            lines[position + 1].text.strip()
        ):
            last = _table_end(lines, position + 2, end)
            cells = _table_cells([line.text for line in lines[position:last]])
            rows[position] = rows[position + 1] = None
            for offset, row in enumerate(cells[1:]):
                rows[position + 2 + offset] = row
            position = last
        else:
            position += 1
    return rows


def _table_cells(block: list[str]) -> list[list[str]]:
    """The cells of a GFM table (its header row first, the delimiter row left out), found by
    markdown-it-py: escaped pipes (``\\|``) and pipes in code stay inside their cell, rows
    with fewer cells are padded as GFM says. Falls back to splitting at pipes when the
    parser does not see a table (a rule row whose columns do not match)."""
    plain = _plain_table(block)
    if plain is not None:
        return plain
    rows: list[list[str]] = []
    for token in _block_parser().parse("\n".join(block)):
        if token.type == "tr_open":
            rows.append([])
        elif token.type == "inline" and rows:
            rows[-1].append(token.content.strip())
    if len(rows) != len(block) - 1:
        return [_cells(row) for position, row in enumerate(block) if position != 1]
    return rows


_NEEDS_PARSER = re.compile(r"[\\`]|^(?: {4}|\t| {0,3}\t)")


def _plain_table(block: list[str]) -> list[list[str]] | None:
    """The cells of a table with nothing for a parser to decide, or None: without a
    backslash (an escaped pipe), a backtick (a pipe in code) or a line indented to a code
    block, GFM's cells are the text between the pipes, each body row cut or padded to the
    header's width, and only when the header and delimiter rows have as many cells. This
    gives what markdown-it-py gives for such a table (tests/test_import.py holds them to
    it) at a fraction of its cost: its table rule was most of a large table's import."""
    if len(block) < 2 or block[0].strip() == "|":
        return None  # a lone pipe is a header of no cells: no table
    if any(_NEEDS_PARSER.search(row) or not row.lstrip().startswith("|") for row in block):
        return None  # (the importer's tables are rows that start with a pipe)
    header, rule = _cells(block[0]), _cells(block[1])
    if len(header) != len(rule):
        return None  # no table for GFM either: the caller's fallback splits at pipes
    width = len(header)
    rows = [header]
    for row in block[2:]:
        cells = _cells(row)[:width]
        rows.append(cells + [""] * (width - len(cells)))
    return rows


def _cells(row: str) -> list[str]:
    row = row.strip()
    if row.startswith("|"):
        row = row[1:]
    if row.endswith("|"):
        row = row[:-1]
    return [cell.strip() for cell in row.split("|")]


def _split_criteria(cell: str) -> list[str]:
    """The criteria in one table cell: one per line (``<br>``) or bullet (•). A ';' stays:
    it joins two halves of one sentence as often as it separates two criteria."""
    parts = re.split(r"<br\s*/?>|\n|\s•\s|^•\s", cell)
    return [p.strip(" •-") for p in parts if p.strip(" •-")]


def _level_names(headers: list[str], line: int, reports: list[Diagnostic]) -> list[tuple[int, str]]:
    """Level numbers and names from column headers: '1 - Novice', 'Level 2: Mid', 'Senior'."""
    levels = []
    numbered = True
    for header in headers:
        match = _LEVEL_HEADING.match(header) or _NUMBERED_NAME.match(header)
        if match and match[1] is not None and match[1].isdigit():
            levels.append((int(match[1]), (match[2] or "").strip() or f"Level {match[1]}"))
        else:
            numbered = False
            levels.append((len(levels) + 1, header))
    if not numbered:
        levels = [(index + 1, name) for index, (_n, name) in enumerate(levels)]
        reports.append(
            _report(
                DECISION,
                line,
                "the levels have names but no numbers: numbered "
                "1, 2, 3… in the order of the columns",
            )
        )
    return levels


def _table(reader: _Reader, reports: list[Diagnostic]) -> dict[str, Any]:
    title, title_index = _title(reader)
    lines = reader.lines
    groups = _Groups()
    scale: dict[int, str] = {}
    group_name: str | None = None
    introduction: list[str] = []
    index = 0
    while index < len(lines):
        text = lines[index].text.strip()
        heading = _HEADING.match(lines[index].text)
        if heading and index != title_index:
            group_name = _clean_heading(heading[2])
            index += 1
            continue
        if (
            text.startswith("|")
            and index + 1 < len(lines)
            and _TABLE_RULE.match(lines[index + 1].text.strip())
        ):
            end, header_at = _table_end(lines, index + 2), index
            parsed = _table_cells([line.text for line in lines[index:end]])
            header = parsed[0]
            description_column = next(
                (i for i, h in enumerate(header) if h.casefold() in ("description", "summary")),
                None,
            )
            level_columns = [i for i in range(1, len(header)) if i != description_column]
            if len(level_columns) > MAX_LEVELS:
                raise too_many("level columns", MAX_LEVELS, line=lines[index].number)
            levels = _level_names([header[i] for i in level_columns], lines[index].number, reports)
            for number, name in levels:
                if scale.setdefault(number, name) != name:
                    reports.append(
                        _report(
                            DECISION,
                            lines[index].number,
                            f"level {number} is called {name!r} here and {scale[number]!r} earlier",
                        )
                    )
            group = _group_named(groups, group_name or "Skills")
            index += 2
            while index < end:
                cells = parsed[index - header_at - 1]  # the delimiter row is not in it
                skill_name = _clean_heading(cells[0]) if cells else ""
                if not skill_name:
                    reports.append(
                        _report(UNPLACED, lines[index].number, lines[index].text.strip())
                    )
                    index += 1
                    continue
                if not any(cell.strip() for cell in cells[1:]):  # a category row
                    group = _group_named(groups, skill_name)
                    reports.append(
                        _report(
                            DECISION,
                            lines[index].number,
                            f"{skill_name!r} has "
                            "only its first cell: read as a group of the rows "
                            "below it, not a skill",
                        )
                    )
                    index += 1
                    continue
                skill: dict[str, Any] = {"id": slugify(skill_name), "name": skill_name}
                in_row = description_column is not None and description_column < len(cells)
                if in_row and cells[description_column]:
                    skill["description"] = cells[description_column]
                criteria = []
                for column, (number, _name) in zip(level_columns, levels, strict=True):
                    items = _split_criteria(cells[column]) if column < len(cells) else []
                    if items:
                        criteria.append({"level": number, "items": items})
                if criteria:
                    skill["criteria"] = criteria
                group["skills"].append(skill)
                index += 1
            continue
        if text and index != title_index:
            if not groups and group_name is None:
                introduction.append(text)  # before any table or group: the introduction
            else:
                reports.append(_report(UNPLACED, lines[index].number, text))
        index += 1
    return {
        "title": title,
        "shape": "matrix",
        "introduction": " ".join(introduction) or None,
        "scale": _scale_with_zero(scale, reports),
        "groups": [group for group in groups if group["skills"]],  # category rows came first
    }


class _Groups(list):
    """Groups in document order, each found by its name at once: a ladder with thousands
    of category rows made the search of the list for every row quadratic."""

    def __init__(self) -> None:
        super().__init__()
        self.by_name: dict[str, dict[str, Any]] = {}
        self.ids = _Ids()


def _group_named(groups: _Groups, name: str) -> dict[str, Any]:
    """The group called ``name``, made (with an id of its own) if there is none yet."""
    group = groups.by_name.get(name)
    if group is None:
        group = {
            "id": groups.ids.unique(slugify(name)),
            "name": name,
            "kind": "group",
            "skills": [],
        }
        groups.append(group)
        groups.by_name[name] = group
    return group


def _scale_with_zero(scale: dict[int, str], reports: list[Diagnostic]) -> list[dict[str, Any]]:
    if scale and 0 not in scale:
        scale = {0: "Not yet", **scale}
        reports.append(_report(DECISION, None, "added level 0 'Not yet' below the first level"))
    return [{"level": number, "name": name} for number, name in sorted(scale.items())]


# --- a section per skill, levels as inline labels --------------------------------------------


def _skill_sections(reader: _Reader, reports: list[Diagnostic]) -> dict[str, Any]:
    """``## Testing`` then ``**Level 1:** writes a test`` (or ``- **Level 2 (Mid):** …``):
    a section per skill, each level a bold label in its own line. With two heading depths
    under the title, the shallower are groups."""
    title, title_index = _title(reader)
    lines = reader.lines
    headings = [h for h in _headings(lines) if h[0] != title_index]
    depths = sorted({depth for _, depth, _ in headings})  # the deepest are the skills
    group_depth = depths[-2] if len(depths) > 1 else None
    first = headings[0][0] if headings else len(lines)
    introduction = [
        line.text.strip()
        for position, line in enumerate(lines[:first])
        if line.text.strip() and position != title_index and not _HEADING.match(line.text)
    ]
    by_heading = {index: (depth, name) for index, depth, name in headings}
    groups = _Groups()
    scale: dict[int, str] = {}
    group_name, skill = "Skills", None
    for position in range(first, len(lines)):
        line = lines[position]
        text = line.text.strip()
        if not text or position == title_index:
            continue
        if position in by_heading:
            depth, name = by_heading[position]
            if depth == group_depth:
                group_name, skill = name, None
            else:
                skill = {"id": slugify(name), "name": name, "criteria": {}}
                _group_named(groups, group_name)["skills"].append(skill)
            continue
        label = _INLINE_LEVEL.match(text)
        if label and skill is not None:
            number = int(label[1])
            named = (label[2] or "").strip()
            if named and scale.setdefault(number, named) != named:
                said = f"level {number} is called {named!r} here and {scale[number]!r} earlier"
                reports.append(_report(DECISION, line.number, said))
            scale.setdefault(number, f"Level {number}")
            skill["criteria"].setdefault(number, []).append(label[3].strip())
            continue
        reports.append(_report(UNPLACED, line.number, text))
    for group in groups:
        for entry in group["skills"]:
            entry["criteria"] = [
                {"level": lv, "items": items} for lv, items in sorted(entry["criteria"].items())
            ]
    return {
        "title": title,
        "shape": "matrix",
        "introduction": " ".join(introduction) or None,
        "scale": _scale_with_zero(scale, reports),
        "groups": list(groups),
    }


# --- a section per level ------------------------------------------------------------------------


def _level_sections(reader: _Reader, reports: list[Diagnostic]) -> dict[str, Any]:
    title, title_index = _title(reader)
    lines = reader.lines
    headings = [h for h in _headings(lines) if h[0] != title_index]
    if not headings:
        raise FrameworkError(
            "found neither milestones, a Level list, a table, a catalogue nor a section per level",
            hint=HOW_TO_WRITE,
        )
    level_depth = min(depth for _, depth, _ in headings)
    level_heads = [(i, name) for i, depth, name in headings if depth == level_depth]
    if len(level_heads) > MAX_LEVELS:
        raise too_many(
            "levels (headings of the same depth)",
            MAX_LEVELS,
            line=lines[level_heads[MAX_LEVELS][0]].number,
        )
    parsed = []
    numbered = all(_LEVEL_HEADING.match(n) or re.match(r"^\d+\b", n) for _, n in level_heads)
    for position, (index, name) in enumerate(level_heads, start=1):
        match = _LEVEL_HEADING.match(name)
        if match:
            parsed.append((int(match[1]), (match[2] or "").strip() or f"Level {match[1]}", index))
        elif numbered:
            number_match = _NUMBERED_NAME.match(name)
            parsed.append((int(number_match[1]), number_match[2].strip() or name, index))  # type: ignore[index]
        else:
            parsed.append((position, name, index))
    if not numbered:
        reports.append(
            _report(
                DECISION,
                lines[level_heads[0][0]].number,
                "the levels have names but no numbers: numbered 1, 2, 3… in document order",
            )
        )
    skills: dict[str, dict[str, Any]] = {}
    introduction = [
        line.text.strip()
        for position, line in enumerate(lines[: parsed[0][2]])
        if line.text.strip() and position != title_index and not _HEADING.match(line.text)
    ]
    bounds = [i for _, _, i in parsed] + [len(lines)]
    for (number, _name, start), end in zip(parsed, bounds[1:], strict=True):
        reader.level_of_line.update((line.number, number) for line in lines[start:end])
    # With two heading depths under a level (### Group, #### Skill), the first are groups.
    inner = {depth for i, depth, _ in headings if depth > level_depth and i > parsed[0][2]}
    group_depth = level_depth + 1 if level_depth + 2 in inner else None
    # each group's skill keys, in the order first seen (a skill stays in the group it was
    # first seen in); a dict, not a list searched per skill (that was quadratic)
    groups: dict[str, list[str]] = {}

    def register(skill_name: str, group: str) -> str:
        key = skill_name.casefold()
        if key not in skills:
            skills[key] = {"id": slugify(skill_name), "name": skill_name, "criteria": {}}
            groups.setdefault(group, []).append(key)
        return key

    for (number, _name, start), end in zip(parsed, bounds[1:], strict=True):
        current: str | None = None
        group = "Skills"
        table_rows = _tables_in(lines, start + 1, end)  # "| Skill | What we expect |"
        for position in range(start + 1, end):
            line = lines[position]
            text = line.text.strip()
            if not text:
                continue
            if position in table_rows:
                cells = table_rows[position]
                if cells is None:  # the header or the delimiter row
                    continue
                skill_name = _clean_heading(cells[0]) if cells else ""
                items = [i for cell in cells[1:] for i in _split_criteria(cell)]
                if not skill_name or not items:
                    reports.append(_report(UNPLACED, line.number, text))
                    continue
                key = register(skill_name, group)
                skills[key]["criteria"].setdefault(number, []).extend(items)
                continue
            heading = _HEADING.match(line.text)
            if heading and len(heading[1]) == group_depth:
                group, current = _clean_heading(heading[2]), None
                continue
            if heading:
                current = _clean_heading(heading[2])
                register(current, group)  # in the order the headings come
                continue
            bold = _BOLD_ITEM.match(text) or _PLAIN_ITEM.match(text)
            if bold and current is None:
                skill_name, item = _clean_heading(bold[1]).rstrip(":"), bold[2].strip()
                items = [item]
            elif re.match(r"^[-*+]\s+", text) and current is not None:
                skill_name = current
                items = [re.sub(r"^[-*+]\s+", "", text)]  # a bullet is one criterion
            else:
                reports.append(_report(UNPLACED, line.number, text))
                continue
            key = register(skill_name, group)
            skills[key]["criteria"].setdefault(number, []).extend(items)
    for skill in skills.values():
        skill["criteria"] = [
            {"level": lv, "items": items} for lv, items in sorted(skill["criteria"].items())
        ]
    scale = {number: name for number, name, _ in parsed}
    ids = _Ids()
    return {
        "title": title,
        "shape": "matrix",
        "introduction": " ".join(introduction) or None,
        "scale": _scale_with_zero(scale, reports),
        "groups": [
            {
                "id": ids.unique(slugify(name)),
                "name": name,
                "kind": "group",
                "skills": [skills[k] for k in keys],
            }
            for name, keys in groups.items()
        ],
    }


def same_text(data: dict[str, Any], previous: Any) -> bool:
    """Whether an import says what an installed framework version already says (its
    version number, mapping and the day it was taken aside)."""
    from ..model.frameworks import framework_to_dict

    def core(d: dict[str, Any]) -> dict[str, Any]:
        d = {k: v for k, v in d.items() if k not in ("version", "supersedes", "schema_version")}
        d["source"] = {k: v for k, v in d.get("source", {}).items() if k != "retrieved"}
        return d

    return core(dict(data)) == core(framework_to_dict(previous))


def as_new_version(data: dict[str, Any], previous: Any) -> tuple[dict[str, Any], list[str]]:
    """The import as the next version of ``previous`` (a Framework of the same id), with
    a ``supersedes`` mapping: a level kept by number maps to itself, a level the new scale
    lacks to the nearest level below it. Returns the data and what was decided."""
    levels = [entry["level"] for entry in data["scale"]]
    pairs, decided = [], []
    for level in previous.scale:
        if level.level in levels:
            pairs.append({"from": level.level, "to": level.level})
            continue
        below = [n for n in levels if n < level.level]
        target = below[-1] if below else levels[0]
        note = f"level {level.level} ({level.name}) is not on the new scale: mapped to {target}"
        pairs.append({"from": level.level, "to": target, "note": note})
        decided.append(note)
    out = {
        "schema_version": data.get("schema_version", 1),
        "id": data["id"],
        "version": previous.version + 1,
        "supersedes": {"version": previous.version, "levels": pairs},
    }
    out |= {k: v for k, v in data.items() if k not in out}
    return out, decided


def imported_text(result: ImportResult, *, file_name: str, source: str) -> tuple[str, Any]:
    """The imported framework as YAML text, and the Framework it validates as."""
    from datetime import date

    from ..model.frameworks import framework_from_data
    from ..model.safeyaml import dump_large

    data = dict(result.data)
    if "version" not in data:  # every framework file carries its version
        head = {k: data.pop(k) for k in ("schema_version", "id") if k in data}
        data = {**head, "version": 1, **data}
    data["source"] = {**data.get("source", {})}
    data["source"].setdefault("retrieved", date.today().isoformat())
    result.data = data
    text = (
        "# yaml-language-server: $schema=framework.schema.json\n"
        f"# Imported from {source} by `coach frameworks import`: read it through, then run\n"
        f"# `coach frameworks check {file_name}`.\n" + dump_large(result.data)
    )
    # the data itself is what the text says (libyaml writes it, plain lists, dicts, text and
    # numbers, and reads it back the same), so it is validated without reading it back
    return text, framework_from_data(result.data, text, file_name)


def losses(result: ImportResult, framework: Any) -> list[Diagnostic]:
    """What an import lost: every content line it could not place, every level or skill
    that came out empty, and a ladder of skills with no criteria at all. An import with
    any of these is not a faithful copy of its document (``coach frameworks import`` exits
    1 and writes nothing, unless the person accepts the loss)."""
    lost = [report for report in result.reports if report.code == UNPLACED]
    if framework.is_milestone_track:
        for level in framework.scale:
            if level.level and not level.description:  # level 0 is the importer's own
                lost.append(_report(UNPLACED, None, f"level {level.label} came out empty"))
        return lost
    if framework.shape != "matrix":
        return lost
    criteria = sum(len(items) for skill in framework.skills for items in skill.criteria.values())
    if not criteria:
        lost.append(_report(UNPLACED, None, "no criteria were placed at all"))
        return lost
    for skill in framework.skills:
        if not skill.criteria:
            lost.append(_report(UNPLACED, None, f"skill {skill.name!r} came out empty"))
    first = framework.min_level
    for level in framework.scale:
        if level.level == first:
            continue  # the level below the first (often added) holds no criteria
        if not any(level.level in skill.criteria for skill in framework.skills):
            lost.append(
                _report(
                    UNPLACED,
                    None,
                    f"level {level.level} ({level.name}) came out empty: no criteria under it",
                )
            )
    return lost


def placed_nothing(framework: Any) -> bool:
    """A skills ladder without a single criterion placed: never a successful import."""
    return framework.shape == "matrix" and not any(s.criteria for s in framework.skills)


def placement_report(
    framework: Any, reports: list[Diagnostic], level_of_line: dict[int, int] | None = None
) -> list[str]:
    """Per level and per skill, how much of the document was placed, and every content line
    that was not, by number: what a person reads to see an import is whole (or what to fix).
    """
    unplaced = sorted(r.line for r in reports if r.code == UNPLACED and r.line)
    levels = [level.level for level in framework.scale]
    if framework.is_milestone_track:
        placed = sum(1 for level in framework.scale if level.level and level.description)
        lines = [
            f"Placed: {placed} milestone(s) with their text; "
            f"{len(unplaced)} content line(s) not placed"
        ]
        lines += [
            f"  {level.label[:70]}: {'text' if level.description else 'NO TEXT'}"
            for level in framework.scale
            if level.level
        ]
    else:
        per_level = {
            lv: sum(len(s.criteria.get(lv, ())) for s in framework.skills) for lv in levels
        }
        total = sum(per_level.values())
        lines = [f"Placed: {total} criteria; {len(unplaced)} content line(s) not placed"]
        width = max([len(s.name[:40]) for s in framework.skills] + [len("all skills")])
        lines.append("  " + "skill".ljust(width) + "".join(f"{lv:>5}" for lv in levels) + "  total")
        for skill in framework.skills:
            counts = [len(skill.criteria.get(lv, ())) for lv in levels]
            lines.append(
                "  "
                + skill.name[:40].ljust(width)
                + "".join(f"{n:>5}" for n in counts)
                + f"  {sum(counts):>5}"
            )
        totals = "".join(f"{per_level[lv]:>5}" for lv in levels)
        lines.append("  " + "all skills".ljust(width) + totals + f"  {total:>5}")
    if unplaced:
        where = level_of_line or {}
        named = [f"{n} (level {where[n]})" if n in where else str(n) for n in unplaced[:30]]
        shown = ", ".join(named) + (" …" if len(unplaced) > 30 else "")
        lines.append(f"  not placed: line(s) {shown}")
    return lines
