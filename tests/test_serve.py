"""`coach serve`: what it refuses (before touching anything) and what it starts."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from coachlib.export.demo import build_demo_journal
from coachlib.export.share import make_pack
from coachlib.export.together import serve_command
from coachlib.model.errors import InputError


def snapshot(folder: Path) -> list:
    return sorted((str(p), p.stat().st_mtime_ns) for p in folder.rglob("*"))


def coach_serve(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "coachlib.cli", "serve", *args],
                          capture_output=True, text=True, timeout=60)  # fmt: skip


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

    from coachlib.export.together import trust

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
