"""Presenteren on a beamer: one slide fills the window (1920x1080 and 1280x720 alike) without
scrolling, with 'Vorige' and 'Volgende' under it that the arrow keys and a presenter's clicker
(PageUp/PageDown) press too.

The page (app_pages/presenteren.py) builds the briefing and picks the slide from the address
(ui/address.py); this module lays the slide out. Heights are not known on the server, so the CSS
does the fitting: the main column is exactly one window high, title and navigation take what they
need, and the slide's body (the container `BODY`) takes the rest; a chart in it is drawn at the
height of that box (plotly lays the figure out again in it), text and tables are sized in vh."""

from __future__ import annotations

from typing import Any

import streamlit as st

from ui.address import put_slide_in_address
from wijkmodel.exports.slides import Slide
from wijkmodel.text.markdown import literal, literal_table

BODY = "dia_inhoud"
"""Key of the container that holds the slide's body: chart, points, table."""

PLOT_CONFIG = {"displayModeBar": False, "staticPlot": True}


def beamer_layout() -> None:
    """The page's CSS: the slide fills the window, nothing scrolls. Constant CSS of our own, never
    user content (tests/test_safe_output.py holds its exact text)."""
    st.html(
        """<style>
    .stMainBlockContainer { max-width: 100%; height: 100dvh; padding: 3.25rem 2.5rem 1rem; }
    .stMainBlockContainer > .stVerticalBlock { height: 100%; flex-wrap: nowrap; }
    div:has(> .st-key-dia_inhoud) { flex: 1 1 0 !important; height: auto !important; min-height: 0; }
    .st-key-dia_inhoud { height: 100%; overflow: hidden; }
    .st-key-dia_pageup, .st-key-dia_pagedown { display: none; }
    .stMainBlockContainer h1 { font-size: clamp(1.75rem, 5vh, 3.25rem); line-height: 1.2; padding: 0; }
    .stMainBlockContainer h2 { font-size: clamp(1.35rem, 3.6vh, 2.4rem); }
    .stMainBlockContainer h3 { font-size: clamp(1.2rem, 3vh, 2rem); padding-top: 0; }
    .stMainBlockContainer p, .stMainBlockContainer li { font-size: clamp(1rem, 2.6vh, 1.75rem); line-height: 1.4; }
    .stMainBlockContainer td, .stMainBlockContainer th { font-size: clamp(0.9rem, 2.2vh, 1.5rem); }
    .st-key-dia_navigatie p { font-size: clamp(0.85rem, 2vh, 1.2rem); }
    </style>"""
    )


def show_title_slide(title: str, subtitle: str, model_version: str) -> None:
    """Slide 1: the meeting's title; how to go on (keys and clicker)."""
    st.title(literal(title))
    with st.container(key=BODY, height=400, border=False):  # the height is the CSS's (beamer_layout)
        st.header(literal(subtitle))
        st.write(
            f"Volwassenheidsmodel wijkgericht werken, versie {literal(model_version)}.\n\n"
            "Naar de volgende dia: de pijltjestoets → of ‘Volgende’. Terug: ← of ‘Vorige’. "
            "Een presentatie-afstandsbediening werkt ook. Tip: zet de browser op volledig scherm (F11)."
        )


def show_slide(slide: Slide, figure: Any | None) -> None:
    """A slide of the briefing: its title, then its chart (with its points beside it), table or points.

    `figure` is the slide's figure made ready for the screen (None when the slide has none)."""
    st.title(literal(slide.title))
    with st.container(key=BODY, height=400, border=False):  # the height is the CSS's (beamer_layout)
        if figure is not None and slide.bullets:
            chart_col, points_col = st.columns([3, 2], gap="large")
            with chart_col:
                _chart(figure)
            with points_col:
                st.subheader("Gesprekspunten" if slide.key.startswith("profiel") else "Punten")
                _points(slide.bullets)
        elif figure is not None:
            _chart(figure)
        elif slide.table is not None:
            st.table(literal_table(slide.table.frame()).set_index(literal(slide.table.columns[0])))
        else:
            _points(slide.bullets)


def _chart(figure: Any) -> None:
    # height "stretch": the box's height, which the CSS sets from the window; theme=None: the chart
    # exactly as in the deck (Streamlit's theme would shrink the axis labels)
    st.plotly_chart(figure, width="stretch", height="stretch", config=PLOT_CONFIG, theme=None)


def _points(points: list[str]) -> None:
    st.markdown("\n".join(f"- {literal(point)}" for point in points))


def slide_navigation(index: int, total: int, where: str) -> None:
    """'Vorige', where we are ('Dia 3 van 27 · ...', `where` as markdown) and 'Volgende' in one row
    under the slide. → and ← press them, and so do PageDown and PageUp (what a presenter's clicker
    sends) through two buttons the CSS hides; Streamlit ignores these keys while a text field,
    list or slider has the focus. Each writes the new slide into the address."""

    def go(to: int) -> None:
        put_slide_in_address(max(0, min(total - 1, to)))

    first, last = index == 0, index == total - 1
    with st.container(key="dia_navigatie", horizontal=True, wrap=False, vertical_alignment="center"):
        st.button(
            "Vorige",
            on_click=go,
            args=(index - 1,),
            disabled=first,
            icon=":material/arrow_back:",
            shortcut="Left",
            key="dia_vorige",
        )
        st.caption(f"Dia {index + 1} van {total} · {where}", width="stretch", text_alignment="center")
        st.button(
            "Volgende",
            on_click=go,
            args=(index + 1,),
            disabled=last,
            icon=":material/arrow_forward:",
            shortcut="Right",
            key="dia_volgende",
        )
    # a clicker's keys: the same buttons once more, hidden (a button takes one key)
    st.button("Vorige dia", on_click=go, args=(index - 1,), disabled=first, shortcut="PageUp", key="dia_pageup")
    st.button("Volgende dia", on_click=go, args=(index + 1,), disabled=last, shortcut="PageDown", key="dia_pagedown")
