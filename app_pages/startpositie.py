"""Page 'Startpositie': six sliders ("schuifjes") over the four phases, for a wijk or the municipality;
or all wijken × the six themes in one table (ui/placing.py)."""

from typing import Any

import streamlit as st
from sqlalchemy.orm import Session

from ui.charts import chart
from ui.context import Context, require_round, unit_steps
from ui.messages import show_flash
from ui.placing import placing_grid
from ui.resources import cached_model, read
from ui.saving import NO_ROLE_YET, Entry, save_edit, show_conflict, sync_widget, who_and_where
from ui.who import respondent_picker, who_line
from wijkmodel.analysis.model_tables import DERIVED_MARK
from wijkmodel.analysis.summary import theme_total, theme_total_rows, theme_total_table, unit_theme_total_now
from wijkmodel.analysis.views import explanation
from wijkmodel.charts.profile import startpositie_figure
from wijkmodel.scoring.core import phase_of
from wijkmodel.scoring.slider import slider_label, slider_options, slider_value
from wijkmodel.scoring.text import format_score, phase_label, phase_name
from wijkmodel.storage.responses import positions_of, save_position
from wijkmodel.storage.tables import ThemePosition

model = cached_model()

st.title("Startpositie")
ctx = require_round()
VIEWS = {"wijk": "Per wijk, met de beschrijving van elke fase", "tabel": "Alle wijken in één tabel"}
view = st.radio("Hoe vult u in?", list(VIEWS), format_func=VIEWS.__getitem__, horizontal=True, key="placing_view")

if view == "tabel":
    st.write(
        "Kies per wijk en thema de fase die nu het best past. Wat een fase voor een thema betekent, ziet u "
        "bij het vraagteken in de kop van de kolom. Elke wijziging wordt meteen bewaard."
    )
    who = respondent_picker()
    if who is None:
        st.info(NO_ROLE_YET, icon=":material/person:")
        st.stop()
    assert who is not None
    st.caption(who_line(*who))
    placing_grid(ctx, model, *who)
    st.stop()

st.write(
    "Zet per thema het schuifje op de plek die past bij hoe het nu gaat. Naast het schuifje leest u "
    "wat die fase voor het thema betekent. Alles wordt meteen bewaard."
)
entry = who_and_where(ctx)


def on_change(who: Entry, theme_id: str, field: str) -> None:
    """Save the one thing the user changed: the position ("pos") or the note ("note")."""
    key = who.key(field, theme_id)
    value = st.session_state.get(key, "" if field == "note" else None)

    def write(session: Session, seen: Any) -> object:
        fields = {"position": value, "seen_position": seen} if field == "pos" else {"note": value, "seen_note": seen}
        return save_position(
            session=session, respondent_id=who.respondent_id(session), theme_id=theme_id, model=model, **fields
        )

    save_edit(key, write)


@st.fragment
def sliders_and_totals(ctx: Context[int], entry: Entry) -> None:
    """The six sliders and what they add up to. A fragment: a move reruns this part only (the
    sidebar, the pickers and the rest of the page stay), and the totals are read fresh."""
    show_flash()  # the retry of a save the database could not take (here: a move reruns only this part)
    stored: dict[str, ThemePosition] = entry.stored(positions_of, {})
    live: dict[str, float | None] = {}
    for theme in model.themes_ordered():
        row = stored.get(theme.id)
        pos_key, note_key = entry.key("pos", theme.id), entry.key("note", theme.id)
        # shown exactly as stored (a value from a backup or the CLI is among the steps, never snapped)
        stored_value = slider_value(row.position if row is not None else None)
        sync_widget(pos_key, stored_value)
        sync_widget(note_key, row.note if row else "")
        with st.container(border=True):
            left, right = st.columns([3, 2], gap="large")
            with left:
                value = st.select_slider(
                    f"**{theme.order}. {theme.name}**",
                    options=slider_options(stored_value),
                    format_func=slider_label,
                    key=pos_key,
                    on_change=on_change,
                    args=(entry, theme.id, "pos"),
                    help="Schuif naar de fase die nu het best past. Helemaal links: nog niet geplaatst.",
                )
                show_conflict(pos_key)
                # no max_chars: the browser would cut a long paste without a word; the save says it is too long
                st.text_area(
                    "Waarom staan we hier?",
                    key=note_key,
                    on_change=on_change,
                    args=(entry, theme.id, "note"),
                    height=68,
                )
                show_conflict(note_key)
            with right:
                if value is None:
                    st.markdown("**Nog niet geplaatst**")
                    st.caption("Zet het schuifje om de beschrijving van de fase te zien.")
                else:
                    phase = int(phase_of(float(value)))
                    descriptor = theme.descriptor(phase)
                    st.markdown(f"**Fase {phase} · {model.phase(phase).name}**")
                    st.write(descriptor.text + (DERIVED_MARK if descriptor.derived else ""))
                if row is not None and row.carried_over:
                    st.caption("Overgenomen uit de vorige ronde: verschuif of bevestig om hem vast te leggen.")
                    st.button(
                        "Klopt nog",
                        key=entry.key("confirm", theme.id),
                        on_click=on_change,
                        args=(entry, theme.id, "pos"),
                    )
        live[theme.id] = value

    own = theme_total(live, model, ctx.settings)
    unit_now = read(
        lambda s: unit_theme_total_now(
            session=s, round_id=ctx.round_id, unit_id=entry.unit_id, model=model, settings=ctx.settings
        )
    )
    st.header("Zo staat het nu")
    col_own, col_unit = st.columns(2)
    # the phase's number as the metric (a metric cuts a long value off), its name in full below it
    col_own.metric(
        f"Totaalfase volgens u ({ctx.settings.rule.label})",
        phase_label(own.overall),
        help=f"Score {format_score(own.overall)} van 100, uit {own.themes_set} van 6 thema's.",
        border=True,
    )
    col_own.caption(phase_name(model, own.overall_phase))
    col_unit.metric(
        "Totaalfase van deze wijk, iedereen die invulde samen",
        phase_label(unit_now.overall),
        help=f"Score {format_score(unit_now.overall)} van 100. Zie ook de pagina Wijkprofiel.",
        border=True,
    )
    col_unit.caption(phase_name(model, unit_now.overall_phase))
    chart_rows = theme_total_rows(own, model)
    fig = startpositie_figure(
        chart_rows,
        model,
        ctx.caption(),
        title=f"Startpositie · {entry.role}{' · ' + entry.label if entry.label else ''}",
    )
    chart(fig, name=f"startpositie-{ctx.round_label}", key="startpositie")
    with st.expander("De tabel bij deze grafiek"):
        st.table(theme_total_table(own, model))


sliders_and_totals(ctx, entry)
unit_steps(ctx, entry.unit_id)
with st.expander("Hoe is dit berekend?"):
    for line in explanation(ctx.settings, model):
        st.markdown(f"- {line}")
