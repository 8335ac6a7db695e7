"""Real-browser tests against `streamlit run` in Debian's chromium (Playwright)."""

from __future__ import annotations

import base64
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.browser import _run_counter, new_page, ready, screenshot_dir


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


def test_the_run_counter_counts_a_finished_run_once(browser: Browser) -> None:
    """The counter of tests/browser.py reads the server's messages as Streamlit sends them: a run's end
    after length-delimited fields (hash, metadata) counts once; elements and a run ended early for
    st.rerun() do not count. (It once skipped every length prefix, so it counted some elements as a
    run's end and missed the real one.)"""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    def finished(status: int) -> ForwardMsg:
        msg = ForwardMsg(script_finished=status)  # type: ignore[arg-type]
        msg.metadata.active_script_hash = "a" * 36
        return msg

    element = ForwardMsg(hash="f" * 32)
    element.metadata.delta_path.extend([0, 1, 2])
    element.delta.new_element.markdown.body = "Fase 3 · Wijkgericht werken is de werkwijze. " * 10
    messages = [element, element, finished(ForwardMsg.FINISHED_EARLY_FOR_RERUN), element]
    messages.append(finished(ForwardMsg.FINISHED_SUCCESSFULLY))
    page = browser.new_page()  # not `new_page`: its counter would count each message a second time
    page.evaluate(_run_counter())
    counted = page.evaluate(
        """(messages) => {
          const ws = new WebSocket('ws://127.0.0.1:9');  // never connects: only its listeners are used
          for (const b64 of messages) {
            const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)).buffer;
            ws.dispatchEvent(new MessageEvent('message', {data}));
          }
          ws.close();
          return window.__wijkmodelRuns;
        }""",
        [base64.b64encode(m.SerializeToString()).decode() for m in messages],
    )
    page.context.close()
    assert counted == 1
