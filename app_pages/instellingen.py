"""Page 'Instellingen': overall-phase rule, weights of the combined index, population weighting; with
login configured, who has which role in the municipality (a beheerder gives and takes them)."""

from typing import Any

import streamlit as st
from sqlalchemy.orm import Session

from ui.context import Context
from ui.login import ADMIN_ONLY, login_configured, may
from ui.messages import show_flash
from ui.places import ROLES, SHARING
from ui.resources import read
from ui.saving import save, save_edit, show_conflict, sync_widget
from wijkmodel.scoring.rules import OverallRule
from wijkmodel.storage.accounts import members, set_role_by_email
from wijkmodel.storage.conflicts import KEEP
from wijkmodel.storage.municipalities import save_settings
from wijkmodel.storage.regions import SHARING_TEXT, regions_of, set_sharing, sharing_of
from wijkmodel.storage.tables import AccountRole, RegionSharing
from wijkmodel.text.glossary import COMBINED, explain
from wijkmodel.text.markdown import literal

current: Context | None = st.session_state.get("context")
st.title("Instellingen")
st.write("Deze keuzes gelden voor de hele gemeente en voor iedereen die met deze gemeente werkt.")
show_flash()
if current is None:
    st.info("Kies eerst een gemeente (pagina Start).")
    st.stop()
ctx: Context = current  # not None in the functions below too (mypy narrows only this scope)

RULES = {r.value: r.label for r in OverallRule}
EXPLAIN = {
    OverallRule.MEAN: "Het gemiddelde van de zes thema's. Goed voor een eerste beeld.",
    OverallRule.MEDIAN: "Het middelste thema. Eén thema dat veel hoger of lager is, telt dan minder mee.",
    OverallRule.WEAKEST_LINK: "Het laagste thema. Zo ziet u waar de wijk het meest op achterloopt.",
}
settings = ctx.settings
admin = may(AccountRole.ADMIN, ctx.municipality_id)  # with login: settings are a beheerder's
if not admin:
    st.caption(ADMIN_ONLY)
sync_widget("set_rule", settings.rule.value)
sync_widget("set_weight", round(settings.theme_weight * 100))  # whole percents; a save only writes what moved
sync_widget("set_weighted", settings.population_weighted)
STORED = {
    "set_rule": ("rule", lambda v: v),
    "set_weight": ("theme_weight", lambda v: v / 100),
    "set_weighted": ("population_weighted", lambda v: v),
}


def store(key: str) -> None:
    """Save the one setting the user changed."""
    field, to_stored = STORED[key]
    value = to_stored(st.session_state[key])
    municipality_id = ctx.municipality_id

    def write(session: Session, seen: Any) -> object:
        seen_value = KEEP if seen is None else to_stored(seen)
        return save_settings(
            session=session, municipality_id=municipality_id, **{field: value, f"seen_{field}": seen_value}
        )

    save_edit(key, write, success="De instelling is bewaard.")


st.header("Totaalfase van een wijk")
st.radio(
    "Hoe komen de zes thema's samen in één fase?",
    list(RULES),
    help=explain("Totaalfase"),
    format_func=lambda r: f"{RULES[r].capitalize()}: {EXPLAIN[r]}",
    key="set_rule",
    disabled=not admin,
    on_change=store,
    args=("set_rule",),
)
show_conflict("set_rule")
st.header(COMBINED)
st.slider(
    "Gewicht van de thema's (%); de basisfuncties krijgen de rest",
    help=explain(COMBINED),
    min_value=0,
    max_value=100,
    step=1,
    key="set_weight",
    disabled=not admin,
    on_change=store,
    args=("set_weight",),
    format="%d%%",
)
show_conflict("set_weight")
st.caption(f"Nu: {st.session_state['set_weight']}% thema's en {100 - st.session_state['set_weight']}% basisfuncties.")
st.header("Gemiddelde van de gemeente")
st.checkbox(
    "Weeg wijken naar aantal inwoners (wijken zonder inwonertal tellen dan niet mee)",
    key="set_weighted",
    disabled=not admin,
    on_change=store,
    args=("set_weighted",),
)
show_conflict("set_weighted")

st.header("Delen met de regio")
shared_now = read(lambda s: sharing_of(session=s, municipality_id=ctx.municipality_id))
in_regions = read(lambda s: [r.name for r in regions_of(session=s, municipality_id=ctx.municipality_id)])
st.write(
    "Op de pagina Regio vergelijken de regiocoördinator en de medewerkers van de andere gemeenten van een regio "
    "de gemeenten. Uw gemeente staat daar, en in hun presentaties en Excel-bestanden, alleen in als u dat hier "
    "kiest. Uw keuze geldt voor elke regio waarin uw gemeente zit, ook later. Toelichtingen en de antwoorden "
    "per persoon deelt u nooit."
)
st.caption(
    "Deze gemeente is lid van: " + (", ".join(literal(n) for n in in_regions) if in_regions else "nog geen regio")
)
SHARING_CHOICES: list[RegionSharing | None] = [None, RegionSharing.TOTALS, RegionSharing.WIJKEN]
sharing_choice = st.radio(
    "Wat deelt deze gemeente met haar regio?",
    SHARING_CHOICES,
    index=SHARING_CHOICES.index(shared_now),
    format_func=lambda level: SHARING_TEXT[level].capitalize(),
    disabled=not admin,
    key=f"set_sharing_{shared_now}",
)
if sharing_choice != shared_now:
    save(
        lambda s: set_sharing(session=s, municipality_id=ctx.municipality_id, level=sharing_choice),
        success=f"Bewaard: {SHARING_TEXT[sharing_choice]}.",
        where=SHARING,
    )
    st.session_state.pop(f"set_sharing_{shared_now}", None)  # a refused choice shows the stored one again
    st.rerun()
show_flash(where=SHARING)

if login_configured():
    st.header("Wie heeft toegang")
    st.write(
        "Een beheerder geeft en neemt rollen. Beheerder: wijken, rondes, instellingen en toegang. "
        "Invuller: schuifjes, antwoorden, toelichtingen, streefwaarden en acties. Lezer: bekijken en downloaden."
    )
    people = read(lambda s: members(session=s, municipality_id=ctx.municipality_id))
    st.dataframe(
        {"E-mailadres": [m.email for m in people], "Rol": [m.role.value for m in people]},
        hide_index=True,
        width="stretch",
    )
    with st.form("roles", border=True):
        email = st.text_input("E-mailadres", help="Van iemand die al een keer heeft ingelogd.", max_chars=320)
        choice = st.selectbox(
            "Rol",
            [*(r.value for r in AccountRole), "geen rol"],
            index=2,
            help="Kies 'geen rol' om iemand de toegang tot deze gemeente te ontnemen.",
        )
        if st.form_submit_button("Rol geven", disabled=not admin):
            role = None if choice == "geen rol" else AccountRole(choice)
            save(
                lambda s: set_role_by_email(session=s, municipality_id=ctx.municipality_id, email=email, role=role),
                success=f"De rol is bewaard: {choice}.",
                where=ROLES,
            )
    show_flash(where=ROLES)
