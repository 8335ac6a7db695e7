"""Page Regio (issue 20) with the demo and the made-up region: the municipalities side by side in the
heatmap and its table, a ranking, progress, the wijken of those that share them; the sharing setting
on Instellingen; making a region on the page."""

from __future__ import annotations

import json

from sqlalchemy import select

from tests.conftest import page
from wijkmodel.demo.region import MUNICIPALITIES, add_demo_region
from wijkmodel.model.schema import MaturityModel
from wijkmodel.storage.db import make_engine, make_sessionmaker
from wijkmodel.storage.regions import find_region, member_ids, rename_region, set_members, sharing_of
from wijkmodel.storage.tables import Municipality, RegionSharing


def _factory(url: str):  # type: ignore[no-untyped-def]
    return make_sessionmaker(make_engine(url))


def _with_region(url: str, model: MaturityModel) -> None:
    with _factory(url).begin() as s:
        add_demo_region(session=s, model=model, with_municipality="Voorbeeldstad")


def _charts(at) -> list[dict]:  # type: ignore[no-untyped-def]
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def test_the_region_shows_every_member_without_login(demo_db: str, model: MaturityModel) -> None:
    _with_region(demo_db, model)
    at = page("app_pages/regio.py")
    heat = next(c for c in _charts(at) if c["data"][0]["type"] == "heatmap")
    rows = heat["data"][0]["y"]
    for name in [*MUNICIPALITIES, "Voorbeeldstad", "Regio (gemiddelde)"]:
        assert name in rows
    assert len(at.dataframe) >= 3  # heatmap table, ranking, progress
    table = at.dataframe[0].value
    assert "Beekdorp" in table.index and table.loc["Beekdorp", "Ronde"] == "2026"
    headers = [h.value for h in at.header]
    assert headers[:4] == ["De gemeenten naast elkaar", "Op volgorde", "Voortgang tussen twee rondes", "Wijken"]


def test_scoring_as_the_mean_of_the_wijken_changes_the_numbers(demo_db: str, model: MaturityModel) -> None:
    _with_region(demo_db, model)
    at = page("app_pages/regio.py")
    whole = at.dataframe[0].value.copy()
    at.radio(key="region_basis").set_value("wijken").run()
    assert not at.exception
    assert not at.dataframe[0].value.equals(whole)
    heat = next(c for c in _charts(at) if c["data"][0]["type"] == "heatmap")
    assert "gemiddelde van de wijken per gemeente" in json.dumps(heat["layout"])  # the caption says how


def test_a_region_is_made_on_the_page(demo_db: str) -> None:
    at = page("app_pages/regio.py")
    assert any("nog geen regio" in i.value for i in at.info)
    at.text_input[0].set_value("Regio Oost")
    at.multiselect[0].set_value([1])
    at.button[0].click().run()
    assert not at.exception
    with _factory(demo_db)() as s:
        region = find_region(session=s, name="Regio Oost")
        assert region is not None and member_ids(session=s, region_id=region.id) == [1]


def test_sharing_is_a_setting_on_instellingen(demo_db: str) -> None:
    at = page("app_pages/instellingen.py")
    radio = next(r for r in at.radio if r.key and r.key.startswith("set_sharing"))
    radio.set_value(RegionSharing.TOTALS).run()
    assert not at.exception
    with _factory(demo_db)() as s:
        m = s.scalars(select(Municipality)).one()
        assert sharing_of(session=s, municipality_id=m.id) == RegionSharing.TOTALS


def test_a_regiocoordinator_sees_only_regio_and_only_what_is_shared(demo_db: str, model: MaturityModel) -> None:
    from streamlit.testing.v1 import AppTest

    from tests.conftest import APP
    from tests.test_login import AUTH, ISSUER
    from wijkmodel.storage.accounts import account_for_login
    from wijkmodel.storage.regions import set_coordinator

    _with_region(demo_db, model)
    with _factory(demo_db).begin() as s:
        account_for_login(session=s, issuer=ISSUER, subject="regio", email="regio@jeugdregio.nl")
        region = find_region(session=s, name="Regio Voorbeeld")
        assert region is not None
        set_coordinator(session=s, region_id=region.id, email="regio@jeugdregio.nl", coordinates=True)
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "iss": ISSUER, "sub": "regio", "email": "regio@jeugdregio.nl"}
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Regio"  # sent to the one page a coordinator has
    heat = next(c for c in _charts(at) if c["data"][0]["type"] == "heatmap")
    rows = set(heat["data"][0]["y"])
    # Voorbeeldstad and Zandvoorde-Oost share nothing: not in the chart, the tables or the page's text
    assert {"Beekdorp", "Heuvelrade", "Meerwijk"} <= rows
    shown = json.dumps([df.value.to_dict() for df in at.dataframe], default=str) + " ".join(
        str(m.value) for m in at.markdown
    )
    for hidden in ("Voorbeeldstad", "Zandvoorde-Oost"):
        assert hidden not in rows and hidden not in shown
    assert not at.multiselect and not at.expander  # a coordinator manages nothing, and sees no list of names
    # the wijken table: only those of Beekdorp and Meerwijk (Heuvelrade shares its totals only)
    wijken = at.dataframe[-1].value
    assert set(wijken["Gemeente"]) == {"Beekdorp", "Meerwijk"}
    # other pages are not the coordinator's: asking for one lands on Regio again
    at.switch_page("app_pages/vergelijken.py")
    at.run()
    assert at.title[0].value == "Regio"


def test_a_region_whose_members_have_no_round_can_still_be_managed(demo_db: str) -> None:
    from wijkmodel.storage.municipalities import create_municipality
    from wijkmodel.storage.regions import create_region

    with _factory(demo_db).begin() as s:
        new = create_municipality(session=s, name="Nieuwdorp")
        s.flush()
        create_region(session=s, name="Regio zonder rondes", municipality_ids=[new.id])
    at = page("app_pages/regio.py")
    assert any("nog geen ronde" in i.value for i in at.info)
    assert [e.label for e in at.expander] == ["Regio beheren", "Nieuwe regio maken"]


def test_a_round_label_in_a_widget_label_is_shown_as_typed(demo_db: str, model: MaturityModel) -> None:
    from wijkmodel.storage.tables import Round

    _with_region(demo_db, model)
    with _factory(demo_db).begin() as s:
        for round_ in s.scalars(select(Round).where(Round.label == "2026")):
            round_.label = "**vet** [klik](https://example.org)"
    at = page("app_pages/regio.py")
    labels = [sb.label for sb in at.selectbox]
    assert any(label.startswith("Vergelijk ronde \\*\\*vet\\*\\* \\[klik\\]") for label in labels), labels


def _open_region(url: str, model: MaturityModel):  # type: ignore[no-untyped-def]
    """The page Regio open on the made-up region; its id, members, and the ids by name."""
    _with_region(url, model)
    at = page("app_pages/regio.py")
    with _factory(url)() as s:
        region = find_region(session=s, name="Regio Voorbeeld")
        assert region is not None
        ids = dict(s.execute(select(Municipality.name, Municipality.id)).all())
        return at, region.id, member_ids(session=s, region_id=region.id), ids


def _names(at) -> list[str]:  # type: ignore[no-untyped-def]
    members = at.multiselect[0]
    return sorted(members.format_func(v) for v in members.value)


def test_a_colleague_s_change_of_the_members_is_not_overwritten(demo_db: str, model: MaturityModel) -> None:
    at, region_id, before, ids = _open_region(demo_db, model)
    with _factory(demo_db).begin() as s:  # a colleague takes Beekdorp out while the page is open
        set_members(session=s, region_id=region_id, municipality_ids=[m for m in before if m != ids["Beekdorp"]])
    assert "Beekdorp" in _names(at)  # the screen still shows it
    at.multiselect[0].set_value([ids[n] for n in _names(at) if n != "Meerwijk"])
    next(b for b in at.button if b.label == "Bewaren").click().run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any("iemand anders heeft de gemeenten net veranderd" in e for e in errors), errors
    with _factory(demo_db)() as s:  # Meerwijk stays, Beekdorp stays out: the colleague's change holds
        after = member_ids(session=s, region_id=region_id)
    assert sorted(after) == sorted(m for m in before if m != ids["Beekdorp"])
    # the form now shows what is stored: Meerwijk in, Beekdorp out
    assert "Beekdorp" not in _names(at) and "Meerwijk" in _names(at)
    at.multiselect[0].set_value([ids[n] for n in _names(at) if n != "Meerwijk"])
    next(b for b in at.button if b.label == "Bewaren").click().run()  # chosen again: saved
    with _factory(demo_db)() as s:
        assert ids["Meerwijk"] not in member_ids(session=s, region_id=region_id)


def test_a_colleague_s_new_name_does_not_stop_a_change_of_the_members(demo_db: str, model: MaturityModel) -> None:
    at, region_id, before, ids = _open_region(demo_db, model)
    with _factory(demo_db).begin() as s:  # a colleague renames the region while the page is open
        rename_region(session=s, region_id=region_id, name="Regio Noord")
    at.multiselect[0].set_value([ids[n] for n in _names(at) if n != "Meerwijk"])
    next(b for b in at.button if b.label == "Bewaren").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    with _factory(demo_db)() as s:  # the person's change and the colleague's name both hold
        assert sorted(member_ids(session=s, region_id=region_id)) == sorted(m for m in before if m != ids["Meerwijk"])
        assert find_region(session=s, name="Regio Noord") is not None
    # a new name typed on the old screen, though, would overwrite the colleague's: refused
    with _factory(demo_db).begin() as s:
        rename_region(session=s, region_id=region_id, name="Regio Zuid")
    at.text_input(key=f"region_name_{region_id}").set_value("Regio West")
    next(b for b in at.button if b.label == "Bewaren").click().run()
    assert any("net veranderd in 'Regio Zuid'" in e.value for e in at.error)
    with _factory(demo_db)() as s:
        assert find_region(session=s, name="Regio Zuid") is not None
