"""What people do, in a real browser: create, place, answer, reload, compare; axe on every page."""

from __future__ import annotations

import pytest

from tests.browser import screenshot_dir, serious_violations
from tests.conftest import DEMO_WIJKEN

pytestmark = pytest.mark.browser
PAGES = ["", "startpositie", "quickscan", "wijkprofiel", "vergelijken", "instellingen", "het_model"]


def _new_page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="nl-NL")
    return context.new_page()


def _ready(page, heading: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("heading", name=heading, exact=True).first.wait_for(timeout=30_000)
    page.wait_for_function("document.documentElement.lang === 'nl'", timeout=10_000)
    # wait until Streamlit has finished running the script
    page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000)


def test_create_a_municipality_and_a_wijk_place_a_slider_by_keyboard_and_keep_it(browser, empty_app) -> None:  # type: ignore[no-untyped-def]
    page = _new_page(browser)
    page.goto(empty_app)
    _ready(page, "Start")
    page.get_by_label("Naam van de gemeente").fill("Teststad")
    page.get_by_role("button", name="Gemeente aanmaken").click()
    page.get_by_text("Gemeente ‘Teststad’ is aangemaakt.").wait_for(timeout=20_000)
    page.get_by_label("Naam van de wijk").fill("Centrum")
    page.get_by_role("button", name="Wijk toevoegen").click()
    page.get_by_text("Wijk ‘Centrum’ is toegevoegd.").wait_for(timeout=20_000)
    page.get_by_label("Naam van de ronde (bijvoorbeeld 2027)").fill("2026")
    page.get_by_role("button", name="Ronde aanmaken").click()
    page.get_by_text("Ronde ‘2026’ is aangemaakt.").wait_for(timeout=20_000)

    page.goto(f"{empty_app}/startpositie")
    _ready(page, "Startpositie")
    slider = page.get_by_role("slider").first
    slider.focus()
    page.keyboard.press("End")  # all the way right: 100
    page.get_by_text("Fase 4 · Wijkgericht werken in het DNA").first.wait_for(timeout=20_000)
    page.wait_for_timeout(1500)  # the save runs in the rerun after the change
    page.screenshot(path=str(screenshot_dir() / "flow_startpositie.png"))

    page.reload()
    _ready(page, "Startpositie")
    page.get_by_text("Fase 4 · Wijkgericht werken in het DNA").first.wait_for(timeout=20_000)
    assert "100" in (
        page.get_by_role("slider").first.get_attribute("aria-valuetext")
        or page.get_by_role("slider").first.inner_text()
    )

    # a second browser session on the same wijk sees the saved value
    other = _new_page(browser)
    other.goto(f"{empty_app}/startpositie")
    _ready(other, "Startpositie")
    other.get_by_text("Fase 4 · Wijkgericht werken in het DNA").first.wait_for(timeout=20_000)
    # and the first session sees a change made in the second after a rerun
    other.get_by_role("slider").first.focus()
    other.keyboard.press("Home")  # back to "nog niet geplaatst"
    other.get_by_text("Nog niet geplaatst").first.wait_for(timeout=20_000)
    other.wait_for_timeout(1500)
    page.reload()
    _ready(page, "Startpositie")
    page.get_by_text("Nog niet geplaatst").first.wait_for(timeout=20_000)


def test_answering_a_question_changes_the_basic_function_score(browser, empty_app) -> None:  # type: ignore[no-untyped-def]
    page = _new_page(browser)
    page.goto(f"{empty_app}/quickscan")
    _ready(page, "Quickscan")
    metric = page.get_by_test_id("stMetric").first
    assert "–" in metric.inner_text()
    page.get_by_text("Basisfunctie 1: Veilige leefomgeving").first.click()
    page.get_by_role("radiogroup", name="Antwoord op vraag 1 (BF1-Q1)").get_by_text("Ja", exact=True).click()
    page.get_by_test_id("stMetric").first.get_by_text("87,5").wait_for(timeout=20_000)
    page.screenshot(path=str(screenshot_dir() / "flow_quickscan.png"))


def test_vergelijken_shows_every_wijk_of_the_demo(browser, demo_app) -> None:  # type: ignore[no-untyped-def]
    page = _new_page(browser)
    page.goto(f"{demo_app}/vergelijken")
    _ready(page, "Vergelijken")
    heatmap = page.locator(".js-plotly-plot").first
    heatmap.wait_for(timeout=30_000)
    labels = heatmap.locator(".ytick text").evaluate_all("els => els.map(e => e.textContent)")
    for wijk in DEMO_WIJKEN:
        assert wijk in labels


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_accessibility_violations(browser, demo_app, path) -> None:  # type: ignore[no-untyped-def]
    page = _new_page(browser)
    page.goto(f"{demo_app}/{path}")
    page.get_by_role("heading").first.wait_for(timeout=30_000)
    _ready(page, page.get_by_role("heading", level=1).first.inner_text())
    page.wait_for_timeout(1000)
    assert serious_violations(page) == []
