"""ipywidgets forms. Thin: they collect what a person typed and hand it to ``journal``.

The form never clears itself: after a failed save everything typed is still there, and
after a successful one the coach can adjust and save again (a second, separate record).
Save errors of any kind are shown in the form, never raised into the notebook, so a full
disk or a bad value cannot lose what was typed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w

from ...model.frameworks import Framework, Group, Skill
from ...model.review import Assessment, Review, new_review
from ...model.rules import role_text
from ...views import html as render

TEXT_LAYOUT = {"width": "100%", "height": "6em"}
# The browser holds back text updates of a widget while an earlier one is in flight, but
# sends a button click at once, so a click can reach the kernel before the last keystrokes
# of a fast typist. Saving this long after the click lets those updates arrive first.
SYNC_GRACE_SECONDS = 1.0
LABEL_STYLE = {"description_width": "9em"}


def _textarea(label: str, placeholder: str) -> w.Textarea:
    return w.Textarea(
        description=label,
        placeholder=placeholder,
        layout=w.Layout(**TEXT_LAYOUT),
        style=LABEL_STYLE,
        continuous_update=True,
    )


def after_pending_updates(action: Callable[[], Any]) -> None:
    """Run ``action`` once the browser's held-back widget updates have reached the kernel.

    In a Jupyter kernel that is a short delay on the kernel's own event loop (which keeps
    handling messages meanwhile); outside a kernel (plain Python: tests, scripts, where
    nothing is held back) it runs at once.
    """
    from IPython import get_ipython

    kernel = getattr(get_ipython(), "kernel", None)
    loop = getattr(kernel, "io_loop", None)
    if loop is None:
        action()
        return
    loop.call_later(SYNC_GRACE_SECONDS, action)


class StatusLine:
    """One line under a form saying what happened (role=status for screen readers)."""

    def __init__(self) -> None:
        self.widget = w.HTML(value="")

    def ok(self, message: str) -> None:
        self.widget.value = f'<div role="status" class="coach-ok">✔ {render.esc(message)}</div>'

    def error(self, message: str) -> None:
        self.widget.value = (
            f'<div role="alert" class="coach-error" style="color:#a40000">'
            f"✖ {render.esc(message)}</div>"
        )

    def info(self, message: str) -> None:
        self.widget.value = f'<div role="status">{render.esc(message)}</div>'

    @property
    def text(self) -> str:
        """The message without markup (for tests and logs)."""
        import re

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
            f'<div role="status"><strong>Unsaved work from {render.esc(when)} UTC was kept as '
            "a draft.</strong> Restore it into the form, or discard it.</div>"
        )
        self.widget.layout.display = "flex"

    def hide(self) -> None:
        self.widget.layout.display = "none"


class ReviewFormBase:
    """What both review forms share: who is reviewed by whom, how to save, and drafts (offer
    an earlier one, keep their own, drop it on save).

    A form provides ``draft_state()`` (what it holds, as plain data) and
    ``apply_draft(state)`` (fill itself from such data).
    """

    drafts: Any = None
    banner: DraftBanner

    def __init__(
        self,
        framework: Framework,
        *,
        coachee: str,
        author: str,
        role: str,
        save: Callable[[Review], Review],
        on_saved: Callable[[Review], Any] | None = None,
        drafts: Any = None,
    ) -> None:
        self.framework = framework
        self.coachee = coachee
        self.author = author
        self.role = role
        self._save = save
        self._on_saved = on_saved
        self.saved: list[Review] = []
        self.status = StatusLine()
        self._init_drafts(drafts)

    def _clicked(self, _button: Any) -> None:
        self.status.info("Saving…")
        after_pending_updates(self.save)

    def _init_drafts(self, drafts: Any) -> None:
        self.drafts = drafts
        self.banner = DraftBanner()
        self._offered: Any = None
        if drafts is None:
            return
        earlier = drafts.earlier()
        if earlier is not None:
            self._offered = earlier
            self.banner.offer(str(earlier[1].get("saved_at", "")))
        self.banner.restore_button.on_click(lambda _b: self.restore_draft())
        self.banner.discard_button.on_click(lambda _b: self.discard_draft())

    def restore_draft(self) -> None:
        if self._offered is None:
            return
        path, data = self._offered
        self.apply_draft(data["state"])
        self.drafts.restored_from = path
        self._offered = None
        self.banner.hide()

    def discard_draft(self) -> None:
        if self._offered is None:
            return
        self.drafts.drop(self._offered[0])
        self._offered = None
        self.banner.hide()

    def _changed(self, *_args: Any) -> None:
        if self.drafts is not None:
            self.drafts.touch()

    def _saved_drafts(self) -> None:
        if self.drafts is not None:
            self.drafts.saved()


class MilestoneReviewForm(ReviewFormBase):
    """Pick a milestone, write evidence, reflection, next steps and notes, Save.

    ``save`` receives the finished :class:`Review` and returns it saved (with its path);
    the session passes ``journal.save_review`` bound to the workspace.
    """

    def __init__(
        self,
        framework: Framework,
        *,
        coachee: str,
        author: str,
        role: str,
        save: Callable[[Review], Review],
        on_saved: Callable[[Review], Any] | None = None,
        drafts: Any = None,
    ) -> None:
        super().__init__(
            framework, coachee=coachee, author=author, role=role, save=save,
            on_saved=on_saved, drafts=drafts,
        )  # fmt: skip
        whose = "your own" if role == "self" else f"{coachee}'s"
        # Toggle buttons, not radio buttons: in JupyterLab the arrow keys move between
        # cells unless focus is in a text field, so a radio group cannot be used with the
        # keyboard there; buttons can (Tab to one, Space or Enter to pick it).
        self.picker = w.ToggleButtons(
            options=[(level.label, level.level) for level in framework.scale],
            value=None,
            description="Milestone",
            tooltips=[level.title or level.name for level in framework.scale],
            layout=w.Layout(width="100%"),
            style={"button_width": "100%", "description_width": "9em"},
        )
        self.detail = w.HTML(value=self._detail_html(None))
        self.evidence = _textarea("Evidence", f"What did you see that shows {whose} level?")
        self.reflection = _textarea("Reflection", "What went well, what was hard, what surprised?")
        self.next_steps = _textarea("Next steps", "What to try or learn before the next review?")
        self.notes = _textarea("Session notes", "Anything else about this session.")
        self.save_button = w.Button(
            description="Save review",
            button_style="primary",
            icon="save",
            tooltip="Save this review to the journal (a new record each time)",
        )
        self.picker.observe(self._show_detail, names="value")
        for field in (self.picker, *self.text_fields):
            field.observe(self._changed, names="value")
        self.save_button.on_click(self._clicked)
        self.widget = w.VBox(
            [
                self.banner.widget,
                w.HTML(
                    f"<strong>{render.esc(framework.title)}</strong>: review of "
                    f"{render.esc(coachee)} by {render.esc(author)} ({render.esc(role)})"
                ),
                self.picker,
                self.detail,
                self.evidence,
                self.reflection,
                self.next_steps,
                self.notes,
                self.save_button,
                self.status.widget,
            ],
            layout=w.Layout(width="100%"),
        )

    def _detail_html(self, level: int | None) -> str:
        if level is None:
            return "<p><em>Pick the milestone that describes the work you have seen.</em></p>"
        entry = self.framework.level(level)
        role = ""
        if entry.coaching_role:
            role = f"<p><em>Job role: {render.esc(role_text(entry.coaching_role))}</em></p>"
        return (
            f'<div class="{render.NO_MATH}" style="border-left:4px solid #0072B2;'
            f'padding-left:0.8em"><p><strong>{render.esc(entry.name)}'
            f"{': ' + render.esc(entry.title) if entry.title else ''}</strong></p>"
            f"<p>{render.esc(entry.description or '')}</p>{role}</div>"
        )

    @property
    def text_fields(self) -> tuple[w.Textarea, ...]:
        return (self.evidence, self.reflection, self.next_steps, self.notes)

    def draft_state(self) -> dict[str, Any]:
        return {
            "level": self.picker.value,
            "evidence": self.evidence.value,
            "reflection": self.reflection.value,
            "next_steps": self.next_steps.value,
            "notes": self.notes.value,
        }

    def apply_draft(self, state: dict[str, Any]) -> None:
        levels = {level.level for level in self.framework.scale}
        if state.get("level") in levels:
            self.picker.value = state["level"]
        for name in ("evidence", "reflection", "next_steps", "notes"):
            if isinstance(state.get(name), str):
                getattr(self, name).value = state[name]

    def _show_detail(self, change: dict[str, Any]) -> None:
        self.detail.value = self._detail_html(change["new"])

    def review(self) -> Review:
        """The review the form currently describes (raises InputError if incomplete)."""
        from ...model.errors import InputError

        if self.picker.value is None:
            raise InputError("pick a milestone before saving")
        assessment = Assessment(
            skill=self.framework.track_skill.id,
            level=self.picker.value,
            evidence=self.evidence.value.strip(),
            reflection=self.reflection.value.strip(),
            next_steps=self.next_steps.value.strip(),
        )
        return new_review(
            coachee=self.coachee,
            framework=self.framework.id,
            author=self.author,
            role=self.role,
            assessments=[assessment],
            notes=self.notes.value.strip(),
        )

    def save(self) -> Review | None:
        """Save a new record; on any failure show the error and keep every field as typed."""
        try:
            saved = self._save(self.review())
        except Exception as exc:
            self.status.error(f"Not saved: {exc}. Everything you typed is still here.")
            return None
        self.saved.append(saved)
        self._saved_drafts()
        count = len(self.saved)
        where = saved.path if saved.path is not None else "the journal"
        self.status.ok(
            f"Saved ({count} saved in this session) to {where}. "
            "Re-run the Progress cell to see it on the chart."
        )
        if self._on_saved is not None:
            self._on_saved(saved)
        return saved

    def _repr_mimebundle_(self, **kwargs: Any):
        return self.widget._repr_mimebundle_(**kwargs)


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
        self.dirty = False
        self._on_change = on_change
        self._ticks: dict[int, set[str]] = {}
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
        self.note.observe(lambda _change: self._touched(), names="value")
        self.widget = w.VBox(
            [
                w.HTML(self._details_html(hint)),
                self.level,
                self.criteria_box,
                self.note,
            ],
            layout=w.Layout(border_bottom="1px solid #ddd", padding="0 0 0.6em 0"),
        )

    def _details_html(self, hint: str) -> str:
        skill = self.skill
        parts = [f'<div class="{render.NO_MATH}"><strong>{render.esc(skill.name)}</strong>']
        if skill.description:
            parts.append(f"<br>{render.rich(skill.description)}")
        if skill.excluded:
            parts.append(f"<br><em>Excluded:</em> {render.rich(skill.excluded)}")
        if skill.see_also:
            names = [self._name_of(target) for target in skill.see_also]
            parts.append(f"<br><em>See also:</em> {render.esc('; '.join(names))}")
        if hint:
            parts.append(f'<br><small style="color:#555">{render.esc(hint)}</small>')
        parts.append("</div>")
        return "".join(parts)

    def _name_of(self, target: str) -> str:
        if self.framework.has_skill(target):
            return self.framework.skill(target).name
        try:
            return self.framework.group(target).label
        except Exception:
            return target

    @property
    def rated(self) -> bool:
        return self.level.value != NOT_RATED

    def _level_number(self) -> int | None:
        return int(self.level.value) if self.level.value.isdigit() else None

    def _level_changed(self, _change: dict[str, Any]) -> None:
        self._show_criteria()
        self._touched()

    def _show_criteria(self) -> None:
        level = self._level_number()
        items = self.skill.criteria.get(level, ()) if level is not None else ()
        ticked = self._ticks.setdefault(level, set()) if level is not None else set()
        boxes = []
        for item in items:
            box = w.Checkbox(
                value=item in ticked,
                description=item,
                indent=False,
                layout=w.Layout(width="100%"),
            )
            box.observe(self._tick_handler(level, item), names="value")
            boxes.append(box)
        if boxes:
            header = w.HTML("<em>Criteria at this level: tick what you have evidence for</em>")
            self.criteria_box.children = [header, *boxes]
        elif level is not None and self.framework.level(level).description:
            text = self.framework.level(level).description
            self.criteria_box.children = [w.HTML(f"<em>{render.esc(text)}</em>")]
        else:
            self.criteria_box.children = []

    def _tick_handler(self, level: int, item: str) -> Callable[[dict[str, Any]], None]:
        def handle(change: dict[str, Any]) -> None:
            ticks = self._ticks.setdefault(level, set())
            if change["new"]:
                ticks.add(item)
            else:
                ticks.discard(item)
            self._touched()

        return handle

    @property
    def criteria_checkboxes(self) -> list[w.Checkbox]:
        return [c for c in self.criteria_box.children if isinstance(c, w.Checkbox)]

    def _touched(self) -> None:
        self.dirty = True
        self._on_change()

    def assessment(self) -> Assessment:
        level = self._level_number()
        ticks = self._ticks.get(level, set()) if level is not None else set()
        order = self.skill.criteria.get(level, ()) if level is not None else ()
        return Assessment(
            skill=self.skill.id,
            level=level,
            mark=None if level is not None else self.level.value,
            note=self.note.value.strip(),
            criteria_met=tuple(item for item in order if item in ticks),
        )


class SkillsReviewForm(ReviewFormBase):
    """Review a framework with many skills one part (group, tier, skill set) at a time.

    Ratings made in one part stay in the form when another part is shown. Save writes one
    record per part with unsaved ratings (the part shown, and the skill set of any other
    rated skill), so nothing typed is lost by switching parts before saving.
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
        drafts: Any = None,
    ) -> None:
        super().__init__(
            framework, coachee=coachee, author=author, role=role, save=save,
            on_saved=on_saved, drafts=drafts,
        )  # fmt: skip
        self._hints = hints or {}
        self.rows: dict[str, SkillRow] = {}
        parts = framework.parts()
        if not parts:
            raise ValueError(f"{framework.id} has no skills to review")
        ids = [group.id for group, _ in parts]
        if part and part not in ids:
            from ...model.errors import InputError

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
        self.notes = _textarea("Session notes", "Anything else about this session.")
        self.save_button = w.Button(
            description="Save review",
            button_style="primary",
            icon="save",
            tooltip="Save the ratings as new journal records (one per part)",
        )
        self.part_picker.observe(lambda _change: self.show_part(), names="value")
        self.notes.observe(self._changed, names="value")
        self.save_button.on_click(self._clicked)
        self.widget = w.VBox(
            [
                self.banner.widget,
                w.HTML(
                    f"<strong>{render.esc(framework.title)}</strong>: review of "
                    f"{render.esc(coachee)} by {render.esc(author)} ({render.esc(role)})"
                ),
                self.part_picker,
                self.progress,
                self.rows_box,
                self.notes,
                self.save_button,
                self.status.widget,
            ],
            layout=w.Layout(width="100%"),
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
        rows = {
            skill_id: {
                "level": row.level.value,
                "note": row.note.value,
                "ticks": {str(level): sorted(ticks) for level, ticks in row._ticks.items()
                          if level is not None and ticks},
            }
            for skill_id, row in self.rows.items()
            if row.dirty
        }  # fmt: skip
        return {"part": self.part_picker.value, "notes": self.notes.value, "rows": rows}

    def apply_draft(self, state: dict[str, Any]) -> None:
        parts = {value for _label, value in self.part_picker.options}
        if state.get("part") in parts:
            self.part_picker.value = state["part"]
        if isinstance(state.get("notes"), str):
            self.notes.value = state["notes"]
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
        part_ids = [s.id for s in self.part.all_skills()]
        rated_here = sum(1 for i in part_ids if i in self.rows and self.rows[i].rated)
        rated_all = sum(1 for row in self.rows.values() if row.rated)
        unsaved = sum(1 for row in self.rows.values() if row.dirty and row.rated)
        total = len(self.framework.skills)
        text = (
            f"{rated_here} of {len(part_ids)} skills rated in {self.part.label}"
            f" · {rated_all} of {total} skills rated in all"
        )
        if unsaved:
            text += f" · {unsaved} not saved yet"
        self.progress.value = f'<div role="status">{render.esc(text)}</div>'

    @property
    def progress_text(self) -> str:
        import re

        return re.sub(r"<[^>]+>", "", self.progress.value)

    def pending(self) -> dict[str, list[SkillRow]]:
        """Unsaved, rated rows by the part their record goes to."""
        shown = {s.id for s in self.part.all_skills()}
        by_part: dict[str, list[SkillRow]] = {}
        for skill in self.framework.skills:
            row = self.rows.get(skill.id)
            if row is None or not row.dirty or not row.rated:
                continue
            part = self.part.id if skill.id in shown else skill.group_ids[-1]
            by_part.setdefault(part, []).append(row)
        return by_part

    def save(self) -> list[Review]:
        """Write one record per part with unsaved ratings; show what happened."""
        pending = self.pending()
        if not pending:
            self.status.error("Nothing new to save: rate at least one skill first.")
            return []
        written: list[Review] = []
        try:
            for part, rows in pending.items():
                review = new_review(
                    coachee=self.coachee,
                    framework=self.framework.id,
                    author=self.author,
                    role=self.role,
                    assessments=[row.assessment() for row in rows],
                    notes=self.notes.value.strip(),
                    part=part,
                )
                written.append(self._save(review))
                for row in rows:
                    row.dirty = False
        except Exception as exc:
            done = f" ({len(written)} record(s) were saved first)" if written else ""
            self.status.error(
                f"Not saved: {exc}{done}. Everything you typed is still here; "
                "the unsaved ratings will be saved when you click Save again."
            )
            self.saved.extend(written)
            self.update_progress()
            return written
        self.saved.extend(written)
        if not self.pending():
            self._saved_drafts()
        skills = sum(len(r.assessments) for r in written)
        where = ", ".join(str(r.path) for r in written)
        self.status.ok(f"Saved {skills} rating(s) in {len(written)} record(s): {where}")
        self.update_progress()
        if self._on_saved is not None:
            for review in written:
                self._on_saved(review)
        return written

    def _repr_mimebundle_(self, **kwargs: Any):
        return self.widget._repr_mimebundle_(**kwargs)
