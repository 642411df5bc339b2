"""The block-report notebook's form: the coach's synthesis of the block, saved as a file.

One text field (outcomes, what's next: a few sentences) and Save. Like every form it only
collects: the synthesis is built and checked by ``model.block_summary`` and written by
the save callback (a new file beside the team's session log, the one ``coach block``
reads too). An error shows under the button and what was typed stays.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w

from ...model.block_summary import BlockSummary
from ...views import html
from .base import Described, ReviewFormBase, textarea
from .savebutton import SaveButton, Values
from .status import StatusLine

WORDS = (
    "The report opens with your synthesis of the block, for the people who sponsor the "
    "coaching: the outcomes and what's next, in a few sentences. It is saved beside the "
    "team's session log (log/<team>/blocks/), where the coach block command finds it too."
)


class BlockSummaryForm:
    """Write or change the synthesis of one team's block; Save writes a new file (the
    latest saved is the one shown), then ``on_saved`` shows the report with it."""

    def __init__(
        self,
        *,
        team: str,
        period: str,
        author: str,
        text: str,
        make: Callable[[str], BlockSummary],
        save: Callable[[BlockSummary], BlockSummary],
        on_saved: Callable[[BlockSummary], Any] | None = None,
    ) -> None:
        self._make = make
        self._save = save
        self._on_saved = on_saved
        self.saved: list[BlockSummary] = []
        self.text = textarea("Synthesis", "Outcomes of the block, and what's next.")
        self.text.layout.height = "8em"
        self.text.value = text
        self.status = StatusLine()
        self.save_button = SaveButton(
            self.save, description="Save synthesis", tooltip="Save the synthesis (a new file)"
        )
        heading = w.HTML(
            f"<strong>Your synthesis of the block</strong>: {html.esc(team)}, "
            f"{html.esc(period)}, by {html.esc(author)}<br><small>{html.esc(WORDS)}"
            "</small>"
        )
        self.widget = w.VBox(
            [heading, self.text, self.save_button, self.status.widget],
            layout=w.Layout(width="100%"),
        )
        self.save_button.form = self.widget

    def save(self, values: Values | None = None) -> BlockSummary | None:
        """Save a new synthesis, unless it says what the last one saved here said; on
        any failure show the error and keep the text as typed."""
        try:
            summary = self._make(ReviewFormBase.current(values)(self.text) or "")
            if self.saved and self.saved[-1].text == summary.text:
                self.status.ok(f"Already saved to {self.saved[-1].path}: nothing changed since.")
                return None
            saved = self._save(summary)
        except Exception as exc:
            self.status.error(f"Not saved: {exc}. What you typed is still here.")
            return None
        self.saved.append(saved)
        if self._on_saved is not None:  # the report first, then the line that says so
            self._on_saved(saved)
        self.status.ok(f"Saved to {saved.path}. The report above opens with it.")
        return saved

    def _repr_mimebundle_(self, **kwargs: Any):
        return Described(
            self.widget,
            "The synthesis form shows here once the notebook runs (Run ▸ Run All Cells).",
        )._repr_mimebundle_(**kwargs)
