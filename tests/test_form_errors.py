"""A form tells a refusal from a bug: a project error (a full disk, a wrong field) is one
line and the form stays as typed; anything else is shown as a bug in coachlib, with its
traceback, logged, and raised again (never dressed up as "Not saved")."""

from __future__ import annotations

import logging

import pytest

from coachlib.model.frameworks import Registry
from coachlib.model.review import Review
from coachlib.model.sessionlog import LogEntry
from coachlib.notebook.forms import MilestoneReviewForm
from coachlib.notebook.forms.session_log import SessionLogForm
from coachlib.store.journal import load_journal, save_review
from coachlib.store.sessionlog import load_catalogue, load_log, save_entry
from coachlib.store.workspace import Workspace


def review_form(workspace: Workspace, registry: Registry, save) -> MilestoneReviewForm:
    form = MilestoneReviewForm(
        registry.get("samman-learning-hour"),
        coachee="Ada Lovelace", author="Grace Hopper", role="coach", save=save,
    )  # fmt: skip
    form.picker.value = 3
    form.evidence.value = "Led a learning hour on mutation testing."
    return form


def test_a_refusal_is_one_line_and_keeps_the_form(workspace, registry):
    form = review_form(workspace, registry, lambda review: save_review(workspace, review))
    workspace.journal_dir.write_text("a file where the journal folder should be")
    assert form.save() is None
    text = form.status.text
    assert text.startswith("✖ Not saved:") and "Everything you typed is still here" in text
    assert "\n" not in text and "Traceback" not in text and "bug" not in text
    assert form.evidence.value == "Led a learning hour on mutation testing."


def test_a_bug_in_saving_is_shown_logged_and_raised(workspace, registry, caplog):
    def save_with_a_bug(review: Review) -> Review:
        return save_review(workspace, review, review.framework)  # a name, not a Registry

    form = review_form(workspace, registry, save_with_a_bug)
    with caplog.at_level(logging.ERROR, logger="coachlib"), pytest.raises(AttributeError):
        form.save()
    text = form.status.text
    assert text.startswith("✖ Not saved: a bug in coachlib (AttributeError:"), text
    assert "Traceback" in text and "save_with_a_bug" in text  # the details, in the page
    assert "a bug in coachlib" in caplog.text and "save_with_a_bug" in caplog.text
    assert form.evidence.value == "Led a learning hour on mutation testing."
    assert load_journal(workspace).reviews == []


def log_form(workspace: Workspace, save) -> SessionLogForm:
    form = SessionLogForm(
        author="Morgan Reyes", teams=[], coachees=[], catalogue=load_catalogue(workspace),
        save=save,
    )  # fmt: skip
    form.team.value = "Payments"
    form.coachee.value = "Ada Lovelace"
    form.kind.value = "learning-hour"
    form.role.value = "designed"
    form.learning_hour.value = "Refactoring Golf"
    return form


def test_the_session_log_form_tells_a_refusal_from_a_bug(workspace, caplog):
    form = log_form(workspace, lambda entry: save_entry(workspace, entry))
    form.learning_hour.value = "Refactorin Golf"
    assert form.save() is None
    assert form.status.text.startswith("✖ Not saved:") and "\n" not in form.status.text

    def save_with_a_bug(entry: LogEntry) -> LogEntry:
        return save_entry(workspace, entry, "an argument too many")

    form = log_form(workspace, save_with_a_bug)
    with caplog.at_level(logging.ERROR, logger="coachlib"), pytest.raises(TypeError):
        form.save()
    assert form.status.text.startswith("✖ Not saved: a bug in coachlib (TypeError:")
    assert "save_with_a_bug" in form.status.text and "save_with_a_bug" in caplog.text
    assert form.team.value == "Payments" and load_log(workspace).entries == []
