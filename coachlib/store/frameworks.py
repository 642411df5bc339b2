"""Framework files on disk: the built-in ones and a workspace's own ``frameworks/`` folder.

Each file is read, parsed and validated by the model (:func:`parse_framework`); one that
fails is recorded as a problem of the :class:`Catalog` and skipped, so one broken file never
hides the others. A file is parsed once per process while its text is unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path

from ..model.errors import Diagnostic, FrameworkError
from ..model.frameworks import Catalog, Framework, parse_framework
from ..model.lint import Report, check_text
from ..model.resources import builtin_frameworks_dir

FRAMEWORK_SUFFIXES = (".yaml", ".yml")
WORKSPACE_FOLDER = "frameworks"


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
    """The framework YAML files in a folder, sorted by name."""
    if not folder.is_dir():
        return []
    return sorted(
        path
        for path in folder.iterdir()
        if path.suffix in FRAMEWORK_SUFFIXES and not path.name.startswith(".")
    )


def search_path(workspace: str | Path | None = None) -> list[Path]:
    """Folders searched for frameworks: the built-in ones, then the workspace's own."""
    folders = [builtin_frameworks_dir()]
    if workspace is not None:
        folders.append(Path(workspace) / WORKSPACE_FOLDER)
    return folders


def load_catalog(folders: Iterable[str | Path] | None = None) -> Catalog:
    """Load every framework in the folders; a later folder's id replaces an earlier one.

    A file that fails to load is recorded in ``Catalog.problems`` and skipped.
    """
    catalog = Catalog()
    for folder in folders if folders is not None else search_path():
        for path in framework_files(Path(folder)):
            try:
                framework = load_framework_file(path)
            except FrameworkError as problem:
                catalog.problems.append(problem)
                continue
            catalog.frameworks[framework.id] = framework
    return catalog


def catalog_for(workspace: str | Path | None = None) -> Catalog:
    """The catalog a workspace sees: built-in frameworks plus its ``frameworks/`` folder."""
    return load_catalog(search_path(workspace))


def check_file(path: str | Path, *, display: str | None = None) -> list[Diagnostic]:
    """Schema errors, lint warnings and documented defects of one framework file."""
    name = display or str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [Diagnostic(f"cannot read: {exc}", file=name, code="unreadable")]
    return check_text(text, name)


def check_files(paths: list[Path], *, display=str) -> Report:
    """`coach frameworks check`: every finding of every file."""
    files = [display(path) for path in paths]
    findings = [
        finding for path, name in zip(paths, files, strict=True)
        for finding in check_file(path, display=name)
    ]  # fmt: skip
    return Report(files, findings)
