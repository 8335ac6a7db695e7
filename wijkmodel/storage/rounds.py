"""Rounds: making one (optionally starting from the values of an earlier round) and listing them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from wijkmodel.storage.history import Scope, record
from wijkmodel.storage.inputs import (
    InputError,
    RoundIn,
    field_problem,
    validate,
)
from wijkmodel.storage.municipalities import (
    bump_revision,
)
from wijkmodel.storage.tables import AccountRole, Answer, Respondent, Round, ThemePosition


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
        raise InputError([field_problem("Ronde", "label", f"er is al een ronde ‘{data.label}’.")])
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
    bump_revision(session=session, municipality_id=municipality_id, need=AccountRole.ADMIN)
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
