"""Charts that compare wijken: heatmap, radar, ranking and small multiples. Same palette, phase
bands, key and caption as `charts.py`; data in, Figure out. No Streamlit."""

from __future__ import annotations

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
    _phase_axis,
    _phase_bands,
    _phase_legend,
    _phases,
    _value_labels,
)
from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.text import format_score, phase_name


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
    fig = go.Figure(
        go.Heatmap(
            z=[[None if math.isnan(p) else p - 0.5 for p in row] for row in phases],
            x=list(table.columns),
            y=[_label(u) for u in table.index],
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
    fig.update_xaxes(side="top", tickangle=-30, fixedrange=True, showgrid=False)
    fig.update_yaxes(autorange="reversed", fixedrange=True, showgrid=False)
    row_height = (34 if len(table.index) <= 40 else 22) * _line_factor(table.index)
    _layout(fig, title, caption, height=round(230 + row_height * len(table.index)))
    fig.update_layout(plot_bgcolor=MISSING_COLOUR, margin={"t": 190})
    _phase_legend(fig, model)
    fig.add_annotation(
        text="Grijs met – : nog geen score.",
        xref="paper",
        yref="paper",
        x=1,
        y=0,
        yshift=-48,
        xanchor="right",
        yanchor="top",
        showarrow=False,
        font={"size": 12, "color": "#333333"},
    )
    return fig


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
    labels = [*table.columns, table.columns[0]]
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
                    theta=list(table.columns),
                    name=f"{unit}: streefwaarde",
                    mode="markers",
                    marker={"symbol": "diamond-open", "size": 13, "color": colours[k], "line": {"width": 2.5}},
                    hovertemplate=f"{unit} · %{{theta}}: streefwaarde %{{r:.0f}}<extra></extra>",
                )
            )
    fig.update_polars(
        radialaxis={
            "range": [0, 100],
            "tickvals": [25, 50, 75, 100],
            "ticktext": ["25 (fase 2)", "50 (fase 3)", "75 (fase 4)", "100"],
            "angle": 90,
            "tickfont": {"size": 11},
        },
        angularaxis={"direction": "clockwise"},
    )
    fig.update_layout(legend={"orientation": "h", "y": -0.1})
    _layout(fig, title, caption, height=640)
    fig.update_layout(margin={"l": 120, "r": 120})
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
    if missing:
        fig.add_annotation(
            x=0,
            y=-0.08,
            xref="paper",
            yref="paper",
            showarrow=False,
            xanchor="left",
            text="Nog geen score: " + ", ".join(map(str, missing)),
            font={"size": 12, "color": "#444444"},
        )
    fig.update_xaxes(_phase_axis(model, room_for_labels=True))
    fig.update_yaxes(fixedrange=True)
    height = round(260 + 30 * _line_factor(data.index) * max(len(data), 1))
    return _phase_legend(_layout(fig, title, caption, height=height), model, per_line=1)


def small_multiples_figure(
    table: pd.DataFrame, model: MaturityModel, caption: Caption, title: str, columns: int = 4
) -> go.Figure:
    """One mini profile per unit: the items as bars coloured by phase, on the same 0-100 scale."""
    n = len(table.index)
    rows = max(1, math.ceil(n / columns))
    fig = make_subplots(
        rows=rows,
        cols=columns,
        subplot_titles=[str(u) for u in table.index],
        horizontal_spacing=0.03,
        vertical_spacing=min(0.08, 0.3 / rows),
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
    fig.update_xaxes(range=[0, 100], tickvals=[25, 50, 75], showgrid=True, gridcolor="#999999", fixedrange=True)
    fig.update_yaxes(showticklabels=False, fixedrange=True, type="category", categoryorder="array", categoryarray=items)
    fig.update_yaxes(showticklabels=True, tickfont={"size": 11}, col=1)
    fig.update_annotations(font_size=13)
    return _phase_legend(_layout(fig, title, caption, height=220 + 330 * rows), model)
