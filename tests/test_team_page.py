"""The team overview as a sponsor reads it: each person only on the frameworks they are
reviewed on, what moved in the period with the rest one click away, heat maps that fit
the page, whole-number counts, every month shown, the job-role reading first, no
notebook words, and a page of chosen coachees that never replaces the team's."""

from __future__ import annotations

import io
import re

import pytest

from coachlib.cli import main
from coachlib.export.render import page_html
from coachlib.views import plots
from coachlib.views.page import Chart, Folded, Markup, Note, Section, Table
from coachlib.views.team_page import team_page
from tests.golden.cases import GOLDEN_DAY

SKILLS = "core-engineer-progression"
ENSEMBLE = "samman-ensemble"


@pytest.fixture(scope="module")
def page(demo_journal_master):
    return team_page(demo_journal_master, as_of=GOLDEN_DAY)


def sections(page, title):
    return next(s for s in page.sections if s.title == title)


def walk(blocks):
    for block in blocks:
        yield block
        if isinstance(block, Section | Folded):
            yield from walk(block.blocks)


def test_the_job_role_reading_comes_first(page):
    assert page.sections[0].title == "Job role"


def test_nobody_appears_on_a_framework_they_are_not_reviewed_on(page, demo_journal_master):
    html = page_html(page)
    assert "never reviewed" not in html
    levels = sections(page, "Levels at a glance")
    ensemble = next(s for s in levels.blocks if isinstance(s, Section) and "Ensemble" in s.title)
    [chart] = [b for b in ensemble.blocks if isinstance(b, Chart)]
    coach_table = chart.details[0]
    people = {row[0] for row in coach_table.rows}
    assert people and not people & {"Priya Natarajan", "Sam Okafor"}  # a skills framework's
    skills = next(s for s in levels.blocks if isinstance(s, Section) and "Core Engineer" in s.title)
    [chart] = [b for b in skills.blocks if isinstance(b, Chart)]
    assert {row[0] for row in chart.details[0].rows} <= {"Priya Natarajan", "Sam Okafor"}
    for chart in page.charts():  # no empty row or column in a heat map (coach and self)
        if not chart.details:
            continue
        coach, self_ = chart.details
        for mine, theirs in zip(coach.rows, self_.rows, strict=True):
            assert {*mine[1:], *theirs[1:]} != {"–"}, mine[0]
        for column in range(1, len(coach.header)):
            assert {row[column] for row in (*coach.rows, *self_.rows)} != {"–"}


def test_heat_maps_fit_the_page_width(page):
    from PIL import Image

    for chart in page.charts():
        width, _height = Image.open(io.BytesIO(chart.png)).size
        assert width <= plots.MAX_WIDTH * plots.DPI + 1, chart.alt


def test_a_full_heat_map_of_30_people_and_28_skills_fits_too():
    import numpy as np
    import pandas as pd
    from PIL import Image

    from coachlib.store.frameworks import registry_for

    framework = registry_for(None).get(SKILLS)
    names = [s.name for s in framework.skills][:28]
    rng = np.random.default_rng(1)
    people = [f"Person {n}" for n in range(30)]
    panels = {role: pd.DataFrame(rng.integers(0, 6, (30, 28)).astype(float), index=people,
                                 columns=names) for role in ("Coach", "Self")}  # fmt: skip
    png = plots.to_png(plots.heatmap(framework, panels, title="All"))
    assert Image.open(io.BytesIO(png)).size[0] <= plots.MAX_WIDTH * plots.DPI + 1


@pytest.mark.parametrize("opaque", [True, False])
def test_a_chart_png_has_every_pixel_matplotlib_draws(opaque):
    """``to_png`` writes an opaque figure as RGB (no alpha channel to compress): the same
    size, resolution and pixels as matplotlib's own PNG; a see-through one keeps its
    alpha, as matplotlib writes it."""
    from matplotlib.figure import Figure
    from PIL import Image, ImageChops

    def figure():
        drawn = Figure(figsize=(3, 2), dpi=plots.DPI)
        if not opaque:
            drawn.patch.set_alpha(0)
        axes = drawn.add_subplot()
        axes.imshow([[0, 1], [2, 3]], cmap="cividis")
        axes.set_title("Levels · 5 Evangelise")
        return drawn

    ours = Image.open(io.BytesIO(plots.to_png(figure())))
    buffer = io.BytesIO()
    figure().savefig(buffer, format="png", dpi=plots.DPI)
    theirs = Image.open(buffer)
    assert ours.mode == ("RGB" if opaque else "RGBA") and theirs.mode == "RGBA"
    assert ours.size == theirs.size == (300, 200)
    assert ours.info["dpi"] == theirs.info["dpi"]
    assert ImageChops.difference(ours.convert("RGBA"), theirs).getbbox() is None


def test_a_table_row_is_written_as_the_page_always_wrote_it():
    """A row's cells come from one filter call a row, not a template loop a cell: the
    markup is the same, every text escaped, line breaks kept, the no-wrap columns marked
    (the row's header escaped by Jinja, the cells as ``lines`` escapes them)."""
    from coachlib.export.render import _environment

    table = Table(
        "Cap",
        ("Who", "Note", "Day", "Plain"),
        (("O'Brien & co", 'said "hi"\nthen <left>', "2026-06-30", "it's"), ("Bo", "", "–", "5")),
        nowrap=(0, 2),
    )
    written = str(_environment().get_template("blocks.html.j2").module.table(table))
    assert (
        '<tr><th scope="row" class="coach-nowrap">O&#39;Brien &amp; co</th>'
        "<td>said &quot;hi&quot;<br>\nthen &lt;left&gt;</td>"
        '<td class="coach-nowrap">2026-06-30</td><td>it&#x27;s</td></tr>\n'
        '<tr><th scope="row" class="coach-nowrap">Bo</th><td></td>'
        '<td class="coach-nowrap">–</td><td>5</td></tr>'
    ) in written


def test_who_moved_says_what_moved_in_the_period_and_folds_the_rest(page):
    moved = sections(page, "Who moved")
    skills = next(s for s in moved.blocks if isinstance(s, Section) and "Core Engineer" in s.title)
    [line_table] = [b for b in skills.blocks if isinstance(b, Table)]
    assert line_table.header[:3] == ("Coachee", "Up", "Down")
    assert len(line_table.rows) <= 2  # a line per coachee, not a row per skill
    [folded] = [b for b in skills.blocks if isinstance(b, Folded)]
    [every] = [b for b in folded.blocks if isinstance(b, Table)]
    assert len(every.rows) > len(line_table.rows)
    for line in line_table.rows:  # the reviews compared, as each movement's row gives them
        reviews = {row[5] for row in every.rows if row[0] == line[0]}
        assert line[4] and set(line[4].split("; ")) <= reviews
    html = page_html(page)
    assert '<details class="coach-more"><summary>Every movement' in html
    assert 'class="coach-nowrap">' in html  # the dates


def test_who_moved_in_a_big_team_lists_the_first_by_name_and_counts_everyone(workspace):
    """55 coachees moved: 50 lines, the first by name (case aside), each made from every
    movement of its coachee; the caption counts all 55, a note the 5 more."""
    from datetime import UTC, datetime

    from coachlib.model.review import Assessment, new_review
    from coachlib.store.frameworks import registry_for
    from coachlib.store.journal import save_review
    from coachlib.views import history, team
    from coachlib.views.team_page import TABLE_ROWS

    registry = registry_for(None)
    framework = registry.get(SKILLS)
    people = [f"{'aBcD'[n % 4]}erson {n:02d}" for n in range(55)]  # mixed case
    for number, person in enumerate(people):
        for month, levels in ((3, (1, 4, 2)), (6, (2 + number % 3, 4 - number % 2, 2))):
            ratings = dict(zip(("testing", "unix", "security"), levels, strict=True))
            save_review(workspace, new_review(
                coachee=person, framework=framework.id, author="Coach", role="coach",
                when=datetime(2026, month, 1 + number % 20, 10, tzinfo=UTC),
                assessments=[Assessment(skill, level) for skill, level in ratings.items()],
            ), registry)  # fmt: skip
    page = team_page(workspace.root, as_of="2026-06-30")
    moved = sections(page, "Who moved")
    [skills] = [s for s in moved.blocks if isinstance(s, Section)]
    [lines] = [b for b in skills.blocks if isinstance(b, Table)]
    assert lines.caption.endswith("(55 coachee(s))")
    first = sorted(people, key=str.casefold)[:TABLE_ROWS]
    assert [line[0] for line in lines.rows] == first
    assert any(
        isinstance(b, Note) and b.text.startswith("… and 5 more coachees") for b in skills.blocks
    )
    every = team.movers(history.load_levels(workspace).frame, framework, as_of=GOLDEN_DAY)
    for person, up, down, largest, _reviews in lines.rows:
        mine = every[every["coachee"] == person]
        assert (int(up), int(down)) == ((mine["change"] > 0).sum(), (mine["change"] < 0).sum())
        assert largest.startswith(f"{mine.iloc[0]['skill_name']} ")


def test_counts_are_whole_numbers_and_every_month_shows(page):
    sessions = sections(page, "Sessions logged")
    [months] = [b for b in sessions.blocks if isinstance(b, Table) and "per month" in b.caption]
    header = months.header[1:]
    assert len(header) == 12 and header[-1] == f"Jun {GOLDEN_DAY.year}" == "Jun 2026"
    assert all(re.fullmatch(r"\d+", cell) for row in months.rows for cell in row[1:])
    assert any(cell == "0" for row in months.rows for cell in row[1:])  # a month without sessions
    people = {row[0] for row in months.rows}
    assert "Priya Natarajan" not in people  # in no session: said in a line, not a row of zeros
    assert any(isinstance(b, Note) and "Priya Natarajan" in b.text for b in sessions.blocks)


def test_the_distribution_axis_counts_in_whole_numbers():
    from coachlib.store.frameworks import registry_for

    framework = registry_for(None).get(ENSEMBLE)
    import pandas as pd

    counts = pd.DataFrame({"coach": [0, 1, 2, 0, 0, 0], "self": [0, 0, 1, 2, 0, 0]},
                          index=range(6))  # fmt: skip
    figure = plots.distribution_chart(framework, counts, title="t")
    ticks = figure.axes[0].get_yticks()
    assert all(float(t).is_integer() for t in ticks)


def test_no_notebook_words_or_markdown_on_the_page(page):
    text = " ".join(
        b.text if isinstance(b, Note) else getattr(b, "caption", "") for b in walk(page.sections)
    )
    text += " ".join(n.text for n in page.notes)
    assert "`" not in text and "include_reflections" not in text and "coachees =" not in text
    assert "Run All" not in page_html(page)


def test_a_choice_of_coachees_gets_a_file_of_its_own(demo_workspace, capsys):
    root = str(demo_workspace.root)
    assert main(["team", "--workspace", root, "--as-of", "2026-06-30"]) == 0
    team_file = demo_workspace.reports_dir / "team-2026-06-30.html"
    whole = team_file.read_bytes()
    assert main(["team", "--workspace", root, "--as-of", "2026-06-30", "--coachee",
                 "Ada Lovelace", "--coachee", "Mei Chen"]) == 0  # fmt: skip
    assert team_file.read_bytes() == whole
    chosen = demo_workspace.reports_dir / "team-selection-ada-lovelace-mei-chen-2026-06-30.html"
    assert chosen.is_file() and "Sam Okafor" not in chosen.read_text()
    many = ["Ada Lovelace", "Mei Chen", "Sam Okafor", "Priya Natarajan"]
    assert main(["team", "--workspace", root, "--as-of", "2026-06-30",
                 *(arg for name in many for arg in ("--coachee", name))]) == 0  # fmt: skip
    assert len(list(demo_workspace.reports_dir.glob("team-selection-of-4-*-2026-06-30.html"))) == 1
    assert team_file.read_bytes() == whole


def test_a_big_team_reads_job_roles_as_counts_with_every_person_one_click_away(tmp_path):
    from benchmarks.make_workspace import make
    from coachlib.views.team_page import JOB_ROLE_ROWS

    make(tmp_path / "ws", coachees=30, months=3)
    page = team_page(tmp_path / "ws", as_of="2026-06-30")
    roles = sections(page, "Job role")
    [counts] = [b for b in roles.blocks if isinstance(b, Table)]
    people = sum(int(row[1]) for row in counts.rows)
    assert people > JOB_ROLE_ROWS and len(counts.rows) < people
    [folded] = [b for b in roles.blocks if isinstance(b, Folded)]
    assert folded.summary.endswith(f"({people})")
    credits = [b for b in roles.blocks if isinstance(b, Markup)]  # outside the fold
    assert any("Samman Technical Coaching Society" in b.html for b in credits)
