"""The HTML pages a coach hands over: one coachee's summary, the team overview, the
coaching-block report.

Each is a Page value built in ``views`` (``views.summary``, ``views.team_page``,
``views.block_page``), which checks its parameters once, and rendered here with Jinja
(``export.render``) to one self-contained file. No notebook is run to make a page, so
there is no kernel to start, no nbconvert, and no failed notebook to keep: an error is a
typed CoachError with one line to say.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ..model import names
from ..model.errors import CoachError
from ..store.frameworks import registry_for
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

    page = summary_page(workspace, coachee, as_of)
    return write_page(workspace, page, output, pdf=pdf, paper=paper)


def write_page(
    workspace: Workspace, page, output: str | Path | None, *, pdf: bool = False, paper: str = "a4"
) -> Path:
    """Render a Page value to ``reports/<file stem>.html`` (or ``-o``), or, with ``pdf``,
    print that HTML to ``.pdf`` with Chromium (``export.pdf``) on ``paper``."""
    from .render import page_html

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
    pdf: bool = False,
    paper: str = "a4",
    problems: list[CoachError] | None = None,
) -> Path:
    """The team overview as one self-contained HTML file (or its PDF), rendered from its
    page value (``views.team_page``, which checks the parameters) like a coachee's
    summary: no notebook run. Levels and dates only, unless ``include_reflections``. A
    chosen few (``coachees``) get a file name of their own, never the whole team's.

    ``problems``, when given, receives the files the page left out (as :func:`left_out`
    names them), from the very load the page was built from: reading a large journal's
    index a second time only to name them cost as much as building the page."""
    from ..store.sessionlog import load_log_light
    from ..views.team_page import TeamBuilder, team_request

    builder = TeamBuilder(
        team_request(
            workspace,
            framework=framework,
            as_of=as_of,
            cadence_days=cadence_days,
            include_reflections=include_reflections,
            coachees=coachees or (),
        )
    )
    page = builder.page()
    if problems is not None:
        problems.extend([*builder.problems, *load_log_light(workspace).problems])
    return write_page(workspace, page, output, pdf=pdf, paper=paper)


def export_block(
    workspace: Workspace,
    *,
    team: str,
    date_from: str | date,
    date_to: str | date | None = None,
    output: str | Path | None = None,
    include_reflections: bool = False,
    summary: str | None = None,
    pdf: bool = False,
    paper: str = "a4",
) -> Path:
    """The coaching-block report of one team as one self-contained HTML file (or its
    PDF), rendered from its page value (``views.block_page``, which checks the
    parameters: an unknown team, a date that is not one, a block that ends before it
    starts, an empty synthesis): no notebook run.

    A new ``summary`` (the coach's synthesis) is saved beside the team's log once the
    page is made, and only then the page is written: a refused command writes nothing."""
    from ..store.sessionlog import save_block_summary
    from ..views.block_page import BlockBuilder, block_request

    request = block_request(
        workspace,
        team=team,
        date_from=date_from,
        date_to=date_to,
        include_reflections=include_reflections,
        summary=summary,
    )
    page = BlockBuilder(request).page()
    if pdf:  # printed first: a PDF that cannot be made must not leave a synthesis saved
        from .pdf import html_to_pdf
        from .render import page_html

        target = output_target(output, workspace.reports_dir / f"{page.file_stem}.pdf")
        data: str | bytes = html_to_pdf(page_html(page), paper=paper)
    else:
        from .render import page_html

        target = output_target(output, workspace.reports_dir / f"{page.file_stem}.html")
        data = page_html(page)
    _check_target(target, workspace)
    if request.summary is not None:
        save_block_summary(workspace, request.summary)
    return save_output(workspace, data, target)


def _check_target(target: Path, workspace: Workspace) -> None:
    """A folder named with -o that does not exist is refused before anything is saved."""
    from ..model.errors import StorageError

    if target.parent != workspace.reports_dir and not target.parent.is_dir():
        raise StorageError(
            "no such folder", file=target.parent, hint="make it first, or give another -o"
        )


def left_out(
    workspace: Workspace,
    *,
    team: str | None = None,
    start: str | date | None = None,
    end: str | date | None = None,
) -> list[CoachError]:
    """The files a page left out, each with its file, line and field: the session log of
    one team and the syntheses of its blocks from ``start`` to ``end`` (the
    coaching-block report), or the journal and the whole session log (the
    team overview). A page handed over says only how many (it must not carry the coach's
    folders), so the command names them, and its exit status says a person is needed."""
    from ..store.sessionlog import load_log, load_log_light
    from ..views.history import load_levels

    if team is not None:
        name = names.clean_name(team, "team name")
        found = list(load_log(workspace, team=name).problems)
        if start is not None:  # the block's syntheses too
            from ..model.params import parse_period
            from ..store.sessionlog import latest_block_summary

            first, last = parse_period(start, end)
            found += latest_block_summary(workspace, team=name, start=first, end=last).problems
        return found
    levels = load_levels(workspace, registry=registry_for(workspace.root))
    return [*levels.problems, *load_log_light(workspace).problems]
