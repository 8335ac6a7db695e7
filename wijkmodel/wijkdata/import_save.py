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
from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from wijkmodel.model.indicators import COLUMNS as INDICATOR_COLUMNS
from wijkmodel.storage.history import Entry, Scope, record_many
from wijkmodel.storage.municipalities import bump_revisions
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


def population_values(*, session: Session, municipality_ids: list[int], indicator: str | None) -> pd.DataFrame:
    """The stored values of the population indicator in municipalities (what `PlannedSave.indicators`
    and `SaveBatch.stored` need; one query, none without a population indicator)."""
    if indicator is None or not municipality_ids:
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
        .where(Unit.municipality_id.in_(municipality_ids), IndicatorValue.indicator == indicator)
    ).all()
    return pd.DataFrame(rows, columns=INDICATOR_COLUMNS)


@dataclass(frozen=True)
class SaveBatch:
    """Checked plans of one file (one year, source and set of indicators) for one or more
    municipalities, as one table: what `save_batch` writes."""

    municipalities: list[Municipality]
    codes: list[str | None]
    """Per municipality, the GM code it gets when it has none (else None)."""
    rows: pd.DataFrame
    """owner (position in `municipalities`), code, name, unit (existing id or None), status."""
    values: pd.DataFrame
    """Same index as rows; one float column per indicator key (NaN: no value)."""
    whole: list[dict[str, float]]
    """Per municipality, the values of its own row, for 'Gemeente als geheel'."""
    indicators: list[str]
    population: str | None
    year: int
    source: str
    stored: pd.DataFrame
    """The stored values of the population indicator in these municipalities (INDICATOR_COLUMNS)."""


def batch_of(saves: list[PlannedSave]) -> SaveBatch:
    """One batch of plans of one file (ValueError for plans of different years, sources or indicators)."""
    first = saves[0].plan
    for item in saves:
        shared = (item.plan.year, item.plan.source, item.plan.indicators, item.plan.population)
        if shared != (first.year, first.source, first.indicators, first.population):
            raise ValueError("plans of one file only")
    rows = [item.plan.rows[["code", "name", "unit", "status"]].assign(owner=n) for n, item in enumerate(saves)]
    return SaveBatch(
        municipalities=[item.municipality for item in saves],
        codes=[item.plan.municipality_code for item in saves],
        rows=pd.concat(rows, ignore_index=True),
        values=pd.concat([item.plan.values for item in saves], ignore_index=True),
        whole=[item.plan.whole for item in saves],
        indicators=first.indicators,
        population=first.population,
        year=first.year,
        source=first.source,
        stored=pd.concat([item.indicators for item in saves if len(item.indicators)] or [saves[0].indicators]),
    )


def save_plans(*, session: Session, saves: list[PlannedSave]) -> list[ImportResult]:
    """Save checked plans of one file in the caller's transaction (see `save_batch`)."""
    return save_batch(session=session, batch=batch_of(saves)) if saves else []


def save_batch(*, session: Session, batch: SaveBatch) -> list[ImportResult]:
    """Save a batch in the caller's transaction: new wijken, codes, indicator values, inhabitants,
    one history row per change, and a new revision for each municipality. One statement per kind
    of row for all municipalities (Core inserts: the ORM costs more per row than SQLite does)."""
    entries: list[Entry] = []
    for municipality, code in zip(batch.municipalities, batch.codes, strict=True):
        if code and session.scalar(select(Municipality.id).where(Municipality.cbs_code == code)) is None:
            entries.append(Entry(Scope(municipality.id), "gemeente", "CBS-code", None, code))
            municipality.cbs_code = code
            session.flush()  # the next municipality's check sees this code taken
    ids = np.array([m.id for m in batch.municipalities], dtype=np.int64)
    owner = batch.rows["owner"].to_numpy(dtype=np.int64)
    of = ids[owner]  # municipality id per row
    status = batch.rows["status"].to_numpy(dtype=object)
    names = batch.rows["name"].to_numpy(dtype=object)
    codes = batch.rows["code"].to_numpy(dtype=object)
    new = status == "nieuw"
    people = batch.values[batch.population].to_numpy(dtype=float) if batch.population else np.full(len(status), np.nan)
    created = [
        {
            "municipality_id": int(m),
            "kind": UnitKind.WIJK.value,
            "name": name,
            "cbs_code": code,
            "population": None if np.isnan(p) else round(float(p)),
        }
        for m, name, code, p in zip(of[new], names[new], codes[new], people[new], strict=True)
    ]
    # INSERT ... RETURNING for all new wijken at once, ids in the order of the rows (PostgreSQL
    # sends them in batches; SQLite, without a column to sort on, one row per statement)
    new_ids = (
        list(session.scalars(insert(Unit).returning(Unit.id, sort_by_parameter_order=True), created)) if created else []
    )
    unit = batch.rows["unit"].to_numpy(dtype=object).copy()
    unit[new] = new_ids
    entries += [
        Entry(
            Scope(row["municipality_id"], unit_id, row["name"]),
            "wijk",
            row["name"],
            None,
            "toegevoegd (import)"
            if row["population"] is None
            else f"toegevoegd (import), {row['population']} inwoners",
        )
        for unit_id, row in zip(new_ids, created, strict=True)
    ]
    recode = status == "code"
    entries += [
        Entry(Scope(int(m), int(u), name), "wijk", "CBS-code", None, code)
        for m, u, name, code in zip(of[recode], unit[recode], names[recode], codes[recode], strict=True)
    ]
    _update_units(session, [{"id": int(u), "cbs_code": c} for u, c in zip(unit[recode], codes[recode], strict=True)])
    record_many(session=session, entries=entries)

    whole = dict(
        session.execute(
            select(Unit.municipality_id, Unit.id).where(
                Unit.municipality_id.in_(ids.tolist()), Unit.kind == UnitKind.MUNICIPALITY.value
            )
        ).all()
    )
    whole_ids = [whole.get(int(m)) for m in ids]
    # the values the batch replaces, in one DELETE
    touched = {int(u) for u in unit} | {w for w, v in zip(whole_ids, batch.whole, strict=True) if v and w}
    session.execute(
        delete(IndicatorValue).where(
            IndicatorValue.unit_id.in_(sorted(touched)),
            IndicatorValue.indicator.in_(batch.indicators),
            IndicatorValue.year == batch.year,
        )
    )
    keys = list(batch.values.columns)
    matrix = batch.values.to_numpy(dtype=float)
    at, column = np.nonzero(~np.isnan(matrix))  # row by row, in the order of the columns
    source = batch.source[:200]
    inserted = [
        {"unit_id": int(u), "indicator": keys[c], "year": batch.year, "value": float(v), "source": source}
        for u, c, v in zip(unit[at], column, matrix[at, column], strict=True)
    ]
    inserted += [
        {"unit_id": w, "indicator": k, "year": batch.year, "value": v, "source": source}
        for w, values in zip(whole_ids, batch.whole, strict=True)
        if w is not None
        for k, v in values.items()
    ]
    if inserted:
        session.connection().execute(IndicatorValue.__table__.insert(), inserted)  # type: ignore[attr-defined]
    counted = np.bincount(owner[at], minlength=len(ids)) + np.array(
        [len(v) if w is not None else 0 for w, v in zip(whole_ids, batch.whole, strict=True)], dtype=np.int64
    )
    if batch.population is not None and (~new).any():
        # new wijken got their inhabitants when they were made
        _update_population(session=session, batch=batch, of=of[~new], units=unit[~new], people=people[~new])
    wijken = np.bincount(owner, minlength=len(ids))
    record_many(
        session=session,
        entries=[
            Entry(
                Scope(int(m)),
                "wijkdata",
                batch.source,
                None,
                f"{count} wijken, {len(batch.indicators)} kerncijfers ({batch.year})",
            )
            for m, count in zip(ids, wijken, strict=True)
        ],
    )
    bump_revisions(session=session, municipality_ids=ids.tolist(), need=AccountRole.ADMIN)
    made = np.bincount(owner[new], minlength=len(ids))
    return [
        ImportResult(new_wijken=int(n), wijken=int(w), values=int(v), lines=[])
        for n, w, v in zip(made, wijken, counted, strict=True)
    ]


def _update_units(session: Session, changes: list[dict]) -> None:
    """Core UPDATE of units by id (each dict: id and the columns to set), and the loaded Unit objects
    expired, so that the session reads the new values."""
    if not changes:
        return
    columns = [c for c in changes[0] if c != "id"]
    table = Unit.__table__
    assert isinstance(table, Table)
    session.connection().execute(
        update(table).where(table.c.id == bindparam("unit_id")).values({c: bindparam(f"new_{c}") for c in columns}),
        [{"unit_id": c["id"], **{f"new_{k}": c[k] for k in columns}} for c in changes],
    )
    changed = {c["id"] for c in changes}
    for loaded in list(session.identity_map.values()):
        if isinstance(loaded, Unit) and loaded.id in changed:
            session.expire(loaded)


def _update_population(
    *, session: Session, batch: SaveBatch, of: np.ndarray, units: np.ndarray, people: np.ndarray
) -> None:
    """Set the number of inhabitants of existing wijken (`units`, in municipalities `of`) from the
    population indicator (`people`), unless a later year is stored; one history row each."""
    stored = batch.stored[batch.stored["indicator"] == batch.population]
    latest = stored.groupby("unit")["year"].max().to_dict() if len(stored) else {}
    current = {
        u: (name, population)
        for u, name, population in session.execute(
            select(Unit.id, Unit.name, Unit.population).where(
                Unit.municipality_id.in_(sorted({int(m) for m in of})), Unit.kind == UnitKind.WIJK.value
            )
        )
    }
    entries: list[Entry] = []
    changes: list[dict] = []
    for m, u, value in zip(of, units, people, strict=True):
        unit_id = int(u)
        if np.isnan(value) or latest.get(unit_id, batch.year) > batch.year or unit_id not in current:
            continue
        name, population = current[unit_id]
        wanted = round(float(value))
        if population == wanted:
            continue
        entries.append(Entry(Scope(int(m), unit_id, name), "wijk", "inwoners", population, wanted))
        changes.append({"id": unit_id, "population": wanted})
    _update_units(session, changes)
    record_many(session=session, entries=entries)
