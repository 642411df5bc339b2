"""Where the package's own data lives: built-in frameworks, schemas, workbook templates.

In a source checkout (and an editable install) frameworks and workbooks are the top-level
``frameworks/`` and ``workbooks/`` folders that people edit and review. A wheel carries
copies inside the package under ``coachlib/_data/`` (see ``pyproject.toml``), so a plain
``pip install .`` works without the source tree. The installed copy wins when both exist.

Only locations are computed here; reading is left to the callers.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def _data_dir(name: str) -> Path:
    installed = PACKAGE_DIR / "_data" / name
    if installed.is_dir():
        return installed
    return PACKAGE_DIR.parent / name


def builtin_frameworks_dir() -> Path:
    """The folder of framework YAML files shipped with coachlib."""
    return _data_dir("frameworks")


def workbooks_dir() -> Path:
    """The folder of parameterised workbook templates shipped with coachlib."""
    return _data_dir("workbooks")


def example_ladder_path() -> Path:
    """A small career ladder shipped with coachlib, for trying the import form on."""
    return workbooks_dir() / "example-ladder.md"


def framework_schema_path() -> Path:
    """The JSON Schema every framework file is validated against."""
    return builtin_frameworks_dir() / "framework.schema.json"


def guidance_schema_path() -> Path:
    """The JSON Schema every career-guidance file (``frameworks/guidance/``) is validated
    against."""
    return builtin_frameworks_dir() / "guidance.schema.json"


def review_schema_path() -> Path:
    """The JSON Schema every saved review (journal file) is validated against."""
    return Path(__file__).resolve().parent / "schemas" / "review.schema.json"


def session_schema_path() -> Path:
    """The JSON Schema every logged session (``log/``) is validated against."""
    return Path(__file__).resolve().parent / "schemas" / "session.schema.json"


def catalogue_path() -> Path:
    """The Samman learning-hour catalogue shipped with coachlib (CSV, CC BY-SA 4.0)."""
    return builtin_frameworks_dir() / "catalogue" / "learning_hours.csv"
