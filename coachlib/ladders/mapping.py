"""A mapping: where the levels, skills and groups are in an outline, and what to leave out.

It is what the coach says (options on the command line, choices in the notebook form), what
the suggester guesses, and what is saved beside an imported framework (``ID.import.yaml``)
so that importing a changed ladder again reads it the same way. A mapping is printed as the
command-line options that reproduce it: a coach copies the suggestion and adjusts it.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field, replace
from typing import Any

from ..model.errors import InputError

SHAPE = "shape"  # today's built-in shape readers: milestones, Level lists, a catalogue
INTROS = ("description", "criteria")
SKIP_KINDS = ("images", "code")  # --skip words that name a kind of item, not a section
_UNDER = re.compile(r"""^h([1-6])(?:\s+under\s+(?:'([^']+)'|"([^"]+)"|(.+)))?$""", re.I)
_FRONT = re.compile(r"^front-matter:(\S+)$")


@dataclass(frozen=True)
class Levels:
    """Where the levels are: headings of a depth (optionally only under one heading), a
    table's rows or columns, a folder's files, a front matter key, or the shape readers."""

    kind: str  # "heading", "rows", "columns", "files", "front-matter", "shape"
    depth: int = 0
    under: str | None = None
    key: str | None = None

    def __str__(self) -> str:
        if self.kind == "heading":
            if not self.under:
                return f"h{self.depth}"
            quote = '"' if "'" in self.under else "'"  # "h3 under \"Engineer's path\""
            return f"h{self.depth} under {quote}{self.under}{quote}"
        if self.kind == "front-matter":
            return f"front-matter:{self.key}"
        return self.kind


@dataclass(frozen=True)
class Skills:
    """Where the skills are: bold keys (``**Testing:** …``), headings of a depth, a
    table's rows or columns, or none (every criterion goes to one skill named ``name``)."""

    kind: str  # "bold", "heading", "rows", "columns", "none"
    depth: int = 0
    name: str = "Expectations"

    def __str__(self) -> str:
        if self.kind == "heading":
            return f"h{self.depth}"
        if self.kind == "none":
            return "none" if self.name == "Expectations" else f"none:{self.name}"
        return self.kind


@dataclass(frozen=True)
class Mapping:
    levels: Levels
    skills: Skills = field(default_factory=lambda: Skills("bold"))
    skip: tuple[str, ...] = ()
    intro: str = "description"

    def options(self) -> list[str]:
        """The command-line options that give this mapping."""
        out = ["--levels", str(self.levels)]
        if self.levels.kind not in (SHAPE, "front-matter"):  # their skills are their own
            out += ["--skills", str(self.skills)]
        for name in self.skip:
            out += ["--skip", name]
        if self.intro != "description":
            out += ["--intro", self.intro]
        return out

    def command_line(self) -> str:
        """The options as a shell line: "h3 under 'Levels'" in double quotes, as typed."""
        return " ".join(_shell(part) for part in self.options())

    def skips(self, name: str) -> bool:
        """Whether a section (a heading's or a file's name) is to be left out."""
        key = name.strip().casefold()
        return any(key == entry.strip().casefold() for entry in self.skip)

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"levels": str(self.levels), "skills": str(self.skills)}
        if self.skip:
            data["skip"] = list(self.skip)
        data["intro"] = self.intro
        return data


def _shell(part: str) -> str:
    if re.fullmatch(r"[\w.:/@%+=,-]+", part):
        return part
    if not re.search(r'["$`\\!]', part):
        return f'"{part}"'
    return shlex.quote(part)


def parse_levels(text: str) -> Levels:
    text = text.strip()
    lowered = text.casefold()
    if lowered in ("rows", "columns", "files", SHAPE):
        return Levels(lowered)
    front = _FRONT.match(text)
    if front:
        return Levels("front-matter", key=front[1])
    match = _UNDER.match(text)
    if match:
        under = match[2] or match[3] or match[4]
        return Levels("heading", depth=int(match[1]), under=under.strip() if under else None)
    raise InputError(
        f"--levels {text!r} is not a place levels can be: give h1-h6 (\"h3 under 'Levels'\" "
        "for only those under one heading), rows, columns, files, front-matter:KEY or shape"
    )


def parse_skills(text: str) -> Skills:
    text = text.strip()
    lowered = text.casefold()
    if lowered in ("bold", "rows", "columns"):
        return Skills(lowered)
    if lowered == "none":
        return Skills("none")
    if lowered.startswith("none:") and text[5:].strip():
        return Skills("none", name=text[5:].strip())
    match = re.fullmatch(r"h([1-6])", lowered)
    if match:
        return Skills("heading", depth=int(match[1]))
    raise InputError(
        f"--skills {text!r} is not a place skills can be: give bold, h1-h6, rows, columns, "
        "none (all criteria in one skill, 'Expectations') or none:NAME"
    )


def parse_intro(text: str) -> str:
    if text not in INTROS:
        raise InputError(f"--intro {text!r}: give one of {', '.join(INTROS)}")
    return text


def from_options(
    levels: str | None,
    skills: str | None,
    skip: list[str] | None,
    intro: str | None,
    *,
    base: Mapping | None = None,
) -> Mapping | None:
    """The mapping the options give, on top of ``base`` (the saved or suggested one):
    None when no option says where the levels are and there is no base."""
    if levels is None and base is None:
        if skills or skip or intro:
            raise InputError(
                "--skills, --skip and --intro need --levels (where the levels "
                "are); see the suggestion with --outline"
            )
        return None
    mapping = base if levels is None else Mapping(parse_levels(levels))
    assert mapping is not None
    if levels is not None and base is not None and skills is None:
        mapping = replace(mapping, skills=base.skills)
    if skills is not None:
        mapping = replace(mapping, skills=parse_skills(skills))
    elif levels is not None and base is None:
        default = {"rows": "columns", "columns": "rows"}.get(mapping.levels.kind, "bold")
        mapping = replace(mapping, skills=Skills(default))
    if skip:
        mapping = replace(mapping, skip=tuple(dict.fromkeys([*mapping.skip, *skip])))
    if intro is not None:
        mapping = replace(mapping, intro=parse_intro(intro))
    return mapping


def from_data(data: Any, *, file: str) -> Mapping:
    """A saved mapping (``ID.import.yaml``), checked: a hand-edited one gets one line."""
    if not isinstance(data, dict) or "levels" not in data:
        raise InputError("not a saved import mapping: it needs 'levels'", file=file)
    try:
        skip = data.get("skip") or []
        if not isinstance(skip, list) or not all(isinstance(s, str) for s in skip):
            raise InputError("'skip' must be a list of section names")
        return Mapping(
            parse_levels(str(data["levels"])),
            parse_skills(str(data.get("skills", "bold"))),
            tuple(skip),
            parse_intro(str(data.get("intro", "description"))),
        )
    except InputError as exc:
        raise InputError(exc.message, file=file) from None
