"""Step 1 of the OZJ publication (wijk-analyse en prioriteiten): where to begin.

Each wijk gets two numbers: its need (one indicator of the wijk-analyse, for example the share of
young people with youth care) and its overall maturity (the 0-100 score of `wijkmodel.scoring.core`).
Two splits make four quadrants:

- need: the median of the wijken's values for the indicator (a value exactly at the median counts
  as high need); for indicators where less means more need (average income) the split is mirrored;
- maturity: 50, the border between phase 2 and phase 3 (a score of exactly 50 is phase 3, so high).

The priority order is: quadrant (1 "begin hier" first), then need (most first), then maturity
(lowest first), then name. Wijken without a score or without a value come last, with the reason.
Pure functions: plain frames in, frames and Dutch text out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from wijkmodel.analysis.summary import MunicipalityProfile
from wijkmodel.model.indicators import format_number, indicator_label, shared_decimals, values_for_year
from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.core import PHASE_WIDTH, phase_array
from wijkmodel.scoring.text import format_score, phase_name
from wijkmodel.storage.frames import Frames
from wijkmodel.storage.tables import UnitKind

MATURITY_SPLIT = 2 * PHASE_WIDTH
"""50: the border between phase 2 and phase 3. Below it is 'lage volwassenheid' (phase 1 and 2)."""

BEGIN_HERE = 1
QUADRANTS = {
    BEGIN_HERE: "Hoge nood, lage volwassenheid: begin hier",
    2: "Hoge nood, hoge volwassenheid: houd vol",
    3: "Lage nood, lage volwassenheid: bouw rustig op",
    4: "Lage nood, hoge volwassenheid: leer hiervan",
}
"""The four quadrants; the number is also their place in the priority order."""

NOT_PLACED = "nog niet geplaatst"
"""Reason for a wijk without an overall score in this round."""

MATURITY_COLUMNS = ["unit", "name", "overall", "population"]
"""Input: one row per wijk; `overall` 0-100 (NaN = not placed), `population` (NaN = unknown)."""
NEED_COLUMNS = ["unit", "value", "year", "source"]
"""Input: at most one row per wijk, the value of the chosen indicator with its year and source."""
ROW_COLUMNS = [
    "priority",
    "unit",
    "name",
    "overall",
    "phase",
    "population",
    "value",
    "year",
    "source",
    "high_need",
    "high_maturity",
    "quadrant",
    "quadrant_name",
    "reason",
]


def no_value_reason(label: str) -> str:
    """Reason for a wijk without a value for the indicator: 'geen waarde voor <indicator>'."""
    return f"geen waarde voor {label}"


def need_text(value: float | None) -> str:
    """A need value the Dutch way, with up to two decimals where they matter ('12,35', '12,3', '12')."""
    if value is None or pd.isna(value):
        return format_number(value)
    number = float(value)
    decimals = 0 if number.is_integer() else (1 if round(number, 1) == round(number, 9) else 2)
    return format_number(number, decimals)


@dataclass(frozen=True)
class PriorityMatrix:
    """Every wijk in priority order, with its quadrant, and the splits that put it there."""

    rows: pd.DataFrame
    """One row per wijk in priority order (columns `ROW_COLUMNS`): priority 1..n for placed wijken
    (<NA> for the others), quadrant 1-4 (<NA> when not placed), quadrant_name, and the reason a
    wijk is not placed ('' when it is)."""
    indicator: str
    """The indicator's name as stored (CBS name without suffix, or an own file's column)."""
    label: str
    """Its readable Dutch label."""
    median: float
    """The need split: the median of all wijken with a value (NaN when none has one)."""
    higher_is_more_need: bool
    """False for indicators where a lower value means more need (average income)."""
    maturity_split: float = MATURITY_SPLIT

    @property
    def placed(self) -> pd.DataFrame:
        """Wijken with a quadrant (score and value), in priority order."""
        return self.rows[self.rows["quadrant"].notna()]

    @property
    def unplaced(self) -> pd.DataFrame:
        """Wijken without a score or without a value, with the reason."""
        return self.rows[self.rows["quadrant"].isna()]

    @property
    def n_values(self) -> int:
        """Number of wijken with a value: the median is taken over these."""
        return int(self.rows["value"].notna().sum())

    @property
    def years(self) -> list[int]:
        """The years of the values shown (one when all wijken have figures of the same year)."""
        return sorted({int(y) for y in self.rows["year"].dropna()})

    @property
    def year_text(self) -> str:
        """'2024', '2023–2024', or '' when there are no values."""
        years = self.years
        if not years:
            return ""
        return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"

    @property
    def sources(self) -> list[str]:
        """The sources of the values, in a stable order."""
        return sorted({str(s) for s in self.rows["source"].dropna() if str(s).strip()}, key=str.casefold)

    @property
    def label_with_year(self) -> str:
        """'Jongeren met jeugdzorg (2024)'."""
        return f"{self.label} ({self.year_text})" if self.year_text else self.label

    @property
    def need_word(self) -> str:
        """Which way is more need, in words: 'hoger is meer nood' or 'lager is meer nood'."""
        return "hoger is meer nood" if self.higher_is_more_need else "lager is meer nood"

    def in_quadrant(self, quadrant: int) -> list[str]:
        """Names of the wijken in one quadrant, in priority order."""
        return [str(n) for n in self.rows.loc[self.rows["quadrant"] == quadrant, "name"]]


def priority_matrix(
    maturity: pd.DataFrame,
    needs: pd.DataFrame,
    *,
    indicator: str,
    higher_is_more_need: bool = True,
) -> PriorityMatrix:
    """Put every wijk in a quadrant of need x maturity and in priority order (see the module docstring).

    `maturity`: one row per wijk (`MATURITY_COLUMNS`). `needs`: the indicator's value per wijk
    (`NEED_COLUMNS`); rows of units not in `maturity` are ignored. The median is taken over every
    wijk with a value, also those without a score yet, so it does not move as scores come in.
    """
    if not maturity["unit"].is_unique:
        raise ValueError("elke wijk staat maar één keer in de lijst met scores")
    known = needs[needs["unit"].isin(maturity["unit"])]
    if not known["unit"].is_unique:
        raise ValueError("elke wijk heeft hooguit één waarde voor de indicator")
    label = indicator_label(indicator)
    rows = maturity[MATURITY_COLUMNS].merge(known[NEED_COLUMNS], on="unit", how="left")
    overall = rows["overall"].to_numpy(dtype=float)
    value = rows["value"].to_numpy(dtype=float)
    median = float(np.median(value[~np.isnan(value)])) if (~np.isnan(value)).any() else float("nan")

    phase = phase_array(overall)  # the one phase rule: 50 (and 49.99999999999) is phase 3
    # at the median counts as high need; round away float noise the way the phases do
    distance = np.round(value - median, 9) if higher_is_more_need else np.round(median - value, 9)
    scored, valued = ~np.isnan(overall), ~np.isnan(value)
    placed = scored & valued
    high_need = distance >= 0
    high_maturity = phase >= 3
    quadrant = np.where(high_need, 1, 3) + high_maturity.astype(int)

    rows["overall"] = overall
    rows["value"] = value
    rows["population"] = rows["population"].astype(float)
    rows["year"] = rows["year"].astype("Int64")
    rows["phase"] = phase
    rows["high_need"] = pd.array(np.where(valued, high_need, pd.NA), dtype="boolean")
    rows["high_maturity"] = pd.array(np.where(scored, high_maturity, pd.NA), dtype="boolean")
    rows["quadrant"] = pd.array(np.where(placed, quadrant, pd.NA), dtype="Int64")
    rows["quadrant_name"] = [QUADRANTS[int(q)] if p else "" for q, p in zip(quadrant, placed, strict=True)]
    rows["reason"] = [
        "; ".join(([] if s else [NOT_PLACED]) + ([] if v else [no_value_reason(label)]))
        for s, v in zip(scored, valued, strict=True)
    ]

    # priority order: placed first by quadrant, then most need, lowest maturity, name (unit id breaks a tie)
    need_first = -value if higher_is_more_need else value
    order = pd.DataFrame(
        {
            "unplaced": ~placed,
            "quadrant": np.where(placed, quadrant, 0),
            "need": np.where(placed, need_first, 0.0),
            "maturity": np.where(placed, overall, 0.0),
            "name": rows["name"].astype(str).str.casefold(),
            "unit": rows["unit"],
        }
    ).sort_values(["unplaced", "quadrant", "need", "maturity", "name", "unit"], kind="stable")
    rows = rows.loc[order.index].reset_index(drop=True)
    n_placed = int(placed.sum())
    rows["priority"] = pd.array(list(range(1, n_placed + 1)) + [pd.NA] * (len(rows) - n_placed), dtype="Int64")
    return PriorityMatrix(
        rows=rows[ROW_COLUMNS],
        indicator=indicator,
        label=label,
        median=median,
        higher_is_more_need=higher_is_more_need,
    )


# --- from the app's data ---------------------------------------------------------------------


def round_year(frames: Frames, round_id: int) -> int:
    """The calendar year of a round (its date): the indicator values used are of this year or earlier."""
    rounds = frames.rounds.set_index("round")
    if round_id not in rounds.index:
        raise ValueError(f"ronde {round_id} hoort niet bij deze gemeente")
    return int(pd.Timestamp(rounds.loc[round_id, "date"]).year)


def priority_inputs(
    frames: Frames, units: pd.DataFrame, round_id: int, indicator: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The two inputs of `priority_matrix` for one round: (maturity, needs), wijken only.

    `units` is `Profile.units`, the per-unit scores the app already computed (its `overall`
    follows the chosen rule). A wijk not assessed in the round gets NaN. The need values are those
    of `indicators.values_for_year` for the round's year: the latest year not after it.
    """
    wijken = frames.units[frames.units["kind"] == UnitKind.WIJK]
    scores = units.loc[units["round"] == round_id].set_index("unit")["overall"]
    maturity = pd.DataFrame(
        {
            "unit": wijken["unit"].to_numpy(),
            "name": wijken["name"].astype(str).to_numpy(),
            "overall": wijken["unit"].map(scores).to_numpy(dtype=float),
            "population": wijken["population"].to_numpy(dtype=float),
        }
    )
    values = values_for_year(frames.indicators, round_year(frames, round_id))
    chosen = values[(values["indicator"] == indicator) & values["unit"].isin(maturity["unit"])]
    needs = chosen[NEED_COLUMNS].reset_index(drop=True)
    needs["value"] = needs["value"].astype(float)
    return maturity, needs


def priority_for_round(
    mp: MunicipalityProfile, round_id: int, indicator: str, *, higher_is_more_need: bool = True
) -> PriorityMatrix:
    """The priority matrix of one municipality and round, from the profile the app already has."""
    maturity, needs = priority_inputs(mp.frames, mp.profile.units, round_id, indicator)
    return priority_matrix(maturity, needs, indicator=indicator, higher_is_more_need=higher_is_more_need)


# --- as people read it -----------------------------------------------------------------------


def priority_title(matrix: PriorityMatrix) -> str:
    """Title of the chart and the slide."""
    return f"Waar beginnen we? {matrix.label} en volwassenheid per wijk"


def priority_table(matrix: PriorityMatrix, model: MaturityModel) -> pd.DataFrame:
    """The wijken in priority order, in Dutch: Prioriteit, Wijk, Kwadrant, <indicator> (jaar),
    Volwassenheid ('62,5 · fase 3 · <naam>'), Inwoners. A wijk that is not placed shows '–' as
    priority and its reason under Kwadrant. When the values are of different years, each value
    carries its own year."""
    rows = matrix.rows
    several_years = len(matrix.years) > 1
    decimals = shared_decimals(rows["value"])
    values = [
        format_number(v, decimals) + (f" ({int(y)})" if several_years and not pd.isna(y) else "")
        for v, y in zip(rows["value"], rows["year"], strict=True)
    ]
    maturity = [
        "–" if np.isnan(s) else f"{format_score(s)} · {phase_name(model, p)}"
        for s, p in zip(rows["overall"], rows["phase"], strict=True)
    ]
    return pd.DataFrame(
        {
            "Prioriteit": ["–" if pd.isna(p) else str(int(p)) for p in rows["priority"]],
            "Wijk": rows["name"].astype(str).to_list(),
            "Kwadrant": [
                q if q else f"Niet ingedeeld: {r}" for q, r in zip(rows["quadrant_name"], rows["reason"], strict=True)
            ],
            matrix.label_with_year: values,
            "Volwassenheid": maturity,
            "Inwoners": [format_number(p) for p in rows["population"]],
        }
    )


def priority_explanation(matrix: PriorityMatrix, rule_label: str) -> list[str]:
    """'Hoe is dit berekend?' for the priority matrix, in Dutch (B1)."""
    sources = ", ".join(matrix.sources) or "onbekend"
    year = f" uit {matrix.year_text}" if matrix.year_text else ""
    lines = [
        f"Nood: {matrix.label}{year} (bron: {sources}). Bij dit kerncijfer geldt: {matrix.need_word}.",
        f"Volwassenheid: de totaalscore van de wijk, van 0 tot 100 ({rule_label}).",
    ]
    if matrix.n_values:
        side = "op of boven" if matrix.higher_is_more_need else "op of onder"
        lines.append(
            f"Hoge of lage nood: we vergelijken met de middelste waarde, {need_text(matrix.median)}. Dat is de "
            f"waarde in het midden van de {matrix.n_values} wijken met een waarde: ongeveer de helft zit erboven, de "
            f"andere helft eronder. Een wijk {side} de middelste waarde heeft hoge nood."
        )
    lines += [
        "Hoge of lage volwassenheid: de grens is 50, de grens tussen fase 2 en fase 3. Fase 1 en 2 is lage "
        "volwassenheid, fase 3 en 4 is hoge volwassenheid. Een score van precies 50 telt als hoog (fase 3).",
        "Volgorde: eerst ‘begin hier’ (hoge nood, lage volwassenheid), dan ‘houd vol’, dan ‘bouw rustig op’, dan "
        "‘leer hiervan’. Binnen een groep staat de wijk met de meeste nood eerst, dan de laagste score, dan de naam.",
        "Hoge nood betekent hier: hoog vergeleken met de andere wijken in uw gemeente. Het zegt niets over andere "
        "gemeenten. Gebruik de indeling om het gesprek te beginnen, niet als eindoordeel.",
        "In de figuur is een bol groter als er meer mensen in de wijk wonen.",
    ]
    if matrix.placed["population"].isna().any():
        lines[-1] += " Een wijk zonder aantal inwoners krijgt een kleine, vaste maat."
    if len(matrix.years) > 1:
        lines.append(
            "Niet elke wijk heeft cijfers van hetzelfde jaar. We nemen per wijk het laatste jaar tot en met het jaar "
            "van de ronde; het jaar staat bij de waarde."
        )
    if len(matrix.unplaced):
        lines.append(
            "Een wijk zonder score of zonder waarde staat niet in de figuur. In de lijst staat die wijk onderaan, "
            "met de reden."
        )
    return lines


def priority_summary(matrix: PriorityMatrix) -> str:
    """The chart in words (alt text and speaker notes): which wijken are in which quadrant."""
    parts = [
        f"Figuur met een bol per wijk: {matrix.label_with_year} ({matrix.need_word}) tegen de totaalscore "
        "van 0 tot 100."
    ]
    if matrix.n_values:
        parts.append(f"Middelste waarde {need_text(matrix.median)}, grens volwassenheid 50.")
    for number, name in QUADRANTS.items():
        names = matrix.in_quadrant(number)
        parts.append(f"{name}: {', '.join(names) if names else 'geen wijken'}.")
    if len(matrix.unplaced):
        parts.append(
            "Niet ingedeeld: "
            + "; ".join(f"{n} ({r})" for n, r in zip(matrix.unplaced["name"], matrix.unplaced["reason"], strict=True))
            + "."
        )
    return " ".join(parts)
