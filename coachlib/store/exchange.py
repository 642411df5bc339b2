"""The exchange: folders where packs go out to coachees and come back, on a shared server.

On a JupyterHub (``deploy/jupyterhub/``) every person is a Unix user with a home of their
own that nobody else can enter, so a pack cannot simply be handed over. The exchange is
one folder per coachee under one root, and the operating system keeps the walls::

    <root>/                     root:root 0711   (nobody lists it: who is coached is not public)
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
``packs.unpack_zip``, and a hand-in is collected like any returned pack, with two more
rules: it is a regular zip file (a folder or a FIFO named ``x.zip`` is refused), and the
pack must name the coachee whose folder it came from (only that Unix user can write
there). Every file is read through ``records.open_regular`` (opened, then checked): the
other person can swap a file between a check and an open, so nothing is checked by name.

Receiving runs at every server start: a pack that cannot be unpacked is refused with one
line and the others are received, or one bad zip would keep every later pack away for
good. Handing in sends plain files only, within the limits collect enforces, so the pair
group never gets a copy of whatever a link in the pack pointed at.
"""

from __future__ import annotations

import contextlib
import functools
import grp
import os
import pwd
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

from ..model import names, safeyaml
from ..model.errors import CoachError, InputError, StorageError
from ..model.pack import MANIFEST, MAX_BYTES, MAX_ENTRIES, MAX_RECORDS
from . import atomic
from .packs import unpack_zip, wanted
from .records import LINK, read_bytes
from .workspace import JOURNAL

if TYPE_CHECKING:
    from ..model.frameworks import Registry
    from .collect import CollectReport
    from .workspace import Workspace

ENVIRONMENT = "COACHLIB_EXCHANGE"  # set for every single-user server by the hub's config
PROFILE = "coachee.yaml"
OUTBOUND, INBOUND = "outbound", "inbound"
HANDED = atomic.Modes(folder=0o750, file=0o640)  # the pair group reads, nobody else
PACKS = "packs"  # where a coachee's received packs go, in their home
PAIR_GROUP_PREFIX = "coachlib-"  # the admin tool's Unix group of a coachee and their coach
MAX_PROFILE_BYTES = 10_000
NOT_HANDED_IN = "a hand-in sends plain files within the pack limits: nothing was handed in"


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
            "the exchange folder does not exist",
            file=root,
            hint="the server's admin makes it: deploy/jupyterhub/README.md",
        )
    return root


def configured() -> bool:
    """Whether this process runs with an exchange (on the hub); decides what forms show."""
    value = os.environ.get(ENVIRONMENT, "")
    return bool(value) and Path(value).is_dir()


def current_user() -> str:
    """Who runs this: the hub's name for them where a hub started this server (in a
    Kubernetes pod every user is ``jovyan``), else the Unix user. The walls are the
    folders' permissions (or mounts), not this name."""
    return os.environ.get("JUPYTERHUB_USER") or pwd.getpwuid(os.geteuid()).pw_name


def folders(root: Path) -> Iterator[ExchangeFolder]:
    """Every coachee folder of the exchange this user may enter, in name order.

    The root cannot be listed on a hub (0711), so the folders are found by name: one per
    pair group this process is in (``coachlib-<coachee>``). Where the root can be listed
    (a root kept 0755 by an older setup, or a test), its folders count too. The folders of
    other people's coachees cannot be entered: they are skipped, silently, because not
    seeing them is the point.
    """
    names_found = set(_pair_group_users())
    try:
        names_found |= {
            entry.name for entry in os.scandir(root) if entry.is_dir(follow_symlinks=False)
        }
    except PermissionError:
        pass  # not listable, as it should be on a hub: the pair groups name our folders
    except OSError as exc:
        raise atomic.storage_error(exc, root, "read the exchange") from None
    for name in sorted(names_found):
        if name.startswith(".") or "/" in name:
            continue
        folder = read_folder(root / name)
        if folder is not None:
            yield folder


def _pair_group_users() -> Iterator[str]:
    """The coachees whose pair group this process is in (a coach is in one per coachee)."""
    for gid in os.getgroups():
        try:
            group = grp.getgrgid(gid).gr_name
        except KeyError:
            continue
        if group.startswith(PAIR_GROUP_PREFIX) and len(group) > len(PAIR_GROUP_PREFIX):
            yield group[len(PAIR_GROUP_PREFIX) :]


def read_folder(path: Path) -> ExchangeFolder | None:
    """The folder at ``path`` if this user may read it and its profile is sound."""
    profile = path / PROFILE
    try:
        info = profile.lstat()
    except OSError:
        return None  # another pair's folder: not ours to see
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_PROFILE_BYTES:
        return None
    return _read_profile(path, info.st_mtime_ns, info.st_size)


@functools.lru_cache(maxsize=4096)
def _read_profile(path: Path, _mtime_ns: int, _size: int) -> ExchangeFolder | None:
    """One profile, parsed once while it is unchanged (handing out to 50 coachees looks
    each up among all 50)."""
    profile = path / PROFILE
    try:
        text = read_bytes(profile, limit=MAX_PROFILE_BYTES, error=InputError).decode("utf-8")
        data = safeyaml.parse(text, file=profile, error=InputError)
    except (CoachError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict):
        return None
    given = {key: data.get(key) for key in ("user", "name", "coach")}
    if not all(isinstance(value, str) and value.strip() for value in given.values()):
        return None
    fields = cast(dict[str, str], given)  # every value a text: checked just above
    if fields["user"] != path.name:
        return None  # a profile copied from another folder: not trusted
    try:  # the name as the journal and the packs record it
        name = names.clean_name(fields["name"], "coachee name")
    except InputError:
        return None
    return ExchangeFolder(path=path, user=fields["user"], name=name, coach=fields["coach"])


def folder_for(root: Path, coachee: str) -> ExchangeFolder:
    """The exchange folder of ``coachee`` (by the name the journal uses, or user name)."""
    found = [folder for folder in folders(root) if folder.matches(coachee)]
    if not found:
        raise InputError(
            f"{coachee!r} has no exchange folder you can use",
            file=root,
            hint="the server's admin adds a coachee with `coach-hub add-coachee`; "
            "ask them to make you that coachee's coach",
        )
    return found[0]


def own_folder(root: Path, user: str | None = None) -> ExchangeFolder:
    """The exchange folder of the user running this (a coachee handing in or receiving)."""
    user = user or current_user()
    folder = read_folder(root / user)
    if folder is None:
        raise InputError(
            f"you ({user}) have no folder in the exchange",
            file=root,
            hint="ask your coach or the server's admin to add you",
        )
    return folder


def hand_ins(root: Path) -> list[tuple[Path, ExchangeFolder]]:
    """Every handed-in pack this user may read, with the folder it came from: each
    ``*.zip`` in an ``inbound/`` (``collect`` then reads it as a regular zip file only: a
    folder or a FIFO a coachee names ``x.zip`` is refused, never read as a pack)."""
    found = []
    for folder in folders(root):
        try:
            found += [(path, folder) for path in _zips(folder.inbound)]
        except OSError:
            continue
    return found


def _zips(folder: Path) -> list[Path]:
    """The packs in an exchange folder, in name order (a temporary file being written is
    hidden, and is not one). Whatever is named ``*.zip`` is listed, so that the commands
    can refuse, by name, one that is not a regular zip file."""
    return sorted(p for p in folder.iterdir() if p.suffix == ".zip" and not p.name.startswith("."))


@dataclass
class Receipt:
    """What ``receive`` did: the new pack folders, and the packs it refused (one error
    each, naming the zip; nothing of them written)."""

    new: list[Path]
    refused: list[CoachError]


def receive(root: Path, dest: Path, *, user: str | None = None) -> Receipt:
    """Unpack every pack waiting in the user's ``outbound/`` that is not in ``dest`` yet.

    A pack already received is left as it is: the coachee may have written in it. A pack
    that cannot be unpacked (a damaged or hostile zip, a FIFO or a folder named ``*.zip``)
    is refused and the others are received: one bad zip must not keep every later pack
    away, at every server start. Receiving holds a lock on ``dest``, so a temporary folder
    found there (``.tmp-*``) was left by a receive that was killed: it is removed first.
    """
    atomic.make_folder(dest)  # there to open even before the first pack
    folder = own_folder(root, user)
    try:
        waiting = _zips(folder.outbound)
    except OSError as exc:
        raise atomic.storage_error(exc, folder.outbound, "read the exchange") from None
    receipt = Receipt(new=[], refused=[])
    with _locked(dest):
        _remove_stale_temp(dest)
        for pack in waiting:
            target = dest / pack.stem
            if os.path.lexists(target):
                continue
            try:
                unpack_zip(pack, target)
            except StorageError:
                raise  # the coachee's disk: every later pack would fail the same way
            except CoachError as exc:
                receipt.refused.append(exc)
                continue
            receipt.new.append(target)
    return receipt


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """An exclusive lock on ``folder`` for one receive at a time (server start and a
    `coach receive` typed at the same moment wait for each other)."""
    import fcntl

    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)  # ~/packs may be a link of theirs
    except OSError as exc:
        raise atomic.storage_error(exc, folder, "open the folder") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _remove_stale_temp(dest: Path) -> None:
    """Remove the temporary folders and files of killed receives (``.tmp-*`` in ``dest``;
    the lock says no receive is writing them). A link is removed, never followed."""
    import shutil

    for entry in os.scandir(dest):
        if not entry.name.startswith(atomic.TEMP_PREFIX):
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)


def hand_in(pack: Path, root: Path, *, user: str | None = None) -> Path:
    """Put the pack's manifest and journal records into the user's ``inbound/``, as one zip.

    Only what ``coach collect`` reads goes (``pack.yaml`` and ``journal/<coachee>/*.yaml``):
    drafts and anything else the coachee keeps in the folder stay with them. Plain files
    only, within the limits collect enforces (1 MB a record, 1,000 records, 50 MB): a link
    (``pack.yaml -> /etc/passwd``, ``journal -> /etc/ssh``), a FIFO or a file over a limit
    is refused with one line naming it, and nothing is handed in. Each file is opened
    before it is looked at (``records.open_regular``). Handing in again replaces the
    earlier hand-in whole (collecting is idempotent, so nothing is lost).
    """
    folder = own_folder(root, user)
    target = folder.inbound / f"{pack.name}.zip"
    return atomic.write_file(target, hand_in_zip(pack), modes=HANDED)


def hand_in_zip(pack: Path) -> bytes:
    """The zip a hand-in sends: ``pack.yaml`` and the saved reviews, nothing else (no
    drafts, no collaboration state), also for a coachee who mails it to their coach."""
    import io
    import zipfile

    files = _hand_in_files(pack)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for inner, data in files:
            archive.writestr(f"{pack.name}/{inner}", data)
    return buffer.getvalue()


def _hand_in_files(pack: Path) -> list[tuple[str, bytes]]:
    """(path inside the pack, bytes) of what a hand-in sends; InputError naming the first
    file that is not a plain file within the limits."""
    try:
        manifest = read_bytes(pack / MANIFEST, error=InputError)
    except InputError as exc:
        if "No such file" in exc.message or "Not a directory" in exc.message:
            raise InputError("not a reflection pack (no pack.yaml)", file=pack) from None
        raise InputError(exc.message, file=exc.file, hint=NOT_HANDED_IN) from None
    files = [(MANIFEST, manifest)]
    journal = pack / JOURNAL
    try:
        info = os.lstat(journal)
    except FileNotFoundError:
        return files
    except OSError as exc:
        raise atomic.storage_error(exc, journal, "read the pack") from None
    if not stat.S_ISDIR(info.st_mode):
        raise InputError("not a folder (a link or a file)", file=journal, hint=NOT_HANDED_IN)
    total = len(manifest)
    entries = 0
    failed: list[OSError] = []
    for here, dirs, names_, dir_fd in os.fwalk(journal, onerror=failed.append):
        dirs.sort()
        prefix = Path(here).relative_to(pack).as_posix()
        for name in sorted([*dirs, *names_]):
            inner = f"{prefix}/{name}"
            entries += 1
            if entries > MAX_ENTRIES:
                raise InputError(
                    f"more than {MAX_ENTRIES:,} files and folders", file=journal, hint=NOT_HANDED_IN
                )
            try:
                kind = os.stat(name, dir_fd=dir_fd, follow_symlinks=False).st_mode
            except OSError as exc:
                raise atomic.storage_error(exc, pack / inner, "read the pack") from None
            if stat.S_ISLNK(kind):
                raise InputError(LINK, file=pack / inner, hint=NOT_HANDED_IN)
            if stat.S_ISDIR(kind) or not wanted(inner):
                continue
            try:
                data = read_bytes(name, dir_fd=dir_fd, error=InputError, file=pack / inner)
            except InputError as exc:
                raise InputError(exc.message, file=exc.file, hint=NOT_HANDED_IN) from None
            files.append((inner, data))
            total += len(data)
            if len(files) - 1 > MAX_RECORDS or total > MAX_BYTES:
                raise InputError(
                    f"more than {MAX_RECORDS:,} records or {MAX_BYTES:,} bytes",
                    file=journal,
                    hint=NOT_HANDED_IN,
                )
    if failed:
        raise atomic.storage_error(failed[0], Path(failed[0].filename or journal), "read the pack")
    return files


def collect_hand_ins(
    workspace: Workspace,
    root: Path,
    *,
    registry: Registry,
    dry_run: bool = False,
    packs: list[Path] | None = None,
) -> CollectReport:
    """``coach collect --from-exchange``: every hand-in this coach may read, each vouched
    for by the folder it was in, with any other ``packs`` in the same run."""
    from .collect import collect

    found = hand_ins(root)
    sources = [*(packs or []), *(path for path, _ in found)]  # a hand-in: a zip file only
    return collect(
        workspace,
        sources,
        registry=registry,
        dry_run=dry_run,
        vouched={path: folder.name for path, folder in found},
        labels={path: f"{folder.name}'s hand-in {path.name}" for path, folder in found},
    )
