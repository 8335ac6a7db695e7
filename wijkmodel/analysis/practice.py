"""Policy beside practice: the Quickscan (policy) and the ZET evaluation (practice) per basic
function of one unit in one round (seed 001: the Quickscan "vult dat aan met een evaluatie op
beleid"). Two that lie a phase or more apart are a talking point, with the reason in words.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.core import far_apart, phase_of
from wijkmodel.scoring.text import format_score

COLUMNS = [
    "basic_function",
    "Basisfunctie",
    "policy",
    "practice",
    "policy_phase",
    "practice_phase",
    "cases",
    "evaluated_on",
    "note",
    "talking_point",
    "reason",
]


def _phase(score: float) -> float:
    return float(phase_of(score)) if score == score else np.nan


def practice_reason(name: str, policy: float, practice: float) -> str:
    """Why policy and practice of one basic function are a talking point, in plain Dutch."""
    ahead = "Het beleid is verder dan de praktijk" if policy > practice else "De praktijk is verder dan het beleid"
    return (
        f"{name}: het beleid (Quickscan) staat in fase {int(_phase(policy))} ({format_score(policy)}), de praktijk "
        f"(ZET) in fase {int(_phase(practice))} ({format_score(practice)}). {ahead}; bespreek waarom."
    )


def policy_and_practice(
    items: pd.DataFrame, zet: pd.DataFrame, unit_id: int, round_id: int, model: MaturityModel
) -> pd.DataFrame:
    """One row per basic function: the Quickscan score and the ZET score of a unit in a round.

    `items` is `Profile.items` (or the rows of one unit with `item` and `score`); `zet` is
    `wijkmodel.storage.zet.zet_frame`. Missing scores are NaN; `talking_point` is True where the two
    lie a phase or more apart (the same rule as every talking point, `far_apart`)."""
    mine = items[(items["unit"] == unit_id) & (items["round"] == round_id)] if "unit" in items else items
    policy = pd.Series(mine["score"].to_numpy(dtype=float), index=mine["item"].astype(str))
    evaluations = zet[(zet["unit"] == unit_id) & (zet["round"] == round_id)].set_index("basic_function")
    rows = []
    for bf in model.basic_functions_ordered():
        quickscan = float(policy.get(bf.id, np.nan))
        found = bf.id in evaluations.index
        evaluation = evaluations.loc[bf.id] if found else None
        practice = float(evaluation["score"]) if evaluation is not None else np.nan
        apart = bool(far_apart(quickscan, practice))
        rows.append(
            [
                bf.id,
                f"{bf.number}. {bf.name}",
                quickscan,
                practice,
                _phase(quickscan),
                _phase(practice),
                evaluation["cases"] if evaluation is not None else pd.NA,
                evaluation["evaluated_on"] if evaluation is not None else None,
                str(evaluation["note"]) if evaluation is not None else "",
                apart,
                practice_reason(bf.name, quickscan, practice) if apart else "",
            ]
        )
    return pd.DataFrame(rows, columns=COLUMNS)


def practice_table(frame: pd.DataFrame) -> pd.DataFrame:
    """`policy_and_practice` as the page and the deck show it: words and Dutch numbers."""

    def phase_text(score: float) -> str:
        # as the profile table: the score and the phase's number (the chart's legend names them)
        return "–" if score != score else f"{format_score(score)} · fase {int(_phase(score))}"

    return pd.DataFrame(
        {
            "Basisfunctie": frame["Basisfunctie"],
            "Beleid (Quickscan)": [phase_text(s) for s in frame["policy"]],
            "Praktijk (ZET)": [phase_text(s) for s in frame["practice"]],
            "Casussen": ["–" if pd.isna(c) else str(int(c)) for c in frame["cases"]],
            "Datum ZET": ["–" if d is None or pd.isna(d) else d.strftime("%d-%m-%Y") for d in frame["evaluated_on"]],
            "Gesprekspunt": ["ja" if t else "nee" for t in frame["talking_point"]],
        }
    )


SCORE_RULE = "score = 100 × (waarde − laagste) / (hoogste − laagste)"
"""How a value on ZET's own scale becomes a score on the one 0-100 scale (`storage.zet.zet_score`)."""

WHERE_TO_ENTER = "Nog geen ZET-uitkomsten voor deze wijk in deze ronde. Vul ze in op de pagina ZET (praktijk)."


@dataclass(frozen=True)
class AboutZet:
    """What the page ZET says about ZET: our own words, and the source's words as a quote."""

    text: str
    """Two B1 sentences of our own (no source: they explain, they do not quote)."""
    quote: str
    """Seed 001's own words on ZET, verbatim (the first paragraph of the Quickscan's introduction)."""
    source: str
    """Where the quote stands."""


def about_zet(model: MaturityModel) -> AboutZet:
    """What ZET is: in our words, and in the words of seed 001 with its source."""
    text = (
        "Met de ZET meet een gemeente hoe de basisfuncties in de praktijk werken. "
        "De Quickscan kijkt naar het beleid. Samen laten ze zien of beleid en praktijk bij elkaar passen."
    )
    quote = model.quickscan.description.split("\n\n")[0]
    return AboutZet(text=text, quote=quote, source=model.source(model.quickscan.source).citation())


def has_practice(zet: pd.DataFrame, unit_id: int, round_id: int) -> bool:
    """Whether a unit has at least one ZET outcome in a round."""
    return bool(((zet["unit"] == unit_id) & (zet["round"] == round_id)).any())


def scale_text(scale_min: float, scale_max: float) -> str:
    """A scale as people read it: '0–100', '1–5', '1,5–4,5'."""

    def number(x: float) -> str:
        return f"{x:g}".replace(".", ",")

    return f"{number(scale_min)}–{number(scale_max)}"


def practice_points(frame: pd.DataFrame) -> list[str]:
    """The reasons of the talking points of `policy_and_practice`, in the model's order."""
    return [str(r) for r, t in zip(frame["reason"], frame["talking_point"], strict=True) if t]


def zet_rows(zet: pd.DataFrame, model: MaturityModel, unit_name: dict[int, str], round_label: dict[int, str]) -> list:
    """Every ZET outcome of the chosen units and rounds as workbook rows: round, unit, basic function,
    value, lowest and highest of its scale, score 0-100, phase, casussen, date, note (as typed)."""
    chosen = zet[zet["unit"].isin(unit_name.keys()) & zet["round"].isin(round_label.keys())]
    order = {bf.id: n for n, bf in enumerate(model.basic_functions_ordered())}
    units = list(unit_name)
    rounds = list(round_label)
    rows = sorted(
        chosen.itertuples(),
        key=lambda z: (rounds.index(z.round), units.index(z.unit), order.get(z.basic_function, len(order))),
    )
    return [
        [
            round_label[z.round],
            unit_name[z.unit],
            model.basic_function(z.basic_function).name,
            float(z.value),
            float(z.scale_min),
            float(z.scale_max),
            round(float(z.score), 2),
            int(phase_of(float(z.score))),
            None if pd.isna(z.cases) else int(z.cases),
            None if z.evaluated_on is None or pd.isna(z.evaluated_on) else z.evaluated_on,
            str(z.note),
        ]
        for z in rows
    ]
