"""Skills packs: a coachee's self-assessment on a skills matrix travels like a milestone
pack (made for one person, nothing of the coach's, drafts stay, every record checked on
the way back, hostile packs refused without a write), and comes back as the same records
a self-review in the coach's workspace makes."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import nbformat
import pytest

from coachlib.cli import main
from coachlib.export.share import make_pack
from coachlib.model.review import Assessment, new_review
from coachlib.notebook import SkillsReflectionSession, SkillsReviewSession
from coachlib.store.collect import ALREADY, IMPORTED, REFUSED, collect
from coachlib.store.exchange import hand_in_zip
from coachlib.store.journal import load_journal, save_review
from tests.hostile_packs import SKILLS_CORPUS
from tests.test_packs import tree_bytes

pytestmark = pytest.mark.slow
PRIYA = "Priya Natarajan"
CEP = "core-engineer-progression"
UNSAVED = "unsaved-marker-5b1e0c"


@pytest.fixture
def skills_pack(demo_workspace, tmp_path, registry):
    """Priya's pack on Core Engineer Progression; the coach's review of her carries a
    private and a hand-over note, each with a marker that must never travel."""
    save_review(demo_workspace, new_review(
        coachee=PRIYA, framework=CEP, author="Morgan Reyes", role="coach", part="customer",
        assessments=[Assessment("strategy", 3, note="coach-note-marker")],
        private_note="private-marker-93a1", handover_note="handover-marker-77c2",
    ), registry)  # fmt: skip
    pack = make_pack(demo_workspace, coachee=PRIYA, framework=CEP, to=tmp_path / "priya-pack")
    return demo_workspace, pack.path


def test_a_skills_pack_holds_the_coachees_own_ratings_only(skills_pack):
    workspace, folder = skills_pack
    everything = tree_bytes(folder).decode("utf-8", errors="replace")
    for marker in ("private-marker-93a1", "handover-marker-77c2", "coach-note-marker",
                   "Morgan Reyes", "Sam Okafor", "Ada Lovelace"):  # fmt: skip
        assert marker not in everything, marker
    assert sorted(p.name for p in folder.iterdir()) == [
        "README.md", "frameworks", "journal", "pack.yaml", "reflection.ipynb",
    ]  # fmt: skip
    own = [r for r in load_journal(workspace, coachee=PRIYA).reviews
           if r.role == "self" and r.framework == CEP]  # fmt: skip
    assert len(list((folder / "journal" / "priya-natarajan").glob("*.yaml"))) == len(own) > 0
    notebook = nbformat.read(folder / "reflection.ipynb", as_version=4)
    assert all(c.metadata["jupyter"]["source_hidden"] for c in notebook.cells
               if c.cell_type == "code")  # fmt: skip
    text = json.dumps(notebook)
    assert "SkillsReflectionSession" in text and "your own self-assessment" in text
    assert "Your latest ratings: Engineering" in text
    assert "error" not in [o.get("output_type") for c in notebook.cells
                           for o in c.get("outputs", [])]  # fmt: skip
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "rate yourself one part at a time" in readme and "milestones in full" not in readme
    assert "one new file per part you rated" in readme


def test_a_skills_pack_refuses_the_coach_view(demo_workspace, tmp_path, capsys):
    root = str(demo_workspace.root)
    status = main(["share", "--coachee", PRIYA, "--framework", CEP, "--with-coach-view",
                   "--to", str(tmp_path / "p"), "--workspace", root])  # fmt: skip
    err = capsys.readouterr().err
    assert status == 2 and "--with-coach-view" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "p").exists()


def _rate(form, skill: str, level: int, note: str, ticks: int = 1):
    """Pick ``level`` for ``skill`` in the form, tick its first criteria, write the note."""
    row = form.row(skill)
    row.level.value = str(level)
    for box in row.criteria_checkboxes[:ticks]:
        box.value = True
    row.note.value = note
    return row


def test_a_self_assessment_saved_in_the_pack_comes_back_to_the_coach(skills_pack, registry,
                                                                     tmp_path):  # fmt: skip
    workspace, folder = skills_pack
    before = load_journal(workspace, coachee=PRIYA).reviews
    session = SkillsReflectionSession(coachee=PRIYA, framework=CEP, workspace=folder)
    assert session.author == PRIYA and session.role == "self"
    form = session.review_form()
    assert "You last said:" in form.row("strategy").widget.children[0].value
    form.part_picker.value = "customer"
    row = _rate(form, "strategy", 2, "Wrote the team's goals with the PO.")
    ticked = row.rating(lambda widget: widget.value).ticked
    assert ticked, "the level's criteria show as a checklist"
    form.save_button.click()
    assert "Saved 1 rating(s) in 1 record(s)" in form.status.text, form.status.text
    # a note typed after the save and never saved: it stays in the pack's drafts/
    form.row("business-value").note.value = UNSAVED
    form.row("business-value").level.value = "1"
    assert form.drafts.flush() is not None
    assert UNSAVED in tree_bytes(folder / "drafts").decode()

    handed = hand_in_zip(folder)
    assert UNSAVED.encode() not in handed
    names = zipfile.ZipFile(io.BytesIO(handed)).namelist()
    assert all(n.endswith("pack.yaml") or "/journal/" in n for n in names), names
    target = tmp_path / "back.zip"
    target.write_bytes(handed)

    report = collect(workspace, [target, folder], registry=registry)  # the zip, and the folder
    assert report.count(IMPORTED) == 1 and not report.refused, report.outcomes
    assert {o.status for o in report.outcomes} == {IMPORTED, ALREADY}
    after = load_journal(workspace, coachee=PRIYA).reviews
    assert len(after) == len(before) + 1
    (new,) = [r for r in after if r not in before]
    assert (new.role, new.author, new.framework, new.part) == ("self", PRIYA, CEP, "customer")
    assert new.framework_version == registry.get(CEP).version
    assert [(a.skill, a.level, a.note, a.criteria_met) for a in new.assessments] == [
        ("strategy", 2, "Wrote the team's goals with the PO.", ticked)
    ]
    everything = b"".join(p.read_bytes() for p in workspace.root.rglob("*") if p.is_file())
    assert UNSAVED.encode() not in everything
    # the coach's summary of Priya shows it as her latest self rating
    coach = SkillsReviewSession(framework=CEP, coachee=PRIYA, author="Morgan Reyes",
                                workspace=workspace.root)  # fmt: skip
    table = coach.table().set_index("skill")
    assert table.loc["strategy", "self"] == 2
    # ... on her HTML summary, with her note, and on the team overview's coach-self gaps
    from coachlib.export.summaries import export_summary
    from coachlib.views.history import history_frame
    from coachlib.views.team import gaps, latest_ratings

    page = export_summary(workspace, PRIYA, output=tmp_path / "priya.html")
    assert "Wrote the team&#x27;s goals with the PO." in page.read_text(encoding="utf-8")
    framework = registry.get(CEP)
    latest = latest_ratings(history_frame(load_journal(workspace).reviews, registry), framework)
    gap = gaps(latest, framework).set_index(["coachee", "skill"]).loc[(PRIYA, "strategy")]
    assert (gap["coach"], gap["self"]) == (3, 2)
    assert collect(workspace, [target], registry=registry).count(IMPORTED) == 0  # twice is once


def test_a_hand_in_of_a_skills_pack_with_drafts_only_sends_nothing_typed(skills_pack, tmp_path):
    _workspace, folder = skills_pack
    session = SkillsReflectionSession(coachee=PRIYA, framework=CEP, workspace=folder)
    form = session.review_form()
    _rate(form, "business-value", 3, UNSAVED)
    form.drafts.flush()
    target = tmp_path / "mine.zip"
    assert main(["hand-in", str(folder), "--zip", str(target)]) == 0
    assert UNSAVED.encode() not in target.read_bytes()
    with zipfile.ZipFile(target) as archive:
        assert not [n for n in archive.namelist() if "drafts" in n]


@pytest.mark.parametrize("case", SKILLS_CORPUS, ids=lambda case: case.name)
def test_a_hostile_skills_pack_is_refused_in_one_line_without_a_write(skills_pack, tmp_path,
                                                                      registry, case):  # fmt: skip
    workspace, good = skills_pack
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    bad = case.build(good, scratch)
    pack_before = tree_bytes(bad)
    ws_before = tree_bytes(workspace.root)
    report = collect(workspace, [bad], registry=registry)
    refused = [o for o in report.outcomes if o.status == REFUSED]
    assert refused and report.count(IMPORTED) == 0, report.outcomes
    assert any(case.reason in o.reason for o in refused), [o.reason for o in refused]
    for outcome in refused:
        assert "\n" not in outcome.reason
        # the file, the line and the field: 'pack:journal/…/x.yaml:12: field: message'
        # (a manifest's field on its line too: 'pack:pack.yaml:3: framework: …')
        assert re.search(r"\.yaml:\d+: [\w.\[\]]+: ", outcome.reason), outcome.reason
    assert tree_bytes(workspace.root) == ws_before
    assert tree_bytes(bad) == pack_before


def test_the_command_names_file_line_and_field(skills_pack, tmp_path, capsys):
    workspace, good = skills_pack
    case = next(c for c in SKILLS_CORPUS if c.name == "skills: a level off the scale")
    bad = case.build(good, tmp_path)
    status = main(["collect", str(bad), "--workspace", str(workspace.root)])
    out = capsys.readouterr().out
    (line,) = [row for row in out.splitlines() if row.startswith("refused")]
    assert status == 1
    assert re.search(r"core-engineer-progression-self\.yaml:\d+: assessments\[0\]\.level: "
                     r"level 9 is not on the scale", line), line  # fmt: skip


def test_the_skills_reflection_refuses_a_milestone_track(demo_workspace):
    with pytest.raises(Exception, match="milestone track"):
        SkillsReflectionSession(coachee="Ada Lovelace", framework="samman-ensemble",
                                workspace=demo_workspace.root)  # fmt: skip


def test_an_opensesame_pack_is_made_and_its_notebook_runs(demo_workspace, tmp_path):
    pack = make_pack(demo_workspace, coachee="Sam Okafor", framework="opensesame-career-skills",
                     to=tmp_path / "sam")  # fmt: skip
    notebook = nbformat.read(pack.path / "reflection.ipynb", as_version=4)
    outputs = [o for c in notebook.cells for o in c.get("outputs", [])]
    assert "error" not in [o.get("output_type") for o in outputs]
    assert "Your latest ratings" in json.dumps(notebook)
    assert Path(pack.path / "frameworks").is_dir()


def test_a_skills_pack_out_and_back_through_the_exchange(demo_workspace, tmp_path, registry,
                                                         monkeypatch):  # fmt: skip
    """On a coaching server: handed out, received, rated, **Hand in** pressed in the
    notebook, collected with --from-exchange; the draft stays in the pack."""
    from coachlib.export.share import hand_out
    from coachlib.store import exchange
    from coachlib.store.exchange import collect_hand_ins
    from tests.test_exchange import make_folder

    root = tmp_path / "exchange"
    make_folder(root, "priya", PRIYA)
    monkeypatch.setenv(exchange.ENVIRONMENT, str(root))
    hand_out(demo_workspace, coachee="priya", framework=CEP, exchange=root)
    [received] = exchange.receive(root, tmp_path / "home" / "packs", user="priya").new
    session = SkillsReflectionSession(coachee=PRIYA, framework=CEP, workspace=received)
    form = session.review_form()
    _rate(form, "testing", 4, "Set up contract tests for the payments API.")
    form.save_button.click()
    assert "Saved 1 rating(s)" in form.status.text, form.status.text
    form.row("unix").note.value = UNSAVED
    form.drafts.flush()

    monkeypatch.setattr(exchange, "current_user", lambda: "priya")
    box = session.send_back().widget
    hand_in_button, status = box.children[0], box.children[1]
    hand_in_button.click()
    assert "Handed in" in status.value, status.value
    [handed] = list((root / "priya" / "inbound").glob("*.zip"))
    assert UNSAVED.encode() not in handed.read_bytes()

    report = collect_hand_ins(demo_workspace, root, registry=registry)
    assert report.count(IMPORTED) == 1 and not report.refused, report.outcomes
    [new] = [r for r in load_journal(demo_workspace, coachee=PRIYA).reviews
             if r.assessments[0].note.startswith("Set up contract tests")]  # fmt: skip
    assert (new.role, new.part, new.assessments[0].level) == ("self", "engineering", 4)
