"""The baseline of `scripts/bench_sliders.py`: a bare Streamlit page with the widgets of Startpositie.

Six select sliders with the app's steps and labels, a note under each, the phase text beside it and
the Startpositie chart; no database, no sidebar, no saving: the values live in session state only.
What a slider move costs here is what Streamlit itself costs for that page.

    .venv/bin/python -m streamlit run scripts/bench_sliders_bare.py   # from the repository's root

With WIJKMODEL_BENCH_FREEZE=1 it also does what the app does once per server process
(ui/resources.py `freeze_startup_heap`): the like-for-like baseline the benchmark reports beside
Streamlit's defaults.
"""

from __future__ import annotations

import datetime as dt
import gc
import os

import pandas as pd
import streamlit as st

from wijkmodel.charts.base import Caption
from wijkmodel.charts.profile import startpositie_figure
from wijkmodel.model.loader import load_model
from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.core import phase_of
from wijkmodel.scoring.slider import slider_label, slider_options

START = [35, 50, 20, 65, 80, None]
"""Where the six sliders start: every phase, and one not placed."""


@st.cache_resource
def model() -> MaturityModel:
    return load_model()


st.set_page_config(page_title="bench", layout="wide")  # the app's width, so the chart is as wide
st.title("Startpositie")
themes = model().themes_ordered()
for theme, start in zip(themes, START, strict=True):
    st.session_state.setdefault(f"pos_{theme.id}", start)

values: list[float | None] = []
for theme in themes:
    with st.container(border=True):
        left, right = st.columns([3, 2], gap="large")
        with left:
            value = st.select_slider(
                f"**{theme.order}. {theme.name}**",
                options=slider_options(None),
                format_func=slider_label,
                key=f"pos_{theme.id}",
                help="Schuif naar de fase die nu het best past. Helemaal links: nog niet geplaatst.",
            )
            st.text_area("Waarom staan we hier?", key=f"note_{theme.id}", height=68)
        with right:
            if value is None:
                st.markdown("**Nog niet geplaatst**")
                st.caption("Zet het schuifje om de beschrijving van de fase te zien.")
            else:
                phase = int(phase_of(float(value)))
                st.markdown(f"**Fase {phase} · {model().phase(phase).name}**")
                st.write(theme.descriptor(phase).text)
    values.append(value)

rows = pd.DataFrame(
    {"name": [t.name for t in themes], "score": [float("nan") if v is None else float(v) for v in values]}
)
caption = Caption(municipality="Bench", round_label="2026", rule_label="gemiddelde", date=dt.date.today())
st.plotly_chart(
    startpositie_figure(rows, model(), caption, title="Startpositie · bench"),
    width="stretch",
    config={"displayModeBar": False},
)


@st.cache_resource
def _freeze_startup_heap() -> bool:
    gc.collect()
    gc.freeze()
    return True


if os.environ.get("WIJKMODEL_BENCH_FREEZE") == "1":
    _freeze_startup_heap()
