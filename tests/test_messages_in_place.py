"""A save's message shows where the user acted, in the words of the form (issue 17, item 4), and the
first screen says what wijkmodel is and where to go next (item 8)."""

from __future__ import annotations

from typing import Any

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block

from tests.conftest import as_shown, page
from ui.pages import NEXT_STEPS
from ui.places import (
    ACTION_STATUS,
    ADD_WIJK,
    EDIT_WIJK,
    FORMS,
    NEW_ACTION,
    NEW_MUNICIPALITY,
    NEW_ROUND,
    Place,
)
from wijkmodel.analysis.views import welcome
from wijkmodel.model.schema import MaturityModel
from wijkmodel.storage.inputs import field_problem

# --- in the form's words ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("place", "problem", "shown"),
    [
        (NEW_ROUND, field_problem("Ronde", "label", "er is al een ronde ‘2026’."),
         "Naam van de ronde: er is al een ronde ‘2026’."),
        (NEW_ROUND, "Ronde, veld label: mag niet leeg zijn", "Naam van de ronde: mag niet leeg zijn."),
        (NEW_ROUND, "Ronde, veld datum: moet een datum zijn (JJJJ-MM-DD)",
         "Datum: moet een datum zijn (JJJJ-MM-DD)."),
        (NEW_ROUND, "Ronde: de ronde om waarden uit over te nemen hoort niet bij deze gemeente.",
         "De ronde om waarden uit over te nemen hoort niet bij deze gemeente."),
        (ADD_WIJK, "Wijk, veld naam: er is al een wijk ‘Centrum’ in deze gemeente.",
         "Naam van de wijk: er is al een wijk ‘Centrum’ in deze gemeente."),
        (ADD_WIJK, "Wijk, veld CBS-code: moet 'WK' gevolgd door 6 cijfers zijn, bijvoorbeeld WK036300",
         "CBS-code: moet 'WK' gevolgd door 6 cijfers zijn, bijvoorbeeld WK036300."),
        (ADD_WIJK, "Wijk, veld inwoners: mag hoogstens 10.000.000 zijn",
         "Aantal inwoners: mag hoogstens 10.000.000 zijn."),
        (EDIT_WIJK, "Wijk, veld naam: mag niet leeg zijn", "Naam: mag niet leeg zijn."),
        (NEW_MUNICIPALITY, "Gemeente, veld CBS-code: GM0363 is al in gebruik.", "CBS-code: GM0363 is al in gebruik."),
        (NEW_MUNICIPALITY, "Gemeente, veld naam: bevat onzichtbare stuurtekens",
         "Naam van de gemeente: bevat onzichtbare stuurtekens."),
        # a question as label: the message says what of it
        (NEW_ACTION, "Actie, veld beschrijving: mag niet leeg zijn", "Wat gaan we doen? Dit mag niet leeg zijn."),
        (NEW_ACTION, "Actie, veld eigenaar: is te lang (hoogstens 200 tekens)",
         "Wie is eigenaar? Dit is te lang (hoogstens 200 tekens)."),
        (NEW_ACTION, "Actie: de einddatum ligt voor de startdatum", "De einddatum ligt voor de startdatum."),
        (ACTION_STATUS, "Actie, veld status: moet een van deze zijn: 'gepland' of 'klaar'",
         "Nieuwe status: moet een van deze zijn: 'gepland' of 'klaar'."),
        # what the form does not name stays as the domain says it
        (ADD_WIJK, "Ronde, veld label: mag niet leeg zijn", "Ronde, veld label: mag niet leeg zijn"),
        (ADD_WIJK, "Wijk, veld onbekend: is onbekend", "Wijk, veld onbekend: is onbekend"),
        (ADD_WIJK, "Deze wijk bestaat niet (meer).", "Deze wijk bestaat niet (meer)."),
        (NEW_ACTION, "Actie: onbekend thema 'x'.", "Onbekend thema 'x'."),
        (Place("demo"), "Gemeente 'Voorbeeldstad' bestaat al.", "Gemeente 'Voorbeeldstad' bestaat al."),
    ],
)  # fmt: skip
def test_a_refusal_names_the_field_as_the_form_does(place: Place, problem: str, shown: str) -> None:
    assert place.words(problem) == shown


PAGE_OF = {
    NEW_MUNICIPALITY.key: "",
    ADD_WIJK.key: "",
    EDIT_WIJK.key: "",
    NEW_ROUND.key: "",
    NEW_ACTION.key: "app_pages/plan.py",
    ACTION_STATUS.key: "app_pages/plan.py",
}


def _labels(at: AppTest) -> set[str]:
    widgets = [*at.text_input, *at.text_area, *at.number_input, *at.date_input, *at.selectbox, *at.radio]
    return {w.label for w in widgets}


def test_every_label_of_a_form_is_the_label_its_page_shows(demo_db: str) -> None:
    assert {place.key for place in FORMS} == set(PAGE_OF)
    for path in sorted(set(PAGE_OF.values())):
        labels = _labels(page(path))
        for place in (p for p in FORMS if PAGE_OF[p.key] == path):
            for label in place.labels.values():
                # the label itself, or the label before its example: 'CBS-code (optioneel, bijvoorbeeld GM0363)'
                assert any(shown == label or shown.startswith(f"{label} (") for shown in labels), (place.key, label)


# --- beside the form -------------------------------------------------------------------------------


def _in_page_order(block: Block) -> list[Any]:
    """Every element and container of `block`, in the order the page shows them (tabs one after another)."""
    out: list[Any] = []
    for index in sorted(block.children):
        child = block.children[index]
        out.append(child)
        if isinstance(child, Block):
            out += _in_page_order(child)
    return out


def _position(elements: list[Any], found: Any) -> int:
    return next(i for i, e in enumerate(elements) if e is found)


def _submit(at: AppTest, label: str, field: str, value: str) -> None:
    next(t for t in at.text_input if t.label.startswith(field)).input(value)
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception


@pytest.mark.parametrize(
    ("field", "value", "button", "message", "next_part"),
    [
        ("Naam van de wijk", "de hoven", "Wijk toevoegen",
         "Naam van de wijk: er is al een wijk ‘de hoven’ in deze gemeente.", "Welke wijk?"),
        ("Naam van de ronde", " 2026 ", "Ronde aanmaken",
         "Naam van de ronde: er is al een ronde ‘2026’.", "Wie vult in?"),
    ],
)  # fmt: skip
def test_a_refused_duplicate_says_so_under_its_form_in_its_words(
    demo_db: str, field: str, value: str, button: str, message: str, next_part: str
) -> None:
    at = page("")
    _submit(at, button, field, value)
    assert [as_shown(e.value) for e in at.error] == [message]
    assert [as_shown(t.value) for t in at.toast] == [message]  # and in a toast, seen wherever the user looks
    elements = _in_page_order(at.main)
    error = _position(elements, at.error[0])
    submit = _position(elements, next(b for b in at.button if b.label == button))
    after = min(
        _position(elements, e)
        for e in [*at.selectbox, *at.header]
        if getattr(e, "label", None) == next_part or getattr(e, "value", None) == next_part
    )
    assert submit < error < after  # right under the form, before the next part of the page
    assert elements.index(at.header[0]) < error  # not at the top of the page
    at.run()  # shown once
    assert not at.error and not at.toast


def test_a_saved_wijk_says_so_under_its_form(demo_db: str) -> None:
    at = page("")
    _submit(at, "Wijk toevoegen", "Naam van de wijk", "Nieuwbouw")
    assert not at.error
    assert [as_shown(s.value) for s in at.success] == ["Wijk ‘Nieuwbouw’ is toegevoegd."]
    assert [as_shown(t.value) for t in at.toast] == ["Wijk ‘Nieuwbouw’ is toegevoegd."]
    elements = _in_page_order(at.main)
    submit = _position(elements, next(b for b in at.button if b.label == "Wijk toevoegen"))
    edit = _position(elements, next(s for s in at.selectbox if s.label == "Welke wijk?"))
    assert submit < _position(elements, at.success[0]) < edit


def test_a_placed_message_whose_place_was_not_drawn_shows_at_the_top_a_run_later() -> None:
    def script() -> None:
        import streamlit as st

        from ui.messages import show_flash
        from ui.places import Place
        from ui.saving import Placed, placed_messages

        show_flash()
        st.header("Formulier")
        if st.button("Bewaren"):
            placed_messages()["x"] = Placed(problems=["Naam: mag niet leeg zijn."])
            st.rerun()
        if st.session_state.get("draw", True):
            show_flash(where=Place("x"))

    at = AppTest.from_function(script).run()
    at.session_state["draw"] = False  # the form's place is not drawn on the next run
    at.button[0].click().run()
    assert not at.error  # the run after the save: it waits for its place
    at.run()
    assert [as_shown(e.value) for e in at.error] == ["Naam: mag niet leeg zijn."]
    elements = _in_page_order(at.main)
    assert _position(elements, at.error[0]) < _position(elements, at.header[0])  # at the top now
    at.run()
    assert not at.error


# --- the first screen ------------------------------------------------------------------------------


def test_the_first_screen_says_what_wijkmodel_is_and_names_the_four_steps(empty_db: str, model: MaturityModel) -> None:
    at = page("")
    intro, source = welcome(model)
    elements = _in_page_order(at.main)
    assert elements.index(at.title[0]) + 1 == elements.index(at.markdown[0])  # right under the title
    assert as_shown(at.markdown[0].value) == intro
    assert as_shown(at.caption[0].value) == source
    assert not at.main.page_link  # nothing to go to yet


def test_after_loading_the_demo_the_next_steps_are_links(empty_db: str) -> None:
    at = page("")
    next(b for b in at.button if b.label == "Demo laden").click().run()
    assert not at.exception
    assert [as_shown(s.value) for s in at.success] == ["De demogemeente Voorbeeldstad is geladen."]
    lead, _ = NEXT_STEPS["demo"]
    assert [link.value for link in at.main.page_link] == [
        "Startpositie: zie waar de wijken staan en zet zelf een schuifje",
        "Vergelijken: de wijken naast elkaar",
        "Stukken: de presentatie en het verslag voor de stuurgroep",
    ]
    assert [link.proto.page for link in at.main.page_link] == ["startpositie", "vergelijken", "stukken"]
    elements = _in_page_order(at.main)
    message = _position(elements, at.success[0])
    assert all(message < _position(elements, link) for link in at.main.page_link)  # under the message
    assert any(as_shown(m.value) == lead for m in at.markdown)
    at.run()  # they stay while the user works in the demo
    assert len(at.main.page_link) == 3 and not at.success


def test_after_making_a_municipality_the_next_steps_are_links(empty_db: str) -> None:
    at = page("")
    _submit(at, "Gemeente aanmaken", "Naam van de gemeente", "Testdorp")
    assert [as_shown(s.value) for s in at.success] == ["Gemeente ‘Testdorp’ is aangemaakt."]
    assert [link.value for link in at.main.page_link] == [
        "Wijkdata: lees de kerncijfers van uw wijken in",
        "Startpositie: zet per thema een schuifje",
    ]
    assert [link.proto.page for link in at.main.page_link] == ["wijkdata", "startpositie"]
    assert any(as_shown(m.value) == NEXT_STEPS["municipality"][0] for m in at.markdown)
