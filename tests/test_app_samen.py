"""Sessions with partners in the app (AppTest, issue 19): a beheerder makes an invitation on 'Samen
invullen' (link and QR code), a respondent answers through the link on its own page (no menu, no
login), a bad link gets a Dutch page and writes nothing, and the live view counts the answers."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select, update
from streamlit.testing.v1 import AppTest

from tests.conftest import APP, as_shown, page
from wijkmodel.storage.db import make_engine, make_sessionmaker
from wijkmodel.storage.invitations import MAX_SAVES_PER_MINUTE, SLIDERS, make_invitation, open_invitation
from wijkmodel.storage.municipalities import find_municipality
from wijkmodel.storage.tables import Invitation, Participant, ParticipantRespondent, Round, ThemePosition, Unit


def _invitation(db: str, **values: object) -> str:
    engine = make_engine(db)
    with make_sessionmaker(engine).begin() as s:
        m = find_municipality(session=s, name="Voorbeeldstad")
        assert m is not None
        round_id = s.scalar(select(Round.id).where(Round.municipality_id == m.id).order_by(Round.date.desc()))
        wijken = list(s.scalars(select(Unit.id).where(Unit.municipality_id == m.id, Unit.kind == "wijk").limit(2)))
        settings: dict[str, object] = {
            "round_id": round_id,
            "title": "Wijkavond",
            "unit_ids": wijken,
            "roles": [],
            "instruments": [SLIDERS],
            "closes_at": dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(hours=2),
        }
        settings.update(values)
        _, token = make_invitation(session=s, **settings)  # type: ignore[arg-type]
    engine.dispose()
    return token


def _count(db: str, table: type) -> int:
    engine = make_engine(db)
    with make_sessionmaker(engine)() as s:
        n = s.scalar(select(func.count()).select_from(table)) or 0
    engine.dispose()
    return n


def _respondent(token: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["uitnodiging"] = token
    at.run()
    assert not at.exception, at.exception
    return at


def test_a_beheerder_makes_an_invitation_with_a_link_and_a_qr_code(demo_db: str) -> None:
    at = page("app_pages/samen.py")
    next(t for t in at.text_input if t.label == "Naam van de uitnodiging").input("Wijkavond Noord")
    next(b for b in at.button if b.label == "Uitnodiging maken").click().run()
    assert not at.exception, at.exception
    assert any("De uitnodiging is gemaakt" in x.value for x in [*at.success, *at.toast])
    links = [c.value for c in at.code if "?uitnodiging=" in c.value]
    assert len(links) == 1
    assert at.get("image"), "the QR code is shown"
    token = links[0].split("?uitnodiging=", 1)[1]
    engine = make_engine(demo_db)
    with make_sessionmaker(engine)() as s:
        assert open_invitation(session=s, token=token).title == "Wijkavond Noord"  # the link works
    engine.dispose()


def test_a_respondent_answers_through_the_link_on_a_page_of_its_own(demo_db: str) -> None:
    token = _invitation(demo_db)
    at = _respondent(token)
    assert at.title[0].value == "Wijkavond"
    assert not at.sidebar.selectbox and not at.sidebar.button  # no menu, no pickers, nothing else
    assert "Voorbeeldstad" in at.caption[0].value
    role = next(r for r in at.radio if r.label == "Ik vul in als")
    assert role.options == ["Gemeente", "Lokaal team", "Samenwerkingspartner", "Inwoner of jongere"]
    role.set_value("inwoner/jeugd").run()
    next(b for b in at.button if b.label == "Beginnen").click().run()
    assert not at.exception, at.exception
    code = at.query_params.get("code")
    assert code and len(code[0] if isinstance(code, list) else code) >= 20
    next(s for s in at.selectbox if s.label == "Over welke wijk vult u in?").select_index(1).run()
    slider = at.select_slider[0]
    slider.set_value(60.0).run()
    assert not at.exception, at.exception
    assert _count(demo_db, ParticipantRespondent) == 1
    engine = make_engine(demo_db)
    with make_sessionmaker(engine)() as s:
        placed = s.scalars(
            select(ThemePosition.position).join(
                ParticipantRespondent, ParticipantRespondent.respondent_id == ThemePosition.respondent_id
            )
        ).all()
    engine.dispose()
    assert placed == [60.0]
    assert any("Fase 3" in m.value for m in at.markdown)  # the phase described beside the slider


def test_a_refused_save_shows_the_stored_value_again(demo_db: str) -> None:
    """Past the saves per minute the save is refused: the slider goes back to what is stored, so the
    phone never shows an answer that is not saved."""
    at = _respondent(_invitation(demo_db, unit_ids=[]))
    next(r for r in at.radio if r.label == "Ik vul in als").set_value("gemeente").run()
    next(b for b in at.button if b.label == "Beginnen").click().run()
    next(s for s in at.selectbox if s.label == "Over welke wijk vult u in?").select_index(1).run()
    at.select_slider[0].set_value(60.0).run()
    engine = make_engine(demo_db)
    with make_sessionmaker(engine).begin() as s:
        s.execute(update(Participant).values(window_saves=MAX_SAVES_PER_MINUTE))
    engine.dispose()
    at.select_slider[0].set_value(80.0).run()
    assert not at.exception, at.exception
    assert any("Wacht een minuut" in e.value for e in at.error)
    assert at.select_slider[0].value == 60.0
    engine = make_engine(demo_db)
    with make_sessionmaker(engine)() as s:
        stored = s.scalars(
            select(ThemePosition.position).join(
                ParticipantRespondent, ParticipantRespondent.respondent_id == ThemePosition.respondent_id
            )
        ).all()
    engine.dispose()
    assert stored == [60.0]


def test_a_bad_link_gets_a_dutch_page_and_writes_nothing(demo_db: str) -> None:
    token = _invitation(demo_db)
    before = (_count(demo_db, Participant), _count(demo_db, ThemePosition))
    at = _respondent("A" + token[1:] if token[0] != "A" else "B" + token[1:])
    assert at.title[0].value == "Meedoen"
    assert "Deze link werkt niet" in at.error[0].value
    assert not at.button and not at.select_slider
    assert (_count(demo_db, Participant), _count(demo_db, ThemePosition)) == before


def test_the_live_view_counts_who_answered(demo_db: str) -> None:
    token = _invitation(demo_db)
    at = _respondent(token)
    next(r for r in at.radio if r.label == "Ik vul in als").set_value("gemeente").run()
    next(b for b in at.button if b.label == "Beginnen").click().run()
    next(s for s in at.selectbox if s.label == "Over welke wijk vult u in?").select_index(0).run()
    at.select_slider[0].set_value(40.0).run()
    assert not at.exception, at.exception
    facilitator = page("app_pages/samen.py")
    assert [m.value for m in facilitator.metric if m.label == "Ingevuld"] == ["1 persoon"]
    shown = as_shown(" ".join(str(t.value.to_dict()) for t in facilitator.table))
    assert "40" in shown
    assert _count(demo_db, Invitation) == 1


def test_with_login_the_link_needs_none_and_the_staff_pages_still_do(demo_db: str) -> None:
    from tests.test_login import AUTH

    token = _invitation(demo_db)
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": False}
    at.query_params["uitnodiging"] = token
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Wijkavond" and not any(b.label == "Inloggen" for b in at.button)
    next(r for r in at.radio if r.label == "Ik vul in als").set_value("lokaal team").run()
    next(b for b in at.button if b.label == "Beginnen").click().run()
    next(s for s in at.selectbox if s.label == "Over welke wijk vult u in?").select_index(0).run()
    at.select_slider[0].set_value(30.0).run()
    assert not at.exception, at.exception
    assert _count(demo_db, ParticipantRespondent) == 1  # saved as the invitation, without an account

    staff = AppTest.from_file(APP, default_timeout=60)
    staff.secrets["auth"] = AUTH
    staff.user = {"is_logged_in": False}
    staff.run()
    staff.switch_page("app_pages/samen.py").run()
    assert any(b.label == "Inloggen" for b in staff.button) and not staff.text_input
