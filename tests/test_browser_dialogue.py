"""Dialogue mode in a real browser: notes on three questions, found again in the summary and its download."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser

from tests.browser import new_page, ready, rerun, screenshot_dir

HEADING = "Gesprek: verdiepende vragen"
NOTES = [
    "Browsertest 1: partners missen plekken voor jongeren.",
    "Browsertest 2: =1+1 <b>blijft gewone tekst</b>.",
    "Browsertest 3: afspraak met de scholen in maart.",
]


def test_three_notes_in_dialogue_mode_come_back_in_the_summary_and_its_text_file(
    browser: Browser, demo_app: str
) -> None:
    page = new_page(browser)
    page.goto(f"{demo_app}/gesprek")
    ready(page, HEADING)
    page.get_by_text("Vraag 1 van 66", exact=False).wait_for(timeout=20_000)
    assert page.get_by_role("button", name="Vorige").is_disabled()
    for number, note in enumerate(NOTES, start=1):
        page.get_by_label("Aantekening bij deze vraag").fill(note)
        with rerun(page):
            page.get_by_role("button", name="Volgende").click()
        page.get_by_text(f"Vraag {number + 1} van 66", exact=False).wait_for(timeout=20_000)
        assert page.get_by_label("Aantekening bij deze vraag").input_value() != note

    # back one question: its note is still there
    with rerun(page):
        page.get_by_role("button", name="Vorige").click()
    page.get_by_text("Vraag 3 van 66", exact=False).wait_for(timeout=20_000)
    assert page.get_by_label("Aantekening bij deze vraag").input_value() == NOTES[2]

    with rerun(page):
        page.get_by_role("button", name="Samenvatting").click()
    page.get_by_role("heading", name="Samenvatting", exact=True).wait_for(timeout=20_000)
    for note in NOTES:
        page.get_by_text(note, exact=True).wait_for(timeout=10_000)  # shown as typed, never as markup
    page.screenshot(path=str(screenshot_dir() / "flow_gesprek_samenvatting.png"), full_page=True)

    with page.expect_download(timeout=30_000) as info:
        page.get_by_role("button", name="Samenvatting (.txt)").click()
    assert info.value.suggested_filename.startswith("gesprek-voorbeeldstad-")
    assert info.value.suggested_filename.endswith(".txt")
    text = Path(info.value.path()).read_text(encoding="utf-8")
    assert text.startswith(HEADING)
    positions = [text.index(note) for note in NOTES]
    assert positions == sorted(positions)  # in the order of the conversation
    assert "Algemene vragen" in text and "Bron van de vragen:" in text
