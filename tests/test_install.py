"""A non-editable install (`pip install .` into a fresh venv) finds its frameworks and
workbook templates as package data, without the source tree."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.lab_server import stop_group

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


def sh(*args, cwd=None, timeout=600):
    # Data files of the dependencies (nbconvert's templates) live under the test
    # environment's prefix, which the fresh venv borrows its packages from.
    # PYTHONPATH (a checkout under test) would put that coachlib before the installed one.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["JUPYTER_PATH"] = str(Path(sys.prefix) / "share" / "jupyter")
    result = subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, cwd=cwd, timeout=timeout, env=env
    )
    assert result.returncode == 0, f"{args}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def test_wheel_installed_into_a_fresh_venv_works_outside_the_source_tree(tmp_path):
    dist = tmp_path / "dist"
    sh(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", dist, REPO)
    [wheel] = dist.glob("coachlib-*.whl")
    venv = tmp_path / "venv"
    sh(sys.executable, "-m", "venv", venv)
    python = venv / "bin" / "python"
    # Dependencies come from the test environment (a plain path entry: its .pth files,
    # including the editable coachlib, are not processed); coachlib itself from the wheel.
    site = Path(sh(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))")
                .stdout.strip())  # fmt: skip
    (site / "deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    sh(python, "-m", "pip", "install", "--no-deps", "--quiet", wheel)

    outside = tmp_path / "elsewhere"
    outside.mkdir()
    where = sh(python, "-c", "import coachlib; print(coachlib.__file__)", cwd=outside).stdout
    assert Path(where.strip()).is_relative_to(site), where
    coach = venv / "bin" / "coach"
    listing = sh(coach, "frameworks", cwd=outside).stdout
    assert "samman-ensemble" in listing and "samman-learning-hour" in listing
    assert "_data/frameworks/samman-ensemble.yaml" in listing
    shown = sh(coach, "frameworks", "show", "samman-ensemble", cwd=outside).stdout
    assert "Coach other coaches to improve teamwork and lead Ensemble." in shown

    made = sh(
        coach, "new", "--framework", "samman-ensemble", "--coachee", "Ada Lovelace",
        "--author", "Grace Hopper", "--workspace", "ws", cwd=outside,
    )  # fmt: skip
    notebook = outside / made.stdout.splitlines()[0].removeprefix("Session notebook: ")
    cells = json.loads(notebook.read_text())["cells"]
    outputs = json.dumps([c.get("outputs", []) for c in cells])
    assert "Where Ada Lovelace stands" in outputs
    assert '"output_type": "error"' not in outputs
    sh(coach, "export", "--coachee", "Ada Lovelace", "--workspace", "ws", cwd=outside)
    assert list((outside / "ws" / "reports").glob("ada-lovelace-*.html"))

    # `coach share --with-installer` from this install (made from a wheel, no source tree):
    # the wheel is made again from the installed files, and installs and runs elsewhere.
    (outside / "given").mkdir()
    shared = sh(coach, "share", "--coachee", "Ada Lovelace", "--framework", "samman-ensemble",
                "--workspace", "ws", "--to", "given/ada", "--with-installer",
                cwd=outside)  # fmt: skip
    [again] = (outside / "given").glob("coachlib-*-py3-none-any.whl")
    assert again.name in shared.stdout
    other = tmp_path / "coachee-venv"
    sh(sys.executable, "-m", "venv", other)
    other_site = Path(sh(other / "bin" / "python", "-c", "import sysconfig; "
                         "print(sysconfig.get_path('purelib'))").stdout.strip())  # fmt: skip
    (other_site / "deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    sh(other / "bin" / "python", "-m", "pip", "install", "--no-deps", "--quiet", again)
    assert "samman-ensemble" in sh(other / "bin" / "coach", "frameworks", cwd=outside).stdout


def test_share_with_installer_puts_the_wheel_built_from_the_source_beside_the_pack(tmp_path):
    """From the source tree (an editable install, a checkout): `python -m build --wheel`,
    and the wheel lands beside the pack, the pack itself unchanged by it."""
    import zipfile

    from coachlib.demo.workspace import build_demo_journal

    workspace = build_demo_journal(tmp_path / "ws").workspace
    (tmp_path / "given").mkdir()
    env = {k: v for k, v in os.environ.items() if k != "COACHLIB_WHEEL"}
    result = subprocess.run(
        [sys.executable, "-m", "coachlib.cli", "share", "--coachee", "Mei Chen", "--framework",
         "samman-ensemble", "--workspace", str(workspace.root), "--to",
         str(tmp_path / "given" / "mei"), "--with-installer"],
        capture_output=True, text=True, timeout=600, env=env, cwd=REPO,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    [wheel] = (tmp_path / "given").glob("coachlib-*-py3-none-any.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "coachlib/__init__.py" in names
    assert "coachlib/serve/coachee_lab/custom/custom.css" in names
    assert not list((tmp_path / "given" / "mei").glob("*.whl"))
    assert f"pipx install ./{wheel.name}" in result.stdout


def test_the_release_files_install_into_a_clean_venv_and_a_coachee_can_open_a_pack(tmp_path):
    """What a coachee does alone: `python -m build` makes the sdist and the wheel; the wheel
    goes into a clean virtual environment outside the checkout (its dependencies from the
    package index, nothing borrowed), where `coach --help`, `coach demo`, `coach share`
    and `coach open` on the pack work; the sdist builds and installs there too."""
    import socket
    import time
    import urllib.request

    dist = tmp_path / "dist"
    sh(sys.executable, "-m", "build", "--sdist", "--wheel", "--outdir", dist, REPO, timeout=900)
    [wheel], [sdist] = dist.glob("coachlib-*.whl"), dist.glob("coachlib-*.tar.gz")
    venv = tmp_path / "clean"
    sh(sys.executable, "-m", "venv", venv)
    pip = [venv / "bin" / "python", "-m", "pip", "install", "--quiet"]
    sh(*pip, wheel, timeout=1200)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    coach = venv / "bin" / "coach"
    assert "usage: coach" in sh(coach, "--help", cwd=outside).stdout
    sh(coach, "demo", "ws", cwd=outside, timeout=900)
    shared = sh(coach, "share", "--coachee", "Ada Lovelace", "--framework", "samman-ensemble",
                "--workspace", "ws", cwd=outside).stdout  # fmt: skip
    [pack] = [p.parent for p in (outside / "ws" / "outbox").glob("*/pack.yaml")]
    assert pack.name in shared

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    page = subprocess.Popen([coach, "open", pack, "--no-browser", "--port", str(port)],
                            cwd=outside, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)  # fmt: skip
    try:
        deadline, body = time.monotonic() + 180, ""
        while not body:
            assert page.poll() is None, page.stdout.read().decode()
            assert time.monotonic() < deadline, "coach open did not answer in 180 s"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as answer:
                    body = answer.read().decode()
            except OSError:
                time.sleep(0.5)  # polling for the server to answer (the event)
        assert "voila" in body.lower() or "reflection" in body.lower(), body[:500]
    finally:
        stop_group(page)  # the group, then its pipe closed (warnings are errors)

    sh(*pip, "--force-reinstall", "--no-deps", sdist, timeout=900)  # built from the sdist
    listing = sh(coach, "frameworks", cwd=outside).stdout
    assert "samman-ensemble" in listing and "_data/frameworks" in listing
