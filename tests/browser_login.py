"""Browser helpers for login (issue 18): log in at the test provider (oidc-provider-mock), move a
slider to a value, and a login cookie made by hand, as a forger would (signed like Streamlit's own)."""

from __future__ import annotations

import json
import time
from unittest import mock

from itsdangerous import URLSafeTimedSerializer
from playwright.sync_api import Page

from tests.browser import ready, rerun

USER_COOKIE = "_streamlit_user"
"""Streamlit's cookie with the logged-in account (signed with [auth] cookie_secret, 30 days)."""


def log_in(page: Page, base: str, who: str) -> None:
    """Log in as `who` (the test provider's subject; e-mail who@voorbeeldstad.nl), on Startpositie."""
    page.goto(f"{base}/startpositie")
    page.get_by_role("button", name="Inloggen").click()
    page.locator("input[name=sub]").fill(who)  # the provider's own login page
    page.get_by_role("button", name="Authorize").click()
    ready(page, "Start", timeout=60_000)  # Streamlit brings a login back to the first page
    page.get_by_text(f"Ingelogd als {who}@voorbeeldstad.nl").wait_for()
    page.goto(f"{base}/startpositie")
    ready(page, "Startpositie")


def move_first_slider_to(page: Page, wanted: int) -> None:
    """The page's first slider to `wanted`, one key press (and saved run) at a time."""
    slider = page.get_by_role("slider").first
    slider.focus()
    for _ in range(100):
        text = slider.get_attribute("aria-valuetext") or ""
        if text.startswith(f"{wanted} "):
            return
        value = int(text.split(" ")[0]) if text[:1].isdigit() else -1
        with rerun(page):
            page.keyboard.press("ArrowRight" if value < wanted else "ArrowLeft")
    raise AssertionError(f"the slider did not reach {wanted}")


def user_cookie(secret: str, base: str, issuer: str, who: str, days_old: float = 0) -> str:
    """A `_streamlit_user` value for `who` signed with `secret`, made `days_old` days ago."""
    payload = {"origin": base, "is_logged_in": True, "iss": issuer, "sub": who, "email": f"{who}@voorbeeldstad.nl"}
    with mock.patch("time.time", return_value=time.time() - days_old * 86_400):
        return URLSafeTimedSerializer(secret, salt=USER_COOKIE).dumps(json.dumps(payload))
