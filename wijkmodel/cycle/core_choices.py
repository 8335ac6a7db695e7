"""The core choices of step 3 (kernkeuzes), per municipality and round, each with its rationale."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from wijkmodel.model.schema import MaturityModel
from wijkmodel.storage.conflicts import KEEP, Keep, check_seen
from wijkmodel.storage.history import Scope, record
from wijkmodel.storage.inputs import CoreChoiceIn, InputError, validate
from wijkmodel.storage.municipalities import bump_revision
from wijkmodel.storage.tables import CoreChoiceEntry, Round

NOT_CHOSEN = "Nog niet gekozen"


def save_core_choice(
    *,
    session: Session,
    round_id: int,
    choice_id: str,
    model: MaturityModel,
    option_id: str | Keep | None = KEEP,
    rationale: str | Keep = KEEP,
    seen_option: str | Keep | None = KEEP,
    seen_rationale: str | Keep = KEEP,
) -> CoreChoiceEntry:
    """Record the option chosen (None: not yet) and/or its rationale for one core choice in a round.

    Only the fields given are written (KEEP leaves one as stored); `seen_*` is what the user's screen
    showed, and a colleague's newer value raises `Conflict` (see wijkmodel.storage.conflicts)."""
    choice = next((c for c in model.core_choices if c.id == choice_id), None)
    if choice is None:
        raise InputError([f"Kernkeuze: onbekende keuze '{choice_id}'."])
    if isinstance(option_id, str) and option_id not in {o.id for o in choice.options}:
        raise InputError([f"Kernkeuze '{choice.name}': onbekende optie '{option_id}'."])
    data = (
        None
        if isinstance(rationale, Keep)
        else validate(CoreChoiceIn, f"Kernkeuze '{choice.name}'", rationale=rationale)
    )
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

    def label(option: str | None) -> str | None:
        return choice.option(option).label if option else None

    if not isinstance(option_id, Keep):
        check_seen(
            session=session,
            scope=scope,
            kind="kernkeuze",
            what="de keuze",
            subject=choice.name,
            stored=row.option_id,
            seen=seen_option,
            mine=option_id,
            text=label,
        )
        record(
            session=session,
            scope=scope,
            kind="kernkeuze",
            subject=choice.name,
            old=label(row.option_id),
            new=label(option_id),
        )
        row.option_id = option_id
    if data is not None:
        old_rationale = row.rationale or ""
        check_seen(
            session=session,
            scope=scope,
            kind="onderbouwing",
            what="de onderbouwing",
            subject=choice.name,
            stored=old_rationale,
            seen=seen_rationale,
            mine=data.rationale,
        )
        record(
            session=session,
            scope=scope,
            kind="onderbouwing",
            subject=choice.name,
            old=old_rationale,
            new=data.rationale,
        )
        row.rationale = data.rationale
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
