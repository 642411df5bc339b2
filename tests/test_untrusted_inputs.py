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
    assert f"{fifo}: is a FIFO (named pipe), not a regular file" in lines[0]
    assert listing(tmp_path) == ["ladder.md"]


def test_a_fifo_given_to_catalogue_refresh_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "hours.csv"
    os.mkfifo(fifo)
    ws = tmp_path / "ws"
    result = coach("catalogue", "refresh", fifo, "--workspace", ws)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert f"{fifo}: is a FIFO (named pipe), not a regular file" in result.stderr
    assert not ws.exists()


def test_a_device_or_a_folder_is_no_ladder(tmp_path, capsys):
    assert main(["frameworks", "import", "/dev/null", "-o", str(tmp_path / "x.yaml")]) == 2
    assert "/dev/null: is a character device, not a regular file" in capsys.readouterr().err
    assert main(["catalogue", "refresh", str(tmp_path), "--workspace", str(tmp_path / "w")]) == 2
    assert "is a folder, not a regular file" in capsys.readouterr().err
    assert listing(tmp_path) == []


def test_a_fifo_or_a_link_in_a_folder_of_ladders_stops_the_whole_folder(tmp_path, capsys):
    folder = tmp_path / "ladders"
    folder.mkdir()
    (folder / "a.md").write_text((LADDERS / "section-per-level-bullets.md").read_text())
    os.mkfifo(folder / "b.md")
    out = tmp_path / "out"
    out.mkdir()
    assert main(["frameworks", "import", str(folder), "-o", str(out)]) == 2
    assert "b.md: is a FIFO (named pipe), not a regular file" in capsys.readouterr().err
    (folder / "b.md").unlink()
    (folder / "b.md").symlink_to(LADDERS / "named-levels.md")
    assert main(["frameworks", "import", str(folder), "-o", str(out)]) == 2
    assert "b.md: is a symbolic link: not followed" in capsys.readouterr().err
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
