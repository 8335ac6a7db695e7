"""The wijk-analyse (step 1) as the pages and the deck show it: what a map can show, and its values.

A map shows, per wijk, either a score on the 0-100 scale (the overall phase, a theme, a basic
function) coloured by phase, or an indicator of the round's year (the latest year not after it).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from wijkmodel.analysis.priority import round_year
from wijkmodel.analysis.summary import MunicipalityProfile
from wijkmodel.model.indicators import format_number, indicator_label, indicator_names, shared_decimals, values_for_year
from wijkmodel.model.schema import MaturityModel
from wijkmodel.storage.frames import unit_order
from wijkmodel.storage.tables import UnitKind

OVERALL = "overall"
"""Map choice: the overall score (by the municipality's rule)."""
INDICATOR_PREFIX = "kerncijfer:"


@dataclass(frozen=True)
class MapChoice:
    """One thing a map can show."""

    key: str
    """'overall', a theme or basic-function id, or 'kerncijfer:<indicator>'."""
    label: str


def map_choices(model: MaturityModel, indicators: pd.DataFrame) -> list[MapChoice]:
    """Overall phase, then the themes, the basic functions and the indicators present."""
    choices = [MapChoice(OVERALL, "Totaalfase")]
    choices += [MapChoice(t.id, f"Thema: {t.name}") for t in model.themes_ordered()]
    choices += [MapChoice(b.id, f"Basisfunctie: {b.name}") for b in model.basic_functions_ordered()]
    choices += [
        MapChoice(f"{INDICATOR_PREFIX}{name}", f"Kerncijfer: {indicator_label(name)}")
        for name in indicator_names(indicators)
    ]
    return choices


def wijk_rows(mp: MunicipalityProfile) -> pd.DataFrame:
    """The wijken (not the municipality as a whole): unit, name."""
    units = mp.frames.units
    return units.loc[units["kind"] == UnitKind.WIJK.value, ["unit", "name"]].reset_index(drop=True)


def map_values(mp: MunicipalityProfile, round_id: int, key: str) -> tuple[pd.DataFrame, str]:
    """Per wijk its value for a map choice (unit, name, value; NaN = none) and, for an indicator,
    the year(s) and source(s) to name in the caption."""
    wijken = wijk_rows(mp)
    if key.startswith(INDICATOR_PREFIX):
        indicator = key.removeprefix(INDICATOR_PREFIX)
        values = values_for_year(mp.frames.indicators, round_year(mp.frames, round_id))
        chosen = values[values["indicator"] == indicator].set_index("unit")
        wijken["value"] = wijken["unit"].map(chosen["value"]).astype(float)
        shown = chosen.loc[chosen.index.isin(wijken["unit"])]
        years = ", ".join(str(y) for y in sorted(shown["year"].unique()))
        sources = "; ".join(sorted(str(s) for s in shown["source"].unique() if s))
        detail = " · ".join(p for p in (years, f"bron: {sources}" if sources else "") if p)
        return wijken, detail
    scores = mp.profile.units[mp.profile.units["round"] == round_id].set_index("unit")
    column = key if key in scores.columns else None
    if column is None:
        wijken["value"] = float("nan")
    else:
        wijken["value"] = wijken["unit"].map(scores[column]).astype(float)
    return wijken, ""


def indicator_table(mp: MunicipalityProfile, round_id: int, unit_ids: list[int] | None = None) -> pd.DataFrame:
    """Indicators of the round's year per unit, as people read them: one row per unit, a column per
    indicator headed with its year ('Aantal inwoners (2024)'); empty when there are none."""
    values = values_for_year(mp.frames.indicators, round_year(mp.frames, round_id))
    if values.empty:
        return pd.DataFrame()
    units = mp.frames.units.set_index("unit")
    if unit_ids is not None:
        values = values[values["unit"].isin(unit_ids)]
    if values.empty:
        return pd.DataFrame()
    years = values.groupby("indicator")["year"].agg(lambda y: "/".join(str(v) for v in sorted(set(y))))
    table = values.pivot(index="unit", columns="indicator", values="value")
    table = table[indicator_names(values)]
    table.columns = [f"{indicator_label(c)} ({years[c]})" for c in table.columns]
    order = unit_order(units.reset_index(), table.index)
    table = table.loc[order]
    for column in table.columns:
        decimals = shared_decimals(table[column])
        table[column] = table[column].map(lambda v, d=decimals: format_number(v, d))
    table.insert(0, "Wijk", [str(units.loc[u, "name"]) for u in table.index])
    return table.reset_index(drop=True)


def indicator_sources(mp: MunicipalityProfile, round_id: int) -> str:
    """The sources of the indicators a round shows, for a caption ('Bron: CBS 85984NED')."""
    values = values_for_year(mp.frames.indicators, round_year(mp.frames, round_id))
    sources = sorted(str(s) for s in values["source"].unique() if s) if len(values) else []
    return f"Bron: {'; '.join(sources)}." if sources else ""


def unit_indicators(mp: MunicipalityProfile, round_id: int, unit_id: int) -> pd.DataFrame:
    """One unit's indicators for the round, long: Kerncijfer, Waarde, Jaar, Bron."""
    values = values_for_year(mp.frames.indicators, round_year(mp.frames, round_id))
    decimals = values.groupby("indicator")["value"].agg(shared_decimals)
    mine = values[values["unit"] == unit_id]
    if mine.empty:
        return pd.DataFrame(columns=["Kerncijfer", "Waarde", "Jaar", "Bron"])
    mine = mine.assign(label=mine["indicator"].map(indicator_label)).sort_values(
        "label", key=lambda s: s.str.casefold()
    )
    return pd.DataFrame(
        {
            "Kerncijfer": mine["label"],
            "Waarde": [format_number(v, decimals[k]) for v, k in zip(mine["value"], mine["indicator"], strict=True)],
            "Jaar": mine["year"].astype(int),
            "Bron": mine["source"],
        }
    ).reset_index(drop=True)


def default_need(indicators: pd.DataFrame) -> str | None:
    """The indicator the priority matrix starts with: one about youth care if present, else the first."""
    names = indicator_names(indicators)
    return next((n for n in names if "jeugdzorg" in n.casefold() or "jeugdhulp" in n.casefold()), None) or (
        names[0] if names else None
    )


def lower_is_more_need(indicator: str) -> bool:
    """A first guess at the direction, which the user can change: for income, lower means more need."""
    return "inkomen" in indicator.casefold() and "laag" not in indicator.casefold()


def with_indicators(display: pd.DataFrame, mp: MunicipalityProfile, round_id: int) -> pd.DataFrame:
    """The comparison table (one row per wijk name) with the round's indicators as extra columns."""
    table = indicator_table(mp, round_id)
    if table.empty:
        return display
    joined = display.join(table.set_index("Wijk"), how="left")
    extra = [c for c in table.columns if c != "Wijk"]
    joined[extra] = joined[extra].fillna("–")
    return joined
