"""The facilitator's live view of a session with partners (issue 19): how many filled in, per wijk
and role, and per theme the mean and spread, read again every few seconds without touching the page
(a fragment with `run_every`). On 'Samen invullen' and on Presenteren."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from ui.resources import cached_model, read
from wijkmodel.analysis.live import ROLE_NAMES, people_count, theme_spread, turnout
from wijkmodel.storage.invitations import live_rows

EVERY = dt.timedelta(seconds=3)
"""How often the live view reads again (the issue's bound: current within 5 s)."""


@st.fragment(run_every=EVERY)
def live_results(invitation_id: int, roles: list[str]) -> None:
    """'n ingevuld' and the spread per theme of one invitation, as the database has them now."""
    model = cached_model()
    answered, placed = read(lambda s: live_rows(session=s, invitation_id=invitation_id))
    st.metric("Ingevuld", f"{people_count(answered)} personen", border=True)
    table = turnout(answered, roles).rename(columns=ROLE_NAMES)
    st.subheader("Ingevuld per wijk en rol")
    st.dataframe(table, hide_index=True)
    st.subheader("De zes thema's: gemiddelde en spreiding")
    st.dataframe(theme_spread(placed, model), hide_index=True)
    st.caption(f"Bijgewerkt om {dt.datetime.now():%H:%M:%S}; dit ververst zichzelf elke {EVERY.seconds} seconden.")
