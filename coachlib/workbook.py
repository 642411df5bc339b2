"""Session notebooks: ``coach new`` makes one from a workbook template with papermill.

The notebook goes to ``workbooks/<coachee-slug>/<date>-<framework>-<role>.ipynb`` in the
workspace, never over an existing one (a coach may have typed in it): a second session on
the same day gets ``-2``. Its ``workspace`` parameter is the path from the notebook's folder
to the workspace, so the notebook keeps working when the workspace folder is moved or
shared (JupyterLab runs a kernel in the notebook's own folder).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from . import names, notebooks
from .errors import InputError
from .frameworks import Framework, catalog_for
from .journal import ROLES
from .workspace import Workspace


@dataclass(frozen=True)
class NewSession:
    path: Path
    framework: Framework
    coachee: str
    role: str


def template_for(framework: Framework) -> Path:
    """Milestone tracks get the milestone review; many-skill frameworks the skills review."""
    name = notebooks.MILESTONE_REVIEW if framework.is_milestone_track else notebooks.SKILLS_REVIEW
    return notebooks.template_path(name)


def _claim_notebook_path(folder: Path, stem: str) -> Path:
    """Create an empty file under the first free name so no other session takes it."""
    for number in range(1, 1000):
        path = folder / (f"{stem}.ipynb" if number == 1 else f"{stem}-{number}.ipynb")
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        os.close(fd)
        return path
    raise InputError(f"too many notebooks named {stem} in {folder}")


def new_session_notebook(
    workspace: Workspace,
    *,
    framework: str,
    coachee: str,
    author: str,
    role: str = "coach",
    on: date | None = None,
    execute: bool = True,
    extra_parameters: dict[str, object] | None = None,
) -> NewSession:
    """Make (and by default execute) a session notebook; return where it is."""
    if role not in ROLES:
        raise InputError(f"role must be 'coach' or 'self', not {role!r}")
    coachee = names.clean_name(coachee, "coachee name")
    author = names.clean_name(author, "author name")
    chosen = catalog_for(workspace.root).get(framework)
    template = template_for(chosen)
    slug = workspace.coachee_slug(coachee, create=True)
    assert slug is not None
    folder = workspace.make_folder(workspace.workbooks_dir / slug)
    day = on or date.today()
    path = _claim_notebook_path(folder, f"{day.isoformat()}-{chosen.id}-{role}")
    parameters: dict[str, object] = {
        "framework": chosen.id,
        "coachee": coachee,
        "author": author,
        "role": role,
        "workspace": os.path.relpath(workspace.root.resolve(), folder.resolve()),
    }
    parameters.update(extra_parameters or {})
    notebooks.execute(template, path, parameters, cwd=folder, execute=execute)
    return NewSession(path=path, framework=chosen, coachee=coachee, role=role)
