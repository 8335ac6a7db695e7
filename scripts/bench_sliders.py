"""Instant sliders (issue 17, item 9): a slider move on Startpositie against a bare Streamlit page.

    .venv/bin/python scripts/bench_sliders.py [--moves 11] [--json]

Starts three `streamlit run` servers on free ports: the app on a throw-away SQLite database with the
demo municipality (opened on /startpositie), and twice scripts/bench_sliders_bare.py, the same six
select sliders, notes, phase texts and chart without database or saving: once as Streamlit runs it by
default ("kaal", the issue's baseline), once with the one server tuning the app does too ("kaal,
bevroren": `gc.freeze` after the first run, ui/resources.py `freeze_startup_heap`; Streamlit's full
garbage collection after every run otherwise walks the whole heap), so the app's own cost shows like
for like. Debian's chromium (Playwright) opens each in a tab of its own. Per move the FIRST slider is
focused and moved one step by keyboard (ArrowRight and ArrowLeft in turn, so the value changes every
time); 2 warm-up moves per app, then --moves timed moves per app, interleaved (bare, frozen bare, app,
bare, ...) so all share the machine's noise.

What a time covers, measured inside the page (no Playwright round trip in it): from the key press
(the keydown event's own timestamp) to the first moment after it at which the script run that the
move started has ended as tests/browser.py waits for it: the server's `script_finished` counted,
stApp's `data-test-script-state` "notRunning", no status widget or skeleton left (checked on every
DOM change and every animation frame). It includes Streamlit's sending of the value, the whole
script run on the server (in the app: the save in the database) and the front end drawing the
run's elements; it does not include plotly redrawing the chart's picture after that.

Every move is checked after its time is taken: the slider shows the next step, and in the app the
database holds it (the first theme's position of exactly one respondent changed to that value).
Prints the medians (ms) per app, the ratio app / bare and whether it is at most 1.3 (the issue's
target), and the ratio app / frozen bare. Exit code 0 whatever the ratio (a benchmark, not a test);
1 when something failed (an app did not start, a move was not shown or not saved).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from tests.browser import (  # noqa: E402
    CHROMIUM,
    LAUNCH_ARGS,
    PLOTS_DRAWN,
    SCRIPT_RAN,
    new_page,
    script_ran,
    seeded_server,
    streamlit_server,
)
from wijkmodel.model.loader import load_model  # noqa: E402
from wijkmodel.scoring.slider import STEPS, slider_label  # noqa: E402
from wijkmodel.storage.db import make_engine, make_sessionmaker  # noqa: E402
from wijkmodel.storage.tables import ThemePosition  # noqa: E402

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

TARGET = 1.3
WARM_UP = 2
PAUSE_S = 0.3
"""Between two moves: what the last one left (plotly's redraw, garbage) is not in the next one's time."""
ROLE = "Wie vult in? (rol)"
BARE = "scripts/bench_sliders_bare.py"
LABELS = {slider_label(step): step for step in STEPS}

TIMER = f"""(() => {{
  const ran = {SCRIPT_RAN};
  const bench = window.__benchSlider = {{armed: false, after: 0, press: null, done: null}};
  const check = () => {{
    if (bench.armed && bench.press !== null && bench.done === null && ran(bench.after)) {{
      bench.done = performance.now();
      bench.armed = false;
    }}
  }};
  const frame = () => {{ check(); if (bench.armed) requestAnimationFrame(frame); }};
  bench.arm = () => {{
    Object.assign(bench, {{armed: true, after: window.__wijkmodelRuns || 0, press: null, done: null}});
    requestAnimationFrame(frame);
  }};
  document.addEventListener('keydown', (event) => {{
    if (bench.armed && bench.press === null) bench.press = event.timeStamp;
  }}, true);
  new MutationObserver(check).observe(document, {{subtree: true, childList: true, attributes: true}});
}})()"""
"""Per document: `arm()` before a key press; `press` is the keydown's timestamp, `done` the moment
tests/browser.py's SCRIPT_RAN first holds after it (same clock: the page's performance.now())."""


@dataclass
class App:
    """One of the two pages under test and its timed moves (ms)."""

    name: str
    page: Page
    db_url: str | None = None  # the app's database, to check each save; None for the bare page
    times: list[float] = field(default_factory=list)
    saved: int = 0
    right: bool | None = None  # the direction of the last move


def open_page(browser: Browser, url: str) -> Page:
    """A tab on `url` once its first run has ended, a role is chosen and the sliders and chart are drawn."""
    page = new_page(browser)
    page.context.add_init_script(script=TIMER)
    page.goto(url)
    page.get_by_role("heading", name="Startpositie", exact=True).first.wait_for(timeout=60_000)
    script_ran(page, 0, 60_000)
    role = page.get_by_role("combobox", name=ROLE)
    if role.count() and not role.input_value():  # the page may ask who fills in before its sliders
        before = int(page.evaluate("window.__wijkmodelRuns || 0"))
        role.click()
        page.get_by_role("option").first.click()
        script_ran(page, before, 60_000)
    page.get_by_role("slider").nth(5).wait_for(timeout=60_000)
    page.wait_for_function(PLOTS_DRAWN, timeout=60_000)
    page.wait_for_load_state("networkidle", timeout=60_000)
    return page


def first_positions(db_url: str, theme_id: str) -> dict[int, float | None]:
    """The first theme's stored position per respondent."""
    engine = make_engine(db_url)
    try:
        with make_sessionmaker(engine)() as session:
            rows = session.execute(
                select(ThemePosition.respondent_id, ThemePosition.position).where(ThemePosition.theme_id == theme_id)
            ).all()
    finally:
        engine.dispose()
    return dict(rows)


def shown(page: Page) -> float | None:
    """The value the first slider shows."""
    text = page.get_by_role("slider").first.get_attribute("aria-valuetext") or ""
    if text not in LABELS:
        raise RuntimeError(f"het eerste schuifje toont {text!r}, geen stap")
    return LABELS[text]


def move(app: App, theme_id: str) -> float:
    """Move the first slider one step; its time in ms, after checking it was shown (and saved)."""
    page = app.page
    page.bring_to_front()
    slider = page.get_by_role("slider").first
    slider.focus()
    now = STEPS.index(shown(page))
    # right and left in turn (left first from the last step), so every press changes the value
    app.right = now < len(STEPS) - 1 if app.right is None else not app.right
    expected = STEPS[now + 1 if app.right else now - 1]
    before = first_positions(app.db_url, theme_id) if app.db_url else {}
    page.evaluate("window.__benchSlider.arm()")
    page.keyboard.press("ArrowRight" if app.right else "ArrowLeft")
    page.wait_for_function("window.__benchSlider.done !== null", timeout=60_000)
    elapsed = float(page.evaluate("window.__benchSlider.done - window.__benchSlider.press"))
    if shown(page) != expected:
        raise RuntimeError(f"{app.name}: het schuifje toont {shown(page)}, verwacht {expected}")
    if app.db_url:
        after = first_positions(app.db_url, theme_id)
        changed = {r: p for r, p in after.items() if r not in before or before[r] != p}
        if list(changed.values()) != [expected]:
            raise RuntimeError(f"{app.name}: niet bewaard; verwacht {expected}, gewijzigd in de database: {changed}")
        app.saved += 1
    return elapsed


def measure(browser: Browser, pages: list[tuple[str, str, str | None]], moves: int) -> list[App]:
    """Warm-up and timed moves, interleaved over `pages` (name, url, database or None); the apps
    with their times."""
    theme_id = load_model().themes_ordered()[0].id
    apps = [App(name, open_page(browser, url), db_url) for name, url, db_url in pages]
    for number in range(WARM_UP + moves):
        for app in apps:
            time.sleep(PAUSE_S)
            elapsed = move(app, theme_id)
            if number >= WARM_UP:
                app.times.append(elapsed)
    return apps


def report(apps: list[App], as_json: bool) -> None:
    bare, frozen, ours = apps
    medians = {app.name: statistics.median(app.times) for app in apps}
    ratio = medians[ours.name] / medians[bare.name]
    like_for_like = medians[ours.name] / medians[frozen.name]
    if as_json:
        result = {
            "moves": len(ours.times),
            "warm_up": WARM_UP,
            # a tenth of a millisecond: the page's clock is no finer (Chromium coarsens performance.now())
            "bare": {"median_ms": round(medians[bare.name], 1), "ms": [round(t, 1) for t in bare.times]},
            "bare_frozen": {"median_ms": round(medians[frozen.name], 1), "ms": [round(t, 1) for t in frozen.times]},
            "ours": {
                "median_ms": round(medians[ours.name], 1),
                "ms": [round(t, 1) for t in ours.times],
                "saved": ours.saved,
            },
            "ratio": round(ratio, 3),
            "ratio_frozen": round(like_for_like, 3),
            "target": TARGET,
            "met": ratio <= TARGET,
        }
        print(json.dumps(result, indent=2))
        return
    print(f"Schuifje verzet op Startpositie, mediaan van {len(ours.times)} zetten per app (na {WARM_UP} warm-up):")
    for app in apps:
        spread = ", ".join(f"{t:.0f}" for t in app.times)
        print(f"  {app.name:<15} {medians[app.name]:6.0f} ms   ({spread})")
    print(f"  bewaard in de database: {ours.saved} van {WARM_UP + len(ours.times)} zetten van wijkmodel")
    verdict = "gehaald" if ratio <= TARGET else "NIET gehaald"
    print(f"wijkmodel / kaal: {ratio:.2f}, doel hoogstens {TARGET}: {verdict}")
    print(f"wijkmodel / kaal, bevroren (zelfde gc.freeze als de app): {like_for_like:.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description="Een schuifje verzetten: wijkmodel tegen een kale Streamlit-pagina.")
    parser.add_argument("--moves", type=int, default=11, help="gemeten zetten per app (standaard 11)")
    parser.add_argument("--json", action="store_true", help="uitvoer als JSON")
    args = parser.parse_args()
    if args.moves < 1:
        parser.error("--moves moet minstens 1 zijn")
    if not Path(CHROMIUM).exists():
        print(f"chromium ontbreekt op {CHROMIUM}", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    try:
        with contextlib.ExitStack() as stack:
            ours_url, db_url = stack.enter_context(seeded_server("demo"))
            tmp = stack.enter_context(tempfile.TemporaryDirectory())
            # the bare pages use no database; the URL only names the server's log file
            bare_url = stack.enter_context(streamlit_server(f"sqlite:///{tmp}/bare.sqlite", BARE))
            with _env(WIJKMODEL_BENCH_FREEZE="1"):
                frozen_url = stack.enter_context(streamlit_server(f"sqlite:///{tmp}/frozen.sqlite", BARE))
            playwright = stack.enter_context(sync_playwright())
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            stack.callback(browser.close)
            pages = [("kaal", bare_url, None), ("kaal, bevroren", frozen_url, None)]
            apps = measure(browser, [*pages, ("wijkmodel", f"{ours_url}/startpositie", db_url)], args.moves)
    except Exception as exc:  # noqa: BLE001 - a benchmark that failed says why and exits 1
        print(f"mislukt: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    report(apps, args.json)
    return 0


@contextlib.contextmanager
def _env(**values: str) -> Iterator[None]:
    """Environment variables set while a server starts (it copies the environment then)."""
    before = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


if __name__ == "__main__":
    sys.exit(main())
