"""Writing a municipality as a JSON backup: deterministic (fixed order, names instead of database ids), so
export → import into an empty database → export gives the identical file."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from wijkmodel.backup.format import (
    FORMAT,
    FORMAT_VERSION,
    _day,
    _stamp,
)
from wijkmodel.backup.sessions import invitation_parts
from wijkmodel.model.schema import MaturityModel
from wijkmodel.storage.inputs import (
    InputError,
)
from wijkmodel.storage.regions import regions_of, sharing_of
from wijkmodel.storage.tables import (
    Action,
    AnalysisMarkEntry,
    Answer,
    Change,
    ChangeAccount,
    CoreChoiceEntry,
    EnergyMark,
    IndicatorValue,
    Municipality,
    Respondent,
    Round,
    Target,
    ThemePosition,
    Unit,
    UnitGeometry,
    ZetEvaluation,
)
from wijkmodel.storage.wijken import units


def export_municipality(*, session: Session, municipality_id: int, model: MaturityModel) -> str:
    """The backup of one municipality as JSON text (UTF-8, deterministic)."""
    municipality = session.get(Municipality, municipality_id)
    if municipality is None:
        raise InputError([f"Gemeente met id {municipality_id} bestaat niet."])
    unit_rows = units(session=session, municipality_id=municipality_id)
    unit_name = {u.id: u.name for u in unit_rows}
    # sorted in Python, not by ORDER BY: text collation differs between databases, bytes must not
    round_rows = sorted(
        session.scalars(select(Round).where(Round.municipality_id == municipality_id)), key=lambda r: (r.date, r.label)
    )
    data: dict = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "model_version": model.version,
        "municipality": {
            "name": municipality.name,
            "cbs_code": municipality.cbs_code,
            "settings": {
                "overall_rule": municipality.overall_rule,
                "theme_weight": municipality.theme_weight,
                "population_weighted": municipality.population_weighted,
                "region_sharing": sharing_of(session=session, municipality_id=municipality_id),
            },
            "units": [
                {
                    "name": u.name,
                    "kind": u.kind,
                    "cbs_code": u.cbs_code,
                    "population": u.population,
                    **unit_parts(session=session, unit_id=u.id),
                    **wijkdata_parts(session=session, unit_id=u.id),
                }
                for u in unit_rows
            ],
            "rounds": [],
        },
    }
    for round_ in round_rows:
        respondents = session.scalars(select(Respondent).where(Respondent.round_id == round_.id)).all()
        respondent_dumps = []
        for r in sorted(respondents, key=lambda r: (unit_name[r.unit_id].casefold(), r.role, r.label)):
            positions = sorted(
                session.scalars(select(ThemePosition).where(ThemePosition.respondent_id == r.id)),
                key=lambda p: p.theme_id,
            )
            answers = sorted(
                session.scalars(select(Answer).where(Answer.respondent_id == r.id)), key=lambda a: a.question_id
            )
            respondent_dumps.append(
                {
                    "unit": unit_name[r.unit_id],
                    "role": r.role,
                    "label": r.label,
                    "positions": [
                        {
                            "theme": p.theme_id,
                            "position": p.position,
                            "note": p.note,
                            "carried_over": p.carried_over,
                            "model_version": p.model_version,
                            "updated_at": _stamp(p.updated_at),
                        }
                        for p in positions
                    ],
                    "answers": [
                        {
                            "question": a.question_id,
                            "option": a.option_id,
                            "note": a.note,
                            "carried_over": a.carried_over,
                            "model_version": a.model_version,
                            "updated_at": _stamp(a.updated_at),
                        }
                        for a in answers
                    ],
                }
            )
        data["municipality"]["rounds"].append(
            {
                "label": round_.label,
                "date": round_.date.isoformat(),
                "respondents": respondent_dumps,
                **round_parts(session=session, round_id=round_.id, unit_name=unit_name),
                "invitations": invitation_parts(session=session, round_id=round_.id, unit_name=unit_name),
            }
        )
    data["municipality"] |= municipality_parts(session=session, municipality_id=municipality_id, unit_name=unit_name)
    # sorted in Python, as the rounds: the bytes must not depend on the database's collation
    data["municipality"]["regions"] = sorted(
        (r.name for r in regions_of(session=session, municipality_id=municipality_id)), key=str.casefold
    )
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


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


def round_parts(*, session: Session, round_id: int, unit_name: dict[int, str]) -> dict:
    """Core choices, ZET evaluations and the step-1 mark of one round."""
    rows = sorted(
        session.scalars(select(CoreChoiceEntry).where(CoreChoiceEntry.round_id == round_id)), key=lambda c: c.choice_id
    )
    mark = session.scalar(select(AnalysisMarkEntry).where(AnalysisMarkEntry.round_id == round_id))
    evaluations = sorted(
        session.scalars(select(ZetEvaluation).where(ZetEvaluation.round_id == round_id)),
        key=lambda z: (unit_name[z.unit_id].casefold(), z.basic_function),
    )
    return {
        "core_choices": [{"choice": c.choice_id, "option": c.option_id, "rationale": c.rationale} for c in rows],
        "zet": [
            {
                "unit": unit_name[z.unit_id],
                "basic_function": z.basic_function,
                "value": z.value,
                "scale_min": z.scale_min,
                "scale_max": z.scale_max,
                "cases": z.cases,
                "evaluated_on": _day(z.evaluated_on),
                "note": z.note,
                "updated_at": _stamp(z.updated_at),
            }
            for z in evaluations
        ],
        "analysis_mark": (
            {"done": mark.done, "note": mark.note, "updated_at": _stamp(mark.updated_at)} if mark is not None else None
        ),
    }


def municipality_parts(*, session: Session, municipality_id: int, unit_name: dict[int, str]) -> dict:
    """Actions (in the order they were made) and the whole history (oldest first)."""
    actions = session.scalars(
        select(Action)
        .join(Unit, Unit.id == Action.unit_id)
        .where(Unit.municipality_id == municipality_id)
        .order_by(Action.id)
    )
    changes = session.scalars(select(Change).where(Change.municipality_id == municipality_id).order_by(Change.id))
    rows = session.execute(
        select(ChangeAccount.change_id, ChangeAccount.account)
        .join(Change, Change.id == ChangeAccount.change_id)
        .where(Change.municipality_id == municipality_id)
    ).all()
    accounts: dict[int, str] = dict(rows)  # a list of rows: dict() of the Result itself would take its keys()
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
                **({"account": accounts[c.id]} if c.id in accounts else {}),
            }
            for c in changes
        ],
    }
