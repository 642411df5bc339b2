"""Reading journal files: one record from one file, and the files of a coachee's folder.

A journal folder is edited by hand now and then (copied, synced, repaired), so every entry
is looked at before it is opened: only regular files are read, at most 1 MB each; a
folder, a FIFO, a device, a symbolic link (dangling, looping or not) or an oversized file
named ``*.yaml`` is reported as a problem with its name, never opened and never skipped
without a word. A file that is read and does not hold a valid record becomes one
:class:`JournalError` naming the file, the line and the field.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ..model.errors import CoachError, JournalError
from ..model.review import MAX_RECORD_BYTES, Review, parse_record
from .atomic import TEMP_PREFIX

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
        try:
            entries = list(os.scandir(folder))
        except (NotADirectoryError, FileNotFoundError):
            continue
        except OSError as exc:
            scan.skipped.append(
                JournalError(f"cannot list the folder: {exc.strerror}", file=folder)
            )
            continue
        for entry in entries:
            name = entry.name
            if name[0] == "." or not name.endswith(RECORD_SUFFIX):
                continue
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError as exc:
                scan.skipped.append(JournalError(f"cannot read: {exc.strerror}", file=entry.path))
                continue
            # The common case first, without a call: a journal holds tens of thousands.
            if stat.S_ISREG(info.st_mode) and info.st_size <= MAX_RECORD_BYTES:
                scan.files.append((entry.path, info))
            else:
                scan.skipped.append(JournalError(entry_problem(info) or "?", file=entry.path))
    scan.files.sort(key=lambda item: item[0])
    return scan


def entry_problem(info: os.stat_result) -> str | None:
    """Why a ``*.yaml`` entry of a journal folder is not read, or None if it is a record."""
    mode = info.st_mode
    if stat.S_ISLNK(mode):
        return "a symbolic link, not a journal file: not read (put the file itself here)"
    if stat.S_ISDIR(mode):
        return "a folder named like a journal file: not read"
    if not stat.S_ISREG(mode):
        return "not a regular file (a FIFO, socket or device): not read"
    if info.st_size > MAX_RECORD_BYTES:
        return (
            f"{info.st_size:,} bytes, over the limit of {MAX_RECORD_BYTES:,} for one record: "
            "not read"
        )
    return None


def read_record(path: Path) -> Review:
    """Read and validate one journal file; raise JournalError naming file, line and field."""
    return parse_record(read_small_text(path), file=path, path=path)


def read_small_text(path: Path) -> str:
    """The text of a journal or log file, after looking at it: a regular file of at most
    1 MB, UTF-8; JournalError naming the file otherwise."""
    try:
        info = os.lstat(path)
    except OSError as exc:
        raise JournalError(f"cannot read: {exc.strerror}", file=path) from None
    problem = entry_problem(info)
    if problem:
        raise JournalError(problem, file=path)
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read(MAX_RECORD_BYTES + 1)
    except UnicodeDecodeError as exc:
        raise JournalError(f"not UTF-8 text ({exc.reason})", file=path) from None
    except OSError as exc:
        raise JournalError(f"cannot read: {exc.strerror}", file=path) from None
    return text


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
    """Temporary files left by writers that were killed (safe to delete)."""
    if not root.is_dir():
        return []
    return sorted(root.rglob(TEMP_PREFIX + "*"))
