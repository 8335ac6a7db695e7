"""The improvement cycle and the wijk-analyse in the JSON backup: targets, energy marks, core
choices, actions and history (format 2); indicator values and boundaries of the units (format 3).

Kept apart from `backup.py` so each stays readable; `backup.py` calls these for each part.
Exports are deterministic (fixed order, names instead of database ids).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.core import item_ids
from wijkmodel.storage.db import (
    Action,
    Change,
    CoreChoiceEntry,
    EnergyMark,
    IndicatorValue,
    Target,
    Unit,
    UnitGeometry,
    utcnow,
)
from wijkmodel.storage.inputs import MAX_NAME, Description, Note, Owner, plain_text
from wijkmodel.wijkdata.mapping import MAX_INDICATOR
from wijkmodel.wijkdata.wijk_import import MAX_SOURCE, MAX_YEAR, MIN_YEAR

Text300 = Annotated[str, Field(max_length=300), AfterValidator(plain_text)]
Source = Annotated[str, Field(max_length=MAX_SOURCE), AfterValidator(plain_text)]


def _filled(value: str) -> str:
    if not value.strip():
        raise ValueError("mag niet leeg zijn")
    return value


def _year(value: int) -> int:
    if not MIN_YEAR <= value <= MAX_YEAR:
        raise ValueError(f"moet een jaar van {MIN_YEAR} tot en met {MAX_YEAR} zijn")
    return value


def _moment(value: dt.datetime) -> dt.datetime:
    try:
        naive_utc(value)
    except OverflowError:
        raise ValueError("ligt buiten de kalender (jaar 1 tot en met 9999, in UTC)") from None
    return value


Moment = Annotated[dt.datetime, AfterValidator(_moment)]
"""A time that can be stored: with its offset applied it still lies within years 1-9999."""


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise ValueError("moet een eindig getal zijn (geen NaN of oneindig)")
    return value


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
    description: Description
    """Checked like the form checks it (spaces normalised, no control characters, not empty)."""
    owner: Owner = ""
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    status: Literal["gepland", "loopt", "klaar", "gestopt"] = "gepland"
    created_at: Moment
    updated_at: Moment


class ChangeDump(_Dump):
    """One kept change."""

    at: Moment
    unit: Annotated[str, Field(max_length=MAX_NAME), AfterValidator(plain_text)] = ""
    """The unit it belongs to now (links the change to the unit on import); empty when gone."""
    unit_name: Annotated[str, Field(max_length=MAX_NAME), AfterValidator(plain_text)] = ""
    """The unit's name when the change was made."""
    round: Annotated[str, Field(max_length=100), AfterValidator(plain_text)] = ""
    role: Annotated[str, Field(max_length=130), AfterValidator(plain_text)] = ""
    kind: Annotated[str, Field(min_length=1, max_length=30), AfterValidator(plain_text)]
    subject: Text300
    old: Annotated[str, Field(max_length=20_000), AfterValidator(plain_text)] = ""
    new: Annotated[str, Field(max_length=20_000), AfterValidator(plain_text)] = ""


class IndicatorDump(_Dump):
    """One figure of the wijk-analyse: an indicator of a unit in one year."""

    indicator: Annotated[str, Field(max_length=MAX_INDICATOR), AfterValidator(_filled), AfterValidator(plain_text)]
    year: Annotated[int, AfterValidator(_year)]
    value: Annotated[float, AfterValidator(_finite)]
    source: Source = ""


class BoundaryDump(_Dump):
    """The boundary of a unit."""

    source: Source = ""
    updated_at: Moment | None = None
    """When it was read in; now when missing."""
    geometry: Any
    """GeoJSON Polygon or MultiPolygon in WGS84; its shape is checked by `geometry_problem` on the raw
    JSON (so every problem is named with its exact place, in Dutch)."""


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


def wijkdata_parts(*, session: Session, unit_id: int) -> dict:
    """Indicator values (by indicator, then year) and the boundary of one unit."""
    values = sorted(
        session.scalars(select(IndicatorValue).where(IndicatorValue.unit_id == unit_id)),
        key=lambda v: (v.indicator.casefold(), v.indicator, v.year),
    )
    boundary = session.get(UnitGeometry, unit_id)
    return {
        "indicators": [
            {"indicator": v.indicator, "year": v.year, "value": v.value, "source": v.source} for v in values
        ],
        "boundary": None
        if boundary is None
        else {
            "source": boundary.source,
            "updated_at": _stamp(boundary.updated_at),
            "geometry": json.loads(boundary.geometry),
        },
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
    marked: set[str] = set()
    for i, theme in enumerate(energy):
        if isinstance(theme, str) and theme not in themes:
            problems.append(f"Op plek {where}.energy[{i}]: onbekend thema '{theme}'.")
        if isinstance(theme, str) and theme in marked:
            problems.append(f"Op plek {where}.energy[{i}]: '{theme}' komt twee keer voor.")
        if isinstance(theme, str):
            marked.add(theme)
    return problems


def wijkdata_problems(where: str, unit: dict) -> list[str]:
    """Doubled (indicator, year) pairs, and a boundary that is no WGS84 Polygon or MultiPolygon."""
    problems = []
    seen: set[tuple[str, int]] = set()
    for i, v in enumerate(_list(unit.get("indicators"))):
        indicator, year = (v.get("indicator"), v.get("year")) if isinstance(v, dict) else (None, None)
        if not isinstance(indicator, str) or not isinstance(year, int) or isinstance(year, bool):
            continue
        if (indicator, year) in seen:
            problems.append(
                f"Op plek {where}.indicators[{i}]: kerncijfer '{indicator}' van {year} komt twee keer voor."
            )
        seen.add((indicator, year))
    boundary = unit.get("boundary")
    if isinstance(boundary, dict) and "geometry" in boundary:
        problem = geometry_problem(f"{where}.boundary.geometry", boundary["geometry"])
        if problem:
            problems.append(problem)
    return problems


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _point_problem(where: str, point: object) -> str | None:
    if not isinstance(point, list) or len(point) != 2:
        return f"Op plek {where}: een punt moet een lijst van 2 getallen zijn: [lengtegraad, breedtegraad]."
    for i, (name, limit) in enumerate((("lengtegraad", 180), ("breedtegraad", 90))):
        number = point[i]
        if not _is_number(number) or (isinstance(number, float) and not math.isfinite(number)):
            return f"Op plek {where}[{i}]: de {name} moet een eindig getal zijn."
        if not -limit <= number <= limit:
            return f"Op plek {where}[{i}]: de {name} {number} ligt niet tussen -{limit} en {limit} (WGS84, in graden)."
    return None


def _polygon_problem(where: str, rings: object) -> str | None:
    if not isinstance(rings, list) or not rings:
        return f"Op plek {where}: een polygoon moet een lijst van ringen zijn (de buitenrand, dan eventuele gaten)."
    for r, ring in enumerate(rings):
        if not isinstance(ring, list) or len(ring) < 4:
            return f"Op plek {where}[{r}]: een ring moet een lijst van minstens 4 punten zijn."
        for p, point in enumerate(ring):
            problem = _point_problem(f"{where}[{r}][{p}]", point)
            if problem:
                return problem
    return None


def geometry_problem(where: str, geometry: object) -> str | None:
    """The first problem of a GeoJSON Polygon or MultiPolygon in WGS84, with its place; None when fine.

    Kept simple: type, nesting, numbers and ranges (no check that rings close or do not cross)."""
    if not isinstance(geometry, dict):
        return f"Op plek {where}: moet een GeoJSON-geometrie zijn, een object met 'type' en 'coordinates'."
    for key in geometry:
        if key not in ("type", "coordinates"):
            return f"Op plek {where}.{key}: is onbekend (een geometrie heeft alleen 'type' en 'coordinates')."
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    if kind not in ("Polygon", "MultiPolygon"):
        return f"Op plek {where}.type: moet 'Polygon' of 'MultiPolygon' zijn."
    if "coordinates" not in geometry:
        return f"Op plek {where}.coordinates: ontbreekt."
    if kind == "Polygon":
        return _polygon_problem(f"{where}.coordinates", coordinates)
    if not isinstance(coordinates, list) or not coordinates:
        return f"Op plek {where}.coordinates: een MultiPolygon moet een lijst van polygonen zijn."
    for i, polygon in enumerate(coordinates):
        problem = _polygon_problem(f"{where}.coordinates[{i}]", polygon)
        if problem:
            return problem
    return None


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


def add_wijkdata(
    *, session: Session, unit: Unit, indicators: list[IndicatorDump], boundary: BoundaryDump | None
) -> None:
    """Write a unit's indicator values and boundary (the geometry as compact GeoJSON text, as stored)."""
    if indicators:
        session.execute(
            insert(IndicatorValue),
            [
                {"unit_id": unit.id, "indicator": v.indicator, "year": v.year, "value": v.value, "source": v.source}
                for v in indicators
            ],
        )
    if boundary is not None:
        geometry = {"type": boundary.geometry["type"], "coordinates": boundary.geometry["coordinates"]}
        session.add(
            UnitGeometry(
                unit_id=unit.id,
                geometry=json.dumps(geometry, separators=(",", ":")),
                source=boundary.source,
                updated_at=naive_utc(boundary.updated_at) if boundary.updated_at else utcnow(),
            )
        )


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
