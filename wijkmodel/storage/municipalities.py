"""Municipalities: making, finding and removing them, their settings, and the revision every save bumps."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from wijkmodel.scoring.core import ScoringSettings
from wijkmodel.scoring.rules import OverallRule
from wijkmodel.storage.access import actor_of, require
from wijkmodel.storage.conflicts import KEEP, Keep, check_seen
from wijkmodel.storage.db import check_lock_scope
from wijkmodel.storage.history import Entry, Scope, record, record_many
from wijkmodel.storage.inputs import (
    InputError,
    MunicipalityIn,
    field_problem,
    validate,
)
from wijkmodel.storage.tables import MUNICIPALITY_UNIT_NAME, AccountRole, Grant, Municipality, Unit, UnitKind


def bump_revision(*, session: Session, municipality_id: int, need: AccountRole = AccountRole.EDITOR) -> None:
    """Raise the municipality's revision in the same transaction as the change it marks.

    Every change to a municipality passes here, so here the save's lock is checked too, and the
    role the change needs (`need`: invuller for answers and plans, beheerder for wijken, rounds and
    settings): a refusal rolls the whole save back."""
    bump_revisions(session=session, municipality_ids=[municipality_id], need=need)


def bump_revisions(*, session: Session, municipality_ids: list[int], need: AccountRole = AccountRole.EDITOR) -> None:
    """`bump_revision` for many municipalities (an import of a whole CBS file): the same checks
    for each, then one statement for all (each bumped once, however often it is listed)."""
    for municipality_id in municipality_ids:
        check_lock_scope(session, municipality_id)
        require(session, municipality_id, need)
    if not municipality_ids:
        return
    # no session synchronisation: the ORM would otherwise scan every loaded object on each save
    session.execute(
        update(Municipality)
        .where(Municipality.id.in_(sorted(set(municipality_ids))))
        .values(revision=Municipality.revision + 1)
        .execution_options(synchronize_session=False)
    )


def revision(*, session: Session, municipality_id: int) -> int:
    """The municipality's revision (changes with every save)."""
    return session.scalar(select(Municipality.revision).where(Municipality.id == municipality_id)) or 0


@dataclass(frozen=True)
class NewMunicipality:
    """A municipality to make: its name, CBS code, and a label that starts each of its problems."""

    name: str
    cbs_code: str | None = None
    label: str = ""


def create_municipalities(*, session: Session, wanted: list[NewMunicipality]) -> list[Municipality]:
    """New municipalities, each with its unit 'Gemeente als geheel': all, or none with every problem.

    One query for the names and codes in use and one flush for all: an import of a whole CBS file
    makes hundreds at once."""
    names = {known.casefold() for known in session.scalars(select(Municipality.name))}
    codes = set(session.scalars(select(Municipality.cbs_code).where(Municipality.cbs_code.is_not(None))))
    problems: list[str] = []
    checked: list[MunicipalityIn] = []
    for item in wanted:
        prefix = f"{item.label}: " if item.label else ""
        try:
            data = validate(MunicipalityIn, "Gemeente", name=item.name, cbs_code=item.cbs_code or None)
        except InputError as exc:
            problems += [prefix + p for p in exc.problems]
            continue
        if data.name.casefold() in names:
            problems.append(f"{prefix}Gemeente '{data.name}' bestaat al.")
        elif data.cbs_code and data.cbs_code in codes:
            problems.append(prefix + field_problem("Gemeente", "cbs_code", f"{data.cbs_code} is al in gebruik."))
        else:
            names.add(data.name.casefold())
            codes.add(data.cbs_code)
            checked.append(data)
    if problems:
        raise InputError(problems)
    check_lock_scope(session, None)
    require(session, None, AccountRole.ADMIN)
    made = [
        Municipality(
            name=data.name,
            cbs_code=data.cbs_code,
            units=[Unit(kind=UnitKind.MUNICIPALITY, name=MUNICIPALITY_UNIT_NAME)],
        )
        for data in checked
    ]
    session.add_all(made)
    session.flush()
    maker = actor_of(session).account_id
    if maker is not None:  # with login: whoever makes a municipality is its first beheerder
        session.add_all(Grant(account_id=maker, municipality_id=m.id, role=AccountRole.ADMIN) for m in made)
    record_many(session=session, entries=[Entry(Scope(m.id), "gemeente", m.name, None, "aangemaakt") for m in made])
    return made


def create_municipality(*, session: Session, name: str, cbs_code: str | None = None) -> Municipality:
    """A new municipality, with its unit 'Gemeente als geheel'."""
    (municipality,) = create_municipalities(session=session, wanted=[NewMunicipality(name, cbs_code)])
    return municipality


def find_municipality(*, session: Session, name: str) -> Municipality | None:
    """A municipality by name (case-insensitive, spaces normalised), or None."""
    wanted = " ".join(name.split()).casefold()
    # names only: loading every municipality as an object made bulk imports quadratic
    for municipality_id, known in session.execute(select(Municipality.id, Municipality.name)):
        if known.casefold() == wanted:
            return session.get(Municipality, municipality_id)
    return None


def list_municipalities(*, session: Session) -> list[Municipality]:
    """All municipalities by name."""
    return list(session.scalars(select(Municipality).order_by(Municipality.name)))


def delete_municipality(*, session: Session, municipality_id: int) -> None:
    """Remove a municipality and everything under it (used by import --replace)."""
    check_lock_scope(session, municipality_id)
    require(session, municipality_id, AccountRole.ADMIN)
    session.execute(delete(Municipality).where(Municipality.id == municipality_id))
    session.flush()


def save_settings(
    *,
    session: Session,
    municipality_id: int,
    rule: str | Keep = KEEP,
    theme_weight: float | Keep = KEEP,
    population_weighted: bool | Keep = KEEP,
    seen_rule: str | Keep = KEEP,
    seen_theme_weight: float | Keep = KEEP,
    seen_population_weighted: bool | Keep = KEEP,
) -> Municipality:
    """Store the scoring settings of a municipality (page Instellingen): only the ones given, each
    guarded by what the user's screen showed (`seen_*`, see `save_position`)."""
    municipality = session.get(Municipality, municipality_id)
    if municipality is None:
        raise InputError(["Deze gemeente bestaat niet (meer)."])
    rules = [r.value for r in OverallRule]
    if not isinstance(rule, Keep) and rule not in rules:
        raise InputError([f"Instellingen: de regel moet een van deze zijn: {', '.join(rules)}."])
    stored = settings_of(municipality)
    try:
        settings = ScoringSettings(
            rule=stored.rule if isinstance(rule, Keep) else OverallRule(rule),
            theme_weight=stored.theme_weight if isinstance(theme_weight, Keep) else float(theme_weight),
            population_weighted=(
                stored.population_weighted if isinstance(population_weighted, Keep) else bool(population_weighted)
            ),
        )
    except ValueError as exc:
        raise InputError([f"Instellingen: {exc}."]) from exc
    scope = Scope(municipality_id)

    def yes_no(value: object) -> object:
        return value if isinstance(value, Keep) else ("ja" if value else "nee")

    def percent(value: object) -> object:  # the page shows whole percents: compare what it showed
        return value if isinstance(value, Keep) else f"{round(float(value) * 100)}%"  # type: ignore[arg-type]

    for given, seen, subject, old, new, shown_as, kept_as in (
        (rule, seen_rule, "regel totaalfase", stored.rule.value, settings.rule.value, str, str),
        (
            theme_weight,
            seen_theme_weight,
            "gewicht thema's",
            stored.theme_weight,
            settings.theme_weight,
            percent,
            float,
        ),
        (
            population_weighted,
            seen_population_weighted,
            "wegen naar inwoners",
            stored.population_weighted,
            settings.population_weighted,
            yes_no,
            yes_no,
        ),
    ):
        if isinstance(given, Keep):
            continue
        check_seen(
            session=session, scope=scope, kind="instelling", what="de instelling", subject=subject,
            stored=old, seen=seen, mine=new, text=shown_as,
        )  # fmt: skip
        record(session=session, scope=scope, kind="instelling", subject=subject, old=kept_as(old), new=kept_as(new))
    municipality.overall_rule = settings.rule.value
    municipality.theme_weight = settings.theme_weight
    municipality.population_weighted = settings.population_weighted
    bump_revision(session=session, municipality_id=municipality_id, need=AccountRole.ADMIN)
    session.flush()
    return municipality


def settings_of(municipality: Municipality) -> ScoringSettings:
    """The scoring settings stored with a municipality."""
    return ScoringSettings(
        rule=OverallRule(municipality.overall_rule),
        theme_weight=municipality.theme_weight,
        population_weighted=municipality.population_weighted,
    )
