"""Presenteren (AppTest): the slide number in the address, the buttons and their keys, the sidebar
out of the way; `read_slide` on its own. The browser test (fits the screen, keys, reload) is
tests/test_browser_presenteren.py."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Button

from tests.conftest import APP
from ui.address import read_slide
from ui.pages import PAGES

PAGE = "app_pages/presenteren.py"


def presenteren(dia: str | None = None) -> AppTest:
    """The app on Presenteren, with `?dia=` in the address when given."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()  # AppTest opens the default page first; a browser opens /presenteren?dia=N at once
    if dia is not None:
        at.query_params["dia"] = dia
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def where(at: AppTest) -> str:
    """The caption of the navigation: 'Dia 3 van 27 · ...'."""
    return next(c.value for c in at.caption if c.value.startswith("Dia "))


def button(at: AppTest, key: str) -> Button:
    return next(b for b in at.button if b.key == key)


# --- the address ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "index", "message"),
    [
        (None, 0, None),
        ("", 0, None),
        ("1", 0, None),
        ("5", 4, None),
        (" 27 ", 26, None),
        ("27", 26, None),
        ("28", 0, "Dia 28 bestaat niet: deze presentatie heeft 27 dia's. U ziet dia 1."),
        ("0", 0, "Dia 0 bestaat niet: deze presentatie heeft 27 dia's. U ziet dia 1."),
        ("-3", 0, "Het dianummer in het adres klopt niet. U ziet dia 1."),
        ("vijf", 0, "Het dianummer in het adres klopt niet. U ziet dia 1."),
        ("٣", 0, "Het dianummer in het adres klopt niet. U ziet dia 1."),  # a digit, but not one we write
        ("<b>2</b>", 0, "Het dianummer in het adres klopt niet. U ziet dia 1."),
    ],
)
def test_the_address_names_a_slide_or_slide_1_with_a_message(raw: str | None, index: int, message: str | None) -> None:
    found = read_slide(raw, 27)
    assert (found.index, found.message) == (index, message)


def test_a_presentation_of_one_slide_says_so_in_the_singular() -> None:
    assert read_slide("2", 1).message == "Dia 2 bestaat niet: deze presentatie heeft 1 dia. U ziet dia 1."


def test_the_slide_of_the_address_is_shown(demo_db: str) -> None:
    at = presenteren("5")
    assert where(at).startswith("Dia 5 van ")
    assert not at.info
    assert button(at, "dia_vorige").disabled is False


def test_without_a_slide_in_the_address_the_title_slide_is_shown(demo_db: str) -> None:
    at = presenteren()
    assert where(at).startswith("Dia 1 van ")
    assert at.title[0].value == "Wijkgericht werken in Voorbeeldstad"
    assert button(at, "dia_vorige").disabled and button(at, "dia_pageup").disabled
    assert not at.info


@pytest.mark.parametrize("dia", ["999", "abc"])
def test_a_slide_that_does_not_exist_falls_back_to_slide_1_with_a_message(demo_db: str, dia: str) -> None:
    at = presenteren(dia)
    assert where(at).startswith("Dia 1 van ")
    assert len(at.info) == 1 and "U ziet dia 1." in at.info[0].value
    assert at.query_params["dia"] == "1"  # the address says what the screen shows


def test_next_and_previous_write_the_slide_into_the_address(demo_db: str) -> None:
    at = presenteren()
    button(at, "dia_volgende").click().run()
    assert where(at).startswith("Dia 2 van ") and at.query_params["dia"] == "2"
    button(at, "dia_pagedown").click().run()  # the clicker's key: the hidden twin of 'Volgende'
    assert where(at).startswith("Dia 3 van ") and at.query_params["dia"] == "3"
    button(at, "dia_pageup").click().run()
    assert where(at).startswith("Dia 2 van ") and at.query_params["dia"] == "2"
    button(at, "dia_vorige").click().run()
    assert where(at).startswith("Dia 1 van ") and at.query_params["dia"] == "1"
    assert not at.exception


def test_the_last_slide_has_no_next(demo_db: str) -> None:
    at = presenteren("999")  # how many there are is in the message
    total = int(where(at).split(" van ")[1].split(" ")[0])
    at = presenteren(str(total))
    assert where(at).startswith(f"Dia {total} van {total}")
    assert button(at, "dia_volgende").disabled and button(at, "dia_pagedown").disabled


def test_the_buttons_answer_to_the_arrow_keys_and_a_clickers_page_keys(demo_db: str) -> None:
    at = presenteren("3")
    shortcuts = {
        key: button(at, key).proto.shortcut for key in ("dia_vorige", "dia_volgende", "dia_pageup", "dia_pagedown")
    }
    assert shortcuts == {
        "dia_vorige": "left",
        "dia_volgende": "right",
        "dia_pageup": "pageup",
        "dia_pagedown": "pagedown",
    }
    # what people see and press: 'Vorige' and 'Volgende' (the other two are hidden by the CSS)
    assert [b.label for b in at.button if b.key in shortcuts] == ["Vorige", "Volgende", "Vorige dia", "Volgende dia"]


def test_a_chart_slide_shows_the_chart_for_a_high_and_for_a_low_window(demo_db: str) -> None:
    at = presenteren("2")  # Totaalfase per wijk
    charts = at.get("plotly_chart")
    assert len(charts) == 2  # the CSS shows one of them, by the window's height


def test_presenteren_starts_with_the_sidebar_collapsed_and_every_other_page_not() -> None:
    sidebars = {spec.path: spec.sidebar for spec in PAGES}
    assert sidebars.pop(PAGE) == "collapsed"
    assert set(sidebars.values()) == {"auto"}
