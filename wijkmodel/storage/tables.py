"""The tables: one SQLAlchemy model per kind of record, the enums of the values they hold (unit kind,
role, action status), and the database's generation. Every change here comes with a migration
(docs/migrations.md)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    select,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship


class UnitKind(StrEnum):
    """What a unit of assessment is: a wijk, or the municipality as a whole."""

    WIJK = "wijk"
    MUNICIPALITY = "gemeente"


MUNICIPALITY_UNIT_NAME = "Gemeente als geheel"


class Role(StrEnum):
    """Role of a respondent (perspective)."""

    MUNICIPALITY = "gemeente"
    LOCAL_TEAM = "lokaal team"
    PARTNER = "samenwerkingspartner"
    RESIDENT = "inwoner/jeugd"


def utcnow() -> datetime:
    """Now, in UTC, to the second (so backups round-trip exactly)."""
    return datetime.now(UTC).replace(microsecond=0, tzinfo=None)


class Base(DeclarativeBase):
    """Declarative base of all tables."""


ID_NEVER_REUSED: dict[str, Any] = {"sqlite_autoincrement": True}
"""Table option of every table with its own id: on SQLite an id is never given out twice, so a
screen that still shows a removed wijk (or round, respondent, action) cannot save into a new one
that took its id. PostgreSQL sequences never repeat anyway."""


class Municipality(Base):
    """A gemeente."""

    __tablename__ = "municipality"
    __table_args__ = (ID_NEVER_REUSED,)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    cbs_code: Mapped[str | None] = mapped_column(String(6), unique=True)
    overall_rule: Mapped[str] = mapped_column(String(20), default="gemiddelde")
    """Rule for the overall phase (page Instellingen): gemiddelde, mediaan or zwakste schakel."""
    theme_weight: Mapped[float] = mapped_column(Float, default=0.5)
    """Weight of the theme mean in the combined index (0-1)."""
    population_weighted: Mapped[bool] = mapped_column(Boolean, default=False)
    """Weigh wijken by population in the municipality aggregate."""
    revision: Mapped[int] = mapped_column(Integer, default=0)
    """Raised by every save under this municipality: pages key their caches on it."""
    units: Mapped[list[Unit]] = relationship(back_populates="municipality", cascade="all, delete-orphan")
    rounds: Mapped[list[Round]] = relationship(back_populates="municipality", cascade="all, delete-orphan")


class Unit(Base):
    """A unit of assessment: a wijk, or the municipality as a whole (kind = gemeente)."""

    __tablename__ = "unit"
    __table_args__ = (
        UniqueConstraint("municipality_id", "name"),
        CheckConstraint("kind in ('wijk', 'gemeente')", name="unit_kind"),
        CheckConstraint("population is null or population >= 0", name="unit_population"),
        ID_NEVER_REUSED,
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(200))
    cbs_code: Mapped[str | None] = mapped_column(String(8))
    population: Mapped[int | None] = mapped_column(Integer)
    municipality: Mapped[Municipality] = relationship(back_populates="units")


class Round(Base):
    """A round of assessment (for example one per year)."""

    __tablename__ = "round"
    __table_args__ = (UniqueConstraint("municipality_id", "label"), ID_NEVER_REUSED)
    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(100))
    date: Mapped[date] = mapped_column(Date)
    municipality: Mapped[Municipality] = relationship(back_populates="rounds")


class Respondent(Base):
    """One perspective on one unit in one round. Holds no personal data: a role and a label."""

    __tablename__ = "respondent"
    __table_args__ = (UniqueConstraint("round_id", "unit_id", "role", "label"), ID_NEVER_REUSED)
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(30))
    label: Mapped[str] = mapped_column(String(100), default="")


class ThemePosition(Base):
    """A respondent's slider position for one theme (NULL position: a note without a position)."""

    __tablename__ = "theme_position"
    __table_args__ = (
        UniqueConstraint("respondent_id", "theme_id"),
        CheckConstraint("position is null or (position >= 0 and position <= 100)", name="position_range"),
        ID_NEVER_REUSED,
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    respondent_id: Mapped[int] = mapped_column(ForeignKey("respondent.id", ondelete="CASCADE"), index=True)
    theme_id: Mapped[str] = mapped_column(String(40))
    position: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    carried_over: Mapped[bool] = mapped_column(Boolean, default=False)
    """Copied from the previous round and not yet confirmed or changed in this one."""
    model_version: Mapped[str] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Answer(Base):
    """A respondent's answer to one question (NULL option: a note without an answer)."""

    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("respondent_id", "question_id"), ID_NEVER_REUSED)
    id: Mapped[int] = mapped_column(primary_key=True)
    respondent_id: Mapped[int] = mapped_column(ForeignKey("respondent.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[str] = mapped_column(String(40))
    option_id: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(Text, default="")
    carried_over: Mapped[bool] = mapped_column(Boolean, default=False)
    """Copied from the previous round and not yet confirmed or changed in this one."""
    model_version: Mapped[str] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Target(Base):
    """A target position (streefwaarde) for one theme or basic function of a unit, with a date."""

    __tablename__ = "target"
    __table_args__ = (
        UniqueConstraint("unit_id", "item_id"),
        CheckConstraint("position >= 0 and position <= 100", name="target_range"),
        ID_NEVER_REUSED,
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[str] = mapped_column(String(40))
    position: Mapped[float] = mapped_column(Float)
    target_date: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class EnergyMark(Base):
    """A theme marked as 'waar energie in zit' for a unit (step 4: start where there is energy)."""

    __tablename__ = "energy_mark"
    __table_args__ = (UniqueConstraint("unit_id", "theme_id"), ID_NEVER_REUSED)
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    theme_id: Mapped[str] = mapped_column(String(40))


class CoreChoiceEntry(Base):
    """The option a municipality chose for one core choice (step 3) in a round, with its rationale."""

    __tablename__ = "core_choice"
    __table_args__ = (UniqueConstraint("round_id", "choice_id"), ID_NEVER_REUSED)
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    choice_id: Mapped[str] = mapped_column(String(40))
    option_id: Mapped[str | None] = mapped_column(String(40))
    rationale: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class AnalysisMarkEntry(Base):
    """Step 1 ("wijk-analyse en prioriteiten") of a round marked done by hand, with a note of what was
    done: for an analysis made without importing figures (storage/analysis_mark.py)."""

    __tablename__ = "analysis_mark"
    __table_args__ = (ID_NEVER_REUSED,)
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), unique=True)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ZetEvaluation(Base):
    """The outcome of a ZET evaluation (Zorg en ondersteuning Evaluatie Tool: practice) for one basic
    function of a unit in a round, beside the Quickscan (policy). The value is on the evaluation's own
    scale `scale_min`..`scale_max` and maps linearly to 0-100 (docs/scoring.md, "ZET")."""

    __tablename__ = "zet_evaluation"
    __table_args__ = (
        UniqueConstraint("round_id", "unit_id", "basic_function"),
        CheckConstraint("scale_max > scale_min", name="zet_scale"),
        CheckConstraint("value >= scale_min and value <= scale_max", name="zet_value"),
        CheckConstraint("cases is null or cases >= 0", name="zet_cases"),
        ID_NEVER_REUSED,
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    basic_function: Mapped[str] = mapped_column(String(40))
    value: Mapped[float] = mapped_column(Float)
    scale_min: Mapped[float] = mapped_column(Float, default=0.0)
    scale_max: Mapped[float] = mapped_column(Float, default=100.0)
    cases: Mapped[int | None] = mapped_column(Integer)
    evaluated_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ActionStatus(StrEnum):
    """Where an action stands."""

    PLANNED = "gepland"
    RUNNING = "loopt"
    DONE = "klaar"
    STOPPED = "gestopt"


class Action(Base):
    """One action of the action plan (step 4): for a theme, for a wijk or the municipality as a whole."""

    __tablename__ = "action"
    __table_args__ = (
        CheckConstraint("status in ('gepland', 'loopt', 'klaar', 'gestopt')", name="action_status"),
        CheckConstraint("end_date is null or start_date is null or end_date >= start_date", name="action_dates"),
        ID_NEVER_REUSED,
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    theme_id: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200), default="")
    """A role or organisation; no personal data needed."""
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default=ActionStatus.PLANNED.value)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class IndicatorValue(Base):
    """One figure about a unit in one year (wijk-analyse, step 1), for example the number of
    inhabitants from CBS Kerncijfers wijken en buurten or a column of the municipality's own file."""

    __tablename__ = "indicator_value"
    __table_args__ = (UniqueConstraint("unit_id", "indicator", "year"), ID_NEVER_REUSED)
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    indicator: Mapped[str] = mapped_column(String(100))
    """Name without CBS's yearly suffix (AantalInwoners), or the own file's column name."""
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(200), default="")
    """Where it came from: 'CBS 85984NED' or 'eigen bestand kerncijfers.xlsx'."""


class UnitGeometry(Base):
    """The boundary of a unit as a GeoJSON geometry in WGS84 (longitude, latitude)."""

    __tablename__ = "unit_geometry"
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True)
    geometry: Mapped[str] = mapped_column(Text)
    """GeoJSON Polygon or MultiPolygon, coordinates in WGS84."""
    source: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Change(Base):
    """One kept change: what changed, when, by which role, old -> new. Never updated or deleted
    while its municipality exists; unit and round are copied as names so the trace outlives them."""

    __tablename__ = "change"
    __table_args__ = (ID_NEVER_REUSED,)
    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    unit_id: Mapped[int | None] = mapped_column(Integer, index=True)
    unit_name: Mapped[str] = mapped_column(String(200), default="")
    round_label: Mapped[str] = mapped_column(String(100), default="")
    role: Mapped[str] = mapped_column(String(130), default="")
    """Respondent role (and label) behind the change, empty for municipality-level changes."""
    kind: Mapped[str] = mapped_column(String(30))
    """What kind of thing changed: schuifje, antwoord, streefwaarde, kernkeuze, actie, ..."""
    subject: Mapped[str] = mapped_column(String(300))
    """Which one, readable (theme name, question id, action description)."""
    old: Mapped[str] = mapped_column(Text, default="")
    new: Mapped[str] = mapped_column(Text, default="")
    named_by: Mapped[ChangeAccount | None] = relationship(cascade="all, delete-orphan", uselist=False)
    """The account that made it (with login); None without login or on the command line."""


class AccountRole(StrEnum):
    """What an account may do in one municipality (with login configured). Distinct from a
    respondent's perspective (`Role`)."""

    ADMIN = "beheerder"
    """Wijken, rounds, settings, accounts, removal and restore; and all an editor may."""
    EDITOR = "invuller"
    """Positions, answers, notes, targets, actions and core choices."""
    READER = "lezer"
    """View and download."""


class Account(Base):
    """A person who logs in (OIDC): identified by the provider (issuer) and its subject, with the
    e-mail the provider gave. No passwords. Kept across municipalities; its rows in the history name
    it by e-mail (`Change.account`)."""

    __tablename__ = "account"
    __table_args__ = (UniqueConstraint("issuer", "subject"), ID_NEVER_REUSED)
    id: Mapped[int] = mapped_column(primary_key=True)
    issuer: Mapped[str] = mapped_column(String(300))
    subject: Mapped[str] = mapped_column(String(255))
    email: Mapped[str] = mapped_column(String(320), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Grant(Base):
    """An account's role in one municipality (at most one)."""

    __tablename__ = "account_role"
    __table_args__ = (
        UniqueConstraint("account_id", "municipality_id"),
        CheckConstraint("role in ('beheerder', 'invuller', 'lezer')", name="account_role_role"),
        ID_NEVER_REUSED,
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"), index=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))


class ChangeAccount(Base):
    """The account that made a change (with login configured): its e-mail then. A change without a
    row here was made without login (one person on 127.0.0.1) or by the command line. A table of
    its own, so removing a person's name from the history (`pseudonymise`) touches only this."""

    __tablename__ = "change_account"
    change_id: Mapped[int] = mapped_column(ForeignKey("change.id", ondelete="CASCADE"), primary_key=True)
    account: Mapped[str] = mapped_column(String(320), index=True)


class Invitation(Base):
    """A beheerder's invitation to answer for a round without an account (issue 19): one link, whose
    token is stored only as its SHA-256. Which wijken (or `any_unit`: the respondent chooses), which
    roles (empty: the respondent chooses among the four) and which instruments, comma-separated."""

    __tablename__ = "invitation"
    __table_args__ = (UniqueConstraint("token_hash"), ID_NEVER_REUSED)
    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64))
    roles: Mapped[str] = mapped_column(String(200), default="")
    instruments: Mapped[str] = mapped_column(String(200))
    closes_at: Mapped[datetime] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    """Closed by the facilitator (the session is over); the link then says so."""
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    """Revoked: the link no longer works (a link that went where it should not)."""
    any_unit: Mapped[bool] = mapped_column(Boolean, default=False)
    """The respondent chooses among all the municipality's wijken (then no invitation_unit rows).
    Explicit, so that an invitation whose chosen wijken were all removed opens none, not every one."""
    join_window_start: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    window_joins: Mapped[int] = mapped_column(Integer, default=0)
    """Joins in the minute from join_window_start, counted here so the bound holds across servers."""


class InvitationUnit(Base):
    """A wijk (or the municipality as a whole) an invitation asks about."""

    __tablename__ = "invitation_unit"
    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitation.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True, index=True)


class Participant(Base):
    """One person answering through an invitation: anonymous (no name, address or browser), known by
    a continue code stored only as its SHA-256, and numbered within the invitation. Saves per minute
    are counted here, so the bound holds across servers."""

    __tablename__ = "participant"
    __table_args__ = (UniqueConstraint("code_hash"), UniqueConstraint("invitation_id", "number"), ID_NEVER_REUSED)
    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitation.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    code_hash: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(30))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    window_start: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    window_saves: Mapped[int] = mapped_column(Integer, default=0)


class ParticipantRespondent(Base):
    """The respondent record of a participant for one wijk: one per person per wijk."""

    __tablename__ = "participant_respondent"
    __table_args__ = (UniqueConstraint("participant_id", "unit_id"),)
    respondent_id: Mapped[int] = mapped_column(ForeignKey("respondent.id", ondelete="CASCADE"), primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))


class RegionSharing(StrEnum):
    """What a municipality shares with the regions it is a member of (no row: nothing)."""

    TOTALS = "totalen"
    """Its own scores per theme and basic function (the municipality as a whole or its wijken's mean)."""
    WIJKEN = "wijken"
    """Also the scores of each of its wijken. Never notes or respondents."""


class Region(Base):
    """A region (a youth-care region, say): a name and its member municipalities (issue 20)."""

    __tablename__ = "region"
    __table_args__ = (ID_NEVER_REUSED,)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class RegionMember(Base):
    """A municipality in a region (a municipality may be in several)."""

    __tablename__ = "region_member"
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id", ondelete="CASCADE"), primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class RegionCoordinator(Base):
    """An account that coordinates a region (with login): sees what its members share."""

    __tablename__ = "region_coordinator"
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id", ondelete="CASCADE"), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"), primary_key=True, index=True)


class MunicipalitySharing(Base):
    """A municipality's choice to share with its regions; no row: it shares nothing (the default)."""

    __tablename__ = "region_sharing"
    __table_args__ = (CheckConstraint("level in ('totalen', 'wijken')", name="region_sharing_level"),)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"), primary_key=True)
    level: Mapped[str] = mapped_column(String(10))


class DatabaseIdentity(Base):
    """One row: the database's generation, a random token renewed by every restore. Page caches key
    on it besides the municipality's revision, which starts again in a restored database."""

    __tablename__ = "database_identity"
    __table_args__ = (CheckConstraint("id = 1", name="one_identity"),)
    id: Mapped[int] = mapped_column(primary_key=True, default=1)
    generation: Mapped[str] = mapped_column(String(36))


ADDED_LATER = {
    "zet_evaluation": "0003",
    "analysis_mark": "0003",
    "account": "0004",
    "account_role": "0004",
    "change_account": "0004",
    "invitation": "0005",
    "invitation_unit": "0005",
    "participant": "0005",
    "participant_respondent": "0005",
    "region": "0007",
    "region_member": "0007",
    "region_coordinator": "0007",
    "region_sharing": "0007",
}
"""Data tables that a migration after the baseline added (table → revision): a database or backup
file of an older version lacks them and gets them when it is brought up to date."""


def data_tables() -> list[Any]:
    """Every table of wijkmodel's data, parents first: all but the database's own identity."""
    return [t for t in Base.metadata.sorted_tables if t.name != DatabaseIdentity.__tablename__]


def new_generation() -> str:
    """A generation token that never repeats."""
    return str(uuid.uuid4())


def renew_generation(connection: Connection) -> str:
    """Give the database a new generation (after a restore or a replace); returns it."""
    token = new_generation()
    connection.execute(update(DatabaseIdentity).values(generation=token))
    return token


def generation(session: Session) -> str:
    """The database's generation (see DatabaseIdentity)."""
    return session.scalar(select(DatabaseIdentity.generation)) or ""
