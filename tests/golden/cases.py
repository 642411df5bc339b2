"""The golden notebooks: which template, with which parameters, against which journal."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from coachlib.demo.workspace import build_demo_journal
from coachlib.model.resources import workbooks_dir

GOLDEN_DAY = date(2026, 6, 30)
GOLDEN_SEED = 7
HERE = Path(__file__).resolve().parent
SANITIZE = HERE / "nbval-sanitize.cfg"
# The data of an inline chart, as the sanitizer replaces it (nbval compares the rest).
INLINE_IMAGE = re.compile(r"data:image/png;base64,[A-Za-z0-9+/=]+")
IMAGE_PLACEHOLDER = "data:image/png;base64,CHART"


@dataclass(frozen=True)
class GoldenCase:
    template: str
    golden: str
    parameters: dict[str, str] = field(default_factory=dict)

    @property
    def template_path(self) -> Path:
        return workbooks_dir() / self.template


GOLDEN_CASES = (
    GoldenCase(
        "milestone_review.ipynb",
        "milestone_review.ipynb",
        {
            "framework": "samman-ensemble",
            "coachee": "Ada Lovelace",
            "author": "Morgan Reyes",
            "role": "coach",
            "workspace": "",
            "as_of": GOLDEN_DAY.isoformat(),
        },
    ),
    GoldenCase(
        "skills_review.ipynb",
        "skills_review_cep.ipynb",
        {
            "framework": "core-engineer-progression",
            "coachee": "Priya Natarajan",
            "author": "Morgan Reyes",
            "role": "coach",
            "workspace": "",
            "as_of": GOLDEN_DAY.isoformat(),
            "part": "customer",
        },
    ),
    GoldenCase(
        "skills_review.ipynb",
        "skills_review_opensesame.ipynb",
        {
            "framework": "opensesame-career-skills",
            "coachee": "Sam Okafor",
            "author": "Sam Okafor",
            "role": "self",
            "workspace": "",
            "as_of": GOLDEN_DAY.isoformat(),
            "part": "basic-communication",
        },
    ),
    GoldenCase(
        "team_overview.ipynb",
        "team_overview.ipynb",
        {"workspace": "", "framework": "", "as_of": GOLDEN_DAY.isoformat(), "cadence_days": 60},
    ),
    GoldenCase(
        "summary.ipynb",
        "summary_skills.ipynb",
        {"coachee": "Priya Natarajan", "workspace": "", "as_of": GOLDEN_DAY.isoformat()},
    ),
    GoldenCase("home.ipynb", "home.ipynb", {"workspace": "", "as_of": GOLDEN_DAY.isoformat()}),
    GoldenCase(
        "reflection.ipynb",
        "reflection.ipynb",
        {
            "coachee": "Ada Lovelace",
            "framework": "samman-ensemble",
            "workspace": "",
            "as_of": GOLDEN_DAY.isoformat(),
        },
    ),
    GoldenCase(
        "skills_reflection.ipynb",
        "skills_reflection.ipynb",
        {
            "coachee": "Priya Natarajan",
            "framework": "core-engineer-progression",
            "workspace": "",
            "as_of": GOLDEN_DAY.isoformat(),
            "part": "customer",
        },
    ),
    GoldenCase(
        "summary.ipynb",
        "summary.ipynb",
        {"coachee": "Björn Ångström", "workspace": "", "as_of": GOLDEN_DAY.isoformat()},
    ),
    GoldenCase(
        "block_report.ipynb",
        "block_report.ipynb",
        {
            "team": "Payments",
            "date_from": "2026-03-01",
            "date_to": GOLDEN_DAY.isoformat(),
            "workspace": "",
            "include_reflections": False,
        },
    ),
    GoldenCase(
        "session_log.ipynb",
        "session_log.ipynb",
        {
            "workspace": "",
            "author": "Morgan Reyes",
            "team": "Payments",
            "as_of": GOLDEN_DAY.isoformat(),
        },
    ),
    # the example ladder shipped with coachlib (no file of the workspace's)
    GoldenCase("import_ladder.ipynb", "import_ladder.ipynb", {"workspace": "", "ladder": ""}),
)


def build_golden_workspace(root: Path) -> Path:
    build_demo_journal(root, today=GOLDEN_DAY, seed=GOLDEN_SEED)
    return root
