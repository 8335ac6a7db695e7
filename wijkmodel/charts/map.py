"""A map of the municipality: its wijken coloured by phase, by a score, or by an indicator.

Drawn as filled shapes on ordinary axes (plotly Scatter, fill 'toself'), not as a geo or tile
map: those make plotly.js fetch a base map from the internet, and this map must work offline
and in the deck (kaleido). Longitude and latitude are projected locally (equirectangular at the
mean latitude), which is exact enough for one municipality. Colour never stands alone: every
wijk carries its phase or value as text, and the key names every class.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import shapely

from wijkmodel.analysis.summary import MunicipalityProfile
from wijkmodel.analysis.wijk_analysis import INDICATOR_PREFIX, OVERALL, map_choices, map_values
from wijkmodel.charts.base import (
    MISSING_COLOUR,
    PHASE_COLOURS,
    PHASE_TEXT_COLOURS,
    Caption,
    _layout,
    _phases,
    _wrap,
    empty_message,
)
from wijkmodel.model.indicators import format_number
from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.text import format_score, phase_label, phase_name, phase_title

MAX_CLASSES = 5
INDICATOR_COLOURS = {
    1: ["#41B6C4"],
    2: ["#A1DAB4", "#2C7FB8"],
    3: ["#EDF8B1", "#7FCDBB", "#2C7FB8"],
    4: ["#FFFFCC", "#A1DAB4", "#41B6C4", "#225EA8"],
    5: ["#FFFFCC", "#A1DAB4", "#41B6C4", "#2C7FB8", "#253494"],
}
"""ColorBrewer YlGnBu per number of classes: sequential, colour-blind safe, none of them grey."""
BORDER = "#444444"
NOT_PLACED = "Nog niet geplaatst"
NO_VALUE = "Geen waarde"
NAMED_UP_TO = 40
"""Wijk names are written on the map up to this many wijken; beyond, only the phase or value (names in the hover)."""
DETAIL = 1500
"""Borders are simplified to about 1/1500 of the map's width: finer than a pixel, far fewer points."""


class MapKind(StrEnum):
    """What the colours of a map mean."""

    PHASE = "fase"
    """A score on the 0-100 scale, coloured by its phase (overall phase, theme, basic function)."""
    INDICATOR = "indicator"
    """A figure of the wijk-analyse, in up to five classes."""


@dataclass(frozen=True)
class MapSpec:
    """What a map shows and how its caption names it."""

    title: str
    caption: Caption
    label: str
    """What the colour is: 'Totaalfase', a theme or basic function, or an indicator ('Aantal inwoners')."""
    kind: MapKind = MapKind.PHASE
    detail: str = ""
    """For an indicator: year and source, named in the caption ('2024 · bron: CBS 85984NED')."""
    decimals: int | None = None
    """Decimals of an indicator's values (default: from the values)."""


@dataclass
class MapClass:
    """One class of the key: its name, colours, and the wijken in it (row positions)."""

    name: str
    colour: str
    text_colour: str
    rows: list[int] = field(default_factory=list)


def caption_text(spec: MapSpec) -> str:
    """The line under the title: what is shown, then municipality, round, rule (or year and source) and date."""
    if spec.kind is MapKind.PHASE:
        return f"{spec.label} · {spec.caption.text()}"
    parts = [spec.label, spec.detail, spec.caption.municipality, f"ronde {spec.caption.round_label}"]
    return " · ".join([p for p in parts if p] + [spec.caption.date.strftime("%d-%m-%Y")])


def _contrast_text(colour: str) -> str:
    """Black or white, whichever reads better on `colour` (WCAG relative luminance)."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#111111" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "#FFFFFF"


def value_decimals(values: np.ndarray) -> int:
    """Decimals that tell an indicator's values apart: none for whole numbers or a wide spread."""
    finite = values[np.isfinite(values)]
    if finite.size == 0 or np.all(np.equal(np.mod(finite, 1), 0)):
        return 0
    spread = float(finite.max() - finite.min()) or abs(float(finite.max())) or 1.0
    return int(min(3, max(0, 2 - math.floor(math.log10(spread)))))


def indicator_classes(values: np.ndarray, decimals: int) -> tuple[list[str], np.ndarray]:
    """Up to five classes of an indicator: their key labels and each value's class (-1 when missing).

    Few distinct values get one class each; otherwise quantile classes whose upper borders are
    values that occur, so no class is empty and ties always share a class. Labels give each
    class's lowest and highest value, the Dutch way ('1.200 – 3.450')."""
    index = np.full(values.shape, -1, dtype=int)
    present = np.isfinite(values)
    distinct = np.unique(values[present])
    if distinct.size == 0:
        return [], index
    if distinct.size <= MAX_CLASSES:
        uppers = distinct[:-1]
    else:
        quantiles = np.quantile(values[present], np.arange(1, MAX_CLASSES) / MAX_CLASSES, method="inverted_cdf")
        uppers = np.unique(quantiles)
        uppers = uppers[uppers < distinct[-1]]
    index[present] = np.searchsorted(uppers, values[present], side="left")
    labels = []
    for k in range(uppers.size + 1):
        members = values[index == k]
        low, high = format_number(float(members.min()), decimals), format_number(float(members.max()), decimals)
        labels.append(low if low == high else f"{low} – {high}")
    return labels, index


def _phase_classes(scores: np.ndarray, model: MaturityModel) -> tuple[list[MapClass], list[str], list[str]]:
    """Classes by phase (all four always in the key), the short text and the hover line of every wijk."""
    phases = _phases(scores)
    classes = [
        MapClass(phase_title(model, p.number), PHASE_COLOURS[p.number], PHASE_TEXT_COLOURS[p.number])
        for p in sorted(model.phases, key=lambda p: p.number)
    ]
    missing = MapClass(NOT_PLACED, MISSING_COLOUR, "#111111")
    short, hover = [], []
    for row, (score, phase) in enumerate(zip(scores, phases, strict=True)):
        if math.isnan(phase):
            missing.rows.append(row)
            short.append("–")
            hover.append(NOT_PLACED.lower())
            continue
        classes[int(phase) - 1].rows.append(row)
        short.append(phase_label(score))
        hover.append(f"{format_score(score)} · {phase_name(model, phase)}")
    return [*classes, missing] if missing.rows else classes, short, hover


def _indicator_classes(values: np.ndarray, decimals: int | None) -> tuple[list[MapClass], list[str], list[str]]:
    """Classes of an indicator, the short text and the hover line of every wijk."""
    places = value_decimals(values) if decimals is None else decimals
    labels, index = indicator_classes(values, places)
    colours = INDICATOR_COLOURS.get(len(labels), [])
    classes = [MapClass(label, colour, _contrast_text(colour)) for label, colour in zip(labels, colours, strict=True)]
    missing = MapClass(NO_VALUE, MISSING_COLOUR, "#111111")
    short = []
    for row, k in enumerate(index):
        (missing if k < 0 else classes[k]).rows.append(row)
        short.append(format_number(float(values[row]), places) if k >= 0 else "–")
    hover = [s if s != "–" else NO_VALUE.lower() for s in short]
    return [*classes, missing] if missing.rows else classes, short, hover


def _geometry(geojson: Mapping[str, Any]) -> Any:
    """A GeoJSON Polygon or MultiPolygon as shapely geometry, built from arrays (fast for long rings)."""
    parts = [geojson["coordinates"]] if geojson["type"] == "Polygon" else geojson["coordinates"]
    polygons = [
        shapely.polygons(
            np.asarray(rings[0], dtype=float)[:, :2],
            holes=[np.asarray(hole, dtype=float)[:, :2] for hole in rings[1:]] or None,
        )
        for rings in parts
    ]
    return polygons[0] if geojson["type"] == "Polygon" else shapely.multipolygons(polygons)


def _simplified(shapes: list[Any], tolerance: float) -> list[Any]:
    """Shapes with detail below `tolerance` left out (a shape that would vanish stays as it is)."""
    simple = shapely.simplify(shapes, tolerance, preserve_topology=False)
    return [original if s.is_empty else s for original, s in zip(shapes, simple, strict=True)]


def _rings(geometry: Any) -> list[np.ndarray]:
    """Every ring of a (Multi)Polygon, outer rings anticlockwise and holes clockwise, so that one
    filled path per class leaves the holes open."""
    oriented = shapely.orient_polygons(geometry, exterior_cw=False)
    rings = []
    for polygon in shapely.get_parts(oriented):
        rings.append(shapely.get_coordinates(polygon.exterior))
        rings += [shapely.get_coordinates(hole) for hole in polygon.interiors]
    return rings


def _path(rings: list[np.ndarray], scale: float) -> tuple[np.ndarray, np.ndarray]:
    """Rings as one x and one y array, separated by gaps (NaN), x scaled to keep shapes true."""
    gap = np.full((1, 2), np.nan)
    stacked = np.concatenate([part for ring in rings for part in (ring, gap)]) if rings else np.empty((0, 2))
    return np.round(stacked[:, 0] * scale, 6), np.round(stacked[:, 1], 6)


def municipality_map(
    geometries: Mapping[int, Mapping[str, Any]],
    values: pd.DataFrame,
    spec: MapSpec,
    model: MaturityModel,
) -> go.Figure:
    """The wijken of a municipality as a map, coloured in classes, each wijk labelled.

    `geometries`: unit id -> GeoJSON Polygon or MultiPolygon in WGS84 (`wijk_boundaries.load_geometries`).
    `values`: one row per wijk to show with columns `unit`, `name`, `value` (NaN = no value; a
    score 0-100 for a phase map). Wijken without a boundary are named above the map.
    """
    on_map = values[values["unit"].isin(list(geometries))].reset_index(drop=True)
    off_map = [str(n) for n in values.loc[~values["unit"].isin(list(geometries)), "name"]]
    shapes = [_geometry(geometries[int(u)]) for u in on_map["unit"]]
    scores = on_map["value"].to_numpy(dtype=float)
    if spec.kind is MapKind.PHASE:
        classes, short, hover = _phase_classes(scores, model)
    else:
        classes, short, hover = _indicator_classes(scores, spec.decimals)

    fig = go.Figure()
    if shapes:
        minx, miny, maxx, maxy = shapely.total_bounds(shapes)
        scale = math.cos(math.radians((miny + maxy) / 2))
        width, height = (maxx - minx) * scale, maxy - miny
        simple = _simplified(shapes, max(width, height) / DETAIL)
    else:
        scale, width, height, simple = 1.0, 1.0, 1.0, []
    traces = []
    for cls in classes:
        x, y = _path([ring for row in cls.rows for ring in _rings(simple[row])], scale)
        traces.append(
            go.Scatter(
                x=x,
                y=y,
                mode="lines",
                fill="toself",
                fillcolor=cls.colour,
                line={"color": BORDER, "width": 1},
                name=cls.name,
                hoveron="fills",
                hoverinfo="name",
            )
        )
    points = [shapely.get_coordinates(s.representative_point())[0] for s in shapes]
    named = len(shapes) <= NAMED_UP_TO
    names = [html.escape(str(n), quote=False) for n in on_map["name"]]
    row_class = {row: cls for cls in classes for row in cls.rows}
    label = html.escape(spec.label, quote=False)
    traces.append(
        go.Scatter(
            x=[p[0] * scale for p in points],
            y=[p[1] for p in points],
            mode="text",
            text=[(f"{_wrap(n, 14)}<br>{s}" if named else s) for n, s in zip(names, short, strict=True)],
            textfont={
                "size": 13 if len(shapes) <= 12 else 11 if named else 9,
                "color": [row_class[row].text_colour for row in range(len(shapes))],
            },
            hovertext=[f"<b>{n}</b><br>{label}: {h}" for n, h in zip(names, hover, strict=True)],
            hoverinfo="text",
            showlegend=False,
        )
    )
    fig.add_traces(traces)
    plot_height = int(min(760, max(380, 720 * height / width))) if width > 0 else 480
    key_height = 30 + 24 * (len(classes) + 1)  # the key's title and one line per class
    _layout(fig, spec.title, spec.caption, height=plot_height + 110 + key_height, subtitle=caption_text(spec))
    fig.update_layout(
        # one class per line: a row of classes ran out of narrow charts
        legend={
            "title": {"text": f"{label}:", "side": "top"},
            "orientation": "v",
            "x": 0,
            "xanchor": "left",
            "y": 0,
            "yanchor": "top",
            "traceorder": "normal",
            "font": {"size": 13},
        },
        showlegend=True,
        margin={"l": 10, "r": 10, "b": key_height},
    )
    # room round the shapes: a name on a wijk at the edge reaches past its boundary
    pad = 0.08 * max(width, height)
    x_range = [minx * scale - pad, maxx * scale + pad] if shapes else None
    y_range = [miny - pad, maxy + pad] if shapes else None
    fig.update_xaxes(visible=False, showgrid=False, zeroline=False, range=x_range)
    fig.update_yaxes(visible=False, showgrid=False, zeroline=False, scaleanchor="x", scaleratio=1, range=y_range)
    if off_map:
        fig.add_annotation(
            text="Zonder grens (niet op de kaart): " + html.escape(", ".join(off_map), quote=False),
            xref="paper",
            yref="paper",
            x=0,
            y=1,
            yshift=6,
            xanchor="left",
            yanchor="bottom",
            showarrow=False,
            align="left",
            font={"size": 12, "color": "#333333"},
        )
        fig.update_layout(margin={"t": fig.layout.margin.t + 26}, height=fig.layout.height + 26)
    if not shapes:
        empty_message(fig, "Er zijn nog geen wijkgrenzen ingelezen.")
    return fig


def analysis_map(
    mp: MunicipalityProfile,
    round_id: int,
    key: str,
    geometries: dict[int, dict[str, Any]],
    model: MaturityModel,
    caption: Caption,
) -> Any:
    """The map of one choice for one round (a plotly Figure)."""
    labels = {c.key: c.label for c in map_choices(model, mp.frames.indicators)}
    label = labels.get(key, key).split(": ", 1)[-1]
    values, detail = map_values(mp, round_id, key)
    if key.startswith(INDICATOR_PREFIX):
        spec = MapSpec(title=f"{label} per wijk", caption=caption, label=label, kind=MapKind.INDICATOR, detail=detail)
    else:
        what = "Totaalfase" if key == OVERALL else label
        spec = MapSpec(title=f"{what} per wijk", caption=caption, label=what, kind=MapKind.PHASE)
    return municipality_map(geometries, values, spec, model)
