"""One question of a questionnaire on a page: its text, its answers on its own scale, its note."""

from collections.abc import Callable

import streamlit as st

from ui.saving import show_conflict, sync_widget
from wijkmodel.model.schema import MaturityModel, Question
from wijkmodel.scoring.text import polarity_hint
from wijkmodel.storage.tables import Answer


def question_widgets(
    model: MaturityModel,
    q: Question,
    row: Answer | None,
    keys: tuple[str, str],
    on_change: Callable[[str, str], None],
    caption: str | None = None,
) -> None:
    """Draw `q` with its stored answer `row`: the text, `caption` under it (an explanation or a
    source), the polarity hint where it could surprise, the answers of the question's own scale,
    and the note; each saved at once by `on_change(question_id, field)`. `keys` are the answer's
    and the note's widget keys."""
    ans_key, note_key = keys
    sync_widget(ans_key, row.option_id if row else None)
    sync_widget(note_key, row.note if row else "")
    st.markdown(f"**{q.number}. {q.text}**")
    if caption:
        st.caption(caption)
    if hint := polarity_hint(q):
        st.caption(hint)
    labels = {o.id: o.label for o in model.question_scale(q).ordered()}
    st.radio(
        f"Antwoord op vraag {q.number} ({q.id})",
        list(labels),
        format_func=labels.__getitem__,
        index=None,
        horizontal=True,
        key=ans_key,
        on_change=on_change,
        args=(q.id, "option"),
        label_visibility="collapsed",
    )
    show_conflict(ans_key)
    if row is not None and row.carried_over:
        st.caption("Overgenomen uit de vorige ronde: kies opnieuw om het vast te leggen.")
    # no max_chars: the browser would cut a long paste without a word; the save says it is too long
    st.text_input(
        f"Toelichting bij vraag {q.number} (optioneel)", key=note_key, on_change=on_change, args=(q.id, "note")
    )
    show_conflict(note_key)
    st.divider()
