"""The HTML summary a coach hands over: one self-contained file per coachee.

Made by executing ``workbooks/summary.ipynb`` with papermill and converting the result with
nbconvert, input hidden, through coachlib's own template (``templates/coach_summary``): no
scripts, no fonts or styles from the network, charts inline as PNG with alt text, a print
stylesheet. All user text was escaped by ``render`` when the notebook displayed it.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from . import names, notebooks
from .errors import ExportError
from .paths import templates_dir
from .session import parse_as_of
from .workspace import Workspace

TEMPLATE_NAME = "coach_summary"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def report_path(workspace: Workspace, slug: str, as_of: date) -> Path:
    return workspace.reports_dir / f"{slug}-{as_of.isoformat()}.html"


def export_summary(
    workspace: Workspace,
    coachee: str,
    *,
    as_of: str | date | None = None,
    output: str | Path | None = None,
) -> Path:
    """Write one coachee's HTML summary; return its path.

    The default place is ``reports/<coachee-slug>-<as-of>.html`` in the workspace; an
    existing summary of the same day is replaced (summaries are derived, journals are not).
    """
    coachee = names.clean_name(coachee, "coachee name")
    slug = workspace.require_coachee_slug(coachee)
    day = parse_as_of(as_of)
    target = Path(output) if output else report_path(workspace, slug, day)
    with tempfile.TemporaryDirectory(prefix="coach-export-") as tmp:
        executed = Path(tmp) / "summary.ipynb"
        notebooks.execute(
            notebooks.template_path(notebooks.SUMMARY),
            executed,
            {
                "coachee": coachee,
                "workspace": str(workspace.root.resolve()),
                "as_of": day.isoformat(),
            },
            cwd=Path(tmp),
        )
        html = notebook_file_to_html(executed, title=f"Coaching summary: {coachee}")
    if output:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
    else:
        workspace.write_file(target, html)
    return target


def notebook_file_to_html(path: Path, *, title: str) -> str:
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    return notebook_to_html(notebook, title=title)


def notebook_to_html(notebook, *, title: str) -> str:
    """Convert an executed notebook to one self-contained HTML page, input hidden."""
    from nbconvert import HTMLExporter

    notebook.metadata.pop("widgets", None)
    notebook.metadata["title"] = title
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = [
                output
                for output in cell.outputs
                if WIDGET_MIME not in output.get("data", {})
                and not (output.get("output_type") == "stream" and output.get("name") == "stderr")
            ]
        if cell.cell_type == "code" and any(o.get("output_type") == "error" for o in cell.outputs):
            raise ExportError(f"the summary notebook has an error in cell {cell.get('id')}")
    exporter = HTMLExporter(
        extra_template_basedirs=[str(templates_dir())],
        template_name=TEMPLATE_NAME,
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    body, _resources = exporter.from_notebook_node(notebook)
    return body
