"""The ``coach`` command: a thin layer over the library.

Each subcommand reads its options and makes one call into a module (``workbook``,
``report``, ``demo``...), so a notebook can do everything the command does. Library errors
(:class:`~coachlib.errors.CoachError`) become one line on stderr and exit status 2; nothing
a user can type produces a traceback. Heavy libraries are imported inside the handlers, so
``coach --help`` answers at once.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

from .errors import CoachError

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (and a hint), as for every other error."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


def _workspace_option(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    # Accepted before or after the subcommand; a subcommand's copy must not reset the value
    # given before it, hence SUPPRESS as its default.
    parser.add_argument(
        "--workspace",
        metavar="DIR",
        default=None if top else argparse.SUPPRESS,
        help="workspace folder (default: $COACH_WORKSPACE, else ./coaching)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="coach",
        description="Coaching workbooks in JupyterLab: frameworks, reviews, progress, summaries.",
        epilog="Start with `coach demo` to see a workspace with a small team.",
    )
    _workspace_option(parser, top=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    frameworks = commands.add_parser("frameworks", help="list, show and check frameworks")
    _workspace_option(frameworks)
    fw_commands = frameworks.add_subparsers(dest="fw_command", metavar="ACTION")
    fw_list = fw_commands.add_parser("list", help="list the frameworks (the default)")
    _workspace_option(fw_list)
    show = fw_commands.add_parser("show", help="print one framework as readable text")
    show.add_argument("id", help="framework id, as `coach frameworks` lists it")
    _workspace_option(show)
    check = fw_commands.add_parser(
        "check",
        help="check framework files: schema errors (exit 1) and lint warnings",
        description="Check framework files against the schema (errors: exit status 1) and "
        "for what careful readers flag (warnings and documented source defects: exit 0).",
    )
    check.add_argument(
        "files", nargs="*", metavar="FILE", help="framework files (default: every one found)"
    )
    check.add_argument(
        "--format", choices=("text", "json"), default="text", help="output (default: text)"
    )
    _workspace_option(check)
    imp = fw_commands.add_parser(
        "import",
        help="turn a Markdown career ladder into framework YAML",
        description="Read a Markdown document (milestones, a Level list per skill, a catalogue "
        "with Excluded and See also, a table of skills x levels, or a section per level) and "
        "write framework YAML that validates. Lines that could not be placed and decisions "
        "taken are reported with their line numbers.",
    )
    imp.add_argument("file", metavar="FILE.md", help="the Markdown document")
    imp.add_argument("-o", "--output", metavar="FILE.yaml", help="default: ID.yaml here")
    imp.add_argument("--id", help="framework id (default: from the document's title)")
    imp.add_argument(
        "--strict", action="store_true", help="any report is an error: write nothing, exit 1"
    )
    imp.add_argument("--force", action="store_true", help="replace an existing output file")

    new = commands.add_parser("new", help="make a session notebook for a review")
    new.add_argument("--framework", required=True, help="framework id, e.g. samman-ensemble")
    new.add_argument("--coachee", required=True, help='who is reviewed, e.g. "Ada Lovelace"')
    new.add_argument("--author", required=True, help="who writes the review")
    new.add_argument(
        "--role",
        choices=("coach", "self"),
        default="coach",
        help="coach (default), or self for the coachee's own review",
    )
    new.add_argument(
        "--no-execute", action="store_true", help="only inject the parameters; do not run it"
    )
    _workspace_option(new)

    export = commands.add_parser(
        "export",
        help="write HTML summaries (one coachee, or all) or the journal as CSV",
        description="Write a coachee's HTML summary (--coachee), one per coachee (--all, "
        "with a kernel per core, not per coachee), or the whole journal as CSV for "
        "spreadsheets (--csv).",
    )
    which = export.add_mutually_exclusive_group(required=True)
    which.add_argument("--coachee", help="whose summary")
    which.add_argument("--all", action="store_true", help="a summary for every coachee")
    which.add_argument("--csv", action="store_true", help="the journal history as CSV")
    export.add_argument(
        "-o", "--output", metavar="PATH",
        help="where to write: a file (--coachee, --csv) or a folder (--all); "
        "default: the workspace's reports/ folder",
    )  # fmt: skip
    export.add_argument("--as-of", metavar="DATE", help="summaries as of a date (YYYY-MM-DD)")
    _workspace_option(export)

    team = commands.add_parser(
        "team", help="write the team overview as one HTML file (levels, never reflections)"
    )
    team.add_argument("--framework", default="", help="one framework (default: all with reviews)")
    team.add_argument("-o", "--output", metavar="FILE", help="where to write the HTML file")
    team.add_argument("--as-of", metavar="DATE", help="the team as of a date (YYYY-MM-DD)")
    team.add_argument(
        "--cadence", type=int, default=90, metavar="DAYS",
        help="a review older than this is overdue (default: %(default)s)",
    )  # fmt: skip
    team.add_argument(
        "--coachee",
        action="append",
        default=[],
        metavar="NAME",
        help="only this coachee (repeat for several; default: everyone)",
    )
    team.add_argument(
        "--include-reflections",
        action="store_true",
        help="also show every coachee's latest evidence, reflection and next steps "
        "(only for a team that agreed to share them)",
    )
    _workspace_option(team)

    doctor = commands.add_parser(
        "doctor",
        help="check a workspace: records, frameworks, stray files, permissions",
        description="Check that every journal record loads and fits its framework, that the "
        "workspace's frameworks load, and that files are private; remove temporary files "
        "left by writers that were killed. Exit status 1 when something needs a person.",
    )
    doctor.add_argument(
        "--no-clean", action="store_true", help="report stray temporary files, do not remove them"
    )
    _workspace_option(doctor)

    demo = commands.add_parser("demo", help="make a demo workspace with a small team")
    demo.add_argument("dir", nargs="?", default="demo-workspace", help="(default: %(default)s)")
    demo.add_argument(
        "--replace", action="store_true", help="replace an earlier demo in the same folder"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    handler = {
        "frameworks": cmd_frameworks,
        "new": cmd_new,
        "export": cmd_export,
        "team": cmd_team,
        "doctor": cmd_doctor,
        "demo": cmd_demo,
    }[args.command]
    try:
        return handler(args)
    except CoachError as exc:
        print(f"coach {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("coach: interrupted", file=sys.stderr)
        return 130


# --- frameworks --------------------------------------------------------------------------------


def _catalog(args: argparse.Namespace):
    from .frameworks import catalog_for
    from .workspace import resolve_root

    root = resolve_root(args.workspace)
    return catalog_for(root if root.is_dir() else None)


def _report_problems(problems: Sequence[CoachError]) -> None:
    for problem in problems:
        print(f"warning: skipped {problem}", file=sys.stderr)


def cmd_frameworks(args: argparse.Namespace) -> int:
    if args.fw_command == "import":
        return cmd_frameworks_import(args)
    if args.fw_command == "check":
        return cmd_frameworks_check(args)
    if args.fw_command == "show":
        catalog = _catalog(args)
        _report_problems(catalog.problems)
        print(format_framework(catalog.get(args.id)))
        return EXIT_OK
    catalog = _catalog(args)
    rows = [("ID", "TITLE", "SHAPE", "LEVELS", "SKILLS", "FILE")]
    from .frameworks import display_path

    for framework in catalog:
        levels = f"{framework.min_level}-{framework.max_level}"
        if framework.marks:
            levels += " +" + ",".join(mark.id for mark in framework.marks)
        rows.append(
            (
                framework.id,
                framework.title,
                framework.shape,
                levels,
                str(len(framework.skills)),
                display_path(framework.path),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
    _report_problems(catalog.problems)
    return EXIT_PROBLEMS if catalog.problems else EXIT_OK


def cmd_frameworks_check(args: argparse.Namespace) -> int:
    import json

    from .frameworks import display_path, framework_files, search_path
    from .lint import check_files
    from .workspace import resolve_root

    if args.files:
        paths = [Path(name) for name in args.files]
    else:
        root = resolve_root(args.workspace)
        paths = [
            path
            for folder in search_path(root if root.is_dir() else None)
            for path in framework_files(folder)
        ]
    report = check_files(paths, display=display_path)
    if args.format == "json":
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        for finding in report.findings:
            print(finding.format())
        print(report.summary())
    return report.exit_status


def cmd_frameworks_import(args: argparse.Namespace) -> int:
    from .errors import FrameworkError, InputError
    from .importer import import_markdown, write_imported

    source = Path(args.file)
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {source}: {exc}") from None
    result = import_markdown(text, source=source.name, framework_id=args.id)
    label = "error" if args.strict else None
    for report in result.reports:
        line = report.format(str(source))
        print(line.replace(f": {report.kind}:", f": {label}: {report.kind}:") if label else line,
              file=sys.stderr)  # fmt: skip
    if args.strict and result.reports:
        print(f"coach frameworks import: {len(result.reports)} report(s) with --strict: "
              "nothing written", file=sys.stderr)  # fmt: skip
        return EXIT_PROBLEMS
    target = Path(args.output) if args.output else Path(f"{result.data['id']}.yaml")
    if target.exists() and not args.force:
        raise InputError(f"{target} exists; use --force to replace it, or -o another file")
    try:
        framework = write_imported(result, target, source=source.name)
    except FrameworkError as exc:
        raise FrameworkError(f"the imported framework does not validate: {exc}") from None
    levels = f"{framework.min_level}-{framework.max_level}"
    print(
        f"Wrote {target}: {len(framework.skills)} skill(s), levels {levels} "
        f"(read as: {result.shape}); {len(result.reports)} report(s). "
        f"Check it with: coach frameworks check {target}"
    )
    return EXIT_OK


def format_framework(framework) -> str:
    """A framework as text for a terminal: headings, wrapped paragraphs, indented lists."""
    width = min(shutil.get_terminal_size((100, 24)).columns, 100)

    def para(text: str | None, indent: str = "", hang: str = "") -> list[str]:
        """Wrap one paragraph; ``hang`` indents its continuation lines further."""
        if not text:
            return []
        return textwrap.wrap(
            " ".join(text.split()),
            width=width,
            initial_indent=indent,
            subsequent_indent=indent + hang,
        ) or [indent]

    out = [framework.title, "=" * min(len(framework.title), width), ""]
    meta = f"id: {framework.id} · shape: {framework.shape} · {len(framework.skills)} skill(s)"
    out += [meta]
    if framework.source:
        source = framework.source
        status = f" ({source['status']})" if source.get("status") else ""
        out += para(f"source: {source.get('publisher')}, {source.get('title')}{status}")
    out.append("")
    out += para(framework.introduction)
    if framework.introduction:
        out.append("")
    out += ["Levels", "------"]
    for level in framework.scale:
        heading = f"{level.level} · {level.name}" + (f": {level.title}" if level.title else "")
        out += para(heading, hang="    ")
        out += para(level.description, "     ")
        if level.coaching_role:
            from .render import role_text

            out += para(f"job role: {role_text(level.coaching_role)}", "     ")
    for mark in framework.marks:
        out += para(f"-  {mark.name} (not a level): {mark.description or ''}")
    out.append("")
    for group in framework.groups:
        out += _format_group(group, para, depth=0)
    if framework.source.get("status_note"):
        out += ["", *para("Note: " + framework.source["status_note"])]
    return "\n".join(out).rstrip() + "\n"


def _format_group(group, para, depth: int) -> list[str]:
    underline = "-=~."[min(depth, 3)]
    title = f"{group.name}" + (f" [{group.kind}]" if group.kind != "group" else "")
    out = [title, underline * len(title)]
    out += para(group.description)
    for expectation in group.expectations:
        out += para(f"{expectation.tier}: {expectation.text}", "  ")
    for skill in group.skills:
        out += para(f"* {skill.name}  ({skill.id})", hang="    ")
        out += para(skill.description, "    ")
        for level, items in sorted(skill.criteria.items()):
            out += para(f"level {level}:", "    ")
            for item in items:
                out += para(f"- {item}", "      ")
        if skill.excluded:
            out += para(f"Excluded: {skill.excluded}", "    ")
        if skill.see_also:
            out += para("See also: " + ", ".join(skill.see_also), "    ")
    out.append("")
    for child in group.groups:
        out += _format_group(child, para, depth + 1)
    return out


# --- sessions and exports -----------------------------------------------------------------------


def _jupyter_command(path: Path) -> str:
    jupyter = Path(sys.executable).with_name("jupyter")
    program = os.path.relpath(jupyter) if jupyter.exists() else "jupyter"
    return f'{program} lab "{os.path.relpath(path)}"'


def cmd_new(args: argparse.Namespace) -> int:
    from .workbook import new_session_notebook
    from .workspace import Workspace

    workspace = Workspace.open(args.workspace, create=True)
    made = new_session_notebook(
        workspace,
        framework=args.framework,
        coachee=args.coachee,
        author=args.author,
        role=args.role,
        execute=not args.no_execute,
    )
    print(f"Session notebook: {os.path.relpath(made.path)}")
    print(f"Open it in JupyterLab: {_jupyter_command(made.path)}")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from . import report
    from .workspace import Workspace

    workspace = Workspace.open(args.workspace)
    if args.csv:
        problems: list[CoachError] = []
        path = report.export_csv(workspace, args.output, problems)
        _report_problems(problems)
        print(f"Journal as CSV: {os.path.relpath(path)}")
        return EXIT_PROBLEMS if problems else EXIT_OK
    if args.all:
        result = report.export_all(
            workspace, as_of=args.as_of, output_dir=args.output, progress=sys.stderr.isatty()
        )
        for coachee, problem in result.failed:
            print(f"coach export: failed for {coachee}: {problem}", file=sys.stderr)
        folder = args.output or workspace.reports_dir
        total = len(result.written) + len(result.failed)
        print(
            f"Wrote {len(result.written)} of {total} summaries to {os.path.relpath(folder)}"
            + (f" ({len(result.failed)} failed, see above)" if result.failed else "")
        )
        return EXIT_PROBLEMS if result.failed else EXIT_OK
    path = report.export_summary(workspace, args.coachee, as_of=args.as_of, output=args.output)
    print(f"HTML summary: {os.path.relpath(path)}")
    return EXIT_OK


def cmd_team(args: argparse.Namespace) -> int:
    from .report import export_team
    from .workspace import Workspace

    workspace = Workspace.open(args.workspace)
    path = export_team(
        workspace,
        framework=args.framework,
        as_of=args.as_of,
        cadence_days=args.cadence,
        output=args.output,
        include_reflections=args.include_reflections,
        coachees=args.coachee,
    )
    print(f"Team overview: {os.path.relpath(path)}")
    return EXIT_OK


def cmd_doctor(args: argparse.Namespace) -> int:
    from .doctor import check
    from .workspace import Workspace

    checkup = check(Workspace.open(args.workspace), clean=not args.no_clean)
    for finding in checkup.findings:
        print(finding.format())
    print(checkup.summary())
    return EXIT_PROBLEMS if checkup.needs_a_person else EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from .demo import build_demo

    def progress(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    result = build_demo(args.dir, replace=args.replace, progress=progress)
    root = result.workspace.root
    print(f"\nDemo workspace: {os.path.relpath(root)}")
    print(f"  journal: {len(result.reviews)} reviews in {os.path.relpath(root / 'journal')}")
    print("  session notebooks:")
    for path in result.notebooks:
        print(f"    {os.path.relpath(path)}")
    print("  HTML summaries (open in a browser):")
    for path in result.reports:
        print(f"    {os.path.relpath(path)}")
    print(f"\nOpen the workspace in JupyterLab: {_jupyter_command(root)}")
    print(
        f"Use it with other commands: coach --workspace {os.path.relpath(root)} "
        f'export --coachee "{result.reviews[0].coachee}"'
    )
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
