"""The layout test (issue 16): no text of any chart overlaps another or sticks out, anywhere a person
sees it.

Every chart of every page at 1440x900 and 1280x720, every Presenteren slide at 1920x1080 and
1280x720, and every picture of the deck and the PDF at its own size, for the demo and for Beginstad
at its very start (tests/layout_walk.py). A new chart on a page or a slide is in it without a change
here. `scripts/layout_report.py` prints the same findings; `make gallery` shows the same charts.
"""

from __future__ import annotations

from playwright.sync_api import Browser

from tests.layout import findings
from tests.layout_walk import APP_SIZES, SETUPS, SLIDE_SIZES, all_charts


def test_no_chart_text_overlaps_another_or_is_cut_off(browser: Browser) -> None:
    charts = all_charts(browser)
    where = {c.where for c in charts}
    for setup in SETUPS:  # the walk saw what it should: else a broken walk would pass
        for width, height in APP_SIZES:
            assert any(w.startswith(f"{setup} · vergelijken · {width}x{height}") for w in where)
        for width, height in SLIDE_SIZES:
            assert any(w.startswith(f"{setup} · presenteren dia") and w.endswith(f"{width}x{height}") for w in where)
        assert any(w.startswith(f"{setup} · document ") for w in where)
    for width, height in APP_SIZES:  # the region's page, with its charts
        assert sum(c.where == f"regio · regio · {width}x{height}" for c in charts) >= 4
    assert any(w.startswith("regio · document regio-overzicht") for w in where)
    assert any(w.startswith("regio · presenteren dia") for w in where)
    texts = sum(len(c.texts) for c in charts)
    print(f"layout test: {len(charts)} charts, {texts} texts checked")
    assert len(charts) >= 100  # 115 in December 2026
    found = [str(f) for chart in charts for f in findings(chart)]
    assert not found, f"{len(found)} chart texts overlap or are cut off:\n" + "\n".join(found[:60])
