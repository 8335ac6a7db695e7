"""How many chart texts overlap or stick out, chart by chart, as a person sees them (issue 16).

    .venv/bin/python scripts/layout_report.py [--setups demo,sparse] [--sizes 1440x900,1280x720]
        [--slides 1920x1080,1280x720] [--no-documents]

Starts the app for each setup (the demo; 'Beginstad' at its very start) on a throw-away SQLite
database, opens every page at every size in headless Chromium and steps through Presenteren at the
beamer sizes, draws every picture of the deck and the PDF at its own size, and measures every chart
with `tests/layout.py`. Prints each finding and the totals. The same walk is the layout test
(tests/test_browser_layout.py).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser import LAUNCH_ARGS, require_chromium
from tests.layout import findings
from tests.layout_walk import all_charts


def _sizes(text: str) -> tuple[tuple[int, int], ...]:
    return tuple((int(w), int(h)) for w, h in (part.lower().split("x") for part in text.split(",") if part))


def main() -> None:
    parser = argparse.ArgumentParser(description="Tel overlappende en afgesneden teksten in de grafieken.")
    parser.add_argument("--setups", default="demo,sparse", help="gemeenten: demo, sparse")
    parser.add_argument("--sizes", default="1440x900,1280x720", help="schermgroottes van de app")
    parser.add_argument("--slides", default="1920x1080,1280x720", help="schermgroottes van Presenteren")
    parser.add_argument("--no-documents", action="store_true", help="zonder de plaatjes van presentatie en verslag")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=require_chromium(), args=LAUNCH_ARGS)
        charts = all_charts(
            browser,
            tuple(args.setups.split(",")),
            _sizes(args.sizes),
            _sizes(args.slides),
            documents=not args.no_documents,
        )
        browser.close()
    found = [f for chart in charts for f in findings(chart)]
    for finding in found:
        print(finding)
    bad = {(f.where, f.chart) for f in found}
    print(f"{len(found)} teksten overlappen of vallen buiten de grafiek, in {len(bad)} van {len(charts)} grafieken")


if __name__ == "__main__":
    main()
