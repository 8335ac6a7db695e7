"""The municipality map: classes as traces, phases and values named, missing values, offline, 100 wijken."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from wijkmodel.charts.base import MISSING_COLOUR, PHASE_COLOURS, Caption, enlarged
from wijkmodel.charts.map import (
    INDICATOR_COLOURS,
    NAMED_UP_TO,
    MapKind,
    MapSpec,
    caption_text,
    indicator_classes,
    municipality_map,
)
from wijkmodel.demo.geometry import synthetic_boundaries
from wijkmodel.model.schema import MaturityModel

CAPTION = Caption("Voorbeeldstad", "2026", "gemiddelde van de thema's", dt.date(2026, 3, 13))
PHASE = MapSpec("Waar staan de wijken?", CAPTION, "Totaalfase")
INDICATOR = MapSpec("Inwoners", CAPTION, "Aantal inwoners", MapKind.INDICATOR, "2024 · bron: CBS 85984NED")


def grid(n: int) -> tuple[dict[int, dict[str, Any]], list[str]]:
    """n made-up wijken: unit id (from 1) -> GeoJSON geometry, and their names."""
    names = [f"Wijk {k}" for k in range(1, n + 1)]
    collection = synthetic_boundaries([f"WK0999{k:02d}" for k in range(n)], names)
    return {k: f["geometry"] for k, f in enumerate(collection["features"], start=1)}, names


def frame(names: list[str], values: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"unit": range(1, len(names) + 1), "name": names, "value": values})


def fills(fig: go.Figure) -> list[go.Scatter]:
    return [t for t in fig.data if t.fill == "toself"]


def labels(fig: go.Figure) -> go.Scatter:
    (trace,) = [t for t in fig.data if t.mode == "text"]
    return trace


def rings(trace: go.Scatter) -> int:
    """Rings in a class trace (each ends in a gap)."""
    return int(np.isnan(np.asarray(trace.x, dtype=float)).sum())


# --- by phase ---------------------------------------------------------------------------------------


def test_a_phase_map_has_one_trace_per_phase_named_in_the_key(model: MaturityModel) -> None:
    geometries, names = grid(6)
    fig = municipality_map(geometries, frame(names, [10, 24.9, 25, 60, 99, 100]), PHASE, model)
    traces = fills(fig)
    assert [t.name for t in traces] == [
        f"Fase {p.number} – {p.name}" for p in sorted(model.phases, key=lambda p: p.number)
    ]
    assert [t.fillcolor for t in traces] == [PHASE_COLOURS[k] for k in (1, 2, 3, 4)]
    assert [rings(t) for t in traces] == [2, 1, 1, 2]  # 10 and 24.9 in phase 1; 99 and 100 in phase 4
    assert list(labels(fig).text) == [
        "Wijk 1<br>fase 1",
        "Wijk 2<br>fase 1",
        "Wijk 3<br>fase 2",
        "Wijk 4<br>fase 3",
        "Wijk 5<br>fase 4",
        "Wijk 6<br>fase 4",
    ]
    assert "Nog niet geplaatst" not in [t.name for t in fig.data]


def test_a_wijk_without_a_score_is_grey_with_a_dash_and_its_own_key(model: MaturityModel) -> None:
    geometries, names = grid(3)
    fig = municipality_map(geometries, frame(names, [np.nan, 40, np.nan]), PHASE, model)
    missing = fills(fig)[-1]
    assert (missing.name, missing.fillcolor, rings(missing)) == ("Nog niet geplaatst", MISSING_COLOUR, 2)
    assert list(labels(fig).text) == ["Wijk 1<br>–", "Wijk 2<br>fase 2", "Wijk 3<br>–"]
    hover = list(labels(fig).hovertext)
    assert hover[0] == "<b>Wijk 1</b><br>Totaalfase: nog niet geplaatst"
    assert hover[1] == "<b>Wijk 2</b><br>Totaalfase: 40 · fase 2 · " + model.phase(2).name


def test_titles_captions_and_dutch_numbers(model: MaturityModel) -> None:
    geometries, names = grid(2)
    fig = municipality_map(geometries, frame(names, [40, 80]), PHASE, model)
    assert fig.layout.title.text == "Waar staan de wijken?"
    expected = "Totaalfase · Voorbeeldstad · ronde 2026 · totaalfase: gemiddelde van de thema's · 13-03-2026"
    assert fig.layout.title.subtitle.text.replace("<br>", " · ") == caption_text(PHASE) == expected
    assert caption_text(INDICATOR) == (
        "Aantal inwoners · 2024 · bron: CBS 85984NED · Voorbeeldstad · ronde 2026 · 13-03-2026"
    )
    assert fig.layout.separators == ",."


def test_the_map_needs_no_base_map_and_keeps_its_shape(model: MaturityModel) -> None:
    geometries, names = grid(4)
    fig = municipality_map(geometries, frame(names, [10, 40, 60, 90]), PHASE, model)
    assert {t.type for t in fig.data} == {"scatter"}
    layout = fig.to_plotly_json()["layout"]
    assert not {"geo", "mapbox", "map"} & set(layout)
    assert fig.layout.yaxis.scaleanchor == "x" and fig.layout.yaxis.scaleratio == 1
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False
    # projected: x is longitude times the cosine of the latitude (about 0.616 at 52 degrees)
    xs = np.asarray(fills(fig)[0].x, dtype=float)
    assert 5.0 * 0.6 < np.nanmin(xs) < 5.0 * 0.63


def test_holes_stay_open_and_multipolygons_draw_every_part(model: MaturityModel) -> None:
    outer = [[5.0, 52.0], [5.1, 52.0], [5.1, 52.1], [5.0, 52.1], [5.0, 52.0]]
    hole = [[5.04, 52.04], [5.04, 52.06], [5.06, 52.06], [5.06, 52.04], [5.04, 52.04]]
    island = [[5.2, 52.0], [5.21, 52.0], [5.21, 52.01], [5.2, 52.0]]
    geometries: dict[int, dict[str, Any]] = {
        1: {"type": "Polygon", "coordinates": [outer, hole]},
        2: {"type": "MultiPolygon", "coordinates": [[hole], [island]]},
    }
    fig = municipality_map(geometries, frame(["Ring", "Kern en eiland"], [10, 90]), PHASE, model)
    phase1, phase4 = fills(fig)[0], fills(fig)[3]
    assert (rings(phase1), rings(phase4)) == (2, 2)
    x, y = np.asarray(phase1.x, dtype=float), np.asarray(phase1.y, dtype=float)
    cut = int(np.flatnonzero(np.isnan(x))[0])

    def signed_area(xs: np.ndarray, ys: np.ndarray) -> float:
        return float(np.sum(xs[:-1] * ys[1:] - xs[1:] * ys[:-1]) / 2)

    assert signed_area(x[:cut], y[:cut]) > 0  # outer ring anticlockwise
    assert signed_area(x[cut + 1 : -1], y[cut + 1 : -1]) < 0  # hole clockwise: one path leaves it open


def test_wijken_without_a_boundary_are_named_and_extra_boundaries_left_out(model: MaturityModel) -> None:
    geometries, names = grid(3)
    geometries[99] = geometries[3]  # for example the municipality as a whole: not in the values
    values = frame(names, [10, 40, 60])
    values.loc[len(values)] = {"unit": 7, "name": "Buitengebied", "value": 50.0}
    fig = municipality_map(geometries, values, PHASE, model)
    assert sum(rings(t) for t in fills(fig)) == 3
    assert [a.text for a in fig.layout.annotations] == ["Zonder grens (niet op de kaart): Buitengebied"]


def test_names_are_shown_as_typed_not_as_markup(model: MaturityModel) -> None:
    geometries, _ = grid(1)
    spec = MapSpec("Kaart", CAPTION, "<i>Eigen</i> cijfer", MapKind.INDICATOR)
    fig = municipality_map(geometries, frame(["<b>Vet</b>"], [50]), spec, model)
    assert labels(fig).text[0].startswith("&lt;b&gt;Vet&lt;/b&gt;")
    assert labels(fig).hovertext[0] == "<b>&lt;b&gt;Vet&lt;/b&gt;</b><br>&lt;i&gt;Eigen&lt;/i&gt; cijfer: 50"
    assert fig.layout.legend.title.text == "&lt;i&gt;Eigen&lt;/i&gt; cijfer:"
    assert fig.layout.title.subtitle.text.startswith("&lt;i&gt;Eigen&lt;/i&gt; cijfer · ")


def test_a_map_without_boundaries_says_so(model: MaturityModel) -> None:
    fig = municipality_map({}, frame(["Noord"], [50]), PHASE, model)
    texts = [a.text for a in fig.layout.annotations]
    assert "Er zijn nog geen wijkgrenzen ingelezen." in texts
    assert "Zonder grens (niet op de kaart): Noord" in texts


# --- by indicator -----------------------------------------------------------------------------------


def test_an_indicator_map_has_up_to_five_quantile_classes_with_dutch_numbers(model: MaturityModel) -> None:
    geometries, names = grid(11)
    values = [1200, 2500, 3100, 4400, 5200, 6900, 8400, 9600, 11800, 15250, np.nan]
    fig = municipality_map(geometries, frame(names, values), INDICATOR, model)
    traces = fills(fig)
    assert [t.name for t in traces] == [
        "1.200 – 2.500",
        "3.100 – 4.400",
        "5.200 – 6.900",
        "8.400 – 9.600",
        "11.800 – 15.250",
        "Geen waarde",
    ]
    assert [t.fillcolor for t in traces] == [*INDICATOR_COLOURS[5], MISSING_COLOUR]
    assert [rings(t) for t in traces] == [2, 2, 2, 2, 2, 1]
    assert labels(fig).text[9] == "Wijk 10<br>15.250" and labels(fig).text[10] == "Wijk 11<br>–"
    assert fig.layout.legend.title.text == "Aantal inwoners:"


@pytest.mark.parametrize(
    ("values", "decimals", "expected"),
    [
        ([3.0, 1.0, 3.0, 2.0], 0, ["1", "2", "3"]),  # few distinct values: one class each
        ([7.0, 7.0, 7.0], 0, ["7"]),
        ([0.125, 0.25, 0.5, 0.75, 0.875, 0.9, 1.0], 2, ["0,12 – 0,25", "0,50", "0,75 – 0,88", "0,90", "1,00"]),
        ([np.nan, np.nan], 0, []),
    ],
)
def test_indicator_classes(values: list[float], decimals: int, expected: list[str]) -> None:
    array = np.asarray(values)
    class_labels, index = indicator_classes(array, decimals)
    assert class_labels == expected
    assert list(index[np.isnan(array)]) == [-1] * int(np.isnan(array).sum())
    present = index[~np.isnan(array)]
    assert sorted(set(present.tolist())) == list(range(len(expected)))  # no empty class
    order = np.argsort(array[~np.isnan(array)], kind="stable")
    assert np.all(np.diff(present[order]) >= 0)  # higher values never in a lower class


def test_ties_share_a_class_and_all_missing_shows_only_no_value(model: MaturityModel) -> None:
    class_labels, index = indicator_classes(np.asarray([1, 2, 2, 2, 2, 2, 3, 4, 5, 6, 7], dtype=float), 0)
    assert class_labels == ["1 – 2", "3", "4 – 5", "6 – 7"]
    assert len(set(index[:6].tolist())) == 1
    geometries, names = grid(2)
    fig = municipality_map(geometries, frame(names, [np.nan, np.nan]), INDICATOR, model)
    assert [t.name for t in fills(fig)] == ["Geen waarde"]


def test_text_on_dark_classes_is_white_and_on_light_classes_dark(model: MaturityModel) -> None:
    geometries, names = grid(5)
    fig = municipality_map(geometries, frame(names, [1, 2, 3, 4, 5]), INDICATOR, model)
    assert list(labels(fig).textfont.color) == ["#111111", "#111111", "#111111", "#111111", "#FFFFFF"]


# --- many wijken, the deck --------------------------------------------------------------------------


def test_a_hundred_wijken_make_one_trace_per_class_not_per_wijk(model: MaturityModel) -> None:
    geometries, names = grid(100)
    rng = np.random.default_rng(7)
    scores = rng.uniform(0, 100, 100)
    scores[::9] = np.nan
    fig = municipality_map(geometries, frame(names, list(scores)), PHASE, model)
    assert len(fig.data) == 4 + 1 + 1  # four phases, 'nog niet geplaatst', the labels
    assert sum(rings(t) for t in fills(fig)) == 100
    assert len(names) > NAMED_UP_TO and not any("Wijk" in t for t in labels(fig).text)  # too many names to write
    assert all(h.startswith("<b>Wijk ") for h in labels(fig).hovertext)  # the names are in the hover
    assert json.loads(fig.to_json())["data"][0]["fill"] == "toself"


def test_the_map_scales_up_for_the_deck(model: MaturityModel) -> None:
    geometries, names = grid(3)
    fig = municipality_map(geometries, frame(names, [10, 50, 90]), PHASE, model)
    big = enlarged(fig, 1.5)
    assert big.layout.height == round(fig.layout.height * 1.5)
    assert labels(big).textfont.size == round(labels(fig).textfont.size * 1.5)
