"""Property-based tests of the JSON backup import (issue 7, item 3): every input ends in a clear
Dutch InputError with the database unchanged, or in a safe import that exports and imports again.

The base file is the demo municipality's backup, trimmed (fewer respondents, history and figures)
so that one example takes milliseconds; the database it lands in holds that municipality and a
second one. How "unchanged" is checked: see tests/properties.py.
"""

from __future__ import annotations

import copy
import json
import math
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from tests.conftest import DemoRows, copy_demo
from tests.properties import EVIL_TEXT, LONG, Copy, Template, assert_dutch, fast
from wijkmodel.backup.export import export_municipality
from wijkmodel.backup.restore import import_backup, parse_backup
from wijkmodel.demo.facts import DEMO_NAME
from wijkmodel.model.schema import MaturityModel
from wijkmodel.storage.db import make_engine, make_sessionmaker
from wijkmodel.storage.inputs import InputError
from wijkmodel.storage.municipalities import create_municipality, find_municipality
from wijkmodel.storage.wijken import add_wijk

NEW_NAME = "Nieuwe gemeente"


def _trimmed(text: str) -> dict:
    data = json.loads(text)
    m = data["municipality"]
    m["history"] = m["history"][:25]
    for round_ in m["rounds"]:
        round_["respondents"] = round_["respondents"][:2]
    for unit in m["units"]:
        unit["indicators"] = unit["indicators"][:2]
    return data


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory, model: MaturityModel, demo_rows: DemoRows) -> dict:
    """A small but complete backup: every part of the format occurs in it."""
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.sqlite'}")
    copy_demo(engine, demo_rows)  # the demo the run made once
    with make_sessionmaker(engine)() as s:
        demo = find_municipality(session=s, name=DEMO_NAME)
        assert demo is not None
        data = _trimmed(export_municipality(session=s, municipality_id=demo.id, model=model))
    engine.dispose()
    m = data["municipality"]
    assert m["rounds"][0]["respondents"][0]["positions"] and m["rounds"][0]["respondents"][0]["answers"]
    assert m["actions"] and m["history"] and any(u["targets"] for u in m["units"])
    assert any(u["indicators"] for u in m["units"]) and any(u["boundary"] for u in m["units"])
    assert any(r["core_choices"] for r in m["rounds"]) and any(u["energy"] for u in m["units"])
    return data


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, base: dict, model: MaturityModel) -> Template:
    """The trimmed demo municipality and a second, small one."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    factory = make_sessionmaker(engine := make_engine(f"sqlite:///{path}"))
    with factory.begin() as s:
        import_backup(session=s, text=json.dumps(base), model=model)
        other = create_municipality(session=s, name="Tweede gemeente", cbs_code="GM0998")
        add_wijk(session=s, municipality_id=other.id, name="Noord", population=1200)
    engine.dispose()
    return Template(path, model)


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    """Every place in a JSON value (the root included)."""
    out = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            out += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            out += _paths(child, (*prefix, index))
    return out


def _at(data: Any, path: tuple) -> Any:
    for step in path:
        data = data[step]
    return data


HUGE_NUMBERS = [10**30, -(10**30), 2**63, -(2**63) - 1, 10**400, 1e308, -1e308, 5e-324, -1, -0.0]
leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(HUGE_NUMBERS),
    st.text(max_size=20),
    st.sampled_from(EVIL_TEXT),
    st.sampled_from(["\ud800", "a\udfffb"]),  # lone surrogates
    st.sampled_from([*LONG, 20_001, 100_001]).map(lambda n: "x" * n),  # huge strings (short in reports)
    st.sampled_from(["9999-12-31", "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-05:00", "2026-02-30"]),
    st.sampled_from(["BF9-Q9", "onbekend_thema", "Nergenshuizen", "gemeente", "wijk", "GM0998", "WK000000"]),
    st.sampled_from([float("nan"), float("inf"), -float("inf")]),
)
json_values = st.recursive(
    leaves,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


@st.composite
def mutated(draw: st.DrawFn, base: dict) -> tuple[dict, bool]:
    """The base backup with 1-3 random places broken: replaced, removed, added to, doubled, emptied."""
    data = copy.deepcopy(base)
    replace = draw(st.booleans())
    if not replace:  # a new municipality: another name and no CBS code of one that exists
        data["municipality"]["name"], data["municipality"]["cbs_code"] = NEW_NAME, None
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(data)[1:]))
        parent, key = _at(data, path[:-1]), path[-1]
        action = draw(st.sampled_from(["gentle", "gentle", "replace", "remove", "add", "double", "empty"]))
        old = parent[key]
        if action == "gentle" and isinstance(old, str):  # text for text: often accepted, then checked
            parent[key] = draw(st.one_of(st.sampled_from(EVIL_TEXT), st.text(max_size=30)))
        elif action == "gentle" and isinstance(old, int | float) and not isinstance(old, bool):
            parent[key] = draw(st.one_of(st.floats(-1, 101), st.integers(-1, 10**8), st.sampled_from(HUGE_NUMBERS)))
        elif action in ("replace", "gentle"):
            parent[key] = draw(json_values)
        elif action == "remove":
            del parent[key]
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["extra", "<script>", "=1+1", "note", "id"]))] = draw(json_values)
        elif action == "add":
            parent.append(draw(json_values))
        elif action == "double" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
        elif action == "empty":
            parent[key] = draw(st.sampled_from([[], {}, "", 0, None]))
        else:
            parent[key] = copy.deepcopy(parent[key])
    return data, replace


def attempt(db: Copy, text: str, model: MaturityModel, replace: bool) -> str | None:
    """Import; on refusal check message and database and return None, else the new export."""
    before = db.snapshot()
    name = None
    # a refusal is caught inside the transaction, which then commits: nothing may have been written
    with db.factory.begin() as s:
        try:
            name = import_backup(session=s, text=text, model=model, replace=replace).name
        except InputError as exc:
            assert_dutch(exc.problems)
    if name is None:
        db.assert_unchanged(before)
        return None
    with db.factory() as s:
        found = find_municipality(session=s, name=name)
        assert found is not None
        return export_municipality(session=s, municipality_id=found.id, model=model)


def check_safe_import(exported: str, model: MaturityModel, tmp: Path) -> None:
    """What was accepted exports as a valid backup, and that imports again to the same export."""
    parse_backup(exported, model)  # raises when the export is not a valid backup itself
    data = json.loads(exported)
    assert all(math.isfinite(v) for v in _numbers(data)), "a number the backup cannot hold was stored"
    factory = make_sessionmaker(engine := make_engine(f"sqlite:///{tmp / 'again.sqlite'}"))
    try:
        with factory.begin() as s:
            again = import_backup(session=s, text=exported, model=model)
            again_id = again.id
        with factory() as s:
            assert export_municipality(session=s, municipality_id=again_id, model=model) == exported
    finally:
        engine.dispose()


def _numbers(value: Any) -> list[float]:
    if isinstance(value, bool):
        return []
    if isinstance(value, int | float):
        return [float(value)]
    if isinstance(value, dict):
        return [n for v in value.values() for n in _numbers(v)]
    if isinstance(value, list):
        return [n for v in value for n in _numbers(v)]
    return []


@fast(20)
@given(data=st.data())
def test_a_mutated_backup_is_refused_clearly_or_imported_safely(
    data: st.DataObject, base: dict, template: Template, model: MaturityModel
) -> None:
    backup, replace = data.draw(mutated(base))
    with template.copy() as db:
        exported = attempt(db, json.dumps(backup), model, replace)  # NaN and Infinity as JavaScript writes them
    event("refused" if exported is None else "imported")
    if exported is not None:
        with tempfile.TemporaryDirectory() as tmp:
            check_safe_import(exported, model, Path(tmp))


FREE_TEXT = {
    # where in the base file, and how the app normalises it (documented in wijkmodel/storage/inputs.py)
    ("municipality", "rounds", 0, "respondents", 0, "positions", 0, "note"): str.strip,
    ("municipality", "rounds", 0, "respondents", 0, "answers", 0, "note"): str.strip,
    ("municipality", "rounds", 0, "respondents", 0, "label"): lambda v: " ".join(v.split()),
    ("municipality", "rounds", 1, "core_choices", 0, "rationale"): str.strip,
    ("municipality", "rounds", 1, "label"): lambda v: " ".join(v.split()),
    ("municipality", "actions", 0, "description"): lambda v: " ".join(v.split()),
    ("municipality", "actions", 0, "owner"): lambda v: " ".join(v.split()),
    ("municipality", "history", 0, "subject"): lambda v: v,
    ("municipality", "history", 0, "new"): lambda v: v,
    ("municipality", "name"): lambda v: " ".join(v.split()),
}


@fast(15)
@given(
    where=st.sampled_from(sorted(FREE_TEXT, key=str)),
    text=st.one_of(st.sampled_from(EVIL_TEXT), st.text(max_size=40)),
)
def test_free_text_in_a_backup_is_refused_clearly_or_kept_exactly(
    where: tuple[str | int, ...], text: str, base: dict, template: Template, model: MaturityModel
) -> None:
    backup = copy.deepcopy(base)
    backup["municipality"]["cbs_code"] = None
    _at(backup, where[:-1])[where[-1]] = text
    if where != ("municipality", "name"):
        backup["municipality"]["name"] = NEW_NAME
    with template.copy() as db:
        exported = attempt(db, json.dumps(backup), model, replace=False)
    event("refused" if exported is None else "imported")
    if exported is None:
        return
    expected = FREE_TEXT[where](text)
    # a formula or HTML comes back as the very same plain text (no escaping, no cutting, no running)
    assert expected in _strings(json.loads(exported)), (where, text)


def _strings(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return {s for v in value.values() for s in _strings(v)}
    if isinstance(value, list):
        return {s for v in value for s in _strings(v)}
    return set()


@fast(25)
@given(
    payload=st.one_of(
        json_values,
        st.dictionaries(st.sampled_from(["format", "format_version", "model_version", "municipality"]), json_values),
        st.builds(
            lambda extra: {"format": "wijkmodel-backup", **extra}, st.dictionaries(st.text(max_size=8), json_values)
        ),
    ),
    raw=st.booleans(),
    noise=st.text(max_size=30),
)
def test_random_structures_are_refused_clearly(
    payload: object, raw: bool, noise: str, template: Template, model: MaturityModel
) -> None:
    text = noise if raw else json.dumps(payload)
    with template.copy() as db:
        assert attempt(db, text, model, replace=True) is None


def test_the_checks_can_fail(base: dict, template: Template, model: MaturityModel) -> None:
    """The comparison notices a change: a refusal after a write would not pass (no tautology)."""
    with template.copy() as db:
        before = db.snapshot()
        with db.factory.begin() as s:
            demo = find_municipality(session=s, name=DEMO_NAME)
            assert demo is not None
            add_wijk(session=s, municipality_id=demo.id, name="Extra")
        with pytest.raises(AssertionError):
            db.assert_unchanged(before)
    with pytest.raises(AssertionError):
        assert_dutch(["Op plek x: Input should be a valid integer."])
    with pytest.raises(AssertionError):
        assert_dutch([])
