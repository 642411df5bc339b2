"""The coach's own words: the hand-over note and the private note on a coach's review.

The hand-over note is written for the coachee: their summary opens with the latest one.
The private note is the coach's alone: it never leaves the coach's journal file. These
tests put a unique marker in private notes, run every command that makes something
(summaries, the team overview, the block report, packs with and without the coach's view,
the CSV, collect, a review notebook, doctor, the demo) and search every file and every
line printed: the marker is found in its own journal file and nowhere else. A pack coming
back cannot set either note, and records saved before the notes existed read as before.
"""

from __future__ import annotations

import io
import os
import uuid
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from coachlib.cli import main
from coachlib.export.summaries import export_summary
from coachlib.model import safeyaml
from coachlib.model.errors import InputError
from coachlib.model.pack import record_identity
from coachlib.model.review import (
    Assessment,
    Rating,
    Review,
    new_review,
    parse_record,
    reviews_by_part,
)
from coachlib.notebook import ReflectionSession, ReviewSession, SkillsReviewSession
from coachlib.store.collect import ALREADY, IMPORTED, REFUSED, collect
from coachlib.store.frameworks import registry_for
from coachlib.store.journal import load_journal, save_review
from coachlib.store.workspace import Workspace
from tests.test_packs import tree_bytes

ADA = "Ada Lovelace"
COACH = "Morgan Reyes"

OLD_RECORD = """\
format: coachlib.review/1
coachee: Ada Lovelace
framework: samman-ensemble
author: Morgan Reyes
role: coach
when: '2026-01-05T10:00:00+00:00'
notes: Saved before the coach's notes existed.
assessments:
- skill: ensemble-facilitation
  level: 2
  evidence: Facilitated twice.
"""


def _marker(kind: str) -> str:
    return f"{kind}-{uuid.uuid4().hex}"


# --- the record -----------------------------------------------------------------------------


def test_an_old_record_without_the_notes_reads_and_writes_as_before():
    """Records saved before the notes existed load unchanged: no note, the same fields
    written back, the same identity (collecting an old pack again adds nothing)."""
    review = parse_record(OLD_RECORD, file="old.yaml")
    assert review.handover_note == "" and review.private_note == ""
    data = review.to_dict()
    assert "handover_note" not in data and "private_note" not in data
    assert data == safeyaml.parse(OLD_RECORD, file="old.yaml", error=ValueError)
    again = parse_record(safeyaml.dump(data), file="again.yaml")
    assert again == review
    assert record_identity(review) == "532cca5e37139321bf1a"  # as computed before the notes


def test_an_old_record_in_a_journal_loads_with_the_others(workspace, registry):
    folder = workspace.journal_dir / "ada-lovelace"
    folder.mkdir(parents=True)
    (folder / ".coachee").write_text(ADA + "\n", encoding="utf-8")
    (folder / "20260105T100000.000000Z-samman-ensemble-coach.yaml").write_text(OLD_RECORD)
    load = load_journal(workspace, registry=registry)
    assert load.problems == []
    [review] = load.reviews
    assert (review.handover_note, review.private_note) == ("", "")
    assert review.assessments[0].evidence == "Facilitated twice."


def test_the_notes_are_written_in_the_record_and_read_back(workspace, registry):
    saved = save_review(workspace, new_review(
        coachee=ADA, framework="samman-ensemble", author=COACH, role="coach",
        assessments=[Assessment("ensemble-facilitation", 2)],
        handover_note="Ada leads the rotations now.\nNext: the retrospective.",
        private_note="Tired this week.",
    ), registry)  # fmt: skip
    text = saved.path.read_text(encoding="utf-8")
    assert "handover_note:" in text and "private_note:" in text
    [loaded] = load_journal(workspace).reviews
    assert loaded.handover_note == "Ada leads the rotations now.\nNext: the retrospective."
    assert loaded.private_note == "Tired this week."
    assert "Tired this week." not in repr(loaded)  # never in a log line or a traceback


@pytest.mark.parametrize("name", ["handover_note", "private_note"])
def test_the_schema_checks_the_notes(name):
    text = OLD_RECORD + f"{name}: 42\n"
    with pytest.raises(Exception, match="expected text"):
        parse_record(text, file="bad.yaml")
    too_long = OLD_RECORD + f"{name}: '{'x' * 20_001}'\n"
    with pytest.raises(Exception, match="20,000"):
        parse_record(too_long, file="long.yaml")


@pytest.mark.parametrize("name", ["handover_note", "private_note"])
def test_a_self_review_cannot_carry_the_coachs_notes(workspace, registry, name):
    """A coachee's self-review is not the coach's note: saving one with either is refused."""
    review = new_review(coachee=ADA, framework="samman-ensemble", author=ADA, role="self",
                        assessments=[Assessment("ensemble-facilitation", 2)],
                        **{name: "words"})  # fmt: skip
    with pytest.raises(InputError, match="self-review has no hand-over note") as caught:
        save_review(workspace, review, registry)
    assert caught.value.field == name
    assert not list(workspace.journal_dir.rglob("*.yaml"))


def test_a_skills_save_puts_the_notes_on_each_record_of_the_save(registry):
    framework = registry.get("core-engineer-progression")
    first, second = framework.groups[0], framework.groups[1]
    ratings = [Rating(next(first.all_skills()).id, "2"), Rating(next(second.all_skills()).id, "3")]
    reviews = reviews_by_part(framework, ratings, shown_part=first.id, coachee=ADA,
                              author=COACH, role="coach", handover_note=" Growing. ",
                              private_note=" Mine. ")  # fmt: skip
    assert len(reviews) == 2
    assert {(r.handover_note, r.private_note) for r in reviews} == {("Growing.", "Mine.")}


# --- the forms ------------------------------------------------------------------------------


def test_the_milestone_form_has_both_notes_and_says_the_private_one_stays(workspace):
    session = ReviewSession(framework="samman-ensemble", coachee=ADA, author=COACH,
                            role="coach", workspace=workspace.root)  # fmt: skip
    form = session.review_form()
    assert form.handover_note.description == "Hand-over note"
    assert form.private_note.description == "Private note"
    shown = list(form.widget.children)
    label = shown[shown.index(form.private_note) + 1]  # right beside (under) the field
    assert "never leaves your workspace" in label.value
    assert "never leaves your workspace" in form.private_note.tooltip
    form.picker.value = 3
    form.handover_note.value = "Ada runs the ensemble on her own now."
    form.private_note.value = "Worried about her workload."
    form.save_button.click()
    assert "Saved" in form.status.text, form.status.text
    [review] = load_journal(workspace).reviews
    assert review.handover_note == "Ada runs the ensemble on her own now."
    assert review.private_note == "Worried about her workload."
    # a draft holds them too (in the workspace's own drafts), and gives them back
    assert form.draft_state()["private_note"] == "Worried about her workload."


def test_the_skills_form_has_both_notes(workspace):
    session = SkillsReviewSession(framework="core-engineer-progression", coachee=ADA,
                                  author=COACH, workspace=workspace.root)  # fmt: skip
    form = session.review_form()
    shown = list(form.widget.children)
    assert form.handover_note in shown and form.private_note in shown
    assert "never leaves your workspace" in shown[shown.index(form.private_note) + 1].value
    row = form.row(next(form.part.all_skills()).id)
    row.level.value = "2"
    form.handover_note.value = "Steady."
    form.private_note.value = "Mine alone."
    form.save_button.click()
    [review] = load_journal(workspace).reviews
    assert (review.handover_note, review.private_note) == ("Steady.", "Mine alone.")


def test_a_self_review_form_has_neither(workspace):
    session = ReviewSession(framework="samman-ensemble", coachee=ADA, author=ADA, role="self",
                            workspace=workspace.root)  # fmt: skip
    form = session.review_form()
    assert not hasattr(form, "private_note") and not hasattr(form, "handover_note")
    assert "Private note" not in repr(form.widget.children)


# --- the summary ------------------------------------------------------------------------------


def _visible(html: str) -> str:
    from tests.html_reader import HtmlReader

    return HtmlReader(html).visible


def test_the_summary_opens_with_the_latest_handover_note(demo_workspace, registry):
    """The coachee's summary (the notebook, and the HTML made from it) opens with the
    coach's latest hand-over note, on whichever track it was written."""
    older, newest = _marker("older-handover"), _marker("newest-handover")
    for day, words, framework, skill in (
        (27, newest, "samman-learning-hour", "learning-hour-teaching"),
        (20, older, "samman-ensemble", "ensemble-facilitation"),
    ):
        save_review(demo_workspace, new_review(
            coachee=ADA, framework=framework, author=COACH, role="coach",
            when=datetime(2026, 6, day, 12, tzinfo=UTC), assessments=[Assessment(skill, 2)],
            handover_note=words,
        ), registry)  # fmt: skip
    html = export_summary(demo_workspace, ADA, as_of=date(2026, 6, 30)).read_text("utf-8")
    visible = _visible(html)
    assert newest in visible and older not in visible
    opening = visible[: visible.index("Where Ada Lovelace stands")]  # before any track
    assert "From your coach" in opening and newest in opening
    assert opening.index("From your coach") > opening.index("As of 2026-06-30")
    assert "Morgan Reyes, 2026-06-27 on Competence Milestones for Learning Hour" in visible


def test_the_summary_leaves_the_coachs_working_notes_to_the_coach(demo_workspace):
    """'Talk briefly', 'discuss at length' and the 'made against' column are the coach's
    working notes: on the team overview, not on the coachee's summary (whose footer keeps
    the versions; each framework's credit stays under its section)."""
    for coachee in ("Tomás O'Brien", "Sam Okafor"):  # a milestone gap of 2; skills gaps
        html = export_summary(demo_workspace, coachee, as_of=date(2026, 6, 30)).read_text()
        visible = _visible(html)
        assert "talk briefly" not in visible and "discuss at length" not in visible, coachee
        assert "Made against" not in visible and "coach frameworks diff" not in visible
        footer = _visible(html[html.index('<footer class="coach-footer') :])
        assert "reviews made against version" in footer
        assert "licence" in visible.lower()  # the credit the licence asks for, on the page
    assert "self rates 2 levels higher than the coach" in _visible(
        export_summary(demo_workspace, "Tomás O'Brien", as_of=date(2026, 6, 30)).read_text()
    )


# --- nowhere but the journal file -------------------------------------------------------------


def _hand_edited_self_review(workspace: Workspace, registry, private: str) -> Path:
    """A self-review with a private note, as only a hand edit can make one (saving refuses
    it): a pack still must not carry the note."""
    framework = registry.get("samman-ensemble")
    review = Review(coachee=ADA, framework="samman-ensemble", author=ADA, role="self",
                    when=datetime(2026, 6, 28, 9, tzinfo=UTC), framework_version=framework.version,
                    framework_hash=framework.digest,
                    assessments=(Assessment("ensemble-facilitation", 3, evidence="hand"),),
                    handover_note=_marker("self-handover"), private_note=private)  # fmt: skip
    path = (
        workspace.journal_dir / "ada-lovelace" / "20260628T090000.000000Z-samman-ensemble-self.yaml"
    )
    path.write_text(safeyaml.dump(review.to_dict()), encoding="utf-8")
    return path


def _every_text(root: Path) -> dict[str, str]:
    """Every file under ``root`` as text, and every entry of every zip in it."""
    out = {}
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.is_symlink():
            continue
        data = path.read_bytes()
        out[str(path)] = data.decode("utf-8", errors="replace")
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                for name in archive.namelist():
                    out[f"{path}!{name}"] = archive.read(name).decode("utf-8", errors="replace")
    return out


def _found(marker: str, texts: dict[str, str]) -> list[str]:
    return sorted(name for name, text in texts.items() if marker in text)


@pytest.mark.slow
def test_a_private_note_is_found_nowhere_but_its_journal_file(demo_workspace, tmp_path, capsys):
    """Every command's every artefact and every line it prints, searched for the private
    notes' markers: each is in its own journal file, and nowhere else."""
    registry = registry_for(demo_workspace.root)
    ws = ["--workspace", str(demo_workspace.root)]
    when = datetime.now(UTC) - timedelta(minutes=5)  # the coach's latest, for the coach view
    private = {_marker("PRIVATE-milestone"): None, _marker("PRIVATE-skills"): None}
    milestone_marker, skills_marker = private
    handover = _marker("HANDOVER")
    saved = save_review(demo_workspace, new_review(
        coachee=ADA, framework="samman-ensemble", author=COACH, role="coach", when=when,
        assessments=[Assessment("ensemble-facilitation", 3, next_steps="Run the retro.")],
        handover_note=handover, private_note=milestone_marker,
    ), registry)  # fmt: skip
    private[milestone_marker] = saved.path
    framework = registry.get("core-engineer-progression")
    [skills] = reviews_by_part(framework, [Rating(framework.skills[0].id, "2", note="n")],
                               shown_part=framework.groups[0].id, coachee=ADA, author=COACH,
                               role="coach", private_note=skills_marker)  # fmt: skip
    private[skills_marker] = save_review(demo_workspace, skills, registry).path
    self_marker = _marker("PRIVATE-self")
    private[self_marker] = _hand_edited_self_review(demo_workspace, registry, self_marker)

    out = tmp_path / "out"
    out.mkdir()
    commands = [
        ["export", "--coachee", ADA, "-o", str(out / "summary.html")],
        ["export", "--all"],
        ["export", "--csv", "-o", str(out / "journal.csv")],
        ["team", "-o", str(out / "team.html")],
        ["team", "--include-reflections", "-o", str(out / "team-shared.html")],
        ["block", "--team", "Payments", "--from", "2025-07-01", "--to", "2026-06-30",
         "--include-reflections", "-o", str(out / "block.html")],
        ["share", "--coachee", ADA, "--framework", "samman-ensemble", "--to", str(out / "pack")],
        ["share", "--coachee", ADA, "--framework", "samman-ensemble", "--with-coach-view",
         "--zip", str(out / "pack-view.zip")],
        ["share", "--coachee", ADA, "--framework", "samman-ensemble", "--with-coach-view",
         "--to", str(out / "pack-view")],
        ["new", "--framework", "samman-ensemble", "--coachee", ADA, "--author", COACH],
        ["new", "--framework", "core-engineer-progression", "--coachee", ADA, "--author", COACH],
        ["share", "--coachee", ADA, "--framework", "core-engineer-progression",
         "--to", str(out / "skills-pack")],
        ["block", "--team", "Payments", "--from", "2025-07-01", "--to", "2026-06-30",
         "--summary", "What the team did.", "-o", str(out / "block-summary.html")],
        ["team", "--coachee", ADA, "-o", str(out / "team-selection.html")],
    ]  # fmt: skip
    printed = []
    for command in commands:
        status = main([*command, *ws])
        captured = capsys.readouterr()
        printed.append(captured.out + captured.err)
        assert status == 0, (command, captured.err)
    # the coach view is there (the latest level and next steps), the notes are not
    assert "Run the retro." in (out / "pack-view" / "coach-view.yaml").read_text()
    assert handover in (out / "summary.html").read_text()

    # the coachee fills the pack in and sends it back; the coach collects it
    form = ReflectionSession(coachee=ADA, framework="samman-ensemble",
                             workspace=out / "pack").review_form()  # fmt: skip
    form.picker.value = 3
    form.evidence.value = "Back from the pack."
    form.save_button.click()
    assert "Saved" in form.status.text
    before = {p for p in demo_workspace.journal_dir.rglob("*.yaml")}
    for pack in (out / "pack", out / "pack-view.zip"):
        status = main(["collect", str(pack), *ws])
        captured = capsys.readouterr()
        printed.append(captured.out + captured.err)
        assert status == 0 and ", 0 refused" in captured.out, captured
    collected = {p for p in demo_workspace.journal_dir.rglob("*.yaml")} - before
    assert len(collected) == 1  # the new self-review; the stripped copy is "already there"
    main(["doctor", *ws])
    captured = capsys.readouterr()
    printed.append(captured.out + captured.err)

    texts = _every_text(demo_workspace.root) | _every_text(out)
    texts |= _every_text(Path(os.environ["XDG_CACHE_HOME"]))  # the level index
    texts |= {f"printed {i}": text for i, text in enumerate(printed)}
    assert len(texts) > 100
    for marker, path in private.items():
        assert _found(marker, texts) == [str(path)], marker
    # and the hand-over note, made to be handed over, is where it belongs
    assert str(out / "summary.html") in _found(handover, texts)
    assert not [name for name in _found(handover, texts) if "pack" in name]


@pytest.mark.slow
def test_the_demo_has_coach_notes_and_shows_no_private_one(tmp_path):
    """`coach demo`: its coaches' reviews have hand-over notes (each summary opens with
    one) and private notes, which are in the journal's coach records and nowhere else."""
    stdout = io.StringIO()
    from contextlib import redirect_stdout

    with redirect_stdout(stdout):
        assert main(["demo", str(tmp_path / "demo")]) == 0
    root = tmp_path / "demo"
    texts = _every_text(root)
    secret = "PRIVATE demo note"
    holders = _found(secret, texts)
    assert holders, "the demo has private notes"
    for name in holders:
        assert f"{os.sep}journal{os.sep}" in name, name
        assert parse_record(texts[name], file=name).role == "coach", name
    assert secret not in stdout.getvalue()
    for report in (root / "reports").glob("*.html"):
        visible = _visible(report.read_text(encoding="utf-8"))
        assert "From your coach" in visible, report


# --- what comes back ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["handover_note", "private_note"])
def test_a_returned_pack_cannot_set_the_coachs_notes(demo_workspace, tmp_path, registry, name):
    """A record in a pack that brings a hand-over or private note is refused, naming the
    field: a coachee's self-review is not the coach's note. Nothing of it is written."""
    from coachlib.export.share import make_pack

    pack = make_pack(demo_workspace, coachee=ADA, framework="samman-ensemble",
                     to=tmp_path / "pack")  # fmt: skip
    framework = registry.get("samman-ensemble")
    review = Review(coachee=ADA, framework="samman-ensemble", author=ADA, role="self",
                    when=datetime.now(UTC) - timedelta(hours=1),
                    framework_version=framework.version, framework_hash=framework.digest,
                    assessments=(Assessment("ensemble-facilitation", 4),),
                    **{name: "Set by the pack."})  # fmt: skip
    target = pack.path / "journal" / "ada-lovelace" / "20990101T000000.000000Z-x-self.yaml"
    target.write_text(safeyaml.dump(review.to_dict()), encoding="utf-8")
    before = sorted(demo_workspace.journal_dir.rglob("*"))
    report = collect(demo_workspace, [pack.path], registry=registry)
    [refused] = [o for o in report.outcomes if o.status == REFUSED]
    assert refused.file.endswith(target.name)
    assert name in refused.reason and "cannot carry a coach's" in refused.reason
    assert sorted(demo_workspace.journal_dir.rglob("*")) == before
    assert not [r for r in load_journal(demo_workspace).reviews if getattr(r, name)
                and r.role == "self"]  # fmt: skip


def test_a_shared_record_comes_back_as_already_there(demo_workspace, tmp_path, registry):
    """A hand-edited self-review with a private note goes into a pack without it, and that
    copy coming back is the same record (not a second one without the note)."""
    secret = _marker("PRIVATE-self")
    _hand_edited_self_review(demo_workspace, registry, secret)
    from coachlib.export.share import make_pack

    pack = make_pack(demo_workspace, coachee=ADA, framework="samman-ensemble",
                     to=tmp_path / "pack")  # fmt: skip
    assert secret.encode() not in tree_bytes(pack.path)
    report = collect(demo_workspace, [pack.path], registry=registry)
    assert report.count(IMPORTED) == 0 and not report.refused
    assert report.count(ALREADY) >= 1
