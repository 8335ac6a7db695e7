"""The priority matrix as a chart: need (x) against overall maturity (y), one bubble per wijk.

Same palette, fonts, caption and phase names as `charts.py`. More need is always to the right
(the axis is mirrored for indicators where less means more need), so 'begin hier' is always the
bottom-right quadrant. Data in, Figure out; no Streamlit.
"""

from __future__ import annotations

import html
import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from wijkmodel.analysis.priority import BEGIN_HERE, QUADRANTS, PriorityMatrix, need_text
from wijkmodel.charts.base import (
    PHASE_COLOURS,
    PHASE_TINTS,
    Caption,
    _label,
    _layout,
    _phase_axis,
    _wrap,
    empty_message,
)
from wijkmodel.model.indicators import format_number
from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.text import format_score, phase_name

HEIGHT = 700
"""At the export width of 1200 pixels this is close to a 16:9 slide."""
PLACING_SIZE = (640.0, 260.0)
"""Plot size (px) assumed when placing the wijk names (plotly cannot report text sizes): the smallest
the plot is drawn, beside the points on a 1280x720 beamer. Drawn larger, the wijken move apart while
names and bubbles keep their size, so what is clear here stays clear."""
MAX_BUBBLE = 64
"""Diameter (px) of the wijk with the most inhabitants: large enough to compare, small enough to read."""
MIN_BUBBLE = 12
DEFAULT_BUBBLE = 16
"""Diameter (px) of a wijk without a known population."""
Y_RANGE = (-13.0, 113.0)
"""The 0-100 scale with room above and below for the quadrant names, clear of the bubbles."""
X_PAD = 0.14
"""Room left and right of the values, as a share of their spread (bubbles and names need it)."""
MARGIN = {"l": 10, "r": 140, "t": 118, "b": 130}
LINE_COLOUR = "#333333"
LABEL_FONT = 13
POSITIONS = ("top center", "bottom center", "middle right", "middle left")
"""Where a wijk's name may go, in order of preference."""


def bubble_sizes(population: pd.Series) -> tuple[list[float], float]:
    """Marker sizes (in inhabitants, plotly's 'area' mode) and the sizeref that makes the largest
    wijk `MAX_BUBBLE` pixels wide. A wijk without a population gets the size of `DEFAULT_BUBBLE`."""
    known = population.dropna()
    largest = float(known.max()) if len(known) and known.max() > 0 else 1.0
    sizeref = 2.0 * largest / MAX_BUBBLE**2
    default = DEFAULT_BUBBLE**2 * sizeref / 2.0  # area mode: diameter = 2·sqrt(size / (2·sizeref))
    return [default if pd.isna(p) else max(float(p), 0.0) for p in population], sizeref


def _diameters(sizes: list[float], sizeref: float) -> list[float]:
    """Pixel diameters plotly draws for `sizes` (area mode, with the minimum)."""
    return [max(2.0 * math.sqrt(s / (2.0 * sizeref)), MIN_BUBBLE) for s in sizes]


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    """Overlapping area of two boxes (x0, y0, x1, y1)."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def label_positions(
    x: list[float],
    y: list[float],
    diameters: list[float],
    names: list[str],
    size: tuple[float, float],
    obstacles: list[tuple[float, float, float, float]] | None = None,
) -> list[str]:
    """A text position per bubble so that names cover as little as possible of other names and bubbles.

    `x`, `y` are positions in pixels within a plot of `size` (width, height), y upwards; `obstacles`
    are boxes (x0, y0, x1, y1) a name should keep clear of, such as the quadrant names. Greedy, in
    the given (priority) order: each name takes the first of `POSITIONS` with the least overlap.
    The overlaps of a name's four places with every bubble and every name placed so far are
    computed at once (numpy): a municipality at the wijk limit (1,000) takes some 0.1 s, not 14 s.
    """
    n = len(x)
    bubbles = np.array(
        [(px - d / 2, py - d / 2, px + d / 2, py + d / 2) for px, py, d in zip(x, y, diameters, strict=True)],
        dtype=float,
    ).reshape(n, 4)
    taken = np.empty((n, 4), dtype=float)
    fixed = np.array(obstacles or [], dtype=float).reshape(-1, 4)
    plot = (0.0, 0.0, size[0], size[1])
    chosen = []
    for i, (px, py, d, name) in enumerate(zip(x, y, diameters, names, strict=True)):
        lines = name.split("<br>")
        w = 0.56 * LABEL_FONT * max(len(line) for line in lines) + 4
        h = 1.3 * LABEL_FONT * len(lines)
        r = d / 2 + 2
        boxes = {
            "top center": (px - w / 2, py + r, px + w / 2, py + r + h),
            "bottom center": (px - w / 2, py - r - h, px + w / 2, py - r),
            "middle right": (px + r, py - h / 2, px + r + w, py + h / 2),
            "middle left": (px - r - w, py - h / 2, px - r, py + h / 2),
        }
        candidates = np.array([boxes[p] for p in POSITIONS], dtype=float)
        others = np.concatenate([taken[:i], bubbles[:i], bubbles[i + 1 :], fixed])
        hidden = _overlaps(candidates, others).sum(axis=1)
        outside = np.array([(b[2] - b[0]) * (b[3] - b[1]) - _overlap(b, plot) for b in boxes.values()])
        # outside the plot a name lands on the axis labels: that costs more than covering a bubble
        best = int(np.argmin(hidden + 4 * outside))  # argmin keeps the first of equal costs
        taken[i] = candidates[best]
        chosen.append(POSITIONS[best])
    return chosen


def _corner_boxes(plot_w: float, plot_h: float) -> list[tuple[float, float, float, float]]:
    """Where the quadrant names sit, in the pixels of `label_positions` (y up), taken generously: the
    chart may be drawn narrower than guessed, and then its text takes a larger share of it."""
    w, h = 0.56 * 14 * 22, 1.3 * 14 * 3  # 22 characters a line, up to three lines
    return [
        (0, 0, w, h),
        (plot_w - w, 0, plot_w, h),
        (0, plot_h - h, w, plot_h),
        (plot_w - w, plot_h - h, plot_w, plot_h),
    ]


def _overlaps(boxes: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Overlapping area of each of `boxes` (k x 4) with each of `others` (m x 4): k x m."""
    w = np.minimum(boxes[:, None, 2], others[None, :, 2]) - np.maximum(boxes[:, None, 0], others[None, :, 0])
    h = np.minimum(boxes[:, None, 3], others[None, :, 3]) - np.maximum(boxes[:, None, 1], others[None, :, 1])
    return np.where((w > 0) & (h > 0), w * h, 0.0)


def x_range(matrix: PriorityMatrix) -> list[float]:
    """The need axis: the placed values and the median with room on both sides, more need to the right."""
    values = [*matrix.placed["value"].astype(float)]
    if not math.isnan(matrix.median):
        values.append(matrix.median)
    if not values:
        return [0.0, 1.0]
    low, high = min(values), max(values)
    spread = high - low or max(abs(high) * 0.2, 1.0)
    low, high = low - X_PAD * spread, high + X_PAD * spread
    return [low, high] if matrix.higher_is_more_need else [high, low]


def _note(matrix: PriorityMatrix) -> str:
    """The lines under the chart: where the need figures come from, sizes, who is not shown."""
    sources = ", ".join(matrix.sources) or "onbekend"
    lines = [f"Nood: {matrix.label_with_year}, bron: {sources}; {matrix.need_word}."]
    if matrix.n_values:
        lines[0] += f" Middelste waarde van {matrix.n_values} wijken: {need_text(matrix.median)}."
    lines[0] += " Bolgrootte: aantal inwoners."
    no_population = [str(n) for n in matrix.placed.loc[matrix.placed["population"].isna(), "name"]]
    if no_population:
        lines.append(f"Zonder aantal inwoners (kleine, vaste maat): {', '.join(no_population)}.")
    if len(matrix.unplaced):
        missing = "; ".join(
            f"{n} ({r})" for n, r in zip(matrix.unplaced["name"], matrix.unplaced["reason"], strict=True)
        )
        lines.append(f"Niet in de figuur: {missing}.")
    return "<br>".join(_wrap_line(line) for line in lines)


def _wrap_line(text: str, width: int = 70) -> str:
    """Break a long note line between words so it stays inside the chart."""
    out: list[str] = []
    for word in text.split(" "):
        if out and len(out[-1]) + 1 + len(word) <= width:
            out[-1] += " " + word
        else:
            out.append(word)
    return "<br>".join(out)


def priority_figure(matrix: PriorityMatrix, model: MaturityModel, caption: Caption, title: str) -> go.Figure:
    """Need against overall maturity, one bubble per placed wijk, sized by population and named.

    Dashed lines mark the two splits ('mediaan: 12,3' and 'grens fase 2 | fase 3'); the quadrant
    names sit in the corners, 'begin hier' on a light tint. The caption names the municipality,
    round, overall rule and date; the note under the chart the indicator, its year and source,
    and the wijken that are not shown or have no population.
    """
    placed = matrix.placed
    xr = x_range(matrix)
    fig = go.Figure()

    # the 'begin hier' quadrant: high need (right of the median), maturity below 50
    shapes: list[dict] = []
    if not math.isnan(matrix.median):
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "y",
                "x0": matrix.median,
                "x1": xr[1],
                "y0": Y_RANGE[0],
                "y1": matrix.maturity_split,
                "fillcolor": PHASE_TINTS[1],
                "line": {"width": 0},
                "layer": "below",
            }
        )
    # the phase colours as a strip along the maturity axis, and the borders of the scale and phases
    for phase in sorted(model.phases, key=lambda p: p.number):
        shapes.append(
            {
                "type": "rect",
                "xref": "paper",
                "yref": "y",
                "x0": 0,
                "x1": 0.008,
                "y0": 25 * (phase.number - 1),
                "y1": 25 * phase.number,
                "fillcolor": PHASE_COLOURS[phase.number],
                "line": {"width": 0},
                "layer": "below",
            }
        )
    for border in (0, 25, 75, 100):
        shapes.append(
            {
                "type": "line",
                "xref": "paper",
                "yref": "y",
                "x0": 0,
                "x1": 1,
                "y0": border,
                "y1": border,
                "line": {"color": "#BBBBBB", "width": 1, "dash": "solid" if border in (0, 100) else "dot"},
                "layer": "below",
            }
        )
    # the two splits
    shapes.append(
        {
            "type": "line",
            "xref": "paper",
            "yref": "y",
            "x0": 0,
            "x1": 1,
            "y0": matrix.maturity_split,
            "y1": matrix.maturity_split,
            "line": {"color": LINE_COLOUR, "width": 2, "dash": "dash"},
            "layer": "below",
        }
    )
    if not math.isnan(matrix.median):
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": matrix.median,
                "x1": matrix.median,
                "y0": 0,
                "y1": 1,
                "line": {"color": LINE_COLOUR, "width": 2, "dash": "dash"},
                "layer": "below",
            }
        )
    fig.update_layout(shapes=shapes)

    if len(placed):
        sizes, sizeref = bubble_sizes(placed["population"])
        diameters = _diameters(sizes, sizeref)
        names = [_label(n) for n in placed["name"]]
        plot_w, plot_h = PLACING_SIZE
        xs = placed["value"].to_numpy(dtype=float)
        ys = placed["overall"].to_numpy(dtype=float)
        px = ((xs - xr[0]) / (xr[1] - xr[0]) * plot_w).tolist()
        py = ((ys - Y_RANGE[0]) / (Y_RANGE[1] - Y_RANGE[0]) * plot_h).tolist()
        # the names keep clear of the quadrant names and of the two dashed lines
        split_y = (matrix.maturity_split - Y_RANGE[0]) / (Y_RANGE[1] - Y_RANGE[0]) * plot_h
        lines = [(0.0, split_y - 2, plot_w, split_y + 2)]
        if not math.isnan(matrix.median):
            median_x = (matrix.median - xr[0]) / (xr[1] - xr[0]) * plot_w
            lines.append((median_x - 2, 0.0, median_x + 2, plot_h))
        positions = label_positions(px, py, diameters, names, (plot_w, plot_h), _corner_boxes(plot_w, plot_h) + lines)
        need_label = html.escape(matrix.label_with_year, quote=False)
        several_years = len(matrix.years) > 1  # once: each call reads every row
        hover = [
            f"<b>{name}</b><br>{need_label}: {need_text(v)}"
            + (f" ({int(y)})" if several_years else "")
            + f"<br>Totaalscore: {format_score(s)} · {phase_name(model, p)}"
            + f"<br>Inwoners: {format_number(pop)}<br>{q}"
            for name, v, y, s, p, pop, q in zip(
                names,
                xs,
                placed["year"],
                ys,
                placed["phase"],
                placed["population"],
                placed["quadrant_name"],
                strict=True,
            )
        ]
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="markers+text",
                text=names,
                textposition=positions,
                textfont={"size": LABEL_FONT, "color": "#111111"},
                cliponaxis=False,
                marker={
                    "size": sizes,
                    "sizemode": "area",
                    "sizeref": sizeref,
                    "sizemin": MIN_BUBBLE / 2,
                    "color": [PHASE_COLOURS[int(p)] for p in placed["phase"]],
                    "opacity": 0.85,
                    "line": {"color": "#FFFFFF", "width": 1.5},
                },
                customdata=hover,
                hovertemplate="%{customdata}<extra></extra>",
                showlegend=False,
            )
        )
    else:
        empty_message(fig, "Nog geen wijk met een totaalscore én een waarde voor dit kerncijfer.")

    # quadrant names in the corners (top: high maturity; right: high need)
    for number, name in QUADRANTS.items():
        high_need = number in (1, 2)
        high_maturity = number in (2, 4)
        # short lines (the place, then what to do): on one line the two bottom corners met in narrow charts
        place, advice = f"{number} · {name}".split(": ", 1)
        text = f"{_wrap(place, 22)}:<br>{advice}"
        text = f"<b>{text}</b>" if number == BEGIN_HERE else text
        fig.add_annotation(
            text=text,
            xref="paper",
            yref="paper",
            x=1 if high_need else 0,
            y=1 if high_maturity else 0,
            xanchor="right" if high_need else "left",
            align="right" if high_need else "left",  # flush with its corner
            yanchor="top" if high_maturity else "bottom",
            xshift=-6 if high_need else 14,  # clear of the phase strip on the left
            yshift=-4 if high_maturity else 4,
            showarrow=False,
            font={"size": 14, "color": "#111111" if number == BEGIN_HERE else "#333333"},
        )
    # the two split lines, labelled
    if not math.isnan(matrix.median):
        fig.add_annotation(
            text=f"middelste waarde: {need_text(matrix.median)}",
            xref="x",
            yref="paper",
            x=matrix.median,
            y=1,
            yanchor="bottom",
            showarrow=False,
            font={"size": 13, "color": LINE_COLOUR},
        )
    fig.add_annotation(
        text="grens<br>fase 2 | fase 3",
        xref="paper",
        yref="y",
        x=1,
        y=matrix.maturity_split,
        xanchor="left",
        xshift=6,
        align="left",
        showarrow=False,
        font={"size": 12, "color": LINE_COLOUR},
    )
    fig.add_annotation(
        text=_note(matrix),
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-70,
        xanchor="left",
        yanchor="top",
        align="left",
        showarrow=False,
        font={"size": 12, "color": "#333333"},
    )

    fig.update_xaxes(
        range=xr,  # reversed when less means more need: more need is always to the right
        title={"text": f"{html.escape(matrix.label_with_year, quote=False)} · meer nood →"},  # a label from an import
        tickfont={"size": 12},
        showgrid=False,
        zeroline=False,
        fixedrange=True,
        separatethousands=True,
    )
    phases = sorted(model.phases, key=lambda p: p.number)
    fig.update_yaxes(
        {
            **_phase_axis(model),
            "side": "left",
            "range": list(Y_RANGE),
            # the phase names on the axis, two lines at most: a band is short in a 16:9 chart
            "ticktext": [f"<b>Fase {p.number}</b><br>{_wrap(p.name, 22)}" for p in phases],
            "ticklabelstandoff": 6,
            "title": {"text": "Totaalscore (0–100)"},
        }
    )
    _layout(fig, title, caption, height=HEIGHT)
    fig.update_layout(margin=MARGIN)
    return fig
