"""The menu in the sidebar: a link per page, below the municipality and round pickers.

Streamlit's own menu (st.navigation in the sidebar) is always drawn above the sidebar's widgets; with
19 pages that pushed the pickers below the fold at 1280x720. The links carry the address's
municipality and round (ui/address.py), so the page opened shows the same ones, also in a new tab."""

from __future__ import annotations

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from ui import address


def menu(pages: list[StreamlitPage]) -> None:
    """One link per page, in menu order; the current page is marked by Streamlit."""
    keep = {name: st.query_params[name] for name in (*address.GLOBAL, address.WIJK) if name in st.query_params}
    with st.container(key="menu", gap=None):
        for page in pages:
            st.page_link(page, query_params=keep, width="stretch")
