"""Page 'Presenteren': one slide at a time, large, for a steering group on a beamer.

Only 'Vorige' and 'Volgende' on the slide; the parts and wijken are chosen in the sidebar. The slides
are the same as in the deck and the report (wijkmodel.exports.briefing)."""

import datetime as dt

import streamlit as st

from ui.briefing_choice import choose_parts_and_wijken
from ui.context import require_round
from ui.resources import cached, cached_model, read
from wijkmodel.charts.base import sized
from wijkmodel.exports.briefing import build_briefing
from wijkmodel.text.markdown import literal, literal_table
from wijkmodel.wijkdata.boundaries import load_geometries

model = cached_model()
ctx = require_round()
mp = ctx.profile()
with st.sidebar.expander("Onderdelen en wijken van de presentatie"):  # issue 16 item 5: the parts to show
    choice = choose_parts_and_wijken(mp, "presentation")
if not choice.complete:
    st.stop()
briefing_key = (*ctx.cache_key(), *choice.key())
briefing = cached(
    "briefing",
    briefing_key,
    lambda: build_briefing(
        mp,
        ctx.round_id,
        model,
        today=dt.date.today(),
        wijken=choice.wijken,
        geometries=read(lambda s: load_geometries(session=s, municipality_id=ctx.municipality_id)),
        parts=choice.parts,
    ),
)
total = len(briefing) + 1  # the title slide first

# Large type for the room; constant CSS of our own, never user content.
st.html(
    """<style>
    .stMainBlockContainer { max-width: 100%; padding-top: 3.5rem; }
    .stMainBlockContainer p, .stMainBlockContainer li { font-size: 1.4rem; line-height: 1.4; }
    .stMainBlockContainer td, .stMainBlockContainer th { font-size: 1.25rem; }
    </style>"""
)

index = min(st.session_state.get("slide", 0), total - 1)


def go(step: int) -> None:
    st.session_state["slide"] = max(0, min(total - 1, index + step))


nav_prev, nav_where, nav_next = st.columns([1, 4, 1], vertical_alignment="center")
nav_prev.button("Vorige", on_click=go, args=(-1,), disabled=index == 0, width="stretch", icon=":material/arrow_back:")
nav_next.button(
    "Volgende", on_click=go, args=(1,), disabled=index == total - 1, width="stretch", icon=":material/arrow_forward:"
)
nav_where.caption(
    f"Dia {index + 1} van {total} · {literal(briefing.municipality)} · ronde {literal(briefing.round_label)}"
)

if index == 0:
    st.title(literal(briefing.title))
    st.header(literal(briefing.subtitle))
    st.write(
        f"Volwassenheidsmodel wijkgericht werken, versie {briefing.model_version}. Gebruik ‘Volgende’ om door "
        "de dia's te gaan. Tip: klap de zijbalk in en zet de browser op volledig scherm (F11)."
    )
    st.stop()

# built only when shown (a profile per wijk: a thousand wijken would take minutes all at once)
slide = cached("presentation_slide", (*briefing_key, index), lambda: briefing.slide(index - 1))
st.title(literal(slide.title))
if slide.figure is not None:
    figure = cached("presentation_figure", (*briefing_key, slide.key), lambda: sized(slide.figure, 1200, 720, 1.35))
    if slide.bullets:
        chart_col, points_col = st.columns([3, 2], gap="large")
        # theme=None: the chart exactly as in the deck (Streamlit's theme would shrink the axis labels)
        chart_col.plotly_chart(
            figure, width="stretch", config={"displayModeBar": False, "staticPlot": True}, theme=None
        )
        with points_col:
            st.subheader("Gesprekspunten" if slide.key.startswith("profiel") else "Punten")
            st.markdown("\n".join(f"- {literal(point)}" for point in slide.bullets))
    else:
        st.plotly_chart(figure, width="stretch", config={"displayModeBar": False, "staticPlot": True}, theme=None)
elif slide.table is not None:
    st.table(literal_table(slide.table.frame()).set_index(literal(slide.table.columns[0])))
else:
    st.markdown("\n".join(f"- {literal(point)}" for point in slide.bullets))
