"""The synthetic country of the scale benchmark (issue 7), built tiny into SQLite."""

from __future__ import annotations

import json
import statistics
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from wijkmodel.analysis.summary import summarize
from wijkmodel.cli import run
from wijkmodel.demo.synthetic_country import (
    N_MUNICIPALITIES,
    N_WIJKEN,
    build_country,
    municipality_name,
    table_counts,
    wijk_counts,
    wijk_name,
)
from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.core import ScoringSettings
from wijkmodel.storage.db import make_engine, make_sessionmaker
from wijkmodel.storage.municipalities import create_municipality
from wijkmodel.storage.tables import Answer, Municipality, Respondent, Role, ThemePosition, Unit

TINY = [3, 2, 1]
ROUNDS = 2


@pytest.mark.parametrize(
    ("municipalities", "wijken", "largest"),
    [(N_MUNICIPALITIES, N_WIJKEN, 100), (3, 6, 3), (10, 40, 10), (5, 5, 1), (1, 7, 7)],
)
def test_wijk_counts_add_up_with_the_largest_first(municipalities: int, wijken: int, largest: int) -> None:
    counts = wijk_counts(municipalities, wijken, largest=largest)
    assert len(counts) == municipalities
    assert sum(counts) == wijken
    assert counts[0] == largest == max(counts)
    assert min(counts) >= 1
    assert counts == sorted(counts, reverse=True)
    assert counts == wijk_counts(municipalities, wijken, largest=largest)  # deterministic


def test_the_country_has_a_few_large_municipalities_and_many_small_ones() -> None:
    counts = wijk_counts()
    assert counts[0] == 100
    assert sum(c >= 40 for c in counts) >= 3
    assert statistics.median(counts) <= 10


def test_impossible_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="wijken"):
        wijk_counts(10, 5)
    with pytest.raises(ValueError, match="wijken"):
        wijk_counts(2, 50, largest=10)


def test_a_tiny_country_has_every_row(engine: Engine, model: MaturityModel) -> None:
    built = build_country(engine, TINY, model=model, n_rounds=ROUNDS)
    units = sum(TINY) + len(TINY)  # wijken and each 'Gemeente als geheel'
    respondents = units * ROUNDS * len(Role)
    questions = len(model.quickscan.questions)
    assert built.municipalities == 3
    assert (built.units, built.rounds, built.respondents) == (units, 3 * ROUNDS, respondents)
    assert (built.positions, built.answers) == (respondents * len(model.themes), respondents * questions)
    counts = table_counts(engine)
    assert counts["answer"] == built.answers and counts["theme_position"] == built.positions
    assert built.rows == sum(counts.values())

    with engine.connect() as conn:
        names = set(conn.scalars(select(Municipality.name)))
        assert names == {"Proefgemeente 001", "Proefgemeente 002", "Proefgemeente 003"}
        wijken = set(conn.scalars(select(Unit.name).where(Unit.kind == "wijk")))
        assert wijken == {wijk_name(0, 0), wijk_name(0, 1), wijk_name(0, 2), wijk_name(1, 0), wijk_name(1, 1)} | {
            "Wijk 003-01"
        }
        assert set(conn.scalars(select(ThemePosition.theme_id).distinct())) == {t.id for t in model.themes}
        assert set(conn.scalars(select(Answer.question_id).distinct())) == {q.id for q in model.quickscan.questions}
        allowed = {(q.id, o.id) for q in model.quickscan.questions for o in model.question_scale(q).options}
        assert set(conn.execute(select(Answer.question_id, Answer.option_id).distinct()).tuples()) <= allowed
        assert conn.scalar(select(func.count()).where(ThemePosition.position.is_(None))) == 0
        per_unit_round = conn.execute(
            select(func.count(), func.count(Respondent.role.distinct())).group_by(
                Respondent.unit_id, Respondent.round_id
            )
        ).all()
        assert set(per_unit_round) == {(4, 4)}


def test_summary_runs_on_the_tiny_country(
    engine: Engine,
    db_url: str,
    model: MaturityModel,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    build_country(engine, TINY, model=model, n_rounds=ROUNDS)
    monkeypatch.setenv("WIJKMODEL_DATABASE_URL", db_url)
    assert run(["summary", "--gemeente", municipality_name(1), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["municipality"] == "Proefgemeente 002"
    assert out["round"] == "2026"
    assert [u["kind"] for u in out["units"]] == ["gemeente", "wijk", "wijk", "aggregaat"]
    assert all(t["score"] is not None and t["respondents"] == 4 for t in out["units"][1]["themes"])
    # a save through the app after the bulk load gets fresh ids
    with make_sessionmaker(engine).begin() as session:
        create_municipality(session=session, name="Nog een proefgemeente")


def test_a_municipality_built_alone_scores_as_in_the_country(
    engine: Engine, model: MaturityModel, tmp_path: Path
) -> None:
    build_country(engine, TINY, model=model, n_rounds=ROUNDS)
    alone = make_engine(f"sqlite:///{tmp_path / 'alone.sqlite'}")
    build_country(alone, TINY[1:2], indices=[1], model=model, n_rounds=ROUNDS)

    def records(eng: Engine) -> list[dict[str, Any]]:
        with make_sessionmaker(eng)() as session:
            return summarize(
                session=session,
                municipality=municipality_name(1),
                round_label=None,
                model=model,
                settings=ScoringSettings(),
            ).records

    assert records(alone) == records(engine)
    alone.dispose()
