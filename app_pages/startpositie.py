"""Page 'Startpositie': six sliders ("schuifjes") over the four phases, for a wijk or the municipality."""

import pandas as pd
import streamlit as st

from app_pages.common import cached_model, chart, require_round, save, show_flash, sync_widget, who_and_where
from wijkmodel.charts import phase_name
from wijkmodel.model_views import DERIVED_MARK
from wijkmodel.profile_charts import startpositie_figure
from wijkmodel.scoring import format_score, phase_of
from wijkmodel.store import positions_of, save_position
from wijkmodel.views import explanation, respondent_profile, unit_summary

model = cached_model()

st.title("Startpositie")
st.write(
    "Zet per thema het schuifje op de plek die past bij hoe het nu gaat. Naast het schuifje leest u "
    "wat die fase voor het thema betekent. Alles wordt meteen bewaard."
)
show_flash()
ctx = require_round()
entry = who_and_where(ctx)
stored = entry.stored(positions_of, {})
STEPS = [None, *range(0, 101, 5)]


def slider_label(value: int | None) -> str:
    return "nog niet geplaatst" if value is None else f"{value} · fase {int(phase_of(float(value)))}"


def on_change(theme_id: str) -> None:
    position = st.session_state[entry.key("pos", theme_id)]
    note = st.session_state.get(entry.key("note", theme_id), "")
    save(
        lambda s: save_position(
            session=s,
            respondent_id=entry.respondent_id(s),
            theme_id=theme_id,
            position=position,
            note=note,
            model=model,
        )
    )


live: dict[str, float | None] = {}
for theme in model.themes_ordered():
    row = stored.get(theme.id)
    pos_key, note_key = entry.key("pos", theme.id), entry.key("note", theme.id)
    # the slider moves in steps of 5; a value from elsewhere (import, another tool) snaps to the nearest step
    stored_value = None if row is None or row.position is None else 5 * round(row.position / 5)
    sync_widget(pos_key, stored_value)
    sync_widget(note_key, row.note if row else "")
    with st.container(border=True):
        left, right = st.columns([3, 2], gap="large")
        with left:
            value = st.select_slider(
                f"**{theme.order}. {theme.name}**",
                options=STEPS,
                format_func=slider_label,
                key=pos_key,
                on_change=on_change,
                args=(theme.id,),
                help="Schuif naar de fase die nu het best past. Helemaal links: nog niet geplaatst.",
            )
            st.text_area(
                "Waarom staan we hier?",
                key=note_key,
                on_change=on_change,
                args=(theme.id,),
                max_chars=5000,
                height=68,
            )
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
                if st.button("Klopt nog", key=entry.key("confirm", theme.id)):
                    on_change(theme.id)
                    st.rerun()
    live[theme.id] = value

own = respondent_profile(live, {}, model, "quickscan", ctx.settings)
own_overall = own.units.iloc[0]
unit_now = unit_summary(ctx.profile(), ctx.round_id, entry.unit_id)

st.header("Zo staat het nu")
col_own, col_unit = st.columns(2)
col_own.metric(
    f"Totaalfase volgens u ({ctx.settings.rule.label})",
    phase_name(model, own_overall["overall_phase"]),
    help=f"Score {format_score(own_overall['overall'])} van 100, uit {int(own_overall['themes_set'])} van 6 thema's.",
)
col_unit.metric(
    "Totaalfase van deze eenheid, alle respondenten samen",
    phase_name(model, unit_now["overall_phase"]),
    help=f"Score {format_score(unit_now['overall'])} van 100. Zie ook de pagina Wijkprofiel.",
)
chart_rows = pd.DataFrame(
    {
        "name": [t.name for t in model.themes_ordered()],
        "score": [own.items.loc[t.id, "score"] for t in model.themes_ordered()],
    }
)
fig = startpositie_figure(
    chart_rows, model, ctx.caption(), title=f"Startpositie · {entry.role}{' · ' + entry.label if entry.label else ''}"
)
chart(fig, name=f"startpositie-{ctx.round_label}", key="startpositie")
with st.expander("De tabel bij deze grafiek"):
    st.dataframe(
        chart_rows.assign(
            score=[format_score(v) for v in chart_rows["score"]],
            fase=[
                phase_name(model, phase_of(float(v))) if v == v else "nog niet geplaatst" for v in chart_rows["score"]
            ],
        ).rename(columns={"name": "Thema", "score": "Positie", "fase": "Fase"}),
        hide_index=True,
        width="stretch",
        placeholder="–",
    )
with st.expander("Hoe is dit berekend?"):
    for line in explanation(ctx.settings, model):
        st.markdown(f"- {line}")
