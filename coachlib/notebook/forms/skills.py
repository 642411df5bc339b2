"""The skills review form (a matrix or a catalogue): one part at a time, a row per skill."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from ...model.errors import CoachError, FrameworkError, InputError
from ...model.frameworks import Framework, Group, Skill
from ...model.review import Rating, Review, reviews_by_part
from ...store.drafts import DraftKeeper
from ...views import html
from .base import CoachNotes, ReviewFormBase, textarea
from .savebutton import Values

NOT_RATED = ""


class SkillRow:
    """One skill in the skills review: level picker, criteria checklist, details, note."""

    def __init__(
        self,
        framework: Framework,
        skill: Skill,
        *,
        hint: str = "",
        on_change: Callable[[], Any] = lambda: None,
    ) -> None:
        self.framework = framework
        self.skill = skill
        self.saved = Rating(skill.id)  # what this row last saved (nothing, at first)
        self._on_change = on_change
        self._ticks: dict[int, set[str]] = {}
        self._boxes: dict[w.Checkbox, str] = {}  # the checkboxes shown, by criterion
        options = [("not rated", NOT_RATED)]
        options += [(f"{lv.level} · {lv.name}", str(lv.level)) for lv in framework.scale]
        options += [(mark.name, mark.id) for mark in framework.marks]
        self.level = w.ToggleButtons(
            options=options,
            value=NOT_RATED,
            description="Level",
            style={"button_width": "auto", "description_width": "4em"},
            tooltips=[
                "not rated yet",
                *(lv.description or lv.name for lv in framework.scale),
                *(m.description or m.name for m in framework.marks),
            ],
        )
        self.criteria_box = w.VBox(layout=w.Layout(margin="0 0 0 4.5em"))
        self.note = w.Textarea(
            description="Note",
            placeholder=f"What shows this level of {skill.name}?",
            layout=w.Layout(width="100%", height="3.5em"),
            style={"description_width": "4em"},
        )
        self.level.observe(self._level_changed, names="value")
        self.note.observe(lambda _change: self._on_change(), names="value")
        self.widget = w.VBox(
            [w.HTML(self._details_html(hint)), self.level, self.criteria_box, self.note],
            layout=w.Layout(border_bottom="1px solid #ddd", padding="0 0 0.6em 0"),
        )

    def _details_html(self, hint: str) -> str:
        skill = self.skill
        parts = [f'<div class="{html.NO_MATH}"><strong>{html.esc(skill.name)}</strong>']
        if skill.description:
            parts.append(f"<br>{html.rich(skill.description)}")
        if skill.excluded:
            parts.append(f"<br><em>Excluded:</em> {html.rich(skill.excluded)}")
        if skill.see_also:
            names = [self._name_of(target) for target in skill.see_also]
            parts.append(f"<br><em>See also:</em> {html.esc('; '.join(names))}")
        if hint:
            parts.append(f'<br><small style="color:#555">{html.esc(hint)}</small>')
        parts.append("</div>")
        return "".join(parts)

    def _name_of(self, target: str) -> str:
        if self.framework.has_skill(target):
            return self.framework.skill(target).name
        try:
            return self.framework.group(target).label
        except FrameworkError:  # a see-also naming neither a skill nor a group
            return target

    @property
    def rated(self) -> bool:
        return self.level.value != NOT_RATED

    def _level_changed(self, _change: dict[str, Any]) -> None:
        self._show_criteria()
        self._on_change()

    def _show_criteria(self) -> None:
        level = _level_number(self.level.value)
        self._boxes = {}
        if level is not None:  # criteria belong to a level
            ticked = self._ticks.setdefault(level, set())
            for item in self.skill.criteria.get(level, ()):
                box = w.Checkbox(
                    value=item in ticked,
                    description=item,
                    indent=False,
                    layout=w.Layout(width="100%"),
                )
                box.observe(self._tick_handler(level, item), names="value")
                self._boxes[box] = item
        if self._boxes:
            header = w.HTML("<em>Criteria at this level: tick what you have evidence for</em>")
            self.criteria_box.children = [header, *self._boxes]
        elif level is not None and self.framework.level(level).description:
            text = self.framework.level(level).description
            self.criteria_box.children = [w.HTML(f"<em>{html.esc(text)}</em>")]
        else:
            self.criteria_box.children = []

    def _tick_handler(self, level: int, item: str) -> Callable[[dict[str, Any]], None]:
        def handle(change: dict[str, Any]) -> None:
            ticks = self._ticks.setdefault(level, set())
            if change["new"]:
                ticks.add(item)
            else:
                ticks.discard(item)
            self._on_change()

        return handle

    @property
    def criteria_checkboxes(self) -> list[w.Checkbox]:
        return list(self._boxes)

    def rating(self, current: Callable[[w.Widget], Any]) -> Rating:
        """What the row holds (``current`` reads a field as the browser held it)."""
        choice = current(self.level)
        level = _level_number(choice)
        ticks = set(self._ticks.get(level, ())) if level is not None else set()
        if level is not None and level == _level_number(self.level.value):
            for box, item in self._boxes.items():  # the boxes shown are this level's
                (ticks.add if current(box) else ticks.discard)(item)
        order = self.skill.criteria.get(level, ()) if level is not None else ()
        return Rating(
            skill=self.skill.id,
            choice=choice,
            note=current(self.note),
            ticked=tuple(item for item in order if item in ticks),
        )

    def pending(self, current: Callable[[w.Widget], Any]) -> Rating | None:
        """The row's rating if it is rated and differs from what the row last saved."""
        rating = self.rating(current)
        return rating if rating.rated and rating != self.saved else None


def _level_number(choice: str) -> int | None:
    return int(choice) if isinstance(choice, str) and choice.isdigit() else None


class SkillsReviewForm(ReviewFormBase):
    """Review a framework with many skills one part (group, tier, skill set) at a time.

    Ratings made in one part stay in the form when another part is shown. Save writes one
    record per part with unsaved ratings (the part shown, and the skill set of any other
    rated skill), so nothing typed is lost by switching parts before saving. A coach's form
    also has the hand-over note and the private note (:class:`CoachNotes`), written on each
    record of the save like the session notes.
    """

    def __init__(
        self,
        framework: Framework,
        *,
        coachee: str,
        author: str,
        role: str,
        save: Callable[[Review], Review],
        part: str | None = None,
        hints: dict[str, str] | None = None,
        on_saved: Callable[[Review], Any] | None = None,
        drafts: DraftKeeper | None = None,
    ) -> None:
        super().__init__(
            framework,
            coachee=coachee,
            author=author,
            role=role,
            save=save,
            on_saved=on_saved,
            drafts=drafts,
            tooltip="Save the ratings as new journal records (one per part)",
        )
        self._hints = hints or {}
        self.rows: dict[str, SkillRow] = {}
        parts = framework.parts()
        if not parts:
            raise ValueError(f"{framework.id} has no skills to review")
        ids = [group.id for group, _ in parts]
        if part and part not in ids:
            raise InputError(f"no part {part!r} in {framework.id} (parts: {', '.join(ids)})")
        self.part_picker = w.Dropdown(
            options=[(self._part_label(group, depth), group.id) for group, depth in parts],
            value=part or ids[0],
            description="Part",
            layout=w.Layout(width="100%"),
            style={"description_width": "4em"},
        )
        self.progress = w.HTML()
        self.rows_box = w.VBox()
        self.notes = textarea("Session notes", "Anything else about this session.")
        self.coach_notes = CoachNotes(coachee) if role == "coach" else None
        self.texts = ("notes", *(CoachNotes.NAMES if self.coach_notes else ()))
        if self.coach_notes:
            self.handover_note, self.private_note = self.coach_notes.fields
        self.part_picker.observe(lambda _change: self.show_part(), names="value")
        for name in self.texts:
            getattr(self, name).observe(self._changed, names="value")
        self.assemble(
            [
                self.part_picker,
                self.progress,
                self.rows_box,
                self.notes,
                *(self.coach_notes.widgets if self.coach_notes else ()),
            ]
        )
        self.show_part()

    @staticmethod
    def _part_label(group: Group, depth: int) -> str:
        count = sum(1 for _ in group.all_skills())
        kind = {"tier": "tier", "skill-set": "skill set"}.get(group.kind, "group")
        return f"{'    ' * depth}{group.label} ({kind}, {count} skills)"

    @property
    def part(self) -> Group:
        return self.framework.group(self.part_picker.value)

    def row(self, skill_id: str) -> SkillRow:
        if skill_id not in self.rows:
            skill = self.framework.skill(skill_id)
            self.rows[skill_id] = SkillRow(
                self.framework,
                skill,
                hint=self._hints.get(skill_id, ""),
                on_change=self._row_changed,
            )
        return self.rows[skill_id]

    def _row_changed(self) -> None:
        self.update_progress()
        self._changed()

    def draft_state(self) -> dict[str, Any]:
        """Unsaved rows: level, note and ticks per level; the part shown; session notes."""
        current = self.current(None)
        rows = {
            skill_id: {
                "level": row.level.value,
                "note": row.note.value,
                "ticks": {
                    str(level): sorted(ticks)
                    for level, ticks in row._ticks.items()
                    if level is not None and ticks
                },
            }
            for skill_id, row in self.rows.items()
            if row.rating(current) != row.saved
        }
        return {"part": self.part_picker.value, "rows": rows} | {
            name: getattr(self, name).value for name in self.texts
        }

    def apply_draft(self, state: dict[str, Any]) -> None:
        parts = {value for _label, value in self.part_picker.options}
        if state.get("part") in parts:
            self.part_picker.value = state["part"]
        for name in self.texts:
            if isinstance(state.get(name), str):
                getattr(self, name).value = state[name]
        for skill_id, saved in (state.get("rows") or {}).items():
            if not self.framework.has_skill(skill_id) or not isinstance(saved, dict):
                continue
            row = self.row(skill_id)
            for level, ticks in (saved.get("ticks") or {}).items():
                if str(level).isdigit():
                    known = set(row.skill.criteria.get(int(level), ()))
                    row._ticks[int(level)] = {t for t in ticks if t in known}
            options = {value for _label, value in row.level.options}
            if saved.get("level") in options:
                row.level.value = saved["level"]
            row._show_criteria()
            if isinstance(saved.get("note"), str):
                row.note.value = saved["note"]
        self.update_progress()

    def show_part(self) -> None:
        self.rows_box.children = [self.row(s.id).widget for s in self.part.all_skills()]
        self.update_progress()

    def update_progress(self) -> None:
        current = self.current(None)
        part_ids = [s.id for s in self.part.all_skills()]
        rated_here = sum(1 for i in part_ids if i in self.rows and self.rows[i].rated)
        rated_all = sum(1 for row in self.rows.values() if row.rated)
        unsaved = sum(1 for row in self.rows.values() if row.pending(current) is not None)
        total = len(self.framework.skills)
        text = (
            f"{rated_here} of {len(part_ids)} skills rated in {self.part.label}"
            f" · {rated_all} of {total} skills rated in all"
        )
        if unsaved:
            text += f" · {unsaved} not saved yet"
        self.progress.value = f'<div role="status">{html.esc(text)}</div>'

    @property
    def progress_text(self) -> str:
        return re.sub(r"<[^>]+>", "", self.progress.value)

    def save(self, values: Values | None = None) -> list[Review]:
        """Write one record per part with ratings not saved yet; show what happened."""
        current = self.current(values)
        pending = {
            skill.id: rating
            for skill in self.framework.skills
            if skill.id in self.rows and (rating := self.rows[skill.id].pending(current))
        }
        if not pending:
            self.status.error("Nothing new to save: rate at least one skill first.")
            return []
        reviews = reviews_by_part(
            self.framework,
            pending.values(),
            shown_part=current(self.part_picker),
            coachee=self.coachee,
            author=self.author,
            role=self.role,
            **{name: current(getattr(self, name)) for name in self.texts},
        )
        written: list[Review] = []
        try:
            for review in reviews:
                written.append(self._save(review))
                for assessment in review.assessments:
                    self.rows[assessment.skill].saved = pending[assessment.skill]
        except CoachError as exc:
            done = f" ({len(written)} record(s) were saved first)" if written else ""
            self.status.error(
                f"Not saved: {exc}{done}. Everything you typed is still here; "
                "the unsaved ratings will be saved when you click Save again."
            )
            self._written(written)
            self.update_progress()
            return written
        except Exception as exc:
            self._written(written)  # what was saved before the bug stays counted
            self.update_progress()
            self.status.bug("Not saved", exc)
            raise
        if not any(row.pending(current) for row in self.rows.values()):
            self._saved_drafts()
        skills = sum(len(r.assessments) for r in written)
        where = ", ".join(str(r.path) for r in written)
        self.status.ok(f"Saved {skills} rating(s) in {len(written)} record(s): {where}")
        self._written(written)
        self.update_progress()
        return written
