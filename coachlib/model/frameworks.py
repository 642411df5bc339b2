"""Frameworks: the model, loading from YAML, and validation against one schema.

A framework is an ordered scale of levels plus skills in (possibly nested) groups. The same
model serves the three shapes of the seed documents:

* ``milestones``: one track whose levels are the milestones (Samman ensemble, learning hour);
* ``matrix``: many skills, each rated on the same scale, with criteria per level;
* ``catalogue``: tiers of skill sets of skills, with exclusions and cross-references.

Parsing validates twice: against ``frameworks/framework.schema.json`` (types, required
fields, unknown keys) and for what a schema cannot say (unique ids, criteria only for levels
on the scale). Either failure is one :class:`~coachlib.model.errors.FrameworkError` naming
the file, the line and the field. Reading framework files (and keeping on when one is
broken) is the store's job: ``coachlib.store.frameworks``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import safeyaml
from .errors import FrameworkError, UnknownFrameworkError
from .schema import FRAMEWORK

if TYPE_CHECKING:  # review.py imports this module: for the annotations only
    from .review import Review


@dataclass(frozen=True)
class CoachingRole:
    """The job-role reading of a level, in the source's words (Samman tracks)."""

    summary: str
    share: str | None = None
    quote: str | None = None


@dataclass(frozen=True)
class EvidenceRule:
    """Logged sessions that count as evidence for a level: one of these kinds of session,
    with the person in one of these roles (``model.sessionlog``'s short words)."""

    kinds: tuple[str, ...]
    roles: tuple[str, ...]
    note: str | None = None

    def counts(self, kind: str, role: str | None) -> bool:
        return kind in self.kinds and role in self.roles


@dataclass(frozen=True)
class Level:
    """One step of a framework's scale."""

    level: int
    name: str
    title: str | None = None
    description: str | None = None
    coaching_role: CoachingRole | None = None
    notes: tuple[str, ...] = ()
    evidence: tuple[EvidenceRule, ...] = ()

    @property
    def label(self) -> str:
        """'3 · For a team new to ensemble, …' for milestones, '3 · Practice' otherwise."""
        return f"{self.level} · {self.title or self.name}"


@dataclass(frozen=True)
class Mark:
    """A rating that is not a level (for example 'waived'); never averaged."""

    id: str
    name: str
    description: str | None = None


@dataclass(frozen=True)
class Defect:
    """A defect of the source document, kept on purpose and documented."""

    kind: str
    text: str


@dataclass(frozen=True)
class Skill:
    """One thing a person is rated on."""

    id: str
    name: str
    description: str | None = None
    criteria: dict[int, tuple[str, ...]] = field(default_factory=dict)
    excluded: str | None = None
    see_also: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    defects: tuple[Defect, ...] = ()
    group_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Expectation:
    """A higher tier's bar for a group ('higher bar' paragraphs)."""

    tier: str
    text: str
    excluded: str | None = None


@dataclass(frozen=True)
class Group:
    """A group of skills: a track, a group, a tier or a skill set; may nest."""

    id: str
    name: str
    kind: str = "group"
    code: str | None = None
    description: str | None = None
    expectations: tuple[Expectation, ...] = ()
    groups: tuple[Group, ...] = ()
    skills: tuple[Skill, ...] = ()
    notes: tuple[str, ...] = ()
    defects: tuple[Defect, ...] = ()

    @property
    def label(self) -> str:
        """'Basic Communication (SE)': the name with the source's code, if any."""
        return f"{self.name} ({self.code})" if self.code else self.name

    def all_skills(self) -> Iterator[Skill]:
        """This group's skills, then those of its sub-groups, in document order."""
        yield from self.skills
        for group in self.groups:
            yield from group.all_skills()

    def walk(self) -> Iterator[Group]:
        """This group and every group inside it, depth first."""
        yield self
        for group in self.groups:
            yield from group.walk()


@dataclass(frozen=True)
class Supersedes:
    """How the levels of the version a framework text replaces map onto its own scale.

    Every level of the older version maps to exactly one level of this one (a dropped
    level to its nearest neighbour, a split one to the first of its parts), so a person's
    progress stays one line across versions. ``coach frameworks check`` verifies it.
    """

    version: int
    levels: dict[int, int]
    notes: dict[int, str] = field(default_factory=dict)
    note: str | None = None


@dataclass(frozen=True)
class Framework:
    """A validated framework, ready for forms, analysis and reports.

    One id can have several versions (texts) installed side by side; ``digest`` is a short
    hash of this version's content, recorded with every review so a framework file edited
    after the review was saved is detected (``coach doctor``).
    """

    id: str
    title: str
    shape: str
    scale: tuple[Level, ...]
    groups: tuple[Group, ...]
    version: int = 1
    digest: str = ""
    released: str | None = None
    supersedes: Supersedes | None = None
    summary: str | None = None
    introduction: str | None = None
    source: dict[str, Any] = field(default_factory=dict)
    related: tuple[dict[str, str], ...] = ()
    marks: tuple[Mark, ...] = ()
    notes: tuple[str, ...] = ()
    defects: tuple[Defect, ...] = ()
    path: Path | None = None

    @property
    def version_label(self) -> str:
        """'version 2 (2026-03-03)' or 'version 1'."""
        return f"version {self.version}" + (f" ({self.released})" if self.released else "")

    @property
    def attribution(self) -> str | None:
        """The credit line a page showing this text must carry, if the source asks one."""
        return self.source.get("attribution")

    @cached_property
    def skills(self) -> tuple[Skill, ...]:
        return tuple(skill for group in self.groups for skill in group.all_skills())

    @cached_property
    def _skills_by_id(self) -> dict[str, Skill]:
        return {skill.id: skill for skill in self.skills}

    @cached_property
    def levels(self) -> frozenset[int]:
        return frozenset(level.level for level in self.scale)

    @cached_property
    def mark_ids(self) -> frozenset[str]:
        return frozenset(mark.id for mark in self.marks)

    def skill(self, skill_id: str) -> Skill:
        try:
            return self._skills_by_id[skill_id]
        except KeyError:
            raise FrameworkError(f"no skill {skill_id!r} in framework {self.id!r}") from None

    def has_skill(self, skill_id: str) -> bool:
        return skill_id in self._skills_by_id

    def level(self, value: int) -> Level:
        for level in self.scale:
            if level.level == value:
                return level
        raise FrameworkError(
            f"level {value!r} is not on the scale of {self.id!r} "
            f"({self.min_level}-{self.max_level})"
        )

    def level_name(self, value: int) -> str:
        return self.level(value).name

    @property
    def min_level(self) -> int:
        return self.scale[0].level

    @property
    def max_level(self) -> int:
        return self.scale[-1].level

    def all_groups(self) -> Iterator[Group]:
        for group in self.groups:
            yield from group.walk()

    def group(self, group_id: str) -> Group:
        for group in self.all_groups():
            if group.id == group_id:
                return group
        raise FrameworkError(f"no group {group_id!r} in framework {self.id!r}")

    def parts(self) -> list[tuple[Group, int]]:
        """Groups a review can cover one at a time, with their depth (tier 0, skill set 1).

        Every group that has skills, in document order: for a matrix its groups, for a
        catalogue each tier and each of its skill sets.
        """

        def walk(groups: tuple[Group, ...], depth: int) -> Iterator[tuple[Group, int]]:
            for group in groups:
                if any(True for _ in group.all_skills()):
                    yield group, depth
                yield from walk(group.groups, depth + 1)

        return list(walk(self.groups, 0))

    @property
    def is_milestone_track(self) -> bool:
        return self.shape == "milestones"

    @property
    def track_skill(self) -> Skill:
        """The single skill of a milestone track (its levels are the milestones)."""
        return self.skills[0]


# --- parsing -----------------------------------------------------------------------------


def parse_framework(text: str, file: str | Path) -> Framework:
    """Validate YAML text of one framework and build the model; raise FrameworkError."""
    data = safeyaml.parse(text, file=file, error=FrameworkError)
    if not isinstance(data, dict):
        raise FrameworkError(
            "expected a mapping with id, title, shape, scale and groups", file=file, line=1
        )
    return framework_from_data(data, text, file)


def framework_from_data(data: dict[str, Any], text: str, file: str | Path) -> Framework:
    """Validate a framework's data, already read from ``text`` (or written as ``text``, as
    an import is), and build the model; raise FrameworkError with the line in ``text``.
    An import validates what it is about to write this way, without reading its own
    megabyte of YAML back (which took seconds)."""
    FRAMEWORK.check(data, file=file, text=text, error=FrameworkError)
    _check_semantics(data, text, file)
    framework = _build(data, Path(file))
    # hashed from the model, not the file: comments, layout and spelled-out defaults aside,
    # the same framework gives the same digest
    return replace(framework, digest=content_digest(_text_of(framework)))


def _text_of(framework: Framework) -> dict[str, Any]:
    """What a framework says, for its digest: everything but which logged sessions count
    as evidence (coachlib's reading, refined without changing what a level means)."""
    data = framework_to_dict(framework)
    data["scale"] = [{k: v for k, v in level.items() if k != "evidence"} for level in data["scale"]]
    return data


def content_digest(data: Any) -> str:
    """A short hash of what a framework file says (not of its comments or layout): the
    same text read by any coachlib on any machine gives the same 12 characters."""
    import hashlib
    import json

    canonical = json.dumps(
        data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]


def _check_semantics(data: dict[str, Any], text: str, file: str | Path) -> None:
    """What the schema cannot express: unique ids, ordered scale, criteria on the scale."""

    def fail(message: str, path: list[safeyaml.PathPart]) -> None:
        raise FrameworkError(
            message,
            file=file,
            line=safeyaml.line_of(text, path),
            field=safeyaml.field_name(path),
        )

    levels = [entry["level"] for entry in data["scale"]]
    for index in range(1, len(levels)):
        if levels[index] <= levels[index - 1]:
            fail(
                f"levels must increase: {levels[index]} follows {levels[index - 1]}",
                ["scale", index, "level"],
            )
    from .sessionlog import KINDS, SESSION_ROLES

    for index, entry in enumerate(data["scale"]):
        for e_index, rule in enumerate(entry.get("evidence", [])):
            for key, known in (("kinds", KINDS), ("roles", SESSION_ROLES)):
                for w_index, word in enumerate(rule[key]):
                    if word not in known:
                        fail(
                            f"unknown {key[:-1]} {word!r} (one of: {', '.join(known)})",
                            ["scale", index, "evidence", e_index, key, w_index],
                        )
    mark_ids = [mark["id"] for mark in data.get("marks", [])]
    seen_skills: dict[str, str] = {}
    seen_groups: dict[str, str] = {}
    for group_path, group in _walk_raw_groups(data["groups"], ["groups"]):
        if group["id"] in seen_groups:
            fail(f"duplicate group id {group['id']!r}", [*group_path, "id"])
        seen_groups[group["id"]] = safeyaml.field_name(group_path)
        for s_index, skill in enumerate(group.get("skills", [])):
            skill_path = [*group_path, "skills", s_index]
            if skill["id"] in seen_skills:
                fail(
                    f"duplicate skill id {skill['id']!r} (also at {seen_skills[skill['id']]})",
                    [*skill_path, "id"],
                )
            seen_skills[skill["id"]] = safeyaml.field_name(skill_path)
            if skill["id"] in mark_ids:
                fail(f"skill id {skill['id']!r} clashes with a mark", [*skill_path, "id"])
            seen_levels: set[int] = set()
            for c_index, criteria in enumerate(skill.get("criteria", [])):
                where = [*skill_path, "criteria", c_index, "level"]
                if criteria["level"] not in levels:
                    fail(
                        f"criteria for level {criteria['level']}, which is not on the scale "
                        f"({levels[0]}-{levels[-1]})",
                        where,
                    )
                if criteria["level"] in seen_levels:
                    fail(f"criteria for level {criteria['level']} given twice", where)
                seen_levels.add(criteria["level"])
    if not seen_skills:
        fail("the framework has no skills", ["groups"])
    supersedes = data.get("supersedes")
    if supersedes is not None:
        version = data.get("version", 1)
        if supersedes["version"] >= version:
            fail(
                f"version {version} cannot supersede version {supersedes['version']} "
                "(it must be an earlier one)",
                ["supersedes", "version"],
            )
        seen_from: set[int] = set()
        for index, pair in enumerate(supersedes["levels"]):
            if pair["from"] in seen_from:
                fail(f"level {pair['from']} is mapped twice", ["supersedes", "levels", index])
            seen_from.add(pair["from"])
            if pair["to"] not in levels:
                fail(
                    f"level {pair['to']} is not on this version's scale ({levels[0]}-{levels[-1]})",
                    ["supersedes", "levels", index, "to"],
                )


def _walk_raw_groups(
    groups: list[dict[str, Any]], path: list[safeyaml.PathPart]
) -> Iterator[tuple[list[safeyaml.PathPart], dict[str, Any]]]:
    for index, group in enumerate(groups):
        here = [*path, index]
        yield here, group
        yield from _walk_raw_groups(group.get("groups", []), [*here, "groups"])


def _build(data: dict[str, Any], path: Path) -> Framework:
    def build_group(raw: dict[str, Any], parents: tuple[str, ...]) -> Group:
        ids = (*parents, raw["id"])
        return Group(
            id=raw["id"],
            name=raw["name"],
            kind=raw.get("kind", "group"),
            code=raw.get("code"),
            description=raw.get("description"),
            expectations=tuple(Expectation(**e) for e in raw.get("expectations", [])),
            groups=tuple(build_group(g, ids) for g in raw.get("groups", [])),
            skills=tuple(build_skill(s, ids) for s in raw.get("skills", [])),
            notes=tuple(raw.get("notes", [])),
            defects=tuple(Defect(**d) for d in raw.get("defects", [])),
        )

    def build_skill(raw: dict[str, Any], group_ids: tuple[str, ...]) -> Skill:
        return Skill(
            id=raw["id"],
            name=raw["name"],
            description=raw.get("description"),
            criteria={c["level"]: tuple(c["items"]) for c in raw.get("criteria", [])},
            excluded=raw.get("excluded"),
            see_also=tuple(raw.get("see_also", [])),
            notes=tuple(raw.get("notes", [])),
            defects=tuple(Defect(**d) for d in raw.get("defects", [])),
            group_ids=group_ids,
        )

    scale = tuple(
        Level(
            level=raw["level"],
            name=raw["name"],
            title=raw.get("title"),
            description=raw.get("description"),
            coaching_role=CoachingRole(**raw["coaching_role"]) if "coaching_role" in raw else None,
            notes=tuple(raw.get("notes", [])),
            evidence=tuple(
                EvidenceRule(tuple(e["kinds"]), tuple(e["roles"]), e.get("note"))
                for e in raw.get("evidence", [])
            ),
        )
        for raw in data["scale"]
    )
    raw_supersedes = data.get("supersedes")
    supersedes = (
        Supersedes(
            version=raw_supersedes["version"],
            levels={pair["from"]: pair["to"] for pair in raw_supersedes["levels"]},
            notes={p["from"]: p["note"] for p in raw_supersedes["levels"] if "note" in p},
            note=raw_supersedes.get("note"),
        )
        if raw_supersedes
        else None
    )
    return Framework(
        id=data["id"],
        title=data["title"],
        shape=data["shape"],
        scale=scale,
        groups=tuple(build_group(g, ()) for g in data["groups"]),
        version=data.get("version", 1),
        released=data.get("released"),
        supersedes=supersedes,
        summary=data.get("summary"),
        introduction=data.get("introduction"),
        source=dict(data.get("source", {})),
        related=tuple(data.get("related", [])),
        marks=tuple(Mark(**m) for m in data.get("marks", [])),
        notes=tuple(data.get("notes", [])),
        defects=tuple(Defect(**d) for d in data.get("defects", [])),
        path=path,
    )


# --- the registry of every framework a workspace can see ------------------------------------


@dataclass
class Registry:
    """Every framework found, by id and version, and the files that failed to load.

    ``frameworks`` holds the newest version of each id (what a new review uses);
    ``versions`` every installed version. A record names the version it was made against;
    one saved before versions existed reads as the oldest installed version (the text
    coachlib shipped then).
    """

    frameworks: dict[str, Framework] = field(default_factory=dict)
    versions: dict[str, dict[int, Framework]] = field(default_factory=dict)
    problems: list[FrameworkError] = field(default_factory=list)
    guidance: list[Any] = field(default_factory=list)  # model.guidance.Guidance

    def add(self, framework: Framework) -> None:
        """Install one version; raise FrameworkError if that id and version are taken."""
        installed = self.versions.setdefault(framework.id, {})
        if framework.version in installed:
            other = installed[framework.version]
            raise FrameworkError(
                f"framework {framework.id!r} version {framework.version} is already "
                f"installed from {other.path}; to add a new text of it, give this file "
                f"`version: {max(installed) + 1}`, or give it a new id",
                file=framework.path,
                field="version",
            )
        installed[framework.version] = framework
        newest = self.frameworks.get(framework.id)
        if newest is None or framework.version > newest.version:
            self.frameworks[framework.id] = framework

    def holds(self, framework: Framework) -> bool:
        """This very text is installed already (same id, version and digest): a copy, such
        as the one a pack carries, is no conflict."""
        same = self.versions.get(framework.id, {}).get(framework.version)
        return same is not None and same.digest == framework.digest

    def get(self, framework_id: str, version: int | None = None) -> Framework:
        """The newest version of an id, or the version named."""
        try:
            newest = self.frameworks[framework_id]
        except KeyError:
            known = ", ".join(sorted(self.frameworks)) or "none"
            raise UnknownFrameworkError(
                f"unknown framework {framework_id!r} (known: {known})"
            ) from None
        if version is None:
            return newest
        try:
            return self.versions[framework_id][version]
        except KeyError:
            known = ", ".join(str(v) for v in sorted(self.versions[framework_id]))
            raise UnknownFrameworkError(
                f"framework {framework_id!r} has no version {version} (installed: {known})"
            ) from None

    def find(self, ref: str) -> Framework:
        """A framework by ``id`` (its newest version) or ``id@N`` (version N): how a
        person names one on the command line and in a workbook's parameters."""
        framework_id, at, number = ref.partition("@")
        if not at:
            return self.get(framework_id)
        if not number.isdigit() or int(number) < 1:
            raise UnknownFrameworkError(
                f"{ref!r}: after '@' comes a version number (1, 2, ...), e.g. {framework_id}@1"
            )
        return self.get(framework_id, int(number))

    def current_on(self, framework_id: str, day: str) -> Framework:
        """The text that was current on ``day`` (YYYY-MM-DD): the newest version released
        by then, or the oldest one if none was."""
        installed = self.versions[self.get(framework_id).id]
        released = [f for _, f in sorted(installed.items()) if f.released and f.released <= day]
        return released[-1] if released else installed[min(installed)]

    def made_against(self, framework_id: str, version: int | None) -> Framework:
        """The text a record was made against: its version, or for a record saved before
        versions existed, the oldest installed version."""
        if version is None:
            self.get(framework_id)  # an unknown id fails here, clearly
            return self.versions[framework_id][min(self.versions[framework_id])]
        return self.get(framework_id, version)

    def newer_than(self, framework: Framework) -> Framework | None:
        """The newest version of the same id, if it is newer than ``framework``."""
        newest = self.frameworks.get(framework.id)
        return newest if newest is not None and newest.version > framework.version else None

    def level_now(self, framework_id: str, version: int | None, level: int | None) -> int | None:
        """A level recorded against ``version``, on the newest version's scale: each newer
        version's ``supersedes`` mapping applied in turn (a version without one keeps the
        level as it is)."""
        if level is None or framework_id not in self.versions:
            return level
        installed = self.versions[framework_id]
        current = version if version is not None else min(installed)
        for number in sorted(installed):
            if number <= current:
                continue
            mapping = installed[number].supersedes
            if mapping is not None and mapping.version == current:
                level = mapping.levels.get(level, level)
            current = number
        return level

    def record_level(self, review: Review, level: int) -> int:
        """A level of a saved review on the newest version's scale."""
        mapped = self.level_now(review.framework, review.framework_version, level)
        return level if mapped is None else mapped

    def of_record(self, review: Review) -> Framework:
        """The framework text a saved review was made against."""
        return self.made_against(review.framework, review.framework_version)

    def __iter__(self) -> Iterator[Framework]:
        """The newest version of every id."""
        return iter(self.frameworks.values())

    def all_versions(self) -> Iterator[Framework]:
        for installed in self.versions.values():
            yield from (installed[number] for number in sorted(installed))

    def __contains__(self, framework_id: object) -> bool:
        return framework_id in self.frameworks


def framework_to_dict(framework: Framework) -> dict[str, Any]:
    """The framework as plain data that validates against the schema (for saving a copy,
    an import, or a round trip)."""

    def clean(data: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in data.items() if v not in (None, (), [], {}, "")}

    def defects(items: tuple[Defect, ...]) -> list[dict[str, str]]:
        return [{"kind": d.kind, "text": d.text} for d in items]

    def skill(s: Skill) -> dict[str, Any]:
        return clean(
            {
                "id": s.id,
                "name": s.name,
                "description": s.description,
                "criteria": [
                    {"level": level, "items": list(items)} for level, items in s.criteria.items()
                ],
                "excluded": s.excluded,
                "see_also": list(s.see_also),
                "notes": list(s.notes),
                "defects": defects(s.defects),
            }
        )

    def group(g: Group) -> dict[str, Any]:
        return clean(
            {
                "id": g.id,
                "name": g.name,
                "kind": g.kind,
                "code": g.code,
                "description": g.description,
                "expectations": [
                    clean({"tier": e.tier, "text": e.text, "excluded": e.excluded})
                    for e in g.expectations
                ],
                "groups": [group(child) for child in g.groups],
                "skills": [skill(s) for s in g.skills],
                "notes": list(g.notes),
                "defects": defects(g.defects),
            }
        )

    def level(lv: Level) -> dict[str, Any]:
        role = lv.coaching_role
        return clean(
            {
                "level": lv.level,
                "name": lv.name,
                "title": lv.title,
                "description": lv.description,
                "coaching_role": (
                    {"summary": role.summary, "share": role.share, "quote": role.quote}
                    if role
                    else None
                ),
                "notes": list(lv.notes),
                "evidence": [
                    clean({"kinds": list(e.kinds), "roles": list(e.roles), "note": e.note})
                    for e in lv.evidence
                ],
            }
        )

    data = {
        "schema_version": 1,
        "id": framework.id,
        "version": framework.version,
        "released": framework.released,
        "supersedes": (
            clean(
                {
                    "version": framework.supersedes.version,
                    "levels": [
                        clean({"from": old, "to": new, "note": framework.supersedes.notes.get(old)})
                        for old, new in framework.supersedes.levels.items()
                    ],
                    "note": framework.supersedes.note,
                }
            )
            if framework.supersedes
            else None
        ),
        "title": framework.title,
        "shape": framework.shape,
        "summary": framework.summary,
        "introduction": framework.introduction,
        "source": dict(framework.source),
        "related": [dict(r) for r in framework.related],
        "scale": [level(lv) for lv in framework.scale],
        "marks": [
            clean({"id": m.id, "name": m.name, "description": m.description})
            for m in framework.marks
        ],
        "groups": [group(g) for g in framework.groups],
        "notes": list(framework.notes),
        "defects": defects(framework.defects),
    }
    return {
        k: v
        for k, v in data.items()
        if k in ("schema_version", "scale", "groups") or v not in (None, (), [], {}, "")
    }
