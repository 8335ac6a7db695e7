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
from collections.abc import Sequence
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


TITLE_WIDTH = 60
"""Characters per line of a chart's title and caption: they wrap rather than run out of a narrow chart
(plotly never wraps text itself, and a chart does not know the width it will get)."""


def _lines(text: str, width: int = TITLE_WIDTH) -> str:
    """Plain text (a title, a caption) escaped and broken over lines of at most `width` characters,
    between its ' · ' parts where it has them (a caption: municipality · round · rule · date)."""
    lines: list[str] = []
    for part in html.escape(text, quote=False).split(" · "):
        if lines and len(lines[-1]) + 3 + len(part) <= width:
            lines[-1] += " · " + part
        else:
            lines += _wrap(part, width).split("<br>")
    return "<br>".join(lines)


def _title_block(lines: int, title_size: float) -> tuple[float, float]:
    """Lift and height (px) of a title of so many lines at `title_size`: plotly lifts a title of two
    or more lines by about 0.8 of its font size (plotly.js issue 6472; measured with plotly 7.1)."""
    lift = 0.83 * title_size if lines > 1 else 0.0
    return lift, (1.3 + 1.55 * (lines - 1)) * title_size


def _title_room(title_lines: int, caption_lines: int, size: float = FONT_SIZE) -> tuple[int, int]:
    """Padding above the title and the top margin for a title and caption of so many lines, at base
    font `size`: the title is padded down by as much as plotly lifts it, and the plot starts under
    the caption's last line (measured in Chromium; the layout test checks it)."""
    lift, title = _title_block(title_lines, 1.2 * size)  # plotly's title font: 1.2 x the base font
    caption = (2.5 + 0.65 * (caption_lines - 1)) * size
    # the title's top lands 12 px under the edge; the plot starts under the caption's last line
    return round(12 + lift), round(12 + title + caption + 16)


CAPTION_COLOUR = "#444444"


def without_title(figure: go.Figure) -> go.Figure:
    """A copy of a chart for a slide, whose own title says what it shows: the title text is left out,
    the caption (municipality, round, rule, date) stays at the top in small grey type, and the top
    margin shrinks by the room the title took. A chart not made by `_layout` is returned as it is."""
    title = figure.layout.title
    caption = title.subtitle.text
    if not title.text or not caption:
        return figure
    size = figure.layout.font.size or FONT_SIZE
    _, before = _title_room(title.text.count("<br>") + 1, caption.count("<br>") + 1, size)
    small = round(size * 0.85)
    lift, block = _title_block(caption.count("<br>") + 1, small)
    bare = go.Figure(figure)
    bare.update_layout(
        title={
            "text": caption,  # escaped already by `_layout`
            "font": {"size": small, "color": CAPTION_COLOUR},
            "subtitle": {"text": ""},
            "pad": {"t": round(12 + lift)},
        },
        margin={"t": max(round((figure.layout.margin.t or before) - before + 12 + block + 14), 30)},
    )
    return bare


def _layout(fig: go.Figure, title: str, caption: Caption, height: int, subtitle: str | None = None) -> go.Figure:
    """Title, caption (or `subtitle` instead), fonts, margins and height of every chart."""
    # automargin: long wijk and theme names push the plot aside instead of being cut off
    fig.update_yaxes(tickfont={"color": "#111111"}, automargin=True)
    fig.update_xaxes(automargin=True)
    # titles and captions carry names users typed: escaped, so plotly never reads them as <b>, <a href>
    title_text, caption_text = _lines(title), _lines(caption.text() if subtitle is None else subtitle)
    pad, top = _title_room(title_text.count("<br>") + 1, caption_text.count("<br>") + 1)
    fig.update_layout(
        title={
            "text": title_text,
            "subtitle": {"text": caption_text},
            "x": 0,
            "xanchor": "left",
            "yref": "container",
            "y": 1,
            "yanchor": "top",
            "pad": {"t": pad},
        },
        font=FONT,
        separators=",.",
        height=height,
        margin={"l": 10, "r": 20, "t": top, "b": 110},
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


def _label(name: object, width: int = NAME_WIDTH) -> str:
    """A wijk name as a chart label: wrapped, and never read as markup (plotly renders some tags)."""
    return _wrap(html.escape(str(name), quote=False), width)


def _line_factor(names: object) -> float:
    """How much taller each row must be for the longest wrapped name (1 for one line)."""
    lines = max((_label(n).count("<br>") + 1 for n in names), default=1)  # type: ignore[attr-defined]
    return max(1.0, 0.55 * lines + 0.45)


def _phase_axis(model: MaturityModel, *, names: bool = False) -> dict:
    """The 0-100 axis with the four phases under their bands (never rotated). Charts with a phase
    key show 'Fase k' only; the key names them."""
    phases = sorted(model.phases, key=lambda p: p.number)
    return {
        "range": [0, 100],
        "tickvals": [12.5, 37.5, 62.5, 87.5],
        "ticktext": [f"<b>Fase {p.number}</b>" + (f"<br>{_wrap(p.name)}" if names else "") for p in phases],
        "tickangle": 0,
        "tickfont": {"size": 12},
        "showgrid": False,
        "zeroline": False,
        "fixedrange": True,
        "side": "bottom",
    }


def key_mark(colour: str, mark: str = "■") -> str:
    """A coloured mark for a line of the key: '■' for a phase colour, '◆', '●', ... for a marker."""
    return f"<span style='color:{colour}'>{mark}</span>"


KEY_FONT = 13
KEY_LINE = 21
"""Font size and line height (px) of the key under a chart."""


def _phase_legend(fig: go.Figure, model: MaturityModel, extra: Sequence[str] = (), below: int = 48) -> go.Figure:
    """A key at the foot of the chart: the four phase colours, one per line, then the `extra` lines
    (markers, series, what has no score).

    A plotly legend of text-only entries, anchored to the figure's left and bottom edges (not the
    plot's, which move with the width of the wijk names), one entry per line: a chart does not know
    how wide it will be drawn, and a line of two phases ran out of narrow charts. The `extra` lines
    are markup (escape what a user typed). `below`: pixels kept between the plot's foot and the key
    for the tick labels. Call after `_layout`."""
    lines = [
        f"{key_mark(PHASE_COLOURS[p.number])} Fase {p.number} · {p.name}"
        for p in sorted(model.phases, key=lambda p: p.number)
    ]
    lines += list(extra)
    for rank, line in enumerate(lines):
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                marker={"color": "rgba(0,0,0,0)"},
                name=line,
                legendrank=rank,
                hoverinfo="skip",
                showlegend=True,
            )
        )
    count = sum(line.count("<br>") + 1 for line in lines)
    key_height = 16 + KEY_LINE * count
    fig.update_layout(
        showlegend=True,
        legend={
            # horizontal: plotly reserves the key's height at the foot on top of the tick labels'
            # room, and the entries wrap to the width the chart gets (a vertical key reserved its
            # width at the left instead)
            "orientation": "h",
            "xref": "container",
            "x": 0,
            "xanchor": "left",
            "yref": "container",
            "y": 0,
            "yanchor": "bottom",
            "itemwidth": 30,
            "itemclick": False,
            "itemdoubleclick": False,
            "font": {"size": KEY_FONT, "color": "#111111"},
            "tracegroupgap": 0,
        },
        margin={"b": below + key_height},
        height=fig.layout.height + below + key_height - 110,
    )
    return fig


def key_entries(fig: go.Figure) -> list[str]:
    """The lines of the key under a chart (`_phase_legend`), in order."""
    entries = [t for t in fig.data if t.showlegend and t.legendrank is not None and t.hoverinfo == "skip"]
    return [t.name for t in sorted(entries, key=lambda t: t.legendrank)]


def _value_labels(fig: go.Figure, labels: list[str], y: list[str]) -> None:
    """Score and phase as text beside each row, right of the plot: the tick labels of a second y axis,
    so the plot's margin grows to fit them (text inside the plot was cut off in narrow charts)."""
    fig.add_trace(
        go.Scatter(
            x=[None] * len(y),
            y=y,
            yaxis="y2",
            mode="markers",
            marker={"opacity": 0},
            hoverinfo="skip",
            showlegend=False,
        )
    )
    fig.update_layout(
        yaxis2={
            "overlaying": "y",
            "matches": "y",
            "side": "right",
            "tickmode": "array",
            "tickvals": y,
            "ticktext": labels,
            "tickfont": {"size": 13, "color": "#111111"},
            "showgrid": False,
            "zeroline": False,
            "fixedrange": True,
            "automargin": True,
        }
    )


def sized(fig: go.Figure, width: int, height: int, factor: float = 1.5, squeeze: float = 1.3) -> go.Figure:
    """The chart for a slide or page of `width` x `height` pixels, its fonts `factor` larger.

    A chart may be squeezed to at most 1/`squeeze` of its enlarged height to fill the box; a taller
    one (many wijken) keeps its height and is scaled down as a whole where it is placed."""
    big = enlarged(fig, factor)
    natural = int(big.layout.height or height)
    margins = int((big.layout.margin.t or 0) + (big.layout.margin.b or 0))
    # only the plot is squeezed: the title, the key and the labels keep their enlarged room
    least = margins + round((natural - margins) / squeeze)
    big.update_layout(width=width, height=max(height, least))
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
    scale(big.layout.legend.font)
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
    if big.layout.title.pad.t:  # the room above a title grows with its font (see `_title_room`)
        big.layout.title.pad.t = round(big.layout.title.pad.t * factor)
    return big
