"""wijkmodel: router only. Page config, navigation, shared sidebar; pages do the rest."""

import streamlit as st

from pages.common import set_document_language

st.set_page_config(page_title="wijkmodel", page_icon=":material/hub:", layout="wide")
set_document_language()

pages = [
    st.Page("pages/het_model.py", title="Het model", icon=":material/menu_book:", default=True),
]
navigation = st.navigation(pages)
with st.sidebar:
    st.caption("wijkmodel · volwassenheid van wijkgericht werken per wijk")
navigation.run()
