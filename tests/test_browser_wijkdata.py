"""Browser test of the wijk-analyse: upload a CBS-style file, map its columns, import it, upload
boundaries, and see the map and the priority matrix with the new year's figures."""

from __future__ import annotations

from playwright.sync_api import Browser, FilePayload, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.browser import new_page, ready, rerun
from wijkmodel.demo.geometry import DEMO_GEOMETRY_PATH
from wijkmodel.demo.wijkdata import demo_csv, demo_csv_name


def _pick(page: Page, label: str, option: str) -> None:
    """Choose `option` in the selectbox `label`. A rerun that is still under way redraws the
    selectbox and closes its list (seen in CI under load): then open it again, up to three times."""
    for _ in range(3):
        page.get_by_label(label).click()
        choice = page.get_by_role("option", name=option, exact=True)
        try:
            choice.wait_for(timeout=10_000)
            with rerun(page):
                choice.click(timeout=5_000)
        except PlaywrightTimeoutError:
            page.keyboard.press("Escape")
            continue
        return
    raise AssertionError(f"kon ‘{option}’ niet kiezen in ‘{label}’: de lijst sloot steeds")


def _chart_has(page: Page, text: str) -> None:
    page.wait_for_function(
        "t => [...document.querySelectorAll('.js-plotly-plot text')].some(e => (e.textContent || '').includes(t))",
        arg=text,
        timeout=30_000,
    )


def test_upload_map_columns_import_and_see_map_and_matrix(browser: Browser, demo_app: str) -> None:
    page = new_page(browser)
    page.goto(f"{demo_app}/wijkdata")
    ready(page, "Wijkdata")
    uploads = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
    # the upload's run must be over before a selectbox is opened: a rerun redraws it and closes its list
    with rerun(page):
        uploads.nth(0).set_input_files(
            files=[FilePayload(name=demo_csv_name(2025), mimeType="text/csv", buffer=demo_csv(2025))]
        )
    page.get_by_role("heading", name="Welke kolom is wat?").wait_for(timeout=30_000)
    # map the code to the other code column of the CBS file: the preview follows the mapping
    _pick(page, "Kolom met de wijkcode (WK + 6 cijfers)", "Codering_3")
    page.get_by_text("8 wijken: 8 bestaande, 0 nieuwe.").wait_for(timeout=30_000)
    page.get_by_text("Overgeslagen, buurten: 2.").wait_for(timeout=10_000)
    page.get_by_role("button", name="Importeren", exact=True).click()
    page.get_by_text("Geïmporteerd: 8 wijken, 5 kerncijfers voor 2025.").first.wait_for(timeout=30_000)

    uploads.nth(1).set_input_files(
        files=[
            FilePayload(
                name=DEMO_GEOMETRY_PATH.name,
                mimeType="application/geo+json",
                buffer=DEMO_GEOMETRY_PATH.read_bytes(),
            )
        ]
    )
    page.get_by_role("button", name="Grenzen importeren").click()
    page.get_by_text("Grenzen bewaard.").first.wait_for(timeout=30_000)

    page.goto(f"{demo_app}/wijkanalyse")
    ready(page, "Wijkanalyse")
    _chart_has(page, "Totaalfase per wijk")
    _chart_has(page, "Noorderpark")
    _pick(page, "Wat kleurt de kaart?", "Kerncijfer: Jongeren met jeugdzorg in natura")
    _chart_has(page, "Jongeren met jeugdzorg in natura per wijk")
    _chart_has(page, "2025")  # the map names the year of its figures: the import's, not the demo's 2024
    _chart_has(page, "begin hier")
    _chart_has(page, "Jongeren met jeugdzorg in natura (2025)")
    table = page.locator('[data-testid="stDataFrame"]').first
    table.wait_for(timeout=20_000)
