"""The licences: coachlib's own (LICENSE, as pyproject.toml says) and those of the texts it
ships (frameworks/LICENSES.md lists every one, with the licence its own file states)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
FRAMEWORKS = REPO / "frameworks"


def test_the_licence_file_is_the_one_pyproject_names():
    declared = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["license"]
    assert declared == {"text": "MIT"}
    assert (REPO / "LICENSE").read_text().startswith("MIT License\n")


def test_every_shipped_text_is_listed_with_the_licence_it_states():
    listing = (FRAMEWORKS / "LICENSES.md").read_text()
    rows = {line.split("|")[1].strip(): line for line in listing.splitlines()
            if line.startswith("| `")}  # fmt: skip
    shipped = sorted([*FRAMEWORKS.glob("*.yaml"), *FRAMEWORKS.glob("guidance/*.yaml")])
    assert shipped
    for path in shipped:
        source = yaml.safe_load(path.read_text())["source"]
        name = f"`{path.relative_to(FRAMEWORKS).as_posix()}`"
        assert name in rows, f"{name} is not in frameworks/LICENSES.md"
        licence = source["licence"]
        stated = "none stated" if licence.startswith("none stated") else licence
        assert stated in rows[name], (name, licence)
    catalogue = (FRAMEWORKS / "catalogue" / "README.md").read_text()
    assert "CC BY-SA 4.0" in catalogue
    assert any("catalogue/learning_hours.csv" in key for key in rows)
