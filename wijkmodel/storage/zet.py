"""ZET evaluations: the outcome of the Zorg en ondersteuning Evaluatie Tool per round, unit and basic
function, beside the Quickscan. Seed 001: "Gemeenten kunnen de kwaliteit van de basisfuncties meten
door gebruik van de Zorg en ondersteuning Evaluatie Tool (ZET). […] Deze Quickscan vult dat aan met
een evaluatie op beleid." The Quickscan is policy; ZET is practice.

A value is kept on the evaluation's own scale and maps linearly to the one 0-100 scale
(docs/scoring.md, "ZET"): score = 100 × (value − lowest) / (highest − lowest).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from wijkmodel.model.schema import MaturityModel
from wijkmodel.storage.conflicts import KEEP, Keep, check_seen
from wijkmodel.storage.history import Scope, exact, record, unit_scope
from wijkmodel.storage.inputs import InputError, ZetIn, validate
from wijkmodel.storage.municipalities import bump_revision
from wijkmodel.storage.tables import Round, Unit, ZetEvaluation, utcnow

COLUMNS = [
    "round",
    "unit",
    "basic_function",
    "value",
    "scale_min",
    "scale_max",
    "score",
    "cases",
    "evaluated_on",
    "note",
]


def zet_score(value: float, scale_min: float = 0.0, scale_max: float = 100.0) -> float:
    """A ZET value on its own scale as a score on the one 0-100 scale (linear)."""
    if scale_max <= scale_min or not scale_min <= value <= scale_max:
        raise ValueError("de uitkomst ligt niet op de schaal van de evaluatie")
    return 100.0 * (value - scale_min) / (scale_max - scale_min) + 0.0


def _text(row: ZetEvaluation | None) -> str | None:
    """How an evaluation reads in the history."""
    if row is None:
        return None
    scale = (
        "" if (row.scale_min, row.scale_max) == (0.0, 100.0) else f" op {exact(row.scale_min)}–{exact(row.scale_max)}"
    )
    parts = [f"{exact(row.value)}{scale}"]
    if row.cases is not None:
        parts.append(f"{row.cases} casussen")
    if row.evaluated_on:
        parts.append(f"op {row.evaluated_on.strftime('%d-%m-%Y')}")
    if row.note:
        parts.append(row.note)
    return " · ".join(parts)


FIELDS = {
    "value": "de uitkomst",
    "scale_min": "de laagste waarde van de schaal",
    "scale_max": "de hoogste waarde van de schaal",
    "cases": "het aantal casussen",
    "evaluated_on": "de datum van de evaluatie",
    "note": "de toelichting",
}
"""The fields of an outcome (columns of `ZetEvaluation`) and how a message names them."""
DEFAULTS: dict[str, Any] = {"scale_min": 0.0, "scale_max": 100.0, "cases": None, "evaluated_on": None, "note": ""}


def _target(
    session: Session, round_id: int, unit_id: int, basic_function: str, model: MaturityModel
) -> tuple[str, Scope, ZetEvaluation | None]:
    """The basic function's name, the scope of the change and the stored outcome (or None)."""
    if basic_function not in {b.id for b in model.basic_functions}:
        raise InputError([f"ZET: onbekende basisfunctie '{basic_function}'."])
    round_ = session.get(Round, round_id)
    unit = session.get(Unit, unit_id)
    if round_ is None or unit is None or round_.municipality_id != unit.municipality_id:
        raise InputError(["ZET: deze ronde of wijk bestaat niet (meer)."])
    row = session.scalar(
        select(ZetEvaluation).where(
            ZetEvaluation.round_id == round_id,
            ZetEvaluation.unit_id == unit_id,
            ZetEvaluation.basic_function == basic_function,
        )
    )
    scope = unit_scope(session=session, unit_id=unit_id, round_label=round_.label)
    return model.basic_function(basic_function).name, scope, row


def save_zet(
    *,
    session: Session,
    round_id: int,
    unit_id: int,
    basic_function: str,
    model: MaturityModel,
    value: float | Keep | None = KEEP,
    scale_min: float | Keep = KEEP,
    scale_max: float | Keep = KEEP,
    cases: int | Keep | None = KEEP,
    evaluated_on: dt.date | Keep | None = KEEP,
    note: str | Keep = KEEP,
    seen: Mapping[str, Any] | None = None,
) -> ZetEvaluation:
    """Set the ZET outcome of one basic function of a unit in a round, or some of its fields.

    Only the fields given are written (KEEP leaves one as stored); a new outcome needs its value.
    An empty value never removes a stored outcome (that is `remove_zet`, a deliberate act).
    `seen` is what the user's screen showed per field; a colleague's newer value raises `Conflict`."""
    name, scope, row = _target(session, round_id, unit_id, basic_function, model)
    given: dict[str, Any] = {
        field: v
        for field, v in zip(FIELDS, (value, scale_min, scale_max, cases, evaluated_on, note), strict=True)
        if not isinstance(v, Keep)
    }
    if given.get("value", KEEP) is None or (row is None and "value" not in given):
        raise InputError(
            [
                f"ZET '{name}': vul eerst de uitkomst in. Dan wordt de rest meteen mee bewaard."
                if row is None
                else f"ZET '{name}': een lege uitkomst haalt niets weg. Wilt u de uitkomst weghalen? Gebruik dan de "
                "knop ‘verwijderen’ eronder."
            ]
        )
    stored: dict[str, Any] = {f: getattr(row, f) for f in FIELDS} if row is not None else {"value": None, **DEFAULTS}
    subject = f"ZET: {name}"
    for field, screen in (seen or {}).items():
        check_seen(
            session=session,
            scope=scope,
            kind="zet",
            what=f"{FIELDS[field]} van de ZET",
            subject=subject,
            stored=stored[field],
            seen=screen,
            mine=given.get(field, stored[field]),
        )
    data = validate(ZetIn, f"ZET '{name}'", **(stored | given))
    old = _text(row)
    if row is None:
        row = ZetEvaluation(round_id=round_id, unit_id=unit_id, basic_function=basic_function)
        session.add(row)
    for field in FIELDS:
        setattr(row, field, getattr(data, field))
    if record(session=session, scope=scope, kind="zet", subject=subject, old=old, new=_text(row)):
        row.updated_at = utcnow()
        bump_revision(session=session, municipality_id=scope.municipality_id)
    session.flush()
    return row


def remove_zet(
    *,
    session: Session,
    round_id: int,
    unit_id: int,
    basic_function: str,
    model: MaturityModel,
    seen_value: float | Keep | None = KEEP,
) -> None:
    """Remove the ZET outcome of one basic function of a unit in a round (traced in the history).
    `seen_value` is the value the user's screen showed; a colleague's newer value raises `Conflict`."""
    name, scope, row = _target(session, round_id, unit_id, basic_function, model)
    if row is None:
        return
    subject = f"ZET: {name}"
    check_seen(
        session=session,
        scope=scope,
        kind="zet",
        what="de uitkomst van de ZET",
        subject=subject,
        stored=row.value,
        seen=seen_value,
        mine=None,
    )
    record(session=session, scope=scope, kind="zet", subject=subject, old=_text(row), new=None)
    session.delete(row)
    bump_revision(session=session, municipality_id=scope.municipality_id)
    session.flush()


def zet_frame(*, session: Session, municipality_id: int) -> pd.DataFrame:
    """Every ZET outcome of a municipality: one row per round, unit and basic function (`COLUMNS`)."""
    rows = session.execute(
        select(
            ZetEvaluation.round_id,
            ZetEvaluation.unit_id,
            ZetEvaluation.basic_function,
            ZetEvaluation.value,
            ZetEvaluation.scale_min,
            ZetEvaluation.scale_max,
            ZetEvaluation.cases,
            ZetEvaluation.evaluated_on,
            ZetEvaluation.note,
        )
        .join(Round, Round.id == ZetEvaluation.round_id)
        .where(Round.municipality_id == municipality_id)
        .order_by(ZetEvaluation.round_id, ZetEvaluation.unit_id, ZetEvaluation.basic_function)
    ).all()
    frame = pd.DataFrame(
        [(r[0], r[1], r[2], r[3], r[4], r[5], zet_score(r[3], r[4], r[5]), r[6], r[7], r[8]) for r in rows],
        columns=COLUMNS,
    )
    frame["cases"] = frame["cases"].astype("Int64")
    return frame


def zet_of(*, session: Session, round_id: int, unit_id: int) -> dict[str, ZetEvaluation]:
    """Basic function id → stored ZET outcome of a unit in a round."""
    rows = session.scalars(
        select(ZetEvaluation).where(ZetEvaluation.round_id == round_id, ZetEvaluation.unit_id == unit_id)
    )
    return {row.basic_function: row for row in rows}
