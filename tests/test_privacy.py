"""Privacy: a coachee's summary holds nothing of another coachee; the team page holds no
reflections unless asked; journals are private files unless the workspace is shared."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from html import unescape

import pytest

from coachlib.export.pool import export_all
from coachlib.export.summaries import export_team
from coachlib.model.review import Assessment, new_review
from coachlib.store.frameworks import registry_for
from coachlib.store.journal import load_journal, save_review

pytestmark = pytest.mark.slow
AS_OF = "2026-06-30"


@pytest.fixture(scope="module")
def marked(tmp_path_factory, demo_journal_master):
    """The demo workspace plus, per coachee, a review whose every text is a unique marker."""
    import shutil

    from coachlib.store.workspace import Workspace

    root = tmp_path_factory.mktemp("privacy") / "ws"
    shutil.copytree(demo_journal_master, root)
    workspace = Workspace(root)
    registry = registry_for(root)
    markers: dict[str, set[str]] = {}
    for slug, coachee in workspace.coachees().items():
        mine = {f"MARK-{slug}-{field}-{uuid.uuid4().hex[:8]}" for field in
                ("evidence", "reflection", "next", "notes", "note")}  # fmt: skip
        by_field = {m.split("-")[-2]: m for m in mine}
        save_review(
            workspace,
            new_review(
                coachee=coachee, framework="samman-ensemble", author="Morgan Reyes",
                role="coach", when=datetime(2026, 6, 29, 12, tzinfo=UTC),
                assessments=[Assessment("ensemble-facilitation", 2,
                                        evidence=by_field["evidence"],
                                        reflection=by_field["reflection"],
                                        next_steps=by_field["next"])],
                notes=by_field["notes"],
            ),
            registry,
        )  # fmt: skip
        save_review(
            workspace,
            new_review(
                coachee=coachee, framework="core-engineer-progression", author=coachee,
                role="self", when=datetime(2026, 6, 29, 13, tzinfo=UTC), part="customer",
                assessments=[Assessment("strategy", 1, note=by_field["note"])],
            ),
            registry,
        )  # fmt: skip
        markers[coachee] = mine
    result = export_all(workspace, as_of=AS_OF, workers=2)  # threads must not mix people
    assert not result.failed
    return workspace, markers, result.written


def test_each_summary_holds_its_own_markers_and_nobody_elses(marked):
    workspace, markers, pages = marked
    assert len(pages) == len(markers) == 6
    by_slug = {path.name.removesuffix(f"-{AS_OF}.html"): path for path in pages}
    for slug, coachee in workspace.coachees().items():
        html = unescape(by_slug[slug].read_text(encoding="utf-8"))
        for marker in markers[coachee]:
            assert marker in html, (coachee, marker)
        for other, theirs in markers.items():
            if other == coachee:
                continue
            assert other not in html, f"{coachee}'s summary names {other}"
            leaked = [m for m in theirs if m in html]
            assert leaked == [], f"{coachee}'s summary holds {other}'s text"


def test_team_page_has_levels_not_reflections_unless_asked(marked, tmp_path):
    workspace, markers, _pages = marked
    every_marker = {m for mine in markers.values() for m in mine}
    plain = export_team(workspace, as_of=AS_OF, output=tmp_path / "team.html")
    html = unescape(plain.read_text(encoding="utf-8"))
    assert all(coachee in html for coachee in markers)  # names and levels are there
    assert [m for m in every_marker if m in html] == []
    assert "Levels and dates only" in html
    shared = export_team(
        workspace, as_of=AS_OF, output=tmp_path / "shared.html", include_reflections=True
    )
    html = unescape(shared.read_text(encoding="utf-8"))
    assert "includes the coachees' evidence, reflections and next steps" in html
    for coachee, mine in markers.items():
        assert any("reflection" in m and m in html for m in mine), coachee


def test_journal_loads_only_the_asked_coachee(marked):
    workspace, markers, _ = marked
    [coachee] = [c for c in markers if c.startswith("Mei")]
    reviews = load_journal(workspace, coachee=coachee).reviews
    assert {r.coachee for r in reviews} == {coachee}
