"""The improvement cycle in the JSON backup: targets, energy marks, core choices, actions and history.

Kept apart from `backup.py` so each stays readable; `backup.py` calls these for each part.
Exports are deterministic (fixed order, names instead of database ids).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from wijkmodel.db import Action, Change, CoreChoiceEntry, EnergyMark, Target, Unit
from wijkmodel.inputs import MAX_DESCRIPTION, MAX_NAME, Note
from wijkmodel.model import MaturityModel
from wijkmodel.scoring import item_ids

Text300 = Annotated[str, Field(max_length=300)]


class _Dump(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TargetDump(_Dump):
    """A target of a unit."""

    item: str
    position: float = Field(ge=0, le=100)
    target_date: dt.date | None = None


class CoreChoiceDump(_Dump):
    """A core choice made in a round."""

    choice: str
    option: str | None = None
    rationale: Note = ""


class ActionDump(_Dump):
    """An action of the plan."""

    unit: Annotated[str, Field(min_length=1, max_length=MAX_NAME)]
    theme: str
    description: Annotated[str, Field(min_length=1, max_length=MAX_DESCRIPTION)]
    owner: Annotated[str, Field(max_length=MAX_NAME)] = ""
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    status: Literal["gepland", "loopt", "klaar", "gestopt"] = "gepland"
    created_at: dt.datetime
    updated_at: dt.datetime


class ChangeDump(_Dump):
    """One kept change."""

    at: dt.datetime
    unit: Annotated[str, Field(max_length=MAX_NAME)] = ""
    """The unit it belongs to now (links the change to the unit on import); empty when gone."""
    unit_name: Annotated[str, Field(max_length=MAX_NAME)] = ""
    """The unit's name when the change was made."""
    round: Annotated[str, Field(max_length=100)] = ""
    role: Annotated[str, Field(max_length=130)] = ""
    kind: Annotated[str, Field(min_length=1, max_length=30)]
    subject: Text300
    old: Annotated[str, Field(max_length=20_000)] = ""
    new: Annotated[str, Field(max_length=20_000)] = ""


def _stamp(value: dt.datetime) -> str:
    return value.replace(microsecond=0).isoformat()


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


# --- export -----------------------------------------------------------------------------------


def unit_parts(*, session: Session, unit_id: int) -> dict:
    """Targets and energy marks of one unit."""
    targets = sorted(session.scalars(select(Target).where(Target.unit_id == unit_id)), key=lambda t: t.item_id)
    energy = sorted(session.scalars(select(EnergyMark.theme_id).where(EnergyMark.unit_id == unit_id)))
    return {
        "targets": [{"item": t.item_id, "position": t.position, "target_date": _day(t.target_date)} for t in targets],
        "energy": energy,
    }


def round_parts(*, session: Session, round_id: int) -> dict:
    """Core choices of one round."""
    rows = sorted(
        session.scalars(select(CoreChoiceEntry).where(CoreChoiceEntry.round_id == round_id)), key=lambda c: c.choice_id
    )
    return {"core_choices": [{"choice": c.choice_id, "option": c.option_id, "rationale": c.rationale} for c in rows]}


def municipality_parts(*, session: Session, municipality_id: int, unit_name: dict[int, str]) -> dict:
    """Actions (in the order they were made) and the whole history (oldest first)."""
    actions = session.scalars(
        select(Action)
        .join(Unit, Unit.id == Action.unit_id)
        .where(Unit.municipality_id == municipality_id)
        .order_by(Action.id)
    )
    changes = session.scalars(select(Change).where(Change.municipality_id == municipality_id).order_by(Change.id))
    return {
        "actions": [
            {
                "unit": unit_name[a.unit_id],
                "theme": a.theme_id,
                "description": a.description,
                "owner": a.owner,
                "start_date": _day(a.start_date),
                "end_date": _day(a.end_date),
                "status": a.status,
                "created_at": _stamp(a.created_at),
                "updated_at": _stamp(a.updated_at),
            }
            for a in actions
        ],
        "history": [
            {
                "at": _stamp(c.at),
                "unit": unit_name.get(c.unit_id, "") if c.unit_id is not None else "",
                "unit_name": c.unit_name,
                "round": c.round_label,
                "role": c.role,
                "kind": c.kind,
                "subject": c.subject,
                "old": c.old,
                "new": c.new,
            }
            for c in changes
        ],
    }


# --- checks on the raw JSON (collected with their place) ---------------------------------------


def _list(value: object) -> list:
    """A list from the raw JSON, or nothing (a wrong shape is reported by the strict parse)."""
    return value if isinstance(value, list) else []


def unit_problems(where: str, unit: dict, model: MaturityModel) -> list[str]:
    """Unknown items or themes, and doubles, in a unit's targets and energy marks."""
    problems = []
    items, themes = set(item_ids(model)), {t.id for t in model.themes}
    targets = _list(unit.get("targets"))
    seen: set[str] = set()
    for i, t in enumerate(targets):
        item = t.get("item") if isinstance(t, dict) else None
        if isinstance(item, str) and item not in items:
            problems.append(f"Op plek {where}.targets[{i}].item: onbekend thema of basisfunctie '{item}'.")
        if isinstance(item, str) and item in seen:
            problems.append(f"Op plek {where}.targets[{i}].item: '{item}' komt twee keer voor.")
        if isinstance(item, str):
            seen.add(item)
    energy = _list(unit.get("energy"))
    for i, theme in enumerate(energy):
        if isinstance(theme, str) and theme not in themes:
            problems.append(f"Op plek {where}.energy[{i}]: onbekend thema '{theme}'.")
    return problems


def round_problems(where: str, round_: dict, model: MaturityModel) -> list[str]:
    """Unknown or doubled core choices and options."""
    problems = []
    options = {c.id: {o.id for o in c.options} for c in model.core_choices}
    choices = _list(round_.get("core_choices"))
    seen: set[str] = set()
    for i, c in enumerate(choices):
        if not isinstance(c, dict):
            continue
        choice, option = c.get("choice"), c.get("option")
        if isinstance(choice, str) and choice not in options:
            problems.append(f"Op plek {where}.core_choices[{i}].choice: onbekende kernkeuze '{choice}'.")
        elif isinstance(choice, str) and isinstance(option, str) and option not in options[choice]:
            problems.append(f"Op plek {where}.core_choices[{i}].option: onbekende optie '{option}'.")
        if isinstance(choice, str) and choice in seen:
            problems.append(f"Op plek {where}.core_choices[{i}].choice: '{choice}' komt twee keer voor.")
        if isinstance(choice, str):
            seen.add(choice)
    return problems


def action_problems(actions: object, known_units: set[str], model: MaturityModel) -> list[str]:
    """Unknown units or themes, and end dates before start dates, in the action plan."""
    problems = []
    themes = {t.id for t in model.themes}
    for i, a in enumerate(actions if isinstance(actions, list) else []):
        if not isinstance(a, dict):
            continue
        where = f"municipality.actions[{i}]"
        unit, theme = a.get("unit"), a.get("theme")
        if isinstance(unit, str) and " ".join(unit.split()).casefold() not in known_units:
            problems.append(f"Op plek {where}.unit: onbekende wijk '{unit}'.")
        if isinstance(theme, str) and theme not in themes:
            problems.append(f"Op plek {where}.theme: onbekend thema '{theme}'.")
        start, end = a.get("start_date"), a.get("end_date")
        if isinstance(start, str) and isinstance(end, str) and end < start:
            problems.append(f"Op plek {where}.end_date: de einddatum ligt voor de startdatum.")
    return problems


# --- import -----------------------------------------------------------------------------------


def naive_utc(value: dt.datetime) -> dt.datetime:
    """Stored times are naive UTC; a time with an offset is converted, not just stripped."""
    return value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value


def add_unit_parts(*, session: Session, unit: Unit, targets: list[TargetDump], energy: list[str]) -> None:
    """Write a unit's targets and energy marks."""
    session.add_all(
        Target(unit_id=unit.id, item_id=t.item, position=t.position, target_date=t.target_date) for t in targets
    )
    session.add_all(EnergyMark(unit_id=unit.id, theme_id=theme) for theme in energy)


def add_round_parts(*, session: Session, round_id: int, core_choices: list[CoreChoiceDump]) -> None:
    """Write a round's core choices."""
    session.add_all(
        CoreChoiceEntry(round_id=round_id, choice_id=c.choice, option_id=c.option, rationale=c.rationale)
        for c in core_choices
    )


def add_municipality_parts(
    *,
    session: Session,
    municipality_id: int,
    unit_by_name: dict[str, Unit],
    actions: list[ActionDump],
    history: list[ChangeDump],
) -> None:
    """Write the actions and the history, in file order (so the next export has the same order)."""
    for a in actions:
        session.add(
            Action(
                unit_id=unit_by_name[" ".join(a.unit.split()).casefold()].id,
                theme_id=a.theme,
                description=a.description,
                owner=a.owner,
                start_date=a.start_date,
                end_date=a.end_date,
                status=a.status,
                created_at=naive_utc(a.created_at),
                updated_at=naive_utc(a.updated_at),
            )
        )
        session.flush()  # ids in file order
    for c in history:
        unit = unit_by_name.get(" ".join(c.unit.split()).casefold()) if c.unit else None
        session.add(
            Change(
                municipality_id=municipality_id,
                at=naive_utc(c.at),
                unit_id=unit.id if unit else None,
                unit_name=c.unit_name,
                round_label=c.round,
                role=c.role,
                kind=c.kind,
                subject=c.subject,
                old=c.old,
                new=c.new,
            )
        )
    session.flush()
