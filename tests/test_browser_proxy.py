"""The shared set-up as deployed (issue 18), in a real browser: nginx in front of two Streamlit
servers on one PostgreSQL database, login at the test provider (deploy/local.py starts it all).
One person saves on one server; a colleague's session on the other server shows the change."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from sqlalchemy import select

from deploy import local
from deploy.local import Setup
from tests.browser import new_page, ready
from tests.browser_login import log_in, move_first_slider_to
from tests.conftest import postgres_url
from wijkmodel.storage.db import make_engine, make_sessionmaker
from wijkmodel.storage.tables import ChangeAccount


@pytest.fixture
def proxied() -> Iterator[Setup]:
    """The set-up as deployed on a fresh PostgreSQL database (a browser fixture: tests/conftest.py)."""
    if not Path(local.NGINX).exists():
        message = f"nginx ontbreekt op {local.NGINX}: installeer het met 'apt-get install -y nginx'"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    with local.running(postgres_url()) as setup:
        yield setup


def _on_server(page: Page, base: str, server: str) -> None:
    """Pin this browser to one server, as nginx's own cookie would after a first answer from it."""
    page.context.add_cookies([{"name": "wijkmodel_server", "value": server, "url": base}])


def _server_now(page: Page) -> str:
    """The server that answered this browser last, by the cookie nginx set for it."""
    return next(c["value"] for c in page.context.cookies() if c["name"] == "wijkmodel_server")


def _saved_by(database_url: str) -> list[str]:
    engine = make_engine(database_url)
    with make_sessionmaker(engine)() as s:
        rows = s.scalars(select(ChangeAccount.account)).all()
    engine.dispose()
    return list(rows)


def test_save_on_one_server_and_see_it_on_the_other(browser: Browser, proxied: Setup) -> None:
    base = proxied.url
    bram = new_page(browser, who="gemeente")
    _on_server(bram, base, "a")
    log_in(bram, base, "bram")  # invuller
    move_first_slider_to(bram, 85)
    assert _server_now(bram) == "a"  # every answer, the login's too, came from server a
    assert "bram@voorbeeldstad.nl" in _saved_by(proxied.database_url)

    carla = new_page(browser, who="gemeente")
    _on_server(carla, base, "b")
    log_in(carla, base, "carla")  # lezer, on the other server
    assert _server_now(carla) == "b"
    slider = carla.get_by_role("slider").first
    assert (slider.get_attribute("aria-valuetext") or "").startswith("85 "), "server b shows what a saved"

    # and back: a page opened again on server a is still bram's session there, logged in
    bram.reload()
    ready(bram, "Startpositie")
    bram.get_by_text("Ingelogd als bram@voorbeeldstad.nl").wait_for()


def test_a_new_browser_is_given_a_server_and_kept_there(proxied: Setup) -> None:
    import urllib.request

    seen = set()
    for _ in range(4):  # no cookie yet: nginx chooses, and says which in its cookie
        with urllib.request.urlopen(f"{proxied.url}/_stcore/health") as response:  # noqa: S310 - loopback
            cookie = response.headers.get_all("Set-Cookie") or []
        seen |= {c.split(";")[0] for c in cookie if c.startswith("wijkmodel_server=")}
    assert seen == {"wijkmodel_server=a", "wijkmodel_server=b"}  # both servers take new browsers
    for server in ("a", "b"):
        health = f"{proxied.url}/_stcore/health"
        request = urllib.request.Request(health, headers={"Cookie": f"wijkmodel_server={server}"})  # noqa: S310
        for _ in range(3):
            with urllib.request.urlopen(request) as response:  # noqa: S310 - loopback
                cookies = response.headers.get_all("Set-Cookie") or []
                assert [c.split(";")[0] for c in cookies if c.startswith("wijkmodel_server=")] == [
                    f"wijkmodel_server={server}"
                ]
