"""The coaching-block report in a notebook (``workbooks/block_report.ipynb``).

The content is a Page value built by ``views.block_page`` (which checks the parameters,
once); this module only displays it, with the markup ``coach block`` writes to a file.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from IPython.display import HTML

from ..model.errors import CoachError
from ..views.block_page import BlockBuilder, block_request
from .summary import ShownPage


class BlockReport(ShownPage):
    """One team's coaching block, from ``date_from`` to ``date_to`` (both included).

    A wrong parameter is kept in ``error`` (before anything is loaded) and shown as one
    line, as the command says it."""

    refused = "No block report"

    def __init__(
        self,
        *,
        team: str,
        date_from: str | date,
        date_to: str | date | None = None,
        workspace: str | Path | None = None,
        include_reflections: bool = False,
    ) -> None:
        self.entries: list = []
        try:
            request = block_request(
                workspace or None, team=team, date_from=date_from, date_to=date_to or None,
                include_reflections=include_reflections,
            )  # fmt: skip
            self.builder = BlockBuilder(request)
            self.entries = self.builder.entries
            self.page = self.builder.page()
        except CoachError as exc:
            self.error = exc

    # Notebooks made before the page was one value call these two.
    def show_header(self) -> HTML:
        return self.show()

    def show_all(self) -> None:
        return None
