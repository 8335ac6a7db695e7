"""Page 'Kernkeuzes en acties': the two core choices of step 3 and the action plan of step 4."""

import datetime as dt
from typing import Any

import streamlit as st
from sqlalchemy.orm import Session

from ui.browser_text import DATE_HELP
from ui.context import require_round, unit_picker
from ui.messages import show_flash
from ui.places import ACTION_STATUS, NEW_ACTION
from ui.resources import cached_model
from ui.saving import form_inputs, form_saved, save, save_edit, show_conflict, sync_widget
from wijkmodel.analysis.model_tables import guidance_source, theme_advice
from wijkmodel.analysis.progress import unit_theme_scores
from wijkmodel.analysis.views import to_csv_bytes
from wijkmodel.cycle.action_plan import STATUSES, plan_table, priorities, save_action, start_reason
from wijkmodel.cycle.core_choices import core_choice_table, save_core_choice
from wijkmodel.cycle.targets import theme_targets
from wijkmodel.model.schema import CoreChoice
from wijkmodel.storage.frames import unit_names
from wijkmodel.text.markdown import literal

model = cached_model()

st.title("Kernkeuzes en acties")
st.write(
    "Stap 3 en 4 van de publicatie: maak de twee kernkeuzes en leg vast wie wat gaat doen. Alles wordt meteen bewaard."
)
show_flash()
ctx = require_round()
assert ctx.round_id is not None
mp = ctx.profile()

st.header(f"Kernkeuzes (ronde {literal(ctx.round_label)})")
chosen = core_choice_table(mp.frames.core_choices, ctx.round_id, model).set_index("Kernkeuze")
stored = mp.frames.core_choices[mp.frames.core_choices["round"] == ctx.round_id].set_index("choice")


def on_choice(choice_id: str, field: str) -> None:
    """Save the one thing the user changed: the option ("option") or the rationale ("rationale")."""
    round_id = ctx.round_id  # bound now, for a retry after other pages were drawn
    key = f"{'choice' if field == 'option' else 'why'}_{round_id}_{choice_id}"
    value = st.session_state.get(key, "" if field == "rationale" else None)

    def write(session: Session, seen: Any) -> object:
        fields = {"option_id" if field == "option" else "rationale": value, f"seen_{field}": seen}
        return save_core_choice(session=session, round_id=round_id, choice_id=choice_id, model=model, **fields)

    save_edit(key, write)


def draw_choice(choice: CoreChoice, *, follow_up: bool = False) -> None:
    """One core choice: its question, the options, why; a follow-up question is drawn smaller, under its choice."""
    option_key, why_key = f"choice_{ctx.round_id}_{choice.id}", f"why_{ctx.round_id}_{choice.id}"
    sync_widget(option_key, stored["option"].get(choice.id) if choice.id in stored.index else None)
    sync_widget(why_key, stored["rationale"].get(choice.id, "") if choice.id in stored.index else "")
    labels = {o.id: o.label for o in choice.options}
    if follow_up:
        st.markdown(f"**Vervolgvraag: {choice.question}**")  # model text, never user text
    else:
        st.subheader(choice.name)
        st.write(choice.question)
    st.radio(
        "Wat past?" if follow_up else "Onze keuze",
        list(labels),
        format_func=labels.__getitem__,
        key=option_key,
        index=None,
        on_change=on_choice,
        args=(choice.id, "option"),
    )
    show_conflict(option_key)
    # no max_chars: the browser would cut a long paste without a word; the save says it is too long
    st.text_area(
        "Waarom past dit?" if follow_up else "Waarom kiezen we dit?",
        key=why_key,
        on_change=on_choice,
        args=(choice.id, "rationale"),
    )
    show_conflict(why_key)
    st.caption(f"Bron: {model.source(choice.source.source).citation()} {choice.source.location}.")


main_choices = model.main_core_choices()
for column, choice in zip(st.columns(len(main_choices)), main_choices, strict=True):
    with column.container(border=True):
        draw_choice(choice)
        for follow_up in model.follow_ups(choice.id):
            draw_choice(follow_up, follow_up=True)
again = model.guidance_text("stap3_opnieuw")
st.info(f"{again.text} {guidance_source(model, again.id)}", icon=":material/update:")

st.header("Actieplan")
picked_unit = unit_picker(ctx, label="Voor welke wijk (of de gemeente als geheel)?")
if picked_unit is None:
    st.stop()
unit_id: int = picked_unit
names = unit_names(mp.frames.units)

st.subheader("Waar beginnen? Voorstel")
energy = set(mp.frames.energy.loc[mp.frames.energy["unit"] == unit_id, "theme"])
advice = priorities(
    unit_theme_scores(mp.profile.items, unit_id, ctx.round_id),
    theme_targets(mp.frames.targets, unit_id),
    energy,
    model,
)
energy_advice = model.guidance_text("stap4_energie")
st.write(
    "Eerst de thema's die onder hun streefwaarde liggen, dan de thema's zonder streefwaarde met de laagste fase. "
    "In elke groep gaan de thema's waar energie in zit voor (die vinkt u aan op de pagina Streefwaarden). "
    "Zo zegt de publicatie het:"
)
st.caption(f"“{energy_advice.text}” {guidance_source(model, energy_advice.id)}")
st.info(start_reason(advice, mp.frames.core_choices, ctx.round_id), icon=":material/lightbulb:")
st.dataframe(
    advice[["name", "reason"]].rename(columns={"name": "Thema", "reason": "Waarom"}),
    hide_index=True,
    width="stretch",
    placeholder="–",
)

themes = {t.id: t.name for t in model.themes_ordered()}
first = str(advice.iloc[0]["theme"])
st.markdown("**Nieuwe actie**")
# outside the form, so the examples below follow the chosen theme at once
theme_id = st.selectbox(
    "Thema",
    list(themes),
    index=list(themes).index(first),
    format_func=lambda t: themes[t],
    placeholder="Kies een thema",
)
examples = model.examples_of(theme_id)
with st.expander(f"Advies en inspiratie voor ‘{themes[theme_id]}’ ({len(examples)} voorbeelden uit de publicatie)"):
    st.markdown("**Advies uit de publicatie**")
    for text, source in theme_advice(model, theme_id):
        st.write(text)
        st.caption(source)
    if examples:
        st.markdown("**Voorbeelden**")
        for example in examples:
            st.markdown(f"**{example.place}: {example.title}**")
            st.write(example.text)
            source = f"Bron: {model.source(example.source.source).citation()} {example.source.location}."
            st.caption(source + (f" Oorspronkelijk: {example.reference}." if example.reference else ""))
form_inputs(
    "new_action",
    {
        "action_description": "",
        "action_owner": "",
        "action_start": None,
        "action_end": None,
        "action_status": STATUSES[0],
    },
)
with st.form("new_action", border=True):
    description = st.text_area("Wat gaan we doen?", key="action_description")  # no max_chars: see the save
    owner = st.text_input("Wie is eigenaar? (rol of organisatie, geen naam van een persoon)", key="action_owner")
    col_start, col_end, col_status = st.columns(3)
    start = col_start.date_input("Start", format="DD-MM-YYYY", help=DATE_HELP, key="action_start")
    end = col_end.date_input("Eind", format="DD-MM-YYYY", help=DATE_HELP, key="action_end")
    status = col_status.selectbox("Status", STATUSES, key="action_status", placeholder="Kies een status")
    if st.form_submit_button("Actie toevoegen", type="primary"):
        added = save(
            lambda s: save_action(
                session=s,
                unit_id=unit_id,
                theme_id=theme_id,  # chosen above the form
                description=description,
                owner=owner,
                start_date=start if isinstance(start, dt.date) else None,
                end_date=end if isinstance(end, dt.date) else None,
                status=status,
                model=model,
            ),
            success="Actie toegevoegd.",
            where=NEW_ACTION,
        )
        if added is not None:
            form_saved("new_action")
        st.rerun()
show_flash(where=NEW_ACTION)

plan = plan_table(mp.frames.actions, names, model)
st.subheader(f"Acties ({len(plan)})")
if plan.empty:
    st.write("Nog geen acties.")
else:
    st.dataframe(
        plan.drop(columns="action"),
        hide_index=True,
        width="stretch",
        column_config={
            "Actie": st.column_config.TextColumn(width="large"),
            **{c: st.column_config.TextColumn(width="small") for c in ("Start", "Eind", "Status")},
        },
        placeholder="–",
    )
    st.download_button(
        "Actieplan downloaden (CSV)",
        lambda: to_csv_bytes(plan.drop(columns="action").set_index("Thema")),
        file_name=f"actieplan-{ctx.municipality}.csv",
        mime="text/csv",
    )
    mine = mp.frames.actions[mp.frames.actions["unit"] == unit_id]
    if not mine.empty:
        with st.expander("Status van een actie bijwerken"):
            action_ids = list(mine["action"])
            texts = dict(zip(mine["action"], mine["description"].astype(str), strict=True))
            picked = st.selectbox("Actie", action_ids, format_func=lambda a: texts[a], placeholder="Kies een actie")
            row = mine.set_index("action").loc[picked]
            new_status = st.selectbox(
                "Nieuwe status",
                STATUSES,
                index=STATUSES.index(str(row["status"])),
                placeholder="Kies een status",
            )
            if st.button("Status bewaren"):
                save(
                    lambda s: save_action(
                        session=s,
                        unit_id=unit_id,
                        theme_id=str(row["theme"]),
                        description=str(row["description"]),
                        owner=str(row["owner"]),
                        start_date=row["start_date"] if isinstance(row["start_date"], dt.date) else None,
                        end_date=row["end_date"] if isinstance(row["end_date"], dt.date) else None,
                        status=new_status,
                        action_id=int(picked),
                        model=model,
                    ),
                    success="Status bewaard.",
                    where=ACTION_STATUS,
                )
                st.rerun()
            show_flash(where=ACTION_STATUS)
