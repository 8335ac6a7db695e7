"""Ids encoded once, as database rows are read (`wijkmodel.storage.encoding`), and scored alike."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import create_engine, make_url, text

from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.core import Profile, ScoringSettings, compute_profile
from wijkmodel.storage.db import Sessions, make_engine, make_sessionmaker
from wijkmodel.storage.encoding import KnownIds, ResponseRows, encode_ids, read_response_rows, response_frames
from wijkmodel.storage.tables import Answer, Municipality, Respondent, Round, ThemePosition, Unit

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


Row = tuple[Any, ...]


def stored(factory: Sessions, respondents: Sequence[Row], positions: Sequence[Row], answers: Sequence[Row]) -> None:
    """The rows written as they are, past the checks of the saving functions: as an older model left them."""
    with factory.begin() as session:
        session.add(Municipality(id=1, name="Voorbeeld"))
        session.flush()
        units = {unit for _, unit, *_ in respondents}
        rounds = {round_id for _, _, round_id, *_ in respondents}
        session.add_all(Unit(id=u, municipality_id=1, kind="wijk", name=f"wijk {u}") for u in units)
        session.add_all(Round(id=r, municipality_id=1, label=f"ronde {r}", date=date(2026, 1, r)) for r in rounds)
        session.flush()
        session.add_all(
            Respondent(id=i, unit_id=u, round_id=r, role=role, label=label) for i, u, r, role, label in respondents
        )
        session.flush()
        session.add_all(
            ThemePosition(respondent_id=i, theme_id=t, position=p, model_version="oud") for i, t, p in positions
        )
        session.add_all(Answer(respondent_id=i, question_id=q, option_id=o, model_version="oud") for i, q, o in answers)


def read(factory: Sessions, known: KnownIds) -> tuple[ResponseRows, tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]]:
    with factory() as session:
        rows = read_response_rows(session.connection(), None, known)
    return rows, response_frames(rows, known)


def test_response_frames_from_the_database(model: MaturityModel, factory: Sessions) -> None:
    stored(
        factory,
        [(7, 1, 2, "gemeente", "A"), (9, 1, 2, "lokaal team", "B")],
        [(7, "lokale_teams", 70), (9, "lokale_teams", None)],
        [(7, "BF2-Q4", "beperkt"), (9, "BF2-Q5", None)],  # an answer without option is a note: not read
    )
    rows, (respondents, positions, answers) = read(factory, KnownIds.of(model))
    # every id encoded by the database: one string of codes per respondent, nothing read a second time
    assert [(r, len(codes)) for r, codes in rows.answers] == [(7, 2)]
    assert not rows.odd_answers and not rows.odd_positions
    assert respondents.sort_values("respondent").to_dict("list") == {
        "respondent": [7, 9],
        "unit": [1, 1],
        "round": [2, 2],
        "role": ["gemeente", "lokaal team"],
        "label": ["A", "B"],
    }
    positions = positions.sort_values("respondent")
    assert positions["respondent"].tolist() == [7, 9]
    assert positions["position"].dtype == float and positions["position"].isna().tolist() == [False, True]
    assert isinstance(positions["theme"].dtype, pd.CategoricalDtype)
    assert list(positions["theme"].cat.categories) == [t.id for t in model.themes_ordered()]
    assert positions["theme"].astype(str).tolist() == ["lokale_teams", "lokale_teams"]
    assert answers["respondent"].tolist() == [7]
    assert answers[["question", "option"]].astype(str).values.tolist() == [["BF2-Q4", "beperkt"]]


@pytest.mark.parametrize(
    ("position", "packed"),
    [
        (0.0, True),
        (100.0, True),
        (70.0, True),
        (12.5, True),
        (0.001953125, True),  # 1/512: the finest step that packs
        (None, True),  # not placed
        (0.1, False),  # not a whole number of steps: read again as it is stored
        (100 / 3, False),
        (99.99999999999999, False),
    ],
)
def test_every_position_comes_back_exactly(
    model: MaturityModel, factory: Sessions, position: float | None, packed: bool
) -> None:
    stored(factory, [(3, 1, 1, "gemeente", "A")], [(3, "lokale_teams", position), (3, "taal_gedrag", 50.0)], [])
    rows, (_, positions, _) = read(factory, KnownIds.of(model))
    assert [r[2] for r in rows.odd_positions] == ([] if packed else [position])
    by_theme = dict(zip(positions["theme"].astype(str), positions["position"], strict=True))
    assert by_theme["taal_gedrag"] == 50.0 and positions["respondent"].tolist() == [3, 3]
    if position is None:
        assert np.isnan(by_theme["lokale_teams"])
    else:
        assert by_theme["lokale_teams"] == position  # exactly, not nearly


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
    factory: Sessions,
    extra_positions: list[tuple[Any, ...]],
    extra_answers: list[tuple[Any, ...]],
    refused: str | None,
) -> None:
    """Encoded by the database or not, the scoring does the same with every id: refuses, ignores or scores."""
    stored(factory, RESPONDENTS, POSITIONS + extra_positions, ANSWERS + extra_answers)
    rows, encoded = read(factory, KnownIds.of(model))
    # only the rows with an id the model does not know come back as strings
    assert sorted(map(tuple, rows.odd_positions)) == sorted(p for p in extra_positions if p[1] == "geen_thema")
    odd_answers = [a for a in extra_answers if a[1] == "GEEN-VRAAG" or a[2] == "misschien" or a[2] == "RV1-Q1"]
    assert sorted(map(tuple, rows.odd_answers)) == sorted(odd_answers)
    _, plain = read(factory, KnownIds())
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
    # the known rows score as they do without the unknown ones
    base = profile(
        (
            pd.DataFrame(RESPONDENTS, columns=["respondent", "unit", "round", "role", "label"]),
            pd.DataFrame(POSITIONS, columns=["respondent", "theme", "position"]),
            pd.DataFrame(ANSWERS, columns=["respondent", "question", "option"]),
        )
    )
    pd.testing.assert_frame_equal(profiles[0].units, base.units, check_exact=True)
    scores = profiles[0].units.iloc[0]
    assert scores["lokale_teams"] == 50.0 and np.isnan(scores["taal_gedrag"])


def test_a_postgresql_database_in_another_character_set_reads_every_id(model: MaturityModel, pg_url: str) -> None:
    """In WIN1251 `chr(255)` is 'я', not code point 255: the ids come as plain strings, and all of them."""
    name = "wijkmodel_win1251"
    server = create_engine(make_url(pg_url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        conn.execute(text(f"CREATE DATABASE {name} ENCODING 'WIN1251' TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'"))
    engine = make_engine(make_url(pg_url).set(database=name).render_as_string(hide_password=False))
    try:
        factory = make_sessionmaker(engine)
        stored(factory, RESPONDENTS, POSITIONS, [*ANSWERS, (1, "GEEN-VRAAG", "ja")])
        rows, (_, _, answers) = read(factory, KnownIds.of(model))
        assert rows.answers == () and len(rows.odd_answers) == 4  # not encoded by the database
        assert sorted(answers[["question", "option"]].astype(str).itertuples(index=False, name=None)) == sorted(
            (q, o) for _, q, o in [*ANSWERS, (1, "GEEN-VRAAG", "ja")]
        )
    finally:
        engine.dispose()
        with server.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        server.dispose()
