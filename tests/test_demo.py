"""`coach demo`: a small team with a year of reviews, notebooks and summaries."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

from coachlib.demo.workspace import SKILLS_TEAM, TEAM, demo_reviews
from coachlib.store.journal import load_journal
from coachlib.store.workspace import Workspace
from coachlib.views import history


def test_demo_journal_is_deterministic_and_plausible():
    one = demo_reviews(today=date(2026, 6, 30), seed=7)
    two = demo_reviews(today=date(2026, 6, 30), seed=7)
    assert one == two
    assert {r.coachee for r in one} == {p.name for p in (*TEAM, *SKILLS_TEAM)}
    assert {r.framework for r in one} == {
        "samman-ensemble", "samman-learning-hour", "core-engineer-progression",
        "opensesame-career-skills",
    }  # fmt: skip
    for person in SKILLS_TEAM:
        mine = {r.framework for r in one if r.coachee == person.name}
        assert mine == {"core-engineer-progression", "opensesame-career-skills"}
    waived = [a for r in one for a in r.assessments if a.mark == "waived"]
    assert waived and all(a.level is None for a in waived)
    ticked = [a for r in one for a in r.assessments if a.criteria_met]
    assert ticked
    assert {r.role for r in one} == {"coach", "self"}
    days = [r.when.date() for r in one]
    assert min(days) >= date(2025, 6, 30) and max(days) < date(2026, 6, 30)


def test_demo_has_disagreement_between_coach_and_self(demo_workspace, registry):
    timeline = history.load_history(demo_workspace, registry=registry).frame
    latest = history.latest_levels(timeline)
    pivot = latest.pivot_table(
        index=["coachee", "framework"], columns="role", values="level", aggfunc="first"
    )
    gaps = (pivot["self"] - pivot["coach"]).astype(int)
    assert (gaps != 0).any() and (gaps == 0).any()
    assert gaps.abs().max() >= 2  # at least one "discuss at length"


@pytest.mark.slow
def test_coach_demo_command_makes_notebooks_and_summaries(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "coachlib.cli", "demo", "team"],
        cwd=tmp_path, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    root = tmp_path / "team"
    notebooks = sorted((root / "workbooks").rglob("*.ipynb"))
    reports = sorted((root / "reports").glob("*.html"))
    assert len(notebooks) == len(TEAM) + 1 + len(SKILLS_TEAM)
    assert len(reports) == len(TEAM) + len(SKILLS_TEAM)
    for path in (*notebooks, *reports):
        assert str(path.relative_to(tmp_path)) in result.stdout
    assert "jupyter lab" in result.stdout
    assert len(load_journal(Workspace(root)).reviews) > 50
    again = subprocess.run(
        [sys.executable, "-m", "coachlib.cli", "demo", "team"],
        cwd=tmp_path, capture_output=True, text=True,
    )  # fmt: skip
    assert again.returncode == 2 and "--replace" in again.stderr
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "journal").mkdir()
    refused = subprocess.run(
        [sys.executable, "-m", "coachlib.cli", "demo", "real", "--replace"],
        cwd=tmp_path, capture_output=True, text=True,
    )  # fmt: skip
    assert refused.returncode == 2 and "not a demo workspace" in refused.stderr
    assert (tmp_path / "real" / "journal").is_dir()
