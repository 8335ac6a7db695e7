"""AppTests of the pages of the improvement cycle: Voortgang, Streefwaarden, Kernkeuzes en acties."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select

from tests.conftest import as_shown, page
from wijkmodel.model.schema import MaturityModel
from wijkmodel.storage.db import Sessions, make_engine, make_sessionmaker
from wijkmodel.storage.history import history
from wijkmodel.storage.municipalities import create_municipality
from wijkmodel.storage.rounds import create_round
from wijkmodel.storage.tables import Action, CoreChoiceEntry


def _db(url: str) -> Sessions:
    return make_sessionmaker(make_engine(url))


def test_voortgang_shows_changes_rises_falls_and_the_trend(demo_db: str) -> None:
    at = page("app_pages/voortgang.py")
    assert [h.value for h in at.header] == [
        "Totaalscore per wijk: ronde 2025 en 2026",
        "Wat steeg en wat daalde het meest",
        "Per wijk: elk thema en elke basisfunctie",
        "Verloop over alle rondes",
    ]
    rose = at.dataframe[1].value
    assert len(rose) == 8 and all(v.startswith("+") for v in rose["Verschil"])
    assert len(at.get("plotly_chart")) == 3
    # the trend follows any theme or basic function, for the wijk and the municipality
    at.selectbox(key="progress_measure").set_value("BF2").run()
    trend = at.dataframe[-1].value
    assert list(trend.index) == ["2025", "2026"] and trend.shape[1] == 2
    title = json.loads(at.get("plotly_chart")[-1].proto.spec)["layout"]["title"]["text"]
    assert title.startswith("Tijdig signaleren van de vraag per ronde")


def test_voortgang_asks_for_a_second_round(empty_db: str) -> None:
    with _db(empty_db).begin() as s:
        mid = create_municipality(session=s, name="Eenstad").id
        create_round(session=s, municipality_id=mid, label="2026", date=dt.date(2026, 1, 1))
    at = page("app_pages/voortgang.py")
    assert any("minstens twee rondes" in i.value for i in at.info)


def test_streefwaarden_lists_the_gaps_largest_first(demo_db: str) -> None:
    at = page("app_pages/streefwaarden.py")
    editor = at.dataframe[0].value  # the editing table: every theme and basic function
    assert len(editor) == 11 and editor["Streefwaarde"].notna().sum() == 3
    gaps = at.dataframe[-1].value
    assert list(gaps["Onderdeel"]) == ["Visie en inspiratie", "Gemeentelijke organisatie", "Opdrachtgeverschap"]
    assert all(v.startswith("nog") or v == "gehaald" or v[0].isdigit() for v in gaps["Nog te gaan"])


def test_a_core_choice_is_saved_at_once_and_traced(demo_db: str) -> None:
    at = page("app_pages/plan.py")
    radio = next(r for r in at.radio if (r.key or "").endswith("_veranderaanpak"))
    assert radio.value == "evolutionair"
    radio.set_value("revolutionair").run()
    assert not at.exception
    with _db(demo_db)() as s:
        row = s.scalar(select(CoreChoiceEntry).where(CoreChoiceEntry.choice_id == "veranderaanpak"))
        assert row is not None and row.option_id == "revolutionair"
        log = history(session=s, municipality_id=1)
    assert (
        "kernkeuze",
        "Evolutionair, partners in de wijk bepalen het tempo",
        "Revolutionair, de gemeente stuurt",
    ) in set(zip(log["kind"], log["old"], log["new"], strict=True))


def test_an_action_is_added_with_the_form(demo_db: str) -> None:
    at = page("app_pages/plan.py")
    description = next(t for t in at.text_area if t.label == "Wat gaan we doen?")
    description.input("Wijkcafé elke maand")
    next(t for t in at.text_input if t.label.startswith("Wie is eigenaar?")).input("Buurtwerk")
    next(d for d in at.date_input if d.label == "Start").set_value(dt.date(2027, 1, 1))
    next(b for b in at.button if b.label == "Actie toevoegen").click().run()
    assert not at.exception
    with _db(demo_db)() as s:
        action = s.scalar(select(Action).where(Action.description == "Wijkcafé elke maand"))
    assert action is not None and action.owner == "Buurtwerk" and action.start_date == dt.date(2027, 1, 1)
    assert any("Wijkcafé elke maand" in str(v) for df in at.dataframe for v in df.value.get("Actie", []))


def test_an_action_without_a_description_is_refused_in_dutch(demo_db: str) -> None:
    at = page("app_pages/plan.py")
    next(b for b in at.button if b.label == "Actie toevoegen").click().run()
    assert any(as_shown(e.value) == "Wat gaan we doen? Dit mag niet leeg zijn." for e in at.error)  # the form's words
    with _db(demo_db)() as s:
        assert len(s.scalars(select(Action)).all()) == 4


def test_choosing_a_theme_shows_its_examples_with_their_source(demo_db: str, model: MaturityModel) -> None:
    at = page("app_pages/plan.py")
    next(s for s in at.selectbox if s.label == "Thema").set_value("samenwerking_wijk").run()
    expander = next(e for e in at.expander if "Advies en inspiratie voor" in e.label)
    assert "Samenwerking in de wijk" in expander.label
    places = {e.place for e in model.examples_of("samenwerking_wijk")}
    texts = " ".join(m.value for m in expander.markdown)
    assert places and all(p in texts for p in places)
    assert any("Bron: " in c.value for c in expander.caption)


def test_the_examples_have_the_step_4_advice_of_their_theme_beside_them(demo_db: str, model: MaturityModel) -> None:
    at = page("app_pages/plan.py")
    next(s for s in at.selectbox if s.label == "Thema").set_value("opdrachtgeverschap").run()
    expander = next(e for e in at.expander if "Advies en inspiratie voor" in e.label)
    texts = " ".join(m.value for m in expander.markdown)
    assert model.guidance_of("opdrachtgeverschap")[0].text in texts
    for words in (
        "vernieuw een contract dat toch afloopt",
        "Sluit bijvoorbeeld aan bij initiatieven die reeds zijn opgezet door partijen uit de wijk",
        "laat wijkgericht werken het uitgangspunt zijn in de nieuwe beleidsnota",
    ):
        assert words in texts
    assert sum("Stap 4 – Start met wijkgericht werken" in c.value for c in expander.caption) == 2


def test_core_choice_2_asks_the_conclusion_first_and_the_role_as_follow_up(demo_db: str) -> None:
    at = page("app_pages/plan.py")
    assert [h.value for h in at.subheader][:2] == ["Veranderkundige visie", "Rol van het toegangsteam"]
    texts = " ".join(m.value for m in at.markdown)
    assert "Vervolgvraag: Welke rol past bij de ambitie?" in texts
    conclusion = next(r for r in at.radio if (r.key or "").endswith("_toegangsteam_passend"))
    role = next(r for r in at.radio if (r.key or "").endswith("_rol_toegangsteam"))
    assert conclusion.options == ["Passend", "Moet worden bijgesteld"]
    assert role.value == "toegang_lichte_hulp" and len(role.options) == 3
    conclusion.set_value("passend").run()
    assert not at.exception
    with _db(demo_db)() as s:
        row = s.scalar(select(CoreChoiceEntry).where(CoreChoiceEntry.choice_id == "toegangsteam_passend"))
        assert row is not None and row.option_id == "passend"
        log = history(session=s, municipality_id=1)
    assert ("kernkeuze", "Moet worden bijgesteld", "Passend") in set(
        zip(log["kind"], log["old"], log["new"], strict=True)
    )
    # the advice to ask the choices again later stands with them
    assert any("alsnog of opnieuw te stellen" in i.value for i in at.info)


def test_where_to_start_names_the_energy_and_the_change_approach(demo_db: str) -> None:
    at = page("app_pages/plan.py")
    reason = next(i.value for i in at.info if i.value.startswith("Voorstel: begin met"))
    # the demo marks energy in 'Visie en inspiratie' for the municipality as a whole and chose evolutionair
    assert "‘Visie en inspiratie’ (hier zit energie in)" in reason
    assert "evolutionaire aanpak" in reason
    assert any("thema's waar energie in zit" in c.value for c in at.caption)
    next(r for r in at.radio if (r.key or "").endswith("_veranderaanpak")).set_value("revolutionair").run()
    reason = next(i.value for i in at.info if i.value.startswith("Voorstel: begin met"))
    assert "revolutionaire aanpak" in reason


def test_the_comparison_radar_can_show_the_targets(demo_db: str) -> None:
    at = page("app_pages/vergelijken.py")
    at.multiselect(key="compare_radar").set_value(["Gemeente als geheel", "De Hoven"]).run()
    next(t for t in at.toggle if t.label == "Streefwaarden tonen").set_value(True).run()
    assert not at.exception
    radar = next(json.loads(c.proto.spec) for c in at.get("plotly_chart") if "Profielen vergeleken" in c.proto.spec)
    names = [t["name"] for t in radar["data"]]
    assert "Gemeente als geheel: streefwaarde" in names and "De Hoven: streefwaarde" in names
    hoven = next(t for t in radar["data"] if t["name"] == "De Hoven: streefwaarde")
    assert sorted(v for v in hoven["r"] if v is not None) == [65, 80]
