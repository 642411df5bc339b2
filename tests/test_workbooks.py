"""Workbooks under nbval, and `coach new` making real session notebooks.

nbval re-runs each golden notebook (a workbook recorded by tests/golden/regenerate.py
against the deterministic demo journal) in a real kernel and compares the outputs of the
cells tagged ``nbval-check-output``: where the coachee stands, the milestones, the chart's
text alternative, the summary. A changed journal or framework must turn it red.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import nbformat
import pytest

from coachlib.export.new import new_session_notebook
from coachlib.model.resources import workbooks_dir
from coachlib.model.review import Assessment, new_review
from coachlib.store.journal import save_review
from tests.golden.cases import GOLDEN_CASES, GOLDEN_DAY, INLINE_IMAGE, SANITIZE

GOLDEN = Path(__file__).resolve().parent / "golden"
pytestmark = pytest.mark.slow


def run_nbval(notebook: Path, workspace: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    """Run nbval on a copy of ``notebook`` in a pytest of its own, isolated from ours."""
    run_dir = tmp_path / "nbval"
    run_dir.mkdir(exist_ok=True)
    copy = run_dir / notebook.name
    shutil.copy(notebook, copy)
    (run_dir / "pytest.ini").write_text("[pytest]\n")
    env = {**os.environ, "COACH_WORKSPACE": str(workspace)}
    return subprocess.run(
        [
            sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
            "-c", str(run_dir / "pytest.ini"), "--rootdir", str(run_dir),
            "--nbval-lax", "--nbval-current-env", "--nbval-sanitize-with", str(SANITIZE),
            str(copy),
        ],
        cwd=run_dir, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_every_workbook_template_has_a_golden_notebook():
    templates = {path.name for path in workbooks_dir().glob("*.ipynb")}
    assert templates == {case.template for case in GOLDEN_CASES}


@pytest.mark.parametrize("case", GOLDEN_CASES, ids=lambda case: case.golden)
def test_golden_notebook_has_the_template_code(case):
    """A golden notebook recorded from an older template would test the wrong thing."""
    template = nbformat.read(case.template_path, as_version=4)
    golden = nbformat.read(GOLDEN / case.golden, as_version=4)

    def code(notebook):
        return [
            cell.source
            for cell in notebook.cells
            if cell.cell_type == "code"
            and "injected-parameters" not in cell.metadata.get("tags", [])
        ]

    assert code(golden) == code(template), "re-record: python tests/golden/regenerate.py"
    checked = [c for c in golden.cells if "nbval-check-output" in c.metadata.get("tags", [])]
    assert checked and all(cell.outputs for cell in checked)


@pytest.mark.parametrize("case", GOLDEN_CASES, ids=lambda case: case.golden)
def test_golden_notebook_names_no_path_of_the_machine_it_was_recorded_on(case):
    text = (GOLDEN / case.golden).read_text(encoding="utf-8")
    assert str(GOLDEN.parent.parent) not in text, "re-record: python tests/golden/regenerate.py"


def test_templates_carry_no_outputs_and_tag_their_parameters():
    for path in workbooks_dir().glob("*.ipynb"):
        notebook = nbformat.read(path, as_version=4)
        assert all(not c.get("outputs") for c in notebook.cells if c.cell_type == "code"), path
        tagged = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1, path


@pytest.mark.parametrize(
    "name", ["reflection.ipynb", "skills_reflection.ipynb", "home.ipynb", "session_log.ipynb"]
)
def test_notebooks_for_people_who_do_not_program_fold_every_code_cell(name):
    """JupyterLab's own hide-input flag on every code cell (the servers coachlib starts then
    hide even the first line: coachlib/serve/lab_settings.py)."""
    notebook = nbformat.read(workbooks_dir() / name, as_version=4)
    shown = [c.source.splitlines()[0] for c in notebook.cells if c.cell_type == "code"
             and not c.metadata.get("jupyter", {}).get("source_hidden")]  # fmt: skip
    assert shown == []


@pytest.mark.parametrize("name", ["reflection.ipynb", "skills_reflection.ipynb"])
def test_a_pack_notebook_asks_to_run_cells_only_where_there_are_cells(name):
    """A pack's notebook is also shown as a Voila page, where nothing can be run and there may
    be no hub: its words about running cells sit in a cell tagged "lab-only" (the page's
    template leaves it out), and the hand-back words are the same everywhere (the Hand in
    button, or the command, is shown by the code under them, by context)."""
    notebook = nbformat.read(workbooks_dir() / name, as_version=4)
    shown = [c.source for c in notebook.cells if c.cell_type == "markdown"
             and "lab-only" not in c.metadata.get("tags", [])]  # fmt: skip
    asks = re.compile(r"Run All|re-run|Run this cell|press \*\*Hand in", re.IGNORECASE)
    assert [text for text in shown if asks.search(text)] == []
    lab_only = [c.source for c in notebook.cells if "lab-only" in c.metadata.get("tags", [])]
    assert any("Run All" in text for text in lab_only)


def test_golden_notebooks_hold_what_nbval_compares_and_no_pixels():
    """Chart pixels and widget state are never compared: they are not kept either."""
    total = 0
    for case in GOLDEN_CASES:
        path = GOLDEN / case.golden
        total += path.stat().st_size
        text = path.read_text(encoding="utf-8")
        assert '"image/png"' not in text, case.golden
        assert not [m for m in INLINE_IMAGE.findall(text) if not m.endswith(",CHART")]
        assert "widget-state" not in text, case.golden
    assert total < 600_000, f"golden notebooks hold {total:,} bytes"


@pytest.mark.parametrize("case", GOLDEN_CASES, ids=lambda case: case.golden)
def test_workbook_passes_nbval(case, demo_workspace, tmp_path):
    result = run_nbval(GOLDEN / case.golden, demo_workspace.root, tmp_path)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout


def test_nbval_turns_red_when_the_summary_changes(demo_workspace, registry, tmp_path):
    """One more review before the as-of date changes the summary: nbval must fail."""
    save_review(
        demo_workspace,
        new_review(
            coachee="Björn Ångström",
            framework="samman-ensemble",
            author="Morgan Reyes",
            role="coach",
            when=datetime(GOLDEN_DAY.year, GOLDEN_DAY.month, GOLDEN_DAY.day - 1, tzinfo=UTC),
            assessments=[Assessment("ensemble-facilitation", 5, evidence="A change")],
        ),
        registry,
    )
    result = run_nbval(GOLDEN / "summary.ipynb", demo_workspace.root, tmp_path)
    assert result.returncode != 0
    assert "failed" in result.stdout
    assert "A change" in result.stdout or "Milestone 5" in result.stdout


def test_nbval_turns_red_when_the_framework_text_changes(demo_workspace, tmp_path):
    """A new version of a framework in the workspace that rewords milestone 2 must show up
    as a difference (a new review uses the newest text)."""
    from coachlib.model.resources import builtin_frameworks_dir

    text = (builtin_frameworks_dir() / "samman-ensemble-2026.yaml").read_text(encoding="utf-8")
    text = text.replace("\nversion: 2\n", "\nversion: 3\n").replace(
        "supersedes:\n  version: 1", "supersedes:\n  version: 2"
    )
    local = demo_workspace.frameworks_dir
    local.mkdir()
    (local / "samman-ensemble-v3.yaml").write_text(
        text.replace("Support an experienced ensemble", "Support a seasoned ensemble")
    )
    result = run_nbval(GOLDEN / "milestone_review.ipynb", demo_workspace.root, tmp_path)
    assert result.returncode != 0
    assert "seasoned" in result.stdout


def test_coach_new_makes_an_executed_notebook_with_injected_parameters(demo_workspace):
    made = new_session_notebook(
        demo_workspace,
        framework="samman-learning-hour",
        coachee="Mei Chen",
        author="Morgan Reyes",
        role="self",
    )
    assert made.path.parent == demo_workspace.workbooks_dir / "mei-chen"
    assert made.path.name.endswith("-samman-learning-hour-self.ipynb")
    notebook = nbformat.read(made.path, as_version=4)
    injected = [c for c in notebook.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1
    source = injected[0].source
    assert 'coachee = "Mei Chen"' in source and 'role = "self"' in source
    assert 'workspace = "../.."' in source  # relative: the notebook survives a moved workspace
    outputs = json.dumps([c.get("outputs", []) for c in notebook.cells])
    assert "Where Mei Chen stands on Competence Milestones for Learning Hour Delivery" in outputs
    assert "image/png" in outputs
    assert '"output_type": "error"' not in outputs
    second = new_session_notebook(
        demo_workspace, framework="samman-learning-hour", coachee="Mei Chen",
        author="Morgan Reyes", role="self", execute=False,
    )  # fmt: skip
    assert second.path != made.path and second.path.name.endswith("-self-2.ipynb")


@pytest.mark.parametrize(
    ("framework", "template_marker"),
    [
        ("core-engineer-progression", "SkillsReviewSession"),
        ("opensesame-career-skills", "SkillsReviewSession"),
        ("samman-ensemble", "ReviewSession("),
    ],
)
def test_coach_new_picks_the_workbook_for_the_framework(demo_workspace, framework, template_marker):
    made = new_session_notebook(
        demo_workspace, framework=framework, coachee="Priya Natarajan",
        author="Morgan Reyes", execute=False,
    )  # fmt: skip
    source = "\n".join(c.source for c in nbformat.read(made.path, as_version=4).cells)
    assert template_marker in source
    assert f'framework = "{framework}"' in source


def test_a_failed_session_notebook_is_kept_where_the_error_says(demo_workspace):
    from coachlib.model.errors import ExportError

    with pytest.raises(ExportError) as caught:
        new_session_notebook(
            demo_workspace, framework="core-engineer-progression", coachee="Priya Natarajan",
            author="Morgan Reyes", extra_parameters={"part": "no-such-part"},
        )  # fmt: skip
    kept = Path(caught.value.file)
    assert kept.parent == demo_workspace.workbooks_dir / "priya-natarajan"
    assert "no part 'no-such-part'" in caught.value.message
    assert "the notebook with the error is kept" in caught.value.message
    errors = [o for c in nbformat.read(kept, as_version=4).cells for o in c.get("outputs", [])
              if o.get("output_type") == "error"]  # fmt: skip
    assert errors and errors[0]["ename"] == "InputError"
