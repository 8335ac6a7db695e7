"""Tables of the maturity model for display (page "Het model", exports). Pure, no Streamlit."""

from __future__ import annotations

import pandas as pd

from wijkmodel.model.schema import GENERAL, MaturityModel
from wijkmodel.scoring.text import phase_title
from wijkmodel.text.glossary import GLOSSARY

DERIVED_MARK = " (afgeleid)"


def phase_matrix(model: MaturityModel) -> pd.DataFrame:
    """Themes × phases with each descriptor; derived descriptors end in '(afgeleid)'."""
    rows = {}
    for theme in model.themes_ordered():
        rows[theme.name] = {
            phase_title(model, d.phase): d.text + (DERIVED_MARK if d.derived else "")
            for d in sorted(theme.descriptors, key=lambda d: d.phase)
        }
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index.name = "Thema"
    return frame


def questions_table(model: MaturityModel, instrument_id: str, group: str) -> pd.DataFrame:
    """Questions of one instrument for one basic function (or 'algemeen'): nr, vraag, toelichting (if any), code."""
    questions = [q for q in model.instrument(instrument_id).questions if q.basic_function == group]
    table = pd.DataFrame(
        {
            "Nr.": [q.number for q in questions],
            "Vraag": [q.text for q in questions],
            "Toelichting": [q.explanation or "" for q in questions],
            "Code": [q.id for q in questions],
        }
    ).set_index("Nr.")
    if not table["Toelichting"].any():
        table = table.drop(columns="Toelichting")  # an empty column only distracts
    return table


def question_groups(model: MaturityModel, instrument_id: str) -> list[tuple[str, str]]:
    """(group id, Dutch heading) in display order: 'algemeen' first when present, then the basic functions."""
    present = {q.basic_function for q in model.instrument(instrument_id).questions}
    groups = [(GENERAL, "Algemene vragen")] if GENERAL in present else []
    groups += [(b.id, f"Basisfunctie {b.number}: {b.name}") for b in model.basic_functions_ordered() if b.id in present]
    return groups


def citation_text(model: MaturityModel, source_id: str, location: str, passage: str | None = None) -> str:
    """'“passage” (Title, location)'."""
    title = model.source(source_id).title
    return f"“{passage}” ({title}, {location})" if passage else f"{title}, {location}"


def links_table(model: MaturityModel) -> pd.DataFrame:
    """Every theme ↔ basic-function link with its reason and the passage it rests on."""
    return pd.DataFrame(
        [
            {
                "Thema": model.theme(k.theme).name,
                "Basisfunctie": model.basic_function(k.basic_function).name,
                "Waarom": k.rationale,
                "Bron": citation_text(model, k.source.source, k.source.location, k.source.passage),
            }
            for k in model.links
        ]
    )


def examples_by_theme(model: MaturityModel) -> dict[str, pd.DataFrame]:
    """Theme name → its inspiring examples (place, title, text, source); themes without examples are left out."""
    out = {}
    for theme in model.themes_ordered():
        examples = [e for e in model.examples if e.theme == theme.id]
        if examples:
            out[theme.name] = pd.DataFrame(
                [
                    {
                        "Plaats": e.place,
                        "Voorbeeld": e.title,
                        "Beschrijving": e.text,
                        "Bron": e.reference or citation_text(model, e.source.source, e.source.location),
                    }
                    for e in examples
                ]
            )
    return out


def conditions_model_table(model: MaturityModel) -> pd.DataFrame:
    """The five conditions (seed 002): name, the passage verbatim, the theme it serves and why, its questions."""
    rv = model.randvoorwaarden
    return pd.DataFrame(
        [
            {
                "Randvoorwaarde": c.name,
                "Wat zegt de bron?": c.text,
                "Dient het thema": model.theme(c.theme).name,
                "Waarom": c.rationale,
                "Vragen": len(rv.questions_of(c.id)),
            }
            for c in rv.conditions_ordered()
        ]
    ).set_index("Randvoorwaarde")


SINGULAR = {"fasen": "fase", "thema's": "thema", "koppelingen": "koppeling", "voorbeelden": "voorbeeld"}


def source_uses(model: MaturityModel) -> dict[str, list[str]]:
    """Source id → what the product takes from it (Dutch), counted from the data's own citations."""
    uses: dict[str, list[str]] = {s.id: [] for s in model.info.sources}

    def add(source_id: str, n: int, what: str) -> None:
        if n:
            uses[source_id].append(f"{n} {SINGULAR.get(what, what) if n == 1 else what}")

    for source in model.info.sources:
        sid = source.id
        add(sid, sum(p.source.source == sid for p in model.phases), "fasen")
        add(sid, sum(t.source.source == sid for t in model.themes), "thema's")
        add(sid, sum(d.source.source == sid for t in model.themes for d in t.descriptors), "beschrijvingen per fase")
        for instrument in model.instruments():
            if instrument.source == sid:
                add(sid, len(instrument.questions), f"vragen ({instrument.name})")
        add(sid, sum(k.source.source == sid for k in model.links), "koppelingen")
        add(sid, sum(e.source.source == sid for e in model.examples), "voorbeelden")
        add(sid, sum(c.source.source == sid for c in model.core_choices), "kernkeuzes")
        add(sid, sum(c.source.source == sid for c in model.randvoorwaarden.conditions), "randvoorwaarden")
        add(sid, sum(x.source.source == sid for x in model.assignment.sections()), "delen van de brede opdracht")
        add(sid, sum(x.source.source == sid for x in model.assignment.safety), "teksten over veiligheid")
    for bf_source in ("quickscan", "basisfuncties"):
        if bf_source in uses:
            uses[bf_source].append("beschrijvingen van de basisfuncties")
    return uses


def sources_with_uses(model: MaturityModel) -> list[str]:
    """Each source's citation, followed by what is taken from it."""
    uses = source_uses(model)
    return [
        s.citation() + (f" Gebruikt voor: {', '.join(uses[s.id])}." if uses[s.id] else "") for s in model.info.sources
    ]


def model_counts(model: MaturityModel) -> dict[str, int]:
    """How much the model carries (for a one-line overview)."""
    return {
        "thema's": len(model.themes),
        "fasen": len(model.phases),
        "basisfuncties": len(model.basic_functions),
        "Quickscan-vragen": len(model.quickscan.questions),
        "verdiepende vragen": len(model.in_depth.questions),
        "randvoorwaarden": len(model.randvoorwaarden.conditions),
        "koppelingen": len(model.links),
        "voorbeelden": len(model.examples),
    }


def guidance_source(model: MaturityModel, guidance_id: str) -> str:
    """'Bron: <publication>. <location>.' under a guidance text of the publication."""
    source = model.guidance_text(guidance_id).source
    return f"Bron: {citation_text(model, source.source, source.location)}."


def theme_advice(model: MaturityModel, theme_id: str) -> list[tuple[str, str]]:
    """Step 4's advice for one theme, beside its examples: (text, 'Bron: ...') per passage, the
    advice for every theme (where the energy is) last."""
    return [
        (g.text, guidance_source(model, g.id))
        for g in [*model.guidance_of(theme_id), model.guidance_text("stap4_energie")]
    ]


def advice_by_theme(model: MaturityModel) -> dict[str, list[str]]:
    """Theme name → step 4's advice about that theme (verbatim passages), for the model page."""
    return {
        t.name: [g.text for g in model.guidance_of(t.id)] for t in model.themes_ordered() if model.guidance_of(t.id)
    }


def terms_table(model: MaturityModel) -> pd.DataFrame:
    """Begrippen: the definition list of the in-depth questions (seed 000), as the source gives it."""
    return pd.DataFrame(
        {"Begrip": [t.term for t in model.guidance.terms], "Omschrijving": [t.definition for t in model.guidance.terms]}
    )


def terms_source(model: MaturityModel) -> str:
    """'Bron: ...' under the Begrippen."""
    first = model.guidance.terms[0].source
    return f"Bron: {citation_text(model, first.source, first.location)}."


def glossary_table() -> pd.DataFrame:
    """The words the dashboard itself uses that need a word of explanation (`text.glossary`), one a row."""
    return pd.DataFrame({"Woord": list(GLOSSARY), "Wat betekent het?": list(GLOSSARY.values())}).set_index("Woord")
