"""The core choices of step 3 (kernkeuzes), per municipality and round, each with its rationale."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from wijkmodel.db import CoreChoiceEntry, Round
from wijkmodel.history import Scope, record
from wijkmodel.inputs import CoreChoiceIn, InputError, validate
from wijkmodel.model import MaturityModel
from wijkmodel.store import bump_revision

NOT_CHOSEN = "Nog niet gekozen"


def save_core_choice(
    *,
    session: Session,
    round_id: int,
    choice_id: str,
    option_id: str | None,
    model: MaturityModel,
    rationale: str = "",
) -> CoreChoiceEntry:
    """Record the option chosen (None: not yet) and its rationale for one core choice in a round."""
    choice = next((c for c in model.core_choices if c.id == choice_id), None)
    if choice is None:
        raise InputError([f"Kernkeuze: onbekende keuze '{choice_id}'."])
    if option_id is not None and option_id not in {o.id for o in choice.options}:
        raise InputError([f"Kernkeuze '{choice.name}': onbekende optie '{option_id}'."])
    data = validate(CoreChoiceIn, f"Kernkeuze '{choice.name}'", rationale=rationale)
    round_ = session.get(Round, round_id)
    if round_ is None:
        raise InputError(["Deze ronde bestaat niet (meer)."])
    row = session.scalar(
        select(CoreChoiceEntry).where(CoreChoiceEntry.round_id == round_id, CoreChoiceEntry.choice_id == choice_id)
    )
    if row is None:
        row = CoreChoiceEntry(round_id=round_id, choice_id=choice_id, rationale="")
        session.add(row)
    scope = Scope(round_.municipality_id, round_label=round_.label)
    old_label = choice.option(row.option_id).label if row.option_id else None
    new_label = choice.option(option_id).label if option_id else None
    record(session=session, scope=scope, kind="kernkeuze", subject=choice.name, old=old_label, new=new_label)
    record(
        session=session, scope=scope, kind="onderbouwing", subject=choice.name, old=row.rationale, new=data.rationale
    )
    row.option_id, row.rationale = option_id, data.rationale
    bump_revision(session=session, municipality_id=round_.municipality_id)
    session.flush()
    return row


def core_choice_table(core_choices: pd.DataFrame, round_id: int, model: MaturityModel) -> pd.DataFrame:
    """Every core choice of the model with what was chosen in a round (columns in Dutch)."""
    mine = core_choices[core_choices["round"] == round_id].set_index("choice")
    rows = []
    for choice in model.core_choices_ordered():
        option = mine["option"].get(choice.id) if choice.id in mine.index else None
        rationale = mine["rationale"].get(choice.id, "") if choice.id in mine.index else ""
        rows.append(
            {
                "Kernkeuze": choice.name,
                "Vraag": choice.question,
                "Gekozen": choice.option(option).label if isinstance(option, str) and option else NOT_CHOSEN,
                "Onderbouwing": rationale or "",
            }
        )
    return pd.DataFrame(rows, columns=["Kernkeuze", "Vraag", "Gekozen", "Onderbouwing"])
