"""AppTests of the Randvoorwaarden (seed 002): answered on their own page for the municipality as a whole,
shown on Wijkprofiel and Vergelijken; the broad assignment and the safety part on Het model."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from tests.conftest import page
from wijkmodel.model.schema import MaturityModel
from wijkmodel.storage.db import make_engine, make_sessionmaker
from wijkmodel.storage.municipalities import create_municipality
from wijkmodel.storage.responses import get_or_create_respondent, save_answer
from wijkmodel.storage.rounds import create_round
from wijkmodel.storage.tables import Answer, Change, Respondent, Unit, UnitKind
from wijkmodel.storage.wijken import add_wijk, units


def _municipality(url: str, model: MaturityModel, answers: dict[str, str] | None = None) -> None:
    with make_sessionmaker(make_engine(url)).begin() as s:
        m = create_municipality(session=s, name="Testdorp", cbs_code="GM9999")
        add_wijk(session=s, municipality_id=m.id, name="Centrum", cbs_code="WK999901", population=1200)
        r = create_round(session=s, municipality_id=m.id, label="2026", date=dt.date(2026, 1, 1))
        whole = next(u for u in units(session=s, municipality_id=m.id) if u.kind == UnitKind.MUNICIPALITY)
        resp = get_or_create_respondent(session=s, round_id=r.id, unit_id=whole.id, role="gemeente")
        for question, option in (answers or {}).items():
            save_answer(session=s, respondent_id=resp.id, question_id=question, option_id=option, model=model)


def test_answering_a_condition_question_saves_it_for_the_municipality_as_a_whole(
    empty_db: str, model: MaturityModel
) -> None:
    _municipality(empty_db, model)
    at = page("app_pages/randvoorwaarden.py")
    assert at.title[0].value == "Randvoorwaarden"
    assert [e.label for e in at.expander][1:] == [
        "1. Gedeelde visie",
        "2. Daarbij passende inrichtingskeuze",
        "3. Verantwoording",
        "4. Financiering",
        "5. Leren",
    ]
    question = next(r for r in at.radio if "RV4-Q4" in r.label)
    assert question.options == ["Nee", "Beperkt", "Grotendeels", "Ja", "Weet niet", "Niet van toepassing"]
    how = next(r for r in at.radio if "RV2-Q2" in r.label)
    assert how.options[0] == "Niet geregeld"  # a how-question on the scale 'geregeld'
    question.set_value("nee").run()
    assert not at.exception
    with make_sessionmaker(make_engine(empty_db))() as s:
        stored = s.execute(
            select(Answer.option_id, Unit.name, Respondent.role)
            .join(Respondent, Respondent.id == Answer.respondent_id)
            .join(Unit, Unit.id == Respondent.unit_id)
            .where(Answer.question_id == "RV4-Q4")
        ).all()
        history = [c.subject for c in s.scalars(select(Change).where(Change.kind == "antwoord"))]
    assert [tuple(r) for r in stored] == [("nee", "Gemeente als geheel", "lokaal team")]
    assert history[0].startswith("RV4-Q4: Geeft de manier van financieren")
    table = at.dataframe[0].value
    assert table.set_index("Randvoorwaarde").loc["Financiering", "Score"] == "87,5"  # Nee is good here
    assert "Werkdocument opdracht van wijkteams" in " ".join(c.value for c in at.caption)


def test_wijkprofiel_and_vergelijken_show_the_conditions(empty_db: str, model: MaturityModel) -> None:
    _municipality(empty_db, model, {"RV1-Q1": "ja", "RV1-Q2": "grotendeels", "RV4-Q4": "ja"})
    at = page("app_pages/wijkprofiel.py")
    assert "Randvoorwaarden" in [h.value for h in at.header]
    table = next(d.value for d in at.dataframe if "Randvoorwaarde" in d.value.columns).set_index("Randvoorwaarde")
    assert table.loc["Gedeelde visie"].tolist() == ["Visie en inspiratie", "75", "fase 4", "66,7%", 1]
    assert table.loc["Financiering", "Fase"] == "fase 1"
    assert table.loc["Leren", "Score"] == "–"
    at = page("app_pages/vergelijken.py")
    assert "Randvoorwaarden van de gemeente als geheel" in [h.value for h in at.header]
    compared = next(d.value for d in at.dataframe if "Randvoorwaarde" in d.value.columns)
    assert compared.iloc[0]["Score en fase"] == "75 · fase 4"
    assert compared.iloc[0]["Ronde 2026"] == "75 · fase 4"


def test_a_wijk_shows_no_conditions(empty_db: str, model: MaturityModel) -> None:
    _municipality(empty_db, model, {"RV1-Q1": "ja"})
    at = page("app_pages/wijkprofiel.py")
    picker = next(b for b in at.selectbox if b.label.startswith("Wijk"))
    picker.select_index(1).run()  # the wijk Centrum
    assert "Centrum" in str(picker.value)
    assert not at.exception
    assert "Randvoorwaarden" not in [h.value for h in at.header]


def test_the_model_page_shows_the_broad_assignment_and_the_safety_part(empty_db: str, model: MaturityModel) -> None:
    at = page("app_pages/het_model.py")
    texts = [t.value for t in at.text]
    for section in model.assignment.sections():
        assert section.title in " ".join(m.value for m in at.markdown)
        for item in section.items:
            assert f"• {item}" in texts
    assert "• Samen met anderen" in texts and len(model.assignment.principles.items) == 7
    # the safety part under basic function 1: meldcode, veiligheidsplan, rechtsbescherming
    for section in model.assignment.guidance_for("BF1"):
        assert section.title in " ".join(m.value for m in at.markdown)
    joined = " ".join(texts)
    assert "Wijkteams volgen de meldcode." in joined and "veiligheidsplan" in joined
    conditions = next(t.value for t in at.table if t.value.index.name == "Randvoorwaarde")
    assert list(conditions.index) == [c.name for c in model.randvoorwaarden.conditions_ordered()]
    sources = " ".join(m.value for m in at.markdown)
    assert "Werkdocument opdracht van wijkteams, versie 0.1. Associatie Wijkteams, 2022. Gebruikt voor:" in sources
    assert "5 randvoorwaarden" in sources
