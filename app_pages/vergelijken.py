"""Page 'Vergelijken': wijken side by side: heatmap, radar, ranking and small multiples, each with its table."""

import hashlib

import pandas as pd
import streamlit as st

from ui.charts import chart
from ui.context import require_round
from ui.messages import show_flash
from ui.resources import cached, cached_model
from wijkmodel.analysis.conditions import conditions_comparison
from wijkmodel.analysis.summary import aggregate_name
from wijkmodel.analysis.views import comparison_display, comparison_scores, sort_table, to_csv_bytes, to_xlsx_bytes
from wijkmodel.analysis.wijk_analysis import indicator_sources, with_indicators
from wijkmodel.charts.comparison import heatmap_figure, radar_figure, ranking_figure, small_multiples_figure
from wijkmodel.cycle.targets import targets_wide
from wijkmodel.storage.frames import unit_names, unit_order
from wijkmodel.text.markdown import literal

MAX_SMALL_MULTIPLES = 24

model = cached_model()

st.title("Vergelijken")
show_flash()
ctx = require_round()

mp = ctx.profile()
units = mp.frames.units
names = unit_names(units)
order = unit_order(units)
all_units = st.toggle("Alle wijken vergelijken", value=True, key="compare_all")
chosen = (
    order
    if all_units
    else st.multiselect(
        "Welke wijken?",
        order,
        default=order[: min(8, len(order))],
        format_func=lambda u: names[u],
        key="compare_units",
        placeholder="Kies een of meer wijken",
    )
)
with_aggregate = st.checkbox(f"Toon ook: {aggregate_name(ctx.settings)}", value=True, key="compare_aggregate")
if not chosen:
    st.info("Kies minstens één wijk.")
    st.stop()

# a short fingerprint of the chosen wijken keeps every cache key small, however many wijken there are
chosen_id = "alle" if all_units else hashlib.sha256(repr(list(chosen)).encode()).hexdigest()[:16]
key = (*ctx.cache_key(), chosen_id, with_aggregate)
table = cached(
    "table", key, lambda: comparison_scores(mp, ctx.round_id, model, chosen, include_aggregate=with_aggregate)
)
caption = ctx.caption()


def downloads(frame: pd.DataFrame, stem: str, key: str) -> None:
    left, right = st.columns(2)
    left.download_button(
        "Download CSV", lambda: to_csv_bytes(frame), file_name=f"{stem}.csv", mime="text/csv", key=f"{key}_csv"
    )
    right.download_button(
        "Download Excel",
        lambda: to_xlsx_bytes(frame, sheet=stem),  # built only when clicked
        file_name=f"{stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx",
    )


# --- heatmap -------------------------------------------------------------------------------------
st.header("Alle wijken in één overzicht")
sort_options = ["Naam", *table.columns]
col_sort, col_dir = st.columns([2, 1])
sort_by = col_sort.selectbox("Sorteer op", sort_options, key="compare_sort", placeholder="Kies waarop u sorteert")
descending = col_dir.radio("Volgorde", ["Hoog naar laag", "Laag naar hoog"], horizontal=True, key="compare_dir")
sorted_table = sort_table(table, None if sort_by == "Naam" else sort_by, descending == "Hoog naar laag")
heat_key = (*key, sort_by, descending)
chart(
    cached(
        "heatmap", heat_key, lambda: heatmap_figure(sorted_table, model, caption, "Scores per wijk, gekleurd naar fase")
    ),
    name="vergelijking",
    key="heatmap",
)
show_indicators = bool(len(mp.frames.indicators)) and st.toggle(
    "Kerncijfers in de tabel tonen", value=True, key="compare_indicators"
)
display = cached(
    "heatmap_table",
    (*heat_key, show_indicators),
    lambda: (
        with_indicators(comparison_display(sorted_table), mp, ctx.round_id)
        if show_indicators
        else comparison_display(sorted_table)
    ),
)
st.dataframe(display, width="stretch", placeholder="–")
if show_indicators:
    st.caption(f"Kerncijfers: het laatste jaar tot en met de ronde. {literal(indicator_sources(mp, ctx.round_id))}")
downloads(display, "vergelijking", "heat")

# --- radar ---------------------------------------------------------------------------------------
st.header("Profielen over elkaar")
radar_rows = st.multiselect(
    "Kies tot zes wijken",
    list(table.index),
    default=list(table.index)[:6],
    max_selections=6,
    key="compare_radar",
    placeholder="Kies een of meer wijken",
)
wanted = targets_wide(mp.frames.targets, names, model)
show_targets = st.toggle(
    "Streefwaarden tonen",
    value=False,
    disabled=wanted.empty,
    help="Pagina Streefwaarden: een open ruit per streefwaarde.",
)
if radar_rows:
    radar_table = table.loc[radar_rows]
    chart_col, table_col = st.columns([3, 2], gap="large")
    radar_key = (*key, tuple(radar_rows), show_targets)
    with chart_col:
        chart(
            cached(
                "radar",
                radar_key,
                lambda: radar_figure(
                    radar_table, model, caption, "Profielen vergeleken", targets=wanted if show_targets else None
                ),
            ),
            name="profielen",
            key="radar",
        )
    with table_col:
        radar_display = cached("radar_table", radar_key, lambda: comparison_display(radar_table).T)
        st.dataframe(radar_display, width="stretch", height=480, placeholder="–")
        downloads(radar_display, "profielen", "radar")

# --- ranking -------------------------------------------------------------------------------------
st.header("Rangorde op één onderdeel")
item = st.selectbox("Onderdeel", list(table.columns), key="compare_item", placeholder="Kies een onderdeel")
ranking = table[item].sort_values(ascending=False)
chart_col, table_col = st.columns([3, 2], gap="large")
with chart_col:
    chart(
        cached("ranking", (*key, item), lambda: ranking_figure(ranking, model, caption, f"Rangorde: {item}")),
        name="rangorde",
        key="ranking",
    )
with table_col:
    ranking_table = cached("ranking_table", (*key, item), lambda: comparison_display(ranking.to_frame()))
    st.dataframe(ranking_table, width="stretch", placeholder="–")
    downloads(ranking_table, "rangorde", "rank")

# --- small multiples -------------------------------------------------------------------------------
st.header("Eén klein profiel per wijk")
multiples = table.iloc[:MAX_SMALL_MULTIPLES]
if len(table) > MAX_SMALL_MULTIPLES:
    st.caption(
        f"De eerste {MAX_SMALL_MULTIPLES} van {len(table)} wijken; kies hierboven minder wijken om andere te zien."
    )
chart(
    cached(
        "small_multiples",
        key,
        lambda: small_multiples_figure(
            multiples, model, caption, "Kleine profielen (van boven naar beneden: thema's, dan basisfuncties)"
        ),
    ),
    name="kleine-profielen",
    key="multiples",
)
st.caption("De getallen bij deze kleine profielen staan in de tabel onder ‘Alle wijken in één overzicht’.")

# --- randvoorwaarden (the municipality as a whole) ------------------------------------------------
st.header("Randvoorwaarden van de gemeente als geheel")
st.write(
    "Elke randvoorwaarde naast het thema dat zij dient (gemeente als geheel, deze ronde), en haar score per ronde. "
    "Vul ze in op de pagina Randvoorwaarden."
)
conditions = cached("conditions", key, lambda: conditions_comparison(mp, ctx.round_id, model))
st.dataframe(conditions, hide_index=True, width="stretch", placeholder="–")
downloads(conditions.set_index("Randvoorwaarde"), "randvoorwaarden", "conditions")
