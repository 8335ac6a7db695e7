"""The wijk-analyse as pages, deck and command line show it: map values, indicator tables, slides,
the import-wijken command and the AppTests of the pages Wijkanalyse and Wijkdata."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import func, insert, select

from tests.conftest import DemoRows, copy_demo, page
from wijkmodel.analysis.summary import MunicipalityProfile, municipality_profile
from wijkmodel.analysis.views import comparison_display, comparison_scores
from wijkmodel.analysis.wijk_analysis import (
    OVERALL,
    default_need,
    indicator_table,
    lower_is_more_need,
    map_choices,
    map_values,
    unit_indicators,
    with_indicators,
)
from wijkmodel.charts.base import Caption
from wijkmodel.charts.map import analysis_map
from wijkmodel.cli import run
from wijkmodel.demo.wijkdata import demo_csv, demo_csv_name
from wijkmodel.exports.briefing import build_briefing
from wijkmodel.model.schema import MaturityModel
from wijkmodel.storage.db import Sessions, make_engine, make_sessionmaker
from wijkmodel.storage.municipalities import create_municipality, find_municipality, settings_of
from wijkmodel.storage.rounds import rounds
from wijkmodel.storage.tables import Base, Change, IndicatorValue, Municipality, Unit, UnitGeometry
from wijkmodel.storage.wijken import add_wijk
from wijkmodel.wijkdata.boundaries import load_geometries
from wijkmodel.wijkdata.country_import import import_all_municipalities
from wijkmodel.wijkdata.mapping import guess_mapping
from wijkmodel.wijkdata.table_files import read_table
from wijkmodel.wijkdata.wijk_import import import_wijken

TODAY = pd.Timestamp("2026-11-23").date()
YOUTH = "JongerenMetJeugdzorgInNatura"


def _profile(
    factory: Sessions, model: MaturityModel
) -> tuple[MunicipalityProfile, list[int], dict[int, dict[str, Any]], int]:
    with factory() as s:
        m = find_municipality(session=s, name="Voorbeeldstad")
        assert m is not None
        mp = municipality_profile(session=s, municipality_id=m.id, name=m.name, model=model, settings=settings_of(m))
        ids = [r.id for r in rounds(session=s, municipality_id=m.id)]
        return mp, ids, load_geometries(session=s, municipality_id=m.id), m.id


def _add_values(factory: Sessions, unit_id: int, indicator: str, values: dict[int, float]) -> None:
    with factory.begin() as s:
        s.execute(
            insert(IndicatorValue),
            [
                {"unit_id": unit_id, "indicator": indicator, "year": y, "value": v, "source": f"test {y}"}
                for y, v in values.items()
            ],
        )


def test_the_map_offers_overall_themes_functions_and_indicators(demo_factory: Sessions, model: MaturityModel) -> None:
    mp, *_ = _profile(demo_factory, model)
    choices = map_choices(model, mp.frames.indicators)
    keys = [c.key for c in choices]
    assert keys[0] == OVERALL
    assert len([k for k in keys if not k.startswith("kerncijfer:")]) == 1 + 6 + 5
    assert f"kerncijfer:{YOUTH}" in keys
    assert "Kerncijfer: Jongeren met jeugdzorg in natura" in [c.label for c in choices]


def test_map_values_follow_the_profile_and_the_latest_year_not_after_the_round(
    demo_factory: Sessions, model: MaturityModel
) -> None:
    mp, round_ids, _, _ = _profile(demo_factory, model)
    hoven = int(mp.frames.units.set_index("name").loc["De Hoven", "unit"])
    _add_values(demo_factory, hoven, "Eigen cijfer", {2025: 1.0, 2026: 2.0, 2027: 3.0})
    mp, round_ids, _, _ = _profile(demo_factory, model)
    latest = round_ids[-1]  # round 2026
    values, _ = map_values(mp, latest, OVERALL)
    overall = mp.profile.units[mp.profile.units["round"] == latest].set_index("unit")["overall"]
    assert len(values) == 8 and "Gemeente als geheel" not in set(values["name"])
    for unit, value in zip(values["unit"], values["value"], strict=True):
        assert value == pytest.approx(overall[unit])
    own, detail = map_values(mp, latest, "kerncijfer:Eigen cijfer")
    assert own.set_index("name").loc["De Hoven", "value"] == 2.0  # 2027 comes after the round
    assert math.isnan(own.set_index("name").loc["Het Ven", "value"])
    assert detail == "2026 · bron: test 2026"
    first, _ = map_values(mp, round_ids[0], "kerncijfer:Eigen cijfer")  # round 2025
    assert first.set_index("name").loc["De Hoven", "value"] == 1.0


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        ([], None),
        (["AantalInwoners", "JongerenMetJeugdzorgInNatura"], "JongerenMetJeugdzorgInNatura"),
        (["Aandeel jeugdhulp", "Inwoners"], "Aandeel jeugdhulp"),
        (["b", "a"], "a"),
    ],
)
def test_the_matrix_starts_with_youth_care_if_there_is_such_a_figure(names: list[str], expected: str | None) -> None:
    frame = pd.DataFrame({"unit": range(len(names)), "indicator": names, "year": 2024, "value": 1.0, "source": ""})
    assert default_need(frame) == expected


@pytest.mark.parametrize(
    ("indicator", "lower"),
    [
        ("GemiddeldInkomenPerInwoner", True),
        ("HuishoudensMetEenLaagInkomen", False),
        ("JongerenMetJeugdzorgInNatura", False),
        ("Gemiddeld inkomen", True),
    ],
)
def test_for_income_lower_means_more_need(indicator: str, lower: bool) -> None:
    assert lower_is_more_need(indicator) is lower


def test_indicator_tables_name_the_year_and_show_one_number_of_decimals_per_column(
    demo_factory: Sessions, model: MaturityModel
) -> None:
    mp, round_ids, _, _ = _profile(demo_factory, model)
    table = indicator_table(mp, round_ids[-1])
    assert table.columns[0] == "Wijk" and "Aantal inwoners (2024)" in table.columns
    assert list(table["Wijk"])[:2] == ["Gemeente als geheel", "De Hoven"]
    youth = table["Jongeren met jeugdzorg in natura (2024)"]
    assert all(v == "–" or "," in v for v in youth)  # all with one decimal, missing as a dash
    assert table.set_index("Wijk").loc["Molenwijk", "Aantal inwoners (2024)"] == "11.800"
    hoven = int(mp.frames.units.set_index("name").loc["De Hoven", "unit"])
    mine = unit_indicators(mp, round_ids[-1], hoven)
    assert list(mine.columns) == ["Kerncijfer", "Waarde", "Jaar", "Bron"] and len(mine) == 5
    assert set(mine["Jaar"]) == {2024}
    scores = comparison_scores(mp, round_ids[-1], model)
    joined = with_indicators(comparison_display(scores), mp, round_ids[-1])
    assert "Aantal inwoners (2024)" in joined.columns and len(joined) == len(scores)
    assert joined.iloc[-1]["Aantal inwoners (2024)"] == "–"  # the aggregate row has no figures


def test_the_map_figure_names_every_wijk(demo_factory: Sessions, model: MaturityModel) -> None:
    mp, round_ids, geometries, _ = _profile(demo_factory, model)
    assert len(geometries) == 8
    caption = Caption("Voorbeeldstad", "2026", "gemiddelde", TODAY)
    figure = analysis_map(mp, round_ids[-1], f"kerncijfer:{YOUTH}", geometries, model, caption)
    text = json.dumps(figure.to_plotly_json(), ensure_ascii=False)
    assert "Jongeren met jeugdzorg in natura per wijk" in text and "2024" in text
    for name in ("De Hoven", "Noorderpark", "Zonnehoek"):
        assert name in text


def test_the_briefing_has_the_map_and_the_matrix_for_the_chosen_wijken(
    demo_factory: Sessions, model: MaturityModel
) -> None:
    mp, round_ids, geometries, _ = _profile(demo_factory, model)
    briefing = build_briefing(mp, round_ids[-1], model, today=TODAY, geometries=geometries)
    keys = [s.key for s in briefing.slides]
    assert keys[:5] == ["overzicht", "scores", "kaart", "prioriteiten", "prioriteiten-lijst"]
    kaart = briefing.slides[2]
    assert kaart.alt_text.startswith(kaart.title) and "Noorderpark: fase 2 · Samen op weg" in kaart.alt_text
    listed = briefing.slides[4].table
    assert listed is not None and listed.columns[0] == "Prioriteit" and len(listed.rows) == 8
    assert listed.rows[0][2] == "Hoge nood, lage volwassenheid: begin hier"
    two = build_briefing(mp, round_ids[-1], model, today=TODAY, geometries=geometries, wijken=["De Hoven", "Het Ven"])
    listed = next(s for s in two.slides if s.key == "prioriteiten-lijst").table
    assert listed is not None and sorted(r[1] for r in listed.rows) == ["De Hoven", "Het Ven"]
    # no boundaries: no map; the matrix stays
    bare = build_briefing(mp, round_ids[-1], model, today=TODAY, geometries=None, parts=["kaart", "waar-beginnen"])
    slides = [s for s in bare.slides if s.key != "ontbreekt"]
    assert [s.key for s in slides] == ["prioriteiten", "prioriteiten-lijst"]


# --- the command line -------------------------------------------------------------------------------


def _count(url: str, table: type[Base]) -> int:
    with make_sessionmaker(make_engine(url))() as s:
        return int(s.scalar(select(func.count()).select_from(table)) or 0)


def test_import_wijken_from_the_command_line(demo_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / demo_csv_name(2025)
    path.write_bytes(demo_csv(2025))
    values, changes = _count(demo_db, IndicatorValue), _count(demo_db, Change)
    assert run(["import-wijken", str(path), "--gemeente", "Voorbeeldstad", "--controleer"]) == 0
    out = capsys.readouterr().out
    assert "8 wijken: 8 bestaande, 0 nieuwe." in out and "Alleen gecontroleerd" in out
    assert (_count(demo_db, IndicatorValue), _count(demo_db, Change)) == (values, changes)
    assert run(["import-wijken", str(path), "--gemeente", "Voorbeeldstad"]) == 0
    assert "Geïmporteerd in Voorbeeldstad: 8 wijken (0 nieuw)" in capsys.readouterr().out
    assert _count(demo_db, IndicatorValue) == values + 8 * 5 + 2  # the municipality's own row has two figures


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("leeg.csv", b"", "leeg.csv is leeg."),
        ("kop.csv", b"code;naam;inwoners\n", "heeft alleen een kopregel"),
        (
            "fout.csv",
            b"code;naam;inwoners\nWK999901;De Hoven;veel\nWK999902;Oude Haven;5.200\n",
            "rij 2, kolom 'inwoners': 'veel' is geen getal.",
        ),
        ("geen_jaar.csv", b"code;naam;inwoners\nWK999901;De Hoven;5\n", "Geef het jaar van de cijfers met --jaar"),
    ],
)
def test_import_wijken_refuses_bad_files_with_exit_code_2_and_changes_nothing(
    demo_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    before = _count(demo_db, IndicatorValue), _count(demo_db, Change), _count(demo_db, UnitGeometry)
    args = ["import-wijken", str(path), "--gemeente", "Voorbeeldstad"]
    if name == "fout.csv":
        args += ["--jaar", "2025"]
    assert run(args) == 2
    assert message in capsys.readouterr().err
    assert (_count(demo_db, IndicatorValue), _count(demo_db, Change), _count(demo_db, UnitGeometry)) == before


# --- the pages ----------------------------------------------------------------------------------------


def test_wijkanalyse_shows_the_map_the_matrix_and_follows_the_choices(demo_db: str) -> None:
    at = page("app_pages/wijkanalyse.py")
    assert [h.value for h in at.header] == [
        "Kaart",
        "Waar beginnen we?",
        "Kerncijfers per wijk",
        "Ga in gesprek over de cijfers",
    ]
    # step 1's questions to the partners stand where the figures are
    assert any("Herkennen zij deze cijfers en inzichten?" in m.value for m in at.markdown)
    assert any("Stap 1 – Maak een wijk-analyse" in c.value for c in at.caption)
    assert any("de kerncijfers van de wijken zijn ingelezen" in m.value for m in at.markdown)
    charts = at.get("plotly_chart")
    assert len(charts) == 2
    assert json.loads(charts[0].proto.spec)["layout"]["title"]["text"].startswith("Totaalfase per wijk")
    at.selectbox(key="map_choice").set_value("kerncijfer:GemiddeldInkomenPerInwoner").run()
    assert not at.exception
    title = json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]["title"]["text"]
    assert title.startswith("Gemiddeld inkomen per inwoner per wijk")
    order = at.dataframe[0].value
    assert list(order.columns)[:3] == ["Prioriteit", "Wijk", "Kwadrant"] and order.iloc[0]["Prioriteit"] == "1"
    at.selectbox(key="need_indicator").set_value("GemiddeldInkomenPerInwoner").run()
    assert not at.exception
    assert at.toggle(key="lower_GemiddeldInkomenPerInwoner").value is True  # income: lower is more need


def test_wijkanalyse_without_figures_or_boundaries_says_where_to_get_them(empty_db: str) -> None:
    from wijkmodel.storage.municipalities import create_municipality
    from wijkmodel.storage.rounds import create_round

    with make_sessionmaker(make_engine(empty_db)).begin() as s:
        m = create_municipality(session=s, name="Leegstad")
        add_wijk(session=s, municipality_id=m.id, name="Centrum")
        create_round(session=s, municipality_id=m.id, label="2026", date=TODAY)
    at = page("app_pages/wijkanalyse.py")
    texts = " ".join(i.value for i in at.info)
    assert "Er zijn nog geen grenzen" in texts and "Er zijn nog geen kerncijfers" in texts
    assert any("Herkennen zij deze cijfers en inzichten?" in m.value for m in at.markdown)
    # without figures step 1 is not done: the start page says so, until it is marked done with a note
    start = page("app_pages/start.py")
    assert "▶ Stap 1: Wijk-analyse en prioriteiten (1 wijk, nog geen kerncijfers)" in start.info[0].value
    assert at.checkbox(key="analysis_done_1").disabled  # first write what was done
    at.text_area(key="analysis_note_1").input("Gesprekken met de partners in Centrum over hun beeld van de wijk").run()
    assert not at.exception and not at.error
    assert not at.checkbox(key="analysis_done_1").disabled
    assert "nog geen kerncijfers" in page("app_pages/start.py").info[0].value  # a note alone is no tick
    at.checkbox(key="analysis_done_1").check().run()
    assert not at.exception and not at.error
    assert any("u hebt de stap afgevinkt" in m.value for m in at.markdown)
    start = page("app_pages/start.py")
    assert "✓ Stap 1: Wijk-analyse en prioriteiten (1 wijk, afgevinkt)" in start.info[0].value
    with make_sessionmaker(make_engine(empty_db))() as s:
        changes = s.scalars(select(Change).where(Change.kind.like("stap 1%"))).all()
    assert {(c.kind, c.new) for c in changes} >= {
        ("stap 1", "klaar"),
        ("stap 1, toelichting", "Gesprekken met de partners in Centrum over hun beeld van de wijk"),
    }


def test_wijkdata_offers_the_template_and_the_demo_examples(demo_db: str) -> None:
    at = page("app_pages/wijkdata.py")
    assert [h.value for h in at.header] == [
        "Kerncijfers",
        "Grenzen van de wijken (voor de kaart)",
        "Sjablonen en voorbeelden",
    ]
    assert not at.error


def test_wijkprofiel_shows_the_wijk_figures(demo_db: str) -> None:
    at = page("app_pages/wijkprofiel.py")
    assert "Kerncijfers" in [h.value for h in at.header]
    figures = next(d.value for d in at.dataframe if "Kerncijfer" in getattr(d.value, "columns", []))
    # the first unit is the municipality as a whole: its own row of the CBS file has two figures
    assert list(figures["Kerncijfer"]) == ["0 tot 15 jaar", "Aantal inwoners"] and set(figures["Jaar"]) == {2024}


# --- many municipalities at once --------------------------------------------------------------------

COUNTRY = (
    "WijkenEnBuurten;Gemeentenaam_1;SoortRegio_2;AantalInwoners_5;JongerenMetJeugdzorgInNatura_91\r\n"
    "GM9999  ;Voorbeeldstad;Gemeente;52.000;9,5\r\n"
    "WK999901  ;Voorbeeldstad;Wijk;8.500;11,0\r\n"
    "GM0101  ;Noordstad;Gemeente;20.000;8,0\r\n"
    "WK010100  ;Noordstad;Wijk;12.000;7,5\r\n"
    "WK010101  ;Noordstad;Wijk;8.000;{bad}\r\n"
    "BU01010100;Noordstad;Buurt;1.000;3\r\n"
    "GM0202  ;Zuiddorp;Gemeente;5.000;4,0\r\n"
    "WK020200  ;Zuiddorp;Wijk;5.000;4,0\r\n"
)


def test_import_of_all_municipalities_finds_or_creates_each_one(
    demo_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "kwb_2025.csv"
    path.write_bytes(COUNTRY.format(bad="6,5").encode("cp1252"))
    assert run(["import-wijken", str(path), "--alle-gemeenten"]) == 0
    out = capsys.readouterr().out
    assert "3 gemeenten (2 nieuw), 4 wijken (3 nieuw)" in out
    with make_sessionmaker(make_engine(demo_db))() as s:
        north = find_municipality(session=s, name="Noordstad")
        assert north is not None and north.cbs_code == "GM0101"
        wijken = s.execute(
            select(Unit.name, Unit.cbs_code, Unit.population).where(Unit.municipality_id == north.id)
        ).all()
        assert sorted(w for w in wijken if w[1]) == [("WK010100", "WK010100", 12000), ("WK010101", "WK010101", 8000)]
        value = s.scalar(
            select(IndicatorValue.value)
            .join(Unit, Unit.id == IndicatorValue.unit_id)
            .where(Unit.cbs_code == "WK010101", IndicatorValue.indicator == YOUTH, IndicatorValue.year == 2025)
        )
        assert value == 6.5
        demo = find_municipality(session=s, name="Voorbeeldstad")
        assert demo is not None  # found by its code: no second Voorbeeldstad


def test_import_of_all_municipalities_is_all_or_nothing(
    demo_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "kwb_2025.csv"
    path.write_bytes(COUNTRY.format(bad="veel").encode("cp1252"))
    before = _count(demo_db, IndicatorValue), _count(demo_db, Change)
    assert run(["import-wijken", str(path), "--alle-gemeenten"]) == 2
    assert "rij 6, kolom 'JongerenMetJeugdzorgInNatura_91': 'veel' is geen getal." in capsys.readouterr().err
    assert (_count(demo_db, IndicatorValue), _count(demo_db, Change)) == before
    with make_sessionmaker(make_engine(demo_db))() as s:
        assert find_municipality(session=s, name="Noordstad") is None  # the new municipalities went too


def _database_with_demo(url: str, demo_rows: DemoRows) -> Sessions:
    engine = make_engine(url)  # makes the tables
    copy_demo(engine, demo_rows)
    return make_sessionmaker(engine)


def _what_each_municipality_holds(factory: Sessions) -> dict:
    """Per municipality (by name): its units, its indicator values, its history in the order kept
    (without times), and its revision."""
    held = {}
    with factory() as s:
        for m in s.scalars(select(Municipality)):
            units = sorted(
                s.execute(
                    select(Unit.name, Unit.kind, Unit.cbs_code, Unit.population).where(Unit.municipality_id == m.id)
                ).all()
            )
            values = sorted(
                s.execute(
                    select(Unit.name, IndicatorValue.indicator, IndicatorValue.year, IndicatorValue.value)
                    .join(Unit, Unit.id == IndicatorValue.unit_id)
                    .where(Unit.municipality_id == m.id)
                ).all()
            )
            changes = s.execute(
                select(Change.unit_name, Change.kind, Change.subject, Change.old, Change.new)
                .where(Change.municipality_id == m.id)
                .order_by(Change.id)
            ).all()
            held[m.name] = (m.cbs_code, units, values, changes, m.revision)
    return held


def test_all_municipalities_at_once_save_what_one_by_one_imports_save(tmp_path: Path, demo_rows: DemoRows) -> None:
    """The import of a whole file saves every municipality's plan together; the result must be what
    importing the municipalities one after another gives: same wijken, values, history and revision."""
    text = COUNTRY.format(bad="6,5").replace(
        "GM9999  ;Voorbeeldstad;Gemeente;52.000", "GM9999  ;Voorbeeldstad;Gemeente;52.500"
    )
    raw = read_table(text.encode("cp1252"), filename="kwb_2025.csv")
    mapping = guess_mapping(raw)
    at_once = _database_with_demo(f"sqlite:///{tmp_path}/samen.sqlite", demo_rows)
    with at_once.begin() as s:
        import_all_municipalities(session=s, raw=raw, mapping=mapping, year=2025, source="CBS kwb 2025")
    one_by_one = _database_with_demo(f"sqlite:///{tmp_path}/los.sqlite", demo_rows)
    for code, name in [("GM0101", "Noordstad"), ("GM0202", "Zuiddorp"), ("GM9999", "Voorbeeldstad")]:
        with one_by_one.begin() as s:
            municipality = find_municipality(session=s, name=name) or create_municipality(
                session=s, name=name, cbs_code=code
            )
            import_wijken(
                session=s, municipality_id=municipality.id, raw=raw, mapping=mapping, year=2025, source="CBS kwb 2025"
            )
    together, apart = _what_each_municipality_holds(at_once), _what_each_municipality_holds(one_by_one)
    assert together == apart
    # and the comparison has something to compare: new wijken with inhabitants, an update of the demo
    assert ("WK010100", "wijk", "WK010100", "leeg", "toegevoegd (import), 12000 inwoners") in together["Noordstad"][3]
    assert any(c[2] == "inwoners" for c in together["Voorbeeldstad"][3])


def test_two_codes_for_one_municipality_are_refused(
    demo_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "kwb_2025.csv"
    path.write_bytes((COUNTRY.format(bad="6,5") + "GM0303  ;Noordstad;Gemeente;1.000;1\r\n").encode("cp1252"))
    before = _count(demo_db, IndicatorValue), _count(demo_db, Change)
    assert run(["import-wijken", str(path), "--alle-gemeenten"]) == 2
    assert "GM0101 en GM0303 gaan allebei over de gemeente 'Noordstad'" in capsys.readouterr().err
    assert (_count(demo_db, IndicatorValue), _count(demo_db, Change)) == before


def test_a_municipality_without_code_found_by_name_gets_its_code_but_not_two(
    demo_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with make_sessionmaker(make_engine(demo_db)).begin() as s:
        create_municipality(session=s, name="Oostwijk")
    header = "WijkenEnBuurten;Gemeentenaam_1;SoortRegio_2;AantalInwoners_5\r\n"
    once = header + "GM0303  ;Oostwijk;Gemeente;900\r\nWK030300  ;Oostwijk;Wijk;900\r\n"
    twice = once + "GM0304  ;Oostwijk;Gemeente;500\r\nWK030400  ;Oostwijk;Wijk;500\r\n"
    path = tmp_path / "kwb_2025.csv"
    path.write_bytes(twice.encode("cp1252"))
    before = _count(demo_db, Unit), _count(demo_db, Change)
    assert run(["import-wijken", str(path), "--alle-gemeenten"]) == 2
    assert "GM0303 en GM0304 gaan allebei over de gemeente 'Oostwijk'" in capsys.readouterr().err
    assert (_count(demo_db, Unit), _count(demo_db, Change)) == before
    path.write_bytes(once.encode("cp1252"))
    assert run(["import-wijken", str(path), "--alle-gemeenten"]) == 0
    with make_sessionmaker(make_engine(demo_db))() as s:
        oostwijk = find_municipality(session=s, name="Oostwijk")
        assert oostwijk is not None and oostwijk.cbs_code == "GM0303"
        assert s.scalar(
            select(func.count()).where(
                Change.municipality_id == oostwijk.id, Change.subject == "CBS-code", Change.new == "GM0303"
            )
        )


def test_a_wijk_cannot_take_the_name_of_the_municipality_itself(
    demo_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "wijken.csv"
    path.write_bytes(b"code;naam;inwoners\r\nWK999901;De Hoven;8400\r\n;gemeente als GEHEEL;100\r\n")
    before = _count(demo_db, Unit), _count(demo_db, Change)
    assert run(["import-wijken", str(path), "--gemeente", "Voorbeeldstad", "--jaar", "2025"]) == 2
    err = capsys.readouterr().err
    assert "rij 3: 'gemeente als GEHEEL' is de naam van de gemeente zelf in wijkmodel." in err
    assert "Traceback" not in err and (_count(demo_db, Unit), _count(demo_db, Change)) == before
