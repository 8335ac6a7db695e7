"""Property-based tests of every form (issue 7, item 3): random text and numbers either give an
InputError with a Dutch message and change nothing, or save and read back exactly (only the
documented normalisation: spaces in names and labels, outer spaces of notes), with one history row
per real change.

Where the pages take free input (`grep -n "save(" app_pages/*.py`) and the function that saves it:

- ui/saving.py `save_answer_from` (Quickscan, Gesprek notes) -> store.save_answer(option_id, note)
- ui/context.py `respondent_picker` label -> store.get_or_create_respondent(role, label)
- startpositie.py -> store.save_position(position, note)
- start.py -> store.create_municipality(name, cbs_code), store.add_wijk / store.update_wijk
  (name, cbs_code, population), store.remove_wijk (no free input), store.create_round(label, date)
- instellingen.py -> store.save_settings(rule, theme_weight, population_weighted)
- streefwaarden.py -> targets.save_target(position, target_date), targets.set_energy(marked)
- plan.py -> core_choices.save_core_choice(option_id, rationale),
  action_plan.save_action(description, owner, start_date, end_date, status, action_id)
- wijkdata.py -> wijk_import.import_wijken(source, year) (tests/test_properties_wijk_import.py)
  and wijk_boundaries.save_boundaries (a file, no free text; not covered here)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from sqlalchemy import func, select

from tests.properties import EVIL_TEXT, LONG, Copy, Template, assert_dutch, fast
from wijkmodel.cycle.action_plan import STATUSES, save_action
from wijkmodel.cycle.core_choices import save_core_choice
from wijkmodel.cycle.targets import save_target, set_energy
from wijkmodel.model.schema import MaturityModel
from wijkmodel.storage.db import make_engine, make_sessionmaker
from wijkmodel.storage.inputs import InputError
from wijkmodel.storage.municipalities import create_municipality, save_settings
from wijkmodel.storage.responses import get_or_create_respondent, save_answer, save_position
from wijkmodel.storage.rounds import create_round
from wijkmodel.storage.tables import (
    Action,
    Answer,
    Change,
    CoreChoiceEntry,
    EnergyMark,
    Municipality,
    Respondent,
    Round,
    Target,
    ThemePosition,
    Unit,
)
from wijkmodel.storage.wijken import add_wijk, update_wijk

texts = st.one_of(
    st.sampled_from(EVIL_TEXT),
    st.text(max_size=40),
    st.sampled_from([n - 1 for n in LONG] + LONG).map(lambda n: "é" * n),
    st.just("leeg"),  # the word the history uses for an empty value
)
numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(-1, 101),
    st.sampled_from([0.0, 5.0, 50.0, 100.0, 100.0000001, 1e-9, 50.00000001]),
)
dates = st.one_of(st.none(), st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))


def names(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, model: MaturityModel) -> Template:
    """A municipality with a wijk, a round and a respondent (ids 1: the database is fresh)."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    factory = make_sessionmaker(engine := make_engine(f"sqlite:///{path}"))
    with factory.begin() as s:
        m = create_municipality(session=s, name="Formstad")
        unit = add_wijk(session=s, municipality_id=m.id, name="Noord")
        round_ = create_round(session=s, municipality_id=m.id, label="2026", date=dt.date(2026, 1, 1))
        get_or_create_respondent(session=s, round_id=round_.id, unit_id=unit.id, role="lokaal team")
        assert (m.id, unit.id, round_.id) == (1, 2, 1)
    engine.dispose()
    return Template(path, model)


def changes(db: Copy) -> int:
    with db.factory() as s:
        return s.scalar(select(func.count()).select_from(Change)) or 0


def submit(db: Copy, action: Callable[..., object]) -> bool:
    """One save as the pages do it; on a refusal: Dutch message, database unchanged. True when saved.

    `action` takes the session (typed `...`: mypy cannot match a lambda that binds loop values as
    defaults to `Callable[[Session], object]`)."""
    before = db.snapshot()
    try:
        with db.factory.begin() as s:
            action(s)
    except InputError as exc:
        assert_dutch(exc.problems)
        db.assert_unchanged(before)
        return False
    return True


def _respondent(db: Copy) -> int:
    with db.factory() as s:
        respondent_id = s.scalar(select(Respondent.id))
    assert respondent_id is not None
    return respondent_id


@fast(10)
@given(steps=st.lists(st.tuples(st.one_of(st.none(), numbers), texts), min_size=1, max_size=2))
def test_slider_position_and_note(
    steps: list[tuple[float | None, str]], template: Template, model: MaturityModel
) -> None:
    theme = model.themes[0].id
    with template.copy() as db:
        rid = _respondent(db)
        old: tuple = (None, "")
        for position, note in steps:
            count = changes(db)
            if not submit(
                db,
                lambda s, position=position, note=note: save_position(
                    session=s, respondent_id=rid, theme_id=theme, position=position, note=note, model=model
                ),
            ):
                continue
            with db.factory() as s:
                row = s.scalar(select(ThemePosition).where(ThemePosition.theme_id == theme))
            assert row is not None and row.position == position and row.note == note.strip()
            new = (row.position, row.note)
            assert changes(db) - count == sum(a != b for a, b in zip(old, new, strict=True)), (old, new)
            old = new


@fast(10)
@given(option=st.integers(0, 6), notes=st.lists(texts, min_size=1, max_size=2))
def test_quickscan_answer_and_note(option: int, notes: list[str], template: Template, model: MaturityModel) -> None:
    question = model.quickscan.questions[0]
    options = [None, *model.answer_scores(question)]
    option_id = options[option % len(options)]
    with template.copy() as db:
        rid = _respondent(db)
        old_note = ""
        first = True
        for note in notes:
            count = changes(db)
            if not submit(
                db,
                lambda s, note=note: save_answer(
                    session=s, respondent_id=rid, question_id=question.id, option_id=option_id, note=note, model=model
                ),
            ):
                continue
            with db.factory() as s:
                row = s.scalar(select(Answer))
            assert row is not None and row.option_id == option_id and row.note == note.strip()
            expected = int(row.note != old_note) + int(first and option_id is not None)
            assert changes(db) - count == expected
            old_note, first = row.note, False


@fast(10)
@given(
    name=texts,
    code=st.one_of(st.none(), st.sampled_from(["WK000101", "wk000101", "WK1", "=1+1"])),
    population=st.one_of(st.none(), st.integers(-5, 10**8)),
    rename=texts,
)
def test_wijk_add_and_update(
    name: str, code: str | None, population: int | None, rename: str, template: Template
) -> None:
    with template.copy() as db:
        count = changes(db)
        if not submit(
            db, lambda s: add_wijk(session=s, municipality_id=1, name=name, cbs_code=code, population=population)
        ):
            return
        with db.factory() as s:
            unit = s.scalar(select(Unit).order_by(Unit.id.desc()))
        assert unit is not None and (unit.name, unit.cbs_code, unit.population) == (names(name), code, population)
        assert changes(db) - count == 1
        count = changes(db)
        if not submit(
            db, lambda s: update_wijk(session=s, unit_id=unit.id, name=rename, cbs_code=None, population=None)
        ):
            return
        with db.factory() as s:
            again = s.get(Unit, unit.id)
        assert again is not None and again.name == names(rename)
        real = int(names(rename) != unit.name) + int(code is not None) + int(population is not None)
        assert changes(db) - count == real


@fast(10)
@given(name=texts, code=st.one_of(st.none(), st.sampled_from(["GM0363", "GM036", "gm0363", "<b>"])))
def test_new_municipality(name: str, code: str | None, template: Template) -> None:
    with template.copy() as db:
        count = changes(db)
        if not submit(db, lambda s: create_municipality(session=s, name=name, cbs_code=code)):
            return
        with db.factory() as s:
            row = s.scalar(select(Municipality).order_by(Municipality.id.desc()))
        assert row is not None and (row.name, row.cbs_code) == (names(name), code) and changes(db) - count == 1


@fast(10)
@given(label=texts, date=st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_new_round(label: str, date: dt.date, template: Template) -> None:
    with template.copy() as db:
        count = changes(db)
        if not submit(db, lambda s: create_round(session=s, municipality_id=1, label=label, date=date)):
            return
        with db.factory() as s:
            row = s.scalar(select(Round).order_by(Round.id.desc()))
        assert row is not None and (row.label, row.date) == (names(label), date) and changes(db) - count == 1


@fast(10)
@given(label=texts)
def test_respondent_label(label: str, template: Template) -> None:
    with template.copy() as db:
        if not submit(
            db, lambda s: get_or_create_respondent(session=s, round_id=1, unit_id=2, role="inwoner/jeugd", label=label)
        ):
            return
        with db.factory() as s:
            row = s.scalar(select(Respondent).order_by(Respondent.id.desc()))
        assert row is not None and row.label == names(label)


@fast(10)
@given(
    rule=st.one_of(st.sampled_from(["gemiddelde", "mediaan", "zwakste schakel"]), texts),
    weight=numbers.map(lambda v: v / 100),
    weighted=st.booleans(),
)
def test_settings(rule: str, weight: float, weighted: bool, template: Template) -> None:
    with template.copy() as db:
        count = changes(db)
        if not submit(
            db,
            lambda s: save_settings(
                session=s, municipality_id=1, rule=rule, theme_weight=weight, population_weighted=weighted
            ),
        ):
            return
        with db.factory() as s:
            row = s.get(Municipality, 1)
        assert row is not None and (row.overall_rule, row.theme_weight, row.population_weighted) == (
            rule,
            weight,
            weighted,
        )
        real = int(rule != "gemiddelde") + int(weight != 0.5) + int(weighted)
        assert changes(db) - count == real


@fast(10)
@given(
    steps=st.lists(st.tuples(st.one_of(st.none(), numbers), dates), min_size=1, max_size=2),
    energy=st.lists(st.booleans(), max_size=3),
)
@example(steps=[(0.0, None), (-0.0, None)], energy=[])  # a random run found 0 -> -0 kept as a change
def test_targets_and_energy(
    steps: list[tuple[float | None, dt.date | None]], energy: list[bool], template: Template, model: MaturityModel
) -> None:
    item = model.themes[1].id
    with template.copy() as db:
        old: tuple = (None, None)
        for position, day in steps:
            count = changes(db)
            if not submit(
                db,
                lambda s, position=position, day=day: save_target(
                    session=s, unit_id=2, item_id=item, position=position, target_date=day, model=model
                ),
            ):
                continue
            with db.factory() as s:
                row = s.scalar(select(Target))
            new = (None, None) if row is None else (row.position, row.target_date)
            assert new == ((None, None) if position is None else (position, day))
            assert changes(db) - count == int(new != old)
            old = new
        marked = False
        for on in energy:
            count = changes(db)
            assert submit(db, lambda s, on=on: set_energy(session=s, unit_id=2, theme_id=item, marked=on, model=model))
            with db.factory() as s:
                assert (s.scalar(select(func.count()).select_from(EnergyMark)) == 1) == on
            assert changes(db) - count == int(on != marked)
            marked = on


@fast(10)
@given(option=st.integers(0, 5), rationales=st.lists(texts, min_size=1, max_size=2))
def test_core_choice_rationale(option: int, rationales: list[str], template: Template, model: MaturityModel) -> None:
    choice = model.core_choices[0]
    options = [None, *(o.id for o in choice.options)]
    option_id = options[option % len(options)]
    with template.copy() as db:
        old, first = "", True
        for rationale in rationales:
            count = changes(db)
            if not submit(
                db,
                lambda s, rationale=rationale: save_core_choice(
                    session=s, round_id=1, choice_id=choice.id, option_id=option_id, rationale=rationale, model=model
                ),
            ):
                continue
            with db.factory() as s:
                row = s.scalar(select(CoreChoiceEntry))
            assert row is not None and row.option_id == option_id and row.rationale == rationale.strip()
            assert changes(db) - count == int(row.rationale != old) + int(first and option_id is not None)
            old, first = row.rationale, False


@fast(10)
@given(
    description=texts,
    owner=texts,
    start=dates,
    end=dates,
    status=st.one_of(st.sampled_from(STATUSES), texts),
    new_owner=texts,
)
def test_action(
    description: str,
    owner: str,
    start: dt.date | None,
    end: dt.date | None,
    status: str,
    new_owner: str,
    template: Template,
    model: MaturityModel,
) -> None:
    theme = model.themes[0].id
    with template.copy() as db:
        count = changes(db)
        fields: dict[str, Any] = {
            "unit_id": 2,
            "theme_id": theme,
            "description": description,
            "owner": owner,
            "start_date": start,
            "end_date": end,
            "status": status,
            "model": model,
        }
        saved = submit(db, lambda s: save_action(session=s, **fields))
        if not saved:
            return
        with db.factory() as s:
            row = s.scalar(select(Action))
        assert row is not None
        assert (row.description, row.owner, row.start_date, row.end_date, row.status) == (
            names(description),
            names(owner),
            start,
            end,
            status,
        )
        assert changes(db) - count == 1
        count = changes(db)
        if not submit(db, lambda s: save_action(session=s, **{**fields, "owner": new_owner, "action_id": row.id})):
            return
        with db.factory() as s:
            again = s.get(Action, row.id)
        assert again is not None and again.owner == names(new_owner)
        assert changes(db) - count == int(names(new_owner) != row.owner)
