"""Slides of the wijk-analyse (step 1) for the briefing: the map by overall phase and the priority matrix.

They appear only when there is something to show: boundaries for the map, indicators for the matrix.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from wijkmodel.analysis.priority import (
    PriorityMatrix,
    priority_explanation,
    priority_inputs,
    priority_matrix,
    priority_summary,
    priority_table,
    priority_title,
)
from wijkmodel.analysis.summary import MunicipalityProfile
from wijkmodel.analysis.wijk_analysis import OVERALL, default_need, lower_is_more_need, map_values
from wijkmodel.charts.base import Caption
from wijkmodel.charts.map import MapSpec, municipality_map
from wijkmodel.charts.priority import priority_figure
from wijkmodel.exports.slides import Slide, TableData
from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.core import phase_of
from wijkmodel.scoring.text import format_score, phase_name

SECTION_ANALYSIS = "Wijkanalyse"


def map_slides(
    mp: MunicipalityProfile,
    round_id: int,
    unit_ids: list[int],
    model: MaturityModel,
    caption: Caption,
    geometries: dict[int, dict[str, Any]] | None,
) -> list[Slide]:
    """The map by overall phase; none when no chosen wijk has boundaries."""
    slide = _map_slide(mp, round_id, unit_ids, model, caption, geometries) if geometries else None
    return [] if slide is None else [slide]


def matrix_slides(
    mp: MunicipalityProfile, round_id: int, unit_ids: list[int], model: MaturityModel, caption: Caption
) -> list[Slide]:
    """The priority matrix and its list; none without indicators or without an overall score."""
    need = default_need(mp.frames.indicators)
    if need is None:
        return []
    maturity, needs = priority_inputs(mp.frames, mp.profile.units, round_id, need)
    maturity = maturity[maturity["unit"].isin(unit_ids)]
    needs = needs[needs["unit"].isin(unit_ids)]
    if not maturity["overall"].notna().any():  # no wijk assessed yet: nothing to place
        return []
    matrix = priority_matrix(maturity, needs, indicator=need, higher_is_more_need=not lower_is_more_need(need))
    return _matrix_slides(matrix, model, caption)


def matrix_missing(mp: MunicipalityProfile) -> str:
    """Why there is no priority matrix: no indicators, or no wijk with an overall score."""
    if default_need(mp.frames.indicators) is None:
        return "nog geen kerncijfers van de wijken"
    return "nog geen wijk met een totaalscore in deze ronde"


def _map_slide(
    mp: MunicipalityProfile,
    round_id: int,
    unit_ids: list[int],
    model: MaturityModel,
    caption: Caption,
    geometries: dict[int, dict[str, Any]],
) -> Slide | None:
    values, _ = map_values(mp, round_id, OVERALL)
    values = values[values["unit"].isin(unit_ids)]
    if not values["unit"].isin(list(geometries)).any():
        return None
    title = "Totaalfase per wijk: de kaart"
    figure = municipality_map(geometries, values, MapSpec(title=title, caption=caption, label="Totaalfase"), model)
    lines = [
        f"{name}: {phase_name(model, None if pd.isna(v) else float(phase_of(v)))}"
        f"{'' if pd.isna(v) else f', score {format_score(v)}'}"
        for name, v in zip(values["name"], values["value"], strict=True)
    ]
    return Slide(
        key="kaart",
        section=SECTION_ANALYSIS,
        title=title,
        figure=figure,
        notes=f"Totaalfase: {caption.rule_label}.\n" + "\n".join(lines),
        alt_text=f"{title}. Kaart van {mp.name}, elke wijk gekleurd en benoemd met haar fase: "
        + "; ".join(lines)
        + ".",
    )


def _matrix_slides(matrix: PriorityMatrix, model: MaturityModel, caption: Caption) -> list[Slide]:
    title = priority_title(matrix)
    table = priority_table(matrix, model)
    explanation = priority_explanation(matrix, caption.rule_label)
    return [
        Slide(
            key="prioriteiten",
            section=SECTION_ANALYSIS,
            title=title,
            figure=priority_figure(matrix, model, caption, title),
            notes="\n".join([priority_summary(matrix), *explanation]),
            alt_text=f"{title}. {priority_summary(matrix)}",
        ),
        Slide(
            key="prioriteiten-lijst",
            section=SECTION_ANALYSIS,
            title="Waar beginnen we? De wijken op volgorde",
            table=TableData(
                list(table.columns),
                [["" if pd.isna(v) else str(v) for v in row] for row in table.itertuples(index=False)],
            ),
            notes="\n".join(explanation),
        ),
    ]
