"""An error nobody foresaw: users get a friendly Dutch message without details, the server log
gets the details, and the tests (which show error details) still see the failure."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from playwright.sync_api import Browser
from streamlit.testing.v1 import AppTest

from tests.browser import streamlit_server
from tests.conftest import APP

BROKEN = b"Dit is geen database maar een tekstbestand. " * 200


@pytest.fixture
def broken_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path / "kapot.sqlite"
    path.write_bytes(BROKEN)
    monkeypatch.setenv("WIJKMODEL_DATABASE_URL", f"sqlite:///{path}")
    st.cache_resource.clear()
    yield path
    st.cache_resource.clear()


@pytest.fixture
def details(request: pytest.FixtureRequest) -> Iterator[str]:
    st.set_option("client.showErrorDetails", request.param)
    yield request.param
    st.set_option("client.showErrorDetails", "full")


@pytest.mark.parametrize("details", ["none"], indirect=True)
def test_users_see_a_dutch_message_and_the_log_gets_the_details(
    broken_db: Path, details: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="wijkmodel"):
        at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception  # no traceback on the screen
    message = " ".join(e.value for e in at.error)
    assert "Er ging iets mis" in message and "beheerder" in message
    assert "Traceback" not in message and "sqlite" not in message.lower()
    logged = [r.exc_info[0] for r in caplog.records if r.name == "wijkmodel" and r.exc_info]
    assert logged and logged[0] is not None and "DatabaseError" in logged[0].__name__
    assert broken_db.read_bytes() == BROKEN  # nothing was written over the file


@pytest.mark.parametrize("details", ["full"], indirect=True)
def test_where_details_are_shown_the_failure_stays_visible(broken_db: Path, details: str) -> None:
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert at.exception  # a failing page cannot pass an AppTest unseen
    assert any("Er ging iets mis" in e.value for e in at.error)


def test_the_running_server_hides_the_details_from_the_browser(browser: Browser, tmp_path: Path) -> None:
    """The real server reads .streamlit/config.toml (details: none); the person sees Dutch only."""
    path = tmp_path / "kapot.sqlite"
    path.write_bytes(BROKEN)
    with streamlit_server(f"sqlite:///{path}") as url:
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(url)
        page.get_by_text("Er ging iets mis bij het tonen van deze pagina.").wait_for(timeout=30_000)
        body = page.inner_text("body")
        page.close()
    assert "Traceback" not in body and "DatabaseError" not in body and "redacted" not in body
    assert path.read_bytes() == BROKEN
