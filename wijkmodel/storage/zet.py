"""ZET evaluations: the outcome of the Zorg en ondersteuning Evaluatie Tool per round, unit and basic
function, beside the Quickscan. Seed 001: "Gemeenten kunnen de kwaliteit van de basisfuncties meten
door gebruik van de Zorg en ondersteuning Evaluatie Tool (ZET). […] Deze Quickscan vult dat aan met
een evaluatie op beleid." The Quickscan is policy; ZET is practice.

A value is kept on the evaluation's own scale and maps linearly to the one 0-100 scale
(docs/scoring.md, "ZET"): score = 100 × (value − lowest) / (highest − lowest).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from wijkmodel.model.schema import MaturityModel
from wijkmodel.storage.history import exact, record, unit_scope
from wijkmodel.storage.inputs import InputError, ZetIn, validate
from wijkmodel.storage.municipalities import bump_revision
from wijkmodel.storage.tables import Round, Unit, ZetEvaluation

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


def save_zet(
    *,
    session: Session,
    round_id: int,
    unit_id: int,
    basic_function: str,
    model: MaturityModel,
    value: float | None,
    scale_min: float = 0.0,
    scale_max: float = 100.0,
    cases: int | None = None,
    evaluated_on: dt.date | None = None,
    note: str = "",
) -> ZetEvaluation | None:
    """Set (or, with value None, remove) the ZET outcome of one basic function of a unit in a round."""
    if basic_function not in {b.id for b in model.basic_functions}:
        raise InputError([f"ZET: onbekende basisfunctie '{basic_function}'."])
    name = model.basic_function(basic_function).name
    round_ = session.get(Round, round_id)
    unit = session.get(Unit, unit_id)
    if round_ is None or unit is None or round_.municipality_id != unit.municipality_id:
        raise InputError(["ZET: deze ronde of wijk bestaat niet (meer)."])
    scope = unit_scope(session=session, unit_id=unit_id, round_label=round_.label)
    row = session.scalar(
        select(ZetEvaluation).where(
            ZetEvaluation.round_id == round_id,
            ZetEvaluation.unit_id == unit_id,
            ZetEvaluation.basic_function == basic_function,
        )
    )
    old = _text(row)
    subject = f"ZET: {name}"
    if value is None:
        if row is not None:
            record(session=session, scope=scope, kind="zet", subject=subject, old=old, new=None)
            session.delete(row)
            bump_revision(session=session, municipality_id=scope.municipality_id)
            session.flush()
        return None
    data = validate(
        ZetIn,
        f"ZET '{name}'",
        value=value,
        scale_min=scale_min,
        scale_max=scale_max,
        cases=cases,
        evaluated_on=evaluated_on,
        note=note,
    )
    if row is None:
        row = ZetEvaluation(round_id=round_id, unit_id=unit_id, basic_function=basic_function)
        session.add(row)
    row.value, row.scale_min, row.scale_max = data.value, data.scale_min, data.scale_max
    row.cases, row.evaluated_on, row.note = data.cases, data.evaluated_on, data.note
    if record(session=session, scope=scope, kind="zet", subject=subject, old=old, new=_text(row)):
        bump_revision(session=session, municipality_id=scope.municipality_id)
    session.flush()
    return row


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
