"""The charts of a region (issue 20): the municipalities side by side, a ranking and the progress,
drawn by the comparison charts with a caption that names the region and how it was scored."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import plotly.graph_objects as go

from wijkmodel.analysis.region import BASES, BY_YEAR, Comparison, heatmap_table, items, progress
from wijkmodel.charts.base import Caption
from wijkmodel.charts.comparison import heatmap_figure, ranking_figure
from wijkmodel.charts.cycle import progress_figure
from wijkmodel.model.schema import MaturityModel

BASIS_SHORT = {"geheel": "elke gemeente als geheel", "wijken": "gemiddelde van de wijken per gemeente"}


@dataclass(frozen=True)
class RegionCaption(Caption):
    """'Regio Voorbeeld · ronde 2026 · elke gemeente als geheel · 05-12-2026'."""

    def text(self) -> str:
        return f"{self.municipality} · {self.round_label} · {self.rule_label} · {self.date.strftime('%d-%m-%Y')}"


def region_caption(comparison: Comparison, today: dt.date) -> RegionCaption:
    """The caption of every chart of this comparison: region, round (or year), basis, date."""
    assert comparison.basis in BASES
    when = f"jaar {comparison.key}" if comparison.match == BY_YEAR else f"ronde {comparison.key}"
    return RegionCaption(comparison.region, when, BASIS_SHORT[comparison.basis], today)


def region_heatmap(
    comparison: Comparison, model: MaturityModel, today: dt.date, *, conditions: bool = False
) -> go.Figure:
    """The municipalities (and the region's mean) x the themes and basic functions, coloured by phase;
    with `conditions` x the Randvoorwaarden."""
    title = "Randvoorwaarden per gemeente" if conditions else "Scores per gemeente, gekleurd naar fase"
    return heatmap_figure(
        heatmap_table(comparison, model, conditions=conditions), model, region_caption(comparison, today), title
    )


def region_ranking(comparison: Comparison, item: str, model: MaturityModel, today: dt.date) -> go.Figure:
    """The municipalities ranked on one item (id)."""
    name = items(model)[item]
    return ranking_figure(
        comparison.scores[item], model, region_caption(comparison, today), f"Gemeenten op volgorde: {name}"
    )


def region_progress(
    before: Comparison, after: Comparison, item: str, model: MaturityModel, today: dt.date
) -> go.Figure:
    """Each municipality's score on one item (id) in two rounds."""
    name = items(model)[item]
    return progress_figure(
        progress(before, after, item),
        model,
        region_caption(after, today),
        f"Voortgang per gemeente: {name}",
        before.key,
        after.key,
    )
