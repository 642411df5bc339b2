"""What the JupyterLab servers coachlib starts for a pack show, beyond JupyterLab's defaults.

A coachee does not program: they should see prose, forms and charts. JupyterLab folds a
cell's code (``jupyter.source_hidden``) but still shows its first line, and numbers every
cell; and it asks about Jupyter news in a pop-up. The servers ``coach serve`` and the
coaching hub start read ``coachee_lab/``: a page config that turns the news plugin off
and a custom stylesheet that hides folded code and cell numbers. Nothing is written into
the person's own Jupyter settings: it is added to the server's command and environment.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

CONFIG = Path(__file__).resolve().parent / "coachee_lab"
"""A Jupyter config folder: ``labconfig/page_config.json`` and ``custom/custom.css``."""

QUIET = ("Kernel is running over TCP without encryption",)
"""Lines a server's output drops: kernels talk to their server over this machine's
loopback only, which nobody else can listen to, so the warning asks a coachee to act
on nothing."""


def lab_arguments() -> list[str]:
    """JupyterLab options: load the stylesheet ``custom/custom.css`` of the config folder."""
    return ["--LabApp.custom_css=True"]


def lab_environment(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """``base`` (default: this process's environment) with :data:`CONFIG` as the Jupyter
    config folder: the one place JupyterLab serves ``custom/custom.css`` from, and where
    it reads ``labconfig/page_config.json``. The person's own config folder stays on the
    config path (their settings still apply) and keeps their JupyterLab settings and
    workspaces, so nothing is written into coachlib's folder."""
    env = dict(os.environ if base is None else base)
    own = env.get("JUPYTER_CONFIG_DIR") or str(Path.home() / ".jupyter")
    rest = [p for p in env.get("JUPYTER_CONFIG_PATH", "").split(os.pathsep) if p]
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join([own, *rest])
    env.setdefault("JUPYTERLAB_SETTINGS_DIR", str(Path(own) / "lab" / "user-settings"))
    env.setdefault("JUPYTERLAB_WORKSPACES_DIR", str(Path(own) / "lab" / "workspaces"))
    env["JUPYTER_CONFIG_DIR"] = str(CONFIG)
    return env
