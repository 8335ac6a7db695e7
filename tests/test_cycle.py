"""The improvement cycle: deltas between rounds, gaps to targets, perspective differences,
priorities (table-driven), and the stored targets, choices, actions and their history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest
from sqlalchemy.orm import Session

from wijkmodel.analysis.perspectives import differences, role_scores, talking_points
from wijkmodel.analysis.progress import biggest_moves, round_changes, trend
from wijkmodel.cycle.action_plan import (
    APPROACH_ADVICE,
    CHANGE_APPROACH,
    NO_APPROACH,
    plan_table,
    priorities,
    save_action,
    start_reason,
)
from wijkmodel.cycle.core_choices import NOT_CHOSEN, core_choice_table, save_core_choice
from wijkmodel.cycle.targets import gaps, save_target, set_energy
from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.core import ScoringSettings, compute_profile
from wijkmodel.storage.analysis_mark import AnalysisMark, analysis_mark, save_analysis_mark
from wijkmodel.storage.conflicts import Conflict
from wijkmodel.storage.db import Sessions
from wijkmodel.storage.frames import load_frames
from wijkmodel.storage.history import EMPTY, history
from wijkmodel.storage.inputs import InputError
from wijkmodel.storage.municipalities import create_municipality
from wijkmodel.storage.responses import get_or_create_respondent, save_answer, save_position
from wijkmodel.storage.rounds import create_round
from wijkmodel.storage.wijken import add_wijk

NAN = np.nan
THEMES = [
    "visie_inspiratie",
    "lokale_teams",
    "opdrachtgeverschap",
    "samenwerking_wijk",
    "gemeentelijke_organisatie",
    "taal_gedrag",
]


def _items(rows: list[tuple[int, int, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["unit", "round", "item", "score"])


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # unit, round, item, score  →  (unit, item, before, after, delta)
        ([(1, 10, "a", 40.0), (1, 20, "a", 70.0)], [(1, "a", 40.0, 70.0, 30.0)]),
        ([(1, 10, "a", 80.0), (1, 20, "a", 55.0)], [(1, "a", 80.0, 55.0, -25.0)]),
        ([(1, 20, "a", 55.0)], [(1, "a", NAN, 55.0, NAN)]),  # new in the later round
        ([(1, 10, "a", 55.0)], [(1, "a", 55.0, NAN, NAN)]),  # not assessed again
        ([(1, 10, "a", 10.0), (1, 30, "a", 90.0)], [(1, "a", 10.0, NAN, NAN)]),  # round 30 not chosen
        ([(1, 10, "a", NAN), (1, 20, "a", NAN)], []),  # never scored: left out
    ],
)
def test_round_changes(
    rows: list[tuple[int, int, str, float]], expected: list[tuple[int, str, float, float, float]]
) -> None:
    out = round_changes(_items(rows), before=10, after=20)
    got = [(r.unit, r.item, r.before, r.after, r.delta) for r in out.itertuples()]
    assert len(got) == len(expected)
    for g, e in zip(got, expected, strict=True):
        assert g[:2] == e[:2]
        np.testing.assert_allclose(g[2:], e[2:])


def test_phase_before_and_after_follow_the_bands() -> None:
    out = round_changes(_items([(1, 10, "a", 24.9), (1, 20, "a", 25.0)]), before=10, after=20)
    assert (out.loc[0, "phase_before"], out.loc[0, "phase_after"]) == (1, 2)


def test_biggest_moves_lists_rises_and_falls_apart() -> None:
    changes = round_changes(
        _items(
            [
                (u, r, "a", s)
                for u, (b, a) in enumerate([(10, 60), (50, 40), (30, 35), (70, 20)])
                for r, s in ((1, b), (2, a))
            ]
        ),
        before=1,
        after=2,
    )
    rose, fell = biggest_moves(changes, n=2)
    assert list(rose["unit"]) == [0, 2] and list(rose["delta"]) == [50, 5]
    assert list(fell["unit"]) == [3, 1] and list(fell["delta"]) == [-50, -10]


@pytest.mark.parametrize(
    ("score", "target", "gap", "phase_gap", "reached"),
    [
        (40.0, 75.0, 35.0, 2.0, False),
        (80.0, 75.0, -5.0, 0.0, True),
        (75.0, 75.0, 0.0, 0.0, True),
        (NAN, 50.0, NAN, NAN, False),
        (24.0, 25.0, 1.0, 1.0, False),
    ],
)
def test_gap_to_target(
    model: MaturityModel, score: float, target: float, gap: float, phase_gap: float, reached: bool
) -> None:
    items = _items([(1, 7, "visie_inspiratie", score)])
    targets = pd.DataFrame({"unit": [1], "item": ["visie_inspiratie"], "target": [target], "target_date": [None]})
    out = gaps(items, targets, unit_id=1, round_id=7, model=model)
    row = out.iloc[0]
    np.testing.assert_allclose([row["gap"], row["phase_gap"]], [gap, phase_gap])
    assert bool(row["reached"]) is reached


def test_gaps_are_listed_largest_first_and_unscored_last(model: MaturityModel) -> None:
    items = _items([(1, 7, "visie_inspiratie", 70.0), (1, 7, "lokale_teams", 20.0), (1, 7, "BF2", 50.0)])
    targets = pd.DataFrame(
        {
            "unit": [1, 1, 1, 1, 2],
            "item": ["visie_inspiratie", "lokale_teams", "BF2", "taal_gedrag", "BF2"],
            "target": [75.0, 60.0, 60.0, 50.0, 99.0],
            "target_date": [None] * 5,
        }
    )
    out = gaps(items, targets, unit_id=1, round_id=7, model=model)
    assert list(out["item"]) == ["lokale_teams", "BF2", "visie_inspiratie", "taal_gedrag"]


@pytest.mark.parametrize(
    ("scores", "low_role", "high_role", "spread", "flagged"),
    [
        ({"gemeente": 80.0, "lokaal team": 60.0, "inwoner/jeugd": 30.0}, "inwoner/jeugd", "gemeente", 50.0, True),
        ({"gemeente": 50.0, "lokaal team": 74.0}, "gemeente", "lokaal team", 24.0, False),
        ({"gemeente": 50.0, "lokaal team": 75.0}, "gemeente", "lokaal team", 25.0, True),
        ({"gemeente": 50.0, "lokaal team": NAN}, "", "", NAN, False),  # one role cannot differ
    ],
)
def test_perspective_differences(
    model: MaturityModel, scores: dict[str, float], low_role: str, high_role: str, spread: float, flagged: bool
) -> None:
    table = pd.DataFrame([scores], index=pd.Index(["visie_inspiratie"], name="item"))
    row = differences(table, model).iloc[0]
    assert (row["low_role"], row["high_role"], bool(row["flagged"])) == (low_role, high_role, flagged)
    np.testing.assert_allclose(row["spread"], spread)
    assert len(talking_points(differences(table, model))) == int(flagged)


def test_role_scores_score_each_role_once(model: MaturityModel) -> None:
    respondents = pd.DataFrame(
        {
            "respondent": [1, 2, 3, 4],
            "unit": [5, 5, 5, 6],
            "round": [9, 9, 9, 9],
            "role": ["gemeente", "gemeente", "inwoner/jeugd", "gemeente"],
        }
    )
    positions = pd.DataFrame(
        {
            "respondent": [1, 2, 3, 4],
            "theme": ["visie_inspiratie"] * 4,
            "position": [80.0, 60.0, 20.0, 0.0],
            "note": [""] * 4,
        }
    )
    answers = pd.DataFrame(columns=["respondent", "question", "option", "note"])
    scores = role_scores(respondents, positions, answers, unit_id=5, round_id=9, model=model)
    assert list(scores.columns) == ["gemeente", "inwoner/jeugd"]
    assert scores.loc["visie_inspiratie"].tolist() == [70.0, 20.0]  # the other wijk's 0 does not count


@pytest.mark.parametrize(
    ("scores", "targets", "energy", "first"),
    [
        ({"visie_inspiratie": 10.0}, {}, set(), "visie_inspiratie"),  # the only placed theme first; unplaced last
        (
            dict.fromkeys(
                [
                    "visie_inspiratie",
                    "lokale_teams",
                    "opdrachtgeverschap",
                    "samenwerking_wijk",
                    "gemeentelijke_organisatie",
                    "taal_gedrag",
                ],
                50.0,
            ),
            {"taal_gedrag": 90.0},
            set(),
            "taal_gedrag",
        ),
        (
            dict.fromkeys(
                [
                    "visie_inspiratie",
                    "lokale_teams",
                    "opdrachtgeverschap",
                    "samenwerking_wijk",
                    "gemeentelijke_organisatie",
                    "taal_gedrag",
                ],
                50.0,
            ),
            {},
            {"samenwerking_wijk"},
            "samenwerking_wijk",
        ),
    ],
)
def test_priorities(
    model: MaturityModel, scores: dict[str, float], targets: dict[str, float], energy: set[str], first: str
) -> None:
    out = priorities(pd.Series(scores, dtype=float), pd.Series(targets, dtype=float), energy, model)
    assert out.iloc[0]["theme"] == first
    assert len(out) == 6


def test_priorities_order_the_four_groups(model: MaturityModel) -> None:
    scores = {"visie_inspiratie": 80.0, "lokale_teams": 30.0, "opdrachtgeverschap": 60.0, "samenwerking_wijk": 20.0}
    targets = {"visie_inspiratie": 70.0, "opdrachtgeverschap": 70.0, "taal_gedrag": 90.0}
    out = priorities(pd.Series(scores), pd.Series(targets), {"taal_gedrag"}, model)
    assert list(out["theme"]) == [
        "opdrachtgeverschap",  # 10 under target
        "samenwerking_wijk",  # no target, lowest
        "lokale_teams",
        "visie_inspiratie",  # target reached
        "gemeentelijke_organisatie",  # not placed: model order (energy cannot lift what is not placed)
        "taal_gedrag",
    ]
    assert list(out["group"]) == [1, 2, 2, 3, 4, 4]


BELOW = {"visie_inspiratie": 20.0, "lokale_teams": 40.0, "opdrachtgeverschap": 30.0, "samenwerking_wijk": 60.0}
"""Four placed themes, each below the target of 70 below (gaps 50, 30, 40, 10)."""


@pytest.mark.parametrize(
    ("energy", "order"),
    [
        # no energy: largest gap first
        (set(), ["visie_inspiratie", "opdrachtgeverschap", "lokale_teams", "samenwerking_wijk"]),
        # the seed: choose the themes where the energy is, so they come first among those below target
        ({"samenwerking_wijk"}, ["samenwerking_wijk", "visie_inspiratie", "opdrachtgeverschap", "lokale_teams"]),
        # two with energy: among them, largest gap first
        (
            {"samenwerking_wijk", "lokale_teams"},
            ["lokale_teams", "samenwerking_wijk", "visie_inspiratie", "opdrachtgeverschap"],
        ),
        # energy in a theme without a target does not jump over the themes below target
        ({"taal_gedrag"}, ["visie_inspiratie", "opdrachtgeverschap", "lokale_teams", "samenwerking_wijk"]),
    ],
)
def test_themes_with_energy_come_first_among_those_below_target(
    model: MaturityModel, energy: set[str], order: list[str]
) -> None:
    scores = BELOW | {"taal_gedrag": 10.0}
    targets = dict.fromkeys(BELOW, 70.0)
    out = priorities(pd.Series(scores), pd.Series(targets), energy, model)
    below = out[out["group"] == 1]
    assert list(below["theme"]) == order
    assert list(out["theme"][:4]) == order  # the themes below target lead the suggestion


@pytest.mark.parametrize(
    ("option", "energy", "expected"),
    [
        ("evolutionair", {"samenwerking_wijk"}, ["Samenwerking in de wijk", "hier zit energie in", "evolutionaire"]),
        ("revolutionair", set(), ["Visie en inspiratie", "50 punten onder de streefwaarde", "revolutionaire"]),
        (None, set(), ["Visie en inspiratie", "Kies ook de veranderkundige visie"]),
    ],
)
def test_the_start_reason_names_the_change_approach_of_the_round(
    model: MaturityModel, option: str | None, energy: set[str], expected: list[str]
) -> None:
    advice = priorities(pd.Series(BELOW), pd.Series(dict.fromkeys(BELOW, 70.0)), energy, model)
    choices = pd.DataFrame(
        [
            {"round": 7, "choice": CHANGE_APPROACH, "option": option, "rationale": ""},
            {"round": 8, "choice": CHANGE_APPROACH, "option": "revolutionair", "rationale": ""},  # another round
        ],
    )
    reason = start_reason(advice, choices, 7)
    for words in expected:
        assert words in reason
    if option is None:
        assert reason.endswith(NO_APPROACH)


def test_every_change_approach_has_its_advice(model: MaturityModel) -> None:
    assert set(APPROACH_ADVICE) == {o.id for o in model.core_choice(CHANGE_APPROACH).options}


# --- storage and history -----------------------------------------------------------------------


Setup = tuple[Sessions, int, int, int, int]  # the factory, a municipality, its wijk, its round, a respondent


@pytest.fixture
def setup(factory: Sessions, model: MaturityModel) -> Setup:
    with factory.begin() as s:
        mid = create_municipality(session=s, name="Teststad").id
        wid = add_wijk(session=s, municipality_id=mid, name="Centrum").id
        rid = create_round(session=s, municipality_id=mid, label="2026", date=dt.date(2026, 1, 1)).id
        resp = get_or_create_respondent(session=s, round_id=rid, unit_id=wid, role="inwoner/jeugd").id
    return factory, mid, wid, rid, resp


def test_every_change_is_kept_with_when_who_and_old_new(setup: Setup, model: MaturityModel) -> None:
    factory, mid, wid, _rid, resp = setup
    for position in (40, 70, 70):  # the last save changes nothing and leaves no trace
        with factory.begin() as s:
            save_position(session=s, respondent_id=resp, theme_id="lokale_teams", position=position, model=model)
    with factory.begin() as s:
        save_answer(
            session=s, respondent_id=resp, question_id="BF1-Q1", option_id="ja", note="zie verslag", model=model
        )
    with factory() as s:
        mine = history(session=s, municipality_id=mid, unit_id=wid)
    sliders = mine[mine["kind"] == "schuifje"]
    assert list(zip(sliders["old"], sliders["new"], strict=True)) == [
        ("40 (fase 2)", "70 (fase 3)"),
        (EMPTY, "40 (fase 2)"),
    ]
    assert set(sliders["role"]) == {"inwoner/jeugd"} and set(sliders["round_label"]) == {"2026"}
    answers = mine[mine["kind"] == "antwoord"]
    assert answers["subject"].iloc[0].startswith("BF1-Q1: ") and len(answers["subject"].iloc[0]) > 20
    assert ("antwoord", answers["subject"].iloc[0], EMPTY, "Ja") in list(
        zip(mine["kind"], mine["subject"], mine["old"], mine["new"], strict=True)
    )
    assert "aantekening" in set(mine["kind"])


def test_targets_choices_actions_are_stored_and_traced(setup: Setup, model: MaturityModel) -> None:
    factory, mid, wid, rid, _ = setup
    with factory.begin() as s:
        save_target(session=s, unit_id=wid, item_id="BF2", position=60, target_date=dt.date(2027, 6, 30), model=model)
        set_energy(session=s, unit_id=wid, theme_id="taal_gedrag", marked=True, model=model)
        save_core_choice(
            session=s,
            round_id=rid,
            choice_id="veranderaanpak",
            option_id="evolutionair",
            rationale="Samen",
            model=model,
        )
        action = save_action(
            session=s, unit_id=wid, theme_id="taal_gedrag", description="Taalcafé", owner="Wijkteam", model=model
        )
    with factory.begin() as s:
        save_action(
            session=s,
            unit_id=wid,
            theme_id="taal_gedrag",
            description="Taalcafé",
            owner="Wijkteam",
            status="loopt",
            action_id=action.id,
            model=model,
        )
        save_target(session=s, unit_id=wid, item_id="BF2", position=None, model=model)
    with factory() as s:
        frames = load_frames(session=s, municipality_id=mid)
        log = history(session=s, municipality_id=mid)
    assert frames.targets.empty  # removed again
    assert list(frames.energy["theme"]) == ["taal_gedrag"]
    assert core_choice_table(frames.core_choices, rid, model)["Gekozen"].tolist() == [
        "Evolutionair, partners in de wijk bepalen het tempo",
        NOT_CHOSEN,
        NOT_CHOSEN,
    ]
    plan = plan_table(frames.actions, {wid: "Centrum"}, model)
    assert plan[["Actie", "Status", "Voor"]].values.tolist() == [["Taalcafé", "loopt", "Centrum"]]
    kinds = list(zip(log["kind"], log["old"], log["new"], strict=True))
    assert ("actie, status", "gepland", "loopt") in kinds
    assert ("streefwaarde", "60 (fase 3) op 30-06-2027", EMPTY) in kinds
    assert ("kernkeuze", EMPTY, "Evolutionair, partners in de wijk bepalen het tempo") in kinds


@pytest.mark.parametrize(
    ("saves", "shown"),
    [
        # nothing chosen: core choice 2 (the conclusion) first, its follow-up (the role) under it
        ([], [NOT_CHOSEN, NOT_CHOSEN, NOT_CHOSEN]),
        # an older choice under the kept id `rol_toegangsteam` stays readable as the follow-up
        ([("rol_toegangsteam", "kloppend_hart")], [NOT_CHOSEN, NOT_CHOSEN, "Kloppend hart van de wijk"]),
        (
            [("toegangsteam_passend", "bijstellen"), ("rol_toegangsteam", "toegang_lichte_hulp")],
            [NOT_CHOSEN, "Moet worden bijgesteld", "Toegang en lichte hulp en ondersteuning"],
        ),
        ([("toegangsteam_passend", "passend")], [NOT_CHOSEN, "Passend", NOT_CHOSEN]),
    ],
)
def test_core_choice_two_records_the_conclusion_and_the_role_as_its_follow_up(
    setup: Setup, model: MaturityModel, saves: list[tuple[str, str]], shown: list[str]
) -> None:
    factory, mid, _, rid, _ = setup
    with factory.begin() as s:
        for choice_id, option_id in saves:
            save_core_choice(session=s, round_id=rid, choice_id=choice_id, option_id=option_id, model=model)
    with factory() as s:
        frames = load_frames(session=s, municipality_id=mid)
        log = history(session=s, municipality_id=mid)
    table = core_choice_table(frames.core_choices, rid, model)
    assert table["Kernkeuze"].tolist() == [
        "Veranderkundige visie",
        "Rol van het toegangsteam",
        "Rol die past bij de ambitie",
    ]
    assert table["Vraag"].tolist()[1:] == [
        "Is de huidige rol van het gemeentelijke toegangsteam passend bij de ambitie van wijkgericht werken?",
        "Welke rol past bij de ambitie?",
    ]
    assert table["Gekozen"].tolist() == shown
    assert len(log[log["kind"] == "kernkeuze"]) == len(saves)  # every choice is traced


@pytest.mark.parametrize(
    ("steps", "mark", "refused"),
    [
        ([{"note": "Gesprekken in de wijk"}], AnalysisMark(False, "Gesprekken in de wijk"), False),
        ([{"note": "Gesprekken in de wijk"}, {"done": True}], AnalysisMark(True, "Gesprekken in de wijk"), False),
        ([{"done": True, "note": "Rapport"}, {"done": False}], AnalysisMark(False, "Rapport"), False),
        ([{"done": True}], AnalysisMark(), True),  # done without a note: refused, nothing stored
        ([{"done": True, "note": "  "}], AnalysisMark(), True),
        ([{"done": True, "note": "Rapport"}, {"note": ""}], AnalysisMark(True, "Rapport"), True),  # note emptied
    ],
)
def test_step_1_is_marked_done_only_with_a_note(
    setup: Setup, model: MaturityModel, steps: list[dict], mark: AnalysisMark, refused: bool
) -> None:
    factory, mid, _, rid, _ = setup
    problems = []
    for fields in steps:
        try:
            with factory.begin() as s:
                save_analysis_mark(session=s, round_id=rid, **fields)
        except InputError as exc:
            problems += exc.problems
    assert bool(problems) is refused
    with factory() as s:
        frames = load_frames(session=s, municipality_id=mid)
    assert analysis_mark(frames.analysis_marks, rid) == mark
    assert core_choice_table(frames.core_choices, rid, model).shape[0] == 3  # no core choice


def test_a_colleagues_step_1_mark_is_a_conflict(setup: Setup) -> None:
    factory, _, _, rid, _ = setup
    with factory.begin() as s:
        save_analysis_mark(session=s, round_id=rid, note="Rapport", done=True)
    with pytest.raises(Conflict), factory.begin() as s:
        save_analysis_mark(session=s, round_id=rid, done=False, seen_done=False)  # the screen showed 'not done'


@pytest.mark.parametrize(
    ("choice_id", "option_id"),
    [("toegangsteam_passend", "kloppend_hart"), ("rol_toegangsteam", "passend"), ("toegangsteam", "passend")],
)
def test_a_core_choice_takes_only_its_own_options(
    setup: Setup, model: MaturityModel, choice_id: str, option_id: str
) -> None:
    factory, _, _, rid, _ = setup
    with pytest.raises(InputError, match="onbekende"), factory.begin() as s:
        save_core_choice(session=s, round_id=rid, choice_id=choice_id, option_id=option_id, model=model)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s, w, r, m: save_target(session=s, unit_id=w, item_id="BF2", position=120, model=m), "hoogstens 100"),
        (lambda s, w, r, m: save_target(session=s, unit_id=w, item_id="BF9", position=20, model=m), "onbekend"),
        (
            lambda s, w, r, m: save_core_choice(
                session=s, round_id=r, choice_id="veranderaanpak", option_id="half", model=m
            ),
            "onbekende optie",
        ),
        (
            lambda s, w, r, m: save_action(session=s, unit_id=w, theme_id="taal_gedrag", description="  ", model=m),
            "beschrijving",
        ),
        (
            lambda s, w, r, m: save_action(
                session=s,
                unit_id=w,
                theme_id="taal_gedrag",
                description="x",
                start_date=dt.date(2027, 1, 1),
                end_date=dt.date(2026, 1, 1),
                model=m,
            ),
            "einddatum ligt voor de startdatum",
        ),
        (
            lambda s, w, r, m: save_action(
                session=s, unit_id=w, theme_id="taal_gedrag", description="x", status="bijna", model=m
            ),
            "status",
        ),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(
    setup: Setup, model: MaturityModel, call: Callable[[Session, int, int, MaturityModel], object], message: str
) -> None:
    factory, mid, wid, rid, _ = setup
    with factory() as s:
        before = len(history(session=s, municipality_id=mid))
    with pytest.raises(InputError, match=message), factory.begin() as s:
        call(s, wid, rid, model)
    with factory() as s:
        frames = load_frames(session=s, municipality_id=mid)
        assert frames.targets.empty and frames.actions.empty and frames.core_choices.empty
        assert len(history(session=s, municipality_id=mid)) == before


def test_trend_over_all_rounds_of_the_demo(demo_factory: Sessions, model: MaturityModel) -> None:
    with demo_factory() as s:
        frames = load_frames(session=s, municipality_id=1)
    profile = compute_profile(frames.respondents, frames.positions, frames.answers, model, ScoringSettings())
    unit = int(frames.units.loc[frames.units["name"] == "De Hoven", "unit"].iloc[0])
    out = trend(profile.units, frames.rounds, unit, model)
    assert list(out["label"]) == ["2025", "2026"]
    assert out["overall"].notna().all()


@pytest.mark.parametrize(
    ("value", "when", "expected"),
    [
        (None, None, (None, None)),
        (float("nan"), "", (None, None)),
        (70, "2027-12-31", (70.0, dt.date(2027, 12, 31))),
        (55.5, "2027-06-30T00:00:00", (55.5, dt.date(2027, 6, 30))),
    ],
)
def test_target_cells_read_the_editor(
    value: object, when: object, expected: tuple[float | None, dt.date | None]
) -> None:
    from wijkmodel.cycle.targets import target_cells

    assert target_cells(value, when) == expected


@pytest.mark.parametrize(("value", "when"), [("zeventig", None), (70, "31-12-2027"), (70, "morgen")])
def test_target_cells_refuse_what_is_no_number_or_date(value: object, when: object) -> None:
    from wijkmodel.cycle.targets import target_cells

    with pytest.raises(InputError, match="geen getal of datum"):
        target_cells(value, when)
