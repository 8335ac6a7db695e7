"""Priority matrix (step 1, wijk-analyse en prioriteiten): quadrants and order (table-driven),
the Dutch table and explanation, the chart, and building it from a municipality's data."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from wijkmodel.analysis.priority import (
    NOT_PLACED,
    QUADRANTS,
    PriorityMatrix,
    need_text,
    priority_explanation,
    priority_for_round,
    priority_inputs,
    priority_matrix,
    priority_summary,
    priority_table,
    round_year,
)
from wijkmodel.analysis.summary import municipality_profile
from wijkmodel.charts.base import Caption
from wijkmodel.charts.priority import (
    DEFAULT_BUBBLE,
    MAX_BUBBLE,
    bubble_sizes,
    label_positions,
    priority_figure,
)
from wijkmodel.demo.municipality import add_demo
from wijkmodel.model.loader import load_model
from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.core import ScoringSettings
from wijkmodel.scoring.rules import OverallRule
from wijkmodel.storage.db import make_engine, make_sessionmaker
from wijkmodel.storage.municipalities import list_municipalities
from wijkmodel.storage.tables import IndicatorValue, UnitKind
from wijkmodel.storage.wijken import add_wijk, units

NAN = np.nan
INDICATOR = "JongerenMetJeugdzorg"
LABEL = "Jongeren met jeugdzorg"
BEGIN, HOLD, BUILD, LEARN = 1, 2, 3, 4
CAPTION = Caption("Voorbeeldstad", "2026", "gemiddelde van de thema's", dt.date(2026, 3, 20))


@pytest.fixture(scope="module")
def model() -> MaturityModel:
    return load_model()


def _matrix(
    rows: Sequence[tuple[str, float, float]],
    higher_is_more_need: bool = True,
    population: list[float] | None = None,
    years: list[int] | None = None,
) -> PriorityMatrix:
    """rows: (name, overall score, need value); NaN = missing."""
    maturity = pd.DataFrame(
        {
            "unit": range(1, len(rows) + 1),
            "name": [r[0] for r in rows],
            "overall": [r[1] for r in rows],
            "population": population or [1000.0] * len(rows),
        }
    )
    needs = pd.DataFrame(
        {
            "unit": range(1, len(rows) + 1),
            "value": [r[2] for r in rows],
            "year": years or [2024] * len(rows),
            "source": "CBS 85984NED",
        }
    )
    needs = needs[needs["value"].notna()]  # a missing value is a missing row, as values_for_year gives it
    return priority_matrix(maturity, needs, indicator=INDICATOR, higher_is_more_need=higher_is_more_need)


def _got(matrix: PriorityMatrix) -> list[tuple[str, int | None]]:
    rows = matrix.rows
    return [(str(n), None if pd.isna(q) else int(q)) for n, q in zip(rows["name"], rows["quadrant"], strict=True)]


@pytest.mark.parametrize(
    ("rows", "higher", "expected"),
    [
        # (name, score, value) → (name, quadrant) in priority order
        pytest.param(
            [("D", 60, 1), ("C", 20, 1), ("B", 60, 10), ("A", 20, 10)],
            True,
            [("A", BEGIN), ("B", HOLD), ("C", BUILD), ("D", LEARN)],
            id="one-per-quadrant",
        ),
        pytest.param(
            [("A", 10, 5), ("B", 40, 9), ("C", 30, 1), ("D", 30, 2)],
            True,
            [("B", BEGIN), ("A", BEGIN), ("D", BUILD), ("C", BUILD)],
            id="most-need-first-within-a-quadrant",
        ),
        pytest.param(
            [("A", 40, 8), ("B", 10, 8), ("C", 30, 8)],
            True,
            [("B", BEGIN), ("C", BEGIN), ("A", BEGIN)],
            id="all-values-equal-all-high-need-lowest-score-first",
        ),
        pytest.param(
            [("beta", 20, 5), ("Alpha", 20, 5), ("gamma", 20, 5)],
            True,
            [("Alpha", BEGIN), ("beta", BEGIN), ("gamma", BEGIN)],
            id="full-tie-by-name-ignoring-case",
        ),
        pytest.param(
            [("low", 20, 1), ("at", 20, 2), ("high", 20, 3)],
            True,
            [("high", BEGIN), ("at", BEGIN), ("low", BUILD)],
            id="value-at-the-median-is-high-need",
        ),
        pytest.param(
            [("A", 50, 9), ("B", 49.9, 9), ("C", 20, 1)],
            True,
            [("B", BEGIN), ("A", HOLD), ("C", BUILD)],
            id="score-50-is-phase-3-high-maturity",
        ),
        pytest.param(
            [("A", 49.999999999999, 9), ("C", 20, 1)],
            True,
            [("A", HOLD), ("C", BUILD)],
            id="float-noise-below-50-is-50-as-in-the-phases",
        ),
        pytest.param(
            [("A", 20, 1), ("B", 20, 2), ("C", 20, 3), ("unscored", NAN, 10)],
            True,
            [("C", BEGIN), ("B", BUILD), ("A", BUILD), ("unscored", None)],
            id="missing-score-last-its-value-still-in-the-median",
        ),
        pytest.param(
            [("A", 20, 1), ("novalue", 20, NAN), ("B", 70, 3)],
            True,
            [("B", HOLD), ("A", BUILD), ("novalue", None)],
            id="missing-value-last",
        ),
        pytest.param(
            [("z", NAN, NAN), ("y", NAN, 4), ("x", 30, NAN), ("A", 30, 4)],
            True,
            [("A", BEGIN), ("x", None), ("y", None), ("z", None)],
            id="unplaced-by-name",
        ),
        pytest.param(
            [("rich", 20, 40.0), ("middle", 20, 30.0), ("poor", 20, 20.0), ("poor-mature", 80, 25.0)],
            False,
            [("poor", BEGIN), ("poor-mature", HOLD), ("middle", BUILD), ("rich", BUILD)],
            id="reversed-lower-is-more-need",
        ),
        pytest.param(
            [("rich", 20, 40.0), ("at", 20, 30.0), ("poor", 20, 20.0)],
            False,
            [("poor", BEGIN), ("at", BEGIN), ("rich", BUILD)],
            id="reversed-at-the-median-is-high-need",
        ),
        pytest.param([("only", 80, 3)], True, [("only", HOLD)], id="a-single-wijk-is-at-its-own-median"),
        pytest.param([("only", 10, 3)], False, [("only", BEGIN)], id="a-single-wijk-reversed"),
        pytest.param([("A", 20, NAN), ("B", NAN, NAN)], True, [("A", None), ("B", None)], id="no-values-at-all"),
    ],
)
def test_quadrants_and_priority_order(
    rows: list[tuple[str, float, float]], higher: bool, expected: list[tuple[str, int | None]]
) -> None:
    matrix = _matrix(rows, higher)
    assert _got(matrix) == expected
    n_placed = sum(1 for _, q in expected if q is not None)
    assert matrix.rows["priority"].iloc[:n_placed].tolist() == list(range(1, n_placed + 1))
    assert matrix.rows["priority"].iloc[n_placed:].isna().all()
    assert (matrix.rows["quadrant_name"] == [QUADRANTS[q] if q else "" for _, q in expected]).all()


@pytest.mark.parametrize(
    ("values", "median"),
    [([1, 2, 3], 2.0), ([1, 2, 3, 10], 2.5), ([4, 4], 4.0), ([7], 7.0), ([], NAN)],
)
def test_the_need_split_is_the_median_of_the_values(values: list[float], median: float) -> None:
    matrix = _matrix([(f"W{i}", 30, v) for i, v in enumerate(values)] + [("leeg", 30, NAN)])
    np.testing.assert_allclose(matrix.median, median)
    assert matrix.n_values == len(values)


@pytest.mark.parametrize(
    ("rows", "reason"),
    [
        ([("A", NAN, 4)], NOT_PLACED),
        ([("A", 30, NAN)], f"geen waarde voor {LABEL}"),
        ([("A", NAN, NAN)], f"{NOT_PLACED}; geen waarde voor {LABEL}"),
        ([("A", 30, 4)], ""),
    ],
)
def test_the_reason_a_wijk_is_not_placed(rows: list[tuple[str, float, float]], reason: str) -> None:
    assert _matrix(rows).rows["reason"].tolist() == [reason]


def test_duplicate_values_for_one_wijk_are_refused() -> None:
    maturity = pd.DataFrame({"unit": [1], "name": ["A"], "overall": [20.0], "population": [NAN]})
    needs = pd.DataFrame({"unit": [1, 1], "value": [1.0, 2.0], "year": [2023, 2024], "source": ["x", "x"]})
    with pytest.raises(ValueError, match="hooguit één waarde"):
        priority_matrix(maturity, needs, indicator=INDICATOR)


def test_values_of_units_outside_the_list_are_ignored() -> None:
    maturity = pd.DataFrame({"unit": [1, 2], "name": ["A", "B"], "overall": [20.0, 70.0], "population": [NAN, NAN]})
    needs = pd.DataFrame({"unit": [1, 2, 99], "value": [1.0, 3.0, 1000.0], "year": 2024, "source": "x"})
    matrix = priority_matrix(maturity, needs, indicator=INDICATOR)
    assert matrix.median == 2.0
    assert _got(matrix) == [("B", HOLD), ("A", BUILD)]


@pytest.mark.parametrize(
    ("value", "text"),
    [(12.0, "12"), (12.3, "12,3"), (12.35, "12,35"), (1234.5, "1.234,5"), (NAN, "–")],
)
def test_need_values_in_dutch(value: float, text: str) -> None:
    assert need_text(value) == text


# --- the table and the words -------------------------------------------------------------------


def test_the_table_has_dutch_columns_and_readable_cells(model: MaturityModel) -> None:
    matrix = _matrix(
        [("De Hoven", 62.5, 12.3), ("Oude Haven", 30, 15), ("Kerkebuurt", NAN, 9)],
        population=[8400, NAN, 3100],
    )
    table = priority_table(matrix, model)
    assert list(table.columns) == [
        "Prioriteit",
        "Wijk",
        "Kwadrant",
        f"{LABEL} (2024)",
        "Volwassenheid",
        "Inwoners",
    ]
    assert table.to_dict("records") == [
        {
            "Prioriteit": "1",
            "Wijk": "Oude Haven",
            "Kwadrant": "Hoge nood, lage volwassenheid: begin hier",
            f"{LABEL} (2024)": "15,0",  # one column, one number of decimals
            "Volwassenheid": "30 · fase 2 · Samen op weg",
            "Inwoners": "–",
        },
        {
            "Prioriteit": "2",
            "Wijk": "De Hoven",
            "Kwadrant": QUADRANTS[HOLD],  # 12,3 is the median: high need
            f"{LABEL} (2024)": "12,3",
            "Volwassenheid": "62,5 · fase 3 · Wijkgericht werken is de werkwijze",
            "Inwoners": "8.400",
        },
        {
            "Prioriteit": "–",
            "Wijk": "Kerkebuurt",
            "Kwadrant": "Niet ingedeeld: nog niet geplaatst",
            f"{LABEL} (2024)": "9,0",
            "Volwassenheid": "–",
            "Inwoners": "3.100",
        },
    ]


def test_values_of_different_years_carry_their_year(model: MaturityModel) -> None:
    matrix = _matrix([("A", 20, 5.5), ("B", 70, 2)], years=[2023, 2024])
    table = priority_table(matrix, model)
    assert f"{LABEL} (2023–2024)" in table.columns
    assert table[f"{LABEL} (2023–2024)"].tolist() == ["5,5 (2023)", "2,0 (2024)"]
    assert any("hetzelfde jaar" in line for line in priority_explanation(matrix, "gemiddelde van de thema's"))


@pytest.mark.parametrize(
    ("higher", "side", "word"),
    [
        (True, "op of boven de middelste waarde", "hoger is meer nood"),
        (False, "op of onder de middelste waarde", "lager is meer nood"),
    ],
)
def test_the_explanation_names_the_splits_and_the_direction(higher: bool, side: str, word: str) -> None:
    matrix = _matrix([("A", 20, 10), ("B", 70, 14.5), ("C", NAN, 1)], higher)
    text = " ".join(priority_explanation(matrix, "zwakste schakel (laagste thema)"))
    assert "middelste waarde, 10" in text
    assert side in text
    assert word in text
    assert "de grens tussen fase 2 en fase 3" in text
    assert "precies 50 telt als hoog" in text
    assert "zwakste schakel (laagste thema)" in text
    assert "CBS 85984NED" in text
    assert "onderaan" in text  # C is not placed
    assert "vaste maat" not in text  # every placed wijk has a population


def test_the_explanation_says_when_a_bubble_has_a_default_size() -> None:
    matrix = _matrix([("A", 20, 10), ("B", 70, 14)], population=[NAN, 500])
    assert "vaste maat" in " ".join(priority_explanation(matrix, "gemiddelde van de thema's"))


def test_the_summary_lists_every_quadrant() -> None:
    matrix = _matrix([("A", 20, 10), ("B", 70, 10), ("C", 20, 1), ("D", NAN, 1)])
    text = priority_summary(matrix)
    assert "Hoge nood, lage volwassenheid: begin hier: A." in text
    assert "Lage nood, hoge volwassenheid: leer hiervan: geen wijken." in text
    assert "Niet ingedeeld: D (nog niet geplaatst)." in text


# --- the chart -----------------------------------------------------------------------------------


def _annotations(fig: go.Figure) -> list[str]:
    return [a.text for a in fig.layout.annotations]


def test_every_bubble_is_named_and_sized_by_population(model: MaturityModel) -> None:
    matrix = _matrix(
        [("A & co", 20, 10), ("B", 70, 10), ("C", 20, 1), ("Zonder score", NAN, 3)],
        population=[10000, 2500, NAN, 400],
    )
    fig = priority_figure(matrix, model, CAPTION, "Prioriteiten")
    bubbles = fig.data[0]
    assert "text" in bubbles.mode and "markers" in bubbles.mode
    assert list(bubbles.text) == ["A &amp; co", "B", "C"]  # escaped: never read as markup
    assert list(bubbles.x) == [10, 10, 1]
    assert list(bubbles.y) == [20, 70, 20]
    diameters = [2 * math.sqrt(s / (2 * bubbles.marker.sizeref)) for s in bubbles.marker.size]
    np.testing.assert_allclose(diameters, [MAX_BUBBLE, MAX_BUBBLE / 2, DEFAULT_BUBBLE])
    assert "fase 3 · Wijkgericht werken is de werkwijze" in bubbles.customdata[1]
    note = next(t for t in _annotations(fig) if t.startswith("Nood:"))
    assert "Zonder aantal inwoners (kleine, vaste maat): C." in note
    assert "Niet in de figuur: Zonder score (nog niet geplaatst)." in note
    assert "CBS 85984NED" in note and f"{LABEL} (2024)" in note


def test_the_splits_are_dashed_labelled_lines(model: MaturityModel) -> None:
    matrix = _matrix([("A", 20, 12.3), ("B", 70, 14), ("C", 20, 1)])
    fig = priority_figure(matrix, model, CAPTION, "Prioriteiten")
    dashed = [s for s in fig.layout.shapes if s.type == "line" and s.line.dash == "dash"]
    assert {(s.x0, s.x1) for s in dashed if s.xref == "x"} == {(12.3, 12.3)}
    assert {(s.y0, s.y1) for s in dashed if s.yref == "y"} == {(50, 50)}
    texts = [t.replace("<br>", " ") for t in _annotations(fig)]
    assert "middelste waarde: 12,3" in texts
    assert "grens fase 2 | fase 3" in texts


@pytest.mark.parametrize("higher", [True, False])
def test_quadrant_names_sit_in_their_corners_begin_here_tinted(model: MaturityModel, higher: bool) -> None:
    matrix = _matrix([("A", 20, 10), ("B", 70, 20), ("C", 20, 30)], higher)
    fig = priority_figure(matrix, model, CAPTION, "Prioriteiten")
    corners = {}
    for a in fig.layout.annotations:
        for number, name in QUADRANTS.items():
            if name in a.text.replace(":<br>", ": ").replace("<br>", " "):
                corners[number] = (a.x, a.y)
    # more need is always to the right, more maturity at the top
    assert corners == {BEGIN: (1, 0), HOLD: (1, 1), BUILD: (0, 0), LEARN: (0, 1)}
    begin = next(
        a.text for a in fig.layout.annotations if QUADRANTS[BEGIN] in a.text.replace(":<br>", ": ").replace("<br>", " ")
    )
    assert begin.startswith("<b>")
    low, high = fig.layout.xaxis.range
    assert (low < high) == higher  # the axis is mirrored when less means more need
    tint = next(s for s in fig.layout.shapes if s.type == "rect" and s.xref == "x")
    assert (tint.x0, tint.x1, tint.y1) == (20, high, 50)
    assert "meer nood →" in fig.layout.xaxis.title.text


def test_the_maturity_axis_names_the_four_phases(model: MaturityModel) -> None:
    fig = priority_figure(_matrix([("A", 20, 10)]), model, CAPTION, "Prioriteiten")
    ticks = [t.replace("<br>", " ") for t in fig.layout.yaxis.ticktext]
    assert ticks[0] == "<b>Fase 1</b> Start van wijkgericht werken"
    assert all(f"Fase {k}" in t for k, t in zip(range(1, 5), ticks, strict=True))
    # municipality, round, rule, date (wrapped between its parts)
    assert fig.layout.title.subtitle.text.replace("<br>", " · ") == CAPTION.text()


def test_an_empty_matrix_says_so(model: MaturityModel) -> None:
    fig = priority_figure(_matrix([("A", NAN, 3), ("B", 40, NAN)]), model, CAPTION, "Prioriteiten")
    assert not fig.data
    assert any(t.startswith("Nog geen wijk met een totaalscore") for t in _annotations(fig))


@pytest.mark.parametrize(
    ("x", "y", "expected"),
    [
        ([100, 600], [100, 300], ["top center", "top center"]),  # far apart: both above
        ([300, 300], [200, 200], ["top center", "bottom center"]),  # same spot: the second goes below
        ([985, 500], [200, 200], ["middle left", "top center"]),  # at the right edge: not outside the plot
        ([500], [395], ["bottom center"]),  # at the top edge
    ],
)
def test_names_avoid_each_other_and_stay_inside(x: list[float], y: list[float], expected: list[str]) -> None:
    assert label_positions(x, y, [20.0] * len(x), ["Stationskwartier"] * len(x), (1000, 400)) == expected


def test_bubble_sizes_without_any_population() -> None:
    sizes, sizeref = bubble_sizes(pd.Series([NAN, NAN]))
    assert [2 * math.sqrt(s / (2 * sizeref)) for s in sizes] == pytest.approx([DEFAULT_BUBBLE] * 2)


# --- from the app's own data ----------------------------------------------------------------------

OWN = "Jongeren in jeugdzorg (%)"
"""An own file's column (not one of the demo's CBS figures): its name is its label."""


@pytest.fixture(scope="module")
def demo_engine(model: MaturityModel) -> Iterator[Engine]:
    """The demo in an in-memory database, built once (it takes a while); each test rolls back its own changes."""
    engine = make_engine("sqlite://")
    with make_sessionmaker(engine).begin() as s:
        add_demo(session=s, model=model)
    yield engine
    engine.dispose()


@pytest.fixture
def session(demo_engine: Engine) -> Iterator[Session]:
    s = make_sessionmaker(demo_engine)()
    try:
        yield s
    finally:
        s.rollback()
        s.close()


def _add_values(session: Session, municipality_id: int) -> dict[str, int]:
    """Youth care per wijk (`OWN`): 2022 for all, 2024 for one, 2026 for one, 2027 (after every round)."""
    ids = {u.name: u.id for u in units(session=session, municipality_id=municipality_id)}
    rows = []
    for k, name in enumerate(sorted(n for n in ids if n != "Gemeente als geheel")):
        rows.append((ids[name], OWN, 2022, 5.0 + k, "bestand 2022"))
        rows.append((ids[name], OWN, 2027, 99.0, "bestand 2027"))
        rows.append((ids[name], "Andere indicator", 2024, 1000.0, "bestand"))  # another indicator: ignored
    rows.append((ids["De Hoven"], OWN, 2024, 20.0, "bestand 2024"))
    rows.append((ids["Molenwijk"], OWN, 2026, 1.0, "bestand 2026"))
    rows.append((ids["Gemeente als geheel"], OWN, 2024, 50.0, "bestand 2024"))  # not a wijk: ignored
    session.add_all(IndicatorValue(unit_id=u, indicator=i, year=y, value=v, source=s) for u, i, y, v, s in rows)
    session.flush()
    return ids


@pytest.mark.parametrize("rule", [OverallRule.MEAN, OverallRule.WEAKEST_LINK])
def test_built_from_the_profile_the_app_already_has(session: Session, model: MaturityModel, rule: OverallRule) -> None:
    municipality = list_municipalities(session=session)[0]
    ids = _add_values(session, municipality.id)
    new = add_wijk(session=session, municipality_id=municipality.id, name="Nieuwbouw", population=None)
    session.flush()
    settings = ScoringSettings(rule=rule)
    mp = municipality_profile(
        session=session, municipality_id=municipality.id, name=municipality.name, model=model, settings=settings
    )
    rounds = mp.frames.rounds.set_index("label")["round"]
    round_id = int(rounds["2026"])
    assert round_year(mp.frames, round_id) == 2026

    matrix = priority_for_round(mp, round_id, OWN)
    rows = matrix.rows.set_index("name")
    wijken = set(mp.frames.units.loc[mp.frames.units["kind"] == UnitKind.WIJK, "name"])
    assert set(rows.index) == wijken  # not the municipality as a whole
    assert "Gemeente als geheel" not in set(rows.index)
    # the scores are the profile's own, by the chosen rule
    scores = mp.profile.units[mp.profile.units["round"] == round_id].set_index("unit")["overall"]
    for name, row in rows.iterrows():
        if name == "Nieuwbouw":
            assert math.isnan(row["overall"])
        else:
            assert row["overall"] == pytest.approx(scores[ids[str(name)]])
    # the latest value not after the round's year
    assert (rows.loc["De Hoven", "value"], rows.loc["De Hoven", "year"]) == (20.0, 2024)
    assert (rows.loc["Molenwijk", "value"], rows.loc["Molenwijk", "year"]) == (1.0, 2026)
    assert rows.loc["Kerkebuurt", "year"] == 2022
    assert 99.0 not in set(rows["value"])
    assert matrix.sources == ["bestand 2022", "bestand 2024", "bestand 2026"]
    # the new wijk has no score and no value: last, with both reasons
    assert matrix.rows.iloc[-1]["name"] == "Nieuwbouw"
    assert matrix.rows.iloc[-1]["reason"] == f"{NOT_PLACED}; geen waarde voor {OWN}"
    assert new.id not in set(matrix.placed["unit"])
    assert len(matrix.placed) == 8

    earlier = priority_for_round(mp, int(rounds["2025"]), OWN).rows.set_index("name")
    assert (earlier.loc["Molenwijk", "year"], earlier.loc["De Hoven", "year"]) == (2022, 2024)

    table = priority_table(matrix, model)
    assert f"{OWN} (2022–2026)" in table.columns
    fig = priority_figure(matrix, model, CAPTION, "Prioriteiten")
    assert len(fig.data[0].x) == 8


def test_inputs_for_a_round_without_values(session: Session, model: MaturityModel) -> None:
    municipality = list_municipalities(session=session)[0]
    mp = municipality_profile(
        session=session,
        municipality_id=municipality.id,
        name=municipality.name,
        model=model,
        settings=ScoringSettings(),
    )
    round_id = int(mp.frames.rounds["round"].iloc[-1])
    maturity, needs = priority_inputs(mp.frames, mp.profile.units, round_id, OWN)
    assert len(maturity) == 8 and needs.empty
    assert maturity["population"].notna().all()
    matrix = priority_for_round(mp, round_id, OWN)
    assert matrix.placed.empty
    assert set(matrix.rows["reason"]) == {f"geen waarde voor {OWN}"}
    with pytest.raises(ValueError, match="hoort niet bij"):
        round_year(mp.frames, 12345)
