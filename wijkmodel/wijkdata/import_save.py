"""Saving checked import plans (wijken and their indicators), for one municipality or many at once.

One code path for both: the import of one municipality saves a list of one, the import of a whole
CBS file saves every municipality's plan together, with one statement per kind of row instead of
one per municipality (or per wijk). The history of each municipality reads as before: its CBS
code, then its new wijken, codes, inhabitants and the import itself, in that order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from wijkmodel.model.indicators import COLUMNS as INDICATOR_COLUMNS
from wijkmodel.storage.history import Entry, Scope, record, record_many
from wijkmodel.storage.municipalities import bump_revision
from wijkmodel.storage.tables import AccountRole, IndicatorValue, Municipality, Unit, UnitKind
from wijkmodel.wijkdata.plan import ImportPlan


@dataclass(frozen=True)
class ImportResult:
    """What an import saved."""

    new_wijken: int
    wijken: int
    values: int
    lines: list[str]


@dataclass(frozen=True)
class PlannedSave:
    """One municipality's checked plan, with its stored values of the population indicator (a later
    year there keeps the inhabitants as they are)."""

    municipality: Municipality
    plan: ImportPlan
    indicators: pd.DataFrame


def population_values(*, session: Session, municipality_id: int, indicator: str | None) -> pd.DataFrame:
    """The stored values of the population indicator in a municipality (what `PlannedSave.indicators`
    needs; one query, none without a population indicator)."""
    if indicator is None:
        return pd.DataFrame(columns=INDICATOR_COLUMNS)
    rows = session.execute(
        select(
            IndicatorValue.unit_id,
            IndicatorValue.indicator,
            IndicatorValue.year,
            IndicatorValue.value,
            IndicatorValue.source,
        )
        .join(Unit, Unit.id == IndicatorValue.unit_id)
        .where(Unit.municipality_id == municipality_id, IndicatorValue.indicator == indicator)
    ).all()
    return pd.DataFrame(rows, columns=INDICATOR_COLUMNS)


def save_plans(*, session: Session, saves: list[PlannedSave]) -> list[ImportResult]:
    """Save checked plans in the caller's transaction: new wijken, codes, indicator values,
    inhabitants, one history row per change, and a new revision for each municipality."""
    entries: list[Entry] = []
    for item in saves:
        code = item.plan.municipality_code
        if code and session.scalar(select(Municipality.id).where(Municipality.cbs_code == code)) is None:
            entries.append(Entry(Scope(item.municipality.id), "gemeente", "CBS-code", None, code))
            item.municipality.cbs_code = code
            session.flush()  # the next plan's check sees this code taken
    rows = [_rows_with_new(item) for item in saves]
    created = [
        {
            "municipality_id": item.municipality.id,
            "kind": UnitKind.WIJK.value,
            "name": name,
            "cbs_code": code,
            "population": people,
        }
        for item, frame in zip(saves, rows, strict=True)
        for name, code, people in zip(
            frame.loc[frame["new"], "name"],
            frame.loc[frame["new"], "code"],
            frame.loc[frame["new"], "people"],
            strict=True,
        )
    ]
    # INSERT ... RETURNING for all new wijken at once, ids in the order of the rows (PostgreSQL
    # sends them in batches; SQLite, without a column to sort on, one row per statement)
    new_ids = (
        list(session.scalars(insert(Unit).returning(Unit.id, sort_by_parameter_order=True), created)) if created else []
    )
    position = 0
    for frame in rows:
        count = int(frame["new"].sum())
        frame.loc[frame["new"], "unit"] = new_ids[position : position + count]
        position += count
    entries += [
        Entry(
            Scope(unit["municipality_id"], unit_id, unit["name"]),
            "wijk",
            unit["name"],
            None,
            "toegevoegd (import)"
            if unit["population"] is None
            else f"toegevoegd (import), {unit['population']} inwoners",
        )
        for unit_id, unit in zip(new_ids, created, strict=True)
    ]
    for item, frame in zip(saves, rows, strict=True):
        recode = frame[frame["status"] == "code"]
        for unit_id, code, name in zip(recode["unit"], recode["code"], recode["name"], strict=True):
            coded_unit = session.get(Unit, int(unit_id))
            if coded_unit is not None:
                entries.append(Entry(Scope(item.municipality.id, coded_unit.id, name), "wijk", "CBS-code", None, code))
                coded_unit.cbs_code = code
    record_many(session=session, entries=entries)
    whole = dict(
        session.execute(
            select(Unit.municipality_id, Unit.id).where(
                Unit.municipality_id.in_([item.municipality.id for item in saves]),
                Unit.kind == UnitKind.MUNICIPALITY.value,
            )
        ).all()
    )
    values = [_values(item, frame, whole.get(item.municipality.id)) for item, frame in zip(saves, rows, strict=True)]
    # the values a plan replaces: one DELETE per year and set of indicators (in a file, all plans share them)
    replaced: dict[tuple[int, tuple[str, ...]], set[int]] = {}
    for item, frame in zip(saves, rows, strict=True):
        whole_id = whole.get(item.municipality.id)
        touched = {int(u) for u in frame["unit"]} | ({whole_id} if item.plan.whole and whole_id else set())
        replaced.setdefault((item.plan.year, tuple(item.plan.indicators)), set()).update(touched)
    for (year, indicators), unit_ids in replaced.items():
        session.execute(
            delete(IndicatorValue).where(
                IndicatorValue.unit_id.in_(sorted(unit_ids)),
                IndicatorValue.indicator.in_(indicators),
                IndicatorValue.year == year,
            )
        )
    inserted = [
        {"unit_id": int(u), "indicator": k, "year": item.plan.year, "value": v, "source": item.plan.source[:200]}
        for item, found in zip(saves, values, strict=True)
        for u, k, v in found
    ]
    if inserted:
        # Core executemany: the ORM's bulk path costs more per row than SQLite does
        session.connection().execute(IndicatorValue.__table__.insert(), inserted)  # type: ignore[attr-defined]
    for item, frame in zip(saves, rows, strict=True):
        existing = ~frame["new"].to_numpy()  # new wijken got their inhabitants when they were made
        if item.plan.population is not None and existing.any():
            _update_population(
                session=session,
                municipality_id=item.municipality.id,
                plan=item.plan,
                unit_ids=[int(u) for u in frame["unit"].to_numpy()[existing]],
                values=item.plan.values[item.plan.population].to_numpy()[existing],
                indicators=item.indicators,
            )
    record_many(
        session=session,
        entries=[
            Entry(
                Scope(item.municipality.id),
                "wijkdata",
                item.plan.source,
                None,
                f"{len(frame)} wijken, {len(item.plan.indicators)} kerncijfers ({item.plan.year})",
            )
            for item, frame in zip(saves, rows, strict=True)
        ],
    )
    for item in saves:
        bump_revision(session=session, municipality_id=item.municipality.id, need=AccountRole.ADMIN)
    return [
        ImportResult(new_wijken=int(frame["new"].sum()), wijken=len(frame), values=len(found), lines=[])
        for frame, found in zip(rows, values, strict=True)
    ]


def _rows_with_new(item: PlannedSave) -> pd.DataFrame:
    """The plan's rows with `new` (a wijk to make) and `people` (its inhabitants, or None)."""
    plan = item.plan
    frame = plan.rows.copy()
    frame["unit"] = frame["unit"].astype(object)
    frame["new"] = (frame["status"] == "nieuw").to_numpy()
    frame["people"] = (
        [None if pd.isna(v) else round(v) for v in plan.values[plan.population]]
        if plan.population
        else [None] * len(frame)
    )
    return frame


def _values(item: PlannedSave, frame: pd.DataFrame, whole_id: int | None) -> list[tuple[int, str, float]]:
    """(unit, indicator, value) for every value the plan holds, the municipality's own row included."""
    keys = list(item.plan.values.columns)
    matrix = item.plan.values.to_numpy(dtype=float)
    found = [
        (int(unit), key, float(value))
        for unit, row in zip(frame["unit"], matrix, strict=True)
        for key, value in zip(keys, row, strict=True)
        if not np.isnan(value)
    ]
    if item.plan.whole and whole_id is not None:
        found += [(whole_id, key, value) for key, value in item.plan.whole.items()]
    return found


def _update_population(
    *,
    session: Session,
    municipality_id: int,
    plan: ImportPlan,
    unit_ids: list[int],
    values: np.ndarray,
    indicators: pd.DataFrame,
) -> None:
    """Set the number of inhabitants of existing wijken from the population indicator (`values`,
    aligned with `unit_ids`), unless a later year is stored."""
    stored = indicators[indicators["indicator"] == plan.population]
    latest = stored.groupby("unit")["year"].max().to_dict() if len(stored) else {}
    current = dict(session.execute(select(Unit.id, Unit.population).where(Unit.id.in_(unit_ids))).all())
    for unit_id, value in zip(unit_ids, values, strict=True):
        if pd.isna(value) or latest.get(unit_id, plan.year) > plan.year:
            continue
        population = round(value)
        if unit_id not in current or current[unit_id] == population:
            continue
        unit = session.get(Unit, unit_id)
        assert unit is not None
        record(
            session=session,
            scope=Scope(municipality_id, unit.id, unit.name),
            kind="wijk",
            subject="inwoners",
            old=unit.population,
            new=population,
        )
        unit.population = population
