"""Invitations and their participants in the JSON backup (formats 6 and 7, issue 19): written per round,
checked, and restored with the same link and continue codes, so a restored session goes on.

Only the SHA-256 of a link's token or a continue code is in the file, as in the database. When the
database already holds one of those hashes (a copy restored beside the original), the copy gets a
fresh random hash instead: the link and codes keep pointing at the original only, and a beheerder of
the copy can make a new link ('Nieuwe link')."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from wijkmodel.backup.format import InvitationDump, naive_utc
from wijkmodel.storage.invitations import PARTICIPANT_LABEL
from wijkmodel.storage.tables import (
    Invitation,
    InvitationUnit,
    Participant,
    ParticipantRespondent,
    Respondent,
    Unit,
)


def _stamp(value: dt.datetime | None) -> str | None:
    return value.replace(microsecond=0).isoformat() if value is not None else None


def invitation_parts(*, session: Session, round_id: int, unit_name: dict[int, str]) -> list[dict]:
    """The round's invitations (oldest first), each with its wijken and participants."""
    dumps = []
    for invitation in session.scalars(
        select(Invitation).where(Invitation.round_id == round_id).order_by(Invitation.id)
    ):
        units = session.scalars(select(InvitationUnit.unit_id).where(InvitationUnit.invitation_id == invitation.id))
        participants = []
        for p in session.scalars(
            select(Participant).where(Participant.invitation_id == invitation.id).order_by(Participant.number)
        ):
            labels = session.scalars(
                select(Respondent.label)
                .join(ParticipantRespondent, ParticipantRespondent.respondent_id == Respondent.id)
                .where(ParticipantRespondent.participant_id == p.id)
                .order_by(Respondent.label, Respondent.unit_id)
            )
            participants.append(
                {
                    "number": p.number,
                    "role": p.role,
                    "code_sha256": p.code_hash,
                    "created_at": _stamp(p.created_at),
                    "respondents": sorted(set(labels)),
                }
            )
        dumps.append(
            {
                "title": invitation.title,
                "token_sha256": invitation.token_hash,
                "units": sorted((unit_name[u] for u in units), key=str.casefold),
                "any_unit": invitation.any_unit,
                "roles": [r for r in invitation.roles.split(",") if r],
                "instruments": [i for i in invitation.instruments.split(",") if i],
                "closes_at": _stamp(invitation.closes_at),
                "created_at": _stamp(invitation.created_at),
                "closed_at": _stamp(invitation.closed_at),
                "revoked_at": _stamp(invitation.revoked_at),
                "participants": participants,
            }
        )
    return dumps


def _unused(session: Session, column: InstrumentedAttribute[str], value: str) -> str:
    """`value`, or a fresh random hash when the database already has it (a copy beside the original)."""
    if session.scalar(select(column).where(column == value).limit(1)) is None:
        return value
    return hashlib.sha256(secrets.token_bytes(32)).hexdigest()


def add_invitations(
    *,
    session: Session,
    municipality_id: int,
    round_id: int,
    invitations: list[InvitationDump],
    unit_by_name: dict[str, Unit],
) -> None:
    """Write a round's invitations, participants and their links to the round's respondents."""
    respondents = session.execute(
        select(Respondent.id, Respondent.unit_id, Respondent.role, Respondent.label).where(
            Respondent.round_id == round_id
        )
    ).all()
    for dump in invitations:
        invitation = Invitation(
            municipality_id=municipality_id,
            round_id=round_id,
            title=dump.title,
            token_hash=_unused(session, Invitation.token_hash, dump.token_sha256),
            roles=",".join(r.value for r in dump.roles),
            instruments=",".join(dump.instruments),
            closes_at=naive_utc(dump.closes_at),
            created_at=naive_utc(dump.created_at),
            closed_at=naive_utc(dump.closed_at) if dump.closed_at else None,
            revoked_at=naive_utc(dump.revoked_at) if dump.revoked_at else None,
            any_unit=dump.any_unit if dump.any_unit is not None else not dump.units,
            join_window_start=naive_utc(dump.created_at),
            window_joins=0,
        )
        session.add(invitation)
        session.flush()
        session.add_all(
            InvitationUnit(invitation_id=invitation.id, unit_id=unit_by_name[name.casefold()].id) for name in dump.units
        )
        for p in dump.participants:
            participant = Participant(
                invitation_id=invitation.id,
                number=p.number,
                code_hash=_unused(session, Participant.code_hash, p.code_sha256),
                role=p.role.value,
                created_at=naive_utc(p.created_at),
                window_start=naive_utc(p.created_at),
                window_saves=0,
            )
            session.add(participant)
            session.flush()
            # only records labelled as a participant's (the checks refused any other label)
            labels = {label.casefold() for label in p.respondents if PARTICIPANT_LABEL.fullmatch(label.strip())}
            session.add_all(
                ParticipantRespondent(respondent_id=r.id, participant_id=participant.id, unit_id=r.unit_id)
                for r in respondents
                if r.role == p.role.value and r.label.casefold() in labels
            )
