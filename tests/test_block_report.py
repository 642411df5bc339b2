"""The coaching-block report: the coach's synthesis first (one file beside the team's log,
the same for the command and the notebook), the coach's name, and the team's own words
with every repeated line said once, with how often and when."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from coachlib.cli import main
from coachlib.model.block_summary import new_block_summary, parse_block_summary
from coachlib.model.errors import JournalError
from coachlib.model.sessionlog import new_entry
from coachlib.store.sessionlog import latest_block_summary, save_block_summary, save_entry
from coachlib.store.workspace import Workspace
from coachlib.views.block_page import block_page, merged_lines
from coachlib.views.page import Remarks, Section

TODAY = date(2026, 6, 30)
SAID = "Outcomes: tests first on risky changes. Next: the legacy module."


def logged(workspace, day, status, author="Morgan Reyes"):
    return save_entry(workspace, new_entry(
        day=day, kind="ensemble", team="Payments", people=[("Ada Lovelace", "typist")],
        author=author, today=TODAY, status=status,
    ))  # fmt: skip


def files_under(root):
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}  # fmt: skip


@pytest.fixture
def block(workspace, monkeypatch):
    monkeypatch.delenv("COACH_AUTHOR", raising=False)
    for number, day in enumerate((date(2026, 5, 4), date(2026, 5, 6), date(2026, 5, 11))):
        logged(workspace, day, {
            "went_well": "Rotations flowed.\n- Everyone typed" if number else "rotations  flowed",
            "next_steps": f"Step {number}.",
        })  # fmt: skip
    return workspace


def test_repeated_lines_are_said_once_with_how_often_and_when():
    said = [(date(2026, 5, 4), "Rotations flowed.\nSlow build."),
            (date(2026, 5, 6), "- rotations   flowed"),
            (date(2026, 5, 11), "Slow build.\nRotations flowed.")]  # fmt: skip
    merged = merged_lines(said)
    assert [(r.text, r.days) for r in merged.items] == [
        ("Rotations flowed.", (date(2026, 5, 4), date(2026, 5, 6), date(2026, 5, 11))),
        ("Slow build.", (date(2026, 5, 4), date(2026, 5, 11))),
    ]


def test_the_report_shows_each_line_once_and_names_the_coach(block):
    page = block_page(block, team="Payments", date_from="2026-05-01", date_to="2026-05-31")
    assert "coach: Morgan Reyes" in page.headline.facts  # whoever logged the sessions
    [words] = [s for s in page.sections if s.title == "In the team's own words"]
    went = next(b for b in words.blocks if isinstance(b, Section) and b.title == "What went well")
    [remarks] = went.blocks
    assert isinstance(remarks, Remarks)
    assert [(r.text, len(r.days)) for r in remarks.items] == [
        ("rotations  flowed", 3), ("Everyone typed", 2)]  # fmt: skip
    from coachlib.export.render import page_html

    html = page_html(page)
    assert html.count("flowed") == 1
    assert "(3 times: 2026-05-04, 2026-05-06, 2026-05-11)" in html


def test_the_coach_named_in_the_workspace_is_the_coach_of_the_report(block, monkeypatch):
    block.root.joinpath("workspace.yaml").write_text("coach: Rosa Diaz\n")
    block = Workspace(block.root)  # settings are read once per Workspace
    page = block_page(block, team="Payments", date_from="2026-05-01", date_to="2026-05-31")
    assert page.headline.facts.endswith("coach: Rosa Diaz")
    monkeypatch.setenv("COACH_AUTHOR", "Kim Lee")
    page = block_page(block, team="Payments", date_from="2026-05-01", date_to="2026-05-31")
    assert page.headline.facts.endswith("coach: Kim Lee")


def test_summary_is_saved_beside_the_log_and_opens_the_report(block, tmp_path, capsys):
    args = ["block", "--workspace", str(block.root), "--team", "Payments", "--from",
            "2026-05-01", "--to", "2026-05-31"]  # fmt: skip
    assert main([*args, "--summary", SAID, "-o", str(tmp_path / "b.html")]) == 0
    [saved] = (block.log_dir / "payments" / "blocks").iterdir()
    assert saved.name == "2026-05-01-summary.yaml"
    html = (tmp_path / "b.html").read_text()
    assert html.index(SAID.split(":")[1].strip()) < html.index("Sessions held")
    assert "The coach&#39;s synthesis (Morgan Reyes, " in html
    # Without --summary, the latest saved one; also for a report that starts earlier and
    # ends later (the same block, run a week longer).
    assert main([*args[:-4], "--from", "2026-04-28", "--to", "2026-06-07",
                 "-o", str(tmp_path / "c.html")]) == 0  # fmt: skip
    later = (tmp_path / "c.html").read_text()
    assert "tests first on risky changes" in later and "for 2026-05-01 to 2026-05-31" in later
    # An edit is a new file; the latest wins; the first is kept as it was.
    assert main([*args, "--summary", "Second thoughts.", "-o", str(tmp_path / "d.html")]) == 0
    assert len(list((block.log_dir / "payments" / "blocks").iterdir())) == 2
    assert "Second thoughts." in (tmp_path / "d.html").read_text()
    # A synthesis written for a report's own first day comes before a later block's.
    later = new_block_summary(team="Payments", start=date(2026, 5, 20), end=date(2026, 5, 31),
                              author="Morgan Reyes", text="A later block.")  # fmt: skip
    save_block_summary(block, later)
    page = block_page(block, team="Payments", date_from="2026-05-01", date_to="2026-05-31")
    assert page.headline.handover_note == "Second thoughts."
    page = block_page(block, team="Payments", date_from="2026-04-30", date_to="2026-05-31")
    assert page.headline.handover_note == "A later block."  # none of its own: the latest
    # A report of another block does not show it.
    page = block_page(block, team="Payments", date_from="2026-05-02", date_to="2026-05-19")
    assert page.headline.handover_note == ""


@pytest.mark.parametrize(("summary", "message"), [
    ("", "the synthesis is empty"),
    ("x" * 5001, "at most 5,000"),
])  # fmt: skip
def test_a_refused_summary_changes_nothing(block, tmp_path, capsys, summary, message):
    before = files_under(block.root)
    assert main(["block", "--workspace", str(block.root), "--team", "Payments", "--from",
                 "2026-05-01", "--summary", summary]) == 2  # fmt: skip
    assert message in capsys.readouterr().err
    assert files_under(block.root) == before


def test_a_summary_for_a_folder_that_does_not_exist_is_not_saved(block, tmp_path):
    before = files_under(block.root)
    assert (
        main(
            [
                "block",
                "--workspace",
                str(block.root),
                "--team",
                "Payments",
                "--from",
                "2026-05-01",
                "--summary",
                SAID,
                "-o",
                str(tmp_path / "no" / "b.html"),
            ]
        )
        == 3
    )
    assert files_under(block.root) == before


def test_a_broken_summary_file_is_named_by_the_command_and_counted_on_the_page(block, capsys):
    folder = block.log_dir / "payments" / "blocks"
    folder.mkdir()
    (folder / "2026-05-01-summary.yaml").write_text("format: coachlib.block-summary/1\nteam: [\n")
    assert main(["block", "--workspace", str(block.root), "--team", "Payments", "--from",
                 "2026-05-01", "--to", "2026-05-31"]) == 1  # fmt: skip
    err = capsys.readouterr().err
    assert "2026-05-01-summary.yaml" in err
    page = block_page(block, team="Payments", date_from="2026-05-01", date_to="2026-05-31")
    assert any(n.kind == "problem" for n in page.notes)
    assert str(folder) not in str(page)


def test_a_summary_file_is_checked_field_by_field():
    good = new_block_summary(team="Payments", start=date(2026, 5, 1), end=date(2026, 5, 31),
                             author="Morgan Reyes", text=SAID,
                             now=datetime(2026, 6, 1, tzinfo=UTC))  # fmt: skip
    from coachlib.model import safeyaml

    text = safeyaml.dump(good.to_dict())
    assert parse_block_summary(text, file="f.yaml") == good
    for broken, field in ((text.replace("to: '2026-05-31'", "to: '2026-04-01'"), "to"),
                          (text + "extra: 1\n", "extra"),
                          (text.replace("Morgan Reyes", "''"), "author")):  # fmt: skip
        with pytest.raises(JournalError) as caught:
            parse_block_summary(broken, file="f.yaml")
        assert caught.value.field == field and caught.value.line


def test_the_notebook_form_saves_the_summary_the_command_reads(block, tmp_path):
    from coachlib.notebook import BlockReport

    report = BlockReport(team="Payments", date_from="2026-05-01", date_to="2026-05-31",
                         workspace=block.root)  # fmt: skip
    form = report.synthesis_form()
    assert form.text.value == ""
    form.text.value = "   "
    form.save()
    assert "Not saved" in form.status.text and not (block.log_dir / "payments/blocks").exists()
    form.text.value = SAID
    form.save()
    form.save()  # nothing changed: no second file
    assert "Already saved" in form.status.text
    assert report.page.headline.handover_note == SAID
    found = latest_block_summary(block, team="Payments", start=date(2026, 5, 1))
    assert found.latest is not None and found.latest.text == SAID
    assert (
        main(
            [
                "block",
                "--workspace",
                str(block.root),
                "--team",
                "Payments",
                "--from",
                "2026-05-01",
                "--to",
                "2026-05-31",
                "-o",
                str(tmp_path / "b.html"),
            ]
        )
        == 0
    )
    assert SAID.split(":")[1].split(".")[0].strip() in (tmp_path / "b.html").read_text()
    again = BlockReport(team="Payments", date_from="2026-05-01", date_to="2026-05-31",
                        workspace=block.root).synthesis_form()  # fmt: skip
    assert again.text.value == SAID


def test_a_summary_needs_a_logged_team(workspace):
    summary = new_block_summary(team="Nowhere", start=date(2026, 5, 1), end=date(2026, 5, 2),
                                author="Morgan Reyes", text=SAID)  # fmt: skip
    with pytest.raises(Exception, match="no team called 'Nowhere'"):
        save_block_summary(workspace, summary)


def test_doctor_names_a_broken_synthesis_and_one_in_another_teams_folder(block, capsys):
    assert main(["doctor", "--workspace", str(block.root)]) == 0
    folder = block.log_dir / "payments" / "blocks"
    folder.mkdir()
    (folder / "2026-05-01-summary.yaml").write_text("format: coachlib.block-summary/1\n"
                                                   "team: Payments\nfrom: May\n")  # fmt: skip
    stray = new_block_summary(team="Search", start=date(2026, 5, 1), end=date(2026, 5, 2),
                              author="Morgan Reyes", text=SAID)  # fmt: skip
    from coachlib.model import safeyaml

    (folder / "2026-05-02-summary.yaml").write_text(safeyaml.dump(stray.to_dict()))
    capsys.readouterr()
    assert main(["doctor", "--workspace", str(block.root)]) == 1
    out = capsys.readouterr().out
    broken = next(line for line in out.splitlines() if "2026-05-01-summary.yaml" in line)
    assert "error" in broken
    other = next(line for line in out.splitlines() if "2026-05-02-summary.yaml" in line)
    assert "a synthesis of 'Search' in the folder of 'Payments'" in other


def test_the_synthesis_is_text_on_the_page_never_markup(block, tmp_path):
    hostile = "<script>alert(1)</script> & <b>bold</b>\nA second line."
    assert main(["block", "--workspace", str(block.root), "--team", "Payments", "--from",
                 "2026-05-01", "--to", "2026-05-31", "--summary", hostile,
                 "-o", str(tmp_path / "b.html")]) == 0  # fmt: skip
    html = (tmp_path / "b.html").read_text()
    assert "<script>alert" not in html and "<b>bold" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;<br>" in html
