"""The exchange: folders where packs go out to coachees and come back, on a shared server.

On a JupyterHub (``deploy/jupyterhub/``) every person is a Unix user with a home of their
own that nobody else can enter, so a pack cannot simply be handed over. The exchange is
one folder per coachee under one root, and the operating system keeps the walls::

    <root>/                     root:root 0755   (lists user names only, as /etc/passwd does)
      <user>/                   root:<pair> 0750 (the coachee and their coach, nobody else)
        coachee.yaml            root:<pair> 0640 user, name, coach: written by the admin tool
        outbound/               <coach>:<pair> 2750   the coach writes packs, the coachee reads
        inbound/                <user>:<pair> 2750    the coachee hands in, the coach reads

``<pair>`` is a Unix group holding exactly that coachee and their coach. A coachee cannot
enter another coachee's folder at all (not list, not read by full path), and cannot write
into their own ``outbound/``; the coach cannot write into ``inbound/``. Files are written
0640, so the pair group reads them and nobody else.

What comes through the exchange is still untrusted input: ``coachee.yaml`` is read with
the safe loader and checked, a received pack is unpacked with the checks of
``packs.unpack_zip``, and a hand-in is collected like any returned pack, with one more
rule: the pack must name the coachee whose folder it came from (only that Unix user can
write there).
"""

from __future__ import annotations

import functools
import os
import pwd
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import names, safeyaml
from ..model.errors import CoachError, InputError
from ..model.pack import MANIFEST
from . import atomic
from .packs import JOURNAL, unpack_zip

if TYPE_CHECKING:
    from ..model.frameworks import Catalog
    from .collect import CollectReport
    from .workspace import Workspace

ENVIRONMENT = "COACHLIB_EXCHANGE"  # set for every single-user server by the hub's config
PROFILE = "coachee.yaml"
OUTBOUND, INBOUND = "outbound", "inbound"
HANDED = atomic.Modes(folder=0o750, file=0o640)  # the pair group reads, nobody else
PACKS = "packs"  # where a coachee's received packs go, in their home


@dataclass(frozen=True)
class ExchangeFolder:
    """One coachee's folder in the exchange, as the admin tool described it."""

    path: Path
    user: str  # the coachee's Unix user name
    name: str  # the name the coach's journal knows them by
    coach: str  # the coach's Unix user name

    @property
    def outbound(self) -> Path:
        return self.path / OUTBOUND

    @property
    def inbound(self) -> Path:
        return self.path / INBOUND

    def matches(self, coachee: str) -> bool:
        wanted = names.slugify(coachee)
        return wanted in (names.slugify(self.name), names.slugify(self.user))


def exchange_root(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The exchange's root: ``explicit``, else ``$COACHLIB_EXCHANGE`` (InputError if none)."""
    value = os.fspath(explicit) if explicit else os.environ.get(ENVIRONMENT, "")
    if not value:
        raise InputError(
            "no exchange: this is not a coaching server with an exchange folder",
            hint=f"give --exchange DIR, or set {ENVIRONMENT} (the hub's config does)",
        )
    root = Path(value)
    if not root.is_dir():
        raise InputError(
            "the exchange folder does not exist", file=root,
            hint="the server's admin makes it: deploy/jupyterhub/README.md",
        )  # fmt: skip
    return root


def configured() -> bool:
    """Whether this process runs with an exchange (on the hub); decides what forms show."""
    value = os.environ.get(ENVIRONMENT, "")
    return bool(value) and Path(value).is_dir()


def current_user() -> str:
    return pwd.getpwuid(os.geteuid()).pw_name


def folders(root: Path) -> Iterator[ExchangeFolder]:
    """Every coachee folder of the exchange this user may enter, in name order.

    The folders of other people's coachees cannot be entered: they are skipped, silently,
    because not seeing them is the point.
    """
    try:
        entries = sorted(os.scandir(root), key=lambda entry: entry.name)
    except OSError as exc:
        raise atomic.storage_error(exc, root, "read the exchange") from None
    for entry in entries:
        if entry.name.startswith(".") or not entry.is_dir(follow_symlinks=False):
            continue
        folder = read_folder(Path(entry.path))
        if folder is not None:
            yield folder


def read_folder(path: Path) -> ExchangeFolder | None:
    """The folder at ``path`` if this user may read it and its profile is sound."""
    profile = path / PROFILE
    try:
        info = profile.lstat()
    except OSError:
        return None  # another pair's folder: not ours to see
    if not stat.S_ISREG(info.st_mode) or info.st_size > 10_000:
        return None
    return _read_profile(path, info.st_mtime_ns, info.st_size)


@functools.lru_cache(maxsize=4096)
def _read_profile(path: Path, _mtime_ns: int, _size: int) -> ExchangeFolder | None:
    """One profile, parsed once while it is unchanged (handing out to 50 coachees looks
    each up among all 50)."""
    profile = path / PROFILE
    try:
        text = profile.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    try:
        data = safeyaml.parse(text, file=profile, error=InputError)
    except CoachError:
        return None
    if not isinstance(data, dict):
        return None
    fields = {key: data.get(key) for key in ("user", "name", "coach")}
    if not all(isinstance(value, str) and value.strip() for value in fields.values()):
        return None
    if fields["user"] != path.name:
        return None  # a profile copied from another folder: not trusted
    try:  # the name as the journal and the packs record it
        name = names.clean_name(fields["name"], "coachee name")
    except InputError:
        return None
    return ExchangeFolder(path=path, user=fields["user"], name=name,
                          coach=fields["coach"])  # fmt: skip


def folder_for(root: Path, coachee: str) -> ExchangeFolder:
    """The exchange folder of ``coachee`` (by the name the journal uses, or user name)."""
    found = [folder for folder in folders(root) if folder.matches(coachee)]
    if not found:
        raise InputError(
            f"{coachee!r} has no exchange folder you can use", file=root,
            hint="the server's admin adds a coachee with `coach-hub add-coachee`; "
            "ask them to make you that coachee's coach",
        )  # fmt: skip
    return found[0]


def own_folder(root: Path, user: str | None = None) -> ExchangeFolder:
    """The exchange folder of the user running this (a coachee handing in or receiving)."""
    user = user or current_user()
    folder = read_folder(root / user)
    if folder is None:
        raise InputError(f"you ({user}) have no folder in the exchange", file=root,
                         hint="ask your coach or the server's admin to add you")  # fmt: skip
    return folder


def hand_ins(root: Path) -> list[tuple[Path, ExchangeFolder]]:
    """Every handed-in pack this user may read, with the folder it came from."""
    found = []
    for folder in folders(root):
        try:
            found += [(path, folder) for path in _zips(folder.inbound)]
        except OSError:
            continue
    return found


def _zips(folder: Path) -> list[Path]:
    """The packs in an exchange folder, in name order (a temporary file being written is
    hidden, and is not one)."""
    return sorted(p for p in folder.iterdir() if p.suffix == ".zip" and not p.name.startswith("."))


def receive(root: Path, dest: Path, *, user: str | None = None) -> list[Path]:
    """Unpack every pack waiting in the user's ``outbound/`` that is not in ``dest`` yet.

    A pack already received is left as it is: the coachee may have written in it.
    Returns the new pack folders.
    """
    atomic.make_folder(dest)  # there to open even before the first pack
    folder = own_folder(root, user)
    try:
        waiting = _zips(folder.outbound)
    except OSError as exc:
        raise atomic.storage_error(exc, folder.outbound, "read the exchange") from None
    new = []
    for pack in waiting:
        target = dest / pack.stem
        if target.exists():
            continue
        unpack_zip(pack, target)
        new.append(target)
    return new


def hand_in(pack: Path, root: Path, *, user: str | None = None) -> Path:
    """Put the pack's manifest and journal into the user's ``inbound/``, as one zip.

    Only what ``coach collect`` reads goes (``pack.yaml`` and ``journal/``): drafts and
    anything else the coachee keeps in the folder stay with them. Handing in again
    replaces the earlier hand-in whole (collecting is idempotent, so nothing is lost).
    """
    import io
    import zipfile

    folder = own_folder(root, user)
    if not (pack / MANIFEST).is_file():
        raise InputError("not a reflection pack (no pack.yaml)", file=pack)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.write(pack / MANIFEST, f"{pack.name}/{MANIFEST}")
        journal = pack / JOURNAL
        for path in sorted(journal.rglob("*")) if journal.is_dir() else []:
            if path.is_file() and not path.is_symlink() and not path.name.startswith("."):
                archive.write(path, f"{pack.name}/{path.relative_to(pack).as_posix()}")
    target = folder.inbound / f"{pack.name}.zip"
    return atomic.write_file(target, buffer.getvalue(), modes=HANDED)


def collect_hand_ins(
    workspace: Workspace,
    root: Path,
    *,
    catalog: Catalog,
    dry_run: bool = False,
    packs: list[Path] | None = None,
) -> CollectReport:
    """``coach collect --from-exchange``: every hand-in this coach may read, each vouched
    for by the folder it was in, with any other ``packs`` in the same run."""
    from .collect import collect

    found = hand_ins(root)
    sources = [*(packs or []), *(path for path, _ in found)]
    return collect(workspace, sources, catalog=catalog, dry_run=dry_run,
                   vouched={path: folder.name for path, folder in found})  # fmt: skip
