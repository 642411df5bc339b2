"""The HTML summary: self-contained, escaped, charts inline with a text alternative."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from coachlib.export.summaries import export_summary
from coachlib.model.review import Assessment, new_review
from coachlib.store.journal import save_review
from tests.html_reader import HtmlReader

pytestmark = pytest.mark.slow
HOSTILE = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def exported(tmp_path_factory, demo_journal_master):
    import shutil

    from coachlib.store.frameworks import registry_for
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
        registry_for(root),
    )
    path = export_summary(workspace, "Ada Lovelace", as_of=date(2026, 6, 30))
    return workspace, path, path.read_text(encoding="utf-8")


def test_export_goes_to_the_reports_folder(exported):
    workspace, path, _ = exported
    assert path == workspace.reports_dir / "ada-lovelace-2026-06-30.html"


def test_user_text_is_escaped(exported):
    _, _, html = exported
    page = HtmlReader(html)
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
    page = HtmlReader(html)
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
    images = [attrs for tag, attrs in HtmlReader(html).tags if tag == "img"]
    assert len(images) == 2  # one chart per framework Ada was reviewed on
    for attrs in images:
        assert attrs["src"].startswith("data:image/png;base64,")
        assert len(attrs["src"]) > 10_000
        assert "level over time" in attrs["alt"]
        assert re.search(r"Coach \(\d+ reviews\): \d{4}-\d{2}-\d{2}: \d", attrs["alt"])


def test_summary_content(exported):
    _, _, html = exported
    visible = HtmlReader(html).visible
    assert "Coaching summary: Ada Lovelace" in visible
    assert "As of 2026-06-30" in visible
    assert "Competence Milestones for Ensemble Facilitation" in visible
    assert "Competence Milestones for Learning Hour Delivery" in visible
    assert "Coach's latest Milestone 3: For a team new to ensemble" in visible
    # the text each review was made against, in the footer (not a column: it is the
    # coach's working detail), and the credit the licence asks for
    assert "Made against" not in visible
    footer = html[html.index('<footer class="coach-footer') :]
    assert "reviews made against version 1 and version 2 of the text" in HtmlReader(footer).visible
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


def test_summary_of_a_skills_coachee_has_parts_grids_and_readiness(demo_workspace):
    path = export_summary(demo_workspace, "Sam Okafor", as_of=date(2026, 6, 30))
    html = path.read_text(encoding="utf-8")
    page = HtmlReader(html)
    visible = page.visible
    assert "Core Engineer Progression: ratings per part" in visible
    # a dot plot of levels per part, made of text: every skill named in full
    assert "Engineering: 17 of 17 skills rated" in visible
    assert "Good Coding Practice (& Design Patterns/SOLID principles)" in visible
    assert "Latest notes: Core Engineer Progression" in visible
    assert "waived" in visible
    marks = [attrs for tag, attrs in page.tags if attrs.get("role") == "img"]
    assert any(m["aria-label"].startswith("coach: ") for m in marks)
    assert any(m["aria-label"].startswith("self: ") for m in marks)
    alts = [attrs["alt"] for tag, attrs in page.tags if tag == "img"]
    assert any(
        alt.startswith("Tier readiness (skills rated Fluent, waived left out).") for alt in alts
    )
    assert not re.search(r"<script\b", html, re.I)
    for other in ("Priya", "Ada Lovelace", "Björn"):
        assert other not in html


def test_the_page_is_a_value_the_export_only_renders(exported):
    """views builds the page (frozen dataclasses, no HTML but in Markup blocks); every
    chart carries its text alternative and caption; the footer names person and date."""
    import dataclasses

    from coachlib.views.page import Chart, Page, Section
    from coachlib.views.summary import summary_page

    workspace, _, _ = exported
    page = summary_page(workspace, "Ada Lovelace", "2026-06-30")
    assert isinstance(page, Page)
    with pytest.raises(dataclasses.FrozenInstanceError):
        page.title = "changed"  # type: ignore[misc]
    assert page.title == "Coaching summary: Ada Lovelace"
    assert page.file_stem == "ada-lovelace-2026-06-30"
    assert [s.title for s in page.sections] == [
        "Competence Milestones for Ensemble Facilitation",
        "Competence Milestones for Learning Hour Delivery",
    ]
    assert all(isinstance(s, Section) for s in page.sections)
    charts = page.charts()
    assert len(charts) == 2 and all(isinstance(c, Chart) for c in charts)
    for chart in charts:
        assert chart.png.startswith(b"\x89PNG") and chart.caption and chart.alt
        assert chart.alt.startswith(chart.caption)
    assert page.footer.person == "Ada Lovelace"
    assert page.footer.as_of == date(2026, 6, 30)
    assert {s.version for s in page.footer.sources} == {2}


def test_the_coachs_handover_note_heads_the_page(exported, tmp_path):
    """The newest hand-over note a coach wrote heads the page, escaped; the demo's coach
    writes them, and a newer one with markup in it takes their place."""
    import dataclasses
    import shutil
    from datetime import timedelta

    from coachlib.export.render import page_html
    from coachlib.store.journal import load_journal
    from coachlib.store.workspace import Workspace
    from coachlib.views.summary import summary_page

    workspace, _, _ = exported
    root = tmp_path / "ws"
    shutil.copytree(workspace.root, root)
    workspace = Workspace(root)
    coach = [r for r in load_journal(workspace, coachee="Ada Lovelace").reviews
             if r.role == "coach" and r.when.date().isoformat() <= "2026-06-30"]  # fmt: skip
    latest = max(coach, key=lambda r: r.when)
    assert summary_page(workspace, "Ada Lovelace", "2026-06-30").headline.handover_note
    newer = dataclasses.replace(
        latest, handover_note=f"Keep pairing {HOSTILE}", author="Eve Coach",
        when=latest.when + timedelta(seconds=1),
    )  # fmt: skip
    save_review(workspace, newer)
    page = summary_page(workspace, "Ada Lovelace", "2026-06-30")
    assert page.headline.handover_note == f"Keep pairing {HOSTILE}"
    assert page.headline.handover_by.startswith("Eve ")
    html = page_html(page)
    assert "Keep pairing &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html.lower()


@pytest.mark.parametrize(
    ("coachee", "as_of", "message"),
    [
        ("Nobody", "2026-06-30", "no coachee called 'Nobody'"),
        ("Ada Lovelace", "30/06/2026", "as_of must be a date like 2026-06-30"),
        ("Ada Lovelace", "2999-01-01", "as_of"),
        ("", "2026-06-30", "coachee name"),
    ],
)
def test_a_bad_parameter_is_one_typed_error_checked_once(exported, coachee, as_of, message):
    """The page builder checks the parameters (the only place that does): an InputError,
    before anything is loaded; the notebook shows it as one line, not a traceback."""
    from coachlib.model.errors import InputError
    from coachlib.notebook.summary import CoacheeSummary
    from coachlib.views.summary import summary_page

    workspace, _, _ = exported
    with pytest.raises(InputError, match=re.escape(message)):
        summary_page(workspace, coachee, as_of)
    shown = CoacheeSummary(coachee=coachee, workspace=str(workspace.root), as_of=as_of).show()
    assert "No summary: " in shown.data and message.split("'")[0] in shown.data
    assert "Traceback" not in shown.data


def test_export_starts_no_notebook_run(exported, tmp_path):
    """`coach export` of one summary, `coach team` and `coach block` render page values:
    no notebook runner, no kernel, no nbconvert, papermill, IPython or widgets are even
    imported."""
    import subprocess
    import sys

    workspace, _, _ = exported
    script = (
        "import sys\n"
        "from coachlib.cli import main\n"
        f"code = main(['--workspace', {str(workspace.root)!r}, 'export', '--coachee', "
        f"'Ada Lovelace', '--as-of', '2026-06-30', '-o', {str(tmp_path / 'page.html')!r}])\n"
        f"code = code or main(['--workspace', {str(workspace.root)!r}, 'team', '--as-of', "
        f"'2026-06-30', '-o', {str(tmp_path / 'team.html')!r}])\n"
        f"code = code or main(['--workspace', {str(workspace.root)!r}, 'block', '--team', "
        f"'Payments', '--from', '2026-03-01', '--to', '2026-06-30', '-o', "
        f"{str(tmp_path / 'block.html')!r}])\n"
        "loaded = [m for m in ('coachlib.export.workbooks', 'coachlib.export.runner', "
        "'coachlib.export.html', 'coachlib.notebook', 'nbconvert', 'papermill', 'nbclient', "
        "'jupyter_client', 'ipykernel', 'IPython', 'ipywidgets') if m in sys.modules]\n"
        "print('LOADED', loaded)\n"
        "sys.exit(code)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=300)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "LOADED []" in result.stdout, result.stdout
    assert (tmp_path / "page.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert "Levels at a glance" in (tmp_path / "team.html").read_text(encoding="utf-8")
    assert "Sessions held" in (tmp_path / "block.html").read_text(encoding="utf-8")


def test_the_notebook_shows_what_the_export_renders(exported):
    """The summary notebook displays the same markup as the exported file's body."""
    from coachlib.export.render import body_html, page_html
    from coachlib.notebook.summary import CoacheeSummary
    from coachlib.views.summary import summary_page

    workspace, _, _ = exported
    shown = CoacheeSummary(coachee="Ada Lovelace", workspace=str(workspace.root),
                           as_of="2026-06-30").show().data  # fmt: skip
    page = summary_page(workspace, "Ada Lovelace", "2026-06-30")
    assert shown == body_html(page)
    body = shown.partition("</style>")[2].rpartition("</div>")[0]  # the page, no styles
    assert body.strip() and body.strip()[:2000] in page_html(page)


def test_print_rules_name_the_person_and_number_the_pages(exported):
    _, _, html = exported
    assert "@page" in html and "counter(page)" in html and "counter(pages)" in html
    # the person and the date, escaped for CSS: no name can end the string or the rule
    assert "Ada Lovelace \\b7  as of 2026\\2d 06\\2d 30" in html
    assert "break-inside: avoid" in html


def test_css_strings_cannot_escape():
    from coachlib.export.render import css_string

    hostile = 'x"; } body { display: none } </style><script>alert(1)</script>'
    quoted = css_string(hostile)
    assert quoted.startswith('"') and quoted.endswith('"')
    inner = quoted[1:-1]
    for char in '"<>;{}/':
        assert char not in inner


def test_pdf_without_playwright_is_one_line_naming_the_install(exported, monkeypatch, tmp_path):
    import sys

    from coachlib.model.errors import ExportError

    workspace, _, _ = exported
    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)  # as if not installed
    with pytest.raises(ExportError) as caught:
        export_summary(workspace, "Ada Lovelace", as_of=date(2026, 6, 30), pdf=True,
                       output=tmp_path / "s.pdf")  # fmt: skip
    line = caught.value.one_line()
    assert "\n" not in line and "pip install 'coachlib[pdf]'" in line
    assert not (tmp_path / "s.pdf").exists()


def test_pdf_with_a_wrong_browser_setting_is_one_line(exported, monkeypatch, tmp_path):
    pytest.importorskip("playwright.sync_api")
    from coachlib.model.errors import ExportError

    workspace, _, _ = exported
    monkeypatch.setenv("COACHLIB_CHROMIUM", str(tmp_path / "no-such-browser"))
    with pytest.raises(ExportError, match="COACHLIB_CHROMIUM names no file"):
        export_summary(workspace, "Ada Lovelace", as_of=date(2026, 6, 30), pdf=True,
                       output=tmp_path / "s.pdf")  # fmt: skip


def test_one_summary_loads_only_what_one_page_needs(exported, tmp_path):
    """`coach export` of one coachee reads their records as plain rows: pandas (a third of
    a second to import, more than building the page) is never imported on the way, nor
    the PDF printer or the progress bar of `--all`."""
    import subprocess
    import sys

    workspace, _, _ = exported
    script = (
        "import sys\n"
        "from coachlib.cli import main\n"
        f"code = main(['--workspace', {str(workspace.root)!r}, 'export', '--coachee', "
        f"'Priya Natarajan', '-o', {str(tmp_path / 'page.html')!r}])\n"
        "print('LOADED', [m for m in ('pandas', 'playwright', 'tqdm') if m in sys.modules])\n"
        "sys.exit(code)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=300)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "LOADED []" in result.stdout, result.stdout
    assert "tier readiness" in (tmp_path / "page.html").read_text(encoding="utf-8").lower()


def test_compiled_templates_are_kept_privately_and_render_the_same(exported, tmp_path,
                                                                    monkeypatch):  # fmt: skip
    """The templates' compiled code is kept in the user's cache (owner-only), and a page
    rendered from it is the page rendered from the templates."""
    from coachlib.export import render
    from coachlib.views.summary import summary_page

    workspace, _, _ = exported
    page = summary_page(workspace, "Ada Lovelace", date(2026, 6, 30))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    render._environment.cache_clear()
    try:
        fresh = render.page_html(page)
        kept = tmp_path / "cache" / "coachlib" / "templates"
        assert list(kept.glob("*.jinja"))
        assert kept.stat().st_mode & 0o077 == 0
        render._environment.cache_clear()  # a new process: the code comes from the cache
        assert render.page_html(page) == fresh
    finally:
        render._environment.cache_clear()


@pytest.mark.parametrize("damage", ["cut short", "a file where the folder goes"])
def test_a_damaged_template_cache_only_costs_compiling(exported, tmp_path, monkeypatch, damage):
    """Compiled templates that cannot be read back (cut short) or a cache folder that is a
    file: the page is rendered from the templates, the same page, no traceback."""
    from coachlib.export import render
    from coachlib.views.summary import summary_page

    workspace, _, _ = exported
    page = summary_page(workspace, "Ada Lovelace", date(2026, 6, 30))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    kept = tmp_path / "cache" / "coachlib" / "templates"
    render._environment.cache_clear()
    try:
        expected = render.page_html(page)
        if damage == "cut short":
            for path in kept.glob("*.jinja"):
                path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
        else:
            for path in kept.glob("*.jinja"):
                path.unlink()
            kept.rmdir()
            kept.write_text("not a folder")
        render._environment.cache_clear()
        assert render.page_html(page) == expected
    finally:
        render._environment.cache_clear()
