"""Reading a returned pack, a folder or a zip, as untrusted input.

Only what collecting needs is read: ``pack.yaml`` and the journal's ``*.yaml`` files,
each at most 1 MB. Everything else a pack holds (its notebook, its framework copy, the
coachee's own files) is never opened. Nothing of the pack is changed, and a zip is never
unpacked to disk: its entries are read into memory, each checked first.

Refused, each with one line naming the entry and the reason: a symbolic link, a path that
leaves the pack (``..``, an absolute name), a special file (FIFO, device), a file too
large, a zip entry compressed more than 200 times (a zip bomb), more than 2,000 entries or
50 MB in all, a name given twice.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..model import safeyaml
from ..model.errors import CoachError, Diagnostic
from ..model.pack import COACH_VIEW, MANIFEST, MAX_BYTES, MAX_ENTRIES, MAX_RATIO, CoachView
from ..model.review import MAX_RECORD_BYTES

JOURNAL = "journal"


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
        len(parts) == 3 and parts[0] == JOURNAL and parts[2].endswith(".yaml")
        and not parts[2].startswith(".")
    )  # fmt: skip


def read_pack(source: Path) -> PackFiles:
    """The manifest and records of the pack at ``source`` (a folder or a zip)."""
    pack = PackFiles(str(source))
    try:
        info = os.lstat(source)
    except OSError as exc:
        return pack.stop(f"cannot read: {exc.strerror}")
    if stat.S_ISLNK(info.st_mode):
        return pack.stop("a symbolic link, not a pack: not read (give the pack itself)")
    if stat.S_ISDIR(info.st_mode):
        return _read_folder(source, pack)
    import zipfile

    if stat.S_ISREG(info.st_mode) and zipfile.is_zipfile(source):
        return _read_zip(source, pack)
    return pack.stop("neither a pack folder nor a zip of one")


def _read_folder(root: Path, pack: PackFiles) -> PackFiles:
    entries = total = 0
    top = os.fspath(root)
    for folder, dirs, names in os.walk(top, followlinks=False):
        prefix = os.path.relpath(folder, top).replace(os.sep, "/")
        prefix = "" if prefix == "." else prefix + "/"
        for name in [*dirs, *names]:
            entries += 1
            if entries > MAX_ENTRIES:
                return pack.stop(f"more than {MAX_ENTRIES:,} files and folders: not read")
            path = os.path.join(folder, name)
            inner = prefix + name
            try:
                info = os.lstat(path)
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
            if not stat.S_ISREG(info.st_mode):
                pack.refuse(inner, "not a regular file (a FIFO, socket or device): not read")
                continue
            if info.st_size > MAX_RECORD_BYTES:
                pack.refuse(inner, f"{info.st_size:,} bytes, over the limit of "
                                   f"{MAX_RECORD_BYTES:,}: not read")  # fmt: skip
                continue
            total += info.st_size
            if total > MAX_BYTES:
                return pack.stop(f"more than {MAX_BYTES:,} bytes to read: not read")
            try:
                with open(path, "rb") as handle:
                    pack.files[inner] = handle.read(MAX_RECORD_BYTES + 1)
            except OSError as exc:
                pack.refuse(inner, f"cannot read: {exc.strerror}")
    return pack


def _read_zip(source: Path, pack: PackFiles) -> PackFiles:
    import zipfile  # only for a zip: the reflection notebook reads this module too

    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as exc:
        return pack.stop(f"not a readable zip: {exc}")
    with archive:
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
                pack.refuse(name, f"{member.file_size:,} bytes, over the limit of "
                                  f"{MAX_RECORD_BYTES:,}: not read")  # fmt: skip
                continue
            if member.compress_size and member.file_size / member.compress_size > MAX_RATIO:
                pack.refuse(name, "compressed more than 200 times (a zip bomb?): not read")
                continue
            try:
                with archive.open(member) as handle:
                    data = handle.read(MAX_RECORD_BYTES + 1)  # the sizes a zip states can lie
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as exc:
                pack.refuse(name, f"cannot read from the zip: {exc}")
                continue
            if len(data) > MAX_RECORD_BYTES:
                pack.refuse(name, f"more than {MAX_RECORD_BYTES:,} bytes: not read")
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


def _unsafe_kind(member) -> str | None:
    kind = stat.S_IFMT(member.external_attr >> 16)  # 0 when the zip did not say
    if kind == stat.S_IFLNK:
        return "a symbolic link: not followed"
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        return "not a regular file (a FIFO, socket or device): not read"
    return None


def _common_folder(members: list) -> str:
    """The one folder a zip's entries may all sit in (``ada-pack/pack.yaml``), with its
    slash; '' when the pack's files are at the top of the zip."""
    names = [m.filename for m in members if m.filename and not _unsafe_name(m.filename)]
    if not names or any(name == MANIFEST for name in names):
        return ""
    tops = {name.split("/", 1)[0] for name in names}
    if len(tops) == 1 and all("/" in name for name in names):
        return tops.pop() + "/"
    return ""


def unpack_zip(source: Path, target: Path) -> Path:
    """Unpack a whole pack zip into the new folder ``target``, owner-only (``coach receive``).

    The same checks as reading a returned pack (no links, no names that leave the pack, no
    special files, the size, entry and ratio limits), all made before anything is written;
    the files land in a temporary folder that is renamed into place, so the pack is there
    whole or not at all.
    """
    import tempfile
    import zipfile

    from . import atomic

    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as exc:
        raise CoachError(f"not a readable zip: {exc}", file=source) from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ENTRIES or sum(m.file_size for m in members) > MAX_BYTES:
            raise CoachError(f"more than {MAX_ENTRIES:,} entries or {MAX_BYTES:,} bytes: "
                             "not unpacked", file=source)  # fmt: skip
        prefix = _common_folder(members)
        for member in members:
            problem = _unsafe_name(member.filename) or _unsafe_kind(member)
            ratio = member.file_size / member.compress_size if member.compress_size else 0
            if problem or ratio > MAX_RATIO:
                raise CoachError(problem or "compressed more than 200 times: not unpacked",
                                 file=f"{source}:{member.filename}")  # fmt: skip
        with tempfile.TemporaryDirectory(prefix=atomic.TEMP_PREFIX, dir=target.parent) as tmp:
            folder = Path(tmp) / "pack"
            atomic.make_folder(folder)
            for member in members:
                inner = member.filename[len(prefix) :] if prefix else member.filename
                if not inner.strip("/"):
                    continue
                path = folder / inner
                if member.is_dir():
                    atomic.make_folder(path)
                    continue
                atomic.make_folder(path.parent)
                with archive.open(member) as handle:
                    data = handle.read(MAX_BYTES + 1)
                atomic.write_file(path, data)
            os.rename(folder, target)
    return target


def read_coach_view(root: Path) -> CoachView | None:
    """The coach's view a pack carries (``coach-view.yaml``), or None."""
    path = root / COACH_VIEW
    try:
        if not path.is_file() or path.is_symlink() or path.stat().st_size > MAX_RECORD_BYTES:
            return None
        data = safeyaml.parse(path.read_text(encoding="utf-8"), file=path, error=CoachError)
    except (OSError, UnicodeDecodeError, CoachError):
        return None
    return CoachView.from_dict(data)
