"""Page 'Perspectieven': one wijk in one round, per role side by side: where they agree, where they differ.

Everything shown comes from wijkmodel.analysis.perspectives; this page only picks the wijk and draws."""

import streamlit as st

from ui.charts import chart
from ui.context import require_round, unit_picker
from ui.messages import show_flash
from ui.resources import cached, cached_model
from wijkmodel.analysis.perspectives import (
    agreements,
    chart_title,
    differences,
    explanation,
    named_scores,
    perspectives_table,
    role_scores,
    single_role_message,
    talking_points,
)
from wijkmodel.analysis.views import to_csv_bytes
from wijkmodel.charts.cycle import perspectives_figure
from wijkmodel.storage.frames import unit_names
from wijkmodel.text.markdown import literal

model = cached_model()

st.title("Perspectieven")
st.write(
    "Hoe kijken de gemeente, het lokale team, de samenwerkingspartners en inwoners of jongeren naar dezelfde wijk? "
    "Hier ziet u per rol de scores naast elkaar. Waar de rollen een fase of meer verschillen, ligt een gesprekspunt."
)
show_flash()
ctx = require_round()
picked = unit_picker(ctx, label="Wijk (of de gemeente als geheel)")
if picked is None or ctx.round_id is None:
    st.stop()
assert picked is not None and ctx.round_id is not None
unit_id: int = picked
round_id: int = ctx.round_id

mp = ctx.profile()
frames = mp.frames
unit_name = unit_names(frames.units).get(unit_id, "")
key = (*ctx.cache_key(), unit_id)
scores = cached(
    "perspectives",
    key,
    lambda: role_scores(frames.respondents, frames.positions, frames.answers, unit_id, round_id, model, ctx.settings),
)

message = single_role_message(scores)
if message is not None:
    st.info(message, icon=":material/info:")
    st.stop()

diffs = cached("perspective_differences", key, lambda: differences(scores, model))
title = chart_title(unit_name, ctx.round_label or "–")

# full width, one under the other: beside each other, four role columns and the chart's key do not fit
chart(
    cached(
        "perspectives_figure",
        key,
        lambda: perspectives_figure(named_scores(scores, model), model, ctx.caption(), title),
    ),
    name=f"perspectieven-{ctx.round_label}",
    key="perspectives",
)
st.caption(
    "Elke rol heeft een eigen vorm. De grijze lijn loopt van de laagste naar de hoogste score: "
    "hoe langer de lijn, hoe meer de rollen verschillen."
)
table = cached("perspectives_table", key, lambda: perspectives_table(scores, diffs, model))
st.dataframe(table, width="stretch", height="content", placeholder="–")
st.download_button(
    "Tabel downloaden (CSV)",
    lambda: to_csv_bytes(table),
    file_name=f"perspectieven-{ctx.round_label}.csv",
    mime="text/csv",
)

st.header("Gesprekspunten")
points = talking_points(diffs)
if not points:
    st.write("Geen gesprekspunten: bij geen enkel onderdeel liggen de rollen een fase (25 punten) of meer uit elkaar.")
else:
    st.write(
        "Bij deze onderdelen liggen de rollen een fase (25 punten) of meer uit elkaar. Het grootste verschil staat "
        "bovenaan. Vraag elkaar: wat ziet de een dat de ander niet ziet?"
    )
    for point in points:
        with st.container(border=True):
            st.write(literal(point))

st.header("Waar zijn ze het over eens?")
agreed = agreements(scores, diffs)
if not agreed:
    st.write("Bij geen enkel onderdeel liggen de rollen minder dan een fase uit elkaar.")
else:
    st.write("Bij deze onderdelen liggen de scores van de rollen het dichtst bij elkaar:")
    st.markdown("\n".join(f"- {literal(sentence)}" for sentence in agreed))

with st.expander("Hoe is dit berekend?"):
    st.markdown("\n".join(f"- {line}" for line in explanation()))
