"""Reading one municipality into DataFrames: everything the scoring and the views need."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from wijkmodel.model.schema import MaturityModel
from wijkmodel.storage.encoding import KnownIds, read_response_rows, response_frames
from wijkmodel.storage.tables import (
    Action,
    AnalysisMarkEntry,
    CoreChoiceEntry,
    EnergyMark,
    IndicatorValue,
    Respondent,
    Round,
    Target,
    ThemePosition,
    Unit,
    UnitKind,
)
from wijkmodel.storage.zet import zet_frame


@dataclass(frozen=True)
class Frames:
    """Everything the scoring functions need for one municipality."""

    units: pd.DataFrame
    """unit, name, kind, cbs_code, population."""
    rounds: pd.DataFrame
    """round, label, date (oldest first)."""
    respondents: pd.DataFrame
    """respondent, unit, round, role, label."""
    positions: pd.DataFrame
    """respondent, theme (categorical of the model's theme ids), position."""
    answers: pd.DataFrame
    """respondent, question, option (categoricals of the model's ids)."""
    targets: pd.DataFrame
    """unit, item, target, target_date."""
    energy: pd.DataFrame
    """unit, theme: themes marked 'waar energie in zit'."""
    core_choices: pd.DataFrame
    """round, choice, option, rationale."""
    actions: pd.DataFrame
    """action, unit, theme, description, owner, start_date, end_date, status."""
    indicators: pd.DataFrame
    """unit, indicator, year, value, source: the wijk-analyse figures."""
    analysis_marks: pd.DataFrame
    """round, done, note: step 1 marked done by hand (`wijkmodel.storage.analysis_mark`)."""
    zet: pd.DataFrame
    """round, unit, basic_function, value, scale_min, scale_max, score, cases, evaluated_on, note: the ZET
    outcomes (practice, beside the Quickscan; `wijkmodel.storage.zet.zet_frame`)."""


def unit_sort_key(kind: str, name: str) -> tuple[bool, str]:
    """The order units are shown in everywhere: 'Gemeente als geheel' first, then the wijken by name
    (case-insensitive)."""
    return (kind != UnitKind.MUNICIPALITY, name.casefold())


def unit_order(units: pd.DataFrame, unit_ids: Iterable[int] | None = None) -> list[int]:
    """Unit ids of `units` (unit, name, kind) in display order; `unit_ids` limits them."""
    keep = None if unit_ids is None else {int(u) for u in unit_ids}
    rows = [
        (int(u), str(n), str(k))
        for u, n, k in zip(units["unit"], units["name"], units["kind"], strict=True)
        if keep is None or int(u) in keep
    ]
    return [u for u, _, _ in sorted(rows, key=lambda r: unit_sort_key(r[2], r[1]))]


def unit_names(units: pd.DataFrame) -> dict[int, str]:
    """Unit id → name, for the units of `units` (unit, name)."""
    return dict(zip(units["unit"].astype(int), units["name"].astype(str), strict=True))


def load_units(*, session: Session, municipality_id: int) -> pd.DataFrame:
    """A municipality's units: unit, name, kind, cbs_code, population (one query)."""
    return pd.read_sql(
        select(Unit.id.label("unit"), Unit.name, Unit.kind, Unit.cbs_code, Unit.population).where(
            Unit.municipality_id == municipality_id
        ),
        session.connection(),
    )


def _responses(bind: Any, which: Any | None, known: KnownIds) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Respondents matching `which` (a condition on Respondent; None: all of them), their positions and
    their answers, with their ids encoded by the database (`wijkmodel.storage.encoding`)."""
    return response_frames(read_response_rows(bind, which, known), known)


def all_responses(*, session: Session, model: MaturityModel) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Respondents, positions and answers of every municipality in one read (`Frames` has their
    columns; `wijkmodel.storage.encoding.read_response_rows`): to score a whole country, or a region, at once."""
    return _responses(session.connection(), None, KnownIds.of(model))


def unit_positions(*, session: Session, round_id: int, unit_id: int) -> list[tuple[int, str, float | None]]:
    """(respondent, theme, position) of every respondent of one unit in one round, by respondent:
    the positions alone, read on every slider move (Startpositie's total of the wijk)."""
    rows = session.execute(
        select(ThemePosition.respondent_id, ThemePosition.theme_id, ThemePosition.position)
        .join(Respondent, Respondent.id == ThemePosition.respondent_id)
        .where(Respondent.round_id == round_id, Respondent.unit_id == unit_id)
        .order_by(ThemePosition.respondent_id)
    ).all()
    return [(r, t, None if v is None else float(v)) for r, t, v in rows]


def load_frames(*, session: Session, municipality_id: int, model: MaturityModel | None = None) -> Frames:
    """Read one municipality into DataFrames (queries filtered by municipality, so they use indexes).

    Theme, question and option ids are categoricals of `model`'s ids (`KnownIds`), which is what makes
    scoring them cheap; without a model they are categoricals of the ids found."""
    bind = session.connection()
    unit_rows = load_units(session=session, municipality_id=municipality_id)
    round_rows = pd.read_sql(
        select(Round.id.label("round"), Round.label, Round.date)
        .where(Round.municipality_id == municipality_id)
        .order_by(Round.date, Round.label),
        bind,
    )
    in_municipality = select(Round.id).where(Round.municipality_id == municipality_id)
    respondent_rows, position_rows, answer_rows = _responses(
        bind, Respondent.round_id.in_(in_municipality), KnownIds.of(model)
    )
    in_units = select(Unit.id).where(Unit.municipality_id == municipality_id)
    target_rows = pd.read_sql(
        select(
            Target.unit_id.label("unit"),
            Target.item_id.label("item"),
            Target.position.label("target"),
            Target.target_date,
        ).where(Target.unit_id.in_(in_units)),
        bind,
    )
    target_rows["target"] = target_rows["target"].astype(float)
    energy_rows = pd.read_sql(
        select(EnergyMark.unit_id.label("unit"), EnergyMark.theme_id.label("theme")).where(
            EnergyMark.unit_id.in_(in_units)
        ),
        bind,
    )
    choice_rows = pd.read_sql(
        select(
            CoreChoiceEntry.round_id.label("round"),
            CoreChoiceEntry.choice_id.label("choice"),
            CoreChoiceEntry.option_id.label("option"),
            CoreChoiceEntry.rationale,
        ).where(CoreChoiceEntry.round_id.in_(in_municipality)),
        bind,
    )
    action_rows = pd.read_sql(
        select(
            Action.id.label("action"),
            Action.unit_id.label("unit"),
            Action.theme_id.label("theme"),
            Action.description,
            Action.owner,
            Action.start_date,
            Action.end_date,
            Action.status,
        )
        .where(Action.unit_id.in_(in_units))
        .order_by(Action.id),
        bind,
    )
    indicator_rows = pd.read_sql(
        select(
            IndicatorValue.unit_id.label("unit"),
            IndicatorValue.indicator,
            IndicatorValue.year,
            IndicatorValue.value,
            IndicatorValue.source,
        ).where(IndicatorValue.unit_id.in_(in_units)),
        bind,
    )
    indicator_rows["value"] = indicator_rows["value"].astype(float)
    mark_rows = pd.read_sql(
        select(AnalysisMarkEntry.round_id.label("round"), AnalysisMarkEntry.done, AnalysisMarkEntry.note)
        .join(Round, Round.id == AnalysisMarkEntry.round_id)
        .where(Round.municipality_id == municipality_id),
        bind,
    )
    mark_rows["done"] = mark_rows["done"].astype(bool)
    return Frames(
        units=unit_rows,
        rounds=round_rows,
        respondents=respondent_rows,
        positions=position_rows,
        answers=answer_rows,
        targets=target_rows,
        energy=energy_rows,
        core_choices=choice_rows,
        actions=action_rows,
        indicators=indicator_rows,
        analysis_marks=mark_rows,
        zet=zet_frame(session=session, municipality_id=municipality_id),
    )
