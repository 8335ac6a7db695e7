"""Login with the municipality's own accounts (OIDC, `st.login`), when `[auth]` is configured in
`.streamlit/secrets.toml` (issue 18). Without it the app runs for one person on 127.0.0.1 as before.

With login every page first needs a logged-in account with a role: the login page, or a Dutch page
saying whom to ask. The account is found (or made, on the first login) by the provider's issuer and
subject; what it may change is checked where data is saved (`wijkmodel.storage.access`), with the
`Actor` kept here in the session. Which municipalities it sees comes from its roles, read on every run.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import streamlit as st
from sqlalchemy import select

from ui.resources import session_factory
from wijkmodel.storage.access import Actor, allows
from wijkmodel.storage.accounts import account_for_login, clean_email, roles_of
from wijkmodel.storage.inputs import InputError
from wijkmodel.storage.regions import coordinates_any
from wijkmodel.storage.tables import Account, AccountRole
from wijkmodel.text.markdown import literal

log = logging.getLogger("wijkmodel.login")
_REPORTED: list[bool] = []
"""Whether this process logged the [auth] problems already (once, not on every run)."""

ACTOR = "actor"
"""Session state: the `Actor` of the logged-in account (absent without login)."""
LOGIN = "login"
"""Session state: the `Login` of this run (absent without login)."""


@dataclass(frozen=True)
class Login:
    """The logged-in account and its roles now (municipality id → role)."""

    actor: Actor
    roles: dict[int, AccountRole]
    coordinates: bool = False
    """Whether the account coordinates a region (issue 20): without a role it sees the page Regio only."""


def login_configured() -> bool:
    """Whether `[auth]` is in the secrets (no secrets file at all: no login)."""
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - Streamlit raises its own error when there is no secrets file
        return False


SHARED = ("redirect_uri", "cookie_secret")
"""What `[auth]` itself must hold, whichever provider logs in."""
PROVIDER = ("client_id", "client_secret", "server_metadata_url")
"""What a provider needs: in `[auth]` itself (the default provider) or in a section `[auth.NAME]`."""


def _named(auth: object) -> dict[str, object]:
    """The named providers: the sections `[auth.NAME]` (a table inside [auth])."""
    items = auth.items() if hasattr(auth, "items") else []
    return {str(name): value for name, value in items if hasattr(value, "get")}


def providers(auth: object) -> list[str | None]:
    """The providers to offer on the login page, in the order of the file: None for the default one
    (`st.login()`), a name for `[auth.NAME]` (`st.login(NAME)`)."""
    default: list[str | None] = [None] if hasattr(auth, "get") and auth.get("client_id") else []
    return [*default, *_named(auth)]


def _provider_problems(section: object, where: str) -> list[str]:
    missing = [key for key in PROVIDER if not str(section.get(key) or "").strip()]  # type: ignore[attr-defined]
    problems = [f"In .streamlit/secrets.toml ontbreekt in {where}: {', '.join(missing)}."] if missing else []
    url = str(section.get("server_metadata_url") or "")  # type: ignore[attr-defined]
    if url and not url.startswith(("https://", "http://")):
        problems.append(
            f"In .streamlit/secrets.toml is server_metadata_url in {where} geen adres (http:// of https://)."
        )
    return problems


def auth_problems(auth: object) -> list[str]:
    """What is wrong with the `[auth]` section, in Dutch for the server's administrator (empty: nothing)."""
    if not hasattr(auth, "get"):
        return ["In .streamlit/secrets.toml is [auth] geen sectie met instellingen."]
    missing = [key for key in SHARED if not str(auth.get(key) or "").strip()]
    problems = [f"In .streamlit/secrets.toml ontbreekt in [auth]: {', '.join(missing)}."] if missing else []
    redirect = str(auth.get("redirect_uri") or "")
    if redirect and not redirect.rstrip().endswith("/oauth2callback"):
        problems.append("In .streamlit/secrets.toml eindigt redirect_uri in [auth] niet op /oauth2callback.")
    named = _named(auth)
    if not named or any(auth.get(key) for key in PROVIDER):  # the default provider, or nothing at all
        problems += _provider_problems(auth, "[auth]")
    for name, section in named.items():
        problems += _provider_problems(section, f"[auth.{name}]")
    return problems


def _account(issuer: str, subject: str, email: str | None) -> Actor:
    """The account of this login: read; made or updated (one small save) only on a first login or
    a new e-mail, so a page's run costs one query."""
    with session_factory()() as session:
        found = session.execute(
            select(Account.id, Account.email).where(Account.issuer == issuer, Account.subject == subject)
        ).first()
    if found is not None and email and found.email == clean_email(email):
        return Actor(found.id, found.email)
    with session_factory().begin() as session:
        account = account_for_login(session=session, issuer=issuer, subject=subject, email=email)
        return Actor(account.id, account.email)


def require_login() -> Login | None:
    """None without login configured. With it: the logged-in account and its roles; otherwise the
    login page (or why the account cannot go on) and the run stops here."""
    st.session_state.pop(LOGIN, None)
    if not login_configured():
        st.session_state.pop(ACTOR, None)
        return None
    if not st.user.get("is_logged_in"):
        st.session_state.pop(ACTOR, None)
        problems = auth_problems(st.secrets["auth"])
        if problems:  # a clear word for whoever set the server up, instead of Streamlit's error at the click
            if not _REPORTED:  # and once in the server's log, where the administrator looks at start-up
                log.error("Inloggen is niet goed ingesteld: %s", " ".join(problems))
                _REPORTED.append(True)
            st.title("Inloggen is niet goed ingesteld")
            for problem in problems:
                st.error(problem, icon=":material/error:")
            st.write("Vraag de beheerder van de server dit te herstellen; zie de README, 'Inloggen en rollen'.")
            st.stop()
        st.title("wijkmodel")
        st.write(
            "Met wijkmodel ziet u per wijk hoe ver uw gemeente is met wijkgericht werken. "
            "Log in met het account van uw organisatie."
        )
        choices = providers(st.secrets["auth"])
        for provider in choices:
            label = "Inloggen" if len(choices) == 1 or provider is None else f"Inloggen met {provider}"
            if st.button(label, type="primary", icon=":material/login:", key=f"login_{provider or ''}"):
                st.login(provider)
        st.stop()
    try:
        actor = _account(str(st.user.get("iss") or ""), str(st.user.get("sub") or ""), st.user.get("email"))  # type: ignore[arg-type]
    except InputError as exc:  # no e-mail, say: nothing is stored, the person is told what to ask
        st.session_state.pop(ACTOR, None)
        st.title("Inloggen lukt niet")
        for problem in exc.problems:
            st.error(problem, icon=":material/error:")
        st.button("Uitloggen", on_click=st.logout)
        st.stop()
    st.session_state[ACTOR] = actor
    with session_factory()() as session:
        roles = roles_of(session=session, account_id=actor.account_id or 0)
        coordinates = coordinates_any(session=session, account_id=actor.account_id or 0)
    if not roles and not coordinates:
        st.title("U hebt nog geen rol")
        st.write(
            f"U bent ingelogd als {literal(actor.email)}, maar u hebt nog bij geen enkele gemeente een rol. "
            "Vraag een beheerder van uw gemeente om u een rol te geven (beheerder, invuller of lezer). "
            "Is er nog geen beheerder? Dan geeft de beheerder van de server u die met: "
        )
        st.code(f"python -m wijkmodel gebruiker geef --email {actor.email} --gemeente GEMEENTE --rol beheerder")
        st.stop()
    login = st.session_state[LOGIN] = Login(actor, roles, coordinates)
    return login


def actor() -> Actor | None:
    """The actor of this session's saves: the logged-in account; None without login (everyone)."""
    found = st.session_state.get(ACTOR)
    return found if isinstance(found, Actor) else None


def logged_in_line(login: Login) -> None:
    """Who is logged in, and Uitloggen (in the sidebar, under the menu: the pickers stay in view)."""
    st.caption(f"Ingelogd als {literal(login.actor.email)}")
    st.button("Uitloggen", on_click=st.logout, icon=":material/logout:", key="logout")


ADMIN_ONLY = "Alleen een beheerder van deze gemeente kan dit wijzigen."
"""Beside controls that are shown but off for an invuller or lezer."""


def may(need: AccountRole, municipality_id: int | None) -> bool:
    """Whether this session's account has at least the role `need` in the municipality (None: in any),
    as read at the start of this run; always without login. Only to switch controls off: the save
    itself checks again (`storage.access.require`)."""
    login = st.session_state.get(LOGIN)
    if not isinstance(login, Login):
        return True
    roles = login.roles.values() if municipality_id is None else [login.roles.get(municipality_id)]
    return any(allows(role, need) for role in roles)
