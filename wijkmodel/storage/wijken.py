"""Wijken (units): adding, changing and removing them, and listing them in display order."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wijkmodel.storage.frames import unit_sort_key
from wijkmodel.storage.history import Scope, record
from wijkmodel.storage.inputs import (
    InputError,
    WijkIn,
    field_problem,
    validate,
)
from wijkmodel.storage.limits import check_wijk_room
from wijkmodel.storage.municipalities import (
    bump_revision,
)
from wijkmodel.storage.tables import AccountRole, Answer, Respondent, ThemePosition, Unit, UnitKind, ZetEvaluation


def add_wijk(
    *,
    session: Session,
    municipality_id: int,
    name: str,
    cbs_code: str | None = None,
    population: int | None = None,
) -> Unit:
    """A new wijk; its name must be unique within the municipality."""
    data = validate(WijkIn, "Wijk", name=name, cbs_code=cbs_code or None, population=population)
    check_wijk_room(session=session, municipality_id=municipality_id, adding=1)
    existing = {u.name.casefold() for u in units(session=session, municipality_id=municipality_id)}
    if data.name.casefold() in existing:
        raise InputError([field_problem("Wijk", "name", f"er is al een wijk ‘{data.name}’ in deze gemeente.")])
    unit = Unit(
        municipality_id=municipality_id,
        kind=UnitKind.WIJK,
        name=data.name,
        cbs_code=data.cbs_code,
        population=data.population,
    )
    session.add(unit)
    bump_revision(session=session, municipality_id=municipality_id, need=AccountRole.ADMIN)
    session.flush()
    scope = Scope(municipality_id, unit.id, unit.name)
    record(session=session, scope=scope, kind="wijk", subject=unit.name, old=None, new="toegevoegd")
    return unit


def units(*, session: Session, municipality_id: int) -> list[Unit]:
    """The municipality as a whole first, then the wijken by name."""
    rows = session.scalars(select(Unit).where(Unit.municipality_id == municipality_id))
    return sorted(rows, key=lambda u: unit_sort_key(u.kind, u.name))


def get_wijk(*, session: Session, unit_id: int) -> Unit:
    """A wijk by id (not the municipality as a whole)."""
    unit = session.get(Unit, unit_id)
    if unit is None or unit.kind != UnitKind.WIJK:
        raise InputError(["Deze wijk bestaat niet (meer)."])
    return unit


def update_wijk(
    *,
    session: Session,
    unit_id: int,
    name: str,
    cbs_code: str | None = None,
    population: int | None = None,
) -> Unit:
    """Rename a wijk and set its CBS code and population."""
    unit = get_wijk(session=session, unit_id=unit_id)
    data = validate(WijkIn, "Wijk", name=name, cbs_code=cbs_code or None, population=population)
    others = {
        u.name.casefold() for u in units(session=session, municipality_id=unit.municipality_id) if u.id != unit_id
    }
    if data.name.casefold() in others:
        raise InputError([field_problem("Wijk", "name", f"er is al een wijk ‘{data.name}’ in deze gemeente.")])
    scope = Scope(unit.municipality_id, unit.id, data.name)
    record(session=session, scope=scope, kind="wijk", subject="naam", old=unit.name, new=data.name)
    record(session=session, scope=scope, kind="wijk", subject="CBS-code", old=unit.cbs_code, new=data.cbs_code)
    record(session=session, scope=scope, kind="wijk", subject="inwoners", old=unit.population, new=data.population)
    unit.name, unit.cbs_code, unit.population = data.name, data.cbs_code, data.population
    bump_revision(session=session, municipality_id=unit.municipality_id, need=AccountRole.ADMIN)
    session.flush()
    return unit


@dataclass(frozen=True)
class WijkContents:
    """What removing a wijk would take with it."""

    respondents: int
    positions: int
    answers: int
    notes: int
    rounds: int
    zet: int = 0
    """ZET outcomes of the wijk (any round)."""


def wijk_contents(*, session: Session, unit_id: int) -> WijkContents:
    """Count what is stored for a wijk (shown before removal)."""
    respondent_ids = select(Respondent.id).where(Respondent.unit_id == unit_id)
    count = func.count()
    positions = session.scalar(select(count).where(ThemePosition.respondent_id.in_(respondent_ids))) or 0
    answers = session.scalar(select(count).where(Answer.respondent_id.in_(respondent_ids))) or 0
    notes = (
        session.scalar(select(count).where(ThemePosition.respondent_id.in_(respondent_ids), ThemePosition.note != ""))
        or 0
    ) + (session.scalar(select(count).where(Answer.respondent_id.in_(respondent_ids), Answer.note != "")) or 0)
    return WijkContents(
        respondents=session.scalar(select(count).where(Respondent.unit_id == unit_id)) or 0,
        positions=positions,
        answers=answers,
        notes=notes,
        rounds=session.scalar(
            select(func.count(func.distinct(Respondent.round_id))).where(Respondent.unit_id == unit_id)
        )
        or 0,
        zet=session.scalar(select(count).where(ZetEvaluation.unit_id == unit_id)) or 0,
    )


def remove_wijk(*, session: Session, unit_id: int) -> None:
    """Remove a wijk with everything stored for it (the page asks for confirmation first)."""
    unit = get_wijk(session=session, unit_id=unit_id)
    contents = wijk_contents(session=session, unit_id=unit_id)
    what = (
        f"verwijderd, met {contents.positions} schuifjes, {contents.answers} antwoorden en "
        f"{contents.zet} ZET-uitkomsten"
        if contents.zet
        else f"verwijderd, met {contents.positions} schuifjes en {contents.answers} antwoorden"
    )
    scope = Scope(unit.municipality_id, unit.id, unit.name)
    record(session=session, scope=scope, kind="wijk", subject=unit.name, old="bestond", new=what)
    bump_revision(session=session, municipality_id=unit.municipality_id, need=AccountRole.ADMIN)
    session.delete(unit)
    session.flush()
