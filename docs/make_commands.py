"""Write docs/commands.md: every `coach` command with its options, from the parser itself.

Run after changing a command (``python docs/make_commands.py``); a test fails while the
page and the parser differ, so the reference cannot drift from the code.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PAGE = HERE / "commands.md"


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:  # argparse's own structure: the one list of commands
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def render() -> str:
    """The page, wrapped at 100 columns on every machine (argparse reads $COLUMNS)."""
    before = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "100"
    try:
        return _render()
    finally:
        if before is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = before


def _render() -> str:
    if str(HERE.parent) not in sys.path:
        sys.path.insert(0, str(HERE.parent))
    from coachlib.cli.parser import build_parser

    parser = build_parser()
    parser.prog = "coach"
    lines = [
        "# Every command",
        "",
        "Made from the `coach` command's own parser by `docs/make_commands.py` (a test fails",
        "while this page and the parser differ). `coach COMMAND --help` prints the same.",
        "",
        "```text",
        parser.format_help().rstrip(),
        "```",
    ]
    for name, command in subcommands(parser).items():
        command.prog = f"coach {name}"
        lines += ["", f"## coach {name}", "", "```text", command.format_help().rstrip(), "```"]
        for inner, sub in subcommands(command).items():
            sub.prog = f"coach {name} {inner}"
            lines += ["", f"### coach {name} {inner}", "", "```text",
                      sub.format_help().rstrip(), "```"]  # fmt: skip
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    PAGE.write_text(render(), encoding="utf-8")
    print(f"Written: {PAGE}")
