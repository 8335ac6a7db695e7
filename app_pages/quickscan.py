"""Page 'Quickscan': the 30 questions per basic function (and the 66 in-depth questions), saved at once."""

import pandas as pd
import streamlit as st

from ui.answer_tables import answer_grid
from ui.context import require_round, unit_steps
from ui.messages import show_flash
from ui.questions import question_widgets
from ui.resources import cached_model
from ui.saving import Entry, save_answer_from, who_and_where
from wijkmodel.analysis.answer_tables import answer_tables
from wijkmodel.analysis.dialogue import uncertainty_note
from wijkmodel.analysis.model_tables import question_groups
from wijkmodel.analysis.views import answer_counts, answered_line, counting_line, progress, respondent_profile
from wijkmodel.model.schema import GENERAL
from wijkmodel.scoring.text import format_score, phase_name
from wijkmodel.storage.responses import answers_of
from wijkmodel.storage.tables import Answer
from wijkmodel.text.glossary import ANSWERED

model = cached_model()

st.title("Quickscan")
st.write(
    "Beantwoord per basisfunctie de vragen over het beleid van uw gemeente. Weet u het niet, kies dan "
    "‘Weet niet’. Past een vraag niet, kies ‘Niet van toepassing’. Alles wordt meteen bewaard."
)
ctx = require_round()
entry = who_and_where(ctx)

INSTRUMENTS = {
    "quickscan": f"Quickscan ({len(model.quickscan.questions)} vragen)",
    "in_depth": f"Verdiepende vragen ({len(model.in_depth.questions)} vragen)",
}
instrument_id = st.radio(
    "Vragenlijst", list(INSTRUMENTS), format_func=lambda k: INSTRUMENTS[k], horizontal=True, key="instrument"
)
instrument = model.instrument(instrument_id)

VIEWS = {"vraag": "Per vraag, met uitleg", "tabel": "Snel invullen: een tabel per basisfunctie"}
view = st.radio("Hoe vult u in?", list(VIEWS), format_func=VIEWS.__getitem__, horizontal=True, key="answer_view")


@st.fragment
def answers_and_scores(entry: Entry, instrument_id: str, view: str) -> None:
    """Progress, scores and the questions. A fragment: an answer reruns this part only (not the
    sidebar and the pickers), and the scores are read fresh."""
    show_flash()  # the retry of a save the database could not take (here: an answer reruns only this part)
    stored: dict[str, Answer] = entry.stored(answers_of, {})

    def on_change(question_id: str, field: str) -> None:
        save_answer_from(entry, model, question_id, "ans", "qnote", field)

    current = {q.id: (stored[q.id].option_id if q.id in stored else None) for q in instrument.questions}
    done, total = progress(current, model, instrument_id)
    st.progress(done / total, text=answered_line(answer_counts(current, model, instrument_id)))

    live = respondent_profile({}, current, model, instrument_id, ctx.settings).items
    bfs = model.basic_functions_ordered()
    st.subheader("Uw scores per basisfunctie")
    for column, bf in zip(st.columns(len(bfs)), bfs, strict=True):
        row = live.loc[bf.id]
        coverage = row["coverage"]
        column.metric(
            f"Basisfunctie {bf.number}",
            "–" if row["score"] != row["score"] else f"{format_score(row['score'])}",
            help=f"{phase_name(model, row['phase'])}; deel beantwoord {format_score(coverage * 100)}%",
            border=True,
        )
        column.caption(
            f"**{bf.name}** · {phase_name(model, row['phase'])} · "
            + counting_line(answer_counts(current, model, instrument_id, bf.id))
            + uncertainty_note(coverage, instrument_id)
        )
    with st.expander("De tabel bij deze scores"):
        st.dataframe(
            pd.DataFrame(
                {
                    "Basisfunctie": [bf.name for bf in bfs],
                    "Score": [format_score(live.loc[bf.id, "score"]) for bf in bfs],
                    "Fase": [phase_name(model, live.loc[bf.id, "phase"]) for bf in bfs],
                    ANSWERED: [f"{format_score(live.loc[bf.id, 'coverage'] * 100)}%" for bf in bfs],
                }
            ),
            hide_index=True,
            width="stretch",
            placeholder="–",
        )

    if view == "tabel":
        shown = {qid: (row.option_id, row.note) for qid, row in stored.items()}
        for heading, tables in answer_tables(model, instrument_id, shown):
            st.subheader(heading)
            for table in tables:
                answer_grid(table, model, entry)
        return
    for group, heading in question_groups(model, instrument_id):
        questions = [q for q in instrument.questions if q.basic_function == group]
        answered = sum(1 for q in questions if current[q.id] is not None)
        # a stable label: a label that changed with every answer would close the group after each click
        with st.expander(heading, expanded=False):
            st.caption(f"{answered} van {len(questions)} vragen beantwoord")
            if group != GENERAL:
                bf = model.basic_function(group)
                st.markdown("**Wat is het?**")
                st.write(bf.quickscan_description if instrument_id == "quickscan" else bf.description)
                st.markdown("**Waarom is dit belangrijk?**")
                st.write(bf.ratio)
            for q in questions:
                keys = entry.key("ans", q.id), entry.key("qnote", q.id)
                question_widgets(model, q, stored.get(q.id), keys, on_change, caption=q.explanation)


answers_and_scores(entry, instrument_id, view)
unit_steps(ctx, entry.unit_id)
st.caption(f"Bron: {model.source(instrument.source).citation()}")
