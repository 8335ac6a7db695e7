"""What the page Perspectieven shows, from wijkmodel.analysis.perspectives (table-driven)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from wijkmodel.analysis.perspectives import (
    agreements,
    chart_title,
    differences,
    explanation,
    named_scores,
    perspectives_table,
    roles_present,
    single_role_message,
)
from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.core import item_ids
from wijkmodel.storage.db import Sessions

NAN = np.nan


def _scores(model: MaturityModel, rows: dict[str, dict[str, float]]) -> pd.DataFrame:
    """Item × role scores like `role_scores` returns: every item of the model, NaN where not given."""
    roles = list(dict.fromkeys(role for values in rows.values() for role in values))
    frame = pd.DataFrame(NAN, index=pd.Index(item_ids(model), name="item"), columns=roles)
    for item, values in rows.items():
        for role, value in values.items():
            frame.loc[item, role] = value
    return frame


@pytest.mark.parametrize(
    ("rows", "present", "message"),
    [
        ({}, [], "nog niets ingevuld"),
        ({"visie_inspiratie": {"gemeente": 60.0}}, ["gemeente"], "alleen de rol ‘gemeente’"),
        # a role with a respondent but no score at all does not count
        ({"visie_inspiratie": {"gemeente": NAN, "inwoner/jeugd": 40.0}}, ["inwoner/jeugd"], "alleen de rol ‘inwoner"),
        ({"visie_inspiratie": {"gemeente": 60.0}, "BF1": {"lokaal team": 50.0}}, ["gemeente", "lokaal team"], None),
    ],
)
def test_single_role_message(
    model: MaturityModel, rows: dict[str, dict[str, float]], present: list[str], message: str | None
) -> None:
    scores = _scores(model, rows)
    assert roles_present(scores) == present
    got = single_role_message(scores)
    if message is None:
        assert got is None
    else:
        assert got is not None and message in got


def test_named_scores_are_in_model_order_with_names(model: MaturityModel) -> None:
    scores = _scores(model, {"BF5": {"gemeente": 10.0}, "visie_inspiratie": {"gemeente": 90.0}}).iloc[::-1]
    named = named_scores(scores, model)
    assert list(named.index) == [t.name for t in model.themes_ordered()] + [
        b.name for b in model.basic_functions_ordered()
    ]
    assert named.loc["Visie en inspiratie", "gemeente"] == 90.0


def test_perspectives_table_reads_as_people_read_it(model: MaturityModel) -> None:
    scores = _scores(
        model,
        {
            "visie_inspiratie": {"gemeente": 62.5, "inwoner/jeugd": 30.0},
            "lokale_teams": {"gemeente": 74.96, "inwoner/jeugd": 60.0},
            "BF1": {"gemeente": 40.0},
        },
    )
    table = perspectives_table(scores, differences(scores, model), model)
    assert list(table.columns) == ["gemeente", "inwoner/jeugd", "Verschil", "Gesprekspunt"]
    assert table.index.name == "Onderdeel"
    assert table.loc["Visie en inspiratie"].tolist() == ["62,5 (fase 3)", "30 (fase 2)", "32,5", "ja"]
    # never rounded across a phase border: 74,96 is phase 3
    assert table.loc["Lokale teams"].tolist() == ["74,9 (fase 3)", "60 (fase 3)", "15", ""]
    assert table.loc["Veilige leefomgeving"].tolist() == ["40 (fase 2)", "–", "–", ""]
    assert table.loc["Taal en gedrag"].tolist() == ["–", "–", "–", ""]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # same phase: who and the range
        (
            {"visie_inspiratie": {"gemeente": 55.0, "lokaal team": 65.0}},
            ["Visie en inspiratie: alle rollen zien fase 3 (van 55 tot 65; 10 punten verschil)."],
        ),
        # across a phase border, still less than a phase apart
        (
            {"visie_inspiratie": {"gemeente": 45.0, "lokaal team": 60.0}},
            ["Visie en inspiratie: alle rollen zien fase 2 of 3 (van 45 tot 60; 15 punten verschil)."],
        ),
        # exactly the same
        (
            {"visie_inspiratie": {"gemeente": 62.5, "lokaal team": 62.5}},
            ["Visie en inspiratie: alle rollen geven 62,5 (fase 3)."],
        ),
        # a phase or more apart is a talking point, never agreement
        ({"visie_inspiratie": {"gemeente": 50.0, "lokaal team": 75.0}}, []),
        # one role alone cannot agree with anyone
        ({"visie_inspiratie": {"gemeente": 50.0}, "BF1": {"lokaal team": 60.0}}, []),
        # not every role scored it: say which did
        (
            {
                "visie_inspiratie": {"gemeente": 50.0, "lokaal team": 55.0, "inwoner/jeugd": NAN},
                "BF1": {"gemeente": 10.0, "lokaal team": 90.0, "inwoner/jeugd": 50.0},
            },
            ["Visie en inspiratie: gemeente en lokaal team zien fase 3 (van 50 tot 55; 5 punten verschil)."],
        ),
        # smallest difference first, at most three
        (
            {
                "visie_inspiratie": {"gemeente": 50.0, "lokaal team": 70.0},
                "lokale_teams": {"gemeente": 50.0, "lokaal team": 51.0},
                "BF1": {"gemeente": 50.0, "lokaal team": 60.0},
                "BF2": {"gemeente": 50.0, "lokaal team": 55.0},
            },
            ["Lokale teams:", "Tijdig signaleren van de vraag:", "Veilige leefomgeving:"],
        ),
    ],
)
def test_agreements(model: MaturityModel, rows: dict[str, dict[str, float]], expected: list[str]) -> None:
    scores = _scores(model, rows)
    got = agreements(scores, differences(scores, model))
    assert len(got) == len(expected)
    for sentence, start in zip(got, expected, strict=True):
        assert sentence.startswith(start)


@pytest.mark.parametrize(
    ("unit", "round_label", "expected"),
    [
        ("Zonnehoek", "2026", "Perspectieven in Zonnehoek, ronde 2026"),
        (
            "<b>Noord</b> & Zuid",
            "<i>1</i>",
            "Perspectieven in <b>Noord</b> & Zuid, ronde <i>1</i>",  # plain: the chart escapes it
        ),
    ],
)
def test_chart_title_names_wijk_and_round(unit: str, round_label: str, expected: str) -> None:

    assert chart_title(unit, round_label) == expected


def test_explanation_names_the_talking_point_rule() -> None:
    text = " ".join(explanation())
    assert "25 punten" in text and "gemeente, lokaal team, samenwerkingspartner en inwoner/jeugd" in text


def test_role_scores_of_many_units_in_one_pass_equal_one_by_one(demo_factory: Sessions, model: MaturityModel) -> None:
    from tests.test_exports import _profile
    from wijkmodel.analysis.perspectives import role_scores, role_scores_of_units

    mp, _rounds = _profile(demo_factory, model)
    frames = mp.frames
    unit_ids = [int(u) for u in frames.units["unit"]]
    compared = 0
    for round_id in frames.rounds["round"]:
        together = role_scores_of_units(
            frames.respondents, frames.positions, frames.answers, unit_ids, int(round_id), model, mp.profile.settings
        )
        for unit_id in unit_ids:
            alone = role_scores(
                frames.respondents, frames.positions, frames.answers, unit_id, int(round_id), model, mp.profile.settings
            )
            if alone.shape[1] < 2:
                assert unit_id not in together
                continue
            pd.testing.assert_frame_equal(together[unit_id], alone)
            compared += 1
    assert compared >= 8
