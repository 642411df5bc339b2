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
    """The coaching-block report of one team as one self-contained HTML file, rendered
    from its page value (``views.block_page``, which checks the parameters: an unknown
    team, a date that is not one, a block that ends before it starts): no notebook run."""
    from ..views.block_page import block_page
    from .render import page_html

    page = block_page(workspace, team=team, date_from=date_from, date_to=date_to,
                      include_reflections=include_reflections)  # fmt: skip
    target = output_target(output, workspace.reports_dir / f"{page.file_stem}.html")
    return save_output(workspace, page_html(page), target)


def left_out(workspace: Workspace, *, team: str | None = None) -> list[CoachError]:
    """The files a page left out, each with its file, line and field: the session log of
    one team (the coaching-block report), or the journal and the whole session log (the
    team overview). A page handed over says only how many (it must not carry the coach's
    folders), so the command names them, and its exit status says a person is needed."""
    from ..store.sessionlog import load_log, load_log_light
    from ..views.history import load_levels

    if team is not None:
        return list(load_log(workspace, team=names.clean_name(team, "team name")).problems)
    levels = load_levels(workspace, registry=registry_for(workspace.root))
    return [*levels.problems, *load_log_light(workspace).problems]
