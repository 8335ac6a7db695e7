"""The Randvoorwaarden of the municipality as a whole (seed 002) as the pages and exports show them.
Pure, no Streamlit; scores come from `scoring.conditions.condition_scores`."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from wijkmodel.analysis.summary import MunicipalityProfile
from wijkmodel.model.schema import MaturityModel, SourceList
from wijkmodel.scoring.conditions import condition_scores
from wijkmodel.scoring.core import UNCERTAIN_BELOW, phase_of
from wijkmodel.scoring.text import format_score, phase_label, phase_name
from wijkmodel.storage.tables import UnitKind
from wijkmodel.text.glossary import ANSWERED

TITLE = "Randvoorwaarden"
NOT_YET = (
    "De randvoorwaarden zijn in deze ronde nog niet ingevuld. Vul ze in op de pagina Randvoorwaarden "
    "(voor de gemeente als geheel)."
)


def whole_unit(mp: MunicipalityProfile) -> int | None:
    """Id of the unit 'Gemeente als geheel' of this municipality (None when it has none)."""
    units = mp.frames.units
    whole = units.loc[units["kind"] == UnitKind.MUNICIPALITY, "unit"]
    return int(whole.iloc[0]) if not whole.empty else None


def is_whole(mp: MunicipalityProfile, unit_id: int) -> bool:
    """True when `unit_id` is the municipality as a whole (the unit that answers the Randvoorwaarden)."""
    return whole_unit(mp) == unit_id


def all_condition_scores(mp: MunicipalityProfile, model: MaturityModel) -> pd.DataFrame:
    """Scores per (unit, round, condition) of this municipality (see `condition_scores`)."""
    return condition_scores(mp.frames.respondents, mp.frames.answers, model)


def condition_items(mp: MunicipalityProfile, round_id: int, model: MaturityModel) -> pd.DataFrame:
    """The five conditions of the municipality as a whole in one round, in order, for chart and table:
    condition, label, theme (name), score, phase, low, high, coverage, n_respondents, note."""
    rv = model.randvoorwaarden
    conditions = rv.conditions_ordered()
    scores = all_condition_scores(mp, model)
    unit = whole_unit(mp)
    mine = scores[(scores["unit"] == unit) & (scores["round"] == round_id)].set_index("condition")
    frame = pd.DataFrame(
        {
            "condition": [c.id for c in conditions],
            "label": [c.name for c in conditions],
            "theme": [model.theme(c.theme).name for c in conditions],
        }
    )
    for column in ("score", "low", "high", "coverage"):
        frame[column] = [float(mine[column].get(c.id, np.nan)) for c in conditions]
    frame["n_respondents"] = [int(mine["n_respondents"].get(c.id, 0)) for c in conditions]
    frame["phase"] = phase_of(frame["score"].astype(float))
    frame["note"] = [
        "onzeker: minder dan de helft beantwoord" if not math.isnan(s) and c < UNCERTAIN_BELOW else ""
        for s, c in zip(frame["score"], frame["coverage"], strict=True)
    ]
    return frame


def answered(items: pd.DataFrame) -> bool:
    """True when anyone answered the Randvoorwaarden (some condition has a coverage)."""
    return bool(items["coverage"].notna().any())


def conditions_table(items: pd.DataFrame) -> pd.DataFrame:
    """The table of the conditions, in Dutch: condition, the theme it serves, score, phase, coverage, how many
    filled in."""
    return pd.DataFrame(
        {
            "Randvoorwaarde": items["label"],
            "Dient het thema": items["theme"],
            "Score": [format_score(v) for v in items["score"]],
            "Fase": [phase_label(v) for v in items["score"]],
            ANSWERED: [
                "–" if math.isnan(c) else f"{format_score(c * 100)}%" + (" (onzeker)" if c < UNCERTAIN_BELOW else "")
                for c in items["coverage"]
            ],
            "Invullers": items["n_respondents"].astype(int),
        }
    )


def conditions_comparison(mp: MunicipalityProfile, round_id: int, model: MaturityModel) -> pd.DataFrame:
    """Each condition beside the theme it serves (the municipality as a whole, this round), and the
    condition's score and phase in every round (oldest first)."""
    unit = whole_unit(mp)
    items = condition_items(mp, round_id, model)
    profile = mp.profile.items
    theme_rows = profile[(profile["unit"] == unit) & (profile["round"] == round_id)].set_index("item")
    scores = all_condition_scores(mp, model)
    table = pd.DataFrame(
        {
            "Randvoorwaarde": items["label"],
            "Score en fase": [_score_and_phase(s) for s in items["score"]],
            "Dient het thema": items["theme"],
            "Thema: score en fase": [
                _score_and_phase(float(theme_rows["score"].get(c.theme, np.nan)) if not theme_rows.empty else np.nan)
                for c in model.randvoorwaarden.conditions_ordered()
            ],
        }
    )
    rounds = mp.frames.rounds
    for round_, label in zip(rounds["round"], rounds["label"], strict=True):
        chosen = scores[(scores["unit"] == unit) & (scores["round"] == round_)].set_index("condition")
        table[f"Ronde {label}"] = [
            _score_and_phase(float(chosen["score"].get(c, np.nan)) if not chosen.empty else np.nan)
            for c in items["condition"]
        ]
    return table


def _score_and_phase(score: float) -> str:
    return "–" if math.isnan(score) else f"{format_score(score)} · {phase_label(score)}"


def conditions_summary(items: pd.DataFrame, model: MaturityModel) -> list[str]:
    """One Dutch line per condition: name, score and phase by name (for slides and notes)."""
    return [
        f"{label}: {format_score(score)} · {phase_name(model, phase)}"
        if not math.isnan(score)
        else f"{label}: nog geen score"
        for label, score, phase in zip(items["label"], items["score"], items["phase"], strict=True)
    ]


def source_lines(section: SourceList) -> list[str]:
    """A verbatim text of a source as lines: its intro (if any), then its items."""
    return [*([section.intro] if section.intro else []), *section.items]
