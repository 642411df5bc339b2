"""Every coachee's summary from a few long-lived kernels (``coach export --all``).

Starting a kernel costs about 2 s and running a summary well under a second, so the
summaries are run one after another in a kernel per core (at most four), never one per
coachee. A coachee that fails is reported and the others are still exported; a kernel
that cannot start is reported for every coachee it would have exported.
"""

from __future__ import annotations

import collections
import copy
import os
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..model.errors import StorageError
from ..model.params import parse_as_of
from ..store.workspace import Workspace
from . import run
from .html import notebook_to_html
from .output import save_output
from .summaries import report_path


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
    template = nbformat.read(run.template_path(run.SUMMARY), as_version=4)
    template.metadata["papermill"] = {}  # what papermill's parameterize expects to fill in
    folder = Path(output_dir) if output_dir else workspace.reports_dir
    if output_dir and not folder.is_dir() and not folder.parent.is_dir():
        raise StorageError(
            "the folder does not exist",
            file=folder.parent,
            hint="make it first, or write elsewhere",
        )
    workspace.make_folder(folder)
    job = _ExportJob(
        workspace=workspace,
        day=day,
        template=template,
        folder=folder,
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
            html = notebook_to_html(notebook, title=f"Coaching summary: {coachee}")
            target = self.folder / report_path(self.workspace, slug, self.day).name
            path = save_output(self.workspace, html, target)
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


def _one_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    last = [line for line in text if line.strip()]
    return f"{type(exc).__name__}: {last[-1] if last else ''}"[:300]


def _progress(total: int, *, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, unit="coachee", disable=not enabled, leave=False, file=sys.stderr)
