"""Reading a file a person hands to a command (a ladder to import, a catalogue to install).

Such a path can name anything: a FIFO (a plain ``open`` waits for a writer forever), a
device (``/dev/zero`` never ends), a folder, or a file of gigabytes. So it is read as
journal files are (``store.records.read_bytes``): opened without blocking, what was opened
looked at, and only a regular file within the command's size limit read, never more than
the limit even if it grows meanwhile. Everything else is refused with one line naming the
file (``InputError``: exit 2, nothing written).
"""

from __future__ import annotations

import os
from pathlib import Path

from ..model.errors import InputError
from .records import read_bytes


def read_input(path: str | os.PathLike[str], *, limit: int, follow: bool = True) -> str:
    """The UTF-8 text of the regular file at ``path``, at most ``limit`` bytes.

    ``follow=False`` refuses a symbolic link: for files a command found in a folder
    rather than files a person named (a link there may point anywhere)."""
    path = Path(path)
    data = read_bytes(path, limit=limit, error=InputError, follow=follow)
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
