"""Drafts: unsaved text is kept (debounced), offered back, dropped on Save, and never
touches a saved record."""

from __future__ import annotations

import pytest

from coachlib.notebook import ReviewSession, SkillsReviewSession
from coachlib.store.drafts import DraftKeeper
from coachlib.store.journal import load_journal, record_paths


class FakeClock:
    """A scheduler the test drives by hand: what a kernel's event loop does with time."""

    def __init__(self) -> None:
        self.pending: list[list] = []

    def __call__(self, delay, action):
        entry = [delay, action, False]
        self.pending.append(entry)

        class Handle:
            def cancel(self_inner):
                entry[2] = True

        return Handle()

    def run(self) -> int:
        """Let the delays pass: run every callback that was not cancelled."""
        ran = 0
        for entry in self.pending:
            if not entry[2]:
                entry[1]()
                ran += 1
        self.pending = []
        return ran


def make(session_cls, workspace, clock, **kwargs):
    session = session_cls(workspace=workspace.root, **kwargs)
    original = session.draft_keeper

    def keeper(state):
        made = original(state)
        made._scheduler = clock
        return made

    session.draft_keeper = keeper
    return session, session.review_form()


MILESTONE = {"framework": "samman-ensemble", "coachee": "Ada", "author": "Grace"}


def drafts_of(workspace):
    return sorted((workspace.root / "drafts").rglob("*.yaml"))


def test_typing_writes_one_debounced_draft(workspace):
    clock = FakeClock()
    _session, form = make(ReviewSession, workspace, clock, **MILESTONE)
    form.picker.value = 3
    form.evidence.value = "Ran the retro"
    form.evidence.value = "Ran the retro.\nÜnïcode."
    assert drafts_of(workspace) == []  # nothing yet: typing has not stopped
    assert sum(not e[2] for e in clock.pending) == 1  # earlier timers were cancelled
    assert clock.run() == 1
    [draft] = drafts_of(workspace)
    assert draft.parent == workspace.root / "drafts" / "ada"
    assert "Ünïcode" in draft.read_text(encoding="utf-8")
    assert draft.stat().st_mode & 0o077 == 0  # private, like the journal
    assert record_paths(workspace) == []


def test_the_next_run_of_the_notebook_offers_the_draft_back(workspace):
    clock = FakeClock()
    _s, first = make(ReviewSession, workspace, clock, **MILESTONE)
    first.picker.value = 4
    first.reflection.value = "Nervous but it went well."
    clock.run()
    # The kernel restarts / the tab is closed; the notebook runs again.
    _s, second = make(ReviewSession, workspace, clock, **MILESTONE)
    assert second.banner.widget.layout.display == "flex"
    assert "was kept as a draft" in second.banner.message.value
    assert second.reflection.value == ""
    second.banner.restore_button.click()
    assert second.reflection.value == "Nervous but it went well."
    assert second.picker.value == 4
    assert second.banner.widget.layout.display == "none"
    second.save_button.click()
    assert "Saved" in second.status.text
    clock.run()
    assert drafts_of(workspace) == []  # Save dropped both drafts
    [review] = load_journal(workspace).reviews
    assert review.assessments[0].reflection == "Nervous but it went well."


def test_a_draft_of_another_author_or_role_is_not_offered(workspace):
    clock = FakeClock()
    _s, first = make(ReviewSession, workspace, clock, **MILESTONE)
    first.evidence.value = "coach's words"
    clock.run()
    _s, own = make(ReviewSession, workspace, clock, **{**MILESTONE, "author": "Ada"}, role="self")
    assert own.banner.widget.layout.display == "none"


def test_discard_removes_only_that_draft(workspace):
    clock = FakeClock()
    _s, first = make(ReviewSession, workspace, clock, **MILESTONE)
    first.evidence.value = "old"
    clock.run()
    [old] = drafts_of(workspace)
    _s, second = make(ReviewSession, workspace, clock, **MILESTONE)
    second.banner.discard_button.click()
    assert not old.exists()
    assert second.evidence.value == ""


def test_drafts_never_touch_saved_records(workspace):
    clock = FakeClock()
    _s, form = make(ReviewSession, workspace, clock, **MILESTONE)
    form.picker.value = 2
    form.evidence.value = "saved text"
    form.save()
    saved = {p: p.read_bytes() for p in record_paths(workspace)}
    form.evidence.value = "typed after saving"
    clock.run()
    _s, again = make(ReviewSession, workspace, clock, **MILESTONE)
    again.banner.restore_button.click()
    again.evidence.value = "more"
    clock.run()
    again.banner.discard_button.click()
    assert {p: p.read_bytes() for p in record_paths(workspace)} == saved
    assert all("journal" not in str(p) for p in drafts_of(workspace))


def test_an_emptied_form_keeps_no_draft(workspace):
    clock = FakeClock()
    _s, form = make(ReviewSession, workspace, clock, **MILESTONE)
    form.evidence.value = "x"
    clock.run()
    form.evidence.value = ""
    clock.run()
    assert drafts_of(workspace) == []


def test_skills_form_keeps_levels_notes_and_ticks(workspace):
    clock = FakeClock()
    args = {"framework": "core-engineer-progression", "coachee": "Ada", "author": "Grace"}
    _s, first = make(SkillsReviewSession, workspace, clock, **args)
    row = first.row("testing")
    row.level.value = "3"
    row.criteria_checkboxes[1].value = True
    row.note.value = "pairing on tests"
    first.part_picker.value = "customer"
    first.row("strategy").level.value = "2"
    clock.run()
    _s, second = make(SkillsReviewSession, workspace, clock, **args)
    second.banner.restore_button.click()
    assert second.part_picker.value == "customer"
    restored = second.row("testing")
    assert restored.level.value == "3"
    assert restored.note.value == "pairing on tests"
    assert [box.value for box in restored.criteria_checkboxes][:2] == [False, True]
    assert second.row("strategy").level.value == "2"
    assert "2 not saved yet" in second.progress_text
    second.save()
    clock.run()
    assert drafts_of(workspace) == []


def test_a_broken_draft_is_ignored_not_fatal(workspace):
    folder = workspace.root / "drafts" / "ada"
    folder.mkdir(parents=True)
    (folder / "samman-ensemble-coach-grace-20260101T000000.000000Z.yaml").write_text("x: [")
    clock = FakeClock()
    _s, form = make(ReviewSession, workspace, clock, **MILESTONE)
    assert form.banner.widget.layout.display == "none"
    assert form.drafts.problems and "unreadable draft ignored" in str(form.drafts.problems[0])


def test_outside_a_kernel_no_timer_is_started(workspace):
    keeper = DraftKeeper(
        workspace, coachee="Ada", framework="samman-ensemble", role="coach", author="G",
        state=lambda: {"evidence": "x"},
    )  # fmt: skip
    keeper.touch()
    assert drafts_of(workspace) == []
    assert keeper.flush() is not None
    assert len(drafts_of(workspace)) == 1


@pytest.mark.parametrize("author", ["Grace", "grace", "GRACE H."])
def test_draft_file_names_are_safe(workspace, author):
    keeper = DraftKeeper(
        workspace, coachee="../../etc", framework="samman-ensemble", role="coach",
        author=author + "/../x", state=lambda: {"evidence": "x"},
    )  # fmt: skip
    path = keeper.flush()
    assert path.resolve().is_relative_to((workspace.root / "drafts").resolve())


def test_a_draft_timer_set_from_another_thread_fires():
    """ipykernel 7 handles widget messages in a subshell thread: a draft timer asked for
    there must still fire on the kernel's loop (a plain call_later from another thread
    is not seen by a loop that sleeps)."""
    import asyncio
    import threading

    from tornado.ioloop import IOLoop

    from coachlib.notebook.kernel import loop_scheduler

    started, fired = threading.Event(), threading.Event()
    holder: dict = {}

    def run() -> None:
        asyncio.set_event_loop(asyncio.new_event_loop())
        holder["loop"] = IOLoop.current()
        holder["loop"].add_callback(started.set)
        holder["loop"].start()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert started.wait(10)
    loop = holder["loop"]
    try:
        schedule = loop_scheduler(loop)
        schedule(0.05, fired.set)
        assert fired.wait(10), "the timer never fired"
        cancelled, after = threading.Event(), threading.Event()
        schedule(0.01, cancelled.set).cancel()  # a cancelled timer never fires
        schedule(0.2, after.set)
        assert after.wait(10) and not cancelled.is_set()
    finally:
        loop.add_callback(loop.stop)
        thread.join(10)
