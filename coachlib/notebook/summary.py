"""One coachee's summary in a notebook (``workbooks/summary.ipynb``).

The content is a Page value built by ``views.summary`` (which checks the parameters, once);
this module only displays it, with the same markup ``coach export`` writes to a file
(``export.render``). So what nbval checks in the notebook is what the coach hands over,
and the export never runs this notebook. A wrong parameter (an unknown coachee, a date
that is not one) shows as one clear line in the notebook, not a traceback.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from IPython.display import HTML

from ..export.render import body_html
from ..model.errors import CoachError
from ..views import html
from ..views.page import Page
from ..views.summary import summary_page


class ShownPage:
    """What a page's notebook shows: the page, or the one line that says which parameter
    is wrong (``page`` or ``error`` is set by the subclass's constructor)."""

    refused = "No page"  # the words before the error's own
    page: Page | None = None
    error: CoachError | None = None

    def show(self) -> HTML:
        """The whole page (or the one line that says which parameter is wrong)."""
        if self.error is not None:
            return refusal(self.refused, self.error)
        assert self.page is not None
        return HTML(body_html(self.page))


class CoacheeSummary(ShownPage):
    """The summary page of one coachee, built once and shown by the notebook's cells."""

    refused = "No summary"

    def __init__(
        self, *, coachee: str, workspace: str | Path | None = None, as_of: str | date | None = None
    ) -> None:
        try:
            self.page = summary_page(workspace or None, coachee, as_of or None)
        except CoachError as exc:
            self.error = exc

    # Notebooks made before the page was one value call these two: the first shows the
    # whole page, the second has nothing left to show.
    def show_header(self) -> HTML:
        return self.show()

    def show_all(self) -> None:
        return None


def refusal(what: str, error: CoachError) -> HTML:
    """A page's notebook when a parameter is wrong: one line saying which and why, as the
    command says it, never a traceback."""
    return HTML(
        f'<div class="coach-problems {html.NO_MATH}" role="alert"><p><strong>'
        f"{html.esc(what)}: {html.esc(error.one_line())}</strong></p></div>"
    )
