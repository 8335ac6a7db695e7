"""Real-browser tests against `streamlit run` in Debian's chromium (Playwright)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser import LAUNCH_ARGS, require_chromium, screenshot_dir, serious_violations, streamlit_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def app_url(tmp_path_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    require_chromium()
    db = tmp_path_factory.mktemp("browser") / "app.sqlite"
    with streamlit_server(f"sqlite:///{db}") as url:
        yield url


@pytest.fixture(scope="module")
def page(app_url):  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=require_chromium(), args=LAUNCH_ARGS)
        context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="nl-NL")
        page = context.new_page()
        yield page
        browser.close()


def _open_model_page(page, app_url):  # type: ignore[no-untyped-def]
    page.goto(f"{app_url}/het_model")
    page.get_by_role("heading", name="Het model").wait_for(timeout=30_000)
    page.get_by_role("table").first.wait_for(timeout=30_000)


def test_model_page_renders_in_dutch_with_the_matrix(page, app_url) -> None:  # type: ignore[no-untyped-def]
    _open_model_page(page, app_url)
    page.wait_for_function("document.documentElement.lang === 'nl'", timeout=10_000)
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


def test_model_page_tabs_work_by_keyboard(page, app_url) -> None:  # type: ignore[no-untyped-def]
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


def test_model_page_has_no_serious_accessibility_violations(page, app_url) -> None:  # type: ignore[no-untyped-def]
    _open_model_page(page, app_url)
    page.wait_for_function("document.documentElement.lang === 'nl'", timeout=10_000)
    assert serious_violations(page) == []
