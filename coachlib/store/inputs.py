"""Reading a file a person hands to a command (a ladder to import, a catalogue to install).

Such a path can name anything: a FIFO (a plain ``open`` waits for a writer forever), a
device (``/dev/zero`` never ends), a folder, or a file of gigabytes. So the file is opened
without blocking (``O_NONBLOCK``: opening a FIFO returns at once), what was opened is
looked at (``fstat`` on the open descriptor, so nothing can be swapped in between), and
only a regular file within the command's size limit is read, never more than the limit
even if it grows meanwhile. Everything else is refused with one line naming the file
(``InputError``: exit 2, nothing written).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..model.errors import InputError

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def read_input(path: str | os.PathLike[str], *, limit: int, follow: bool = True) -> str:
    """The UTF-8 text of the regular file at ``path``, at most ``limit`` bytes.

    ``follow=False`` refuses a symbolic link (``O_NOFOLLOW``): for files a command found
    in a folder rather than files a person named (a link there may point anywhere)."""
    path = Path(path)
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise InputError("no such file", file=path) from None
    except OSError as exc:
        if not follow and path.is_symlink():
            raise InputError("is a symbolic link: not followed, not read", file=path) from None
        raise InputError(f"cannot read: {exc.strerror or exc}", file=path) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = next((name for test, name in _KINDS if test(info.st_mode)), "not a file")
            raise InputError(f"is {kind}, not a regular file: not read", file=path)
        if info.st_size > limit:
            raise InputError(
                f"is {info.st_size:,} bytes, over the limit of {limit:,}: not read", file=path
            )
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", file=path) from None
    finally:
        os.close(fd)
    if size > limit:  # it grew while being read
        raise InputError(f"is over the limit of {limit:,} bytes: not read", file=path)
    data = b"".join(chunks)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"not UTF-8 text (byte {exc.start + 1:,}: {exc.reason})",
            file=path,
            line=line,
            hint="save it as UTF-8",
        ) from None
