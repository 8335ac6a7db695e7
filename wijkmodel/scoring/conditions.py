"""Scores of the Randvoorwaarden (seed 002): per (unit, round) a score per condition on the one 0-100
scale (docs/scoring.md, "Randvoorwaarden").

Inputs are the same DataFrames as `core.compute_profile` takes (``respondents``: respondent, unit, round;
``answers``: respondent, question, option). Only answers to the instrument `randvoorwaarden` count; the
profile of themes and basic functions never sees them, and these scores never see the other answers.
"""

from __future__ import annotations

import pandas as pd

from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.core import phase_array

INSTRUMENT = "randvoorwaarden"

COLUMNS = ["unit", "round", "condition", "score", "phase", "coverage", "n_respondents", "low", "high"]


def condition_scores(respondents: pd.DataFrame, answers: pd.DataFrame, model: MaturityModel) -> pd.DataFrame:
    """One row per (unit, round, condition) of every (unit, round) where someone answered the Randvoorwaarden.

    - A respondent's score for a condition is the mean of the scores of their answers to its questions
      (polarity applied: `MaturityModel.answer_scores`); "Weet niet" and "Niet van toepassing" count
      for nothing. Missing when no answer carries a score.
    - A respondent's coverage of a condition = answers that carry a score / questions of the condition.
      Only respondents who gave any answer to the Randvoorwaarden took part.
    - Per (unit, round): score = mean of the respondents' scores (each respondent once), `n_respondents`
      how many had one, `low`/`high` the lowest and highest; coverage = mean coverage of those who took
      part; phase from `phase_array` (as `phase_of`) (NaN without a score).
    """
    rv = model.randvoorwaarden
    questions = {q.id: q for q in rv.instrument.questions}
    conditions = [c.id for c in rv.conditions_ordered()]
    mine = answers[answers["question"].isin(questions)]
    if mine.empty:
        return pd.DataFrame({c: pd.Series(dtype=float) for c in COLUMNS}).astype(
            {"unit": int, "round": int, "condition": object, "n_respondents": int}
        )
    scores = {qid: model.answer_scores(qid) for qid in questions}
    bad = [f"{o} bij {q}" for q, o in zip(mine["question"], mine["option"], strict=True) if o not in scores[str(q)]]
    if bad:
        raise ValueError(f"onbekend antwoord: {', '.join(sorted(set(bad))[:5])}")
    people = respondents.set_index("respondent")[["unit", "round"]]
    unknown = ~mine["respondent"].isin(people.index)
    if unknown.any():
        raise ValueError("er zijn antwoorden van een respondent die niet bekend is")
    rows = mine.assign(
        condition=[questions[str(q)].condition for q in mine["question"]],
        value=[scores[str(q)][str(o)] for q, o in zip(mine["question"], mine["option"], strict=True)],
    )
    rows["value"] = rows["value"].astype(float)
    per_person = rows.groupby(["respondent", "condition"])["value"].agg(score="mean", answered="count").reset_index()
    took_part = rows["respondent"].unique()
    # every respondent who took part gets a row per condition: a condition they skipped has coverage 0
    grid = pd.MultiIndex.from_product([took_part, conditions], names=["respondent", "condition"]).to_frame(index=False)
    per_person = grid.merge(per_person, on=["respondent", "condition"], how="left")
    totals = {c: len(rv.questions_of(c)) for c in conditions}
    per_person["answered"] = per_person["answered"].fillna(0)
    per_person["coverage"] = per_person["answered"] / per_person["condition"].map(totals)
    per_person = per_person.join(people, on="respondent")
    grouped = per_person.groupby(["unit", "round", "condition"], sort=False)
    out = grouped.agg(
        score=("score", "mean"),
        coverage=("coverage", "mean"),
        n_respondents=("score", "count"),
        low=("score", "min"),
        high=("score", "max"),
    ).reset_index()
    out["phase"] = phase_array(out["score"].to_numpy(dtype=float))
    out["condition"] = pd.Categorical(out["condition"], categories=conditions, ordered=True)
    out = out.sort_values(["unit", "round", "condition"]).reset_index(drop=True)
    out["condition"] = out["condition"].astype(str)
    out["n_respondents"] = out["n_respondents"].astype(int)
    return out[COLUMNS]
