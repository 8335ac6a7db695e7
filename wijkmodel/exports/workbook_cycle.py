"""The improvement cycle in the Excel workbook: targets, energy marks, core choices, actions and
the history of every change, one sheet each (headers in Dutch, formula-safe via write_table)."""

from __future__ import annotations

from openpyxl import Workbook
from sqlalchemy.orm import Session

from wijkmodel.analysis.summary import MunicipalityProfile
from wijkmodel.analysis.views import item_names
from wijkmodel.cycle.core_choices import NOT_CHOSEN
from wijkmodel.model.schema import MaturityModel
from wijkmodel.storage.history import COLUMNS as HISTORY_COLUMNS
from wijkmodel.storage.history import history
from wijkmodel.text.spreadsheet import write_table

CYCLE_SHEETS = {
    "Streefwaarden": "de streefwaarde en streefdatum per wijk, thema en basisfunctie",
    "Energie": "de thema's waar volgens de gemeente energie in zit, per wijk",
    "Kernkeuzes": "de twee kernkeuzes van stap 3 per ronde, met de onderbouwing",
    "Acties": "het actieplan: wat, voor welk thema en welke wijk, wie, wanneer en de status",
    "Geschiedenis": "elke wijziging: wanneer (UTC), wie (rol en account), wat, was en werd",
}


def add_cycle_sheets(
    book: Workbook,
    *,
    session: Session,
    municipality_id: int,
    mp: MunicipalityProfile,
    model: MaturityModel,
    unit_name: dict[int, str],
    round_label: dict[int, str],
) -> None:
    """Write the five sheets of `CYCLE_SHEETS`, limited to the given units and rounds."""
    frames, names = mp.frames, item_names(model)
    targets = frames.targets[frames.targets["unit"].isin(unit_name)]
    write_table(
        book.create_sheet("Streefwaarden"),
        ["Wijk", "Onderdeel", "Streefwaarde", "Streeffase", "Streefdatum"],
        [
            [
                unit_name[t.unit],
                names.get(t.item, t.item),
                float(t.target),
                int(min(t.target // 25 + 1, 4)),
                t.target_date,
            ]
            for t in targets.sort_values(["unit", "item"]).itertuples()
        ],
    )
    energy = frames.energy[frames.energy["unit"].isin(unit_name)]
    write_table(
        book.create_sheet("Energie"),
        ["Wijk", "Thema"],
        [[unit_name[e.unit], names.get(e.theme, e.theme)] for e in energy.sort_values(["unit", "theme"]).itertuples()],
    )
    choices = frames.core_choices.set_index(["round", "choice"])
    rows = []
    for round_id, label in round_label.items():
        for choice in model.core_choices_ordered():
            key = (round_id, choice.id)
            option = choices["option"].get(key) if key in choices.index else None
            rows.append(
                [
                    label,
                    choice.name,
                    choice.option(option).label if isinstance(option, str) else NOT_CHOSEN,
                    choices["rationale"].get(key, "") if key in choices.index else "",
                ]
            )
    write_table(book.create_sheet("Kernkeuzes"), ["Ronde", "Kernkeuze", "Gekozen", "Onderbouwing"], rows)
    actions = frames.actions[frames.actions["unit"].isin(unit_name)]
    write_table(
        book.create_sheet("Acties"),
        ["Wijk", "Thema", "Actie", "Eigenaar", "Start", "Eind", "Status"],
        [
            [unit_name[a.unit], names.get(a.theme, a.theme), a.description, a.owner, a.start_date, a.end_date, a.status]
            for a in actions.itertuples()
        ],
    )
    log = history(session=session, municipality_id=municipality_id)
    # changes of the chosen units, plus those of the municipality itself (settings, rounds)
    log = log[log["unit_name"].isin(set(unit_name.values()) | {""})]
    write_table(book.create_sheet("Geschiedenis"), list(HISTORY_COLUMNS.values()), log.values.tolist())
