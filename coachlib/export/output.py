"""Where an export goes, written the one safe way.

An export lands in the workspace's ``reports/`` folder, or where the person asked with
``-o``: a file, or a folder to put the usual file name in. Either way it is written
atomically (``store.atomic``) with the workspace's modes, owner-only unless the workspace
is shared: a CSV of every reflection must not be readable by everyone on the machine.
Exports are derived data: one of the same name is replaced.
"""

from __future__ import annotations

from pathlib import Path

from ..store import atomic
from ..store.workspace import Workspace


def output_target(explicit: str | Path | None, default: Path) -> Path:
    """The file an export writes: ``default``, or ``-o``'s file, or ``default``'s name in
    ``-o``'s folder (as ``cp`` does)."""
    if not explicit:
        return default
    target = Path(explicit)
    return target / default.name if target.is_dir() else target


def save_output(workspace: Workspace, data: str | bytes, target: Path) -> Path:
    """Write an export atomically with the workspace's modes; make ``reports/`` if needed.

    A folder the person named that does not exist is not made (a typo, most likely): the
    StorageError names it.
    """
    if target.parent == workspace.reports_dir:
        workspace.make_folder(target.parent)
    return atomic.write_file(target, data, modes=workspace.modes)
