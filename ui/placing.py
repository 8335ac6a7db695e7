"""The table of all wijken × the six themes on Startpositie: a phase per cell, by keyboard from cell
to cell (arrows or Tab, Enter, the phase's number, Enter), each change saved at once.

A fragment: a change reruns only the table and its count, not the page. Streamlit keeps a keyed editor
with fixed rows (and its edits) across value changes, so the cursor stays where it was; when a colleague
changed a cell this editor still holds an edit of, the editor is made anew with the stored values."""

from __future__ import annotations

import streamlit as st
from sqlalchemy.orm import Session

from ui.context import Context
from ui.editor import steady
from ui.messages import show_flash
from ui.places import Place
from ui.resources import read
from ui.saving import save, tell
from wijkmodel.analysis.placing import (
    UNIT_COLUMN,
    PlacingTable,
    changed_cells,
    phase_choices,
    phase_key,
    placed_count,
    placing_table,
    theme_column,
    theme_help,
    theme_key,
)
from wijkmodel.model.schema import MaturityModel
from wijkmodel.storage.responses import get_or_create_respondent, positions_by_unit, save_position
from wijkmodel.storage.tables import UnitKind
from wijkmodel.storage.wijken import units


@st.fragment
def placing_grid(ctx: Context[int], model: MaturityModel, role: str, label: str) -> None:
    """The table for whoever fills in (`role`, `label`) in the context's round."""
    rows = read(lambda s: units(session=s, municipality_id=ctx.municipality_id))
    # the wijken first, as people fill them in; the municipality as a whole last
    ordered = [(u.id, u.name) for u in rows if u.kind == UnitKind.WIJK] + [
        (u.id, u.name) for u in rows if u.kind != UnitKind.WIJK
    ]
    positions = read(lambda s: positions_by_unit(session=s, round_id=ctx.round_id, role=role, label=label))
    table = placing_table(model, ordered, positions)
    base = f"placing_{ctx.round_id}_{role}_{label}"
    key, first = steady(base, table.frame)
    st.session_state[f"_table_{key}"] = table  # what is stored now, for the callback
    show_flash()  # (here: a change reruns only this part of the page)
    st.caption(theme_key(model))
    st.caption(phase_key(model))
    st.data_editor(
        first,
        key=key,
        num_rows="fixed",
        hide_index=True,
        disabled=[UNIT_COLUMN],
        column_config={
            UNIT_COLUMN: st.column_config.TextColumn("Wijk", pinned=True, width=150),
            **{
                t.id: st.column_config.SelectboxColumn(
                    theme_column(t.order), options=phase_choices(model), help=theme_help(model, t.id), width=105
                )
                for t in model.themes_ordered()
            },
        },
        on_change=_save_cells,
        args=(key, model, ctx.round_id, role, label),
        placeholder="–",
    )
    show_flash(where=PLACING)  # a refusal of the last change, right under the table
    placed, total = placed_count(table)
    st.caption(
        f"{placed} van {total} rijen helemaal ingevuld (alle zes thema's). "
        "Een lege cel is nog niet geplaatst. Met de pijltjes gaat u naar een cel; Enter opent hem, typ het nummer "
        "van de fase en druk op Enter: dat bewaart en gaat naar de volgende wijk. Zo vult u een thema voor alle "
        "wijken in."
    )


def _save_cells(key: str, model: MaturityModel, round_id: int, role: str, label: str) -> None:
    table: PlacingTable = st.session_state[f"_table_{key}"]
    try:
        changes = changed_cells(model, table, st.session_state[key].get("edited_rows", {}))
    except ValueError:
        tell(PLACING, ["Kies in de tabel een van de vier fasen, of maak de cel leeg."])
        return

    def write(session: Session) -> None:
        for change in changes:
            respondent = get_or_create_respondent(
                session=session, round_id=round_id, unit_id=change.unit_id, role=role, label=label
            )
            save_position(
                session=session,
                respondent_id=respondent.id,
                theme_id=change.theme_id,
                model=model,
                position=change.position,
                seen_position=change.seen,
            )

    if changes:  # a colleague's newer value is refused (Conflict) and shown: the editor is made anew
        save(write, where=PLACING)  # with the stored values on the next run (see _holds_stale_edits)


PLACING = Place("placing_table")
