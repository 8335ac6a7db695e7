"""The Randvoorwaarden travel along: a slide of their own in the briefing and the deck, a sheet in the
workbook, and a backup round trip that keeps their answers (and refuses them for a wijk)."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import openpyxl
import pytest
from pptx import Presentation

from wijkmodel.analysis.summary import MunicipalityProfile, municipality_profile
from wijkmodel.backup.export import export_municipality
from wijkmodel.backup.restore import import_backup, parse_backup
from wijkmodel.exports.briefing import build_briefing
from wijkmodel.exports.deck import build_deck
from wijkmodel.exports.workbook import build_workbook
from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.core import ScoringSettings
from wijkmodel.storage.db import Sessions, make_engine, make_sessionmaker
from wijkmodel.storage.inputs import InputError
from wijkmodel.storage.municipalities import create_municipality
from wijkmodel.storage.responses import get_or_create_respondent, save_answer, save_position
from wijkmodel.storage.rounds import create_round
from wijkmodel.storage.tables import UnitKind
from wijkmodel.storage.wijken import add_wijk, units

TODAY = dt.date(2026, 3, 1)
ANSWERS = {"RV1-Q1": "ja", "RV4-Q4": "nee", "RV2-Q2": "deels", "RV5-Q1": "weet_niet"}


@pytest.fixture
def testdorp(factory: Sessions, model: MaturityModel) -> tuple[int, int]:
    with factory.begin() as s:
        m = create_municipality(session=s, name="Testdorp", cbs_code="GM9999")
        wijk = add_wijk(session=s, municipality_id=m.id, name="Centrum", cbs_code="WK999901", population=1200)
        r = create_round(session=s, municipality_id=m.id, label="2026", date=dt.date(2026, 1, 1))
        whole = next(u for u in units(session=s, municipality_id=m.id) if u.kind == UnitKind.MUNICIPALITY)
        team = get_or_create_respondent(session=s, round_id=r.id, unit_id=wijk.id, role="lokaal team")
        save_position(session=s, respondent_id=team.id, theme_id="lokale_teams", position=40, model=model)
        resp = get_or_create_respondent(session=s, round_id=r.id, unit_id=whole.id, role="gemeente")
        for question, option in ANSWERS.items():
            save_answer(session=s, respondent_id=resp.id, question_id=question, option_id=option, model=model)
        return m.id, r.id


def _profile(factory: Sessions, model: MaturityModel, municipality_id: int) -> MunicipalityProfile:
    with factory() as s:
        return municipality_profile(
            session=s, municipality_id=municipality_id, name="Testdorp", model=model, settings=ScoringSettings()
        )


def test_the_briefing_and_the_deck_carry_the_randvoorwaarden(
    factory: Sessions, model: MaturityModel, testdorp: tuple[int, int]
) -> None:
    mid, rid = testdorp
    briefing = build_briefing(_profile(factory, model, mid), rid, model, today=TODAY, parts=["randvoorwaarden"])
    slides = [briefing.slide(i) for i in range(len(briefing.parts))]
    slide = next(s for s in slides if s.key == "randvoorwaarden")
    assert slide.section == "Randvoorwaarden" and slide.figure is not None and slide.table is not None
    rows = {row[0]: row for row in slide.table.rows}
    assert rows["Financiering"][1:4] == ["Opdrachtgeverschap", "87,5", "fase 4"]
    assert rows["Leren"][2] == "–"
    assert "Werkdocument opdracht van wijkteams" in slide.notes
    assert "fase 4 · Wijkgericht werken in het DNA" in slide.notes  # phases named, not colour alone
    deck = Presentation(io.BytesIO(build_deck(briefing, images={})))
    titles = [s.shapes.title.text for s in deck.slides if s.shapes.title is not None]
    assert "Randvoorwaarden van de gemeente als geheel" in titles


def test_a_municipality_without_randvoorwaarden_gets_no_such_slide(factory: Sessions, model: MaturityModel) -> None:
    with factory.begin() as s:
        m = create_municipality(session=s, name="Testdorp", cbs_code="GM9999")
        r = create_round(session=s, municipality_id=m.id, label="2026", date=dt.date(2026, 1, 1))
        mid, rid = m.id, r.id
    briefing = build_briefing(_profile(factory, model, mid), rid, model, today=TODAY, parts=["randvoorwaarden"])
    assert [briefing.slide(i).key for i in range(len(briefing.parts))] == ["ontbreekt"]
    assert briefing.slide(0).bullets == ["Randvoorwaarden van de gemeente: nog niet ingevuld."]


def test_the_workbook_has_a_randvoorwaarden_sheet(
    factory: Sessions, model: MaturityModel, testdorp: tuple[int, int]
) -> None:
    mid, _ = testdorp
    with factory() as s:
        data = build_workbook(session=s, mp=_profile(factory, model, mid), model=model, today=TODAY)
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["Randvoorwaarden"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:6] == ["Ronde", "Wijk", "Randvoorwaarde", "Dient het thema", "Score", "Fase"]
    by_name = {r[2]: r for r in rows[1:]}
    assert len(by_name) == 5
    assert by_name["Financiering"][1:6] == ["Gemeente als geheel", "Financiering", "Opdrachtgeverschap", 87.5, 4]
    assert by_name["Leren"][4] is None and by_name["Leren"][9] == 0  # "Weet niet" counts for nothing
    answers = [[c.value for c in row] for row in book["Antwoorden"].iter_rows()]
    rv4 = next(r for r in answers if r[5] == "RV4-Q4")
    assert (rv4[4], rv4[6], rv4[8], rv4[9]) == ("Randvoorwaarden", "Randvoorwaarde: Financiering", "Nee", 87.5)


def test_a_backup_round_trip_keeps_the_randvoorwaarden(
    factory: Sessions, model: MaturityModel, testdorp: tuple[int, int], tmp_path: Path
) -> None:
    mid, _ = testdorp
    with factory() as s:
        first = export_municipality(session=s, municipality_id=mid, model=model)
    whole = next(u for u in json.loads(first)["municipality"]["units"] if u["kind"] == "gemeente")
    respondents = json.loads(first)["municipality"]["rounds"][0]["respondents"]
    given = {a["question"]: a["option"] for r in respondents if r["unit"] == whole["name"] for a in r["answers"]}
    assert given == ANSWERS
    empty = make_sessionmaker(make_engine(f"sqlite:///{tmp_path / 'empty.sqlite'}"))
    with empty.begin() as s:
        restored = import_backup(session=s, text=first, model=model)
        restored_id = restored.id
    with empty() as s:
        assert export_municipality(session=s, municipality_id=restored_id, model=model) == first
    before = _profile(factory, model, mid)
    after = _profile(empty, model, restored_id)
    from wijkmodel.analysis.conditions import all_condition_scores

    assert all_condition_scores(before, model)[["condition", "score"]].equals(
        all_condition_scores(after, model)[["condition", "score"]]
    )


def test_a_backup_with_randvoorwaarden_answers_for_a_wijk_or_a_wrong_option_is_refused(
    factory: Sessions, model: MaturityModel, testdorp: tuple[int, int]
) -> None:
    mid, _ = testdorp
    with factory() as s:
        data = json.loads(export_municipality(session=s, municipality_id=mid, model=model))
    respondents = data["municipality"]["rounds"][0]["respondents"]
    wijk = next(r for r in respondents if r["unit"] == "Centrum")
    wijk["answers"].append({**next(r for r in respondents if r["unit"] != "Centrum")["answers"][0]})
    whole = next(r for r in respondents if r["unit"] != "Centrum")
    whole["answers"][0]["option"] = "volledig"  # RV1-Q1: not an option of the standard scale
    with pytest.raises(InputError) as info:
        parse_backup(json.dumps(data), model)
    message = str(info.value)
    assert "over de randvoorwaarden is voor de gemeente als geheel" in message
    assert "onbekend antwoord 'volledig'" in message
