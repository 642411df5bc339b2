"""Re-record the golden notebooks that nbval compares (run after changing a workbook).

    .venv/bin/python tests/golden/regenerate.py

Each workbook template is executed by papermill against the deterministic demo journal
(see tests/conftest.py: GOLDEN_DAY, GOLDEN_SEED) with ``workspace=""``, so that at test time
the kernel finds the workspace through $COACH_WORKSPACE, wherever the test put it.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO))

from tests.golden.cases import (  # noqa: E402
    GOLDEN_CASES,
    IMAGE_PLACEHOLDER,
    INLINE_IMAGE,
    build_golden_workspace,
)


def make_portable(golden: Path) -> None:
    """Keep what nbval compares, nothing else.

    Papermill records where it read and wrote the notebook; in the repository those paths
    are this machine's: keep them relative to the repository. Chart pixels are never
    compared (nbval skips image outputs, and the sanitizer in ``nbval-sanitize.cfg``
    replaces the data of inline images): drop them, and the widget state, so a golden
    notebook holds text a reviewer can read in a diff.
    """
    import nbformat

    notebook = nbformat.read(golden, as_version=4)
    record = notebook.metadata.get("papermill", {})
    for key in ("input_path", "output_path"):
        if key in record:
            record[key] = os.path.relpath(record[key], REPO)
    notebook.metadata.pop("widgets", None)
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            for mime in [m for m in data if m.startswith("image/") and m != "image/svg+xml"]:
                del data[mime]
            if "text/html" in data:
                data["text/html"] = INLINE_IMAGE.sub(IMAGE_PLACEHOLDER, data["text/html"])
    nbformat.write(notebook, golden)


def main() -> None:
    """Record with papermill in a real kernel: independent of coachlib's own runner, so the
    nbval tests and the runner's equivalence test check each other."""
    import papermill

    with tempfile.TemporaryDirectory() as tmp:
        root = build_golden_workspace(Path(tmp) / "ws")
        os.environ["COACH_WORKSPACE"] = str(root)
        for case in GOLDEN_CASES:
            output = HERE / case.golden
            papermill.execute_notebook(
                str(case.template_path), str(output), parameters=case.parameters,
                cwd=tmp, progress_bar=False, kernel_name="python3",
            )  # fmt: skip
            make_portable(output)
            print(f"recorded {output.relative_to(REPO)}")


if __name__ == "__main__":
    main()
