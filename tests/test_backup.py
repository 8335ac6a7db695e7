"""JSON backup: identical round trip, all-or-nothing import, refusal without replace."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from wijkmodel.backup import export_municipality, import_backup, parse_backup
from wijkmodel.db import Municipality, make_engine, make_sessionmaker
from wijkmodel.demo import DEMO_NAME
from wijkmodel.inputs import InputError
from wijkmodel.store import find_municipality


def _export(factory, model, name=DEMO_NAME) -> str:  # type: ignore[no-untyped-def]
    with factory() as s:
        municipality = find_municipality(session=s, name=name)
        return export_municipality(session=s, municipality_id=municipality.id, model=model)


def test_export_import_export_is_identical(demo_factory, model, tmp_path) -> None:  # type: ignore[no-untyped-def]
    first = _export(demo_factory, model)
    empty = make_sessionmaker(make_engine(f"sqlite:///{tmp_path / 'empty.sqlite'}"))
    with empty.begin() as s:
        import_backup(session=s, text=first, model=model)
    assert _export(empty, model) == first
    data = json.loads(first)
    assert data["format"] == "wijkmodel-backup" and data["format_version"] == 2
    m = data["municipality"]
    assert len(m["rounds"]) == 2
    assert len(m["units"]) == 9
    # the improvement cycle travels along: targets, energy, core choices, actions, history
    assert sum(len(u["targets"]) for u in m["units"]) == 11
    assert sum(len(u["energy"]) for u in m["units"]) == 3
    assert [c["choice"] for c in m["rounds"][1]["core_choices"]] == ["rol_toegangsteam", "veranderaanpak"]
    assert len(m["actions"]) == 4 and m["actions"][0]["status"] == "loopt"
    assert len(m["history"]) > 2000 and {"schuifje", "antwoord", "streefwaarde", "actie"} <= {
        h["kind"] for h in m["history"]
    }


def test_a_version_1_backup_without_the_cycle_still_imports(demo_factory, model, tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(_export(demo_factory, model))
    data["format_version"] = 1
    m = data["municipality"]
    for key in ("actions", "history"):
        del m[key]
    for unit in m["units"]:
        del unit["targets"], unit["energy"]
    for round_ in m["rounds"]:
        del round_["core_choices"]
    empty = make_sessionmaker(make_engine(f"sqlite:///{tmp_path / 'v1.sqlite'}"))
    with empty.begin() as s:
        import_backup(session=s, text=json.dumps(data), model=model)
    again = json.loads(_export(empty, model))
    assert again["municipality"]["actions"] == [] and again["municipality"]["history"] == []
    assert again["municipality"]["rounds"][0]["respondents"] == m["rounds"][0]["respondents"]


def test_importing_an_existing_municipality_is_refused_without_replace(demo_factory, model) -> None:  # type: ignore[no-untyped-def]
    text = _export(demo_factory, model)
    with pytest.raises(InputError, match=r"bestaat al\. Gebruik --replace"), demo_factory.begin() as s:
        import_backup(session=s, text=text, model=model)
    assert _export(demo_factory, model) == text


def test_replace_swaps_the_municipality_in_one_transaction(demo_factory, model) -> None:  # type: ignore[no-untyped-def]
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


def test_a_broken_file_lists_every_error_and_changes_nothing(demo_factory, model) -> None:  # type: ignore[no-untyped-def]
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
def test_values_the_database_cannot_hold_are_refused_with_their_place(demo_factory, model, edit, message) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(_export(demo_factory, model))
    edit(data["municipality"])
    with pytest.raises(InputError) as info:
        parse_backup(json.dumps(data), model)
    assert message in "\n".join(info.value.problems)


def test_names_are_normalised_so_a_backup_can_be_replaced_again(demo_factory, model, tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(_export(demo_factory, model))
    data["municipality"]["name"] = "  Test   dam "
    empty = make_sessionmaker(make_engine(f"sqlite:///{tmp_path / 'e.sqlite'}"))
    with empty.begin() as s:
        assert import_backup(session=s, text=json.dumps(data), model=model).name == "Test dam"
    with empty.begin() as s:
        import_backup(session=s, text=json.dumps(data), model=model, replace=True)


def test_a_time_with_an_offset_is_stored_in_utc(demo_factory, model, tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(_export(demo_factory, model))
    data["municipality"]["rounds"][0]["respondents"][0]["positions"][0]["updated_at"] = "2026-01-01T10:00:00+02:00"
    empty = make_sessionmaker(make_engine(f"sqlite:///{tmp_path / 'e.sqlite'}"))
    with empty.begin() as s:
        import_backup(session=s, text=json.dumps(data), model=model)
    again = json.loads(_export(empty, model))
    assert again["municipality"]["rounds"][0]["respondents"][0]["positions"][0]["updated_at"] == "2026-01-01T08:00:00"


def test_a_deeply_nested_file_is_refused_clearly(model) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError, match="te diep genest"):
        parse_backup('{"format": "wijkmodel-backup", "x": ' + "[" * 100_000 + "]" * 100_000 + "}", model)


def test_semantic_errors_are_all_listed_with_their_place(demo_factory, model) -> None:  # type: ignore[no-untyped-def]
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
        ('{"format": "wijkmodel-backup", "format_version": 3}', "format_version"),
        ('{"format": "wijkmodel-backup", "format_version": 1, "model_version": "x"}', "municipality: ontbreekt"),
    ],
)
def test_files_that_are_not_backups_are_refused(model, text, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError, match=message):
        parse_backup(text, model)
