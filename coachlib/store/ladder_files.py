"""A ladder import on disk: reading the ladder (a file, or a folder with a file per level)
within its limits, the mapping saved beside a framework (``ID.import.yaml``), and writing
the framework as version 1 or as the next version beside the old one.

``coach frameworks import`` and the notebook form both go through :func:`plan_import` and
:func:`write_import`, so a ladder saved from the notebook is checked, versioned and
written exactly as the command writes it.
"""

from __future__ import annotations

import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..ladders.importing import SUFFIXES, LadderImport, checked_text, folder_outline, read_outline
from ..ladders.limits import MAX_LADDER_BYTES
from ..ladders.mapping import Mapping, from_data
from ..ladders.outline import Outline
from ..ladders.shapes import as_new_version, losses, placed_nothing, same_text
from ..model import safeyaml
from ..model.errors import CoachError, Diagnostic, InputError
from ..model.frameworks import Framework
from . import atomic
from .frameworks import IMPORT_MAPPING_SUFFIX, framework_files, load_framework_file, load_registry
from .inputs import read_input

MAX_MAPPING_BYTES = 100_000  # a saved mapping is a few lines


def is_folder(path: Path) -> bool:
    """A real folder (not a link to one): never read as a ladder."""
    return path.is_dir() and not path.is_symlink()


def read_ladder(source: Path, *, named: bool = True) -> Outline:
    """The outline of a file, or of a folder with a file per level (each read within the
    limit; a link in the folder refused by name)."""
    if is_folder(source):
        paths = sorted(
            p for p in source.iterdir() if p.suffix.casefold() in SUFFIXES and not is_folder(p)
        )
        if not paths:
            raise InputError(f"{source} holds no ladder ({', '.join(SUFFIXES)})")
        files = [(p.name, read_input(p, limit=MAX_LADDER_BYTES, follow=False)) for p in paths]
        return folder_outline(source.name, files)
    # a file found in a folder is read only if it is no link; one named is read as named
    return read_outline(source.name, read_input(source, limit=MAX_LADDER_BYTES, follow=named))


def mapping_path(folder: Path, framework_id: str) -> Path:
    return folder / f"{framework_id}{IMPORT_MAPPING_SUFFIX}"


def saved_mapping(folder: Path, framework_id: str) -> tuple[Mapping, Path] | None:
    """The mapping saved by the last import of ``framework_id`` into ``folder``."""
    path = mapping_path(folder, framework_id)
    if not path.is_file():
        return None
    data = safeyaml.parse(read_input(path, limit=MAX_MAPPING_BYTES), file=path, error=InputError)
    return from_data(data, file=str(path)), path


def installed_versions(folder: Path, framework_id: str) -> list[Framework]:
    """Versions of ``framework_id`` in the folder an import writes to: a changed ladder
    imported again becomes the next version."""
    found = []
    for path in framework_files(folder if str(folder) else Path(".")):
        try:  # only regular files: a FIFO named *.yaml there would block the import
            if not stat.S_ISREG(path.lstat().st_mode):
                continue
        except OSError:
            continue
        try:
            framework = load_framework_file(path)
        except CoachError:
            continue
        if framework.id == framework_id:
            found.append(framework)
    return found


def builtin_clash(framework_id: str, folder: Path) -> str | None:
    """Why an import may not be written under ``framework_id``: it is a built-in
    framework's id, and the folder written into does not hold that framework's versions
    (the built-ins' own folder does). A workspace file with a built-in's id and version is
    refused by every command that loads frameworks; an import never writes one."""
    from ..model.resources import builtin_frameworks_dir

    builtin = builtin_frameworks_dir()
    if folder.exists() and folder.resolve() == builtin.resolve():
        return None
    installed = load_registry([builtin]).versions.get(framework_id)
    if not installed:
        return None
    versions = ", ".join(str(v) for v in sorted(installed))
    return (
        f"{framework_id!r} is the id of a built-in framework (version(s) {versions}); "
        "give the import an id of its own with --id"
    )


@dataclass
class Plan:
    """What an import would write: the checked framework, what it lost, and where it goes
    (or why nothing is written: a loss, or the very text already installed)."""

    done: LadderImport
    target: Path
    text: str
    framework: Any
    lost: list[Diagnostic] = field(default_factory=list)
    refusal: str | None = None
    unchanged: Any = None  # the installed framework that already holds this text
    previous: Any = None  # the version this one follows
    decided: list[str] = field(default_factory=list)


def plan_import(
    done: LadderImport,
    target: Path,
    *,
    force: bool = False,
    strict: bool = False,
    allow_loss: bool = False,
) -> Plan:
    """Check an import against the folder it goes into; write nothing. Raises InputError
    for what the person must change (a built-in's id, a file in the way)."""
    text, framework = checked_text(done, file_name=target.name)
    plan = Plan(done, target, text, framework, losses(done.result, framework))
    if placed_nothing(framework):
        plan.refusal = "no criteria were placed: never a successful import"
        return plan
    if plan.lost and (strict or not allow_loss):
        plan.refusal = f"{len(plan.lost)} loss(es): content not placed or empty levels or skills"
        return plan
    data = done.result.data
    clash = builtin_clash(data["id"], target.parent)
    if clash:
        raise InputError(clash, file=done.outline.source)
    before = [] if force else installed_versions(target.parent, data["id"])
    if before:  # the same id imported again: a new version beside the old one
        previous = max(before, key=lambda f: f.version)
        if same_text(data, previous):
            plan.unchanged = previous
            return plan
        done.result.data, plan.decided = as_new_version(data, previous)
        plan.previous = previous
        plan.target = target.with_name(f"{target.stem}-v{previous.version + 1}{target.suffix}")
        if plan.target.exists():
            raise InputError(
                f"{plan.target} exists; move it away, or use --force to replace {target.name}"
            )
        plan.text, plan.framework = checked_text(done, file_name=plan.target.name)
    elif target.exists() and not force:
        raise InputError(f"{target} exists; use --force to replace it, or -o another file")
    return plan


def write_import(plan: Plan, *, modes: Any = atomic.PRIVATE) -> Path:
    """Write a planned import (its folder made if new) and the mapping beside it."""
    if plan.refusal or plan.unchanged is not None:
        raise InputError("nothing to write: " + (plan.refusal or "the text is installed"))
    folder = plan.target.parent
    if str(folder) and not folder.exists():
        atomic.make_folder(folder, modes)
    atomic.write_file(plan.target, plan.text, modes=modes)
    data = {"source": plan.done.outline.source, **plan.done.mapping.to_data()}
    text = (
        "# How `coach frameworks import` read this ladder; used again when it is "
        "imported again.\n" + safeyaml.dump(data)
    )
    atomic.write_file(mapping_path(folder, plan.framework.id), text, modes=modes)
    return plan.target
