"""Colleagues on one wijk (issue 13): a save writes only what the user changed, never overwrites a
newer value unseen, keeps stored values exact, and never lands in another wijk.

Store-level tests run on SQLite and PostgreSQL (BOTH_DATABASES); the two-session tests use two
AppTest sessions of one server process on one database, as two browsers would.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Radio, SelectSlider

from tests.conftest import as_shown, page
from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.slider import slider_label, slider_options, slider_value
from wijkmodel.storage.conflicts import Conflict
from wijkmodel.storage.db import Sessions, make_engine, make_sessionmaker
from wijkmodel.storage.inputs import InputError
from wijkmodel.storage.municipalities import find_municipality
from wijkmodel.storage.responses import get_or_create_respondent, save_answer, save_position
from wijkmodel.storage.rounds import rounds
from wijkmodel.storage.tables import Answer, Change, Respondent, ThemePosition, Unit
from wijkmodel.storage.wijken import add_wijk, remove_wijk, units

THEME = "visie_inspiratie"
THEME_NAME = "Visie en inspiratie"
STARTPOSITIE = "app_pages/startpositie.py"


def _factory(url: str) -> Sessions:
    return make_sessionmaker(make_engine(url))


def _respondent(factory: Sessions, unit_name: str = "Gemeente als geheel", role: str = "lokaal team") -> int:
    with factory.begin() as s:
        municipality = find_municipality(session=s, name="Voorbeeldstad")
        assert municipality is not None
        round_id = rounds(session=s, municipality_id=municipality.id)[-1].id
        unit = next(u for u in units(session=s, municipality_id=municipality.id) if u.name == unit_name)
        return get_or_create_respondent(session=s, round_id=round_id, unit_id=unit.id, role=role).id


def _stored(factory: Sessions, respondent_id: int) -> tuple[float | None, str]:
    with factory() as s:
        row = s.scalar(
            select(ThemePosition).where(ThemePosition.respondent_id == respondent_id, ThemePosition.theme_id == THEME)
        )
        assert row is not None
        return row.position, row.note


def _changes(factory: Sessions, kind: str) -> list[tuple[str, str]]:
    with factory() as s:
        rows = s.execute(select(Change.old, Change.new).where(Change.kind == kind).order_by(Change.id)).all()
    return [(r.old, r.new) for r in rows]


# --- the store: only what changed, and never over a newer value ----------------------------------------


def test_a_note_save_leaves_the_position_and_a_position_save_the_note(
    demo_factory: Sessions, model: MaturityModel
) -> None:
    respondent = _respondent(demo_factory)
    with demo_factory.begin() as s:
        save_position(session=s, respondent_id=respondent, theme_id=THEME, model=model, position=55, note="eerste")
    with demo_factory.begin() as s:  # B moves the slider
        save_position(session=s, respondent_id=respondent, theme_id=THEME, model=model, position=100, seen_position=55)
    with demo_factory.begin() as s:  # A, whose screen still shows 55, edits only the note
        save_position(
            session=s, respondent_id=respondent, theme_id=THEME, model=model, note="van A", seen_note="eerste"
        )
    assert _stored(demo_factory, respondent) == (100, "van A")
    assert ("100 (fase 4)", "55 (fase 3)") not in _changes(demo_factory, "schuifje")


def test_a_slider_moved_on_an_older_screen_is_refused_with_who_and_both_values(
    demo_factory: Sessions, model: MaturityModel
) -> None:
    respondent = _respondent(demo_factory)
    with demo_factory.begin() as s:
        save_position(session=s, respondent_id=respondent, theme_id=THEME, model=model, position=100)
    before = _changes(demo_factory, "schuifje")
    with pytest.raises(Conflict) as caught, demo_factory.begin() as s:
        save_position(session=s, respondent_id=respondent, theme_id=THEME, model=model, position=40, seen_position=55)
    assert caught.value.theirs == 100 and caught.value.mine == 40
    message = caught.value.problems[0]
    assert "100 (fase 4)" in message and "40 (fase 2)" in message and "als lokaal team" in message
    assert _stored(demo_factory, respondent)[0] == 100 and _changes(demo_factory, "schuifje") == before
    with demo_factory.begin() as s:  # the user saw 100 and chose their own value
        save_position(session=s, respondent_id=respondent, theme_id=THEME, model=model, position=40, seen_position=100)
    assert _stored(demo_factory, respondent)[0] == 40
    assert _changes(demo_factory, "schuifje")[-1] == ("100 (fase 4)", "40 (fase 2)")


def test_a_note_written_on_an_older_screen_is_refused(demo_factory: Sessions, model: MaturityModel) -> None:
    respondent = _respondent(demo_factory)
    with demo_factory.begin() as s:
        save_position(session=s, respondent_id=respondent, theme_id=THEME, model=model, note="van B")
    with pytest.raises(Conflict), demo_factory.begin() as s:
        save_position(session=s, respondent_id=respondent, theme_id=THEME, model=model, note="van A", seen_note="oud")
    assert _stored(demo_factory, respondent)[1] == "van B"


def test_an_answer_given_on_an_older_screen_is_refused(demo_factory: Sessions, model: MaturityModel) -> None:
    respondent = _respondent(demo_factory)
    with demo_factory.begin() as s:
        save_answer(session=s, respondent_id=respondent, question_id="BF1-Q1", model=model, option_id="nee")
    with pytest.raises(Conflict) as caught, demo_factory.begin() as s:
        save_answer(
            session=s,
            respondent_id=respondent,
            question_id="BF1-Q1",
            model=model,
            option_id="ja",
            seen_option="beperkt",
        )
    assert "Nee" in caught.value.problems[0] and "Ja" in caught.value.problems[0]
    with demo_factory() as s:
        stored = s.scalar(select(Answer).where(Answer.respondent_id == respondent, Answer.question_id == "BF1-Q1"))
    assert stored is not None and stored.option_id == "nee"


# --- values are kept exactly ------------------------------------------------------------------------------

ODD_VALUES = [0, 24.9, 42, 48, 74.96, 100]


@pytest.mark.parametrize(
    ("stored", "value", "label"),
    [
        (None, None, "nog niet geplaatst"),
        (0, 0, "0 · fase 1"),
        (24.9, 24.9, "24,9 · fase 1"),
        (42.0, 42, "42 · fase 2"),
        (48, 48, "48 · fase 2"),
        (74.96, 74.96, "74,9 · fase 3"),
        (100.0, 100, "100 · fase 4"),
    ],
)
def test_the_slider_shows_a_stored_value_exactly(stored: float | None, value: float | None, label: str) -> None:
    assert slider_value(stored) == value and type(slider_value(stored)) is type(value)
    options = slider_options(stored)
    assert value in options and options.count(value) == 1
    assert options == [None, *sorted(o for o in options if o is not None)]
    assert slider_label(value) == label


@pytest.mark.parametrize("value", ODD_VALUES)
def test_a_note_edit_on_the_page_keeps_an_odd_stored_value(demo_db: str, model: MaturityModel, value: float) -> None:
    factory = _factory(demo_db)
    respondent = _respondent(factory)
    with factory.begin() as s:  # as a backup or the CLI would store it
        save_position(session=s, respondent_id=respondent, theme_id=THEME, model=model, position=value)
    at = page(STARTPOSITIE)
    slider = next(w for w in at.select_slider if THEME_NAME in w.label)
    assert slider.value == value
    at.text_area[0].input(f"toelichting bij {value}").run()
    assert not at.exception
    assert _stored(factory, respondent) == (value, f"toelichting bij {value}")


# --- two sessions on one wijk -----------------------------------------------------------------------------


def _slider(at: AppTest) -> SelectSlider[Any]:
    return next(w for w in at.select_slider if THEME_NAME in w.label)


def test_two_sessions_a_note_edit_does_not_undo_a_colleagues_slider(demo_db: str) -> None:
    factory = _factory(demo_db)
    respondent = _respondent(factory)
    a, b = page(STARTPOSITIE), page(STARTPOSITIE)
    shown_to_a = _slider(a).value
    assert isinstance(shown_to_a, (int, float)) and shown_to_a != 100
    _slider(b).set_value(100).run()
    a.text_area[0].input("A schrijft alleen een toelichting").run()
    assert not a.exception
    assert _stored(factory, respondent) == (100, "A schrijft alleen een toelichting")
    assert ("100 (fase 4)", f"{shown_to_a} (fase {int(shown_to_a // 25) + 1})") not in _changes(factory, "schuifje")
    assert _slider(a).value == 100  # A's screen now shows B's value


def test_two_sessions_a_stale_slider_asks_whose_value_stays(demo_db: str) -> None:
    factory = _factory(demo_db)
    respondent = _respondent(factory)
    a, b = page(STARTPOSITIE), page(STARTPOSITIE)
    _slider(b).set_value(100).run()
    _slider(a).set_value(40).run()  # A's screen was older than B's save
    assert not a.exception
    assert _stored(factory, respondent)[0] == 100
    warning = as_shown(" ".join(w.value for w in a.warning))
    assert "Iemand anders" in warning and "100 (fase 4)" in warning and "40 (fase 2)" in warning
    assert _slider(a).value == 100
    next(x for x in a.button if x.label.startswith("Mijn keuze bewaren")).click().run()
    assert _stored(factory, respondent)[0] == 40
    assert _changes(factory, "schuifje")[-1] == ("100 (fase 4)", "40 (fase 2)")
    assert not a.warning and _slider(a).value == 40


def test_two_sessions_a_stale_answer_can_give_way(demo_db: str) -> None:
    factory = _factory(demo_db)
    respondent = _respondent(factory)
    a, b = page("app_pages/quickscan.py"), page("app_pages/quickscan.py")

    def question(at: AppTest) -> Radio[Any]:
        return next(r for r in at.radio if "BF1-Q1" in r.label)

    theirs = "nee" if question(a).value != "nee" else "beperkt"
    mine = "ja" if theirs != "ja" and question(a).value != "ja" else "grotendeels"
    question(b).set_value(theirs).run()
    question(a).set_value(mine).run()
    assert a.warning, "A sees that someone else answered first"
    next(x for x in a.button if x.label.startswith("Nieuwe houden")).click().run()
    with factory() as s:
        stored = s.scalar(select(Answer).where(Answer.respondent_id == respondent, Answer.question_id == "BF1-Q1"))
    assert stored is not None and stored.option_id == theirs
    assert question(a).value == theirs and not a.warning


# --- saves land where the user meant ---------------------------------------------------------------------


def test_ids_are_never_reused(demo_factory: Sessions) -> None:
    with demo_factory.begin() as s:
        municipality = find_municipality(session=s, name="Voorbeeldstad")
        assert municipality is not None
        last = add_wijk(session=s, municipality_id=municipality.id, name="Laatste")
        municipality_id, last_id = municipality.id, last.id
    with demo_factory.begin() as s:
        remove_wijk(session=s, unit_id=last_id)
    with demo_factory.begin() as s:
        new = add_wijk(session=s, municipality_id=municipality_id, name="Nieuwbouw")
        assert new.id > last_id


def test_a_save_for_a_removed_wijk_is_refused_and_lands_nowhere(demo_db: str) -> None:
    factory = _factory(demo_db)
    with factory.begin() as s:
        municipality = find_municipality(session=s, name="Voorbeeldstad")
        assert municipality is not None
        municipality_id = municipality.id
        removed = add_wijk(session=s, municipality_id=municipality_id, name="Zzz Verdwijnt").id
    a = page(STARTPOSITIE)
    a.selectbox(key="_w_unit_id").set_value(removed).run()
    with factory.begin() as s:  # a colleague removes the wijk and adds another
        remove_wijk(session=s, unit_id=removed)
        add_wijk(session=s, municipality_id=municipality_id, name="Nieuwbouw")
    _slider(a).set_value(65).run()
    assert not a.exception
    # in a browser only the sliders rerun and the refusal shows beside the slider; AppTest reruns the
    # page, whose picker moves on to a wijk that exists, so the refusal shows at the top a run later
    if not any("bestaat niet meer" in e.value for e in a.error):
        a.run()
    assert any("bestaat niet meer" in e.value for e in a.error)
    with factory() as s:
        nieuwbouw = s.scalar(select(Unit).where(Unit.name == "Nieuwbouw"))
        assert nieuwbouw is not None
        assert not s.scalars(select(Respondent).where(Respondent.unit_id == nieuwbouw.id)).all()


def test_a_respondent_for_a_removed_wijk_is_refused_in_dutch(demo_factory: Sessions) -> None:
    with demo_factory.begin() as s:
        municipality = find_municipality(session=s, name="Voorbeeldstad")
        assert municipality is not None
        round_id = rounds(session=s, municipality_id=municipality.id)[-1].id
        gone = add_wijk(session=s, municipality_id=municipality.id, name="Weg").id
    with demo_factory.begin() as s:
        remove_wijk(session=s, unit_id=gone)
    with pytest.raises(InputError, match="Deze wijk bestaat niet meer"), demo_factory.begin() as s:
        get_or_create_respondent(session=s, round_id=round_id, unit_id=gone, role="gemeente")


def test_after_leaving_the_page_and_coming_back_the_stored_values_show_and_stay(
    demo_db: str, model: MaturityModel
) -> None:
    factory = _factory(demo_db)
    respondent = _respondent(factory)
    with factory.begin() as s:
        save_position(session=s, respondent_id=respondent, theme_id=THEME, model=model, position=55, note="van B")
    at = page(STARTPOSITIE)
    at.switch_page("app_pages/start.py")
    at.run()
    at.switch_page(STARTPOSITIE)
    at.run()
    assert _slider(at).value == 55 and at.text_area[0].value == "van B"
    with factory.begin() as s:  # a colleague writes a newer note while A is away
        save_position(
            session=s, respondent_id=respondent, theme_id=THEME, model=model, note="nieuwer", seen_note="van B"
        )
    at.switch_page("app_pages/start.py")
    at.run()
    at.switch_page(STARTPOSITIE)
    at.run()
    assert at.text_area[0].value == "nieuwer"
    at.text_area[0].input("nieuwer, en van A").run()
    assert _stored(factory, respondent) == (55, "nieuwer, en van A")


# --- core choices and settings: the same rules ---------------------------------------------------------


def test_two_sessions_a_rationale_edit_keeps_a_colleagues_newer_core_choice(demo_db: str, model: MaturityModel) -> None:
    from wijkmodel.storage.tables import CoreChoiceEntry

    factory = _factory(demo_db)
    a, b = page("app_pages/plan.py"), page("app_pages/plan.py")
    ids = [o.id for o in model.core_choices_ordered()[0].options]
    theirs = next(o for o in ids if o != a.radio[0].value)
    b.radio[0].set_value(theirs).run()
    a.text_area[0].input("A schrijft alleen waarom").run()
    assert not a.exception
    with factory() as s:
        rows = s.scalars(select(CoreChoiceEntry).where(CoreChoiceEntry.rationale == "A schrijft alleen waarom")).all()
    assert len(rows) == 1 and rows[0].option_id is not None
    assert a.radio[0].value == theirs  # A's screen shows B's choice, which is still stored


@pytest.mark.parametrize("weight", [0.42, 0.425, 0.5])
def test_changing_the_rule_keeps_the_stored_weight_exactly(demo_db: str, weight: float) -> None:

    from wijkmodel.storage.municipalities import save_settings
    from wijkmodel.storage.tables import Municipality

    factory = _factory(demo_db)
    with factory.begin() as s:
        municipality_id = s.scalar(select(Municipality.id))
        assert municipality_id is not None
        save_settings(session=s, municipality_id=municipality_id, theme_weight=weight)
    at = page("app_pages/instellingen.py")
    at.radio[0].set_value("mediaan").run()
    assert not at.exception and not at.warning
    with factory() as s:
        municipality = s.get(Municipality, municipality_id)
        assert municipality is not None
        assert (municipality.overall_rule, municipality.theme_weight) == ("mediaan", weight)
