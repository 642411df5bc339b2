"""The skills review: parts, levels with criteria checklists, waived, saving per part, charts."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from coachlib.model.errors import InputError
from coachlib.model.review import Assessment, new_review
from coachlib.notebook import SkillsReviewSession
from coachlib.store.journal import load_journal, save_review
from coachlib.views import history, plots

CEP = "core-engineer-progression"
OS = "opensesame-career-skills"


def session(workspace, framework=CEP, **kwargs):
    return SkillsReviewSession(
        framework=framework, coachee="Ada", author="Grace", workspace=workspace.root, **kwargs
    )


def test_parts_progress_and_default_part(workspace):
    form = session(workspace).review_form()
    labels = [label for label, _ in form.part_picker.options]
    assert labels == [
        "Engineering (group, 17 skills)",
        "Customer (group, 3 skills)",
        "People Culture (group, 8 skills)",
    ]
    assert form.part_picker.value == "engineering"
    assert len(form.rows_box.children) == 17
    assert form.progress_text == "0 of 17 skills rated in Engineering · 0 of 28 skills rated in all"


def test_catalogue_parts_are_tiers_and_skill_sets(workspace):
    form = session(workspace, OS, part="basic-communication").review_form()
    labels = dict((value, label) for label, value in form.part_picker.options)
    assert labels["software-engineers"] == "Software Engineers (tier, 46 skills)"
    assert labels["basic-communication"].strip() == "Basic Communication (SE) (skill set, 7 skills)"
    assert "principal-engineers" not in labels  # no skills of its own
    assert len(form.rows_box.children) == 7
    row = form.row("defend-a-contrary-stance")
    details = row.widget.children[0].value
    assert "Excluded:" in details and "See also:" in details
    levels = [label for label, _ in row.level.options]
    assert levels == ["not rated", "0 · None", "1 · Learning", "2 · Proficient", "3 · Fluent",
                      "Waived"]  # fmt: skip


def test_unknown_part_is_a_clear_error(workspace):
    with pytest.raises(InputError, match="no part 'nope' in core-engineer-progression"):
        session(workspace, part="nope")


def test_criteria_of_the_selected_level_show_as_a_checklist(workspace):
    form = session(workspace).review_form()
    row = form.row("testing")
    assert row.criteria_checkboxes == []
    row.level.value = "2"
    items = [box.description for box in row.criteria_checkboxes]
    assert items == list(row.skill.criteria[2])
    row.criteria_checkboxes[1].value = True
    row.level.value = "3"
    assert not any(box.value for box in row.criteria_checkboxes)
    row.level.value = "2"  # back: the tick is remembered per level
    assert [box.value for box in row.criteria_checkboxes][:2] == [False, True]


def test_save_writes_one_record_per_part_with_levels_ticks_notes_and_waived(workspace):
    form = session(workspace, OS, part="baseline-expectations").review_form()
    english = form.row("spoken-and-written-english")
    english.level.value = "3"
    english.note.value = "Presents in English weekly.\nNo problems."
    form.row("in-person-attendance").level.value = "waived"
    form.part_picker.value = "basic-communication"  # move to another part, rate two more
    form.row("collective-ownership").level.value = "1"
    form.row("active-listening").level.value = "2"
    assert "3 of 7" not in form.progress_text
    assert form.progress_text.endswith("4 of 215 skills rated in all · 4 not saved yet")
    form.notes.value = "First career skills review."
    saved = form.save()
    assert "Saved 4 rating(s) in 2 record(s)" in form.status.text
    parts = {review.part: review for review in load_journal(workspace).reviews}
    assert set(parts) == {"baseline-expectations", "basic-communication"}
    baseline = {a.skill: a for a in parts["baseline-expectations"].assessments}
    assert baseline["spoken-and-written-english"].level == 3
    assert (
        baseline["spoken-and-written-english"].note == "Presents in English weekly.\nNo problems."
    )
    assert baseline["in-person-attendance"].level is None
    assert baseline["in-person-attendance"].mark == "waived"
    shown = {a.skill: a.level for a in parts["basic-communication"].assessments}
    assert shown == {"collective-ownership": 1, "active-listening": 2}
    assert all(r.notes == "First career skills review." for r in saved)
    assert form.save() == []  # nothing new
    assert "Nothing new to save" in form.status.text


def test_ticked_criteria_are_saved_with_the_record(workspace):
    form = session(workspace).review_form()
    row = form.row("testing")
    row.level.value = "4"
    row.criteria_checkboxes[0].value = True
    row.criteria_checkboxes[2].value = True
    form.save()
    [review] = load_journal(workspace).reviews
    [assessment] = review.assessments
    assert assessment.criteria_met == (row.skill.criteria[4][0], row.skill.criteria[4][2])


def test_a_failed_save_keeps_everything_and_saves_later(workspace):
    form = session(workspace).review_form()
    form.row("testing").level.value = "2"
    form.row("testing").note.value = "typed"
    workspace.journal_dir.write_text("a file where the folder should be")
    form.save()
    assert form.status.text.startswith("✖ Not saved:")
    assert form.row("testing").note.value == "typed"
    assert "1 not saved yet" in form.progress_text
    workspace.journal_dir.unlink()
    form.save()
    assert [a.note for r in load_journal(workspace).reviews for a in r.assessments] == ["typed"]


def test_hints_show_the_latest_ratings(workspace, registry):
    save_review(
        workspace,
        new_review(
            coachee="Ada", framework=CEP, author="Grace", role="coach",
            when=datetime(2026, 5, 1, tzinfo=UTC), part="engineering",
            assessments=[Assessment("testing", 3)],
        ),
        registry,
    )  # fmt: skip
    form = session(workspace).review_form()
    hint = form.row("testing").widget.children[0].value
    assert "Last: coach 3 Practice (2026-05-01)" in hint


def rate(workspace, registry, role, ratings, framework=OS, day=1):
    save_review(
        workspace,
        new_review(
            coachee="Ada", framework=framework, author="Grace" if role == "coach" else "Ada",
            role=role, when=datetime(2026, 5, day, tzinfo=UTC),
            assessments=[
                Assessment(skill, None, mark="waived") if value == "waived"
                else Assessment(skill, value)
                for skill, value in ratings.items()
            ],
        ),
        registry,
    )  # fmt: skip


def test_latest_by_skill_and_tier_readiness_leave_waived_out(workspace, registry):
    fw = registry.get(OS)
    all_engineers = [s.id for s in fw.group("all-engineers").all_skills()]
    assert len(all_engineers) == 19
    ratings = {skill: 3 for skill in all_engineers[:10]}
    ratings |= {all_engineers[10]: "waived", all_engineers[11]: "waived", all_engineers[12]: 2}
    rate(workspace, registry, "coach", ratings)
    rate(workspace, registry, "self", {all_engineers[0]: 2}, day=2)
    timeline = history.load_history(workspace, registry=registry).frame
    table = history.latest_by_skill(timeline, coachee="Ada", framework=fw)
    assert len(table) == 215
    first = table.iloc[0]
    assert (first["coach"], first["self"], first["gap"]) == (3, 2, -1)
    assert table.set_index("skill").loc[all_engineers[10], "coach_mark"] == "waived"
    readiness = history.tier_readiness(fw, table, role="coach").set_index("tier")
    row = readiness.loc["all-engineers"]
    assert (row["skills"], row["waived"], row["top"], row["rated"]) == (17, 2, 10, 11)
    assert row["share"] == pytest.approx(10 / 17)
    assert readiness.loc["software-engineers", "share"] == 0
    assert "principal-engineers" not in readiness.index


def test_radar_chart_draws_the_values_and_leaves_gaps_for_unrated(registry):
    fw = registry.get(CEP)
    names = [s.name for s in fw.skills[:8]]
    coach = [1, 2, 3, 4, 5, 0, None, 2]
    figure = plots.radar_chart(fw, names, coach, [2] * 8, title="t")
    axes = figure.axes[0]
    lines = [line for line in axes.get_lines() if line.get_label() in ("Coach", "Self")]
    coach_line = next(line for line in lines if line.get_label() == "Coach")
    data = coach_line.get_ydata()
    assert list(data[:6]) == [1, 2, 3, 4, 5, 0] and np.isnan(data[6])
    labels = [t.get_text() for t in axes.texts if t.get_gid() == "skill-label"]
    assert labels[0] == "Primary Programming\nLanguage (OO or FP)"


@pytest.mark.parametrize("count", [8, 18, 30])
def test_radar_labels_stay_short_and_inside_the_figure(registry, count):
    fw = registry.get(OS)
    skills = fw.skills[:count]
    figure = plots.radar_chart(
        fw, [s.name for s in skills], [1] * count, [2] * count, title=f"{count} skills"
    )
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    width, height = figure.bbox.width, figure.bbox.height
    boxes = []
    labels = [t for t in figure.axes[0].texts if t.get_gid() == "skill-label"]
    assert len(labels) == count
    for label in labels:
        text = label.get_text()
        assert all(len(line) <= 26 for line in text.splitlines()), text
        assert len(text.splitlines()) <= 2
        box = label.get_window_extent(renderer)
        assert box.x0 >= 0 and box.x1 <= width and box.y0 >= 0 and box.y1 <= height, text
        boxes.append(box)
    overlaps = sum(1 for i, a in enumerate(boxes) for b in boxes[i + 1 :] if a.overlaps(b))
    assert overlaps == 0


@pytest.mark.parametrize("width", [22, 18, 15])
def test_radar_labels_break_between_words_never_inside_one(registry, width):
    """'Containerisatio / n' must never happen: a label is whole words, or cut with '…'."""
    for framework in registry:
        for skill in framework.skills:
            label = plots.short_label(skill.name, width=width).replace("\\$", "$")
            words = skill.name.split()
            shown = label.replace("\n", " ").replace(" …", "").split(" ")
            for index, word in enumerate(shown):
                if word.endswith("…"):  # a word too long for any line, visibly cut
                    assert words[index].startswith(word[:-1]), (skill.name, label)
                    assert index == len(shown) - 1 or len(words[index]) > width + 4
                else:
                    assert word == words[index], (skill.name, label)
            assert label.count("\n") <= 1


def test_describe_levels_states_every_value(registry):
    fw = registry.get(CEP)
    text = plots.describe_levels(fw, ["Testing", "Unix"], [3, None], [4, 1])
    assert text == (
        "Levels per skill. Testing: coach 3 Practice, self 4 Drive/Lead; "
        "Unix: coach not rated, self 1 Understand."
    )


def test_dollar_signs_in_names_are_shown_not_typeset(registry):
    """A '$' in a coachee's name or a skill must not start matplotlib's mathtext."""
    fw = registry.get(CEP)
    names = ["Cost $5 and $\\href{x}{y}$", "B", "C"]
    figure = plots.radar_chart(fw, names, [1, 2, 3], [1, 2, 3], title="Ann $\\alpha$ $")
    plots.to_png(figure)  # parsing mathtext would raise here
    figure = plots.level_bars(fw, names, [1, None, 3], [1, 2, 3], title="$x$")
    plots.to_png(figure)


def test_a_second_click_with_nothing_new_writes_nothing(workspace):
    form = SkillsReviewSession(
        framework=CEP, coachee="Ada", author="Coach", workspace=workspace.root
    ).review_form()
    form.row("testing").level.value = "2"
    form.save_button.click()
    form.save_button.click()
    assert len(load_journal(workspace).reviews) == 1
    assert "Nothing new to save" in form.status.text
    # What the browser held at the click counts, even before the kernel's copy caught up.
    form.save_button.click({form.row("testing").note: "seen in the retro"})
    [_first, second] = load_journal(workspace).reviews
    assert second.assessments[0].note == "seen in the retro"
