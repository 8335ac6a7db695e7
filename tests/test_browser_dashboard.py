"""What people do, in a real browser: create, place, answer, reload, compare, download, present."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.browser import new_page, ready, rerun, screenshot_dir
from tests.conftest import DEMO_WIJKEN


def test_create_a_municipality_and_a_wijk_place_a_slider_by_keyboard_and_keep_it(
    browser: Browser, empty_app: str
) -> None:
    page = new_page(browser)
    page.goto(empty_app)
    ready(page, "Start")
    page.get_by_label("Naam van de gemeente").fill("Teststad")
    page.get_by_role("button", name="Gemeente aanmaken").click()
    page.get_by_text("Gemeente ‘Teststad’ is aangemaakt.").first.wait_for(timeout=20_000)
    page.get_by_label("Naam van de wijk").fill("Centrum")
    page.get_by_role("button", name="Wijk toevoegen").click()
    page.get_by_text("Wijk ‘Centrum’ is toegevoegd.").first.wait_for(timeout=20_000)
    page.get_by_label("Naam van de ronde (bijvoorbeeld 2027)").fill("2026")
    page.get_by_role("button", name="Ronde aanmaken").click()
    page.get_by_text("Ronde ‘2026’ is aangemaakt.").first.wait_for(timeout=20_000)

    page.goto(f"{empty_app}/startpositie")
    # `ready` waits until every slider is drawn: a key pressed while the page still settles can
    # reach another slider's widget id in Streamlit's front end (a known race)
    ready(page, "Startpositie")
    slider = page.get_by_role("slider").first
    slider.focus()
    with rerun(page):  # the save runs in the rerun after the change
        page.keyboard.press("End")  # all the way right: 100
    page.get_by_text("Fase 4 · Wijkgericht werken in het DNA").first.wait_for(timeout=20_000)
    page.screenshot(path=str(screenshot_dir() / "flow_startpositie.png"))

    page.reload()
    ready(page, "Startpositie")
    # the chart's phase key also says "Fase 4 ...": wait for the slider itself to show the stored value
    try:
        page.wait_for_function(
            # Streamlit's slider thumb is an <input type=range>; its role is implicit, not an attribute
            "(document.querySelector('[data-testid=stSlider] input[type=range]')"
            "?.getAttribute('aria-valuetext') || '').includes('100')",
            timeout=20_000,
        )
    except Exception as exc:  # say which slider holds the value, so a failure can be told apart
        shown = page.locator("[data-testid=stSlider] input[type=range]").evaluate_all(
            "els => els.map(e => e.getAttribute('aria-valuetext'))"
        )
        raise AssertionError(f"first slider not at 100 after reload; sliders show {shown}") from exc
    assert "100" in (
        page.get_by_role("slider").first.get_attribute("aria-valuetext")
        or page.get_by_role("slider").first.inner_text()
    )

    # a second browser session on the same wijk sees the saved value
    other = new_page(browser)
    other.goto(f"{empty_app}/startpositie")
    ready(other, "Startpositie")
    other.get_by_text("Fase 4 · Wijkgericht werken in het DNA").first.wait_for(timeout=20_000)
    # and the first session sees a change made in the second after a rerun
    other.get_by_role("slider").first.focus()
    with rerun(other):
        other.keyboard.press("Home")  # back to "nog niet geplaatst"
    other.get_by_text("Nog niet geplaatst").first.wait_for(timeout=20_000)
    page.reload()
    ready(page, "Startpositie")
    page.get_by_text("Nog niet geplaatst").first.wait_for(timeout=20_000)


def test_answering_a_question_changes_the_basic_function_score(browser: Browser, empty_app: str) -> None:
    page = new_page(browser)
    page.goto(f"{empty_app}/quickscan")
    ready(page, "Quickscan")
    metric = page.get_by_test_id("stMetric").first
    assert "–" in metric.inner_text()
    page.get_by_text("Basisfunctie 1: Veilige leefomgeving").first.click()
    page.get_by_role("radiogroup", name="Antwoord op vraag 1 (BF1-Q1)").get_by_text("Ja", exact=True).click()
    page.get_by_test_id("stMetric").first.get_by_text("87,5").wait_for(timeout=20_000)
    page.screenshot(path=str(screenshot_dir() / "flow_quickscan.png"))


def test_vergelijken_shows_every_wijk_of_the_demo(browser: Browser, demo_app: str) -> None:
    page = new_page(browser)
    page.goto(f"{demo_app}/vergelijken")
    ready(page, "Vergelijken")
    # the heatmap by its title: under load another chart of the page can be drawn before it
    heatmap = page.locator(".js-plotly-plot").filter(has_text="Scores per wijk, gekleurd naar fase").first
    heatmap.wait_for(timeout=30_000)
    heatmap.locator(".ytick text").first.wait_for(timeout=30_000)
    labels = heatmap.locator(".ytick text").evaluate_all("els => els.map(e => e.textContent)")
    for wijk in DEMO_WIJKEN:
        assert wijk in labels


@pytest.mark.parametrize(
    ("button", "suffix", "magic"),
    [
        ("Download presentatie (.pptx)", ".pptx", b"PK"),
        ("Download verslag (.pdf)", ".pdf", b"%PDF"),
        ("Download gegevens (.xlsx)", ".xlsx", b"PK"),
    ],
)
def test_each_steering_download_gives_a_file_of_its_kind(
    browser: Browser, demo_app: str, button: str, suffix: str, magic: bytes
) -> None:
    page = new_page(browser)
    page.goto(f"{demo_app}/stukken")
    ready(page, "Stukken voor de stuurgroep")
    with page.expect_download(timeout=90_000) as info:
        page.get_by_role("button", name=button).click()
    download = info.value
    assert download.suggested_filename.startswith("wijkmodel-voorbeeldstad-")
    assert download.suggested_filename.endswith(suffix)
    data = Path(download.path()).read_bytes()
    assert len(data) > 10_000 and data.startswith(magic)


def test_a_chart_downloads_as_png_and_svg(browser: Browser, demo_app: str) -> None:
    page = new_page(browser)
    page.goto(f"{demo_app}/wijkprofiel")
    ready(page, "Wijkprofiel")
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Plaatje (PNG)").first.click()  # the profile, the first chart
    png = Path(info.value.path()).read_bytes()
    assert png.startswith(b"\x89PNG")
    width = int.from_bytes(png[16:20], "big")
    assert width >= 2000  # twice the pixels of the 1200-pixel chart
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Plaatje (SVG)").first.click()
    svg = Path(info.value.path()).read_text()
    assert svg.startswith("<svg") and "Profiel van" in svg and "Voorbeeldstad" in svg  # title and caption


def test_presentation_mode_goes_slide_by_slide(browser: Browser, demo_app: str) -> None:
    page = new_page(browser)
    page.goto(f"{demo_app}/presenteren")
    page.get_by_role("heading", name="Wijkgericht werken in Voorbeeldstad").wait_for(timeout=30_000)
    assert page.get_by_role("button", name="Vorige").is_disabled()
    page.get_by_role("button", name="Volgende").click()
    page.get_by_role("heading", name="Totaalfase per wijk", exact=True).first.wait_for(timeout=30_000)
    page.get_by_text("Dia 2 van").wait_for()
    assert page.locator("input, textarea, [role=slider], [role=combobox]").filter(visible=True).count() <= 2  # sidebar
    page.get_by_role("button", name="Vorige").click()
    page.get_by_role("heading", name="Wijkgericht werken in Voorbeeldstad").wait_for(timeout=30_000)
