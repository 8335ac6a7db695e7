"""In a real browser: a form whose save is refused keeps what was typed; a saved form is empty again.

(AppTest cannot show this: emptying a form is done by Streamlit's front end.)"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from playwright.sync_api import Browser, expect

from tests.browser import new_page, ready, rerun, script_ran, streamlit_server
from wijkmodel.storage.db import make_engine, make_sessionmaker
from wijkmodel.storage.municipalities import create_municipality
from wijkmodel.storage.rounds import create_round
from wijkmodel.storage.wijken import add_wijk


def test_a_refused_wijk_stays_in_the_form_and_a_saved_one_clears_it(browser: Browser, tmp_path: Path) -> None:
    db = tmp_path / "forms.sqlite"
    engine = make_engine(f"sqlite:///{db}")
    with make_sessionmaker(engine).begin() as s:
        municipality = create_municipality(session=s, name="Formstad")
        add_wijk(session=s, municipality_id=municipality.id, name="Centrum")
        create_round(session=s, municipality_id=municipality.id, label="2026", date=dt.date(2026, 3, 1))
    engine.dispose()
    with streamlit_server(f"sqlite:///{db}") as url:
        page = new_page(browser)
        page.goto(url)
        page.get_by_role("heading", name="Wijken", exact=True).wait_for(timeout=30_000)
        name = page.get_by_label("Naam van de wijk")
        name.fill("Centrum")  # exists already: refused
        page.get_by_role("button", name="Wijk toevoegen").click()
        # the message shows in the run after the save (st.rerun); once that run is over, the form
        # is as the user will see it
        page.get_by_text("er is al een wijk").first.wait_for(timeout=20_000)
        script_ran(page)
        assert page.get_by_label("Naam van de wijk").input_value() == "Centrum"  # kept, to correct it

        page.get_by_label("Naam van de wijk").fill("Nieuwbouw-Oost")
        page.get_by_role("button", name="Wijk toevoegen").click()
        page.get_by_text("Wijk ‘Nieuwbouw-Oost’ is toegevoegd.").first.wait_for(timeout=20_000)  # and in a toast
        script_ran(page)  # until then the form of the run before can still show next to the new one
        expect(page.get_by_label("Naam van de wijk")).to_have_value("", timeout=20_000)  # saved: empty for the next one
        page.context.close()
    with sqlite3.connect(db) as con:
        names = sorted(r[0] for r in con.execute("select name from unit where kind = 'wijk'"))
    assert names == ["Centrum", "Nieuwbouw-Oost"]


def test_a_refused_wijk_is_said_beside_its_form_in_view(browser: Browser, tmp_path: Path) -> None:
    db = tmp_path / "beside.sqlite"
    engine = make_engine(f"sqlite:///{db}")
    with make_sessionmaker(engine).begin() as s:
        municipality = create_municipality(session=s, name="Formstad")
        add_wijk(session=s, municipality_id=municipality.id, name="Centrum")
        create_round(session=s, municipality_id=municipality.id, label="2026", date=dt.date(2026, 3, 1))
    engine.dispose()
    with streamlit_server(f"sqlite:///{db}") as url:
        page = new_page(browser)  # 1440 x 900
        page.goto(url)
        ready(page, "Start")
        page.get_by_label("Naam van de wijk").fill("centrum")  # exists already: refused
        submit = page.get_by_role("button", name="Wijk toevoegen")
        with rerun(page):
            submit.click()
        message = page.locator('[data-testid="stAlertContentError"]', has_text="er is al een wijk")
        expect(message).to_contain_text("Naam van de wijk: er is al een wijk ‘centrum’ in deze gemeente.")
        button, box = submit.bounding_box(), message.bounding_box()
        assert button is not None and box is not None
        # under the button, no further than about a line or two of the form away; not at the top of the page
        assert 0 <= box["y"] - (button["y"] + button["height"]) <= 200, (button, box)
        # in view: the user need not scroll to read it
        assert box["y"] >= 0 and box["y"] + box["height"] <= 900, box
        expect(page.locator('[data-testid="stToast"]', has_text="er is al een wijk")).to_be_visible()
        page.context.close()
