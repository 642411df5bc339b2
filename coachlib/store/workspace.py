"""The workspace: a folder of plain files that holds a coach's journals and notebooks.

Layout (docs/workspace.md describes it for people)::

    <workspace>/
      workspace.yaml                       optional settings (``shared: true``)
      journal/<coachee-slug>/.coachee      the coachee's exact name (claims the slug)
      journal/<coachee-slug>/<stamp>-<framework>-<role>.yaml   one saved review each
      home.ipynb, session_log.ipynb        the coach's notebooks (``coach init``)
      workbooks/<coachee-slug>/...ipynb    session notebooks made by ``coach new``
      reports/<coachee-slug>-<date>.html   exported summaries
      inbox/, outbox/                      packs coming back, packs going out
      frameworks/                          workspace-local frameworks

A reflection pack is a workspace of one coachee, with ``reflection.ipynb`` at its top.

Which workspace: ``--workspace`` / an explicit argument, else ``$COACH_WORKSPACE``, else
``./coaching``. Journals are private: new folders and files are readable by their owner only,
unless ``workspace.yaml`` says ``shared: true`` (then the owner's group may read and write).
"""

from __future__ import annotations

import difflib
import os
import stat
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..model import names, safeyaml
from ..model.errors import Diagnostic, InputError, WorkspaceError, quote
from . import atomic
from .atomic import PRIVATE, SHARED, TEMP_PREFIX, Modes
from .records import NAME_MARKER, first_coachee_in, first_team_in, read_bytes

ENV_VAR = "COACH_WORKSPACE"
DEFAULT_FOLDER = "coaching"
TEAM_MARKER = ".team"
SETTINGS_FILE = "workspace.yaml"
JOURNAL = "journal"  # the folder of every coachee's records
BLOCKS = "blocks"  # in a team's log folder: the coach's syntheses of its blocks
INBOX = "inbox"  # packs that came back, for `coach collect`
OUTBOX = "outbox"  # packs made by `coach share`, to hand out
HOME_NOTEBOOK = "home.ipynb"
SESSION_LOG_NOTEBOOK = "session_log.ipynb"
REFLECTION_NOTEBOOK = "reflection.ipynb"  # at the top of a coachee's reflection pack
MAX_MARKER_BYTES = 4096
__all__ = ["NAME_MARKER", "PRIVATE", "SHARED", "TEMP_PREFIX", "Modes", "Workspace"]


@dataclass(frozen=True)
class Setting:
    """One setting of ``workspace.yaml``: its name, default, type and meaning."""

    name: str
    default: object
    kind: type
    help: str


SETTINGS = (
    Setting(
        "shared",
        False,
        bool,
        "true: new files and folders are readable and writable by the owner's group (a "
        "workspace a team shares); false (the default): by their owner only",
    ),
    Setting(
        "coach",
        "",
        str,
        "your name, as the coach who keeps this workspace: the author of the sessions you "
        "log when neither --author nor $COACH_AUTHOR says otherwise (else your login name)",
    ),
)
"""Every setting there is: validation, ``coach doctor`` and the README all read this list."""


def enclosing_workspace(path: str | os.PathLike[str]) -> Path | None:
    """The coach's workspace that holds ``path``: the nearest folder above it (links
    resolved) with a ``workspace.yaml`` or a ``journal/`` folder, whatever the current
    folder or the settings say; None if there is none.

    Serving a pack to a guest from inside a workspace would hand them every coachee's
    journal through the kernel, so the pack's own place decides, not how it was named."""
    for folder in Path(path).resolve().parents:
        if (folder / SETTINGS_FILE).is_file() or (folder / JOURNAL).is_dir():
            return folder
    return None


def resolve_root(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The workspace folder the user means (not yet checked to exist)."""
    if explicit not in (None, ""):
        return Path(explicit).expanduser()
    from_env = os.environ.get(ENV_VAR, "").strip()
    if from_env:
        return Path(from_env).expanduser()
    return Path(DEFAULT_FOLDER)


class Workspace:
    """A workspace folder; the only place that knows the layout above."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    # -- opening -------------------------------------------------------------------------

    @classmethod
    def open(
        cls, explicit: str | os.PathLike[str] | None = None, *, create: bool = False
    ) -> Workspace:
        """The workspace the user means; with ``create`` it may not exist yet.

        Nothing is made here: a new workspace's folder is made by its first write, so a
        command refused for bad input leaves nothing behind. Raises WorkspaceError for a
        missing workspace (without ``create``), one whose parent folder does not exist (a
        typo, most likely), or a file in the way.
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
        return cls(root)

    def __repr__(self) -> str:
        return f"Workspace({str(self.root)!r})"

    # -- layout --------------------------------------------------------------------------

    @property
    def journal_dir(self) -> Path:
        return self.root / JOURNAL

    @property
    def workbooks_dir(self) -> Path:
        return self.root / "workbooks"

    @property
    def reports_dir(self) -> Path:
        return self.root / "reports"

    @property
    def log_dir(self) -> Path:
        """The session log: one folder per team, one file per logged session."""
        return self.root / "log"

    def block_summaries_folder(self, team_slug: str) -> Path:
        """The coach's syntheses of a team's coaching blocks (``log/<slug>/blocks/``): one
        file per save, beside the sessions they sum up; never read as sessions."""
        return self.log_dir / team_slug / BLOCKS

    @property
    def frameworks_dir(self) -> Path:
        return self.root / "frameworks"

    @property
    def drafts_dir(self) -> Path:
        return self.root / "drafts"

    @property
    def settings_file(self) -> Path:
        return self.root / SETTINGS_FILE

    @property
    def inbox_dir(self) -> Path:
        """Packs that came back (folders or zips), read by ``coach collect``."""
        return self.root / INBOX

    @property
    def outbox_dir(self) -> Path:
        """Packs ``coach share`` made, to hand out."""
        return self.root / OUTBOX

    @property
    def home_notebook(self) -> Path:
        return self.root / HOME_NOTEBOOK

    @property
    def session_log_notebook(self) -> Path:
        return self.root / SESSION_LOG_NOTEBOOK

    @property
    def reflection_notebook(self) -> Path:
        """The notebook of a reflection pack (a pack is a workspace of one coachee)."""
        return self.root / REFLECTION_NOTEBOOK

    # -- settings and permissions --------------------------------------------------------

    @cached_property
    def _settings(self) -> tuple[dict[str, object], tuple[Diagnostic, ...]]:
        path = self.settings_file
        if not path.is_file():
            return {}, ()
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise WorkspaceError(f"cannot read: {exc}", file=path) from None
        data = safeyaml.parse(text, file=path, error=WorkspaceError)
        if data is None:
            return {}, ()
        if not isinstance(data, dict):
            raise WorkspaceError("expected settings such as `shared: true`", file=path, line=1)
        known = {setting.name: setting for setting in SETTINGS}
        warnings = []
        for key in data:
            if key not in known:
                close = difflib.get_close_matches(str(key), list(known), n=1)
                warnings.append(
                    Diagnostic(
                        f"unknown setting {quote(key)}, ignored"
                        + (f" (did you mean {close[0]!r}?)" if close else ""),
                        file=str(path),
                        line=safeyaml.line_of(text, [key]),
                        severity="warning",
                        hint="settings: " + ", ".join(known),
                    )
                )
        for name, setting in known.items():
            value = data.get(name, setting.default)
            if not isinstance(value, setting.kind):
                raise WorkspaceError(
                    f"expected {'true or false' if setting.kind is bool else 'a name'}, "
                    f"got {quote(value)}",
                    file=path,
                    line=safeyaml.line_of(text, [name]),
                    field=name,
                )
        return {name: data[name] for name in known if name in data}, tuple(warnings)

    @property
    def settings(self) -> dict[str, object]:
        """The settings in ``workspace.yaml`` (WorkspaceError if the file is broken)."""
        return self._settings[0]

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        """Unknown settings (a typo such as ``shraed: true``), to be shown to the person."""
        return self._settings[1]

    @property
    def shared(self) -> bool:
        return bool(self.settings.get("shared", False))

    def default_author(self) -> str:
        """Who logs a session when nobody says: ``$COACH_AUTHOR``, else the workspace's
        ``coach`` setting, else "" (the caller's own fallback). A server's login name is
        often ``root`` or ``jovyan``: no name for a report a sponsor reads."""
        named = os.environ.get("COACH_AUTHOR", "").strip() or str(self.settings.get("coach", ""))
        return names.clean_name(named, "author name") if named.strip() else ""

    @property
    def modes(self) -> Modes:
        return SHARED if self.shared else PRIVATE

    def make_folder(self, path: Path) -> Path:
        """Make a folder (and missing parents inside the workspace) with the workspace's mode."""
        return atomic.make_folder(path, self.modes)

    def write_file(self, path: Path, data: bytes | str, *, replace: bool = True) -> Path:
        """Write a whole file atomically, with the workspace's modes (see ``store.atomic``)."""
        self.make_folder(path.parent)
        return atomic.write_file(path, data, modes=self.modes, replace=replace)

    def write_new_file(self, folder: Path, candidates: Iterable[str], data: bytes | str) -> Path:
        """Write ``data`` under the first free name of ``candidates``; never overwrite."""
        return atomic.write_new_file(folder, candidates, data, modes=self.modes)

    # -- coachees ------------------------------------------------------------------------

    def coachee_slug(self, name: str, *, create: bool = False) -> str | None:
        """The folder slug of a coachee, or None if unknown (and not ``create``).

        The first free slug claims its folder with a ``.coachee`` file holding the exact
        name, so two different names never share a folder: "Ada Lovelace" and
        "ada lovelace" get ``ada-lovelace`` and ``ada-lovelace-2``.
        """
        name = names.clean_name(name, "coachee name")
        return self._slug(
            name, "coachees", self.journal_dir, NAME_MARKER, self._folder_owner, create=create
        )

    def _slug(
        self,
        name: str,
        plural: str,
        parent: Path,
        marker: str,
        owner_of: Callable[[Path], str | None],
        *,
        create: bool,
    ) -> str | None:
        """The folder under ``parent`` that belongs to ``name`` (coachees and teams alike):
        ``slugify(name)``, then ``-2``, ``-3``… past folders of others. A free place (no
        folder, or a folder of nobody's) is claimed with ``marker`` holding the exact name
        when ``create``; a file or link in the way is passed over."""
        base = names.slugify(name)
        for number in range(1, 1000):
            slug = base if number == 1 else f"{base}-{number}"
            folder = parent / slug
            owner = owner_of(folder)
            if owner == name:
                return slug
            in_the_way = os.path.lexists(folder) and (folder.is_symlink() or not folder.is_dir())
            if owner is None and not in_the_way:
                if not create:
                    return None
                if self._claim(folder, name, marker):
                    return slug
                if owner_of(folder) == name:  # claimed by a concurrent writer
                    return slug
        raise InputError(f"too many {plural} whose names make the slug {base!r}")

    def _folder_owner(self, folder: Path) -> str | None:
        """The coachee name a journal folder belongs to, or None if the folder is free."""
        marker = folder / NAME_MARKER
        if os.path.lexists(marker):
            return read_marker(marker)
        if not folder.is_dir() or folder.is_symlink():
            return None
        # A folder without a marker (copied by hand): its records say whose it is.
        return first_coachee_in(folder)

    def _claim(self, folder: Path, name: str, marker: str = NAME_MARKER) -> bool:
        """Create the folder with its marker, atomically; False if someone else was first."""
        self.make_folder(folder)
        try:
            self.write_file(folder / marker, name + "\n", replace=False)
        except FileExistsError:
            return False
        return True

    def team_slug(self, name: str, *, create: bool = False) -> str | None:
        """The log folder of a team (``log/<slug>``, claimed by a marker holding the exact
        name, as coachee folders are), or None if unknown (and not ``create``).

        A folder whose marker is missing or broken still belongs to the team its sessions
        name (:meth:`team_owner`): a marker deleted or replaced by hand never hides a team.
        """
        name = names.clean_name(name, "team name")
        return self._slug(name, "teams", self.log_dir, TEAM_MARKER, self.team_owner, create=create)

    def team_owner(self, folder: Path) -> str | None:
        """The team a log folder belongs to: its ``.team`` marker, unless the marker is
        missing, not a small plain file, or names a team other than the folder's sessions
        do; then the team its first readable session names. None for a free folder."""
        if not folder.is_dir() or folder.is_symlink():
            return None
        marked = team_marker_problem(folder)[0]
        first = first_team_in(folder)
        if marked is not None and first in (None, marked):
            return marked
        return first or marked

    def require_team_slug(self, name: str) -> str:
        """The log folder of a team that has one; InputError naming the teams otherwise."""
        slug = self.team_slug(name)
        if slug is None:
            close = self.similar_teams(name)
            if close:
                raise InputError(
                    f"no team called {name!r} in the session log; did you mean "
                    f"{' or '.join(map(repr, close))}?",
                    field="team",
                )
            listed = ", ".join(self.teams().values()) or "none logged yet"
            raise InputError(
                f"no team called {name!r} in the session log (teams: {listed})", field="team"
            )
        return slug

    def similar_teams(self, name: str) -> list[str]:
        """The other teams whose names differ from ``name`` only in case, accents, spacing
        or punctuation ("payments", "Paymënts" for "Payments"): most likely the same team
        typed another way, which would otherwise start a second log of its own."""
        name = names.clean_name(name, "team name")
        return [
            team for team in self.teams().values() if team != name and _same_when_folded(team, name)
        ]

    def teams(self) -> dict[str, str]:
        """Every team with a log folder: slug -> name, sorted by name; a name found in
        two folders (a marker copied by hand) is listed once."""
        found: dict[str, str] = {}
        if self.log_dir.is_dir():
            for folder in sorted(self.log_dir.iterdir()):
                if folder.name.startswith("."):
                    continue
                owner = self.team_owner(folder)
                if owner and owner not in found.values():
                    found[folder.name] = owner
        return dict(sorted(found.items(), key=lambda item: (item[1].casefold(), item[0])))

    def coachees(self) -> dict[str, str]:
        """Every coachee with a journal folder: slug -> name, sorted by name."""
        found: dict[str, str] = {}
        if not self.journal_dir.is_dir():
            return found
        with os.scandir(self.journal_dir) as entries:  # a folder's kind without a stat
            for entry in entries:
                if entry.is_dir(follow_symlinks=False) and not entry.name.startswith("."):
                    owner = self._folder_owner(Path(entry.path))
                    if owner:
                        found[entry.name] = owner
        return dict(sorted(found.items(), key=lambda item: (item[1].casefold(), item[0])))

    def check_new_coachee(self, name: str, *, new_coachee: bool = False) -> None:
        """Refuse a new name that looks like a typo of a known coachee ("Ada Lovelance"
        for "Ada Lovelace"), unless ``new_coachee`` says it is somebody new: a typo would
        otherwise become a person in every list, page and error message."""
        name = names.clean_name(name, "coachee name")
        if new_coachee or self.coachee_slug(name) is not None:
            return
        known = list(self.coachees().values())
        folded = {" ".join(person.casefold().split()): person for person in known}
        close = difflib.get_close_matches(name.casefold(), list(folded), n=1, cutoff=0.85)
        if close:
            raise InputError(
                f"no coachee called {name!r} yet; did you mean {folded[close[0]]!r}?",
                hint="give --new-coachee to add a new person with this name",
            )

    def require_coachee_slug(self, name: str) -> str:
        slug = self.coachee_slug(name)
        if slug is None:
            known = ", ".join(self.coachees().values()) or "none yet"
            raise InputError(f"no coachee called {name!r} in {self.root} (known: {known})")
        return slug

    def require_coachees(
        self, chosen: list[str], *, known: dict[str, str] | None = None
    ) -> list[str]:
        """The names as given, each a coachee of this workspace (InputError naming the first
        that is not); ``known`` is ``coachees()`` when the caller has it already."""
        if not chosen:  # nobody to check: reading every coachee's folder would be wasted
            return chosen
        everyone = set((known if known is not None else self.coachees()).values())
        for name in chosen:
            if name not in everyone:
                listed = ", ".join(sorted(everyone, key=str.casefold)) or "none yet"
                raise InputError(f"no coachee called {name!r} in {self.root} (known: {listed})")
        return chosen

    def relative(self, path: Path) -> str:
        """A path inside the workspace, as the user would type it from here."""
        try:
            return os.path.relpath(path)
        except ValueError:
            return str(path)


def _folded(name: str) -> str:
    """A name without case, accents, spacing or punctuation, in any script."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if c.isalnum())


def _same_when_folded(one: str, other: str) -> bool:
    return _folded(one) == _folded(other) or names.slugify(one) == names.slugify(other)


def team_marker_problem(folder: Path) -> tuple[str | None, str | None]:
    """A log folder's ``.team`` marker: (the name it holds, or None) and what is wrong
    with it (None when it is a small plain file holding a name)."""
    marker = folder / TEAM_MARKER
    try:
        info = os.lstat(marker)
    except FileNotFoundError:
        return None, f"no {TEAM_MARKER} file"
    except OSError as exc:
        return None, f"cannot read its {TEAM_MARKER} file: {exc.strerror}"
    if stat.S_ISLNK(info.st_mode):
        return None, f"its {TEAM_MARKER} file is a symbolic link: not followed"
    if not stat.S_ISREG(info.st_mode):
        return None, f"its {TEAM_MARKER} file is not a plain file"
    if info.st_size > MAX_MARKER_BYTES:
        return None, (
            f"its {TEAM_MARKER} file holds {info.st_size:,} bytes, over the "
            f"limit of {MAX_MARKER_BYTES:,} for a name: not read"
        )
    name = read_marker(marker)
    if name is None:
        return None, f"its {TEAM_MARKER} file holds no name (empty, or not UTF-8)"
    return name, None


def read_marker(marker: Path) -> str | None:
    """The name in a ``.coachee`` file, cleaned as every name is (a marker edited by hand
    may hold decomposed accents); None for one that is not a small regular file holding a
    name."""
    try:
        text = read_bytes(marker, limit=MAX_MARKER_BYTES, error=InputError).decode("utf-8")
        # the line's end off first: a plain name then takes clean_name's quick path
        return names.clean_name(text.removesuffix("\n"))
    except (UnicodeDecodeError, InputError):
        return None
