"""What changed between two versions of a framework, level by level, for a person to read.

``coach frameworks diff`` prints it. Each level of the newer version is set against the
level of the older one that maps onto it (the newer file's ``supersedes`` mapping): a
changed headline shows both, a changed paragraph shows the new text with the words taken
out in ``[-…-]`` and the words put in as ``{+…+}`` (git's word-diff marks), wrapped for a
terminal. Skills, criteria and groups that came or went are listed after the levels.
"""

from __future__ import annotations

import difflib
import textwrap
from collections.abc import Iterator

from ..model.frameworks import Framework, Level

WIDTH = 100


def word_diff(old: str, new: str) -> str:
    """``new`` with the words removed since ``old`` as [-…-] and the added ones as {+…+}."""
    before, after = old.split(), new.split()
    out: list[str] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out += after[b1:b2]
            continue
        if a2 > a1:
            out.append("[-" + " ".join(before[a1:a2]) + "-]")
        if b2 > b1:
            out.append("{+" + " ".join(after[b1:b2]) + "+}")
    return " ".join(out)


def _wrap(text: str, indent: str = "    ") -> list[str]:
    return textwrap.wrap(
        text, WIDTH, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False
    ) or [indent]


def _old_levels_for(old: Framework, new: Framework) -> dict[int, list[int]]:
    """For each new level, the old levels that map onto it."""
    mapping = (
        new.supersedes.levels
        if new.supersedes and new.supersedes.version == old.version
        else {level.level: level.level for level in old.scale}
    )
    found: dict[int, list[int]] = {}
    for old_level, new_level in sorted(mapping.items()):
        found.setdefault(new_level, []).append(old_level)
    return found


def _level_changes(old_level: Level | None, level: Level) -> list[str]:
    if old_level is None:
        return [
            "    new level (no level of the older version maps onto it)",
            *_wrap(level.description or ""),
        ]
    lines: list[str] = []
    if (old_level.title or "") != (level.title or ""):
        lines += ["    headline was:", *_wrap(old_level.title or "(none)", "      ")]
        lines += ["    headline now:", *_wrap(level.title or "(none)", "      ")]
    if old_level.name != level.name:
        lines.append(f"    name: {old_level.name} → {level.name}")
    if " ".join((old_level.description or "").split()) != " ".join(
        (level.description or "").split()
    ):
        lines.append("    text ([-taken out-] {+put in+}):")
        lines += _wrap(word_diff(old_level.description or "", level.description or ""), "      ")
    if old_level.coaching_role != level.coaching_role:
        was = old_level.coaching_role.summary if old_level.coaching_role else "(none)"
        now = level.coaching_role.summary if level.coaching_role else "(none)"
        share = old_level.coaching_role.share if old_level.coaching_role else None
        if share and share not in was:
            was += f" ({share})"
        if not level.coaching_role:
            now = "(none in this text)"
        lines += textwrap.wrap(
            f"job role: {was} → {now}", WIDTH, initial_indent="    ", subsequent_indent="      "
        )
    return lines or ["    unchanged"]


def framework_diff(old: Framework, new: Framework) -> str:
    """The readable difference between two versions of one framework."""
    lines = [f"{new.id}: {old.version_label} → {new.version_label}", ""]
    if old.title != new.title:
        lines += [f"title: {old.title}", f"   now: {new.title}", ""]
    if " ".join((old.introduction or "").split()) != " ".join((new.introduction or "").split()):
        lines += ["introduction ([-taken out-] {+put in+}):"]
        lines += [*_wrap(word_diff(old.introduction or "", new.introduction or "")), ""]
    if new.supersedes and new.supersedes.note:
        lines += [*_wrap(new.supersedes.note, ""), ""]
    old_for = _old_levels_for(old, new)
    for level in new.scale:
        sources = old_for.get(level.level, [])
        mapped = ", ".join(str(number) for number in sources)
        how = f"(was level {mapped})" if sources and sources != [level.level] else ""
        lines.append(f"{level.level} · {level.name} {how}".rstrip())
        note = new.supersedes.notes.get(sources[0]) if new.supersedes and sources else None
        if note:
            lines += _wrap(f"mapping: {note}")
        previous = old.level(sources[0]) if sources and sources[0] in old.levels else None
        lines += _level_changes(previous, level)
        for extra in sources[1:]:
            lines += _wrap(f"also maps here: {old.level(extra).label}")
        lines.append("")
    lines += list(_skill_changes(old, new))
    return "\n".join(lines).rstrip() + "\n"


def _skill_changes(old: Framework, new: Framework) -> Iterator[str]:
    old_ids = {skill.id for skill in old.skills}
    new_ids = {skill.id for skill in new.skills}
    for skill in new.skills:
        if skill.id not in old_ids:
            yield f"skill added: {skill.name} ({skill.id})"
    for skill in old.skills:
        if skill.id not in new_ids:
            yield f"skill removed: {skill.name} ({skill.id})"
    for skill in new.skills:
        if skill.id not in old_ids:
            continue
        before = old.skill(skill.id)
        changed: list[str] = []
        if " ".join((before.description or "").split()) != " ".join(
            (skill.description or "").split()
        ):
            changed += _wrap(word_diff(before.description or "", skill.description or ""))
        for level in sorted(set(before.criteria) | set(skill.criteria)):
            if before.criteria.get(level, ()) != skill.criteria.get(level, ()):
                taken = [
                    i
                    for i in before.criteria.get(level, ())
                    if i not in skill.criteria.get(level, ())
                ]
                added = [
                    i
                    for i in skill.criteria.get(level, ())
                    if i not in before.criteria.get(level, ())
                ]
                changed += [f"    level {level} criteria:"]
                changed += [line for item in taken for line in _wrap(f"- {item}", "      ")]
                changed += [line for item in added for line in _wrap(f"+ {item}", "      ")]
        if changed:
            yield f"skill changed: {skill.name} ({skill.id})"
            yield from changed
