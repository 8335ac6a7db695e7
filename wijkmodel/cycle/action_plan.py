"""The action plan of step 4: actions per theme, for a wijk or the municipality as a whole,
and the suggested priorities (largest gap to target, lowest phase, and where the energy is)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.core import phase_of
from wijkmodel.storage.history import record, unit_scope
from wijkmodel.storage.inputs import ActionIn, InputError, validate
from wijkmodel.storage.municipalities import bump_revision
from wijkmodel.storage.tables import Action, ActionStatus, utcnow

STATUSES = [s.value for s in ActionStatus]
"""Statuses in the order a plan moves through them."""

COLUMNS = {
    "theme_name": "Thema",
    "unit_name": "Voor",
    "description": "Actie",
    "owner": "Eigenaar",
    "start_date": "Start",
    "end_date": "Eind",
    "status": "Status",
}
"""Columns of the action plan as people read it."""


def save_action(
    *,
    session: Session,
    unit_id: int,
    theme_id: str,
    description: str,
    model: MaturityModel,
    owner: str = "",
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    status: str = ActionStatus.PLANNED.value,
    action_id: int | None = None,
) -> Action:
    """Add an action (or change action `action_id`): every field checked first, nothing saved on error."""
    if theme_id not in {t.id for t in model.themes}:
        raise InputError([f"Actie: onbekend thema '{theme_id}'."])
    data = validate(
        ActionIn,
        "Actie",
        description=description,
        owner=owner,
        start_date=start_date,
        end_date=end_date,
        status=status,
    )
    scope = unit_scope(session=session, unit_id=unit_id)
    if action_id is None:
        row = Action(unit_id=unit_id, theme_id=theme_id, description=data.description, status=data.status.value)
        session.add(row)
        record(session=session, scope=scope, kind="actie", subject=data.description, old=None, new="toegevoegd")
    else:
        found = session.get(Action, action_id)
        if found is None or found.unit_id != unit_id:
            raise InputError(["Deze actie bestaat niet (meer)."])
        row = found
        for label, old, new in (
            ("beschrijving", row.description, data.description),
            ("thema", model.theme(row.theme_id).name, model.theme(theme_id).name),
            ("eigenaar", row.owner, data.owner),
            ("start", row.start_date, data.start_date),
            ("eind", row.end_date, data.end_date),
            ("status", row.status, data.status.value),
        ):
            record(session=session, scope=scope, kind=f"actie, {label}", subject=data.description, old=old, new=new)
    row.theme_id, row.description, row.owner = theme_id, data.description, data.owner
    row.start_date, row.end_date, row.status = data.start_date, data.end_date, data.status.value
    row.updated_at = utcnow()
    bump_revision(session=session, municipality_id=scope.municipality_id)
    session.flush()
    return row


def plan_table(actions: pd.DataFrame, unit_names: dict[int, str], model: MaturityModel) -> pd.DataFrame:
    """The action plan in theme order, then by start date (Dutch headers of `COLUMNS`, plus `action`)."""
    order = {t.id: t.order for t in model.themes}
    out = actions.copy()
    out["theme_name"] = [model.theme(t).name for t in out["theme"]]
    out["unit_name"] = out["unit"].map(unit_names)
    out["_order"] = out["theme"].map(order)
    out = out.sort_values(["_order", "start_date", "action"], na_position="last")
    for column in ("start_date", "end_date"):  # Dutch day-month-year, empty when not set
        out[column] = [d.strftime("%d-%m-%Y") if isinstance(d, dt.date) else "" for d in out[column]]
    return out[["action", *COLUMNS]].rename(columns=COLUMNS).reset_index(drop=True)


def priorities(
    theme_scores: pd.Series, theme_targets: pd.Series, energy: set[str], model: MaturityModel
) -> pd.DataFrame:
    """Suggested order of themes to work on for one unit, in four groups:

    1. themes below their target;
    2. themes without a target;
    3. themes at or above their target;
    4. themes not placed yet (model order).

    Within groups 1 to 3 the themes marked 'waar energie in zit' come first, because the
    publication advises choosing the themes where the energy is (seed 004, step 4); then the
    largest gap (group 1), the lowest score (group 2), the model order.
    Columns: theme, name, score, target, gap, energy, group, reason.
    """
    rows = []
    for theme in model.themes_ordered():
        score = float(theme_scores.get(theme.id, np.nan))
        target = float(theme_targets.get(theme.id, np.nan))
        gap = target - score
        reasons = []
        if np.isnan(score):
            group, urgency = 4, 0.0
            reasons.append("nog niet geplaatst")
        elif not np.isnan(target) and gap > 0:
            group, urgency = 1, gap
            reasons.append(f"{gap:.0f} punten onder de streefwaarde")
        elif np.isnan(target):
            group, urgency = 2, 100.0 - score
        else:
            group, urgency = 3, 0.0
            reasons.append("streefwaarde gehaald")
        if not np.isnan(score):
            reasons.append(f"nu in fase {int(phase_of(score))}")
        if theme.id in energy:
            reasons.append("hier zit energie in")
        rows.append(
            {
                "theme": theme.id,
                "name": theme.name,
                "score": score,
                "target": target,
                "gap": gap,
                "energy": theme.id in energy,
                "group": group,
                "energy_first": 0 if theme.id in energy and group != 4 else 1,
                "urgency": urgency,
                "order": theme.order,
                "reason": "; ".join(reasons),
            }
        )
    out = pd.DataFrame(rows).sort_values(
        ["group", "energy_first", "urgency", "order"], ascending=[True, True, False, True]
    )
    return out.drop(columns=["energy_first", "urgency", "order"]).reset_index(drop=True)


CHANGE_APPROACH = "veranderaanpak"
"""The first core choice: the change approach, which says how a municipality starts."""
APPROACH_ADVICE = {
    "revolutionair": (
        "U koos een revolutionaire aanpak: de gemeente stuurt. De gemeente zet dus zelf de eerste stap, "
        "bij een thema waar energie in zit."
    ),
    "evolutionair": (
        "U koos een evolutionaire aanpak: partners in de wijk bepalen het tempo. Begin daarom waar partners "
        "al energie in steken en sluit aan bij wat er al loopt."
    ),
}
"""Per option of the first core choice: what it means for where to start (B1 Dutch)."""
NO_APPROACH = (
    "Kies ook de veranderkundige visie (kernkeuze 1) voor deze ronde: revolutionair of evolutionair. "
    "Die keuze bepaalt hoe u begint."
)


def start_reason(advice: pd.DataFrame, core_choices: pd.DataFrame, round_id: int) -> str:
    """Why the suggestion starts where it does, in plain Dutch: the first theme of `priorities`,
    whether energy is in it, and the change approach chosen for the round (`Frames.core_choices`)."""
    first = advice.iloc[0]
    if int(first["group"]) == 4:
        opening = "Er is nog geen thema geplaatst. Zet eerst de schuifjes op de pagina Startpositie."
    else:
        why = "hier zit energie in" if bool(first["energy"]) else str(first["reason"])
        opening = f"Voorstel: begin met ‘{first['name']}’ ({why})."
    chosen = core_choices[(core_choices["round"] == round_id) & (core_choices["choice"] == CHANGE_APPROACH)]
    option = chosen["option"].iloc[0] if not chosen.empty else None
    approach = APPROACH_ADVICE.get(option, NO_APPROACH) if isinstance(option, str) else NO_APPROACH
    return f"{opening} {approach}"
