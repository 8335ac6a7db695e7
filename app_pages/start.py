"""Page 'Start': what wijkmodel is, where to go next; municipality, wijken, rounds, who fills in; the demo."""

import datetime as dt
from typing import Literal

import pandas as pd
import streamlit as st

from ui.browser_text import DATE_HELP
from ui.context import Context, select_next
from ui.login import ADMIN_ONLY, may
from ui.messages import show_flash
from ui.pages import next_steps
from ui.places import ADD_WIJK, DEMO, EDIT_WIJK, NEW_MUNICIPALITY, NEW_ROUND, REMOVE_WIJK
from ui.resources import cached_model, read
from ui.saving import form_inputs, form_saved, save
from ui.who import respondent_picker
from wijkmodel.analysis.views import cycle_line, first_step, later_steps, placed_units, welcome
from wijkmodel.demo.facts import DEMO_NAME
from wijkmodel.demo.municipality import add_demo
from wijkmodel.storage.municipalities import create_municipality, find_municipality
from wijkmodel.storage.rounds import create_round, rounds
from wijkmodel.storage.tables import AccountRole, UnitKind
from wijkmodel.storage.wijken import add_wijk, remove_wijk, units, update_wijk, wijk_contents
from wijkmodel.text.markdown import literal

model = cached_model()
ctx: Context | None = st.session_state.get("context")

st.title("Start")
intro, intro_source = welcome(model)
st.write(intro)
st.caption(intro_source)
show_flash()

MADE = "_made_municipality"  # the municipality this session made: the next steps show beside its form


def next_step_links(after: Literal["demo", "municipality"]) -> None:
    lead, links = next_steps(after)
    st.write(lead)
    for spec, label in links:
        st.page_link(spec.path, label=label, icon=spec.icon)


if ctx is not None and ctx.round_id is not None:
    municipality_id = ctx.municipality_id  # a name: mypy keeps no narrowing of ctx in lambdas (python/mypy#4297)
    placed = placed_units(ctx.profile(), ctx.round_id)
    n_rounds = len(read(lambda s: rounds(session=s, municipality_id=municipality_id)))
    n_wijken = len(ctx.profile().frames.units) - 1
    later = later_steps(ctx.profile(), ctx.round_id, model)
    first = first_step(ctx.profile(), ctx.round_id)
    st.info(cycle_line(n_wijken, n_rounds, placed, later, first), icon=":material/route:")

# --- municipality ---------------------------------------------------------------------------------
st.header("Gemeente")
if ctx is not None:
    st.write(f"U werkt nu in **{literal(ctx.municipality)}**. Een andere gemeente kiest u links in de zijbalk.")

demo_exists = read(lambda s: find_municipality(session=s, name=DEMO_NAME) is not None)
col_new, col_demo = st.columns(2)
form_inputs("new_municipality", {"new_municipality_name": "", "new_municipality_code": ""})
with col_new:
    with st.form("new_municipality"):
        st.subheader("Nieuwe gemeente")
        name = st.text_input("Naam van de gemeente", key="new_municipality_name")  # no max_chars: a long paste is named
        code = st.text_input("CBS-code (optioneel, bijvoorbeeld GM0363)", max_chars=6, key="new_municipality_code")
        if st.form_submit_button("Gemeente aanmaken", disabled=not may(AccountRole.ADMIN, None)):
            created = save(
                lambda s: create_municipality(session=s, name=name, cbs_code=code.strip() or None).id,
                success=f"Gemeente ‘{' '.join(name.split())}’ is aangemaakt.",
                where=NEW_MUNICIPALITY,
                municipality_id=None,
            )
            if created is not None:
                form_saved("new_municipality")
                st.session_state[MADE] = created
                select_next(municipality_id=created)
            st.rerun()
    show_flash(where=NEW_MUNICIPALITY)
    if ctx is not None and st.session_state.get(MADE) == ctx.municipality_id:
        next_step_links("municipality")
with col_demo:
    st.subheader("Demogemeente")
    st.write(
        f"{DEMO_NAME} is verzonnen: acht wijken, twee rondes en meerdere invullers. "
        "Handig om het dashboard te leren kennen."
    )
    in_demo = ctx is not None and ctx.municipality == DEMO_NAME
    if demo_exists and not in_demo:
        st.caption(f"{DEMO_NAME} staat er al. Kies haar links in de zijbalk.")
    elif not demo_exists and st.button("Demo laden", type="primary", disabled=not may(AccountRole.ADMIN, None)):
        created = save(
            lambda s: add_demo(session=s, model=model).id,
            success=f"De demogemeente {DEMO_NAME} is geladen.",
            where=DEMO,
            municipality_id=None,
        )
        if created is not None:
            select_next(municipality_id=created)
        st.rerun()
    show_flash(where=DEMO)
    if in_demo:
        next_step_links("demo")

if ctx is None:
    st.stop()
municipality_id = ctx.municipality_id
admin = may(AccountRole.ADMIN, municipality_id)  # with login: the forms below are a beheerder's

# --- wijken ---------------------------------------------------------------------------------------
st.header("Wijken")
unit_rows = read(lambda s: units(session=s, municipality_id=municipality_id))
wijken = [u for u in unit_rows if u.kind == UnitKind.WIJK]
if wijken:
    st.dataframe(
        pd.DataFrame(
            {
                "Wijk": [u.name for u in wijken],
                "CBS-code": [u.cbs_code or "" for u in wijken],
                "Inwoners": [u.population for u in wijken],
            }
        ),
        hide_index=True,
        width="stretch",
        placeholder="–",
    )
else:
    st.write("Nog geen wijken. Voeg hieronder de eerste toe.")
st.caption("‘Gemeente als geheel’ is er altijd: daarmee beoordeelt u de gemeente zelf, naast de wijken.")
if not admin:
    st.caption(ADMIN_ONLY)

tab_add, tab_edit, tab_remove = st.tabs(["Wijk toevoegen", "Wijk wijzigen", "Wijk verwijderen"])
form_inputs("add_wijk", {"add_wijk_name": "", "add_wijk_code": "", "add_wijk_population": None})
with tab_add, st.form("add_wijk"):
    name = st.text_input("Naam van de wijk", key="add_wijk_name")  # no max_chars: a long paste is named
    code = st.text_input("CBS-code (optioneel, bijvoorbeeld WK036300)", max_chars=8, key="add_wijk_code")
    population = st.number_input(
        "Aantal inwoners (optioneel)",
        min_value=0,
        max_value=10_000_000,
        step=100,
        key="add_wijk_population",
    )
    if st.form_submit_button("Wijk toevoegen", disabled=not admin):
        added = save(
            lambda s: add_wijk(
                session=s,
                municipality_id=municipality_id,
                name=name,
                cbs_code=code.strip() or None,
                population=None if population is None else int(population),
            ),
            success=f"Wijk ‘{' '.join(name.split())}’ is toegevoegd.",
            where=ADD_WIJK,
        )
        if added is not None:
            form_saved("add_wijk")
        st.rerun()
with tab_add:
    show_flash(where=ADD_WIJK)

with tab_edit:
    if wijken:
        by_id = {u.id: u for u in wijken}
        chosen = st.selectbox(
            "Welke wijk?",
            list(by_id),
            format_func=lambda i: by_id[i].name,
            placeholder="Kies een wijk",
            key="edit_wijk",
        )
        with st.form("edit_wijk_form"):
            unit = by_id[chosen]
            new_name = st.text_input("Naam", value=unit.name)
            new_code = st.text_input("CBS-code", value=unit.cbs_code or "", max_chars=8)
            new_population = st.number_input(
                "Aantal inwoners", min_value=0, max_value=10_000_000, value=unit.population, step=100
            )
            if st.form_submit_button("Wijzigingen opslaan", disabled=not admin):
                save(
                    lambda s: update_wijk(
                        session=s,
                        unit_id=chosen,
                        name=new_name,
                        cbs_code=new_code.strip() or None,
                        population=None if new_population is None else int(new_population),
                    ),
                    success="De wijk is gewijzigd.",
                    where=EDIT_WIJK,
                )
                st.rerun()
    else:
        st.write("Er is nog geen wijk om te wijzigen.")
    show_flash(where=EDIT_WIJK)

with tab_remove:
    if wijken:
        by_id = {u.id: u for u in wijken}
        chosen = st.selectbox(
            "Welke wijk?",
            list(by_id),
            format_func=lambda i: by_id[i].name,
            placeholder="Kies een wijk",
            key="remove_wijk",
        )
        contents = read(lambda s: wijk_contents(session=s, unit_id=chosen))
        st.warning(
            f"Als u ‘{literal(by_id[chosen].name)}’ verwijdert, gaan ook weg: {contents.respondents} invullers in "
            f"{contents.rounds} rondes, {contents.positions} schuifjes, {contents.answers} antwoorden, "
            f"{contents.notes} toelichtingen en {contents.zet} ZET-uitkomsten. Dit kunt u niet ongedaan maken.",
            icon=":material/warning:",
        )
        sure = st.checkbox("Ja, ik weet het zeker", key=f"sure_{chosen}")
        if st.button("Wijk verwijderen", disabled=not sure or not admin):
            save(lambda s: remove_wijk(session=s, unit_id=chosen), success="De wijk is verwijderd.", where=REMOVE_WIJK)
            st.rerun()
    else:
        st.write("Er is nog geen wijk om te verwijderen.")
    show_flash(where=REMOVE_WIJK)

# --- rounds ---------------------------------------------------------------------------------------
st.header("Rondes")
round_rows = read(lambda s: rounds(session=s, municipality_id=municipality_id))
if round_rows:
    st.write("Rondes: " + ", ".join(f"{literal(r.label)} ({r.date.strftime('%d-%m-%Y')})" for r in round_rows))
form_inputs("new_round", {"new_round_label": "", "new_round_date": dt.date.today(), "new_round_carry": None})
with st.form("new_round"):
    st.subheader("Nieuwe ronde")
    label = st.text_input("Naam van de ronde (bijvoorbeeld 2027)", key="new_round_label")
    date = st.date_input("Datum", format="DD-MM-YYYY", help=DATE_HELP, key="new_round_date")
    carry = None
    if round_rows:
        carry_labels = {None: "Nee, begin leeg"} | {
            r.id: f"Ja, neem de waarden van ronde {literal(r.label)} over" for r in round_rows
        }
        carry = st.radio(
            "Beginnen met de waarden van een eerdere ronde?",
            list(carry_labels),
            format_func=lambda k: carry_labels[k],
            help="Overgenomen waarden zijn gemarkeerd tot iemand ze bevestigt of wijzigt.",
            key="new_round_carry",
        )
    if st.form_submit_button("Ronde aanmaken", disabled=not admin):
        created = save(
            lambda s: (
                create_round(
                    session=s, municipality_id=municipality_id, label=label, date=date, carry_over_from=carry
                ).id
            ),
            success=f"Ronde ‘{label.strip()}’ is aangemaakt.",
            where=NEW_ROUND,
        )
        if created is not None:
            form_saved("new_round")
            select_next(round_id=created)
        st.rerun()
show_flash(where=NEW_ROUND)

# --- who fills in ---------------------------------------------------------------------------------
st.header("Wie vult in?")
st.write("Kies uw rol. Vullen meerdere mensen met dezelfde rol in, geef dan een label. Vul geen namen van personen in.")
respondent_picker()
