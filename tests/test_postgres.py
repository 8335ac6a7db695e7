"""SQLite and PostgreSQL side by side: a backup moves between them and scores the same.

The storage and CLI tests themselves run on both databases (see BOTH_DATABASES in conftest.py);
these tests need both at once. Runs when WIJKMODEL_TEST_POSTGRES_URL is set (`.ci/run` starts a
throw-away cluster with scripts/pg_throwaway.sh). Skips on a developer machine without it; in CI a
missing server fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select

from wijkmodel.analysis.summary import summarize
from wijkmodel.backup.export import export_municipality
from wijkmodel.backup.restore import import_backup
from wijkmodel.demo.facts import DEMO_NAME
from wijkmodel.demo.municipality import add_demo
from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.core import ScoringSettings
from wijkmodel.storage.db import Sessions, make_engine, make_sessionmaker
from wijkmodel.storage.inputs import InputError
from wijkmodel.storage.municipalities import find_municipality
from wijkmodel.storage.responses import save_answer
from wijkmodel.storage.tables import Answer


@pytest.fixture
def pg(pg_url: str) -> Iterator[Sessions]:
    engine = make_engine(pg_url)
    yield make_sessionmaker(engine)
    engine.dispose()


def _export(factory: Sessions, model: MaturityModel) -> str:
    with factory() as s:
        demo = find_municipality(session=s, name=DEMO_NAME)
        assert demo is not None
        return export_municipality(session=s, municipality_id=demo.id, model=model)


def _summary(factory: Sessions, model: MaturityModel) -> list[dict[str, Any]]:
    with factory() as s:
        return summarize(
            session=s, municipality=DEMO_NAME, round_label="2026", model=model, settings=ScoringSettings()
        ).records


def test_a_sqlite_backup_round_trips_through_postgresql(
    demo_factory: Sessions, pg: Sessions, model: MaturityModel
) -> None:
    from_sqlite = _export(demo_factory, model)
    with pg.begin() as s:
        import_backup(session=s, text=from_sqlite, model=model)
    assert _export(pg, model) == from_sqlite
    assert _summary(pg, model) == _summary(demo_factory, model)


def test_a_bad_import_changes_nothing_on_postgresql(demo_factory: Sessions, pg: Sessions, model: MaturityModel) -> None:
    text = _export(demo_factory, model)
    with pg.begin() as s:
        import_backup(session=s, text=text, model=model)
    broken = text.replace('"option": "ja"', '"option": "misschien"', 1)
    with pytest.raises(InputError, match="onbekend antwoord"), pg.begin() as s:
        import_backup(session=s, text=broken, model=model, replace=True)
    assert _export(pg, model) == text


def test_a_refused_save_rolls_back_on_postgresql(pg: Sessions, model: MaturityModel) -> None:
    with pg.begin() as s:
        add_demo(session=s, model=model)
    with pg() as s:
        first = s.scalars(select(Answer).where(Answer.question_id == "BF1-Q1").limit(1)).one()
        respondent_id, option_before = first.respondent_id, first.option_id
        count_before = s.scalar(select(func.count()).select_from(Answer))
    new_option = "nee" if option_before != "nee" else "ja"
    with pytest.raises(InputError), pg.begin() as s:
        save_answer(session=s, respondent_id=respondent_id, question_id="BF1-Q1", option_id=new_option, model=model)
        save_answer(session=s, respondent_id=respondent_id, question_id="BF1-Q2", option_id="fout", model=model)
    with pg() as s:  # the first save of the failed transaction is gone too
        assert s.scalar(select(func.count()).select_from(Answer)) == count_before
        again = s.scalar(select(Answer).where(Answer.respondent_id == respondent_id, Answer.question_id == "BF1-Q1"))
        assert again is not None and again.option_id == option_before
