"""In a real browser (chromium): user text with URLs and e-mail addresses never becomes a link, no
page asks another host for anything, and a file over the upload limit is refused in Dutch.

One app runs on the demo with user text full of addresses: the municipality, the latest round,
three wijken, notes, an action, a core choice, an imported indicator (name and source), and a region
with a neighbouring municipality (page Regio). The
pages are visited once (every page of the app's navigation, ui/pages.py, then every Presenteren
slide), recording every request and every link; the tests check what was recorded.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, FilePayload, Page

from tests.browser import new_page, page_paths, rerun, screenshot_dir, script_ran, streamlit_server
from tests.conftest import ROOT
from wijkmodel.cycle.action_plan import save_action
from wijkmodel.cycle.core_choices import save_core_choice
from wijkmodel.model.loader import load_model
from wijkmodel.storage.db import make_engine, make_sessionmaker
from wijkmodel.storage.municipalities import create_municipality, find_municipality
from wijkmodel.storage.regions import create_region
from wijkmodel.storage.responses import get_or_create_respondent, respondents_of, save_position
from wijkmodel.storage.rounds import create_round, rounds
from wijkmodel.storage.wijken import units, update_wijk
from wijkmodel.wijkdata.mapping import guess_mapping
from wijkmodel.wijkdata.table_files import read_table
from wijkmodel.wijkdata.wijk_import import import_wijken

MUNICIPALITY = "Gemeente https://evil.example/gemeente"
ROUND = "www.evil.nl"
WIJKEN = ["https://evil.example/wijk", "www.evil.nl/wijk", "post@evil.nl -> B :smile: :material/home:"]
NOTE = "Zie https://evil.example/notitie of www.evil.nl/notitie, mail info@evil.nl"
INDICATOR = "Nood www.evil.nl"
SOURCE = "https://evil.example/bron"
REGION = "Regio https://evil.example/regio"
NEIGHBOUR = "Zuidbuur www.evil.nl"  # after the municipality by name: it stays the first choice
USER_TEXTS = [MUNICIPALITY, ROUND, *WIJKEN, NOTE, INDICATOR, SOURCE, REGION, NEIGHBOUR]
HOSTS = ("evil.example", "evil.nl")
"""Every host in the user text: a link to one of them came from user text."""

EVIL_LINKS = """() => [...document.querySelectorAll('a')]
  .map(a => [a.getAttribute('href') || a.getAttributeNS('http://www.w3.org/1999/xlink', 'href') || '',
             (a.textContent || '').trim()])
  .filter(([href, text]) => {
    if (href.startsWith('#')) return false;
    const to = new URL(href, location.href);
    const where = to.origin === location.origin ? to.pathname : href;
    return HOSTS.some(h => (where + ' ' + text).includes(h));
  })
  .map(([href, text]) => href + ' | ' + text)"""
"""Links (also SVG links, as in plotly charts) whose address or text holds a host of the user text.
Same-page anchors (`#...`, the link icon Streamlit puts next to a heading) lead nowhere; the app's own
links (the menu) carry the chosen gemeente and ronde in their query, which leads back into the app."""
MARKDOWN_TEXT = """() => [...document.querySelectorAll(
    '[data-testid="stMain"] :is([data-testid="stMarkdownContainer"], [data-testid="stCaptionContainer"])')]
  .map(e => e.innerText).join('\\n')"""
"""The text of every markdown element (captions too) on the page, as shown; charts aside."""
INVISIBLE = "[\\u00ad\\u200b-\\u200f\\u2060\\ufeff]"
"""Characters that show nothing but would be copied: none may be added to user text."""


def _hostile_database(path: str) -> None:
    """The demo (as `python -m wijkmodel demo` makes it) with addresses in every kind of user text."""
    url = f"sqlite:///{path}"
    env = {**os.environ, "WIJKMODEL_DATABASE_URL": url}
    subprocess.run([sys.executable, "-m", "wijkmodel", "demo"], cwd=ROOT, check=True, capture_output=True, env=env)
    model = load_model()
    engine = make_engine(url)
    with make_sessionmaker(engine).begin() as s:
        m = find_municipality(session=s, name="Voorbeeldstad")
        assert m is not None
        m.name = MUNICIPALITY
        latest = rounds(session=s, municipality_id=m.id)[-1]
        latest.label = ROUND
        wijken = [u for u in units(session=s, municipality_id=m.id) if u.kind == "wijk"]
        for unit, name in zip(wijken, WIJKEN, strict=False):  # the first wijk is every page's first choice
            update_wijk(session=s, unit_id=unit.id, name=name, cbs_code=unit.cbs_code, population=unit.population)
            for respondent in respondents_of(session=s, round_id=latest.id, unit_id=unit.id):
                save_position(session=s, respondent_id=respondent.id, theme_id="lokale_teams", note=NOTE, model=model)
        save_action(
            session=s,
            unit_id=wijken[0].id,
            theme_id="lokale_teams",
            description=NOTE,
            owner="team www.evil.nl",
            start_date=dt.date(2026, 3, 1),
            model=model,
        )
        save_core_choice(
            session=s, round_id=latest.id, choice_id="veranderaanpak", option_id=None, rationale=NOTE, model=model
        )
        lines = io.StringIO()
        writer = csv.writer(lines, delimiter=";")
        writer.writerow(["wijk", INDICATOR])
        writer.writerows([unit.name, 10 + number] for number, unit in enumerate(wijken))
        raw = read_table(lines.getvalue().encode("utf-8"), filename="eigen.csv")
        import_wijken(session=s, municipality_id=m.id, raw=raw, mapping=guess_mapping(raw), year=2025, source=SOURCE)
        # a region with a neighbour, both named with addresses, on the page Regio
        neighbour = create_municipality(session=s, name=NEIGHBOUR)
        s.flush()
        their_round = create_round(session=s, municipality_id=neighbour.id, label=ROUND, date=latest.date)
        s.flush()
        whole = units(session=s, municipality_id=neighbour.id)[0]
        respondent = get_or_create_respondent(session=s, round_id=their_round.id, unit_id=whole.id, role="gemeente")
        save_position(
            session=s, respondent_id=respondent.id, theme_id="lokale_teams", position=60, note=NOTE, model=model
        )
        create_region(session=s, name=REGION, municipality_ids=[m.id, neighbour.id])
    engine.dispose()


@dataclass
class Visit:
    """What the visits saw: every request (url, page) and every user-text link per view."""

    base: str
    requests: list[tuple[str, str]] = field(default_factory=list)
    links: dict[str, list[str]] = field(default_factory=dict)
    invisible: dict[str, list[str]] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    copied: str = ""
    slides: int = 0


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("links") / "app.sqlite"
    _hostile_database(str(db))
    with streamlit_server(f"sqlite:///{db}") as url:
        yield url


def _settled(page: Page) -> None:
    """After a page load (or `rerun`): its run over, every element drawn, nothing more fetched."""
    page.wait_for_function("document.documentElement.lang === 'nl'", timeout=30_000)
    script_ran(page, 0, timeout=60_000)
    page.wait_for_load_state("networkidle", timeout=30_000)  # charts and icons fetched (the websocket aside)


def _look(page: Page, visit: Visit, where: str) -> None:
    visit.links[where] = page.evaluate(EVIL_LINKS.replace("HOSTS", str(list(HOSTS))))
    visit.texts[where] = page.evaluate(MARKDOWN_TEXT)
    visit.invisible[where] = page.evaluate(
        f"() => [...document.body.innerText.matchAll(/.{{0,30}}{INVISIBLE}.{{0,30}}/g)].map(m => m[0])"
    )


@pytest.fixture(scope="module")
def visit(browser: Browser, app: str) -> Iterator[Visit]:
    page = new_page(browser)
    seen = Visit(base=app)
    where = {"page": ""}
    page.on("request", lambda request: seen.requests.append((request.url, where["page"])))
    for path in page_paths():
        where["page"] = path or "start"
        page.goto(f"{app}/{path}")
        _settled(page)
        _look(page, seen, where["page"])
        if not path:
            page.screenshot(path=str(screenshot_dir() / "links_start.png"))
            seen.copied = page.evaluate(
                """() => {
                  const p = [...document.querySelectorAll('[data-testid="stMain"] p')]
                    .find(e => e.textContent.startsWith('U werkt nu in'));
                  getSelection().selectAllChildren(p);
                  return getSelection().toString();
                }"""
            )
    page.goto(f"{app}/presenteren")
    _settled(page)
    slide = 1
    while True:
        where["page"] = f"presenteren dia {slide}"
        _look(page, seen, where["page"])
        title = page.locator('[data-testid="stMain"] h1').first.inner_text()
        if title.startswith("Profiel van") and WIJKEN[0] in title:
            page.screenshot(path=str(screenshot_dir() / "links_presenteren_profiel.png"))
        button = page.get_by_role("button", name="Volgende")
        if button.is_disabled():
            break
        with rerun(page, timeout=60_000):
            button.click()
        page.get_by_text(f"Dia {slide + 1} van", exact=False).first.wait_for(timeout=30_000)
        _settled(page)
        slide += 1
    seen.slides = slide
    yield seen
    page.context.close()


def test_every_page_and_slide_was_visited(visit: Visit) -> None:
    pages = {path or "start" for path in page_paths()}
    assert len(pages) == 21 and {"start", "presenteren", "zet", "randvoorwaarden", "samen", "regio"} <= pages
    assert pages <= set(visit.links)
    assert visit.slides > 10, f"maar {visit.slides} dia's"


def test_no_user_text_becomes_a_link_on_any_page_or_slide(visit: Visit) -> None:
    found = {where: links for where, links in visit.links.items() if links}
    assert not found, f"links van gebruikerstekst: {found}"


def test_user_text_shows_and_copies_as_typed(visit: Visit) -> None:
    assert MUNICIPALITY in visit.texts["start"]
    for text in [MUNICIPALITY, ROUND, *WIJKEN, SOURCE, NEIGHBOUR]:
        assert any(text in shown for shown in visit.texts.values()), f"{text!r} staat nergens zo in markdown"
    assert visit.copied == f"U werkt nu in {MUNICIPALITY}. Een andere gemeente kiest u links in de zijbalk."
    found = {where: texts for where, texts in visit.invisible.items() if texts}
    assert not found, f"onzichtbare tekens in de tekst: {found}"


def test_no_page_asks_another_host_for_anything(visit: Visit) -> None:
    own = urlsplit(visit.base).netloc
    assert any(urlsplit(url).path.startswith("/media/") for url, _ in visit.requests), "het icoon van de app"
    foreign = sorted({f"{where}: {url}" for url, where in visit.requests if urlsplit(url).netloc != own})
    assert not foreign, f"verzoeken aan een andere server: {foreign}"


def test_a_file_over_the_upload_limit_is_refused_in_dutch(browser: Browser, app: str) -> None:
    page = new_page(browser)
    try:
        page.goto(f"{app}/wijkdata")
        _settled(page)
        big = b"wijk;inwoners\n" + b"x" * (21 * 1024 * 1024)
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(
            files=[FilePayload(name="groot.csv", mimeType="text/csv", buffer=big)]
        )
        dutch = "Het bestand is groter dan 20 MB. Kies een kleiner bestand."
        alert = page.locator('[data-testid="stFileChip"] [role="alert"]')
        alert.wait_for(state="attached", timeout=20_000)
        page.wait_for_function(
            "t => document.querySelector('[data-testid=stFileChip] [role=alert]').textContent === t",
            arg=f"Fout: {dutch}",
            timeout=10_000,
        )
        page.locator('[data-testid="stFileChip"]').hover()
        tooltip = page.get_by_test_id("stTooltipErrorContent")
        tooltip.wait_for(timeout=10_000)
        assert tooltip.inner_text() == dutch
        # the tooltip fades in: the picture shows it as it ends (finite animations run to their end)
        page.screenshot(path=str(screenshot_dir() / "upload_te_groot.png"), animations="disabled")
        assert "File must be" not in page.evaluate("document.body.innerText")
    finally:
        page.context.close()
