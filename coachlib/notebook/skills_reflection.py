"""The coachee's own notebook in a skills pack: a self-assessment on a skills matrix.

A skills pack (``coach share`` on Core Engineer Progression, OpenSesame or any framework
with many skills) is a workspace of its own, like a milestone pack: everything here reads
the pack's journal, which holds the coachee's own earlier self-assessments and nothing of
the coach's. The form is the coach's skills form (:class:`SkillsReviewForm`) in the role
``self``: one part at a time, the criteria of the picked level as a checklist, a note per
skill, and Save writing one record per part, the same records a self-review in the coach's
workspace makes, so a collected one shows on the coach's summary and team overview.

Handing back is the milestone pack's (:class:`ReflectionSession`): the **Hand in** button
on a coaching server, ``coach hand-in`` elsewhere; drafts stay in the pack.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from IPython.display import HTML

from ..model.errors import InputError
from ..views import html, own_skills
from .reflection import ReflectionSession
from .session import SkillsReviewSession


class SkillsReflectionSession(SkillsReviewSession):
    """A self-assessment session on a skills framework, in a pack, for its coachee."""

    def __init__(
        self,
        *,
        coachee: str,
        framework: str,
        workspace: str | Path | None = ".",
        as_of: str | date | None = None,
        part: str = "",
    ) -> None:
        super().__init__(
            framework=framework,
            coachee=coachee,
            author=coachee,
            role="self",
            workspace=workspace,
            as_of=as_of,
            part=part,
        )
        if self.framework.is_milestone_track:
            raise InputError(
                f"{self.framework.id} is a milestone track: its pack uses "
                "the milestone reflection (ReflectionSession)"
            )

    def show_title(self) -> HTML:
        return HTML(
            f"<p class='{html.NO_MATH}'><strong>{html.esc(self.coachee)}</strong> · "
            f"{html.esc(self.framework.title)} ({html.esc(self.framework.version_label)})"
            f" · your own self-assessment · as of {self.as_of.isoformat()}</p>"
            + html.problems_html(self.registry.problems)
        )

    def show_standing(self) -> HTML:
        """Your saved self-assessments: how many, when last; per part, how many skills you
        rated; then your latest rating, note and ticked criteria in the starting part."""
        frame = self.frame()
        frame = frame[frame["when"].dt.date <= self.as_of] if not frame.empty else frame
        mine = frame[frame["role"] == "self"] if not frame.empty else frame
        records = mine["record_id"].nunique() if not mine.empty else 0
        if mine.empty:
            said = "You have not saved a self-assessment in this pack yet."
        else:
            last = mine["when"].max().date()
            said = (
                f"You have saved {records} self-assessment record(s); the last "
                f"{(self.as_of - last).days} days ago ({last})."
            )
        parts = [
            html.problems_html(self.journal.problems),
            html.paragraph(said),
            own_skills.own_parts_html(self.framework, self.table()),
            own_skills.own_part_html(self.framework, self.framework.group(self.part), mine),
        ]
        return HTML("\n".join(part for part in parts if part))

    def show_scale(self) -> HTML:
        """The levels in the framework's words (each skill's criteria show in the form)."""
        return HTML(own_skills.scale_html(self.framework))

    def hints(self) -> dict[str, str]:
        """'You last said 3 · Practice (2026-05-01): <note>' for each skill you rated."""
        hints = {}
        for row in self.table().itertuples():
            text = html.rating_text(self.framework, row.self, row.self_mark)
            if text != "not rated":
                hints[row.skill] = f"You last said: {text} ({row.self_when.date()})"
        return hints

    # Handing back is the same as from a milestone pack: the same files travel.
    send_back = ReflectionSession.send_back
    _together = ReflectionSession._together
