"""A session with partners in a real browser (issue 19): 20 phones at once answer through one
invitation for two wijken and all four roles, while the facilitator's page counts them without a
reload; every answer is stored once and attributed right, and the live mean is the mean of what was
sent. Revoked, expired and forged links are refused with nothing written; axe on the phone page."""

from __future__ import annotations

import datetime as dt
import os
import statistics
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from sqlalchemy import func, select, update

from tests.browser import new_page, ready, rerun, serious_violations, streamlit_server
from wijkmodel.scoring.text import format_score
from wijkmodel.storage.db import make_engine, make_sessionmaker
from wijkmodel.storage.invitations import SLIDERS, make_invitation
from wijkmodel.storage.municipalities import find_municipality
from wijkmodel.storage.tables import (
    Invitation,
    Participant,
    ParticipantRespondent,
    Respondent,
    Round,
    ThemePosition,
    Unit,
)

PHONES = 20
ROLES = {"gemeente": "Gemeente", "lokaal team": "Lokaal team", "samenwerkingspartner": "Samenwerkingspartner"}
ROLES["inwoner/jeugd"] = "Inwoner of jongere"


@pytest.fixture
def session_app(tmp_path: Path) -> Iterator[tuple[str, str, dict[str, str], list[str]]]:
    """The demo with three invitations: one open for two wijken and every role, one revoked, one
    past its date. Yields the app's address, the database, the links' tokens and the two wijken."""
    db = f"sqlite:///{tmp_path}/session.sqlite"
    env = {**os.environ, "WIJKMODEL_DATABASE_URL": db}
    subprocess.run([sys.executable, "-m", "wijkmodel", "demo"], check=True, env=env, stdout=subprocess.DEVNULL)
    engine = make_engine(db)
    tokens = {}
    with make_sessionmaker(engine).begin() as s:
        m = find_municipality(session=s, name="Voorbeeldstad")
        assert m is not None
        round_id = s.scalar(select(Round.id).where(Round.municipality_id == m.id).order_by(Round.date.desc()))
        wijken = s.execute(
            select(Unit.id, Unit.name).where(Unit.municipality_id == m.id, Unit.kind == "wijk").order_by(Unit.name)
        ).all()[:2]
        for name in ("open", "revoked", "expired"):
            invitation, tokens[name] = make_invitation(
                session=s,
                round_id=round_id or 0,
                title=f"Wijkavond ({name})",
                unit_ids=[w.id for w in wijken],
                roles=[],
                instruments=[SLIDERS],
                closes_at=dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(hours=2),
            )
            if name == "revoked":
                invitation.revoked_at = dt.datetime(2026, 1, 1)
            s.flush()
            if name == "expired":
                s.execute(
                    update(Invitation).where(Invitation.id == invitation.id).values(closes_at=dt.datetime(2026, 1, 1))
                )
    engine.dispose()
    with streamlit_server(db) as base:
        yield base, db, tokens, [w.name for w in wijken]


def _rows(db: str) -> tuple[int, ...]:
    engine = make_engine(db)
    with make_sessionmaker(engine)() as s:
        counts = tuple(
            s.scalar(select(func.count()).select_from(t)) or 0
            for t in (Participant, ParticipantRespondent, Respondent, ThemePosition)
        )
    engine.dispose()
    return counts


def _phone(browser: Browser) -> Page:
    """A small phone (375 × 667, touch), on its first visit."""
    return new_page(browser, 375, 667, who=None, mobile=True)


def test_twenty_phones_answer_and_the_facilitator_sees_them_live(
    browser: Browser, session_app: tuple[str, str, dict[str, str], list[str]]
) -> None:
    base, db, tokens, wijken = session_app
    facilitator = new_page(browser)
    facilitator.goto(f"{base}/samen")
    ready(facilitator, "Samen invullen")
    facilitator.get_by_text("0 personen").first.wait_for()

    phones = [_phone(browser) for _ in range(PHONES)]
    for phone in phones:  # all twenty open at once (each its own session on the server)
        phone.goto(f"{base}/?uitnodiging={tokens['open']}")
    sent: list[tuple[str, str, float]] = []
    for i, phone in enumerate(phones):
        role, wijk = list(ROLES)[i % 4], wijken[i % 2]
        ready(phone, "Wijkavond (open)")
        phone.get_by_text(ROLES[role], exact=True).click()
        phone.get_by_role("button", name="Beginnen").click()
        phone.get_by_role("combobox").first.wait_for()
        phone.get_by_role("combobox").first.click()
        phone.get_by_role("option", name=wijk, exact=True).click()
        slider = phone.get_by_role("slider").first
        slider.wait_for()
        slider.focus()
        for _ in range(3 + i % 9):  # each phone its own position
            with rerun(phone):
                phone.keyboard.press("ArrowRight")
        sent.append((role, wijk, float((slider.get_attribute("aria-valuetext") or "").split(" ")[0])))

    # the facilitator's counter reaches 20 without a reload, and its mean is the mean of what was sent
    facilitator.bring_to_front()  # on the beamer: in view (a hidden tab's timers are held back)
    try:
        facilitator.get_by_text(f"{PHONES} personen").first.wait_for(timeout=15_000)
    except PlaywrightTimeout:
        shown = facilitator.locator('[data-testid="stMetricValue"]').all_inner_texts()
        raise AssertionError(f"the facilitator shows {shown}; stored {_rows(db)}") from None
    mean = format_score(statistics.fmean(v for _, _, v in sent))
    first_theme = facilitator.get_by_role("row").filter(has_text="1. Visie en inspiratie")
    try:
        first_theme.get_by_role("cell", name=mean, exact=True).first.wait_for(timeout=15_000)
    except PlaywrightTimeout:
        raise AssertionError(f"{mean} {first_theme.all_inner_texts()} {sent}") from None

    engine = make_engine(db)
    with make_sessionmaker(engine)() as s:
        stored = s.execute(
            select(Respondent.role, Unit.name, ThemePosition.position)
            .join(ParticipantRespondent, ParticipantRespondent.respondent_id == Respondent.id)
            .join(Unit, Unit.id == Respondent.unit_id)
            .join(ThemePosition, ThemePosition.respondent_id == Respondent.id)
        ).all()
    engine.dispose()
    assert sorted((r, u, float(p or 0)) for r, u, p in stored) == sorted(sent)  # each once, attributed right
    assert _rows(db)[:2] == (PHONES, PHONES)


@pytest.mark.parametrize(
    ("which", "message"),
    [
        ("revoked", "Deze link is ingetrokken"),
        ("expired", "Deze link is verlopen"),
        ("forged", "Deze link werkt niet"),
    ],
)
def test_a_link_that_does_not_work_says_so_and_writes_nothing(
    browser: Browser, session_app: tuple[str, str, dict[str, str], list[str]], which: str, message: str
) -> None:
    base, db, tokens, _ = session_app
    before = _rows(db)
    token = tokens.get(which) or ("A" if tokens["open"][0] != "A" else "B") + tokens["open"][1:]
    phone = _phone(browser)
    phone.goto(f"{base}/?uitnodiging={token}")
    ready(phone, "Meedoen")
    phone.get_by_text(message).wait_for()
    assert phone.get_by_role("button").filter(has_text="Beginnen").count() == 0
    assert _rows(db) == before


def test_the_phone_page_has_no_serious_accessibility_violations(
    browser: Browser, session_app: tuple[str, str, dict[str, str], list[str]]
) -> None:
    base, _, tokens, wijken = session_app
    phone = _phone(browser)
    phone.goto(f"{base}/?uitnodiging={tokens['open']}")
    ready(phone, "Wijkavond (open)")
    assert serious_violations(phone) == []
    phone.get_by_text("Inwoner of jongere", exact=True).click()
    phone.get_by_role("button", name="Beginnen").click()
    phone.get_by_role("combobox").first.click()
    phone.get_by_role("option", name=wijken[0], exact=True).click()
    phone.get_by_role("slider").first.wait_for()
    assert serious_violations(phone) == []
