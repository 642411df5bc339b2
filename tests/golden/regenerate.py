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

from tests.golden.cases import GOLDEN_CASES, build_golden_workspace  # noqa: E402


def make_portable(golden: Path) -> None:
    """Papermill records where it read and wrote the notebook; in the repository those
    paths are this machine's. Keep them, relative to the repository."""
    import nbformat

    notebook = nbformat.read(golden, as_version=4)
    record = notebook.metadata.get("papermill", {})
    for key in ("input_path", "output_path"):
        if key in record:
            record[key] = os.path.relpath(record[key], REPO)
    nbformat.write(notebook, golden)


def main() -> None:
    from coachlib import notebooks

    with tempfile.TemporaryDirectory() as tmp:
        root = build_golden_workspace(Path(tmp) / "ws")
        os.environ["COACH_WORKSPACE"] = str(root)
        for case in GOLDEN_CASES:
            output = HERE / case.golden
            notebooks.execute(case.template_path, output, case.parameters, cwd=Path(tmp))
            make_portable(output)
            print(f"recorded {output.relative_to(REPO)}")


if __name__ == "__main__":
    main()
