"""Session notebooks: ``coach new`` makes one from a workbook template with papermill.

The notebook goes to ``workbooks/<coachee-slug>/<date>-<framework>-<role>.ipynb`` in the
workspace, never over an existing one (a coach may have typed in it): a second session on
the same day gets ``-2``. It is executed elsewhere and then put in place whole by the
atomic writer, with the workspace's modes: nobody ever sees half a notebook. Its
``workspace`` parameter is the path from the notebook's folder to the workspace, so the
notebook keeps working when the workspace folder is moved or shared (JupyterLab runs a
kernel in the notebook's own folder).

Everything a person typed is checked before anything is made, so a refused command
leaves nothing behind.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..model import names
from ..model.errors import ExportError
from ..model.frameworks import Framework
from ..model.params import check_role
from ..store.frameworks import registry_for
from ..store.workspace import Workspace
from . import workbooks


@dataclass(frozen=True)
class NewSession:
    path: Path
    framework: Framework
    coachee: str
    role: str


def template_for(framework: Framework) -> str:
    """Milestone tracks get the milestone review; many-skill frameworks the skills review."""
    return workbooks.MILESTONE_REVIEW if framework.is_milestone_track else workbooks.SKILLS_REVIEW


def notebook_names(stem: str) -> Iterator[str]:
    yield f"{stem}.ipynb"
    for number in range(2, 1000):
        yield f"{stem}-{number}.ipynb"


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
    new_coachee: bool = False,
) -> NewSession:
    """Make (and by default execute) a session notebook; return where it is. A name close
    to a known coachee's is refused unless ``new_coachee`` (a typo is not a new person)."""
    check_role(role)
    coachee = names.clean_name(coachee, "coachee name")
    author = names.clean_name(author, "author name")
    workspace.check_new_coachee(coachee, new_coachee=new_coachee)
    registry = registry_for(workspace.root)
    chosen = registry.find(framework)  # "id", or "id@N" for an older text
    older = registry.get(chosen.id) is not chosen
    template = template_for(chosen)
    slug = workspace.coachee_slug(coachee, create=True)
    assert slug is not None
    folder = workspace.make_folder(workspace.workbooks_dir / slug)
    day = on or date.today()
    parameters: dict[str, object] = {
        "framework": f"{chosen.id}@{chosen.version}" if older else chosen.id,
        "coachee": coachee,
        "author": author,
        "role": role,
        "workspace": os.path.relpath(workspace.root.resolve(), folder.resolve()),
    }
    parameters.update(extra_parameters or {})
    names_ = notebook_names(f"{day.isoformat()}-{chosen.id}-{role}")
    try:
        notebook = (
            workbooks.run_template(template, parameters, cwd=folder)
            if execute
            else workbooks.prepare(template, parameters)
        )
    except workbooks.CellFailed as exc:
        kept = workspace.write_new_file(folder, names_, _text(exc.notebook))
        raise ExportError(
            f"{exc.message}; the notebook with the error is kept",
            file=kept,
            hint="open it in JupyterLab to see the cell",
        ) from None
    path = workspace.write_new_file(folder, names_, _text(notebook))
    return NewSession(path=path, framework=chosen, coachee=coachee, role=role)


def _text(notebook) -> str:
    import nbformat

    return nbformat.writes(notebook) + "\n"


def new_team_notebook(workspace: Workspace, *, as_of: date | None = None) -> Path:
    """The team overview as a notebook in the workspace (``workbooks/team/``), run, so a
    coach can open it and change its parameters (``coach team`` writes HTML only)."""
    folder = workspace.make_folder(workspace.workbooks_dir / "team")
    parameters = {
        "workspace": os.path.relpath(workspace.root.resolve(), folder.resolve()),
        "framework": "",
        "as_of": "",
        "cadence_days": 90,
        "include_reflections": False,
        "coachees": [],
    }
    notebook = workbooks.run_template(workbooks.TEAM_OVERVIEW, parameters, cwd=folder)
    names = notebook_names(f"{(as_of or date.today()).isoformat()}-team-overview")
    return workspace.write_new_file(folder, names, _text(notebook))


def new_log_notebook(workspace: Workspace) -> Path:
    """``session_log.ipynb`` at the top of the workspace (not run: it opens with its form
    once the coach runs it); an existing one is kept."""
    notebook = workbooks.prepare(workbooks.SESSION_LOG, {"workspace": "."})
    path = workspace.session_log_notebook
    try:
        return workspace.write_file(path, _text(notebook), replace=False)
    except FileExistsError:
        return path


def new_import_notebook(workspace: Workspace) -> Path:
    """``import_ladder.ipynb`` at the top of the workspace (not run: its form reads a
    ladder once the coach runs it); an existing one is kept."""
    notebook = workbooks.prepare(workbooks.IMPORT_LADDER, {"workspace": ".", "ladder": ""})
    path = workspace.root / "import_ladder.ipynb"
    try:
        return workspace.write_file(path, _text(notebook), replace=False)
    except FileExistsError:
        return path


def new_home_notebook(workspace: Workspace) -> Path:
    """``home.ipynb`` at the top of the workspace (run, so it opens with the team shown);
    an existing one is kept."""
    notebook = workbooks.run_template(workbooks.HOME, {"workspace": "."}, cwd=workspace.root)
    path = workspace.home_notebook
    try:
        return workspace.write_file(path, _text(notebook), replace=False)
    except FileExistsError:
        return path
