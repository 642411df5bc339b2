"""The review form, driven in plain Python: set values, click Save, read the journal."""

from __future__ import annotations

import pytest

from coachlib.notebook import ReviewSession
from coachlib.store.journal import load_journal
from coachlib.store.records import read_record


@pytest.fixture
def session(workspace):
    return ReviewSession(
        framework="samman-learning-hour",
        coachee="Zoë Ağaoğlu",
        author="Grace Hopper",
        role="coach",
        workspace=workspace.root,
    )


def fill(form, level=3):
    form.picker.value = level
    form.evidence.value = "Designed a learning hour on mutation testing.\nZweite Zeile: ünïcödé"
    form.reflection.value = "<script>alert(1)</script> went well"
    form.next_steps.value = "Plan a series of three."
    form.notes.value = "Short session."


def test_picker_shows_every_milestone_headline_and_the_selected_text(session):
    form = session.review_form()
    labels = [label for label, _ in form.picker.options]
    assert labels[0] == "0 · Not started"
    assert labels[3].startswith("3 · Design and lead new learning hours on topics")
    assert len(labels) == 6
    assert "Pick the milestone" in form.detail.value
    form.picker.value = 4
    # the newest text (2026): no coaching-time percentages, mentoring at milestone 4
    assert "good teaching and mentoring skills" in form.detail.value
    assert "50%" not in form.detail.value


def test_save_writes_one_record_holding_exactly_what_was_typed(session, workspace):
    form = session.review_form()
    fill(form)
    form.save_button.click()
    assert "Saved" in form.status.text, form.status.text
    [review] = load_journal(workspace).reviews
    assessment = review.assessments[0]
    assert review.coachee == "Zoë Ağaoğlu"
    assert review.author == "Grace Hopper"
    assert review.role == "coach"
    assert review.framework == "samman-learning-hour"
    assert assessment.level == 3
    assert assessment.evidence == form.evidence.value
    assert assessment.reflection == "<script>alert(1)</script> went well"
    assert assessment.next_steps == "Plan a series of three."
    assert review.notes == "Short session."
    assert str(review.path) in form.status.text


def test_a_second_save_is_a_second_record(session, workspace):
    form = session.review_form()
    fill(form, level=2)
    form.save_button.click()
    form.picker.value = 3
    form.save_button.click()
    levels = [r.assessments[0].level for r in load_journal(workspace).reviews]
    assert levels == [2, 3]
    assert "2 saved in this session" in form.status.text
    assert session.standing().coach_level == 3  # the session re-read the journal


def test_saving_without_a_milestone_explains_and_keeps_the_text(session, workspace):
    form = session.review_form()
    form.evidence.value = "typed"
    form.save_button.click()
    assert "pick a milestone" in form.status.text
    assert form.evidence.value == "typed"
    assert load_journal(workspace).reviews == []


def test_a_failed_save_shows_the_error_and_keeps_everything_typed(session, workspace):
    form = session.review_form()
    fill(form)
    typed = {name: getattr(form, name).value for name in ("evidence", "reflection", "next_steps")}
    # A real failure: the journal folder cannot be created because a file is in its place.
    workspace.journal_dir.rmdir() if workspace.journal_dir.exists() else None
    workspace.journal_dir.write_text("not a folder")
    form.save_button.click()
    assert form.status.text.startswith("✖ Not saved:"), form.status.text
    assert "Everything you typed is still here" in form.status.text
    assert {name: getattr(form, name).value for name in typed} == typed
    assert form.picker.value == 3
    # Once the problem is fixed, the same form saves.
    workspace.journal_dir.unlink()
    form.save_button.click()
    assert "Saved" in form.status.text
    [review] = load_journal(workspace).reviews
    assert read_record(review.path).assessments[0].evidence == typed["evidence"]


def test_self_role_form_is_worded_for_the_coachee(workspace):
    own = ReviewSession(
        framework="samman-ensemble", coachee="Ada", author="Ada", role="self",
        workspace=workspace.root,
    )  # fmt: skip
    form = own.review_form()
    assert "your own" in form.evidence.placeholder
    fill(form, level=1)
    form.save_button.click()
    assert load_journal(workspace).reviews[0].role == "self"


def test_a_double_click_is_one_record(session, workspace):
    form = session.review_form()
    fill(form)
    form.save_button.click()
    form.save_button.click()  # the second click of a double click: nothing changed since
    assert len(load_journal(workspace).reviews) == 1
    assert form.status.text.startswith("✔ Already saved to ")
    form.next_steps.value = "Plan a series of four."
    form.save_button.click()  # a change: a second record
    assert len(load_journal(workspace).reviews) == 2


def test_two_people_pressing_save_at_once_write_one_record_and_both_read_saved(session, workspace):
    """A live session: one form, two people's views. Both press Save within a moment:
    one record, and the Saved line stays (the one whose click wrote it is not told
    "Already saved … nothing changed" by the other's click). The same view pressing
    again is a double click: "Already saved"."""
    form = session.review_form()
    fill(form)
    form.save_button.click(origin="coachee-view")
    form.save_button.click(origin="coach-view")  # the coach's Save, a moment later
    assert len(load_journal(workspace).reviews) == 1
    assert form.status.text.startswith("✔ Saved (1 saved in this session) to ")
    form.save_button.click(origin="coachee-view")  # the writer's own second click
    assert len(load_journal(workspace).reviews) == 1
    assert form.status.text.startswith("✔ Already saved to ")


def test_save_uses_what_the_browser_held_at_the_click(session, workspace):
    """The click carries the browser's values: the last keystrokes may not have reached the
    kernel's copy of the fields yet, and the record must hold them all."""
    form = session.review_form()
    fill(form, level=2)
    typed = form.evidence.value + " and the last words typed"
    form.save_button.click({form.evidence: typed, form.picker: 4})
    [review] = load_journal(workspace).reviews
    assert review.assessments[0].evidence == typed
    assert review.assessments[0].level == 4
    assert form.evidence.value != typed  # the kernel's copy is left to the browser's updates


def test_the_browser_values_map_back_to_the_forms_own_fields(session):
    form = session.review_form()
    raw = {
        form.evidence.model_id: {"value": "from the browser"},
        form.picker.model_id: {"index": 3},
        form.detail.model_id: {"value": "<p>display only</p>"},
        "not-a-widget-of-this-form": {"value": "ignored"},
    }
    values = form.save_button.browser_values(raw)
    assert values == {form.evidence: "from the browser", form.picker: 3}
