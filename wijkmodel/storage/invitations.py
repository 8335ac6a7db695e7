"""Invitations: partners and residents answer for a round through one link, without an account
(issue 19). A beheerder makes the invitation; whoever has the link joins as a participant (anonymous,
with a continue code) and answers for the wijken and instruments the invitation allows. Their answers
are ordinary respondents' answers (one respondent record per person per wijk), so they count wherever
a respondent counts.

Security: the link's token and the continue code are random (`secrets`, 192 and 128 bits), stored
only as their SHA-256, and every save through a link checks here that the invitation is open (not
past its closing date, closed or revoked), that the code belongs to it, and that the wijk, role and
instrument are ones it allows. The save's actor is the invitation (`Actor.invitation_id`), which
`access.require` lets change answers of its own municipality only. Saves per participant per minute
are bounded (`MAX_SAVES_PER_MINUTE`), counted in the database so the bound holds across servers.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from wijkmodel.model.schema import MaturityModel
from wijkmodel.storage.access import THROUGH_INVITATION
from wijkmodel.storage.conflicts import KEEP, Keep
from wijkmodel.storage.frames import unit_sort_key
from wijkmodel.storage.inputs import MAX_LABEL, InputError, clean_label
from wijkmodel.storage.municipalities import bump_revision
from wijkmodel.storage.responses import find_respondent, get_or_create_respondent, save_answer, save_position
from wijkmodel.storage.tables import (
    AccountRole,
    Answer,
    Invitation,
    InvitationUnit,
    Municipality,
    Participant,
    ParticipantRespondent,
    Role,
    Round,
    ThemePosition,
    Unit,
    UnitKind,
    utcnow,
)

SLIDERS = "schuifjes"
"""The instrument of the six themes' sliders (the start position); the others are the model's
instrument ids `quickscan` and `randvoorwaarden`."""
INSTRUMENTS = {SLIDERS: "De zes thema's (schuifjes)", "quickscan": "De Quickscan", "randvoorwaarden": "Randvoorwaarden"}
"""What an invitation can ask, with the words a beheerder sees. Randvoorwaarden are answered for the
municipality as a whole only (seed 002), so they count only when that unit is chosen."""
MAX_SAVES_PER_MINUTE = 120
"""Saves per participant per minute: enough for a person moving sliders by keyboard, too few for a
script filling the database."""
MAX_JOINS_PER_MINUTE = 100
"""New participants per invitation per minute: a full hall scanning the QR code at once, not a script."""
MAX_PARTICIPANTS = 500
"""Participants per invitation: more than any session holds; a script with the link stops here."""
LINK_PARAMETER = "uitnodiging"
"""The address's parameter with an invitation's token: /?uitnodiging=…"""
PARTICIPANT_LABEL = re.compile(r"uitnodiging \d+, deelnemer \d+(?: \(\d+\))?")
"""The label of a participant's respondent record (see `respondent_for`); a backup links participants
only to records so labelled, never to a respondent staff typed in."""
TOKEN_BYTES = 24
CODE_BYTES = 16


class InvitationRefused(InputError):
    """A link that is unknown, closed, revoked or past its date, or a code that is not of it."""


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.strip().encode("utf-8")).hexdigest()


def _split(text: str) -> list[str]:
    return [part for part in text.split(",") if part]


@dataclass(frozen=True)
class Open:
    """An open invitation as the respondent page needs it."""

    id: int
    municipality_id: int
    round_id: int
    title: str
    roles: list[str]
    """The roles a participant may choose (all four when the invitation leaves it open)."""
    instruments: list[str]
    unit_ids: list[int]
    """The units a participant may answer for (every wijk and the municipality when left open)."""
    closes_at: datetime


def make_invitation(
    *,
    session: Session,
    round_id: int,
    title: str,
    unit_ids: list[int],
    roles: list[str],
    instruments: list[str],
    closes_at: datetime,
    now: datetime | None = None,
) -> tuple[Invitation, str]:
    """A new invitation (a beheerder's change); returns it with its token, shown once for the link."""
    now = now or utcnow()
    round_ = session.get(Round, round_id)
    if round_ is None:
        raise InputError(["Uitnodiging: deze ronde bestaat niet (meer)."])
    problems = []
    try:
        name = clean_label(title)
    except ValueError as exc:
        name, problems = "", [f"Naam van de uitnodiging: {exc}."]
    if not name:
        problems.append("Naam van de uitnodiging: vul een naam in, bijvoorbeeld 'Wijkavond Noord'.")
    elif len(name) > MAX_LABEL:
        problems.append(f"Naam van de uitnodiging: hoogstens {MAX_LABEL} tekens.")
    unknown_roles = [r for r in roles if r not in {x.value for x in Role}]
    if unknown_roles:
        problems.append(f"Rollen: onbekend: {', '.join(unknown_roles)}.")
    if not instruments:
        problems.append("Wat vullen ze in: kies de schuifjes, de Quickscan of Randvoorwaarden.")
    if any(i not in INSTRUMENTS for i in instruments):
        problems.append("Wat vullen ze in: onbekend onderdeel.")
    if closes_at <= now:
        problems.append("Sluit op: kies een moment in de toekomst.")
    found = set(
        session.scalars(select(Unit.id).where(Unit.id.in_(unit_ids), Unit.municipality_id == round_.municipality_id))
    )
    if set(unit_ids) - found:
        problems.append("Wijken: een gekozen wijk bestaat niet (meer) in deze gemeente.")
    if problems:
        raise InputError(problems)
    bump_revision(session=session, municipality_id=round_.municipality_id, need=AccountRole.ADMIN)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    invitation = Invitation(
        municipality_id=round_.municipality_id,
        round_id=round_id,
        title=name,
        token_hash=_hash(token),
        roles=",".join(r for r in (x.value for x in Role) if r in roles),
        instruments=",".join(i for i in INSTRUMENTS if i in instruments),
        closes_at=closes_at,
        created_at=now,
        any_unit=not unit_ids,
        join_window_start=now,
        window_joins=0,
    )
    session.add(invitation)
    session.flush()
    session.add_all(InvitationUnit(invitation_id=invitation.id, unit_id=u) for u in sorted(set(unit_ids)))
    return invitation, token


def end_invitation(*, session: Session, invitation_id: int, revoke: bool = False) -> None:
    """Close an invitation (the session is over) or revoke it (the link stops working); a beheerder's."""
    invitation = session.get(Invitation, invitation_id)
    if invitation is None:
        raise InputError(["Deze uitnodiging bestaat niet (meer)."])
    bump_revision(session=session, municipality_id=invitation.municipality_id, need=AccountRole.ADMIN)
    if revoke:
        invitation.revoked_at = invitation.revoked_at or utcnow()
    else:
        invitation.closed_at = invitation.closed_at or utcnow()


def invitations_of(*, session: Session, round_id: int) -> list[Invitation]:
    """The round's invitations, newest first."""
    query = select(Invitation).where(Invitation.round_id == round_id).order_by(Invitation.id.desc())
    return list(session.scalars(query))


def state_of(invitation: Invitation, now: datetime | None = None) -> str:
    """open, gesloten, ingetrokken or verlopen, in the words the pages show."""
    if invitation.revoked_at is not None:
        return "ingetrokken"
    if invitation.closed_at is not None:
        return "gesloten"
    if invitation.closes_at <= (now or utcnow()):
        return "verlopen"
    return "open"


def about_text(*, session: Session, invitation: Invitation) -> str:
    """Which wijken an invitation asks about, in words for the facilitator."""
    if invitation.any_unit:
        return "De invuller kiest de wijk"
    rows = session.execute(
        select(Unit.name, Unit.kind)
        .join(InvitationUnit, InvitationUnit.unit_id == Unit.id)
        .where(InvitationUnit.invitation_id == invitation.id)
    ).all()
    if not rows:
        return "Geen wijk meer: de gekozen wijken zijn verwijderd, de link werkt niet"
    names = [r.name for r in sorted(rows, key=lambda r: unit_sort_key(r.kind, r.name))]
    return "Over " + ", ".join(names)


def roles_offered(invitation: Invitation) -> list[str]:
    """The roles a participant may choose: the invitation's, or all four when it leaves it open."""
    return _split(invitation.roles) or [r.value for r in Role]


REFUSED = {
    "onbekend": "Deze link werkt niet. Controleer of u hem helemaal hebt overgenomen, of vraag een nieuwe link.",
    "ingetrokken": "Deze link is ingetrokken en werkt niet meer. Vraag de organisator om een nieuwe link.",
    "gesloten": "Deze sessie is gesloten: u kunt niets meer invullen. Bedankt voor uw hulp.",
    "verlopen": "Deze link is verlopen: u kunt niets meer invullen. Vraag de organisator om een nieuwe link.",
    "zonder wijk": "De wijk van deze link bestaat niet meer, dus u kunt niets invullen. Vraag de organisator om een "
    "nieuwe link.",
}
"""What the respondent page says to a link that does not (or no longer) work; nothing is written."""


def open_invitation(*, session: Session, token: str, now: datetime | None = None) -> Open:
    """The open invitation of a link's token; InvitationRefused with the reason otherwise."""
    invitation = session.scalar(select(Invitation).where(Invitation.token_hash == _hash(token or "")))
    if invitation is None or not token:
        raise InvitationRefused([REFUSED["onbekend"]])
    state = state_of(invitation, now)
    if state != "open":
        raise InvitationRefused([REFUSED[state]])
    if invitation.any_unit:
        query = select(Unit.id).where(Unit.municipality_id == invitation.municipality_id)
    else:
        query = select(InvitationUnit.unit_id).where(InvitationUnit.invitation_id == invitation.id)
    unit_ids = list(session.scalars(query))
    if not unit_ids:  # its wijken were removed: it opens none (never every one)
        raise InvitationRefused([REFUSED["zonder wijk"]])
    return Open(
        id=invitation.id,
        municipality_id=invitation.municipality_id,
        round_id=invitation.round_id,
        title=invitation.title,
        roles=roles_offered(invitation),
        instruments=_split(invitation.instruments),
        unit_ids=unit_ids,
        closes_at=invitation.closes_at,
    )


def join(*, session: Session, token: str, role: str, now: datetime | None = None) -> tuple[Participant, str]:
    """A new participant of an open invitation with a role it allows; returns it with its continue
    code (shown once)."""
    invitation = open_invitation(session=session, token=token, now=now)
    if role not in invitation.roles:
        raise InputError(["Kies een van de rollen in de lijst."])
    session.info[THROUGH_INVITATION] = invitation.id
    bump_revision(session=session, municipality_id=invitation.municipality_id)  # also serialises the joins
    _count_join(session, invitation.id, now or utcnow())
    number = (
        session.scalar(select(func.max(Participant.number)).where(Participant.invitation_id == invitation.id)) or 0
    ) + 1
    code = secrets.token_urlsafe(CODE_BYTES)
    participant = Participant(
        invitation_id=invitation.id, number=number, code_hash=_hash(code), role=role, window_start=now or utcnow()
    )
    session.add(participant)
    session.flush()
    return participant, code


def participant_of(*, session: Session, token: str, code: str, now: datetime | None = None) -> tuple[Open, Participant]:
    """The open invitation and the participant with this continue code (of this invitation only)."""
    invitation = open_invitation(session=session, token=token, now=now)
    participant = session.scalar(
        select(Participant).where(
            Participant.code_hash == _hash(code or ""), Participant.invitation_id == invitation.id
        )
    )
    if participant is None or not code:
        raise InvitationRefused(["Deze code hoort niet bij deze link. Controleer de code, of begin opnieuw."])
    return invitation, participant


def _count_join(session: Session, invitation_id: int, now: datetime) -> None:
    """One more join in the invitation's minute; refused past the bounds (read after the revision's
    lock, so two servers cannot both take the last place)."""
    start, joins = session.execute(
        select(Invitation.join_window_start, Invitation.window_joins).where(Invitation.id == invitation_id)
    ).one()
    if now - start >= timedelta(minutes=1):
        start, joins = now, 0
    participants = session.scalar(select(func.count()).where(Participant.invitation_id == invitation_id)) or 0
    if participants >= MAX_PARTICIPANTS:
        raise InvitationRefused(["Via deze link doen al zoveel mensen mee dat er niemand meer bij kan."])
    if joins >= MAX_JOINS_PER_MINUTE:
        raise InputError(["Er melden zich nu veel mensen tegelijk aan. Wacht een minuut en probeer het opnieuw."])
    session.execute(
        update(Invitation)
        .where(Invitation.id == invitation_id)
        .values(join_window_start=start, window_joins=joins + 1)
        .execution_options(synchronize_session=False)
    )


def _count_save(session: Session, participant: Participant, now: datetime) -> None:
    """One more save in this participant's minute; refused past the bound."""
    if now - participant.window_start >= timedelta(minutes=1):
        participant.window_start, participant.window_saves = now, 0
    if participant.window_saves >= MAX_SAVES_PER_MINUTE:
        raise InputError(["U bewaart erg veel in korte tijd. Wacht een minuut en probeer het dan opnieuw."])
    session.execute(
        update(Participant)
        .where(Participant.id == participant.id)
        .values(window_start=participant.window_start, window_saves=participant.window_saves + 1)
        .execution_options(synchronize_session=False)
    )
    participant.window_saves += 1


def respondent_for(*, session: Session, invitation: Open, participant: Participant, unit_id: int) -> int:
    """The participant's respondent record for a unit the invitation allows (made on the first save)."""
    if unit_id not in invitation.unit_ids:
        raise InvitationRefused(["Deze wijk hoort niet bij deze uitnodiging."])
    found = session.scalar(
        select(ParticipantRespondent.respondent_id).where(
            ParticipantRespondent.participant_id == participant.id, ParticipantRespondent.unit_id == unit_id
        )
    )
    if found is not None:
        return found
    label = base = f"uitnodiging {invitation.id}, deelnemer {participant.number}"
    suffix = 1
    # a label of its own, never another's record (a restored round can hold this label already)
    while find_respondent(
        session=session, round_id=invitation.round_id, unit_id=unit_id, role=participant.role, label=label
    ):
        suffix += 1
        label = f"{base} ({suffix})"
    respondent = get_or_create_respondent(
        session=session, round_id=invitation.round_id, unit_id=unit_id, role=participant.role, label=label
    )
    session.add(ParticipantRespondent(respondent_id=respondent.id, participant_id=participant.id, unit_id=unit_id))
    return respondent.id


def _instrument_allowed(session: Session, invitation: Open, instrument: str, unit_id: int) -> None:
    if instrument not in invitation.instruments:
        raise InvitationRefused(["Dit onderdeel hoort niet bij deze uitnodiging."])
    kind = session.scalar(select(Unit.kind).where(Unit.id == unit_id))
    if instrument == "randvoorwaarden" and kind != UnitKind.MUNICIPALITY.value:
        raise InvitationRefused(["Randvoorwaarden gelden voor de gemeente als geheel, niet voor één wijk."])


def save_as_participant(
    *,
    session: Session,
    token: str,
    code: str,
    unit_id: int,
    model: MaturityModel,
    theme_id: str | None = None,
    question_id: str | None = None,
    value: float | str | Keep | None = KEEP,
    note: str | Keep = KEEP,
    now: datetime | None = None,
) -> int:
    """Save one slider (`theme_id`) or one answer (`question_id`) of a participant: the value and/or
    the note. Everything is checked against the invitation first; returns the respondent's id."""
    now = now or utcnow()
    invitation, participant = participant_of(session=session, token=token, code=code, now=now)
    instrument = SLIDERS if theme_id is not None else getattr(model.instrument_of(question_id or ""), "id", "")
    _instrument_allowed(session, invitation, instrument, unit_id)
    _count_save(session, participant, now)
    session.info[THROUGH_INVITATION] = invitation.id
    respondent_id = respondent_for(session=session, invitation=invitation, participant=participant, unit_id=unit_id)
    if theme_id is not None:
        position = value if isinstance(value, Keep) or value is None else float(value)
        save_position(
            session=session, respondent_id=respondent_id, theme_id=theme_id, model=model, position=position, note=note
        )
    else:
        option = value if isinstance(value, Keep) or value is None else str(value)
        save_answer(
            session=session,
            respondent_id=respondent_id,
            question_id=question_id or "",
            model=model,
            option_id=option,
            note=note,
        )
    return respondent_id


@dataclass(frozen=True)
class Setting:
    """Where an invitation's answers go, in words for its page: the municipality, the round, and the
    units it asks about (id, name, kind), in the municipality's order."""

    municipality: str
    round_label: str
    units: list[tuple[int, str, str]]


def setting_of(*, session: Session, invitation: Open) -> Setting:
    municipality = session.scalar(select(Municipality.name).where(Municipality.id == invitation.municipality_id))
    round_label = session.scalar(select(Round.label).where(Round.id == invitation.round_id))
    rows = session.execute(select(Unit.id, Unit.name, Unit.kind).where(Unit.id.in_(invitation.unit_ids))).all()
    rows = sorted(rows, key=lambda r: unit_sort_key(r.kind, r.name))  # as everywhere: the municipality first
    return Setting(municipality or "", round_label or "", [(r.id, r.name, r.kind) for r in rows])


def answers_of_participant(
    *, session: Session, participant_id: int, unit_id: int
) -> tuple[dict[str, ThemePosition], dict[str, Answer]]:
    """What a participant stored for one unit: positions by theme, answers by question."""
    respondent_id = session.scalar(
        select(ParticipantRespondent.respondent_id).where(
            ParticipantRespondent.participant_id == participant_id, ParticipantRespondent.unit_id == unit_id
        )
    )
    if respondent_id is None:
        return {}, {}
    positions = session.scalars(select(ThemePosition).where(ThemePosition.respondent_id == respondent_id))
    answers = session.scalars(select(Answer).where(Answer.respondent_id == respondent_id))
    return {p.theme_id: p for p in positions}, {a.question_id: a for a in answers}


@dataclass(frozen=True)
class LiveRow:
    """One placed slider of a participant, for the live results."""

    participant: int
    role: str
    unit: str
    theme_id: str
    position: float


def live_rows(*, session: Session, invitation_id: int) -> tuple[list[tuple[int, str, str]], list[LiveRow]]:
    """For the facilitator's live view: every participant with a wijk they answered for (number,
    role, wijk), and every slider they placed."""
    answered = session.execute(
        select(Participant.number, Participant.role, Unit.name)
        .join(ParticipantRespondent, ParticipantRespondent.participant_id == Participant.id)
        .join(Unit, Unit.id == ParticipantRespondent.unit_id)
        .where(Participant.invitation_id == invitation_id)
    ).all()
    placed = session.execute(
        select(Participant.number, Participant.role, Unit.name, ThemePosition.theme_id, ThemePosition.position)
        .join(ParticipantRespondent, ParticipantRespondent.participant_id == Participant.id)
        .join(Unit, Unit.id == ParticipantRespondent.unit_id)
        .join(ThemePosition, ThemePosition.respondent_id == ParticipantRespondent.respondent_id)
        .where(Participant.invitation_id == invitation_id, ThemePosition.position.is_not(None))
    ).all()
    return [(n, r, u) for n, r, u in answered], [LiveRow(n, r, u, t, float(p or 0)) for n, r, u, t, p in placed]


def renew_link(*, session: Session, invitation_id: int) -> str:
    """A new token for an invitation (a beheerder's): the old link stops working. For a link that was
    lost (only its hash is stored) or went where it should not; participants keep their codes."""
    invitation = session.get(Invitation, invitation_id)
    if invitation is None:
        raise InputError(["Deze uitnodiging bestaat niet (meer)."])
    bump_revision(session=session, municipality_id=invitation.municipality_id, need=AccountRole.ADMIN)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    invitation.token_hash = _hash(token)
    return token


def invitation_link(base_url: str, token: str) -> str:
    """The address a respondent opens: the app's own address with ?uitnodiging=TOKEN."""
    return f"{base_url.split('?', 1)[0].rstrip('/')}/?{LINK_PARAMETER}={token}"
