"""Real-browser tests against `streamlit run` in Debian's chromium (Playwright)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.browser import new_page, ready, screenshot_dir


@pytest.fixture(scope="module")
def app_url(empty_app: str) -> str:
    return empty_app


@pytest.fixture(scope="module")
def page(browser: Browser) -> Iterator[Page]:
    page = new_page(browser)
    yield page
    page.context.close()


def _open_model_page(page: Page, app_url: str) -> None:
    page.goto(f"{app_url}/het_model")
    ready(page, "Het model")
    page.get_by_role("table").first.wait_for(timeout=30_000)


def test_model_page_renders_in_dutch_with_the_matrix(page: Page, app_url: str) -> None:
    _open_model_page(page, app_url)
    assert page.evaluate("document.documentElement.lang") == "nl"
    table = page.get_by_role("table").first
    for phase in [
        "Start van wijkgericht werken",
        "Samen op weg",
        "Wijkgericht werken is de werkwijze",
        "Wijkgericht werken in het DNA",
    ]:
        assert phase in table.inner_text()
    page.screenshot(path=str(screenshot_dir() / "het_model.png"), full_page=False)


def test_model_page_tabs_work_by_keyboard(page: Page, app_url: str) -> None:
    _open_model_page(page, app_url)
    tab = page.get_by_role("tab", name="Thema's en fasen")
    tab.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    page.get_by_role("tab", name="Basisfuncties en vragen", selected=True).wait_for(timeout=10_000)
    page.get_by_text("Basisfunctie 1: Veilige leefomgeving").first.click()
    page.get_by_text("Is er een gedeelde visie op het onderwerp versterken van het gewone leven").wait_for(
        timeout=10_000
    )
    page.screenshot(path=str(screenshot_dir() / "het_model_basisfuncties.png"), full_page=False)
