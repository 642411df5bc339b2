"""`coach serve`: what it refuses (before touching anything) and what it starts."""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from coachlib.demo.workspace import build_demo_journal
from coachlib.export.share import make_pack
from coachlib.model.errors import InputError
from coachlib.serve.together import serve_command
from tests.lab_server import free_port


def snapshot(folder: Path) -> list:
    return sorted((str(p), p.stat().st_mtime_ns) for p in folder.rglob("*"))


def coach_serve(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "COACH_WORKSPACE"}
    return subprocess.run([sys.executable, "-m", "coachlib.cli", "serve", *args], env=env,
                          capture_output=True, text=True, timeout=60, cwd=cwd)  # fmt: skip


@pytest.fixture
def workspace(tmp_path):
    return build_demo_journal(tmp_path / "coaching").workspace


def test_a_pack_inside_the_coachs_workspace_is_refused_and_nothing_changes(workspace, tmp_path):
    pack = make_pack(workspace, coachee="Mei Chen", framework="samman-ensemble").path
    assert pack.resolve().is_relative_to(workspace.root.resolve())
    before = snapshot(tmp_path)
    result = coach_serve(str(pack), "--workspace", str(workspace.root))
    assert result.returncode == 2, result
    assert "inside your workspace" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("way", ["from the workspace", "from a subfolder", "through a link"])
def test_a_pack_in_the_workspace_is_refused_however_it_is_named(workspace, tmp_path, way):
    """No --workspace and no COACH_WORKSPACE: the pack's own place says it is inside."""
    pack = make_pack(workspace, coachee="Mei Chen", framework="samman-ensemble").path
    cwd, name = {
        "from the workspace": (workspace.root, pack.relative_to(workspace.root)),
        "from a subfolder": (workspace.journal_dir, pack),
        "through a link": (tmp_path, Path("linked-pack")),
    }[way]
    if way == "through a link":
        (tmp_path / "linked-pack").symlink_to(pack, target_is_directory=True)
    before = snapshot(workspace.root)
    result = coach_serve(str(name), cwd=cwd)
    assert result.returncode == 2, result
    assert "inside your workspace" in result.stderr, result.stderr
    assert snapshot(workspace.root) == before


def test_a_taken_port_is_refused_rather_than_moved(workspace, tmp_path):
    """JupyterLab would take the next port, and the link printed for the guest would lead
    to whatever listens on the asked one (another `coach serve`, say)."""
    pack = make_pack(workspace, coachee="Mei Chen", framework="samman-ensemble",
                     to=tmp_path / "elsewhere").path  # fmt: skip
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        result = coach_serve(str(pack), "--port", str(port))
    assert result.returncode == 2, result
    assert f"port {port} on 127.0.0.1 is taken" in result.stderr
    command = serve_command(pack, workspace=None, collaborate=False, port=free_port()).command
    assert "--ServerApp.port_retries=0" in command


def test_a_folder_that_is_not_a_pack_is_refused(workspace, tmp_path):
    before = snapshot(tmp_path)
    result = coach_serve(str(workspace.root), "--workspace", str(tmp_path / "none"))
    assert result.returncode == 2
    assert "is not a reflection pack" in result.stderr
    assert snapshot(tmp_path) == before


def test_the_server_has_no_terminals_a_token_and_keeps_its_history_out_of_the_pack(
    workspace, tmp_path, monkeypatch
):
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "data"))
    pack = make_pack(workspace, coachee="Mei Chen", framework="samman-ensemble",
                     to=tmp_path / "mei").path  # fmt: skip
    serving = serve_command(pack, workspace=workspace.root, collaborate=False)
    assert "--ServerApp.terminals_enabled=False" in serving.command
    assert "--YDocExtension.disable_rtc=True" in serving.command
    assert "token=" in serving.url and serving.url.startswith("http://127.0.0.1:")
    if importlib.util.find_spec("jupyter_collaboration") is not None:
        together = serve_command(pack, workspace=workspace.root, collaborate=True)
        stores = [a for a in together.command if a.startswith("--SQLiteYStore.db_path=")]
        [store] = stores
        store_path = Path(store.split("=", 1)[1])
        assert not store_path.resolve().is_relative_to(pack.resolve())
        assert (store_path.parent.stat().st_mode & 0o777) == 0o700


def test_working_together_without_jupyter_collaboration_says_how_to_install_it(
    workspace, tmp_path, monkeypatch
):
    pack = make_pack(workspace, coachee="Mei Chen", framework="samman-ensemble",
                     to=tmp_path / "mei").path  # fmt: skip
    real = importlib.util.find_spec

    def find_spec(name, *args):
        return None if name == "jupyter_collaboration" else real(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    with pytest.raises(InputError, match="jupyter-collaboration") as error:
        serve_command(pack, workspace=None, collaborate=True)
    assert "coachlib[collaborate]" in str(error.value.hint)


def test_trust_vouches_for_no_saved_output_and_no_html_in_markdown(tmp_path, monkeypatch):
    """A signed notebook's saved outputs and Markdown run in the guest's browser: a
    coachee's planted <script> must not be signed into it."""
    import nbformat
    from nbformat.sign import NotebookNotary

    from coachlib.serve.together import trust

    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "data"))
    script = "<script>window.__planted = 1</script>"
    planted = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Yours\n\nPlain words."),
        nbformat.v4.new_code_cell("1", outputs=[nbformat.v4.new_output(
            "display_data", data={"text/html": script, "text/plain": "x"})]),
    ])  # fmt: skip
    path = tmp_path / "reflection.ipynb"
    nbformat.write(planted, path)
    assert trust(path) is True
    signed = nbformat.read(path, as_version=4)
    assert "__planted" not in path.read_text()
    assert signed.cells[1].outputs == []
    assert NotebookNotary().check_signature(signed)

    for markdown in (script, 'Hi <img src=x onerror="window.__planted=1">'):
        html = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(markdown)])
        nbformat.write(html, path)
        assert trust(path) is False
        assert not NotebookNotary().check_signature(nbformat.read(path, as_version=4))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["open", "pack", "--port", "99999"], "argument --port: expected a port, 1-65535"),
        (["open", "pack", "--port", "0"], "argument --port: expected a port, 1-65535"),
        (["serve", "pack", "--ip", "999.1.1.1"], "argument --ip: expected an IP address"),
        (["serve", "pack", "--port", "70000"], "argument --port: expected a port"),
    ],
)
def test_a_wrong_port_or_address_is_one_line_at_the_parser(tmp_path, args, message):
    result = subprocess.run([sys.executable, "-m", "coachlib.cli", *args], cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr
    assert list(tmp_path.iterdir()) == []


def _answers(port: int) -> bool:
    import socket

    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _descendants(pid: int) -> set[int]:
    found, todo = set(), [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                children = (task / "children").read_text().split()
            except OSError:
                continue
            for child in map(int, children):
                if child not in found:
                    found.add(child)
                    todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("voila") is None, reason="needs Voilà")
@pytest.mark.parametrize("signum", ["SIGTERM", "SIGINT", "SIGHUP"])
def test_coach_open_stopped_by_a_signal_stops_its_voila_server(workspace, tmp_path, signum):
    import contextlib
    import os
    import signal
    import time

    from coachlib.cli import main

    assert main(["share", "--workspace", str(workspace.root), "--coachee", "Mei Chen",
                 "--framework", "samman-ensemble", "--to", str(tmp_path / "mei")]) == 0  # fmt: skip
    port = free_port()
    coach = subprocess.Popen(
        [sys.executable, "-m", "coachlib.cli", "open", str(tmp_path / "mei"), "--port",
         str(port), "--no-browser"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    servers: set[int] = set()
    try:
        deadline = time.monotonic() + 120
        while not _answers(port):  # polling for the server to listen (the event)
            assert coach.poll() is None, coach.stderr.read() if coach.stderr else ""
            assert time.monotonic() < deadline, "Voilà never listened"
            time.sleep(0.2)
        servers = _descendants(coach.pid)
        assert servers, "no server process under coach open"
        coach.send_signal(getattr(signal, signum))
        assert coach.wait(timeout=60) == 130
        assert "the server it started is stopped too" in coach.stderr.read()
        deadline = time.monotonic() + 30
        while _answers(port) or any(_alive(pid) for pid in servers):
            assert time.monotonic() < deadline, f"still running after {signum}: {servers}"
            time.sleep(0.2)  # polling for the server to be gone (the event)
    finally:  # whatever happened, leave nothing running (these are the test's own)
        for pid in [coach.pid, *servers]:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        coach.wait()
        if coach.stderr:
            coach.stderr.close()


def test_the_link_says_who_can_reach_it_and_tls_makes_it_https(workspace, tmp_path):
    pack = make_pack(workspace, coachee="Mei Chen", framework="samman-ensemble",
                     to=tmp_path / "elsewhere").path  # fmt: skip
    local = serve_command(pack, workspace=None, collaborate=False, port=free_port())
    assert local.url.startswith("http://127.0.0.1:")
    assert "this machine only" in local.reach_note and "ssh -L" in local.reach_note
    open_ = serve_command(pack, workspace=None, collaborate=False, ip="0.0.0.0",
                          port=free_port())  # fmt: skip
    assert "unencrypted" in open_.reach_note
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert.write_text("x")
    key.write_text("x")
    tls = serve_command(pack, workspace=None, collaborate=False, ip="0.0.0.0",
                        port=free_port(), certfile=str(cert), keyfile=str(key))  # fmt: skip
    assert tls.url.startswith("https://0.0.0.0:") and not tls.reach_note
    assert f"--ServerApp.certfile={cert}" in tls.command
    with pytest.raises(InputError, match="both --certfile and --keyfile"):
        serve_command(pack, workspace=None, collaborate=False, certfile=str(cert))


@pytest.mark.slow
def test_ctrl_c_stops_coach_serve_at_once_without_a_question_or_a_kernel_warning(
    workspace, tmp_path
):
    """Ctrl-C in the terminal (SIGINT to the foreground process group, with a terminal on
    stdin): `coach serve` stops its server and exits 130, and the server never asks "Shut
    down this Jupyter server (y/[n])?". A kernel started meanwhile prints nothing about
    TCP without encryption (it talks to its server over loopback only)."""
    import json
    import pty
    import signal
    import time
    import urllib.request

    from jupyter_client import BlockingKernelClient

    pack = make_pack(workspace, coachee="Mei Chen", framework="samman-ensemble",
                     to=tmp_path / "elsewhere").path  # fmt: skip
    _controller, terminal = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "COACH_WORKSPACE"}
    env["JUPYTER_RUNTIME_DIR"] = str(tmp_path / "runtime")
    coach = subprocess.Popen(
        [sys.executable, "-m", "coachlib.cli", "serve", str(pack), f"--port={free_port()}",
         "--workspace", str(tmp_path / "none")],
        stdin=terminal, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
        start_new_session=True,  # a process group of its own, as a terminal's foreground job
    )  # fmt: skip
    printed = []
    try:
        while not any("token=" in line for line in printed):
            line = coach.stdout.readline().decode()
            assert line, f"no link printed: {printed}"
            printed.append(line)
        link = next(line.strip() for line in printed if "token=" in line)
        base, token = link.split("/lab/")[0], link.split("token=")[1]
        headers = {"Authorization": f"token {token}"}
        deadline = time.monotonic() + 90
        while True:  # polling the server until it answers (the event)
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                assert coach.poll() is None and time.monotonic() < deadline, printed
                time.sleep(0.25)
        start = urllib.request.Request(f"{base}/api/kernels", data=b"{}", headers=headers,
                                       method="POST")  # fmt: skip
        kernel = json.loads(urllib.request.urlopen(start, timeout=60).read())["id"]
        client = BlockingKernelClient(connection_file=str(tmp_path / "runtime" /
                                                          f"kernel-{kernel}.json"))  # fmt: skip
        client.load_connection_file()
        client.start_channels()
        client.wait_for_ready(timeout=60)  # it answers: its sockets are open, warning or not
        client.stop_channels()
        os.killpg(coach.pid, signal.SIGINT)  # what Ctrl-C in the terminal does
        output = "".join(printed) + coach.communicate(timeout=60)[0].decode()
    finally:
        if coach.poll() is None:
            os.killpg(coach.pid, signal.SIGKILL)
            coach.wait()
    assert coach.returncode == 130, output
    assert "Shut down this Jupyter server" not in output, output
    assert "the server it started is stopped too" in output
    assert "without encryption" not in output, output
