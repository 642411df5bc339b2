"""A framework as Markdown that `coach frameworks import` reads back to the same framework.

For people who keep their ladder in a wiki or a pull request and want to edit it there:
``coach frameworks export ID --markdown``. The Markdown is written in the shapes the
importer reads:

* a milestone track as numbered milestones (``1. **Title** description``), the shape of
  the Samman seeds;
* a skills matrix as a section per level (``## Level 2: Practising``), a sub-heading per
  group (``### Testing``) and per skill (``#### Unit tests``), one bullet per criterion.
  The first level's section names every group and skill, so their order comes back.

What comes back is the scale (level numbers, names, and for milestones their titles and
descriptions), the groups, the skills and every criterion at its level. What Markdown has
no place for stays in the YAML only: ids (the importer makes them from the names), skill
descriptions, marks, notes, provenance. Nested groups are written by their innermost name.
Text is written as it is: a criterion that is itself Markdown (a link, ``**bold**``) is
read back as the importer reads Markdown.
"""

from __future__ import annotations

import re

from .errors import InputError
from .frameworks import Framework, Group


def framework_markdown(framework: Framework) -> str:
    """The framework as Markdown (InputError for one with no criteria at any level)."""
    if framework.is_milestone_track:
        return _milestones(framework)
    if not any(skill.criteria for skill in framework.skills):
        raise InputError(
            f"{framework.id} has no criteria per level (it describes each skill once): "
            "Markdown export writes milestone tracks and skills matrices",
            hint="its YAML file is the text to share",
        )
    return _matrix(framework)


def _milestones(framework: Framework) -> str:
    lines = [f"# {framework.title}", ""]
    if framework.introduction:
        lines += [framework.introduction.strip(), ""]
    for level in framework.scale:
        if level.level == 0:
            continue  # the importer adds "Not started" below milestone 1
        title = level.title or level.name
        description = (level.description or "").strip()
        lines += [f"{level.level}. **{title}** {description}".rstrip(), ""]
    return "\n".join(lines).rstrip() + "\n"


_BLOCK_START = re.compile(r"^(\d{1,9})([.)])(?=\s|$)|^([-*+#>])(?=\s|$)")


def _as_text(text: str) -> str:
    """Text that starts like a Markdown block ("1. ", "- ", "# ") with its marker escaped
    ("1\\. "), so a reader (CommonMark) reads the text, not a list or a heading."""
    return _BLOCK_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", text, count=1)


def _matrix(framework: Framework) -> str:
    lines = [f"# {framework.title}", ""]
    if framework.introduction:
        lines += [_as_text(framework.introduction.strip()), ""]
    groups = [(group, list(group.skills)) for group in _leaf_groups(framework)]
    for position, level in enumerate(framework.scale):
        lines += [f"## Level {level.level}: {level.name}", ""]
        for group, skills in groups:
            # the first level names every group and skill, so their order comes back
            present = [s for s in skills if position == 0 or s.criteria.get(level.level)]
            if not present:
                continue
            lines += [f"### {group.name}", ""]
            for skill in present:
                lines += [f"#### {skill.name}", ""]
                items = skill.criteria.get(level.level, ())
                lines += [f"- {_as_text(item)}" for item in items] + ([""] if items else [])
    return "\n".join(lines).rstrip() + "\n"


def _leaf_groups(framework: Framework) -> list[Group]:
    """Every group that holds skills of its own, depth first (a nested group by itself)."""
    return [group for top in framework.groups for group in top.walk() if group.skills]
