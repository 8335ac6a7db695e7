"""Perspectieven and Geschiedenis in a real browser: pick a wijk, read its talking points; see the kept changes."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, expect

from tests.browser import new_page, ready, rerun, screenshot_dir


def test_picking_a_wijk_shows_where_its_roles_differ(browser: Browser, demo_app: str) -> None:
    page = new_page(browser)
    page.goto(f"{demo_app}/perspectieven")
    ready(page, "Perspectieven")
    page.get_by_label("Wijk (of de gemeente als geheel)").click()
    with rerun(page):
        page.get_by_role("option", name="Zonnehoek", exact=True).click()
    page.get_by_text("Perspectieven in Zonnehoek, ronde 2026").first.wait_for(timeout=30_000)  # the chart's title
    page.get_by_role("heading", name="Gesprekspunten", exact=True).first.scroll_into_view_if_needed()
    point = page.get_by_text(
        "Visie en inspiratie: gemeente ziet fase 4 (90), inwoner/jeugd fase 3 (55); 35 punten verschil."
    )
    point.wait_for(timeout=20_000)
    assert point.is_visible()
    page.get_by_role("heading", name="Waar zijn ze het over eens?", exact=True).first.wait_for(timeout=20_000)
    page.screenshot(path=str(screenshot_dir() / "perspectieven.png"))


def test_the_history_shows_changes_newest_first(browser: Browser, demo_app: str) -> None:
    page = new_page(browser)
    page.goto(f"{demo_app}/geschiedenis")
    ready(page, "Geschiedenis")
    page.get_by_text("Hieronder staan de 500 nieuwste").wait_for(timeout=20_000)
    cells = page.locator('[data-testid="stDataFrame"] td')
    cells.first.wait_for(state="attached", timeout=30_000)
    texts = cells.all_text_contents()
    assert len(texts) >= 8 * 5  # several rows of eight columns
    assert any(re.fullmatch(r"\d\d-\d\d-\d{4} \d\d:\d\d", t) for t in texts)  # Dutch date and time
    assert {"actie", "schuifje", "antwoord", "streefwaarde", "toelichting"} & set(texts)
    page.get_by_label("Wijk", exact=True).click()
    with rerun(page):
        page.get_by_role("option", name="Het Ven", exact=True).click()
    page.get_by_text("wijzigingen, de nieuwste bovenaan").wait_for(timeout=20_000)
    expect(page.locator('[data-testid="stDataFrame"] td').nth(1)).to_have_text("Het Ven", timeout=20_000)  # column Wijk
    page.screenshot(path=str(screenshot_dir() / "geschiedenis.png"))
