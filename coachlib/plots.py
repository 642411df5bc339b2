"""matplotlib figures. Each function takes data and returns a Figure; nothing reads files.

Figures are built with the object-oriented API (``matplotlib.figure.Figure``), not pyplot,
so no global state leaks between notebook cells and importing this module stays cheap.
Series are told apart by colour (Okabe-Ito, safe for colour-blind readers) *and* by line
style and marker, so a greyscale print or a reader who cannot tell the colours apart loses
nothing. :func:`describe_progress` gives the text alternative that goes with each chart.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Mapping

import pandas as pd
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure

from .frameworks import Framework

ROLE_STYLE = {
    "coach": {"color": "#0072B2", "linestyle": "-", "marker": "o", "label": "Coach"},
    "self": {"color": "#D55E00", "linestyle": "--", "marker": "s", "label": "Self"},
}
DPI = 100


def level_tick_label(framework: Framework, level: int, width: int = 34) -> str:
    """'3 · For a team new to ensemble, …' shortened to fit beside an axis."""
    entry = framework.level(level)
    text = entry.title or entry.name
    return f"{level} · {textwrap.shorten(text, width=width, placeholder='…')}"


def progress_chart(
    framework: Framework, series: Mapping[str, pd.DataFrame], *, title: str | None = None
) -> Figure:
    """Level over time, coach and self as two series (never averaged).

    ``series`` maps role to a frame with ``when`` and ``level`` columns (see
    ``analysis.progress_series``). Each review is a marker; the line holds a level until
    the next review (a step), because a level is true from the review that set it.
    """
    figure = Figure(figsize=(9, 4.2), dpi=DPI, layout="constrained")
    axes = figure.add_subplot()
    plotted = False
    for role, style in ROLE_STYLE.items():
        data = series.get(role)
        if data is None or data.empty:
            continue
        when = pd.to_datetime(data["when"]).dt.tz_convert(None)
        axes.plot(
            when,
            data["level"].astype(float),
            drawstyle="steps-post",
            linewidth=2,
            markersize=7,
            **style,
        )
        plotted = True
    levels = [level.level for level in framework.scale]
    axes.set_yticks(levels, [level_tick_label(framework, lv) for lv in levels])
    axes.set_ylim(levels[0] - 0.4, levels[-1] + 0.4)
    axes.grid(axis="y", color="#dddddd", linewidth=0.8)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    if plotted:
        locator = AutoDateLocator(minticks=3, maxticks=8)
        axes.xaxis.set_major_locator(locator)
        axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))
        # Under the axis: never over a data point or the title.
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, frameon=False)
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
    axes.set_title(title or framework.title, loc="left", fontsize=12)
    return figure


def describe_progress(framework: Framework, series: Mapping[str, pd.DataFrame]) -> str:
    """A text alternative for :func:`progress_chart` that states every value."""
    parts = []
    for role, style in ROLE_STYLE.items():
        data = series.get(role)
        if data is None or data.empty:
            parts.append(f"{style['label']}: no reviews.")
            continue
        points = ", ".join(
            f"{pd.Timestamp(when).date().isoformat()}: {int(level)}"
            for when, level in zip(data["when"], data["level"], strict=True)
        )
        parts.append(f"{style['label']} ({len(data)} reviews): {points}.")
    return f"{framework.title}, level over time. " + " ".join(parts)


def to_png(figure: Figure) -> bytes:
    """Render a figure to PNG bytes (for inline display and self-contained exports)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()
