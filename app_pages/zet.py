"""Page 'ZET (praktijk)': per basic function the outcome of a ZET evaluation of a unit in a round, saved at once."""

from typing import Any

import streamlit as st
from sqlalchemy.orm import Session

from ui.browser_text import DATE_HELP
from ui.context import require_round, unit_picker
from ui.messages import show_flash
from ui.resources import cached_model, read
from ui.saving import save_edit, show_conflict, sync_widget
from wijkmodel.analysis.practice import SCORE_RULE, about_zet, scale_text
from wijkmodel.scoring.text import score_and_phase
from wijkmodel.storage.tables import ZetEvaluation
from wijkmodel.storage.zet import remove_zet, save_zet, zet_of, zet_score

model = cached_model()

st.title("ZET-uitkomsten (praktijk)")
about = about_zet(model)
st.write(about.text)
st.caption(f"‘{about.quote}’ Bron: {about.source}")
st.write(
    "Vul per basisfunctie de uitkomst van de ZET in. Gebruikt de ZET een eigen schaal, bijvoorbeeld 1 tot 5, "
    "vul dan de laagste en de hoogste waarde van die schaal in. Alles wordt meteen bewaard."
)
st.caption(f"Zo wordt de uitkomst een score van 0 tot 100: {SCORE_RULE}.")
show_flash()
ctx = require_round()
unit_id = unit_picker(ctx, label="Wijk (of de gemeente als geheel)")
if unit_id is None:
    st.stop()
assert unit_id is not None
unit: int = unit_id
round_id = ctx.round_id

FIELDS = ("value", "low", "high", "cases", "date", "note")


def key(field: str, bf_id: str) -> str:
    return f"zet_{field}_{round_id}_{unit}_{bf_id}"


def stored_values(row: ZetEvaluation | None) -> dict[str, Any]:
    if row is None:
        return {"value": None, "low": 0.0, "high": 100.0, "cases": None, "date": None, "note": ""}
    return {
        "value": row.value,
        "low": row.scale_min,
        "high": row.scale_max,
        "cases": row.cases,
        "date": row.evaluated_on,
        "note": row.note,
    }


# widget field → field of `save_zet` (a comment: a bare string would be shown on the page by magic)
COLUMN = {
    "value": "value",
    "low": "scale_min",
    "high": "scale_max",
    "cases": "cases",
    "date": "evaluated_on",
    "note": "note",
}


def on_change(bf_id: str, field: str) -> None:
    """Save one field of one basic function (a widget callback). A new outcome is saved with all its
    fields as the screen shows them, once its value is filled in; a stored one field by field."""
    values: dict[str, Any] = {COLUMN[f]: st.session_state.get(key(f, bf_id)) for f in FIELDS}
    values["note"] = values["note"] or ""
    has_row = st.session_state.get(f"_stored_{key('value', bf_id)}") is not None

    def write(session: Session, seen: Any) -> object:
        changed = values if not has_row else {COLUMN[field]: values[COLUMN[field]]}
        return save_zet(
            session=session,
            round_id=round_id,
            unit_id=unit,
            basic_function=bf_id,
            model=model,
            seen={COLUMN[field]: seen} if has_row else {"value": None},
            **changed,
        )

    save_edit(key(field, bf_id), write)


def on_remove(bf_id: str) -> None:
    """Remove the stored outcome of one basic function (the button under it)."""
    name = model.basic_function(bf_id).name

    def write(session: Session, seen: Any) -> object:
        remove_zet(session=session, round_id=round_id, unit_id=unit, basic_function=bf_id, model=model, seen_value=seen)
        return None

    save_edit(key("value", bf_id), write, success=f"ZET-uitkomst van {name} verwijderd.")


stored = read(lambda session: zet_of(session=session, round_id=round_id, unit_id=unit))
for bf in model.basic_functions_ordered():
    row = stored.get(bf.id)
    for field, value in stored_values(row).items():
        sync_widget(key(field, bf.id), value)
    with st.container(border=True):
        st.subheader(f"{bf.number}. {bf.name}")
        col_value, col_low, col_high, col_cases = st.columns(4)
        col_value.number_input(
            "Uitkomst",
            value=None,
            step=1.0,
            format="%g",  # 3.5, not 3.50: a ZET value has the digits it was given
            key=key("value", bf.id),
            on_change=on_change,
            args=(bf.id, "value"),
        )
        col_low.number_input(
            "Laagste waarde van de schaal",
            value=None,
            step=1.0,
            format="%g",
            key=key("low", bf.id),
            on_change=on_change,
            args=(bf.id, "low"),
        )
        col_high.number_input(
            "Hoogste waarde van de schaal",
            value=None,
            step=1.0,
            format="%g",
            key=key("high", bf.id),
            on_change=on_change,
            args=(bf.id, "high"),
        )
        col_cases.number_input(
            "Aantal casussen", value=None, step=1, key=key("cases", bf.id), on_change=on_change, args=(bf.id, "cases")
        )
        col_date, col_note = st.columns([1, 3])
        col_date.date_input(
            "Datum van de evaluatie",
            value=None,
            format="DD-MM-YYYY",
            help=DATE_HELP,
            key=key("date", bf.id),
            on_change=on_change,
            args=(bf.id, "date"),
        )
        # no max_chars: the browser would cut a long paste without a word; the save says it is too long
        col_note.text_input(
            "Toelichting (optioneel)", key=key("note", bf.id), on_change=on_change, args=(bf.id, "note")
        )
        for field in FIELDS:  # a colleague changed it since this screen showed it: both values, the choice
            show_conflict(key(field, bf.id))
        if row is None:
            st.caption("Nog geen uitkomst bewaard.")
        else:
            st.caption(
                f"Bewaard: {score_and_phase(zet_score(row.value, row.scale_min, row.scale_max))} op de schaal 0–100 "
                f"(uitkomst op de schaal {scale_text(row.scale_min, row.scale_max)})."
            )
            st.button(
                f"ZET-uitkomst van {bf.name} verwijderen",
                key=f"zet_remove_{round_id}_{unit}_{bf.id}",
                icon=":material/delete:",
                on_click=on_remove,
                args=(bf.id,),
            )
st.caption("Beleid (Quickscan) en praktijk (ZET) naast elkaar: zie de pagina Wijkprofiel.")
