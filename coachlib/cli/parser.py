"""The ``coach`` command's arguments: every subcommand, its options, and the exit statuses.

Parsing only: what a command does lives in ``cli.commands``, which makes one call into
the library per subcommand.
"""

from __future__ import annotations

import argparse
import sys

from ..model.rules import REVIEWER_ROLES

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_IO = 3
EXIT_INTERRUPTED = 130
EXIT_STATUSES = f"""\
exit statuses:
  {EXIT_OK}    done
  {EXIT_PROBLEMS}    done, but something needs a person (a file left out, a failed export,
       a problem `coach doctor` or `coach frameworks check` found)
  {EXIT_USAGE}    refused: wrong usage or input (an unknown framework, an empty name, a broken
       file the command needs); nothing was written
  {EXIT_IO}    a file could not be read or written (a full disk, a read-only or missing
       folder); nothing already saved was touched
  {EXIT_INTERRUPTED}  interrupted (Ctrl-C, SIGTERM, SIGHUP)
"""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (and a hint), as for every other error."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")

    def _print_message(self, message: str, file=None) -> None:
        """Help, usage and errors go through the one funnel too: an argument echoed in an
        error may hold anything the shell passed."""
        from .terminal import say

        if message:
            say(message, block=True, end="", file=file or sys.stderr)


def _positive(value: str) -> int:
    """A version number: 1, 2, ..."""
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a version number (1, 2, ...), got {value!r}")
    return int(value)


def _port(value: str) -> int:
    """A TCP port, 1-65535: checked here, so a wrong one is one line, not a server that
    hangs or a traceback from deep inside it."""
    if not value.isdigit() or not 1 <= int(value) <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port, 1-65535, got {value!r}")
    return int(value)


def _address(value: str) -> str:
    """An IP address to listen on (IPv4 or IPv6), or ``localhost``."""
    import ipaddress

    if value == "localhost":
        return value
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected an IP address such as 127.0.0.1 or ::1, got {value!r}"
        ) from None


def _pdf_options(command: argparse.ArgumentParser, what: str, needs: str = "") -> None:
    """--pdf and --paper, the same for every page a coach hands over."""
    command.add_argument(
        "--pdf",
        action="store_true",
        help=f"write {what} as PDF, printed by Chromium ({needs}needs "
        "`pip install 'coachlib[pdf]'`)",
    )
    command.add_argument(
        "--paper",
        choices=["a4", "letter"],
        default="a4",
        help="the PDF's paper size (default: %(default)s)",
    )


def _workspace_option(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    # Accepted before or after the subcommand; a subcommand's copy must not reset the value
    # given before it, hence SUPPRESS as its default.
    parser.add_argument(
        "--workspace",
        metavar="DIR",
        default=None if top else argparse.SUPPRESS,
        help="workspace folder (default: $COACH_WORKSPACE, else ./coaching)",
    )


def _version_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--version", type=_positive, metavar="N", help="which version (default: the newest)"
    )


def _exchange_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--exchange",
        metavar="DIR",
        default=None,
        help="the exchange folder (default: $COACHLIB_EXCHANGE, which the hub sets)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="coach",
        description="Coaching workbooks in JupyterLab: frameworks, reviews, progress, summaries.",
        epilog="Start with `coach demo` to see a workspace with a small team.\n\n" + EXIT_STATUSES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
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
    _version_option(show)
    _workspace_option(show)
    fw_export = fw_commands.add_parser(
        "export",
        help="write one framework as Markdown that `coach frameworks import` reads back",
        description="Write a framework as Markdown (milestones as a numbered list, a skills "
        "matrix as a section per level with a heading per group and skill, one bullet per "
        "criterion). Importing it gives back the scale, groups, skills and criteria; ids, "
        "descriptions, notes and provenance stay in the YAML.",
    )
    fw_export.add_argument("id", help="framework id")
    fw_export.add_argument(
        "--markdown",
        action="store_true",
        required=True,
        help="as Markdown (the one format for now)",
    )
    _version_option(fw_export)
    fw_export.add_argument("-o", "--output", metavar="FILE", help="write here (default: stdout)")
    fw_export.add_argument("--force", action="store_true", help="replace FILE if it exists")
    _workspace_option(fw_export)
    diff = fw_commands.add_parser(
        "diff",
        help="what changed between two versions of a framework, level by level",
        description="Print what changed between two installed versions of a framework: "
        "each level against the older level that maps onto it, changed words marked "
        "[-taken out-] and {+put in+}. Default: the two newest versions.",
    )
    diff.add_argument("id", help="framework id")
    diff.add_argument("old", nargs="?", type=_positive, metavar="OLD", help="older version")
    diff.add_argument("new", nargs="?", type=_positive, metavar="NEW", help="newer version")
    _workspace_option(diff)
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
        help="turn a career ladder (Markdown, HTML, CSV, or a folder of them) into framework YAML",
        description="Read a career ladder and write framework YAML that validates: Markdown "
        "(milestones, a Level list per skill, a catalogue with Excluded and See also, a table "
        "of skills x levels with category rows, a section per level with optional group and "
        "skill headings, an index table of the levels then a section per level), a page saved "
        "as HTML in any of these shapes, or a CSV grid of skills x levels from a spreadsheet. "
        "A folder imports each file as a framework of its own, and only if all import whole. "
        "Every import reports what was placed per skill and level, the lines it could not "
        "place and the decisions it took, with line numbers. Without --levels the importer "
        "suggests a mapping (see it with --outline); the mapping that worked is saved as "
        "ID.import.yaml beside the framework and used when the ladder is imported again.",
    )
    imp.add_argument("file", metavar="FILE", help="a .md, .html or .csv ladder, or a folder")
    imp.add_argument(
        "-o",
        "--output",
        metavar="FILE.yaml",
        help="default: ID.yaml here (for a folder: the folder to write into)",
    )
    imp.add_argument("--id", help="framework id (default: from the document's title)")
    imp.add_argument(
        "--strict",
        action="store_true",
        help="any line not placed, or an empty level or skill, is an error (decisions, such "
        "as an added level 0, are reported and allowed): write nothing, exit 1",
    )
    imp.add_argument(
        "--allow-loss",
        action="store_true",
        help="write the framework even though lines were not placed or a level or skill is "
        "empty (without it such an import exits 1 and writes nothing)",
    )
    imp.add_argument(
        "--force",
        action="store_true",
        help="replace an existing output file "
        "(and read the ladder afresh, not with the mapping saved beside it)",
    )
    imp.add_argument(
        "--outline",
        action="store_true",
        help="print what was read (line, depth, kind, first words) and the suggested "
        "mapping as the options that give it; write nothing",
    )
    imp.add_argument(
        "--levels",
        metavar="WHERE",
        help="where the levels are: h2 (headings of a depth), \"h3 under 'Levels'\" (only "
        "those under one heading), rows or columns (of a table), files (a folder, a file per "
        "level), front-matter:KEY, or shape (the built-in shapes: milestones, a Level list "
        "per skill, a catalogue)",
    )
    imp.add_argument(
        "--skills",
        metavar="WHERE",
        help="where a level's skills are: bold (**Testing:** keys), h3 (headings of a "
        "depth), rows or columns (of a table), none (plain criteria, all in one skill "
        "'Expectations') or none:NAME",
    )
    imp.add_argument(
        "--skip",
        action="append",
        metavar="SECTION",
        help="leave a section out on purpose (its heading's text, or a file's name); "
        "repeatable; 'images' and 'code' name kinds of block (images are always left out)",
    )
    imp.add_argument(
        "--intro",
        choices=("description", "criteria"),
        help="a level's first paragraphs: the level's description (default) or criteria",
    )

    new = commands.add_parser("new", help="make a session notebook for a review")
    new.add_argument(
        "--framework",
        required=True,
        help="framework id, e.g. samman-ensemble (its newest text); ID@N for version N",
    )
    new.add_argument("--coachee", required=True, help='who is reviewed, e.g. "Ada Lovelace"')
    new.add_argument(
        "--new-coachee",
        action="store_true",
        help="the name is a new person, though close to a known coachee's (without it such a "
        "name is refused: did you mean?)",
    )
    new.add_argument("--author", required=True, help="who writes the review")
    new.add_argument(
        "--role",
        choices=REVIEWER_ROLES,
        default="coach",
        help="coach (default), or self for the coachee's own review",
    )
    new.add_argument(
        "--no-execute", action="store_true", help="only inject the parameters; do not run it"
    )
    _workspace_option(new)

    export = commands.add_parser(
        "export",
        help="write HTML summaries (one coachee as HTML or PDF, or all) or the journal as CSV",
        description="Write a coachee's HTML summary (--coachee; --pdf prints it to PDF), one "
        "per coachee (--all, with a process per core, not per coachee), or the whole journal "
        "as CSV for spreadsheets (--csv).",
    )
    which = export.add_mutually_exclusive_group(required=True)
    which.add_argument("--coachee", help="whose summary")
    which.add_argument("--all", action="store_true", help="a summary for every coachee")
    which.add_argument("--csv", action="store_true", help="the journal history as CSV")
    export.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="where to write: a file, or a folder to put it in (--coachee, --csv); a folder "
        "(--all). Default: the workspace's reports/ folder",
    )
    export.add_argument("--as-of", metavar="DATE", help="summaries as of a date (YYYY-MM-DD)")
    _pdf_options(export, "the summary", "--coachee; ")
    _workspace_option(export)

    team = commands.add_parser(
        "team",
        help="write the team overview as one HTML file or PDF (levels, never reflections)",
    )
    team.add_argument("--framework", default="", help="one framework (default: all with reviews)")
    team.add_argument("-o", "--output", metavar="FILE", help="where to write the HTML file")
    team.add_argument("--as-of", metavar="DATE", help="the team as of a date (YYYY-MM-DD)")
    team.add_argument(
        "--cadence",
        type=int,
        default=90,
        metavar="DAYS",
        help="a review older than this is overdue (default: %(default)s)",
    )
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
    _pdf_options(team, "the overview")
    _workspace_option(team)

    share = commands.add_parser(
        "share",
        help="make a reflection pack for one coachee (a folder, or a zip)",
        description="Make a reflection pack: a folder of the coachee's own, with their "
        "reflection notebook, the framework, their earlier self-reviews and a README. "
        "Nothing of any other coachee is in it, and nothing of the coach's assessment unless "
        "--with-coach-view (then the coach's latest level and next steps only).",
    )
    share.add_argument("--coachee", required=True, help="whose pack")
    share.add_argument(
        "--framework",
        required=True,
        help="a milestone track (samman-ensemble) or a skills framework "
        "(core-engineer-progression: a self-assessment, one part at a time)",
    )
    where = share.add_mutually_exclusive_group()
    where.add_argument("--to", metavar="DIR", help="the new pack folder (default: outbox/...)")
    where.add_argument("--zip", metavar="FILE", help="write the pack as one zip file")
    where.add_argument(
        "--to-exchange",
        action="store_true",
        help="hand it out through the server's exchange (on a coaching JupyterHub): the "
        "coachee finds it in their packs/ folder when their server starts",
    )
    _exchange_option(share)
    share.add_argument(
        "--with-coach-view",
        action="store_true",
        help="also show the coach's latest level and next steps in the pack (milestone "
        "tracks only)",
    )
    share.add_argument(
        "--with-installer",
        action="store_true",
        help="also put the coachlib wheel beside the pack, for the coachee to install with "
        "pipx (from $COACHLIB_WHEEL, or built from this coachlib); not with --to-exchange",
    )
    _workspace_option(share)

    collect = commands.add_parser(
        "collect",
        help="bring what coachees wrote in their packs into the journal",
        description="Read returned packs (folders or zips) as untrusted input: every record "
        "is checked before anything is written (a self-review by the pack's coachee, who "
        "must be a coachee of this workspace, on a framework it knows, within the limits); "
        "records already in the journal are not added again. Exit status 1 when anything "
        "was refused.",
    )
    collect.add_argument("packs", nargs="*", metavar="PACK_OR_ZIP", help="returned packs")
    collect.add_argument(
        "--from-exchange",
        action="store_true",
        help="also every pack your coachees handed in through the server's exchange",
    )
    _exchange_option(collect)
    collect.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
    _workspace_option(collect)

    receive = commands.add_parser(
        "receive",
        help="(a coachee on a coaching server) unpack the packs your coach handed out",
        description="Unpack every reflection pack waiting for you in the exchange into "
        "your packs/ folder. A pack you already have is left as it is. The server does this "
        "each time your JupyterLab starts.",
    )
    receive.add_argument(
        "--to", metavar="DIR", default=None, help="where your packs go (default: ~/packs)"
    )
    _exchange_option(receive)

    hand_in = commands.add_parser(
        "hand-in",
        help="(a coachee) give your pack back to your coach: on a coaching server, or "
        "as a zip (--zip FILE)",
        description="Put your pack's saved reviews into the exchange for your coach (only "
        "pack.yaml and journal/: drafts stay with you). Handing in again replaces the "
        "earlier hand-in.",
    )
    hand_in.add_argument("pack", nargs="?", default=".", help="the pack folder (default: here)")
    hand_in.add_argument(
        "--zip",
        metavar="FILE",
        help="no coaching server: write what goes back (pack.yaml and your saved reviews, "
        "no drafts) into FILE, to send to your coach",
    )
    _exchange_option(hand_in)

    live = commands.add_parser(
        "live",
        help="(a coachee on a coaching server) let your coach into your server, or stop",
        description="Share your own JupyterLab server with your coach (and nobody else) for "
        "a session together: they open the link it prints and you both work in the same "
        "notebook. Your coach can then do all you can in your server (run code, read your "
        "files), so stop sharing when the session ends: `coach live --stop`.",
    )
    live.add_argument("--stop", action="store_true", help="stop sharing your server")
    live.add_argument(
        "packs", nargs="*", default=[], help="the packs to open together (default: all in ~/packs)"
    )
    _exchange_option(live)

    from ..model.session_words import KINDS, SESSION_ROLES, STAGES

    def words(choices: dict[str, str]) -> str:
        return "; ".join(
            f"{word} ({said})" if said != word else word for word, said in choices.items()
        )

    log = commands.add_parser(
        "log",
        help="log a coaching session (a learning hour, an ensemble, mentoring, ...)",
        description="Log one coaching session in the session log (log/<team>/, one file per "
        "session, written once). Name each person being coached with --coachee and their "
        "--role, in pairs, in order. Bad input is one line naming the field; nothing is "
        "written.",
        epilog=f"kinds: {words(KINDS)}. roles: {words(SESSION_ROLES)}. "
        f"mentoring stages: {words(STAGES)}.",
    )
    log.add_argument(
        "--coachee",
        action="append",
        required=True,
        metavar="NAME",
        help="a person being coached (repeat, each with its --role)",
    )
    log.add_argument(
        "--role",
        action="append",
        required=True,
        metavar="ROLE",
        help="that person's role (see below)",
    )
    log.add_argument("--team", required=True, help="the team coached")
    log.add_argument(
        "--new-team",
        action="store_true",
        help="the team is new, although its name differs from a logged team's only in "
        "case, accents or punctuation (without it such a name is refused: did you mean?)",
    )
    log.add_argument("--kind", required=True, metavar="KIND", help="the kind of session")
    log.add_argument("--date", metavar="YYYY-MM-DD", help="the day (default: today)")
    material = log.add_mutually_exclusive_group()
    material.add_argument(
        "--learning-hour",
        metavar="TITLE_OR_URL",
        help="a learning hour of the Samman catalogue (`coach catalogue`)",
    )
    material.add_argument("--material", metavar="TEXT", help="what was used, in words")
    log.add_argument("--minutes", type=int, metavar="N", help="how long it took")
    log.add_argument("--participants", type=int, metavar="N", help="how many took part")
    log.add_argument("--stage", metavar="STAGE", help="for mentoring: the mentoring stage")
    log.add_argument("--author", help="who logs it (default: $COACH_AUTHOR, else your login)")
    from ..model.session_words import STATUS_FIELDS

    log.add_argument("--notes", default="", metavar="TEXT", help="notes")
    for key, text in STATUS_FIELDS.items():
        log.add_argument(
            f"--{key.replace('_', '-')}", default="", metavar="TEXT", help=text.lower()
        )
    _workspace_option(log)

    catalogue = commands.add_parser(
        "catalogue",
        help="list or search the Samman learning-hour catalogue, or install a newer one",
        description="Without an action: the learning hours whose title, theme or tags hold "
        "every word given. `coach catalogue refresh FILE.csv` checks a newer catalogue (the "
        "columns theme, title, kata, difficulty, author, tags, url, as on sammancoaching.org) "
        "and installs it in the workspace's frameworks/catalogue/; nothing is written if any "
        "row is wrong.",
    )
    catalogue.add_argument(
        "words", nargs="*", metavar="WORD", help="search words, or: refresh FILE.csv"
    )
    _workspace_option(catalogue)

    block = commands.add_parser(
        "block",
        help="write the coaching-block report of one team as one HTML file (or PDF)",
        description="One self-contained page for the people who sponsor the coaching: "
        "your synthesis of the block and your name, sessions by kind, learning-hour topics, "
        "attendance, a chart of sessions over time, "
        "and what went well, the challenges, the business value and the next steps in the "
        "team's own words. Names of the people coached and their reflections only with "
        "--include-reflections.",
    )
    block.add_argument("--team", required=True, help="the team, as logged")
    block.add_argument("--from", dest="date_from", required=True, metavar="YYYY-MM-DD")
    block.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="default: today")
    block.add_argument("-o", "--output", metavar="FILE", help="where to write the HTML file")
    block.add_argument(
        "--include-reflections",
        action="store_true",
        help="also name the people coached, their roles and their own reflections "
        "(only if the team agreed)",
    )
    block.add_argument(
        "--summary",
        metavar="TEXT",
        help="your synthesis of the block (outcomes, what's next, a few sentences): saved "
        "beside the team's session log (log/<team>/blocks/) and opening the report; without "
        "it, the report shows the latest one saved for the block (here or in the notebook)",
    )
    _pdf_options(block, "the report")
    _workspace_option(block)

    page = commands.add_parser(
        "open",
        help="serve a reflection pack as a page without code (Voilà), offline",
        description="Serve a coachee's reflection pack as a web page (Voilà): the prose, "
        "the form and the chart, no code and no way to run any; nothing is fetched from "
        "outside this machine. A save writes into the pack. Ctrl-C stops it.",
    )
    page.add_argument("pack", metavar="PACK", help="the pack's folder")
    page.add_argument("--port", type=_port, help="the port (default: a free one)")
    page.add_argument("--no-browser", action="store_true", help="do not open a browser")

    serve = commands.add_parser(
        "serve",
        help="JupyterLab on one pack, to work on it together (--collaborate)",
        description="Serve a reflection pack in JupyterLab and print the link to give the "
        "other person. With --collaborate both type in the same notebook at once. The host "
        "lends their account: a guest runs code as the host. So the coachee hosts their own "
        "pack, the coach joins; a pack inside the coach's workspace is refused, terminals "
        "are off. Ctrl-C stops it.",
    )
    serve.add_argument("pack", metavar="PACK", help="the pack's folder")
    serve.add_argument(
        "--collaborate",
        action="store_true",
        help="real-time collaboration (needs coachlib[collaborate])",
    )
    serve.add_argument(
        "--ip",
        default="127.0.0.1",
        type=_address,
        help="the address to listen on (default: this machine only)",
    )
    serve.add_argument("--port", type=_port, default=8899, help="(default: %(default)s)")
    serve.add_argument(
        "--certfile",
        metavar="FILE",
        help="a TLS certificate, for a guest on another machine (with --keyfile)",
    )
    serve.add_argument("--keyfile", metavar="FILE", help="the certificate's private key")
    _workspace_option(serve)

    doctor = commands.add_parser(
        "doctor",
        help="check a workspace: records, frameworks, stray files, permissions",
        description="Check that every journal record loads and fits its framework, that "
        "every logged session loads and sits in its team's folder (with a sound .team "
        "marker), that the workspace's frameworks load, and that files are private; remove "
        "temporary files "
        "left by writers that were killed. Exit status 1 when something needs a person.",
    )
    doctor.add_argument(
        "--no-clean", action="store_true", help="report stray temporary files, do not remove them"
    )
    _workspace_option(doctor)

    init = commands.add_parser(
        "init",
        help="make a workspace with its home notebook",
        description="Make a workspace folder (journal/, inbox/ for returned packs) and its "
        "home notebook, where its everyday actions are forms.",
    )
    init.add_argument(
        "dir",
        nargs="?",
        default=None,
        help="the workspace folder (default: $COACH_WORKSPACE, else ./coaching)",
    )

    demo = commands.add_parser("demo", help="make a demo workspace with a small team")
    demo.add_argument("dir", nargs="?", default="demo-workspace", help="(default: %(default)s)")
    demo.add_argument(
        "--replace", action="store_true", help="replace an earlier demo in the same folder"
    )
    return parser
