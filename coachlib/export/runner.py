"""Running a workbook in this very process: its cells, its outputs, nothing started.

``coach new``, the home and team notebooks and ``coach share`` all need the same thing: a
workbook template with its parameters filled in (``export.workbooks``), executed top to
bottom, with what each cell shows recorded into the notebook. Starting a Jupyter kernel
for that costs a second or two per notebook, and the code the cells call is ours and
already importable here, so the cells run in this process: each in a fresh namespace,
through IPython's own display machinery (the same formatter a kernel uses), so the outputs
are the ones a kernel would record. The workbooks themselves still run in real kernels in
JupyterLab, Voilà and under nbval, and a test checks that both ways give the same outputs.

Parameters are injected the way papermill does it (a cell tagged ``injected-parameters``
after the one tagged ``parameters``), so a notebook made here can be re-run by papermill.
A cell that raises stops the run: its traceback is recorded as an error output and
:class:`CellFailed` carries the notebook, so the caller can keep it where a person can
look.

No widget state is saved with the notebook: a notebook written here is not trusted by
JupyterLab until a person runs it, so saved widgets would never be drawn, and a process
that ran notebooks for several people must never write one person's form into another's
file. A form's output says, in words, to run the notebook.
"""

from __future__ import annotations

import ast
import base64
import contextlib
import io
import json
import os
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..model.errors import ExportError

INJECTED_TAG = "injected-parameters"


class CellFailed(ExportError):
    """A cell raised; ``notebook`` holds the outputs up to it and its error."""

    def __init__(self, message: str, *, notebook: Any = None, **where: Any) -> None:
        super().__init__(message, **where)
        self.notebook = notebook


def inject_parameters(notebook: Any, parameters: dict[str, object]) -> Any:
    """Put the parameters in a cell tagged ``injected-parameters`` after the cell tagged
    ``parameters`` (replacing an earlier injected cell), as papermill does."""
    import nbformat

    lines = ["# Parameters"] + [
        f"{name} = {python_literal(value)}" for name, value in parameters.items()
    ]
    cell = nbformat.v4.new_code_cell("\n".join(lines) + "\n")
    cell.metadata["tags"] = [INJECTED_TAG]
    cells = [c for c in notebook.cells if INJECTED_TAG not in c.metadata.get("tags", [])]
    at = next((i + 1 for i, c in enumerate(cells) if "parameters" in c.metadata.get("tags", [])), 0)
    if at and "jupyter" in cells[at - 1].metadata:  # folded like the cell it follows
        cell.metadata["jupyter"] = dict(cells[at - 1].metadata["jupyter"])
    cells.insert(at, cell)
    notebook.cells = cells
    notebook.metadata["coachlib"] = {"parameters": parameters}
    return notebook


def python_literal(value: object) -> str:
    """A value as Python source, strings double-quoted as papermill writes them."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a Python literal
    if isinstance(value, list | tuple):
        return "[" + ", ".join(python_literal(item) for item in value) + "]"
    if isinstance(value, dict):
        items = (f"{python_literal(k)}: {python_literal(v)}" for k, v in value.items())
        return "{" + ", ".join(items) + "}"
    return repr(value)  # numbers, True/False, None


def execute(notebook: Any, *, cwd: Path | None = None) -> Any:
    """Run every code cell of ``notebook`` here, recording outputs; return the notebook.

    ``cwd`` is the folder the cells see as the current one (a kernel runs in the notebook's
    own folder); it is restored afterwards.
    """
    shell = _shell()
    namespace: dict[str, Any] = {"__name__": "__main__"}
    before = set(_live_widgets()) if "ipywidgets" in sys.modules else set()
    # Widgets a run makes (a form in a notebook made from the home notebook's kernel) are
    # never shown where they were made: closed once their output is recorded.
    with _working_folder(cwd), _closing_new_widgets(before):
        _run_cells(shell, notebook, namespace)
    return notebook


def _run_cells(shell: Any, notebook: Any, namespace: dict[str, Any]) -> None:
    count = 0
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        count += 1
        cell.execution_count = count
        error = _run_cell(shell, cell, namespace)
        if error is not None:
            raise CellFailed(
                f"cell {index + 1} failed ({error['ename']}: {error['evalue']})",
                notebook=notebook,
            )


def _shell():
    """The running IPython shell (inside a kernel: the kernel's), else a quiet new one."""
    from IPython.core.interactiveshell import InteractiveShell

    if InteractiveShell.initialized():
        return InteractiveShell.instance()
    from traitlets.config import Config

    config = Config()
    config.HistoryManager.enabled = False  # nothing of a run goes into ~/.ipython
    return InteractiveShell.instance(config=config)


@contextlib.contextmanager
def _closing_new_widgets(before: set[str]) -> Iterator[None]:
    try:
        yield
    finally:
        if "ipywidgets" in sys.modules:
            close_new_widgets(before)


@contextlib.contextmanager
def _working_folder(cwd: Path | None) -> Iterator[None]:
    if cwd is None:
        yield
        return
    before = os.getcwd()
    os.chdir(cwd)
    try:
        yield
    finally:
        os.chdir(before)


def _run_cell(shell: Any, cell: Any, namespace: dict[str, Any]) -> dict[str, Any] | None:
    """Execute one cell, its outputs appended to ``cell.outputs``; the error, if any."""
    import nbformat
    from IPython.core.displaypub import CapturingDisplayPublisher

    body, last = _split(cell.source)
    publisher = CapturingDisplayPublisher()
    saved = shell.display_pub, sys.stdout, sys.stderr
    stdout, stderr = io.StringIO(), io.StringIO()
    shell.display_pub, sys.stdout, sys.stderr = publisher, stdout, stderr
    error = None
    result = None
    try:
        exec(compile(body, "<cell>", "exec"), namespace)
        if last is not None:
            result = eval(compile(last, "<cell>", "eval"), namespace)
    except Exception as exc:
        error = {
            "ename": type(exc).__name__,
            "evalue": str(exc),
            "traceback": traceback.format_exception(exc),
        }
    finally:
        shell.display_pub, sys.stdout, sys.stderr = saved
    outputs = []
    for name, stream in (("stdout", stdout), ("stderr", stderr)):
        if stream.getvalue():
            outputs.append(nbformat.v4.new_output("stream", name=name, text=stream.getvalue()))
    for shown in publisher.outputs:
        outputs.append(
            nbformat.v4.new_output(
                "display_data", data=_json(shown["data"]), metadata=shown.get("metadata") or {}
            )
        )
    if error is None and result is not None:
        data, metadata = shell.display_formatter.format(result)
        outputs.append(
            nbformat.v4.new_output(
                "execute_result",
                data=_json(data),
                metadata=metadata or {},
                execution_count=cell.execution_count,
            )
        )
    if error is not None:
        outputs.append(nbformat.v4.new_output("error", **error))
    cell.outputs = outputs
    return error


def _split(source: str) -> tuple[ast.Module, ast.Expression | None]:
    """The cell's statements, and its last expression if it ends with one (shown as the
    cell's result, as in a kernel)."""
    tree = ast.parse(source)
    last = tree.body[-1] if tree.body else None
    if isinstance(last, ast.Expr):
        tree.body.pop()
        return tree, ast.fix_missing_locations(ast.Expression(last.value))
    return tree, None


def _json(data: dict[str, Any]) -> dict[str, Any]:
    """Output data as a notebook stores it: binary data (a PNG) base64-encoded."""
    return {
        mime: base64.b64encode(value).decode("ascii") if isinstance(value, bytes) else value
        for mime, value in data.items()
    }


def _live_widgets() -> dict[str, Any]:
    """Every widget of this process by model id (ipywidgets keeps the registry)."""
    from ipywidgets.widgets import widget

    registry = getattr(widget, "_instances", None)
    if registry is None:  # older ipywidgets 8.x
        registry = widget.Widget.widgets
    return dict(registry)


def close_new_widgets(before: set[str]) -> None:
    """Close the widgets made since ``before`` (a run outside a kernel: nobody will use
    them, and they would pile up over many notebooks)."""
    for model_id, item in _live_widgets().items():
        if model_id not in before:
            item.close()
