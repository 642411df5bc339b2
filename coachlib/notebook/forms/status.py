"""The lines a form shows: what happened to a save, and an offer to restore a draft.

A refusal the project describes (a :class:`~coachlib.model.errors.CoachError`: a full
disk, a wrong field) is one line. Anything else is a bug in coachlib, and says so: the
line names it, the traceback is under it and in the log, and the caller raises it again,
so that it is reported rather than retried as if the person had done something wrong.
"""

from __future__ import annotations

import logging
import re
import traceback

import ipywidgets as w

from ...views import html

logger = logging.getLogger("coachlib")


class StatusLine:
    """One line under a form saying what happened (role=status for screen readers)."""

    def __init__(self) -> None:
        self.widget = w.HTML(value="")

    def ok(self, message: str) -> None:
        self.widget.value = f'<div role="status" class="coach-ok">✔ {html.esc(message)}</div>'

    def error(self, message: str) -> None:
        self.widget.value = (
            f'<div role="alert" class="coach-error" style="color:#a40000">'
            f"✖ {html.esc(message)}</div>"
        )

    def bug(self, doing: str, exc: BaseException) -> None:
        """``doing`` failed on a programming error: said as a bug, traceback shown and logged
        (the caller raises ``exc`` again)."""
        logger.error("%s: a bug in coachlib", doing, exc_info=exc)
        trace = "".join(traceback.format_exception(exc))
        self.widget.value = (
            f'<div role="alert" class="coach-error" style="color:#a40000">'
            f"✖ {html.esc(doing)}: a bug in coachlib ({html.esc(type(exc).__name__)}: "
            f"{html.esc(str(exc))}). Please report it with the details below."
            f"<details><summary>Details</summary><pre>{html.esc(trace)}</pre></details></div>"
        )

    def info(self, message: str) -> None:
        self.widget.value = f'<div role="status">{html.esc(message)}</div>'

    @property
    def text(self) -> str:
        """The message without markup (for tests and logs)."""
        return re.sub(r"<[^>]+>", "", self.widget.value).replace("&lt;", "<").strip()


class DraftBanner:
    """'Unsaved work from … was kept as a draft: [Restore] [Discard]' above a form."""

    def __init__(self) -> None:
        self.message = w.HTML()
        self.restore_button = w.Button(description="Restore draft", icon="undo")
        self.discard_button = w.Button(description="Discard draft", icon="trash")
        self.widget = w.HBox(
            [self.message, self.restore_button, self.discard_button],
            layout=w.Layout(display="none", border="2px solid #D55E00", padding="0.3em"),
        )

    def offer(self, saved_at: str) -> None:
        when = saved_at.replace("T", " ")[:16]
        self.message.value = (
            f'<div role="status"><strong>Unsaved work from {html.esc(when)} UTC was kept as '
            "a draft.</strong> Restore it into the form, or discard it.</div>"
        )
        self.widget.layout.display = "flex"

    def hide(self) -> None:
        self.widget.layout.display = "none"
