"""Screenshots of every page (and tab) at 1440x900 in headless chromium, for a human to look at.

    .venv/bin/python scripts/screenshots.py [--out /tmp/wijkmodel-screenshots]

Starts the app on a throw-away SQLite database with the demo loaded. PNGs go outside the
repository by default.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser import LAUNCH_ARGS, demo_server, new_page, require_chromium, screenshot_dir

SHOTS = [
    # (file name, url path, tab or option to click or None)
    ("start.png", "", None),
    ("wijkanalyse.png", "wijkanalyse", None),
    ("wijkdata.png", "wijkdata", None),
    ("startpositie.png", "startpositie", None),
    ("startpositie_tabel.png", "startpositie", "Alle wijken in één tabel"),
    ("quickscan.png", "quickscan", None),
    ("quickscan_tabel.png", "quickscan", "Snel invullen: een tabel per basisfunctie"),
    ("randvoorwaarden.png", "randvoorwaarden", None),
    ("zet.png", "zet", None),
    ("wijkprofiel.png", "wijkprofiel", None),
    ("vergelijken.png", "vergelijken", None),
    ("presenteren.png", "presenteren", None),  # Presenteren: the slide number is in the address
    # the default parts (wijkmodel/exports/parts.py DEFAULT_PARTS); profiles are an appendix on request
    ("presenteren_overzicht.png", "presenteren?dia=2", None),
    ("presenteren_scores.png", "presenteren?dia=3", None),
    ("presenteren_kaart.png", "presenteren?dia=4", None),
    ("presenteren_prioriteiten.png", "presenteren?dia=5", None),
    ("presenteren_tabel.png", "presenteren?dia=6", None),
    ("presenteren_voortgang.png", "presenteren?dia=7", None),
    ("presenteren_streefwaarden.png", "presenteren?dia=8", None),
    ("presenteren_methode.png", "presenteren?dia=11", None),
    ("stukken.png", "stukken", None),
    ("voortgang.png", "voortgang", None),
    ("streefwaarden.png", "streefwaarden", None),
    ("plan.png", "plan", None),
    ("perspectieven.png", "perspectieven", None),
    ("geschiedenis.png", "geschiedenis", None),
    ("gesprek.png", "gesprek", None),
    ("instellingen.png", "instellingen", None),
    ("het_model_themas.png", "het_model", None),
    ("het_model_basisfuncties.png", "het_model", "Basisfuncties en vragen"),
    ("het_model_opdracht.png", "het_model", "Opdracht en randvoorwaarden"),
    ("het_model_koppelingen.png", "het_model", "Koppelingen en voorbeelden"),
    ("het_model_begrippen.png", "het_model", "Begrippen"),
    ("het_model_bronnen.png", "het_model", "Bronnen"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description="Maak schermafdrukken van alle pagina's.")
    parser.add_argument("--out", type=Path, default=screenshot_dir())
    parser.add_argument("--full", action="store_true", help="hele pagina in plaats van 1440x900")
    parser.add_argument("--wait", type=int, default=4000, help="milliseconden wachten na het laden")
    parser.add_argument("--only", help="alleen deze bestandsnaam (zonder .png) en die ermee beginnen plus _")
    parser.add_argument("--beamer", action="store_true", help="1920x1080, zoals op een beamer")
    parser.add_argument("--size", help="schermgrootte, bijvoorbeeld 1280x720 (een kleine beamer)")
    parser.add_argument("--scrolls", type=int, default=0, help="zoveel extra schermen naar beneden")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import ViewportSize, sync_playwright

    with demo_server() as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=require_chromium(), args=LAUNCH_ARGS)
        size: ViewportSize = {"width": 1920, "height": 1080} if args.beamer else {"width": 1440, "height": 900}
        if args.size:
            width, height = args.size.lower().split("x")
            size = {"width": int(width), "height": int(height)}
        page = new_page(browser, size["width"], size["height"])  # a returning user: a role chosen before
        for name, path, tab in SHOTS:
            if args.only and name != f"{args.only}.png" and not name.startswith(f"{args.only}_"):
                continue
            page.goto(f"{base}/{path}")
            page.get_by_role("heading").first.wait_for(timeout=30_000)
            if tab:  # a tab of Het model, or a choice of view (Startpositie, Quickscan)
                page.get_by_role("tab", name=tab).or_(page.get_by_text(tab, exact=True)).first.click()
            page.wait_for_timeout(args.wait)
            page.screenshot(path=str(args.out / name), full_page=args.full)
            print(args.out / name)
            for k in range(1, args.scrolls + 1):  # Streamlit scrolls an inner element, not the page
                page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollBy(0, 820)")
                page.wait_for_timeout(1200)
                extra = args.out / name.replace(".png", f"_{k}.png")
                page.screenshot(path=str(extra))
                print(extra)
        browser.close()


if __name__ == "__main__":
    main()
