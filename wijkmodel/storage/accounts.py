"""Accounts (people who log in with OIDC) and their roles per municipality (issue 18).

An account is known by its provider (issuer) and subject; its e-mail is what people and the history
read. wijkmodel stores no passwords. Giving and taking roles is a beheerder's change of the
municipality (checked by `access.require`, kept in the history); the first beheerder comes from the
command line (`python -m wijkmodel gebruiker geef …`), which may do everything.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from wijkmodel.storage.history import Scope, record
from wijkmodel.storage.inputs import InputError
from wijkmodel.storage.municipalities import bump_revision
from wijkmodel.storage.tables import Account, AccountRole, Change, ChangeAccount, Grant

MAX_EMAIL = 320
ROLE_KIND = "rol"
"""The kind of change in the history when a role is given or taken (its subject: the e-mail)."""
PSEUDONYM = "verwijderd-{id}"
"""What the history says instead of the e-mail of a person who was removed."""


@dataclass(frozen=True)
class Member:
    """An account with its role in one municipality."""

    account_id: int
    email: str
    role: AccountRole


def clean_email(value: str | None) -> str:
    """An e-mail address as it is stored: spaces around and inside taken out of a pasted value."""
    return " ".join((value or "").split())


def _email(value: str | None) -> str:
    email = clean_email(value)
    if not email:
        raise InputError(
            ["Uw account heeft geen e-mailadres. wijkmodel heeft het nodig om te laten zien wie iets veranderde; "
             "vraag de beheerder van uw inlogdienst om het e-mailadres mee te geven."]
        )  # fmt: skip
    if len(email) > MAX_EMAIL or "@" not in email:
        raise InputError([f"E-mailadres: '{email[:80]}' is geen e-mailadres."])
    return email


def account_for_login(*, session: Session, issuer: str, subject: str, email: str | None) -> Account:
    """The account of a login (made on the first one); its e-mail kept up to date with the provider's."""
    if not issuer or not subject:
        raise InputError(["De inlogdienst gaf geen herkenbaar account (issuer en subject ontbreken)."])
    address = _email(email)
    account = session.scalar(select(Account).where(Account.issuer == issuer, Account.subject == subject))
    if account is None:
        account = Account(issuer=issuer, subject=subject, email=address)
        session.add(account)
        session.flush()
    elif account.email != address:
        account.email = address
    return account


def find_accounts(*, session: Session, email: str) -> list[Account]:
    """The accounts with this e-mail (case-insensitive)."""
    wanted = clean_email(email).casefold()
    return list(session.scalars(select(Account).where(func.lower(Account.email) == wanted).order_by(Account.id)))


def roles_of(*, session: Session, account_id: int) -> dict[int, AccountRole]:
    """Municipality id → the account's role there, as stored now."""
    rows = session.execute(select(Grant.municipality_id, Grant.role).where(Grant.account_id == account_id))
    return {municipality_id: AccountRole(role) for municipality_id, role in rows}


def members(*, session: Session, municipality_id: int) -> list[Member]:
    """The accounts with a role in the municipality, by e-mail."""
    rows = session.execute(
        select(Account.id, Account.email, Grant.role)
        .join(Grant, Grant.account_id == Account.id)
        .where(Grant.municipality_id == municipality_id)
        .order_by(func.lower(Account.email), Account.id)
    )
    return [Member(account_id, email, AccountRole(role)) for account_id, email, role in rows]


def _admins(session: Session, municipality_id: int) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(Grant)
            .where(Grant.municipality_id == municipality_id, Grant.role == AccountRole.ADMIN)
        )
        or 0
    )


def set_role(*, session: Session, municipality_id: int, account_id: int, role: AccountRole | None) -> None:
    """Give an account a role in the municipality, change it, or take it away (None). Taking the
    last beheerder's role (or making them something else) is refused: someone must stay to manage."""
    account = session.get(Account, account_id)
    if account is None:
        raise InputError(["Dit account bestaat niet (meer)."])
    grant = session.scalar(
        select(Grant).where(Grant.account_id == account_id, Grant.municipality_id == municipality_id)
    )
    old = AccountRole(grant.role) if grant is not None else None
    if old == role:
        return
    if old == AccountRole.ADMIN and _admins(session, municipality_id) <= 1:
        raise InputError(
            [f"{account.email} is de laatste beheerder van deze gemeente. Maak eerst iemand anders beheerder."]
        )
    if role is None:
        assert grant is not None
        session.delete(grant)
    elif grant is None:
        session.add(Grant(account_id=account_id, municipality_id=municipality_id, role=role))
    else:
        grant.role = role
    session.flush()
    record(
        session=session,
        scope=Scope(municipality_id),
        kind=ROLE_KIND,
        subject=account.email,
        old=old.value if old else None,
        new=role.value if role else None,
    )
    bump_revision(session=session, municipality_id=municipality_id, need=AccountRole.ADMIN)


def pseudonymise(*, session: Session, email: str) -> int:
    """Remove a person: their accounts and roles go, and the history names them no more (their
    e-mail becomes 'verwijderd-N', as the account behind a change and as the subject of a role).
    Refused when they are a municipality's last beheerder.
    Returns how many changes in the history were theirs."""
    accounts = find_accounts(session=session, email=email)
    if not accounts:
        raise InputError([f"Er is geen account met het e-mailadres '{email[:80]}'."])
    changed = 0
    for account in accounts:
        for municipality_id, role in roles_of(session=session, account_id=account.id).items():
            if role == AccountRole.ADMIN and _admins(session, municipality_id) <= 1:
                raise InputError(
                    [f"{account.email} is de laatste beheerder van een gemeente. Maak eerst iemand anders beheerder."]
                )
        pseudonym = PSEUDONYM.format(id=account.id)
        result = session.execute(
            update(ChangeAccount).where(ChangeAccount.account == account.email).values(account=pseudonym)
        )
        changed += result.rowcount or 0  # type: ignore[attr-defined]
        # the roles given to them name them as the subject
        session.execute(
            update(Change).where(Change.kind == ROLE_KIND, Change.subject == account.email).values(subject=pseudonym)
        )
        session.execute(delete(Grant).where(Grant.account_id == account.id))
        session.delete(account)
    session.flush()
    return changed


def set_role_by_email(*, session: Session, municipality_id: int, email: str, role: AccountRole | None) -> Account:
    """`set_role` for the account with this e-mail, which must have logged in once (its account is
    made then); refused when there is none, or more than one (other providers)."""
    accounts = find_accounts(session=session, email=email)
    if not accounts:
        raise InputError(
            [f"E-mailadres: er is geen account met '{email[:80]}'. Laat de persoon eerst één keer inloggen."]
        )
    if len(accounts) > 1:
        raise InputError([f"E-mailadres: er zijn {len(accounts)} accounts met '{email[:80]}'."])
    set_role(session=session, municipality_id=municipality_id, account_id=accounts[0].id, role=role)
    return accounts[0]
