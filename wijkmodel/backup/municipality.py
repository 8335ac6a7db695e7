"""JSON backup of one whole municipality (format documented in docs/backup-format.md).

Export is deterministic (fixed order, no database ids), so export → import into an empty
database → export gives the identical file. Import is all-or-nothing: every problem is
collected with its location before anything is written, and the write is one transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from wijkmodel.backup.cycle import (
    ActionDump,
    BoundaryDump,
    ChangeDump,
    CoreChoiceDump,
    IndicatorDump,
    Moment,
    TargetDump,
    action_problems,
    add_municipality_parts,
    add_round_parts,
    add_unit_parts,
    add_wijkdata,
    municipality_parts,
    naive_utc,
    round_parts,
    round_problems,
    unit_parts,
    unit_problems,
    wijkdata_parts,
    wijkdata_problems,
)
from wijkmodel.model.indicators import format_number
from wijkmodel.model.loader import format_location
from wijkmodel.model.schema import MaturityModel
from wijkmodel.scoring.core import OverallRule
from wijkmodel.storage.db import (
    Answer,
    Municipality,
    Respondent,
    Role,
    Round,
    ThemePosition,
    Unit,
    UnitKind,
)
from wijkmodel.storage.history import Scope, record
from wijkmodel.storage.inputs import (
    MAX_LABEL,
    MAX_POPULATION,
    InputError,
    Label,
    Name,
    Note,
    clean_label,
    dutch_message,
    plain_text,
)
from wijkmodel.storage.limits import MAX_WIJKEN
from wijkmodel.storage.municipalities import delete_municipality, find_municipality
from wijkmodel.storage.wijken import units

FORMAT = "wijkmodel-backup"
FORMAT_VERSION = 3

Version = Annotated[str, Field(min_length=1, max_length=20), AfterValidator(plain_text)]
RespondentLabel = Annotated[str, Field(max_length=MAX_LABEL), AfterValidator(clean_label)]
CbsMunicipality = Annotated[str, Field(pattern=r"^GM[0-9]{4}$")]
CbsWijk = Annotated[str, Field(pattern=r"^WK[0-9]{6}$")]


class _Dump(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PositionDump(_Dump):
    """A slider position."""

    theme: str
    position: float | None = Field(ge=0, le=100)
    note: Note = ""
    carried_over: bool = False
    model_version: Version
    updated_at: Moment


class AnswerDump(_Dump):
    """An answer."""

    question: str
    option: str | None
    note: Note = ""
    carried_over: bool = False
    model_version: Version
    updated_at: Moment


class RespondentDump(_Dump):
    """A respondent with positions and answers."""

    unit: Name
    role: Role
    label: RespondentLabel = ""
    positions: list[PositionDump] = []
    answers: list[AnswerDump] = []


class RoundDump(_Dump):
    """A round."""

    label: Label
    date: dt.date
    respondents: list[RespondentDump] = []
    core_choices: list[CoreChoiceDump] = []


class UnitDump(_Dump):
    """A wijk or the municipality as a whole."""

    name: Name
    kind: UnitKind
    cbs_code: CbsWijk | None = None
    population: int | None = Field(default=None, ge=0, le=MAX_POPULATION)
    targets: list[TargetDump] = []
    energy: list[str] = []
    indicators: list[IndicatorDump] = []
    boundary: BoundaryDump | None = None


class SettingsDump(_Dump):
    """Scoring settings of the municipality."""

    overall_rule: OverallRule = OverallRule.MEAN
    theme_weight: float = Field(default=0.5, ge=0, le=1)
    population_weighted: bool = False


class MunicipalityDump(_Dump):
    """The municipality."""

    name: Name
    cbs_code: CbsMunicipality | None = None
    settings: SettingsDump = SettingsDump()
    units: list[UnitDump]
    rounds: list[RoundDump] = []
    actions: list[ActionDump] = []
    history: list[ChangeDump] = []


class BackupFile(_Dump):
    """The whole file."""

    format: Literal["wijkmodel-backup"]
    format_version: Literal[1, 2, 3]
    """1: without the improvement cycle; 2: with targets, core choices, actions and history;
    3: with the wijk-analyse too (indicator values and boundaries)."""
    model_version: Version
    municipality: MunicipalityDump


# --- export -----------------------------------------------------------------------------------


def _stamp(value: dt.datetime) -> str:
    return value.replace(microsecond=0).isoformat()


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
                **round_parts(session=session, round_id=round_.id),
            }
        )
    data["municipality"] |= municipality_parts(session=session, municipality_id=municipality_id, unit_name=unit_name)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# --- import -----------------------------------------------------------------------------------


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


def _as_list(value: object) -> list:
    return value if isinstance(value, list) else []


def _items(value: object) -> list[tuple[int, dict]]:
    """The dict entries of a list, with their index (anything else is a shape problem, reported apart)."""
    return [(i, v) for i, v in enumerate(value) if isinstance(v, dict)] if isinstance(value, list) else []


def _key(value: object) -> str | None:
    return " ".join(value.split()).casefold() if isinstance(value, str) else None


def _doubles(values: list) -> list[str]:
    # only values that can be compared: a list where a name belongs is a shape problem, reported apart
    counts = Counter(v for v in values if v is not None and _hashable(v))
    return sorted(str(v) for v, n in counts.items() if n > 1)


def _hashable(value: object) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _content_problems(raw: dict, model: MaturityModel) -> list[str]:
    """Checks against the model and within the file, on the raw JSON (so they run even when its shape is off)."""
    problems: list[str] = []
    m = raw.get("municipality")
    if not isinstance(m, dict):
        return problems
    units = _items(m.get("units"))
    names = [_key(u.get("name")) for _, u in units]
    for ui, u in units:
        problems += unit_problems(f"municipality.units[{ui}]", u, model)
        problems += wijkdata_problems(f"municipality.units[{ui}]", u)
    for name in _doubles(names):
        problems.append(f"Op plek municipality.units: de naam '{name}' komt twee keer voor.")
    if units and sum(u.get("kind") == UnitKind.MUNICIPALITY for _, u in units) != 1:
        problems.append(
            "Op plek municipality.units: er moet precies één eenheid 'gemeente' (de gemeente als geheel) zijn."
        )
    rounds = _items(m.get("rounds"))
    for label in _doubles([_key(r.get("label")) for _, r in rounds]):
        problems.append(f"Op plek municipality.rounds: de ronde '{label}' komt twee keer voor.")
    themes = {t.id for t in model.themes}
    question_options = {
        q.id: set(model.option_scores(i.id)) for i in (model.quickscan, model.in_depth) for q in i.questions
    }
    known_units = {n for n in names if n}
    problems += action_problems(m.get("actions"), {n for n in names if n}, model)
    for ri, round_ in rounds:
        problems += round_problems(f"municipality.rounds[{ri}]", round_, model)
        respondents = _items(round_.get("respondents"))
        keys = [(_key(r.get("unit")), r.get("role"), _key(r.get("label", ""))) for _, r in respondents]
        for key in _doubles(keys):
            problems.append(f"Op plek municipality.rounds[{ri}].respondents: respondent {key} komt twee keer voor.")
        for pi, resp in respondents:
            where = f"municipality.rounds[{ri}].respondents[{pi}]"
            unit = _key(resp.get("unit"))
            if unit is not None and unit not in known_units:
                problems.append(f"Op plek {where}.unit: onbekende wijk '{resp.get('unit')}'.")
            positions = _items(resp.get("positions"))
            for theme in _doubles([p.get("theme") for _, p in positions]):
                problems.append(f"Op plek {where}.positions: thema '{theme}' komt twee keer voor.")
            for qi, p in positions:
                if isinstance(p.get("theme"), str) and p["theme"] not in themes:
                    problems.append(f"Op plek {where}.positions[{qi}].theme: onbekend thema '{p['theme']}'.")
            answers = _items(resp.get("answers"))
            for question in _doubles([a.get("question") for _, a in answers]):
                problems.append(f"Op plek {where}.answers: vraag '{question}' komt twee keer voor.")
            for ai, a in answers:
                qid, option = a.get("question"), a.get("option")
                if isinstance(qid, str) and qid not in question_options:
                    problems.append(f"Op plek {where}.answers[{ai}].question: onbekende vraag '{qid}'.")
                elif isinstance(qid, str) and isinstance(option, str) and option not in question_options[qid]:
                    problems.append(f"Op plek {where}.answers[{ai}].option: onbekend antwoord '{option}'.")
    return problems


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
        add_round_parts(session=session, round_id=round_.id, core_choices=r.core_choices)
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
    add_municipality_parts(
        session=session,
        municipality_id=municipality.id,
        unit_by_name=unit_by_name,
        actions=m.actions,
        history=m.history,
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
