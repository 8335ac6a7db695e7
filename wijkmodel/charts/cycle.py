"""Charts of the improvement cycle: progress between rounds, trends, gaps to targets and
perspectives. Same palette, phase bands, key and caption as `charts.py`; data in, Figure out."""

from __future__ import annotations

import html
import math

import pandas as pd
import plotly.graph_objects as go

from wijkmodel.charts.base import (
    PHASE_TINTS,
    Caption,
    _colour,
    _label,
    _layout,
    _line_factor,
    _lines,
    _phase_axis,
    _phase_bands,
    _phase_legend,
    _phases,
    _value_labels,
    key_mark,
)
from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.text import format_score

ROLE_SYMBOLS = ["circle", "square", "diamond", "triangle-up"]
"""One marker shape per role, so roles differ by shape and not only by colour."""
ROLE_COLOURS = ["#000000", "#0072B2", "#CC79A7", "#009E73"]
"""Okabe-Ito colours, none of them a phase colour, each visible on every phase band."""
SERIES_STYLES = [("circle", "solid"), ("square", "dash"), ("diamond", "dot"), ("triangle-up", "dashdot")]
MARKS = {"circle": "●", "square": "■", "diamond": "◆", "triangle-up": "▲"}
"""The marker shapes as text, for their line in the key under the chart."""


def dumbbell_figure(
    table: pd.DataFrame,
    model: MaturityModel,
    caption: Caption,
    title: str,
    names: tuple[str, str],
    labels: list[str] | None = None,
) -> go.Figure:
    """Dumbbell per row: `before` (open circle) and `after` (diamond coloured by phase) on the one
    scale, joined by a line, with a text per row (default: after, change and phase).

    `table`: index row names (wijken or items), columns `before`, `after`; `names` the key's two labels."""
    data = table.iloc[::-1]
    rows = [_label(i) for i in data.index]
    fig = go.Figure()
    _phase_bands(fig, model)
    for row, b, a in zip(rows, data["before"], data["after"], strict=True):
        if not (math.isnan(b) or math.isnan(a)):
            fig.add_trace(
                go.Scatter(
                    x=[b, a],
                    y=[row, row],
                    mode="lines",
                    line={"color": "#555555", "width": 3},
                    hoverinfo="skip",
                    showlegend=False,
                )
            )
    fig.add_trace(
        go.Scatter(
            x=data["before"],
            y=rows,
            mode="markers",
            name=names[0],
            marker={"symbol": "circle-open", "size": 16, "color": "#333333", "line": {"width": 3}},
            hovertemplate="%{y}: %{x:.1f} (" + names[0] + ")<extra></extra>",
            showlegend=False,  # named in the phase key below
        )
    )
    after_phases = _phases(data["after"].to_numpy())
    fig.add_trace(
        go.Scatter(
            x=data["after"],
            y=rows,
            mode="markers",
            name=names[1],
            marker={"symbol": "diamond", "size": 20, "color": [_colour(p) for p in after_phases]},
            hovertemplate="%{y}: %{x:.1f} (" + names[1] + ")<extra></extra>",
            showlegend=False,
        )
    )
    if labels is None:
        labels = []
        for b, a, p in zip(data["before"], data["after"], after_phases, strict=True):
            change = (
                "" if math.isnan(b) or math.isnan(a) else f" ({'+' if a - b >= 0 else '−'}{format_score(abs(a - b))})"
            )
            phase = "" if math.isnan(p) else f" · fase {int(p)}"
            labels.append(f"{format_score(a)}{change}{phase}")  # the earlier score is the open circle
    else:
        labels = labels[::-1]
    _value_labels(fig, labels, rows)
    fig.update_xaxes(_phase_axis(model))
    fig.update_yaxes(fixedrange=True)
    _layout(fig, title, caption, height=round(260 + 34 * _line_factor(data.index) * max(len(rows), 1)))
    # the two markers are named in the last line of the phase key: a plotly legend beside it, placed
    # by pixels, landed on it at other sizes (issue 16)
    names_line = f"○ {html.escape(names[0], quote=False)}&nbsp;&nbsp;&nbsp;◆ {html.escape(names[1], quote=False)}"
    return _phase_legend(fig, model, extra=[names_line])


def progress_figure(
    table: pd.DataFrame, model: MaturityModel, caption: Caption, title: str, before: str, after: str
) -> go.Figure:
    """Score in an earlier round (open circle) and now (diamond) per row, with the change as text."""
    return dumbbell_figure(table, model, caption, title, (f"Ronde {before}", f"Ronde {after}"))


def gap_figure(gaps: pd.DataFrame, model: MaturityModel, caption: Caption, title: str) -> go.Figure:
    """Now (open circle) and the target (diamond) per item, largest gap at the top.

    `gaps` as `targets.gaps` returns it (name, score, target, gap, target_date)."""
    table = pd.DataFrame({"before": gaps["score"].to_numpy(), "after": gaps["target"].to_numpy()}, index=gaps["name"])
    labels = []
    for score, target, gap in zip(gaps["score"], gaps["target"], gaps["gap"], strict=True):
        if math.isnan(score):
            labels.append(f"streef {format_score(target)} · nog geen score")
        elif gap > 0:
            labels.append(f"nog {format_score(gap)} te gaan")
        else:
            labels.append("gehaald")
    return dumbbell_figure(table, model, caption, title, ("Nu", "Streefwaarde"), labels)


def trend_figure(table: pd.DataFrame, model: MaturityModel, caption: Caption, title: str) -> go.Figure:
    """Scores over rounds: one line per column, the rounds (index labels) along the bottom, the
    phase bands behind. Each line has its own marker shape and dash, and its last value as text."""
    fig = go.Figure()
    bands = [
        {
            "type": "rect",
            "xref": "paper",
            "yref": "y",
            "x0": 0,
            "x1": 1,
            "y0": 25 * (p.number - 1),
            "y1": 25 * p.number,
            "fillcolor": PHASE_TINTS[p.number],
            "line": {"width": 0},
            "layer": "below",
        }
        for p in model.phases
    ]
    fig.update_layout(shapes=bands)
    rounds = [str(r) for r in table.index]
    key = []
    for i, column in enumerate(table.columns):
        symbol, dash = SERIES_STYLES[i % len(SERIES_STYLES)]
        colour = ROLE_COLOURS[i % len(ROLE_COLOURS)]
        values = table[column].astype(float)
        last = values.dropna()
        fig.add_trace(
            go.Scatter(
                x=rounds,
                y=values,
                name=_label(column),
                mode="lines+markers",
                line={"width": 3, "dash": dash, "color": colour},
                marker={"symbol": symbol, "size": 11, "color": colour},
                hovertemplate="%{fullData.name}, ronde %{x}: %{y:.1f}<extra></extra>",
                showlegend=False,  # named in the key, with its latest score: labels at the line ends collided
            )
        )
        now = f": {format_score(float(last.iloc[-1]))} in ronde {last.index[-1]}" if len(last) else ": nog geen score"
        key.append(f"{key_mark(colour, MARKS[symbol])} {_lines(f'{column}{now}')}")
    fig.update_yaxes(
        range=[0, 100],
        tickvals=[12.5, 37.5, 62.5, 87.5],
        ticktext=[f"<b>Fase {p.number}</b>" for p in sorted(model.phases, key=lambda p: p.number)],
        showgrid=False,
        fixedrange=True,
    )
    fig.update_xaxes(type="category", fixedrange=True, title_text="Ronde")
    _layout(fig, title, caption, height=460)
    fig.update_layout(showlegend=False)
    return _phase_legend(fig, model, extra=key, below=72)  # under the axis title 'Ronde'


def perspectives_figure(scores: pd.DataFrame, model: MaturityModel, caption: Caption, title: str) -> go.Figure:
    """Per item one marker per role on the one scale, joined by a line from lowest to highest,
    so agreement (short line) and difference (long line) show at a glance.

    `scores`: index item names in display order, one column per role."""
    data = scores.iloc[::-1]
    rows = [_label(i) for i in data.index]
    fig = go.Figure()
    _phase_bands(fig, model)
    lows, highs = data.min(axis=1), data.max(axis=1)
    for row, lo, hi in zip(rows, lows, highs, strict=True):
        if not (math.isnan(lo) or math.isnan(hi)) and hi > lo:
            fig.add_trace(
                go.Scatter(
                    x=[lo, hi],
                    y=[row, row],
                    mode="lines",
                    line={"color": "#777777", "width": 2},
                    hoverinfo="skip",
                    showlegend=False,
                )
            )
    key = []
    for i, role in enumerate(data.columns):
        symbol, colour = ROLE_SYMBOLS[i % len(ROLE_SYMBOLS)], ROLE_COLOURS[i % len(ROLE_COLOURS)]
        key.append(f"{key_mark(colour, MARKS[symbol])} {_lines(str(role))}")
        fig.add_trace(
            go.Scatter(
                x=data[role],
                y=rows,
                mode="markers",
                name=str(role),
                marker={
                    "symbol": ROLE_SYMBOLS[i % len(ROLE_SYMBOLS)],
                    "size": 14,
                    "color": ROLE_COLOURS[i % len(ROLE_COLOURS)],
                    "line": {"width": 1, "color": "#FFFFFF"},
                },
                hovertemplate="%{y}: %{x:.1f} (" + str(role) + ")<extra></extra>",
                showlegend=False,  # named in the key under the chart
            )
        )
    spread = (highs - lows).tolist()
    _value_labels(fig, ["–" if math.isnan(v) else f"verschil {format_score(v)}" for v in spread], rows)
    fig.update_xaxes(_phase_axis(model))
    fig.update_yaxes(fixedrange=True)
    _layout(fig, title, caption, height=round(240 + 34 * _line_factor(data.index) * max(len(rows), 1)))
    return _phase_legend(fig, model, extra=key)
