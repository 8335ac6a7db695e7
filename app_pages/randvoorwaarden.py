"""Page 'Randvoorwaarden': the five conditions of seed 002, answered for the municipality as a whole, saved at once."""

import streamlit as st

from ui.context import require_round
from ui.messages import show_flash
from ui.questions import question_widgets
from ui.resources import cached_model
from ui.saving import NO_ROLE_YET, Entry, save_answer_from
from ui.who import respondent_picker, who_line
from wijkmodel.analysis.conditions import NOT_YET, answered, condition_items, conditions_table, whole_unit
from wijkmodel.analysis.model_tables import citation_text
from wijkmodel.analysis.views import progress
from wijkmodel.storage.responses import answers_of
from wijkmodel.storage.tables import Answer
from wijkmodel.text.glossary import ANSWERED, explain

model = cached_model()
rv = model.randvoorwaarden

st.title("Randvoorwaarden")
st.write(
    "Wijkteams hebben passende randvoorwaarden nodig van de gemeente. Deze vragen gaan over de gemeente als "
    "geheel, niet over één wijk. Beantwoord ze per randvoorwaarde. Alles wordt meteen bewaard."
)
show_flash()
ctx = require_round()
mp = ctx.profile()
whole = whole_unit(mp)
if whole is None:
    st.info("Deze gemeente heeft nog geen ‘Gemeente als geheel’ om voor in te vullen.")
    st.stop()
assert whole is not None
st.caption("Voor: Gemeente als geheel")
who = respondent_picker()
if who is None:
    st.info(NO_ROLE_YET, icon=":material/person:")
    st.stop()
assert who is not None
role, label = who
st.caption(who_line(role, label))
entry = Entry(round_id=ctx.round_id, unit_id=whole, role=role, label=label)
stored: dict[str, Answer] = entry.stored(answers_of, {})


def on_change(question_id: str, field: str) -> None:
    save_answer_from(entry, model, question_id, "rvans", "rvnote", field)


current = {q.id: (stored[q.id].option_id if q.id in stored else None) for q in rv.instrument.questions}
done, total = progress(current, model, rv.instrument.id)
st.progress(done / total, text=f"{done} van {total} vragen beantwoord")

st.subheader("Scores van de gemeente als geheel (alle invullers samen)")
items = condition_items(mp, ctx.round_id, model)
if answered(items):
    st.dataframe(
        conditions_table(items),
        hide_index=True,
        width="stretch",
        placeholder="–",
        column_config={
            ANSWERED: st.column_config.TextColumn(help=explain(ANSWERED)),
            "Invullers": st.column_config.NumberColumn(help=explain("Invuller")),
        },
    )
else:
    st.write(NOT_YET)

with st.expander("Waar komen deze vragen vandaan?"):
    st.write(rv.instrument.description)
    st.caption(f"Bron: {model.source(rv.instrument.source).citation()}")

for condition in rv.conditions_ordered():
    questions = rv.questions_of(condition.id)
    n_answered = sum(1 for q in questions if current[q.id] is not None)
    with st.expander(f"{condition.number}. {condition.name}", expanded=False):
        st.caption(f"{n_answered} van {len(questions)} vragen beantwoord")
        st.markdown("**Wat zegt de bron?**")
        st.text(condition.text)
        st.markdown(f"**Dient het thema:** {model.theme(condition.theme).name}")
        st.write(condition.rationale)
        for q in questions:
            keys = entry.key("rvans", q.id), entry.key("rvnote", q.id)
            source = (
                f"Vraag gemaakt bij: {citation_text(model, q.source.source, q.source.location, q.source.passage)}"
                if q.source is not None
                else None
            )
            question_widgets(model, q, stored.get(q.id), keys, on_change, caption=source)
st.caption(f"Bron: {model.source(rv.instrument.source).citation()}")
