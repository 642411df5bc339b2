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
import ipaddress
import os
import secrets
import socket
import sys
from dataclasses import dataclass
from pathlib import Path

from ..model.errors import InputError
from ..model.pack import MANIFEST
from ..store.workspace import REFLECTION_NOTEBOOK, enclosing_workspace
from .lab_settings import lab_arguments, lab_environment

NOTEBOOK = REFLECTION_NOTEBOOK  # the pack's one notebook (store.workspace knows the name)


@dataclass(frozen=True)
class Serving:
    command: list[str]
    url: str
    guest_reach: str
    reach_note: str = ""  # who can reach the link at all (loopback: this machine only)
    env: dict[str, str] | None = None  # the server's environment (lab_settings)


def serve_command(
    pack: Path,
    *,
    workspace: Path | None,
    collaborate: bool,
    ip: str = "127.0.0.1",
    port: int = 8899,
    certfile: str | None = None,
    keyfile: str | None = None,
) -> Serving:
    """How to serve ``pack`` (InputError for a folder that is not a pack, one inside the
    coach's workspace, or collaboration without jupyter-collaboration)."""
    if not (pack / MANIFEST).is_file() or not (pack / NOTEBOOK).is_file():
        raise InputError(f"{pack} is not a reflection pack (no {MANIFEST} and {NOTEBOOK})")
    enclosing = enclosing_workspace(pack)
    if workspace is not None and workspace.is_dir() and _inside(pack, workspace):
        enclosing = workspace
    if enclosing is not None:
        raise InputError(
            f"{pack} is inside your workspace {enclosing}: a guest could read every "
            "coachee's journal through the kernel",
            hint="copy the pack out of the workspace first, or let the coachee host it",
        )
    if bool(certfile) != bool(keyfile):
        raise InputError("TLS needs both --certfile and --keyfile")
    for tls in (certfile, keyfile):
        if tls and not Path(tls).is_file():
            raise InputError("no such file", file=tls, hint="give the certificate's files")
    if not _port_free(ip, port):
        raise InputError(
            f"port {port} on {ip} is taken (another server?): the link would lead there",
            hint="choose another with --port",
        )
    if collaborate and importlib.util.find_spec("jupyter_collaboration") is None:
        raise InputError(
            "working together needs jupyter-collaboration",
            hint="pip install 'coachlib[collaborate]'",
        )
    trust(pack / NOTEBOOK)
    token = secrets.token_urlsafe(24)
    command = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--no-browser",
        f"--ip={ip}",
        f"--port={port}",
        f"--ServerApp.root_dir={pack.resolve()}",
        f"--IdentityProvider.token={token}",
        "--ServerApp.terminals_enabled=False",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        # the asked port or none: JupyterLab would move to the next free one, and the link
        # printed for the guest would lead to whatever listens on the asked one
        "--ServerApp.port_retries=0",
        *lab_arguments(),  # no news pop-up, no folded code or cell numbers on show
    ]
    if os.geteuid() == 0:  # JupyterLab refuses root without it; the warning is printed
        command.append("--allow-root")
    if collaborate:
        state = collaboration_state(pack)
        command += [
            f"--SQLiteYStore.db_path={state / 'ystore.db'}",
            f"--YDocExtension.session_store_path={state / 'sessions.json'}",
        ]
    else:
        command.append("--YDocExtension.disable_rtc=True")
    if certfile and keyfile:
        command += [
            f"--ServerApp.certfile={Path(certfile).resolve()}",
            f"--ServerApp.keyfile={Path(keyfile).resolve()}",
        ]
    scheme = "https" if certfile else "http"
    host = f"[{ip}]" if ":" in ip else ip
    url = f"{scheme}://{host}:{port}/lab/tree/{NOTEBOOK}?token={token}"
    reach = (
        f"A guest with the link runs code as you and can read and write every file you can "
        f"(not only {pack}); terminals are off."
    )
    if os.geteuid() == 0:
        reach += " You are root: a guest would run code as root. Serve as an ordinary user."
    return Serving(
        command=command,
        url=url,
        guest_reach=reach,
        reach_note=_reach_note(ip, port, tls=bool(certfile)),
        env=lab_environment(),
    )


def _reach_note(ip: str, port: int, *, tls: bool) -> str:
    """Who can open the link: say it when only this machine can, and how to reach further
    (Samman coaching is often remote)."""
    if ip == "localhost" or ipaddress.ip_address(ip).is_loopback:
        return (
            f"{ip} is this machine only. For someone on another machine: an SSH tunnel "
            f"from theirs (ssh -L {port}:127.0.0.1:{port} YOU@THIS-MACHINE, then the same "
            "link), or --ip with this machine's address and --certfile/--keyfile."
        )
    if not tls:
        return (
            "Without --certfile/--keyfile the link and everything typed travel "
            "unencrypted: use TLS, or an SSH tunnel, beyond a network you trust."
        )
    return ""


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
        atomic.write_file(
            notebook, nbformat.writes(content), modes=atomic.Modes(folder=0o700, file=mode)
        )
    NotebookNotary().sign(content)
    return True


def _raw_html(markdown: str) -> bool:
    """Whether Markdown holds raw HTML (blocks or inline tags), as CommonMark reads it."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(markdown)
    kinds = {token.type for token in tokens}
    kinds |= {child.type for token in tokens for child in token.children or []}
    return bool(kinds & {"html_block", "html_inline"})


def _port_free(ip: str, port: int) -> bool:
    """Whether ``port`` can be bound on ``ip`` now (a server already there answers on it)."""
    family = socket.AF_INET6 if ":" in ip else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((ip, port))
        except OSError:
            return False
    return True


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True
