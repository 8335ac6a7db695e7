"""Browser tests of the improvement cycle: set a target and see the gap; add an action and find it
in the exported deck."""

from __future__ import annotations

import io
from pathlib import Path

from playwright.sync_api import Browser, Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from pptx import Presentation

from tests.browser import new_page, ready, rerun, screenshot_dir


def _pick_unit(page: Page, label: str, name: str) -> None:
    page.get_by_label(label).click()
    with rerun(page):
        page.get_by_role("option", name=name, exact=True).click()


def _type_in_first_row(page: Page, grid: Locator, *, steps_right: int, text: str) -> None:
    """Type into a cell of the editor's first row as a person does: click it, walk right, Enter, type, Enter.

    The grid is drawn on a canvas: the click lands at a place in the grid's box once that box has
    stopped moving (Playwright's own wait for a stable element), and a click on a grid that is still
    being laid out can miss, so the reach for the cell is tried again (up to three times) until its
    editor opens. The typing is done once."""
    editor = page.locator("input.gdg-input, textarea.gdg-input").first
    for _ in range(3):
        grid.click(position={"x": 30, "y": 35 + 17})
        for _ in range(steps_right):
            page.keyboard.press("ArrowRight")
        page.keyboard.press("Enter")  # open the cell's editor (a first typed key can get lost)
        try:
            editor.wait_for(timeout=5_000)
            break
        except PlaywrightTimeout:  # the editor did not open: reach for the cell again
            page.keyboard.press("Escape")
    else:
        raise AssertionError("the cell editor did not open after three tries")
    page.keyboard.type(text, delay=150)
    page.keyboard.press("Enter")


def test_set_a_target_and_see_the_gap(browser: Browser, demo_app: str) -> None:
    page = new_page(browser)
    page.goto(f"{demo_app}/streefwaarden")
    ready(page, "Streefwaarden")
    _pick_unit(page, "Wijk (of de gemeente als geheel)", "Kerkebuurt")
    page.get_by_text("Nog geen streefwaarden voor deze wijk.").wait_for(timeout=20_000)
    grid = page.locator('[data-testid="stDataFrame"]').first
    _type_in_first_row(page, grid, steps_right=2, text="80")
    # the target is saved when its gap shows (the message 'Streefwaarde bewaard.' lasts one rerun only)
    gap_heading = page.get_by_role("heading", name="Afstand tot de streefwaarde in ronde 2026")
    try:
        gap_heading.wait_for(timeout=20_000)
    except PlaywrightTimeout:
        # on a loaded machine the canvas grid can swallow the typed value (seen once in a full run):
        # keep a picture of what the page showed, and type it once more
        page.screenshot(path=str(screenshot_dir() / "streefwaarde_niet_bewaard.png"), full_page=True)
        _type_in_first_row(page, grid, steps_right=2, text="80")
        gap_heading.wait_for(timeout=30_000)
    gaps = page.locator('[data-testid="stDataFrame"]').nth(1)
    gaps.wait_for(timeout=20_000)
    # plotly draws after the element appears: wait for the gap chart's own title
    page.wait_for_function(
        "[...document.querySelectorAll('.js-plotly-plot text')]"
        ".some(e => (e.textContent || '').startsWith('Kerkebuurt: nu en de streefwaarde'))",
        timeout=20_000,
    )
    chart = page.locator(".js-plotly-plot").filter(has_text="Kerkebuurt: nu en de streefwaarde").first
    labels = chart.locator("text").evaluate_all("els => els.map(e => e.textContent)")
    # the chart's row and text: Visie en inspiratie, still some way to go
    assert "Visie en inspiratie" in labels and any(t.startswith("nog ") and t.endswith(" te gaan") for t in labels)


def test_add_an_action_and_find_it_in_the_deck(browser: Browser, demo_app: str) -> None:
    page = new_page(browser)
    page.goto(f"{demo_app}/plan")
    ready(page, "Kernkeuzes en acties")
    page.get_by_label("Wat gaan we doen?").fill("Buurtontbijt met de jongerenwerker")
    page.get_by_label("Wie is eigenaar? (rol of organisatie, geen naam van een persoon)").fill("Jongerenwerk")
    page.get_by_role("button", name="Actie toevoegen").click()
    page.get_by_text("Actie toegevoegd.").first.wait_for(timeout=20_000)  # beside the form and in a toast

    page.goto(f"{demo_app}/stukken")
    ready(page, "Stukken voor de stuurgroep")
    with page.expect_download(timeout=120_000) as info:
        page.get_by_role("button", name="Download presentatie (.pptx)").click()
    deck = Presentation(io.BytesIO(Path(info.value.path()).read_bytes()))
    cells = [
        cell.text
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_table
        for row in shape.table.rows
        for cell in row.cells
    ]
    assert "Buurtontbijt met de jongerenwerker" in cells and "Jongerenwerk" in cells
    titles = [s.shapes.title.text for s in deck.slides if s.shapes.title is not None]
    assert any(t.startswith("Actieplan") for t in titles) and any(t.startswith("Kernkeuzes") for t in titles)
