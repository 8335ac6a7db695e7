"""Plain Dutch in a real browser (issue 17, item 6): no page of the demo shows Streamlit's own English,
neither as text nor in what a screen reader reads (aria-label, title, placeholder, aria-valuetext).

Streamlit writes these texts itself; `ui/browser_text.py` rewrites them (where no parameter exists).
`STREAMLIT_ENGLISH` lists the ones Streamlit 1.67 has for the elements the app uses, found by dumping
every text of every page and of the states below (an open calendar, a list with nothing found, a
tooltip, a column's menu, the menu, a refused file, a text field being typed in). What the app writes
itself is Dutch.

Every page is checked as it stands after loading, hidden texts included (a screen reader reads those);
`test_what_appears_on_use_is_dutch` then opens what only appears on use. The status widget ("Running...",
"Stop") comes and goes during a run: a recorder notes what it showed after each change, once the
rewrite is in place (before that, on the very first load of a tab, Streamlit's English can show for a
moment; see the README)."""

from __future__ import annotations

import contextlib
import re

import pytest
from playwright.sync_api import Browser, FilePayload, Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser import drawn, new_page, page_paths, ready

STREAMLIT_ENGLISH = re.compile(
    "|".join(
        [
            # select boxes and lists
            r"Choose an option",
            r"Choose options",
            r"^Select\.\.\.$",
            r"No results",
            r"No options",
            r"options? available",
            r"Select all",
            r"Select \d+ matches",
            r"Clear all",
            r"Selected values",
            r"You can only select",
            r"Multiselect options",
            r"Selectbox options",
            r"\bRemove\b",
            r"^Open$",
            # the file uploader
            r"\bUpload\b",
            r"Drag and drop",
            r"per file",
            r"Browse files",
            r"Add files",
            r"files are not allowed",
            r"File must be",
            r"^file upload$",
            r"^Error:",
            # dates and numbers
            r"Choose date",
            r"Clear date",
            r"Clear value",
            r"Selected Date",
            r"[Yy]{4}",
            r"^(day|month|year), ",
            r"^Empty$",
            r"Next month",
            r"Previous month",
            r"Use arrow keys",
            r"\b(January|February|March|April|May|June|July|August|September|October|November|December)\b",
            r"^Increment$",
            r"^Decrement$",
            # text fields
            r"Press Enter",
            r"Enter to (apply|submit)",
            # the page around it
            r"Skip to main content",
            r"Help for",
            r"Collapse sidebar",
            r"Expand sidebar",
            r"Main menu",
            r"^Print$",
            r"Record screen",
            r"screencast",
            r"Link to heading",
            r"Running\.\.\.",
            r"^Stop$",
            r"Stopping",
            r"Deploy",
            r"Rerun",
            r"Connecting",
            r"Please wait",
            r"^Dismiss$",
            r"^Close$",
            # tables
            r"Download as CSV",
            r"Show/hide columns",
            r"^Search$",
            r"[Ff]ullscreen",
            r"Type to search",
            r"Close Search",
            r"Next Result",
            r"Previous Result",
            r"Sort ascending",
            r"Sort descending",
            r"Pin column",
            r"Hide column",
            r"Autosize",
            r"Copy column name",
            r"^Statistics$",
        ]
    )
)
"""Streamlit's own English, as a pattern on one whole text or attribute (each found in its 1.67 front
end). Dutch words the app uses itself are no match ("Stoppen", "Zoeken in …")."""

SHOWN = """() => {
  const out = [];
  const skip = 'script, style, noscript, svg, [data-testid="stIconMaterial"]';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.data.trim();
    if (text && node.parentElement && !node.parentElement.closest(skip)) out.push(['text', text]);
  }
  for (const name of ['aria-label', 'title', 'placeholder', 'aria-valuetext', 'aria-description', 'alt'])
    for (const element of document.querySelectorAll('[' + name + ']'))
      if (!element.closest('svg') && element.getAttribute(name).trim())
        out.push([name, element.getAttribute(name).trim()]);
  return out;
}"""
"""Every text of the page (hidden ones too: a screen reader reads those) and every attribute read aloud."""

STATUS_RECORDER = """(() => {
  window.__wijkmodelStatus = [];
  const note = () => {
    if (!window.wijkmodelBrowserText) return;  // before the rewrite is in place (first load only)
    const status = '[data-testid="stStatusWidget"], [data-testid="stConnectionStatus"]';
    for (const element of document.querySelectorAll(status)) {
      window.__wijkmodelStatus.push(['text', element.innerText.trim()]);
      for (const labelled of element.querySelectorAll('[aria-label]'))
        window.__wijkmodelStatus.push(['aria-label', labelled.getAttribute('aria-label')]);
    }
  };
  // after the page's own observers have run: what is drawn on the next frame
  const observer = new MutationObserver(() => requestAnimationFrame(note));
  const options = { childList: true, subtree: true, characterData: true };
  document.addEventListener('DOMContentLoaded', () => observer.observe(document.body, options));
})()"""
"""Notes what the status widget shows after every change of the page, for the whole visit."""


def english(texts: list[list[str]]) -> list[str]:
    """The texts and attributes that are Streamlit's English, as 'where: text'."""
    return sorted({f"{where}: {text}" for where, text in texts if STREAMLIT_ENGLISH.search(text)})


def open_page(browser: Browser, base: str, path: str) -> Page:
    page = new_page(browser)
    page.context.add_init_script(script=STATUS_RECORDER)
    page.goto(f"{base}/{path}")
    title = page.get_by_role("heading", level=1).first
    title.wait_for(timeout=30_000)
    ready(page, title.inner_text())
    drawn(page)
    return page


def hover_centre(page: Page, target: Locator) -> None:
    """Move the mouse to the middle of `target` as a person does (Playwright's hover can land on the
    page's header or on the table's canvas, which sit on top of a table's toolbar)."""
    box = target.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=5)


@pytest.mark.parametrize("path", page_paths(), ids=lambda path: path or "start")
def test_no_page_shows_streamlits_english(browser: Browser, demo_app: str, path: str) -> None:
    page = open_page(browser, demo_app, path)
    try:
        found = english(page.evaluate(SHOWN)) + english(page.evaluate("window.__wijkmodelStatus"))
        assert found == [], f"Engels van Streamlit op {path or 'start'}: {found}"
    finally:
        page.context.close()


def test_what_appears_on_use_is_dutch(browser: Browser, demo_app: str) -> None:
    """The states that only appear on use: an open calendar, a list that finds nothing, the tooltip of
    a table's button, a column's menu, the menu, a refused file, a text field being typed in."""
    found: dict[str, list[str]] = {}

    def check(page: Page, what: str) -> None:
        found[what] = english(page.evaluate(SHOWN))

    page = open_page(browser, demo_app, "zet")
    try:
        page.get_by_test_id("stDateInputCalendarButton").first.click()
        page.get_by_role("dialog").first.wait_for()
        check(page, "de kalender")
        page.keyboard.press("Escape")
    finally:
        page.context.close()

    page = open_page(browser, demo_app, "vergelijken")
    try:
        page.get_by_test_id("stMultiSelect").locator("input").first.click()
        page.keyboard.type("zzz")  # six chosen already: the list says no more
        page.get_by_role("listbox").or_(page.get_by_text("U kunt er hoogstens 6 kiezen", exact=False)).or_(
            page.get_by_text("You can only select", exact=False)
        ).first.wait_for()
        check(page, "een lijst die vol is")
        page.keyboard.press("Escape")
        page.get_by_test_id("stMain").get_by_test_id("stSelectbox").locator("input").first.click()
        page.keyboard.type("zzz")
        page.get_by_test_id("stSelectboxVirtualDropdown").wait_for()
        check(page, "een lijst die niets vindt")
        page.keyboard.press("Escape")
        table = page.get_by_test_id("stDataFrame").first
        table.evaluate("element => element.scrollIntoView({block: 'center'})")  # not under the page's header
        tooltip = page.get_by_test_id("stTooltipContent").first
        for _ in range(3):  # the toolbar slides in above the table: a move during that can miss the button
            hover_centre(page, table)
            hover_centre(page, page.get_by_test_id("stElementToolbarButton").first.locator("button"))
            with contextlib.suppress(PlaywrightTimeout):
                tooltip.wait_for(timeout=5_000)
                break
        tooltip.wait_for(timeout=1_000)
        check(page, "de tooltip van een tabel")
        box = table.bounding_box()
        assert box is not None
        page.mouse.click(box["x"] + 250, box["y"] + 15)  # a column's header (the table is drawn on a canvas)
        page.get_by_test_id("stDataFrameColumnMenu").wait_for()
        check(page, "het menu van een kolom")
        page.keyboard.press("Escape")
        page.get_by_test_id("stMainMenuButton").click()
        page.get_by_test_id("stMainMenuList").wait_for()
        check(page, "het menu")
        page.keyboard.press("Escape")
    finally:
        page.context.close()

    page = open_page(browser, demo_app, "wijkdata")
    try:
        # refused in the browser, before any Python runs: no script run to wait for
        page.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(
            files=[FilePayload(name="notities.md", mimeType="text/markdown", buffer=b"# niets\n")]
        )
        page.get_by_test_id("stFileChip").first.wait_for()
        check(page, "een geweigerd bestand")
    finally:
        page.context.close()

    page = open_page(browser, demo_app, "plan")
    try:
        page.get_by_label("Wie is eigenaar? (rol of organisatie, geen naam van een persoon)").fill("Team Noord")
        page.get_by_test_id("InputInstructions").first.wait_for()
        check(page, "een tekstveld waarin getypt wordt")
    finally:
        page.context.close()

    english_found = {what: texts for what, texts in found.items() if texts}
    assert not english_found, "Engels van Streamlit bij " + "; ".join(f"{w}: {t}" for w, t in english_found.items())
