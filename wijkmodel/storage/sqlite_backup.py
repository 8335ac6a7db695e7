"""A consistent copy of a live SQLite database, and putting one back, with SQLite's online backup API.

The backup API copies a snapshot while the app keeps running: other connections may read and
write during the copy, and the copy is one consistent state. A restore first checks the file
(integrity and the tables wijkmodel needs), then keeps a copy of the current database beside
it, then copies the backup in through the same API, so open connections see the restored data.

Every file is opened by exactly the name given: through a SQLite URI made with `Path.as_uri`, so
'#', '?', '%' and any other character are part of the name (a raw path in a URI made
`evil#.sqlite` read as `evil`). A restore checks and copies through one read-only connection in
one read transaction: the check and the copy read the very same file, in the very same state.

A copy that fails half-way (a full disk) leaves nothing behind: the partial file and the kept
copy go again, the live database is as it was, and the space its WAL took is given back.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from wijkmodel.storage.db import SAVE_WAIT_S, database_url, make_engine, make_sessionmaker
from wijkmodel.storage.errors import storage_problem
from wijkmodel.storage.inputs import InputError
from wijkmodel.storage.tables import ADDED_LATER, data_tables, renew_generation
from wijkmodel.storage.upgrade import free_name, remove_sqlite_file, sqlite_uri

PAGES_PER_STEP = 256
"""Pages copied per step: writers get the database in between steps."""
"""Files SQLite keeps beside a database file."""


@dataclass(frozen=True)
class DatabaseCheck:
    """What a check of a database file found."""

    path: Path
    municipalities: int
    changes: int


def sqlite_file(url: str | None = None) -> Path:
    """The file of a SQLite URL, as SQLAlchemy opens it; a Dutch InputError for any other database."""
    url = url or database_url()
    refused = InputError(
        [
            "Back-up en terugzetten met dit commando werken alleen voor een SQLite-bestand. "
            "Gebruik voor PostgreSQL pg_dump en pg_restore."
        ]
    )
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise refused from None
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:" or "uri" in parsed.query:
        raise refused
    return Path(database)


def _beside(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


@contextmanager
def _reading(path: Path, *, tidy: bool) -> Iterator[sqlite3.Connection]:
    """A read-only connection to exactly `path`, outside any transaction (isolation_level None).

    Reading a database in WAL mode makes SQLite create `-wal` and `-shm` beside it; with `tidy`,
    those are removed again when they were not there before and the WAL stayed empty. Never tidy
    the live database: the app shares those files."""
    if not path.is_file():
        raise InputError([f"Bestand {path} bestaat niet."])
    new = [suffix for suffix in ("-wal", "-shm") if not _beside(path, suffix).exists()]
    try:
        connection = sqlite3.connect(sqlite_uri(path, "ro"), uri=True, timeout=SAVE_WAIT_S, isolation_level=None)
    except sqlite3.Error as exc:
        raise InputError([f"{path} is geen SQLite-database ({exc})."]) from None
    try:
        yield connection
    finally:
        connection.close()
        wal = _beside(path, "-wal")
        if tidy and "-wal" in new and wal.is_file() and wal.stat().st_size == 0:
            for suffix in new:
                _beside(path, suffix).unlink(missing_ok=True)


def _check(connection: sqlite3.Connection, path: Path) -> DatabaseCheck:
    """Integrity and the tables wijkmodel needs, read through `connection`; InputError naming what is wrong."""
    try:
        result = connection.execute("PRAGMA integrity_check").fetchone()
        if result is None or result[0] != "ok":
            raise InputError([f"{path} is beschadigd: {result[0] if result else 'geen antwoord'}."])
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        # the data tables: a backup made before a later migration (without database_identity, say) is
        # brought up to date once restored
        missing = sorted({t.name for t in data_tables()} - tables - set(ADDED_LATER))
        if missing:
            raise InputError([f"{path} is geen database van wijkmodel: de tabellen {', '.join(missing)} ontbreken."])
        municipalities = connection.execute("SELECT count(*) FROM municipality").fetchone()[0]
        changes = connection.execute("SELECT count(*) FROM change").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise InputError([f"{path} is geen bruikbare SQLite-database ({exc})."]) from None
    return DatabaseCheck(path=path, municipalities=int(municipalities), changes=int(changes))


def check_database(path: Path) -> DatabaseCheck:
    """Integrity and the tables wijkmodel needs; InputError naming what is wrong."""
    with _reading(path, tidy=True) as connection:
        return _check(connection, path)


def _copy(reading: sqlite3.Connection, target: Path) -> None:
    """Copy what `reading` reads into `target` (created if need be). A copy that fails is rolled
    back; the space its WAL took is given back, also while the app holds `target` open."""
    try:
        writing = sqlite3.connect(sqlite_uri(target, "rwc"), uri=True, timeout=SAVE_WAIT_S)
    except sqlite3.Error:
        raise InputError([f"Kan niet schrijven naar {target}."]) from None
    try:
        reading.backup(writing, pages=PAGES_PER_STEP)
    except BaseException:
        with suppress(sqlite3.Error):
            writing.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        raise
    finally:
        writing.close()


def _same_file(a: Path, b: Path) -> bool:
    return a.absolute() == b.absolute() or (a.exists() and b.exists() and os.path.samefile(a, b))


def backup_database(target: Path, url: str | None = None) -> DatabaseCheck:
    """Copy the live database to `target` (written beside it, checked, then moved into place). On
    any failure (a full disk) nothing is left behind and an earlier file at `target` stays."""
    source = sqlite_file(url)
    if not source.is_file():
        raise InputError([f"Er is nog geen database in {source}."])
    if _same_file(target, source):
        raise InputError(["De back-up kan niet over de database zelf heen."])
    if not target.parent.is_dir():
        raise InputError([f"De map {target.parent} bestaat niet."])
    partial = target.with_name(f".{target.name}.deels")
    remove_sqlite_file(partial)
    try:
        with _reading(source, tidy=False) as reading:
            _copy(reading, partial)
        with _reading(partial, tidy=True) as written:
            check = _check(written, partial)
        os.replace(partial, target)
    except OSError as exc:
        if storage_problem(exc) is not None:  # a full disk: the caller says so in plain Dutch
            raise
        raise InputError([f"Kan niet schrijven naar {target}: {exc.strerror}."]) from None
    finally:
        remove_sqlite_file(partial)
    return DatabaseCheck(path=target, municipalities=check.municipalities, changes=check.changes)


def _ids_given_out(path: Path) -> dict[str, int]:
    """Per table, the highest id SQLite has given out (sqlite_sequence); empty for an older file."""
    with _reading(path, tidy=False) as connection:
        try:
            return {str(name): int(seq) for name, seq in connection.execute("SELECT name, seq FROM sqlite_sequence")}
        except sqlite3.OperationalError:  # no AUTOINCREMENT table yet
            return {}


def _after_restore(url: str | None, given_out: dict[str, int]) -> None:
    """The restored database's schema brought up to date (a backup of an older version); ids never
    given out again that the database of before had given out (a screen may still show them); and a
    new generation, so no page cache shows what the database held before the restore."""
    engine = make_engine(url or database_url())
    try:
        with make_sessionmaker(engine).begin() as session:
            connection = session.connection()
            for table, seq in given_out.items():
                updated = connection.exec_driver_sql(
                    "UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?", (seq, table)
                )
                if updated.rowcount == 0:
                    connection.exec_driver_sql("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (table, seq))
            renew_generation(connection)
    finally:
        engine.dispose()


def restore_database(
    source: Path, url: str | None = None, *, now: dt.datetime | None = None
) -> tuple[DatabaseCheck, Path | None]:
    """Check `source`, keep a copy of the current database, then copy `source` in. Returns the check
    of what was restored and the path of the kept copy (None when there was no database yet).

    On a failure (a full disk) the live database is unchanged and the kept copy is removed again."""
    live = sqlite_file(url)
    with _reading(source, tidy=True) as reading:
        reading.execute("BEGIN")  # one read transaction (until close): the copy reads what the check read
        check = _check(reading, source)
        if _same_file(source, live):
            raise InputError([f"{source} is de database zelf; er is niets teruggezet."])
        kept = free_name(live, "voor-terugzetten", now, live.suffix) if live.is_file() else None
        given_out = _ids_given_out(live) if kept is not None else {}
        if kept is None:
            live.parent.mkdir(parents=True, exist_ok=True)
        else:
            backup_database(kept, url)
        try:
            _copy(reading, live)
        except BaseException:
            # nothing changed: the kept copy is not needed; without an earlier database, the
            # half-made file is ours
            remove_sqlite_file(kept if kept is not None else live)
            raise
    try:
        _after_restore(url, given_out)
    except BaseException:
        # the restored file could not be brought up to date: put back the database of before
        if kept is not None:
            with _reading(kept, tidy=True) as back:
                _copy(back, live)
        raise
    return check, kept
