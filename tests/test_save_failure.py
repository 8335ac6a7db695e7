"""A save that still fails (the database stays locked longer than the wait) shows a clear Dutch
message, changes nothing and keeps what the user entered on the screen."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import select

from tests.conftest import page
from wijkmodel import db
from wijkmodel.db import Change, ThemePosition, make_engine, make_sessionmaker


def _state(url: str) -> tuple[list[float | None], int]:
    with make_sessionmaker(make_engine(url))() as s:
        positions = list(s.scalars(select(ThemePosition.position).order_by(ThemePosition.id)))
        return positions, len(s.scalars(select(Change.id)).all())


@pytest.fixture
def locked(demo_db, monkeypatch):  # type: ignore[no-untyped-def]
    """The demo database, with a short wait; `lock()` makes another writer hold it."""
    monkeypatch.setattr(db, "SAVE_WAIT_S", 0.3)
    holder = sqlite3.connect(demo_db.split("///", 1)[1], timeout=0, isolation_level=None)
    yield demo_db, lambda: holder.execute("BEGIN IMMEDIATE")
    holder.close()


def test_a_slider_save_that_fails_keeps_the_input_and_says_so(locked) -> None:  # type: ignore[no-untyped-def]
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


def test_a_note_that_fails_to_save_stays_in_the_text_box(locked) -> None:  # type: ignore[no-untyped-def]
    url, lock = locked
    at = page("app_pages/startpositie.py")
    before = _state(url)
    lock()
    at.text_area[0].set_value("Buurtteam en school zitten nu elke maand samen.").run()
    assert not at.exception
    assert any("Opslaan is niet gelukt" in e.value for e in at.error)
    assert at.text_area[0].value == "Buurtteam en school zitten nu elke maand samen."
    assert _state(url) == before


def _submit(at, label: str):  # type: ignore[no-untyped-def]
    return next(b for b in at.button if b.label == label).click().run()


def test_a_form_that_fails_to_save_keeps_what_was_typed(locked) -> None:  # type: ignore[no-untyped-def]
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


def test_a_refused_action_keeps_its_text_and_a_saved_one_empties_the_form(demo_db) -> None:  # type: ignore[no-untyped-def]
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
