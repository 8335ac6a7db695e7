"""Page 'Streefwaarden': a target per theme and basic function of a wijk, and the gap to it."""

from functools import partial

import streamlit as st
from sqlalchemy.orm import Session

from ui.charts import chart
from ui.context import require_round, unit_picker
from ui.messages import show_flash
from ui.places import TARGETS
from ui.resources import cached_model
from ui.saving import save
from wijkmodel.charts.cycle import gap_figure
from wijkmodel.cycle.targets import gaps, gaps_table, save_target, set_energy, target_cells, target_rows
from wijkmodel.storage.frames import unit_names
from wijkmodel.text.markdown import literal

model = cached_model()

st.title("Streefwaarden")
st.write(
    "Waar wilt u naartoe? Vul per thema of basisfunctie een streefwaarde in (0 tot 100, dezelfde schaal als de "
    "schuifjes: elke 25 punten is een fase) en wanneer u die wilt halen. Vink aan in welke thema's energie zit. "
    "Alles wordt meteen bewaard."
)
show_flash()
ctx = require_round()
picked = unit_picker(ctx, label="Wijk (of de gemeente als geheel)")
if picked is None:
    st.stop()
unit_id: int = picked
assert ctx.round_id is not None

mp = ctx.profile()
unit_name = unit_names(mp.frames.units).get(unit_id, "")
rows = target_rows(mp.frames.targets, mp.frames.energy, unit_id, model)
ROW_PX = 35  # Streamlit's row height, set explicitly so the height below fits every row exactly
editor_key = f"targets_{unit_id}_{ctx.revision}"  # a fresh editor after every save shows what is stored


def save_cells(session: Session, item: str, value: object, when: object) -> object:
    position, day = target_cells(value, when)
    return save_target(session=session, unit_id=unit_id, item_id=item, position=position, target_date=day, model=model)


def save_energy(session: Session, item: str, marked: bool) -> None:
    set_energy(session=session, unit_id=unit_id, theme_id=item, marked=marked, model=model)


def on_edit() -> None:
    edits = st.session_state[editor_key]["edited_rows"]
    for index, change in edits.items():
        row = rows.iloc[int(index)]
        item = str(row["item"])
        if "Energie" in change and row["Soort"] == "thema":
            save(partial(save_energy, item=item, marked=bool(change["Energie"])), where=TARGETS)
        if "Streefwaarde" in change or "Streefdatum" in change:
            value = change.get("Streefwaarde", row["Streefwaarde"])
            when = change.get("Streefdatum", row["Streefdatum"])
            save(  # the cells are read inside the save, so odd input gets the Dutch message too
                partial(save_cells, item=item, value=value, when=when),
                success="Streefwaarde bewaard.",
                where=TARGETS,
            )


st.data_editor(
    rows,
    key=editor_key,
    on_change=on_edit,
    hide_index=True,
    width="stretch",
    disabled=["Onderdeel", "Soort"],
    row_height=ROW_PX,
    height=ROW_PX * (len(rows) + 1) + 3,  # every row in view, no inner scrolling
    column_order=["Onderdeel", "Soort", "Streefwaarde", "Streefdatum", "Energie"],
    column_config={
        "Streefwaarde": st.column_config.NumberColumn(
            "Streefwaarde (0–100)", min_value=0, max_value=100, step=5, help="Leeg laten: geen streefwaarde."
        ),
        "Streefdatum": st.column_config.DateColumn("Streefdatum", format="DD-MM-YYYY"),
        "Energie": st.column_config.CheckboxColumn(
            "Hier zit energie in", help="Alleen bij thema's: begin waar al beweging is (stap 4 van de publicatie)."
        ),
    },
    placeholder="",
)
show_flash(where=TARGETS)

st.header(f"Afstand tot de streefwaarde in ronde {literal(ctx.round_label)}")
gap_rows = gaps(mp.profile.items, mp.frames.targets, unit_id, ctx.round_id, model)
if gap_rows.empty:
    st.info("Nog geen streefwaarden voor deze wijk. Vul ze hierboven in.")
    st.stop()
chart_col, table_col = st.columns([3, 2], gap="medium")
with chart_col:
    chart(
        gap_figure(gap_rows, model, ctx.caption(), f"{unit_name}: nu en de streefwaarde, grootste afstand bovenaan"),
        name=f"streefwaarden-{unit_name}",
        key="gaps",
    )
with table_col:
    st.dataframe(gaps_table(gap_rows), hide_index=True, width="stretch", placeholder="–")
st.caption("De open cirkel is de score nu; de ruit is de streefwaarde. Wat het verst weg ligt, staat bovenaan.")
