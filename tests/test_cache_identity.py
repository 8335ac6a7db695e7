"""Caches that cannot lie (issue 13): after a restore the pages show the restored data at once, also
when the restored database's revision numbers run into ones the caches have seen before."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from tests.conftest import page
from wijkmodel.model.loader import load_model
from wijkmodel.storage.db import Sessions, make_engine, make_sessionmaker
from wijkmodel.storage.responses import save_position
from wijkmodel.storage.sqlite_backup import backup_database, restore_database
from wijkmodel.storage.tables import Respondent, Round, ThemePosition, Unit

WIJK = "Oude Haven"
THEME = "visie_inspiratie"


def _placed(at: AppTest) -> str:
    return next(m.value for m in at.metric if m.label == "Thema's geplaatst")


def _respondents(factory: Sessions) -> list[int]:
    with factory() as s:
        latest = s.scalar(select(Round.id).order_by(Round.date.desc()).limit(1))
        return list(
            s.scalars(
                select(Respondent.id)
                .join(Unit, Unit.id == Respondent.unit_id)
                .join(ThemePosition, ThemePosition.respondent_id == Respondent.id)
                .where(Unit.name == WIJK, Respondent.round_id == latest, ThemePosition.theme_id == THEME)
            )
        )


def test_after_a_restore_the_page_shows_the_restored_data(demo_db: str, tmp_path: Path) -> None:
    model = load_model()
    factory = make_sessionmaker(make_engine(demo_db))
    at = page("app_pages/wijkprofiel.py")
    at.selectbox(key="_w_unit_id").select_index(
        next(i for i, o in enumerate(at.selectbox(key="_w_unit_id").options) if o == WIJK)
    ).run()
    assert _placed(at) == "6 van 6"
    backup = tmp_path / "voor de wijziging.sqlite"
    backup_database(backup, demo_db)
    respondents = _respondents(factory)
    for respondent in respondents:  # one save (one revision) each: the theme is no longer placed
        with factory.begin() as s:
            save_position(session=s, respondent_id=respondent, theme_id=THEME, model=model, position=None)
    at.run()
    assert _placed(at) == "5 van 6"  # cached under this revision
    restore_database(backup, demo_db)
    for respondent in respondents:  # as many saves, so the revision is the same number again
        with factory.begin() as s:
            save_position(session=s, respondent_id=respondent, theme_id=THEME, model=model, note="na terugzetten")
    at.run()
    assert not at.exception
    assert _placed(at) == "6 van 6"
