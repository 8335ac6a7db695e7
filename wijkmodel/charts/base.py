"""Shared chart style: the phase palette, caption, layout, phase bands and key, and export sizing.

The figure builders (`profile_charts`, `comparison_charts`, `cycle_charts`, `priority_chart`,
`map_chart`) all build on these. Data in, Figure out. No Streamlit.

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
import plotly.graph_objects as go

from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.core import phase_array

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
    """Phase of every score (NaN when missing), by the one rule in wijkmodel.scoring.core."""
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


def _layout(fig: go.Figure, title: str, caption: Caption, height: int) -> go.Figure:
    # automargin: long wijk and theme names push the plot aside instead of being cut off
    fig.update_yaxes(tickfont={"color": "#111111"}, automargin=True)
    # titles and captions carry names users typed: escaped, so plotly never reads them as <b>, <a href>
    title_text, caption_text = html.escape(title, quote=False), html.escape(caption.text(), quote=False)
    fig.update_layout(
        title={"text": title_text, "subtitle": {"text": caption_text}, "x": 0, "xanchor": "left"},
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


def _phase_legend(fig: go.Figure, model: MaturityModel, per_line: int = 2, extra: str | None = None) -> go.Figure:
    """A key under the chart that names the four phase colours (an annotation: it touches no axis).

    Narrow charts take one phase per line so the key is never cut off. `extra` is one more line of
    the same key (a marker's meaning): in the one annotation it scales with it and never lands on
    it, as a separate plotly legend did at beamer sizes. Call after `_layout`.
    """
    entries = [
        f"<span style='color:{PHASE_COLOURS[p.number]}'>■</span> Fase {p.number} · {p.name}"
        for p in sorted(model.phases, key=lambda p: p.number)
    ]
    lines = ["&nbsp;&nbsp;&nbsp;".join(entries[i : i + per_line]) for i in range(0, len(entries), per_line)]
    if extra:
        lines.append(extra)
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
