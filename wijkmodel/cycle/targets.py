"""Targets (streefwaarden) per unit and item, the themes 'waar energie in zit', and the gaps.

A target is a position on the one 0-100 scale with an optional date; it belongs to a unit (a
wijk, or the municipality as a whole) and spans rounds, so one target can be checked every round.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.core import item_ids, phase_of
from wijkmodel.scoring.text import format_score
from wijkmodel.storage.history import exact, record, unit_scope
from wijkmodel.storage.inputs import InputError, TargetIn, validate
from wijkmodel.storage.municipalities import bump_revision
from wijkmodel.storage.tables import EnergyMark, Target


def _item_name(model: MaturityModel, item_id: str) -> str:
    if item_id in {t.id for t in model.themes}:
        return model.theme(item_id).name
    if item_id in {b.id for b in model.basic_functions}:
        return model.basic_function(item_id).name
    raise InputError([f"Streefwaarde: onbekend thema of basisfunctie '{item_id}'."])


def _target_text(position: float | None, target_date: dt.date | None) -> str | None:
    if position is None:
        return None
    when = f" op {target_date.strftime('%d-%m-%Y')}" if target_date else ""
    return f"{exact(position)} (fase {int(phase_of(position))}){when}"


def target_cells(value: object, when: object) -> tuple[float | None, dt.date | None]:
    """The editor's two cells (target, date; empty, a number, or an ISO date) as `save_target`'s arguments."""
    try:
        position = None if value is None or pd.isna(value) else float(value)  # type: ignore[arg-type]
        day = dt.date.fromisoformat(str(when)[:10]) if when not in (None, "") and not pd.isna(when) else None
    except (TypeError, ValueError) as exc:
        raise InputError([f"Streefwaarde: '{value}' of '{when}' is geen getal of datum."]) from exc
    return position, day


def save_target(
    *,
    session: Session,
    unit_id: int,
    item_id: str,
    position: float | None,
    model: MaturityModel,
    target_date: dt.date | None = None,
) -> Target | None:
    """Set (or, with None, remove) the target of one theme or basic function of a unit."""
    name = _item_name(model, item_id)
    scope = unit_scope(session=session, unit_id=unit_id)
    row = session.scalar(select(Target).where(Target.unit_id == unit_id, Target.item_id == item_id))
    old = _target_text(row.position, row.target_date) if row else None
    if position is None:
        if row is not None:
            record(session=session, scope=scope, kind="streefwaarde", subject=name, old=old, new=None)
            session.delete(row)
            bump_revision(session=session, municipality_id=scope.municipality_id)
        session.flush()
        return None
    data = validate(TargetIn, f"Streefwaarde '{name}'", position=position, target_date=target_date)
    if row is None:
        row = Target(unit_id=unit_id, item_id=item_id)
        session.add(row)
    new = _target_text(data.position, data.target_date)
    record(session=session, scope=scope, kind="streefwaarde", subject=name, old=old, new=new)
    row.position, row.target_date = data.position, data.target_date
    bump_revision(session=session, municipality_id=scope.municipality_id)
    session.flush()
    return row


def set_energy(*, session: Session, unit_id: int, theme_id: str, marked: bool, model: MaturityModel) -> None:
    """Mark (or unmark) a theme of a unit as 'waar energie in zit'."""
    if theme_id not in {t.id for t in model.themes}:
        raise InputError([f"Energie: onbekend thema '{theme_id}'."])
    scope = unit_scope(session=session, unit_id=unit_id)
    row = session.scalar(select(EnergyMark).where(EnergyMark.unit_id == unit_id, EnergyMark.theme_id == theme_id))
    name = model.theme(theme_id).name
    if marked and row is None:
        session.add(EnergyMark(unit_id=unit_id, theme_id=theme_id))
    elif not marked and row is not None:
        session.delete(row)
    else:
        return
    record(
        session=session,
        scope=scope,
        kind="energie",
        subject=name,
        old="ja" if row else "nee",
        new="ja" if marked else "nee",
    )
    bump_revision(session=session, municipality_id=scope.municipality_id)
    session.flush()


def gaps(items: pd.DataFrame, targets: pd.DataFrame, unit_id: int, round_id: int, model: MaturityModel) -> pd.DataFrame:
    """Current score beside target for one unit in one round, largest gap first.

    `items` is `Profile.items`; `targets` is `Frames.targets`. One row per item with a target:
    item, name, kind, score (NaN when not scored yet), target, target_date, gap (target - score,
    NaN when not scored), phase_gap (target phase - current phase), reached.
    """
    mine = targets[targets["unit"] == unit_id]
    columns = ["item", "name", "kind", "score", "target", "target_date", "gap", "phase_gap", "reached"]
    if mine.empty:
        return pd.DataFrame(columns=columns)
    rows = items[(items["unit"] == unit_id) & (items["round"] == round_id)]
    now = pd.Series(rows["score"].to_numpy(dtype=float), index=rows["item"].astype(str))
    order = {item: i for i, item in enumerate(item_ids(model))}
    out = mine[mine["item"].isin(order)].copy()
    out["score"] = out["item"].map(now).astype(float)
    out["name"] = [_item_name(model, i) for i in out["item"]]
    out["kind"] = ["thema" if i in {t.id for t in model.themes} else "basisfunctie" for i in out["item"]]
    out["gap"] = out["target"] - out["score"]
    out["phase_gap"] = phase_of(out["target"]) - phase_of(out["score"].fillna(-1).clip(lower=0))
    out.loc[out["score"].isna(), "phase_gap"] = np.nan
    out["reached"] = out["gap"] <= 0
    out["order"] = out["item"].map(order)
    # largest gap first; items not scored yet last, in model order
    out = out.sort_values(["gap", "order"], ascending=[False, True], na_position="last")
    return out[columns].reset_index(drop=True)


def target_rows(targets: pd.DataFrame, energy: pd.DataFrame, unit_id: int, model: MaturityModel) -> pd.DataFrame:
    """One row per theme and basic function of a unit, for the editing table: item, Onderdeel,
    Soort, Streefwaarde (NaN when none), Streefdatum (None when none), Energie (themes only)."""
    mine = targets[targets["unit"] == unit_id].set_index("item")
    marked = set(energy.loc[energy["unit"] == unit_id, "theme"])
    rows = []
    for item in item_ids(model):
        is_theme = item in {t.id for t in model.themes}
        rows.append(
            {
                "item": item,
                "Onderdeel": _item_name(model, item),
                "Soort": "thema" if is_theme else "basisfunctie",
                "Streefwaarde": float(mine["target"].get(item, np.nan)) if item in mine.index else np.nan,
                "Streefdatum": mine["target_date"].get(item) if item in mine.index else None,
                "Energie": (item in marked) if is_theme else None,
            }
        )
    return pd.DataFrame(rows)


def gaps_table(gap_rows: pd.DataFrame) -> pd.DataFrame:
    """The gaps as people read them: Onderdeel, Nu, Streefwaarde, Streefdatum, Nog te gaan."""

    def when(value: object) -> str:
        return value.strftime("%d-%m-%Y") if isinstance(value, dt.date) else ""

    return pd.DataFrame(
        {
            "Onderdeel": gap_rows["name"],
            "Nu": [
                "nog geen score" if np.isnan(s) else f"{format_score(s)} (fase {int(phase_of(s))})"
                for s in gap_rows["score"]
            ],
            "Streefwaarde": [f"{format_score(t)} (fase {int(phase_of(t))})" for t in gap_rows["target"]],
            "Streefdatum": [when(d) for d in gap_rows["target_date"]],
            "Nog te gaan": [
                "–" if np.isnan(g) else ("gehaald" if g <= 0 else format_score(g)) for g in gap_rows["gap"]
            ],
        }
    )


def theme_targets(targets: pd.DataFrame, unit_id: int) -> pd.Series:
    """A unit's targets by item id (the priorities read the themes)."""
    mine = targets[targets["unit"] == unit_id]
    return pd.Series(mine["target"].to_numpy(dtype=float), index=mine["item"].astype(str))


def targets_by_label(targets: pd.DataFrame, unit_id: int, model: MaturityModel) -> pd.Series:
    """A unit's targets by item display name (how the profile chart labels its rows)."""
    mine = targets[targets["unit"] == unit_id]
    return pd.Series(mine["target"].to_numpy(dtype=float), index=[_item_name(model, i) for i in mine["item"]])


def targets_wide(targets: pd.DataFrame, unit_names: dict[int, str], model: MaturityModel) -> pd.DataFrame:
    """Targets as a table like the comparison's: index unit names, columns item names, NaN where none."""
    columns = [_item_name(model, i) for i in item_ids(model)]
    if targets.empty:
        return pd.DataFrame(columns=columns, dtype=float)
    chosen = targets[targets["unit"].isin(unit_names)]
    wide = chosen.pivot_table(index="unit", columns="item", values="target", aggfunc="first")
    wide = wide.reindex(columns=item_ids(model))
    wide.columns = columns
    wide.index = [unit_names[u] for u in wide.index]
    return wide
