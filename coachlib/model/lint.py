"""`coach frameworks check`: schema errors and lint warnings for framework files.

Errors are what stops a file from loading (the schema, unique ids): exit status 1.
Warnings are what a careful reader of a career framework would flag: duplicate skills,
See also that resolves to nothing, criteria copied between skills, levels without criteria,
skills without a description, a placeholder ('x') for the organisation's name, text that
starts with a lower-case letter (a clipped word). Defects the curator documented in the YAML
(``defects``) are reported too, as notes, and a warning that matches one says so.

Every finding names the file and the line, so an editor can jump to it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from . import safeyaml
from .errors import ERROR, NOTE, WARNING, Diagnostic, FrameworkError
from .frameworks import Framework, Skill, parse_framework

# A lone 'x' used as a word stands in for a name: "x's principles", "across x".
PLACEHOLDER = re.compile(r"(?<![\w.\-*/+])x(?![\w\-*/+])")
BOILERPLATE_SKILLS = 3  # a criteria list shared by this many skills at one level is boilerplate
# Which documented defect kinds answer which warnings.
DOCUMENTED_BY = {
    "duplicate-skill": "duplicate",
    "copied-criteria": "copied-criteria",
    "missing-description": "missing-description",
    "level-without-criteria": "incomplete",
    "placeholder": "placeholder",
    "lower-case-start": "typo",
    "see-also-unresolved": "unresolved-reference",
}


def _finding(
    severity: str,
    code: str,
    message: str,
    file: str,
    line: int | None = None,
    field: str | None = None,
    documented: bool = False,
    subject: str | None = None,
) -> Diagnostic:
    return Diagnostic(
        message,
        file=file,
        line=line,
        field=field,
        severity=severity,
        code=code,
        subject=subject,
        documented=documented,
    )


@dataclass
class _Place:
    """Where a skill is in the raw YAML, and its documented defect kinds."""

    path: list[safeyaml.PathPart]
    raw: dict[str, Any]

    @property
    def documented(self) -> set[str]:
        return {d["kind"] for d in self.raw.get("defects", [])}


def check_text(text: str, name: str) -> list[Diagnostic]:
    """Every finding for one framework file's text (one that does not load: one error)."""
    try:
        framework = parse_framework(text, name)
    except FrameworkError as exc:
        return [_finding(ERROR, "schema", exc.message, name, exc.line, exc.field)]
    data = safeyaml.parse(text, file=name, error=FrameworkError)
    return lint_with_notes(framework, data, safeyaml.Locator(text), name)


def _places(data: dict[str, Any]) -> dict[str, _Place]:
    places: dict[str, _Place] = {}

    def walk(groups: list[dict[str, Any]], path: list[safeyaml.PathPart]) -> None:
        for g_index, group in enumerate(groups):
            here = [*path, g_index]
            for s_index, skill in enumerate(group.get("skills", [])):
                places[skill["id"]] = _Place([*here, "skills", s_index], skill)
            walk(group.get("groups", []), [*here, "groups"])

    walk(data["groups"], ["groups"])
    return places


# ``finding(code, message, skill_id, *field_path)``: a warning placed in the file.
_Finder = Callable[..., Diagnostic]


def lint(
    framework: Framework, data: dict[str, Any], locator: safeyaml.Locator, file: str
) -> Iterator[Diagnostic]:
    """Warnings and documented defects of a framework that loaded."""
    places = _places(data)

    def finding(
        code: str, message: str, skill_id: str | None, *sub: safeyaml.PathPart
    ) -> Diagnostic:
        path = [*places[skill_id].path, *sub] if skill_id else list(sub)
        documented = bool(skill_id and DOCUMENTED_BY.get(code) in places[skill_id].documented) or (
            not skill_id and DOCUMENTED_BY.get(code) in {d.kind for d in framework.defects}
        )
        return _finding(
            WARNING,
            code,
            message,
            file,
            locator.line(path),
            safeyaml.field_name(path) or None,
            documented,
            skill_id,
        )

    if "version" not in data:
        message = (
            "the file says no `version` (read as version 1): add `version: 1` so the "
            "next text of it can be version 2"
        )
        yield finding("no-version", message, None, "id")
    if not framework.source.get("licence"):
        message = (
            "the source's licence is not recorded (`source.licence`; write what the "
            "source says, also that it states none)"
        )
        yield finding("no-licence", message, None, "source")
    skills = framework.skills
    names = {s.id: s.name for s in skills}
    duplicates = list(_duplicates(skills, names, finding))
    yield from duplicates
    known = set(names) | {g.id for g in framework.all_groups()}
    for skill in skills:
        for index, target in enumerate(skill.see_also):
            if target not in known:
                yield finding(
                    "see-also-unresolved",
                    f"{skill.name}: See also {target!r} is no skill or group of this framework",
                    skill.id,
                    "see_also",
                    index,
                )
        if not skill.description:
            yield finding(
                "missing-description", f"{skill.name}: the skill has no description", skill.id
            )
    already = {f.subject for f in duplicates}
    yield from (f for f in _copied_criteria(skills, names, finding) if f.subject not in already)
    yield from _levels_without_criteria(framework, finding)
    yield from _text_checks(skills, places, finding)


def lint_with_notes(
    framework: Framework, data: dict[str, Any], locator: safeyaml.Locator, file: str
) -> list[Diagnostic]:
    """Warnings, then notes for documented defects that no warning already reported."""
    warnings = list(lint(framework, data, locator, file))
    reported = {(f.subject, DOCUMENTED_BY.get(f.code or "")) for f in warnings if f.documented}
    notes = [
        note
        for note in _documented(data, locator, file)
        if (note.subject, (note.code or "").removeprefix("documented-")) not in reported
    ]
    return sorted(warnings + notes, key=lambda f: (f.line or 0, f.severity))


def _duplicates(
    skills: Sequence[Skill], names: dict[str, str], finding: _Finder
) -> Iterator[Diagnostic]:
    first_by_name: dict[str, str] = {}
    first_by_content: dict[tuple[object, ...], str] = {}
    for skill in skills:
        key = skill.name.casefold()
        content = (skill.description, tuple(sorted(skill.criteria.items())))
        if key in first_by_name:
            yield finding(
                "duplicate-skill",
                f"{skill.name}: a skill of the same name comes earlier "
                f"({names[first_by_name[key]]})",
                skill.id,
            )
        elif skill.criteria and content in first_by_content:
            yield finding(
                "duplicate-skill",
                f"{skill.name}: the same description and criteria as "
                f"{names[first_by_content[content]]}",
                skill.id,
            )
        first_by_name.setdefault(key, skill.id)
        first_by_content.setdefault(content, skill.id)


def _copied_criteria(
    skills: Sequence[Skill], names: dict[str, str], finding: _Finder
) -> Iterator[Diagnostic]:
    """Criteria lists (of two or more items) repeated word for word under another skill."""
    where: dict[tuple[str, ...], list[tuple[str, int]]] = defaultdict(list)
    for skill in skills:
        for level, items in sorted(skill.criteria.items()):
            if len(items) >= 2:
                where[items].append((skill.id, level))
    copies: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for places in where.values():
        if len(places) < 2:
            continue
        distinct_levels = {level for _, level in places}
        if len(distinct_levels) == 1 and len(places) >= BOILERPLATE_SKILLS:
            continue  # the same closing lines under many skills: deliberate boilerplate
        original_id, original_level = places[0]
        for skill_id, level in places[1:]:
            if skill_id != original_id:
                copies[(skill_id, original_id)].append((level, original_level))
    for (skill_id, original_id), pairs in copies.items():
        levels = ", ".join(str(level) for level, _ in pairs)
        original_levels = ", ".join(str(level) for _, level in pairs)
        plural = "s" if len(pairs) > 1 else ""
        first_level = pairs[0][0]
        yield finding(
            "copied-criteria",
            f"{names[skill_id]}: level{plural} {levels} repeat{'' if plural else 's'} "
            f"{names[original_id]} level{plural} {original_levels} word for word",
            skill_id,
            "criteria",
            _criteria_index(skills, skill_id, first_level),
        )


def _criteria_index(skills: Sequence[Skill], skill_id: str, level: int) -> int:
    skill = next(s for s in skills if s.id == skill_id)
    return sorted(skill.criteria).index(level)


def _levels_without_criteria(framework: Framework, finding: _Finder) -> Iterator[Diagnostic]:
    if not any(skill.criteria for skill in framework.skills):
        return  # a catalogue rates skills on a shared scale, with no criteria per level
    expected = [level.level for level in framework.scale[1:]]
    for skill in framework.skills:
        missing = [level for level in expected if not skill.criteria.get(level)]
        if missing:
            text = ", ".join(f"{lv} ({framework.level_name(lv)})" for lv in missing)
            yield finding(
                "level-without-criteria",
                f"{skill.name}: no criteria for level{'s' if len(missing) > 1 else ''} {text}",
                skill.id,
                "criteria",
            )


def _text_checks(
    skills: Sequence[Skill], places: dict[str, _Place], finding: _Finder
) -> Iterator[Diagnostic]:
    for skill in skills:
        texts: list[tuple[str, list[safeyaml.PathPart]]] = []
        if skill.description:
            texts.append((skill.description, ["description"]))
        for c_index, level in enumerate(sorted(skill.criteria)):
            for i_index, item in enumerate(skill.criteria[level]):
                texts.append((item, ["criteria", c_index, "items", i_index]))
        placeholder_seen = False
        for text, sub in texts:
            if not placeholder_seen and PLACEHOLDER.search(text):
                placeholder_seen = True
                yield finding(
                    "placeholder",
                    f"{skill.name}: 'x' stands in for a name: {_excerpt(text, PLACEHOLDER)}",
                    skill.id,
                    *sub,
                )
            first = text.lstrip("*_\"'“‘(")[:1]
            if first.islower():
                yield finding(
                    "lower-case-start",
                    f"{skill.name}: starts with a lower-case letter (a clipped word?): "
                    f"{text[:50]!r}",
                    skill.id,
                    *sub,
                )


def _excerpt(text: str, pattern: re.Pattern[str]) -> str:
    match = pattern.search(text)
    assert match is not None
    start = max(0, match.start() - 25)
    return ("…" if start else "") + repr(text[start : match.end() + 30])


def _documented(data: dict[str, Any], locator: safeyaml.Locator, file: str) -> Iterator[Diagnostic]:
    """A note for every ``defects`` entry: framework, groups and skills alike."""

    def notes(owner: dict[str, Any], path: list[safeyaml.PathPart]) -> Iterator[Diagnostic]:
        name = owner.get("name") or owner.get("title")
        for index, defect in enumerate(owner.get("defects", [])):
            where = [*path, "defects", index]
            yield _finding(
                NOTE,
                f"documented-{defect['kind']}",
                f"{name}: {defect['text']}",
                file,
                locator.line(where),
                safeyaml.field_name(where),
                True,
                owner.get("id"),
            )

    def walk(groups: list[dict[str, Any]], path: list[safeyaml.PathPart]) -> Iterator[Diagnostic]:
        for g_index, group in enumerate(groups):
            here = [*path, g_index]
            yield from notes(group, here)
            for s_index, skill in enumerate(group.get("skills", [])):
                yield from notes(skill, [*here, "skills", s_index])
            yield from walk(group.get("groups", []), [*here, "groups"])

    yield from notes(data, [])
    yield from walk(data["groups"], ["groups"])


@dataclass
class Report:
    files: list[str]
    findings: list[Diagnostic]

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def exit_status(self) -> int:
        return 1 if self.count(ERROR) else 0

    def summary(self) -> str:
        return (
            f"{len(self.files)} file(s) checked: {self.count(ERROR)} error(s), "
            f"{self.count(WARNING)} warning(s), {self.count(NOTE)} documented defect(s)"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "findings": [f.to_dict() for f in self.findings],
            "summary": {
                "errors": self.count(ERROR),
                "warnings": self.count(WARNING),
                "documented": self.count(NOTE),
            },
        }
