"""`coach open PACK`: a coachee's pack as a page without code (Voilà), offline.

Voilà runs the pack's notebook in a kernel of its own and shows its outputs and widgets,
never its code, and refuses a visitor's requests to run code. Its default template loads
icon fonts from a CDN: ours (``serve/voila/``) leaves them out, so the page makes no
request outside this machine. The kernel runs in the pack's folder, so a save lands in the
pack's journal.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ..model.errors import InputError
from ..model.pack import MANIFEST
from ..store.workspace import REFLECTION_NOTEBOOK

NOTEBOOK = REFLECTION_NOTEBOOK  # the pack's one notebook (store.workspace knows the name)
DATA = Path(__file__).resolve().parent / "voila"  # holds voila/templates/coach


def voila_command(pack: Path, *, port: int | None = None, browser: bool = True):
    """The command and environment that serve ``pack`` with Voilà (InputError if ``pack``
    is not a reflection pack, or Voilà is not installed)."""
    if not (pack / MANIFEST).is_file() or not (pack / NOTEBOOK).is_file():
        raise InputError(f"{pack} is not a reflection pack (no {MANIFEST} and {NOTEBOOK})")
    import importlib.util

    if importlib.util.find_spec("voila") is None:
        raise InputError("Voilà is not installed", hint="pip install voila")
    command = [
        sys.executable,
        "-m",
        "voila",
        NOTEBOOK,
        "--template=coach",
        "--VoilaConfiguration.allow_template_override=NO",
        "--strip_sources=True",
        "--show_tracebacks=False",
        "--Voila.ip=127.0.0.1",
    ]
    if port:
        command.append(f"--port={port}")
    if not browser:
        command.append("--no-browser")
    paths = [str(DATA), *filter(None, os.environ.get("JUPYTER_PATH", "").split(os.pathsep))]
    env = {**os.environ, "JUPYTER_PATH": os.pathsep.join(paths)}
    return command, env
