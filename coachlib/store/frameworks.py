"""Framework files on disk: the built-in ones and a workspace's own ``frameworks/`` folder.

Each file is read, parsed and validated by the model (:func:`parse_framework`); one that
fails is recorded as a problem of the :class:`Registry` and skipped, so one broken file never
hides the others. A file is parsed once per process while its text is unchanged.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import cache
from pathlib import Path

from ..model.errors import ERROR, WARNING, CoachError, Diagnostic, FrameworkError
from ..model.frameworks import Framework, Registry, parse_framework
from ..model.guidance import Guidance, parse_guidance
from ..model.lint import Report, check_text
from ..model.resources import builtin_frameworks_dir
from ..model.schema import FRAMEWORK, GUIDANCE
from . import atomic
from . import cache as file_cache

FRAMEWORK_SUFFIXES = (".yaml", ".yml")
IMPORT_MAPPING_SUFFIX = ".import.yaml"  # how a ladder was read (beside it): not a framework
WORKSPACE_FOLDER = "frameworks"
GUIDANCE_FOLDER = "guidance"


def load_framework_file(path: str | Path) -> Framework:
    """Load and validate one framework file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FrameworkError("no such framework file", file=path) from None
    except UnicodeDecodeError as exc:
        raise FrameworkError(f"not UTF-8 text ({exc.reason})", file=path) from None
    except OSError as exc:
        raise FrameworkError(f"cannot read: {exc.strerror}", file=path) from None
    return _parse_cached(str(path), text)


@cache
def _parse_cached(path: str, text: str) -> Framework:
    """Keyed on the text itself: an edited file is validated again, an unchanged one not."""
    return parse_framework(text, path)


def framework_files(folder: Path) -> list[Path]:
    """The framework YAML files in a folder, sorted by name (an import's saved mapping,
    ``ID.import.yaml``, is no framework)."""
    if not folder.is_dir():
        return []
    return sorted(
        path
        for path in folder.iterdir()
        if path.suffix in FRAMEWORK_SUFFIXES
        and not path.name.startswith(".")
        and not path.name.endswith(IMPORT_MAPPING_SUFFIX)
    )


def search_path(workspace: str | Path | None = None) -> list[Path]:
    """Folders searched for frameworks: the built-in ones, then the workspace's own."""
    folders = [builtin_frameworks_dir()]
    if workspace is not None:
        folders.append(Path(workspace) / WORKSPACE_FOLDER)
    return folders


def load_registry(folders: Iterable[str | Path] | None = None) -> Registry:
    """Load every framework (and career guidance) in the folders.

    Versions of one id sit side by side. A file whose id and version are already
    installed (a workspace copy of a built-in framework, say) is refused with a message
    saying how to add it as a new version: never a silent replacement. A file that fails
    to load is recorded in ``Registry.problems`` and skipped.
    """
    _trust_validated()
    registry = Registry()
    guidance: dict[str, Guidance] = {}
    for folder in folders if folders is not None else search_path():
        for path in framework_files(Path(folder)):
            try:
                framework = load_framework_file(path)
                if not registry.holds(framework):  # a pack carries a copy of its text
                    registry.add(framework)
            except FrameworkError as problem:
                registry.problems.append(problem)
        for path in framework_files(Path(folder) / GUIDANCE_FOLDER):
            try:
                found = _guidance_cached(str(path), path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError) as exc:
                registry.problems.append(FrameworkError(f"cannot read: {exc}", file=path))
                continue
            except FrameworkError as problem:
                registry.problems.append(problem)
                continue
            if found.id in guidance and guidance[found.id].version >= found.version:
                registry.problems.append(
                    FrameworkError(
                        f"guidance {found.id!r} version {found.version} is already installed "
                        f"from {guidance[found.id].path}; give this file a higher `version`",
                        file=path,
                        field="version",
                    )
                )
                continue
            guidance[found.id] = found
    registry.guidance = list(guidance.values())
    _keep_validated()
    return registry


# The framework and guidance texts found valid before, by digest (``model.schema``): a
# process that loads the registry then checks only texts it has not seen valid, and never
# compiles the framework schema for the built-in ones (60 ms, more than reading them all).
# Digests only, in the user's private cache folder; deleting the file is always safe.
VALIDATED_FILE = "valid-texts.json"
VALIDATED_LIMIT = 2000  # digests kept per schema (a texts' editor makes a few a day)
REMEMBERED = {"frameworks": FRAMEWORK, "guidance": GUIDANCE}


@cache
def _trust_validated() -> None:
    """Once per process: trust the texts validated before."""
    try:
        data = json.loads((file_cache.user_cache_dir() / VALIDATED_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return
    if not isinstance(data, dict):
        return
    for key, schema in REMEMBERED.items():
        found = data.get(key)
        if isinstance(found, list):
            schema.trusted.update(d for d in found if isinstance(d, str) and len(d) == 64)


def _keep_validated() -> None:
    """Add the texts this process found valid to the file (when there are new ones)."""
    if all(schema.validated <= schema.trusted for schema in REMEMBERED.values()):
        return
    for schema in REMEMBERED.values():
        schema.trusted |= schema.validated
    data = {key: sorted(schema.trusted)[:VALIDATED_LIMIT] for key, schema in REMEMBERED.items()}
    with contextlib.suppress(OSError, CoachError):  # a failure only costs speed next time
        folder = atomic.make_folder(file_cache.user_cache_dir())
        atomic.write_file(folder / VALIDATED_FILE, json.dumps(data))


def load_registry_with(folders: Iterable[str | Path], files: list[Path]) -> Registry:
    """The frameworks of the folders plus some files being checked (which may be new
    versions of installed ids); only the files' own problems are kept."""
    registry = load_registry(folders)
    registry.problems = []
    loaded = {str(f.path.resolve()) for f in registry.all_versions() if f.path is not None}
    for path in files:
        if str(path.resolve()) in loaded:
            continue
        try:
            framework = load_framework_file(path)
            if not registry.holds(framework):
                registry.add(framework)
        except FrameworkError as problem:
            registry.problems.append(problem)
    return registry


@cache
def _guidance_cached(path: str, text: str) -> Guidance:
    return parse_guidance(text, path)


def registry_for(workspace: str | Path | None = None) -> Registry:
    """The registry a workspace sees: built-in frameworks plus its ``frameworks/`` folder."""
    return load_registry(search_path(workspace))


def check_file(path: str | Path, *, display: str | None = None) -> list[Diagnostic]:
    """Schema errors, lint warnings and documented defects of one framework file."""
    name = display or str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [Diagnostic(f"cannot read: {exc}", file=name, code="unreadable")]
    return check_text(text, name)


def check_files(
    paths: list[Path],
    *,
    display: Callable[[Path], str] = str,
    registry: Registry | None = None,
    only_these: bool = False,
) -> Report:
    """`coach frameworks check`: every finding of every file, and with a ``registry``
    what only the installed frameworks together can show (versions and their level
    mappings, refused duplicates, career guidance and its tracks)."""
    files = [display(path) for path in paths]
    findings = [
        finding
        for path, name in zip(paths, files, strict=True)
        for finding in check_file(path, display=name)
    ]
    if registry is not None:
        checked = {str(Path(path).resolve()) for path in paths}
        for problem in registry.problems:  # a file's own errors are reported above
            if (
                problem.file is None
                or str(Path(problem.file).resolve()) not in checked
                or (problem.field == "version")
            ):
                findings.append(_shown(problem.diagnostic, display))
        findings += [
            _shown(found, display)
            for found in check_versions(registry)
            if not only_these or str(Path(found.file or "").resolve()) in checked
        ]
    return Report(files, findings)


def _shown(diagnostic: Diagnostic, display: Callable[[Path], str]) -> Diagnostic:
    if diagnostic.file is None:
        return diagnostic
    return replace(diagnostic, file=display(Path(diagnostic.file)))


def _file(framework: Framework) -> str | None:
    return str(framework.path) if framework.path is not None else None


def check_versions(registry: Registry) -> list[Diagnostic]:
    """Each version's ``supersedes`` mapping covers every level of the version it names,
    onto levels of its own scale; a guidance reads tracks that are installed."""
    found: list[Diagnostic] = []
    for framework in registry.all_versions():
        installed = registry.versions[framework.id]
        older = [number for number in installed if number < framework.version]
        mapping = framework.supersedes
        if mapping is None:
            if older:
                found.append(
                    Diagnostic(
                        f"version {framework.version} of {framework.id!r} says nothing of how "
                        f"the levels of version {max(older)} map onto it: they are read as the "
                        "same numbers",
                        file=_file(framework),
                        field="supersedes",
                        severity=WARNING,
                        code="no-level-mapping",
                        hint=f"add `supersedes: {{version: {max(older)}, levels: [...]}}`",
                    )
                )
            continue
        if mapping.version not in installed:
            found.append(
                Diagnostic(
                    f"supersedes version {mapping.version} of {framework.id!r}, which is not "
                    "installed",
                    file=_file(framework),
                    field="supersedes.version",
                    severity=ERROR,
                    code="unknown-version",
                )
            )
            continue
        previous = installed[mapping.version]
        for level in previous.scale:
            if level.level not in mapping.levels:
                found.append(
                    Diagnostic(
                        f"level {level.level} ({level.name}) of version {mapping.version} is not "
                        "mapped: a review at that level would fall off the progress line",
                        file=_file(framework),
                        field="supersedes.levels",
                        severity=ERROR,
                        code="unmapped-level",
                    )
                )
        for old_level in mapping.levels:
            if old_level not in previous.levels:
                found.append(
                    Diagnostic(
                        f"level {old_level} is not on the scale of version {mapping.version} "
                        f"({previous.min_level}-{previous.max_level})",
                        file=_file(framework),
                        field="supersedes.levels",
                        severity=ERROR,
                        code="unknown-level",
                    )
                )
    for guidance in registry.guidance:
        for track in guidance.tracks:
            if track not in registry:
                found.append(
                    Diagnostic(
                        f"guidance {guidance.id!r} reads track {track!r}, which is not installed",
                        file=guidance.path,
                        field="tracks",
                        severity=ERROR,
                        code="unknown-track",
                    )
                )
            elif not registry.get(track).is_milestone_track:
                found.append(
                    Diagnostic(
                        f"guidance {guidance.id!r} reads {track!r}, which is not a milestone track",
                        file=guidance.path,
                        field="tracks",
                        severity=ERROR,
                        code="not-a-track",
                    )
                )
    return found
