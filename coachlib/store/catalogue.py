"""Installing a newer learning-hour catalogue in a workspace (``coach catalogue refresh``).

The file a person names is read the safe way (``store.inputs``: a FIFO, a device or a file
over :data:`~coachlib.model.catalogue.MAX_CATALOGUE_BYTES` is refused, never waited on),
every row is checked (:func:`~coachlib.model.catalogue.parse_catalogue`), and only then is
the text written, whole, where the workspace's catalogue lives: a refused file changes
nothing on disk.
"""

from __future__ import annotations

from pathlib import Path

from ..model.catalogue import MAX_CATALOGUE_BYTES, parse_catalogue
from .inputs import read_input
from .sessionlog import CATALOGUE_FILE, CATALOGUE_FOLDER
from .workspace import Workspace


def install_catalogue(workspace: Workspace, source: Path) -> tuple[Path, int]:
    """Check a newer catalogue CSV, then install it in the workspace (nothing is written
    if any row is wrong); returns where it went and how many learning hours it lists."""
    text = read_input(source, limit=MAX_CATALOGUE_BYTES)
    entries = parse_catalogue(text, source)
    target = workspace.frameworks_dir / CATALOGUE_FOLDER / CATALOGUE_FILE
    workspace.make_folder(target.parent)
    workspace.write_file(target, text)
    return target, len(entries)
