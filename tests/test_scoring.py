"""Table-driven tests of the scoring rules (docs/scoring.md)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
import pytest

from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.core import Profile, ScoringSettings, compute_profile, municipality_aggregate, phase_of
from wijkmodel.scoring.rules import OverallRule
from wijkmodel.scoring.text import format_score, format_scores, talking_point_reason

THEMES = [
    "visie_inspiratie",
    "lokale_teams",
    "opdrachtgeverschap",
    "samenwerking_wijk",
    "gemeentelijke_organisatie",
    "taal_gedrag",
]
NAN = float("nan")


def same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b)


@pytest.mark.parametrize(
    ("score", "phase"),
    [
        (0, 1),
        (12.5, 1),
        (24.99, 1),
        (25, 2),
        (37.5, 2),
        (49.999, 2),
        (50, 3),
        (62.5, 3),
        (74.9, 3),
        (75, 4),
        (87.5, 4),
        (99.99, 4),
        (100, 4),
        (NAN, NAN),
    ],
)
def test_phase_bands(score: float, phase: float) -> None:
    assert same(float(phase_of(score)), phase)


@pytest.mark.parametrize("score", [-0.1, 100.1])
def test_a_score_outside_0_100_is_refused(score: float) -> None:
    with pytest.raises(ValueError, match="tussen 0 en 100"):
        phase_of(score)


def test_phase_of_keeps_a_series_a_series() -> None:
    result = phase_of(pd.Series([10.0, 60.0, NAN], name="x"))
    assert isinstance(result, pd.Series)
    assert result.tolist()[:2] == [1.0, 3.0] and math.isnan(result.iloc[2])


# --- helpers building frames -----------------------------------------------------------------


def frames(
    respondents: Sequence[tuple[object, int, int]],
    positions: Iterable[tuple[object, str, float]] = (),
    answers: Iterable[tuple[object, str, str]] = (),
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    r = pd.DataFrame(respondents, columns=["respondent", "unit", "round"]).assign(role="gemeente")
    p = pd.DataFrame(list(positions), columns=["respondent", "theme", "position"])
    a = pd.DataFrame(list(answers), columns=["respondent", "question", "option"])
    return r, p, a


LEVELS = {"nee": 0, "beperkt": 1, "grotendeels": 2, "ja": 3}
"""The four scored levels by the words of the standard scale, lowest first."""


def level(model: MaturityModel, question: str, word: str) -> str:
    """The option of `question` at the level `word` names ("ja" = its best answer, 87,5), whatever its
    scale and polarity; "weet_niet" and "nvt" stay as they are. The tests of sums and means speak in
    levels; the tests of scales and polarity (below) use the options themselves."""
    return model.answer_levels(question)[LEVELS[word]][0] if word in LEVELS else word


def bf_answers(model: MaturityModel, respondent: int, bf: str, options: list[str]) -> list[tuple[int, str, str]]:
    questions = [q.id for q in model.quickscan.questions if q.basic_function == bf]
    return [(respondent, q, level(model, q, o)) for q, o in zip(questions, options, strict=False)]


def item(profile: Profile, unit: int, item_id: str, column: str = "score") -> float:
    rows = profile.items
    return float(rows.loc[(rows["unit"] == unit) & (rows["item"] == item_id), column].iloc[0])


# --- basic-function scores --------------------------------------------------------------------

BF1_CASES = [
    # options given for the 6 BF1 questions → score, coverage, phase, uncertain
    (["grotendeels"] * 6, 62.5, 1.0, 3, False),
    (["ja"] * 6, 87.5, 1.0, 4, False),
    (["nee"] * 6, 12.5, 1.0, 1, False),
    (["nee", "ja"] + ["weet_niet"] * 4, 50.0, 2 / 6, 3, True),
    (["weet_niet"] * 6, NAN, 0.0, NAN, True),
    (["nvt"] * 6, NAN, 0.0, NAN, True),
    (["beperkt", "grotendeels", "ja"], (37.5 + 62.5 + 87.5) / 3, 0.5, 3, False),
    (["beperkt", "nvt", "ja", "weet_niet", "nee", "ja"], (37.5 + 87.5 + 12.5 + 87.5) / 4, 4 / 6, 3, False),
]


@pytest.mark.parametrize(("options", "score", "coverage", "phase", "uncertain"), BF1_CASES)
def test_basic_function_score_and_coverage(
    model: MaturityModel, options: list[str], score: float, coverage: float, phase: float, uncertain: bool
) -> None:
    profile = compute_profile(*frames([(1, 10, 1)], answers=bf_answers(model, 1, "BF1", options)), model)
    assert same(item(profile, 10, "BF1"), score)
    assert item(profile, 10, "BF1", "coverage") == pytest.approx(coverage)
    assert same(item(profile, 10, "BF1", "phase"), phase)
    assert bool(item(profile, 10, "BF1", "uncertain")) is uncertain


def test_a_basic_function_nobody_answered_is_missing_not_zero(model: MaturityModel) -> None:
    profile = compute_profile(*frames([(1, 10, 1)], answers=bf_answers(model, 1, "BF1", ["ja"])), model)
    assert math.isnan(item(profile, 10, "BF2"))
    assert item(profile, 10, "BF2", "coverage") == 0


def test_in_depth_answers_do_not_count_in_the_quickscan(model: MaturityModel) -> None:
    answers = [*bf_answers(model, 1, "BF1", ["ja"]), (1, "VV-BF1-01", "nee"), (1, "VV-ALG-01", "nee")]
    profile = compute_profile(*frames([(1, 10, 1)], answers=answers), model)
    assert item(profile, 10, "BF1") == 87.5
    deep = compute_profile(*frames([(1, 10, 1)], answers=answers), model, instrument="in_depth")
    assert item(deep, 10, "BF1") == 12.5


def test_an_unknown_answer_option_is_refused(model: MaturityModel) -> None:
    with pytest.raises(ValueError, match="onbekend antwoord: misschien"):
        compute_profile(*frames([(1, 10, 1)], answers=[(1, "BF1-Q1", "misschien")]), model)


# --- themes, overall phase, respondents -------------------------------------------------------

OVERALL_CASES = [
    # six slider positions (None = unset), rule → overall score, phase, themes set
    ([10, 20, 30, 60, 80, 100], OverallRule.MEAN, 50.0, 3, 6),
    ([10, 20, 30, 60, 80, 100], OverallRule.MEDIAN, 45.0, 2, 6),
    ([10, 20, 30, 60, 80, 100], OverallRule.WEAKEST_LINK, 10.0, 1, 6),
    ([None, 20, 30, None, 80, None], OverallRule.MEAN, 130 / 3, 2, 3),
    ([None, 20, 30, None, 80, None], OverallRule.WEAKEST_LINK, 20.0, 1, 3),
    ([None] * 6, OverallRule.MEAN, NAN, NAN, 0),
    ([100] * 6, OverallRule.MEDIAN, 100.0, 4, 6),
    ([0] * 6, OverallRule.WEAKEST_LINK, 0.0, 1, 6),
    ([75, 75, 75, 75, 75, 74], OverallRule.WEAKEST_LINK, 74.0, 3, 6),
]


@pytest.mark.parametrize(("positions", "rule", "overall", "phase", "themes_set"), OVERALL_CASES)
def test_overall_phase_by_rule(
    model: MaturityModel,
    positions: list[float | None],
    rule: OverallRule,
    overall: float,
    phase: float,
    themes_set: int,
) -> None:
    rows = [(1, t, NAN if p is None else p) for t, p in zip(THEMES, positions, strict=True)]
    profile = compute_profile(*frames([(1, 10, 1)], positions=rows), model, ScoringSettings(rule=rule))
    unit = profile.units.iloc[0]
    assert same(unit["overall"], overall)
    assert same(unit["overall_phase"], phase)
    assert unit["themes_set"] == themes_set


def test_an_unset_slider_is_missing_not_zero(model: MaturityModel) -> None:
    profile = compute_profile(*frames([(1, 10, 1)], positions=[(1, "lokale_teams", 80.0)]), model)
    assert item(profile, 10, "lokale_teams") == 80
    assert math.isnan(item(profile, 10, "visie_inspiratie"))
    assert profile.units.iloc[0]["overall"] == 80


RESPONDENT_CASES = [
    # positions of lokale_teams per respondent → mean, low, high, n
    ([60], 60, 60, 60, 1),
    ([20, 80], 50, 20, 80, 2),
    ([20, 80, None], 50, 20, 80, 2),
    ([25, 50, 75, 100], 62.5, 25, 100, 4),
    ([None, None], NAN, NAN, NAN, 0),
]


@pytest.mark.parametrize(("values", "mean", "low", "high", "n"), RESPONDENT_CASES)
def test_several_respondents_give_mean_and_spread(
    model: MaturityModel, values: list[float | None], mean: float, low: float, high: float, n: int
) -> None:
    respondents = [(i, 10, 1) for i in range(len(values))]
    positions = [(i, "lokale_teams", NAN if v is None else v) for i, v in enumerate(values)]
    profile = compute_profile(*frames(respondents, positions=positions), model)
    assert same(item(profile, 10, "lokale_teams"), mean)
    assert same(item(profile, 10, "lokale_teams", "low"), low)
    assert same(item(profile, 10, "lokale_teams", "high"), high)
    assert item(profile, 10, "lokale_teams", "n_respondents") == n


def test_basic_function_of_several_respondents_is_their_mean(model: MaturityModel) -> None:
    answers = bf_answers(model, 1, "BF2", ["ja"] * 5) + bf_answers(model, 2, "BF2", ["nee"] * 2 + ["weet_niet"] * 3)
    profile = compute_profile(*frames([(1, 10, 1), (2, 10, 1)], answers=answers), model)
    assert item(profile, 10, "BF2") == 50
    assert item(profile, 10, "BF2", "coverage") == pytest.approx((1 + 0.4) / 2)
    assert (item(profile, 10, "BF2", "low"), item(profile, 10, "BF2", "high")) == (12.5, 87.5)


def test_units_and_rounds_are_kept_apart(model: MaturityModel) -> None:
    respondents = [(1, 10, 1), (2, 10, 2), (3, 11, 1)]
    positions = [(1, "taal_gedrag", 10.0), (2, "taal_gedrag", 90.0), (3, "taal_gedrag", 50.0)]
    profile = compute_profile(*frames(respondents, positions=positions), model)
    got = profile.units.set_index(["unit", "round"])["taal_gedrag"].to_dict()
    assert got == {(10, 1): 10.0, (10, 2): 90.0, (11, 1): 50.0}


# --- combined index ---------------------------------------------------------------------------

COMBINED_CASES = [
    # theme position (all six), BF answer (all questions), theme weight → combined
    (80, "nee", 0.5, (80 + 12.5) / 2),
    (80, "nee", 1.0, 80),
    (80, "nee", 0.0, 12.5),
    (40, "grotendeels", 0.25, 0.25 * 40 + 0.75 * 62.5),
    (None, "ja", 0.5, NAN),
    (60, None, 0.5, NAN),
]


@pytest.mark.parametrize(("position", "option", "weight", "combined"), COMBINED_CASES)
def test_combined_index_weights(
    model: MaturityModel, position: float | None, option: str | None, weight: float, combined: float
) -> None:
    positions = [(1, t, position) for t in THEMES] if position is not None else []
    answers = [(1, q.id, level(model, q.id, option)) for q in model.quickscan.questions] if option else []
    profile = compute_profile(*frames([(1, 10, 1)], positions, answers), model, ScoringSettings(theme_weight=weight))
    assert same(profile.units.iloc[0]["combined"], combined)


def test_a_weight_outside_0_1_is_refused() -> None:
    with pytest.raises(ValueError, match="tussen 0 en 1"):
        ScoringSettings(theme_weight=1.5)


# --- talking points ---------------------------------------------------------------------------

TALKING_CASES = [
    # lokale_teams position, BF2 answer(s) → flagged?
    (90, ["nee"] * 5, True),  # 90 vs 12.5: phase 4 vs phase 1
    (37.5, ["ja"] * 5, True),  # exactly 50 apart
    (62.5, ["beperkt"] * 5, True),  # exactly 25 apart: a phase or more
    (62.0, ["beperkt"] * 5, False),  # 24.5 apart
    (60, ["grotendeels"] * 5, False),
    (None, ["nee"] * 5, False),  # unset slider: nothing to compare
    (90, ["weet_niet"] * 5, False),  # no scored answers: nothing to compare
]


@pytest.mark.parametrize(("position", "options", "flagged"), TALKING_CASES)
def test_talking_points_on_and_off(
    model: MaturityModel, position: float | None, options: list[str], flagged: bool
) -> None:
    positions = [(1, "lokale_teams", position)] if position is not None else []
    answers = bf_answers(model, 1, "BF2", options)
    profile = compute_profile(*frames([(1, 10, 1)], positions, answers), model)
    tps = profile.talking_points
    hit = tps[(tps["theme"] == "lokale_teams") & (tps["basic_function"] == "BF2")]
    assert (len(hit) == 1) is flagged


def test_a_talking_point_explains_itself(model: MaturityModel) -> None:
    profile = compute_profile(
        *frames([(1, 10, 1)], [(1, "lokale_teams", 90.0)], bf_answers(model, 1, "BF2", ["nee"] * 5)), model
    )
    tp = profile.talking_points.iloc[0]
    reason = talking_point_reason(tp, model)
    assert reason.startswith("Lokale teams staat in fase 4 (90), Tijdig signaleren van de vraag in fase 1 (12,5)")
    assert "77,5 punten verschil" in reason


# --- municipality aggregate -------------------------------------------------------------------


def _two_wijken(model: MaturityModel) -> Profile:
    respondents = [(1, 10, 1), (2, 11, 1)]
    positions = [(1, t, 20.0) for t in THEMES] + [(2, t, 80.0) for t in THEMES[:3]]
    return compute_profile(*frames(respondents, positions), model)


AGGREGATE_CASES = [
    # population of unit 10, 11; weighted? → visie_inspiratie, taal_gedrag aggregate
    ({10: 1000, 11: 1000}, False, 50.0, 20.0),
    ({10: 1000, 11: 3000}, False, 50.0, 20.0),
    ({10: 1000, 11: 3000}, True, 65.0, 20.0),
    ({10: None, 11: 3000}, True, 80.0, NAN),  # unknown population: left out when weighting
]


@pytest.mark.parametrize(("population", "weighted", "visie", "taal"), AGGREGATE_CASES)
def test_municipality_aggregate(
    model: MaturityModel, population: dict[int, int | None], weighted: bool, visie: float, taal: float
) -> None:
    profile = _two_wijken(model)
    settings = ScoringSettings(population_weighted=weighted)
    aggregate = municipality_aggregate(profile.units, pd.Series(population, dtype=float), model, settings)
    row = aggregate.iloc[0]
    assert same(row["visie_inspiratie"], visie)
    assert same(row["taal_gedrag"], taal)
    assert row["wijken"] == 2


@pytest.mark.parametrize(("value", "text"), [(62.5, "62,5"), (80.0, "80"), (33.333, "33,3"), (NAN, "–"), (None, "–")])
def test_dutch_number_format(value: float | None, text: str) -> None:
    assert format_score(value) == text


def test_scoring_is_vectorised_over_many_units(model: MaturityModel) -> None:
    rng = np.random.default_rng(1)
    n = 500
    respondents = [(i, i // 2, 1) for i in range(n * 2)]
    positions = [(i, t, float(rng.integers(0, 21) * 5)) for i in range(n * 2) for t in THEMES]
    profile = compute_profile(*frames(respondents, positions), model)
    assert len(profile.units) == n
    expected = np.mean([positions[0][2], positions[6][2]])
    assert profile.units.iloc[0]["visie_inspiratie"] == pytest.approx(expected)


def test_no_respondents_gives_an_empty_profile(model: MaturityModel) -> None:
    profile = compute_profile(*frames([]), model)
    assert profile.units.empty and profile.items.empty and profile.talking_points.empty


# --- float boundaries and malformed frames (found in review) ---------------------------------------


def test_a_combined_index_of_exactly_50_is_phase_3(model: MaturityModel) -> None:
    # themes 50, basic functions 50 (one "Ja" and one "Nee"): with weight 0.34, 0.34·50 + 0.66·50 in
    # floating point is 49.99999999999999, which must not fall into phase 2
    positions = [(1, t, 50.0) for t in THEMES]
    bf4 = [q.id for q in model.quickscan.questions if q.basic_function == "BF4"][:2]
    answers = [(1, bf4[0], level(model, bf4[0], "ja")), (1, bf4[1], level(model, bf4[1], "nee"))]
    unit = compute_profile(
        *frames([(1, 10, 1)], positions, answers), model, ScoringSettings(theme_weight=0.34)
    ).units.iloc[0]
    assert unit["combined"] == 50 and unit["combined_phase"] == 3


def test_a_mean_of_exactly_50_from_six_respondents_is_phase_3_and_a_gap_of_25_counts(model: MaturityModel) -> None:
    bf4 = next(q.id for q in model.quickscan.questions if q.basic_function == "BF4")
    options = ["ja", "nee", "grotendeels", "beperkt", "grotendeels", "beperkt"]  # mean exactly 50
    respondents = [(i, 10, 1) for i in range(len(options))]
    answers = [(i, bf4, level(model, bf4, o)) for i, o in enumerate(options)]
    profile = compute_profile(*frames(respondents, [(0, "taal_gedrag", 25.0)], answers), model)
    assert item(profile, 10, "BF4") == 50 and item(profile, 10, "BF4", "phase") == 3
    tps = profile.talking_points
    assert ((tps["theme"] == "taal_gedrag") & (tps["basic_function"] == "BF4")).sum() == 1


@pytest.mark.parametrize(
    ("value", "text"),
    [(74.96, "74,9"), (24.99, "24,9"), (49.951, "49,9"), (75.04, "75"), (62.46, "62,5"), (100.0, "100"), (0.04, "0")],
)
def test_shown_numbers_never_cross_a_phase_border(value: float, text: str) -> None:
    assert format_score(value) == text


def test_duplicate_answers_and_positions_are_refused(model: MaturityModel) -> None:
    with pytest.raises(ValueError, match="meer dan één antwoord"):
        compute_profile(*frames([(1, 10, 1)], answers=[(1, "BF1-Q1", "ja"), (1, "BF1-Q1", "nee")]), model)
    with pytest.raises(ValueError, match="meer dan één schuifje"):
        compute_profile(*frames([(1, 10, 1)], positions=[(1, "taal_gedrag", 10.0), (1, "taal_gedrag", 90.0)]), model)


def test_a_respondent_without_unit_is_refused(model: MaturityModel) -> None:
    respondents = pd.DataFrame({"respondent": [1, 2], "unit": [10, None], "round": [1, 1], "role": "gemeente"})
    with pytest.raises(ValueError, match="ontbreekt"):
        compute_profile(respondents, frames([])[1], frames([])[2], model)


@pytest.mark.parametrize("ids", [[1000, 5, 77], ["a", "b", "c"], [10**12, 3, 4]])
def test_any_respondent_ids_work(model: MaturityModel, ids: list[int] | list[str]) -> None:
    respondents = [(r, 10, 1) for r in ids]
    positions = [(r, "lokale_teams", float(v)) for r, v in zip(ids, [20, 40, 60], strict=True)]
    profile = compute_profile(*frames(respondents, positions), model)
    assert item(profile, 10, "lokale_teams") == 40


def test_one_score_is_formatted_exactly_like_many() -> None:
    # format_score has its own scalar path for speed; it must never disagree with format_scores
    rng = np.random.default_rng(7)
    edges = [25 * k + d for k in range(5) for d in (-0.051, -0.05, -0.049, -0.001, 0, 0.001, 0.049, 0.05)]
    values = [*rng.uniform(-5, 105, 2000).tolist(), *edges, NAN, None, "62.5", "abc", 1e6, -0.04]
    assert [format_score(v) for v in values] == format_scores(values)


# --- answer scales and polarity (issue 15) --------------------------------------------------------

SCALE_CASES = [
    # question, option given → its score in the profile (the only answer of its basic function)
    ("BF2-Q5", "ja", 12.5),  # "Zijn er wachttijden?": Ja is the bad answer
    ("BF2-Q5", "beperkt", 62.5),
    ("BF2-Q5", "grotendeels", 37.5),
    ("BF2-Q5", "nee", 87.5),
    ("BF2-Q4", "ja", 87.5),  # a yes/no question of the same basic function counts the usual way
    ("BF2-Q4", "nee", 12.5),
    ("BF5-Q7", "niet", 12.5),  # "Hoe is … vormgegeven?": how well it is arranged
    ("BF5-Q7", "deels", 37.5),
    ("BF5-Q7", "grotendeels", 62.5),
    ("BF5-Q7", "volledig", 87.5),
    ("BF4-Q4", "anders_geborgd", 87.5),  # "Zo niet, hoe is dit anderszins geborgd?": arranged is arranged
    ("BF4-Q4", "ja", 87.5),
    ("BF4-Q4", "nee", 12.5),
    ("BF4-Q2", "anders_geborgd", 87.5),
    ("BF4-Q2", "weet_niet", NAN),
    ("BF5-Q7", "nvt", NAN),
]


@pytest.mark.parametrize(("question", "option", "score"), SCALE_CASES)
def test_each_question_scores_on_its_own_scale_and_polarity(
    model: MaturityModel, question: str, option: str, score: float
) -> None:
    bf = model.question(question).basic_function
    profile = compute_profile(*frames([(1, 10, 1)], answers=[(1, question, option)]), model)
    assert same(item(profile, 10, bf), score)
    assert model.answer_scores(question)[option] == (None if score != score else score)


def test_a_respondent_who_answers_only_bf2_q5_with_ja_gives_bf2_a_low_score(model: MaturityModel) -> None:
    profile = compute_profile(*frames([(1, 10, 1)], answers=[(1, "BF2-Q5", "ja")]), model)
    assert item(profile, 10, "BF2") == 12.5 and item(profile, 10, "BF2", "phase") == 1


@pytest.mark.parametrize(
    ("question", "option"),
    [("BF5-Q7", "ja"), ("BF5-Q7", "nee"), ("BF2-Q5", "volledig"), ("BF1-Q1", "anders_geborgd"), ("BF4-Q4", "deels")],
)
def test_an_option_of_another_scale_is_refused(model: MaturityModel, question: str, option: str) -> None:
    with pytest.raises(ValueError, match=f"onbekend antwoord: {option} bij {question}"):
        compute_profile(*frames([(1, 10, 1)], answers=[(1, question, option)]), model)


def test_every_question_states_its_good_answer_and_only_bf2_q5_and_one_condition_reverse(
    model: MaturityModel,
) -> None:
    # all 96 questions of the Quickscan and the in-depth questions were read for polarity (issue 15)
    reversed_ = [q.id for i in (model.quickscan, model.in_depth) for q in i.questions if model.is_reversed(q)]
    assert reversed_ == ["BF2-Q5"]
    assert model.question("BF2-Q5").polarity_note == "Ja = er zijn wachttijden. Dat telt als minder goed geregeld."
    how = [q.id for q in model.quickscan.questions if model.question_scale(q).id == "geregeld"]
    assert len(how) == 12 and all(model.question(q).text.startswith(("Welke", "Hoe", "Waar")) for q in how)
    assert [q.id for q in model.quickscan.questions if model.question_scale(q).id == "geborgd"] == ["BF4-Q2", "BF4-Q4"]


def test_the_frozen_rule_of_model_2026_2_fits_today_s_scales(model: MaturityModel) -> None:
    from wijkmodel.model.scale_change import HOW_QUESTIONS, STANDARD_TO_ARRANGED, mapped_option

    # the questions the migration moved are exactly those on "geregeld"; each mapped answer is one of its options
    assert {q.id for q in model.quickscan.questions if model.question_scale(q).id == "geregeld"} == HOW_QUESTIONS
    arranged = {o.id for o in model.answer_scale("geregeld").options}
    standard = {o.id for o in model.answer_scale("standaard").options}
    assert {mapped_option(q, o) for q in HOW_QUESTIONS for o in standard} == arranged
    # the mapping keeps the level: the score of the old answer is the score of the new one
    for old, new in STANDARD_TO_ARRANGED.items():
        assert model.answer_scores("BF5-Q7")[new] == model.answer_scores("BF1-Q1")[old]
    assert mapped_option("BF1-Q1", "ja") == "ja" and mapped_option("BF2-Q5", "ja") == "ja"


@pytest.mark.parametrize(
    ("question", "hint"),
    [
        ("BF2-Q5", "Let op: Ja = er zijn wachttijden. Dat telt als minder goed geregeld."),
        ("BF2-Q4", None),
        ("BF5-Q7", None),
    ],
)
def test_a_polarity_hint_only_where_it_could_surprise(model: MaturityModel, question: str, hint: str | None) -> None:
    from wijkmodel.scoring.text import polarity_hint

    assert polarity_hint(model.question(question)) == hint
