"""Helpers shared by pages: cached model, document language. No domain logic here."""

from __future__ import annotations

import streamlit as st

from wijkmodel.loader import MODEL_DIR, load_model
from wijkmodel.model import MaturityModel


@st.cache_resource
def cached_model(directory: str = str(MODEL_DIR)) -> MaturityModel:
    """The validated maturity model, loaded once per server process."""
    return load_model(directory)


def set_document_language() -> None:
    """Streamlit ships <html lang="en"> (streamlit issue 15726); the app is Dutch, so say so."""
    # A constant script of our own, never user content.
    st.html("<script>document.documentElement.lang = 'nl';</script>", unsafe_allow_javascript=True)
