"""Page 'Het model': the themes × phases matrix, the basic functions with their questions, sources."""

import streamlit as st

from ui.resources import cached_model
from wijkmodel.analysis.conditions import source_lines
from wijkmodel.analysis.model_tables import (
    advice_by_theme,
    citation_text,
    conditions_model_table,
    examples_by_theme,
    glossary_table,
    guidance_source,
    links_table,
    model_counts,
    phase_matrix,
    question_groups,
    questions_table,
    sources_with_uses,
    terms_source,
    terms_table,
)
from wijkmodel.model.schema import SourceList
from wijkmodel.scoring.text import phase_title

model = cached_model()

st.title("Het model")
st.write(
    "Met dit model bepaalt u per wijk hoe ver de gemeente is met wijkgericht werken. "
    "Zet per thema een schuifje in een van de vier fasen. Beoordeel daarnaast de vijf basisfuncties "
    "van lokale teams met de Quickscan."
)
counts = model_counts(model)
st.caption(" · ".join(f"{n} {what}" for what, n in counts.items()) + f" · modelversie {model.version}")

tab_phases, tab_functions, tab_assignment, tab_links, tab_terms, tab_sources = st.tabs(
    [
        "Thema's en fasen",
        "Basisfuncties en vragen",
        "Opdracht en randvoorwaarden",
        "Koppelingen en voorbeelden",
        "Begrippen",
        "Bronnen",
    ]
)
werkdocument = model.source("werkdocument").citation()


def show_source_text(section: SourceList) -> None:
    """A verbatim text of a source: its heading, lead and items, and where it stands."""
    st.markdown(f"**{section.title}**")
    for line in source_lines(section):
        st.text(line if line == section.intro else f"• {line}")
    st.caption(f"Bron: {citation_text(model, section.source.source, section.source.location)}")


with tab_phases:
    st.header("Zes thema's in vier fasen")
    st.write(
        "Elke cel zegt hoe een fase er voor dat thema uitziet. "
        "Staat er *(afgeleid)* achter, dan zegt de publicatie daar niets letterlijk over "
        "en is de tekst afgeleid uit de algemene beschrijving van de fase."
    )
    st.table(phase_matrix(model))
    st.header("De vier fasen")
    for phase in sorted(model.phases, key=lambda p: p.number):
        with st.expander(phase_title(model, phase.number)):
            st.text(phase.description)
    st.header("De zes thema's")
    for theme in model.themes_ordered():
        with st.expander(f"{theme.order}. {theme.name}"):
            st.text(theme.description)

with tab_functions:
    st.header("Vijf basisfuncties van lokale teams")
    for bf in model.basic_functions_ordered():
        with st.expander(f"Basisfunctie {bf.number}: {bf.name}"):
            st.markdown("**Wat is het?**")
            st.text(bf.description)
            st.markdown("**Waarom is dit belangrijk?**")
            st.text(bf.ratio)
            guidance = model.assignment.guidance_for(bf.id)
            if guidance:
                st.markdown("**Veiligheid: wat wijkteams doen (Werkdocument opdracht van wijkteams, deel 2)**")
                for section in guidance:
                    show_source_text(section)
            st.markdown("**Quickscan-vragen**")
            st.table(questions_table(model, "quickscan", bf.id))
            st.markdown("**Verdiepende vragen**")
            st.table(questions_table(model, "in_depth", bf.id))
    st.header(model.in_depth.name)
    for group, heading in question_groups(model, "in_depth"):
        if group == "algemeen":
            with st.expander(heading):
                st.table(questions_table(model, "in_depth", group))

with tab_assignment:
    st.header("De brede opdracht van wijkteams")
    st.write(
        "Wat wijkteams doen, met welke doelen en hoe ze werken. Letterlijk uit de publicatie van de Associatie "
        "Wijkteams."
    )
    for section in model.assignment.sections():
        show_source_text(section)
    st.header("Vijf randvoorwaarden")
    st.write(model.randvoorwaarden.instrument.description)
    st.table(conditions_model_table(model))
    st.write("De gemeente beantwoordt de vragen hierover voor de gemeente als geheel, op de pagina Randvoorwaarden.")
    st.caption(f"Bron: {werkdocument}")

with tab_links:
    st.header("Welk thema raakt welke basisfunctie?")
    st.write(
        "Liggen een thema en een basisfunctie die elkaar raken een fase of meer uit elkaar, "
        "dan wordt dat een gesprekspunt voor de wijk."
    )
    st.table(links_table(model))
    st.header("Advies en inspirerende voorbeelden per thema")
    energy = model.guidance_text("stap4_energie")
    st.write(energy.text)
    st.caption(guidance_source(model, energy.id))
    advice = advice_by_theme(model)
    examples = examples_by_theme(model)
    for theme in model.themes_ordered():
        if theme.name not in advice and theme.name not in examples:
            continue
        st.markdown(f"**{theme.name}**")
        for text in advice.get(theme.name, []):
            st.write(text)
        if theme.name in examples:
            st.table(examples[theme.name])

with tab_terms:
    st.header("Begrippen")
    st.write("Wat bedoelen de verdiepende vragen met deze woorden? De omschrijvingen komen letterlijk uit de bron.")
    st.table(terms_table(model))
    st.caption(terms_source(model))
    st.subheader("Woorden in dit dashboard")
    st.write("Deze woorden gebruikt het dashboard zelf. Zo zijn ze bedoeld:")
    st.table(glossary_table())

with tab_sources:
    st.header("Bronnen")
    st.write(
        "Alle thema's, fasen, basisfuncties, vragen, randvoorwaarden en de opdracht van wijkteams komen uit deze "
        "publicaties:"
    )
    for citation in sources_with_uses(model):
        st.markdown(f"- {citation}")
