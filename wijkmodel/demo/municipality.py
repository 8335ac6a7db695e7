"""The fictional demo municipality 'Voorbeeldstad' (never a real municipality's figures).

Eight wijken with made-up names, two rounds, three or four respondents per wijk with different
roles, varied positions and answers, some sliders left unset, some "Weet niet", and a few wijken
built so that talking points appear (for example Lokale teams far ahead of Tijdig signaleren).
Deterministic: the same data every time.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy.orm import Session

from wijkmodel.cycle.action_plan import save_action
from wijkmodel.cycle.core_choices import save_core_choice
from wijkmodel.cycle.targets import save_target, set_energy
from wijkmodel.demo.facts import DEMO_CBS_CODE, DEMO_NAME, WIJKEN
from wijkmodel.demo.wijkdata import add_demo_wijkdata
from wijkmodel.model.schema import MaturityModel
from wijkmodel.storage.municipalities import create_municipality
from wijkmodel.storage.responses import get_or_create_respondent, save_answer, save_position
from wijkmodel.storage.rounds import create_round
from wijkmodel.storage.tables import MUNICIPALITY_UNIT_NAME, ActionStatus, Municipality, Role, Unit, UnitKind
from wijkmodel.storage.wijken import add_wijk, units
from wijkmodel.storage.zet import save_zet

ROUNDS = [("2025", dt.date(2025, 3, 14), 0.0), ("2026", dt.date(2026, 3, 13), 8.0)]
ROLE_BIAS = {Role.MUNICIPALITY: 6.0, Role.LOCAL_TEAM: 0.0, Role.PARTNER: -6.0, Role.RESIDENT: -10.0}


def _clip(value: float) -> float:
    return max(0.0, min(100.0, value))


def add_demo(*, session: Session, model: MaturityModel) -> Municipality:
    """Add Voorbeeldstad in the session's transaction (the caller checks it does not exist yet)."""
    rng = random.Random(20261123)
    municipality = create_municipality(session=session, name=DEMO_NAME, cbs_code=DEMO_CBS_CODE)
    for number, (name, population, *_) in enumerate(WIJKEN, start=1):
        code = f"WK{DEMO_CBS_CODE[2:]}{number:02d}"
        add_wijk(session=session, municipality_id=municipality.id, name=name, cbs_code=code, population=population)
    by_name = {u.name: u for u in units(session=session, municipality_id=municipality.id)}
    whole = next(u for u in by_name.values() if u.kind == UnitKind.MUNICIPALITY)

    plans: list[tuple[Unit, float, dict[str, float], dict[str, float]]] = [
        (by_name[name], base, themes, bfs) for name, _, base, themes, bfs in WIJKEN
    ]
    plans.append((whole, 48.0, {"gemeentelijke_organisatie": -10, "opdrachtgeverschap": 8}, {}))

    for label, date, growth in ROUNDS:
        round_ = create_round(session=session, municipality_id=municipality.id, label=label, date=date)
        for unit, base, theme_offsets, bf_offsets in plans:
            roles = [Role.MUNICIPALITY, Role.LOCAL_TEAM, Role.PARTNER]
            if rng.random() < 0.5 or unit is whole:
                roles.append(Role.RESIDENT)
            for role in roles:
                respondent = get_or_create_respondent(session=session, round_id=round_.id, unit_id=unit.id, role=role)
                bias = ROLE_BIAS[role]
                for theme in model.themes_ordered():
                    if role is Role.RESIDENT and theme.id in ("opdrachtgeverschap", "gemeentelijke_organisatie"):
                        continue  # residents leave the municipal-organisation themes unset
                    target = base + growth + bias + theme_offsets.get(theme.id, 0) + rng.gauss(0, 6)
                    position = round(_clip(target) / 5) * 5
                    note = (
                        "Eerste inschatting in de werksessie." if theme.order == 1 and role is Role.LOCAL_TEAM else ""
                    )
                    save_position(
                        session=session,
                        respondent_id=respondent.id,
                        theme_id=theme.id,
                        position=position,
                        model=model,
                        note=note,
                    )
                for question in model.quickscan.questions:
                    roll = rng.random()
                    if roll < 0.06:
                        continue  # not answered yet
                    if roll < 0.12:
                        option_id = "weet_niet"
                    else:
                        target = base + growth + bias + bf_offsets.get(question.basic_function, 0) + rng.gauss(0, 12)
                        levels = model.answer_levels(question)
                        option_id = min(levels, key=lambda level: abs(level[1] - target))[0]
                    save_answer(
                        session=session,
                        respondent_id=respondent.id,
                        question_id=question.id,
                        option_id=option_id,
                        model=model,
                    )
                if unit is whole and role in (Role.MUNICIPALITY, Role.LOCAL_TEAM):
                    _add_conditions(
                        session=session, model=model, respondent_id=respondent.id, level=base + growth + bias
                    )
    _add_plan(session=session, model=model, municipality=municipality, by_name=by_name, round_id=round_.id)
    _add_zet(session=session, model=model, by_name=by_name, round_id=round_.id)
    session.flush()
    add_demo_wijkdata(session=session, municipality_id=municipality.id)
    return municipality


# ZET outcomes (practice) for the latest round: made-up, on 0-100 and on a scale of 1 to 5. Built so
# that the Quickscan and the ZET lie a phase or more apart twice: Vindbare en toegankelijke hulp for the
# municipality as a whole (practice behind policy) and Tijdig signaleren in De Hoven (practice ahead).
DEMO_ZET: list[tuple[str, str, float, float, float, int, dt.date, str]] = [
    (MUNICIPALITY_UNIT_NAME, "BF1", 60, 0, 100, 24, dt.date(2026, 2, 20), "Verzonnen voorbeeld: 24 dossiers bekeken."),
    (MUNICIPALITY_UNIT_NAME, "BF3", 2, 1, 5, 18, dt.date(2026, 2, 20), "Verzonnen voorbeeld: inwoners wachten lang."),
    (MUNICIPALITY_UNIT_NAME, "BF4", 3, 1, 5, 18, dt.date(2026, 2, 20), ""),
    ("De Hoven", "BF1", 4, 1, 5, 9, dt.date(2026, 2, 27), ""),
    ("De Hoven", "BF2", 65, 0, 100, 9, dt.date(2026, 2, 27), "Verzonnen voorbeeld: het team werkt al samen."),
]


def _add_zet(*, session: Session, model: MaturityModel, by_name: dict[str, Unit], round_id: int) -> None:
    for unit, bf, value, low, high, cases, date, note in DEMO_ZET:
        save_zet(
            session=session,
            round_id=round_id,
            unit_id=by_name[unit].id,
            basic_function=bf,
            model=model,
            value=value,
            scale_min=low,
            scale_max=high,
            cases=cases,
            evaluated_on=date,
            note=note,
        )


CONDITION_OFFSETS = {"gedeelde_visie": 12, "financiering": -18, "leren": -6}
"""Made-up: the demo's vision is shared, its funding lags behind."""


def _add_conditions(*, session: Session, model: MaturityModel, respondent_id: int, level: float) -> None:
    """Made-up answers to the Randvoorwaarden for a respondent of the municipality as a whole. A
    random stream of its own, so the rest of the demo stays as it was."""
    rng = random.Random(respondent_id)
    for question in model.randvoorwaarden.instrument.questions:
        target = level + CONDITION_OFFSETS.get(question.condition or "", 0) + rng.gauss(0, 10)
        levels = model.answer_levels(question)
        option_id = min(levels, key=lambda pair: abs(pair[1] - target))[0]
        save_answer(
            session=session, respondent_id=respondent_id, question_id=question.id, option_id=option_id, model=model
        )


# Steps 3 and 4 for the latest round: made-up choices, targets and actions, so the cycle shows.
DEMO_TARGETS = {
    "Gemeente als geheel": {"visie_inspiratie": 75, "gemeentelijke_organisatie": 60, "opdrachtgeverschap": 70},
    "Oude Haven": {"lokale_teams": 60, "samenwerking_wijk": 55, "BF2": 60},
    "De Hoven": {"BF2": 65, "samenwerking_wijk": 80},
    "Noorderpark": {"visie_inspiratie": 50, "lokale_teams": 50, "BF1": 50},
}
DEMO_ENERGY = {
    "Gemeente als geheel": ["visie_inspiratie"],
    "Oude Haven": ["samenwerking_wijk"],
    "De Hoven": ["lokale_teams"],
}
DEMO_CHOICES = {
    "veranderaanpak": (
        "evolutionair",
        "Partners in de wijken zijn al met elkaar bezig; we sluiten aan bij wat er al loopt.",
    ),
    "toegangsteam_passend": (
        "bijstellen",
        "De wijkteams geven nu vooral toegang; voor onze ambitie moeten ze meer in de wijk staan.",
    ),
    "rol_toegangsteam": (
        "toegang_lichte_hulp",
        "De wijkteams bieden nu al lichte hulp; kloppend hart van de wijk is het doel voor 2028.",
    ),
}
# unit, theme, description, owner, start, end, status
DEMO_ACTIONS = [
    (
        "Gemeente als geheel",
        "visie_inspiratie",
        "Visie op wijkgericht werken samen met partners opschrijven",
        "Beleidsteam sociaal domein",
        dt.date(2026, 4, 1),
        dt.date(2026, 10, 1),
        ActionStatus.RUNNING,
    ),
    (
        "Gemeente als geheel",
        "opdrachtgeverschap",
        "Wijkgericht werken opnemen in de nieuwe contracten jeugdhulp",
        "Inkoop en contractmanagement",
        dt.date(2026, 9, 1),
        dt.date(2027, 1, 1),
        ActionStatus.PLANNED,
    ),
    (
        "Oude Haven",
        "samenwerking_wijk",
        "Maandelijks wijkoverleg met school, huisarts en wijkagent",
        "Wijkteam Oude Haven",
        dt.date(2026, 5, 1),
        None,
        ActionStatus.RUNNING,
    ),
    (
        "De Hoven",
        "lokale_teams",
        "Spreekuur van het wijkteam op de basisschool",
        "Wijkteam De Hoven",
        dt.date(2026, 2, 1),
        dt.date(2026, 6, 30),
        "klaar",
    ),
]


def _add_plan(
    *, session: Session, model: MaturityModel, municipality: Municipality, by_name: dict[str, Unit], round_id: int
) -> None:
    for unit_name, targets in DEMO_TARGETS.items():
        for item_id, position in targets.items():
            save_target(
                session=session,
                unit_id=by_name[unit_name].id,
                item_id=item_id,
                position=position,
                target_date=dt.date(2027, 12, 31),
                model=model,
            )
    for unit_name, themes in DEMO_ENERGY.items():
        for theme_id in themes:
            set_energy(session=session, unit_id=by_name[unit_name].id, theme_id=theme_id, marked=True, model=model)
    for choice_id, (option_id, rationale) in DEMO_CHOICES.items():
        save_core_choice(
            session=session,
            round_id=round_id,
            choice_id=choice_id,
            option_id=option_id,
            rationale=rationale,
            model=model,
        )
    for unit_name, theme_id, description, owner, start, end, status in DEMO_ACTIONS:
        save_action(
            session=session,
            unit_id=by_name[unit_name].id,
            theme_id=theme_id,
            description=description,
            owner=owner,
            start_date=start,
            end_date=end,
            status=status,
            model=model,
        )
