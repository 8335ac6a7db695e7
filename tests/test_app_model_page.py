"""AppTest of the router and the page 'Het model'."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.conftest import page
from wijkmodel.model.schema import MaturityModel


def _run() -> AppTest:
    return page("app_pages/het_model.py")


def test_the_model_page_shows_themes_phases_and_sources(empty_db: str, model: MaturityModel) -> None:
    at = _run()
    assert at.title[0].value == "Het model"
    assert [t.label for t in at.tabs] == [
        "Thema's en fasen",
        "Basisfuncties en vragen",
        "Opdracht en randvoorwaarden",
        "Koppelingen en voorbeelden",
        "Begrippen",
        "Bronnen",
    ]
    matrix = at.table[0].value
    assert list(matrix.index) == [t.name for t in model.themes_ordered()]
    assert list(matrix.columns) == [f"Fase {p.number} – {p.name}" for p in sorted(model.phases, key=lambda p: p.number)]
    assert matrix.loc["Lokale teams", "Fase 1 – Start van wijkgericht werken"].startswith("De lokale teams zijn geen")
    assert any(cell.endswith("(afgeleid)") for cell in matrix.to_numpy().ravel())
    markdown = " ".join(m.value for m in at.markdown)
    for source in model.info.sources:
        assert source.title in markdown


def test_every_question_is_on_the_page(empty_db: str, model: MaturityModel) -> None:
    at = _run()
    codes = set()
    for table in at.table:
        if "Code" in table.value.columns:
            codes |= set(table.value["Code"])
    expected = {q.id for q in model.quickscan.questions} | {q.id for q in model.in_depth.questions}
    assert codes == expected


def test_the_model_page_shows_the_begrippen_and_step_4_advice_per_theme(empty_db: str, model: MaturityModel) -> None:
    at = _run()
    terms = next(t.value for t in at.table if "Begrip" in t.value.columns)
    assert list(terms["Begrip"]) == [t.term for t in model.guidance.terms]
    assert terms.iloc[2]["Omschrijving"] == "lokale omgeving, plaatselijke omgeving, dorp, stadsdeel, wijk, buurt etc."
    assert any("Definitielijst" in c.value for c in at.caption)
    text = " ".join(m.value for m in at.markdown)
    assert "vernieuw een contract dat toch afloopt" in text
    assert model.guidance_of("opdrachtgeverschap")[0].text in text  # beside the theme, without examples too
    assert "**Opdrachtgeverschap**" in text
