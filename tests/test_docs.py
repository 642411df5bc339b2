"""The documentation says what the code does: tests in the manner of datasette's
``test_docs.py``, failing when a command, an option, a setting, a folder of the workspace,
an exit status or a limit changes without its page."""

from __future__ import annotations

import importlib.util
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"


def _make_commands():
    spec = importlib.util.spec_from_file_location("make_commands", DOCS / "make_commands.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_commands_page_is_the_parser_itself():
    """Every command and option, as `coach COMMAND --help` prints it: regenerate the page
    with `python docs/make_commands.py` after changing a command."""
    written = (DOCS / "commands.md").read_text(encoding="utf-8")
    assert written == _make_commands().render(), "run: python docs/make_commands.py"


def test_every_command_and_option_is_on_the_commands_page():
    from coachlib.cli.parser import build_parser

    module = _make_commands()
    page = (DOCS / "commands.md").read_text(encoding="utf-8")
    for name, command in module.subcommands(build_parser()).items():
        assert f"## coach {name}\n" in page, name
        for action in command._actions:
            for option in action.option_strings:
                assert option in page, f"coach {name} {option}"


def test_every_page_is_in_the_table_of_contents():
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    for page in DOCS.glob("*.md"):
        if page.name != "index.md":
            assert f"\n{page.stem}\n" in index, f"{page.name} is not in docs/index.md"
