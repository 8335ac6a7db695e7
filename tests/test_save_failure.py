"""A save that still fails (the database stays locked longer than the wait) shows a clear Dutch
message, changes nothing and keeps what the user entered on the screen."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import SelectSlider

from tests.conftest import as_shown, page
from wijkmodel.storage import db
from wijkmodel.storage.db import make_engine, make_sessionmaker
from wijkmodel.storage.tables import Change, ThemePosition

Statement = Callable[[], sqlite3.Cursor]  # runs one SQL statement on the other connection


def _state(url: str) -> tuple[list[float | None], int]:
    with make_sessionmaker(make_engine(url))() as s:
        positions = list(s.scalars(select(ThemePosition.position).order_by(ThemePosition.id)))
        return positions, len(s.scalars(select(Change.id)).all())


@pytest.fixture
def locked(demo_db: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Statement]]:
    """The demo database, with a short wait; `lock()` makes another writer hold it."""
    monkeypatch.setattr(db, "SAVE_WAIT_S", 0.3)
    holder = sqlite3.connect(demo_db.split("///", 1)[1], timeout=0, isolation_level=None)
    yield demo_db, lambda: holder.execute("BEGIN IMMEDIATE")
    holder.close()


def test_a_slider_save_that_fails_keeps_the_input_and_says_so(locked: tuple[str, Statement]) -> None:
    url, lock = locked
    at = page("app_pages/startpositie.py")
    before = _state(url)
    slider = at.select_slider[0]
    new = 10 if slider.value != 10 else 90
    lock()
    slider.set_value(new).run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "Opslaan is niet gelukt" in errors and "niets veranderd" in errors
    assert at.select_slider[0].value == new  # the input is still on the screen
    assert _state(url) == before


def test_a_note_that_fails_to_save_stays_in_the_text_box(locked: tuple[str, Statement]) -> None:
    url, lock = locked
    at = page("app_pages/startpositie.py")
    before = _state(url)
    lock()
    at.text_area[0].set_value("Buurtteam en school zitten nu elke maand samen.").run()
    assert not at.exception
    assert any("Opslaan is niet gelukt" in e.value for e in at.error)
    assert at.text_area[0].value == "Buurtteam en school zitten nu elke maand samen."
    assert _state(url) == before


def _submit(at: AppTest, label: str) -> AppTest:
    return next(b for b in at.button if b.label == label).click().run()


def test_a_form_that_fails_to_save_keeps_what_was_typed(locked: tuple[str, Statement]) -> None:
    # AppTest does not empty forms (the browser does): tests/test_browser_forms.py checks that part
    url, lock = locked
    at = page("app_pages/start.py")
    before = _state(url)
    at.text_input(key="add_wijk_name").set_value("Nieuwbouw-Oost")
    at.number_input(key="add_wijk_population").set_value(1200)
    lock()
    _submit(at, "Wijk toevoegen")
    assert not at.exception
    assert any("Opslaan is niet gelukt" in e.value for e in at.error)
    assert at.text_input(key="add_wijk_name").value == "Nieuwbouw-Oost"  # still there to try again
    assert at.number_input(key="add_wijk_population").value == 1200
    assert _state(url) == before


def test_a_refused_action_keeps_its_text_and_a_saved_one_empties_the_form(demo_db: str) -> None:
    at = page("app_pages/plan.py")
    text = "Buurtteam en school plannen elke maand een gezamenlijk spreekuur."
    at.text_area(key="action_description").set_value(text)
    at.text_input(key="action_owner").set_value("Jan\x00")  # a control character: refused
    _submit(at, "Actie toevoegen")
    assert not at.exception and at.error
    assert at.text_area(key="action_description").value == text
    at.text_input(key="action_owner").set_value("lokaal team")
    _submit(at, "Actie toevoegen")
    assert not at.exception and not at.error
    assert any("Actie toegevoegd" in s.value for s in at.success)
    assert at.text_area(key="action_description").value == ""  # saved: the form is empty again


def _slider(at: AppTest) -> SelectSlider[Any]:
    return next(w for w in at.select_slider if "Visie en inspiratie" in w.label)


def _position(url: str, municipality: str = "Voorbeeldstad") -> float | None:
    from wijkmodel.storage.tables import Municipality, Respondent, Round, Unit

    with make_sessionmaker(make_engine(url))() as s:
        return s.scalar(
            select(ThemePosition.position)
            .join(Respondent, Respondent.id == ThemePosition.respondent_id)
            .join(Unit, Unit.id == Respondent.unit_id)
            .join(Round, Round.id == Respondent.round_id)
            .join(Municipality, Municipality.id == Round.municipality_id)
            .where(
                Municipality.name == municipality,
                ThemePosition.theme_id == "visie_inspiratie",
                Respondent.role == "lokaal team",
                Unit.name == "Gemeente als geheel",
            )
            .order_by(Round.date.desc())
            .limit(1)
        )


def _retry(at: AppTest) -> AppTest:
    return next(b for b in at.button if b.label == "Opnieuw opslaan").click().run()


@pytest.fixture
def unlockable(demo_db: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Statement, Statement]]:
    """Like `locked`, with `unlock()` too."""
    monkeypatch.setattr(db, "SAVE_WAIT_S", 0.3)
    holder = sqlite3.connect(demo_db.split("///", 1)[1], timeout=0, isolation_level=None)
    yield demo_db, lambda: holder.execute("BEGIN IMMEDIATE"), lambda: holder.execute("ROLLBACK")
    holder.close()


def test_a_retry_after_a_colleagues_save_asks_instead_of_overwriting(
    unlockable: tuple[str, Statement, Statement],
) -> None:
    from wijkmodel.model.loader import load_model
    from wijkmodel.storage.responses import save_position

    url, lock, unlock = unlockable
    at = page("app_pages/startpositie.py")
    lock()
    _slider(at).set_value(10).run()  # fails: the database is busy
    unlock()
    from tests.test_shared_editing import _respondent

    factory = make_sessionmaker(make_engine(url))
    with factory.begin() as s:  # a colleague saves 100 meanwhile, on the same respondent
        save_position(
            session=s, respondent_id=_respondent(factory), theme_id="visie_inspiratie", model=load_model(), position=100
        )
    at.run()  # A's screen now shows the colleague's value
    _retry(at)
    assert _position(url) == 100  # not overwritten unseen
    assert any("Iemand anders" in w.value for w in at.warning)


def test_a_retry_after_switching_municipality_saves_where_the_user_was(
    unlockable: tuple[str, Statement, Statement],
) -> None:
    from wijkmodel.storage.municipalities import create_municipality
    from wijkmodel.storage.rounds import create_round

    url, lock, unlock = unlockable
    factory = make_sessionmaker(make_engine(url))
    with factory.begin() as s:
        other = create_municipality(session=s, name="Zuiderstad").id  # after Voorbeeldstad: that one shows first
        create_round(session=s, municipality_id=other, label="2026", date=dt.date(2026, 1, 1))
    at = page("app_pages/startpositie.py")
    new = 10 if _slider(at).value != 10 else 90
    lock()
    _slider(at).set_value(new).run()
    unlock()
    at.selectbox(key="municipality_id").set_value(other).run()
    _retry(at)
    assert not at.exception and not at.error
    assert _position(url) == new and _position(url, "Zuiderstad") is None


def test_a_failed_form_save_leaves_no_false_warning_on_the_next_slider(
    unlockable: tuple[str, Statement, Statement],
) -> None:
    url, lock, unlock = unlockable
    at = page("app_pages/start.py")
    lock()
    at.text_input(key="new_municipality_name").input("Nieuwstad").run()
    _submit(at, "Gemeente aanmaken")
    assert any("Opslaan is niet gelukt" in e.value for e in at.error)
    unlock()
    at.query_params["wijk"] = "Gemeente als geheel"  # where _position looks
    at.switch_page("app_pages/startpositie.py")
    at.run()
    new = 10 if _slider(at).value != 10 else 90
    _slider(at).set_value(new).run()
    assert _position(url) == new
    assert not at.warning and not any(b.label == "Opnieuw opslaan" for b in at.button)


def test_a_note_pasted_past_the_limit_is_refused_with_a_message_and_kept(demo_db: str) -> None:
    at = page("app_pages/startpositie.py")
    before = _state(demo_db)
    pasted = "Lange toelichting. " * 400  # 7,600 characters: more than fit
    at.text_area[0].input(pasted).run()
    shown = as_shown(" ".join(e.value for e in at.error))
    assert "te lang" in shown and "7.600 tekens, en" in shown and "5.000" in shown and "niets bewaard" in shown
    assert at.text_area[0].value == pasted  # nothing was cut off
    assert _state(demo_db) == before


def test_a_name_pasted_past_the_limit_is_refused_with_a_message(demo_db: str) -> None:
    at = page("app_pages/start.py")
    at.text_input(key="add_wijk_name").set_value("Wijk " + "x" * 300)
    _submit(at, "Wijk toevoegen")
    assert any("te lang (hoogstens 200 tekens)" in as_shown(e.value) for e in at.error)
    assert at.text_input(key="add_wijk_name").value == "Wijk " + "x" * 300
