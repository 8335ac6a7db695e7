"""wijkmodel: router only. Page config, navigation, shared sidebar (gemeente, ronde); pages do the rest."""

from pathlib import Path

import streamlit as st

from ui.browser_text import use_dutch_upload_messages
from ui.context import sidebar_context
from ui.messages import set_document_language, show_flash, show_unexpected_error

# the icon from our own server: a ":material/...:" page icon is fetched from fonts.gstatic.com
st.set_page_config(page_title="wijkmodel", page_icon=Path(__file__).parent / "static" / "hub.png", layout="wide")
set_document_language()

# a flat list in the order of the cycle: Streamlit's sectioned menu puts its headers inside the
# <ul>, which axe reports as a serious accessibility problem
pages = [
    st.Page("app_pages/start.py", title="Start", icon=":material/home:", default=True),
    st.Page("app_pages/wijkanalyse.py", title="Wijkanalyse", icon=":material/map:"),
    st.Page("app_pages/wijkdata.py", title="Wijkdata", icon=":material/upload_file:"),
    st.Page("app_pages/startpositie.py", title="Startpositie", icon=":material/tune:"),
    st.Page("app_pages/quickscan.py", title="Quickscan", icon=":material/checklist:"),
    st.Page("app_pages/gesprek.py", title="Gesprek", icon=":material/forum:"),
    st.Page("app_pages/wijkprofiel.py", title="Wijkprofiel", icon=":material/person_pin_circle:"),
    st.Page("app_pages/vergelijken.py", title="Vergelijken", icon=":material/compare_arrows:"),
    st.Page("app_pages/perspectieven.py", title="Perspectieven", icon=":material/groups:"),
    st.Page("app_pages/voortgang.py", title="Voortgang", icon=":material/trending_up:"),
    st.Page("app_pages/streefwaarden.py", title="Streefwaarden", icon=":material/flag:"),
    st.Page("app_pages/plan.py", title="Kernkeuzes en acties", icon=":material/checklist_rtl:"),
    st.Page("app_pages/presenteren.py", title="Presenteren", icon=":material/co_present:"),
    st.Page("app_pages/stukken.py", title="Stukken", icon=":material/download:"),
    st.Page("app_pages/geschiedenis.py", title="Geschiedenis", icon=":material/history:"),
    st.Page("app_pages/instellingen.py", title="Instellingen", icon=":material/settings:"),
    st.Page("app_pages/het_model.py", title="Het model", icon=":material/menu_book:"),
]
navigation = st.navigation(pages, expanded=True)  # every page in view, no "View more"
try:
    st.session_state["context"] = sidebar_context()
    with st.sidebar:
        st.caption("wijkmodel · volwassenheid van wijkgericht werken per wijk")
        use_dutch_upload_messages()  # last in the sidebar: its empty element pushes nothing down
    navigation.run()
except Exception as exc:  # noqa: BLE001 - the last net; st.stop and st.rerun are BaseExceptions and pass
    show_flash()  # a save that failed just before (the database went away) says so, with its retry
    show_unexpected_error(exc)
