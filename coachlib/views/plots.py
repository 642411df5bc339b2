"""matplotlib figures. Each function takes data and returns a Figure; nothing reads files.

Figures are built with the object-oriented API (``matplotlib.figure.Figure``), not pyplot,
so no global state leaks between notebook cells; matplotlib itself is imported by the first
chart drawn, so a review form shows before the plotting library has loaded.
Series are told apart by colour (Okabe-Ito, safe for colour-blind readers) *and* by line
style and marker, so a greyscale print or a reader who cannot tell the colours apart loses
nothing. :func:`describe_progress` gives the text alternative that goes with each chart.
"""

from __future__ import annotations

import functools
import io
import textwrap
from collections.abc import Mapping, Sequence
from datetime import UTC, date, timedelta
from typing import TYPE_CHECKING, Any, cast

from ..model.frameworks import Framework
from ..model.rules import REVIEWER_ROLES
from .standing import Point
from .values import missing

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure
    from matplotlib.projections.polar import PolarAxes
    from matplotlib.ticker import MaxNLocator

    from .ratings import TierReadiness

# Line styles per reviewer role (keyword arguments of matplotlib's plot).
ROLE_STYLE: dict[str, dict[str, Any]] = {
    "coach": {"color": "#0072B2", "linestyle": "-", "marker": "o", "label": "Coach"},
    "self": {"color": "#D55E00", "linestyle": "--", "marker": "s", "label": "Self"},
}
DPI = 100
MAX_WIDTH = 10.0  # inches: the page's text is 66rem wide on screen, and A4 prints it whole


def plain(text: object) -> str:
    """Text as matplotlib must show it: a '$' in a name or a skill is a dollar sign, never
    the start of mathtext (which would fail to parse, or typeset what was typed)."""
    return str(text).replace("$", r"\$")


def level_tick_label(framework: Framework, level: int, width: int = 34) -> str:
    """'3 · For a team new to ensemble, …' shortened to fit beside an axis."""
    entry = framework.level(level)
    text = entry.title or entry.name
    return plain(f"{level} · {textwrap.shorten(text, width=width, placeholder='…')}")


def progress_chart(
    framework: Framework,
    series: Mapping[str, Sequence[Point]],
    *,
    title: str | None = None,
    compact: bool = False,
    narrow: bool = False,
) -> Figure:
    """Level over time, coach and self as two series (never averaged).

    ``series`` maps role to its points (see ``views.standing.progress_series``). Each
    review is a marker; the line holds a level until
    the next review (a step), because a level is true from the review that set it.
    ``compact`` draws it at the size it is printed beside a table on a hand-over page
    (half a page wide, type at its printed size) rather than scaled down from a big one.
    ``narrow`` draws it for a phone (about 390 px wide): as wide as the screen at full
    size, the level labels wrapped over two lines instead of shortened to nothing.
    """
    # Fixed margins (room for 34-character level labels and the legend underneath): a
    # constrained layout would cost a third of the chart's drawing time, chart after chart.
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
    from matplotlib.figure import Figure

    small = 7 if compact else 9.5 if narrow else None  # points, at the printed size
    size = (4.4, 2.7) if compact else (3.7, 4.4) if narrow else (9, 4.2)
    figure = Figure(figsize=size, dpi=DPI)
    if compact:
        figure.subplots_adjust(left=0.4, right=0.97, top=0.88, bottom=0.25)
    elif narrow:
        figure.subplots_adjust(left=0.43, right=0.96, top=0.91, bottom=0.17)
    else:
        figure.subplots_adjust(left=0.37, right=0.98, top=0.9, bottom=0.2)
    axes = figure.add_subplot()
    plotted = False
    dates = []
    for role, style in ROLE_STYLE.items():
        points = series.get(role) or []
        if not points:
            continue
        when = [point.when.astimezone(UTC).replace(tzinfo=None) for point in points]
        dates.extend(when)
        axes.plot(
            when,  # type: ignore[arg-type]  # matplotlib's stubs know no dates; it plots them
            [float(point.level) for point in points],
            drawstyle="steps-post",
            linewidth=1.6 if compact else 2,
            markersize=4.5 if compact else 7,
            **style,
        )
        plotted = True
    levels = [level.level for level in framework.scale]
    width = 22 if compact else 34
    labels = [level_tick_label(framework, lv, width) for lv in levels]
    if narrow:  # two lines of 18 characters beside the axis, on a phone
        labels = [short_label(level_tick_label(framework, lv, 60), width=18) for lv in levels]
    axes.set_yticks(levels, labels, fontsize=small)
    if compact or narrow:
        axes.tick_params(axis="x", labelsize=small)
    axes.set_ylim(levels[0] - 0.4, levels[-1] + 0.4)
    axes.grid(axis="y", color="#dddddd", linewidth=0.8)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    if plotted:
        # A few weeks either side: a single review must not stretch the axis over years.
        margin = timedelta(days=20)
        axes.set_xlim(min(dates) - margin, max(dates) + margin)  # type: ignore[arg-type]
        locator = AutoDateLocator(minticks=3, maxticks=8)
        axes.xaxis.set_major_locator(locator)
        axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))
        # Under the axis: never over a data point or the title.
        axes.legend(
            loc="upper center",
            bbox_to_anchor=(0.5, -0.14 if compact or narrow else -0.12),
            ncol=2,
            frameon=False,
            fontsize=small,
        )
    else:
        axes.set_xticks([])
        axes.text(
            0.5,
            0.5,
            "No reviews yet",
            transform=axes.transAxes,
            ha="center",
            va="center",
            color="#555555",
        )
    if compact or narrow:  # over the whole figure: the axes start after the level labels
        figure.suptitle(
            plain(title or framework.title), x=0.01, ha="left", fontsize=8.5 if compact else 12
        )
    else:
        axes.set_title(plain(title or framework.title), loc="left", fontsize=12)
    return figure


def describe_progress(framework: Framework, series: Mapping[str, Sequence[Point]]) -> str:
    """A text alternative for :func:`progress_chart` that states every value."""
    parts = []
    for role, style in ROLE_STYLE.items():
        if role not in series:
            continue  # a role the chart leaves out (a coachee's pack shows their own)
        points = series[role]
        if not points:
            parts.append(f"{style['label']}: no reviews.")
            continue
        values = ", ".join(
            f"{point.when.astimezone(UTC).date().isoformat()}: {point.level}" for point in points
        )
        parts.append(f"{style['label']} ({len(points)} reviews): {values}.")
    return f"{framework.title}, level over time. " + " ".join(parts)


def short_label(text: str, *, width: int = 18, lines: int = 2) -> str:
    """Wrap a label to at most ``lines`` lines at word boundaries, never inside a word.

    A word a little longer than ``width`` keeps its line to itself; a much longer one, or
    words beyond the last line, are cut with '…' (the chart's text alternative and caption
    carry every name in full).
    """
    wrapped = textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False)
    cut = len(wrapped) > lines
    wrapped = wrapped[:lines]
    limit = width + 4  # a long word may stick out a little rather than be cut
    for index, line in enumerate(wrapped):
        if len(line) > limit:
            wrapped[index] = line[: limit - 1].rstrip() + "…"
    if cut and not wrapped[-1].endswith("…"):
        words = wrapped[-1].split(" ")
        while len(words) > 1 and len(" ".join(words)) + 2 > limit:
            words.pop()
        wrapped[-1] = " ".join(words) + " …"
    return plain("\n".join(wrapped))


def _levels_or_nan(values) -> list[float]:
    return [float("nan") if missing(v) else float(v) for v in values]


def radar_chart(
    framework: Framework,
    names: list[str],
    coach: list[object],
    self_: list[object],
    *,
    title: str,
) -> Figure:
    """Coach and self levels around a circle, one spoke per skill (a 'snowflake').

    Labels are wrapped (and, with many skills, shortened) so they never run into each
    other; a skill without a rating leaves a gap in its series rather than a false zero.
    """
    import numpy as np

    count = len(names)
    # Wide margins, set by hand: a constrained layout does not see polar tick labels.
    from matplotlib.figure import Figure

    figure = Figure(figsize=(10, 8.4), dpi=DPI)
    axes = cast("PolarAxes", figure.add_axes((0.22, 0.1, 0.56, 0.76), projection="polar"))
    angles = np.linspace(0, 2 * np.pi, count, endpoint=False)
    axes.set_theta_offset(np.pi / 2)
    axes.set_theta_direction(-1)
    closed = np.append(angles, angles[:1])
    for role, values in (("coach", coach), ("self", self_)):
        style = dict(ROLE_STYLE[role])
        levels = _levels_or_nan(values)
        if all(np.isnan(levels)):
            continue
        data = np.append(levels, levels[:1])
        axes.plot(closed, data, linewidth=2, markersize=5, **style)
        axes.fill(closed, np.nan_to_num(data), color=style["color"], alpha=0.08)
    low, high = framework.min_level, framework.max_level
    axes.set_ylim(low, high + 0.05)
    axes.set_yticks(range(low + 1, high + 1))
    axes.set_yticklabels([str(v) for v in range(low + 1, high + 1)], fontsize=8, color="#555555")
    axes.set_rlabel_position(0)
    width, fontsize = (22, 9) if count <= 10 else (18, 8) if count <= 20 else (15, 7)
    axes.set_xticks(angles, [""] * count)
    span = high - low
    for index, (name, angle) in enumerate(zip(names, angles, strict=True)):
        degrees = np.degrees(angle) % 360
        near_pole = min(degrees, 360 - degrees, abs(degrees - 180)) < 50
        # Near the top and bottom, neighbours sit side by side: stagger them outwards.
        radius = high + span * (0.1 + (0.16 if near_pole and count > 12 and index % 2 else 0))
        horizontal = "left" if degrees < 180 else "right"
        if degrees in (0.0, 180.0):
            horizontal = "center"
        if min(abs(degrees - 90), abs(degrees - 270)) < 25:
            vertical = "center"
        else:
            vertical = "top" if 90 < degrees < 270 else "bottom"
        axes.text(
            angle,
            radius,
            short_label(name, width=width),
            fontsize=fontsize,
            ha=horizontal,
            va=vertical,
            gid="skill-label",
        )
    axes.grid(color="#cccccc", linewidth=0.8)
    axes.spines["polar"].set_color("#999999")
    figure.suptitle(plain(title), x=0.02, y=0.98, ha="left", fontsize=12)
    handles = [
        axes.plot([], [], **ROLE_STYLE[role])[0] for role in REVIEWER_ROLES
    ]  # legend entries even when one series is empty
    figure.legend(handles=handles, loc="lower center", ncol=2, frameon=False)
    return figure


def level_bars(
    framework: Framework,
    names: list[str],
    coach: list[object],
    self_: list[object],
    *,
    title: str,
    marks: tuple[list[object], list[object]] | None = None,
) -> Figure:
    """Levels per skill as horizontal bars, coach and self side by side."""
    import numpy as np

    count = len(names)
    from matplotlib.figure import Figure

    figure = Figure(figsize=(9, max(2.4, 0.42 * count + 1.4)), dpi=DPI, layout="constrained")
    axes = figure.add_subplot()
    positions = np.arange(count)
    height = 0.38
    for offset, role, values in ((-height / 2, "coach", coach), (height / 2, "self", self_)):
        style = ROLE_STYLE[role]
        levels = _levels_or_nan(values)
        axes.barh(
            positions + offset,
            np.nan_to_num(levels, nan=0.0),
            height=height,
            color=style["color"],
            hatch=None if role == "coach" else "//",
            edgecolor="white" if role == "coach" else style["color"],
            facecolor=style["color"] if role == "coach" else "white",
            label=style["label"],
        )
    # Say why a bar is missing: a level 0 and 'not rated' must not look alike.
    marks = marks or ([None] * count, [None] * count)
    for offset, values, role_marks in (
        (-height / 2, coach, marks[0]),
        (height / 2, self_, marks[1]),
    ):
        for position, level, mark in zip(positions, values, role_marks, strict=True):
            marked = isinstance(mark, str) and mark
            note = mark if marked else ("not rated" if missing(level) else None)
            if note:
                axes.text(
                    0.05,
                    position + offset,
                    plain(note),
                    va="center",
                    fontsize=7,
                    color="#444444",
                )
    axes.set_yticks(
        positions, [plain(textwrap.shorten(n, width=44, placeholder="…")) for n in names]
    )
    axes.invert_yaxis()
    levels = [level.level for level in framework.scale]
    axes.set_xticks(levels, [plain(f"{lv.level} {lv.name}") for lv in framework.scale], fontsize=8)
    axes.set_xlim(0, levels[-1] + 0.2)
    axes.grid(axis="x", color="#dddddd", linewidth=0.8)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -0.08 if count > 6 else -0.2),
        ncol=2,
        frameon=False,
    )
    axes.set_title(plain(title), loc="left", fontsize=12)
    return figure


def readiness_chart(
    table: Mapping[str, Sequence[TierReadiness]], *, title: str, top_name: str, width: float = 9
) -> Figure:
    """Per tier, the share of its skills (waived left out) rated at the top level
    (``table``: per role, the rows of ``views.ratings.tier_readiness``)."""
    import numpy as np

    coach = table["coach"]
    own = table["self"]
    count = len(coach)
    from matplotlib.figure import Figure

    height = 0.5 * count + 1.5 if width >= 6 else 0.42 * count + 1.15
    figure = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    axes = figure.add_subplot()
    positions = np.arange(count)
    height = 0.38
    for offset, role, data in ((-height / 2, "coach", coach), (height / 2, "self", own)):
        style = ROLE_STYLE[role]
        shares = np.nan_to_num(np.array([row.share for row in data], dtype=float)) * 100
        axes.barh(
            positions + offset,
            shares,
            height=height,
            label=style["label"],
            color=style["color"] if role == "coach" else "white",
            edgecolor=style["color"],
            hatch=None if role == "coach" else "//",
        )
        for position, share, row in zip(positions, shares, data, strict=True):
            axes.text(
                share + 1,
                position + offset,
                f"{row.top}/{row.skills}",
                va="center",
                fontsize=7,
                color="#333333",
            )
    axes.set_yticks(
        positions,
        [
            short_label(name, width=20 if width < 6 else 40)
            for name in (row.tier_name for row in coach)
        ],
    )
    axes.invert_yaxis()
    axes.set_xlim(0, 110)
    axes.set_xticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"])
    gap = "\n" if width < 6 else " "
    axes.set_xlabel(
        plain(f"share of the tier's skills rated {top_name}{gap}(waived left out)"),
        fontsize=8 if width < 6 else None,
    )
    axes.grid(axis="x", color="#dddddd", linewidth=0.8)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.legend(loc="lower right", frameon=False)
    if width < 6:  # half a page: a long name must wrap, not squeeze the bars to nothing
        axes.set_title(short_label(title, width=42, lines=2), loc="left", fontsize=10)
    else:
        axes.set_title(plain(title), loc="left", fontsize=12)
    return figure


def describe_levels(framework: Framework, names, coach, self_) -> str:
    """A text alternative for :func:`radar_chart` and :func:`level_bars`."""

    def value(level: object) -> str:
        if missing(level):
            return "not rated"
        number = int(cast(float, level))
        return f"{number} {framework.level_name(number)}"

    parts = [
        f"{name}: coach {value(c)}, self {value(s)}"
        for name, c, s in zip(names, coach, self_, strict=True)
    ]
    return "Levels per skill. " + "; ".join(parts) + "."


def describe_readiness(table: Mapping[str, Sequence[TierReadiness]], top_name: str) -> str:
    parts = []
    for coach, own in zip(table["coach"], table["self"], strict=True):
        parts.append(
            f"{coach.tier_name}: coach {coach.top} of {coach.skills}, "
            f"self {own.top} of {own.skills}"
        )
    return f"Tier readiness (skills rated {top_name}, waived left out). " + "; ".join(parts) + "."


def heatmap(
    framework: Framework,
    panels: Mapping[str, pd.DataFrame],
    *,
    title: str,
) -> Figure:
    """Coachee x skill maps of levels, one panel per role, every cell labelled.

    Colour follows the level (cividis: ordered, readable for colour-blind readers and in
    greyscale) and the number is written in each cell, so nothing depends on colour alone.
    Cells without a rating stay light grey with an en dash. With more than a few columns
    the panels are stacked (coach above self) so each keeps its full width.

    It fits a page (``MAX_WIDTH`` inches, the width of the page's text, and of A4 when
    printed): the longer side goes down (more skills than people: a row per skill, its
    name in full, a column per person), and columns narrow to fit; rows never shrink.

    The layout is computed in inches, not by matplotlib's constrained layout, which would
    draw the whole figure twice: with 40 x 28 labelled cells that doubles the cost.
    """
    from matplotlib import colormaps
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize
    from matplotlib.figure import Figure

    first = next(iter(panels.values()))
    if first.shape[1] > first.shape[0]:  # more columns than rows: turn it
        panels = {label: matrix.T for label, matrix in panels.items()}
        first = next(iter(panels.values()))
    rows, cols = first.shape
    cell = 0.36
    side_by_side = cols <= 6
    across = len(panels) if side_by_side else 1
    down = 1 if side_by_side else len(panels)
    names = [plain(textwrap.shorten(str(name), width=60, placeholder="…")) for name in first.index]
    longest = max((len(name) for name in names), default=10)
    left, right, top, gap = min(4.2, max(1.4, 0.3 + 0.062 * longest)), 1.9, 0.75, 0.5
    across_names = max((len(str(name)) for name in first.columns), default=10)
    bottom = 0.45 + 0.052 * min(30, across_names) if cols > 1 else 0.7  # names at 55 degrees
    room = (MAX_WIDTH - left - right - (across - 1) * gap) / across
    cell_w = max(0.18, min(cell, room / max(cols, 1)))
    panel_w, panel_h = max(cols * cell_w, 1.6), rows * cell + 0.1
    width = left + across * panel_w + (across - 1) * gap + right
    height = top + down * panel_h + (down - 1) * gap + bottom
    figure = Figure(figsize=(width, height), dpi=DPI)
    low, high = framework.min_level, framework.max_level
    colours = ScalarMappable(
        Normalize(vmin=low, vmax=high), colormaps["cividis"].with_extremes(bad="#eeeeee")
    )
    grid = []
    for index, (label, matrix) in enumerate(panels.items()):
        column, row = (index, 0) if side_by_side else (0, index)
        x0 = left + column * (panel_w + gap)
        y0 = bottom + (down - 1 - row) * (panel_h + gap)
        axes = figure.add_axes((x0 / width, y0 / height, panel_w / width, panel_h / height))
        grid.append(axes)
        values = matrix.to_numpy(dtype=float)
        _cells(axes, values, colours)
        _cell_labels(
            figure,
            axes,
            values,
            dark_below=low + (high - low) * 0.55,
            size=8 if cell_w >= 0.3 else 6.5,
        )
        # Row and column names as plain texts, not ticks: a tick is a handful of artists,
        # and a 30 x 28 map would need 116 of them per panel.
        axes.set_xticks([])
        axes.set_yticks([])
        last_row = side_by_side or index == len(panels) - 1
        if last_row:
            shorts = [
                plain(textwrap.shorten(str(name), width=30, placeholder="…"))
                for name in matrix.columns
            ]
            _names(
                figure,
                axes,
                shorts,
                [(c, rows - 0.5 + 0.15) for c in range(cols)],
                rotation=55 if cols > 1 else 0,
                ha="right" if cols > 1 else "center",
                va="top",
                gid="column-names",
            )
        if not side_by_side or index == 0:  # names once, left of the first panel
            _names(
                figure,
                axes,
                names,
                [(-0.5 - 0.15, r) for r in range(rows)],
                rotation=0,
                ha="right",
                va="center",
                gid="row-names",
            )
        axes.set_title(label, fontsize=11, loc="left" if not side_by_side else "center")
        axes.tick_params(length=0)
        for spine in axes.spines.values():
            spine.set_visible(False)
    if panels:
        bar_axes = figure.add_axes(
            (
                (width - right + 0.25) / width,
                bottom / height,
                0.2 / width,
                min(3.0, height - top - bottom) / height,
            )
        )
        bar = figure.colorbar(colours, cax=bar_axes)
        bar.set_ticks(range(low, high + 1))
        bar.set_ticklabels([plain(f"{lv.level} {lv.name}") for lv in framework.scale], fontsize=8)
    figure.suptitle(plain(title), x=0.01, y=1 - 0.2 / height, ha="left", va="top", fontsize=12)
    return figure


def _cells(axes, values, colours) -> None:
    """The cells, coloured here (a pixel each) and drawn as a colour image: the same
    pixels as ``imshow`` of the levels with the colormap, which resamples the levels and
    their mask to every pixel and colours every pixel (a third of a 30-row map's drawing).
    Missing levels take the colormap's 'bad' colour."""
    import numpy as np

    rgba = colours.to_rgba(np.ma.masked_invalid(values), bytes=True)
    axes.imshow(rgba, aspect="auto", interpolation="nearest")


def _names(
    figure: Figure,
    axes,
    texts: Sequence[str],
    anchors: Sequence[tuple[float, float]],
    *,
    rotation: float,
    ha: str,
    va: str,
    gid: str,
    size: float = 8,
) -> None:
    """Write ``texts`` (already :func:`plain`) at ``anchors`` (data coordinates), aligned
    as ``axes.text`` with ``rotation_mode="anchor"`` aligns them, as one path collection.

    A heat map's row and column names are most of its text: 30 people down two stacked
    panels and 28 skill names at an angle. As text artists each is laid out and rasterised
    on its own (half the drawing time of a 30-row map); as glyph outlines in one collection
    they are drawn in one pass. Vertically every name is placed by the font's line box
    (the extent of 'lp'), as a text artist is, so names of different letters line up."""
    import numpy as np
    from matplotlib.collections import PathCollection
    from matplotlib.transforms import Affine2D

    paths = [_name_path(text, size, ha, va, rotation) for text in texts]
    names = PathCollection(
        paths,
        offsets=np.asarray(anchors, dtype=float),
        offset_transform=axes.transData,
        transform=Affine2D().scale(1 / 72) + figure.dpi_scale_trans,
        facecolors="black",
        edgecolors="none",
    )
    names.set_clip_on(False)  # beside the panel, as tick labels are
    names.set_gid(gid)
    axes.add_collection(names, autolim=False)


@functools.lru_cache(maxsize=2048)
def _name_path(text: str, size: float, ha: str, va: str, rotation: float):
    """The outline of one name, aligned on its anchor at (0, 0) and turned. Kept: a team
    page names the same coachees in both panels of every framework's map, and laying out a
    text is most of what making its outline costs."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextPath
    from matplotlib.transforms import Affine2D

    # Extents from the outlines' points (``Path.get_extents`` solves every curve exactly:
    # slower than drawing them).
    low, high = _line_box(size)
    dy = {"top": -high, "center": -(low + high) / 2, "bottom": -low}[va]
    glyphs = TextPath((0, 0), text, prop=FontProperties(size=size))
    low, high = _ink(glyphs)
    dx = {"right": -high[0], "center": -(low[0] + high[0]) / 2, "left": -low[0]}[ha]
    return glyphs.transformed(Affine2D().translate(dx, dy).rotate_deg(rotation))


@functools.lru_cache(maxsize=16)
def _line_box(size: float) -> tuple[float, float]:
    """The bottom and top of a line of text at ``size`` (of 'lp', as a text artist's)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextPath

    low, high = _ink(TextPath((0, 0), "lp", prop=FontProperties(size=size)))
    return float(low[1]), float(high[1])


def _ink(path):
    """The lower-left and upper-right corners of a glyph outline's points."""
    points = path.vertices
    if not len(points):
        return (0.0, 0.0), (0.0, 0.0)
    return points.min(axis=0), points.max(axis=0)


def _cell_labels(figure: Figure, axes, values, *, dark_below: float, size: float = 8) -> None:
    """Write each cell's value in it, centred: white on dark cells, black on light ones, an
    en dash in grey where nothing is rated.

    One path collection per distinct label, not one text artist per cell: a 30 x 28 map has
    840 labels, and as text artists they took most of the team overview's drawing time
    (measured: 1.1 s of 1.5 s for three maps). The glyph outlines come from the same font.
    """
    import numpy as np
    from matplotlib.collections import PathCollection
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextPath
    from matplotlib.transforms import Affine2D

    groups: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for (r, c), value in np.ndenumerate(values):
        if np.isnan(value):
            key = ("–", "#777777")
        else:
            text = f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
            key = (text, "white" if value < dark_below else "black")
        groups.setdefault(key, []).append((c, r))
    points_to_pixels = Affine2D().scale(1 / 72) + figure.dpi_scale_trans
    font = FontProperties(size=size)
    for (text, colour), cells in groups.items():
        glyphs = TextPath((0, 0), text, prop=font)
        box = glyphs.get_extents()
        centred = glyphs.transformed(
            Affine2D().translate(-(box.x0 + box.x1) / 2, -(box.y0 + box.y1) / 2)
        )
        labels = PathCollection(
            [centred],
            offsets=cells,
            offset_transform=axes.transData,
            transform=points_to_pixels,
            facecolors=colour,
            edgecolors="none",
        )
        labels.set_snap(False)  # snapped to whole pixels, a dash under a pixel high may vanish
        labels.set_gid(f"cell-label:{text}")  # named, for tests and for SVG readers
        axes.add_collection(labels, autolim=False)


def distribution_chart(framework: Framework, counts: pd.DataFrame, *, title: str) -> Figure:
    """How many ratings sit at each level: coach and self bars side by side."""
    import numpy as np
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8, 3.6), dpi=DPI, layout="constrained")
    axes = figure.add_subplot()
    positions = np.arange(len(counts))
    width = 0.38
    for offset, role in ((-width / 2, "coach"), (width / 2, "self")):
        style = ROLE_STYLE[role]
        bars = axes.bar(
            positions + offset,
            counts[role],
            width=width,
            label=style["label"],
            color=style["color"] if role == "coach" else "white",
            edgecolor=style["color"],
            hatch=None if role == "coach" else "//",
        )
        axes.bar_label(bars, fontsize=8, padding=2)
    axes.set_xticks(
        positions, [plain(f"{lv.level} {lv.name}") for lv in framework.scale], fontsize=8
    )
    axes.set_ylabel("coachees" if framework.is_milestone_track else "ratings")
    cast("MaxNLocator", axes.yaxis.get_major_locator()).set_params(integer=True)  # whole numbers
    axes.grid(axis="y", color="#dddddd", linewidth=0.8)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.legend(frameon=False)
    axes.set_title(plain(title), loc="left", fontsize=12)
    return figure


def describe_distribution(framework: Framework, counts: pd.DataFrame) -> str:
    parts = [
        f"{level} {framework.level_name(int(level))}: coach {row['coach']}, self {row['self']}"
        for level, row in counts.iterrows()
    ]
    return "Ratings per level. " + "; ".join(parts) + "."


PNG_COMPRESSION = 3  # zlib level: half the time of the default 6, files no larger here


def to_png(figure: Figure) -> bytes:
    """Render a figure to PNG bytes (for inline display and self-contained exports).

    An opaque figure (all of coachlib's) is written without its alpha channel, every
    pixel the same: a quarter less to compress, and compressed at a lower level. Encoding
    was a fifth of drawing a tall heat map (75 ms for a 30-row one; now 39 ms, and 10%
    smaller). A figure that is not opaque is written as matplotlib writes it."""
    from matplotlib.colors import to_rgba

    buffer = io.BytesIO()
    if to_rgba(figure.get_facecolor())[3] < 1 or figure.patch.get_alpha() not in (None, 1):
        figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
        return buffer.getvalue()
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    figure.set_dpi(DPI)
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    width, height = canvas.get_width_height(physical=True)
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    image.convert("RGB").save(buffer, format="png", dpi=(DPI, DPI), compress_level=PNG_COMPRESSION)
    return buffer.getvalue()


KIND_STYLE = {  # Okabe-Ito colours, and a hatch each, so kinds stay apart in greyscale
    "learning-hour": ("#0072B2", ""),
    "ensemble": ("#E69F00", "//"),
    "retrospective": ("#009E73", ".."),
    "mentoring": ("#CC79A7", "xx"),
    "training": ("#56B4E9", "\\\\"),
    "talk": ("#D55E00", "--"),
    "other": ("#999999", "++"),
}


def weekly_sessions(entries, start, end) -> tuple[date, int, dict[str, dict[int, int]]]:
    """The Monday of ``start``'s week, how many weeks the block spans, and per kind the
    sessions in each week that had any (by week number): only weeks with sessions are
    held, so nothing here, in the chart or in its text grows with the empty weeks."""
    first = start - timedelta(days=start.weekday())
    count = (end - first).days // 7 + 1
    counts: dict[str, dict[int, int]] = {}
    for entry in entries:
        index = (entry.day - first).days // 7
        if 0 <= index < count:
            held = counts.setdefault(entry.kind, {})
            held[index] = held.get(index, 0) + 1
    return first, count, {kind: counts[kind] for kind in KIND_STYLE if kind in counts}


def sessions_chart(entries, start, end, *, title: str) -> Figure:
    """Sessions per week over a coaching block, stacked by kind: a bar for each week that
    had sessions, about ten week labels whatever the length."""
    from matplotlib.figure import Figure

    from ..model.sessionlog import KINDS

    first, count, counts = weekly_sessions(entries, start, end)
    figure = Figure(figsize=(8, 3.4), dpi=DPI, layout="constrained")
    axes = figure.add_subplot()
    bottom: dict[int, int] = {}
    for kind, held in counts.items():
        colour, hatch = KIND_STYLE[kind]
        positions = sorted(held)
        axes.bar(
            positions,
            [held[i] for i in positions],
            bottom=[bottom.get(i, 0) for i in positions],
            color=colour,
            hatch=hatch,
            edgecolor="white" if not hatch else "#333333",
            linewidth=0.5,
            label=KINDS[kind],
        )
        for i in positions:
            bottom[i] = bottom.get(i, 0) + held[i]
    step = max(1, -(-count // 9))  # at most nine labels: each keeps its room
    ticks = list(range(0, count, step))
    labels = [(first + timedelta(days=7 * i)).strftime("%d %b") for i in ticks]
    axes.set_xticks(ticks, labels, fontsize=8)
    axes.set_xlim(-0.6, count - 0.4)
    axes.set_xlabel("week starting")
    axes.set_ylabel("sessions")
    cast("MaxNLocator", axes.yaxis.get_major_locator()).set_params(integer=True)
    axes.grid(axis="y", color="#dddddd", linewidth=0.8)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    if counts:  # above the plot, never over a bar
        axes.legend(
            frameon=False,
            fontsize=8,
            ncols=min(4, len(counts)),
            loc="lower right",
            bbox_to_anchor=(1, 1),
            borderaxespad=0.2,
        )
    axes.set_title(plain(title), loc="left", fontsize=12)
    return figure


def describe_sessions(entries, start, end) -> str:
    """The chart's values as text: sessions per week and kind; a run of weeks without
    sessions is one phrase ("weeks of A to B: none")."""
    from ..model.sessionlog import KINDS

    first, count, counts = weekly_sessions(entries, start, end)
    busy = sorted({index for held in counts.values() for index in held})
    parts = []

    def monday(index: int) -> str:
        return (first + timedelta(days=7 * index)).isoformat()

    def quiet(since: int, until: int) -> None:  # weeks since..until-1 had no session
        if until - since == 1:
            parts.append(f"week of {monday(since)}: none")
        elif until > since:
            parts.append(f"weeks of {monday(since)} to {monday(until - 1)}: none")

    after = 0
    for index in busy:
        quiet(after, index)
        held = [f"{counts[k][index]} {KINDS[k]}" for k in counts if counts[k].get(index)]
        parts.append(f"week of {monday(index)}: {', '.join(held)}")
        after = index + 1
    quiet(after, count)
    return "Sessions per week. " + "; ".join(parts) + "."
