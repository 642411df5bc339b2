"""`coach share --with-installer`: the coachlib wheel beside the pack.

coachlib is not on the package index yet, so a coachee installs it from a wheel file their
coach hands over (``pipx install ./coachlib-VERSION-py3-none-any.whl``, as the pack's
README says). The wheel is the coachlib that runs this command: ``$COACHLIB_WHEEL`` if the
coach has the file already; else built from the source tree coachlib runs from
(``python -m build --wheel``, as a release is); else, installed from a wheel (pipx), made
again from the installed files, which are the wheel's own files (their hashes recorded
anew). It is found before the pack is made, so a refusal leaves nothing behind.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from ..model.errors import InputError

SOURCE = Path(__file__).resolve().parents[2]  # the source tree, when coachlib runs from one
LEFT_OUT = {"RECORD", "INSTALLER", "REQUESTED", "direct_url.json"}  # written by the installer


def wheel(work: Path) -> Path:
    """A wheel of this coachlib, in ``work`` (a temporary folder of the caller's)."""
    given = os.environ.get("COACHLIB_WHEEL", "")
    if given:
        path = Path(given)
        if not (path.is_file() and path.name.startswith("coachlib-") and path.suffix == ".whl"):
            raise InputError(
                "not a coachlib wheel",
                file=path,
                hint="COACHLIB_WHEEL names a coachlib-VERSION-py3-none-any.whl",
            )
        return path
    project = SOURCE / "pyproject.toml"
    if project.is_file() and 'name = "coachlib"' in project.read_text(encoding="utf-8"):
        return _build(work)
    return _repack(work)


def _build(work: Path) -> Path:
    if importlib.util.find_spec("build") is None:
        raise InputError(
            "building the wheel needs the `build` package",
            hint="pip install build, or set COACHLIB_WHEEL to a wheel file",
        )
    done = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(work), str(SOURCE)],
        capture_output=True,
        text=True,
    )
    built = sorted(work.glob("coachlib-*.whl"))
    if done.returncode != 0 or not built:
        last = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        raise InputError(
            f"the wheel could not be built: {last[0]}", hint="set COACHLIB_WHEEL to a wheel file"
        )
    return built[-1]


def _repack(work: Path) -> Path:
    """The installed distribution's files as a wheel (what pip installed from one)."""
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        dist = distribution("coachlib")
    except PackageNotFoundError:
        raise InputError(
            "coachlib is not installed as a package here: no wheel to hand over",
            hint="set COACHLIB_WHEEL to a wheel file",
        ) from None
    files = [f for f in dist.files or [] if _belongs(str(f.as_posix()))]
    if not any(str(f.as_posix()).startswith("coachlib/") for f in files):
        raise InputError(
            "this coachlib is installed without its files (editable?)",
            hint="set COACHLIB_WHEEL to a wheel file",
        )
    info = f"coachlib-{dist.version}.dist-info"
    path = work / f"coachlib-{dist.version}-py3-none-any.whl"
    record = []
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in files:
            name = item.as_posix()
            data = Path(str(dist.locate_file(item))).read_bytes()
            out.writestr(name, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            record.append(f"{name},sha256={digest.decode()},{len(data)}")
        record.append(f"{info}/RECORD,,")
        out.writestr(f"{info}/RECORD", "\n".join(record) + "\n")
    return path


def _belongs(name: str) -> bool:
    """A file of the wheel: the package and its metadata, not scripts pip wrote elsewhere,
    compiled caches, or what the installer added to the metadata."""
    parts = name.split("/")
    if parts[0] == ".." or "__pycache__" in parts or name.endswith(".pyc"):
        return False
    return not (parts[0].endswith(".dist-info") and parts[-1] in LEFT_OUT)


def put_beside(pack: Path, built: Path) -> Path:
    """``built`` copied into the folder that holds ``pack`` (a folder or a zip): the coach
    gives both; readable by whoever the coach passes it to."""
    from ..store import atomic

    target = pack.parent / built.name
    atomic.write_file(target, built.read_bytes(), modes=atomic.Modes(folder=0o700, file=0o644))
    return target
