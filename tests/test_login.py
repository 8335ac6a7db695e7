"""Login with OIDC accounts in the app (ui/login.py, issue 18), by AppTest with a logged-in user:
the login page, an account without a role, and each role's rights where data is saved."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from tests.conftest import APP, as_shown
from ui.login import ADMIN_ONLY
from wijkmodel.storage.accounts import account_for_login, members, set_role
from wijkmodel.storage.db import Sessions, make_engine, make_sessionmaker
from wijkmodel.storage.municipalities import create_municipality, find_municipality
from wijkmodel.storage.tables import Account, AccountRole, ChangeAccount, ThemePosition
from wijkmodel.text.markdown import literal

ISSUER = "http://127.0.0.1:9400"
AUTH = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "een-lang-geheim-voor-de-tests",
    "client_id": "wijkmodel",
    "client_secret": "geheim",
    "server_metadata_url": f"{ISSUER}/.well-known/openid-configuration",
}


PROVIDER = {key: AUTH[key] for key in ("client_id", "client_secret", "server_metadata_url")}


@pytest.mark.parametrize(
    ("auth", "offered"),
    [
        (AUTH, [None]),
        ({**AUTH, "entra": PROVIDER}, [None, "entra"]),
        (
            {"redirect_uri": "r", "cookie_secret": "c", "entra": PROVIDER, "eherkenning": PROVIDER},
            ["entra", "eherkenning"],
        ),
    ],
)
def test_the_login_page_offers_each_provider(auth: dict[str, Any], offered: list[str | None]) -> None:
    from ui.login import providers

    assert providers(auth) == offered


def _db(url: str) -> Sessions:
    return make_sessionmaker(make_engine(url))


def _app(user: dict[str, Any], path: str = "") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = AUTH
    at.user = user
    at.session_state["role"] = "gemeente"  # who fills in, as a returning browser remembers it
    at.run()
    assert not at.exception, at.exception
    if path:
        at.switch_page(path)
        at.run()
        assert not at.exception, at.exception
    return at


def _user(sub: str) -> dict[str, Any]:
    return {"is_logged_in": True, "iss": ISSUER, "sub": sub, "email": f"{sub}@voorbeeldstad.nl"}


def _give(url: str, sub: str, role: AccountRole | None, municipality: str = "Voorbeeldstad") -> None:
    with _db(url).begin() as s:
        account = account_for_login(session=s, issuer=ISSUER, subject=sub, email=f"{sub}@voorbeeldstad.nl")
        m = find_municipality(session=s, name=municipality)
        assert m is not None
        if role is not None:
            set_role(session=s, municipality_id=m.id, account_id=account.id, role=role)


def test_without_login_configured_the_app_is_as_before(demo_db: str) -> None:
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert not any(b.label == "Inloggen" for b in at.button)


def test_every_page_needs_a_login(demo_db: str) -> None:
    at = _app({"is_logged_in": False}, "app_pages/startpositie.py")
    assert any(b.label == "Inloggen" for b in at.button)
    assert not at.select_slider and not at.sidebar.selectbox  # nothing of any municipality


def test_an_account_without_a_role_is_told_whom_to_ask(demo_db: str) -> None:
    at = _app(_user("nieuw"))
    assert at.title[0].value == "U hebt nog geen rol"
    assert "gebruiker geef --email nieuw@voorbeeldstad.nl" in at.code[0].value
    assert not at.sidebar.selectbox
    with _db(demo_db)() as s:  # the account was made at its first login, without a role
        assert s.scalar(select(Account.email).where(Account.subject == "nieuw")) == "nieuw@voorbeeldstad.nl"


def test_an_account_without_e_mail_gets_a_dutch_message_and_nothing_is_stored(demo_db: str) -> None:
    at = _app({"is_logged_in": True, "iss": ISSUER, "sub": "anoniem"})
    assert at.title[0].value == "Inloggen lukt niet" and "geen e-mailadres" in at.error[0].value
    with _db(demo_db)() as s:
        assert s.scalar(select(Account.id).where(Account.subject == "anoniem")) is None


def _move_first_slider(at: AppTest) -> None:
    at.select_slider[0].set_value(85).run()
    assert not at.exception


def _at_85(url: str) -> int:
    with _db(url)() as s:
        return len(s.scalars(select(ThemePosition.id).where(ThemePosition.position == 85)).all())


@pytest.mark.parametrize(
    ("role", "saved"), [(AccountRole.EDITOR, True), (AccountRole.ADMIN, True), (AccountRole.READER, False)]
)
def test_a_slider_is_saved_by_an_invuller_and_refused_for_a_lezer(demo_db: str, role: AccountRole, saved: bool) -> None:
    _give(demo_db, "anna", role)
    at = _app(_user("anna"), "app_pages/startpositie.py")
    assert f"Ingelogd als {literal('anna@voorbeeldstad.nl')}" in [c.value for c in at.sidebar.caption]
    before = _at_85(demo_db)
    _move_first_slider(at)
    with _db(demo_db)() as s:
        named = s.scalar(select(ChangeAccount.account).where(ChangeAccount.account == "anna@voorbeeldstad.nl"))
    if saved:
        assert _at_85(demo_db) == before + 1 and named == "anna@voorbeeldstad.nl"  # the history names the account
    else:
        assert _at_85(demo_db) == before and named is None  # refused where it is saved: nothing written
        shown = as_shown(" ".join(e.value for e in at.error) + " ".join(w.value for w in at.warning))
        assert "U mag bij Voorbeeldstad niet invullen en wijzigen: u bent lezer" in shown


def test_only_the_municipalities_with_a_role_are_offered(demo_db: str) -> None:
    with _db(demo_db).begin() as s:
        create_municipality(session=s, name="Andere Gemeente")
    _give(demo_db, "bram", AccountRole.READER)
    at = _app(_user("bram"))
    picker = next(s for s in at.sidebar.selectbox if s.label == "Gemeente")
    assert picker.options == ["Voorbeeldstad"]  # the other municipality is never offered


@pytest.mark.parametrize(("role", "given"), [(AccountRole.ADMIN, True), (AccountRole.EDITOR, False)])
def test_a_beheerder_gives_a_role_on_instellingen(demo_db: str, role: AccountRole, given: bool) -> None:
    _give(demo_db, "anna", role)
    _give(demo_db, "bram", None)  # logged in once, no role yet
    at = _app(_user("anna"), "app_pages/instellingen.py")
    assert any(h.value == "Wie heeft toegang" for h in at.header)
    button = next(b for b in at.button if b.label == "Rol geven")
    settings = [
        next(r for r in at.radio if r.key == "set_rule"),
        next(c for c in at.checkbox if c.key == "set_weighted"),
    ]
    if not given:  # off for an invuller, with the reason; a forced save is refused (tests/test_access.py)
        assert button.disabled and all(w.disabled for w in settings)
        assert ADMIN_ONLY in [c.value for c in at.caption]
        return
    assert not button.disabled and not any(w.disabled for w in settings)
    next(t for t in at.text_input if t.label == "E-mailadres").input("Bram@voorbeeldstad.nl")
    next(s for s in at.selectbox if s.label == "Rol").set_value("invuller")
    button.click().run()
    assert not at.exception
    with _db(demo_db)() as s:
        m = find_municipality(session=s, name="Voorbeeldstad")
        assert m is not None
        people = {p.email: p.role for p in members(session=s, municipality_id=m.id)}
    assert people["bram@voorbeeldstad.nl"] == AccountRole.EDITOR
    assert any("De rol is bewaard" in x.value for x in [*at.success, *at.toast])


def test_a_beheerder_who_makes_a_municipality_is_its_beheerder(demo_db: str) -> None:
    _give(demo_db, "anna", AccountRole.ADMIN)
    at = _app(_user("anna"))
    next(t for t in at.text_input if t.label == "Naam van de gemeente").input("Nieuwdorp")
    next(b for b in at.button if b.label == "Gemeente aanmaken").click().run()
    assert not at.exception
    picker = next(s for s in at.sidebar.selectbox if s.label == "Gemeente")
    assert len(picker.options) == 2  # the new one is offered: anna is its beheerder
    with _db(demo_db)() as s:
        m = find_municipality(session=s, name="Nieuwdorp")
        assert m is not None
        assert [(p.email, p.role) for p in members(session=s, municipality_id=m.id)] == [
            ("anna@voorbeeldstad.nl", AccountRole.ADMIN)
        ]


def test_without_login_there_is_no_access_section(demo_db: str) -> None:
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("app_pages/instellingen.py")
    at.run()
    assert not at.exception and not any(h.value == "Wie heeft toegang" for h in at.header)


@pytest.mark.parametrize(
    ("auth", "problem"),
    [
        (AUTH, None),
        ({**AUTH, "cookie_secret": ""}, "ontbreekt in [auth]: cookie_secret."),
        (
            {k: v for k, v in AUTH.items() if k not in ("client_id", "redirect_uri")},
            "ontbreekt in [auth]: redirect_uri. In .streamlit/secrets.toml ontbreekt in [auth]: client_id.",
        ),
        ({**AUTH, "server_metadata_url": "login.gemeente.nl"}, "server_metadata_url in [auth] geen adres"),
        ("aan", "[auth] geen sectie"),
        ({**AUTH, "redirect_uri": "http://127.0.0.1:8501/"}, "redirect_uri in [auth] niet op /oauth2callback"),
        # a named provider, [auth.NAME]: complete, incomplete, or with the default one half filled in
        ({"redirect_uri": AUTH["redirect_uri"], "cookie_secret": "x", "entra": PROVIDER}, None),
        (
            {"redirect_uri": AUTH["redirect_uri"], "cookie_secret": "x", "entra": {"client_id": "w"}},
            "ontbreekt in [auth.entra]: client_secret, server_metadata_url.",
        ),
        ({**AUTH, "client_secret": "", "entra": PROVIDER}, "ontbreekt in [auth]: client_secret."),
        ({"redirect_uri": AUTH["redirect_uri"], "cookie_secret": "x"}, "ontbreekt in [auth]: client_id, client_secret"),
    ],
)
def test_a_login_set_up_wrong_is_said_in_dutch_before_anyone_clicks(auth: Any, problem: str | None) -> None:
    from ui.login import auth_problems

    problems = auth_problems(auth)
    assert (problems == []) if problem is None else (problem in " ".join(problems))


def test_the_login_page_says_what_is_missing(demo_db: str, caplog: pytest.LogCaptureFixture) -> None:
    from ui import login

    login._REPORTED.clear()
    caplog.set_level(logging.ERROR, logger="wijkmodel.login")
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = {**AUTH, "cookie_secret": ""}
    at.user = {"is_logged_in": False}
    at.run()
    assert not at.exception
    assert at.title[0].value == "Inloggen is niet goed ingesteld"
    assert "cookie\\_secret" in at.error[0].value or "cookie_secret" in at.error[0].value
    assert not any(b.label == "Inloggen" for b in at.button)
    logged = [r.getMessage() for r in caplog.records if r.name == "wijkmodel.login"]
    assert len(logged) == 1 and "ontbreekt in [auth]: cookie_secret" in logged[0]  # once, for the administrator


def test_with_two_providers_the_login_page_names_them(demo_db: str) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = {
        "redirect_uri": AUTH["redirect_uri"],
        "cookie_secret": "c",
        "entra": PROVIDER,
        "digid": PROVIDER,
    }
    at.user = {"is_logged_in": False}
    at.run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Inloggen met entra", "Inloggen met digid"]


@pytest.mark.parametrize(("role", "allowed"), [(AccountRole.ADMIN, True), (AccountRole.EDITOR, False)])
def test_wijkdata_imports_are_a_beheerders(demo_db: str, role: AccountRole, allowed: bool) -> None:
    _give(demo_db, "anna", role)
    at = _app(_user("anna"), "app_pages/wijkdata.py")
    uploaders = at.get("file_uploader")
    assert len(uploaders) == 2  # figures and boundaries
    assert all(u.proto.disabled for u in uploaders) is not allowed
    assert (ADMIN_ONLY in [c.value for c in at.caption]) is not allowed
    downloads = at.get("download_button")
    assert downloads and not any(b.proto.disabled for b in downloads)  # the templates are for everyone
