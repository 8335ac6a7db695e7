"""Respondents and what they entered: slider positions and answers with their notes, each save writing only
the field the user changed (with the value the screen showed, see conflicts)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from wijkmodel.model.indicators import format_number
from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.core import phase_of
from wijkmodel.scoring.slider import NOT_PLACED
from wijkmodel.storage.conflicts import KEEP, Keep, check_seen
from wijkmodel.storage.history import Scope, exact, record, respondent_scope
from wijkmodel.storage.inputs import (
    MAX_NOTE,
    InputError,
    RespondentIn,
    clean_note,
    validate,
)
from wijkmodel.storage.municipalities import (
    bump_revision,
)
from wijkmodel.storage.tables import Answer, Respondent, Round, ThemePosition, Unit, UnitKind, utcnow

GONE_UNIT = (
    "Deze wijk bestaat niet meer: iemand heeft hem verwijderd. Er is niets bewaard. Kies een wijk in de lijst bovenaan."
)


GONE_ROUND = (
    "Deze ronde bestaat niet meer: iemand heeft hem verwijderd. Er is niets bewaard. Kies een ronde in de zijbalk."
)


def _municipality_of_respondent(*, session: Session, respondent_id: int) -> int:
    municipality_id = session.scalar(
        select(Round.municipality_id)
        .join(Respondent, Respondent.round_id == Round.id)
        .where(Respondent.id == respondent_id)
    )
    if municipality_id is None:
        raise InputError(["Deze invuller bestaat niet (meer)."])
    return municipality_id


RANDVOORWAARDEN = "randvoorwaarden"
"""The instrument answered for the municipality as a whole only (seed 002's conditions)."""


def _unit_kind(*, session: Session, respondent_id: int) -> str | None:
    return session.scalar(
        select(Unit.kind).join(Respondent, Respondent.unit_id == Unit.id).where(Respondent.id == respondent_id)
    )


def find_respondent(*, session: Session, round_id: int, unit_id: int, role: str, label: str = "") -> Respondent | None:
    """The respondent with this role and label for a unit in a round, or None (nothing is created)."""
    data = validate(RespondentIn, "Invuller", role=role, label=label)
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
    data = validate(RespondentIn, "Invuller", role=role, label=label)
    round_, unit = session.get(Round, round_id), session.get(Unit, unit_id)
    if unit is None:
        raise InputError([GONE_UNIT])
    if round_ is None:
        raise InputError([GONE_ROUND])
    if round_.municipality_id != unit.municipality_id:
        raise InputError(["Invuller: deze wijk en deze ronde horen niet bij dezelfde gemeente."])
    respondent = Respondent(round_id=round_id, unit_id=unit_id, role=data.role.value, label=data.label)
    session.add(respondent)
    session.flush()
    bump_revision(
        session=session, municipality_id=_municipality_of_respondent(session=session, respondent_id=respondent.id)
    )
    return respondent


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
    instrument = model.instrument_of(question_id)
    if instrument is None:
        raise InputError([f"Antwoord: onbekende vraag '{question_id}'."])
    question = model.question(question_id)
    scale = model.question_scale(question)
    if isinstance(option_id, str) and option_id not in {o.id for o in scale.options}:
        raise InputError([f"Antwoord op vraag {question_id}: onbekend antwoord '{option_id}'."])
    if (
        instrument.id == RANDVOORWAARDEN
        and _unit_kind(session=session, respondent_id=respondent_id) != UnitKind.MUNICIPALITY
    ):
        raise InputError(
            [f"Vraag {question_id} over de randvoorwaarden is voor de gemeente als geheel, niet voor een wijk."]
        )
    if not isinstance(note, Keep):
        note = _check_note(note, where=f"bij vraag {question_id}")
    scope = respondent_scope(session=session, respondent_id=respondent_id)
    row = session.scalar(select(Answer).where(Answer.respondent_id == respondent_id, Answer.question_id == question_id))
    if row is None:
        row = Answer(respondent_id=respondent_id, question_id=question_id, note="", carried_over=False)
        session.add(row)
    labels = {o.id: o.label for o in scale.options}
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


def positions_by_unit(
    *, session: Session, round_id: int, role: str, label: str = ""
) -> dict[int, dict[str, float | None]]:
    """Unit id → theme id → position, of the respondents with this role and label in a round (the
    table of all wijken on Startpositie): one query, whatever the number of wijken."""
    data = validate(RespondentIn, "Respondent", role=role, label=label)
    rows = session.execute(
        select(Respondent.unit_id, ThemePosition.theme_id, ThemePosition.position)
        .join(ThemePosition, ThemePosition.respondent_id == Respondent.id)
        .where(Respondent.round_id == round_id, Respondent.role == data.role.value, Respondent.label == data.label)
    )
    found: dict[int, dict[str, float | None]] = {}
    for unit_id, theme_id, position in rows:
        found.setdefault(unit_id, {})[theme_id] = position
    return found
