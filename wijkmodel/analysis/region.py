"""A region's municipalities side by side (issue 20): their scores on the six themes, the five basic
functions and the Randvoorwaarden in one round, the region's mean, a ranking on one item, and the
progress between two rounds. Only the members a person may see go in (`storage.regions`
`visible_members`); every page, download, slide and sheet of the region is made from here.

- *Basis*: each municipality as its own unit 'Gemeente als geheel', or as the mean of its wijken
  (its own setting for weighing by inhabitants). The Randvoorwaarden are answered for the
  municipality as a whole only, so they come from that unit on either basis.
- *Rounds* differ per municipality: they are matched by label ('2026') or by year (the latest round
  of a municipality in that year). A municipality without such a round stays in the table with no
  scores and says so.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from wijkmodel.analysis.conditions import all_condition_scores, whole_unit
from wijkmodel.analysis.summary import MunicipalityProfile, municipality_profile
from wijkmodel.analysis.views import item_names
from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.text import format_score, phase_label
from wijkmodel.storage.municipalities import settings_of
from wijkmodel.storage.regions import Member
from wijkmodel.storage.tables import Municipality, UnitKind

WHOLE, WIJKEN = "geheel", "wijken"
BASES = {
    WHOLE: "Elke gemeente als geheel (haar eigen beoordeling)",
    WIJKEN: "Elke gemeente als gemiddelde van haar wijken",
}
"""How a municipality is scored in the region, and how each way reads."""
BY_LABEL, BY_YEAR = "label", "jaar"
MATCHES = {BY_LABEL: "Rondes met dezelfde naam", BY_YEAR: "Rondes in hetzelfde jaar"}
"""How the rounds of different municipalities are matched, and how each way reads."""
MEAN_ROW = "Regio (gemiddelde)"
"""The row of the region's mean: of the municipalities that have a score for the item."""
NO_ROUND = "geen ronde"


@dataclass(frozen=True)
class RegionData:
    """The profiles of the members a person may see, in name order."""

    region: str
    members: list[Member]
    profiles: dict[int, MunicipalityProfile]


def load_region(*, session: Session, region: str, members: Sequence[Member], model: MaturityModel) -> RegionData:
    """Score every visible member, each with its own settings."""
    profiles = {}
    for member in members:
        municipality = session.get(Municipality, member.municipality_id)
        assert municipality is not None
        profiles[member.municipality_id] = municipality_profile(
            session=session,
            municipality_id=member.municipality_id,
            name=member.name,
            model=model,
            settings=settings_of(municipality),
        )
    return RegionData(region=region, members=list(members), profiles=profiles)


def items(model: MaturityModel) -> dict[str, str]:
    """Item id → name: the six themes, the five basic functions, the Randvoorwaarden."""
    names = item_names(model)
    names.update({c.id: f"Randvoorwaarde: {c.name}" for c in model.randvoorwaarden.conditions_ordered()})
    return names


def _key(label: str, day: object, match: str) -> str:
    return str(getattr(day, "year", "")) if match == BY_YEAR else label


def round_keys(data: RegionData, match: str) -> list[str]:
    """Every round label (or year) of any visible member, oldest first."""
    seen: dict[str, object] = {}
    for mp in data.profiles.values():
        for row in mp.frames.rounds.itertuples():
            key = _key(str(row.label), row.date, match)
            seen[key] = min(seen.get(key, row.date), row.date)
    return sorted(seen, key=lambda k: (seen[k], k))


def matched_round(mp: MunicipalityProfile, key: str, match: str) -> tuple[int, str] | None:
    """The municipality's round for `key` (id, label): by label, or its latest round in that year."""
    found = [
        (int(row.round), str(row.label))
        for row in mp.frames.rounds.itertuples()
        if _key(str(row.label), row.date, match) == key
    ]
    return found[-1] if found else None  # rounds are oldest first


def _scores(mp: MunicipalityProfile, round_id: int, basis: str, model: MaturityModel) -> dict[str, float]:
    ids = list(item_names(model))
    if basis == WIJKEN:
        rows = mp.aggregate[mp.aggregate["round"] == round_id]
    else:
        units = mp.profile.units
        rows = units[(units["round"] == round_id) & (units["unit"] == whole_unit(mp))]
    scores = {i: float(rows.iloc[0][i]) if not rows.empty else math.nan for i in ids}
    conditions = all_condition_scores(mp, model)
    mine = conditions[(conditions["unit"] == whole_unit(mp)) & (conditions["round"] == round_id)]
    by_condition = dict(zip(mine["condition"], mine["score"], strict=True))
    for c in model.randvoorwaarden.conditions_ordered():
        scores[c.id] = float(by_condition.get(c.id, math.nan))
    return scores


@dataclass(frozen=True)
class Comparison:
    """The members side by side in one round."""

    region: str
    basis: str
    match: str
    key: str
    scores: pd.DataFrame
    """Index: municipality names; columns: item ids (see `items`); 0-100 or NaN."""
    rounds: dict[str, str]
    """Municipality name → the label of its matched round, or 'geen ronde'."""
    mean: pd.Series = field(default_factory=lambda: pd.Series(dtype=float))
    """Per item id: the mean of the municipalities with a score (NaN when none has one)."""


def compare(
    data: RegionData, model: MaturityModel, *, key: str, match: str = BY_LABEL, basis: str = WHOLE
) -> Comparison:
    """The visible members in the round `key` (a label or a year, by `match`), scored on `basis`."""
    ids = list(items(model))
    rows, rounds = {}, {}
    for member in data.members:
        mp = data.profiles[member.municipality_id]
        found = matched_round(mp, key, match)
        rounds[member.name] = found[1] if found else NO_ROUND
        rows[member.name] = _scores(mp, found[0], basis, model) if found else dict.fromkeys(ids, math.nan)
    scores = pd.DataFrame.from_dict(rows, orient="index", columns=ids).astype(float)
    scores.index.name = "Gemeente"
    with np.errstate(all="ignore"):
        mean = scores.mean(axis=0, skipna=True)
    return Comparison(data.region, basis, match, key, scores, rounds, mean)


def condition_ids(model: MaturityModel) -> list[str]:
    """The Randvoorwaarden's ids, in order."""
    return [c.id for c in model.randvoorwaarden.conditions_ordered()]


def has_conditions(comparison: Comparison, model: MaturityModel) -> bool:
    """Whether some municipality answered the Randvoorwaarden in this round."""
    return bool(comparison.scores[condition_ids(model)].notna().any().any())


def heatmap_table(
    comparison: Comparison, model: MaturityModel, *, conditions: bool = False, with_mean: bool = True
) -> pd.DataFrame:
    """Municipalities (and the region's mean, last) x item names: the heatmap's and its table's data.
    The themes and basic functions; with `conditions` the Randvoorwaarden instead (named by
    themselves: the chart's title says what they are)."""
    if conditions:
        ids = condition_ids(model)
        names = {c.id: c.name for c in model.randvoorwaarden.conditions_ordered()}
    else:
        names = item_names(model)
        ids = list(names)
    table = comparison.scores[ids].copy()
    if with_mean and len(table):
        table.loc[MEAN_ROW] = comparison.mean[ids]
    table.columns = [names[c] for c in ids]
    return table


def display_table(table: pd.DataFrame, comparison: Comparison) -> pd.DataFrame:
    """`heatmap_table` as people read it: the matched round first, then each score with its phase."""
    out = pd.DataFrame(index=table.index)
    out["Ronde"] = [comparison.rounds.get(str(name), "") for name in table.index]
    for column in table.columns:
        out[column] = [_cell(v) for v in table[column]]
    return out


def _cell(value: float) -> str:
    return "–" if math.isnan(value) else f"{format_score(value)} ({phase_label(value)})"


def ranking(comparison: Comparison, item: str) -> pd.Series:
    """The municipalities' scores on one item (id), highest first, missing last; named by municipality."""
    series = comparison.scores[item].sort_values(ascending=False, na_position="last", kind="stable")
    series.name = item
    return series


def ranking_table(series: pd.Series, model: MaturityModel) -> pd.DataFrame:
    """The ranking as a table: place, municipality, score, phase (missing: no place; equal scores
    share a place, as in a sports table: 1, 1, 3)."""
    places, previous, place = [], math.nan, 0
    for n, value in enumerate(series, start=1):
        if not math.isnan(value) and value != previous:
            place, previous = n, value
        places.append("" if math.isnan(value) else str(place))
    return pd.DataFrame(
        {
            "Plaats": places,
            "Gemeente": list(series.index),
            "Score": [format_score(v) if not math.isnan(v) else "–" for v in series],
            "Fase": [phase_label(v) for v in series],
        }
    )


def progress(before: Comparison, after: Comparison, item: str) -> pd.DataFrame:
    """Per municipality its score on one item (id) in two rounds: `before`, `after` and the change;
    index the municipality names in the order of `after`."""
    table = pd.DataFrame(
        {"before": before.scores[item].reindex(after.scores.index), "after": after.scores[item]},
        index=after.scores.index,
    )
    table["change"] = table["after"] - table["before"]
    return table


def progress_table(table: pd.DataFrame, before: Comparison, after: Comparison) -> pd.DataFrame:
    """The progress as people read it: both rounds (with each municipality's matched label) and the change."""

    def signed(value: float) -> str:
        return "–" if math.isnan(value) else ("+" if value > 0 else "") + format_score(value)

    return pd.DataFrame(
        {
            "Gemeente": list(table.index),
            f"Ronde {before.key}": [
                f"{_cell(v)} · {before.rounds.get(n, NO_ROUND)}"
                for n, v in zip(table.index, table["before"], strict=True)
            ],
            f"Ronde {after.key}": [
                f"{_cell(v)} · {after.rounds.get(n, NO_ROUND)}"
                for n, v in zip(table.index, table["after"], strict=True)
            ],
            "Verschil": [signed(v) for v in table["change"]],
        }
    )


def wijk_scores(data: RegionData, comparison: Comparison, item: str, model: MaturityModel) -> pd.DataFrame:
    """The wijken of the members that share them (`Member.wijken`) on one theme or basic function in
    the matched round: Gemeente, Wijk, Score, Fase. Empty for a Randvoorwaarde (no wijk has one)."""
    rows = []
    if item in item_names(model):
        for member in data.members:
            if not member.wijken:
                continue
            mp = data.profiles[member.municipality_id]
            found = matched_round(mp, comparison.key, comparison.match)
            if found is None:
                continue
            units = mp.frames.units
            wijken = units[units["kind"] == UnitKind.WIJK].set_index("unit")["name"]
            scored = mp.profile.units[mp.profile.units["round"] == found[0]].set_index("unit")[item]
            for unit, name in sorted(wijken.items(), key=lambda pair: str(pair[1]).casefold()):
                value = float(scored.get(unit, math.nan))
                rows.append(
                    [member.name, str(name), format_score(value) if not math.isnan(value) else "–", phase_label(value)]
                )
    return pd.DataFrame(rows, columns=["Gemeente", "Wijk", "Score", "Fase"])
