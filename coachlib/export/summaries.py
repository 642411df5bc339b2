"""The HTML pages a coach hands over: one coachee's summary, the team overview, the
coaching-block report.

A coachee's summary is a Page value built in ``views.summary`` and rendered with Jinja
(``export.render``): no notebook is run for it. The team overview and the block report
are still made by running their workbook (``export.run``) and converting the result with
nbconvert (``export.html``); their parameters are checked before a kernel starts, and
when a cell fails the notebook with the error is kept beside where the page would have
gone, and the error names it.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from ..model import names
from ..model.errors import CoachError, ExportError
from ..model.params import parse_period
from ..store import atomic
from ..store.frameworks import catalog_for
from ..store.workspace import Workspace
from .output import output_target, save_output


def report_path(workspace: Workspace, slug: str, as_of: date) -> Path:
    return workspace.reports_dir / f"{slug}-{as_of.isoformat()}.html"


def export_summary(
    workspace: Workspace,
    coachee: str,
    *,
    as_of: str | date | None = None,
    output: str | Path | None = None,
    pdf: bool = False,
    paper: str = "a4",
) -> Path:
    """Write one coachee's HTML summary (or, with ``pdf``, its PDF); return its path.

    The page is built as a value (``views.summary``, which checks the parameters, once)
    and rendered with Jinja (``export.render``): no notebook runs, no kernel, no
    nbconvert. A PDF is that HTML printed by Chromium (``export.pdf``) on ``paper``. The
    default place is ``reports/<coachee-slug>-<as-of>.html`` (or ``.pdf``) in the
    workspace; an existing summary of the same day is replaced (summaries are derived,
    journals are not).
    """
    from ..views.summary import summary_page
    from .render import page_html

    page = summary_page(workspace, coachee, as_of)
    suffix = ".pdf" if pdf else ".html"
    target = output_target(output, workspace.reports_dir / f"{page.file_stem}{suffix}")
    html = page_html(page)
    if not pdf:
        return save_output(workspace, html, target)
    from .pdf import html_to_pdf

    return save_output(workspace, html_to_pdf(html, paper=paper), target)


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
    """The team overview as one self-contained HTML file, rendered from its page value
    (``views.team_page``, which checks the parameters) like a coachee's summary: no
    notebook run. Levels and dates only, unless ``include_reflections``."""
    from ..views.team_page import team_page
    from .render import page_html

    page = team_page(
        workspace, framework=framework, as_of=as_of, cadence_days=cadence_days,
        include_reflections=include_reflections, coachees=coachees or (),
    )  # fmt: skip
    target = output_target(output, workspace.reports_dir / f"{page.file_stem}.html")
    return save_output(workspace, page_html(page), target)


def export_block(
    workspace: Workspace,
    *,
    team: str,
    date_from: str | date,
    date_to: str | date | None = None,
    output: str | Path | None = None,
    include_reflections: bool = False,
) -> Path:
    """The coaching-block report of one team as one self-contained HTML file.

    Parameters are checked here, before anything runs, with the notebook's own messages:
    an unknown team, a date that is not one, a block that ends before it starts."""
    team = names.clean_name(team, "team name")
    slug = workspace.require_team_slug(team)
    start, end = parse_period(date_from, date_to)
    target = output_target(
        output, workspace.reports_dir / f"block-{slug}-{start.isoformat()}-{end.isoformat()}.html"
    )
    html = render_notebook(
        workspace,
        "block_report.ipynb",
        {"team": team, "date_from": start.isoformat(), "date_to": end.isoformat(),
         "workspace": str(workspace.root.resolve()),
         "include_reflections": bool(include_reflections)},
        title=f"Coaching block: {team}, {start.isoformat()} to {end.isoformat()}",
        target=target,
    )  # fmt: skip
    return save_output(workspace, html, target)


def left_out(workspace: Workspace, *, team: str | None = None) -> list[CoachError]:
    """The files a page left out, each with its file, line and field: the session log of
    one team (the coaching-block report), or the journal and the whole session log (the
    team overview). A page handed over says only how many (it must not carry the coach's
    folders), so the command names them, and its exit status says a person is needed."""
    from ..store.sessionlog import load_log, load_log_light
    from ..views.history import load_levels

    if team is not None:
        return list(load_log(workspace, team=names.clean_name(team, "team name")).problems)
    levels = load_levels(workspace, catalog=catalog_for(workspace.root))
    return [*levels.problems, *load_log_light(workspace).problems]


def render_notebook(
    workspace: Workspace, template: str, parameters: dict[str, object], *, title: str,
    target: Path,
) -> str:  # fmt: skip
    """Execute a workbook template (papermill) and convert it to one HTML page (nbconvert).

    If a cell fails, the executed notebook is kept as ``<target>.failed.ipynb`` and the
    ExportError says so. The runner and nbconvert are imported here, not above, so a
    coachee's summary (which needs neither) never loads them.
    """
    from . import run
    from .html import notebook_to_html

    try:
        notebook = run.run_template(template, parameters)
    except run.CellFailed as exc:
        kept = keep_failed(workspace, exc.notebook, target)
        raise ExportError(
            f"{exc.message}; the notebook with the error is kept", file=kept,
            hint="open it in JupyterLab to see the cell",
        ) from None  # fmt: skip
    return notebook_to_html(notebook, title=title)


def keep_failed(workspace: Workspace, notebook, target: Path) -> Path:
    """Keep a failed notebook next to where its page would have gone (workspace modes);
    if that place cannot take it, in a new private temporary folder."""
    import nbformat

    text = nbformat.writes(notebook) + "\n"
    kept = target.with_name(target.stem + ".failed.ipynb")
    try:
        save_output(workspace, text, kept)
    except CoachError:
        folder = Path(tempfile.mkdtemp(prefix="coach-failed-"))
        return atomic.write_file(folder / kept.name, text)
    return kept
