"""Every chart wijkmodel draws, at every size where a person sees it, for the layout test, the
layout report and the gallery (issue 16).

- the app: every page at the app sizes, and Presenteren slide by slide at the beamer sizes;
- the documents: every picture of the deck and the PDF, drawn at its own size (as kaleido makes it);
for the demo and for 'Beginstad' at its very start (wijkmodel/demo/sparse.py); and the page Regio and
the region's deck on the demo with the made-up region (wijkmodel/demo/region.py).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Browser, Page

from tests.browser import drawn, new_page, page_paths, rerun, script_ran, seeded_server
from tests.layout import Chart, draw_figure, measure, measure_figures, open_figure_page

APP_SIZES = ((1440, 900), (1280, 720))
SLIDE_SIZES = ((1920, 1080), (1280, 720))
SETUPS = ("demo", "sparse")
MAX_SLIDES = 60

Shoot = Callable[[Page, str, int], None]
"""Called for each chart (page, where, its index on the page); the gallery takes a picture."""


def _page(page: Page, url: str) -> None:
    page.goto(url)
    page.get_by_role("heading").first.wait_for(timeout=60_000)
    script_ran(page, 0, 60_000)
    drawn(page, timeout=60_000)


def _measured(page: Page, where: str, shoot: Shoot | None) -> list[Chart]:
    charts = measure(page, where)
    if shoot is not None:
        for chart in charts:
            shoot(page, where, chart.index)
    return charts


def app_charts(
    browser: Browser,
    base: str,
    setup: str,
    sizes: tuple[tuple[int, int], ...] = APP_SIZES,
    slide_sizes: tuple[tuple[int, int], ...] = SLIDE_SIZES,
    shoot: Shoot | None = None,
) -> list[Chart]:
    """Every chart of every page at every app size, and of every Presenteren slide at the beamer sizes."""
    charts: list[Chart] = []
    for width, height in sizes:
        page = new_page(browser, width, height)
        for path in page_paths():
            if path == "presenteren":
                continue
            _page(page, f"{base}/{path}")
            charts += _measured(page, f"{setup} · {path or 'start'} · {width}x{height}", shoot)
        page.context.close()
    charts += slide_charts(browser, base, setup, slide_sizes, shoot)
    return charts


def slide_charts(
    browser: Browser,
    base: str,
    setup: str,
    slide_sizes: tuple[tuple[int, int], ...] = SLIDE_SIZES,
    shoot: Shoot | None = None,
) -> list[Chart]:
    """Every chart of every Presenteren slide, every part chosen, at the beamer sizes."""
    charts: list[Chart] = []
    for width, height in slide_sizes:
        page = new_page(browser, width, height)
        _page(page, f"{base}/presenteren")
        _every_part(page)
        # slide by slide with the arrow key, as a presenter does (a new address would be a new session,
        # and forget the parts chosen)
        found = re.search(r"Dia 1 van (\d+)", page.get_by_text("Dia 1 van", exact=False).first.inner_text())
        assert found, "Presenteren says no slide count"
        total = min(int(found.group(1)), MAX_SLIDES)
        for slide in range(1, total + 1):
            charts += _measured(page, f"{setup} · presenteren dia {slide} · {width}x{height}", shoot)
            if slide < total:
                page.keyboard.press("ArrowRight")
                page.get_by_text(f"Dia {slide + 1} van", exact=False).first.wait_for(timeout=60_000)
                script_ran(page, 0, 60_000)
                drawn(page, timeout=60_000)
        page.context.close()
    return charts


def _every_part(page: Page) -> None:
    """Choose every part of the briefing in Presenteren's sidebar, as a user does (the appendix of
    profiles too); the sidebar is closed again, as on a beamer."""
    from wijkmodel.exports.parts import DEFAULT_PARTS, PARTS

    page.get_by_test_id("stExpandSidebarButton").click()
    page.get_by_text("Onderdelen en wijken van de presentatie").click()
    for key, label in PARTS.items():
        if key in DEFAULT_PARTS:
            continue
        field = page.get_by_role("combobox", name="Welke onderdelen?")
        field.click()
        field.fill(label)
        with rerun(page, 20_000):
            page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    page.get_by_test_id("stSidebar").get_by_test_id("stSidebarCollapseButton").locator("button").click()


def export_charts(browser: Browser, db_url: str, setup: str, shoot: Shoot | None = None) -> list[Chart]:
    """Every picture of the deck and the PDF of the municipality in `db_url`, at its own size."""
    from wijkmodel.analysis.summary import municipality_profile, resolve
    from wijkmodel.exports.briefing import build_briefing
    from wijkmodel.exports.downloads import slide_figures
    from wijkmodel.exports.parts import PARTS
    from wijkmodel.model.loader import load_model
    from wijkmodel.storage.db import make_sessionmaker, new_engine
    from wijkmodel.storage.municipalities import settings_of
    from wijkmodel.wijkdata.boundaries import load_unit_geometries

    model = load_model()
    engine = new_engine(db_url)
    try:
        with make_sessionmaker(engine)() as session:
            found, round_ = resolve(session=session, municipality=None, round_label=None)
            mp = municipality_profile(
                session=session, municipality_id=found.id, name=found.name, model=model, settings=settings_of(found)
            )
            unit_ids = [int(u) for u in mp.frames.units["unit"]]
            geometries = load_unit_geometries(session=session, unit_ids=unit_ids)
            briefing = build_briefing(
                mp, round_.id, model, today=dt.date(2026, 12, 3), geometries=geometries, parts=list(PARTS)
            )
            figures = slide_figures(briefing)
    finally:
        engine.dispose()
    return document_charts(browser, figures, setup, shoot)


def document_charts(browser: Browser, figures: list, setup: str, shoot: Shoot | None = None) -> list[Chart]:
    """The pictures of a deck (slide, figure sized to its box), each drawn at its own size and measured."""
    page = browser.new_page()
    open_figure_page(page)
    names = []
    for slide, figure in figures:
        index = draw_figure(page, figure)
        name = f"{setup} · document {slide.key} · {int(figure.layout.width)}x{int(figure.layout.height)}"
        names.append(name)
        if shoot is not None:
            shoot(page, name, index)
    charts = measure_figures(page, names)
    page.close()
    return charts


def region_charts(
    browser: Browser,
    sizes: tuple[tuple[int, int], ...] = APP_SIZES,
    shoot: Shoot | None = None,
    documents: bool = True,
) -> list[Chart]:
    """The page Regio at the app sizes, Presenteren with the part 'regio' at the beamer sizes, and the
    pictures of the region's deck, on the demo with the made-up region (wijkmodel/demo/region.py):
    the other setups have no region."""
    from wijkmodel.analysis.region import BY_LABEL, compare, load_region, round_keys
    from wijkmodel.exports.downloads import for_slide
    from wijkmodel.exports.region import region_slides
    from wijkmodel.model.loader import load_model
    from wijkmodel.storage.access import EVERYONE
    from wijkmodel.storage.db import make_sessionmaker, new_engine
    from wijkmodel.storage.regions import list_regions, visible_members

    charts: list[Chart] = []
    with seeded_server("regio") as (base, db_url):
        for width, height in sizes:
            page = new_page(browser, width, height)
            _page(page, f"{base}/regio")
            charts += _measured(page, f"regio · regio · {width}x{height}", shoot)
            page.context.close()
        # Presenteren of the first municipality (Beekdorp, in the region) with every part: the region's slides too
        charts += slide_charts(browser, base, "regio", SLIDE_SIZES, shoot)
        if not documents:
            return charts
        model = load_model()
        engine = new_engine(db_url)
        try:
            with make_sessionmaker(engine)() as session:
                region = list_regions(session=session)[0]
                members = visible_members(session=session, region_id=region.id, actor=EVERYONE)
                data = load_region(session=session, region=region.name, members=members, model=model)
        finally:
            engine.dispose()
        keys = round_keys(data, BY_LABEL)
        after, before = (compare(data, model, key=k) for k in (keys[-1], keys[0]))
        slides = region_slides(after, model, dt.date(2026, 12, 3), before=before, item="lokale_teams")
        figures = [(s, for_slide(s, s.figure)) for s in slides if s.figure is not None]
        charts += document_charts(browser, figures, "regio", shoot)
    return charts


def all_charts(
    browser: Browser,
    setups: tuple[str, ...] = SETUPS,
    sizes: tuple[tuple[int, int], ...] = APP_SIZES,
    slide_sizes: tuple[tuple[int, int], ...] = SLIDE_SIZES,
    shoot: Shoot | None = None,
    documents: bool = True,
    region: bool = True,
) -> list[Chart]:
    """Every chart of every setup: the app's and the documents'; and the region's (`region`)."""
    charts: list[Chart] = []
    for setup in setups:
        with seeded_server(setup) as (base, db_url):
            charts += app_charts(browser, base, setup, sizes, slide_sizes, shoot)
            if documents:
                charts += export_charts(browser, db_url, setup, shoot)
    if region:
        charts += region_charts(browser, sizes, shoot, documents)
    return charts


def shot_name(where: str, index: int) -> str:
    """A file name for a chart's picture: 'demo-vergelijken-1440x900-2.png'."""
    safe = "".join(c if c.isalnum() else "-" for c in where.replace(" · ", "-"))
    while "--" in safe:
        safe = safe.replace("--", "-")
    return f"{safe.strip('-')}-{index}.png"


def picture_taker(folder: Path) -> Shoot:
    """A `Shoot` that saves each chart's picture into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    seen: dict[str, int] = {}

    def shoot(page: Page, where: str, index: int) -> None:
        # numbered per place, in the order measured (a document picture is one of many on its page)
        number = seen[where] = seen.get(where, -1) + 1
        # Streamlit's header stays on top while scrolling: out of the picture, or it covers a title
        page.add_style_tag(content='[data-testid="stHeader"] { display: none !important; }')
        chart = page.locator(".js-plotly-plot").nth(index)
        size = page.viewport_size
        box = chart.bounding_box()
        # a chart taller than the window is pictured in a window tall enough (Streamlit scrolls a box of
        # its own, and what lies outside the window came out blank); the width, and so the layout, stay
        tall = size is not None and box is not None and box["height"] > size["height"] - 40
        if tall:
            assert size is not None and box is not None
            page.set_viewport_size({"width": size["width"], "height": int(box["height"]) + 200})
            page.wait_for_timeout(300)  # the new window size is laid out (nothing to wait for in the page)
        chart.evaluate("e => e.scrollIntoView({block: 'start'})")
        chart.screenshot(path=str(folder / shot_name(where, number)))
        if tall:
            assert size is not None
            page.set_viewport_size(size)

    return shoot
