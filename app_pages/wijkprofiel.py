"""Page 'Wijkprofiel': one wijk's themes and basic functions on one scale, with its talking points."""

import streamlit as st

from ui.charts import chart
from ui.context import require_round, unit_picker
from ui.messages import show_flash
from ui.resources import cached_model
from wijkmodel.analysis.conditions import NOT_YET, answered, condition_items, conditions_table, is_whole
from wijkmodel.analysis.practice import (
    WHERE_TO_ENTER,
    has_practice,
    policy_and_practice,
    practice_points,
    practice_table,
)
from wijkmodel.analysis.views import (
    explanation,
    profile_items,
    profile_table,
    talking_points_table,
    to_csv_bytes,
    unit_summary,
)
from wijkmodel.analysis.wijk_analysis import unit_indicators
from wijkmodel.charts.profile import profile_figure
from wijkmodel.cycle.core_choices import core_choice_table
from wijkmodel.cycle.targets import targets_by_label
from wijkmodel.scoring.text import format_score, phase_name
from wijkmodel.storage.frames import unit_names
from wijkmodel.text.glossary import ANSWERED, COMBINED, RANGE, explain

model = cached_model()

st.title("Wijkprofiel")
show_flash()
ctx = require_round()
unit_id = unit_picker(ctx, label="Wijk (of de gemeente als geheel)")
if unit_id is None:
    st.stop()

mp = ctx.profile()
names = unit_names(mp.frames.units)
unit_name = str(names.get(unit_id, ""))
summary = unit_summary(mp, ctx.round_id, unit_id)
items = profile_items(mp, ctx.round_id, unit_id, model)

col1, col2, col3 = st.columns(3)
overall_phase = summary["overall_phase"]
combined = summary["combined"]
col1.metric(
    f"Totaalfase ({ctx.settings.rule.label})",
    "–" if overall_phase != overall_phase else f"Fase {int(overall_phase)}",
    help=f"{explain('Totaalfase')} Hier: score {format_score(summary['overall'])} van 100, uit "
    f"{int(summary['themes_set'])} van 6 thema's.",
    border=True,
)
col1.caption(phase_name(model, overall_phase))
col2.metric(f"{COMBINED} (0–100)", format_score(combined), help=explain(COMBINED), border=True)
col2.caption(phase_name(model, summary["combined_phase"]))
col3.metric("Thema's geplaatst", f"{int(summary['themes_set'])} van 6", border=True)

title = f"Profiel van {unit_name}"
# the chart gets the larger share: at 1280 px, half the width left its phase names on top of each other
chart_col, table_col = st.columns([3, 2], gap="medium")
with chart_col:
    targets = targets_by_label(mp.frames.targets, unit_id, model)
    chart(
        profile_figure(items, model, ctx.caption(), title, targets=targets),
        name=f"wijkprofiel-{ctx.round_label}",
        key="profile",
    )
    st.caption(
        "De zwarte streepjes tonen het verschil tussen de antwoorden: de laagste en de hoogste score van de "
        "mensen die invulden."
        + (" De open ruit is de streefwaarde (pagina Streefwaarden)." if not targets.empty else "")
    )
with table_col:
    table = profile_table(items)
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        height=440,
        placeholder="–",
        column_config={word: st.column_config.TextColumn(help=explain(word)) for word in (RANGE, ANSWERED)},
    )
    st.download_button(
        "Tabel downloaden (CSV)",
        lambda: to_csv_bytes(table.set_index("Onderdeel")),
        file_name=f"wijkprofiel-{ctx.round_label}.csv",
        mime="text/csv",
    )

st.header("Gesprekspunten")
tps = talking_points_table(mp, ctx.round_id, unit_id, model)
if tps.empty:
    st.write("Geen gesprekspunten: er liggen geen samenhangende thema's en basisfuncties een fase of meer uit elkaar.")
else:
    st.write(
        f"{len(tps)} gesprekspunten: hier liggen een thema en een basisfunctie die samenhangen een fase of meer uit "
        "elkaar. Bespreek met elkaar hoe dat komt."
    )
    for _, tp in tps.iterrows():
        with st.container(border=True):
            st.markdown(f"**{tp['Gesprekspunt']}**")
            st.write(tp["Waarom hangen ze samen?"])
            st.caption(f"Bron: {tp['Bron']}")

st.header("Beleid en praktijk")
if has_practice(mp.frames.zet, unit_id, ctx.round_id):
    practice = policy_and_practice(mp.profile.items, mp.frames.zet, unit_id, ctx.round_id, model)
    st.write(
        "Per basisfunctie het beleid (Quickscan) naast de praktijk (ZET). Liggen ze een fase of meer uit elkaar, "
        "dan is dat een gesprekspunt."
    )
    st.dataframe(practice_table(practice), hide_index=True, width="stretch", placeholder="–")
    points = practice_points(practice)
    if not points:
        st.write("Geen gesprekspunten: beleid en praktijk liggen nergens een fase of meer uit elkaar.")
    for point in points:
        with st.container(border=True):
            st.text(point)  # holds a basic function's name only, but plain text like every sentence here
    notes = [f"{n}: {t}" for n, t in zip(practice["Basisfunctie"], practice["note"], strict=True) if t]
    if notes:
        st.markdown("**Toelichting bij de ZET**")
        for note in notes:
            st.text(note)  # typed by users: plain text, never markup
else:
    st.write(WHERE_TO_ENTER)

if is_whole(mp, unit_id):
    st.header("Randvoorwaarden")
    st.write(
        "Wat de gemeente regelt zodat wijkteams hun werk kunnen doen: vijf randvoorwaarden uit het Werkdocument "
        "opdracht van wijkteams. Ze worden ingevuld voor de gemeente als geheel, op de pagina Randvoorwaarden."
    )
    conditions = condition_items(mp, ctx.round_id, model)
    if answered(conditions):
        # the table under the chart: six columns do not fit beside it
        chart(
            profile_figure(conditions, model, ctx.caption(), f"Randvoorwaarden van {unit_name}"),
            name=f"randvoorwaarden-{ctx.round_label}",
            key="conditions",
        )
        st.dataframe(conditions_table(conditions), hide_index=True, width="stretch", placeholder="–")
    else:
        st.write(NOT_YET)

st.header("Kerncijfers")
figures = unit_indicators(mp, ctx.round_id, unit_id)
if figures.empty:
    st.write("Nog geen kerncijfers voor deze wijk. Lees ze in op de pagina Wijkdata.")
else:
    st.dataframe(figures, hide_index=True, placeholder="–")
    st.caption("Per kerncijfer het laatste jaar tot en met het jaar van de ronde.")

st.header("Kernkeuzes van de gemeente")
choices = core_choice_table(mp.frames.core_choices, ctx.round_id, model)
for choice in choices.itertuples():
    with st.container(border=True):
        st.markdown(f"**{choice.Kernkeuze}:** {choice.Gekozen}")
        if choice.Onderbouwing:
            st.text(choice.Onderbouwing)  # typed by users: plain text, never markup
st.caption("Kies of wijzig ze op de pagina Kernkeuzes en acties.")

with st.expander("Hoe is dit berekend?"):
    for line in explanation(ctx.settings, model):
        st.markdown(f"- {line}")
