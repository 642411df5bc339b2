"""A mapping guessed from an outline: only a suggestion, printed as the options that give it.

The guess looks for headings that read as levels ("Level 2", "IC3", "Engineer II",
"Senior", "Trainee (T 1)"), the depth most of them share and the heading they sit under;
then for how a level names its skills (bold keys, sub-headings, none). A table without
level headings is read with the levels as columns, or as rows when its first column holds
the levels. A ladder in front matter, or a folder, says so itself. When nothing reads as
levels, the built-in shape readers (milestones, a Level list per skill, a catalogue) are
suggested: ``--levels shape``.
"""

from __future__ import annotations

import re
from collections import Counter

from .mapping import SHAPE, Levels, Mapping, Skills
from .outline import FILE, HEADING, ITEM, PARAGRAPH, TABLE, Outline

CODES = re.compile(  # case matters: 'IC3' and 'Engineer II' are levels, 'a1' and 'Ii' no
    r"""^(?:[A-Z]{1,3}\s?-?\d{1,2}\b
    | .*\(\s*[A-Z]{1,3}\s?\d{1,2}\s*\)\s*$
    | .*\b(?:I|II|III|IV|V|VI)(?:\.\d+)?\s*$
    )""",
    re.X,
)
WORDS = re.compile(
    r"""^(?:(?:level|lvl|grade|band|step|tier|stage|rung)\s*\d+\b
    | \d+\s*[-–—:.)]\s*\S
    | .*\b(?:junior|mid|mid-level|intermediate|senior|staff|principal|lead|intern|trainee
            |associate|apprentice|novice|beginner|foundation|practitioner|expert|entry
            |distinguished|fellow|graduate)\b
    )""",
    re.X | re.I,
)
TRAILING = re.compile(
    r"\b(links?|resources|references|see also|further reading|other pages|"
    r"related|contributing|licen[cs]e|changelog|footnotes)\b",
    re.I,
)
_BOLD = re.compile(r"^(?:\*\*|__)[^*_]+(?:\*\*|__)")


STRONG = re.compile(
    r"^(?:(?:level|lvl|grade|band|step|tier|stage)\s*\d+|\d+\s*[-–—:.)]\s*\S)", re.I
)


def levelish(text: str) -> bool:
    """Whether a heading reads as a level's name."""
    return bool(CODES.match(text) or WORDS.match(text))


def suggest(outline: Outline) -> Mapping:
    """The mapping most likely to place the whole document."""
    front = _front_matter_key(outline)
    if front:
        return Mapping(Levels("front-matter", key=front), Skills("rows"))
    if outline.fmt == "folder":
        return Mapping(
            Levels("files"),
            _skills(outline, [i for i, it in enumerate(outline.items) if it.kind == FILE], 0),
        )
    if outline.fmt in ("markdown", "html") and _shape_markers(outline):
        return Mapping(Levels(SHAPE), Skills("bold"))
    items = outline.items
    title = next((i for i, it in enumerate(items) if it.kind == HEADING and it.depth == 1), None)
    # per depth: the distinct level-like names (a skill's name repeats under every level, a
    # level's does not), and twice more for those that say "Level 2" or "2 - Mid"
    names: dict[int, set[str]] = {}
    for i, it in enumerate(items):
        if it.kind == HEADING and i != title and levelish(it.text):
            names.setdefault(it.depth, set()).add(it.text.casefold())
    scores = {d: len(n) + 2 * sum(bool(STRONG.match(t)) for t in n) for d, n in names.items()}
    if scores and max(len(n) for n in names.values()) >= 2:
        depth = min(d for d, n in scores.items() if n == max(scores.values()))
        return _sections(outline, depth, title)
    tables = [it for it in items if it.kind == TABLE]
    headings = [it for i, it in enumerate(items) if it.kind == HEADING and i != title]
    if tables and outline.fmt == "csv":
        return _table(outline)
    if tables and not any(it.kind in (ITEM, PARAGRAPH) and _BOLD.match(it.text) for it in items):
        big = max(tables, key=lambda t: len(t.rows))
        if len(big.body) >= 2 and len(headings) <= 2:
            return _table(outline)
    if headings and outline.fmt != "csv":
        from .shapes import Line, detect_shape

        lines = outline.text.splitlines()
        shape = detect_shape([Line(number, text) for number, text in enumerate(lines, 1)])
        if shape == "level-sections":  # the depth most headings have (a trailing H1: not)
            depths = Counter(it.depth for it in headings)
            depth = min(d for d, n in depths.items() if n == max(depths.values()))
            return _sections(outline, depth, title)
        if shape == "table":
            return _table(outline)
    if tables and not headings:
        return _table(outline)
    return Mapping(Levels(SHAPE), Skills("bold"))


# What a Level list per skill or inline level labels need: a line starting "Level", a bold
# "**Level 2", or a group mark heading ("# --Engineering--").
_MAY_BE_SHAPE = re.compile(r"^\s*level\b|\*\*(?:level|lvl)\s*\d|^#+\s*-+\s*\S", re.I | re.M)


def _shape_markers(outline: Outline) -> bool:
    """What only the built-in shapes read: a Level list per skill, inline level labels,
    a catalogue's Excluded and See also lines, milestones without level headings."""
    from .shapes import Line, detect_shape

    texts = outline.text.splitlines()  # the raw lines: no second parse of a large ladder
    if _MAY_BE_SHAPE.search(outline.text):  # else neither shape can be found: not looked for
        shape = detect_shape([Line(number, text) for number, text in enumerate(texts, 1)])
        if shape in ("levels-per-skill", "skill-sections"):
            return True
    if any("**Excluded:**" in t or "**See also:**" in t for t in texts):
        return True
    milestones = sum(bool(re.match(r"^\d+\.\s+\*\*", t)) for t in texts)
    return milestones >= 2 and not any(
        it.kind == HEADING and it.depth > 1 and levelish(it.text) for it in outline.items
    )


def _front_matter_key(outline: Outline) -> str | None:
    for key, value in outline.front.items():
        if (
            isinstance(value, dict)
            and len(value) >= 1
            and all(isinstance(v, (dict, list)) for v in value.values())
        ):
            return str(key)
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            return str(key)
    return None


def _table(outline: Outline) -> Mapping:
    table = max((it for it in outline.items if it.kind == TABLE), key=lambda t: len(t.rows))
    first = table.rows[0].cells[0].strip("*_ ").casefold() if table.rows[0].cells else ""
    column = [r.cells[0] for r in table.body if r.cells]
    rows = first in ("level", "levels", "grade", "band") or (
        column and sum(levelish(c.strip("*_ ")) for c in column) > len(column) / 2
    )
    return Mapping(Levels("rows" if rows else "columns"), Skills("columns" if rows else "rows"))


def _sections(outline: Outline, depth: int, title: int | None) -> Mapping:
    items = outline.items
    heads = [
        i for i, it in enumerate(items) if it.kind == HEADING and it.depth == depth and i != title
    ]
    level_heads = [i for i in heads if levelish(items[i].text)]
    named_only = not level_heads  # levels with names only ('Deckhand'): every such heading
    if named_only:
        level_heads = heads
    chains = [_ancestors(outline, head, depth) for head in level_heads]
    common = [a for a in chains[0] if all(a in chain for chain in chains[1:])] if chains else []
    under = None
    skip: list[str] = []
    parent = common[-1] if common else None
    if parent is not None and parent != title:
        under = items[parent].text
        end = next(
            (
                j
                for j in range(parent + 1, len(items))
                if items[j].kind == HEADING and items[j].depth <= items[parent].depth
            ),
            len(items),
        )
        region = [i for i in heads if parent < i < end]
    else:
        region = heads
    first = level_heads[0] if level_heads else 0
    skills = _skills(outline, level_heads, depth)
    if level_heads and not named_only:  # a heading of the levels' depth, no level's shape
        skip += [
            items[i].text
            for i in region
            if not levelish(items[i].text) and not _shaped_as_level(outline, i, depth, skills)
        ]
        for i, it in enumerate(items):  # a trailing section of links after the levels
            if (
                it.kind == HEADING
                and it.depth <= depth
                and i > first
                and i != title
                and not levelish(it.text)
                and TRAILING.search(it.text)
            ):
                skip.append(it.text)
    skip = list(dict.fromkeys(skip))
    levels = Levels("heading", depth=depth, under=under)
    return Mapping(levels, skills, tuple(skip))


def _ancestors(outline: Outline, index: int, depth: int) -> list[int]:
    """The headings a heading sits under, outermost first."""
    out = []
    for j in range(index - 1, -1, -1):
        item = outline.items[j]
        if item.kind == HEADING and item.depth < depth:
            out.append(j)
            depth = item.depth
    return out[::-1]


def _shaped_as_level(outline: Outline, index: int, depth: int, skills: Skills) -> bool:
    """Whether a section holds what the level sections hold (bold keys, sub-headings or
    list items), so that a level without a level-like name ('Reporter') stays a level."""
    for it in outline.items[index + 1 :]:
        if it.kind == HEADING and it.depth <= depth:
            return False
        if skills.kind == "bold" and it.kind in (ITEM, PARAGRAPH) and _BOLD.match(it.text):
            return True
        if skills.kind == "heading" and it.kind == HEADING:
            return True
        if skills.kind == "none" and it.kind == ITEM:
            return True
    return False


def _skills(outline: Outline, heads: list[int], depth: int) -> Skills:
    """How the levels name their skills: bold keys, sub-headings (the deepest, when there
    are two depths: the shallower are groups), or not at all."""
    items = outline.items
    bold = sub = 0
    depths: set[int] = set()
    for head in heads:
        for it in items[head + 1 :]:
            if it.kind == FILE or (it.kind == HEADING and it.depth <= depth and depth):
                break
            if (it.kind in (ITEM, PARAGRAPH) and _BOLD.match(it.text)) or (
                it.kind in (ITEM,) and re.match(r"^[^:*]{2,60}:\s+\S", it.text)
            ):
                bold += 1
            elif it.kind == HEADING:
                sub += 1
                depths.add(it.depth)
            elif it.kind == TABLE:
                bold += 1
    if outline.fmt == "folder" and depths:
        depths.discard(min(depths))  # each file's first heading names its level
    if bold:
        return Skills("bold")
    if depths:
        return Skills("heading", depth=max(depths))
    return Skills("none")
