"""The exported HTML summary, opened from disk in Chromium: offline, quiet, charts that
show and say what they show, accessible (axe-core), and printable without cut charts."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from tests.browser_support import AXE, missing
from tests.golden.cases import GOLDEN_DAY, GOLDEN_SEED

COACHEES = ["Ada Lovelace", "Sam Okafor"]  # a milestone coachee and a skills coachee


@pytest.fixture(scope="module")
def summaries(tmp_path_factory, browser) -> dict[str, Path]:
    from coachlib.demo.workspace import build_demo_journal
    from coachlib.export.pool import export_all
    from coachlib.export.summaries import export_block, export_team

    root = tmp_path_factory.mktemp("summaries") / "ws"
    result = build_demo_journal(root, today=GOLDEN_DAY, seed=GOLDEN_SEED)
    exported = export_all(result.workspace, as_of=GOLDEN_DAY)
    assert not exported.failed
    pages = {path.stem.rsplit("-", 3)[0]: path for path in exported.written}
    pages["team"] = export_team(result.workspace, as_of=GOLDEN_DAY)
    pages["block"] = export_block(result.workspace, team="Payments", date_from="2026-03-01",
                                  date_to=GOLDEN_DAY)  # fmt: skip
    return pages


@pytest.fixture(params=["ada-lovelace", "sam-okafor", "team", "block"])
def summary(request, summaries) -> Path:
    return summaries[request.param]


def open_offline(browser, path: Path, **context_options):
    """Open a summary from disk, recording every request and every console error."""
    context = browser.new_context(viewport={"width": 1200, "height": 900}, **context_options)
    page = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return context, page, requests, errors


def test_nothing_leaves_the_file_and_no_console_errors(browser, summary):
    context, page, requests, errors = open_offline(browser, summary)
    try:
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_timeout(300)
        outside = [u for u in requests if not (u.startswith("data:") or u == summary.as_uri())]
        assert outside == []
        assert errors == []
        assert page.locator("img").count() >= 1
    finally:
        context.close()


def test_charts_show_and_have_text_alternatives(browser, summary):
    from PIL import Image, ImageStat

    context, page, _requests, _errors = open_offline(browser, summary)
    try:
        images = page.locator("figure.coach-figure img")
        assert images.count() >= 1
        visible_text = " ".join(page.inner_text("main").split())
        for index in range(images.count()):
            image = images.nth(index)
            image.scroll_into_view_if_needed()
            assert image.evaluate("img => img.complete && img.naturalWidth > 0")
            shot = Image.open(io.BytesIO(image.screenshot())).convert("L")
            spread = ImageStat.Stat(shot).stddev[0]
            colours = len(shot.getcolors(maxcolors=65536) or [])
            assert spread > 10 and colours > 20, f"chart {index} looks blank"
            alt = image.get_attribute("alt")
            assert alt and len(alt) > 40
            # The same text is on the page too, as a caption everyone can read.
            assert " ".join(alt.split())[:80] in visible_text, alt[:80]
    finally:
        context.close()


def test_axe_finds_no_serious_or_critical_violations(browser, summary):
    if not AXE.is_file():
        missing(f"axe-core is not installed ({AXE}); run `npm install` in the repository")
    # The page forbids scripts (its Content-Security-Policy); the audit's own script may run.
    context, page, _requests, _errors = open_offline(browser, summary, bypass_csp=True)
    try:
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        violations = result["violations"]
        serious = [v for v in violations if v["impact"] in ("serious", "critical")]
        for violation in violations:
            nodes = len(violation["nodes"])
            print(f"axe {violation['impact']}: {violation['id']} ({nodes} node(s)): "
                  f"{violation['help']}")  # fmt: skip
        assert serious == [], [(v["id"], v["nodes"][0]["target"]) for v in serious]
    finally:
        context.close()


def print_to_pdf(browser, page_file: Path, pdf: Path) -> tuple[int, int, int]:
    """Print a page with Chromium: (charts on the page, image placements in the PDF, pages).

    A chart cut by a page break is drawn on two pages, so one placement per chart means
    every chart is whole on one page.
    """
    from pypdf import PdfReader

    context, page, _requests, _errors = open_offline(browser, page_file)
    try:
        charts = page.locator("figure.coach-figure img").count()
        page.pdf(path=str(pdf), format="A4", print_background=True)
    finally:
        context.close()
    reader = PdfReader(pdf)
    return charts, sum(len(pdf_page.images) for pdf_page in reader.pages), len(reader.pages)


def test_prints_without_cutting_a_chart_over_a_page_break(browser, summary, tmp_path):
    assert "@media print" in summary.read_text(encoding="utf-8")
    charts, placements, pages = print_to_pdf(browser, summary, tmp_path / "summary.pdf")
    assert placements == charts, f"{placements} image placements for {charts} charts"
    assert pages >= 2


def test_a_cut_chart_would_be_detected(browser, summaries, tmp_path):
    """The print check above can fail. Chromium moves a chart that does not fit at a
    page's foot to the next page whole (an image is never split while it fits on a page);
    what it cuts is a chart taller than the page, which the print rules' max-height
    prevents. Without them, a tall chart is drawn on two pages, and the count sees it."""
    html = summaries["ada-lovelace"].read_text(encoding="utf-8")
    assert "max-height: 120mm" in html and "break-inside: avoid" in html
    html = html.replace("break-inside: avoid", "break-inside: auto")
    html = html.replace("max-height: 120mm", "max-height: none; height: 330mm")
    html = html.replace("max-height: 240mm", "max-height: none; height: 330mm")
    broken = tmp_path / "no-print-rules.html"
    broken.write_text(html, encoding="utf-8")
    charts, placements, _pages = print_to_pdf(browser, broken, tmp_path / "broken.pdf")
    assert placements > charts


def test_dates_in_the_summaries(summaries):
    assert summaries["ada-lovelace"].name == f"ada-lovelace-{date(2026, 6, 30).isoformat()}.html"


# --- `coach export --pdf`: Chromium prints the page ------------------------------------------


@pytest.fixture(scope="module")
def demo_for_pdf(tmp_path_factory, browser):
    """The demo journal, and its richest coachee of each kind (most records)."""
    from coachlib.demo.workspace import build_demo_journal
    from coachlib.store.frameworks import registry_for
    from coachlib.store.journal import load_journal

    root = tmp_path_factory.mktemp("pdf") / "ws"
    workspace = build_demo_journal(root, today=GOLDEN_DAY, seed=GOLDEN_SEED).workspace
    registry = registry_for(root)
    counts: dict[tuple[str, bool], int] = {}
    for review in load_journal(workspace, registry=registry).reviews:
        track = registry.get(review.framework).is_milestone_track
        key = (review.coachee, track)
        counts[key] = counts.get(key, 0) + len(review.assessments)
    by_kind = {}
    for kind in ("milestones", "skills"):
        mine = [(n, who) for (who, track), n in counts.items() if track == (kind == "milestones")]
        by_kind[kind] = [who for _n, who in sorted(mine, reverse=True)]  # the richest first
    return workspace, by_kind


def export_pdf(workspace, coachee, tmp_path, monkeypatch, paper="a4"):
    from pypdf import PdfReader

    from coachlib.export.summaries import export_summary
    from tests.browser_support import CHROMIUM

    monkeypatch.setenv("COACHLIB_CHROMIUM", str(CHROMIUM))
    path = export_summary(workspace, coachee, as_of=GOLDEN_DAY, output=tmp_path / "s.pdf",
                          pdf=True, paper=paper)  # fmt: skip
    return PdfReader(path)


@pytest.mark.parametrize(("kind", "most"), [("milestones", 2), ("skills", 3)])
def test_the_richest_summaries_fit_on_few_a4_pages(demo_for_pdf, tmp_path, monkeypatch, kind,
                                                  most):  # fmt: skip
    """The demo's richest Samman coachee's summary fits on 2 A4 pages, the richest skills
    coachee's on 3 (and so does every other coachee of the demo); every page carries the
    person, the date and its number."""
    workspace, by_kind = demo_for_pdf
    for coachee in by_kind[kind]:
        reader = export_pdf(workspace, coachee, tmp_path, monkeypatch)
        pages = len(reader.pages)
        assert 1 <= pages <= most, f"{coachee}: {pages} pages"
        box = reader.pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == (596, 843)  # A4, points
        for number, pdf_page in enumerate(reader.pages, start=1):
            text = " ".join(pdf_page.extract_text().split())
            assert f"{coachee} · as of {GOLDEN_DAY.isoformat()}" in text
            assert f"page {number} of {pages}" in text


def test_letter_paper(demo_for_pdf, tmp_path, monkeypatch):
    workspace, by_kind = demo_for_pdf
    reader = export_pdf(workspace, by_kind["milestones"][0], tmp_path, monkeypatch, paper="letter")
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
