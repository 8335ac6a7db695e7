"""Two browsers on one wijk: a slider moved on an older screen does not overwrite a colleague's newer
value; the page says who changed it and lets the user choose (issue 13). Screenshots of the choice
at 1440x900 and 1280x720."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser import new_page, ready, rerun, screenshot_dir, streamlit_server
from tests.conftest import DemoRows, copy_demo
from wijkmodel.storage.db import make_engine


@pytest.fixture
def own_demo_app(tmp_path: Path, demo_rows: DemoRows) -> Iterator[str]:
    """A server of its own on a copy of the demo (the shared demo server stays untouched)."""
    url = f"sqlite:///{tmp_path / 'conflict.sqlite'}"
    engine = make_engine(url)
    copy_demo(engine, demo_rows)
    engine.dispose()
    with streamlit_server(url) as base:
        yield base


def _open(browser: Browser, base: str, width: int, height: int) -> Page:
    page = new_page(browser, width, height)
    page.goto(f"{base}/startpositie")
    ready(page, "Startpositie")
    return page


def _first_slider_text(page: Page) -> str:
    return page.get_by_role("slider").first.get_attribute("aria-valuetext") or ""


@pytest.mark.parametrize(("width", "height"), [(1440, 900), (1280, 720)])
def test_a_stale_slider_asks_whose_value_stays(browser: Browser, own_demo_app: str, width: int, height: int) -> None:
    a = _open(browser, own_demo_app, width, height)
    b = _open(browser, own_demo_app, width, height)
    b.get_by_role("slider").first.focus()
    with rerun(b):  # B's value is saved in this run
        b.keyboard.press("End")  # B: 100
    expect(b.get_by_role("slider").first).to_have_attribute("aria-valuetext", re.compile("^100"), timeout=20_000)
    a.get_by_role("slider").first.focus()
    with rerun(a):
        a.keyboard.press("Home")  # A, on the older screen: not placed
    warning = a.get_by_text("Iemand anders heeft het schuifje").first
    warning.wait_for(timeout=20_000)
    warning.scroll_into_view_if_needed()
    a.screenshot(path=str(screenshot_dir() / f"conflict_{width}x{height}.png"))
    assert _first_slider_text(a).startswith("100")  # A's screen now shows B's value
    with rerun(a):
        a.get_by_role("button", name="Mijn keuze bewaren").first.click()
    a.get_by_text("Iemand anders heeft het schuifje").first.wait_for(state="detached", timeout=20_000)
    assert _first_slider_text(a) == "nog niet geplaatst"
    b.reload()
    ready(b, "Startpositie")
    assert _first_slider_text(b) == "nog niet geplaatst"
