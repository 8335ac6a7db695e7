"""Ids encoded once, as database rows are read (`wijkmodel.storage.encoding`), and scored alike."""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pandas as pd
import pytest

from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.core import Profile, ScoringSettings, compute_profile
from wijkmodel.storage.encoding import KnownIds, encode_ids, response_frames

KNOWN = ("a", "b", "c")


@pytest.mark.parametrize(
    ("values", "known", "expected", "categories"),
    [
        (["b", "a", "b"], KNOWN, ["b", "a", "b"], ["a", "b", "c"]),  # the model's order, not the rows'
        (["z", "a", "y", "z"], KNOWN, ["z", "a", "y", "z"], ["a", "b", "c", "y", "z"]),  # unknown: kept, after
        (["a", None], KNOWN, ["a", None], ["a", "b", "c"]),  # NULL is missing, not a category
        ([None, "q"], KNOWN, [None, "q"], ["a", "b", "c", "q"]),
        ([], KNOWN, [], ["a", "b", "c"]),
        (["b", "a"], (), ["b", "a"], ["a", "b"]),  # no model: the ids found, sorted
    ],
)
def test_encode_ids(
    values: list[str | None], known: tuple[str, ...], expected: list[str | None], categories: list[str]
) -> None:
    rows = [(i, v) for i, v in enumerate(values)]
    encoded = encode_ids(rows, 1, known)
    assert list(encoded.categories) == categories
    assert [None if isinstance(v, float) and math.isnan(v) else v for v in encoded] == expected


def test_known_ids_are_the_model_s_in_model_order(model: MaturityModel) -> None:
    known = KnownIds.of(model)
    assert known.themes == tuple(t.id for t in model.themes_ordered())
    assert known.questions[: len(model.quickscan.questions)] == tuple(q.id for q in model.quickscan.questions)
    assert "RV1-Q1" in known.questions and "weet_niet" in known.options
    assert len(set(known.options)) == len(known.options)
    assert KnownIds.of(None) == KnownIds()


def test_response_frames_from_rows(model: MaturityModel) -> None:
    respondents, positions, answers = response_frames(
        [(7, 1, 2, "gemeente", "A"), (9, 1, 2, "lokaal team", "B")],
        [(7, "lokale_teams", 70), (9, "lokale_teams", None)],
        [(7, "BF2-Q4", "beperkt")],
        KnownIds.of(model),
    )
    assert respondents.to_dict("list") == {
        "respondent": [7, 9],
        "unit": [1, 1],
        "round": [2, 2],
        "role": ["gemeente", "lokaal team"],
        "label": ["A", "B"],
    }
    assert positions["position"].dtype == float and positions["position"].isna().tolist() == [False, True]
    assert isinstance(positions["theme"].dtype, pd.CategoricalDtype)
    assert list(positions["theme"].cat.categories) == [t.id for t in model.themes_ordered()]
    assert answers[["question", "option"]].astype(str).values.tolist() == [["BF2-Q4", "beperkt"]]


RESPONDENTS = [(1, 10, 1, "gemeente", "A"), (2, 10, 1, "inwoner/jeugd", "B")]
POSITIONS = [(1, "lokale_teams", 70.0), (2, "lokale_teams", 30.0), (2, "taal_gedrag", None)]
ANSWERS = [(1, "BF2-Q4", "beperkt"), (2, "BF2-Q4", "ja"), (2, "BF1-Q1", "weet_niet")]


@pytest.mark.parametrize(
    ("extra_positions", "extra_answers", "refused"),
    [
        ([], [], None),
        ([(1, "geen_thema", 50.0)], [], "onbekend thema: geen_thema"),  # an unknown theme is refused
        ([], [(1, "BF1-Q1", "misschien")], "onbekend antwoord: misschien bij BF1-Q1"),  # so is an unknown option
        ([], [(1, "BF1-Q1", "RV1-Q1")], "onbekend antwoord"),  # an id of another kind is no option
        ([], [(1, "GEEN-VRAAG", "ja")], None),  # a question of no instrument counts nowhere
        ([], [(1, "GEEN-VRAAG", "misschien")], None),
        ([], [(2, "RV1-Q1", "ja")], None),  # another instrument's question counts nowhere here
    ],
)
def test_unknown_ids_from_the_database_score_as_plain_strings_do(
    model: MaturityModel,
    extra_positions: list[tuple[Any, ...]],
    extra_answers: list[tuple[Any, ...]],
    refused: str | None,
) -> None:
    """Encoded at read time or not, the scoring does the same with every id: refuses, ignores or scores."""
    rows = (RESPONDENTS, POSITIONS + extra_positions, ANSWERS + extra_answers)
    encoded = response_frames(*rows, KnownIds.of(model))
    plain = response_frames(*rows, KnownIds())
    respondents, positions, answers = encoded
    as_strings = (
        respondents,
        positions.astype({"theme": object}),
        answers.astype({"question": object, "option": object}),
    )
    settings = ScoringSettings()

    def profile(frames: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]) -> Profile:
        return compute_profile(frames[0], frames[1], frames[2], model, settings)

    if refused is not None:
        for frames in (encoded, plain, as_strings):
            with pytest.raises(ValueError, match=re.escape(refused)):
                profile(frames)
        return
    profiles = [profile(frames) for frames in (encoded, plain, as_strings)]
    for other in profiles[1:]:
        pd.testing.assert_frame_equal(profiles[0].items, other.items, check_exact=True)
        pd.testing.assert_frame_equal(profiles[0].units, other.units, check_exact=True)
    base = profile(response_frames(RESPONDENTS, POSITIONS, ANSWERS, KnownIds.of(model)))
    pd.testing.assert_frame_equal(profiles[0].units, base.units, check_exact=True)
    scores = profiles[0].units.iloc[0]
    assert scores["lokale_teams"] == 50.0 and np.isnan(scores["taal_gedrag"])
