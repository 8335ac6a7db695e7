"""A chart on a page, with its image downloads."""

from __future__ import annotations

import logging
from typing import Any, TypeVar

import streamlit as st

from wijkmodel.exports.images import NO_BROWSER, browser_path, to_png, to_svg

log = logging.getLogger("wijkmodel")
T = TypeVar("T")


def chart(figure: Any, *, name: str, key: str) -> None:
    """A chart at full width with its image downloads (PNG at twice the pixels, and SVG).

    The images are made only when a button is clicked; title and caption are in the image."""
    st.plotly_chart(figure, width="stretch", config={"displayModeBar": False}, key=f"chart_{key}")
    if browser_path() is None:
        st.caption(NO_BROWSER)
        return
    left, right, _ = st.columns([1, 1, 2])
    left.download_button(
        "Plaatje (PNG)",
        lambda: to_png(figure),
        file_name=f"{name}.png",
        mime="image/png",
        key=f"png_{key}",
        icon=":material/image:",
    )
    right.download_button(
        "Plaatje (SVG)",
        lambda: to_svg(figure),
        file_name=f"{name}.svg",
        mime="image/svg+xml",
        key=f"svg_{key}",
        icon=":material/draw:",
    )
