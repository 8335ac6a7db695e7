"""Perspectives: the scores of one unit in one round per role, and where the roles differ most.

Each role (gemeente, lokaal team, samenwerkingspartner, inwoner/jeugd) is scored like a unit of
its own from the respondents with that role, so a role with two respondents counts once.
A difference of a phase or more (25 points) between the highest and lowest role is a talking point.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.core import PHASE_WIDTH, ScoringSettings, compute_profile, item_ids, phase_of
from wijkmodel.scoring.text import format_score
from wijkmodel.storage.tables import Role

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
    scores = role_scores_of_units(respondents, positions, answers, [unit_id], round_id, model, settings, min_roles=1)
    return scores.get(unit_id, pd.DataFrame(index=pd.Index(item_ids(model), name="item")))


def role_scores_of_units(
    respondents: pd.DataFrame,
    positions: pd.DataFrame,
    answers: pd.DataFrame,
    unit_ids: list[int],
    round_id: int,
    model: MaturityModel,
    settings: ScoringSettings | None = None,
    *,
    min_roles: int = 2,
) -> dict[int, pd.DataFrame]:
    """`role_scores` of every unit of `unit_ids` with respondents of at least `min_roles` roles (two:
    where roles can differ), in one profile computation (a municipality at the wijk limit has a
    thousand wijken)."""
    mine = respondents[(respondents["round"] == round_id) & respondents["unit"].isin(unit_ids)]
    roles_per_unit = mine.groupby("unit")["role"].nunique()
    mine = mine[mine["unit"].isin(roles_per_unit[roles_per_unit >= min_roles].index)]
    if mine.empty:
        return {}
    ids = item_ids(model)
    codes = {role: i for i, role in enumerate(ROLES)}
    # each (unit, role) scored as a unit of its own: the profile groups by (unit, round)
    as_units = mine.assign(unit=mine["unit"].astype(int) * len(ROLES) + mine["role"].map(codes))
    of_mine = as_units["respondent"]
    profile = compute_profile(
        as_units,
        positions[positions["respondent"].isin(of_mine)],
        answers[answers["respondent"].isin(of_mine)],
        model,
        settings,
        check_duplicates=False,
    )
    table = profile.units.set_index("unit")[ids]
    out: dict[int, pd.DataFrame] = {}
    for unit_id, rows in table.groupby(table.index // len(ROLES), sort=False):
        wide = rows.T
        wide.columns = [ROLES[int(c) % len(ROLES)] for c in wide.columns]
        wide.index.name = "item"
        out[int(unit_id)] = wide[[r for r in ROLES if r in wide.columns]]
    return out


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


# --- what the page 'Perspectieven' shows ----------------------------------------------------------

AGREEMENTS_SHOWN = 3
"""How many items the page lists under 'Waar zijn ze het over eens?'."""


def roles_present(scores: pd.DataFrame) -> list[str]:
    """The roles that scored at least one item (in `ROLES` order)."""
    return [str(role) for role in scores.columns if scores[role].notna().any()]


def single_role_message(scores: pd.DataFrame) -> str | None:
    """One Dutch sentence when there is nothing to compare (no role or one role); None otherwise."""
    present = roles_present(scores)
    if not present:
        return "Voor deze wijk is in deze ronde nog niets ingevuld. Er zijn dus nog geen perspectieven te vergelijken."
    if len(present) == 1:
        return (
            f"Voor deze wijk heeft in deze ronde alleen de rol ‘{present[0]}’ iets ingevuld. "
            "Er zijn dus geen verschillen tussen rollen te zien."
        )
    return None


def named_scores(scores: pd.DataFrame, model: MaturityModel) -> pd.DataFrame:
    """`role_scores` with item names instead of ids (the chart's and the table's rows), in model order."""
    names = {t.id: t.name for t in model.themes} | {b.id: b.name for b in model.basic_functions}
    ordered = scores.reindex([i for i in item_ids(model) if i in scores.index])
    out = ordered.copy()
    out.index = pd.Index([names[str(i)] for i in ordered.index], name="Onderdeel")
    return out.astype(float)


def perspectives_table(scores: pd.DataFrame, diffs: pd.DataFrame, model: MaturityModel) -> pd.DataFrame:
    """Item × role as people read it: per role '62,5 (fase 3)' (or '–'), then the difference
    between the highest and lowest role ('–' with fewer than two roles) and whether it is a talking point.

    `scores` as `role_scores` returns it; `diffs` as `differences` returns for those scores."""
    named = named_scores(scores, model)
    out = pd.DataFrame(index=named.index)
    for role in named.columns:
        out[str(role)] = [
            "–" if math.isnan(v) else f"{format_score(v)} (fase {int(phase_of(v))})" for v in named[role].tolist()
        ]
    by_item = diffs.set_index("item").reindex([i for i in item_ids(model) if i in scores.index])
    out["Verschil"] = [format_score(v) for v in by_item["spread"].tolist()]
    out["Gesprekspunt"] = ["ja" if flagged is True else "" for flagged in by_item["flagged"].tolist()]
    return out


def _joined(words: list[str]) -> str:
    """'a', 'a en b', 'a, b en c'."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} en {words[-1]}"


def agreements(scores: pd.DataFrame, diffs: pd.DataFrame, limit: int = AGREEMENTS_SHOWN) -> list[str]:
    """A sentence per item the roles agree on most: the smallest differences below a phase,
    smallest first, at most `limit`. Items that fewer than two roles scored are left out."""
    present = roles_present(scores)
    close = diffs[diffs["spread"].notna() & ~diffs["flagged"].astype(bool)]
    close = close.sort_values("spread", kind="stable").head(limit)
    sentences = []
    for r in close.itertuples():
        scored = [role for role in present if not math.isnan(float(scores.loc[r.item, role]))]
        who = "alle rollen" if scored == present else _joined(scored)
        low_phase, high_phase = int(phase_of(r.low)), int(phase_of(r.high))
        if r.spread == 0:
            sentences.append(f"{r.name}: {who} geven {format_score(r.low)} (fase {low_phase}).")
            continue
        phases = f"fase {low_phase}" if low_phase == high_phase else f"fase {low_phase} of {high_phase}"
        sentences.append(
            f"{r.name}: {who} zien {phases} (van {format_score(r.low)} tot {format_score(r.high)}; "
            f"{format_score(r.spread)} punten verschil)."
        )
    return sentences


def chart_title(unit_name: str, round_label: str) -> str:
    """Title of the perspectives chart (plain text: the chart escapes it, see charts._layout)."""
    return f"Perspectieven in {unit_name}, ronde {round_label}"


def explanation() -> list[str]:
    """'Hoe is dit berekend?' for the page Perspectieven, in Dutch (B1)."""
    roles = _joined(ROLES)
    return [
        f"Elke rol ({roles}) krijgt een eigen score per thema en basisfunctie. Die wordt op dezelfde manier "
        "berekend als de score van een wijk.",
        "Hebben twee of meer mensen met dezelfde rol ingevuld, dan telt hun gemiddelde één keer. De score op de "
        "pagina Wijkprofiel is het gemiddelde van alle mensen samen; die kan dus iets anders zijn.",
        "Het verschil is de hoogste min de laagste score van de rollen. Heeft maar één rol een onderdeel "
        "ingevuld, dan is er geen verschil (–).",
        f"Een verschil van {format_score(PHASE_WIDTH)} punten (een hele fase) of meer is een gesprekspunt.",
        f"Bij ‘Waar zijn ze het over eens?’ staan de {AGREEMENTS_SHOWN} onderdelen met het kleinste verschil, "
        "als dat verschil kleiner is dan een fase.",
    ]
