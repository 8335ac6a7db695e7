"""Plotly figure builders: data in, Figure out. No Streamlit.

One phase palette everywhere: four ordered, colour-blind-safe colours (red → blue, the
RdYlBu ends), each at least 3:1 against white, and the phase number and name always as text too.
Numbers use the Dutch format (decimal comma).
"""

from __future__ import annotations

import datetime as dt
import html
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from wijkmodel.model import MaturityModel
from wijkmodel.scoring import format_score, phase_array

PHASE_COLOURS = {1: "#A50026", 2: "#B8561B", 3: "#4575B4", 4: "#313695"}
"""Phase 1..4: ordered, colour-blind safe, each >= 3:1 against white."""
PHASE_TEXT_COLOURS = {1: "#FFFFFF", 2: "#FFFFFF", 3: "#FFFFFF", 4: "#FFFFFF"}
"""Text on a phase colour, each >= 4.5:1."""
PHASE_TINTS = {1: "#F6E0E3", 2: "#FAE7DD", 3: "#E1E8F4", 4: "#DFE0EF"}
"""Light backgrounds of the four phase bands."""
MISSING_COLOUR = "#D9D9D9"
NAME_WIDTH = 32
"""Characters per line of a wijk name beside a chart; longer names wrap instead of squeezing the plot."""
FONT_SIZE = 14
FONT = {"family": "Source Sans Pro, Arial, sans-serif", "size": FONT_SIZE, "color": "#111111"}


def _phases(values: object) -> list[float]:
    """Phase of every score (NaN when missing), by the one rule in wijkmodel.scoring."""
    return phase_array(np.asarray(values, dtype=float)).tolist()


def _colour(phase: float) -> str:
    """Colour of a phase; grey for a missing score."""
    return MISSING_COLOUR if math.isnan(phase) else PHASE_COLOURS[int(phase)]


@dataclass(frozen=True)
class Caption:
    """What every chart caption names: municipality, round, rule and date."""

    municipality: str
    round_label: str
    rule_label: str
    date: dt.date

    def text(self) -> str:
        """'Voorbeeldstad · ronde 2026 · totaalfase: gemiddelde van de thema's · 23-11-2026'."""
        return (
            f"{self.municipality} · ronde {self.round_label} · totaalfase: {self.rule_label} · "
            f"{self.date.strftime('%d-%m-%Y')}"
        )


def phase_name(model: MaturityModel, phase: float | None) -> str:
    """'fase 3 · Wijkgericht werken is de werkwijze', or 'nog niet bepaald'."""
    if phase is None or (isinstance(phase, float) and math.isnan(phase)):
        return "nog niet bepaald"
    number = int(phase)
    return f"fase {number} · {model.phase(number).name}"


def _layout(fig: go.Figure, title: str, caption: Caption, height: int) -> go.Figure:
    # automargin: long wijk and theme names push the plot aside instead of being cut off
    fig.update_yaxes(tickfont={"color": "#111111"}, automargin=True)
    fig.update_layout(
        title={"text": title, "subtitle": {"text": caption.text()}, "x": 0, "xanchor": "left"},
        font=FONT,
        separators=",.",
        height=height,
        margin={"l": 10, "r": 20, "t": 90, "b": 110},
        paper_bgcolor="#FFFFFF",
        plot_bgcolor="#FFFFFF",
        hoverlabel={"font_size": 14},
    )
    return fig


def empty_message(fig: go.Figure, text: str) -> None:
    """Say in the middle of an empty chart why it is empty."""
    fig.add_annotation(
        text=text, xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False, font={"size": 15, "color": "#333333"}
    )


def _phase_bands(fig: go.Figure, model: MaturityModel) -> None:
    """Four light vertical bands 0-25-50-75-100 behind the data (set in one go: add_vrect is slow)."""
    bands = [
        {
            "type": "rect",
            "xref": "x",
            "yref": "paper",
            "x0": 25 * (phase.number - 1),
            "x1": 25 * phase.number,
            "y0": 0,
            "y1": 1,
            "fillcolor": PHASE_TINTS[phase.number],
            "line": {"width": 0},
            "layer": "below",
        }
        for phase in sorted(model.phases, key=lambda p: p.number)
    ]
    fig.update_layout(shapes=[*fig.layout.shapes, *bands])


def _wrap(text: str, width: int = 16) -> str:
    """Break a phase name over lines for a narrow tick label."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def _label(name: object) -> str:
    """A wijk name as a chart label: wrapped, and never read as markup (plotly renders some tags)."""
    return _wrap(html.escape(str(name), quote=False), NAME_WIDTH)


def _line_factor(names: object) -> float:
    """How much taller each row must be for the longest wrapped name (1 for one line)."""
    lines = max((_label(n).count("<br>") + 1 for n in names), default=1)  # type: ignore[attr-defined]
    return max(1.0, 0.55 * lines + 0.45)


def _phase_axis(model: MaturityModel, *, room_for_labels: bool = False, names: bool = False) -> dict:
    """The 0-100 axis with the four phases under their bands (never rotated). Charts with a phase
    legend show 'Fase k' only; the legend names them."""
    phases = sorted(model.phases, key=lambda p: p.number)
    return {
        "range": [0, 142 if room_for_labels else 100],
        "tickvals": [12.5, 37.5, 62.5, 87.5],
        "ticktext": [f"<b>Fase {p.number}</b>" + (f"<br>{_wrap(p.name)}" if names else "") for p in phases],
        "tickangle": 0,
        "tickfont": {"size": 12},
        "showgrid": False,
        "zeroline": False,
        "fixedrange": True,
        "side": "bottom",
    }


def _phase_legend(fig: go.Figure, model: MaturityModel, per_line: int = 2) -> go.Figure:
    """A key under the chart that names the four phase colours (an annotation: it touches no axis).

    Narrow charts take one phase per line so the key is never cut off. Call after `_layout`.
    """
    entries = [
        f"<span style='color:{PHASE_COLOURS[p.number]}'>■</span> Fase {p.number} · {p.name}"
        for p in sorted(model.phases, key=lambda p: p.number)
    ]
    lines = ["&nbsp;&nbsp;&nbsp;".join(entries[i : i + per_line]) for i in range(0, len(entries), per_line)]
    fig.add_annotation(
        text="<br>".join(lines),
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-48,
        xanchor="left",
        yanchor="top",
        align="left",
        showarrow=False,
        font={"size": 13, "color": "#111111"},
    )
    fig.update_layout(margin={"b": 70 + 20 * len(lines)}, height=fig.layout.height + 20 * (len(lines) - 2))
    return fig


def _value_labels(fig: go.Figure, labels: list[str], y: list[str]) -> None:
    """Score and phase as text in a column right of the bands, clear of bars and whiskers."""
    fig.add_trace(
        go.Scatter(
            x=[101] * len(y),
            y=y,
            mode="text",
            text=labels,
            textposition="middle right",
            textfont={"size": 13, "color": "#111111"},
            hoverinfo="skip",
            showlegend=False,
        )
    )


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
            hovertemplate="%{y}: %{x:.1f} · %{customdata[0]}<br>spreiding %{customdata[1]}–%{customdata[2]}"
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
            )
        )
    _value_labels(fig, texts, list(data["label"]))
    fig.update_xaxes(_phase_axis(model, room_for_labels=True))
    fig.update_yaxes(fixedrange=True)
    fig = _phase_legend(_layout(fig, title, caption, height=200 + 40 * len(data)), model, per_line=1)
    if targets is not None and targets.notna().any():
        # the target's key goes under the phase key (beside it there is no room in a narrow column)
        fig.update_layout(margin={"b": fig.layout.margin.b + 34}, height=fig.layout.height + 34)
        plot_height = max(1, fig.layout.height - fig.layout.margin.t - fig.layout.margin.b)
        below = -(48 + 4 * 17 + 8) / plot_height
        fig.update_layout(legend={"orientation": "h", "x": 0, "xanchor": "left", "y": below, "yanchor": "top"})
    return fig


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


def sized(fig: go.Figure, width: int, height: int, factor: float = 1.5, squeeze: float = 1.3) -> go.Figure:
    """The chart for a slide or page of `width` x `height` pixels, its fonts `factor` larger.

    A chart may be squeezed to at most 1/`squeeze` of its enlarged height to fill the box; a taller
    one (many wijken) keeps its height and is scaled down as a whole where it is placed."""
    big = enlarged(fig, factor)
    natural = int(big.layout.height or height)
    big.update_layout(width=width, height=max(height, round(natural / squeeze)))
    return big


def enlarged(fig: go.Figure, factor: float = 1.4) -> go.Figure:
    """A copy with every font scaled up, for a beamer: the same chart, readable from the back of the room."""
    big = go.Figure(fig)

    def scale(font: object) -> None:
        size = getattr(font, "size", None)
        if size:
            font.size = round(size * factor)  # type: ignore[attr-defined]

    big.update_layout(font_size=round(FONT_SIZE * factor), height=round((big.layout.height or 500) * factor))
    scale(big.layout.title.font)
    scale(big.layout.title.subtitle.font)
    for annotation in big.layout.annotations:
        scale(annotation.font)
        if annotation.yshift:  # notes under the axis move down with the larger axis title
            annotation.yshift = round(annotation.yshift * factor)
    for axis in (big.layout[k] for k in big.layout if k.startswith(("xaxis", "yaxis"))):
        scale(axis.tickfont)
    for trace in big.data:
        if hasattr(trace, "textfont"):
            scale(trace.textfont)
    margin = big.layout.margin
    big.update_layout(margin={"b": round((margin.b or 80) * factor), "t": round((margin.t or 90) * factor)})
    return big
