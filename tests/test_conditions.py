"""The Randvoorwaarden (seed 002): table-driven scoring per condition, storage for the municipality as a
whole only, and the tables the pages show (docs/scoring.md, "Randvoorwaarden")."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest
from sqlalchemy import select

from wijkmodel.analysis.conditions import condition_items, conditions_comparison, conditions_table, whole_unit
from wijkmodel.analysis.summary import municipality_profile
from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.conditions import condition_scores
from wijkmodel.scoring.core import ScoringSettings, compute_profile
from wijkmodel.storage.db import Sessions
from wijkmodel.storage.inputs import InputError
from wijkmodel.storage.municipalities import create_municipality
from wijkmodel.storage.responses import get_or_create_respondent, save_answer
from wijkmodel.storage.rounds import create_round
from wijkmodel.storage.tables import Change, UnitKind
from wijkmodel.storage.wijken import add_wijk, units

NAN = float("nan")


def _score(model: MaturityModel, answers: list[tuple[int, str, str]], respondents: int = 2) -> pd.DataFrame:
    people = pd.DataFrame(
        {"respondent": range(1, respondents + 1), "unit": 1, "round": 1, "role": "gemeente", "label": ""}
    )
    given = pd.DataFrame(answers, columns=["respondent", "question", "option"])
    return condition_scores(people, given, model).set_index("condition")


def same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b)


# (answers as (respondent, question, option), condition, score, phase, coverage, n_respondents)
CASES = [
    # one respondent, both ends of the standard scale
    ([(1, "RV1-Q1", "ja")], "gedeelde_visie", 87.5, 4, 1 / 3, 1),
    ([(1, "RV1-Q1", "nee")], "gedeelde_visie", 12.5, 1, 1 / 3, 1),
    # the mean of a respondent's answers
    ([(1, "RV1-Q1", "ja"), (1, "RV1-Q2", "beperkt"), (1, "RV1-Q3", "grotendeels")], "gedeelde_visie", 62.5, 3, 1.0, 1),
    # polarity: for RV4-Q4 ("onnodige administratieve lasten?") Nee is good
    ([(1, "RV4-Q4", "nee")], "financiering", 87.5, 4, 1 / 4, 1),
    ([(1, "RV4-Q4", "ja")], "financiering", 12.5, 1, 1 / 4, 1),
    ([(1, "RV4-Q4", "beperkt"), (1, "RV4-Q1", "beperkt")], "financiering", 50.0, 3, 2 / 4, 1),
    # the 'geregeld' scale of how-questions
    ([(1, "RV2-Q2", "volledig")], "inrichtingskeuze", 87.5, 4, 1 / 3, 1),
    ([(1, "RV2-Q2", "deels"), (1, "RV2-Q1", "nee")], "inrichtingskeuze", 25.0, 2, 2 / 3, 1),
    # "Weet niet" and "Niet van toepassing" count for nothing: no score, not answered
    ([(1, "RV5-Q1", "weet_niet")], "leren", NAN, NAN, 0.0, 0),
    ([(1, "RV5-Q1", "weet_niet"), (1, "RV5-Q2", "volledig")], "leren", 87.5, 4, 1 / 3, 1),
    ([(1, "RV5-Q1", "nvt"), (1, "RV5-Q3", "nee")], "leren", 12.5, 1, 1 / 3, 1),
    # two respondents: the mean of their means, each respondent once
    (
        [(1, "RV1-Q1", "ja"), (1, "RV1-Q2", "ja"), (1, "RV1-Q3", "ja"), (2, "RV1-Q1", "nee")],
        "gedeelde_visie",
        50.0,
        3,
        (1 + 1 / 3) / 2,
        2,
    ),
    # a respondent who took part but skipped a condition lowers its coverage, not its score
    ([(1, "RV3-Q1", "ja"), (2, "RV1-Q1", "ja")], "verantwoording", 87.5, 4, (1 / 2 + 0) / 2, 1),
]


@pytest.mark.parametrize(("answers", "condition", "score", "phase", "coverage", "n"), CASES)
def test_condition_scores(
    model: MaturityModel,
    answers: list[tuple[int, str, str]],
    condition: str,
    score: float,
    phase: float,
    coverage: float,
    n: int,
) -> None:
    row = _score(model, answers).loc[condition]
    assert same(row["score"], score)
    assert same(row["phase"], phase)
    assert row["coverage"] == pytest.approx(coverage)
    assert row["n_respondents"] == n


def test_every_condition_has_a_row_and_the_spread(model: MaturityModel) -> None:
    scores = _score(model, [(1, "RV1-Q1", "ja"), (2, "RV1-Q1", "beperkt")])
    assert list(scores.index) == ["gedeelde_visie", "inrichtingskeuze", "verantwoording", "financiering", "leren"]
    assert (scores.loc["gedeelde_visie", "low"], scores.loc["gedeelde_visie", "high"]) == (37.5, 87.5)
    assert scores.loc["leren", "coverage"] == 0 and math.isnan(scores.loc["leren", "score"])


def test_only_randvoorwaarden_answers_count_and_they_leave_the_profile_alone(model: MaturityModel) -> None:
    people = pd.DataFrame({"respondent": [1], "unit": [1], "round": [1], "role": ["gemeente"], "label": [""]})
    quickscan = pd.DataFrame({"respondent": [1], "question": ["BF1-Q1"], "option": ["ja"]})
    both = pd.concat([quickscan, pd.DataFrame({"respondent": [1], "question": ["RV1-Q1"], "option": ["nee"]})])
    assert condition_scores(people, quickscan, model).empty  # nobody answered the Randvoorwaarden
    positions = pd.DataFrame({"respondent": pd.Series(dtype=int), "theme": [], "position": []})
    alone = compute_profile(people, positions, quickscan, model, ScoringSettings())
    with_rv = compute_profile(people, positions, both, model, ScoringSettings())
    pd.testing.assert_frame_equal(alone.items, with_rv.items)
    assert condition_scores(people, both, model).set_index("condition").loc["gedeelde_visie", "score"] == 12.5


def test_an_answer_the_scale_does_not_have_is_refused(model: MaturityModel) -> None:
    with pytest.raises(ValueError, match="onbekend antwoord: volledig bij RV1-Q1"):
        _score(model, [(1, "RV1-Q1", "volledig")])


def test_units_and_rounds_are_scored_apart(model: MaturityModel) -> None:
    people = pd.DataFrame({"respondent": [1, 2], "unit": [1, 1], "round": [1, 2], "role": "gemeente", "label": ""})
    given = pd.DataFrame({"respondent": [1, 2], "question": ["RV1-Q1", "RV1-Q1"], "option": ["nee", "ja"]})
    scores = condition_scores(people, given, model)
    visie = scores[scores["condition"] == "gedeelde_visie"].set_index("round")["score"]
    assert visie.to_dict() == {1: 12.5, 2: 87.5}


# --- storage and views ---------------------------------------------------------------------------


def _municipality(factory: Sessions) -> tuple[int, int, int, int]:
    with factory.begin() as s:
        m = create_municipality(session=s, name="Testdorp", cbs_code="GM9999")
        wijk = add_wijk(session=s, municipality_id=m.id, name="Centrum", cbs_code="WK999901", population=1200)
        r = create_round(session=s, municipality_id=m.id, label="2026", date=dt.date(2026, 1, 1))
        whole = next(u for u in units(session=s, municipality_id=m.id) if u.kind == UnitKind.MUNICIPALITY)
        return m.id, whole.id, wijk.id, r.id


def test_the_municipality_as_a_whole_answers_and_the_history_tells(factory: Sessions, model: MaturityModel) -> None:
    mid, whole, _, rid = _municipality(factory)
    with factory.begin() as s:
        resp = get_or_create_respondent(session=s, round_id=rid, unit_id=whole, role="gemeente")
        save_answer(session=s, respondent_id=resp.id, question_id="RV4-Q4", option_id="nee", model=model)
        save_answer(session=s, respondent_id=resp.id, question_id="RV2-Q2", option_id="deels", model=model)
    with factory() as s:
        changes = s.scalars(select(Change).where(Change.kind == "antwoord")).all()
        assert [(c.subject.split(":")[0], c.new) for c in changes] == [("RV4-Q4", "Nee"), ("RV2-Q2", "Deels geregeld")]
        mp = municipality_profile(
            session=s, municipality_id=mid, name="Testdorp", model=model, settings=ScoringSettings()
        )
    assert whole_unit(mp) == whole
    items = condition_items(mp, rid, model).set_index("condition")
    assert items.loc["financiering", "score"] == 87.5 and items.loc["inrichtingskeuze", "score"] == 37.5
    table = conditions_table(condition_items(mp, rid, model))
    assert table.loc[3].tolist() == ["Financiering", "Opdrachtgeverschap", "87,5", "fase 4", "25% (onzeker)", 1]
    assert table.loc[0, "Score"] == "–" and table.loc[0, "Deel beantwoord"] == "0% (onzeker)"
    compared = conditions_comparison(mp, rid, model)
    assert compared.loc[3, "Score en fase"] == "87,5 · fase 4"
    assert compared.loc[3, "Dient het thema"] == "Opdrachtgeverschap"
    assert compared.loc[3, "Ronde 2026"] == "87,5 · fase 4"
    # the profile of the municipality as a whole does not see these answers
    assert mp.profile.items["score"].isna().all()


def test_a_wijk_cannot_answer_the_randvoorwaarden(factory: Sessions, model: MaturityModel) -> None:
    _, _, wijk, rid = _municipality(factory)
    with factory.begin() as s:
        resp = get_or_create_respondent(session=s, round_id=rid, unit_id=wijk, role="gemeente")
        respondent_id = resp.id
    with pytest.raises(InputError, match="gemeente als geheel"), factory.begin() as s:
        save_answer(session=s, respondent_id=respondent_id, question_id="RV1-Q1", option_id="ja", model=model)
    with pytest.raises(InputError, match="onbekend antwoord 'volledig'"), factory.begin() as s:
        save_answer(session=s, respondent_id=respondent_id, question_id="RV1-Q1", option_id="volledig", model=model)
