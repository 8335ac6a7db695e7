"""Every chart of the demo and of Beginstad at every size, as pictures in one folder with an index
page, to look at before a release (issue 16): `make gallery`.

    .venv/bin/python scripts/gallery.py [--out var/gallery]

The same walk as the layout test (tests/layout_walk.py): every page at the app sizes, Presenteren
slide by slide at the beamer sizes, and every picture of the deck and the PDF at its own size. The
index names each chart and what the layout test found in it.
"""

from __future__ import annotations

import argparse
import html
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser import LAUNCH_ARGS, require_chromium
from tests.layout import findings
from tests.layout_walk import all_charts, picture_taker, shot_name


def main() -> None:
    parser = argparse.ArgumentParser(description="Alle grafieken als plaatjes in één map, met een overzicht.")
    parser.add_argument("--out", default="var/gallery", help="map voor de plaatjes en index.html")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    out = Path(args.out)
    pictures = out / "plaatjes"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=require_chromium(), args=LAUNCH_ARGS)
        charts = all_charts(browser, shoot=picture_taker(pictures))
        browser.close()
    # charts of one place in drawing order: their index on that page is their number
    by_place: dict[str, list] = defaultdict(list)
    for chart in charts:
        by_place[chart.where].append(chart)
    sections = []
    total = 0
    for place, found_charts in by_place.items():
        items = []
        for index, chart in enumerate(found_charts):
            problems = findings(chart)
            total += len(problems)
            note = "".join(f"<li>{html.escape(str(f.problem))}</li>" for f in problems)
            items.append(
                f"<figure><img src='plaatjes/{html.escape(shot_name(place, index))}' loading='lazy'"
                f" alt='{html.escape(chart.title)}'><figcaption>{html.escape(chart.title or '(zonder titel)')}"
                + (f"<ul class='bad'>{note}</ul>" if note else "")
                + "</figcaption></figure>"
            )
        sections.append(f"<section><h2>{html.escape(place)}</h2>{''.join(items)}</section>")
    page = (
        "<!doctype html><html lang='nl'><head><meta charset='utf-8'><title>Galerij van de grafieken</title>"
        "<style>body{font-family:sans-serif;margin:2rem} figure{display:inline-block;margin:0 1rem 1rem 0;"
        "vertical-align:top;max-width:100%} img{max-width:100%;border:1px solid #ccc} .bad{color:#A50026}</style>"
        f"</head><body><h1>Galerij van de grafieken</h1><p>{len(charts)} grafieken; de opmaaktest vond "
        f"{total} overlappende of afgesneden teksten.</p>{''.join(sections)}</body></html>"
    )
    (out / "index.html").write_text(page, encoding="utf-8")
    print(f"{len(charts)} grafieken, {total} bevindingen: {out / 'index.html'}")


if __name__ == "__main__":
    main()
