"""Login in a real browser against a real OIDC provider on loopback (oidc-provider-mock, started
here): log in, save as an invuller (the history names the account), log out, and as a lezer the same
move refused with nothing written (issue 18)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from oidc_provider_mock import User, run_server_in_thread
from playwright.sync_api import Browser
from sqlalchemy import func, select

from tests.browser import new_page, rerun, streamlit_server
from tests.browser_login import USER_COOKIE, log_in, move_first_slider_to, user_cookie
from wijkmodel.storage.accounts import account_for_login, set_role
from wijkmodel.storage.db import make_engine, make_sessionmaker
from wijkmodel.storage.municipalities import find_municipality
from wijkmodel.storage.tables import AccountRole, ChangeAccount, ThemePosition

PEOPLE = {"anna": AccountRole.EDITOR, "bram": AccountRole.READER}


@pytest.fixture
def login_app(tmp_path: Path) -> Iterator[tuple[str, str, str, str]]:
    """The demo behind login: the provider, the secrets, anna (invuller) and bram (lezer) known.
    Yields the app's address, the database, the cookie secret and the provider's issuer."""
    users = [User(sub=who, claims={"email": f"{who}@voorbeeldstad.nl", "name": who.title()}) for who in PEOPLE]
    with run_server_in_thread(user_claims=users) as provider:
        issuer = f"http://localhost:{provider.server_port}"
        secret = os.urandom(16).hex()
        secrets = tmp_path / "secrets.toml"
        secrets.write_text(
            "[auth]\n"
            'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
            f'cookie_secret = "{secret}"\n'
            'client_id = "wijkmodel"\n'
            'client_secret = "geheim"\n'
            f'server_metadata_url = "{issuer}/.well-known/openid-configuration"\n',
            encoding="utf-8",
        )
        db = f"sqlite:///{tmp_path}/login.sqlite"
        env = {**os.environ, "WIJKMODEL_DATABASE_URL": db}
        subprocess.run([sys.executable, "-m", "wijkmodel", "demo"], check=True, env=env, stdout=subprocess.DEVNULL)
        engine = make_engine(db)
        with make_sessionmaker(engine).begin() as s:  # as the command line gives roles after a first login
            municipality = find_municipality(session=s, name="Voorbeeldstad")
            assert municipality is not None
            for who, role in PEOPLE.items():
                account = account_for_login(session=s, issuer=issuer, subject=who, email=f"{who}@voorbeeldstad.nl")
                set_role(session=s, municipality_id=municipality.id, account_id=account.id, role=role)
        engine.dispose()
        with streamlit_server(db, args=["--secrets.files", str(secrets)]) as base:
            yield base, db, secret, issuer


def _counts(db: str) -> tuple[int, int]:
    engine = make_engine(db)
    with make_sessionmaker(engine)() as s:
        placed = s.scalar(select(func.count()).select_from(ThemePosition).where(ThemePosition.position == 85)) or 0
        named = s.scalar(select(func.count()).select_from(ChangeAccount)) or 0
    engine.dispose()
    return placed, named


def test_log_in_save_log_out_and_a_lezer_is_refused(browser: Browser, login_app: tuple[str, str, str, str]) -> None:
    base, db, _, _ = login_app
    page = new_page(browser, who="gemeente")
    log_in(page, base, "anna")
    before = _counts(db)
    move_first_slider_to(page, 85)
    placed, named = _counts(db)
    assert placed == before[0] + 1 and named > before[1]  # saved, and the history names anna

    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url("**/end_session**")  # Streamlit forgot the login, then asks the provider to end its session
    page.get_by_role("button", name="End session").click()
    page.goto(f"{base}/startpositie")
    page.get_by_role("button", name="Inloggen").wait_for()
    assert page.get_by_text("Voorbeeldstad").count() == 0  # nothing of the municipality after logging out

    log_in(page, base, "bram")
    slider = page.get_by_role("slider").first
    slider.focus()
    with rerun(page):
        page.keyboard.press("ArrowRight")
    page.get_by_text("u bent lezer").first.wait_for()
    assert _counts(db) == (placed, named)  # refused where it is saved: nothing written


@pytest.mark.parametrize(
    ("case", "signed_with", "days_old", "logged_in"),
    [
        ("signed with the server's secret, fresh: the control", "secret", 0, True),
        ("forged: signed with another secret", "other", 0, False),
        ("expired: older than Streamlit's 30 days and a day", "secret", 40, False),
        ("tampered: the signature of another value", "tampered", 0, False),
    ],
)
def test_a_forged_or_expired_login_cookie_is_not_a_login(
    browser: Browser,
    login_app: tuple[str, str, str, str],
    case: str,
    signed_with: str,
    days_old: float,
    logged_in: bool,
) -> None:
    base, db, secret, issuer = login_app
    value = user_cookie(secret if signed_with != "other" else os.urandom(16).hex(), base, issuer, "anna", days_old)
    if signed_with == "tampered":  # anna's signed value with bram's payload: the signature no longer fits
        forged = user_cookie(secret, base, issuer, "bram")
        value = forged.rsplit(".", 2)[0] + "." + ".".join(value.rsplit(".", 2)[1:])
        anna = user_cookie(secret, base, issuer, "anna")
        assert value != forged and value.rsplit(".", 2)[0] != anna.rsplit(".", 2)[0]
    page = new_page(browser, who="gemeente")
    page.context.add_cookies([{"name": USER_COOKIE, "value": value, "url": base}])
    before = _counts(db)
    page.goto(f"{base}/startpositie")
    if logged_in:
        page.get_by_text("Ingelogd als anna@voorbeeldstad.nl").wait_for()
        return
    page.get_by_role("button", name="Inloggen").wait_for()
    assert page.get_by_text("Voorbeeldstad").count() == 0, case
    assert page.get_by_role("slider").count() == 0, case
    assert _counts(db) == before, case
