"""Reading a returned pack, a folder or a zip, as untrusted input.

Only what collecting needs is read: ``pack.yaml`` and the journal's ``*.yaml`` files,
each at most 1 MB. Everything else a pack holds (its notebook, its framework copy, the
coachee's own files) is never opened. Nothing of the pack is changed, and a zip is never
unpacked to disk: its entries are read into memory, each checked first.

Refused, each with one line naming the entry and the reason: a symbolic link, a path that
leaves the pack (``..``, an absolute name), a special file (FIFO, device), a file too
large, a zip entry compressed more than 200 times (a zip bomb), more than 2,000 entries or
50 MB in all, a name given twice, an encrypted entry, a compression method ``zipfile``
cannot read, an entry whose CRC or stated size does not match what it holds.

Every file is opened before it is looked at (``records.open_regular``): a file swapped for
a FIFO or a link between listing the pack and reading it is refused, not waited on or
followed. ``unpack_zip`` (``coach receive``) is the one place a zip is unpacked: every
entry read and checked in memory first, then written whole or not at all.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from ..model import safeyaml
from ..model.errors import CoachError, Diagnostic, InputError
from ..model.pack import COACH_VIEW, MANIFEST, MAX_BYTES, MAX_ENTRIES, MAX_RATIO, CoachView
from ..model.review import MAX_RECORD_BYTES
from .records import open_regular, read_bytes
from .workspace import JOURNAL

if TYPE_CHECKING:
    import zipfile


@dataclass
class PackFiles:
    """The files of a pack that collecting reads, by their path inside the pack."""

    source: str
    files: dict[str, bytes] = field(default_factory=dict)
    refused: list[Diagnostic] = field(default_factory=list)
    fatal: Diagnostic | None = None

    def refuse(self, name: str, reason: str) -> None:
        self.refused.append(Diagnostic(reason, file=f"{self.source}:{name}"))

    def stop(self, reason: str) -> PackFiles:
        self.fatal = Diagnostic(reason, file=self.source)
        return self


def wanted(name: str) -> bool:
    """A file collecting reads: the manifest, or a record in the pack's journal."""
    parts = tuple(part for part in name.split("/") if part not in ("", "."))
    if parts == (MANIFEST,):
        return True
    return (
        len(parts) == 3
        and parts[0] == JOURNAL
        and parts[2].endswith(".yaml")
        and not parts[2].startswith(".")
    )


def read_pack(source: Path, *, zip_only: bool = False) -> PackFiles:
    """The manifest and records of the pack at ``source`` (a folder or a zip; with
    ``zip_only``, a regular zip file only: a hand-in through the exchange)."""
    pack = PackFiles(str(source))
    try:
        info = os.lstat(source)
    except OSError as exc:
        return pack.stop(f"cannot read: {exc.strerror}")
    if stat.S_ISLNK(info.st_mode):
        return pack.stop("a symbolic link, not a pack: not read (give the pack itself)")
    if stat.S_ISDIR(info.st_mode) and not zip_only:
        return _read_folder(source, pack)
    if not stat.S_ISREG(info.st_mode):
        return pack.stop(
            "not a regular zip file: not read (a hand-in is a zip)"
            if zip_only
            else "neither a pack folder nor a zip of one"
        )
    try:
        with open_zip(source) as archive:
            return _read_zip(archive, pack)
    except CoachError as exc:
        if exc.message.startswith("not a zip file") and not zip_only:
            return pack.stop("neither a pack folder nor a zip of one")
        return pack.stop(exc.message)


def _read_folder(root: Path, pack: PackFiles) -> PackFiles:
    entries = total = 0
    failed: list[OSError] = []
    # fwalk opens each folder without following a link and lists it by that open folder,
    # and each file is opened relative to it (``records.read_bytes``): a folder or a file
    # swapped for a link or a FIFO after it was listed is never followed, never waited on.
    for folder, dirs, names, dir_fd in os.fwalk(root, onerror=failed.append):
        prefix = os.path.relpath(folder, root).replace(os.sep, "/")
        prefix = "" if prefix == "." else prefix + "/"
        for name in [*dirs, *names]:
            entries += 1
            if entries > MAX_ENTRIES:
                return pack.stop(f"more than {MAX_ENTRIES:,} files and folders: not read")
            inner = prefix + name
            try:
                info = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
            except OSError as exc:
                pack.refuse(inner, f"cannot read: {exc.strerror}")
                continue
            if stat.S_ISLNK(info.st_mode):
                pack.refuse(inner, "a symbolic link: not followed")
                if name in dirs:
                    dirs.remove(name)
                continue
            if stat.S_ISDIR(info.st_mode) or not wanted(inner):
                continue
            try:
                data = read_bytes(name, dir_fd=dir_fd, error=InputError, file=inner)
            except CoachError as exc:
                pack.refuse(inner, exc.message)
                continue
            total += len(data)
            if total > MAX_BYTES:
                return pack.stop(f"more than {MAX_BYTES:,} bytes to read: not read")
            pack.files[inner] = data
    if failed and not entries:
        return pack.stop(f"cannot read: {failed[0].strerror}")
    for problem in failed:
        where = os.path.relpath(problem.filename, root) if problem.filename else ""
        pack.refuse(where.replace(os.sep, "/"), f"cannot read: {problem.strerror}")
    return pack


# What a damaged or hostile zip can make ``zipfile`` raise: a bad CRC or size (BadZipFile,
# EOFError), a broken stream (zlib.error), an encrypted entry (RuntimeError), a method it
# cannot read (NotImplementedError), headers that do not parse (struct.error, ValueError,
# a name that is not UTF-8).
_ZIP_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    EOFError,
    ValueError,
    RuntimeError,
    NotImplementedError,
    KeyError,
    IndexError,
    OverflowError,
    MemoryError,
)
_METHODS = (0, 8, 12, 14)  # stored, deflated, bzip2, lzma: what zipfile reads
MAX_ZIP_BYTES = MAX_BYTES + MAX_ENTRIES * 1_024  # the pack's bytes and its zip's headers
MAX_NAME_BYTES = 255  # of one file or folder name: what Linux filesystems take


def _zip_errors() -> tuple[type[BaseException], ...]:
    import struct
    import zipfile
    import zlib

    return (*_ZIP_ERRORS, zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, struct.error)


@contextlib.contextmanager
def open_zip(source: Path) -> Iterator[zipfile.ZipFile]:
    """The zip at ``source``, opened as a regular file first (``records.open_regular``: no
    link followed, no FIFO waited on, at most :data:`MAX_ZIP_BYTES`); InputError naming it
    for anything else or for a zip ``zipfile`` cannot read. The file is closed with it."""
    import zipfile  # only for a zip: the reflection notebook reads this module too

    with open_regular(source, limit=MAX_ZIP_BYTES, error=InputError) as handle:
        try:
            if not zipfile.is_zipfile(handle):
                raise InputError("not a zip file: not read", file=source)
            handle.seek(0)
            archive = zipfile.ZipFile(handle)
        except CoachError:  # an InputError is a ValueError too: passed on before those
            raise
        except _zip_errors() as exc:
            raise InputError(f"not a readable zip: {_reason(exc)}", file=source) from None
        with archive:
            yield archive


def _reason(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


def _member_problem(member: zipfile.ZipInfo) -> str | None:
    """Why a zip entry is not read at all: its name, its kind, its ratio, encryption, an
    unknown compression method."""
    problem = _unsafe_name(member.filename) or _unsafe_kind(member)
    if problem:
        return problem
    if member.flag_bits & 0x1:
        return "an encrypted entry: not read"
    if member.compress_type not in _METHODS:
        return f"compression method {member.compress_type}, which is not supported: not read"
    if member.compress_size and member.file_size / member.compress_size > MAX_RATIO:
        return f"compressed more than {MAX_RATIO} times (a zip bomb?): not read"
    return None


def _member_bytes(archive: zipfile.ZipFile, member: zipfile.ZipInfo, limit: int) -> bytes:
    """An entry's bytes, at most ``limit``; InputError (a line) for an entry that is
    larger, damaged, or whose stated size is not its size."""
    try:
        with archive.open(member) as handle:
            data = handle.read(limit + 1)  # the sizes a zip states can lie
    except _zip_errors() as exc:
        raise InputError(f"cannot read from the zip: {_reason(exc)}") from None
    if len(data) > limit:
        raise InputError(f"more than {limit:,} bytes: not read")
    if len(data) != member.file_size:
        raise InputError(f"{len(data):,} bytes where the zip says {member.file_size:,}: not read")
    return data


def _read_zip(archive: zipfile.ZipFile, pack: PackFiles) -> PackFiles:
    members = archive.infolist()
    if len(members) > MAX_ENTRIES:
        return pack.stop(f"{len(members):,} entries, more than {MAX_ENTRIES:,}: not read")
    if sum(member.file_size for member in members) > MAX_BYTES:
        return pack.stop(f"unpacks to more than {MAX_BYTES:,} bytes: not read")
    prefix = _common_folder(members)
    total = 0
    for member in members:
        name = member.filename
        problem = _unsafe_name(name) or _unsafe_kind(member)
        if problem:
            pack.refuse(name, problem)
            continue
        inner = name[len(prefix) :] if prefix else name
        if member.is_dir() or not wanted(inner):
            continue
        if inner in pack.files:
            pack.refuse(name, "a name given twice in the zip: not read")
            continue
        if member.file_size > MAX_RECORD_BYTES:
            pack.refuse(
                name,
                f"{member.file_size:,} bytes, over the limit of {MAX_RECORD_BYTES:,}: not read",
            )
            continue
        problem = _member_problem(member)
        if problem:
            pack.refuse(name, problem)
            continue
        try:
            data = _member_bytes(archive, member, MAX_RECORD_BYTES)
        except InputError as exc:
            pack.refuse(name, exc.message)
            continue
        total += len(data)
        if total > MAX_BYTES:
            return pack.stop(f"more than {MAX_BYTES:,} bytes to read: not read")
        pack.files[inner] = data
    return pack


def _unsafe_name(name: str) -> str | None:
    """Why a zip entry's name could write or read outside the pack, if it could."""
    if not name or "\x00" in name:
        return "an empty or NUL name: not read"
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        return "an absolute name: not read"
    if "\\" in name:
        return "a name with backslashes: not read"
    if ".." in PurePosixPath(name).parts:
        return "a name that leaves the pack (..): not read"
    return None


def _unsafe_kind(member: zipfile.ZipInfo) -> str | None:
    kind = stat.S_IFMT(member.external_attr >> 16)  # 0 when the zip did not say
    if kind == stat.S_IFLNK:
        return "a symbolic link: not followed"
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        return "not a regular file (a FIFO, socket or device): not read"
    return None


def _common_folder(members: list[zipfile.ZipInfo]) -> str:
    """The one folder a zip's entries may all sit in (``ada-pack/pack.yaml``), with its
    slash; '' when the pack's files are at the top of the zip."""
    names = [m.filename for m in members if m.filename and not _unsafe_name(m.filename)]
    if not names or any(name == MANIFEST for name in names):
        return ""
    tops = {name.split("/", 1)[0] for name in names}
    if len(tops) == 1 and all("/" in name for name in names):
        return tops.pop() + "/"
    return ""


def _unpacked(source: Path, archive: zipfile.ZipFile) -> list[tuple[str, bytes | None]]:
    """Every entry of a pack zip as (path inside the pack, bytes; None for a folder), all
    read and checked before anything is written; InputError naming the zip and the entry
    for the first that is refused."""
    members = archive.infolist()
    if len(members) > MAX_ENTRIES or sum(m.file_size for m in members) > MAX_BYTES:
        raise InputError(
            f"more than {MAX_ENTRIES:,} entries or {MAX_BYTES:,} bytes: not unpacked", file=source
        )
    prefix = _common_folder(members)
    entries: dict[str, bytes | None] = {}
    total = 0
    for member in members:
        where = f"{source}:{member.filename}"
        problem = _member_problem(member)
        if problem:
            raise InputError(_unpacked_reason(problem), file=where)
        inner = member.filename[len(prefix) :] if prefix else member.filename
        path = "/".join(PurePosixPath(inner).parts)
        if not path:
            continue
        if any(len(os.fsencode(part)) > MAX_NAME_BYTES for part in path.split("/")):
            raise InputError(f"a name longer than {MAX_NAME_BYTES} bytes: not unpacked", file=where)
        if member.is_dir():
            if entries.get(path) is not None:
                raise InputError("a name given as a file and as a folder: not unpacked", file=where)
            entries[path] = None
            continue
        if path in entries:
            raise InputError("a name given twice in the zip: not unpacked", file=where)
        try:
            data = _member_bytes(archive, member, MAX_BYTES - total)
        except InputError as exc:
            raise InputError(_unpacked_reason(exc.message), file=where) from None
        total += len(data)
        entries[path] = data
    files = {path for path, data in entries.items() if data is not None}
    for path in entries:
        for parent in PurePosixPath(path).parents:
            if str(parent) in files:
                raise InputError(
                    f"{prefix}{parent} is both a file and a folder: not unpacked",
                    file=f"{source}:{prefix}{path}",
                )
    if MANIFEST not in files:
        raise InputError(
            "no pack.yaml (an empty zip, or not a coachlib pack): not unpacked", file=source
        )
    return sorted(entries.items())


def _unpacked_reason(reason: str) -> str:
    return reason.removesuffix(": not read") + ": not unpacked"


def unpack_zip(source: Path, target: Path) -> Path:
    """Unpack a whole pack zip into the new folder ``target``, owner-only (``coach receive``).

    The zip is opened as a regular file first (a FIFO or a link named ``*.zip`` is
    refused at once), and every entry is read and checked before anything is written: the
    checks of reading a returned pack (no links, no names that leave the pack, no special
    files, the size, entry and ratio limits, no encrypted entry or unknown compression, a
    CRC and size that match), and one name once only, never both a file and a folder, a
    ``pack.yaml`` among them. The files land in a temporary folder that is renamed into
    place, so the pack is there whole or not at all. InputError, one line naming the zip
    and the entry, for a zip that is refused.
    """
    import tempfile

    from . import atomic

    with open_zip(source) as archive:
        entries = _unpacked(source, archive)
    with tempfile.TemporaryDirectory(prefix=atomic.TEMP_PREFIX, dir=target.parent) as tmp:
        folder = Path(tmp) / "pack"
        atomic.make_folder(folder)
        for inner, data in entries:
            path = folder / inner
            if data is None:
                atomic.make_folder(path)
                continue
            atomic.make_folder(path.parent)
            atomic.write_file(path, data)
        try:
            os.rename(folder, target)
        except OSError as exc:
            raise atomic.storage_error(exc, target, "unpack the pack") from None
    return target


def read_coach_view(root: Path) -> CoachView | None:
    """The coach's view a pack carries (``coach-view.yaml``), or None."""
    path = root / COACH_VIEW
    try:
        text = read_bytes(path, error=InputError).decode("utf-8")
        data = safeyaml.parse(text, file=path, error=CoachError)
    except (UnicodeDecodeError, CoachError):
        return None
    return CoachView.from_dict(data)
