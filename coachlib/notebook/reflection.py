"""The coachee's own notebook in a reflection pack: their reviews, worded to them.

A pack is a workspace of its own (``coach share``), so everything here reads the pack's
journal: the coachee's own earlier self-reviews and the ones they save now. With a pack
made ``--with-coach-view``, the coach's latest level and next steps are shown too
(``coach-view.yaml``); nothing else of the coach's assessment is in a pack.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import ipywidgets as w
from IPython.display import HTML

from ..model.errors import CoachError, InputError
from ..store.packs import read_coach_view
from ..views import html
from .forms.base import Described
from .forms.status import StatusLine
from .kernel import on_page
from .session import ReviewSession


class ReflectionSession(ReviewSession):
    """A self-review session in a pack, for the coachee who holds it."""

    def __init__(
        self,
        *,
        coachee: str,
        framework: str,
        workspace: str | Path | None = ".",
        as_of: str | date | None = None,
    ) -> None:
        super().__init__(
            framework=framework,
            coachee=coachee,
            author=coachee,
            role="self",
            workspace=workspace,
            as_of=as_of,
        )
        if not self.framework.is_milestone_track:
            raise InputError(
                f"{self.framework.id} is not a milestone track: a reflection "
                "pack holds one milestone track"
            )
        self.coach_view = read_coach_view(self.workspace.root)

    def show_title(self) -> HTML:
        return HTML(
            f"<p class='{html.NO_MATH}'><strong>{html.esc(self.coachee)}</strong> · "
            f"{html.esc(self.framework.title)} · your own review · "
            f"as of {self.as_of.isoformat()}</p>"
        )

    def show_standing(self) -> HTML:
        """Your latest review, the days since, the coach's view if the pack has it, and
        the milestones with yours (and the coach's) marked."""
        current = self.standing()
        view = self.coach_view
        parts = [
            html.problems_html(self.journal.problems),
            html.own_standing_html(self.framework, current, view),
            html.ladder_html(
                self.framework,
                coach_level=view.level if view is not None else None,
                self_level=current.self_level,
            ),
        ]
        return HTML("\n".join(part for part in parts if part))

    def send_back(self) -> HTML | Described:
        """On a coaching server: the **Hand in** button (the pack's saved reviews go to the
        coach through the exchange). Elsewhere: how to send the folder back."""
        from ..store import exchange

        if not exchange.configured():  # no hub: no Hand in button to press
            where = (
                f"the folder you opened with `coach open` ({self.workspace.root.resolve()})"
                if on_page()
                else "this folder"
            )
            return HTML(
                html.paragraph(
                    "To send your saved reviews back, run "
                    "`coach hand-in . --zip my-reflection.zip` "
                    f"in a terminal in {where} and send that file to your coach (drafts stay "
                    "with you)."
                )
            )
        status = StatusLine()
        button = w.Button(description="Hand in", button_style="primary", icon="paper-plane")

        def hand_in(_button: Any) -> None:
            status.info("Handing in…")
            try:
                path = exchange.hand_in(self.workspace.root.resolve(), exchange.exchange_root())
            except CoachError as exc:  # a refusal: one line in the page
                status.error(f"Not handed in: {exc}")
                return
            except Exception as exc:
                status.bug("Not handed in", exc)
                raise
            saved = len(self.journal.reviews)
            status.ok(
                f"Handed in ({saved} review(s) saved in this pack) at "
                f"{datetime.now().strftime('%H:%M')}: your coach collects them from "
                f"{path.parent.name}/"
            )

        button.on_click(hand_in)
        words = "The Hand in and Work together buttons show here once the notebook runs."
        return Described(w.VBox([button, status.widget, self._together()]), words)

    def _together(self) -> w.VBox:
        """**Work together with my coach** and **Stop**: what `coach live` does, with no
        terminal. The hub lets in this coachee's own coach and nobody else."""
        from ..serve.live import share_with_coach

        status = StatusLine()
        start = w.Button(
            description="Work together with my coach", icon="users", layout=w.Layout(width="auto")
        )
        stop = w.Button(description="Stop", icon="stop", disabled=True)

        def share(button: Any) -> None:
            ending = button is stop
            status.info("Ending it…" if ending else "Letting your coach in…")
            try:  # this notebook is open: not re-signed under the coachee's eyes (no packs)
                session = share_with_coach([], stop=ending)
            except CoachError as exc:  # the hub's refusal, in its words
                status.error(f"Not done: {exc.one_line()}")
                return
            start.disabled, stop.disabled = not ending, ending
            if ending:
                status.ok(
                    f"Your coach, {session.coach}, can no longer open your server "
                    "(their open page stops within seconds)."
                )
            else:
                status.ok(
                    f"Your coach, {session.coach}, can now open your server: it shows "
                    "in their home notebook. Press Stop when you are done."
                )

        start.on_click(share)
        stop.on_click(share)
        words = w.HTML(
            html.paragraph(
                "To fill it in together, live: your coach can then do all you can in your "
                "server, for as long as you let them."
            )
        )
        return w.VBox([words, w.HBox([start, stop]), status.widget])

    def review_form(self):
        """The form; its Saved line says the chart below already shows the new review."""
        form = super().review_form()
        form.after_save = "Your progress chart (section 4) shows it now."
        return form

    def progress_series(self):
        """Your own reviews (a pack holds no coach's reviews)."""
        return {"self": super().progress_series()["self"]}

    def refresh(self) -> None:
        """Read the journal again and redraw the progress chart if it is shown: a Save
        re-reads the journal, so the new review is on the chart at once (no cell to re-run,
        and on a Voilà page there is none)."""
        super().refresh()
        chart = getattr(self, "_chart", None)
        if chart is not None:
            chart.value = self._progress_html()[0]

    def _progress_html(self) -> tuple[str, str]:
        """The chart (a phone gets one drawn for its width) and its words."""
        from ..views import plots

        series = self.progress_series()
        words = plots.describe_progress(self.framework, series)
        wide, narrow = (
            plots.progress_chart(self.framework, series, title="Your progress", narrow=small)
            for small in (False, True)
        )
        figure = html.figure_html(plots.to_png(wide), words, narrow=plots.to_png(narrow))
        return figure, words

    def show_progress(self) -> Described:  # type: ignore[override]  # a live chart, not a print
        """Your reviews over time; redrawn after each Save (see :meth:`refresh`)."""
        super().refresh()
        figure, words = self._progress_html()
        self._chart = w.HTML(figure, layout=w.Layout(width="100%"))
        return Described(self._chart, words)
