"""Every coachee's summary at once (``coach export --all``): a worker process per core.

A summary costs a fraction of a second of one core (mostly drawing its charts), so
summaries are made in parallel by a few worker processes forked from this one once it
has made the first summary (which loads matplotlib and the page templates): a
worker starts warm, in milliseconds, and makes summary after summary. No notebook runs.
A coachee that fails is reported and the others are still exported; a worker that dies
(killed, out of memory) stops the others: every coachee not done by then is reported.
Inside a Jupyter kernel (whose threads must not be forked) the summaries are made one
after another instead.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..model.params import parse_as_of
from ..store import atomic
from ..store.workspace import Workspace
from ..views.summary import summary_page
from .output import save_output
from .render import page_html
from .summaries import report_path

MAX_WORKERS = 4


@dataclass
class ExportAllResult:
    written: list[Path] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


def worker_count(coachees: int) -> int:
    """How many processes export in parallel: one per core (at most four), never more than
    there are pairs of coachees (a worker is cheap, but not free)."""
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS, coachees // 2))


def export_all(
    workspace: Workspace,
    *,
    as_of: str | date | None = None,
    output_dir: str | Path | None = None,
    progress: bool = False,
    workers: int | None = None,
) -> ExportAllResult:
    """One summary per coachee into ``output_dir`` (default: the workspace's reports/)."""
    day = parse_as_of(as_of)
    coachees = workspace.coachees()
    folder = Path(output_dir) if output_dir else workspace.reports_dir
    if output_dir and not folder.is_dir() and not folder.parent.is_dir():
        raise atomic.missing_folder(folder.parent)
    workspace.make_folder(folder)
    jobs = [
        (coachee, folder / report_path(workspace, slug, day).name)
        for slug, coachee in coachees.items()
    ]
    count = workers if workers is not None else worker_count(len(jobs))
    outcomes: dict[str, tuple[str, str]] = {}
    bar = _progress(len(jobs), enabled=progress)
    try:
        forking = count > 1 and "ipykernel" not in sys.modules
        # The first summary is made here either way: it loads the workbook's code and the
        # exporter's templates, which forked workers then inherit, warm.
        for coachee, target in jobs if not forking else jobs[:1]:
            outcomes[coachee] = export_one(workspace.root, coachee, day, target)
            bar.update(1)
        if forking:
            _in_workers(workspace.root, jobs[1:], day, count, outcomes, bar)
    finally:
        bar.close()
    result = ExportAllResult()
    for coachee, _target in jobs:
        kind, detail = outcomes.get(coachee, ("failed", "not exported"))
        if kind == "written":
            result.written.append(Path(detail))
        else:
            result.failed.append((coachee, detail))
    return result


def _in_workers(root: Path, jobs, day: date, count: int, outcomes: dict, bar) -> None:
    """The jobs in ``count`` processes forked from this one."""
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
        futures = {
            pool.submit(export_one, root, coachee, day, target): coachee for coachee, target in jobs
        }
        for future in as_completed(futures):
            coachee = futures[future]
            try:
                outcomes[coachee] = future.result()
            except BrokenProcessPool:
                outcomes[coachee] = ("failed", "the export process stopped (killed?)")
            bar.set_postfix_str(coachee, refresh=False)
            bar.update(1)


def export_one(root: Path, coachee: str, day: date, target: Path) -> tuple[str, str]:
    """("written", path) or ("failed", why): one summary, its failure never raised."""
    workspace = Workspace(root)
    try:
        page = summary_page(workspace, coachee, day)
        return "written", str(save_output(workspace, page_html(page), target))
    except Exception as exc:
        return "failed", _one_line(exc)


def _one_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    last = [line for line in text if line.strip()]
    return f"{type(exc).__name__}: {last[-1] if last else ''}"[:300]


def _progress(total: int, *, enabled: bool):
    """A progress bar on a terminal; elsewhere nothing (not even tqdm imported)."""
    if not enabled:
        return _NoProgress()
    from tqdm import tqdm

    return tqdm(total=total, unit="coachee", leave=False, file=sys.stderr)


class _NoProgress:
    def update(self, _count: int) -> None:
        pass

    def set_postfix_str(self, _text: str, refresh: bool = True) -> None:
        pass

    def close(self) -> None:
        pass
