"""pandas views over a hand-made journal whose answers are known."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd

from coachlib.model.review import Assessment, new_review
from coachlib.store.journal import save_review
from coachlib.views import history, standing

EN = "samman-ensemble"
LH = "samman-learning-hour"
SKILL = {EN: "ensemble-facilitation", LH: "learning-hour-teaching"}


def add(workspace, registry, coachee, framework, role, level, day, **texts):
    review = new_review(
        coachee=coachee,
        framework=framework,
        author="Coach Carter" if role == "coach" else coachee,
        role=role,
        when=datetime(2026, *day, 9, 0, tzinfo=UTC),
        assessments=[Assessment(SKILL[framework], level, **texts)],
    )
    return save_review(workspace, review, registry)


def journal(workspace, registry):
    add(workspace, registry, "Ada", EN, "coach", 1, (1, 10), evidence="e1")
    add(workspace, registry, "Ada", EN, "self", 3, (1, 12), reflection="r1")
    add(workspace, registry, "Ada", EN, "coach", 2, (3, 5), evidence="e2", next_steps="n2")
    add(workspace, registry, "Ada", LH, "coach", 0, (2, 1))
    add(workspace, registry, "Bo", EN, "coach", 4, (2, 20))
    add(workspace, registry, "Bo", EN, "coach", 3, (4, 1))
    return history.load_history(workspace, registry=registry)


def test_history_has_one_row_per_assessed_skill_per_save(workspace, registry):
    timeline = journal(workspace, registry).frame
    assert len(timeline) == 6
    assert list(timeline.columns) == history.HISTORY_COLUMNS
    assert timeline["when"].is_monotonic_increasing
    ada_en = timeline[(timeline.coachee == "Ada") & (timeline.framework == EN)]
    assert list(ada_en["role"]) == ["coach", "self", "coach"]
    assert list(ada_en["level"]) == [1, 3, 2]
    assert list(ada_en["level_name"]) == ["Milestone 1", "Milestone 3", "Milestone 2"]
    assert timeline.loc[timeline.level == 0, "level_name"].item() == "Not started"
    assert str(timeline["level"].dtype) == "Int64"
    assert isinstance(timeline["when"].dtype, pd.DatetimeTZDtype)


def test_one_coachee_only(workspace, registry):
    journal(workspace, registry)
    only_bo = history.load_history(workspace, coachee="Bo", registry=registry).frame
    assert set(only_bo["coachee"]) == {"Bo"}
    assert len(only_bo) == 2


def test_latest_level_per_coachee_framework_skill_and_role(workspace, registry):
    latest = history.latest_levels(journal(workspace, registry).frame)
    got = {(row.coachee, row.framework, row.role): row.level for row in latest.itertuples()}
    assert got == {
        ("Ada", EN, "coach"): 2,
        ("Ada", EN, "self"): 3,
        ("Ada", LH, "coach"): 0,
        ("Bo", EN, "coach"): 3,  # moved down: the latest counts, not the highest
    }


def test_standing_as_of_a_date(workspace, registry):
    reviews = journal(workspace, registry).load.reviews
    now = standing.standing(
        reviews, coachee="Ada", framework=EN, skill=SKILL[EN], as_of=date(2026, 3, 15)
    )
    assert (now.coach_level, now.self_level, now.gap) == (2, 3, 1)
    assert now.days_since_last_review == 10
    assert now.reviews == 3
    assert now.coach_author == "Coach Carter"
    earlier = standing.standing(
        reviews, coachee="Ada", framework=EN, skill=SKILL[EN], as_of=date(2026, 1, 11)
    )
    assert (earlier.coach_level, earlier.self_level, earlier.gap) == (1, None, None)
    assert earlier.days_since_last_review == 1
    never = standing.standing(
        reviews, coachee="Bo", framework=LH, skill=SKILL[LH], as_of=date(2026, 5, 1)
    )
    assert never.last_review is None and never.days_since_last_review is None


def test_progress_series_keeps_coach_and_self_apart(workspace, registry):
    reviews = journal(workspace, registry).load.reviews
    series = standing.progress_series(reviews, coachee="Ada", framework=EN, skill=SKILL[EN])
    assert [point.level for point in series["coach"]] == [1, 2]
    assert [point.level for point in series["self"]] == [3]


def test_latest_review_is_the_last_of_that_role(workspace, registry):
    reviews = journal(workspace, registry).load.reviews
    coach = standing.latest_review(reviews, coachee="Ada", framework=EN, role="coach")
    assert (coach.assessments[0].evidence, coach.assessments[0].next_steps) == ("e2", "n2")
    own = standing.latest_review(reviews, coachee="Ada", framework=EN, role="self")
    assert own.assessments[0].reflection == "r1"


def test_a_milestone_review_never_loads_pandas(tmp_path):
    """The review notebook's cells, up to and with the form, work from the journal's
    records alone: pandas (a third of a second to load) is for the team and skills views."""
    import subprocess
    import sys

    code = (
        "import sys\nfrom coachlib.notebook import ReviewSession\n"
        f"s = ReviewSession(framework={EN!r}, coachee='Ada', author='B', "
        f"workspace={str(tmp_path / 'ws')!r})\n"
        "s.show_title(); s.show_standing(); s.show_framework(); s.review_form()\n"
        "s.show_progress(); s.export_button()\n"
        "print('pandas' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "False"


def test_empty_workspace_gives_empty_frames(workspace, registry):
    timeline = history.load_history(workspace, registry=registry)
    assert timeline.frame.empty and list(timeline.frame.columns) == history.HISTORY_COLUMNS
    assert history.latest_levels(timeline.frame).empty
