"""coachlib: JupyterLab as a coaching workbook.

Load and check frameworks (:mod:`coachlib.frameworks`), record reviews in a journal
(:mod:`coachlib.journal`), analyse them (:mod:`coachlib.analysis`), chart them
(:mod:`coachlib.plots`), make session notebooks (:mod:`coachlib.workbook`) and export HTML
summaries (:mod:`coachlib.report`). The ``coach`` command (:mod:`coachlib.cli`) is a thin
layer over these.

Nothing heavy is imported here, so ``import coachlib`` and ``coach --help`` stay fast.
"""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["__version__"]
