"""How many chart texts overlap or stick out, page by page, as a person sees the app (issue 16).

    .venv/bin/python scripts/layout_report.py [--sizes 1440x900,1280x720] [--slides 1920x1080,1280x720]

Starts the app on a throw-away SQLite database with the demo, opens every page at every size in
headless Chromium, and measures every drawn chart with `tests/layout.py`; Presenteren is stepped
through slide by slide at the beamer sizes. Prints each finding and the totals. A measurement, not
yet the fence: the layout test in CI comes when the findings are fixed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser import LAUNCH_ARGS, demo_server, drawn, new_page, page_paths, require_chromium, script_ran
from tests.layout import Chart, findings, measure


def _size(text: str) -> tuple[int, int]:
    width, height = text.lower().split("x")
    return int(width), int(height)


def main() -> None:
    parser = argparse.ArgumentParser(description="Tel overlappende en afgesneden teksten in de grafieken.")
    parser.add_argument("--sizes", default="1440x900,1280x720", help="schermgroottes van de app")
    parser.add_argument("--slides", default="1920x1080,1280x720", help="schermgroottes van Presenteren")
    parser.add_argument("--max-slides", type=int, default=40)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    charts: list[Chart] = []
    with demo_server() as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=require_chromium(), args=LAUNCH_ARGS)
        for size in args.sizes.split(","):
            page = new_page(browser, *_size(size))
            for path in page_paths():
                if path == "presenteren":
                    continue
                page.goto(f"{base}/{path}")
                page.get_by_role("heading").first.wait_for(timeout=60_000)
                script_ran(page, 0, 60_000)
                drawn(page, timeout=60_000)
                charts += measure(page, f"{path or 'start'} {size}")
            page.context.close()
        for size in args.slides.split(","):
            page = new_page(browser, *_size(size))
            page.goto(f"{base}/presenteren")
            page.get_by_role("heading").first.wait_for(timeout=60_000)
            script_ran(page, 0, 60_000)
            for slide in range(1, args.max_slides + 1):
                drawn(page, timeout=60_000)
                charts += measure(page, f"presenteren dia {slide} {size}")
                button = page.get_by_role("button", name="Volgende")
                if button.is_disabled():
                    break
                button.click()
                page.get_by_text(f"Dia {slide + 1} van", exact=False).first.wait_for(timeout=30_000)
            page.context.close()
        browser.close()
    found = [f for chart in charts for f in findings(chart)]
    for finding in found:
        print(finding)
    bad = {(f.where, f.chart) for f in found}
    print(f"{len(found)} teksten overlappen of vallen buiten de grafiek, in {len(bad)} van {len(charts)} grafieken")


if __name__ == "__main__":
    main()
