"""Page 'Voortgang': what changed between two rounds, what rose and fell most, and the trend."""

import pandas as pd
import streamlit as st

from ui.charts import chart
from ui.context import require_round, unit_picker
from ui.messages import show_flash
from ui.resources import cached, cached_model
from wijkmodel.analysis.progress import (
    biggest_moves,
    changes_table,
    item_change_frame,
    overall_changes,
    round_changes,
    trend_table,
)
from wijkmodel.analysis.summary import AGGREGATE_UNIT, aggregate_name
from wijkmodel.analysis.views import item_names, to_csv_bytes
from wijkmodel.charts.cycle import progress_figure, trend_figure
from wijkmodel.scoring.text import format_score
from wijkmodel.storage.frames import unit_names
from wijkmodel.text.markdown import literal

model = cached_model()

st.title("Voortgang")
st.write(
    "Wat is er veranderd sinds de vorige ronde? Kies twee rondes. De open cirkel is de eerste ronde, "
    "de ruit de tweede. Onderaan ziet u het verloop over alle rondes."
)
show_flash()
ctx = require_round()
mp = ctx.profile()
rounds = mp.frames.rounds
if len(rounds) < 2:
    st.info("Voor voortgang zijn minstens twee rondes nodig. Maak een nieuwe ronde aan op de pagina Start.")
    st.stop()

labels = dict(zip(rounds["round"], rounds["label"].astype(str), strict=True))
ids = list(rounds["round"])
now = ids.index(ctx.round_id) if ctx.round_id in ids else len(ids) - 1
col_a, col_b = st.columns(2)
before = col_a.selectbox(
    "Van ronde",
    ids,
    index=max(now - 1, 0),
    format_func=lambda r: labels[r],
    key="progress_from",
    placeholder="Kies een ronde",
)
after = col_b.selectbox(
    "Naar ronde",
    ids,
    index=max(now, 1),
    format_func=lambda r: labels[r],
    key="progress_to",
    placeholder="Kies een ronde",
)
if before == after:
    st.warning("Kies twee verschillende rondes.")
    st.stop()

names = unit_names(mp.frames.units)
items = item_names(model)
unit_ids = [int(u) for u in mp.frames.units.sort_values("name")["unit"]]
key = (*ctx.cache_key(), before, after)
changes = cached("progress_changes", key, lambda: round_changes(mp.profile.items, before, after))

st.header(f"Totaalscore per wijk: ronde {literal(labels[before])} en {literal(labels[after])}")


def overall_frame() -> pd.DataFrame:
    out = overall_changes(mp.profile.units, before, after, unit_ids)
    out.index = [names[u] for u in out.index]
    return out.dropna(subset=["before", "after"], how="all").sort_values("after", ascending=False)


overall = cached("progress_overall_frame", key, overall_frame)
chart_col, table_col = st.columns([3, 2], gap="medium")
with chart_col:
    chart(
        cached(
            "progress_overall",
            key,
            lambda: progress_figure(
                overall,
                model,
                ctx.caption(),
                f"Totaalscore ({ctx.settings.rule.label}) in ronde {labels[before]} en {labels[after]}",
                labels[before],
                labels[after],
            ),
        ),
        name=f"voortgang-{labels[before]}-{labels[after]}",
        key="progress_overall",
    )
with table_col:
    shown = cached(
        "progress_overall_table",
        key,
        lambda: changes_table(
            overall.reset_index(names="unit").assign(item="", delta=overall["delta"].to_numpy()),
            {},
            {"": "Totaalscore"},
            (labels[before], labels[after]),
        ).drop(columns="Onderdeel"),
    )
    st.dataframe(shown, hide_index=True, width="stretch", placeholder="–")

st.header("Wat steeg en wat daalde het meest")
rose, fell = cached(
    "progress_moves",
    key,
    lambda: tuple(changes_table(m, names, items, (labels[before], labels[after])) for m in biggest_moves(changes, n=8)),
)
up_col, down_col = st.columns(2)
with up_col:
    st.subheader("Gestegen")
    if rose.empty:
        st.write("Niets is gestegen.")
    else:
        st.dataframe(rose, hide_index=True, placeholder="–")
with down_col:
    st.subheader("Gedaald")
    if fell.empty:
        st.write("Niets is gedaald.")
    else:
        st.dataframe(fell, hide_index=True, placeholder="–")
st.download_button(
    "Alle veranderingen downloaden (CSV)",
    lambda: to_csv_bytes(changes_table(changes, names, items, (labels[before], labels[after])).set_index("Wijk")),
    file_name=f"veranderingen-{labels[before]}-{labels[after]}.csv",
    mime="text/csv",
)

st.header("Per wijk: elk thema en elke basisfunctie")
picked = unit_picker(ctx, label="Wijk (of de gemeente als geheel)")
if picked is None:
    st.stop()
unit_id: int = picked
unit_key = (*key, unit_id)
frame = cached("progress_unit_frame", unit_key, lambda: item_change_frame(changes, unit_id, items))
if frame.empty:
    st.info(f"{literal(names[unit_id])} heeft in deze twee rondes nog geen scores.")
else:
    chart_col, table_col = st.columns([3, 2], gap="medium")
    with chart_col:
        chart(
            cached(
                "progress_unit_figure",
                unit_key,
                lambda: progress_figure(
                    frame,
                    model,
                    ctx.caption(),
                    f"{names[unit_id]}: ronde {labels[before]} en {labels[after]}",
                    labels[before],
                    labels[after],
                ),
            ),
            name=f"voortgang-{names[unit_id]}",
            key="progress_unit",
        )
    with table_col:
        mine = cached(
            "progress_unit_table",
            unit_key,
            lambda: changes_table(
                changes[changes["unit"] == unit_id], names, items, (labels[before], labels[after])
            ).drop(columns="Wijk"),
        )
        st.dataframe(mine, hide_index=True, width="stretch", height=440, placeholder="–")

st.header("Verloop over alle rondes")
measures = {"overall": f"Totaalscore ({ctx.settings.rule.label})", **items}
measure = st.selectbox(
    "Wat wilt u volgen?",
    list(measures),
    format_func=lambda m: measures[m],
    key="progress_measure",
    placeholder="Kies wat u volgt",
)
series = {
    names[unit_id]: (mp.profile.units, unit_id),
    aggregate_name(ctx.settings): (mp.aggregate, AGGREGATE_UNIT),
}
trend_key = (*unit_key, measure)
trend = cached("progress_trend", trend_key, lambda: trend_table(series, rounds, column=measure))
chart_col, table_col = st.columns([3, 2], gap="medium")
with chart_col:
    chart(
        cached(
            "progress_trend_figure",
            trend_key,
            lambda: trend_figure(
                trend,
                model,
                ctx.caption(),
                f"{measures[measure]} per ronde: {names[unit_id]} naast het gemiddelde van de wijken",
            ),
        ),
        name=f"verloop-{names[unit_id]}",
        key="progress_trend",
    )
with table_col:
    st.dataframe(
        cached("progress_trend_table", trend_key, lambda: trend.map(format_score)), width="stretch", placeholder="–"
    )
