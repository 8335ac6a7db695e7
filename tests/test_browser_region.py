"""Page Regio in a real browser (issue 20), on the demo with the made-up region: the municipalities
side by side, counting each as the mean of its wijken, a ranking on another item, the region's
workbook as a download, and axe on the page with its charts drawn."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Browser

from tests.browser import drawn, new_page, ready, rerun, screenshot_dir, seeded_server, serious_violations
from wijkmodel.demo.region import MUNICIPALITIES


@pytest.fixture(scope="module")
def region_app() -> Iterator[str]:
    with seeded_server("regio") as (base, _):
        yield base


def test_a_coordinator_compares_the_municipalities(browser: Browser, region_app: str) -> None:
    page = new_page(browser)
    try:
        page.goto(f"{region_app}/regio")
        ready(page, "Regio")
        drawn(page)
        heat = page.locator(".js-plotly-plot").first
        for name in [*MUNICIPALITIES, "Voorbeeldstad"]:
            assert name in heat.inner_text()
        assert serious_violations(page) == []
        page.screenshot(path=str(screenshot_dir() / "regio-1440.png"), full_page=True)

        with rerun(page):
            page.get_by_text("Elke gemeente als gemiddelde van haar wijken", exact=True).click()
        page.get_by_text("gemiddelde van de wijken per gemeente").first.wait_for(timeout=30_000)  # the caption

        page.get_by_label("Onderdeel", exact=True).click()
        page.keyboard.type("Lokale teams")  # by keyboard, as the option list opens on typing
        page.get_by_role("option", name="Lokale teams", exact=True).wait_for(timeout=10_000)
        with rerun(page):
            page.keyboard.press("Enter")
        page.get_by_text("Gemeenten op volgorde: Lokale teams").first.wait_for(timeout=30_000)

        with page.expect_download(timeout=60_000) as download:
            page.get_by_role("button", name="Gegevens (Excel)").click()
        book = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
        names = {row[0] for row in book["Regio"].iter_rows(min_row=2, values_only=True)}
        assert names == {*MUNICIPALITIES, "Voorbeeldstad", "Regio (gemiddelde)"}
    finally:
        page.context.close()


def test_the_page_fits_a_small_beamer(browser: Browser, region_app: str) -> None:
    page = new_page(browser, 1280, 720)
    try:
        page.goto(f"{region_app}/regio")
        ready(page, "Regio")
        drawn(page)
        page.screenshot(path=str(screenshot_dir() / "regio-1280.png"), full_page=True)
        # nothing wider than the window: no sideways scrolling
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    finally:
        page.context.close()
