"""Presenteren on a beamer: one slide fills the window (1920x1080 and 1280x720 alike) without
scrolling, with 'Vorige' and 'Volgende' under it that the arrow keys and a presenter's clicker
(PageUp/PageDown) press too.

The page (app_pages/presenteren.py) builds the briefing and picks the slide from the address
(ui/address.py); this module lays the slide out. Heights are not known on the server, so the CSS
does the fitting: the main column is exactly one window high, title and navigation take what they
need, and the slide's body (the container `BODY`) takes the rest; a chart in it is drawn at the
height of that box (plotly lays the figure out again in it), text and tables are sized in vh."""

from __future__ import annotations

import contextlib
from typing import Any

import plotly.graph_objects as go
import streamlit as st

from ui.address import put_slide_in_address
from wijkmodel.charts.base import sized
from wijkmodel.exports.slides import Slide
from wijkmodel.text.markdown import literal, literal_table

BODY = "dia_inhoud"
"""Key of the container that holds the slide's body: chart, points, table."""

PLOT_CONFIG = {"displayModeBar": False, "staticPlot": True}


def beamer_layout() -> None:
    """The page's CSS: the slide fills the window, nothing scrolls. Constant CSS of our own, never
    user content (tests/test_safe_output.py holds its exact text).

    Text is sized in vh, so a slide looks the same at 1920x1080 and 1280x720 (and in vw on a
    narrower screen, 4:3, where the vh size would not fit the width). A chart's fonts are
    the figure's own (plotly lays the figure out again in its box), so each chart comes twice
    (`for_screens`) and the CSS shows the one for the window's height. (Scaling the whole slide
    down with CSS zoom or a transform does not work: Streamlit measures the chart's box as it is
    shown and would draw the chart smaller twice.)"""
    st.html(
        """<style>
    .stMainBlockContainer { max-width: 100%; height: 100dvh; padding: 3.25rem 2.5rem 1rem; }
    .stMainBlockContainer > .stVerticalBlock { height: 100%; flex-wrap: nowrap; }
    div:has(> .st-key-dia_inhoud), div:has(> .st-key-dia_grafiek), div:has(> .st-key-dia_punten),
    div:has(> .st-key-dia_groot), div:has(> .st-key-dia_klein) {
      flex: 1 1 0 !important; height: auto !important; min-height: 0; }
    @media (max-height: 820px) { div:has(> .st-key-dia_groot) { display: none !important; } }
    @media (min-height: 821px) { div:has(> .st-key-dia_klein) { display: none !important; } }
    .st-key-dia_inhoud [data-testid="stLayoutWrapper"]:has(> [data-testid="stHorizontalBlock"]) {
      flex: 1 1 0; min-height: 0; }
    .st-key-dia_inhoud [data-testid="stHorizontalBlock"], .st-key-dia_inhoud [data-testid="stColumn"] { height: 100%; }
    .st-key-dia_inhoud [data-testid="stColumn"] > .stVerticalBlock { height: 100%; }
    .st-key-dia_navigatie { overflow: visible; }
    .st-key-dia_pageup, .st-key-dia_pagedown { display: none; }
    .stMainBlockContainer h1 { font-size: clamp(1.75rem, min(4.6vh, 2.6vw), 3rem); line-height: 1.2; padding: 0; }
    .stMainBlockContainer h2 { font-size: clamp(1.35rem, min(3.4vh, 1.9vw), 2.25rem); }
    .stMainBlockContainer h3 { font-size: clamp(1.2rem, min(2.8vh, 1.6vw), 1.9rem); padding-top: 0; }
    .stMainBlockContainer p, .stMainBlockContainer li {
      font-size: clamp(1rem, min(2.4vh, 1.35vw), 1.6rem); line-height: 1.4; }
    .stMainBlockContainer td, .stMainBlockContainer th { font-size: clamp(0.9rem, min(2.1vh, 1.2vw), 1.4rem); }
    .st-key-dia_veel p, .st-key-dia_veel li {
      font-size: clamp(0.85rem, min(1.9vh, 1.07vw), 1.3rem); line-height: 1.35; }
    .st-key-dia_veel td, .st-key-dia_veel th {
      font-size: clamp(0.8rem, min(1.75vh, 0.98vw), 1.2rem); padding-top: 0.2rem; padding-bottom: 0.2rem; }
    .st-key-dia_navigatie p { font-size: clamp(0.85rem, min(1.9vh, 1.07vw), 1.2rem); }
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


LARGE = 1.35
"""Font factor of a chart on a window over 820 pixels high (1920x1080)."""
SMALL = 1.0
"""Font factor on a lower window (1280x720): about the same share of the screen as LARGE on 1080."""


def for_screens(figure: go.Figure) -> tuple[go.Figure, go.Figure]:
    """The slide's figure for a high window and for a low one (see `beamer_layout`)."""
    return sized(figure, 1200, 720, LARGE), sized(figure, 1200, 720, SMALL)


def show_slide(slide: Slide, figures: tuple[go.Figure, go.Figure] | None) -> None:
    """A slide of the briefing: its title, then its chart (with its points beside it), or its table
    (with its points under it), or its points.

    `figures`: the slide's figure made ready for the screen (`for_screens`), None without one. Much
    text (long points, a long table) is set smaller; what still does not fit scrolls inside the
    slide, never the page, so the navigation stays in view."""
    st.title(literal(slide.title))
    with st.container(key=BODY, height=400, border=False):  # the height is the CSS's (beamer_layout)
        if figures is not None and slide.bullets:
            chart_col, points_col = st.columns([3, 2], gap="large")
            with chart_col, st.container(key="dia_grafiek", height=400, border=False):
                _chart(figures)
            with points_col:
                st.subheader("Gesprekspunten" if slide.key.startswith("profiel") else "Punten")
                with st.container(key="dia_punten", height=400, border=False):
                    _points(slide.bullets, much=POINTS_BESIDE)
        elif figures is not None:
            _chart(figures)
        elif slide.table is not None:
            with _smaller(len(slide.table.rows) > TABLE_ROWS):
                st.table(literal_table(slide.table.frame()).set_index(literal(slide.table.columns[0])))
            if slide.bullets:
                _points(slide.bullets, much=POINTS_UNDER)
        else:
            _points(slide.bullets, much=POINTS_ALONE)


POINTS_BESIDE = 450
"""Characters of points beside a chart above which they are set smaller."""
POINTS_UNDER = 300
POINTS_ALONE = 1800
TABLE_ROWS = 12
"""Rows of a table above which it is set smaller (the deck puts 12 on a slide)."""


def _smaller(smaller: bool) -> Any:
    """A container whose text the CSS sets smaller (`dia_veel`), or one that changes nothing."""
    return st.container(key="dia_veel") if smaller else contextlib.nullcontext()


def _chart(figures: tuple[go.Figure, go.Figure]) -> None:
    # height "stretch": the box's height, which the CSS sets from the window; theme=None: the chart
    # exactly as in the deck (Streamlit's theme would shrink the axis labels)
    for key, figure in zip(("dia_groot", "dia_klein"), figures, strict=True):
        with st.container(key=key, height=400, border=False):  # the CSS shows one of the two
            st.plotly_chart(figure, width="stretch", height="stretch", config=PLOT_CONFIG, theme=None)


def _points(points: list[str], *, much: int) -> None:
    with _smaller(sum(len(point) for point in points) > much):
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
