"""ZET beside the Quickscan (issue 15, item 6): entering outcomes on the page ZET (praktijk), the
section 'Beleid en praktijk' on Wijkprofiel, and the functions behind them."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd
from pptx import Presentation
from sqlalchemy import select, update

from tests.conftest import page
from wijkmodel.analysis.practice import (
    has_practice,
    policy_and_practice,
    practice_points,
    practice_table,
    scale_text,
    zet_rows,
)
from wijkmodel.analysis.summary import MunicipalityProfile, municipality_profile
from wijkmodel.exports.briefing import build_briefing
from wijkmodel.exports.deck import build_deck
from wijkmodel.exports.workbook import build_workbook
from wijkmodel.model.schema import MaturityModel
from wijkmodel.storage.db import Sessions, make_engine, make_sessionmaker
from wijkmodel.storage.municipalities import create_municipality, find_municipality, settings_of
from wijkmodel.storage.responses import get_or_create_respondent, save_answer
from wijkmodel.storage.rounds import create_round, rounds
from wijkmodel.storage.tables import Change, UnitKind, ZetEvaluation
from wijkmodel.storage.wijken import add_wijk, units
from wijkmodel.storage.zet import save_zet, zet_frame, zet_of, zet_score

TODAY = dt.date(2026, 11, 23)
HOSTILE = '=HYPERLINK("http://x","klik")'


def _municipality(url: str, model: MaturityModel, zet: dict[str, float] | None = None) -> tuple[int, int]:
    """Testdorp with one wijk and a round; BF1 answered 'ja' everywhere by the municipality as a whole
    (a high Quickscan score); `zet` per basic function on 0-100. Returns (round, whole)."""
    with make_sessionmaker(make_engine(url)).begin() as s:
        m = create_municipality(session=s, name="Testdorp", cbs_code="GM9999")
        add_wijk(session=s, municipality_id=m.id, name="Centrum", cbs_code="WK999901", population=1200)
        r = create_round(session=s, municipality_id=m.id, label="2026", date=dt.date(2026, 1, 1))
        whole = next(u for u in units(session=s, municipality_id=m.id) if u.kind == UnitKind.MUNICIPALITY)
        resp = get_or_create_respondent(session=s, round_id=r.id, unit_id=whole.id, role="gemeente")
        for q in model.quickscan.questions:
            if q.basic_function == "BF1":
                best = model.question_scale(q).ordered()
                good = next(o.id for o in best if o.id == q.good_answer) if q.good_answer else best[-3].id
                save_answer(session=s, respondent_id=resp.id, question_id=q.id, option_id=good, model=model)
        for bf, value in (zet or {}).items():
            save_zet(session=s, round_id=r.id, unit_id=whole.id, basic_function=bf, model=model, value=value)
        return r.id, whole.id


def _stored(url: str) -> list[ZetEvaluation]:
    with make_sessionmaker(make_engine(url))() as s:
        return list(s.scalars(select(ZetEvaluation).order_by(ZetEvaluation.basic_function)))


def _history(url: str) -> list[tuple[str, str | None, str | None]]:
    with make_sessionmaker(make_engine(url))() as s:
        return [(c.subject, c.old, c.new) for c in s.scalars(select(Change).where(Change.kind == "zet"))]


def _input(at, label: str, bf_number: int):  # type: ignore[no-untyped-def]
    """The widget `label` of the basic function with this number (they come in model order)."""
    widgets = [w for w in [*at.number_input, *at.date_input, *at.text_input] if w.label == label]
    return widgets[bf_number - 1]


# --- the page ZET (praktijk) ------------------------------------------------------------------------


def test_an_outcome_on_its_own_scale_is_saved_at_once_with_its_history(empty_db: str, model: MaturityModel) -> None:
    _municipality(empty_db, model)
    at = page("app_pages/zet.py")
    assert at.title[0].value == "ZET-uitkomsten (praktijk)"
    assert "in de praktijk" in at.markdown[0].value
    quote = next(c.value for c in at.caption if "Bron: Quickscan wijkgericht werken" in c.value)
    assert "door gebruik van de Zorg en ondersteuning Evaluatie Tool (ZET)" in quote  # seed 001's own words
    assert any("100 × (waarde − laagste) / (hoogste − laagste)" in c.value for c in at.caption)
    _input(at, "Laagste waarde van de schaal", 2).set_value(1.0).run()
    _input(at, "Hoogste waarde van de schaal", 2).set_value(5.0).run()
    assert not _stored(empty_db)  # no outcome yet: nothing saved, the scale waits on the screen
    assert "vul eerst de uitkomst in" in at.error[0].value
    _input(at, "Uitkomst", 2).set_value(4.0).run()
    _input(at, "Aantal casussen", 2).set_value(12).run()
    _input(at, "Toelichting (optioneel)", 2).set_value("=uit 12 dossiers").run()
    assert not at.exception and not at.error
    [row] = _stored(empty_db)
    assert (row.basic_function, row.value, row.scale_min, row.scale_max, row.cases, row.note) == (
        "BF2",
        4.0,
        1.0,
        5.0,
        12,
        "=uit 12 dossiers",
    )
    assert zet_score(row.value, row.scale_min, row.scale_max) == 75.0
    assert any(c.value.startswith("Bewaard: 75 · fase 4") for c in at.caption)
    assert _history(empty_db)[0][0].startswith("ZET: ")
    assert _history(empty_db)[-1][2] == "4 op 1–5 · 12 casussen · =uit 12 dossiers"


def test_a_value_off_its_scale_is_refused_with_a_message_and_nothing_changes(
    empty_db: str, model: MaturityModel
) -> None:
    _municipality(empty_db, model, zet={"BF1": 40.0})
    at = page("app_pages/zet.py")
    _input(at, "Uitkomst", 1).set_value(140.0).run()
    assert not at.exception
    message = at.error[0].value
    assert "ZET" in message and model.basic_function("BF1").name in message
    assert "tussen 0 en 100" in message and "140" in message
    assert [r.value for r in _stored(empty_db)] == [40.0]
    assert len(_history(empty_db)) == 1  # only the first save


def test_an_outcome_can_be_removed(empty_db: str, model: MaturityModel) -> None:
    _municipality(empty_db, model, zet={"BF1": 40.0, "BF3": 60.0})
    at = page("app_pages/zet.py")
    remove = next(b for b in at.button if b.label == f"ZET-uitkomst van {model.basic_function('BF1').name} verwijderen")
    remove.click().run()
    assert not at.exception
    assert [r.basic_function for r in _stored(empty_db)] == ["BF3"]
    assert _history(empty_db)[-1][2] == "leeg"
    assert _input(at, "Uitkomst", 1).value is None  # the widget follows what is stored
    assert "verwijderd" in at.success[0].value


def test_emptying_a_stored_outcome_removes_nothing_and_says_how_to_remove(empty_db: str, model: MaturityModel) -> None:
    _municipality(empty_db, model, zet={"BF1": 40.0})
    at = page("app_pages/zet.py")
    _input(at, "Uitkomst", 1).set_value(None).run()
    assert not at.exception
    assert "een lege uitkomst haalt niets weg" in at.error[0].value and "verwijderen" in at.error[0].value
    assert [(r.basic_function, r.value) for r in _stored(empty_db)] == [("BF1", 40.0)]


def test_a_colleague_s_newer_outcome_is_not_overwritten_by_an_older_screen(empty_db: str, model: MaturityModel) -> None:
    round_id, whole = _municipality(empty_db, model, zet={"BF1": 40.0})
    at = page("app_pages/zet.py")  # this screen shows 40
    with make_sessionmaker(make_engine(empty_db)).begin() as s:  # a colleague saves 55 meanwhile
        save_zet(session=s, round_id=round_id, unit_id=whole, basic_function="BF1", model=model, value=55.0)
    _input(at, "Uitkomst", 1).set_value(70.0).run()
    assert not at.exception
    assert [r.value for r in _stored(empty_db)] == [55.0]  # nothing overwritten
    assert any("55" in w.value for w in at.warning)  # both values shown, the user chooses


def test_changing_one_field_writes_only_that_field_and_renews_the_time(empty_db: str, model: MaturityModel) -> None:
    round_id, whole = _municipality(empty_db, model, zet={"BF1": 40.0})
    factory = make_sessionmaker(make_engine(empty_db))
    with factory.begin() as s:
        s.execute(update(ZetEvaluation).values(updated_at=dt.datetime(2026, 1, 1, 9, 0)))
    at = page("app_pages/zet.py")
    with factory.begin() as s:  # a colleague sets the number of casussen meanwhile
        save_zet(session=s, round_id=round_id, unit_id=whole, basic_function="BF1", model=model, cases=9, seen={})
    _input(at, "Toelichting (optioneel)", 1).set_value("Twaalf dossiers").run()  # this screen changes the note
    assert not at.exception and not at.warning
    [row] = _stored(empty_db)
    assert (row.value, row.cases, row.note) == (40.0, 9, "Twaalf dossiers")  # the colleague's 9 is kept
    assert row.updated_at > dt.datetime(2026, 1, 1, 9, 0)


# --- Wijkprofiel: Beleid en praktijk -----------------------------------------------------------------


def test_wijkprofiel_shows_policy_beside_practice_with_the_talking_point(empty_db: str, model: MaturityModel) -> None:
    _municipality(empty_db, model, zet={"BF1": 10.0})
    at = page("app_pages/wijkprofiel.py")
    assert not at.exception
    assert "Beleid en praktijk" in [h.value for h in at.header]
    table = next(d.value for d in at.dataframe if "Praktijk (ZET)" in d.value.columns)
    first = table.iloc[0]
    assert first["Praktijk (ZET)"].startswith("10 · fase 1")
    assert first["Gesprekspunt"] == "ja"
    text = " ".join(t.value for t in at.text)
    assert "Het beleid is verder dan de praktijk" in text


def test_wijkprofiel_says_where_to_enter_zet_when_there_is_none(empty_db: str, model: MaturityModel) -> None:
    _municipality(empty_db, model)
    at = page("app_pages/wijkprofiel.py")
    assert "Beleid en praktijk" in [h.value for h in at.header]
    assert any("pagina ZET (praktijk)" in m.value for m in at.markdown)
    assert not any("Praktijk (ZET)" in d.value.columns for d in at.dataframe)


# --- the functions behind them ------------------------------------------------------------------------


def test_policy_and_practice_marks_a_phase_apart_as_a_talking_point(model: MaturityModel) -> None:
    items = pd.DataFrame({"unit": [1, 1], "round": [7, 7], "item": ["BF1", "BF2"], "score": [80.0, 40.0]})
    zet = pd.DataFrame(
        [
            (7, 1, "BF1", 2.0, 1.0, 5.0, 25.0, 8, dt.date(2026, 3, 1), "weinig"),
            (7, 1, "BF2", 45.0, 0.0, 100.0, 45.0, None, None, ""),
            (7, 2, "BF3", 90.0, 0.0, 100.0, 90.0, None, None, ""),
        ],
        columns=[
            "round",
            "unit",
            "basic_function",
            "value",
            "scale_min",
            "scale_max",
            "score",
            "cases",
            "evaluated_on",
            "note",
        ],
    )
    frame = policy_and_practice(items, zet, 1, 7, model)
    assert list(frame["talking_point"]) == [True, False, False, False, False]
    assert practice_points(frame) == [frame["reason"].iloc[0]]
    assert "Het beleid is verder dan de praktijk" in practice_points(frame)[0]
    assert has_practice(zet, 1, 7) and has_practice(zet, 2, 7) and not has_practice(zet, 1, 8)
    table = practice_table(frame)
    assert list(table["Casussen"][:2]) == ["8", "–"] and table["Datum ZET"].iloc[0] == "01-03-2026"
    assert scale_text(1.0, 5.0) == "1–5" and scale_text(0.5, 4.5) == "0,5–4,5"


def test_zet_rows_are_in_round_unit_and_model_order_with_the_note_as_typed(empty_db: str, model: MaturityModel) -> None:
    round_id, whole = _municipality(empty_db, model)
    with make_sessionmaker(make_engine(empty_db)).begin() as s:
        wijk = next(u.id for u in units(session=s, municipality_id=1) if u.kind == UnitKind.WIJK)
        save_zet(session=s, round_id=round_id, unit_id=wijk, basic_function="BF2", model=model, value=50)
        save_zet(
            session=s,
            round_id=round_id,
            unit_id=whole,
            basic_function="BF4",
            model=model,
            value=3,
            scale_min=1,
            scale_max=5,
            cases=4,
            evaluated_on=dt.date(2026, 2, 1),
            note="=SUM(A1)",
        )
        save_zet(session=s, round_id=round_id, unit_id=whole, basic_function="BF1", model=model, value=80)
        assert set(zet_of(session=s, round_id=round_id, unit_id=whole)) == {"BF1", "BF4"}
        zet = zet_frame(session=s, municipality_id=1)
    rows = zet_rows(zet, model, {whole: "Gemeente als geheel", wijk: "Centrum"}, {round_id: "2026"})
    assert [(r[1], r[2]) for r in rows] == [
        ("Gemeente als geheel", model.basic_function("BF1").name),
        ("Gemeente als geheel", model.basic_function("BF4").name),
        ("Centrum", model.basic_function("BF2").name),
    ]
    assert rows[1] == [
        "2026",
        "Gemeente als geheel",
        model.basic_function("BF4").name,
        3.0,
        1.0,
        5.0,
        50.0,
        3,
        4,
        dt.date(2026, 2, 1),
        "=SUM(A1)",
    ]
    assert zet_rows(zet, model, {wijk: "Centrum"}, {round_id: "2026"})[0][6] == 50.0


# --- the demo, the deck and the workbook ----------------------------------------------------------------


def _demo(factory: Sessions, model: MaturityModel) -> tuple[MunicipalityProfile, list[int]]:
    with factory() as s:
        m = find_municipality(session=s, name="Voorbeeldstad")
        assert m is not None
        mp = municipality_profile(session=s, municipality_id=m.id, name=m.name, model=model, settings=settings_of(m))
        return mp, [r.id for r in rounds(session=s, municipality_id=m.id)]


def test_the_deck_has_policy_beside_practice_only_for_units_with_zet(
    demo_factory: Sessions, model: MaturityModel
) -> None:
    mp, round_ids = _demo(demo_factory, model)
    briefing = build_briefing(mp, round_ids[-1], model, today=TODAY, parts=["praktijk"])
    practice = [s for s in briefing.slides if s.key.startswith("praktijk-")]
    assert [s.title for s in practice] == [
        "Beleid en praktijk (Quickscan en ZET): Gemeente als geheel",
        "Beleid en praktijk (Quickscan en ZET): De Hoven",
    ]
    whole, hoven = practice
    assert whole.table is not None and whole.table.columns[1:3] == ["Beleid (Quickscan)", "Praktijk (ZET)"]
    assert whole.bullets[0].startswith("Vindbare en toegankelijke hulp: het beleid (Quickscan) staat in fase 3")
    assert "De praktijk is verder dan het beleid" in hoven.bullets[0]
    assert "Verzonnen voorbeeld: het team werkt al samen." in hoven.notes
    deck = Presentation(io.BytesIO(build_deck(briefing, {})))
    slide = next(s for s in deck.slides if s.shapes.title.text == hoven.title)
    on_slide = " ".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
    assert "Gesprekspunten" in on_slide and "De praktijk is verder dan het beleid" in on_slide
    assert any(sh.has_table for sh in slide.shapes)
    for shape in slide.shapes:  # the points below the table stay on the slide
        assert shape.top + shape.height <= deck.slide_height
    # the first round has no ZET: no such slide, not an empty one
    first = build_briefing(mp, round_ids[0], model, today=TODAY, parts=["praktijk"])
    assert not [s for s in first.slides if s.key.startswith("praktijk-") or "ZET" in s.title]
    assert first.slides[0].bullets == ["Beleid en praktijk (Quickscan en ZET): nog geen ZET-uitkomsten in deze ronde."]
    titles = [s.shapes.title.text for s in Presentation(io.BytesIO(build_deck(first, {}))).slides]
    assert not [t for t in titles if "ZET" in t]


def test_the_workbook_has_every_zet_outcome_with_notes_as_text(demo_factory: Sessions, model: MaturityModel) -> None:
    with demo_factory.begin() as s:
        m = find_municipality(session=s, name="Voorbeeldstad")
        assert m is not None
        hoven = next(u for u in units(session=s, municipality_id=m.id) if u.name == "De Hoven")
        latest = rounds(session=s, municipality_id=m.id)[-1]
        save_zet(
            session=s,
            round_id=latest.id,
            unit_id=hoven.id,
            basic_function="BF5",
            model=model,
            value=1.5,
            scale_min=1,
            scale_max=5,
            note=HOSTILE,
        )
    mp, _ = _demo(demo_factory, model)
    with demo_factory() as s:
        book = openpyxl.load_workbook(io.BytesIO(build_workbook(session=s, mp=mp, model=model, today=TODAY)))
    sheet = book["ZET"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Ronde", "Wijk", "Basisfunctie", "Uitkomst") and rows[0][-1] == "Toelichting"
    assert len(rows) == 1 + 6  # the demo's five and this one
    assert rows[2][:9] == ("2026", "Gemeente als geheel", "Vindbare en toegankelijke hulp", 2, 1, 5, 25, 2, 18)
    last = rows[-1]
    assert last[1:3] == ("De Hoven", "Leren en verbeteren") and last[6] == 12.5
    cell = sheet.cell(row=len(rows), column=11)
    assert cell.value == HOSTILE and cell.data_type == "s"  # text, never a formula
    about = [r[0] for r in book.worksheets[0].iter_rows(values_only=True)]
    assert "Blad ‘ZET’" in about
