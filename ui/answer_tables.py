"""The questions of a questionnaire as compact tables (Quickscan, 'Snel invullen'): by keyboard from
cell to cell (Enter, type the first letters of the answer, Enter), each change saved at once.

As ui/placing.py: keyed editors with fixed rows keep their cursor across saves; one that still holds
an edit a colleague has since changed is made anew with the stored values."""

from __future__ import annotations

from typing import Any

import streamlit as st
from sqlalchemy.orm import Session

from ui.editor import steady
from ui.places import Place
from ui.saving import Entry, placed_messages, save, show_placed, tell
from wijkmodel.analysis.answer_tables import ANSWER, NOTE, NUMBER, QUESTION, AnswerTable, answer_changes
from wijkmodel.model.schema import MaturityModel
from wijkmodel.storage.responses import save_answer

ROW = 84
HEADER = 38  # the header row and the borders


def answer_grid(table: AnswerTable, model: MaturityModel, entry: Entry) -> None:
    """One table: its questions, an answer column with the answers of their scale, a note column."""
    base = entry.key("grid", table.key)
    key, first = steady(base, table.frame)
    st.session_state[f"_table_{key}"] = table
    if table.heading:
        st.caption(table.heading)
    st.data_editor(
        first,
        key=key,
        num_rows="fixed",
        hide_index=True,
        disabled=[NUMBER, QUESTION],
        row_height=ROW,  # above 4rem Streamlit wraps the text of a cell: the question is read in full
        height=ROW * len(table.question_ids) + HEADER,  # every question in view, no scrolling inside
        column_config={
            NUMBER: st.column_config.NumberColumn("Nr", width=40, pinned=True),
            QUESTION: st.column_config.TextColumn("Vraag", width="large"),
            ANSWER: st.column_config.SelectboxColumn("Antwoord", options=table.answers, width="medium"),
            NOTE: st.column_config.TextColumn("Toelichting (optioneel)", width="medium"),
        },
        on_change=_save_cells,
        args=(key, model, entry),
        placeholder="–",
    )
    place = Place(key)
    flash = placed_messages().pop(place.key, None)
    if flash is not None:  # a refusal of the last change, right under its table
        show_placed(flash, toast=True)


def _save_cells(key: str, model: MaturityModel, entry: Entry) -> None:
    table: AnswerTable = st.session_state[f"_table_{key}"]
    place = Place(key)
    try:
        changes = answer_changes(model, table, st.session_state[key].get("edited_rows", {}))
    except ValueError:
        tell(place, [f"Kies een van de antwoorden bij de vraag: {', '.join(table.answers)}."])
        return

    def write(session: Session) -> None:
        respondent_id = entry.respondent_id(session)
        for change in changes:
            fields: dict[str, Any] = (
                {"option_id": change.value, "seen_option": change.seen}
                if change.field == "option"
                else {"note": change.value, "seen_note": change.seen}
            )
            save_answer(
                session=session, respondent_id=respondent_id, question_id=change.question_id, model=model, **fields
            )

    if changes:  # a colleague's newer answer is refused and shown; the table is then made anew
        save(write, where=place)
