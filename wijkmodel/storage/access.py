"""Who may change what: the account behind a save and its role per municipality, checked where data
is saved (issue 18).

A save's session carries its `Actor` (`Sessions.begin(..., actor=...)`). Every change to a
municipality passes `municipalities.bump_revision`, and making or removing a municipality passes
`create_municipalities` and `delete_municipality`: these call `require`, which reads the account's
role from the database inside the save's own transaction. So a role taken away while someone is
logged in counts from their next save, and a refused save writes nothing (its transaction is rolled
back). Without login (one person on 127.0.0.1) and on the command line the actor is `EVERYONE`:
everything is allowed, as before.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from wijkmodel.storage.db import ACTOR
from wijkmodel.storage.inputs import InputError
from wijkmodel.storage.tables import AccountRole, Grant, Invitation, Municipality

RANK = {AccountRole.READER: 0, AccountRole.EDITOR: 1, AccountRole.ADMIN: 2}
"""A role may do what the roles below it may."""


def allows(role: AccountRole | None, need: AccountRole) -> bool:
    """Whether `role` (None: none) may do what `need` may."""
    return role is not None and RANK[role] >= RANK[need]


WHAT = {AccountRole.EDITOR: "invullen en wijzigen", AccountRole.ADMIN: "beheren"}
"""What a needed role allows, in the refusal's words."""


@dataclass(frozen=True)
class Actor:
    """Who saves. `account_id` None with `everything`: no login or the command line; with
    `invitation_id`: a participant answering through that invitation's link (no account)."""

    account_id: int | None
    email: str = ""
    everything: bool = False
    invitation_id: int | None = None


EVERYONE = Actor(account_id=None, everything=True)
"""No login configured (one person on 127.0.0.1), or the command line: every change is allowed."""


class NotAllowed(InputError):
    """A save the account's role does not allow; nothing was changed."""


THROUGH_INVITATION = "wijkmodel.through_invitation"
"""Session info: the invitation whose participant's answer this save is (set by
`invitations.save_as_participant` and `join`, after their own checks). An invitation's actor may
change nothing else."""


def actor_of(session: Session) -> Actor:
    """The actor of a save (EVERYONE when the session was opened without one)."""
    actor = session.info.get(ACTOR, EVERYONE)
    assert isinstance(actor, Actor)
    return actor


def _municipality_of(session: Session, actor: Actor) -> int | None:
    return session.scalar(select(Invitation.municipality_id).where(Invitation.id == actor.invitation_id))


def role_in(*, session: Session, account_id: int, municipality_id: int) -> AccountRole | None:
    """The account's role in the municipality, as stored now (None: none)."""
    role = session.scalar(
        select(Grant.role).where(Grant.account_id == account_id, Grant.municipality_id == municipality_id)
    )
    return AccountRole(role) if role is not None else None


def require(session: Session, municipality_id: int | None, need: AccountRole) -> None:
    """Refuse (NotAllowed) a change the save's account may not make: in `municipality_id`, or, with
    None, a change of no one municipality (making one), which needs a beheerder of any."""
    actor = actor_of(session)
    if actor.everything:
        return
    if actor.invitation_id is not None:
        from_link = session.info.get(THROUGH_INVITATION) == actor.invitation_id
        if not from_link or need != AccountRole.EDITOR or municipality_id != _municipality_of(session, actor):
            raise NotAllowed(["Via deze link kunt u alleen uw eigen antwoorden geven."])
        return
    if actor.account_id is None:
        raise NotAllowed(["U bent niet ingelogd. Log in om iets te wijzigen."])
    if municipality_id is None:
        admin_somewhere = session.scalar(
            select(Grant.id).where(Grant.account_id == actor.account_id, Grant.role == AccountRole.ADMIN).limit(1)
        )
        if admin_somewhere is None:
            raise NotAllowed(
                ["Een nieuwe gemeente maken mag alleen een beheerder. Vraag het een beheerder van wijkmodel."]
            )
        return
    role = role_in(session=session, account_id=actor.account_id, municipality_id=municipality_id)
    if not allows(role, need):
        name = session.scalar(select(Municipality.name).where(Municipality.id == municipality_id)) or "deze gemeente"
        now = f"u bent {role.value}" if role is not None else "u hebt geen rol"
        raise NotAllowed(
            [f"U mag bij {name} niet {WHAT[need]}: {now}. Vraag een beheerder van {name} om een andere rol."]
        )
