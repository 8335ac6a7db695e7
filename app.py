"""wijkmodel: router only. Page config, navigation, shared sidebar (gemeente, ronde); pages do the rest."""

import streamlit as st

from app_pages.common import set_document_language, sidebar_context

st.set_page_config(page_title="wijkmodel", page_icon=":material/hub:", layout="wide")
set_document_language()

# grouped by what a user comes to do; the steps of the cycle in order
pages = {
    "": [st.Page("app_pages/start.py", title="Start", icon=":material/home:", default=True)],
    "Invullen": [
        st.Page("app_pages/startpositie.py", title="Startpositie", icon=":material/tune:"),
        st.Page("app_pages/quickscan.py", title="Quickscan", icon=":material/checklist:"),
        st.Page("app_pages/gesprek.py", title="Gesprek", icon=":material/forum:"),
    ],
    "Bekijken": [
        st.Page("app_pages/wijkprofiel.py", title="Wijkprofiel", icon=":material/person_pin_circle:"),
        st.Page("app_pages/vergelijken.py", title="Vergelijken", icon=":material/compare_arrows:"),
        st.Page("app_pages/voortgang.py", title="Voortgang", icon=":material/trending_up:"),
    ],
    "Vergaderen": [
        st.Page("app_pages/presenteren.py", title="Presenteren", icon=":material/co_present:"),
        st.Page("app_pages/stukken.py", title="Stukken", icon=":material/download:"),
    ],
    "Beheer": [
        st.Page("app_pages/instellingen.py", title="Instellingen", icon=":material/settings:"),
        st.Page("app_pages/het_model.py", title="Het model", icon=":material/menu_book:"),
    ],
}
navigation = st.navigation(pages)
st.session_state["context"] = sidebar_context()
with st.sidebar:
    st.caption("wijkmodel · volwassenheid van wijkgericht werken per wijk")
navigation.run()
