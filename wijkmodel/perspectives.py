"""Perspectives: the scores of one unit in one round per role, and where the roles differ most.

Each role (gemeente, lokaal team, samenwerkingspartner, inwoner/jeugd) is scored like a unit of
its own from the respondents with that role, so a role with two respondents counts once.
A difference of a phase or more (25 points) between the highest and lowest role is a talking point.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wijkmodel.db import Role
from wijkmodel.model import MaturityModel
from wijkmodel.scoring import PHASE_WIDTH, ScoringSettings, compute_profile, format_score, item_ids, phase_of

ROLES = [r.value for r in Role]
"""Roles in display order."""


def role_scores(
    respondents: pd.DataFrame,
    positions: pd.DataFrame,
    answers: pd.DataFrame,
    unit_id: int,
    round_id: int,
    model: MaturityModel,
    settings: ScoringSettings | None = None,
) -> pd.DataFrame:
    """Item × role scores for one unit in one round (index: item ids in model order; columns: the
    roles that answered, in `ROLES` order)."""
    mine = respondents[(respondents["unit"] == unit_id) & (respondents["round"] == round_id)]
    ids = item_ids(model)
    if mine.empty:
        return pd.DataFrame(index=pd.Index(ids, name="item"))
    # score each role as if it were a unit: the profile groups by (unit, round)
    codes = {role: i for i, role in enumerate(ROLES)}
    as_units = mine.assign(unit=mine["role"].map(codes))
    of_mine = as_units["respondent"]
    profile = compute_profile(
        as_units,
        positions[positions["respondent"].isin(of_mine)],
        answers[answers["respondent"].isin(of_mine)],
        model,
        settings,
        check_duplicates=False,
    )
    wide = profile.units.set_index("unit")[ids].T
    wide.columns = [ROLES[int(c)] for c in wide.columns]
    wide.index.name = "item"
    return wide[[r for r in ROLES if r in wide.columns]]


def differences(scores: pd.DataFrame, model: MaturityModel) -> pd.DataFrame:
    """Per item where the roles agree or differ: lowest and highest role, spread, flagged.

    Only items that at least two roles scored can differ; others get spread NaN. Sorted by
    spread, largest first. Columns: item, name, kind, low_role, low, high_role, high, spread, flagged.
    """
    names = {t.id: t.name for t in model.themes} | {b.id: b.name for b in model.basic_functions}
    themes = {t.id for t in model.themes}
    rows = []
    for item, values in scores.iterrows():
        known = values.dropna()
        if len(known) >= 2:
            low_role, high_role = str(known.idxmin()), str(known.idxmax())
            low, high = float(known.min()), float(known.max())
            spread = high - low
        else:
            low_role = high_role = ""
            low = high = spread = np.nan
        rows.append(
            {
                "item": item,
                "name": names[str(item)],
                "kind": "thema" if item in themes else "basisfunctie",
                "low_role": low_role,
                "low": low,
                "high_role": high_role,
                "high": high,
                "spread": spread,
                "flagged": bool(spread >= PHASE_WIDTH),  # NaN compares False
            }
        )
    out = pd.DataFrame(rows)
    order = {item: i for i, item in enumerate(item_ids(model))}
    out["order"] = out["item"].map(order)
    out = out.sort_values(["spread", "order"], ascending=[False, True], na_position="last")
    return out.drop(columns="order").reset_index(drop=True)


def talking_points(diffs: pd.DataFrame) -> list[str]:
    """A sentence per flagged item: who sees it highest and lowest, and how far apart."""
    return [
        f"{r.name}: {r.high_role} ziet fase {int(phase_of(r.high))} ({format_score(r.high)}), "
        f"{r.low_role} fase {int(phase_of(r.low))} ({format_score(r.low)}); "
        f"{format_score(r.spread)} punten verschil."
        for r in diffs[diffs["flagged"]].itertuples()
    ]
