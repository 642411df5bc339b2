"""The HTML summary: self-contained, escaped, charts inline with a text alternative."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from html.parser import HTMLParser

import pytest

from coachlib.export.summaries import export_summary
from coachlib.model.review import Assessment, new_review
from coachlib.store.journal import save_review

pytestmark = pytest.mark.slow
HOSTILE = "<script>alert(1)</script>"


class Page(HTMLParser):
    """Collects what the tests look for: tags with attributes, and visible text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    @property
    def visible(self) -> str:
        return " ".join(" ".join(self.text).split())


@pytest.fixture(scope="module")
def exported(tmp_path_factory, demo_journal_master):
    import shutil

    from coachlib.store.frameworks import catalog_for
    from coachlib.store.workspace import Workspace

    root = tmp_path_factory.mktemp("export") / "ws"
    shutil.copytree(demo_journal_master, root)
    workspace = Workspace(root)
    save_review(
        workspace,
        new_review(
            coachee="Ada Lovelace",
            framework="samman-ensemble",
            author=f"Eve {HOSTILE}",
            role="coach",
            when=datetime(2026, 6, 29, 12, tzinfo=UTC),
            assessments=[
                Assessment(
                    "ensemble-facilitation",
                    3,
                    evidence=f"{HOSTILE} <img src=x onerror=alert(2)>",
                    reflection="$\\alpha$ and line one\nline two",
                    next_steps='<a href="javascript:alert(3)">click</a>',
                )
            ],
            notes="**bold** markdown <b>html</b>",
        ),
        catalog_for(root),
    )
    path = export_summary(workspace, "Ada Lovelace", as_of=date(2026, 6, 30))
    return workspace, path, path.read_text(encoding="utf-8")


def test_export_goes_to_the_reports_folder(exported):
    workspace, path, _ = exported
    assert path == workspace.reports_dir / "ada-lovelace-2026-06-30.html"


def test_user_text_is_escaped(exported):
    _, _, html = exported
    page = Page(html)
    assert "<script" not in html.lower()
    assert not [attrs for tag, attrs in page.tags if tag == "a"]
    assert not [attrs for tag, attrs in page.tags if any(k.startswith("on") for k in attrs)]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    visible = page.visible
    assert HOSTILE in visible  # shown as the characters typed
    assert '<a href="javascript:alert(3)">click</a>' in visible
    assert "**bold** markdown <b>html</b>" in visible
    assert "$\\alpha$ and line one" in visible


def test_nothing_is_fetched_or_run(exported):
    _, _, html = exported
    page = Page(html)
    assert not re.search(r"<script\b", html, re.I)
    for tag, attrs in page.tags:
        for name in ("src", "href", "action", "data", "poster"):
            value = attrs.get(name)
            if value is not None:
                assert value.startswith("data:") or value.startswith("#"), (tag, name, value)
    assert not re.search(r"https?://", html), re.search(r".{40}https?://.{40}", html)
    assert "@import" not in html and "url(" not in html


def test_charts_are_inline_images_with_text_alternatives(exported):
    _, _, html = exported
    images = [attrs for tag, attrs in Page(html).tags if tag == "img"]
    assert len(images) == 2  # one chart per framework Ada was reviewed on
    for attrs in images:
        assert attrs["src"].startswith("data:image/png;base64,")
        assert len(attrs["src"]) > 10_000
        assert "level over time" in attrs["alt"]
        assert re.search(r"Coach \(\d+ reviews\): \d{4}-\d{2}-\d{2}: \d", attrs["alt"])


def test_summary_content(exported):
    _, _, html = exported
    visible = Page(html).visible
    assert "Coaching summary: Ada Lovelace" in visible
    assert "As of 2026-06-30" in visible
    assert "Competence Milestones for Ensemble Facilitation" in visible
    assert "Competence Milestones for Learning Hour Delivery" in visible
    assert "Coach's latest Milestone 3: For a team new to ensemble" in visible
    # the text each review was made against, in the footer (not a column: it is the
    # coach's working detail), and the credit the licence asks for
    assert "Made against" not in visible
    footer = html[html.index('<footer class="coach-footer') :]
    assert "reviews made against version 1 and version 2 of the text" in Page(footer).visible
    assert "Samman Technical Coaching Society (sammancoaching.org), CC BY-SA 4.0" in visible
    assert "Licence: CC-BY-SA-4.0" in visible
    # the job role, read across both tracks as the Society's job-role page says now
    assert "Job role across the tracks: Career Milestones and Job Role" in visible
    assert "Latest coach review (2026-06-29, by Eve" in visible
    assert "Reviews of Ada Lovelace on Competence Milestones for Ensemble" in visible
    assert "<!DOCTYPE html>" in html and '<html lang="en">' in html
    assert "@media print" in html


def test_no_other_coachee_appears(exported):
    _, _, html = exported
    for other in ("Björn", "Mei Chen", "Tomás"):
        assert other not in html


def test_export_of_an_unknown_coachee_is_an_input_error(exported):
    from coachlib.model.errors import InputError

    workspace, _, _ = exported
    with pytest.raises(InputError, match="no coachee called 'Nobody'"):
        export_summary(workspace, "Nobody")


def test_summary_of_a_skills_coachee_has_parts_charts_and_readiness(demo_workspace):
    path = export_summary(demo_workspace, "Sam Okafor", as_of=date(2026, 6, 30))
    html = path.read_text(encoding="utf-8")
    page = Page(html)
    visible = page.visible
    assert "Core Engineer Progression: ratings per part" in visible
    assert "Latest ratings: Basic Communication (SE)" in visible
    assert "Latest ratings with notes: Core Engineer Progression" in visible
    assert "Waived" in visible
    alts = [attrs["alt"] for tag, attrs in page.tags if tag == "img"]
    assert sum(alt.startswith("Levels per skill.") for alt in alts) >= 4
    assert any(
        alt.startswith("Tier readiness (skills rated Fluent, waived left out).") for alt in alts
    )
    assert not re.search(r"<script\b", html, re.I)
    for other in ("Priya", "Ada Lovelace", "Björn"):
        assert other not in html
