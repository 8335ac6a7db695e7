"""Regions (issue 20): municipalities grouped by a beheerder, what each municipality shares with its
regions, and who sees what of them.

The rule of what a person sees (`visible_members`) lives here alone; the Regio page, its downloads,
the deck and the workbook all go through it:
- without login (one person on 127.0.0.1) and on the command line: every member, with its wijken;
- with login: a member in which the account has a role, with its wijken; another member only when it
  shares (`MunicipalitySharing`): its aggregates, and its wijken when it shares those too; never its
  notes or respondents (nothing on the Regio page shows them). An account sees a region it
  coordinates or in which it has a role in a member municipality.
Changes: making a region needs a beheerder of any municipality; adding or removing a municipality
needs a beheerder of that municipality (a municipality is never put in a region behind its back);
renaming, removing and coordinators need a beheerder of a member. Each change is kept in the
history of the municipalities it touches.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session

from wijkmodel.storage.access import Actor, NotAllowed, actor_of, allows, require, role_in
from wijkmodel.storage.accounts import ROLE_KIND, find_accounts
from wijkmodel.storage.conflicts import KEEP, Keep
from wijkmodel.storage.db import check_lock_scope
from wijkmodel.storage.history import Scope, record
from wijkmodel.storage.inputs import InputError, RegionIn, validate
from wijkmodel.storage.municipalities import bump_revision
from wijkmodel.storage.tables import (
    Account,
    AccountRole,
    Grant,
    Municipality,
    MunicipalitySharing,
    Region,
    RegionCoordinator,
    RegionMember,
    RegionSharing,
)

REGION_KIND = "regio"
"""The kind of change in a municipality's history when it joins or leaves a region, or the region
is renamed or removed."""
SHARING_SUBJECT = "delen met de regio"

SHARING_TEXT = {
    None: "niet delen",
    RegionSharing.TOTALS: "scores van de gemeente delen",
    RegionSharing.WIJKEN: "scores van de gemeente en van elke wijk delen",
}
"""How each sharing choice reads (page Instellingen, the history)."""


@dataclass(frozen=True)
class Member:
    """A member municipality as a person may see it."""

    municipality_id: int
    name: str
    wijken: bool
    """Whether its wijk-level scores may be shown."""


def list_regions(*, session: Session) -> list[Region]:
    """Every region, by name."""
    return list(session.scalars(select(Region).order_by(Region.name)))


def find_region(*, session: Session, name: str) -> Region | None:
    """The region with this name (case-insensitive), if any."""
    wanted = " ".join(name.split()).casefold()
    return next((r for r in list_regions(session=session) if r.name.casefold() == wanted), None)


def resolve_region(*, session: Session, name: str) -> Region:
    """The region with this name, or an InputError naming the known ones."""
    region = find_region(session=session, name=name)
    if region is None:
        known = ", ".join(r.name for r in list_regions(session=session)) or "geen"
        raise InputError([f"Regio '{name[:80]}' bestaat niet. Bekende regio's: {known}."])
    return region


def member_ids(*, session: Session, region_id: int) -> list[int]:
    """The region's municipalities, by name."""
    return list(
        session.scalars(
            select(RegionMember.municipality_id)
            .join(Municipality, Municipality.id == RegionMember.municipality_id)
            .where(RegionMember.region_id == region_id)
            .order_by(Municipality.name)
        )
    )


def regions_of(*, session: Session, municipality_id: int) -> list[Region]:
    """The regions a municipality is a member of, by name."""
    return list(
        session.scalars(
            select(Region)
            .join(RegionMember, RegionMember.region_id == Region.id)
            .where(RegionMember.municipality_id == municipality_id)
            .order_by(Region.name)
        )
    )


def sharing_of(*, session: Session, municipality_id: int) -> RegionSharing | None:
    """What the municipality shares with its regions (None: nothing)."""
    level = session.scalar(
        select(MunicipalitySharing.level).where(MunicipalitySharing.municipality_id == municipality_id)
    )
    return RegionSharing(level) if level is not None else None


def _name(session: Session, name: str, region_id: int | None = None) -> str:
    clean = validate(RegionIn, "Regio", name=name).name
    other = find_region(session=session, name=clean)
    if other is not None and other.id != region_id:
        raise InputError([f"Naam van de regio: er is al een regio '{other.name}'."])
    return clean


def _require_member_admin(session: Session, region_id: int) -> None:
    """A change of the region as a whole: a beheerder of one of its members (any, when it has none)."""
    actor = actor_of(session)
    if actor.everything:
        return
    members = member_ids(session=session, region_id=region_id)
    if not members:
        require(session, None, AccountRole.ADMIN)
        return
    if actor.account_id is not None and any(
        allows(role_in(session=session, account_id=actor.account_id, municipality_id=m), AccountRole.ADMIN)
        for m in members
    ):
        return
    raise NotAllowed(["Deze regio wijzigen mag alleen een beheerder van een van haar gemeenten."])


def _trace(session: Session, municipality_id: int, subject: str, old: object, new: object) -> None:
    record(session=session, scope=Scope(municipality_id), kind=REGION_KIND, subject=subject, old=old, new=new)


def create_region(*, session: Session, name: str, municipality_ids: Collection[int] = ()) -> Region:
    """A new region with these municipalities (each needs its own beheerder, see `set_members`)."""
    check_lock_scope(session, None)
    require(session, None, AccountRole.ADMIN)
    actor = actor_of(session)
    if not actor.everything and not set(municipality_ids) & set(choosable(session=session, actor=actor)):
        # else the maker could not see the region afterwards (see `visible_regions`), nor change it
        raise InputError(["Gemeenten van de regio: kies minstens één gemeente waarvan u beheerder bent."])
    region = Region(name=_name(session, name))
    session.add(region)
    session.flush()
    set_members(session=session, region_id=region.id, municipality_ids=municipality_ids)
    return region


STALE = "Er is niets bewaard. Het formulier toont nu wat er bewaard is: kies opnieuw en bewaar dan."


def rename_region(*, session: Session, region_id: int, name: str, seen_name: str | Keep = KEEP) -> None:
    """Give the region another name; kept in each member's history. `seen_name`: the name the user's
    screen showed; when someone renamed the region since, nothing is saved."""
    check_lock_scope(session, None)
    region = _existing(session, region_id)
    _require_member_admin(session, region_id)
    if not isinstance(seen_name, Keep) and seen_name != region.name:
        raise InputError([f"Naam van de regio: iemand anders heeft de naam net veranderd in '{region.name}'. {STALE}"])
    new = _name(session, name, region_id)
    for municipality_id in member_ids(session=session, region_id=region_id):
        _trace(session, municipality_id, "naam van de regio", region.name, new)
    region.name = new
    session.flush()


def delete_region(*, session: Session, region_id: int) -> None:
    """Remove the region (its members stay, with all their data)."""
    check_lock_scope(session, None)
    region = _existing(session, region_id)
    _require_member_admin(session, region_id)
    people = coordinators(session=session, region_id=region_id)
    for municipality_id in member_ids(session=session, region_id=region_id):
        _trace(session, municipality_id, region.name, "lid", "regio verwijderd")
        for email in people:  # under the e-mail, like a role: removing the person takes it out again
            record(
                session=session,
                scope=Scope(municipality_id),
                kind=ROLE_KIND,
                subject=email,
                old=f"regiocoördinator van {region.name}",
                new=None,
            )
    session.delete(region)
    session.flush()


def _existing(session: Session, region_id: int) -> Region:
    region = session.get(Region, region_id)
    if region is None:
        raise InputError(["Deze regio bestaat niet (meer)."])
    return region


def set_members(
    *,
    session: Session,
    region_id: int,
    municipality_ids: Collection[int],
    seen_members: Collection[int] | Keep = KEEP,
) -> None:
    """The region's municipalities become exactly these. Each one added or removed needs a beheerder
    of that municipality (`bump_revision` checks it) and gets a line in its history.

    `seen_members`: the members the user's screen showed. When a municipality the person may choose
    (`choosable`) joined or left since, nothing is saved (members the person cannot change are not
    shown, and a page keeps them as they are)."""
    check_lock_scope(session, None)
    region = _existing(session, region_id)
    if not isinstance(seen_members, Keep):
        mine = set(choosable(session=session, actor=actor_of(session)))
        if set(seen_members) & mine != set(member_ids(session=session, region_id=region_id)) & mine:
            raise InputError([f"Gemeenten van de regio: iemand anders heeft de gemeenten net veranderd. {STALE}"])
    wanted = set(municipality_ids)
    known = set(session.scalars(select(Municipality.id).where(Municipality.id.in_(wanted))))
    if wanted - known:
        raise InputError(["Gemeenten van de regio: een gekozen gemeente bestaat niet (meer)."])
    now = set(member_ids(session=session, region_id=region_id))
    for municipality_id in sorted(wanted - now):
        session.add(RegionMember(region_id=region_id, municipality_id=municipality_id))
        _trace(session, municipality_id, region.name, None, "lid")
        bump_revision(session=session, municipality_id=municipality_id, need=AccountRole.ADMIN)
    for municipality_id in sorted(now - wanted):
        session.execute(
            delete(RegionMember).where(
                RegionMember.region_id == region_id, RegionMember.municipality_id == municipality_id
            )
        )
        _trace(session, municipality_id, region.name, "lid", None)
        bump_revision(session=session, municipality_id=municipality_id, need=AccountRole.ADMIN)
    session.flush()


def set_sharing(*, session: Session, municipality_id: int, level: RegionSharing | None) -> None:
    """What the municipality shares with its regions (a beheerder's setting; None: nothing)."""
    old = sharing_of(session=session, municipality_id=municipality_id)
    if old == level:
        return
    bump_revision(session=session, municipality_id=municipality_id, need=AccountRole.ADMIN)
    session.execute(delete(MunicipalitySharing).where(MunicipalitySharing.municipality_id == municipality_id))
    if level is not None:
        session.add(MunicipalitySharing(municipality_id=municipality_id, level=RegionSharing(level).value))
    record(
        session=session,
        scope=Scope(municipality_id),
        kind="instelling",
        subject=SHARING_SUBJECT,
        old=SHARING_TEXT[old],
        new=SHARING_TEXT[level],
    )
    session.flush()


def coordinators(*, session: Session, region_id: int) -> list[str]:
    """The e-mails of the region's coordinators."""
    return list(
        session.scalars(
            select(Account.email)
            .join(RegionCoordinator, RegionCoordinator.account_id == Account.id)
            .where(RegionCoordinator.region_id == region_id)
            .order_by(Account.email)
        )
    )


def set_coordinator(*, session: Session, region_id: int, email: str, coordinates: bool) -> None:
    """Make the account with this e-mail a coordinator of the region, or no longer (`coordinates`).
    The account must have logged in once. Kept in each member's history under the e-mail, like a
    role (so removing the person takes their e-mail out of it too)."""
    check_lock_scope(session, None)
    region = _existing(session, region_id)
    _require_member_admin(session, region_id)
    accounts = find_accounts(session=session, email=email)
    if len(accounts) != 1:
        why = "er is geen account met" if not accounts else f"er zijn {len(accounts)} accounts met"
        raise InputError([f"E-mailadres: {why} '{email[:80]}'. Laat de persoon eerst één keer inloggen."])
    account = accounts[0]
    is_now = session.get(RegionCoordinator, (region_id, account.id)) is not None
    if is_now == coordinates:
        return
    if coordinates:
        session.add(RegionCoordinator(region_id=region_id, account_id=account.id))
    else:
        session.execute(
            delete(RegionCoordinator).where(
                RegionCoordinator.region_id == region_id, RegionCoordinator.account_id == account.id
            )
        )
    role = f"regiocoördinator van {region.name}"
    for municipality_id in member_ids(session=session, region_id=region_id):
        record(
            session=session,
            scope=Scope(municipality_id),
            kind=ROLE_KIND,
            subject=account.email,
            old=None if coordinates else role,
            new=role if coordinates else None,
        )
    session.flush()


def _sees_region(session: Session, actor: Actor, region_id: int) -> bool:
    if actor.everything:
        return True
    if actor.account_id is None:
        return False
    coordinates = exists().where(
        RegionCoordinator.region_id == region_id, RegionCoordinator.account_id == actor.account_id
    )
    member_role = exists().where(
        RegionMember.region_id == region_id,
        Grant.municipality_id == RegionMember.municipality_id,
        Grant.account_id == actor.account_id,
    )
    return bool(session.scalar(select(coordinates | member_role)))


def visible_regions(*, session: Session, actor: Actor) -> list[Region]:
    """The regions this actor may look at (see the module's rule)."""
    return [r for r in list_regions(session=session) if _sees_region(session, actor, r.id)]


def visible_members(*, session: Session, region_id: int, actor: Actor) -> list[Member]:
    """The region's municipalities this actor may see, by name, each saying whether its wijken may be
    shown (see the module's rule). A region the actor may not look at has none."""
    if actor.invitation_id is not None or not _sees_region(session, actor, region_id):
        return []
    rows = session.execute(
        select(Municipality.id, Municipality.name, MunicipalitySharing.level)
        .join(RegionMember, RegionMember.municipality_id == Municipality.id)
        .outerjoin(MunicipalitySharing, MunicipalitySharing.municipality_id == Municipality.id)
        .where(RegionMember.region_id == region_id)
        .order_by(Municipality.name)
    ).all()
    own: set[int] = set()
    if not actor.everything:
        own = set(session.scalars(select(Grant.municipality_id).where(Grant.account_id == actor.account_id)))
    members = []
    for municipality_id, name, level in rows:
        if actor.everything or municipality_id in own:
            members.append(Member(municipality_id, name, wijken=True))
        elif level is not None:
            members.append(Member(municipality_id, name, wijken=level == RegionSharing.WIJKEN))
    return members


def revisions(*, session: Session, members: Collection[Member]) -> tuple[tuple[int, int, bool], ...]:
    """What a region's page depends on: each visible member with its revision (raised by every save,
    sharing and membership included) and whether its wijken show: a cache key."""
    ids = [m.municipality_id for m in members]
    stored = dict(session.execute(select(Municipality.id, Municipality.revision).where(Municipality.id.in_(ids))).all())
    return tuple((m.municipality_id, int(stored.get(m.municipality_id, -1)), m.wijken) for m in members)


def choosable(*, session: Session, actor: Actor) -> dict[int, str]:
    """The municipalities this actor may put in or take out of a region (id → name, by name): every
    one without login, else those where the account is beheerder. A page offers only these, so it
    never names a municipality the person may not see."""
    query = select(Municipality.id, Municipality.name).order_by(Municipality.name)
    if not actor.everything:
        query = query.join(Grant, Grant.municipality_id == Municipality.id).where(
            Grant.account_id == actor.account_id, Grant.role == AccountRole.ADMIN
        )
    return {int(i): str(n) for i, n in session.execute(query).all()}


def form_state(*, session: Session, region_id: int, actor: Actor) -> tuple[str, list[int]]:
    """The region's name and the members this actor may choose (`choosable`): what its form shows, and
    what a save of that form checks (`rename_region`'s `seen_name`, `set_members`' `seen_members`)."""
    mine = choosable(session=session, actor=actor)
    return _existing(session, region_id).name, [
        m for m in member_ids(session=session, region_id=region_id) if m in mine
    ]


def sharing_members(*, session: Session, region_id: int, municipality_id: int, actor: Actor) -> list[Member]:
    """The members that go in a municipality's own documents (deck, report, workbook): itself and the
    members that share, of those `actor` may see; whoever makes them, a member that shares nothing
    never goes to another municipality's steering group."""
    shared = set(session.scalars(select(MunicipalitySharing.municipality_id)))
    return [
        m
        for m in visible_members(session=session, region_id=region_id, actor=actor)
        if m.municipality_id == municipality_id or m.municipality_id in shared
    ]


def coordinates_any(*, session: Session, account_id: int) -> bool:
    """Whether the account coordinates some region (one query, at every login check)."""
    return bool(session.scalar(select(exists().where(RegionCoordinator.account_id == account_id))))
