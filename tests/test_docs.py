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


def _workspace_page() -> str:
    return (DOCS / "workspace.md").read_text(encoding="utf-8")


def test_the_settings_on_the_page_are_those_the_workspace_reads():
    from coachlib.store.workspace import SETTINGS

    page = _workspace_page()
    table = page[page.index("## Settings") : page.index("## Environment variables")]
    documented = {line.split("`")[1] for line in table.splitlines() if line.startswith("| `")}
    assert documented == {setting.name for setting in SETTINGS}
    for setting in SETTINGS:
        default = str(setting.default).lower() if setting.kind is bool else "(none)"
        assert (
            f"| `{setting.name}` | {'`' + default + '`' if setting.kind is bool else default}"
            in table
        )


def test_the_layout_on_the_page_names_every_folder_the_workspace_makes(tmp_path):
    from coachlib.notebook.home import INBOX
    from coachlib.store.workspace import SETTINGS_FILE, Workspace

    workspace = Workspace(tmp_path)
    folders = {
        getattr(workspace, name).relative_to(tmp_path).as_posix()
        for name in dir(Workspace) if name.endswith("_dir")
    }  # fmt: skip
    page = _workspace_page()
    layout = page[page.index("```\n") + 4 : page.index("```\n", page.index("```\n") + 4)]
    entries = {line.split()[0].split("<")[0].rstrip("/") for line in layout.splitlines()
               if line and not line.startswith(" ")}  # fmt: skip
    for name in [*folders, INBOX, "outbox", "workbooks/team", SETTINGS_FILE, "home.ipynb,"]:
        assert name.rstrip("/") in entries or any(e.startswith(name) for e in entries), name


def test_the_limits_on_the_page_are_the_constants_in_the_code():
    from coachlib.model import names, pack, review, safeyaml

    page = _workspace_page()
    assert f"at most {review.MAX_RECORD_BYTES // 1_000_000} MB" in page
    assert f"at most {review.MAX_TEXT_CHARS:,} characters" in page
    assert f"at most {review.MAX_ASSESSMENTS:,} assessments" in page
    assert f"at most {names.MAX_NAME_LENGTH:,} characters" in page
    assert f"more than\n  {safeyaml.MAX_DEPTH} levels" in page or (
        f"more than {safeyaml.MAX_DEPTH} levels" in page
    )
    assert pack.MAX_RECORDS and pack.MAX_BYTES  # the pack limits: on the coach's guide


def test_the_exit_statuses_are_those_the_command_returns():
    from coachlib.cli import parser

    page = (DOCS / "commands.md").read_text(encoding="utf-8")
    assert parser.EXIT_STATUSES.strip() in page
    for status in (parser.EXIT_OK, parser.EXIT_PROBLEMS, parser.EXIT_USAGE, parser.EXIT_IO,
                   parser.EXIT_INTERRUPTED):  # fmt: skip
        assert f"\n  {status} " in parser.EXIT_STATUSES, status


def test_the_readme_is_short_and_every_link_in_it_leads_somewhere():
    """A newcomer reads it in two minutes; the rest is in docs/, and every page it names
    (and picture it shows) is there."""
    import re

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 110
    assert readme.index("make demo") < readme.index("## ")  # the two commands come first
    for target in re.findall(r"\]\(([^)#]+)\)", readme):
        assert (REPO / target).exists(), f"README links to {target}, which is not there"
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    for page in re.findall(r"\]\(docs/([\w-]+)\.md\)", readme):
        assert page == "index" or f"\n{page}\n" in index, page
