"""Presenteren on a beamer, in a real browser: a slide fits 1920x1080 and 1280x720 without scrolling,
the sidebar is out of the way, the arrow keys and a clicker's PageDown/PageUp go on and back (not
while typing), and the slide number in the address survives a reload."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, Page

from tests.browser import drawn, new_page, ready, rerun, screenshot_dir

SIZES = [(1920, 1080), (1280, 720)]

FITS = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const nav = document.querySelector('.st-key-dia_navigatie').getBoundingClientRect();
  const title = document.querySelector('[data-testid="stMain"] h1').getBoundingClientRect();
  const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
    .map(c => c.getBoundingClientRect()).filter(r => r.width > 0 && r.height > 0);
  return {
    page: document.scrollingElement.scrollHeight - innerHeight,
    main: main.scrollHeight - main.clientHeight,
    wide: main.scrollWidth - main.clientWidth,
    titleTop: title.top, navBottom: nav.bottom, navTop: nav.top, height: innerHeight,
    charts: charts.map(r => [r.top, r.bottom, r.height]),
  };
}"""
"""What scrolls and where the parts are. Streamlit scrolls its main element, not the document, so
both are measured; a chart counts when it is shown (the one for the other window height is not)."""


SIDEBAR_AWAY = """() => {
  const sidebar = document.querySelector('[data-testid="stSidebar"]');
  if (!sidebar) return true;
  const box = sidebar.getBoundingClientRect();
  return box.width < 1 || box.right <= 0;
}"""


def assert_fits(page: Page, what: str) -> None:
    m = page.evaluate(FITS)
    assert m["page"] <= 1, f"{what}: the page scrolls {m}"
    assert m["main"] <= 1 and m["wide"] <= 1, f"{what}: Streamlit's main element scrolls {m}"
    assert m["titleTop"] >= 0 and m["navBottom"] <= m["height"], f"{what}: title or navigation outside the window {m}"
    assert all(top >= m["titleTop"] and bottom <= m["navTop"] + 1 for top, bottom, _ in m["charts"]), f"{what}: {m}"
    assert all(height >= 0.4 * m["height"] for *_, height in m["charts"]), f"{what}: the chart is small {m}"


def slide(page: Page, number: int) -> None:
    page.get_by_text(f"Dia {number} van", exact=False).first.wait_for(timeout=30_000)
    assert parse_qs(urlsplit(page.url).query).get("dia") == [str(number)], page.url


@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_a_slide_fits_the_beamer_and_the_keys_go_on_and_back(
    browser: Browser, demo_app: str, width: int, height: int
) -> None:
    page = new_page(browser, width, height)
    page.goto(f"{demo_app}/presenteren")
    ready(page, "Wijkgericht werken in Voorbeeldstad")
    page.wait_for_function(SIDEBAR_AWAY, timeout=10_000)  # collapsed (it may slide away first)
    main = page.get_by_test_id("stMainBlockContainer").bounding_box()
    assert main is not None and main["width"] >= width - 1  # the slide has the whole width
    assert_fits(page, "dia 1")

    with rerun(page):
        page.keyboard.press("ArrowRight")
    slide(page, 2)
    drawn(page)
    assert_fits(page, "dia 2 (grafiek)")
    page.screenshot(path=str(screenshot_dir() / f"presenteren_dia2_{width}x{height}.png"))

    with rerun(page):
        page.keyboard.press("PageDown")  # what a presenter's clicker sends
    slide(page, 3)
    with rerun(page):
        page.keyboard.press("PageUp")
    slide(page, 2)

    page.reload()
    ready(page, "Totaalfase per wijk")
    slide(page, 2)  # a reload stays on the slide

    with rerun(page):
        page.keyboard.press("ArrowLeft")
    slide(page, 1)


@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("number", [7, 11], ids=["tabel", "profiel met gesprekspunten"])
def test_a_table_slide_and_a_chart_with_points_fit_the_beamer(
    browser: Browser, demo_app: str, width: int, height: int, number: int
) -> None:
    page = new_page(browser, width, height)
    page.goto(f"{demo_app}/presenteren?dia={number}")
    page.get_by_text(f"Dia {number} van", exact=False).first.wait_for(timeout=30_000)
    ready(page, page.locator('[data-testid="stMain"] h1').first.inner_text())
    drawn(page)
    assert_fits(page, f"dia {number}")


def test_the_keys_do_nothing_while_typing(browser: Browser, demo_app: str) -> None:
    page = new_page(browser, 1280, 720)
    page.goto(f"{demo_app}/presenteren?dia=2")
    ready(page, "Totaalfase per wijk")
    page.get_by_test_id("stExpandSidebarButton").click()
    field = page.get_by_test_id("stSidebar").get_by_role("combobox").first  # Gemeente
    field.focus()
    for key in ("ArrowRight", "PageDown", "ArrowLeft", "PageUp"):
        page.keyboard.press(key)
    page.keyboard.press("Escape")
    page.get_by_test_id("stMain").locator("h1").first.click()  # out of the field
    with rerun(page):
        page.keyboard.press("ArrowRight")
    slide(page, 3)  # one on from 2: the keys pressed in the field did nothing
    # whoever opened the sidebar keeps it open (Streamlit remembers that above the page's wish):
    # the slide then still fits, in the width that is left
    drawn(page)
    assert_fits(page, "dia 3 met de zijbalk open")
    page.screenshot(path=str(screenshot_dir() / "presenteren_zijbalk_open_1280x720.png"))
