"""Charts that compare wijken: heatmap, radar, ranking and small multiples. Same palette, phase
bands, key and caption as `charts.py`; data in, Figure out. No Streamlit."""

from __future__ import annotations

import html
import math

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from wijkmodel.charts.base import (
    MISSING_COLOUR,
    PHASE_COLOURS,
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
    _wrap,
    key_mark,
)
from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.text import format_score, phase_name

HEATMAP_NAME_WIDTH = 40
"""Characters of a wijk's name beside a heatmap row; a longer name is shortened."""


def _shortened(names: list[str], width: int) -> list[str]:
    """Names on one line of at most about `width` characters ('…' where cut), escaped; names stay
    distinct (a number is added when two shorten alike, or a row would vanish into another)."""
    out: list[str] = []
    seen: dict[str, int] = {}
    for name in names:
        short = name if len(name) <= width else name[: width - 1].rstrip() + "…"
        seen[short] = seen.get(short, 0) + 1
        out.append(html.escape(short if seen[short] == 1 else f"{short} ({seen[short]})", quote=False))
    return out


LABEL_ANGLE = 60
"""Degrees the item names over a heatmap are turned: steep enough that two lines fit over a column
of 45 pixels (a 1280-pixel screen with long wijk names), flat enough to read."""
HEATMAP_LABEL_WIDTH = 18
"""Characters per line of an item's name over a heatmap column (two lines for the longest)."""
SMALL_TITLE_WIDTH = 22
"""Characters per line of a wijk's name over its small profile (four side by side)."""
RADAR_LABEL_WIDTH = 13
"""Characters per line of an item's name round the radar."""


def heatmap_figure(table: pd.DataFrame, model: MaturityModel, caption: Caption, title: str) -> go.Figure:
    """Units x items, each cell coloured by phase and showing its score (– when missing).

    `table`: index = unit names, columns = item names, values = scores (NaN allowed).
    """
    scores = table.to_numpy(dtype=float)
    phases = [_phases(row) for row in scores]
    # discrete colour scale: phase k maps to its colour; missing cells are transparent on grey paper
    scale = []
    for k in range(1, 5):
        scale += [[(k - 1) / 4, PHASE_COLOURS[k]], [k / 4, PHASE_COLOURS[k]]]
    text = [["–" if math.isnan(v) else format_score(v) for v in row] for row in scores]
    hover = [
        [f"{unit} · {item}: {t} · {phase_name(model, p)}" for item, t, p in zip(table.columns, trow, prow, strict=True)]
        for unit, trow, prow in zip(table.index, text, phases, strict=True)
    ]
    # item names on at most two short lines, turned: low enough to leave the rows room on a 1280x720
    # beamer, narrow enough (two lines) for the columns of a 1280-pixel screen
    columns = [_wrap(html.escape(str(c), quote=False), HEATMAP_LABEL_WIDTH) for c in table.columns]
    # one line per name, shortened with '…' where long (the full name is in the hover and the table):
    # the rows of a heatmap on a 1280x720 beamer are too low for names of two lines
    rows = _shortened([str(u) for u in table.index], HEATMAP_NAME_WIDTH)
    fig = go.Figure(
        go.Heatmap(
            z=[[None if math.isnan(p) else p - 0.5 for p in row] for row in phases],
            x=columns,
            y=rows,
            zmin=0,
            zmax=4,
            colorscale=scale,
            showscale=False,
            xgap=2,
            ygap=2,
            text=text,
            # plotly picks black or white per cell for contrast with its phase colour
            texttemplate="%{text}",
            textfont={"size": 13 if len(table.index) <= 40 else 11},
            customdata=hover,
            hovertemplate="%{customdata}<extra></extra>",
        )
    )
    # on top, turned: eleven item names fit above narrow columns; automargin keeps them whole
    fig.update_xaxes(side="top", tickangle=-LABEL_ANGLE, fixedrange=True, showgrid=False, automargin=True)
    # every wijk named (plotly leaves names out when rows are low; the layout test fails that)
    fig.update_yaxes(autorange="reversed", fixedrange=True, showgrid=False, tickmode="array", tickvals=rows)
    row_height = 34 if len(table.index) <= 40 else 22
    _layout(fig, title, caption, height=round(230 + row_height * len(table.index)))
    # the turned item names sit between the caption and the cells: room for the longest
    longest = max((len(line) for c in columns for line in c.split("<br>")), default=0)
    lines = max((c.count("<br>") + 1 for c in columns), default=1)
    label_room = round((longest * 0.55 * 13 + 16 * lines) * math.sin(math.radians(LABEL_ANGLE)) + 16)
    # the chart grows by that room too: a few rows (a region of five) would otherwise be squeezed flat
    fig.update_layout(
        plot_bgcolor=MISSING_COLOUR,
        margin={"t": fig.layout.margin.t + label_room},
        height=fig.layout.height + label_room,
    )
    return _phase_legend(fig, model, extra=[f"{key_mark(MISSING_COLOUR)} Grijs met –: nog geen score"], below=16)


def radar_figure(
    table: pd.DataFrame, model: MaturityModel, caption: Caption, title: str, targets: pd.DataFrame | None = None
) -> go.Figure:
    """Overlay radar of up to six units over all items (rings at the phase borders). `targets`
    (same index and columns, NaN where none) adds each unit's targets as open diamonds in its colour."""
    if len(table.index) > 6:
        raise ValueError("een radar is leesbaar tot zes wijken; kies er minder")
    dashes = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"]
    markers = ["circle", "square", "diamond", "triangle-up", "x", "star"]
    colours = ["#1B1B1B", "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00"]  # Okabe-Ito
    fig = go.Figure()
    # item names wrapped short: the names round the circle have no margin that grows to fit them
    wrapped = [_wrap(html.escape(str(c), quote=False), RADAR_LABEL_WIDTH) for c in table.columns]
    labels = [*wrapped, wrapped[0]]
    for k, (unit, row) in enumerate(table.iterrows()):
        values = [*row.to_list(), row.iloc[0]]
        fig.add_trace(
            go.Scatterpolar(
                r=[None if math.isnan(v) else v for v in values],
                theta=labels,
                name=str(unit),
                mode="lines+markers",
                line={"dash": dashes[k], "color": colours[k], "width": 2},
                marker={"symbol": markers[k], "size": 8},
                hovertemplate=f"{unit} · %{{theta}}: %{{r:.1f}}<extra></extra>",
            )
        )
        wanted = targets.loc[unit] if targets is not None and unit in targets.index else None
        if wanted is not None and wanted.notna().any():
            fig.add_trace(
                go.Scatterpolar(
                    r=[None if math.isnan(v) else v for v in wanted.reindex(table.columns).to_numpy(dtype=float)],
                    theta=wrapped,
                    name=f"{unit}: streefwaarde",
                    mode="markers",
                    marker={"symbol": "diamond-open", "size": 13, "color": colours[k], "line": {"width": 2.5}},
                    hovertemplate=f"{unit} · %{{theta}}: streefwaarde %{{r:.0f}}<extra></extra>",
                )
            )
    fig.update_polars(
        radialaxis={
            "range": [0, 100],
            # short numbers: longer labels ran into each other; the caption says what the rings are
            "tickvals": [25, 50, 75],
            "ticktext": ["25", "50", "75"],
            # between the first and the last item: on an item's spoke its numbers ran over its name
            "angle": 90 + 180 / max(len(table.columns), 1),
            "tickangle": 0,
            "tickfont": {"size": 11},
        },
        angularaxis={"direction": "clockwise", "tickfont": {"size": 12}},
    )
    rings = "ringen: de grens van fase 2 (25), fase 3 (50) en fase 4 (75)"
    _layout(fig, title, caption, height=680, subtitle=f"{caption.text()} · {rings}")
    fig.update_layout(
        legend={"orientation": "h", "x": 0, "xanchor": "left", "yref": "container", "y": 0, "yanchor": "bottom"},
        margin={"l": 110, "r": 110, "b": 120},
    )
    return fig


def ranking_figure(series: pd.Series, model: MaturityModel, caption: Caption, title: str) -> go.Figure:
    """Units ranked on one theme or basic function, highest first, bars coloured by phase."""
    data = series.dropna().sort_values(ascending=True)
    missing = series.index[series.isna()].tolist()
    fig = go.Figure()
    _phase_bands(fig, model)
    phases = [int(p) for p in _phases(data.to_numpy())]
    fig.add_trace(
        go.Bar(
            x=data.to_numpy(),
            y=[_label(i) for i in data.index],
            orientation="h",
            marker={"color": [PHASE_COLOURS[p] for p in phases]},
            hovertemplate="%{y}: %{x:.1f}<extra></extra>",
            showlegend=False,
        )
    )
    _value_labels(
        fig,
        [f"{format_score(v)} · fase {p}" for v, p in zip(data, phases, strict=True)],
        [_label(i) for i in data.index],
    )
    fig.update_xaxes(_phase_axis(model))
    fig.update_yaxes(fixedrange=True)
    height = round(260 + 30 * _line_factor(data.index) * max(len(data), 1))
    # what has no score is said in the key, under the chart, never on the axis labels
    no_score = _lines("Nog geen score: " + ", ".join(map(str, missing))).split("<br>") if missing else []
    return _phase_legend(_layout(fig, title, caption, height=height), model, extra=no_score)


def small_multiples_figure(
    table: pd.DataFrame, model: MaturityModel, caption: Caption, title: str, columns: int = 4
) -> go.Figure:
    """One mini profile per unit: the items as bars coloured by phase, on the same 0-100 scale."""
    n = len(table.index)
    rows = max(1, math.ceil(n / columns))
    fig = make_subplots(
        rows=rows,
        cols=columns,
        subplot_titles=[_wrap(html.escape(str(u), quote=False), SMALL_TITLE_WIDTH) for u in table.index],
        horizontal_spacing=0.03,
        # room between rows for the tick numbers above and the names (up to three lines) below
        vertical_spacing=min(110 / (330 * rows), 0.9 / max(rows - 1, 1)),
    )
    items = list(table.columns)[::-1]
    for k, (_unit, row) in enumerate(table.iterrows()):
        r, c = k // columns + 1, k % columns + 1
        values = row.to_numpy(dtype=float)[::-1]
        colours = [_colour(p) for p in _phases(values)]
        fig.add_trace(
            go.Bar(
                x=[0 if math.isnan(v) else v for v in values],
                y=items,
                orientation="h",
                marker={"color": colours},
                hovertemplate="%{y}: %{x:.1f}<extra></extra>",
                showlegend=False,
            ),
            row=r,
            col=c,
        )
        if all(math.isnan(v) for v in values):  # say it: an empty plot could be read as all zero
            fig.add_annotation(
                text="nog geen score",
                xref="x domain",
                yref="y domain",
                x=0.5,
                y=0.5,
                showarrow=False,
                font={"size": 13, "color": "#444444"},
                row=r,
                col=c,
            )
    fig.update_xaxes(range=[0, 100], tickvals=[25, 50, 75], showgrid=True, gridcolor="#999999", fixedrange=True)
    fig.update_yaxes(showticklabels=False, fixedrange=True, type="category", categoryorder="array", categoryarray=items)
    fig.update_yaxes(showticklabels=True, tickfont={"size": 11}, col=1)
    fig.update_annotations(font_size=13)
    _layout(fig, title, caption, height=220 + 330 * rows)
    # the first row's names sit above their plots, in the top margin: room for their lines
    lines = max((a.text.count("<br>") + 1 for a in fig.layout.annotations if a.text != "nog geen score"), default=1)
    fig.update_layout(margin={"t": fig.layout.margin.t + 18 * lines})
    return _phase_legend(fig, model)
