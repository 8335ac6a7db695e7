"""The facilitator's live view of a session with partners (issue 19): how many filled in, per wijk
and role, and per theme the mean and spread, read again every few seconds without touching the page
(a fragment with `run_every`). On 'Samen invullen' and on Presenteren."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from ui.resources import cached_model, read
from wijkmodel.analysis.live import ROLE_NAMES, people_count, people_text, theme_spread, turnout
from wijkmodel.storage.history import LOCAL_ZONE
from wijkmodel.storage.invitations import live_rows
from wijkmodel.text.markdown import literal_table

EVERY = dt.timedelta(seconds=3)
"""How often the live view reads again (the issue's bound: current within 5 s)."""


@st.fragment(run_every=EVERY)
def live_results(invitation_id: int, roles: list[str]) -> None:
    """'n ingevuld' and the spread per theme of one invitation, as the database has them now."""
    model = cached_model()
    answered, placed = read(lambda s: live_rows(session=s, invitation_id=invitation_id))
    st.metric("Ingevuld", people_text(people_count(answered)), border=True)
    table = turnout(answered, roles).rename(columns=ROLE_NAMES)
    st.subheader("Ingevuld per wijk en rol")
    # a plain table, readable on a beamer; st.table renders cells as markdown: wijk names shown as typed
    st.table(literal_table(table), hide_index=True)
    st.subheader("De zes thema's: gemiddelde en spreiding")
    st.table(literal_table(theme_spread(placed, model)), hide_index=True)
    now = dt.datetime.now(LOCAL_ZONE)
    st.caption(f"Bijgewerkt om {now:%H:%M:%S}; dit ververst zichzelf elke {EVERY.seconds} seconden.")
