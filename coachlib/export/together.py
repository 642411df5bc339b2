"""`coach serve PACK`: JupyterLab on one pack, for a coach and a coachee working together.

With ``--collaborate`` (jupyter-collaboration installed: ``pip install
'coachlib[collaborate]'``) both people type in the same notebook at the same time, and
see the same live form (one kernel). Whoever hosts lends their account: a guest can run
code and read and write every file the host can. So the natural host is the coachee, with
their own pack on their own machine, the coach joining by the link. When the coach hosts,
a pack inside the coach's workspace is refused (a guest's code could read every coachee's
journal), terminals are off, and the command says in one line what a guest can reach.

The notebook is trusted as the server's user before the server starts: collaborators see
widgets only in a trusted notebook (trust is not shared between them).
"""

from __future__ import annotations

import hashlib
import importlib.util
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path

from ..model.errors import InputError
from ..model.pack import MANIFEST

NOTEBOOK = "reflection.ipynb"


@dataclass(frozen=True)
class Serving:
    command: list[str]
    url: str
    guest_reach: str


def serve_command(
    pack: Path,
    *,
    workspace: Path | None,
    collaborate: bool,
    ip: str = "127.0.0.1",
    port: int = 8899,
) -> Serving:
    """How to serve ``pack`` (InputError for a folder that is not a pack, one inside the
    coach's workspace, or collaboration without jupyter-collaboration)."""
    if not (pack / MANIFEST).is_file() or not (pack / NOTEBOOK).is_file():
        raise InputError(f"{pack} is not a reflection pack (no {MANIFEST} and {NOTEBOOK})")
    if workspace is not None and workspace.is_dir() and _inside(pack, workspace):
        raise InputError(
            f"{pack} is inside your workspace {workspace}: a guest could read every "
            "coachee's journal through the kernel",
            hint="copy the pack out of the workspace first, or let the coachee host it",
        )
    if collaborate and importlib.util.find_spec("jupyter_collaboration") is None:
        raise InputError("working together needs jupyter-collaboration",
                         hint="pip install 'coachlib[collaborate]'")  # fmt: skip
    trust(pack / NOTEBOOK)
    token = secrets.token_urlsafe(24)
    command = [
        sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--ip={ip}", f"--port={port}",
        f"--ServerApp.root_dir={pack.resolve()}", f"--IdentityProvider.token={token}",
        "--ServerApp.terminals_enabled=False", "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]  # fmt: skip
    if collaborate:
        state = collaboration_state(pack)
        command += [
            f"--SQLiteYStore.db_path={state / 'ystore.db'}",
            f"--YDocExtension.session_store_path={state / 'sessions.json'}",
        ]
    else:
        command.append("--YDocExtension.disable_rtc=True")
    url = f"http://{ip}:{port}/lab/tree/{NOTEBOOK}?token={token}"
    reach = (
        f"A guest with the link runs code as you and can read and write every file you can "
        f"(not only {pack}); terminals are off."
    )
    return Serving(command=command, url=url, guest_reach=reach)


def collaboration_state(pack: Path) -> Path:
    """A private folder, outside the pack, for the edit history jupyter-collaboration keeps:
    it holds every keystroke, which must not travel back to the coach inside the pack."""
    from jupyter_core.paths import jupyter_data_dir

    key = hashlib.sha256(str(pack.resolve()).encode()).hexdigest()[:16]
    state = Path(jupyter_data_dir()) / "coachlib-together" / key
    state.mkdir(parents=True, exist_ok=True, mode=0o700)
    state.chmod(0o700)
    return state


def trust(notebook: Path) -> bool:
    """Sign the notebook for this user, so JupyterLab shows its widgets to everyone.

    A signature tells JupyterLab to run what the notebook's saved outputs and Markdown
    hold, in the browser of everyone who opens it: the guest's too. So it vouches only for
    what the code shows when it runs: saved outputs are cleared first (the pack's own
    notebook is run at the start of a session anyway), and a notebook whose Markdown holds
    raw HTML (a place for a script) is not signed at all. Returns whether it was signed.
    """
    import nbformat
    from nbformat.sign import NotebookNotary

    from ..store import atomic

    content = nbformat.read(notebook, as_version=4)
    if any(_raw_html(cell.source) for cell in content.cells if cell.cell_type == "markdown"):
        return False
    outputs = [cell for cell in content.cells if cell.get("outputs")]
    for cell in outputs:
        cell.outputs = []
        cell.execution_count = None
    if outputs:
        mode = notebook.stat().st_mode & 0o777
        atomic.write_file(notebook, nbformat.writes(content),
                          modes=atomic.Modes(folder=0o700, file=mode))  # fmt: skip
    NotebookNotary().sign(content)
    return True


def _raw_html(markdown: str) -> bool:
    """Whether Markdown holds raw HTML (blocks or inline tags), as CommonMark reads it."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(markdown)
    kinds = {token.type for token in tokens}
    kinds |= {child.type for token in tokens for child in token.children or []}
    return bool(kinds & {"html_block", "html_inline"})


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True
