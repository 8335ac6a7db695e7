"""The Randvoorwaarden slide of the briefing: the five conditions of the municipality as a whole (seed 002)."""

from __future__ import annotations

from wijkmodel.analysis.conditions import TITLE, answered, condition_items, conditions_summary, conditions_table
from wijkmodel.analysis.summary import MunicipalityProfile
from wijkmodel.charts.base import Caption
from wijkmodel.charts.profile import profile_figure
from wijkmodel.exports.slides import Slide, TableData
from wijkmodel.model.schema import MaturityModel

SECTION_CONDITIONS = "Randvoorwaarden"


def conditions_slides(mp: MunicipalityProfile, round_id: int, model: MaturityModel, caption: Caption) -> list[Slide]:
    """One slide with the conditions' scores, phases and the theme each serves; none when nobody answered them."""
    items = condition_items(mp, round_id, model)
    if not answered(items):
        return []
    table = conditions_table(items)
    title = f"{TITLE} van de gemeente als geheel"
    lines = conditions_summary(items, model)
    source = model.source(model.randvoorwaarden.instrument.source).citation()
    return [
        Slide(
            key="randvoorwaarden",
            section=SECTION_CONDITIONS,
            title=title,
            figure=profile_figure(items, model, caption, title),
            table=TableData(list(table.columns), [[str(v) for v in row] for row in table.itertuples(index=False)]),
            notes="\n".join([*lines, f"Bron: {source}"]),
            alt_text=f"{title}, staafdiagram per randvoorwaarde: {'; '.join(lines)}.",
        )
    ]
