"""A real JupyterLab server for the browser tests and the browser benchmarks.

``running_lab(root)`` starts ``jupyter lab`` on a free loopback port with a token, its own
settings (no news pop-up) and runtime folders, waits until it answers, and stops it (and
the kernels it started, by its process group) afterwards. The three steps are here once
for every server a test starts (JupyterLab, ``coach serve``, Voilà): :func:`free_port`,
:func:`wait_until_answers`, :func:`stop_group`.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

KERNEL_IDLE = r"Python 3 \(ipykernel\)\s*\|\s*Idle"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Lab:
    """A running JupyterLab server whose root holds one workspace."""

    url: str
    token: str
    root: Path
    log: Path

    @property
    def workspace(self) -> Path:
        return self.root / "coaching"

    def coach(self, *args: str) -> subprocess.CompletedProcess:
        """Run the real `coach` command on this lab's workspace."""
        result = subprocess.run(
            [sys.executable, "-m", "coachlib.cli", *args, "--workspace", str(self.workspace)],
            capture_output=True, text=True, timeout=300, cwd=self.root,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        return result

    def new_notebook(self, *args: str) -> str:
        """`coach new ...`; the notebook's path relative to the lab root."""
        out = self.coach("new", *args).stdout.splitlines()[0]
        path = (self.root / out.removeprefix("Session notebook: ")).resolve()
        return str(path.relative_to(self.root.resolve()))

    def open(self, page, notebook: str) -> None:
        """Open a notebook, alone in a fresh JupyterLab workspace (no tabs restored from an
        earlier test), and wait until its kernel is connected and idle."""
        layout = secrets.token_hex(6)
        page.goto(f"{self.url}/lab/workspaces/{layout}/tree/{notebook}?token={self.token}&reset")
        page.wait_for_function(
            "document.querySelector('#jp-main-statusbar') && "
            f"/{KERNEL_IDLE}/.test(document.querySelector('#jp-main-statusbar').innerText)",
            timeout=90_000,
        )

    def shut_down_kernels(self) -> None:
        """Stop every kernel of this server (the next open starts a new one)."""
        api = f"{self.url}/api/sessions?token={self.token}"
        for session in json.loads(urllib.request.urlopen(api, timeout=10).read()):
            request = urllib.request.Request(
                f"{self.url}/api/sessions/{session['id']}?token={self.token}", method="DELETE"
            )
            urllib.request.urlopen(request, timeout=30)

    def run_all(self, page) -> None:
        page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        self.wait_idle(page)

    def run_cell_containing(self, page, text: str) -> None:
        """Run the first cell whose source contains ``text`` (as a person would, Shift+Enter)."""
        page.evaluate(
            """async (text) => {
                const panel = window.jupyterapp.shell.currentWidget;
                const notebook = panel.content;
                const index = notebook.widgets.findIndex(
                    cell => cell.model.sharedModel.getSource().includes(text));
                if (index < 0) throw new Error('no cell with ' + text);
                notebook.activeCellIndex = index;
                await window.jupyterapp.commands.execute('notebook:run-cell');
            }""",
            text,
        )
        self.wait_idle(page)

    def wait_idle(self, page) -> None:
        """Until no cell is queued or running and the kernel is idle."""
        page.wait_for_function(
            "![...document.querySelectorAll('.jp-InputArea-prompt')]"
            ".some(p => p.textContent.includes('*'))",
            timeout=120_000,
        )
        page.wait_for_function(
            f"/{KERNEL_IDLE}/.test(document.querySelector('#jp-main-statusbar').innerText)",
            timeout=120_000,
        )


def _lab_environment(root: Path) -> dict[str, str]:
    settings = root / ".lab-settings"
    notification = settings / "@jupyterlab" / "apputils-extension"
    notification.mkdir(parents=True)
    (notification / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )
    env = {
        **os.environ,
        "JUPYTERLAB_SETTINGS_DIR": str(settings),
        "JUPYTERLAB_WORKSPACES_DIR": str(root / ".lab-workspaces"),
        "JUPYTER_RUNTIME_DIR": str(root / ".jupyter-runtime"),
    }
    env.pop("COACH_WORKSPACE", None)
    return env


def wait_until_answers(
    url: str,
    process: subprocess.Popen,
    log: Path,
    *,
    what: str,
    timeout: float = 60,
    context: ssl.SSLContext | None = None,
) -> None:
    """Poll ``url`` until the server answers (the event waited for); RuntimeError with the
    end of its log if the process ends first or ``timeout`` seconds pass. ``context``: for
    https with a test's own self-signed certificate."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=30, context=context) as answer:
                answer.read()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                stop_group(process)
                raise RuntimeError(f"{what} did not start:\n{log.read_text()[-3000:]}") from None
            time.sleep(0.25)  # polling the server until it answers (the event)


def stop_group(process: subprocess.Popen) -> None:
    """Stop a server started with ``start_new_session=True`` by its own process group (the
    kernels it started go with it, even when the server itself has ended): politely, then by
    force; its pipes closed."""
    with contextlib.suppress(ProcessLookupError):  # the whole group is gone already
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    for pipe in (process.stdin, process.stdout, process.stderr):
        if pipe is not None:
            pipe.close()


@contextlib.contextmanager
def running_lab(root: Path) -> Iterator[Lab]:
    """JupyterLab serving ``root`` (its workspace is ``root / "coaching"``)."""
    port, token = free_port(), secrets.token_hex(16)
    log = root / "jupyterlab.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [
                sys.executable, "-m", "jupyter", "lab", "--no-browser",
                f"--port={port}", "--ip=127.0.0.1", f"--IdentityProvider.token={token}",
                "--allow-root", "--LabApp.news_url=None",
                "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
                "--LabApp.expose_app_in_browser=True", f"--ServerApp.root_dir={root}",
                # One person per notebook here (with jupyter-collaboration installed, the
                # two-person tests start their own server through `coach serve`).
                "--YDocExtension.disable_rtc=True",
            ],
            stdout=output, stderr=subprocess.STDOUT, cwd=root,
            env=_lab_environment(root), start_new_session=True,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    wait_until_answers(f"{url}/api/status?token={token}", process, log, what="JupyterLab")
    # If the run is stopped (SIGTERM from a CI timeout), still stop the server below.
    previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        yield Lab(url=url, token=token, root=root, log=log)
    finally:
        signal.signal(signal.SIGTERM, previous)
        stop_group(process)
