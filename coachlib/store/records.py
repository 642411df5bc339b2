"""Reading journal files: one record from one file, and the files of a coachee's folder.

A journal folder is edited by hand now and then (copied, synced, repaired), so every entry
is looked at before it is read: only regular files are read, at most 1 MB each; a
folder, a FIFO, a device, a symbolic link (dangling, looping or not) or an oversized file
named ``*.yaml`` is reported as a problem with its name, never read and never skipped
without a word. A file that is read and does not hold a valid record becomes one
:class:`JournalError` naming the file, the line and the field.

Looking at a name and then opening it leaves a window: a file swapped for a FIFO in
between hangs the reader forever, one swapped for a symbolic link is followed. So every
file that another person can put in place (journals and session logs edited by hand,
returned packs, hand-ins, the exchange's files) is read by :func:`open_regular` and
:func:`read_bytes`, which open first (no link followed, no wait for a FIFO's writer),
then look at what they opened, then read at most the limit: there is nothing left to swap.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from ..model.errors import CoachError, JournalError
from ..model.review import MAX_RECORD_BYTES, Review, parse_record
from .atomic import TEMP_PREFIX
from .cache import signature

RECORD_SUFFIX = ".yaml"
NAME_MARKER = ".coachee"


@dataclass
class FolderScan:
    """The record files of some journal folders, and the entries that are not records."""

    files: list[tuple[str, os.stat_result]] = field(default_factory=list)
    skipped: list[JournalError] = field(default_factory=list)


def is_record_name(name: str) -> bool:
    return name.endswith(RECORD_SUFFIX) and not name.startswith(".")


def scan_folders(folders: list[str]) -> FolderScan:
    """(path, stat) of every regular ``*.yaml`` file in the folders, sorted by path; any
    other entry with such a name is reported, by name, in ``skipped``."""
    scan = FolderScan()
    for folder in folders:
        for entry in _entries(folder, scan.skipped):
            name = entry.name
            if name[0] == "." or not name.endswith(RECORD_SUFFIX):
                continue
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError as exc:
                scan.skipped.append(_unreadable(entry.path, exc))
                continue
            # The common case first, without a call: a journal holds tens of thousands.
            if stat.S_ISREG(info.st_mode) and info.st_size <= MAX_RECORD_BYTES:
                scan.files.append((entry.path, info))
            else:
                scan.skipped.append(_not_a_record(entry.path, info))
    scan.files.sort(key=lambda item: item[0])
    return scan


@dataclass
class RecordSignatures:
    """The record files of coachee folders as the level index compares them.

    ``ids`` are record ids (``<folder>/<file name without .yaml>``) in sorted order, and
    ``sigs`` four numbers per file (``cache.signature``), flat. The index checks 24,000
    files on every team overview: as flat lists they are compared with the index's in C,
    without a path, a stat object kept or a tuple per file."""

    ids: list[str] = field(default_factory=list)
    sigs: list[int] = field(default_factory=list)
    skipped: list[JournalError] = field(default_factory=list)


def scan_signatures(folders: list[str]) -> RecordSignatures:
    """:func:`scan_folders` for the level index: the same files and the same problems,
    as record ids and signatures. The folders are taken in the order of their names with
    a ``/`` after them, and each folder's files by name without ``.yaml``, so the ids
    come out in string order with no sort of the whole list.

    Each file is looked at relative to its open folder: the system then resolves one
    name, not the whole path, for each of 24,000 files (a tenth of the check)."""
    scan = RecordSignatures()
    ids, sigs = scan.ids, scan.sigs
    for folder in sorted(folders, key=lambda path: os.path.basename(path) + "/"):
        base = os.path.basename(folder) + "/"
        listed = _listing(folder, scan.skipped)
        if listed is None:
            continue
        fd, stems = listed
        try:
            for stem in stems:
                name = stem + RECORD_SUFFIX
                try:
                    info = os.stat(name, dir_fd=fd, follow_symlinks=False)
                except OSError as exc:
                    scan.skipped.append(_unreadable(os.path.join(folder, name), exc))
                    continue
                if stat.S_ISREG(info.st_mode) and info.st_size <= MAX_RECORD_BYTES:
                    ids.append(base + stem)
                    sigs.extend(signature(info))
                else:
                    scan.skipped.append(_not_a_record(os.path.join(folder, name), info))
        finally:
            os.close(fd)
    return scan


_FOLDER_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)


def _listing(folder: str, skipped: list[JournalError]) -> tuple[int, list[str]] | None:
    """The open folder (never through a link) and its record names without ``.yaml``,
    sorted; None if it is gone, is not a folder, or cannot be listed (one problem)."""
    try:
        fd = os.open(folder, _FOLDER_FLAGS)
    except (NotADirectoryError, FileNotFoundError):
        return None
    except OSError as exc:
        skipped.append(_unlisted(folder, exc))
        return None
    try:
        names = os.listdir(fd)
    except OSError as exc:
        os.close(fd)
        skipped.append(_unlisted(folder, exc))
        return None
    end = -len(RECORD_SUFFIX)
    return fd, sorted(n[:end] for n in names if n[0] != "." and n.endswith(RECORD_SUFFIX))


def _unlisted(folder: str, exc: OSError) -> JournalError:
    return JournalError(f"cannot list the folder: {exc.strerror}", file=folder)


def _unreadable(path: str, exc: OSError) -> JournalError:
    return JournalError(f"cannot read: {exc.strerror}", file=path)


def _not_a_record(path: str, info: os.stat_result) -> JournalError:
    return JournalError(entry_problem(info) or "?", file=path)


def _entries(folder: str, skipped: list[JournalError]) -> list[os.DirEntry[str]]:
    """The entries of ``folder`` (none if it is gone or not a folder; one problem if it
    cannot be listed)."""
    try:
        return list(os.scandir(folder))
    except (NotADirectoryError, FileNotFoundError):
        return []
    except OSError as exc:
        skipped.append(_unlisted(folder, exc))
        return []


def entry_problem(info: os.stat_result, limit: int = MAX_RECORD_BYTES) -> str | None:
    """Why a ``*.yaml`` entry of a journal folder is not read, or None if it is a record."""
    mode = info.st_mode
    if stat.S_ISLNK(mode):
        return "a symbolic link, not a journal file: not read (put the file itself here)"
    if stat.S_ISDIR(mode):
        return "a folder named like a journal file: not read"
    return file_problem(info, limit)


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def file_problem(info: os.stat_result, limit: int) -> str | None:
    """Why what was opened (or found) is not read as a file, or None if it is a regular
    file of at most ``limit`` bytes."""
    mode = info.st_mode
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _KINDS if test(mode)), "not a file")
        return f"{kind}, not a regular file: not read"
    if info.st_size > limit:
        return f"{info.st_size:,} bytes, over the limit of {limit:,}: not read"
    return None


LINK = "a symbolic link: not followed (give the file itself)"
_READ_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)


def open_regular(
    path: str | os.PathLike[str],
    *,
    limit: int = MAX_RECORD_BYTES,
    dir_fd: int | None = None,
    error: type[CoachError] = JournalError,
    file: str | os.PathLike[str] | None = None,
    follow: bool = False,
) -> BinaryIO:
    """The open file at ``path`` (relative to ``dir_fd`` if given), if what was opened is
    a regular file of at most ``limit`` bytes; ``error`` naming ``file`` (else ``path``)
    otherwise. The name is opened first, and never followed if it is a link (unless
    ``follow``: a file a person named on the command line), and opening a FIFO does not
    wait for a writer: what is checked is what will be read."""
    where = os.fspath(file if file is not None else path)
    flags = _READ_FLAGS & ~os.O_NOFOLLOW if follow else _READ_FLAGS
    try:
        fd = os.open(path, flags, dir_fd=dir_fd)
    except FileNotFoundError:
        raise error("no such file", file=where) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP and not follow:
            raise error(LINK, file=where) from None
        raise error(f"cannot read: {exc.strerror}", file=where) from None
    try:
        problem = file_problem(os.fstat(fd), limit)
    except OSError as exc:
        problem = f"cannot read: {exc.strerror}"
    if problem:
        os.close(fd)
        raise error(problem, file=where)
    return os.fdopen(fd, "rb")


def read_bytes(
    path: str | os.PathLike[str],
    *,
    limit: int = MAX_RECORD_BYTES,
    dir_fd: int | None = None,
    error: type[CoachError] = JournalError,
    file: str | os.PathLike[str] | None = None,
    follow: bool = False,
) -> bytes:
    """The whole content of a regular file of at most ``limit`` bytes (see
    :func:`open_regular`); a file that grew past the limit since it was opened is refused
    too, having read no more than the limit."""
    where = os.fspath(file if file is not None else path)
    opened = open_regular(path, limit=limit, dir_fd=dir_fd, error=error, file=file, follow=follow)
    with opened as handle:
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise error(f"cannot read: {exc.strerror}", file=where) from None
    if len(data) > limit:
        raise error(f"more than {limit:,} bytes: not read", file=where)
    return data


def read_record(path: Path) -> Review:
    """Read and validate one journal file; raise JournalError naming file, line and field."""
    return parse_record(read_small_text(path), file=path, path=path)


def read_small_text(path: Path) -> str:
    """The text of a journal or log file, read safely (:func:`read_bytes`): a regular
    file of at most 1 MB, UTF-8; JournalError naming the file otherwise."""
    data = read_bytes(path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise JournalError(f"not UTF-8 text ({exc.reason})", file=path) from None


def first_coachee_in(folder: Path) -> str | None:
    """The coachee named by the first readable record in a folder (for unmarked folders)."""
    for path, _info in scan_folders([str(folder)]).files:
        try:
            return read_record(Path(path)).coachee
        except CoachError:
            continue
    return None


def first_team_in(folder: Path) -> str | None:
    """The team named by the first readable session in a log folder: who the folder
    belongs to when its ``.team`` marker is missing or cannot be trusted."""
    from ..model.sessionlog import parse_entry

    for path, _info in scan_folders([str(folder)]).files:
        try:
            return parse_entry(read_small_text(Path(path)), file=path).team
        except CoachError:
            continue
    return None


def stray_temp_files(root: Path) -> list[Path]:
    """Temporary files and folders left by writers that were killed (safe to delete): a
    folder once, not each file in it (an unpacked pack is written into one, ``.tmp-*``,
    and renamed into place whole). Links are not followed."""
    found = []
    for folder, dirs, files in os.walk(root):
        for name in [*dirs, *files]:
            if name.startswith(TEMP_PREFIX):
                found.append(Path(folder, name))
        dirs[:] = [name for name in dirs if not name.startswith(TEMP_PREFIX)]
    return sorted(found)
