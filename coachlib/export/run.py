"""Running workbook templates with papermill: the one place that starts a kernel per notebook.

``coach new`` (a session notebook a coach then opens) and ``coach export`` (a summary
notebook converted to HTML) execute a template with injected parameters; this module holds
what they share: finding templates, executing, and turning a failed cell into one readable
:class:`~coachlib.model.errors.ExportError` that names where the notebook with the error
was kept (papermill writes it before raising), so there is something on disk to inspect.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from ..model.errors import ExportError
from ..model.resources import workbooks_dir

MILESTONE_REVIEW = "milestone_review.ipynb"
SKILLS_REVIEW = "skills_review.ipynb"
SUMMARY = "summary.ipynb"
TEAM_OVERVIEW = "team_overview.ipynb"


class CellFailed(ExportError):
    """A cell of a workbook raised; ``notebook`` is the executed notebook with the error."""


def template_path(name: str) -> Path:
    path = workbooks_dir() / name
    if not path.is_file():
        raise ExportError("workbook template missing from the installation", file=path)
    return path


def execute(
    template: Path,
    output: Path,
    parameters: dict[str, Any],
    *,
    cwd: Path,
    execute: bool = True,
) -> Path:
    """Inject ``parameters`` into ``template`` and (unless told not to) run it to ``output``.

    A failing cell raises :class:`CellFailed` after papermill has written ``output`` with
    the error in it; the caller keeps that file where a person can find it and says where.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    logging.getLogger("papermill").setLevel(logging.WARNING)
    try:
        papermill.execute_notebook(
            str(template),
            str(output),
            parameters=parameters,
            cwd=str(cwd),
            prepare_only=not execute,
            progress_bar=False,
            log_output=False,
            # ipykernel warns on every start that loopback TCP is unencrypted; the
            # warning is noise on a user's terminal (the kernel is ours and local).
            extra_arguments=["--IPKernelApp.log_level=ERROR"],
            # The notebook is written from the client's copy; nothing the kernel does at
            # exit matters (journal, drafts and caches are written atomically while cells
            # run). A graceful stop of a kernel that imported pandas and matplotlib waits
            # ~0.3 s more here, and now and then 3 s (measured; see benchmarks/run.py).
            shutdown_kernel="immediate",
        )
    except PapermillExecutionError as exc:
        raise CellFailed(f"a cell failed ({exc.ename}: {exc.evalue})", file=output) from None
    return output
