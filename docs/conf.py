"""Sphinx configuration for coachlib's documentation (``make docs``; CI builds it with
``-W``, so a broken link, a missing page or a bad reference fails the build).

Sphinx rather than MkDocs: Sphinx, MyST (Markdown for Sphinx) and the Furo theme are all
actively released, and strict mode (warnings as errors, nitpicky references) is built in;
MkDocs itself has had no release since 2024.
"""

from __future__ import annotations

project = "coachlib"
author = "the coachlib contributors"
copyright = "2026, the coachlib contributors"

extensions = ["myst_parser"]
myst_enable_extensions = ["deflist"]
myst_heading_anchors = 3
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]
html_theme = "furo"
html_title = "coachlib"
nitpicky = True
