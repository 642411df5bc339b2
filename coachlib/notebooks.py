"""Running workbook templates with papermill: the one place that starts kernels.

Both ``coach new`` (a session notebook a coach then opens) and ``coach export`` (a summary
notebook converted to HTML) execute a template with injected parameters; this module holds
what they share: finding templates, executing, and turning a failed cell into one readable
:class:`~coachlib.errors.ExportError` (papermill has already saved the notebook with the
error in it, so there is something on disk to inspect).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from .errors import ExportError
from .paths import workbooks_dir

MILESTONE_REVIEW = "milestone_review.ipynb"
SKILLS_REVIEW = "skills_review.ipynb"
SUMMARY = "summary.ipynb"
TEAM_OVERVIEW = "team_overview.ipynb"


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
    """Inject ``parameters`` into ``template`` and (unless told not to) run it to ``output``."""
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
        raise ExportError(
            f"a cell failed ({exc.ename}: {exc.evalue}); the notebook with the error is saved",
            file=output,
        ) from None
    return output
