"""Page 'Wijkanalyse': the map of the municipality and the priority matrix (step 1: where to start)."""

from typing import Any

import streamlit as st
from sqlalchemy.orm import Session

from ui.charts import chart
from ui.context import require_round
from ui.messages import show_flash
from ui.resources import cached, cached_model, read
from ui.saving import save_edit, show_conflict, sync_widget
from wijkmodel.analysis.model_tables import guidance_source
from wijkmodel.analysis.priority import priority_explanation, priority_for_round, priority_table, priority_title
from wijkmodel.analysis.views import first_step, first_step_note, slug
from wijkmodel.analysis.wijk_analysis import (
    default_need,
    indicator_sources,
    indicator_table,
    lower_is_more_need,
    map_choices,
)
from wijkmodel.charts.map import analysis_map
from wijkmodel.charts.priority import priority_figure
from wijkmodel.model.indicators import indicator_label, indicator_names
from wijkmodel.storage.analysis_mark import analysis_mark, save_analysis_mark
from wijkmodel.text.glossary import explain
from wijkmodel.text.markdown import literal
from wijkmodel.wijkdata.boundaries import load_geometries

model = cached_model()

st.title("Wijkanalyse")
st.write(
    "Stap 1: waar staat elke wijk, en waar is de nood het hoogst? De kaart kleurt de wijken naar fase of "
    "naar een kerncijfer. De prioriteitenmatrix zet nood naast volwassenheid: zo ziet u waar u het best "
    "kunt beginnen. Kerncijfers en grenzen leest u in op de pagina Wijkdata."
)
show_flash()
ctx = require_round()
assert ctx.round_id is not None
round_id = ctx.round_id
mp = ctx.profile()
key = ctx.cache_key()
geometries = cached(
    "geometries", key, lambda: read(lambda s: load_geometries(session=s, municipality_id=ctx.municipality_id))
)

st.header("Kaart", divider="gray")
choices = map_choices(model, mp.frames.indicators)
labels = {c.key: c.label for c in choices}
if not geometries:
    st.info("Er zijn nog geen grenzen van de wijken. Lees een kaartbestand met de grenzen in op de pagina Wijkdata.")
else:
    shown = st.selectbox(
        "Wat kleurt de kaart?",
        list(labels),
        format_func=labels.__getitem__,
        key="map_choice",
        placeholder="Kies wat de kaart kleurt",
    )
    figure = cached(
        "analysis_map",
        (*key, shown),
        lambda: analysis_map(mp, round_id, shown, geometries, model, ctx.caption()),
    )
    chart(figure, name=slug("kaart", ctx.municipality, labels[shown]), key="wijkkaart")


def priority_matrix(names: list[str]) -> None:
    """The priority matrix of one need indicator, with the wijken in order."""
    default = names.index(default_need(mp.frames.indicators) or names[0])
    left, right = st.columns([2, 1])
    with left:
        need = st.selectbox(
            "Welk kerncijfer laat de nood zien?",
            names,
            index=default,
            format_func=indicator_label,
            key="need_indicator",
            help=explain("Kerncijfer"),
            placeholder="Kies een kerncijfer",
        )
    with right:
        lower = st.toggle(
            "Lager is meer nood (bijvoorbeeld inkomen)", value=lower_is_more_need(need), key=f"lower_{need}"
        )
    matrix = cached(
        "priority", (*key, need, lower), lambda: priority_for_round(mp, round_id, need, higher_is_more_need=not lower)
    )
    figure = cached(
        "priority_figure",
        (*key, need, lower),
        lambda: priority_figure(matrix, model, ctx.caption(), priority_title(matrix)),
    )
    chart(figure, name=slug("prioriteiten", ctx.municipality, indicator_label(need)), key="prioriteiten")
    st.subheader("De wijken op volgorde", divider="gray")
    st.dataframe(priority_table(matrix, model), hide_index=True, placeholder="–")
    with st.expander("Hoe is dit berekend?"):
        # the lines name the indicator and its source, both from an import: shown as typed
        st.markdown("\n".join(f"- {literal(line)}" for line in priority_explanation(matrix, ctx.settings.rule.label)))

    st.header("Kerncijfers per wijk", divider="gray")
    st.dataframe(
        cached("indicator_table", key, lambda: indicator_table(mp, round_id)), hide_index=True, placeholder="–"
    )
    st.caption(literal(indicator_sources(mp, round_id)))


st.header("Waar beginnen we?", divider="gray")
names = indicator_names(mp.frames.indicators)
if names:
    priority_matrix(names)
else:
    st.info("Er zijn nog geen kerncijfers. Lees ze in op de pagina Wijkdata; dan verschijnt hier de matrix.")

# --- step 1 as the publication describes it: talk about the figures, then mark the step done ------
st.header("Ga in gesprek over de cijfers", divider="gray")
talk = model.guidance_text("stap1_gesprek")
st.write(talk.text)
st.caption(guidance_source(model, talk.id))

st.subheader("Stap 1 afvinken")
mark = analysis_mark(mp.frames.analysis_marks, round_id)
st.write(first_step_note(first_step(mp, round_id)))
note_key, done_key = f"analysis_note_{round_id}", f"analysis_done_{round_id}"


def on_mark(field: str) -> None:
    """Save the one thing the user changed: the note ("note") or the tick ("done")."""
    key = note_key if field == "note" else done_key
    value = st.session_state.get(key)

    def write(session: Session, seen: Any) -> object:
        if field == "note":
            return save_analysis_mark(session=session, round_id=round_id, note=str(value or ""), seen_note=seen)
        return save_analysis_mark(session=session, round_id=round_id, done=bool(value), seen_done=seen)

    save_edit(key, write)


sync_widget(note_key, mark.note)
sync_widget(done_key, mark.done)
# no max_chars: the browser would cut a long paste without a word; the save says it is too long
st.text_area(
    "Wat hebben we gedaan? Bijvoorbeeld welke gesprekken u voerde.", key=note_key, on_change=on_mark, args=("note",)
)
show_conflict(note_key)
st.checkbox(
    "Stap 1 is klaar",
    key=done_key,
    on_change=on_mark,
    args=("done",),
    disabled=not mark.note.strip() and not mark.done,
    help="Schrijf eerst op wat u hebt gedaan; dan kunt u stap 1 afvinken.",
)
show_conflict(done_key)
