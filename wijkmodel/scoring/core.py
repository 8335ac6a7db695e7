"""Pure scoring functions on the one 0-100 maturity scale (docs/scoring.md).

Inputs are plain DataFrames, so the same code scores one wijk or a whole country:

- ``respondents``: ``respondent`` (int), ``unit`` (int), ``round`` (int), ``role`` (str)
- ``positions``: ``respondent``, ``theme`` (theme id), ``position`` (0-100; NaN = not placed)
- ``answers``: ``respondent``, ``question`` (question id), ``option`` (answer option id)

Unset sliders and answers that count for nothing ("Weet niet", "Niet van toepassing") are
missing values throughout, never 0. Heavy lifting uses integer codes and ``np.bincount`` so the
full profile of 3,500 wijken x 10 rounds stays well under 100 ms (see wijkmodel.demo.bench).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.matrix import respondent_matrix, row_lookup
from wijkmodel.scoring.rules import OverallRule

PHASE_WIDTH = 25.0
TALKING_POINT_GAP = 25.0
"""Two linked scores this far apart (a phase or more) make a talking point."""
UNCERTAIN_BELOW = 0.5
"""A basic-function score with less than half its questions answered is shown as uncertain."""


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
        return pd.Series(phase_array(score.to_numpy(dtype=float)), index=score.index, name=score.name)
    result = phase_array(np.asarray(score, dtype=float))
    return float(result) if np.ndim(result) == 0 else result


def phase_array(values: np.ndarray) -> np.ndarray:
    """Phase 1-4 of every score in an array (NaN stays NaN); see `phase_of`."""
    # Round away float noise first: a mean of exactly 50 computed as 49.99999999999999 is phase 3.
    values = np.round(values, 9)
    if np.any((values < 0) | (values > 100)):
        raise ValueError("een score ligt altijd tussen 0 en 100")
    return np.where(np.isnan(values), np.nan, np.minimum(np.floor(values / PHASE_WIDTH) + 1, 4))


# --- per unit and round ---------------------------------------------------------------------


def _grouped(
    matrix: np.ndarray, group: np.ndarray, n_groups: int, spread: bool = True
) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None, np.ndarray]:
    """Per group of rows: mean, min, max and count of the non-NaN values of every column.

    `group` gives each row's group (0..n_groups-1). The rows are put in group order (a stable sort,
    skipped when they already are, as read from the database); then the k-th row of every group is
    added at once, so each sum adds a group's rows one by one in their original order.
    """
    n_rows, n_cols = matrix.shape
    sizes = np.bincount(group, minlength=n_groups)
    starts = np.cumsum(sizes) - sizes
    in_order = n_rows < 2 or bool(np.all(group[1:] >= group[:-1]))
    rows = matrix if in_order else matrix[np.argsort(group, kind="stable")]
    count = np.zeros((n_groups, n_cols), dtype=np.int64)
    total = np.zeros((n_groups, n_cols))
    low = np.full((n_groups, n_cols), np.nan) if spread else None
    high = np.full((n_groups, n_cols), np.nan) if spread else None
    for k in range(int(sizes.max()) if n_rows else 0):
        at = slice(None) if sizes.min() > k else np.flatnonzero(sizes > k)  # the groups with a k-th row
        row = rows[starts[at] + k]
        valid = ~np.isnan(row)
        total[at] += np.where(valid, row, 0.0)
        count[at] += valid
        if low is not None and high is not None:
            low[at] = np.fmin(low[at], row)
            high[at] = np.fmax(high[at], row)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / count
    return mean, low, high, count


def item_means(matrix: np.ndarray) -> np.ndarray:
    """The mean of every column over its non-NaN rows (NaN where none): a unit's item scores from its
    respondents' rows, exactly as `compute_profile` takes them."""
    return _grouped(matrix, np.zeros(len(matrix), dtype=np.intp), 1, spread=False)[0][0]


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
    check_duplicates: bool = True,
) -> Profile:
    """The full profile of every (unit, round) that has respondents.

    Two answers to one question (or two positions for one theme) of one respondent are refused;
    `check_duplicates=False` skips that check for frames read from the database, where unique
    constraints already guarantee it (it costs a pass over every answer).

    Per item, a unit's score is the mean over its respondents (each respondent counts once),
    with the spread (lowest and highest respondent) and the number of respondents behind it.
    """
    settings = settings or ScoringSettings()
    ids = item_ids(model)
    n_themes, n_items = len(model.themes), len(ids)
    respondent_ids = respondents["respondent"].to_numpy()
    if not pd.Index(respondent_ids).is_unique:
        raise ValueError("elke respondent hoort bij precies één wijk en ronde")
    scores, coverage = respondent_matrix(
        len(respondent_ids), row_lookup(respondent_ids), positions, answers, model, instrument, check_duplicates
    )

    # group respondents by (unit, round)
    unit_codes, unit_values = pd.factorize(respondents["unit"], sort=True)
    round_codes, round_values = pd.factorize(respondents["round"], sort=True)
    if (unit_codes < 0).any() or (round_codes < 0).any():
        raise ValueError("elke respondent hoort bij een wijk en een ronde (er ontbreekt er een)")
    pair = unit_codes.astype(np.int64) * max(len(round_values), 1) + round_codes
    pairs, group = np.unique(pair, return_inverse=True)
    n_groups = len(pairs)
    mean, low, high, count = _grouped(scores, group, n_groups)
    assert low is not None and high is not None  # spread=True always computes them
    cov_mean = _grouped(coverage, group, n_groups, spread=False)[0]
    group_units = np.asarray(unit_values)[pairs // max(len(round_values), 1)]
    group_rounds = np.asarray(round_values)[pairs % max(len(round_values), 1)]

    item_coverage = np.full((n_groups, n_items), np.nan)
    item_coverage[:, n_themes:] = np.nan_to_num(cov_mean, nan=0.0)
    is_theme = np.tile(np.arange(n_items) < n_themes, n_groups)
    flat_coverage = item_coverage.ravel()
    items = pd.DataFrame(
        {
            "unit": np.repeat(group_units, n_items),
            "round": np.repeat(group_rounds, n_items),
            "kind": pd.Categorical.from_codes(
                np.tile((np.arange(n_items) >= n_themes).astype(np.int8), n_groups),
                categories=["thema", "basisfunctie"],
            ),
            "item": pd.Categorical.from_codes(np.tile(np.arange(n_items), n_groups), categories=ids),
            "score": mean.ravel(),
            "low": low.ravel(),
            "high": high.ravel(),
            "n_respondents": count.ravel(),
            "coverage": flat_coverage,
        },
        copy=False,  # fresh arrays of our own: no need to copy them
    )
    items["phase"] = phase_array(mean.ravel())
    items["uncertain"] = ~is_theme & (flat_coverage < UNCERTAIN_BELOW)

    wide = pd.DataFrame(mean, columns=ids)
    wide.insert(0, "unit", group_units)
    wide.insert(1, "round", group_rounds)
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
    overall = overall_of(themes, settings.rule)
    out["themes_set"] = (~np.isnan(themes)).sum(axis=1)
    out["bfs_scored"] = (~np.isnan(bfs)).sum(axis=1)
    out["theme_mean"] = theme_mean
    out["bf_mean"] = bf_mean
    out["overall"] = overall
    out["overall_phase"] = phase_array(overall)
    # The combined index needs both halves: a missing half is shown as missing, not guessed.
    # bf + w·(theme − bf) is exact when both halves are equal (w·a + (1−w)·a need not be)
    out["combined"] = bf_mean + settings.theme_weight * (theme_mean - bf_mean)
    out["combined_phase"] = phase_array(out["combined"].to_numpy())
    return out


def overall_of(themes: np.ndarray, rule: OverallRule) -> np.ndarray:
    """The overall score of each row of theme scores (NaN: not placed) by the chosen rule: the one
    home of the rule. A row without any theme gives NaN."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows give NaN, as they should
        if rule is OverallRule.MEAN:
            return np.asarray(np.nanmean(themes, axis=1))
        if rule is OverallRule.MEDIAN:
            return np.asarray(np.nanmedian(themes, axis=1))
        if rule is OverallRule.WEAKEST_LINK:
            return np.asarray(np.nanmin(themes, axis=1))
    raise ValueError(f"onbekende regel: {rule!r}")


def far_apart(a: np.ndarray | pd.Series | float, b: np.ndarray | pd.Series | float) -> np.ndarray:
    """True where two scores lie a phase or more apart (|a − b| ≥ 25): the one rule of a talking
    point, float noise rounded away first. NaN on either side is never far apart."""
    with np.errstate(invalid="ignore"):
        return np.asarray(
            np.abs(np.round(np.asarray(a, dtype=float) - np.asarray(b, dtype=float), 9)) >= TALKING_POINT_GAP
        )


def talking_points(units: pd.DataFrame, model: MaturityModel) -> pd.DataFrame:
    """Every theme ↔ basic-function link whose two scores are a phase or more apart (|Δ| ≥ 25)."""
    themes = units[[k.theme for k in model.links]].to_numpy(dtype=float)
    bfs = units[[k.basic_function for k in model.links]].to_numpy(dtype=float)
    # flat positions, then row and link: cheaper than a 2-D nonzero on a whole country's units
    rows, links = np.divmod(np.flatnonzero(far_apart(themes, bfs)), max(len(model.links), 1))
    # the columns come column-major from the frame: gather there, without a row-major copy
    column_major = links * len(themes) + rows
    theme_score, bf_score = themes.ravel(order="F")[column_major], bfs.ravel(order="F")[column_major]
    return pd.DataFrame(
        {
            "unit": units["unit"].to_numpy()[rows],
            "round": units["round"].to_numpy()[rows],
            "theme": pd.Categorical.from_codes(
                pd.factorize(np.array([k.theme for k in model.links]))[0][links],
                categories=pd.unique(np.array([k.theme for k in model.links])),
            ),
            "basic_function": pd.Categorical.from_codes(
                pd.factorize(np.array([k.basic_function for k in model.links]))[0][links],
                categories=pd.unique(np.array([k.basic_function for k in model.links])),
            ),
            "theme_score": theme_score,
            "bf_score": bf_score,
            "gap": theme_score - bf_score,
            "theme_phase": phase_array(theme_score),
            "bf_phase": phase_array(bf_score),
        },
        copy=False,  # fresh arrays of our own: no need to copy them
    )


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
