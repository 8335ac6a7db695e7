"""Where you are is in the address (municipality, round, wijk), and who fills in is chosen once:
pure readers, table-driven, and AppTests of the pages that use them (ui/address.py, ui/who.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from tests.conftest import APP, page
from ui.address import read_choice
from ui.who import decode_who, encode_who
from wijkmodel.storage.db import make_engine, make_sessionmaker
from wijkmodel.storage.municipalities import create_municipality
from wijkmodel.storage.rounds import create_round
from wijkmodel.storage.tables import Municipality

NAMES = {1: "Voorbeeldstad", 2: "Beginstad", 3: "’s-Hertogenbosch"}


@pytest.mark.parametrize(
    ("raw", "key", "message"),
    [
        (None, None, None),
        ("", None, None),
        ("  ", None, None),
        ("Beginstad", 2, None),
        (" Beginstad ", 2, None),
        ("’s-Hertogenbosch", 3, None),
        ("beginstad", None, "De gemeente ‘beginstad’ uit het adres bestaat niet. U ziet Voorbeeldstad."),
        ("Nergens", None, "De gemeente ‘Nergens’ uit het adres bestaat niet. U ziet Voorbeeldstad."),
        ("x" * 80, None, f"De gemeente ‘{'x' * 59}…’ uit het adres bestaat niet. U ziet Voorbeeldstad."),
    ],
)
def test_read_choice(raw: str | None, key: int | None, message: str | None) -> None:
    found = read_choice(raw, NAMES, "De gemeente", "Voorbeeldstad")
    assert (found.key, found.message) == (key, message)


@pytest.mark.parametrize(
    ("role", "label"),
    [
        ("gemeente", ""),
        ("lokaal team", "team Noord"),
        ("inwoner/jeugd", "jongerenraad ’t Veld"),
        ("samenwerkingspartner", "é" * 100),
    ],
)
def test_who_survives_its_cookie(role: str, label: str) -> None:
    assert decode_who(encode_who(role, label)) == (role, label)


@pytest.mark.parametrize(
    "raw",
    [None, "", "9-", "x-", "-", "1-zz", "1-ff", "1-" + "61" * 101, "1-0a", "١-", 42],
)
def test_a_cookie_this_app_did_not_write_is_ignored(raw: object) -> None:
    assert decode_who(raw) is None


# --- the pages -------------------------------------------------------------------------------------


def _second_municipality(url: str) -> None:
    factory = make_sessionmaker(make_engine(url))
    with factory.begin() as s:
        other = create_municipality(session=s, name="Beginstad")
        import datetime as dt

        create_round(session=s, municipality_id=other.id, label="Eerste", date=dt.date(2026, 9, 1))


def _opened(params: dict[str, str], path: str = "app_pages/startpositie.py") -> AppTest:
    """The app opened on `path` with `params` in the address, as a reload or a link does."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["role"] = "gemeente"
    at.run()
    at.query_params.clear()
    for name, value in params.items():
        at.query_params[name] = value
    at.switch_page(path).run()
    assert not at.exception, at.exception
    return at


def _sidebar(at: AppTest, label: str) -> object:
    return next(s for s in at.sidebar.selectbox if s.label == label).value


def test_the_address_chooses_municipality_round_and_wijk(demo_db: str) -> None:
    _second_municipality(demo_db)
    at = _opened({"gemeente": "Voorbeeldstad", "ronde": "2025", "wijk": "Molenwijk"})
    factory = make_sessionmaker(make_engine(demo_db))
    with factory() as s:
        demo = s.scalar(select(Municipality).where(Municipality.name == "Voorbeeldstad"))
        assert demo is not None and _sidebar(at, "Gemeente") == demo.id
    assert at.session_state["context"].round_label == "2025"
    assert at.selectbox(key="_w_unit_id").format_func(at.selectbox(key="_w_unit_id").value) == "Molenwijk"
    assert dict(at.query_params) == {"gemeente": "Voorbeeldstad", "ronde": "2025", "wijk": "Molenwijk"}


def test_without_an_address_the_first_wijk_and_the_latest_round_show(demo_db: str) -> None:
    at = _opened({})
    assert at.session_state["context"].round_label == "2026"
    picker = at.selectbox(key="_w_unit_id")
    assert picker.format_func(picker.value) == "De Hoven"  # not 'Gemeente als geheel'
    assert at.query_params["wijk"] == "De Hoven" and at.query_params["ronde"] == "2026"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"gemeente": "Nergens"}, "De gemeente ‘Nergens’ uit het adres bestaat niet. U ziet Voorbeeldstad."),
        ({"ronde": "1999"}, "De ronde ‘1999’ uit het adres bestaat niet. U ziet 2026."),
        ({"wijk": "**Nep**wijk"}, "De wijk ‘**Nep**wijk’ uit het adres bestaat niet. U ziet De Hoven."),
    ],
)
def test_an_unknown_name_in_the_address_falls_back_with_a_message(
    demo_db: str, params: dict[str, str], message: str
) -> None:
    at = _opened(params)
    shown = [w.value.replace("\\", "") for w in [*at.warning, *at.sidebar.warning]]
    assert message in shown  # the address's text as text (escaped), not as markdown
    name = next(iter(params))
    assert at.query_params[name] != params[name]  # the address now says what the screen shows
    assert at.select_slider  # the page works on


def test_choosing_in_the_sidebar_writes_the_address(demo_db: str) -> None:
    _second_municipality(demo_db)
    at = _opened({"gemeente": "Voorbeeldstad", "wijk": "Molenwijk"})
    round_picker = next(s for s in at.sidebar.selectbox if s.label == "Ronde")
    earlier = next(o for o in round_picker.options if o.startswith("2025"))
    round_picker.select(earlier).run()
    assert at.query_params["ronde"] == "2025"
    municipality = next(s for s in at.sidebar.selectbox if s.label == "Gemeente")
    municipality.select("Beginstad").run()
    assert at.query_params["gemeente"] == "Beginstad" and at.query_params["ronde"] == "Eerste"
    assert at.query_params["wijk"] == "Gemeente als geheel"  # Beginstad has no wijken; Molenwijk was the other one's


def test_the_slide_leaves_the_address_on_another_page(demo_db: str) -> None:
    at = _opened({"dia": "3"}, "app_pages/presenteren.py")
    assert at.query_params["dia"] == "3"
    at.switch_page("app_pages/vergelijken.py").run()
    assert "dia" not in at.query_params and "wijk" not in at.query_params
    assert at.query_params["gemeente"] == "Voorbeeldstad"


@pytest.mark.parametrize(
    "path",
    ["app_pages/startpositie.py", "app_pages/quickscan.py", "app_pages/randvoorwaarden.py", "app_pages/gesprek.py"],
)
def test_an_input_page_asks_who_fills_in_before_anything_is_entered(demo_db: str, path: str) -> None:
    at = page(path, who=None)
    assert any("Kies eerst wie invult" in i.value for i in at.info)
    assert not at.select_slider and not [r for r in at.radio if r.label.startswith("Antwoord op vraag")]
    role = at.selectbox(key="_w_role")
    assert role.value is None and role.placeholder == "Kies uw rol"
    role.select("samenwerkingspartner").run()
    assert not any("Kies eerst wie invult" in i.value for i in at.info)
    assert any(c.value == "U vult in als: samenwerkingspartner" for c in at.caption)
    at.switch_page("app_pages/start.py").run()
    assert at.selectbox(key="_w_role").value == "samenwerkingspartner"  # kept across pages
