"""Storage: SQLAlchemy 2 engine and tables. SQLite by default, any URL via WIJKMODEL_DATABASE_URL.

This module owns the engine. Every save is one transaction (`with factory.begin()`); on SQLite
the connection uses WAL, a busy timeout of 10 s and foreign keys, and a save starts with
`BEGIN IMMEDIATE`: it takes the write lock before its first read, so a read-then-write cannot
fail as busy halfway (a deferred transaction in WAL mode cannot wait for a lock it upgrades to).
On PostgreSQL a save first takes an advisory lock, to the same end.
"""

from __future__ import annotations

import ast
import logging
import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
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
    create_engine,
    event,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship, sessionmaker

from wijkmodel.paths import VAR
from wijkmodel.storage.upgrade import Upgrade, copy_before_upgrade, sqlite_path

_log = logging.getLogger(__name__)

DEFAULT_SQLITE_PATH = VAR / "wijkmodel.sqlite"
"""Default database file (git-ignored folder `var/`)."""
SAVE_WAIT_S: float = 10
"""How long a save waits for its turn (SQLite busy timeout; PostgreSQL lock timeout) before it fails."""


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


class DatabaseIdentity(Base):
    """One row: the database's generation, a random token renewed by every restore. Page caches key
    on it besides the municipality's revision, which starts again in a restored database."""

    __tablename__ = "database_identity"
    __table_args__ = (CheckConstraint("id = 1", name="one_identity"),)
    id: Mapped[int] = mapped_column(primary_key=True, default=1)
    generation: Mapped[str] = mapped_column(String(36))


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


def database_url() -> str:
    """WIJKMODEL_DATABASE_URL, or the default SQLite file."""
    return os.environ.get("WIJKMODEL_DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE_PATH}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any, wait_s: float | None = None) -> None:
    # The driver must not open transactions of its own: `_sqlite_begin` says how each one starts.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={int((SAVE_WAIT_S if wait_s is None else wait_s) * 1000)}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


SAVE = "wijkmodel_save"
"""Execution option marking a save's transaction: it takes the write lock before its first read."""
LOCK_SCOPE = "wijkmodel_lock_scope"
"""Execution option (and session info key) of a save: the municipality id it may change, or
EVERYTHING for saves that span municipalities (creating them, importing many, a backup)."""
EVERYTHING = "alles"
WAIT = "wijkmodel_wait_s"
"""Execution option of an engine made with `wait_s`: how long its saves wait (else SAVE_WAIT_S)."""
SAVE_LOCK_KEY = 7_281_946
"""PostgreSQL advisory lock key: shared by every save of one municipality, exclusive for a save of
everything. A municipality's own lock is the pair (SAVE_LOCK_KEY, municipality id)."""


class LockScopeError(RuntimeError):
    """A save changed a municipality it did not lock: a programming error, never the user's."""


def _sqlite_begin(connection: Any) -> None:
    # IMMEDIATE takes the write lock (waiting up to the busy timeout); DEFERRED only reads.
    # SQLite has one writer at a time, so the lock scope changes nothing here.
    connection.exec_driver_sql("BEGIN IMMEDIATE" if connection.get_execution_options().get(SAVE) else "BEGIN")


def _postgresql_begin(connection: Any) -> None:
    # Saves of one municipality go one after another: every read-then-write (and the history's
    # old -> new) stays exact, as on SQLite, instead of two saves reading the same old value under
    # READ COMMITTED. Saves of different municipalities never wait for each other; a save of
    # everything waits for all and all wait for it. A save waits as long as on SQLite, then fails.
    options = connection.get_execution_options()
    if not options.get(SAVE):
        return
    wait_ms = max(1, int(options.get(WAIT, SAVE_WAIT_S) * 1000))  # 0 would be: wait forever
    connection.exec_driver_sql(f"SET LOCAL lock_timeout = '{wait_ms}ms'")
    scope = options.get(LOCK_SCOPE, EVERYTHING)
    if scope == EVERYTHING:
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({SAVE_LOCK_KEY})")
    else:
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock_shared({SAVE_LOCK_KEY})")
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({SAVE_LOCK_KEY}, {int(scope)})")


def new_engine(url: str | None = None, *, wait_s: float | None = None) -> Engine:
    """Engine for `url` (default: `database_url()`) whose saves wait `wait_s` seconds for their turn
    (default SAVE_WAIT_S), without touching the schema: `migrate` it, or use `make_engine`."""
    url = url or database_url()
    options = {} if wait_s is None else {WAIT: wait_s}
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1] if "///" in url else ""
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        timeout = SAVE_WAIT_S if wait_s is None else wait_s
        engine = create_engine(url, connect_args={"timeout": timeout}, execution_options=options)

        def pragmas(dbapi_connection: Any, record: Any) -> None:
            _sqlite_pragmas(dbapi_connection, record, wait_s)

        event.listen(engine, "connect", pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    else:
        # READ COMMITTED (PostgreSQL's default, pinned): a save reads what the save before it wrote
        engine = create_engine(url, pool_pre_ping=True, isolation_level="READ COMMITTED", execution_options=options)
        if engine.dialect.name == "postgresql":
            event.listen(engine, "begin", _postgresql_begin)
    return engine


def make_engine(url: str | None = None, *, wait_s: float | None = None) -> Engine:
    """Engine for `url` (default: `database_url()`), with its schema brought up to date (`migrate`)."""
    engine = new_engine(url, wait_s=wait_s)
    migrate(engine)
    return engine


MIGRATIONS = Path(__file__).resolve().parent / "migrations"
"""Alembic's folder: env.py and versions/. See docs/migrations.md."""
BASELINE = "0001"
"""The revision of a database made by create_all before migrations existed (no alembic_version)."""


def _alembic_config(connection: Connection) -> Any:
    from alembic.config import Config  # only needed when the schema is behind

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


_REVISION = re.compile(r"^(down_revision|revision)\s*(?::[^=]*)?=\s*(.+?)\s*$", re.MULTILINE)


@lru_cache(maxsize=1)
def head_revision() -> str:
    """The newest revision in migrations/versions: the one no other revision revises. Read from the
    files' `revision = "NNNN"` and `down_revision = "NNNN"` lines, not with alembic's ScriptDirectory,
    which costs every process a tenth of a second of imports (mako, pygments) just to start; the
    tests check both agree."""
    revisions: set[str] = set()
    revised: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        for name, value in _REVISION.findall(path.read_text(encoding="utf-8")):
            found = ast.literal_eval(value)  # "0002", None, or a merge's tuple
            names = {found} if isinstance(found, str) else set(found or ())
            (revisions if name == "revision" else revised).update(names)
    heads = revisions - revised
    if len(heads) != 1:
        raise RuntimeError(f"migrations/versions must have one head, not {sorted(heads)}")
    return heads.pop()


def schema_revision(connection: Connection) -> str | None:
    """The revision a database is at: alembic's record, the baseline for a database made before
    migrations existed, None for an empty database."""
    tables = set(inspect(connection).get_table_names())
    if "alembic_version" in tables:
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return BASELINE if "municipality" in tables else None


def migrate(engine: Engine) -> Upgrade:
    """Bring the schema to the newest revision: an empty database gets every table at once, an older
    one runs the migrations it misses. One transaction, holding the save lock of everything, so
    servers starting together migrate once; a failed migration leaves the database as it was.

    An existing SQLite file that is behind is first copied beside itself (`upgrade.copy_before_upgrade`),
    under the same lock, so the copy is the database exactly as the older version left it; without
    the copy nothing is migrated. Returns what was found and done (and logs an upgrade)."""
    with engine.connect() as probe:
        found = schema_revision(probe)
    head = head_revision()
    if found == head:
        return Upgrade(before=head, after=head)
    from alembic import command  # only needed when the schema is behind

    sqlite = engine.dialect.name == "sqlite"
    copy: Path | None = None
    with engine.execution_options(**{SAVE: True, LOCK_SCOPE: EVERYTHING}).connect() as connection:
        raw = connection.connection.dbapi_connection
        if sqlite:
            # SQLite rebuilds a table to change it; with foreign keys on, dropping the old table would
            # delete (cascade) the rows that point to it. Only settable outside a transaction.
            assert raw is not None
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                current = schema_revision(connection)
                if current is None:
                    Base.metadata.create_all(connection)
                    connection.execute(insert(DatabaseIdentity).values(id=1, generation=new_generation()))
                    command.stamp(_alembic_config(connection), "head")
                elif current != head:
                    live = sqlite_path(engine.url.database, dict(engine.url.query)) if sqlite else None
                    if live is not None:
                        copy = copy_before_upgrade(live, current)
                    try:
                        config = _alembic_config(connection)
                        if not inspect(connection).has_table("alembic_version"):
                            command.stamp(config, current)
                        command.upgrade(config, "head")
                        if sqlite:
                            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                            if broken:
                                raise RuntimeError(f"migration broke foreign keys: {broken[:5]}")
                    except BaseException:
                        if copy is not None:  # nothing changed: the database itself is the database of before
                            copy.unlink(missing_ok=True)
                        raise
        finally:
            if sqlite:
                assert raw is not None
                raw.execute("PRAGMA foreign_keys=ON")
    if current is not None and current != head:
        _log.warning(
            "database %s upgraded from revision %s to %s%s",
            engine.url.render_as_string(hide_password=True),
            current,
            head,
            f"; the file as it was before is kept at {copy}" if copy is not None else "",
        )
    return Upgrade(before=current, after=head, copy=copy)


class Sessions(sessionmaker[Session]):
    """Session factory: `factory()` for reads, `factory.begin(...)` for a save (one transaction).

    A save's session is bound to the engine with the SAVE option: `BEGIN IMMEDIATE` on SQLite, an
    advisory lock on PostgreSQL (of its municipality, or of everything). Saves of one municipality
    run one after another; reads never wait.
    """

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine, expire_on_commit=False)
        self.engine = engine

    def writing(self, municipality_id: int | None = None) -> Session:
        """A session for writes whose caller commits or rolls back itself (a dry run, say).

        With `municipality_id` it may change only that municipality; without, everything."""
        scope: int | str = EVERYTHING if municipality_id is None else int(municipality_id)
        session = self(bind=self.engine.execution_options(**{SAVE: True, LOCK_SCOPE: scope}))
        session.info[LOCK_SCOPE] = scope
        return session

    @contextmanager
    def begin(self, municipality_id: int | None = None) -> Iterator[Session]:
        """One save: commits at the end, rolls back on any error. With `municipality_id` it locks
        only that municipality (PostgreSQL) and may change nothing else; without, everything."""
        with self.writing(municipality_id) as session, session.begin():
            yield session


def check_lock_scope(session: Session, municipality_id: int | None) -> None:
    """Refuse (LockScopeError) a change to a municipality the save did not lock (None: a change
    that needs the lock of everything, such as making a municipality): on PostgreSQL it could
    interleave with another save of that municipality."""
    scope = session.info.get(LOCK_SCOPE, EVERYTHING)
    if scope != EVERYTHING and scope != municipality_id:
        raise LockScopeError(f"save locked municipality {scope} but changes {municipality_id or 'everything'}")


def make_sessionmaker(engine: Engine) -> Sessions:
    """Session factory; use `with factory.begin(municipality_id) as session:` so each save is one transaction."""
    return Sessions(engine)


def sync_id_sequences(conn: Any) -> None:
    """PostgreSQL: move each id sequence past the ids inserted explicitly (a bulk load, a copied
    database), so later saves get fresh ids. Does nothing on SQLite, which needs no sequences."""
    if conn.dialect.name != "postgresql":
        return
    for table in data_tables():
        if "id" not in table.c or not table.c.id.primary_key:
            continue
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "  # noqa: S608 - names from metadata
                f'coalesce((SELECT max(id) FROM "{table.name}"), 0) + 1, false)'
            )
        )
