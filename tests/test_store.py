"""Storage: saves and refusals that change nothing, on SQLite and PostgreSQL; SQLite's pragmas.

Every test with a database runs twice, `[sqlite]` and `[postgresql]` (BOTH_DATABASES in
conftest.py), except those marked `sqlite_only`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import Engine

from wijkmodel.model.schema import MaturityModel
from wijkmodel.storage.db import Sessions, database_url, make_engine
from wijkmodel.storage.frames import load_frames
from wijkmodel.storage.inputs import InputError
from wijkmodel.storage.municipalities import NewMunicipality, create_municipalities, create_municipality
from wijkmodel.storage.responses import get_or_create_respondent, save_answer, save_position
from wijkmodel.storage.rounds import create_round
from wijkmodel.storage.tables import Answer, Change, Municipality, ThemePosition, Unit, ZetEvaluation
from wijkmodel.storage.wijken import add_wijk, units


@pytest.mark.sqlite_only("PRAGMA journal_mode, busy_timeout and foreign_keys are SQLite settings")
def test_sqlite_runs_with_wal_busy_timeout_and_foreign_keys(engine: Engine) -> None:
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar_one() >= 5000
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_database_url_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIJKMODEL_DATABASE_URL", "postgresql+psycopg://u@localhost/x")
    assert database_url() == "postgresql+psycopg://u@localhost/x"
    monkeypatch.delenv("WIJKMODEL_DATABASE_URL")
    assert database_url().startswith("sqlite:///") and database_url().endswith("var/wijkmodel.sqlite")


def _setup(factory: Sessions, model: MaturityModel) -> tuple[int, int, int, int]:
    with factory.begin() as s:
        m = create_municipality(session=s, name="Testdorp", cbs_code="GM9999")
        wijk = add_wijk(session=s, municipality_id=m.id, name="Centrum", cbs_code="WK999901", population=1200)
        r = create_round(session=s, municipality_id=m.id, label="2026", date=dt.date(2026, 1, 1))
        resp = get_or_create_respondent(session=s, round_id=r.id, unit_id=wijk.id, role="lokaal team")
        return m.id, wijk.id, r.id, resp.id


def test_a_municipality_has_its_unit_as_a_whole(factory: Sessions, model: MaturityModel) -> None:
    mid, *_ = _setup(factory, model)
    with factory() as s:
        kinds = [(u.kind, u.name) for u in units(session=s, municipality_id=mid)]
    assert kinds == [("gemeente", "Gemeente als geheel"), ("wijk", "Centrum")]


def test_positions_and_answers_round_trip_with_model_version(factory: Sessions, model: MaturityModel) -> None:
    mid, _, _, rid = _setup(factory, model)
    with factory.begin() as s:
        save_position(session=s, respondent_id=rid, theme_id="lokale_teams", position=65, model=model, note="Omdat...")
        save_answer(session=s, respondent_id=rid, question_id="BF2-Q4", option_id="beperkt", model=model, note="x")
    with factory.begin() as s:  # a second save overwrites, it does not add a row
        save_position(session=s, respondent_id=rid, theme_id="lokale_teams", position=70, model=model)
    with factory() as s:
        rows = s.scalars(select(ThemePosition)).all()
        assert [(p.theme_id, p.position, p.model_version) for p in rows] == [("lokale_teams", 70.0, model.version)]
        answer = s.scalars(select(Answer)).one()
        assert (answer.option_id, answer.note, answer.model_version) == ("beperkt", "x", model.version)
        frames = load_frames(session=s, municipality_id=mid)
    assert frames.positions[["theme", "position"]].values.tolist() == [["lokale_teams", 70.0]]
    assert frames.answers[["question", "option"]].values.tolist() == [["BF2-Q4", "beperkt"]]


def test_the_same_respondent_is_found_again(factory: Sessions, model: MaturityModel) -> None:
    _, wid, round_id, rid = _setup(factory, model)
    with factory.begin() as s:
        again = get_or_create_respondent(session=s, round_id=round_id, unit_id=wid, role="lokaal team")
        other = get_or_create_respondent(session=s, round_id=round_id, unit_id=wid, role="inwoner/jeugd")
    assert again.id == rid and other.id != rid


BAD_SAVES = [
    ("position", {"theme_id": "lokale_teams", "position": 101}, "tussen 0 en 100"),
    ("position", {"theme_id": "lokale_teams", "position": -5}, "tussen 0 en 100"),
    ("position", {"theme_id": "onbekend", "position": 50}, "onbekend thema"),
    ("position", {"theme_id": "lokale_teams", "position": 50, "note": "x" * 6000}, "te lang"),
    ("position", {"theme_id": "lokale_teams", "position": 50, "note": "a\x00b"}, "stuurtekens"),
    ("answer", {"question_id": "BF9-Q1", "option_id": "ja"}, "onbekende vraag"),
    ("answer", {"question_id": "BF1-Q1", "option_id": "misschien"}, "onbekend antwoord"),
]


@pytest.mark.parametrize(("kind", "kwargs", "message"), BAD_SAVES)
def test_a_bad_save_is_refused_and_changes_nothing(
    factory: Sessions, model: MaturityModel, kind: str, kwargs: dict[str, Any], message: str
) -> None:
    _, _, _, rid = _setup(factory, model)
    with factory.begin() as s:
        save_position(session=s, respondent_id=rid, theme_id="lokale_teams", position=40, model=model, note="voor")
        save_answer(session=s, respondent_id=rid, question_id="BF1-Q1", option_id="nee", model=model)
    save = save_position if kind == "position" else save_answer
    # the refusal is caught inside the transaction, which then commits
    with factory.begin() as s, pytest.raises(InputError, match=message):
        save(session=s, respondent_id=rid, model=model, **kwargs)
    with factory() as s:
        assert [(p.position, p.note) for p in s.scalars(select(ThemePosition))] == [(40.0, "voor")]
        assert [a.option_id for a in s.scalars(select(Answer))] == ["nee"]


@pytest.mark.parametrize("kind", ["position", "answer"])
def test_a_save_for_an_unknown_respondent_is_refused_before_writing(
    factory: Sessions, model: MaturityModel, kind: str
) -> None:
    _setup(factory, model)
    with factory.begin() as s, pytest.raises(InputError, match="bestaat niet"):
        if kind == "position":
            save_position(session=s, respondent_id=999, theme_id="lokale_teams", position=50, model=model)
        else:
            save_answer(session=s, respondent_id=999, question_id="BF1-Q1", option_id="ja", model=model)
    with factory() as s:
        assert s.scalar(select(func.count()).select_from(ThemePosition)) == 0
        assert s.scalar(select(func.count()).select_from(Answer)) == 0


def test_a_respondent_for_a_wijk_of_another_municipality_is_refused(factory: Sessions, model: MaturityModel) -> None:
    from wijkmodel.storage.tables import Respondent

    _, _, round_id, _ = _setup(factory, model)
    with factory.begin() as s:
        other = create_municipality(session=s, name="Elders")
        elsewhere = add_wijk(session=s, municipality_id=other.id, name="Daar")
        elsewhere_id = elsewhere.id
    with factory.begin() as s, pytest.raises(InputError, match="niet bij dezelfde gemeente"):
        get_or_create_respondent(session=s, round_id=round_id, unit_id=elsewhere_id, role="gemeente")
    with factory() as s:
        assert s.scalar(select(func.count()).select_from(Respondent)) == 1


BAD_NAMES = [
    ("", "mag niet leeg zijn"),
    ("   ", "mag niet leeg zijn"),
    ("x" * 201, "te lang"),
    ("Centrum", "al een wijk"),
    ("centrum ", "al een wijk"),
    ("tab\x07bel", "stuurtekens"),
]


@pytest.mark.parametrize(("name", "message"), BAD_NAMES)
def test_bad_wijk_names_are_refused(factory: Sessions, model: MaturityModel, name: str, message: str) -> None:
    mid, *_ = _setup(factory, model)
    with factory.begin() as s, pytest.raises(InputError, match=message):
        add_wijk(session=s, municipality_id=mid, name=name)
    with factory() as s:
        assert s.scalar(select(func.count()).select_from(Unit)) == 2


@pytest.mark.parametrize("name", ["<script>alert(1)</script>", '=HYPERLINK("x")', 'Wijk & Co\'s "buurt"'])
def test_odd_names_are_kept_as_plain_text(factory: Sessions, model: MaturityModel, name: str) -> None:
    mid, *_ = _setup(factory, model)
    with factory.begin() as s:
        add_wijk(session=s, municipality_id=mid, name=name)
    with factory() as s:
        assert name in [u.name for u in units(session=s, municipality_id=mid)]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "Testdorp"}, "bestaat al"),
        ({"name": "Ander", "cbs_code": "GM12"}, "GM"),
        ({"name": "Ander", "cbs_code": "GM9999"}, "al in gebruik"),
    ],
)
def test_bad_municipalities_are_refused(
    factory: Sessions, model: MaturityModel, kwargs: dict[str, Any], message: str
) -> None:
    _setup(factory, model)
    with pytest.raises(InputError, match=message), factory.begin() as s:
        create_municipality(session=s, **kwargs)
    with factory() as s:
        assert s.scalar(select(func.count()).select_from(Municipality)) == 1


def test_many_municipalities_are_made_together_or_not_at_all(factory: Sessions, model: MaturityModel) -> None:
    _setup(factory, model)  # Testdorp, GM9999
    wanted = [
        NewMunicipality("Noord", "GM0001", label="rij 2"),
        NewMunicipality("  noord ", "GM0002", label="rij 3"),  # the same name, once spaces and case are set aside
        NewMunicipality("Zuid", "GM9999", label="rij 4"),
        NewMunicipality("Oost", "GM12", label="rij 5"),
        NewMunicipality("Testdorp", None, label="rij 6"),
    ]
    with factory.begin() as s:
        with pytest.raises(InputError) as caught:
            create_municipalities(session=s, wanted=wanted)
        # nothing added to the session either (a query flushes whatever is waiting)
        assert s.scalar(select(func.count()).select_from(Municipality)) == 1
    problems = caught.value.problems
    assert [p.split(":")[0] for p in problems] == ["rij 3", "rij 4", "rij 5", "rij 6"]
    assert "Gemeente 'noord' bestaat al." in problems[0] and "GM9999 is al in gebruik" in problems[1]
    with factory() as s:
        assert s.scalar(select(func.count()).select_from(Municipality)) == 1
    with factory.begin() as s:
        made = create_municipalities(session=s, wanted=[wanted[0], NewMunicipality("Zuid", "GM0003")])
        assert [(m.name, m.cbs_code, [u.name for u in m.units]) for m in made] == [
            ("Noord", "GM0001", ["Gemeente als geheel"]),
            ("Zuid", "GM0003", ["Gemeente als geheel"]),
        ]
    with factory() as s:
        kept = s.execute(select(Change.subject, Change.new).where(Change.kind == "gemeente").order_by(Change.id)).all()
        assert kept[-2:] == [("Noord", "aangemaakt"), ("Zuid", "aangemaakt")]


def test_a_duplicate_round_label_is_refused(factory: Sessions, model: MaturityModel) -> None:
    mid, *_ = _setup(factory, model)
    with pytest.raises(InputError, match="al een ronde"), factory.begin() as s:
        create_round(session=s, municipality_id=mid, label="2026", date=dt.date(2026, 2, 2))


def test_removing_a_municipality_removes_everything_under_it(factory: Sessions, model: MaturityModel) -> None:
    from wijkmodel.storage.municipalities import delete_municipality

    mid, _, _, rid = _setup(factory, model)
    with factory.begin() as s:
        save_position(session=s, respondent_id=rid, theme_id="lokale_teams", position=65, model=model)
    with factory.begin() as s:
        delete_municipality(session=s, municipality_id=mid)
    with factory() as s:
        assert s.scalar(select(func.count()).select_from(ThemePosition)) == 0
        assert s.scalar(select(func.count()).select_from(Unit)) == 0


def test_make_engine_creates_the_folder_of_the_sqlite_file(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'a' / 'b' / 'x.sqlite'}")
    engine.dispose()
    assert (tmp_path / "a" / "b" / "x.sqlite").exists()


def test_a_new_round_can_start_from_the_previous_one(factory: Sessions, model: MaturityModel) -> None:
    from wijkmodel.storage.responses import positions_of, respondents_of

    mid, wid, first_round, rid = _setup(factory, model)
    with factory.begin() as s:
        save_position(session=s, respondent_id=rid, theme_id="lokale_teams", position=65, model=model, note="n")
        save_answer(session=s, respondent_id=rid, question_id="BF1-Q1", option_id="ja", model=model)
        second = create_round(
            session=s, municipality_id=mid, label="2027", date=dt.date(2027, 1, 1), carry_over_from=first_round
        )
        second_id = second.id
    with factory.begin() as s:
        (copy,) = respondents_of(session=s, round_id=second_id, unit_id=wid)
        carried = positions_of(session=s, respondent_id=copy.id)["lokale_teams"]
        assert (carried.position, carried.note, carried.carried_over) == (65.0, "n", True)
        save_position(session=s, respondent_id=copy.id, theme_id="lokale_teams", position=70, model=model)
        assert positions_of(session=s, respondent_id=copy.id)["lokale_teams"].carried_over is False
        # the first round keeps its own value
        assert positions_of(session=s, respondent_id=rid)["lokale_teams"].position == 65.0


def test_carrying_over_from_another_municipality_is_refused(factory: Sessions, model: MaturityModel) -> None:
    _, _, round_id, _ = _setup(factory, model)
    with factory.begin() as s:
        other = create_municipality(session=s, name="Elders")
        other_id = other.id
    with pytest.raises(InputError, match="hoort niet bij deze gemeente"), factory.begin() as s:
        create_round(session=s, municipality_id=other_id, label="x", date=dt.date(2026, 1, 1), carry_over_from=round_id)


def test_rename_and_remove_a_wijk_saying_what_is_lost(factory: Sessions, model: MaturityModel) -> None:
    from wijkmodel.storage.wijken import remove_wijk, update_wijk, wijk_contents
    from wijkmodel.storage.zet import save_zet

    mid, wid, round_id, rid = _setup(factory, model)
    with factory.begin() as s:
        add_wijk(session=s, municipality_id=mid, name="Noord")
        save_position(session=s, respondent_id=rid, theme_id="lokale_teams", position=65, model=model, note="n")
        save_answer(session=s, respondent_id=rid, question_id="BF1-Q1", option_id="ja", model=model)
        save_zet(session=s, round_id=round_id, unit_id=wid, basic_function="BF2", model=model, value=60.0)
    with pytest.raises(InputError, match="al een wijk"), factory.begin() as s:
        update_wijk(session=s, unit_id=wid, name="noord")
    with factory.begin() as s:
        update_wijk(session=s, unit_id=wid, name="Centrum-Oost", population=1500)
        contents = wijk_contents(session=s, unit_id=wid)
    assert (contents.respondents, contents.positions, contents.answers, contents.notes, contents.rounds) == (
        1,
        1,
        1,
        1,
        1,
    )
    assert contents.zet == 1
    with factory.begin() as s:
        remove_wijk(session=s, unit_id=wid)
    with factory() as s:
        assert [u.name for u in units(session=s, municipality_id=mid)] == ["Gemeente als geheel", "Noord"]
        assert s.scalar(select(func.count()).select_from(ThemePosition)) == 0
        assert s.scalar(select(func.count()).select_from(ZetEvaluation)) == 0
        said = s.scalar(select(Change.new).where(Change.kind == "wijk", Change.old == "bestond"))
    assert said == "verwijderd, met 1 schuifjes, 1 antwoorden en 1 ZET-uitkomsten"


def test_the_municipality_as_a_whole_cannot_be_removed(factory: Sessions, model: MaturityModel) -> None:
    from wijkmodel.storage.wijken import remove_wijk

    mid, *_ = _setup(factory, model)
    with factory() as s:
        whole = units(session=s, municipality_id=mid)[0]
    with pytest.raises(InputError, match="bestaat niet"), factory.begin() as s:
        remove_wijk(session=s, unit_id=whole.id)


@pytest.mark.parametrize(
    ("rule", "weight", "ok"),
    [("mediaan", 0.3, True), ("zwakste schakel", 1.0, True), ("maximum", 0.5, False), ("gemiddelde", 1.2, False)],
)
def test_settings_are_stored_per_municipality(
    factory: Sessions, model: MaturityModel, rule: str, weight: float, ok: bool
) -> None:
    from wijkmodel.storage.municipalities import save_settings, settings_of

    mid, *_ = _setup(factory, model)
    if ok:
        with factory.begin() as s:
            save_settings(session=s, municipality_id=mid, rule=rule, theme_weight=weight, population_weighted=True)
        with factory() as s:
            settings = settings_of(s.get_one(Municipality, mid))
        assert (settings.rule.value, settings.theme_weight, settings.population_weighted) == (rule, weight, True)
    else:
        with pytest.raises(InputError), factory.begin() as s:
            save_settings(session=s, municipality_id=mid, rule=rule, theme_weight=weight, population_weighted=True)
        with factory() as s:
            assert settings_of(s.get_one(Municipality, mid)).rule.value == "gemiddelde"


def test_every_save_raises_the_revision(factory: Sessions, model: MaturityModel) -> None:
    from wijkmodel.storage.municipalities import revision
    from wijkmodel.storage.wijken import update_wijk

    mid, wid, _, rid = _setup(factory, model)
    seen = []
    steps = [
        lambda s: save_position(session=s, respondent_id=rid, theme_id="lokale_teams", position=65, model=model),
        lambda s: save_answer(session=s, respondent_id=rid, question_id="BF1-Q1", option_id="ja", model=model),
        lambda s: update_wijk(session=s, unit_id=wid, name="Centrum 2"),
        lambda s: add_wijk(session=s, municipality_id=mid, name="Zuid"),
    ]
    for step in steps:
        with factory.begin() as s:
            step(s)
        with factory() as s:
            seen.append(revision(session=s, municipality_id=mid))
    assert seen == sorted(set(seen)) and len(seen) == len(steps)


def test_a_wijk_by_hand_past_the_wijk_limit_is_refused(factory: Sessions) -> None:
    from sqlalchemy import insert

    from wijkmodel.storage.limits import MAX_WIJKEN

    with factory.begin() as s:
        municipality_id = create_municipality(session=s, name="Grootstad").id
        s.execute(
            insert(Unit),
            [{"municipality_id": municipality_id, "kind": "wijk", "name": f"Wijk {n}"} for n in range(MAX_WIJKEN)],
        )
    with pytest.raises(InputError, match="Er kan geen wijk meer bij"), factory.begin() as s:
        add_wijk(session=s, municipality_id=municipality_id, name="Eén te veel")
    with factory() as s:
        assert len(units(session=s, municipality_id=municipality_id)) == MAX_WIJKEN + 1  # and the whole
