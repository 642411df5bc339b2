"""`coach block --pdf` and `coach team --pdf`, printed by the real engine (Chromium): every
demo block on at most 3 A4 pages, the team overview with every page numbered and named."""

from __future__ import annotations

from datetime import timedelta

import pytest

from coachlib.cli import main
from tests.golden.cases import GOLDEN_DAY, GOLDEN_SEED

A4 = (596, 843)  # points


@pytest.fixture(scope="module")
def demo(tmp_path_factory, browser):
    from coachlib.demo.workspace import build_demo_journal

    root = tmp_path_factory.mktemp("handover-pdf") / "ws"
    return build_demo_journal(root, today=GOLDEN_DAY, seed=GOLDEN_SEED).workspace


@pytest.fixture(autouse=True)
def chromium(monkeypatch):
    from tests.browser_support import CHROMIUM

    monkeypatch.setenv("COACHLIB_CHROMIUM", str(CHROMIUM))


def pages_of(path):
    from pypdf import PdfReader

    reader = PdfReader(path)
    box = reader.pages[0].mediabox
    return reader, (round(float(box.width)), round(float(box.height)))


def demo_blocks():
    """The demo's coaching blocks (coachlib.demo.sessions): three per team, four weeks."""
    for team_index, team in enumerate(("Payments", "Search")):
        for block in range(3):
            start = GOLDEN_DAY - timedelta(days=340 - block * 120 - team_index * 10)
            yield team, start, start + timedelta(days=27)


def test_every_demo_block_prints_on_at_most_three_a4_pages(demo, tmp_path, capsys):
    blocks = [*demo_blocks(), ("Payments", GOLDEN_DAY - timedelta(days=121), GOLDEN_DAY)]
    synthesised = 0
    for team, start, end in blocks:
        out = tmp_path / f"{team}-{start}.pdf"
        assert main(["block", "--workspace", str(demo.root), "--team", team, "--from",
                     str(start), "--to", str(end), "--pdf", "-o", str(out)]) == 0  # fmt: skip
        reader, size = pages_of(out)
        assert size == A4 and 1 <= len(reader.pages) <= 3, (team, start, len(reader.pages))
        text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
        assert "coach: Morgan Reyes" in text
        assert f"page {len(reader.pages)} of {len(reader.pages)}" in text
        synthesised += "The coach's synthesis" in text or "The coach’s synthesis" in text
    assert synthesised >= 2  # the demo's latest block of each team has one


def test_the_team_overview_prints_named_and_numbered_on_a4_and_letter(demo, tmp_path, capsys):
    out = tmp_path / "team.pdf"
    assert main(["team", "--workspace", str(demo.root), "--as-of", str(GOLDEN_DAY), "--pdf",
                 "-o", str(out)]) == 0  # fmt: skip
    assert "Team overview (PDF): " in capsys.readouterr().out
    reader, size = pages_of(out)
    assert size == A4
    count = len(reader.pages)
    print(f"team overview: {count} A4 page(s)")
    assert 1 <= count <= 12
    for number, page in enumerate(reader.pages, start=1):
        text = " ".join(page.extract_text().split())
        assert f"Team overview · as of {GOLDEN_DAY}" in text and f"page {number} of {count}" in text
    assert main(["team", "--workspace", str(demo.root), "--as-of", str(GOLDEN_DAY), "--pdf",
                 "--paper", "letter", "-o", str(tmp_path / "letter.pdf")]) == 0  # fmt: skip
    assert pages_of(tmp_path / "letter.pdf")[1] == (612, 792)
    # The default name ends in .pdf, beside the HTML the same command writes without --pdf.
    assert main(["team", "--workspace", str(demo.root), "--as-of", str(GOLDEN_DAY),
                 "--pdf"]) == 0  # fmt: skip
    assert (demo.reports_dir / f"team-{GOLDEN_DAY}.pdf").is_file()
