"""The HTML summary a coach hands over: one self-contained file per coachee.

Made by executing ``workbooks/summary.ipynb`` with papermill and converting the result with
nbconvert, input hidden, through coachlib's own template (``templates/coach_summary``): no
scripts, no fonts or styles from the network, charts inline as PNG with alt text, a print
stylesheet. All user text was escaped by ``render`` when the notebook displayed it.
"""

from __future__ import annotations

import collections
import copy
import functools
import os
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

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
    html = render_notebook(
        notebooks.SUMMARY,
        {"coachee": coachee, "workspace": str(workspace.root.resolve()), "as_of": day.isoformat()},
        title=f"Coaching summary: {coachee}",
    )
    return save_output(workspace, html, output or report_path(workspace, slug, day), output)


def render_notebook(template: str, parameters: dict[str, object], *, title: str) -> str:
    """Execute a workbook template (papermill) and convert it to one HTML page (nbconvert)."""
    with tempfile.TemporaryDirectory(prefix="coach-export-") as tmp:
        executed = Path(tmp) / template
        notebooks.execute(notebooks.template_path(template), executed, parameters, cwd=Path(tmp))
        return notebook_file_to_html(executed, title=title)


def save_output(
    workspace: Workspace, data: str, target: str | Path, explicit: str | Path | None
) -> Path:
    """Write an export: where the user asked (``explicit``), or into the workspace (with its
    file modes, atomically). Exports are derived: one of the same name is replaced."""
    target = Path(target)
    if explicit:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(data, encoding="utf-8", newline="")
    else:
        workspace.write_file(target, data)
    return target


def notebook_file_to_html(path: Path, *, title: str) -> str:
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    return notebook_to_html(notebook, title=title)


def notebook_to_html(notebook, *, title: str) -> str:
    """Convert an executed notebook to one self-contained HTML page, input hidden."""
    notebook.metadata.pop("widgets", None)
    notebook.metadata["title"] = title
    # Instructions for the notebook ("Run all cells") have no place in a handed-out page.
    notebook.cells = [
        cell for cell in notebook.cells if "export-hide" not in cell.metadata.get("tags", [])
    ]
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
    body, _resources = _exporter().from_notebook_node(notebook)
    return body


@functools.cache
def _exporter():
    """One HTML exporter per process: loading its templates costs ~0.4 s; converting ~0.08."""
    from nbconvert import HTMLExporter

    return HTMLExporter(
        extra_template_basedirs=[str(templates_dir())],
        template_name=TEMPLATE_NAME,
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )


# --- every coachee, a few long-lived kernels ---------------------------------------------


@dataclass
class ExportAllResult:
    written: list[Path] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


class _SharedKernel:
    """One kernel (and one client of it) that executes notebook after notebook: starting a
    kernel costs ~2 s, connecting a client ~0.2 s, running a summary well under a second."""

    def __init__(self, cwd: Path) -> None:
        from jupyter_client.manager import KernelManager

        self.cwd = cwd
        self.manager = KernelManager(kernel_name="python3")
        self.client = None

    def __enter__(self) -> _SharedKernel:
        self.start()
        return self

    def start(self) -> None:
        self.manager.start_kernel(
            extra_arguments=["--IPKernelApp.log_level=ERROR"], cwd=str(self.cwd)
        )
        self.client = self.manager.client()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=60)

    def execute(self, notebook) -> None:
        from nbclient import NotebookClient

        if not self.manager.is_alive():  # a crashed kernel must not stop the others
            self._close_client()
            self.manager.shutdown_kernel(now=True)
            self.start()
        runner = NotebookClient(notebook, km=self.manager, timeout=600, kernel_name="python3")
        runner.kc = self.client  # reuse the connection: no new channels, no ready-wait
        runner.execute()

    def _close_client(self) -> None:
        if self.client is not None:
            self.client.stop_channels()
            self.client.context.destroy(linger=0)
            self.client = None

    def __exit__(self, *_exc: object) -> None:
        self._close_client()
        self.manager.shutdown_kernel(now=True)


def export_all(
    workspace: Workspace,
    *,
    as_of: str | date | None = None,
    output_dir: str | Path | None = None,
    progress: bool = False,
    kernels: int | None = None,
) -> ExportAllResult:
    """One summary per coachee, from a few long-lived kernels (one per core, at most four;
    see ``kernel_count``), never one per coachee. A coachee that fails is reported, the
    others are still exported."""
    import nbformat

    day = parse_as_of(as_of)
    coachees = workspace.coachees()
    template = nbformat.read(notebooks.template_path(notebooks.SUMMARY), as_version=4)
    template.metadata["papermill"] = {}  # what papermill's parameterize expects to fill in
    job = _ExportJob(
        workspace=workspace,
        day=day,
        template=template,
        folder=Path(output_dir) if output_dir else workspace.reports_dir,
        explicit=output_dir,
        pending=collections.deque(coachees.items()),
        bar=_progress(len(coachees), enabled=progress),
    )
    workers = kernels if kernels is not None else kernel_count(len(coachees))
    with tempfile.TemporaryDirectory(prefix="coach-export-") as tmp:
        threads = [
            threading.Thread(target=job.work, args=(Path(tmp),), name=f"coach-export-{n}")
            for n in range(max(1, workers))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    job.bar.close()
    return job.result(coachees)


def kernel_count(coachees: int) -> int:
    """How many kernels export in parallel: starting one costs ~2 s and a summary ~0.5 s of
    one core (mostly drawing charts), so a second kernel pays off from a handful of
    coachees, and more kernels than cores only take turns."""
    return max(1, min(os.cpu_count() or 1, 4, coachees // 4))


@dataclass
class _ExportJob:
    """The coachees still to export, shared by the worker threads (each owns one kernel)."""

    workspace: Workspace
    day: date
    template: Any
    folder: Path
    explicit: str | Path | None
    pending: collections.deque[tuple[str, str]]
    bar: Any
    written: dict[str, Path] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    kernel_error: str = "not exported"
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next(self) -> tuple[str, str] | None:
        with self.lock:
            return self.pending.popleft() if self.pending else None

    def work(self, tmp: Path) -> None:
        try:
            with _SharedKernel(tmp) as kernel:
                while (item := self.next()) is not None:
                    self.export_one(kernel, *item)
        except Exception as exc:  # a kernel that cannot start: the others go on
            with self.lock:
                self.kernel_error = f"the Python kernel did not start: {_one_line(exc)}"

    def export_one(self, kernel: _SharedKernel, slug: str, coachee: str) -> None:
        from papermill.parameterize import parameterize_notebook

        try:
            notebook = parameterize_notebook(
                copy.deepcopy(self.template),
                {"coachee": coachee, "workspace": str(self.workspace.root.resolve()),
                 "as_of": self.day.isoformat()},
            )  # fmt: skip
            kernel.execute(notebook)
            with _CONVERT_LOCK:  # one HTML exporter per process, not made for threads
                html = notebook_to_html(notebook, title=f"Coaching summary: {coachee}")
            target = self.folder / f"{slug}-{self.day.isoformat()}.html"
            path = save_output(self.workspace, html, target, self.explicit)
        except Exception as exc:
            with self.lock:
                self.failed[slug] = _one_line(exc)
        else:
            with self.lock:
                self.written[slug] = path
        with self.lock:
            self.bar.set_postfix_str(coachee, refresh=False)
            self.bar.update(1)

    def result(self, coachees: dict[str, str]) -> ExportAllResult:
        """In the coachees' order; any coachee no kernel reached is reported as failed."""
        out = ExportAllResult()
        for slug, coachee in coachees.items():
            if slug in self.written:
                out.written.append(self.written[slug])
            else:
                reason = self.failed.get(slug) or self.kernel_error
                out.failed.append((coachee, reason))
        return out


_CONVERT_LOCK = threading.Lock()


def _one_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    last = [line for line in text if line.strip()]
    return f"{type(exc).__name__}: {last[-1] if last else ''}"[:300]


def _progress(total: int, *, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, unit="coachee", disable=not enabled, leave=False, file=sys.stderr)


# --- the journal as CSV ----------------------------------------------------------------------

CSV_COLUMNS = [
    "coachee", "framework", "skill", "skill_name", "level", "level_name", "mark", "role",
    "author", "date", "when", "evidence", "reflection", "next_steps", "note", "criteria_met",
    "part", "record_id",
]  # fmt: skip
TEXT_COLUMNS = ["coachee", "author", "evidence", "reflection", "next_steps", "note", "criteria_met"]
_FORMULA_START = ("=", "+", "@", "\t", "\r", "-=", "-+", "-@")


def defuse_formula(text: object) -> object:
    """A text a spreadsheet would run as a formula gets a leading apostrophe (OWASP)."""
    if isinstance(text, str) and (text.startswith(_FORMULA_START) or _looks_negative_formula(text)):
        return "'" + text
    return text


def _looks_negative_formula(text: str) -> bool:
    return len(text) > 1 and text[0] == "-" and (text[1].isdigit() or text[1] == "(")


def history_csv(workspace: Workspace, problems: list | None = None) -> str:
    """The whole journal, one row per assessed skill per save, as CSV text.

    Files that cannot be read are left out and appended to ``problems`` (when given).
    """
    from .analysis import load_history

    history = load_history(workspace)
    if problems is not None:
        problems.extend(history.problems)
    frame = history.frame
    out = frame.assign(
        date=frame["when"].dt.date.astype(str),
        when=frame["when"].map(lambda ts: ts.isoformat()),
        criteria_met=frame["criteria_met"].map(lambda items: "; ".join(items)),
    )[CSV_COLUMNS]
    for column in TEXT_COLUMNS:
        out[column] = out[column].map(defuse_formula)
    return out.to_csv(index=False, lineterminator="\r\n")


def export_csv(
    workspace: Workspace, output: str | Path | None = None, problems: list | None = None
) -> Path:
    """Write the journal as CSV: UTF-8 with a byte-order mark (so spreadsheets read it as
    UTF-8), every multi-line text quoted. Unreadable files go to ``problems``."""
    default = workspace.reports_dir / f"journal-{date.today()}.csv"
    data = "\ufeff" + history_csv(workspace, problems)
    return save_output(workspace, data, output or default, output)


# --- the team overview ------------------------------------------------------------------------


def export_team(
    workspace: Workspace,
    *,
    framework: str = "",
    as_of: str | date | None = None,
    cadence_days: int = 90,
    output: str | Path | None = None,
    include_reflections: bool = False,
    coachees: list[str] | None = None,
) -> Path:
    """The team overview as one self-contained HTML file (made like a coachee summary).

    Levels and dates only, unless ``include_reflections`` (each coachee's latest texts).
    """
    day = parse_as_of(as_of)
    if framework:
        from .frameworks import catalog_for

        catalog_for(workspace.root).get(framework)  # an unknown id fails here, clearly
    name = f"team-{framework + '-' if framework else ''}{day.isoformat()}.html"
    html = render_notebook(
        notebooks.TEAM_OVERVIEW,
        {
            "workspace": str(workspace.root.resolve()),
            "framework": framework,
            "as_of": day.isoformat(),
            "cadence_days": int(cadence_days),
            "include_reflections": bool(include_reflections),
            "coachees": ";".join(coachees or []),
        },
        title=f"Team overview {day.isoformat()}",
    )
    return save_output(workspace, html, output or workspace.reports_dir / name, output)
