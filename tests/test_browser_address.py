"""Where you are survives a reload and a shared link, in a real browser: municipality, round and
wijk in the address (ui/address.py), and who fills in kept by this browser only (ui/who.py)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Browser, Page

from tests.browser import new_page, ready, rerun


def _address(page: Page) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(page.url).query).items()}


def _choose(page: Page, label: str, option: str) -> None:
    page.get_by_label(label, exact=True).click()
    with rerun(page):
        page.get_by_role("option", name=option, exact=True).click()


def _shown(page: Page, label: str) -> str:
    """The text of the selectbox labelled `label`: the label and its chosen option (or placeholder)."""
    box = page.locator('[data-testid="stSelectbox"]').filter(has=page.get_by_text(label, exact=True))
    shown = box.evaluate("b => [b.innerText, ...[...b.querySelectorAll('input')].map(i => i.value || i.placeholder)]")
    return " ".join(shown)


def test_a_reload_and_a_shared_link_open_the_same_view(browser: Browser, demo_app: str) -> None:
    page = new_page(browser)
    page.goto(f"{demo_app}/startpositie")
    ready(page, "Startpositie")
    _choose(page, "Ronde", "2025 (14-03-2025)")
    _choose(page, "Wijk (of de gemeente als geheel)", "Molenwijk")
    assert _address(page) == {"gemeente": "Voorbeeldstad", "ronde": "2025", "wijk": "Molenwijk"}

    page.reload()
    ready(page, "Startpositie")
    assert "2025" in _shown(page, "Ronde") and "Molenwijk" in _shown(page, "Wijk (of de gemeente als geheel)")
    assert "lokaal team" in _shown(page, "Wie vult in? (rol)")  # this browser's choice, from its cookie

    # the link sent to a colleague: the same view, but they choose their own role
    colleague = new_page(browser, who=None)
    colleague.goto(page.url)
    ready(colleague, "Startpositie")
    assert "2025" in _shown(colleague, "Ronde")
    assert "Molenwijk" in _shown(colleague, "Wijk (of de gemeente als geheel)")
    assert "Kies uw rol" in _shown(colleague, "Wie vult in? (rol)")
    colleague.get_by_text("Kies eerst wie invult").wait_for()
    assert colleague.locator('[data-testid="stSlider"]').count() == 0
    colleague.context.close()

    # the menu keeps the municipality and round
    with rerun(page):
        page.get_by_role("link", name="Vergelijken").click()
    ready(page, "Vergelijken")
    assert _address(page) == {"gemeente": "Voorbeeldstad", "ronde": "2025"}
    assert "2025" in _shown(page, "Ronde")
    page.context.close()


def test_an_unknown_name_in_a_link_falls_back_with_a_message(browser: Browser, demo_app: str) -> None:
    page = new_page(browser)
    page.goto(f"{demo_app}/wijkprofiel?gemeente=Voorbeeldstad&wijk=%3Cb%3ENergens%3C%2Fb%3E")
    ready(page, "Wijkprofiel")
    page.get_by_text("De wijk ‘<b>Nergens</b>’ uit het adres bestaat niet. U ziet De Hoven.").wait_for()
    assert _address(page)["wijk"] == "De Hoven"
    page.context.close()


def test_who_fills_in_is_asked_once_and_kept_after_a_reload(browser: Browser, demo_app: str) -> None:
    page = new_page(browser, who=None)
    page.goto(f"{demo_app}/startpositie")
    ready(page, "Startpositie")
    page.get_by_text("Kies eerst wie invult").wait_for()
    _choose(page, "Wie vult in? (rol)", "gemeente")
    page.get_by_text("U vult in als: gemeente").wait_for()
    assert page.locator('[data-testid="stSlider"]').count() == 6
    assert "rol" not in _address(page)  # not in a link that may be sent on
    page.reload()
    ready(page, "Startpositie")
    page.get_by_text("U vult in als: gemeente").wait_for()
    with rerun(page):
        page.get_by_role("link", name="Quickscan").click()
    ready(page, "Quickscan")
    page.get_by_text("U vult in als: gemeente").wait_for()
    page.context.close()
