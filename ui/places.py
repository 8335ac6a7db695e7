"""Where a save's message shows, and in whose words: the forms and buttons that save.

A `Place` is one form or button. `save(..., where=PLACE)` keeps its message for
`show_flash(where=PLACE)`, which a page puts right under that form or button, so a refusal shows
where the user acted. Its `labels` map a field, as the domain names it in a refusal
(`wijkmodel.storage.inputs.field_problem`: entity and field name), to the label the form shows:
the one place where 'Ronde, veld label: …' becomes 'Naam van de ronde: …'. No Streamlit here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from wijkmodel.storage.inputs import split_field_problem

PREDICATES = {"bevat", "heeft", "is", "mag", "moet", "ontbreekt"}
"""The first words of the domain's messages about one field (`dutch_message`): they say something of
the field, so after a question as label ('Wat gaan we doen?') they read 'Dit mag niet leeg zijn.'"""


@dataclass(frozen=True)
class Place:
    """A form or button that saves: `key` names it in the session; `labels` maps (entity, field name)
    of a refusal to the label of that field on the form (without an example such as '(bijvoorbeeld 2027)')."""

    key: str
    labels: Mapping[tuple[str, str], str] = field(default_factory=dict)

    def words(self, problem: str) -> str:
        """`problem` in this form's words: a field named by its label on the form, and a problem of
        the form's entity as a whole without the entity before it. Any other problem as it is."""
        split = split_field_problem(problem)
        if split is not None:
            what, name, text = split
            label = self.labels.get((what, name))
            if label is None:
                return problem
            if label.endswith("?"):  # 'Wat gaan we doen? Dit mag niet leeg zijn.'
                return f"{label} {_sentence(f'Dit {text}' if text.split(' ', 1)[0] in PREDICATES else text)}"
            return f"{label}: {_ended(text)}"
        for what in {entity for entity, _ in self.labels}:
            if problem.startswith(f"{what}: "):  # 'Actie: de einddatum ligt voor de startdatum'
                return _sentence(problem.removeprefix(f"{what}: "))
        return problem


def _ended(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _sentence(text: str) -> str:
    return _ended(text[:1].upper() + text[1:])


# --- the places: every form and button of a page that saves with `save` ---------------------------

NEW_MUNICIPALITY = Place(
    "new_municipality", {("Gemeente", "name"): "Naam van de gemeente", ("Gemeente", "cbs_code"): "CBS-code"}
)
DEMO = Place("demo")
ROLES = Place("roles")
ADD_WIJK = Place(
    "add_wijk",
    {("Wijk", "name"): "Naam van de wijk", ("Wijk", "cbs_code"): "CBS-code", ("Wijk", "population"): "Aantal inwoners"},
)
EDIT_WIJK = Place(
    "edit_wijk", {("Wijk", "name"): "Naam", ("Wijk", "cbs_code"): "CBS-code", ("Wijk", "population"): "Aantal inwoners"}
)
REMOVE_WIJK = Place("remove_wijk")
NEW_ROUND = Place("new_round", {("Ronde", "label"): "Naam van de ronde", ("Ronde", "date"): "Datum"})
NEW_ACTION = Place(
    "new_action",
    {
        ("Actie", "description"): "Wat gaan we doen?",
        ("Actie", "owner"): "Wie is eigenaar?",
        ("Actie", "start_date"): "Start",
        ("Actie", "end_date"): "Eind",
        ("Actie", "status"): "Status",
    },
)
ACTION_STATUS = Place("action_status", {("Actie", "status"): "Nieuwe status"})
TARGETS = Place("targets")
BOUNDARIES = Place("boundaries")
NEW_INVITATION = Place("new_invitation")
INVITATIONS = Place("invitations")
NEW_REGION = Place("new_region", {("Regio", "name"): "Naam van de regio"})
REGION = Place("region", {("Regio", "name"): "Naam van de regio"})
SHARING = Place("sharing")


def import_place(section: str) -> Place:
    """The button 'Importeren' of one import section of Wijkdata (a file, or a table of the CBS)."""
    return Place(f"wijkdata_import_{section}")


FORMS = [NEW_MUNICIPALITY, ADD_WIJK, EDIT_WIJK, NEW_ROUND, NEW_ACTION, ACTION_STATUS]
"""The places with fields, for the test that their labels are the ones the pages show."""
