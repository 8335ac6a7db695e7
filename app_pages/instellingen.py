"""Page 'Instellingen': overall-phase rule, weights of the combined index, population weighting."""

import streamlit as st

from app_pages.common import save, show_flash, sync_widget
from wijkmodel.scoring import OverallRule
from wijkmodel.store import save_settings

ctx = st.session_state.get("context")
st.title("Instellingen")
st.write("Deze keuzes gelden voor de hele gemeente en voor iedereen die met deze gemeente werkt.")
show_flash()
if ctx is None:
    st.info("Kies eerst een gemeente (pagina Start).")
    st.stop()

RULES = {r.value: r.label for r in OverallRule}
EXPLAIN = {
    "gemiddelde": "Het gemiddelde van de zes thema's. Goed voor een eerste beeld.",
    "mediaan": "Het middelste thema. Eén uitschieter telt minder mee.",
    "zwakste schakel": "Het laagste thema. Zo ziet u waar de wijk het meest op achterloopt.",
}
settings = ctx.settings
sync_widget("set_rule", settings.rule.value)
sync_widget("set_weight", 5 * round(settings.theme_weight * 20))
sync_widget("set_weighted", settings.population_weighted)


def store() -> None:
    save(
        lambda s: save_settings(
            session=s,
            municipality_id=ctx.municipality_id,
            rule=st.session_state["set_rule"],
            theme_weight=st.session_state["set_weight"] / 100,
            population_weighted=st.session_state["set_weighted"],
        ),
        success="De instelling is bewaard.",
    )


st.header("Totaalfase van een wijk")
st.radio(
    "Hoe komen de zes thema's samen in één fase?",
    list(RULES),
    format_func=lambda r: f"{RULES[r].capitalize()}: {EXPLAIN[r]}",
    key="set_rule",
    on_change=store,
)
st.header("Gecombineerde index")
st.slider(
    "Gewicht van de thema's (%); de basisfuncties krijgen de rest",
    min_value=0,
    max_value=100,
    step=5,
    key="set_weight",
    on_change=store,
    format="%d%%",
)
st.caption(f"Nu: {st.session_state['set_weight']}% thema's en {100 - st.session_state['set_weight']}% basisfuncties.")
st.header("Gemiddelde van de gemeente")
st.checkbox(
    "Weeg wijken naar aantal inwoners (wijken zonder inwonertal tellen dan niet mee)",
    key="set_weighted",
    on_change=store,
)
