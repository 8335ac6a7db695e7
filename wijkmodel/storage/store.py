"""Saving and reading assessments. Keyword-only functions on a session the caller opens with
`factory.begin()`, so each save is exactly one transaction. Every check happens before the
first write; bad input raises `InputError` and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from wijkmodel.model.indicators import format_number
from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.core import OverallRule, ScoringSettings, phase_of
from wijkmodel.scoring.slider import NOT_PLACED
from wijkmodel.storage.conflicts import KEEP, Keep, check_seen
from wijkmodel.storage.db import (
    MUNICIPALITY_UNIT_NAME,
    Answer,
    Municipality,
    Respondent,
    Round,
    ThemePosition,
    Unit,
    UnitKind,
    check_lock_scope,
    utcnow,
)
from wijkmodel.storage.frames import unit_sort_key
from wijkmodel.storage.history import Entry, Scope, exact, record, record_many, respondent_scope
from wijkmodel.storage.inputs import (
    MAX_NOTE,
    InputError,
    MunicipalityIn,
    RespondentIn,
    RoundIn,
    WijkIn,
    clean_note,
    validate,
)
from wijkmodel.storage.limits import check_wijk_room

GONE_UNIT = (
    "Deze wijk bestaat niet meer: iemand heeft hem verwijderd. Er is niets bewaard. Kies een wijk in de lijst bovenaan."
)
GONE_ROUND = (
    "Deze ronde bestaat niet meer: iemand heeft hem verwijderd. Er is niets bewaard. Kies een ronde in de zijbalk."
)


def bump_revision(*, session: Session, municipality_id: int) -> None:
    """Raise the municipality's revision in the same transaction as the change it marks.

    Every change to a municipality passes here, so here the save's lock is checked too."""
    check_lock_scope(session, municipality_id)
    # no session synchronisation: the ORM would otherwise scan every loaded object on each save
    session.execute(
        update(Municipality)
        .where(Municipality.id == municipality_id)
        .values(revision=Municipality.revision + 1)
        .execution_options(synchronize_session=False)
    )


def _municipality_of_respondent(*, session: Session, respondent_id: int) -> int:
    municipality_id = session.scalar(
        select(Round.municipality_id)
        .join(Respondent, Respondent.round_id == Round.id)
        .where(Respondent.id == respondent_id)
    )
    if municipality_id is None:
        raise InputError(["Deze respondent bestaat niet (meer)."])
    return municipality_id


def revision(*, session: Session, municipality_id: int) -> int:
    """The municipality's revision (changes with every save)."""
    return session.scalar(select(Municipality.revision).where(Municipality.id == municipality_id)) or 0


# --- municipality, wijken, rounds, respondents -----------------------------------------------


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
            problems.append(f"{prefix}Gemeente, veld CBS-code: {data.cbs_code} is al in gebruik.")
        else:
            names.add(data.name.casefold())
            codes.add(data.cbs_code)
            checked.append(data)
    if problems:
        raise InputError(problems)
    check_lock_scope(session, None)
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
        raise InputError([f"Wijk, veld naam: er is al een wijk '{data.name}' in deze gemeente."])
    unit = Unit(
        municipality_id=municipality_id,
        kind=UnitKind.WIJK,
        name=data.name,
        cbs_code=data.cbs_code,
        population=data.population,
    )
    session.add(unit)
    bump_revision(session=session, municipality_id=municipality_id)
    session.flush()
    scope = Scope(municipality_id, unit.id, unit.name)
    record(session=session, scope=scope, kind="wijk", subject=unit.name, old=None, new="toegevoegd")
    return unit


def units(*, session: Session, municipality_id: int) -> list[Unit]:
    """The municipality as a whole first, then the wijken by name."""
    rows = session.scalars(select(Unit).where(Unit.municipality_id == municipality_id))
    return sorted(rows, key=lambda u: unit_sort_key(u.kind, u.name))


def create_round(
    *,
    session: Session,
    municipality_id: int,
    label: str,
    date: dt.date,
    carry_over_from: int | None = None,
) -> Round:
    """A new round; its label must be unique within the municipality.

    With `carry_over_from` (a round of the same municipality) every respondent, slider position
    and answer of that round is copied, marked as carried over until someone confirms or changes it.
    """
    data = validate(RoundIn, "Ronde", label=label, date=date)
    if session.scalar(select(Round).where(Round.municipality_id == municipality_id, Round.label == data.label)):
        raise InputError([f"Ronde, veld label: er is al een ronde '{data.label}'."])
    source = session.get(Round, carry_over_from) if carry_over_from is not None else None
    if carry_over_from is not None and (source is None or source.municipality_id != municipality_id):
        raise InputError(["Ronde: de ronde om waarden uit over te nemen hoort niet bij deze gemeente."])
    round_ = Round(municipality_id=municipality_id, label=data.label, date=data.date)
    session.add(round_)
    session.flush()
    if source is not None:
        _carry_over(session=session, source_round_id=source.id, target_round_id=round_.id)
    how = f"aangemaakt, waarden overgenomen uit {source.label}" if source is not None else "aangemaakt"
    scope = Scope(municipality_id, round_label=round_.label)
    record(session=session, scope=scope, kind="ronde", subject=round_.label, old=None, new=how)
    bump_revision(session=session, municipality_id=municipality_id)
    return round_


def _carry_over(*, session: Session, source_round_id: int, target_round_id: int) -> None:
    for old in session.scalars(select(Respondent).where(Respondent.round_id == source_round_id)):
        new = Respondent(round_id=target_round_id, unit_id=old.unit_id, role=old.role, label=old.label)
        session.add(new)
        session.flush()
        for p in session.scalars(select(ThemePosition).where(ThemePosition.respondent_id == old.id)):
            session.add(
                ThemePosition(
                    respondent_id=new.id,
                    theme_id=p.theme_id,
                    position=p.position,
                    note=p.note,
                    carried_over=True,
                    model_version=p.model_version,
                    updated_at=p.updated_at,
                )
            )
        for a in session.scalars(select(Answer).where(Answer.respondent_id == old.id)):
            session.add(
                Answer(
                    respondent_id=new.id,
                    question_id=a.question_id,
                    option_id=a.option_id,
                    note=a.note,
                    carried_over=True,
                    model_version=a.model_version,
                    updated_at=a.updated_at,
                )
            )
    session.flush()


def rounds(*, session: Session, municipality_id: int) -> list[Round]:
    """Rounds of a municipality, oldest first."""
    return list(
        session.scalars(select(Round).where(Round.municipality_id == municipality_id).order_by(Round.date, Round.label))
    )


def find_respondent(*, session: Session, round_id: int, unit_id: int, role: str, label: str = "") -> Respondent | None:
    """The respondent with this role and label for a unit in a round, or None (nothing is created)."""
    data = validate(RespondentIn, "Respondent", role=role, label=label)
    return session.scalar(
        select(Respondent).where(
            Respondent.round_id == round_id,
            Respondent.unit_id == unit_id,
            Respondent.role == data.role.value,
            Respondent.label == data.label,
        )
    )


def get_or_create_respondent(
    *, session: Session, round_id: int, unit_id: int, role: str, label: str = ""
) -> Respondent:
    """The respondent with this role and label for a unit in a round (created when new)."""
    found = find_respondent(session=session, round_id=round_id, unit_id=unit_id, role=role, label=label)
    if found:
        return found
    data = validate(RespondentIn, "Respondent", role=role, label=label)
    round_, unit = session.get(Round, round_id), session.get(Unit, unit_id)
    if unit is None:
        raise InputError([GONE_UNIT])
    if round_ is None:
        raise InputError([GONE_ROUND])
    if round_.municipality_id != unit.municipality_id:
        raise InputError(["Respondent: deze wijk en deze ronde horen niet bij dezelfde gemeente."])
    respondent = Respondent(round_id=round_id, unit_id=unit_id, role=data.role.value, label=data.label)
    session.add(respondent)
    session.flush()
    bump_revision(
        session=session, municipality_id=_municipality_of_respondent(session=session, respondent_id=respondent.id)
    )
    return respondent


# --- positions and answers --------------------------------------------------------------------


def _check_note(note: str, *, where: str = "") -> str:
    place = f" {where}" if where else ""
    if len(note) > MAX_NOTE:
        # a paste past the limit arrives whole: say so instead of cutting it off unseen
        raise InputError(
            [
                f"De toelichting{place} is te lang: {format_number(len(note))} tekens, en er passen er hoogstens "
                f"{format_number(MAX_NOTE)}. Er is niets bewaard; maak de tekst korter."
            ]
        )
    try:
        return clean_note(note)
    except ValueError as exc:
        raise InputError([f"Toelichting{place} {exc}."]) from exc


def save_position(
    *,
    session: Session,
    respondent_id: int,
    theme_id: str,
    model: MaturityModel,
    position: float | Keep | None = KEEP,
    note: str | Keep = KEEP,
    seen_position: float | Keep | None = KEEP,
    seen_note: str | Keep = KEEP,
) -> ThemePosition:
    """Place (or clear, with None) a respondent's slider for one theme, and/or set its note.

    Only the fields given are written; KEEP leaves a field as stored. `seen_*` is what the user's
    screen showed for that field: when the stored value differs, `Conflict` and nothing is saved.
    Saving the position a carried-over row already has confirms it."""
    if theme_id not in {t.id for t in model.themes}:
        raise InputError([f"Schuifje: onbekend thema '{theme_id}'."])
    name = model.theme(theme_id).name
    if not isinstance(position, Keep) and position is not None and not 0 <= position <= 100:
        raise InputError([f"Schuifje '{name}': positie moet tussen 0 en 100 liggen."])
    if not isinstance(note, Keep):
        note = _check_note(note, where=f"bij '{name}'")
    scope = respondent_scope(session=session, respondent_id=respondent_id)
    row = session.scalar(
        select(ThemePosition).where(ThemePosition.respondent_id == respondent_id, ThemePosition.theme_id == theme_id)
    )
    if row is None:
        row = ThemePosition(respondent_id=respondent_id, theme_id=theme_id, note="", carried_over=False)
        session.add(row)
    if not isinstance(position, Keep):
        new_position = None if position is None else float(position)
        check_seen(
            session=session,
            scope=scope,
            kind="schuifje",
            what="het schuifje",
            subject=name,
            stored=row.position,
            seen=seen_position,
            mine=new_position,
            text=lambda p: _position_text(p) or NOT_PLACED,
        )
        record(
            session=session,
            scope=scope,
            kind="schuifje",
            subject=name,
            old=_position_text(row.position),
            new=_position_text(new_position),
        )
        if row.carried_over and row.position == new_position:
            record(session=session, scope=scope, kind="bevestigd", subject=name, old="overgenomen", new="bevestigd")
        row.position = new_position
        row.carried_over = False
    _finish(
        session=session,
        scope=scope,
        row=row,
        kind="toelichting",
        subject=name,
        note=note,
        seen_note=seen_note,
        model=model,
    )
    return row


def _position_text(position: float | None) -> str | None:
    return None if position is None else f"{exact(position)} (fase {int(phase_of(position))})"


def save_answer(
    *,
    session: Session,
    respondent_id: int,
    question_id: str,
    model: MaturityModel,
    option_id: str | Keep | None = KEEP,
    note: str | Keep = KEEP,
    seen_option: str | Keep | None = KEEP,
    seen_note: str | Keep = KEEP,
) -> Answer:
    """Answer (or clear, with None) one question for a respondent, and/or set its note.

    Only the fields given are written (see `save_position`); `seen_*` guards against overwriting a
    colleague's newer value."""
    instrument = next(
        (i for i in (model.quickscan, model.in_depth) if any(q.id == question_id for q in i.questions)), None
    )
    if instrument is None:
        raise InputError([f"Antwoord: onbekende vraag '{question_id}'."])
    if isinstance(option_id, str) and option_id not in model.option_scores(instrument.id):
        raise InputError([f"Antwoord op vraag {question_id}: onbekend antwoord '{option_id}'."])
    if not isinstance(note, Keep):
        note = _check_note(note, where=f"bij vraag {question_id}")
    scope = respondent_scope(session=session, respondent_id=respondent_id)
    row = session.scalar(select(Answer).where(Answer.respondent_id == respondent_id, Answer.question_id == question_id))
    if row is None:
        row = Answer(respondent_id=respondent_id, question_id=question_id, note="", carried_over=False)
        session.add(row)
    labels = {o.id: o.label for o in model.answer_scale(instrument.answer_scale).options}
    question = next(q for q in instrument.questions if q.id == question_id)
    # the history is read by people: the question's words, not only its id
    subject = f"{question_id}: {question.text[:120]}"

    def label(option: str | None) -> str | None:
        return labels.get(option, option) if option else None

    if not isinstance(option_id, Keep):
        check_seen(
            session=session,
            scope=scope,
            kind="antwoord",
            what="het antwoord",
            subject=subject,
            stored=row.option_id,
            seen=seen_option,
            mine=option_id,
            text=label,
        )
        old_label, new_label = label(row.option_id), label(option_id)
        record(session=session, scope=scope, kind="antwoord", subject=subject, old=old_label, new=new_label)
        if row.carried_over and row.option_id == option_id:
            record(session=session, scope=scope, kind="bevestigd", subject=subject, old="overgenomen", new="bevestigd")
        row.option_id = option_id
        row.carried_over = False
    _finish(
        session=session,
        scope=scope,
        row=row,
        kind="aantekening",
        subject=subject,
        note=note,
        seen_note=seen_note,
        model=model,
    )
    return row


def _finish(
    *,
    session: Session,
    scope: Scope,
    row: ThemePosition | Answer,
    kind: str,
    subject: str,
    note: str | Keep,
    seen_note: str | Keep,
    model: MaturityModel,
) -> None:
    """The note (when given, guarded like the value) and the bookkeeping every position or answer save ends with."""
    if not isinstance(note, Keep):
        old_note = row.note or ""
        check_seen(
            session=session,
            scope=scope,
            kind=kind,
            what="de toelichting",
            subject=subject,
            stored=old_note,
            seen=seen_note,
            mine=note,
        )
        record(session=session, scope=scope, kind=kind, subject=subject, old=old_note, new=note)
        row.note = note
    row.model_version = model.version
    row.updated_at = utcnow()
    bump_revision(session=session, municipality_id=scope.municipality_id)
    session.flush()


def delete_municipality(*, session: Session, municipality_id: int) -> None:
    """Remove a municipality and everything under it (used by import --replace)."""
    check_lock_scope(session, municipality_id)
    session.execute(delete(Municipality).where(Municipality.id == municipality_id))
    session.flush()


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
        raise InputError([f"Wijk, veld naam: er is al een wijk '{data.name}' in deze gemeente."])
    scope = Scope(unit.municipality_id, unit.id, data.name)
    record(session=session, scope=scope, kind="wijk", subject="naam", old=unit.name, new=data.name)
    record(session=session, scope=scope, kind="wijk", subject="CBS-code", old=unit.cbs_code, new=data.cbs_code)
    record(session=session, scope=scope, kind="wijk", subject="inwoners", old=unit.population, new=data.population)
    unit.name, unit.cbs_code, unit.population = data.name, data.cbs_code, data.population
    bump_revision(session=session, municipality_id=unit.municipality_id)
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
    )


def remove_wijk(*, session: Session, unit_id: int) -> None:
    """Remove a wijk with everything stored for it (the page asks for confirmation first)."""
    unit = get_wijk(session=session, unit_id=unit_id)
    contents = wijk_contents(session=session, unit_id=unit_id)
    what = f"verwijderd, met {contents.positions} schuifjes en {contents.answers} antwoorden"
    scope = Scope(unit.municipality_id, unit.id, unit.name)
    record(session=session, scope=scope, kind="wijk", subject=unit.name, old="bestond", new=what)
    bump_revision(session=session, municipality_id=unit.municipality_id)
    session.delete(unit)
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
    bump_revision(session=session, municipality_id=municipality_id)
    session.flush()
    return municipality


def settings_of(municipality: Municipality) -> ScoringSettings:
    """The scoring settings stored with a municipality."""
    return ScoringSettings(
        rule=OverallRule(municipality.overall_rule),
        theme_weight=municipality.theme_weight,
        population_weighted=municipality.population_weighted,
    )


def respondents_of(*, session: Session, round_id: int, unit_id: int) -> list[Respondent]:
    """Respondents of a unit in a round, by role and label."""
    rows = session.scalars(select(Respondent).where(Respondent.round_id == round_id, Respondent.unit_id == unit_id))
    return sorted(rows, key=lambda r: (r.role, r.label))


def positions_of(*, session: Session, respondent_id: int) -> dict[str, ThemePosition]:
    """Theme id → stored slider position of a respondent."""
    rows = session.scalars(select(ThemePosition).where(ThemePosition.respondent_id == respondent_id))
    return {row.theme_id: row for row in rows}


def answers_of(*, session: Session, respondent_id: int) -> dict[str, Answer]:
    """Question id → stored answer of a respondent."""
    rows = session.scalars(select(Answer).where(Answer.respondent_id == respondent_id))
    return {row.question_id: row for row in rows}
