"""The coaching-block report in a notebook (``workbooks/block_report.ipynb``).

The content is a Page value built by ``views.block_page`` (which checks the parameters,
once); this module only displays it, with the markup ``coach block`` writes to a file.
Below it, a form for the coach's synthesis of the block: saved beside the team's session
log, where ``coach block`` reads it too, and shown at once at the top of the report above.
"""

from __future__ import annotations

import getpass
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from IPython.display import HTML

from ..model.block_summary import BlockSummary, new_block_summary
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
        self._handle: Any = None
        try:
            self.request = block_request(
                workspace or None,
                team=team,
                date_from=date_from,
                date_to=date_to or None,
                include_reflections=include_reflections,
            )
            self.builder = BlockBuilder(self.request)
            self.entries = self.builder.entries
            self.page = self.builder.page()
        except CoachError as exc:
            self.error = exc

    def show(self) -> HTML | None:  # type: ignore[override]  # shown with a handle, to replace
        """The report, displayed so that a synthesis saved below replaces it in place
        (or the one line that says which parameter is wrong)."""
        shown = super().show()
        if self.error is not None:
            return shown
        from IPython.display import display

        self._handle = display(shown, display_id=True)
        return None

    def synthesis_form(self):
        """The form for the coach's synthesis of the block (None for a wrong parameter)."""
        if self.error is not None:
            return None
        from ..store.sessionlog import save_block_summary
        from .forms.block_summary import BlockSummaryForm

        request, builder = self.request, self.builder
        author = builder.coach.split(", ")[0] or getpass.getuser()
        current: BlockSummary | None = builder.summary

        def make(text: str) -> BlockSummary:
            return new_block_summary(
                team=request.team, start=request.start, end=request.end, author=author, text=text
            )

        return BlockSummaryForm(
            team=request.team,
            period=f"{request.start} to {request.end}",
            author=author,
            text=current.text if current is not None else "",
            make=make,
            save=lambda summary: save_block_summary(request.workspace, summary),
            on_saved=self._saved,
        )

    def _saved(self, summary: BlockSummary) -> None:
        """Build the report again with the synthesis just saved, and show it in place."""
        self.builder = BlockBuilder(replace(self.request, summary=summary))
        self.page = self.builder.page()
        if self._handle is not None:
            self._handle.update(super().show())

    # Notebooks made before the page was one value call these two.
    def show_header(self) -> HTML | None:
        return self.show()

    def show_all(self) -> None:
        return None
