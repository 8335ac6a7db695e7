"""Charts of one wijk: the start position over the four phase columns, and the profile of its
themes and basic functions. Same palette, phase bands, key and caption as `charts.py`; data in,
Figure out. No Streamlit."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from wijkmodel.charts.base import (
    PHASE_COLOURS,
    Caption,
    _colour,
    _layout,
    _phase_axis,
    _phase_bands,
    _phase_legend,
    _phases,
    _value_labels,
)
from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.text import format_score, phase_name


def startpositie_figure(rows: pd.DataFrame, model: MaturityModel, caption: Caption, title: str) -> go.Figure:
    """The publication's picture: one horizontal line per theme over the four phase columns.

    `rows`: one row per theme in display order with columns `name`, `score` (NaN = not placed).
    """
    fig = go.Figure()
    _phase_bands(fig, model)
    names = list(rows["name"])[::-1]
    scores = list(rows["score"])[::-1]
    placed = [not math.isnan(s) for s in scores]
    fig.add_trace(
        go.Scatter(
            x=[100] * len(names),
            y=names,
            mode="lines",
            line={"width": 0},
            hoverinfo="skip",
            showlegend=False,
        )
    )
    for phase_number, colour in PHASE_COLOURS.items():
        pick = [i for i, p in enumerate(_phases(scores)) if p == phase_number]
        if not pick:
            continue
        fig.add_trace(
            go.Scatter(
                x=[scores[i] for i in pick],
                y=[names[i] for i in pick],
                mode="markers+text",
                marker={"symbol": "diamond", "size": 22, "color": colour, "line": {"color": "#FFFFFF", "width": 2}},
                text=[f"{format_score(scores[i])}" for i in pick],
                textposition="middle right",
                textfont={"size": 14, "color": "#111111"},
                name=f"Fase {phase_number}",
                hovertemplate="%{y}: %{x:.0f} · " + phase_name(model, phase_number) + "<extra></extra>",
                showlegend=False,
            )
        )
    for i, name in enumerate(names):
        if not placed[i]:
            fig.add_annotation(
                x=2,
                y=name,
                text="nog niet geplaatst",
                showarrow=False,
                xanchor="left",
                font={"color": "#444444", "size": 13},
            )
    fig.update_xaxes(_phase_axis(model, names=True))
    fig.update_yaxes(fixedrange=True, showgrid=True, gridcolor="#BBBBBB", griddash="dot")
    return _layout(fig, title, caption, height=200 + 60 * len(names))


def profile_figure(
    items: pd.DataFrame, model: MaturityModel, caption: Caption, title: str, targets: pd.Series | None = None
) -> go.Figure:
    """Themes and basic functions on the one scale: bars coloured by phase over the phase bands.

    `items`: rows in display order with `label`, `score`, `phase`, `low`, `high`, `note` (shown
    after the number, e.g. 'onzeker'). `targets` (by label, NaN where none) adds an open diamond
    per item: the target beside the current score.
    """
    fig = go.Figure()
    _phase_bands(fig, model)
    data = items.iloc[::-1]
    colours = [_colour(p) for p in data["phase"]]
    texts = [
        ("–  nog geen score" if math.isnan(s) else f"{format_score(s)} · fase {int(p)}") + (f" · {n}" if n else "")
        for s, p, n in zip(data["score"], data["phase"], data["note"], strict=True)
    ]
    spread_plus = (data["high"] - data["score"]).fillna(0).clip(lower=0)
    spread_minus = (data["score"] - data["low"]).fillna(0).clip(lower=0)
    fig.add_trace(
        go.Bar(
            x=data["score"].fillna(0),
            y=data["label"],
            orientation="h",
            marker={"color": colours, "line": {"color": "#FFFFFF", "width": 1}},
            error_x={
                "type": "data",
                "array": spread_plus,
                "arrayminus": spread_minus,
                "color": "#333333",
                "thickness": 1.5,
                "width": 4,
            },
            customdata=[
                [phase_name(model, p), format_score(lo), format_score(hi)]
                for p, lo, hi in zip(data["phase"], data["low"], data["high"], strict=True)
            ],
            hovertemplate="%{y}: %{x:.1f} · %{customdata[0]}<br>laagste en hoogste %{customdata[1]}–%{customdata[2]}"
            "<extra></extra>",
            showlegend=False,
        )
    )
    if targets is not None and targets.notna().any():
        wanted = targets.reindex(data["label"]).to_numpy(dtype=float)
        fig.add_trace(
            go.Scatter(
                x=wanted,
                y=data["label"],
                mode="markers",
                name="Streefwaarde",
                marker={"symbol": "diamond-open", "size": 18, "color": "#111111", "line": {"width": 3}},
                hovertemplate="%{y}: streefwaarde %{x:.0f}<extra></extra>",
                showlegend=False,  # named in the phase key below, as its last line
            )
        )
    _value_labels(fig, texts, list(data["label"]))
    fig.update_xaxes(_phase_axis(model))
    fig.update_yaxes(fixedrange=True)
    with_targets = targets is not None and targets.notna().any()
    return _phase_legend(
        _layout(fig, title, caption, height=200 + 40 * len(data)),
        model,
        extra=["◇ Streefwaarde"] if with_targets else [],
    )
