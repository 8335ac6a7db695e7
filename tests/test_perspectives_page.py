"""AppTests of the pages Perspectieven and Geschiedenis: what a user sees, on the demo and on an empty database."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from tests.conftest import as_shown, page
from wijkmodel.model.loader import load_model
from wijkmodel.storage.db import Sessions, make_engine, make_sessionmaker
from wijkmodel.storage.municipalities import create_municipality
from wijkmodel.storage.responses import get_or_create_respondent, save_position
from wijkmodel.storage.rounds import create_round
from wijkmodel.storage.tables import Change, Municipality, Round, Unit
from wijkmodel.storage.wijken import add_wijk

PERSPECTIVES = "app_pages/perspectieven.py"
HISTORY = "app_pages/geschiedenis.py"


def _db(url: str) -> Sessions:
    return make_sessionmaker(make_engine(url))


def _unit_id(url: str, name: str) -> int:
    with _db(url)() as s:
        return s.scalars(select(Unit.id).where(Unit.name == name)).one()


def _texts(at: AppTest) -> list[str]:
    return [as_shown(m.value) for m in at.markdown]


def _charts(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


# --- Perspectieven -----------------------------------------------------------------------------------


def test_perspectives_of_a_wijk_show_the_chart_the_table_and_the_talking_points(demo_db: str) -> None:
    at = page(PERSPECTIVES)
    # Zonnehoek in 2026 (the latest round, chosen by default): the gemeente sees Visie en inspiratie
    # in phase 4 (90), inwoner/jeugd in phase 3 (55)
    at.selectbox(key="_w_unit_id").set_value(_unit_id(demo_db, "Zonnehoek")).run()
    assert not at.exception
    (figure,) = _charts(at)
    assert figure["layout"]["title"]["text"] == "Perspectieven in Zonnehoek, ronde 2026"
    assert "Voorbeeldstad" in figure["layout"]["title"]["subtitle"]["text"]
    # the role markers (the key's lines and the value labels' axis are drawn without hover)
    assert {t["name"] for t in figure["data"] if t.get("mode") == "markers" and t.get("hoverinfo") != "skip"} == {
        "gemeente",
        "lokaal team",
        "samenwerkingspartner",
        "inwoner/jeugd",
    }
    table = at.dataframe[0].value
    assert list(table.columns) == [
        "gemeente",
        "lokaal team",
        "samenwerkingspartner",
        "inwoner/jeugd",
        "Verschil",
        "Gesprekspunt",
    ]
    assert table.loc["Visie en inspiratie"].tolist() == [
        "90 (fase 4)",
        "75 (fase 4)",
        "60 (fase 3)",
        "55 (fase 3)",
        "35",
        "ja",
    ]
    assert "Gesprekspunten" in [h.value for h in at.header]
    texts = _texts(at)
    assert "Visie en inspiratie: gemeente ziet fase 4 (90), inwoner/jeugd fase 3 (55); 35 punten verschil." in texts
    assert "Waar zijn ze het over eens?" in [h.value for h in at.header]
    assert any("Leren en verbeteren: alle rollen zien fase 3" in t for t in texts)


def test_a_wijk_with_one_role_gets_one_clear_sentence_instead_of_a_chart(demo_db: str) -> None:
    model = load_model()
    with _db(demo_db).begin() as s:
        latest = s.scalars(select(Round).order_by(Round.date.desc())).first()
        assert latest is not None
        alone = add_wijk(session=s, municipality_id=latest.municipality_id, name="Eenling").id
        empty = add_wijk(session=s, municipality_id=latest.municipality_id, name="Leeg").id
        respondent = get_or_create_respondent(session=s, round_id=latest.id, unit_id=alone, role="inwoner/jeugd").id
        save_position(session=s, respondent_id=respondent, theme_id="lokale_teams", position=40, model=model)
    at = page(PERSPECTIVES)
    at.selectbox(key="_w_unit_id").set_value(alone).run()
    assert not at.exception
    assert [i.value for i in at.info] == [
        "Voor deze wijk heeft in deze ronde alleen de rol ‘inwoner/jeugd’ iets ingevuld. "
        "Er zijn dus geen verschillen tussen rollen te zien."
    ]
    assert _charts(at) == [] and not at.dataframe
    at.selectbox(key="_w_unit_id").set_value(empty).run()
    assert not at.exception
    assert "nog niets ingevuld" in at.info[0].value
    assert _charts(at) == []


# --- Geschiedenis -----------------------------------------------------------------------------------


def test_history_lists_the_newest_changes_and_a_wijk_narrows_them(demo_db: str) -> None:
    with _db(demo_db)() as s:
        total = s.scalar(select(func.count()).select_from(Change))
    assert total is not None and total > 500
    at = page(HISTORY)
    shown = at.dataframe[0].value
    assert len(shown) == 500  # the newest 500, with a note that there are more
    assert f"{total:,}".replace(",", ".") + " wijzigingen. Hieronder staan de 500 nieuwste." in " ".join(_texts(at))
    assert shown.columns[0] == "Wanneer (Nederlandse tijd)"
    assert shown.iloc[0, 0].count("-") == 2  # 23-11-2026 15:53: Dutch date-time text

    het_ven = _unit_id(demo_db, "Het Ven")
    with _db(demo_db)() as s:
        of_het_ven = s.scalar(select(func.count()).select_from(Change).where(Change.unit_id == het_ven))
    assert of_het_ven is not None
    at.selectbox(key="history_unit").set_value(het_ven).run()
    assert not at.exception
    shown = at.dataframe[0].value
    assert 0 < len(shown) == of_het_ven < 500
    assert set(shown["Wijk"]) == {"Het Ven"}
    assert f"{of_het_ven} wijzigingen, de nieuwste bovenaan." in _texts(at)

    kind = at.selectbox(key=f"history_kind_{het_ven}")
    assert kind.options[0] == "Alles" and "schuifje" in kind.options and "antwoord" in kind.options
    kind.set_value("schuifje").run()
    assert not at.exception
    sliders = at.dataframe[0].value
    assert 0 < len(sliders) < of_het_ven
    assert set(sliders["Wat"]) == {"schuifje"} and set(sliders["Wijk"]) == {"Het Ven"}


def test_history_follows_a_switch_to_another_municipality(demo_db: str) -> None:
    with _db(demo_db).begin() as s:
        other = create_municipality(session=s, name="Andersdorp").id
        create_round(session=s, municipality_id=other, label="2026", date=dt.date(2026, 2, 1))
    at = page(HISTORY)
    with _db(demo_db)() as s:
        demo = s.scalars(select(Municipality.id).where(Municipality.name == "Voorbeeldstad")).one()
    at.sidebar.selectbox[0].set_value(demo).run()  # Andersdorp comes first by name
    at.selectbox(key="history_unit").set_value(_unit_id(demo_db, "Het Ven")).run()
    assert set(at.dataframe[0].value["Wijk"]) == {"Het Ven"}
    at.sidebar.selectbox[0].set_value(other).run()  # Het Ven is not a wijk of Andersdorp
    assert not at.exception
    assert at.selectbox(key="history_unit").value == 0  # back to all
    shown = at.dataframe[0].value
    assert set(shown["Wat"]) == {"gemeente", "ronde"} and "Het Ven" not in set(shown["Wijk"])


def test_history_shows_names_typed_by_users_as_plain_text(demo_db: str) -> None:
    name = "<b>Vet</b> *schuin* =1+1"
    with _db(demo_db).begin() as s:
        municipality_id = s.scalars(select(Unit.municipality_id)).first()
        assert municipality_id is not None
        add_wijk(session=s, municipality_id=municipality_id, name=name)
    at = page(HISTORY)
    shown = at.dataframe[0].value
    assert name in set(shown["Wijk"]) | set(shown["Onderwerp"])
    assert not any("Vet" in t for t in _texts(at))  # never through Markdown


@pytest.mark.parametrize("path", [PERSPECTIVES, HISTORY])
def test_on_an_empty_database_both_pages_say_what_to_do_first(empty_db: str, path: str) -> None:
    at = page(path)
    assert any("Kies eerst een gemeente en een ronde" in i.value for i in at.info)
    assert not at.dataframe and _charts(at) == []
