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
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import (
    create_engine,
    event,
    insert,
    inspect,
    text,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

from wijkmodel.paths import VAR
from wijkmodel.storage.tables import (
    Base,
    DatabaseIdentity,
    data_tables,
    new_generation,
)
from wijkmodel.storage.upgrade import Upgrade, copy_before_upgrade, sqlite_path

_log = logging.getLogger(__name__)

DEFAULT_SQLITE_PATH = VAR / "wijkmodel.sqlite"
"""Default database file (git-ignored folder `var/`)."""
SAVE_WAIT_S: float = 10
"""How long a save waits for its turn (SQLite busy timeout; PostgreSQL lock timeout) before it fails."""


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
ACTOR = "wijkmodel_actor"
"""The key of a save's actor in `Session.info` (`storage.access`, which db may not import)."""
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

    def writing(self, municipality_id: int | None = None, actor: object | None = None) -> Session:
        """A session for writes whose caller commits or rolls back itself (a dry run, say).

        With `municipality_id` it may change only that municipality; without, everything. `actor`:
        who saves (`storage.access.Actor`; None: everyone, no login or the command line)."""
        scope: int | str = EVERYTHING if municipality_id is None else int(municipality_id)
        session = self(bind=self.engine.execution_options(**{SAVE: True, LOCK_SCOPE: scope}))
        session.info[LOCK_SCOPE] = scope
        if actor is not None:
            session.info[ACTOR] = actor
        return session

    @contextmanager
    def begin(self, municipality_id: int | None = None, actor: object | None = None) -> Iterator[Session]:
        """One save: commits at the end, rolls back on any error. With `municipality_id` it locks
        only that municipality (PostgreSQL) and may change nothing else; without, everything.
        `actor`: who saves; `storage.access.require` checks its role where data is saved."""
        with self.writing(municipality_id, actor) as session, session.begin():
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
    present = set(inspect(conn).get_table_names())  # a database of an older revision lacks later tables
    for table in data_tables():
        if "id" not in table.c or not table.c.id.primary_key or table.name not in present:
            continue
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "  # noqa: S608 - names from metadata
                f'coalesce((SELECT max(id) FROM "{table.name}"), 0) + 1, false)'
            )
        )
