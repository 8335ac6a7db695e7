"""JSON backup: identical round trip, all-or-nothing import, refusal without replace."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.conftest import ROOT
from wijkmodel.backup.export import export_municipality
from wijkmodel.backup.restore import import_backup, parse_backup
from wijkmodel.demo.facts import DEMO_NAME
from wijkmodel.model.schema import MaturityModel
from wijkmodel.storage.db import Sessions, make_engine, make_sessionmaker
from wijkmodel.storage.inputs import InputError
from wijkmodel.storage.municipalities import find_municipality
from wijkmodel.storage.tables import IndicatorValue, Municipality, Unit, UnitGeometry

SQUARE = {"type": "Polygon", "coordinates": [[[5.9, 52.2], [5.91, 52.2], [5.91, 52.21], [5.9, 52.21], [5.9, 52.2]]]}
WITH_HOLE = {
    "type": "MultiPolygon",
    "coordinates": [
        [
            [[5.92, 52.2], [5.95, 52.2], [5.95, 52.23], [5.92, 52.23], [5.92, 52.2]],
            [[5.93, 52.21], [5.935, 52.21], [5.935, 52.215], [5.93, 52.21]],
        ],
        [[[6, 52], [6.001, 52], [6.001, 52.001], [6, 52]]],
    ],
}
# (unit, indicator, year, value, source), not in the order the export writes them
FIGURES = [
    ("De Hoven", "Testcijfer_AantalInwoners", 2024, 8412.0, "CBS 85984NED (test)"),
    ("De Hoven", "Testcijfer_AantalInwoners", 2022, 8390.0, "CBS 85039NED (test)"),
    ("De Hoven", "Eigen test percentage", 2024, 12.345678901234567, "eigen bestand kerncijfers.xlsx"),
    ("Gemeente als geheel", "Testcijfer_AantalInwoners", 2024, 61000.0, ""),
    ("Oude Haven", "Eigen test percentage", 2023, -0.5, "eigen bestand"),
]


def _add_wijkdata(factory: Sessions) -> None:
    """Indicator values and boundaries for the demo (merge: the demo may bring boundaries of its own)."""
    with factory.begin() as s:
        unit_id = {u.name: u.id for u in s.scalars(select(Unit))}
        s.add_all(
            IndicatorValue(unit_id=unit_id[unit], indicator=indicator, year=year, value=value, source=source)
            for unit, indicator, year, value, source in FIGURES
        )
        for name, geometry in (("De Hoven", SQUARE), ("Oude Haven", WITH_HOLE)):
            s.merge(
                UnitGeometry(unit_id=unit_id[name], geometry=json.dumps(geometry), source=f"grenzen {name}.geojson")
            )


@pytest.fixture
def wijkdata_factory(demo_factory: Sessions) -> Sessions:
    _add_wijkdata(demo_factory)
    return demo_factory


@pytest.fixture(scope="module")
def wijkdata_backup(tmp_path_factory: pytest.TempPathFactory, model: MaturityModel) -> str:
    """The export of the demo with the figures and boundaries above, made once for the checks that only parse."""
    from wijkmodel.demo.municipality import add_demo

    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('backup') / 'wijkdata.sqlite'}")
    factory = make_sessionmaker(engine)
    with factory.begin() as s:
        add_demo(session=s, model=model)
    _add_wijkdata(factory)
    text = _export(factory, model)
    engine.dispose()
    return text


def _unit(m: dict, name: str) -> dict:
    return next(u for u in m["units"] if u["name"] == name)


def _mine(unit: dict) -> list[dict]:
    """The figures this test module added (the demo may bring figures of its own)."""
    return [v for v in unit["indicators"] if v["indicator"].startswith(("Testcijfer", "Eigen test"))]


def _export(factory: Sessions, model: MaturityModel, name: str = DEMO_NAME) -> str:
    with factory() as s:
        municipality = find_municipality(session=s, name=name)
        assert municipality is not None
        return export_municipality(session=s, municipality_id=municipality.id, model=model)


def test_export_import_export_is_identical(wijkdata_factory: Sessions, model: MaturityModel, tmp_path: Path) -> None:
    first = _export(wijkdata_factory, model)
    empty = make_sessionmaker(make_engine(f"sqlite:///{tmp_path / 'empty.sqlite'}"))
    with empty.begin() as s:
        import_backup(session=s, text=first, model=model)
    assert _export(empty, model) == first
    data = json.loads(first)
    assert data["format"] == "wijkmodel-backup" and data["format_version"] == 8
    m = data["municipality"]
    assert len(m["rounds"]) == 2
    assert len(m["units"]) == 9
    # the improvement cycle travels along: targets, energy, core choices, actions, history
    assert sum(len(u["targets"]) for u in m["units"]) == 11
    assert sum(len(u["energy"]) for u in m["units"]) == 3
    assert [c["choice"] for c in m["rounds"][1]["core_choices"]] == [
        "rol_toegangsteam",
        "toegangsteam_passend",
        "veranderaanpak",
    ]
    assert len(m["actions"]) == 4 and m["actions"][0]["status"] == "loopt"
    assert len(m["history"]) > 2000 and {"schuifje", "antwoord", "streefwaarde", "actie"} <= {
        h["kind"] for h in m["history"]
    }
    # the wijk-analyse travels along: every figure, by indicator and year, and the boundaries
    assert _mine(_unit(m, "De Hoven")) == [
        {"indicator": "Eigen test percentage", "year": 2024, "value": 12.345678901234567,
         "source": "eigen bestand kerncijfers.xlsx"},
        {"indicator": "Testcijfer_AantalInwoners", "year": 2022, "value": 8390.0, "source": "CBS 85039NED (test)"},
        {"indicator": "Testcijfer_AantalInwoners", "year": 2024, "value": 8412.0, "source": "CBS 85984NED (test)"},
    ]  # fmt: skip
    assert _mine(_unit(m, "Gemeente als geheel"))[0]["value"] == 61000.0
    assert _mine(_unit(m, "Oude Haven")) == [
        {"indicator": "Eigen test percentage", "year": 2023, "value": -0.5, "source": "eigen bestand"}
    ]
    assert _unit(m, "De Hoven")["boundary"]["geometry"] == SQUARE
    assert _unit(m, "Oude Haven")["boundary"]["geometry"] == WITH_HOLE
    assert _unit(m, "Oude Haven")["boundary"]["source"] == "grenzen Oude Haven.geojson"
    with empty() as s:  # stored as the app stores them, ready for the map
        stored = {s.get_one(Unit, g.unit_id).name: json.loads(g.geometry) for g in s.scalars(select(UnitGeometry))}
        figures = s.scalars(select(IndicatorValue).where(IndicatorValue.indicator.startswith("Testcijfer"))).all()
    assert stored["De Hoven"] == SQUARE and stored["Oude Haven"] == WITH_HOLE
    assert sorted(f.value for f in figures) == [8390.0, 8412.0, 61000.0]


def test_a_version_2_backup_without_the_wijk_analyse_still_imports(
    wijkdata_factory: Sessions, model: MaturityModel, tmp_path: Path
) -> None:
    current = json.loads(_export(wijkdata_factory, model))
    data = json.loads(json.dumps(current))
    data["format_version"] = 2
    for unit in data["municipality"]["units"]:
        del unit["indicators"], unit["boundary"]
    for round_ in data["municipality"]["rounds"]:
        del round_["zet"], round_["analysis_mark"]
    empty = make_sessionmaker(make_engine(f"sqlite:///{tmp_path / 'v2.sqlite'}"))
    with empty.begin() as s:
        import_backup(session=s, text=json.dumps(data), model=model)
    again = json.loads(_export(empty, model))
    # everything of format 2 is back; the units simply have no figures and no boundary
    for unit in current["municipality"]["units"]:
        unit["indicators"], unit["boundary"] = [], None
    for round_ in current["municipality"]["rounds"]:
        round_["zet"] = []  # format 2 had no ZET
    assert again == current


def test_an_old_backup_with_the_role_as_core_choice_2_still_imports_and_shows_both(
    model: MaturityModel, tmp_path: Path
) -> None:
    """Before core choice 2 asked for a conclusion, `rol_toegangsteam` was core choice 2 itself; that id
    is kept as its follow-up, so a backup of then imports unchanged and its role is still shown."""
    from wijkmodel.cycle.core_choices import NOT_CHOSEN, core_choice_table
    from wijkmodel.storage.frames import load_frames
    from wijkmodel.storage.rounds import rounds

    text = (ROOT / "tests" / "fixtures" / "demo-0002.json").read_text(encoding="utf-8")
    old = json.loads(text)["municipality"]["rounds"][-1]["core_choices"]
    assert {c["choice"] for c in old} == {"rol_toegangsteam", "veranderaanpak"}
    factory = make_sessionmaker(make_engine(f"sqlite:///{tmp_path / 'old.sqlite'}"))
    with factory.begin() as s:
        import_backup(session=s, text=text, model=model)
    with factory() as s:
        municipality = find_municipality(session=s, name=DEMO_NAME)
        assert municipality is not None
        frames = load_frames(session=s, municipality_id=municipality.id)
        latest = rounds(session=s, municipality_id=municipality.id)[-1].id
    table = core_choice_table(frames.core_choices, latest, model)
    assert table[["Kernkeuze", "Gekozen"]].values.tolist() == [
        ["Veranderkundige visie", "Evolutionair, partners in de wijk bepalen het tempo"],
        ["Rol van het toegangsteam", NOT_CHOSEN],  # the conclusion was not asked then
        ["Rol die past bij de ambitie", "Toegang en lichte hulp en ondersteuning"],
    ]


def test_the_step_1_mark_travels_in_the_backup(demo_factory: Sessions, model: MaturityModel, tmp_path: Path) -> None:
    from wijkmodel.storage.analysis_mark import save_analysis_mark
    from wijkmodel.storage.rounds import rounds

    with demo_factory.begin() as s:
        municipality = find_municipality(session=s, name=DEMO_NAME)
        assert municipality is not None
        latest = rounds(session=s, municipality_id=municipality.id)[-1].id
        save_analysis_mark(session=s, round_id=latest, done=True, note="Wijkgesprekken gevoerd")
    text = _export(demo_factory, model)
    mark = json.loads(text)["municipality"]["rounds"][-1]["analysis_mark"]
    assert mark == {"done": True, "note": "Wijkgesprekken gevoerd", "updated_at": mark["updated_at"]}
    empty = make_sessionmaker(make_engine(f"sqlite:///{tmp_path / 'mark.sqlite'}"))
    with empty.begin() as s:
        import_backup(session=s, text=text, model=model)
    assert _export(empty, model) == text
    wrong = text.replace('"done": true', '"done": "half"')
    with pytest.raises(InputError, match=r"analysis_mark\.done"):
        parse_backup(wrong, model)


def test_a_version_1_backup_without_the_cycle_still_imports(
    demo_factory: Sessions, model: MaturityModel, tmp_path: Path
) -> None:
    data = json.loads(_export(demo_factory, model))
    data["format_version"] = 1
    m = data["municipality"]
    for key in ("actions", "history"):
        del m[key]
    for unit in m["units"]:
        del unit["targets"], unit["energy"], unit["indicators"], unit["boundary"]
    for round_ in m["rounds"]:
        del round_["core_choices"], round_["zet"], round_["analysis_mark"]
    empty = make_sessionmaker(make_engine(f"sqlite:///{tmp_path / 'v1.sqlite'}"))
    with empty.begin() as s:
        import_backup(session=s, text=json.dumps(data), model=model)
    again = json.loads(_export(empty, model))
    assert again["municipality"]["actions"] == [] and again["municipality"]["history"] == []
    assert again["municipality"]["rounds"][0]["respondents"] == m["rounds"][0]["respondents"]


def test_importing_an_existing_municipality_is_refused_without_replace(
    demo_factory: Sessions, model: MaturityModel
) -> None:
    text = _export(demo_factory, model)
    with pytest.raises(InputError, match=r"bestaat al\. Gebruik --replace"), demo_factory.begin() as s:
        import_backup(session=s, text=text, model=model)
    assert _export(demo_factory, model) == text


def test_replace_swaps_the_municipality_in_one_transaction(demo_factory: Sessions, model: MaturityModel) -> None:
    text = _export(demo_factory, model)
    changed = json.loads(text)
    changed["municipality"]["units"][1]["population"] = 1
    with demo_factory.begin() as s:
        import_backup(session=s, text=json.dumps(changed), model=model, replace=True)
    after = json.loads(_export(demo_factory, model))
    assert after["municipality"]["units"][1]["population"] == 1
    # the replaced history is kept, and the replacement itself leaves a trace
    assert after["municipality"]["history"][:-1] == changed["municipality"]["history"]
    assert after["municipality"]["history"][-1]["kind"] == "back-up"
    with demo_factory() as s:
        assert len(s.scalars(select(Municipality)).all()) == 1


def _broken(text: str) -> str:
    data = json.loads(text)
    m = data["municipality"]
    m["units"][2]["name"] = m["units"][1]["name"]  # duplicate wijk
    r0 = m["rounds"][0]["respondents"][0]
    r0["positions"][0]["position"] = 140  # out of range
    r0["positions"][1]["theme"] = "onbekend_thema"  # unknown theme
    r0["answers"][0]["option"] = "misschien"  # unknown option
    m["rounds"][1]["respondents"][0]["unit"] = "Nergenshuizen"  # unknown wijk
    m["rounds"][1]["respondents"][1]["role"] = "wethouder"  # unknown role
    return json.dumps(data)


def test_a_broken_file_lists_every_error_and_changes_nothing(demo_factory: Sessions, model: MaturityModel) -> None:
    before = _export(demo_factory, model)
    with demo_factory.begin() as s, pytest.raises(InputError) as info:  # refusal caught: the transaction commits
        import_backup(session=s, text=_broken(before), model=model, replace=True)
    joined = "\n".join(info.value.problems)
    for expected in [
        "municipality.units: de naam",  # duplicate wijk
        "rounds[0].respondents[0].positions[0].position",  # out of range
        "rounds[0].respondents[0].positions[1].theme: onbekend thema",  # unknown theme
        "rounds[0].respondents[0].answers[0].option: onbekend antwoord 'misschien'",
        "rounds[1].respondents[0].unit: onbekende wijk 'Nergenshuizen'",
        "rounds[1].respondents[1].role",  # unknown role
    ]:
        assert expected in joined, expected
    assert _export(demo_factory, model) == before


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda m: m["units"][1].__setitem__("population", 10**30), "hoogstens 10.000.000"),
        (lambda m: m["units"][1].__setitem__("population", True), "population"),
        (lambda m: m["units"][1].__setitem__("name", "Nul\x00teken"), "stuurtekens"),
        (lambda m: m["rounds"][0].__setitem__("date", 86400), "datum"),
        (lambda m: m["rounds"][0]["respondents"][0]["positions"][0].__setitem__("position", "50"), "getal"),
        (lambda m: m["rounds"][0]["respondents"][0]["positions"][0].__setitem__("model_version", "x" * 21), "te lang"),
        (lambda m: m.__setitem__("cbs_code", "GM٣٠٣٣"), "GM"),
        (lambda m: m["units"][0]["targets"][0].__setitem__("position", 101), "hoogstens 100"),
        (lambda m: m["actions"][0].__setitem__("status", "bijna"), "status"),
        (lambda m: m["actions"][0].__setitem__("description", ""), "description"),
        (lambda m: m["history"][0].__setitem__("at", "gisteren"), "history[0].at"),
    ],
)
def test_values_the_database_cannot_hold_are_refused_with_their_place(
    demo_factory: Sessions, model: MaturityModel, edit: Callable[[dict[str, Any]], object], message: str
) -> None:
    data = json.loads(_export(demo_factory, model))
    edit(data["municipality"])
    with pytest.raises(InputError) as info:
        parse_backup(json.dumps(data), model)
    assert message in "\n".join(info.value.problems)


def test_names_are_normalised_so_a_backup_can_be_replaced_again(
    demo_factory: Sessions, model: MaturityModel, tmp_path: Path
) -> None:
    data = json.loads(_export(demo_factory, model))
    data["municipality"]["name"] = "  Test   dam "
    empty = make_sessionmaker(make_engine(f"sqlite:///{tmp_path / 'e.sqlite'}"))
    with empty.begin() as s:
        assert import_backup(session=s, text=json.dumps(data), model=model).name == "Test dam"
    with empty.begin() as s:
        import_backup(session=s, text=json.dumps(data), model=model, replace=True)


def test_a_time_with_an_offset_is_stored_in_utc(demo_factory: Sessions, model: MaturityModel, tmp_path: Path) -> None:
    data = json.loads(_export(demo_factory, model))
    data["municipality"]["rounds"][0]["respondents"][0]["positions"][0]["updated_at"] = "2026-01-01T10:00:00+02:00"
    empty = make_sessionmaker(make_engine(f"sqlite:///{tmp_path / 'e.sqlite'}"))
    with empty.begin() as s:
        import_backup(session=s, text=json.dumps(data), model=model)
    again = json.loads(_export(empty, model))
    assert again["municipality"]["rounds"][0]["respondents"][0]["positions"][0]["updated_at"] == "2026-01-01T08:00:00"


def test_a_deeply_nested_file_is_refused_clearly(model: MaturityModel) -> None:
    with pytest.raises(InputError, match="te diep genest"):
        parse_backup('{"format": "wijkmodel-backup", "x": ' + "[" * 100_000 + "]" * 100_000 + "}", model)


def test_semantic_errors_are_all_listed_with_their_place(demo_factory: Sessions, model: MaturityModel) -> None:
    data = json.loads(_export(demo_factory, model))
    m = data["municipality"]
    m["units"][2]["name"] = m["units"][1]["name"]
    r0 = m["rounds"][0]["respondents"][0]
    r0["positions"][1]["theme"] = "onbekend_thema"
    r0["answers"][0]["option"] = "misschien"
    r0["answers"][1]["question"] = "BF9-Q9"
    m["rounds"][1]["respondents"][0]["unit"] = "Nergenshuizen"
    m["units"][0]["targets"][0]["item"] = "BF9"
    m["units"][0]["energy"].append("geen_thema")
    m["rounds"][1]["core_choices"][0]["option"] = "halfrevolutionair"
    m["actions"][1]["unit"] = "Nergenshuizen"
    m["actions"][2]["theme"] = "onbekend_thema"
    m["actions"][3]["end_date"] = "2000-01-01"
    with pytest.raises(InputError) as info:
        parse_backup(json.dumps(data), model)
    joined = "\n".join(info.value.problems)
    for expected in [
        "municipality.units: de naam",
        "rounds[0].respondents[0].positions[1].theme: onbekend thema 'onbekend_thema'",
        "rounds[0].respondents[0].answers[0].option: onbekend antwoord 'misschien'",
        "rounds[0].respondents[0].answers[1].question: onbekende vraag 'BF9-Q9'",
        "rounds[1].respondents[0].unit: onbekende wijk 'Nergenshuizen'",
        "units[0].targets[0].item: onbekend thema of basisfunctie 'BF9'",
        "units[0].energy[1]: onbekend thema 'geen_thema'",
        "rounds[1].core_choices[0].option: onbekende optie 'halfrevolutionair'",
        "actions[1].unit: onbekende wijk 'Nergenshuizen'",
        "actions[2].theme: onbekend thema 'onbekend_thema'",
        "actions[3].end_date: de einddatum ligt voor de startdatum",
    ]:
        assert expected in joined
    assert len(info.value.problems) >= 11


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Geen geldige JSON"),
        ("{not json", "regel 1"),
        ("[]", "geen wijkmodel-backup"),
        ('{"format": "iets anders"}', "geen wijkmodel-backup"),
        ('{"format": "wijkmodel-backup", "format_version": 9}', "format_version"),
        ('{"format": "wijkmodel-backup", "format_version": 1, "model_version": "x"}', "municipality: ontbreekt"),
    ],
)
def test_files_that_are_not_backups_are_refused(model: MaturityModel, text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_backup(text, model)


# --- the wijk-analyse: indicator values and boundaries ---------------------------------------------


def test_replace_replaces_the_figures_and_boundaries_too(wijkdata_factory: Sessions, model: MaturityModel) -> None:
    changed = json.loads(_export(wijkdata_factory, model))
    hoven = _unit(changed["municipality"], "De Hoven")
    hoven["indicators"] = [v for v in hoven["indicators"] if v["year"] != 2022]
    hoven["boundary"] = None
    _unit(changed["municipality"], "Oude Haven")["boundary"]["geometry"] = SQUARE
    with wijkdata_factory.begin() as s:
        import_backup(session=s, text=json.dumps(changed), model=model, replace=True)
    after = json.loads(_export(wijkdata_factory, model))["municipality"]
    assert [v["year"] for v in _mine(_unit(after, "De Hoven"))] == [2024, 2024]
    assert _unit(after, "De Hoven")["boundary"] is None
    assert _unit(after, "Oude Haven")["boundary"]["geometry"] == SQUARE
    with wijkdata_factory() as s:  # nothing of the replaced municipality is left behind
        assert len(s.scalars(select(IndicatorValue)).all()) == sum(len(u["indicators"]) for u in after["units"])


def _broken_wijkdata(text: str) -> str:
    data = json.loads(text)
    m = data["municipality"]
    hoven, haven = _unit(m, "De Hoven"), _unit(m, "Oude Haven")
    figures = _mine(hoven)
    hoven["indicators"].append(dict(figures[1]))  # the same indicator and year twice
    figures[0]["year"] = 1800
    figures[1]["value"] = float("nan")  # json.dumps writes NaN, which Python's json reads
    figures[2]["indicator"] = "   "
    hoven["boundary"]["geometry"]["coordinates"][0][2][1] = 95.0
    haven["boundary"]["geometry"]["type"] = "Point"
    _unit(m, "Molenwijk")["boundary"] = {
        "source": "rd.geojson",
        "geometry": {**SQUARE, "coordinates": [[[155000, 463000]] * 4]},
    }
    return json.dumps(data)


def test_bad_figures_and_boundaries_are_listed_with_their_place_and_change_nothing(
    wijkdata_factory: Sessions, model: MaturityModel
) -> None:
    before = _export(wijkdata_factory, model)
    m = json.loads(before)["municipality"]
    names = [u["name"] for u in m["units"]]
    hoven, haven, molen = names.index("De Hoven"), names.index("Oude Haven"), names.index("Molenwijk")
    first = [i for i, v in enumerate(_unit(m, "De Hoven")["indicators"]) if v in _mine(_unit(m, "De Hoven"))]
    duplicate = len(_unit(m, "De Hoven")["indicators"])
    with wijkdata_factory.begin() as s, pytest.raises(InputError) as info:  # refusal caught: the transaction commits
        import_backup(session=s, text=_broken_wijkdata(before), model=model, replace=True)
    problems = info.value.problems
    for expected in [
        f"municipality.units[{hoven}].indicators[{first[0]}].year: moet een jaar van 1990 tot en met 2100 zijn",
        f"municipality.units[{hoven}].indicators[{first[1]}].value: moet een eindig getal zijn",
        f"municipality.units[{hoven}].indicators[{first[2]}].indicator: mag niet leeg zijn",
        f"municipality.units[{hoven}].indicators[{duplicate}]: kerncijfer 'Testcijfer_AantalInwoners' van 2022 "
        "komt twee keer voor",
        f"municipality.units[{hoven}].boundary.geometry.coordinates[0][2][1]: de breedtegraad 95.0 ligt niet tussen "
        "-90 en 90",
        f"municipality.units[{haven}].boundary.geometry.type: moet 'Polygon' of 'MultiPolygon' zijn",
        f"municipality.units[{molen}].boundary.geometry.coordinates[0][0][0]: de lengtegraad 155000 ligt niet tussen "
        "-180 en 180",
    ]:
        assert any(expected in p for p in problems), (expected, problems)
    assert len(problems) == 7, problems
    assert _export(wijkdata_factory, model) == before


def _geometry(unit: dict, geometry: object) -> None:
    unit["boundary"] = {"source": "", "geometry": geometry}


RING = SQUARE["coordinates"][0]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda u: u["indicators"][0].__setitem__("year", "2024"), "indicators[0].year: moet een getal zijn"),
        (lambda u: u["indicators"][0].__setitem__("year", 2024.5), "indicators[0].year: moet een getal zijn"),
        (lambda u: u["indicators"][0].__setitem__("year", 2101), "indicators[0].year: moet een jaar van 1990"),
        (lambda u: u["indicators"][0].__setitem__("value", "12,5"), "indicators[0].value: moet een getal zijn"),
        (lambda u: u["indicators"][0].__setitem__("value", True), "indicators[0].value: moet een getal zijn"),
        (lambda u: u["indicators"][0].__setitem__("value", float("inf")), "indicators[0].value: moet een eindig"),
        (lambda u: u["indicators"][0].__setitem__("indicator", ""), "indicators[0].indicator: mag niet leeg zijn"),
        (
            lambda u: u["indicators"][0].__setitem__("indicator", "x" * 101),
            "indicators[0].indicator: is te lang (hoogstens 100",
        ),
        (lambda u: u["indicators"][0].__setitem__("source", "x" * 201), "indicators[0].source: is te lang"),
        (lambda u: u["indicators"][0].pop("year"), "indicators[0].year: ontbreekt"),
        (lambda u: _geometry(u, "POLYGON ((5 52, 6 52, 6 53, 5 52))"), "boundary.geometry: moet een GeoJSON-geometrie"),
        (lambda u: _geometry(u, {"coordinates": [RING]}), "boundary.geometry.type: moet 'Polygon' of"),
        (lambda u: _geometry(u, {"type": "Polygon"}), "boundary.geometry.coordinates: ontbreekt"),
        (lambda u: _geometry(u, {**SQUARE, "crs": "EPSG:28992"}), "boundary.geometry.crs: is onbekend"),
        (
            lambda u: _geometry(u, {"type": "Polygon", "coordinates": []}),
            "boundary.geometry.coordinates: een polygoon moet een lijst",
        ),
        (
            lambda u: _geometry(u, {"type": "Polygon", "coordinates": RING}),
            "boundary.geometry.coordinates[0]: een ring moet een lijst",
        ),
        (
            lambda u: _geometry(u, {"type": "Polygon", "coordinates": [RING[:3]]}),
            "boundary.geometry.coordinates[0]: een ring moet",
        ),
        (
            lambda u: _geometry(u, {"type": "MultiPolygon", "coordinates": [RING]}),
            "boundary.geometry.coordinates[0][0]: een ring",
        ),
        (
            lambda u: _geometry(u, {"type": "MultiPolygon", "coordinates": {}}),
            "boundary.geometry.coordinates: een MultiPolygon moet een lijst van polygonen",
        ),
        (
            lambda u: _geometry(u, {"type": "Polygon", "coordinates": [[[5, 52, 3], *RING[1:]]]}),
            "boundary.geometry.coordinates[0][0]: een punt moet een lijst van 2 getallen",
        ),
        (
            lambda u: _geometry(u, {"type": "Polygon", "coordinates": [[*RING[:2], ["5.9", 52.2], *RING[3:]]]}),
            "boundary.geometry.coordinates[0][2][0]: de lengtegraad moet een eindig getal zijn",
        ),
        (
            lambda u: _geometry(u, {"type": "Polygon", "coordinates": [[*RING[:2], [5.9, True], *RING[3:]]]}),
            "boundary.geometry.coordinates[0][2][1]: de breedtegraad moet een eindig getal zijn",
        ),
        (
            lambda u: _geometry(u, {"type": "Polygon", "coordinates": [[*RING[:2], [float("nan"), 52], *RING[3:]]]}),
            "boundary.geometry.coordinates[0][2][0]: de lengtegraad moet een eindig getal zijn",
        ),
        (
            lambda u: _geometry(u, {"type": "Polygon", "coordinates": [[*RING[:4], [-180.5, 52.2]]]}),
            "boundary.geometry.coordinates[0][4][0]: de lengtegraad -180.5 ligt niet tussen -180 en 180",
        ),
        (lambda u: u.__setitem__("boundary", {"source": "x"}), "boundary.geometry: ontbreekt"),
    ],
)
def test_figures_and_boundaries_the_app_cannot_use_are_refused_with_their_place(
    wijkdata_backup: str, model: MaturityModel, edit: Callable[[dict[str, Any]], object], message: str
) -> None:
    data = json.loads(wijkdata_backup)
    units = data["municipality"]["units"]
    at = next(i for i, u in enumerate(units) if u["name"] == "De Hoven")
    edit(units[at])
    with pytest.raises(InputError) as info:
        parse_backup(json.dumps(data), model)
    assert f"Op plek municipality.units[{at}].{message}" in "\n".join(info.value.problems)


def test_the_smallest_valid_figures_and_boundaries_are_accepted(wijkdata_backup: str, model: MaturityModel) -> None:
    data = json.loads(wijkdata_backup)
    hoven = _unit(data["municipality"], "De Hoven")
    hoven["indicators"] = [{"indicator": "x", "year": 1990, "value": 0}, {"indicator": "x", "year": 2100, "value": 1}]
    _geometry(hoven, {"coordinates": [[[-180, -90], [180, -90], [180, 90], [-180, -90]]], "type": "Polygon"})
    backup = parse_backup(json.dumps(data), model)
    parsed = next(u for u in backup.municipality.units if u.name == "De Hoven")
    assert [(v.year, v.value, v.source) for v in parsed.indicators] == [(1990, 0.0, ""), (2100, 1.0, "")]
    assert parsed.boundary is not None and parsed.boundary.updated_at is None


# --- format 4 (issue 15): answers on the scales of model 2026.2, and ZET evaluations -----------------


def _answers(text: str) -> dict[tuple[str, str, str], str | None]:
    m = json.loads(text)["municipality"]
    return {
        (r["unit"], r["role"], a["question"]): a["option"]
        for round_ in m["rounds"][-1:]
        for r in round_["respondents"]
        for a in r["answers"]
    }


@pytest.mark.parametrize(
    ("version", "given", "stored"),
    [
        (3, "ja", "volledig"),  # a how-question answered on the one scale of model 2026.1
        (3, "beperkt", "deels"),
        (3, "nee", "niet"),
        (3, "grotendeels", "grotendeels"),
        (3, "weet_niet", "weet_niet"),
        (1, "ja", "volledig"),
        (4, "volledig", "volledig"),
    ],
)
def test_an_older_backup_s_answers_map_to_today_s_scales(
    demo_factory: Sessions, model: MaturityModel, tmp_path: Path, version: int, given: str, stored: str
) -> None:
    data = json.loads(_export(demo_factory, model))
    data["format_version"] = version
    respondent = data["municipality"]["rounds"][-1]["respondents"][0]
    answer = next(a for a in respondent["answers"] if a["question"] == "BF5-Q7")
    answer["option"] = given
    yes_no = next(a for a in respondent["answers"] if a["question"] == "BF5-Q4")  # keeps the standard scale
    yes_no["option"] = "ja"
    empty = make_sessionmaker(make_engine(f"sqlite:///{tmp_path / 'old.sqlite'}"))
    with empty.begin() as s:
        import_backup(session=s, text=json.dumps(data), model=model)
    answers = _answers(_export(empty, model))
    key = (respondent["unit"], respondent["role"])
    assert answers[(*key, "BF5-Q7")] == stored
    assert answers[(*key, "BF5-Q4")] == "ja"


def test_a_format_4_backup_with_an_answer_of_the_old_scale_is_refused(
    demo_factory: Sessions, model: MaturityModel
) -> None:
    data = json.loads(_export(demo_factory, model))
    respondents = data["municipality"]["rounds"][-1]["respondents"]
    answer = next(a for a in respondents[0]["answers"] if a["question"] == "BF5-Q7")
    answer["option"] = "ja"  # not an answer of "geregeld": a format-4 file is not mapped
    with pytest.raises(InputError, match="onbekend antwoord 'ja'"):
        parse_backup(json.dumps(data), model)


def test_zet_evaluations_travel_in_the_backup(demo_factory: Sessions, model: MaturityModel, tmp_path: Path) -> None:
    from wijkmodel.storage.zet import save_zet, zet_frame

    with demo_factory.begin() as s:
        municipality = find_municipality(session=s, name="Voorbeeldstad")
        assert municipality is not None
        round_id = max(r.id for r in municipality.rounds)
        unit_id = next(u.id for u in municipality.units if u.name == "De Hoven")
        save_zet(
            session=s, round_id=round_id, unit_id=unit_id, basic_function="BF5", model=model, value=3.5,
            scale_min=1, scale_max=5, cases=12, evaluated_on=dt.date(2026, 5, 1), note="Tien dossiers, =SOM(A1)",
        )  # fmt: skip
    first = _export(demo_factory, model)
    zet = json.loads(first)["municipality"]["rounds"][-1]["zet"]
    assert len(zet) == 6  # the demo's five and this one
    mine = next(z for z in zet if (z["unit"], z["basic_function"]) == ("De Hoven", "BF5"))
    assert mine == {
        "unit": "De Hoven", "basic_function": "BF5", "value": 3.5, "scale_min": 1.0, "scale_max": 5.0, "cases": 12,
        "evaluated_on": "2026-05-01", "note": "Tien dossiers, =SOM(A1)", "updated_at": mine["updated_at"]
    }  # fmt: skip
    empty = make_sessionmaker(make_engine(f"sqlite:///{tmp_path / 'zet.sqlite'}"))
    with empty.begin() as s:
        imported = import_backup(session=s, text=first, model=model)
        frame = zet_frame(session=s, municipality_id=imported.id)
    assert _export(empty, model) == first
    assert frame[frame["basic_function"] == "BF5"]["score"].tolist() == [62.5]  # (3.5 - 1) / (5 - 1) on 0-100


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"unit": "Nergens"}, "onbekende wijk 'Nergens'"),
        ({"basic_function": "BF9"}, "onbekende basisfunctie 'BF9'"),
        ({"value": 120.0}, "de uitkomst moet op de schaal liggen"),
        ({"scale_min": 5.0, "scale_max": 1.0, "value": 3.0}, "de uitkomst moet op de schaal liggen"),
    ],
)
def test_a_backup_with_a_wrong_zet_evaluation_is_refused(
    demo_factory: Sessions, model: MaturityModel, change: dict, message: str
) -> None:
    data = json.loads(_export(demo_factory, model))
    evaluation = {"unit": "De Hoven", "basic_function": "BF1", "value": 50.0, "updated_at": "2026-05-01T10:00:00"}
    data["municipality"]["rounds"][-1]["zet"] = [evaluation | change]
    with pytest.raises(InputError, match=message):
        parse_backup(json.dumps(data), model)
