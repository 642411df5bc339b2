"""The in-process runner gives the outputs a real kernel gives (the golden notebooks were
recorded by papermill in a kernel), records errors, and never mixes two people's runs."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest

from coachlib.export import runner, workbooks
from tests.golden.cases import GOLDEN_CASES, IMAGE_PLACEHOLDER, INLINE_IMAGE

GOLDEN = Path(__file__).resolve().parent / "golden"
pytestmark = pytest.mark.slow


def compared(notebook) -> list[tuple]:
    """What nbval compares in the cells tagged for it, charts' pixels replaced."""
    out = []
    for cell in notebook.cells:
        if "nbval-check-output" not in cell.metadata.get("tags", []):
            continue
        for output in cell.outputs:
            data = output.get("data", {})
            html = INLINE_IMAGE.sub(IMAGE_PLACEHOLDER, data.get("text/html", ""))
            out.append((output.output_type, html, data.get("text/plain", ""), output.get("text")))
    return out


@pytest.mark.parametrize("case", GOLDEN_CASES, ids=lambda case: case.golden)
def test_in_process_outputs_are_the_kernels(case, demo_workspace, monkeypatch, tmp_path):
    monkeypatch.setenv("COACH_WORKSPACE", str(demo_workspace.root))
    template = nbformat.read(case.template_path, as_version=4)
    made = runner.execute(runner.inject_parameters(template, case.parameters), cwd=tmp_path)
    golden = nbformat.read(GOLDEN / case.golden, as_version=4)
    assert compared(made) == compared(golden)
    assert compared(made)


def test_parameters_go_where_papermill_puts_them():
    notebook = workbooks.prepare(workbooks.SUMMARY, {"coachee": "Ada", "as_of": "2026-06-30"})
    tags = [cell.metadata.get("tags", []) for cell in notebook.cells]
    index = tags.index(["injected-parameters"])
    assert "parameters" in tags[index - 1]
    assert notebook.cells[index].source == '# Parameters\ncoachee = "Ada"\nas_of = "2026-06-30"\n'
    again = runner.inject_parameters(notebook, {"coachee": "Mei"})
    assert [c.metadata.get("tags") for c in again.cells].count(["injected-parameters"]) == 1


def test_parameters_are_python_literals_for_any_text():
    odd = ['quote " and \\ backslash', "line\nbreak", "ünï\u2028code", "'single'", "tab\t"]
    source = runner.python_literal({"names": odd, "flag": True, "none": None, "n": 3})
    assert eval(source) == {"names": odd, "flag": True, "none": None, "n": 3}


def test_a_failing_cell_is_recorded_and_stops_the_run(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell("print('before')\nimport os\nos.getcwd()"),
        nbformat.v4.new_code_cell("1 / 0"),
        nbformat.v4.new_code_cell("print('never')"),
    ]
    here = os.getcwd()
    with pytest.raises(runner.CellFailed) as caught:
        runner.execute(notebook, cwd=tmp_path)
    assert os.getcwd() == here  # the working folder is given back
    first, failed, never = caught.value.notebook.cells
    assert first.outputs[0]["text"] == "before\n"
    assert first.outputs[1]["data"]["text/plain"] == repr(str(tmp_path))
    assert failed.outputs[0]["ename"] == "ZeroDivisionError"
    assert never.outputs == [] and never.execution_count is None
    assert "cell 2 failed (ZeroDivisionError" in caught.value.message


def test_one_persons_form_never_reaches_anothers_notebook(demo_workspace, tmp_path):
    """Two review notebooks made one after the other in one process (as `coach demo`
    does): neither holds anything of the other, and no widget state is saved; the form's
    output says in words what to do."""
    made = {}
    for coachee in ("Ada Lovelace", "Mei Chen"):
        parameters = {"framework": "samman-ensemble", "coachee": coachee,
                      "author": "Morgan Reyes", "role": "coach",
                      "workspace": str(demo_workspace.root)}  # fmt: skip
        notebook = workbooks.run_template(workbooks.MILESTONE_REVIEW, parameters)
        made[coachee] = nbformat.writes(notebook)
    assert "Mei Chen" in made["Mei Chen"] and "Ada Lovelace" not in made["Mei Chen"]
    assert "Ada Lovelace" in made["Ada Lovelace"] and "Mei Chen" not in made["Ada Lovelace"]
    notebook = nbformat.reads(made["Mei Chen"], 4)
    assert "widgets" not in notebook.metadata
    plain = [o["data"]["text/plain"] for c in notebook.cells for o in c.get("outputs", [])
             if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]  # fmt: skip
    assert plain[0].startswith("The review form shows here once the notebook runs")
