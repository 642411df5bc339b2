"""The workspace: a folder of plain files that holds a coach's journals and notebooks.

Layout (see ARCHITECTURE.md)::

    <workspace>/
      workspace.yaml                       optional settings (``shared: true``)
      journal/<coachee-slug>/.coachee      the coachee's exact name (claims the slug)
      journal/<coachee-slug>/<stamp>-<framework>-<role>.yaml   one saved review each
      workbooks/<coachee-slug>/...ipynb    session notebooks made by ``coach new``
      reports/<coachee-slug>-<date>.html   exported summaries
      frameworks/                          workspace-local frameworks

Which workspace: ``--workspace`` / an explicit argument, else ``$COACH_WORKSPACE``, else
``./coaching``. Journals are private: new folders and files are readable by their owner only,
unless ``workspace.yaml`` says ``shared: true`` (then the owner's group may read and write).
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from . import names, yamlio
from .errors import InputError, WorkspaceError

ENV_VAR = "COACH_WORKSPACE"
DEFAULT_FOLDER = "coaching"
SETTINGS_FILE = "workspace.yaml"
NAME_MARKER = ".coachee"
TEMP_PREFIX = ".tmp-"


def resolve_root(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The workspace folder the user means (not yet checked to exist)."""
    if explicit not in (None, ""):
        return Path(explicit).expanduser()
    from_env = os.environ.get(ENV_VAR, "").strip()
    if from_env:
        return Path(from_env).expanduser()
    return Path(DEFAULT_FOLDER)


@dataclass(frozen=True)
class Modes:
    """File and folder permissions for new things in a workspace."""

    folder: int
    file: int


PRIVATE = Modes(folder=0o700, file=0o600)
SHARED = Modes(folder=0o770, file=0o660)


class Workspace:
    """A workspace folder; the only place that knows the layout above."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    # -- opening -------------------------------------------------------------------------

    @classmethod
    def open(
        cls, explicit: str | os.PathLike[str] | None = None, *, create: bool = False
    ) -> Workspace:
        """The workspace the user means; with ``create`` make it if it is missing.

        Raises WorkspaceError for a missing workspace (without ``create``), or one whose
        parent folder does not exist (a typo, most likely), or a file in the way.
        """
        root = resolve_root(explicit)
        if root.exists() and not root.is_dir():
            raise WorkspaceError("is a file, not a workspace folder", file=root)
        if not root.exists():
            if not create:
                raise WorkspaceError(
                    "no workspace here (make one with `coach new` or `coach demo`, "
                    f"or point --workspace or ${ENV_VAR} at an existing one)",
                    file=root,
                )
            parent = root.absolute().parent
            if not parent.is_dir():
                raise WorkspaceError(f"cannot make a workspace: {parent} does not exist", file=root)
            workspace = cls(root)
            workspace.make_folder(root)
            return workspace
        return cls(root)

    def __repr__(self) -> str:
        return f"Workspace({str(self.root)!r})"

    # -- layout --------------------------------------------------------------------------

    @property
    def journal_dir(self) -> Path:
        return self.root / "journal"

    @property
    def workbooks_dir(self) -> Path:
        return self.root / "workbooks"

    @property
    def reports_dir(self) -> Path:
        return self.root / "reports"

    @property
    def frameworks_dir(self) -> Path:
        return self.root / "frameworks"

    # -- settings and permissions --------------------------------------------------------

    @cached_property
    def settings(self) -> dict[str, object]:
        path = self.root / SETTINGS_FILE
        if not path.is_file():
            return {}
        data = yamlio.parse(path.read_text(encoding="utf-8"), file=path, error=WorkspaceError)
        if data is None:
            return {}
        if not isinstance(data, dict):
            raise WorkspaceError("expected a mapping such as `shared: true`", file=path, line=1)
        shared = data.get("shared", False)
        if not isinstance(shared, bool):
            raise WorkspaceError(
                f"expected true or false, got {shared!r}", file=path, field="shared"
            )
        return data

    @property
    def shared(self) -> bool:
        return bool(self.settings.get("shared", False))

    @property
    def modes(self) -> Modes:
        return SHARED if self.shared else PRIVATE

    def make_folder(self, path: Path) -> Path:
        """Make a folder (and missing parents inside the workspace) with the workspace's mode."""
        missing = []
        for candidate in (path, *path.parents):
            if candidate.exists():
                break
            missing.append(candidate)
        for folder in reversed(missing):
            with contextlib.suppress(FileExistsError):
                folder.mkdir(mode=self.modes.folder)
                if self.shared:  # group access must not depend on the user's umask
                    os.chmod(folder, self.modes.folder)
        return path

    def write_file(self, path: Path, data: bytes | str, *, replace: bool = True) -> Path:
        """Write a whole file atomically: to a temporary file beside it, then renamed in.

        With ``replace=False`` an existing file is never touched (FileExistsError).
        A crash leaves either the old file, the whole new file, or nothing, plus at most a
        stray ``.tmp-*`` file that loaders ignore and ``coach doctor`` cleans.
        """
        self.make_folder(path.parent)
        tmp = self._write_temp(path.parent, data)
        try:
            if replace:
                os.replace(tmp, path)
            else:
                _link_new(tmp, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        _fsync_folder(path.parent)
        return path

    def write_new_file(self, folder: Path, candidates: Iterable[str], data: bytes | str) -> Path:
        """Write ``data`` under the first free name of ``candidates``; never overwrite."""
        self.make_folder(folder)
        tmp = self._write_temp(folder, data)
        try:
            for name in candidates:
                target = folder / name
                try:
                    _link_new(tmp, target)
                except FileExistsError:
                    continue
                _fsync_folder(folder)
                return target
            raise WorkspaceError("no free file name left", file=folder)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)

    def _write_temp(self, folder: Path, data: bytes | str) -> Path:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        tmp = folder / f"{TEMP_PREFIX}{secrets.token_hex(8)}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, self.modes.file)
        try:
            view = memoryview(raw)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
            if self.shared:
                os.fchmod(fd, self.modes.file)
        finally:
            os.close(fd)
        return tmp

    # -- coachees ------------------------------------------------------------------------

    def coachee_slug(self, name: str, *, create: bool = False) -> str | None:
        """The folder slug of a coachee, or None if unknown (and not ``create``).

        The first free slug claims its folder with a ``.coachee`` file holding the exact
        name, so two different names never share a folder: "Ada Lovelace" and
        "ada lovelace" get ``ada-lovelace`` and ``ada-lovelace-2``.
        """
        name = names.clean_name(name, "coachee name")
        base = names.slugify(name)
        for number in range(1, 1000):
            slug = base if number == 1 else f"{base}-{number}"
            folder = self.journal_dir / slug
            owner = self._folder_owner(folder)
            if owner == name:
                return slug
            if owner is None:
                if not create:
                    return None
                if self._claim(folder, name):
                    return slug
                if self._folder_owner(folder) == name:  # claimed by a concurrent writer
                    return slug
        raise InputError(f"too many coachees whose names make the slug {base!r}")

    def _folder_owner(self, folder: Path) -> str | None:
        """The coachee name a journal folder belongs to, or None if the folder is free."""
        marker = folder / NAME_MARKER
        try:
            return marker.read_text(encoding="utf-8").strip() or None
        except FileNotFoundError:
            pass
        if not folder.is_dir():
            return None
        # A folder without a marker (copied by hand): its records say whose it is.
        from .journal import first_coachee_in  # journal imports workspace

        return first_coachee_in(folder)

    def _claim(self, folder: Path, name: str) -> bool:
        """Create the folder with its marker, atomically; False if someone else was first."""
        self.make_folder(folder)
        try:
            self.write_file(folder / NAME_MARKER, name + "\n", replace=False)
        except FileExistsError:
            return False
        return True

    def coachees(self) -> dict[str, str]:
        """Every coachee with a journal folder: slug -> name, sorted by name."""
        found: dict[str, str] = {}
        if not self.journal_dir.is_dir():
            return found
        for folder in self.journal_dir.iterdir():
            if folder.is_dir() and not folder.name.startswith("."):
                owner = self._folder_owner(folder)
                if owner:
                    found[folder.name] = owner
        return dict(sorted(found.items(), key=lambda item: (item[1].casefold(), item[0])))

    def require_coachee_slug(self, name: str) -> str:
        slug = self.coachee_slug(name)
        if slug is None:
            known = ", ".join(self.coachees().values()) or "none yet"
            raise InputError(f"no coachee called {name!r} in {self.root} (known: {known})")
        return slug

    def relative(self, path: Path) -> str:
        """A path inside the workspace, as the user would type it from here."""
        try:
            return os.path.relpath(path)
        except ValueError:
            return str(path)


def _link_new(source: Path, target: Path) -> None:
    """Give ``source`` the name ``target`` only if nothing has that name (atomic)."""
    try:
        os.link(source, target)
    except FileExistsError:
        raise
    except OSError:
        # Filesystems without hard links: O_EXCL creation claims the name first.
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
        os.replace(source, target)


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
