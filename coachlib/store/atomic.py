"""The one atomic writer: every file coachlib writes goes through here.

A file is written whole to a temporary file in the target's own folder (``.tmp-*``, which
loaders skip and ``coach doctor`` cleans up), flushed to disk, and only then given its
name: renamed over an existing file (``replace``), or, for a name that must be new, linked
in under a name nobody has used, so two writers at the same moment never overwrite each
other. A reader sees the old file, the whole new file, or nothing: never a 0-byte or half
written file, also where the filesystem has no hard links (then ``renameat2`` with
``RENAME_NOREPLACE`` on Linux, else a claim file that every writer respects).

Files and new folders get the workspace's modes (owner-only, or group-shared) whatever the
user's umask. A failure to write is raised as :class:`StorageError` naming the path and
what to do; nothing already there is touched.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import secrets
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from ..model.errors import StorageError

TEMP_PREFIX = ".tmp-"


@dataclass(frozen=True)
class Modes:
    """File and folder permissions for new things, and whether the group shares them."""

    folder: int
    file: int

    @property
    def shared(self) -> bool:
        """Group-writable: the modes hold whatever the user's umask says."""
        return bool(self.file & stat.S_IWGRP)


PRIVATE = Modes(folder=0o700, file=0o600)
SHARED = Modes(folder=0o770, file=0o660)
PUBLIC = Modes(folder=0o755, file=0o644)  # no person's words in it (a framework file)


def make_folder(path: Path, modes: Modes = PRIVATE) -> Path:
    """Make a folder and its missing parents with ``modes`` (not the umask's)."""
    missing = []
    for candidate in (path, *path.parents):
        if candidate.exists():
            break
        missing.append(candidate)
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=modes.folder)
        except FileExistsError:
            continue
        except OSError as exc:
            raise storage_error(exc, folder, "make the folder") from None
        if modes.shared:  # group access must not depend on the user's umask
            os.chmod(folder, modes.folder)
    return path


def write_file(
    path: Path, data: bytes | str, *, modes: Modes = PRIVATE, replace: bool = True
) -> Path:
    """Write a whole file atomically; with ``replace=False`` an existing file is never
    touched (FileExistsError).

    A target that exists and is not a regular file (``/dev/stdout``, a FIFO) cannot be
    replaced by renaming: the data is written into it directly.
    """
    try:
        info = path.stat()
    except OSError:
        info = None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise StorageError("is a folder, not a file", file=path, hint="give a file name")
    if info is not None and not stat.S_ISREG(info.st_mode):
        return _write_into(path, data)
    if not path.parent.is_dir():
        raise missing_folder(path.parent)
    tmp = _write_temp(path.parent, data, modes)
    try:
        if replace:
            os.replace(tmp, path)
        else:
            link_new(tmp, path)
    except FileExistsError:
        raise
    except OSError as exc:
        raise storage_error(exc, path, "write") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    _fsync_folder(path.parent)
    return path


def write_new_file(
    folder: Path, candidates: Iterable[str], data: bytes | str, *, modes: Modes = PRIVATE
) -> Path:
    """Write ``data`` under the first free name of ``candidates``; never overwrite."""
    make_folder(folder, modes)
    tmp = _write_temp(folder, data, modes)
    try:
        target = _link_first_free(tmp, folder, candidates)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    _fsync_folder(folder)
    return target


def write_new_files(
    items: list[tuple[Path, Iterable[str], bytes]], *, modes: Modes = PRIVATE
) -> list[Path]:
    """Several new files (folder, candidate names, data), each under the first free name
    of its candidates: every file is written whole, then all are flushed to disk at once
    (one ``syncfs``, not an fsync each: a thousand records cost a fraction), and only then
    given their names. A reader, or a crash, sees each file whole or not at all."""
    temps: list[Path] = []
    try:
        for folder in dict.fromkeys(folder for folder, _c, _d in items):
            make_folder(folder, modes)
        for folder, _candidates, data in items:
            temps.append(_write_temp(folder, data, modes, sync=False))
        _sync_filesystem(temps)
        written = [
            _link_first_free(tmp, folder, candidates)
            for tmp, (folder, candidates, _data) in zip(temps, items, strict=True)
        ]
        if _sync_filesystem(written):  # the new names too: one flush, not one per folder
            for folder in {folder for folder, _c, _d in items}:
                _fsync_folder(folder)
        return written
    finally:
        for tmp in temps:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)


def _link_first_free(tmp: Path, folder: Path, candidates: Iterable[str]) -> Path:
    for name in candidates:
        target = folder / name
        try:
            link_new(tmp, target)
        except FileExistsError:
            continue
        except OSError as exc:
            raise storage_error(exc, target, "write") from None
        return target
    raise StorageError("no free file name left", file=folder)


def _sync_filesystem(files: list[Path]) -> bool:
    """Flush the written files to disk: each filesystem they are on at once where Linux
    allows (``syncfs``, which flushes the folders' entries too), else each file. True when
    a file had to be flushed alone (then its folder needs its own flush)."""
    syncfs = _libc_function("syncfs", [ctypes.c_int])
    pending = list(files)
    if syncfs is not None:
        devices: dict[str, int] = {}  # a folder's files are on the folder's filesystem
        for path in files:
            if path.parent.as_posix() not in devices:
                devices[path.parent.as_posix()] = os.stat(path.parent).st_dev
        synced: set[int] = set()
        for path in files:
            device = devices[path.parent.as_posix()]
            if device in synced:
                continue
            fd = os.open(path, os.O_RDONLY)
            try:
                if syncfs(fd) == 0:
                    synced.add(device)
            finally:
                os.close(fd)
        pending = [path for path in files if devices[path.parent.as_posix()] not in synced]
    for path in pending:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    return bool(pending)


def _write_temp(folder: Path, data: bytes | str, modes: Modes, *, sync: bool = True) -> Path:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    tmp = folder / f"{TEMP_PREFIX}{secrets.token_hex(8)}"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, modes.file)
    except OSError as exc:
        raise storage_error(exc, folder, "write into the folder") from None
    try:
        _write_all(fd, raw)
        if sync:
            os.fsync(fd)
        if modes.shared:
            os.fchmod(fd, modes.file)
    except OSError as exc:
        os.close(fd)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise storage_error(exc, folder, "write into the folder") from None
    os.close(fd)
    return tmp


def _write_all(fd: int, raw: bytes) -> None:
    view = memoryview(raw)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _write_into(path: Path, data: bytes | str) -> Path:
    """Write straight into an existing non-regular file (a device, a FIFO)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        fd = os.open(path, os.O_WRONLY)
        try:
            _write_all(fd, raw)
        finally:
            os.close(fd)
    except OSError as exc:
        raise storage_error(exc, path, "write") from None
    return path


def link_new(source: Path, target: Path) -> None:
    """Give ``source`` the name ``target`` only if nothing has that name (atomic).

    Hard link first; on filesystems without hard links, ``renameat2(RENAME_NOREPLACE)``;
    where that is missing too, a claim file next to the target that every coachlib writer
    takes before renaming. In no case is the target visible before it is complete.
    """
    try:
        os.link(source, target)
        return
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in _NO_LINKS:
            raise
    if _rename_noreplace(source, target):
        return
    _rename_with_claim(source, target)


_NO_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOSYS, errno.EMLINK, errno.EXDEV}
_RENAME_NOREPLACE = 1
_AT_FDCWD = -100


def _rename_noreplace(source: Path, target: Path) -> bool:
    """True when the kernel renamed without replacing; False when it cannot do that here."""
    renameat2 = _libc_renameat2()
    if renameat2 is None:
        return False
    result = renameat2(
        _AT_FDCWD, os.fsencode(source), _AT_FDCWD, os.fsencode(target), _RENAME_NOREPLACE
    )
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code == errno.EEXIST:
        raise FileExistsError(code, os.strerror(code), str(target))
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(target))


def _libc_renameat2() -> Callable[..., int] | None:
    return _libc_function(
        "renameat2", [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    )


def _libc_function(name: str, argtypes: list[Any]) -> Callable[..., int] | None:
    """A function of the C library (Linux extensions such as renameat2), or None."""
    try:
        function = getattr(ctypes.CDLL(None, use_errno=True), name)
    except (OSError, AttributeError):
        return None
    function.argtypes = argtypes
    function.restype = ctypes.c_int
    return cast("Callable[..., int]", function)


def _rename_with_claim(source: Path, target: Path) -> None:
    claim = target.with_name(f"{TEMP_PREFIX}claim-{target.name}")
    try:
        fd = os.open(claim, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise FileExistsError(
            errno.EEXIST, "being written by another writer", str(target)
        ) from None
    os.close(fd)
    try:
        if os.path.lexists(target):
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(target))
        os.rename(source, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(claim)


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


_WHAT_TO_DO: dict[int | None, str] = {
    errno.ENOSPC: "the disk is full: free some space, or write elsewhere",
    errno.EDQUOT: "your disk quota is used up: free some space, or write elsewhere",
    errno.EFBIG: "the file is too large for this place: write elsewhere",
    errno.EROFS: "the filesystem is read-only: write elsewhere",
    errno.EACCES: "you may not write here: check the folder's permissions, or write elsewhere",
    errno.EPERM: "you may not write here: check the folder's permissions, or write elsewhere",
    errno.ENOENT: "the folder does not exist: make it first, or write elsewhere",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EISDIR: "that is a folder: give a file name",
}


def missing_folder(folder: Path) -> StorageError:
    return StorageError(
        "the folder does not exist", file=folder, hint="make it first, or write elsewhere"
    )


def storage_error(exc: OSError, path: Path, doing: str) -> StorageError:
    """An OSError as a StorageError naming the path, what failed and what to do."""
    reason = exc.strerror or str(exc)
    return StorageError(f"cannot {doing}: {reason}", file=path, hint=_WHAT_TO_DO.get(exc.errno))
