"""Files a person hands to `coach frameworks import` and `coach catalogue refresh`: a FIFO,
a device, a file over a limit, a cell the csv module cannot hold, a title with control
characters. Each is refused with one line naming the file (and line and field where there
is one), exit 2, nothing written: never a hang, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from coachlib.cli import main

LADDERS = Path(__file__).resolve().parent / "ladders"
CATALOGUE = Path(__file__).resolve().parent.parent / "frameworks" / "catalogue"


def coach(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The real command in a subprocess with a timeout: a command that blocks on a FIFO
    fails the test instead of hanging the suite."""
    return subprocess.run(
        [sys.executable, "-m", "coachlib.cli", *map(str, args)],
        capture_output=True, text=True, cwd=cwd, timeout=30,
    )  # fmt: skip


def listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


# --- FIFOs and other files that are not regular files --------------------------------------


def test_a_fifo_given_to_the_importer_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "ladder.md"
    os.mkfifo(fifo)
    result = coach("frameworks", "import", fifo, "-o", tmp_path / "out.yaml")
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert f"{fifo}: a FIFO (named pipe), not a regular file" in lines[0]
    assert listing(tmp_path) == ["ladder.md"]


def test_a_fifo_given_to_catalogue_refresh_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "hours.csv"
    os.mkfifo(fifo)
    ws = tmp_path / "ws"
    result = coach("catalogue", "refresh", fifo, "--workspace", ws)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert f"{fifo}: a FIFO (named pipe), not a regular file" in result.stderr
    assert not ws.exists()


def test_a_device_or_a_folder_is_no_ladder(tmp_path, capsys):
    assert main(["frameworks", "import", "/dev/null", "-o", str(tmp_path / "x.yaml")]) == 2
    assert "/dev/null: a character device, not a regular file" in capsys.readouterr().err
    assert main(["catalogue", "refresh", str(tmp_path), "--workspace", str(tmp_path / "w")]) == 2
    assert "a folder, not a regular file" in capsys.readouterr().err
    assert listing(tmp_path) == []


def test_a_fifo_or_a_link_in_a_folder_of_ladders_stops_the_whole_folder(tmp_path, capsys):
    folder = tmp_path / "ladders"
    folder.mkdir()
    (folder / "a.md").write_text((LADDERS / "section-per-level-bullets.md").read_text())
    os.mkfifo(folder / "b.md")
    out = tmp_path / "out"
    out.mkdir()
    assert main(["frameworks", "import", str(folder), "-o", str(out)]) == 2
    assert "b.md: a FIFO (named pipe), not a regular file" in capsys.readouterr().err
    (folder / "b.md").unlink()
    (folder / "b.md").symlink_to(LADDERS / "named-levels.md")
    assert main(["frameworks", "import", str(folder), "-o", str(out)]) == 2
    assert "b.md: a symbolic link: not followed" in capsys.readouterr().err
    assert listing(out) == []


# --- the catalogue's cells ---------------------------------------------------------------


def catalogue_with(tmp_path: Path, title: str) -> Path:
    shipped = (CATALOGUE / "learning_hours.csv").read_text(encoding="utf-8").splitlines()
    header = shipped[0].split(",")
    row = {column: "" for column in header}
    row |= {"theme": "testing", "title": title, "kata": "Leap Years", "difficulty": "2",
            "author": "Ada", "tags": "tdd", "url": "https://sammancoaching.org/x.html"}  # fmt: skip
    cells = ['"' + row[column].replace('"', '""') + '"' for column in header]
    path = tmp_path / "hours.csv"
    path.write_text("\n".join([shipped[0], shipped[1], ",".join(cells)]) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("title", "said"),
    [
        ("x" * 140_000, "140,000 characters, over the limit of 20,000"),
        ("y" * 25_000, "25,000 characters, over the limit of 20,000"),
        ("Refactoring\x00Golf", "holds the control character U+0000 at position 12"),
        ("\x1b[2JGolf", "holds the control character U+001B at position 1"),
    ],
    ids=["over-the-csv-field-limit", "over-20000", "nul", "esc"],
)
def test_a_catalogue_cell_too_long_or_with_control_characters_is_refused(tmp_path, title, said):
    source = catalogue_with(tmp_path, title)
    ws = tmp_path / "ws"
    result = coach("catalogue", "refresh", source, "--workspace", ws)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert f"{source}:3: title: {said}" in result.stderr, result.stderr
    assert not ws.exists()


def test_a_good_catalogue_is_still_installed(tmp_path, capsys):
    source = catalogue_with(tmp_path, "Leap Years, again\twith a tab")
    ws = tmp_path / "ws"
    assert main(["catalogue", "refresh", str(source), "--workspace", str(ws)]) == 0
    installed = ws / "frameworks" / "catalogue" / "learning_hours.csv"
    assert installed.read_text(encoding="utf-8") == source.read_text(encoding="utf-8")
    assert installed.stat().st_mode & 0o777 == 0o600  # the workspace's privacy


# --- where `coach frameworks import -o` writes -------------------------------------------

BULLETS = LADDERS / "section-per-level-bullets.md"


def test_o_with_a_trailing_slash_is_a_new_folder_and_the_file_is_owner_only(tmp_path, capsys):
    new = tmp_path / "new"
    assert main(["frameworks", "import", str(BULLETS), "-o", f"{new}/", "--id", "team"]) == 0
    written = new / "team.yaml"
    assert written.is_file() and new.is_dir()
    assert written.stat().st_mode & 0o777 == 0o600
    assert new.stat().st_mode & 0o777 == 0o700
    existing = tmp_path / "existing"
    existing.mkdir()
    assert main(["frameworks", "import", str(BULLETS), "-o", str(existing), "--id", "b"]) == 0
    assert listing(existing) == ["b.import.yaml", "b.yaml"]  # the framework, how it was read
    assert "Wrote" in capsys.readouterr().out


def test_o_a_workspace_frameworks_folder_takes_the_workspace_privacy(tmp_path, capsys):
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "workspace.yaml").write_text("shared: true\n")
    assert main(["frameworks", "import", str(BULLETS), "-o", f"{ws}/frameworks/",
                 "--id", "team"]) == 0  # fmt: skip
    assert (ws / "frameworks" / "team.yaml").stat().st_mode & 0o777 == 0o660
    assert (ws / "frameworks").stat().st_mode & 0o777 == 0o770


def test_an_import_never_takes_a_builtin_id_and_a_refused_one_makes_no_folder(tmp_path, capsys):
    ws = tmp_path / "ws"
    ws.mkdir()
    code = main(["frameworks", "import", str(BULLETS), "-o", f"{ws}/frameworks/",
                 "--id", "samman-ensemble"])  # fmt: skip
    assert code == 2
    err = capsys.readouterr().err
    assert "'samman-ensemble' is the id of a built-in framework (version(s) 1, 2)" in err
    assert listing(ws) == []


def test_a_workspace_file_shadowing_a_builtin_is_reported_by_frameworks_and_doctor(
    tmp_path, capsys
):
    ws = tmp_path / "ws"
    (ws / "frameworks").mkdir(parents=True)
    assert main(["frameworks", "import", str(BULLETS), "-o", str(ws / "frameworks"),
                 "--id", "team"]) == 0  # fmt: skip
    text = (ws / "frameworks" / "team.yaml").read_text().replace("id: team", "id: samman-ensemble")
    (ws / "frameworks" / "team.yaml").write_text(text)
    capsys.readouterr()
    assert main(["frameworks", "--workspace", str(ws)]) == 1
    assert "'samman-ensemble' version 1 is already installed" in capsys.readouterr().err
    assert main(["doctor", "--workspace", str(ws)]) == 1
    assert "'samman-ensemble' version 1 is already installed" in capsys.readouterr().out
    # what the old `-o WS/frameworks/` left: a file called frameworks
    (ws / "frameworks" / "team.yaml").unlink()
    (ws / "frameworks" / "team.import.yaml").unlink()
    (ws / "frameworks").rmdir()
    (ws / "frameworks").write_text(text)
    assert main(["doctor", "--workspace", str(ws)]) == 1
    assert f"{ws / 'frameworks'}: error: is not a folder" in capsys.readouterr().out


# --- limits no real ladder reaches ---------------------------------------------------------


def refused(capsys, source: Path, out: Path) -> str:
    """Import ``source``: exit 2, one line on stderr, nothing written; that line."""
    assert main(["frameworks", "import", str(source), "-o", f"{out}/"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert not out.exists()
    return err[0]


def test_a_file_over_the_size_limit_is_not_read(tmp_path, capsys):
    from coachlib.ladders.limits import MAX_LADDER_BYTES

    big = tmp_path / "big.md"
    big.write_text("# Big\n\n" + "x" * MAX_LADDER_BYTES + "\n")
    said = refused(capsys, big, tmp_path / "out")
    assert f"big.md: {MAX_LADDER_BYTES + 8:,} bytes, over the limit of 4,000,000" in said


@pytest.mark.parametrize(
    ("name", "text", "said"),
    [
        ("rows.csv", "Skill,1 - A,2 - B\n" + "".join(f"S{i},a,b\n" for i in range(20_000)),
         "rows.csv:10002: more than 10,000 rows"),
        ("columns.csv", "Skill," + ",".join(f"{i} - L" for i in range(100_000)) + "\nS,"
         + ",".join("x" * 100_000) + "\n", "columns.csv:1: more than 100 level columns"),
        ("headings.md", "# T\n" + "".join(f"## Level {i}\n" for i in range(100_000)),
         "headings.md:50001: more than 50,000 lines"),
        ("levels.md", "# T\n" + "".join(f"## Level {i}: L\n- **S**: c\n" for i in range(150)),
         "levels.md:202: more than 100 levels (headings of the same depth)"),
        ("wide.md", "# T\n\n| Skill | " + " | ".join(f"{i} - L" for i in range(1, 150))
         + " |\n" + "|---" * 150 + "|\n| S |" + " c |" * 149 + "\n",
         "wide.md:3: more than 100 level columns"),
    ],
    ids=["20000-csv-rows", "100000-csv-columns", "100000-headings", "150-levels", "150-columns"],
)  # fmt: skip
def test_a_ladder_beyond_a_limit_is_refused_by_its_line(tmp_path, capsys, name, text, said):
    source = tmp_path / name
    source.write_text(text)
    assert said in refused(capsys, source, tmp_path / "out")


def test_many_skills_of_one_name_each_get_an_id_of_their_own(tmp_path, capsys):
    """A Level list per skill with one name three times, differently: -2 and -3 (the id
    was counted by searching every earlier skill, and was -2 for each)."""
    lines = ["# Ladder", "# --Engineering--"]
    for copy in range(3):
        lines += ["## Testing", "What it is.", "Level", "1 - Novice", f"writes test {copy}",
                  "2 - Expert", "writes tests first", "3 - Master", "teaches it",
                  "4 - Guru", "writes the book", "5 - Sage", "retires",
                  "6 - Legend", "x"]  # fmt: skip
    source = tmp_path / "same.md"
    source.write_text("\n".join(lines) + "\n")
    assert main(["frameworks", "import", str(source), "-o", f"{tmp_path}/out/"]) == 0
    written = next(p for p in (tmp_path / "out").iterdir() if ".import." not in p.name).read_text()
    assert "id: testing-2" in written and "id: testing-3" in written


def test_a_named_link_is_read_with_o_a_folder_and_a_fifo_beside_the_output_is_passed_over(
    tmp_path,
):
    link = tmp_path / "ladder.md"
    link.symlink_to(BULLETS)
    out = tmp_path / "out"
    out.mkdir()
    os.mkfifo(out / "old.yaml")  # read as an earlier version, it would block the import
    result = coach("frameworks", "import", link, "-o", out, "--id", "team")
    assert result.returncode == 0, result.stderr
    assert (out / "team.yaml").is_file()


@pytest.mark.parametrize(
    ("name", "text", "said"),
    [
        ("cell.csv", "Skill,1 - A,2 - B\nS," + "x" * 140_000 + ",b\n",
         "cell.csv:2: 1 - A: 140,000 characters, over the limit of 20,000"),
        ("esc.csv", "Skill,1 - A,2 - B\nS,a,b\x1b[2J\n",
         "esc.csv:2: 2 - B: holds the control character U+001B"),
        ("nul.md", "# L\n\n## 1 - A\n\n- **T**: wr\x00ites\n",
         "nul.md:5: holds the control character U+0000"),
        ("esc.html", "<h1>L</h1>\n<h2>1 - A</h2>\n<ul><li><b>T</b>: \x1b]0;x\x07</li></ul>\n",
         "esc.html:3: holds the control character U+001B"),
    ],
    ids=["csv-cell-over-the-csv-limit", "csv-esc", "markdown-nul", "html-esc"],
)  # fmt: skip
def test_a_ladder_cell_too_long_or_with_control_characters_is_refused(
    tmp_path, capsys, name, text, said
):
    source = tmp_path / name
    source.write_text(text)
    assert said in refused(capsys, source, tmp_path / "out")


def test_doctor_names_a_framework_file_whose_suffix_is_upper_case(tmp_path, capsys):
    ws = tmp_path / "ws"
    (ws / "frameworks").mkdir(parents=True)
    assert main(["frameworks", "import", str(BULLETS), "-o", str(ws / "frameworks"),
                 "--id", "team"]) == 0  # fmt: skip
    (ws / "frameworks" / "team.yaml").rename(ws / "frameworks" / "team.YAML")
    capsys.readouterr()
    main(["doctor", "--workspace", str(ws)])
    out = capsys.readouterr().out
    assert "team.YAML: warning: not read: framework files end in .yaml or .yml" in out
