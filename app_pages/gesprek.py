"""Page 'Gesprek': the in-depth questions one at a time, in large type, for a session with partners.

A note (and, if wanted, an answer) per question, saved at once; at the end a summary of all notes
per basic function, to download as text or Excel. Everything shown comes from wijkmodel.analysis.dialogue."""

import streamlit as st

from ui.context import require_round
from ui.messages import show_flash
from ui.resources import cached_model, read
from ui.saving import save_answer_from, show_conflict, sync_widget, who_and_where
from wijkmodel.analysis.dialogue import (
    EMPTY_GROUP,
    INSTRUMENT,
    NO_NOTE,
    TITLE,
    file_stem,
    group_starts,
    notes_summary,
    position_text,
    questions_source,
    session_line,
    steps,
    summary_by_group,
    summary_counts,
    summary_text,
    summary_xlsx,
)
from wijkmodel.analysis.model_tables import guidance_source, question_groups
from wijkmodel.storage.responses import answers_of
from wijkmodel.storage.tables import Answer
from wijkmodel.storage.wijken import units

model = cached_model()
STEPS = steps(model)
TOTAL = len(STEPS)
STARTS = group_starts(model)
SUMMARY = "samenvatting"
GROUPS = {**dict(question_groups(model, INSTRUMENT)), SUMMARY: "Samenvatting van alle aantekeningen"}

st.title(TITLE)
st.write(
    "Bespreek de vragen één voor één met uw partners en schrijf op wat er gezegd wordt. Een antwoord kiezen "
    "hoeft niet. Alles wordt meteen bewaard. Aan het eind staat een samenvatting per basisfunctie."
)
show_flash()
ctx = require_round()
entry = who_and_where(ctx)
usage = model.guidance_text("verdiepend_gebruik")
with st.expander(usage.title, expanded=True):
    st.write(usage.text)
    st.caption(guidance_source(model, usage.id))

# Large type for the room; constant CSS of our own, never user content.
st.html(
    """<style>
    .stMainBlockContainer { padding-top: 3rem; }
    .st-key-dialogue_question h2 { font-size: 2.2rem; line-height: 1.3; font-weight: 600; }
    .st-key-dialogue_question p, .st-key-dialogue_question label p { font-size: 1.2rem; }
    .st-key-dialogue_question textarea { font-size: 1.2rem; line-height: 1.5; }
    </style>"""
)

# Where the session is: a question index, or the summary. Plain state, not widget state, so
# buttons can change it in their callbacks; the group picker is set from it before it is drawn.
st.session_state.setdefault("dialogue_index", 0)
st.session_state.setdefault("dialogue_summary", False)
index = min(st.session_state["dialogue_index"], TOTAL - 1)
at_summary = bool(st.session_state["dialogue_summary"])


def go(step: int) -> None:
    if at_summary:
        st.session_state["dialogue_summary"] = step > 0
    elif index + step >= TOTAL:
        st.session_state["dialogue_summary"] = True
    else:
        st.session_state["dialogue_index"] = max(0, index + step)


def open_summary() -> None:
    st.session_state["dialogue_summary"] = True


def jump() -> None:
    group = st.session_state["dialogue_group"]
    st.session_state["dialogue_summary"] = group == SUMMARY
    if group != SUMMARY:
        st.session_state["dialogue_index"] = STARTS[group]


st.session_state["dialogue_group"] = SUMMARY if at_summary else STEPS[index].group
nav_prev, nav_where, nav_summary, nav_next = st.columns([1, 3, 1, 1], vertical_alignment="center")
nav_prev.button(
    "Vorige",
    on_click=go,
    args=(-1,),
    disabled=index == 0 and not at_summary,
    width="stretch",
    icon=":material/arrow_back:",
)
nav_where.selectbox(
    "Ga naar een onderdeel",
    list(GROUPS),
    format_func=lambda g: GROUPS[g],
    key="dialogue_group",
    on_change=jump,
    placeholder="Kies een onderdeel",
    label_visibility="collapsed",
)
nav_summary.button(
    "Samenvatting", on_click=open_summary, disabled=at_summary, width="stretch", icon=":material/summarize:"
)
nav_next.button(
    "Volgende", on_click=go, args=(1,), disabled=at_summary, width="stretch", icon=":material/arrow_forward:"
)

no_answers: dict[str, Answer] = {}
stored = entry.stored(answers_of, no_answers)


def on_change(question_id: str, field: str) -> None:
    save_answer_from(entry, model, question_id, "dlg_ans", "dlg_note", field)


if not at_summary:
    step = STEPS[index]
    q = step.question
    with st.container(key="dialogue_question"):
        st.caption(f"{position_text(index, TOTAL)} · {step.heading}")
        st.header(q.text, anchor=False)
        if q.explanation:
            st.write(q.explanation)
        row = stored.get(q.id)
        ans_key, note_key = entry.key("dlg_ans", q.id), entry.key("dlg_note", q.id)
        sync_widget(ans_key, row.option_id if row else None)
        sync_widget(note_key, row.note if row else "")
        labels = {o.id: o.label for o in model.question_scale(q).ordered()}
        st.radio(
            "Antwoord (optioneel)",
            list(labels),
            format_func=labels.__getitem__,
            index=None,
            horizontal=True,
            key=ans_key,
            on_change=on_change,
            args=(q.id, "option"),
        )
        show_conflict(ans_key)
        st.text_area(
            "Aantekening bij deze vraag",
            key=note_key,
            on_change=on_change,
            args=(q.id, "note"),
            height=180,
            placeholder="Wat zeggen de partners? Wat gaat goed, wat kan beter, wat spreken we af?",
        )
        show_conflict(note_key)
        if row is not None and row.carried_over:
            st.caption("Overgenomen uit de vorige ronde: pas het aan of kies opnieuw om het vast te leggen.")
    st.caption(questions_source(model))
    st.stop()

# --- the summary -------------------------------------------------------------------------------
unit_name = next(
    u.name for u in read(lambda s: units(session=s, municipality_id=ctx.municipality_id)) if u.id == entry.unit_id
)
round_label = ctx.round_label or "–"
subtitle = session_line(ctx.municipality, unit_name, round_label, entry.role, entry.label)
summary = notes_summary(stored, model)

st.header("Samenvatting", anchor=False)
st.text(subtitle)  # names typed by users: plain text
st.write(summary_counts(summary, model))
stem = file_stem(ctx.municipality, unit_name, round_label)
downloads = st.container(horizontal=True)
downloads.download_button(
    "Samenvatting (.txt)",
    summary_text(stored, model, subtitle=subtitle).encode("utf-8"),
    file_name=f"{stem}.txt",
    mime="text/plain",
    icon=":material/description:",
)
downloads.download_button(
    "Samenvatting (.xlsx)",
    lambda: summary_xlsx(stored, model),
    file_name=f"{stem}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    icon=":material/table:",
)
for heading, rows in summary_by_group(summary, model):
    st.subheader(heading, anchor=False)
    if rows.empty:
        st.caption(EMPTY_GROUP)
    for nr, question, answer, note in rows.itertuples(index=False):
        st.markdown(f"**{nr}. {question}**")  # question text from the model, never user text
        if answer:
            st.caption(f"Antwoord: {answer}")
        st.text(note or NO_NOTE)
st.caption(questions_source(model))
