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
sys.path.insert(0, str(HERE.parent.parent))

from tests.golden.cases import GOLDEN_CASES, build_golden_workspace  # noqa: E402


def main() -> None:
    from coachlib import notebooks

    with tempfile.TemporaryDirectory() as tmp:
        root = build_golden_workspace(Path(tmp) / "ws")
        os.environ["COACH_WORKSPACE"] = str(root)
        for case in GOLDEN_CASES:
            output = HERE / case.golden
            notebooks.execute(case.template_path, output, case.parameters, cwd=Path(tmp))
            print(f"recorded {output.relative_to(HERE.parent.parent)}")


if __name__ == "__main__":
    main()
