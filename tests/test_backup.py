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
    assert data["format"] == "wijkmodel-backup" and data["format_version"] == 1
    assert len(data["municipality"]["rounds"]) == 2
    assert len(data["municipality"]["units"]) == 9


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
    with pytest.raises(InputError) as info, demo_factory.begin() as s:
        import_backup(session=s, text=_broken(before), model=model, replace=True)
    problems = info.value.problems
    joined = "\n".join(problems)
    # pydantic finds the shape errors first; all of them are listed with their place
    assert "municipality.rounds[0].respondents[0].positions[0].position" in joined
    assert "municipality.rounds[1].respondents[1].role" in joined
    assert _export(demo_factory, model) == before


def test_semantic_errors_are_all_listed_with_their_place(demo_factory, model) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(_export(demo_factory, model))
    m = data["municipality"]
    m["units"][2]["name"] = m["units"][1]["name"]
    r0 = m["rounds"][0]["respondents"][0]
    r0["positions"][1]["theme"] = "onbekend_thema"
    r0["answers"][0]["option"] = "misschien"
    r0["answers"][1]["question"] = "BF9-Q9"
    m["rounds"][1]["respondents"][0]["unit"] = "Nergenshuizen"
    with pytest.raises(InputError) as info:
        parse_backup(json.dumps(data), model)
    joined = "\n".join(info.value.problems)
    for expected in [
        "municipality.units: de naam",
        "rounds[0].respondents[0].positions[1].theme: onbekend thema 'onbekend_thema'",
        "rounds[0].respondents[0].answers[0].option: onbekend antwoord 'misschien'",
        "rounds[0].respondents[0].answers[1].question: onbekende vraag 'BF9-Q9'",
        "rounds[1].respondents[0].unit: onbekende wijk 'Nergenshuizen'",
    ]:
        assert expected in joined
    assert len(info.value.problems) >= 5


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Geen geldige JSON"),
        ("{not json", "regel 1"),
        ("[]", "geen wijkmodel-backup"),
        ('{"format": "iets anders"}', "geen wijkmodel-backup"),
        ('{"format": "wijkmodel-backup", "format_version": 2}', "format_version"),
        ('{"format": "wijkmodel-backup", "format_version": 1, "model_version": "x"}', "municipality: ontbreekt"),
    ],
)
def test_files_that_are_not_backups_are_refused(model, text, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError, match=message):
        parse_backup(text, model)
