"""Reading a JSON backup into the database: all or nothing, in one transaction, after every check passed."""

from __future__ import annotations

import json

from pydantic import ValidationError
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from wijkmodel.backup.checks import _as_list, _content_problems
from wijkmodel.backup.format import (
    FORMAT,
    ActionDump,
    AnalysisMarkDump,
    BackupFile,
    BoundaryDump,
    ChangeDump,
    CoreChoiceDump,
    IndicatorDump,
    TargetDump,
    ZetDump,
    naive_utc,
)
from wijkmodel.backup.older import map_older_answers
from wijkmodel.backup.sessions import add_invitations
from wijkmodel.model.indicators import format_number
from wijkmodel.model.loader import format_location
from wijkmodel.model.schema import MaturityModel
from wijkmodel.storage.history import Scope, record
from wijkmodel.storage.inputs import (
    InputError,
    dutch_message,
)
from wijkmodel.storage.limits import MAX_WIJKEN
from wijkmodel.storage.municipalities import delete_municipality, find_municipality
from wijkmodel.storage.regions import find_region
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
    MunicipalitySharing,
    Region,
    RegionMember,
    RegionSharing,
    Respondent,
    Round,
    Target,
    ThemePosition,
    Unit,
    UnitGeometry,
    UnitKind,
    ZetEvaluation,
    utcnow,
)


def parse_backup(text: str, model: MaturityModel) -> BackupFile:
    """Parse and check a backup completely; raise `InputError` listing every problem with its place.

    Shape problems (types, ranges, missing fields) and content problems (unknown themes, questions,
    answers and wijken, duplicates) are both collected, so one run names everything to fix.
    """
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError([f"Geen geldige JSON (regel {exc.lineno}, kolom {exc.colno}): {exc.msg}."]) from exc
    except RecursionError as exc:
        raise InputError(["Het bestand is te diep genest om een wijkmodel-back-up te zijn."]) from exc
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise InputError(["Dit is geen wijkmodel-backup: het veld 'format' moet 'wijkmodel-backup' zijn."])
    if map_older_answers(raw):
        text = json.dumps(raw, ensure_ascii=False)
    dumped = raw["municipality"].get("units") if isinstance(raw.get("municipality"), dict) else None
    wijken = sum(isinstance(u, dict) and u.get("kind") == UnitKind.WIJK for u in _as_list(dumped))
    if wijken > MAX_WIJKEN:  # before the checks of every unit: their cost grows with the file
        raise InputError(
            [
                f"Op plek municipality.units: de back-up heeft {format_number(wijken)} wijken. Meer dan "
                f"{format_number(MAX_WIJKEN)} wijken per gemeente kan niet in wijkmodel. Er is niets veranderd."
            ]
        )
    problems: list[str] = []
    backup: BackupFile | None = None
    try:
        # strict: "50" is not a number, true is not 1, 86400 is not a date
        backup = BackupFile.model_validate_json(text, strict=True)
    except ValidationError as exc:
        problems += [f"Op plek {format_location(e['loc'])}: {dutch_message(e)}." for e in exc.errors()]
    problems += _content_problems(raw, model)
    if problems:
        raise InputError(problems)
    assert backup is not None
    return backup


def import_backup(*, session: Session, text: str, model: MaturityModel, replace: bool = False) -> Municipality:
    """Import a backup into the session's transaction. Nothing is written when anything is wrong."""
    backup = parse_backup(text, model)
    m = backup.municipality
    existing = find_municipality(session=session, name=m.name)
    if existing is not None and not replace:
        raise InputError([f"Gemeente '{m.name}' bestaat al. Gebruik --replace om haar te vervangen."])
    if m.cbs_code:
        clash = session.scalar(select(Municipality).where(Municipality.cbs_code == m.cbs_code))
        if clash is not None and clash is not existing:
            raise InputError([f"CBS-code {m.cbs_code} hoort al bij gemeente '{clash.name}'."])
    if existing is not None:
        delete_municipality(session=session, municipality_id=existing.id)
    municipality = Municipality(
        name=m.name,
        cbs_code=m.cbs_code,
        overall_rule=m.settings.overall_rule,
        theme_weight=m.settings.theme_weight,
        population_weighted=m.settings.population_weighted,
    )
    session.add(municipality)
    unit_by_name: dict[str, Unit] = {}
    for u in m.units:
        unit = Unit(kind=u.kind, name=u.name, cbs_code=u.cbs_code, population=u.population)
        municipality.units.append(unit)
        unit_by_name[u.name.casefold()] = unit
    session.flush()
    for u in m.units:
        unit = unit_by_name[u.name.casefold()]
        add_unit_parts(session=session, unit=unit, targets=u.targets, energy=u.energy)
        add_wijkdata(session=session, unit=unit, indicators=u.indicators, boundary=u.boundary)
    for r in m.rounds:
        round_ = Round(label=r.label, date=r.date)
        municipality.rounds.append(round_)
        session.flush()
        add_round_parts(
            session=session,
            round_id=round_.id,
            core_choices=r.core_choices,
            zet=r.zet,
            analysis_mark=r.analysis_mark,
            unit_by_name=unit_by_name,
        )
        for resp in r.respondents:
            respondent = Respondent(
                round_id=round_.id, unit_id=unit_by_name[resp.unit.casefold()].id, role=resp.role, label=resp.label
            )
            session.add(respondent)
            session.flush()
            session.add_all(
                ThemePosition(
                    respondent_id=respondent.id,
                    theme_id=p.theme,
                    position=p.position,
                    note=p.note,
                    carried_over=p.carried_over,
                    model_version=p.model_version,
                    updated_at=naive_utc(p.updated_at),
                )
                for p in resp.positions
            )
            session.add_all(
                Answer(
                    respondent_id=respondent.id,
                    question_id=a.question,
                    option_id=a.option,
                    note=a.note,
                    carried_over=a.carried_over,
                    model_version=a.model_version,
                    updated_at=naive_utc(a.updated_at),
                )
                for a in resp.answers
            )
        session.flush()
        add_invitations(
            session=session,
            municipality_id=municipality.id,
            round_id=round_.id,
            invitations=r.invitations,
            unit_by_name=unit_by_name,
        )
    add_municipality_parts(
        session=session,
        municipality_id=municipality.id,
        unit_by_name=unit_by_name,
        actions=m.actions,
        history=m.history,
    )
    add_region_parts(
        session=session, municipality_id=municipality.id, sharing=m.settings.region_sharing, regions=m.regions
    )
    if existing is not None:
        # replacing is the one overwrite there is: it leaves a trace (a plain import adds nothing,
        # so export -> import -> export stays identical)
        record(
            session=session,
            scope=Scope(municipality.id),
            kind="back-up",
            subject=m.name,
            old="vervangen",
            new="teruggezet uit een back-up",
        )
    session.flush()
    return municipality


def add_region_parts(
    *, session: Session, municipality_id: int, sharing: RegionSharing | None, regions: list[str]
) -> None:
    """The municipality's sharing choice and its regions (format 8): a region of that name is joined,
    or made when the database has none (a restore into another server keeps the grouping)."""
    if sharing is not None:
        session.add(MunicipalitySharing(municipality_id=municipality_id, level=RegionSharing(sharing).value))
    for name in regions:
        region = find_region(session=session, name=name)
        if region is None:
            region = Region(name=name)
            session.add(region)
            session.flush()
        session.add(RegionMember(region_id=region.id, municipality_id=municipality_id))


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


def add_round_parts(
    *,
    session: Session,
    round_id: int,
    core_choices: list[CoreChoiceDump],
    zet: list[ZetDump],
    analysis_mark: AnalysisMarkDump | None,
    unit_by_name: dict[str, Unit],
) -> None:
    """Write a round's core choices, ZET evaluations and step-1 mark."""
    if analysis_mark is not None:
        session.add(
            AnalysisMarkEntry(
                round_id=round_id,
                done=analysis_mark.done,
                note=analysis_mark.note,
                updated_at=naive_utc(analysis_mark.updated_at),
            )
        )
    session.add_all(
        CoreChoiceEntry(round_id=round_id, choice_id=c.choice, option_id=c.option, rationale=c.rationale)
        for c in core_choices
    )
    session.add_all(
        ZetEvaluation(
            round_id=round_id,
            unit_id=unit_by_name[z.unit.casefold()].id,
            basic_function=z.basic_function,
            value=z.value,
            scale_min=z.scale_min,
            scale_max=z.scale_max,
            cases=z.cases,
            evaluated_on=z.evaluated_on,
            note=z.note,
            updated_at=naive_utc(z.updated_at),
        )
        for z in zet
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
        change = Change(
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
            named_by=ChangeAccount(account=c.account) if c.account else None,
        )
        session.add(change)
    session.flush()
