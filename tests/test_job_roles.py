"""The job-role reading: the Samman Society's current guidance, read per person across both
milestone tracks, as data (frameworks/guidance/samman-job-roles.yaml), never code."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from coachlib.model.errors import FrameworkError
from coachlib.model.guidance import parse_guidance
from coachlib.model.resources import builtin_frameworks_dir
from coachlib.model.review import Assessment, new_review
from coachlib.store.frameworks import registry_for
from coachlib.store.journal import save_review
from coachlib.views import history, team

EN, LH = "samman-ensemble", "samman-learning-hour"
GUIDANCE = builtin_frameworks_dir() / "guidance" / "samman-job-roles.yaml"

# (ensemble, learning hour) -> (role, membership-ready); None: no coach review on that track
CASES = [
    ((None, None), "not-started", False),
    ((0, 0), "not-started", False),
    ((1, None), "contributor-with-coaching-skills", False),
    ((2, 1), "contributor-with-coaching-skills", False),
    ((3, 0), "formal-part-time", False),  # milestone 3 in EITHER track
    ((0, 3), "formal-part-time", False),
    ((3, 3), "formal-part-time", False),
    ((4, 2), "part-time-coach", False),  # open case: 4 in one track, 2 in the other
    ((2, 4), "part-time-coach", False),
    ((4, 4), "part-time-coach", True),  # 4 in BOTH: may be invited to membership
    ((5, 3), "part-time-coach", False),  # open case: 5 in one track only
    ((3, 5), "part-time-coach", False),
    ((5, 4), "full-time-coach", True),
    ((4, 5), "full-time-coach", True),
    ((5, 5), "full-time-coach", True),
]


@pytest.fixture(scope="module")
def guidance():
    (found,) = registry_for(None).guidance
    return found


@pytest.mark.parametrize(("levels", "role", "member"), CASES)
def test_each_case_has_its_reading(guidance, levels, role, member):
    reading = guidance.read(dict(zip((EN, LH), levels, strict=True)))
    assert reading.role.id == role
    assert ("membership-ready" in [rule.id for rule in reading.also]) is member


def test_a_team_is_read_person_by_person_whatever_they_share(guidance):
    """Each distinct set of milestones is read once for a whole team: everyone still gets
    the reading of their own milestones, in the order asked for."""
    from coachlib.views.ratings import job_role_readings

    people = [f"P{n}" for n, _ in enumerate(CASES * 3)]
    milestones: dict[str, dict[str, int]] = {EN: {}, LH: {}}
    for person, (levels, _role, _member) in zip(people, CASES * 3, strict=True):
        for track, level in zip((EN, LH), levels, strict=True):
            if level is not None:
                milestones[track][person] = level
    readings = job_role_readings(milestones, guidance, people)
    assert [r.coachee for r in readings] == people
    for person, (levels, role, _member), got in zip(people, CASES * 3, readings, strict=True):
        assert got.levels == dict(zip((EN, LH), levels, strict=True))
        assert got.role == role, person
        alone = guidance.read(got.levels)
        assessed = levels != (None, None)
        assert got.reading == (alone.text if assessed else "not assessed")
        assert got.decisions == (alone.decisions if assessed else ())
        assert got.assessed is assessed


def test_the_words_follow_the_societys_page(guidance):
    full = guidance.read({EN: 5, LH: 5}).text
    assert full.startswith("Full-time technical coach, equivalent to a staff engineer or architect")
    assert "invited to Samman Society membership" in full
    assert "at the discretion of the Society's board" in full
    assert "member" not in full.replace("membership", "")  # never "a member"
    formal = guidance.read({EN: 3, LH: 1}).text
    assert "technical coaching suggested as a formal part-time role" in formal
    for levels in ((5, 5), (4, 4), (3, 3)):
        assert "%" not in guidance.read(dict(zip((EN, LH), levels, strict=True))).text


def test_open_cases_carry_coachlibs_decision(guidance):
    assert guidance.read({EN: 5, LH: 2}).decisions  # 5 in one track only
    assert guidance.read({EN: 4, LH: 2}).decisions  # 4 in one, 2 in the other
    assert guidance.read({EN: 3, LH: 3}).decisions == ()  # the page says it


def test_old_reviews_read_with_todays_guidance(workspace):
    """Milestones recorded against the seed text (which spoke of 20% and 50%) are read
    the way the Society writes it now; the texts of those reviews keep their words."""
    registry = registry_for(workspace.root)
    seed = registry.get(EN, 1)
    assert seed.level(4).coaching_role.share == "around 50%"
    for coachee, framework, level in (("Ana", EN, 4), ("Ana", LH, 4), ("Ben", EN, 5),
                                      ("Ben", LH, 2), ("Cai", LH, 3)):  # fmt: skip
        old = registry.get(framework, 1)
        review = new_review(
            coachee=coachee, framework=framework, author="Coach", role="coach",
            when=datetime(2025, 12, 1, tzinfo=UTC), version=old,
            assessments=[Assessment(old.track_skill.id, level)],
        )  # fmt: skip
        save_review(workspace, review, registry)
    timeline = history.load_levels(workspace, registry=registry).frame
    assert set(timeline["version"]) == {1}
    (guidance,) = registry.guidance
    milestones = {
        track: team.coach_milestones(
            team.latest_ratings(timeline, registry.get(track), as_of=date(2026, 6, 30))
        )
        for track in guidance.tracks
    }
    roles = team.job_roles(milestones, guidance, ["Ana", "Ben", "Cai", "Dee"])
    roles = roles.set_index("coachee")
    assert roles.loc["Ana", "role"] == "part-time-coach"
    assert "membership" in roles.loc["Ana", "reading"]
    assert roles.loc["Ben", "role"] == "part-time-coach"  # 5 and 2: coachlib's decision
    assert roles.loc["Ben", "decisions"]
    assert roles.loc["Cai", "role"] == "formal-part-time"
    assert roles.loc["Cai", EN] is pd_na() and roles.loc["Cai", LH] == 3
    assert roles.loc["Dee", "reading"] == "not assessed"


def pd_na():
    import pandas as pd

    return pd.NA


def test_the_rule_is_data_a_workspace_can_replace(workspace):
    """A newer guidance file in the workspace changes the reading: no rule is in code."""
    text = GUIDANCE.read_text(encoding="utf-8")
    stricter = text.replace("\nversion: 1\n", "\nversion: 2\n", 1).replace(
        "when: {highest: 4}", "when: {highest: 4, lowest: 3}"
    )
    folder = workspace.frameworks_dir / "guidance"
    folder.mkdir(parents=True)
    (folder / "samman-job-roles.yaml").write_text(stricter, encoding="utf-8")
    (guidance,) = registry_for(workspace.root).guidance
    assert guidance.version == 2
    assert guidance.read({EN: 4, LH: 2}).role.id == "formal-part-time"


def test_a_guidance_without_a_reading_for_everyone_is_refused(tmp_path: Path):
    text = GUIDANCE.read_text(encoding="utf-8").replace("when: {highest: 0}", "when: {highest: 1}")
    with pytest.raises(FrameworkError, match="the last role must hold for everyone") as caught:
        parse_guidance(text, tmp_path / "g.yaml")
    assert caught.value.line is not None and caught.value.field == "roles[4].when"


def test_a_guidance_with_a_bad_field_names_it(tmp_path: Path):
    text = GUIDANCE.read_text(encoding="utf-8").replace("when: {lowest: 4}", "when: {lowst: 4}")
    with pytest.raises(FrameworkError, match="unknown field 'lowst'") as caught:
        parse_guidance(text, tmp_path / "g.yaml")
    assert caught.value.field == "also[0].when.lowst"
    assert caught.value.line == text.splitlines().index("    when: {lowst: 4}") + 1
