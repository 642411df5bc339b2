"""What each ``coach`` subcommand does: one call into the library, then messages.

Library errors (:class:`~coachlib.model.errors.CoachError`) become one line on stderr with
the exit status for their kind (see ``cli.parser``): nothing a user can type, and no disk
that fills up, produces a traceback. Heavy libraries are imported inside the handlers, so
``coach --help`` answers at once.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from ..model.errors import ERROR, CoachError, Diagnostic, InputError, StorageError
from .parser import EXIT_INTERRUPTED, EXIT_IO, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from .terminal import json_visible, say, visible


def run(args: argparse.Namespace) -> int:
    """Run the subcommand ``args`` names; every error is one line and an exit status."""
    handler = {
        "frameworks": cmd_frameworks,
        "new": cmd_new,
        "export": cmd_export,
        "team": cmd_team,
        "doctor": cmd_doctor,
        "demo": cmd_demo,
        "share": cmd_share,
        "init": cmd_init,
        "open": cmd_open,
        "serve": cmd_serve,
        "collect": cmd_collect,
        "receive": cmd_receive,
        "hand-in": cmd_hand_in,
        "live": cmd_live,
        "log": cmd_log,
        "catalogue": cmd_catalogue,
        "block": cmd_block,
    }[args.command]
    try:
        return handler(args)
    except StorageError as exc:
        say(f"coach {args.command}: error: {exc.one_line()}", err=True)
        return EXIT_IO
    except CoachError as exc:
        say(f"coach {args.command}: error: {exc.one_line()}", err=True)
        return EXIT_USAGE
    except OSError as exc:  # a disk problem the library did not expect: still one line
        where = f"{exc.filename}: " if exc.filename else ""
        say(f"coach {args.command}: error: {where}{exc.strerror or exc}", err=True)
        return EXIT_IO
    except KeyboardInterrupt:
        say("coach: interrupted", err=True)
        return EXIT_INTERRUPTED


# --- messages ---------------------------------------------------------------------------------


def display_path(path: str | Path | None) -> str:
    """A path as a person would like to read it: relative to the current folder if it is
    inside it, else as given (never a climb of ../../ out of the current folder)."""
    if path is None:
        return "?"
    path = Path(path)
    here = Path.cwd().resolve()
    if here == Path(here.anchor):  # from / every path is "inside": say it whole
        return str(path.resolve())
    try:
        return str(path.resolve().relative_to(here))
    except ValueError:  # outside the current folder (or on another drive)
        return str(path)


def say_finding(finding: Diagnostic) -> None:
    """A report line, then its hint on a line of its own (each through ``say``, so a
    newline in a message is shown, never taken as the start of the hint)."""
    say(dataclasses.replace(finding, hint=None).format())
    if finding.hint:
        say(f"    → {finding.hint}")


def _report_problems(problems: Sequence[CoachError]) -> None:
    for problem in problems:
        say(f"warning: skipped {problem}", err=True)


def _open_workspace(args: argparse.Namespace, *, create: bool = False):
    """The workspace the command works on; unknown settings are named on stderr."""
    from ..store.workspace import Workspace

    workspace = Workspace.open(args.workspace, create=create)
    for warning in workspace.warnings:
        say(warning.format(hint_on_own_line=False), err=True)
    return workspace


def _jupyter_command(path: Path) -> str:
    jupyter = Path(sys.executable).with_name("jupyter")
    program = display_path(jupyter) if jupyter.exists() else "jupyter"
    return f'{program} lab "{display_path(path)}"'


# --- frameworks --------------------------------------------------------------------------------


def _registry(args: argparse.Namespace):
    from ..store.frameworks import registry_for
    from ..store.workspace import resolve_root

    root = resolve_root(args.workspace)
    return registry_for(root if root.is_dir() else None)


def cmd_frameworks(args: argparse.Namespace) -> int:
    if args.fw_command == "import":
        return cmd_frameworks_import(args)
    if args.fw_command == "check":
        return cmd_frameworks_check(args)
    if args.fw_command == "show":
        from ..views.text import format_framework

        registry = _registry(args)
        _report_problems(registry.problems)
        chosen = registry.get(args.id, args.version)
        others = tuple(v for v in registry.versions[chosen.id].values() if v is not chosen)
        say(format_framework(chosen, others), block=True)
        return EXIT_OK
    if args.fw_command == "diff":
        return cmd_frameworks_diff(args)
    if args.fw_command == "export":
        return cmd_frameworks_export(args)
    registry = _registry(args)
    rows: list[tuple[str, ...]] = [("ID", "VERSION", "TITLE", "SHAPE", "LEVELS", "SKILLS", "FILE")]
    for framework in registry.all_versions():
        levels = f"{framework.min_level}-{framework.max_level}"
        if framework.marks:
            levels += " +" + ",".join(mark.id for mark in framework.marks)
        newest = registry.get(framework.id) is framework
        rows.append(
            tuple(
                visible(cell)
                for cell in (
                    framework.id,
                    f"{framework.version}{'' if newest else ' (older)'}",
                    framework.title,
                    framework.shape,
                    levels,
                    str(len(framework.skills)),
                    display_path(framework.path),
                )
            )  # shown as printed, so that the columns line up
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        say("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    _report_problems(registry.problems)
    return EXIT_PROBLEMS if registry.problems else EXIT_OK


def cmd_frameworks_export(args: argparse.Namespace) -> int:
    from ..model.markdown_export import framework_markdown
    from ..store import atomic

    registry = _registry(args)
    text = framework_markdown(registry.get(args.id, args.version))
    if not args.output:
        say(text, block=True, end="")  # Markdown: its lines kept, controls shown
        return EXIT_OK
    target = Path(args.output)
    if target.exists() and not args.force:
        raise InputError(f"{target} exists; use --force to replace it, or -o another file")
    atomic.write_file(target, text, modes=atomic.PUBLIC)  # a framework holds nobody's words
    say(
        f"Wrote {display_path(target)}: `coach frameworks import {display_path(target)}` "
        "reads it back",
        err=True,
    )
    return EXIT_OK


def cmd_frameworks_diff(args: argparse.Namespace) -> int:
    """What changed between two versions of a framework (default: the two newest)."""
    from ..views.diff import framework_diff

    registry = _registry(args)
    _report_problems(registry.problems)
    installed = sorted(registry.versions[registry.get(args.id).id])
    if args.old is None and len(installed) < 2:
        raise InputError(
            f"{args.id!r} has one version installed ({installed[0]}): nothing to compare"
        )
    old = args.old if args.old is not None else installed[-2]
    new = args.new if args.new is not None else installed[-1]
    say(framework_diff(registry.get(args.id, old), registry.get(args.id, new)), block=True, end="")
    return EXIT_OK


def cmd_frameworks_check(args: argparse.Namespace) -> int:
    from ..store.frameworks import (
        check_files,
        framework_files,
        load_registry,
        load_registry_with,
        search_path,
    )
    from ..store.workspace import resolve_root

    root = resolve_root(args.workspace)
    folders = search_path(root if root.is_dir() else None)
    if args.files:  # these files, each with the versions installed beside it
        paths = [Path(name) for name in args.files]
        registry = load_registry_with(folders, paths)
    else:  # everything installed: each file, and the versions and guidance together
        paths = [path for folder in folders for path in framework_files(folder)]
        registry = load_registry(folders)
    report = check_files(
        paths, display=display_path, registry=registry, only_these=bool(args.files)
    )
    if args.format == "json":
        say(json_visible(json.dumps(report.to_dict(), indent=2, ensure_ascii=False)), block=True)
    else:
        for finding in report.findings:
            say_finding(finding)
        say(report.summary())
    return report.exit_status


def cmd_frameworks_import(args: argparse.Namespace) -> int:
    """One document, or a folder of them (one framework each: a role or a track per file;
    or, with ``--levels files``, one framework with a file per level).

    A folder is imported whole or not at all: every file is read and checked first, and
    only when all would import is anything written."""
    import contextlib
    import io

    from ..ladders.importing import SUFFIXES
    from ..store.ladder_files import is_folder as _is_folder

    source = Path(args.file)
    folder = _output_folder(args.output)
    if not source.is_dir() or (args.levels or "").strip().casefold() == "files":
        if folder is not None:
            return _import_file(source, args, None, out_dir=folder)
        return _import_file(source, args, args.output)
    if args.id:
        raise InputError(
            "--id names one framework: a folder's files take their ids from "
            "their titles (or give --levels files: one framework, a file per "
            "level)"
        )
    # every entry with a ladder's suffix but a folder: a link or a FIFO among them is
    # refused by name when it is read, and then nothing of the folder is written
    files = sorted(
        p for p in source.iterdir() if p.suffix.casefold() in SUFFIXES and not _is_folder(p)
    )
    if not files:
        raise InputError(f"{source} holds no ladder ({', '.join(SUFFIXES)})")
    out = folder if args.output else Path.cwd()
    if out is None:
        raise InputError(
            f"-o {args.output}: for a folder of ladders, give a folder to write "
            "into (an existing one, or a new one with a trailing /)"
        )
    worst = EXIT_OK
    refused = []
    for path in files:
        say(f"== {display_path(path)}", err=True)
        try:
            status = _import_file(path, args, None, out_dir=out, write=False, named=False)
        except StorageError:
            raise
        except CoachError as exc:  # said by its name, and the next file still read
            say(f"coach frameworks import: error: {exc.one_line()}", err=True)
            status = EXIT_USAGE
        if status != EXIT_OK:
            refused.append(path.name)
        worst = max(worst, status)
    if worst != EXIT_OK:
        say(
            f"coach frameworks import: {source}: not every file imports whole ({len(refused)} "
            f"of {len(files)} refused: {', '.join(refused)}); nothing written. A folder with "
            "a file per level is one ladder: --levels files",
            err=True,
        )
        return worst
    with contextlib.redirect_stderr(io.StringIO()):  # said once above
        for path in files:
            _import_file(path, args, None, out_dir=out, named=False)
    return EXIT_OK


def _output_folder(output: str | None) -> Path | None:
    """The folder ``-o`` names, or None when it names a file (README: "-o takes a file, or
    a folder"). A path ending in a slash is a folder, made when the import is written (a
    refused import makes nothing), and so is an existing folder; anything else is the
    file to write. Without this, ``-o NEW/`` wrote a file called ``NEW``."""
    if not output:
        return None
    path = Path(output)
    if output.endswith(tuple(sep for sep in (os.sep, os.altsep) if sep)) or path.is_dir():
        return path
    if path.suffix.casefold() not in (".yaml", ".yml"):  # `-o frameworks`: a folder to make
        return path
    return None


def _output_modes(args: argparse.Namespace, folder: Path):
    """The privacy an imported file is written with: the workspace's (owner-only unless
    its ``workspace.yaml`` says ``shared: true``), as every file coachlib writes. The
    workspace is the one whose ``frameworks/`` the file goes into, else ``--workspace``'s;
    with neither, owner-only."""
    from ..store import atomic
    from ..store.workspace import Workspace, resolve_root

    folder = folder.absolute()
    for root in (
        folder.parent if folder.name == "frameworks" else None,
        resolve_root(args.workspace),
    ):
        if (
            root is not None
            and root.is_dir()
            and (
                root == folder.parent
                or Workspace(root).settings_file.is_file()
                or Workspace(root).journal_dir.is_dir()
            )
        ):
            return Workspace(root).modes
    return atomic.PRIVATE


def _mapping_for(args: argparse.Namespace, outline, folder: Path):
    """The mapping the options give; else the one saved beside the framework by the last
    import (``ID.import.yaml``), adjusted by --skills, --skip and --intro; else None (the
    suggestion)."""
    from ..ladders import mapping as ladder_mapping
    from ..ladders.importing import framework_id
    from ..store.ladder_files import saved_mapping

    if args.levels is not None:
        return ladder_mapping.from_options(args.levels, args.skills, args.skip, args.intro), None
    found = None if args.force else saved_mapping(folder, framework_id(outline, args.id))
    base, used = found if found else (None, None)
    if args.skills or args.skip or args.intro:  # adjusting the saved or suggested mapping
        from ..ladders.suggest import suggest

        base = base or suggest(outline)
        return ladder_mapping.from_options(
            None, args.skills, args.skip, args.intro, base=base
        ), used
    return base, used


def _show_outline(outline, mapping, *, suggested: bool) -> int:
    """``--outline``: what was read, compactly, and the mapping as the options to give."""
    from ..ladders.outline import describe

    for line in describe(outline):
        say(line)
    say("")
    say(f"Mapping ({'suggested' if suggested else 'given'}): {mapping.command_line()}")
    return EXIT_OK


def _import_file(
    source: Path,
    args: argparse.Namespace,
    output: str | None,
    *,
    out_dir: Path | None = None,
    write: bool = True,
    named: bool = True,
) -> int:
    from ..ladders.importing import import_ladder
    from ..ladders.shapes import placement_report
    from ..store.ladder_files import plan_import, read_ladder, write_import

    outline = read_ladder(source, named=named)
    folder = Path(output).parent if output else (out_dir or Path())
    mapping, saved = _mapping_for(args, outline, folder)
    if args.outline:
        from ..ladders.suggest import suggest

        return _show_outline(outline, mapping or suggest(outline), suggested=mapping is None)
    done = import_ladder(outline, mapping, framework_id=args.id)
    result = done.result
    if saved is not None:
        say(
            f"{source}: note: read with the mapping saved in {display_path(saved)}: "
            f"{done.mapping.command_line()} [decision]",
            err=True,
        )
    elif done.suggested:
        say(
            f"{source}: note: read as suggested: {done.mapping.command_line()} (see "
            "--outline; give other options to read it otherwise) [decision]",
            err=True,
        )
    target = Path(output) if output else (out_dir or Path()) / f"{result.data['id']}.yaml"
    plan = plan_import(
        done, target, force=args.force, strict=args.strict, allow_loss=args.allow_loss
    )
    for report in [*result.reports, *(r for r in plan.lost if r not in result.reports)]:
        shown: Diagnostic = dataclasses.replace(report, file=str(source))
        if args.strict and report.code == "unplaced":
            shown = dataclasses.replace(shown, severity=ERROR)
        say(shown.format(), err=True)
    for line in placement_report(plan.framework, result.reports, result.level_of_line):
        say(line, err=True)
    if plan.refusal:
        hint = (
            ""
            if plan.lost == [] or args.strict
            else ("; fix the document, or accept the loss with --allow-loss")
        )
        if "never a successful import" in plan.refusal:
            hint = ""
        if done.hint:
            hint += f"; most likely to place the lost lines: {done.hint}"
        say(f"coach frameworks import: {plan.refusal}; nothing written{hint}", err=True)
        return EXIT_PROBLEMS
    if plan.unchanged is not None:
        previous = plan.unchanged
        say(
            f"Unchanged: {display_path(previous.path)} already holds this text "
            f"(version {previous.version} of {previous.id}); nothing written."
        )
        return EXIT_OK
    for note in plan.decided:
        say(f"{source}: note: {note} [decision]", err=True)
    if not write:
        return EXIT_OK
    written = write_import(plan, modes=_output_modes(args, plan.target.parent))
    framework = plan.framework
    levels = f"{framework.min_level}-{framework.max_level}"
    say(
        f"Wrote {written}: version {framework.version} of {framework.id}"
        + (f" beside version {framework.version - 1}" if plan.previous else "")
        + f", {len(framework.skills)} skill(s), levels {levels} "
        f"(read as: {result.shape}); {len(result.reports)} report(s). "
        f"Check it with: coach frameworks check {written}"
    )
    return EXIT_OK


# --- sessions and exports -----------------------------------------------------------------------


def cmd_new(args: argparse.Namespace) -> int:
    from ..export.new import new_session_notebook

    workspace = _open_workspace(args, create=True)
    made = new_session_notebook(
        workspace,
        framework=args.framework,
        coachee=args.coachee,
        author=args.author,
        role=args.role,
        execute=not args.no_execute,
        new_coachee=args.new_coachee,
    )
    say(f"Session notebook: {display_path(made.path)}")
    say(f"Open it in JupyterLab: {_jupyter_command(made.path)}")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    if args.pdf and not args.coachee:
        raise InputError("--pdf makes one coachee's summary: give --coachee NAME")
    workspace = _open_workspace(args)
    if args.csv:
        from ..export.journal_csv import export_csv

        problems: list[CoachError] = []
        path = export_csv(workspace, args.output, problems)
        _report_problems(problems)
        say(f"Journal as CSV: {display_path(path)}")
        return EXIT_PROBLEMS if problems else EXIT_OK
    if args.all:
        from ..export.pool import export_all

        result = export_all(
            workspace, as_of=args.as_of, output_dir=args.output, progress=sys.stderr.isatty()
        )
        for coachee, problem in result.failed:
            say(f"coach export: failed for {coachee}: {problem}", err=True)
        folder = args.output or workspace.reports_dir
        total = len(result.written) + len(result.failed)
        say(
            f"Wrote {len(result.written)} of {total} summaries to {display_path(folder)}"
            + (f" ({len(result.failed)} failed, see above)" if result.failed else "")
        )
        return EXIT_PROBLEMS if result.failed else EXIT_OK
    from ..export.summaries import export_summary

    path = export_summary(
        workspace,
        args.coachee,
        as_of=args.as_of,
        output=args.output,
        pdf=args.pdf,
        paper=args.paper,
    )
    say(f"{'PDF' if args.pdf else 'HTML'} summary: {display_path(path)}")
    return EXIT_OK


def _left_out(args: argparse.Namespace, problems: Sequence[CoachError]) -> int:
    """Name each file a page left out (the page only says how many); exit status 1 when
    there is one, since a person has to look at it."""
    for problem in problems:
        say(f"coach {args.command}: left out: {problem.one_line()}", err=True)
    if problems:
        say(
            f"coach {args.command}: {len(problems)} file(s) left out; the page was written "
            "without them (`coach doctor` checks the whole workspace)",
            err=True,
        )
    return EXIT_PROBLEMS if problems else EXIT_OK


def cmd_team(args: argparse.Namespace) -> int:
    from ..export.summaries import export_team

    workspace = _open_workspace(args)
    problems: list[CoachError] = []
    path = export_team(
        workspace,
        framework=args.framework,
        as_of=args.as_of,
        cadence_days=args.cadence,
        output=args.output,
        include_reflections=args.include_reflections,
        coachees=args.coachee,
        pdf=args.pdf,
        paper=args.paper,
        problems=problems,
    )
    say(f"Team overview{' (PDF)' if args.pdf else ''}: {display_path(path)}")
    return _left_out(args, problems)


def cmd_log(args: argparse.Namespace) -> int:
    """`coach log`: check everything, then write one file; nothing on any error."""
    import getpass
    from datetime import date

    from ..model.catalogue import find
    from ..model.sessionlog import STATUS_FIELDS, new_entry
    from ..store.sessionlog import load_catalogue, save_entry

    if len(args.coachee) != len(args.role):
        raise InputError(
            f"{len(args.coachee)} --coachee but {len(args.role)} --role: give "
            "each person their role, in pairs",
            field="role",
        )
    workspace = _open_workspace(args)  # a missing workspace is a typo: refused, not made
    if not args.new_team and workspace.team_slug(args.team) is None:
        close = workspace.similar_teams(args.team)
        if close:
            raise InputError(
                f"no team called {args.team!r} yet; did you mean "
                f"{' or '.join(map(repr, close))}? (a team of its own: "
                "add --new-team)",
                field="team",
            )
    day = None
    if args.date:
        try:
            day = date.fromisoformat(args.date)
        except ValueError:
            raise InputError(f"not a date: {args.date!r} (YYYY-MM-DD)", field="date") from None
    hour = find(load_catalogue(workspace), args.learning_hour) if args.learning_hour else None
    entry = new_entry(
        day=day,
        kind=args.kind,
        team=args.team,
        people=list(zip(args.coachee, args.role, strict=True)),
        author=args.author or workspace.default_author() or getpass.getuser(),
        material=hour.title if hour else args.material or "",
        learning_hour=hour.url if hour else "",
        minutes=args.minutes,
        participants=args.participants,
        stage=args.stage,
        notes=args.notes,
        status={key: getattr(args, key) for key in STATUS_FIELDS},
    )
    saved = save_entry(workspace, entry)
    say(f"Logged: {display_path(saved.path)}")
    return EXIT_OK


def cmd_catalogue(args: argparse.Namespace) -> int:
    from ..store.sessionlog import catalogue_file, load_catalogue

    if args.words[:1] == ["refresh"]:
        from ..store.catalogue import install_catalogue

        if len(args.words) != 2:
            raise InputError("give the newer catalogue: coach catalogue refresh FILE.csv")
        workspace = _open_workspace(args, create=True)
        target, count = install_catalogue(workspace, Path(args.words[1]))
        say(f"Installed {count} learning hours: {display_path(target)}")
        return EXIT_OK
    root = None
    from ..store.workspace import Workspace, resolve_root

    folder = resolve_root(args.workspace)
    if folder.is_dir():
        root = Workspace(folder)
    entries = load_catalogue(root)
    wanted = [word.casefold() for word in args.words]
    for entry in entries:
        haystack = " ".join([entry.title, entry.theme, *entry.tags]).casefold()
        if all(word in haystack for word in wanted):
            say(
                f"{entry.title}  [{entry.theme}, difficulty {entry.difficulty}, "
                f"by {entry.author}]  {entry.url}"
            )
    say(
        f"(catalogue: {display_path(catalogue_file(root))}; Samman Technical Coaching "
        "Society, sammancoaching.org, CC BY-SA 4.0)",
        err=True,
    )
    return EXIT_OK


def cmd_block(args: argparse.Namespace) -> int:
    from ..export.summaries import export_block, left_out

    workspace = _open_workspace(args)
    path = export_block(
        workspace,
        team=args.team,
        date_from=args.date_from,
        date_to=args.date_to,
        output=args.output,
        include_reflections=args.include_reflections,
        summary=args.summary,
        pdf=args.pdf,
        paper=args.paper,
    )
    if args.summary is not None:
        say("Your synthesis of the block is saved beside the team's session log.")
    say(f"Coaching-block report{' (PDF)' if args.pdf else ''}: {display_path(path)}")
    return _left_out(
        args, left_out(workspace, team=args.team, start=args.date_from, end=args.date_to)
    )


class _Stop(Exception):
    """A signal asked the command to stop (SIGTERM, SIGINT or SIGHUP)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


SERVER_STOP_SECONDS = 15  # a server given SIGTERM shuts its kernels down; then it is killed


def _copy_output(stream, quiet: tuple[str, ...]) -> None:
    """The server's output to ours, line by line, without the lines in ``quiet``."""
    for line in iter(stream.readline, b""):
        if not any(words.encode() in line for words in quiet):
            sys.stderr.write(line.decode(errors="replace"))
            sys.stderr.flush()
    stream.close()


def _serve_until_stopped(command: list[str], *, cwd: Path, env=None) -> int:
    """Run a server (Voilà, JupyterLab) until it ends or this command is told to stop.

    Whoever stops ``coach open`` or ``coach serve`` (Ctrl-C, a closed terminal, ``kill``,
    a service manager) means the server too: left behind, it would go on serving the pack,
    and its port, to nobody. So the server runs in a process group of its own, and on
    SIGTERM, SIGINT or SIGHUP this command stops that whole group (the server and the
    kernels it started): SIGTERM first, so it can shut down cleanly, then SIGKILL if it
    has not ended within SERVER_STOP_SECONDS. Exit status 130, as for any interruption.
    The server's output is passed on without what a coachee cannot act on (``QUIET``).
    """
    import signal
    import subprocess
    import threading

    from ..serve.lab_settings import QUIET

    def stop(signum: int, _frame: object) -> None:
        raise _Stop(signum)

    stopping = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
    before = {signum: signal.signal(signum, stop) for signum in stopping}
    process = None
    try:
        # Its own session: a Ctrl-C in the terminal reaches this command only, never the
        # server, which would ask "Shut down this Jupyter server (y/[n])?" and carry on.
        process = subprocess.Popen(
            command, cwd=cwd, env=env, start_new_session=True, stderr=subprocess.PIPE
        )
        copier = threading.Thread(target=_copy_output, args=(process.stderr, QUIET), daemon=True)
        copier.start()
        status = process.wait()
        copier.join(timeout=SERVER_STOP_SECONDS)  # its last words, before ours
        return status
    except _Stop as stopped:
        for signum in stopping:  # a second signal must not interrupt the stopping
            signal.signal(signum, signal.SIG_IGN)
        if process is not None:
            _stop_group(process)
        name = signal.Signals(stopped.signum).name
        say(f"coach: stopped ({name}); the server it started is stopped too", err=True)
        return EXIT_INTERRUPTED
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)


def _stop_group(process) -> None:
    """SIGTERM to the server's process group (its own: the group id is its pid), a
    bounded wait for the server, then SIGKILL to whatever of the group is left."""
    import contextlib
    import os
    import signal
    import subprocess

    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=SERVER_STOP_SECONDS)
    with contextlib.suppress(ProcessLookupError):  # the server, or kernels it left behind
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def cmd_open(args: argparse.Namespace) -> int:
    from ..serve.voila_page import voila_command

    pack = Path(args.pack)
    command, env = voila_command(pack, port=args.port, browser=not args.no_browser)
    say(f"Serving {display_path(pack)} as a page (Voilà; Ctrl-C stops it)…", flush=True)
    return _serve_until_stopped(command, cwd=pack, env=env)


def cmd_serve(args: argparse.Namespace) -> int:
    from ..serve.together import serve_command
    from ..store.workspace import resolve_root

    pack = Path(args.pack)
    serving = serve_command(
        pack,
        workspace=resolve_root(args.workspace),
        collaborate=args.collaborate,
        ip=args.ip,
        port=args.port,
        certfile=args.certfile,
        keyfile=args.keyfile,
    )
    say(f"Serving {display_path(pack)} (Ctrl-C stops it). Give this link to the other person:")
    say(f"  {serving.url}")
    if serving.reach_note:
        say(serving.reach_note)
    say(serving.guest_reach, flush=True)
    return _serve_until_stopped(serving.command, cwd=pack, env=serving.env)


def cmd_init(args: argparse.Namespace) -> int:
    from ..export.new import new_home_notebook, new_import_notebook, new_log_notebook
    from ..store.workspace import Workspace

    workspace = Workspace.open(args.dir or args.workspace, create=True)
    # frameworks/: where `coach frameworks import LADDER -o frameworks/` puts a ladder
    for folder in (workspace.journal_dir, workspace.inbox_dir, workspace.frameworks_dir):
        workspace.make_folder(folder)
    home = new_home_notebook(workspace)
    new_log_notebook(workspace)
    new_import_notebook(workspace)
    say(f"Workspace: {display_path(workspace.root)}")
    say(f"Home notebook: {display_path(home)}")
    say(f"Open it in JupyterLab: {_jupyter_command(home)}")
    return EXIT_OK


def cmd_share(args: argparse.Namespace) -> int:
    import tempfile

    from ..export import installer

    if args.with_installer and args.to_exchange:
        raise InputError(
            "--with-installer is for a pack given by hand: the coaching server has coachlib already"
        )
    workspace = _open_workspace(args)
    with tempfile.TemporaryDirectory(prefix="coachlib-wheel-") as work:
        # found (or built) first: a refusal leaves no pack behind
        wheel = installer.wheel(Path(work)) if args.with_installer else None
        pack, after = _share(args, workspace)
        beside = installer.put_beside(pack.path, wheel) if wheel is not None else None
    view = (
        "with the coach's latest level and next steps"
        if pack.coach_view
        else ("nothing of the coach's assessment")
    )
    say(f"Reflection pack for {pack.coachee}: {display_path(pack.path)}")
    say(f"  {pack.framework.title}; {pack.records} earlier self-review(s); {view}")
    if beside is not None:
        say(f"  Installer beside it: {display_path(beside)} (pipx install ./{beside.name})")
    say(after)
    return EXIT_OK


def _share(args: argparse.Namespace, workspace):
    """The pack ``coach share`` makes, and what to say after it."""
    from ..export.share import hand_out, make_pack

    if args.to_exchange:
        from ..store.exchange import exchange_root

        pack = hand_out(
            workspace,
            coachee=args.coachee,
            framework=args.framework,
            exchange=exchange_root(args.exchange),
            coach_view=args.with_coach_view,
        )
        after = "  Handed out: they find it in packs/ when their server starts (or run "
        after += "`coach receive`); when they hand it in: coach collect --from-exchange"
    else:
        pack = make_pack(
            workspace,
            coachee=args.coachee,
            framework=args.framework,
            to=args.to,
            zip_to=args.zip,
            coach_view=args.with_coach_view,
        )
        after = "  Give it to them; when they send it back: coach collect PACK"
    return pack, after


def cmd_collect(args: argparse.Namespace) -> int:
    from ..store.collect import collect
    from ..store.exchange import collect_hand_ins, exchange_root
    from ..store.frameworks import registry_for

    if not args.packs and not args.from_exchange:
        raise InputError("give the packs to collect, or --from-exchange")
    workspace = _open_workspace(args)
    registry = registry_for(workspace.root)
    packs = [Path(p) for p in args.packs]
    if args.from_exchange:
        report = collect_hand_ins(
            workspace,
            exchange_root(args.exchange),
            registry=registry,
            dry_run=args.dry_run,
            packs=packs,
        )
    else:
        report = collect(workspace, packs, registry=registry, dry_run=args.dry_run)
    rows = [("STATUS", "PACK", "FILE", "DETAIL")] + [
        tuple(visible(cell) for cell in (o.status, o.source, o.file or "-", o.reason))
        for o in report.outcomes
    ]  # shown as printed, so that the columns line up
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        say(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
            + "  "
            + row[3]
        )
    say(("Dry run: nothing written. " if report.dry_run else "") + report.summary() + ".")
    return EXIT_PROBLEMS if report.refused else EXIT_OK


def cmd_receive(args: argparse.Namespace) -> int:
    from ..store.exchange import PACKS, exchange_root, receive

    dest = Path(args.to) if args.to else Path.home() / PACKS
    receipt = receive(exchange_root(args.exchange), dest)
    for folder in receipt.new:
        say(f"New pack: {display_path(folder)} (open reflection.ipynb in it)")
    if not receipt.new:
        say(f"No new packs; yours are in {display_path(dest)}")
    for problem in receipt.refused:
        say(f"coach receive: refused: {problem.one_line()}", file=sys.stderr)
    return EXIT_PROBLEMS if receipt.refused else EXIT_OK


def cmd_hand_in(args: argparse.Namespace) -> int:
    from ..store import atomic
    from ..store.exchange import exchange_root, hand_in, hand_in_zip

    pack = Path(args.pack).resolve()
    if args.zip:  # no exchange: a zip of what goes back, to send by any means
        target = Path(args.zip)
        if target.exists():
            raise InputError(
                "exists already: nothing written", file=target, hint="give a new file name"
            )
        atomic.write_file(target, hand_in_zip(pack), replace=False)
        say(
            f"Written: {display_path(target)}. Send this file to your coach: it holds your "
            "saved reviews and pack.yaml, nothing else (no drafts)"
        )
        return EXIT_OK
    path = hand_in(pack, exchange_root(args.exchange))
    say(f"Handed in: {display_path(path)}; your coach collects it from there")
    return EXIT_OK


def cmd_live(args: argparse.Namespace) -> int:
    from ..serve.live import share_with_coach
    from ..store.exchange import PACKS

    packs = [Path(p) for p in args.packs] or sorted((Path.home() / PACKS).glob("*"))
    session = share_with_coach(packs, stop=args.stop, exchange_dir=args.exchange)
    if session.open:
        say(f"Your server is shared with your coach, {session.coach}.")
        say(f"  They open {session.link} on this hub; stop with `coach live --stop`.")
        for notebook in session.unsigned:
            say(
                f"  Not trusted (its Markdown holds HTML): {display_path(notebook)}; your "
                "coach sees its forms only once it is run again."
            )
    else:
        say(
            f"Your server is no longer shared with {session.coach} (their open page stops "
            "working within seconds)."
        )
    return EXIT_OK


def cmd_doctor(args: argparse.Namespace) -> int:
    from ..store.doctor import check
    from ..store.workspace import Workspace

    checkup = check(Workspace.open(args.workspace), clean=not args.no_clean)
    for finding in checkup.findings:
        say_finding(finding)
    say(checkup.summary())
    return EXIT_PROBLEMS if checkup.needs_a_person else EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from ..demo.workspace import build_demo

    def progress(message: str) -> None:
        say(message, err=True, flush=True)

    result = build_demo(args.dir, replace=args.replace, progress=progress)
    root = result.workspace.root
    say()
    say(f"Demo workspace: {display_path(root)}")
    say(f"  journal: {len(result.reviews)} reviews in {display_path(root / 'journal')}")
    say("  session notebooks:")
    for path in result.notebooks:
        say(f"    {display_path(path)}")
    say("  HTML summaries (open in a browser):")
    for path in result.reports:
        say(f"    {display_path(path)}")
    for pack in result.inbox:
        say(f"  a reflection pack that came back (try `coach collect`): {display_path(pack)}")
    say()
    say(f"Open the workspace in JupyterLab: {_jupyter_command(root)}")
    say(
        f"Use it with other commands: coach --workspace {display_path(root)} "
        f'export --coachee "{result.reviews[0].coachee}"'
    )
    return EXIT_OK
