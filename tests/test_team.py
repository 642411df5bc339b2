"""Team views over hand-made journals whose answers are known: movers, gaps, overdue,
job roles, distribution, the level matrix; and the CSV export."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pandas as pd
import pytest

from coachlib.export.journal_csv import defuse_formula, history_csv
from coachlib.model.review import Assessment, new_review
from coachlib.store.journal import save_review
from coachlib.views import history, team

EN = "samman-ensemble"
CEP = "core-engineer-progression"
AS_OF = date(2026, 6, 30)


def add(ws, registry, coachee, role, day, ratings, framework=EN, **texts):
    skill_ratings = {"ensemble-facilitation": ratings} if isinstance(ratings, int) else ratings
    save_review(
        ws,
        new_review(
            coachee=coachee, framework=framework, role=role,
            author="Coach" if role == "coach" else coachee,
            when=datetime(2026, *day, 10, tzinfo=UTC),
            assessments=[Assessment(s, lv, **texts) for s, lv in skill_ratings.items()],
        ),
        registry,
    )  # fmt: skip


@pytest.fixture
def journal(workspace, registry):
    add(workspace, registry, "Ana", "coach", (1, 5), 1)
    add(workspace, registry, "Ana", "coach", (4, 5), 3)  # up by 2
    add(workspace, registry, "Ana", "self", (4, 3), 4)  # gap +1
    add(workspace, registry, "Ben", "coach", (2, 1), 4)
    add(workspace, registry, "Ben", "coach", (3, 1), 3)  # down by 1
    add(workspace, registry, "Ben", "self", (3, 2), 1)  # gap -2
    add(workspace, registry, "Cai", "coach", (6, 20), 5)  # only one review: no movement
    add(workspace, registry, "Cai", "self", (6, 21), 5)  # agree
    add(workspace, registry, "Dee", "coach", (6, 1), {"testing": 2, "unix": 3}, framework=CEP)
    timeline = history.load_history(workspace, registry=registry).frame
    return timeline, registry.get(EN), ["Ana", "Ben", "Cai", "Dee"]


def test_movers(journal):
    timeline, framework, _ = journal
    moved = team.movers(timeline, framework, as_of=AS_OF)
    got = [(r.coachee, r.previous, r.latest, r.change) for r in moved.itertuples()]
    assert got == [("Ana", 1, 3, 2), ("Ben", 4, 3, -1)]
    earlier = team.movers(timeline, framework, as_of=date(2026, 2, 15))
    assert earlier.empty  # Ben's second review and Ana's were later


def test_gaps_with_advice(journal):
    timeline, framework, _ = journal
    latest = team.latest_ratings(timeline, framework, as_of=AS_OF)
    found = team.gaps(latest, framework)
    got = [(r.coachee, r.coach, r.self, r.difference, r.advice) for r in found.itertuples()]
    assert got == [("Ben", 3, 1, -2, "discuss at length"), ("Ana", 3, 4, 1, "talk briefly")]


def test_overdue_and_never_reviewed(journal):
    timeline, framework, coachees = journal
    found = team.overdue(timeline, framework, coachees, as_of=AS_OF, cadence_days=90)
    got = {r.coachee: (r.status, r.days_since) for r in found.itertuples()}
    assert got == {"Ben": ("overdue", 120), "Dee": ("never reviewed", pd.NA)}  # since 2 March
    strict = team.overdue(timeline, framework, coachees, as_of=AS_OF, cadence_days=50)
    assert set(strict["coachee"]) == {"Ana", "Ben", "Dee"}  # Ana's last: 2026-04-05, 86 days


def test_distribution_counts_each_role(journal):
    timeline, framework, _ = journal
    latest = team.latest_ratings(timeline, framework, as_of=AS_OF)
    counts = team.distribution(latest, framework)
    assert list(counts["coach"]) == [0, 0, 0, 2, 0, 1]
    assert list(counts["self"]) == [0, 1, 0, 0, 1, 1]


def test_level_matrix(journal, registry):
    timeline, framework, coachees = journal
    latest = team.latest_ratings(timeline, framework, as_of=AS_OF)
    coach = team.level_matrix(latest, framework, coachees, role="coach")
    assert coach.shape == (4, 1)
    assert list(coach.iloc[:, 0].fillna(-1)) == [3, 3, 5, -1]
    cep = registry.get(CEP)
    matrix = team.level_matrix(team.latest_ratings(timeline, cep), cep, coachees, role="coach")
    assert matrix.shape == (4, 28)
    assert matrix.loc["Dee", "Testing"] == 2 and matrix.loc["Dee", "Unix"] == 3


def test_level_matrix_of_some_coachees_only(journal, registry):
    """Only the coachees asked for, in their order; one without ratings is a row of gaps."""
    timeline, _, coachees = journal
    cep = registry.get(CEP)
    latest = team.latest_ratings(timeline, cep)
    every = team.level_matrix(latest, cep, coachees, role="coach")
    some = team.level_matrix(latest, cep, ["Dee", "Ana"], role="coach")
    assert list(some.index) == ["Dee", "Ana"]
    pd.testing.assert_frame_equal(some.loc[["Dee"]], every.loc[["Dee"]])
    assert some.loc["Ana"].isna().all()


def test_coachees_on_each_framework(journal):
    timeline, _, _ = journal
    assert team.coachees_on(timeline) == {EN: {"Ana", "Ben", "Cai"}, CEP: {"Dee"}}
    assert team.coachees_on(timeline.iloc[:0]) == {}


def test_team_views_read_the_level_index_as_they_read_the_files(demo_journal_master, registry):
    """The views group and match rows on numbers (a categorical's codes, or any other
    column factorized): the level index's frame (categoricals) and the files' (text)
    give the same answers, on every framework, day and role."""
    from coachlib.store.workspace import Workspace

    workspace = Workspace.open(demo_journal_master)
    indexed = history.load_levels(workspace, registry=registry).frame
    read = history.load_history(workspace, registry=registry).frame
    assert isinstance(indexed["coachee"].dtype, pd.CategoricalDtype)
    assert not isinstance(read["coachee"].dtype, pd.CategoricalDtype)
    people = sorted(set(read["coachee"]))

    def same(ours, theirs):
        pd.testing.assert_frame_equal(
            ours.reset_index(drop=True),
            theirs.reset_index(drop=True),
            check_dtype=False,
            check_categorical=False,
            check_index_type=False,
            check_column_type=False,
        )

    assert team.coachees_on(indexed) == team.coachees_on(read)
    answered = 0
    for framework in registry:
        if framework.id not in set(read["framework"]):
            continue
        for day in (date(2025, 12, 31), AS_OF):
            latest = team.latest_ratings(indexed, framework, as_of=day)
            same(
                latest.astype(object),
                team.latest_ratings(read, framework, as_of=day).astype(object),
            )
            same(
                team.gaps(latest, framework),
                team.gaps(team.latest_ratings(read, framework, as_of=day), framework),
            )
            for role in ("coach", "self"):
                same(team.movers(indexed, framework, as_of=day, role=role),
                     team.movers(read, framework, as_of=day, role=role))  # fmt: skip
            if not latest.empty:  # (a framework nobody was reviewed on by then: no rows)
                same(team.overdue(indexed, framework, people, as_of=day, cadence_days=60),
                     team.overdue(read, framework, people, as_of=day, cadence_days=60))  # fmt: skip
            answered += len(latest)
    assert answered > 100


def test_heatmap_writes_every_cell_value_in_its_cell(journal, registry):
    from matplotlib.colors import to_hex

    from coachlib.views import plots

    timeline, framework, coachees = journal
    latest = team.latest_ratings(timeline, framework, as_of=AS_OF)
    panels = {role.title(): team.level_matrix(latest, framework, coachees, role=role)
              for role in ("coach", "self")}  # fmt: skip
    figure = plots.heatmap(framework, panels, title="Levels")
    for axes, matrix in zip(figure.axes, panels.values(), strict=False):
        written = {}
        for labels in axes.collections:
            if not (labels.get_gid() or "").startswith("cell-label:"):
                continue  # the row and column names
            text = (labels.get_gid() or "").removeprefix("cell-label:")
            colour = to_hex(labels.get_facecolor()[0])
            for column, row in labels.get_offsets():
                written[(int(row), int(column))] = (text, colour)
        expected = {}
        for (row, column), value in (
            pd.DataFrame(matrix.to_numpy()).stack(future_stack=True).items()
        ):
            if pd.isna(value):
                expected[(row, column)] = ("–", "#777777")
            else:
                dark = (
                    value < framework.min_level + (framework.max_level - framework.min_level) * 0.55
                )
                expected[(row, column)] = (f"{value:.0f}", "#ffffff" if dark else "#000000")
        assert written == expected
    plots.to_png(figure)  # and it draws


def test_heatmap_draws_the_dash_of_every_unrated_cell(registry):
    """Nothing depends on colour alone: every cell nobody rated shows its grey dash in
    the drawn picture (a dash is under a pixel high; snapped to whole pixels, some
    vanished), and every rated cell its number."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from coachlib.views import plots

    framework = registry.get(CEP)
    skills = [skill.name for skill in framework.skills][:12]
    rng = np.random.default_rng(3)
    panels = {}
    for role in ("Coach", "Self"):
        values = rng.integers(framework.min_level, framework.max_level + 1, (7, 12)).astype(float)
        values[rng.random(values.shape) < 0.3] = np.nan
        panels[role] = pd.DataFrame(values, index=[f"P{n}" for n in range(7)], columns=skills)
    figure = plots.heatmap(framework, panels, title="Levels")
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    pixels = np.asarray(canvas.buffer_rgba())[:, :, :3].astype(int)
    height = pixels.shape[0]
    unrated = 0
    for axes, matrix in zip(figure.axes, panels.values(), strict=False):
        turned = matrix.T  # more skills than people: a row per skill
        for (row, column), value in np.ndenumerate(turned.to_numpy()):
            x, y = axes.transData.transform((column, row))
            box = pixels[round(height - y) - 4 : round(height - y) + 5, round(x) - 6 : round(x) + 7]
            ink = (box.max(axis=2) - box.min(axis=2) < 8) & (box.max(axis=2) < 0xC0)
            if np.isnan(value):
                unrated += 1
                assert ink.any(), f"no dash in the unrated cell {turned.index[row]}, {column}"
    assert unrated > 20


def test_heatmap_names_every_row_and_column_beside_its_cells(journal, registry):
    """The names are glyph outlines in one collection per panel side (not a text artist
    each): every name is there, at its row or column, outside the cells and unclipped."""
    from coachlib.views import plots

    timeline, framework, coachees = journal
    latest = team.latest_ratings(timeline, framework, as_of=AS_OF)
    panels = {role.title(): team.level_matrix(latest, framework, coachees, role=role)
              for role in ("coach", "self")}  # fmt: skip
    figure = plots.heatmap(framework, panels, title="Levels")
    rows, cols = panels["Coach"].shape
    assert (rows, cols) == (len(coachees), len(framework.skills)) == (4, 1)  # a column each
    named = {}
    for axes in figure.axes:
        for found in axes.collections:
            if found.get_gid() in ("row-names", "column-names"):
                assert not found.get_clip_on()
                named.setdefault(found.get_gid(), []).append(
                    (len(found.get_paths()), [tuple(o) for o in found.get_offsets()])
                )
    # a row per coachee, named once left of the first panel; the skill under each panel
    [(count, anchors)] = named["row-names"]
    assert count == rows and [round(y) for _x, y in anchors] == list(range(rows))
    assert all(x < -0.5 for x, _y in anchors)
    assert [count for count, _ in named["column-names"]] == [cols, cols]
    for _count, anchors in named["column-names"]:
        assert [round(x) for x, _y in anchors] == list(range(cols))
        assert all(y > rows - 0.5 for _x, y in anchors)


def heat_maps(registry, count, seed):
    """``count`` heat maps of 1 to 30 people and 1 to 28 skills, names short and long."""
    import numpy as np

    from coachlib.views import plots

    rng = np.random.default_rng(seed)
    frameworks = [registry.get(CEP), registry.get(EN)]
    for case in range(count):
        framework = frameworks[case % 2]
        rows, cols = int(rng.integers(1, 31)), int(rng.integers(1, 29))
        people = ["P" * int(rng.integers(1, 40)) + str(n) for n in range(rows)]
        skills = ["s" * int(rng.integers(1, 50)) + str(n) for n in range(cols)]
        levels = rng.integers(framework.min_level, framework.max_level + 1, (rows, cols))
        values = levels.astype(float)
        values[rng.random((rows, cols)) < 0.2] = np.nan
        panels = {"Coach": pd.DataFrame(values, index=people, columns=skills),
                  "Self": pd.DataFrame(values[::-1], index=people, columns=skills)}  # fmt: skip
        yield plots.heatmap(framework, panels, title="t")


def test_heatmap_cells_are_the_pixels_imshow_draws(registry, monkeypatch):
    """The heat map's cells are coloured by coachlib and drawn as a colour image
    (``plots._cells``), not resampled by matplotlib level by level and coloured pixel by
    pixel: every pixel must be the one ``imshow`` of the levels draws, cell borders and
    unrated cells included, over many layouts (a heat map is laid out in inches, so cell
    borders often fall half way across a pixel)."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from coachlib.views import plots

    def imshow(axes, values, colours):
        axes.imshow(
            np.ma.masked_invalid(values),
            cmap=colours.get_cmap(),
            norm=colours.norm,
            aspect="auto",
        )

    drawn: list[list] = [[], []]
    for index, cells in enumerate((plots._cells, imshow)):
        monkeypatch.setattr(plots, "_cells", cells)
        for figure in heat_maps(registry, 12, seed=5):
            canvas = FigureCanvasAgg(figure)
            canvas.draw()
            drawn[index].append(np.asarray(canvas.buffer_rgba()).copy())
    assert all(np.array_equal(ours, theirs) for ours, theirs in zip(*drawn, strict=True))


def test_catalogue_matrix_uses_skill_set_means_without_waived(workspace, registry):
    fw = registry.get("opensesame-career-skills")
    ratings = {"spoken-and-written-english": 3, "work-ethic": 1}
    add(workspace, registry, "Eve", "coach", (5, 1), ratings, framework=fw.id)
    save_review(workspace, new_review(
        coachee="Eve", framework=fw.id, author="Coach", role="coach",
        when=datetime(2026, 5, 2, tzinfo=UTC),
        assessments=[Assessment("intrinsic-motivation", None, mark="waived")],
    ), registry)  # fmt: skip
    timeline = history.load_history(workspace, registry=registry).frame
    matrix = team.level_matrix(team.latest_ratings(timeline, fw), fw, ["Eve"], role="coach")
    assert matrix.shape == (1, 29)
    assert matrix.loc["Eve", "Baseline Expectations (All)"] == 2.0


def test_csv_is_readable_by_pandas_and_keeps_multiline_text(workspace, registry):
    evidence = 'Line one, with "quotes"\nline two; ünïcödé'
    add(
        workspace,
        registry,
        "Zoë",
        "coach",
        (5, 1),
        2,
        evidence=evidence,
        reflection='=HYPERLINK("x")',
    )
    text = history_csv(workspace)
    frame = pd.read_csv(io.StringIO(text))
    assert list(frame.columns[:6]) == ["coachee", "framework", "skill", "skill_name", "level",
                                       "level_name"]  # fmt: skip
    row = frame.iloc[0]
    assert row["coachee"] == "Zoë"
    assert row["evidence"] == 'Line one, with "quotes"\nline two; ünïcödé'
    assert row["reflection"] == '\'=HYPERLINK("x")'  # a spreadsheet shows it, never runs it
    assert (row["level"], row["level_name"], row["role"], row["date"]) == (
        2, "Milestone 2", "coach", "2026-05-01",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("text", "safe"),
    [("=1+1", "'=1+1"), ("+x", "'+x"), ("@SUM", "'@SUM"), ("-3", "'-3"),
     ("- a list item", "- a list item"), ("plain", "plain"), ("", "")],
)  # fmt: skip
def test_defuse_formula(text, safe):
    assert defuse_formula(text) == safe
