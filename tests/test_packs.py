"""Reflection packs: made for one coachee with nothing of anyone else, a workspace of their
own, and collected back safely (every record checked, hostile packs refused, twice is once)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import nbformat
import pytest

from coachlib.cli import main
from coachlib.export.share import make_pack
from coachlib.model.pack import record_identity
from coachlib.model.review import Assessment, new_review
from coachlib.notebook import ReflectionSession
from coachlib.store.collect import ALREADY, IMPORTED, REFUSED, collect
from coachlib.store.frameworks import registry_for
from coachlib.store.journal import load_journal, save_review
from coachlib.store.workspace import Workspace
from tests.hostile_packs import CORPUS

pytestmark = pytest.mark.slow
ADA = "Ada Lovelace"


def marked(workspace: Workspace, registry) -> dict[str, dict[str, str]]:
    """Give every coachee a coach review and a self-review, each with unique marker text."""
    markers = {}
    for coachee in workspace.coachees().values():
        token = hashlib.sha256(coachee.encode()).hexdigest()[:10]
        mine = {"self": f"self-marker-{token}", "coach": f"coach-marker-{token}",
                "steps": f"coach-steps-{token}"}  # fmt: skip
        markers[coachee] = mine
        for role, author in (("coach", "Morgan Reyes"), ("self", coachee)):
            save_review(workspace, new_review(
                coachee=coachee, framework="samman-ensemble", author=author, role=role,
                assessments=[Assessment("ensemble-facilitation", 2, evidence=mine[role],
                                        next_steps=mine["steps"] if role == "coach" else "")],
            ), registry)  # fmt: skip
    return markers


def tree_bytes(root: Path) -> bytes:
    """Every file of a pack (names and contents), to search for markers or compare."""
    out = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            out.append(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return b"\n".join(out)


@pytest.fixture
def packed(demo_workspace, tmp_path, registry):
    markers = marked(demo_workspace, registry)
    pack = make_pack(demo_workspace, coachee=ADA, framework="samman-ensemble",
                     to=tmp_path / "ada-pack")  # fmt: skip
    return demo_workspace, markers, pack.path


def test_a_pack_holds_only_its_coachee_and_nothing_of_the_coach(packed):
    _workspace, markers, folder = packed
    everything = tree_bytes(folder).decode("utf-8", errors="replace")
    assert markers[ADA]["self"] in everything
    assert markers[ADA]["coach"] not in everything and markers[ADA]["steps"] not in everything
    for coachee, theirs in markers.items():
        if coachee != ADA:
            assert coachee not in everything, f"the pack names {coachee}"
            assert not [m for m in theirs.values() if m in everything], coachee
    assert "Morgan Reyes" not in everything  # not even the coach's name
    assert sorted(p.name for p in folder.iterdir()) == [
        "README.md", "frameworks", "journal", "pack.yaml", "reflection.ipynb",
    ]  # fmt: skip


def test_with_the_coach_view_only_the_latest_level_and_next_steps(demo_workspace, tmp_path,
                                                                  registry):  # fmt: skip
    markers = marked(demo_workspace, registry)
    pack = make_pack(demo_workspace, coachee=ADA, framework="samman-ensemble",
                     zip_to=tmp_path / "ada.zip", coach_view=True)  # fmt: skip
    shutil.unpack_archive(pack.path, tmp_path / "unzipped")
    everything = tree_bytes(tmp_path / "unzipped").decode("utf-8", errors="replace")
    assert markers[ADA]["steps"] in everything  # the coach's next steps: shared
    assert markers[ADA]["coach"] not in everything  # the coach's evidence: never
    assert all(m not in everything for c, ms in markers.items() if c != ADA
               for m in ms.values())  # fmt: skip


def test_the_notebook_is_the_coachees_with_code_folded_away(packed):
    _workspace, _markers, folder = packed
    notebook = nbformat.read(folder / "reflection.ipynb", as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code and all(cell.metadata["jupyter"]["source_hidden"] for cell in code)
    text = json.dumps(notebook)
    assert "your own review" in text and "Where you stand on" in text
    assert "widgets" not in notebook.metadata  # no widget state from the coach's machine


def test_the_pack_is_a_workspace_of_its_own_and_comes_back(packed, registry):
    workspace, _markers, folder = packed
    before = load_journal(workspace, coachee=ADA).reviews
    session = ReflectionSession(coachee=ADA, framework="samman-ensemble", workspace=folder)
    form = session.review_form()
    form.picker.value = 3
    form.evidence.value = "Taught the roles to a new team, by myself."
    form.save_button.click()
    assert "Saved" in form.status.text
    saved = load_journal(Workspace(folder), coachee=ADA).reviews
    own = [r for r in before if r.role == "self" and r.framework == "samman-ensemble"]
    assert len(saved) == 1 + len(own)
    assert load_journal(workspace, coachee=ADA).reviews == before  # the coach's: untouched

    first = collect(workspace, [folder], registry=registry)
    assert [o.status for o in first.outcomes].count(IMPORTED) == 1
    assert not first.refused
    again = collect(workspace, [folder], registry=registry)  # idempotent
    assert {o.status for o in again.outcomes} == {ALREADY}
    after = load_journal(workspace, coachee=ADA).reviews
    assert len(after) == len(before) + 1
    new = [r for r in after if r.assessments[0].evidence.startswith("Taught the roles")]
    assert len(new) == 1 and new[0].role == "self"
    assert record_identity(new[0]) in first.outcomes[-1].reason or any(
        record_identity(new[0]) in o.reason for o in first.outcomes
    )


def test_the_words_fit_where_the_notebook_is_shown_and_the_chart_follows_a_save(
    packed, monkeypatch
):
    """No hub: how to send it back with `coach hand-in` (no Hand in button to press), and
    on a Voilà page (``coach open``) which folder that is; the chart redraws on Save and
    the Saved line says so (no cell to re-run)."""
    _workspace, _markers, folder = packed
    monkeypatch.delenv("COACHLIB_EXCHANGE", raising=False)
    for name in ("VOILA_BASE_URL", "VOILA_SERVER_URL", "VOILA_KERNEL_ID"):
        monkeypatch.delenv(name, raising=False)
    session = ReflectionSession(coachee=ADA, framework="samman-ensemble", workspace=folder)
    in_lab = session.send_back().data
    assert "coach hand-in" in in_lab and "in this folder" in in_lab and "Hand in" not in in_lab
    monkeypatch.setenv("VOILA_BASE_URL", "/")
    on_page = session.send_back().data
    assert "you opened with `coach open`" in on_page and str(folder.resolve()) in on_page
    chart = session.show_progress()
    before = chart.widget.value
    form = session.review_form()
    form.picker.value = 4
    form.evidence.value = "Ran the ensemble as a teaching forum."
    form.save_button.click()
    assert form.status.text.endswith("Your progress chart (section 4) shows it now.")
    assert "Re-run" not in form.status.text
    assert chart.widget.value != before and ": 4." in chart.widget.value
    assert "<picture><source media=" in chart.widget.value  # a phone gets its own drawing


def test_a_dry_run_writes_nothing(packed, registry):
    workspace, _markers, folder = packed
    ReflectionSession(coachee=ADA, framework="samman-ensemble", workspace=folder)
    save_review(Workspace(folder), new_review(
        coachee=ADA, framework="samman-ensemble", author=ADA, role="self",
        assessments=[Assessment("ensemble-facilitation", 4)],
    ), registry)  # fmt: skip
    before = sorted(workspace.journal_dir.rglob("*"))
    report = collect(workspace, [folder], registry=registry, dry_run=True)
    assert report.count(IMPORTED) == 1
    assert sorted(workspace.journal_dir.rglob("*")) == before


@pytest.mark.parametrize("case", CORPUS, ids=lambda case: case.name)
def test_a_hostile_pack_is_refused_with_its_reason(packed, tmp_path, registry, case):
    workspace, _markers, good = packed
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    bad = case.build(good, scratch)
    pack_before = tree_bytes(bad) if bad.is_dir() else bad.read_bytes()
    journal_before = sorted(
        (p, p.read_bytes()) for p in workspace.journal_dir.rglob("*") if p.is_file()
    )
    report = collect(workspace, [bad], registry=registry)
    refused = [o for o in report.outcomes if o.status == REFUSED]
    assert refused, [o for o in report.outcomes]
    assert any(case.reason in o.reason for o in refused), [o.reason for o in refused]
    assert report.count(IMPORTED) == 0
    assert (
        sorted((p, p.read_bytes()) for p in workspace.journal_dir.rglob("*") if p.is_file())
        == journal_before
    )
    assert (tree_bytes(bad) if bad.is_dir() else bad.read_bytes()) == pack_before


def test_the_corpus_is_big_enough():
    assert len(CORPUS) >= 25
    assert len({case.name for case in CORPUS}) == len(CORPUS)


def test_the_command_reports_a_table_and_exit_1_when_refused(packed, tmp_path, capsys):
    workspace, _markers, good = packed
    bad = CORPUS[0].build(good, tmp_path)
    status = main(["collect", str(good), str(bad), "--workspace", str(workspace.root)])
    out = capsys.readouterr().out
    assert status == 1
    assert out.splitlines()[0].split() == ["STATUS", "PACK", "FILE", "DETAIL"]
    assert "refused" in out and "self-reviews only" in out
    assert out.strip().splitlines()[-1].endswith("1 refused.")


def test_share_refuses_what_it_cannot_make(demo_workspace, tmp_path, capsys):
    root = str(demo_workspace.root)
    assert main(["share", "--coachee", "Nobody", "--framework", "samman-ensemble",
                 "--workspace", root]) == 2  # fmt: skip
    assert main(["share", "--coachee", "Priya Natarajan", "--framework", "no-such-framework",
                 "--workspace", root]) == 2  # fmt: skip
    (tmp_path / "taken").mkdir()
    assert main(["share", "--coachee", ADA, "--framework", "samman-ensemble", "--to",
                 str(tmp_path / "taken"), "--workspace", root]) == 2  # fmt: skip
    err = capsys.readouterr().err
    assert "no coachee called 'Nobody'" in err and "no-such-framework" in err
    assert "exists" in err
    assert not (demo_workspace.root / "outbox").exists()


def test_demo_markers_helper_covers_every_coachee(demo_workspace, registry):
    markers = marked(demo_workspace, registry)
    assert set(markers) == set(demo_workspace.coachees().values())
    assert registry_for(demo_workspace.root).get("samman-ensemble")


BJORN = "Björn Ångström"


@pytest.mark.parametrize(
    ("coachee", "as_written"),
    [
        (ADA, "Ada Lovelace "),  # a trailing space
        (ADA, "Ada\u00a0Lovelace"),  # a non-breaking space
        (BJORN, unicodedata.normalize("NFD", BJORN)),  # decomposed accents
    ],
    ids=["trailing-space", "nbsp", "nfd"],
)
def test_a_name_written_differently_is_collected_once_and_loads(
    demo_workspace, tmp_path, registry, coachee, as_written
):
    """Collect checks, writes and the loader reads the same name: the record that is
    reported imported loads, and collecting again adds nothing (no -2, -3 copies)."""
    workspace = demo_workspace
    save_review(workspace, new_review(
        coachee=coachee, framework="samman-ensemble", author=coachee, role="self",
        assessments=[Assessment("ensemble-facilitation", 1)],
    ), registry)  # fmt: skip
    folder = make_pack(workspace, coachee=coachee, framework="samman-ensemble",
                       to=tmp_path / "pack").path  # fmt: skip
    save_review(Workspace(folder), new_review(
        coachee=coachee, framework="samman-ensemble", author=coachee, role="self",
        assessments=[Assessment("ensemble-facilitation", 2, evidence="In my own words.")],
    ), registry)  # fmt: skip
    for path in [folder / "pack.yaml", *(folder / "journal").rglob("*.yaml")]:
        text = path.read_text(encoding="utf-8")
        for key in ("coachee", "author"):  # quoted, so YAML keeps every character
            text = text.replace(f"{key}: {coachee}\n", f"{key}: {json.dumps(as_written)}\n")
        path.write_text(text, encoding="utf-8")
    before = len(load_journal(workspace, coachee=coachee).reviews)

    first = collect(workspace, [folder], registry=registry)
    assert first.count(IMPORTED) == 1 and not first.refused, first.outcomes
    load = load_journal(workspace, registry=registry)
    assert not load.problems, [p.one_line() for p in load.problems]
    mine = load_journal(workspace, coachee=coachee).reviews
    assert len(mine) == before + 1
    assert [r for r in mine if r.assessments[0].evidence == "In my own words."]
    files = sorted(workspace.journal_dir.rglob("*.yaml"))

    again = collect(workspace, [folder], registry=registry)
    assert again.count(IMPORTED) == 0 and not again.refused, again.outcomes
    assert sorted(workspace.journal_dir.rglob("*.yaml")) == files  # no -2 copy


SWAPPED = """
import os, stat, sys

real_lstat, real_stat = os.lstat, os.stat


def swapped(path):
    return not isinstance(path, int) and os.fspath(path).endswith(("zz-fifo.yaml", "zz-link.yaml"))


def regular(result):  # what the check saw, an instant before the file was swapped
    fields = list(result)
    fields[stat.ST_MODE], fields[stat.ST_SIZE] = stat.S_IFREG | 0o600, 100
    return os.stat_result(fields)


def lstat(path, *args, **kwargs):
    result = real_lstat(path, *args, **kwargs)
    return regular(result) if swapped(path) else result


def fake_stat(path, *args, follow_symlinks=True, **kwargs):
    result = real_stat(path, *args, follow_symlinks=follow_symlinks, **kwargs)
    return regular(result) if swapped(path) and not follow_symlinks else result


os.lstat, os.stat = lstat, fake_stat
from coachlib.cli import main

raise SystemExit(main(sys.argv[1:]))
"""


def test_a_file_swapped_for_a_fifo_or_a_link_after_the_check_is_refused(packed, tmp_path,
                                                                         registry):  # fmt: skip
    """Every look at a pack file says 'a regular file' (as it would an instant before a
    swap): what was opened is what is checked, so the FIFO is not waited on and the link
    is not followed."""
    workspace, _markers, folder = packed
    elsewhere = Workspace(tmp_path / "elsewhere")
    outside = save_review(elsewhere, new_review(
        coachee=ADA, framework="samman-ensemble", author=ADA, role="self",
        assessments=[Assessment("ensemble-facilitation", 4, evidence="Not in the pack.")],
    ), registry)  # fmt: skip
    records = folder / "journal" / "ada-lovelace"
    os.mkfifo(records / "zz-fifo.yaml")
    (records / "zz-link.yaml").symlink_to(outside.path)
    before = sorted(workspace.journal_dir.rglob("*"))
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    done = subprocess.run(
        [sys.executable, "-c", SWAPPED, "collect", str(folder), "--workspace",
         str(workspace.root)],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 1, (done.stdout, done.stderr)
    lines = done.stdout.splitlines()
    [fifo] = [line for line in lines if "zz-fifo.yaml" in line]
    [link] = [line for line in lines if "zz-link.yaml" in line]
    assert "refused" in fifo and "not a regular file" in fifo
    assert "refused" in link and "symbolic link" in link
    assert "0 record(s) imported" in lines[-1]
    assert sorted(workspace.journal_dir.rglob("*")) == before
