"""The ``coach`` command: a thin layer over the library (parsing and messages only).

``coach --help`` only parses: the commands (and the library under them) are imported once
the arguments are known to be good.
"""

from __future__ import annotations

from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    from .parser import EXIT_USAGE, build_parser

    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    from .commands import run

    return run(args)


__all__ = ["main"]
