"""Page 'Samen invullen': a beheerder invites partners and residents to give their view for this
round, by a link and a QR code, and follows the answers live (issue 19). The respondents need no
account; their page is app_pages/meedoen.py."""

import datetime as dt
from collections.abc import Callable

import streamlit as st
from sqlalchemy.orm import Session

from ui.context import require_round
from ui.live import live_results
from ui.login import ADMIN_ONLY, may
from ui.messages import show_flash
from ui.places import INVITATIONS, NEW_INVITATION
from ui.resources import read
from ui.saving import save
from wijkmodel.analysis.live import ROLE_NAMES
from wijkmodel.exports.qr import qr_png
from wijkmodel.storage.frames import load_units, unit_names, unit_order
from wijkmodel.storage.history import LOCAL_ZONE, local_time, utc_from_local
from wijkmodel.storage.invitations import (
    INSTRUMENTS,
    SLIDERS,
    about_text,
    end_invitation,
    invitation_link,
    invitations_of,
    make_invitation,
    renew_link,
    roles_offered,
    state_of,
)
from wijkmodel.storage.tables import AccountRole, Invitation, Role
from wijkmodel.text.markdown import literal

LINKS = "invitation_links"  # session state: invitation id → its link, shown since it was made (stored: a hash)

ctx = require_round()
admin = may(AccountRole.ADMIN, ctx.municipality_id)
st.title("Samen invullen")
st.write(
    "Laat partners, collega's en inwoners zelf hun kijk geven, op hun telefoon: maak een uitnodiging, "
    "laat de QR-code zien of deel de link. Ze hebben geen account nodig en blijven anoniem. "
    "Hun antwoorden tellen mee in de profielen, Perspectieven, Vergelijken en de stukken."
)
if not admin:
    st.caption(ADMIN_ONLY)
show_flash()

units = read(lambda s: load_units(session=s, municipality_id=ctx.municipality_id))
names = unit_names(units)

st.header("Nieuwe uitnodiging", divider="gray")
with st.form("new_invitation", enter_to_submit=False, border=False):
    title = st.text_input("Naam van de uitnodiging", placeholder="bijvoorbeeld Wijkavond Noord", max_chars=100)
    chosen_units = st.multiselect(
        "Over welke wijken? (leeg: de invuller kiest zelf)",
        unit_order(units),
        format_func=names.__getitem__,
        placeholder="Kies wijken",
    )
    chosen_roles = st.multiselect(
        "Welke rollen? (leeg: de invuller kiest zelf een van de vier)",
        [r.value for r in Role],
        format_func=lambda r: ROLE_NAMES[r],
        placeholder="Kies rollen",
    )
    instruments = st.multiselect(
        "Wat vullen ze in?", list(INSTRUMENTS), default=[SLIDERS], format_func=INSTRUMENTS.__getitem__
    )
    left, right = st.columns(2)
    tomorrow = dt.datetime.now(LOCAL_ZONE) + dt.timedelta(days=1)  # the day in the Netherlands, not the server's
    closes_day = left.date_input("Sluit op (datum)", value=tomorrow.date(), format="DD-MM-YYYY")
    closes_time = right.time_input("om (tijd)", value=dt.time(23, 59))
    submitted = st.form_submit_button("Uitnodiging maken", type="primary", disabled=not admin)


def _make(session: Session, closes_at: dt.datetime) -> tuple[int, str]:
    invitation, token = make_invitation(
        session=session,
        round_id=ctx.round_id,
        title=title,
        unit_ids=chosen_units,
        roles=chosen_roles,
        instruments=instruments,
        closes_at=closes_at,
    )
    return invitation.id, token


if submitted and closes_day is not None and closes_time is not None:
    closes = utc_from_local(closes_day, closes_time)
    made = save(
        lambda s: _make(s, closes),
        success="De uitnodiging is gemaakt. Laat de QR-code zien of deel de link.",
        where=NEW_INVITATION,
    )
    if made is not None:
        st.session_state.setdefault(LINKS, {})[made[0]] = invitation_link(str(st.context.url), made[1])
show_flash(where=NEW_INVITATION)

invitations: list[Invitation] = read(lambda s: invitations_of(session=s, round_id=ctx.round_id))
about = read(lambda s: {i.id: about_text(session=s, invitation=i) for i in invitations})
if not invitations:
    st.info("Er is nog geen uitnodiging voor deze ronde.", icon=":material/info:")
    st.stop()

st.header("Uitnodigingen van deze ronde", divider="gray")
links: dict[int, str] = st.session_state.setdefault(LINKS, {})


def _end(invitation_id: int, revoke: bool) -> None:
    save(
        lambda s: end_invitation(session=s, invitation_id=invitation_id, revoke=revoke),
        success="De link is ingetrokken: hij werkt niet meer." if revoke else "De sessie is gesloten.",
        where=INVITATIONS,
    )


def _renew(invitation_id: int) -> None:
    token = save(
        lambda s: renew_link(session=s, invitation_id=invitation_id),
        success="Er is een nieuwe link; de oude werkt niet meer.",
        where=INVITATIONS,
    )
    if token is not None:
        links[invitation_id] = invitation_link(str(st.context.url), token)


for invitation in invitations:
    state = state_of(invitation)
    with st.container(border=True):
        st.subheader(literal(invitation.title))
        st.caption(f"{state.capitalize()} · sluit op {local_time(invitation.closes_at)}")
        st.text(about[invitation.id])  # wijk names are typed by users: plain text
        link = links.get(invitation.id)
        if link and state == "open":
            qr, text = st.columns([1, 2])
            qr.image(qr_png(link), caption="Scan met de camera van uw telefoon", width=240)
            text.write("De link voor de invullers:")
            text.code(link, language=None)
            text.caption(
                "Bewaar of print de link en de QR-code nu: wijkmodel bewaart alleen een versleutelde vorm "
                "en kan hem later niet opnieuw laten zien. Kwijt? Maak een nieuwe link."
            )
            text.download_button(
                "QR-code downloaden (PNG)",
                data=qr_png(link, scale=16),
                file_name=f"qr-uitnodiging-{invitation.id}.png",
                mime="image/png",
                key=f"qr_{invitation.id}",
            )
        if state == "open":
            actions: dict[str, tuple[str, Callable[..., None], tuple[object, ...]]] = {
                "Sessie sluiten": ("close", _end, (invitation.id, False)),
                "Link intrekken": ("revoke", _end, (invitation.id, True)),
                "Nieuwe link": ("renew", _renew, (invitation.id,)),
            }
            for column, (label, (name, action, args)) in zip(st.columns(3), actions.items(), strict=True):
                column.button(label, key=f"{name}_{invitation.id}", on_click=action, args=args, disabled=not admin)
show_flash(where=INVITATIONS)

st.header("Live: wie vulde in, en wat", divider="gray")
states = {i.id: state_of(i) for i in invitations}
shown = st.selectbox(
    "Uitnodiging",
    sorted(states, key=lambda i: states[i] != "open"),  # the open ones first: the session going on now
    format_func=lambda i: f"{next(x.title for x in invitations if x.id == i)} ({states[i]})",
    key="live_invitation",
)
current = next(i for i in invitations if i.id == shown)
live_results(current.id, roles_offered(current))
