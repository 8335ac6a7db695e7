"""The JSON backup's format (docs/backup-format.md): the version, and what each part of the file may hold,
checked by pydantic models that forbid anything else."""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from wijkmodel.scoring.rules import OverallRule
from wijkmodel.storage.inputs import (
    MAX_LABEL,
    MAX_NAME,
    MAX_POPULATION,
    Description,
    Label,
    Name,
    Note,
    Owner,
    clean_label,
    plain_text,
)
from wijkmodel.storage.tables import ActionStatus, RegionSharing, Role, UnitKind
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


class AnalysisMarkDump(_Dump):
    """Step 1 of a round marked done by hand, with its note (format 4)."""

    done: bool
    note: Note = ""
    updated_at: Moment


class ZetDump(_Dump):
    """The outcome of a ZET evaluation for one basic function of a unit (format 4)."""

    unit: Name
    basic_function: str
    value: float = Field(allow_inf_nan=False)
    scale_min: float = Field(default=0.0, allow_inf_nan=False, ge=-1_000_000, le=1_000_000)
    scale_max: float = Field(default=100.0, allow_inf_nan=False, ge=-1_000_000, le=1_000_000)
    cases: int | None = Field(default=None, ge=0, le=1_000_000)
    evaluated_on: dt.date | None = None
    note: Note = ""
    updated_at: Moment

    @model_validator(mode="after")
    def _on_its_scale(self) -> ZetDump:
        if not self.scale_min < self.scale_max or not self.scale_min <= self.value <= self.scale_max:
            raise ValueError("de uitkomst moet op de schaal liggen (laagste ≤ uitkomst ≤ hoogste, laagste < hoogste)")
        return self


class ActionDump(_Dump):
    """An action of the plan."""

    unit: Annotated[str, Field(min_length=1, max_length=MAX_NAME)]
    theme: str
    description: Description
    """Checked like the form checks it (spaces normalised, no control characters, not empty)."""
    owner: Owner = ""
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    status: ActionStatus = ActionStatus.PLANNED
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
    account: Annotated[str, Field(max_length=320), AfterValidator(plain_text)] = ""
    """Format 5: the e-mail of the account that made it (with login); left out when empty."""


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


FORMAT = "wijkmodel-backup"


FORMAT_VERSION = 8


Version = Annotated[str, Field(min_length=1, max_length=20), AfterValidator(plain_text)]


RespondentLabel = Annotated[str, Field(max_length=MAX_LABEL), AfterValidator(clean_label)]


CbsMunicipality = Annotated[str, Field(pattern=r"^GM[0-9]{4}$")]


CbsWijk = Annotated[str, Field(pattern=r"^WK[0-9]{6}$")]


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


Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
"""The SHA-256 of a link's token or a continue code, as stored (the secrets themselves never are)."""


class ParticipantDump(_Dump):
    """A person who answered through an invitation: anonymous, numbered, with the respondent
    records (by wijk and label, in the same round) that hold their answers."""

    number: int = Field(ge=1)
    role: Role
    code_sha256: Sha256
    created_at: Moment
    respondents: list[RespondentLabel] = []
    """The labels of the round's respondents with this participant's role that are theirs; their
    wijk is the respondent's own."""


class InvitationDump(_Dump):
    """An invitation of a round (issue 19)."""

    title: RespondentLabel
    token_sha256: Sha256
    units: list[Name] = []
    any_unit: bool | None = None
    """The respondent chooses the wijk (format 7); absent in format 6, where no `units` meant that."""
    roles: list[Role] = []
    instruments: list[Literal["schuifjes", "quickscan", "randvoorwaarden"]] = Field(min_length=1)
    closes_at: Moment
    created_at: Moment
    closed_at: Moment | None = None
    revoked_at: Moment | None = None
    participants: list[ParticipantDump] = []


class RoundDump(_Dump):
    """A round."""

    label: Label
    date: dt.date
    respondents: list[RespondentDump] = []
    core_choices: list[CoreChoiceDump] = []
    zet: list[ZetDump] = []
    analysis_mark: AnalysisMarkDump | None = None
    invitations: list[InvitationDump] = []


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
    region_sharing: RegionSharing | None = None
    """Format 8: what the municipality shares with its regions (null: nothing)."""


class MunicipalityDump(_Dump):
    """The municipality."""

    name: Name
    cbs_code: CbsMunicipality | None = None
    settings: SettingsDump = SettingsDump()
    units: list[UnitDump]
    rounds: list[RoundDump] = []
    actions: list[ActionDump] = []
    history: list[ChangeDump] = []
    regions: list[Name] = []
    """Format 8: the names of the regions the municipality is a member of."""


class BackupFile(_Dump):
    """The whole file."""

    format: Literal["wijkmodel-backup"]
    format_version: Literal[1, 2, 3, 4, 5, 6, 7, 8]
    """1: without the improvement cycle; 2: with targets, core choices, actions and history;
    3: with the wijk-analyse too (indicator values and boundaries); 4: answers on the scales of
    model 2026.2 (older files are mapped on reading, `backup.older`), ZET evaluations and the step-1 mark;
    5: the account in the history; 6: per round the invitations and their participants; 7: an
    invitation says whether the respondent chooses the wijk (`any_unit`); 8: the regions the
    municipality is in and what it shares with them."""
    model_version: Version
    municipality: MunicipalityDump


def naive_utc(value: dt.datetime) -> dt.datetime:
    """Stored times are naive UTC; a time with an offset is converted, not just stripped."""
    return value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value
