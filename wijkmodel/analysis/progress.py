"""Rounds over time: what changed between two rounds, the trend over all rounds, and what rose
and fell most. Pure functions on `Profile.items` / `Profile.units` (no database, no Streamlit)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.core import item_ids, phase_array
from wijkmodel.scoring.text import format_score

CHANGE_COLUMNS = ["unit", "item", "before", "after", "delta", "phase_before", "phase_after"]


def round_changes(items: pd.DataFrame, before: int, after: int, units: list[int] | None = None) -> pd.DataFrame:
    """Per unit and item the score in round `before`, in round `after`, and the change.

    `items` is `Profile.items` (unit, round, item, score). Units missing in one of the rounds
    get NaN there, so a wijk assessed only once still shows. Columns: `CHANGE_COLUMNS`.
    """
    chosen = items[items["round"].isin([before, after])]
    if units is not None:
        chosen = chosen[chosen["unit"].isin(units)]
    wide = chosen.pivot_table(index=["unit", "item"], columns="round", values="score", observed=True, dropna=False)
    wide = wide.reindex(columns=[before, after])
    out = pd.DataFrame(
        {
            "before": wide[before].to_numpy(dtype=float),
            "after": wide[after].to_numpy(dtype=float),
        },
        index=wide.index,
    ).reset_index()
    out = out.dropna(subset=["before", "after"], how="all")
    out["item"] = out["item"].astype(str)
    out["delta"] = out["after"] - out["before"]
    out["phase_before"] = phase_array(out["before"].to_numpy())
    out["phase_after"] = phase_array(out["after"].to_numpy())
    return out[CHANGE_COLUMNS].reset_index(drop=True)


def biggest_moves(changes: pd.DataFrame, n: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The `n` largest rises and the `n` largest falls (only real changes, both rounds scored)."""
    real = changes.dropna(subset=["delta"])
    rose = real[real["delta"] > 0].sort_values(["delta", "unit", "item"], ascending=[False, True, True]).head(n)
    fell = real[real["delta"] < 0].sort_values(["delta", "unit", "item"], ascending=[True, True, True]).head(n)
    return rose.reset_index(drop=True), fell.reset_index(drop=True)


def trend(units: pd.DataFrame, rounds: pd.DataFrame, unit_id: int, model: MaturityModel) -> pd.DataFrame:
    """One unit's item scores and overall score per round, oldest round first.

    `units` is `Profile.units` (or the municipality aggregate, unit -1); `rounds` is
    `Frames.rounds` (round, label, date). Rounds without scores for the unit are left out.
    Columns: round, label, every item id, overall, overall_phase.
    """
    mine = units[units["unit"] == unit_id]
    ids = item_ids(model)
    merged = rounds[["round", "label"]].merge(mine[["round", *ids, "overall", "overall_phase"]], on="round")
    return merged.reset_index(drop=True)


def overall_changes(units: pd.DataFrame, before: int, after: int, unit_ids: list[int]) -> pd.DataFrame:
    """Per unit the overall score in two rounds and the change (index: unit)."""
    table = units.set_index(["round", "unit"])["overall"]

    def get(round_id: int, unit_id: int) -> float:
        return float(table.get((round_id, unit_id), np.nan))

    out = pd.DataFrame(
        {"before": [get(before, u) for u in unit_ids], "after": [get(after, u) for u in unit_ids]},
        index=pd.Index(unit_ids, name="unit"),
    )
    out["delta"] = out["after"] - out["before"]
    return out


# --- tables as people read them ---------------------------------------------------------------


def _signed(value: float) -> str:
    return "–" if np.isnan(value) else ("+" if value >= 0 else "−") + format_score(abs(value))


def changes_table(
    changes: pd.DataFrame, unit_names: dict[int, str], item_names: dict[str, str], labels: tuple[str, str]
) -> pd.DataFrame:
    """Changes with Dutch headers: Wijk, Onderdeel, score and phase in both rounds, Verschil."""
    return pd.DataFrame(
        {
            "Wijk": [unit_names.get(u, str(u)) for u in changes["unit"]],
            "Onderdeel": [item_names.get(i, i) for i in changes["item"]],
            f"Ronde {labels[0]}": [_score_phase(v) for v in changes["before"]],
            f"Ronde {labels[1]}": [_score_phase(v) for v in changes["after"]],
            "Verschil": [_signed(v) for v in changes["delta"]],
        }
    )


def _score_phase(value: float) -> str:
    return "–" if np.isnan(value) else f"{format_score(value)} (fase {int(phase_array(np.array([value]))[0])})"


def item_change_frame(changes: pd.DataFrame, unit_id: int, item_names: dict[str, str]) -> pd.DataFrame:
    """One unit's items in model order as a `before`/`after` frame indexed by item name (for the chart)."""
    mine = changes[changes["unit"] == unit_id].set_index("item")
    order = [i for i in item_names if i in mine.index]
    return pd.DataFrame(
        {"before": mine.loc[order, "before"].to_numpy(), "after": mine.loc[order, "after"].to_numpy()},
        index=[item_names[i] for i in order],
    )


def trend_table(
    series: dict[str, tuple[pd.DataFrame, int]], rounds: pd.DataFrame, column: str = "overall"
) -> pd.DataFrame:
    """Scores per round (index: round labels, oldest first) for named (frame, unit) pairs, such as a
    wijk from `Profile.units` and the municipality aggregate (unit -1). Rounds with no score anywhere
    are left out."""
    out = pd.DataFrame(index=pd.Index(rounds["label"].astype(str), name="Ronde"))
    for name, (frame, unit_id) in series.items():
        values = frame[frame["unit"] == unit_id].set_index("round")[column]
        out[name] = [float(values.get(r, np.nan)) for r in rounds["round"]]
    return out.dropna(how="all")


def unit_theme_scores(items: pd.DataFrame, unit_id: int, round_id: int) -> pd.Series:
    """A unit's item scores in one round, by item id."""
    mine = items[(items["unit"] == unit_id) & (items["round"] == round_id)]
    return pd.Series(mine["score"].to_numpy(dtype=float), index=mine["item"].astype(str))
