"""axe in a real browser, once per page: every page of the app's navigation (ui/pages.py) on the demo
has no serious or critical accessibility violation. The other browser tests do not run axe again."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.browser import drawn, new_page, page_paths, ready, serious_violations


@pytest.mark.parametrize("path", page_paths(), ids=lambda path: path or "start")
def test_no_serious_accessibility_violations(browser: Browser, demo_app: str, path: str) -> None:
    page = new_page(browser)
    try:
        page.goto(f"{demo_app}/{path}")
        title = page.get_by_role("heading", level=1).first
        title.wait_for(timeout=30_000)
        ready(page, title.inner_text())
        drawn(page)
        assert serious_violations(page) == []
    finally:
        page.context.close()
