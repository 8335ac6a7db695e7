"""Pure scoring functions on the one 0-100 maturity scale (DESIGN §3).

Inputs are plain DataFrames, so the same code scores one wijk or a whole country:

- ``respondents``: ``respondent`` (int), ``unit`` (int), ``round`` (int), ``role`` (str)
- ``positions``: ``respondent``, ``theme`` (theme id), ``position`` (0-100; NaN = not placed)
- ``answers``: ``respondent``, ``question`` (question id), ``option`` (answer option id)

Unset sliders and answers that count for nothing ("Weet niet", "Niet van toepassing") are
missing values throughout, never 0. Heavy lifting uses integer codes and ``np.bincount`` so the
full profile of 3,500 wijken x 10 rounds stays well under 100 ms (see wijkmodel.bench).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd

from wijkmodel.model import MaturityModel

PHASE_WIDTH = 25.0
TALKING_POINT_GAP = 25.0
"""Two linked scores this far apart (a phase or more) make a talking point."""
UNCERTAIN_BELOW = 0.5
"""A basic-function score with less than half its questions answered is shown as uncertain."""


class OverallRule(StrEnum):
    """How the six theme scores combine into a wijk's overall phase."""

    MEAN = "gemiddelde"
    MEDIAN = "mediaan"
    WEAKEST_LINK = "zwakste schakel"

    @property
    def label(self) -> str:
        """Dutch label used in captions."""
        return {
            OverallRule.MEAN: "gemiddelde van de thema's",
            OverallRule.MEDIAN: "mediaan van de thema's",
            OverallRule.WEAKEST_LINK: "zwakste schakel (laagste thema)",
        }[self]


@dataclass(frozen=True)
class ScoringSettings:
    """User choices that change how scores combine (page Instellingen)."""

    rule: OverallRule = OverallRule.MEAN
    """Overall-phase rule."""
    theme_weight: float = 0.5
    """Weight of the theme mean in the combined index; the basic-function mean gets 1 - this."""
    population_weighted: bool = False
    """Weigh wijken by population in the municipality aggregate."""

    def __post_init__(self) -> None:
        if not 0.0 <= self.theme_weight <= 1.0:
            raise ValueError("het gewicht van de thema's moet tussen 0 en 1 liggen")


# --- phases ---------------------------------------------------------------------------------


def phase_of(score: float | np.ndarray | pd.Series) -> np.ndarray | pd.Series | float:
    """Phase 1-4 of a score: phase k is [25(k-1), 25k), and 100 belongs to phase 4; NaN stays NaN."""
    if isinstance(score, pd.Series):
        return pd.Series(_phase_array(score.to_numpy(dtype=float)), index=score.index, name=score.name)
    result = _phase_array(np.asarray(score, dtype=float))
    return float(result) if np.ndim(result) == 0 else result


def _phase_array(values: np.ndarray) -> np.ndarray:
    if np.any((values < 0) | (values > 100)):
        raise ValueError("een score ligt altijd tussen 0 en 100")
    return np.where(np.isnan(values), np.nan, np.minimum(np.floor(values / PHASE_WIDTH) + 1, 4))


# --- grouping helpers -----------------------------------------------------------------------


def _group_stats(keys: np.ndarray, values: np.ndarray, n_groups: int) -> tuple[np.ndarray, ...]:
    """Per group: mean, min, max and count of the non-NaN values (NaN where a group has none)."""
    ok = ~np.isnan(values)
    k, v = keys[ok], values[ok]
    count = np.bincount(k, minlength=n_groups)
    total = np.bincount(k, weights=v, minlength=n_groups)
    low = np.full(n_groups, np.inf)
    high = np.full(n_groups, -np.inf)
    np.minimum.at(low, k, v)
    np.maximum.at(high, k, v)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / count
    empty = count == 0
    low[empty] = np.nan
    high[empty] = np.nan
    return mean, low, high, count


def _codes(values: pd.Series, categories: list[str]) -> np.ndarray:
    """Integer codes of `values` in `categories` (-1 for unknown); free when already categorical."""
    if isinstance(values.dtype, pd.CategoricalDtype) and list(values.cat.categories) == categories:
        return values.cat.codes.to_numpy()
    return pd.Index(categories).get_indexer(values.to_numpy())


# --- per respondent -------------------------------------------------------------------------


def respondent_theme_scores(positions: pd.DataFrame, model: MaturityModel) -> pd.DataFrame:
    """Per respondent x theme: the slider position (long form; unset themes are NaN or absent)."""
    theme_ids = [t.id for t in model.themes_ordered()]
    codes = _codes(positions["theme"], theme_ids)
    if (codes < 0).any():
        unknown = sorted(set(positions["theme"][codes < 0].astype(str)))
        raise ValueError(f"onbekend thema: {', '.join(unknown)}")
    position = positions["position"].to_numpy(dtype=float)
    if np.any((position < 0) | (position > 100)):
        raise ValueError("een schuifje staat altijd tussen 0 en 100")
    return pd.DataFrame(
        {
            "respondent": positions["respondent"].to_numpy(),
            "item_code": codes.astype(np.int64),
            "score": position,
            "coverage": np.nan,
        }
    )


def respondent_basic_function_scores(
    answers: pd.DataFrame, model: MaturityModel, instrument: str = "quickscan"
) -> pd.DataFrame:
    """Per respondent x basic function: mean score of the answered questions and coverage.

    Only respondents with at least one answer in this instrument appear (then for every basic
    function). "Weet niet" and "Niet van toepassing" count for nothing: not in the score, not
    answered. Coverage = answered / number of questions of that basic function.
    """
    bf_ids = [b.id for b in model.basic_functions_ordered()]
    questions = model.instrument(instrument).questions
    scored_questions = [q for q in questions if q.basic_function in bf_ids]
    q_ids = [q.id for q in scored_questions]
    q_bf = np.array([bf_ids.index(q.basic_function) for q in scored_questions], dtype=np.int64)
    totals = np.bincount(q_bf, minlength=len(bf_ids)).astype(float)

    scores_by_option = model.option_scores(instrument)
    option_ids = list(scores_by_option)
    option_score = np.array([np.nan if s is None else s for s in scores_by_option.values()])

    q_code = _codes(answers["question"], q_ids)
    o_code = _codes(answers["option"], option_ids)
    if (o_code < 0).any():
        unknown = sorted(set(answers["option"][o_code < 0].astype(str)))
        raise ValueError(f"onbekend antwoord: {', '.join(unknown)}")
    keep = q_code >= 0  # answers to other instruments (or general questions) are not scored here
    q_code, o_code = q_code[keep], o_code[keep]
    resp_codes, resp_values = pd.factorize(answers["respondent"].to_numpy()[keep], sort=True)
    n_bf = len(bf_ids)
    n_groups = len(resp_values) * n_bf
    keys = resp_codes.astype(np.int64) * n_bf + q_bf[q_code]
    values = option_score[o_code]
    mean, _, _, answered = _group_stats(keys, values, n_groups)
    return pd.DataFrame(
        {
            "respondent": np.repeat(resp_values, n_bf),
            "item_code": np.tile(np.arange(n_bf, dtype=np.int64) + len(model.themes), len(resp_values)),
            "score": mean,
            "answered": answered,
            "total": np.tile(totals, len(resp_values)),
            "coverage": answered / np.tile(totals, len(resp_values)),
        }
    )


# --- per unit and round ---------------------------------------------------------------------


def item_ids(model: MaturityModel) -> list[str]:
    """Column order of every profile: six themes, then five basic functions."""
    return [t.id for t in model.themes_ordered()] + [b.id for b in model.basic_functions_ordered()]


@dataclass(frozen=True)
class Profile:
    """Scores of every (unit, round): long per item, wide per unit, and the talking points."""

    items: pd.DataFrame
    """One row per unit x round x item: score (mean of respondents), low/high (spread),
    n_respondents, coverage (basic functions), phase, uncertain."""
    units: pd.DataFrame
    """One row per unit x round: every item score as a column, plus theme_mean, bf_mean,
    themes_set, overall, overall_phase, combined, combined_phase."""
    talking_points: pd.DataFrame
    """One row per flagged link: unit, round, theme, basic_function, their scores and phases, gap."""
    settings: ScoringSettings
    """Settings the profile was computed with."""


def compute_profile(
    respondents: pd.DataFrame,
    positions: pd.DataFrame,
    answers: pd.DataFrame,
    model: MaturityModel,
    settings: ScoringSettings | None = None,
    instrument: str = "quickscan",
) -> Profile:
    """The full profile of every (unit, round) that has respondents."""
    settings = settings or ScoringSettings()
    ids = item_ids(model)
    per_respondent = pd.concat(
        [
            respondent_theme_scores(positions, model),
            respondent_basic_function_scores(answers, model, instrument).drop(columns=["answered", "total"]),
        ],
        ignore_index=True,
    )
    # unit-round index of every respondent
    resp = respondents[["respondent", "unit", "round"]]
    ur_codes, ur_values = pd.factorize(pd.MultiIndex.from_arrays([resp["unit"], resp["round"]]), sort=True)
    resp_index = pd.Index(resp["respondent"].to_numpy())
    if not resp_index.is_unique:
        raise ValueError("elke respondent hoort bij precies één wijk en ronde")
    pos = resp_index.get_indexer(per_respondent["respondent"].to_numpy())
    if (pos < 0).any():
        raise ValueError("er zijn scores van een respondent die niet bekend is")
    n_items = len(ids)
    n_ur = len(ur_values)
    keys = ur_codes[pos].astype(np.int64) * n_items + per_respondent["item_code"].to_numpy()
    score, low, high, count = _group_stats(keys, per_respondent["score"].to_numpy(dtype=float), n_ur * n_items)
    cov_mean, _, _, _ = _group_stats(keys, per_respondent["coverage"].to_numpy(dtype=float), n_ur * n_items)

    unit_col = np.repeat(ur_values.get_level_values(0).to_numpy(), n_items)
    round_col = np.repeat(ur_values.get_level_values(1).to_numpy(), n_items)
    n_themes = len(model.themes)
    is_theme = np.tile(np.arange(n_items) < n_themes, n_ur)
    coverage = np.where(is_theme, np.nan, np.nan_to_num(cov_mean, nan=0.0))
    items = pd.DataFrame(
        {
            "unit": unit_col,
            "round": round_col,
            "kind": np.where(is_theme, "thema", "basisfunctie"),
            "item": np.tile(np.array(ids, dtype=object), n_ur),
            "score": score,
            "low": low,
            "high": high,
            "n_respondents": count,
            "coverage": coverage,
        }
    )
    items["phase"] = _phase_array(score)
    items["uncertain"] = ~is_theme & (coverage < UNCERTAIN_BELOW)

    wide = pd.DataFrame(score.reshape(n_ur, n_items), columns=ids)
    wide.insert(0, "unit", ur_values.get_level_values(0).to_numpy())
    wide.insert(1, "round", ur_values.get_level_values(1).to_numpy())
    units = summarise_units(wide, model, settings)
    return Profile(items=items, units=units, talking_points=talking_points(units, model), settings=settings)


def summarise_units(wide: pd.DataFrame, model: MaturityModel, settings: ScoringSettings) -> pd.DataFrame:
    """Add overall phase (by the chosen rule), theme/basic-function means and the combined index.

    `wide` has one row per unit x round with a column per theme and basic-function id. Used for
    wijken, the municipality as a whole and the municipality aggregate alike.
    """
    theme_cols = [t.id for t in model.themes_ordered()]
    bf_cols = [b.id for b in model.basic_functions_ordered()]
    themes = wide[theme_cols].to_numpy(dtype=float)
    bfs = wide[bf_cols].to_numpy(dtype=float)
    out = wide.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows give NaN, as they should
        theme_mean = np.nanmean(themes, axis=1)
        bf_mean = np.nanmean(bfs, axis=1)
        overall = {
            OverallRule.MEAN: lambda: theme_mean,
            OverallRule.MEDIAN: lambda: np.nanmedian(themes, axis=1),
            OverallRule.WEAKEST_LINK: lambda: np.nanmin(themes, axis=1),
        }[settings.rule]()
    out["themes_set"] = (~np.isnan(themes)).sum(axis=1)
    out["bfs_scored"] = (~np.isnan(bfs)).sum(axis=1)
    out["theme_mean"] = theme_mean
    out["bf_mean"] = bf_mean
    out["overall"] = overall
    out["overall_phase"] = _phase_array(overall)
    # The combined index needs both halves: a missing half is shown as missing, not guessed.
    out["combined"] = settings.theme_weight * theme_mean + (1 - settings.theme_weight) * bf_mean
    out["combined_phase"] = _phase_array(out["combined"].to_numpy())
    return out


def talking_points(units: pd.DataFrame, model: MaturityModel) -> pd.DataFrame:
    """Every theme ↔ basic-function link whose two scores are a phase or more apart (|Δ| ≥ 25)."""
    frames = []
    for link in model.links:
        theme = units[link.theme].to_numpy(dtype=float)
        bf = units[link.basic_function].to_numpy(dtype=float)
        with np.errstate(invalid="ignore"):
            flagged = np.abs(theme - bf) >= TALKING_POINT_GAP
        if not flagged.any():
            continue
        frames.append(
            pd.DataFrame(
                {
                    "unit": units["unit"].to_numpy()[flagged],
                    "round": units["round"].to_numpy()[flagged],
                    "theme": link.theme,
                    "basic_function": link.basic_function,
                    "theme_score": theme[flagged],
                    "bf_score": bf[flagged],
                }
            )
        )
    columns = ["unit", "round", "theme", "basic_function", "theme_score", "bf_score"]
    result = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    result["gap"] = result["theme_score"].astype(float) - result["bf_score"].astype(float)
    result["theme_phase"] = _phase_array(result["theme_score"].to_numpy(dtype=float))
    result["bf_phase"] = _phase_array(result["bf_score"].to_numpy(dtype=float))
    return result


def talking_point_reason(row: pd.Series, model: MaturityModel) -> str:
    """Dutch reason of one talking point, e.g. 'Lokale teams staat in fase 4 (80), ...'."""
    theme = model.theme(str(row["theme"]))
    bf = model.basic_function(str(row["basic_function"]))
    higher, lower = (theme.name, bf.name) if row["gap"] > 0 else (bf.name, theme.name)
    return (
        f"{theme.name} staat in fase {int(row['theme_phase'])} ({format_score(row['theme_score'])}), "
        f"{bf.name} in fase {int(row['bf_phase'])} ({format_score(row['bf_score'])}): "
        f"{format_score(abs(row['gap']))} punten verschil. {higher} is verder dan {lower}; "
        "bespreek waarom."
    )


def format_score(value: float | None) -> str:
    """Dutch number format with one decimal where needed: 62,5 · 80 · '–' when missing."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "–"
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


# --- municipality aggregate -----------------------------------------------------------------


def municipality_aggregate(
    units: pd.DataFrame,
    population: pd.Series,
    model: MaturityModel,
    settings: ScoringSettings,
) -> pd.DataFrame:
    """Per round, the mean of the wijken's item scores (optionally weighted by population).

    `units` are the wijk rows of a profile (not the municipality as a whole); `population` maps
    unit → inhabitants. Each item averages the wijken that have a score for it. With population
    weighting, wijken without a known population are left out; `weighted_units` says how many
    counted. Returns one row per round, summarised like a unit, with `unit` = -1.
    """
    ids = item_ids(model)
    rows = []
    for round_id, group in units.groupby("round", sort=True):
        values = group[ids].to_numpy(dtype=float)
        if settings.population_weighted:
            weights = population.reindex(group["unit"]).to_numpy(dtype=float)
            weights = np.where(np.isnan(weights) | (weights <= 0), 0.0, weights)
        else:
            weights = np.ones(len(group))
        w = np.where(np.isnan(values), 0.0, weights[:, None])
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.nansum(np.nan_to_num(values) * w, axis=0) / w.sum(axis=0)
        row = dict(zip(ids, mean, strict=True))
        row.update(unit=-1, round=round_id, wijken=len(group), weighted_units=int((weights > 0).sum()))
        rows.append(row)
    wide = pd.DataFrame(rows, columns=["unit", "round", *ids, "wijken", "weighted_units"])
    return summarise_units(wide, model, settings)
