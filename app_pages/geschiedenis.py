"""Page 'Geschiedenis': every kept change (when, which role, old → new), of one wijk or of all, newest first.

Everything shown comes from wijkmodel.storage.history; text typed by users is shown as plain table cells only."""

import streamlit as st

from ui.context import require_round
from ui.messages import show_flash
from ui.resources import read
from wijkmodel.analysis.views import to_csv_bytes, to_xlsx_bytes
from wijkmodel.storage.history import MAX_SHOWN, SHOWN_COLUMNS, count_text, history, history_table, kinds
from wijkmodel.storage.wijken import units

ALL_UNITS = 0  # the choice 'Alle wijken en de gemeente' (unit ids start at 1)
ALL_KINDS = "Alles"
# widths in pixels: at 1440 pixels wide every column fits, and subject, old and new value get the room
WIDTHS = dict(zip(SHOWN_COLUMNS.values(), [115, 115, 50, 105, 145, 85, 140, 95, 95], strict=True))
WHEN = SHOWN_COLUMNS["at"]

st.title("Geschiedenis")
st.write(
    "Elke wijziging wordt bewaard: wanneer, door welke rol, en wat de oude en de nieuwe waarde waren. "
    "Niets wordt overschreven zonder dat het hier te zien is. De tijd is Nederlandse tijd."
)
show_flash()
ctx = require_round()

unit_rows = read(lambda session: units(session=session, municipality_id=ctx.municipality_id))
names = {u.id: u.name for u in unit_rows}
unit_options = [ALL_UNITS, *names]
col_unit, col_kind = st.columns([1, 1])
with col_unit:
    unit_choice = st.selectbox(
        "Wijk",
        unit_options,
        format_func=lambda i: "Alle wijken en de gemeente" if i == ALL_UNITS else names[i],
        key="history_unit",
        placeholder="Kies een wijk",
        help="Keuzes voor de hele gemeente, zoals kernkeuzes en nieuwe rondes, staan bij ‘Alle wijken en de gemeente’.",
    )
changes = read(
    lambda session: history(
        session=session, municipality_id=ctx.municipality_id, unit_id=None if unit_choice == ALL_UNITS else unit_choice
    )
)
kind_options = [ALL_KINDS, *kinds(changes)]
kind_key = f"history_kind_{unit_choice}"  # other wijken have other kinds of change
with col_kind:
    kind = st.selectbox("Wat is er veranderd?", kind_options, key=kind_key, placeholder="Kies een soort wijziging")

table = history_table(changes, None if kind == ALL_KINDS else kind)
summary = count_text(len(table))
if table.empty:
    st.info(summary, icon=":material/info:")
    st.stop()

st.write(summary)
st.dataframe(
    table.head(MAX_SHOWN),
    hide_index=True,
    width="stretch",
    height=560,
    column_config={
        name: st.column_config.TextColumn(
            "Wanneer" if name == WHEN else name,  # short on screen; the downloads keep the full header
            width=w,
            help="Nederlandse tijd (zomer- en wintertijd)" if name == WHEN else None,
        )
        for name, w in WIDTHS.items()
    },
    placeholder="–",
)

download = table.set_index(WHEN)
left, right, _ = st.columns([1, 1, 2])
left.download_button(
    "Download deze lijst (CSV)",
    lambda: to_csv_bytes(download),
    file_name="geschiedenis.csv",
    mime="text/csv",
    icon=":material/download:",
)
right.download_button(
    "Download deze lijst (Excel)",
    lambda: to_xlsx_bytes(download, sheet="Geschiedenis"),
    file_name="geschiedenis.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    icon=":material/download:",
)
