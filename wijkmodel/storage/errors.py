"""What went wrong when the database or the disk refused: a Dutch message that tells the truth.

A failed save used to say "database bezet" whatever the cause; a full disk is not a busy database.
The kind of problem comes from error codes where the driver gives them: `sqlite_errorcode` of a
sqlite3 error (SQLITE_FULL, SQLITE_BUSY, ...), `sqlstate` of a psycopg error (53100 disk_full,
55P03 lock_not_available, 08xxx connection exceptions, ...), `errno` of an OSError (ENOSPC). The
English text only counts for a sqlite3 error that carries no code.
"""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterator
from enum import StrEnum

from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError


class StorageProblem(StrEnum):
    """Kinds of storage failure a user can do something about (or wait out)."""

    DISK_FULL = "schijf vol"
    BUSY = "bezet"
    UNREACHABLE = "niet bereikbaar"
    READ_ONLY = "alleen lezen"
    OTHER = "andere databasefout"


_SQLITE_CODES = {
    13: StorageProblem.DISK_FULL,  # SQLITE_FULL: "database or disk is full"
    5: StorageProblem.BUSY,  # SQLITE_BUSY: "database is locked" after the busy timeout
    6: StorageProblem.BUSY,  # SQLITE_LOCKED: a table locked by another connection of this process
    8: StorageProblem.READ_ONLY,  # SQLITE_READONLY: "attempt to write a readonly database"
    14: StorageProblem.UNREACHABLE,  # SQLITE_CANTOPEN: "unable to open database file"
}
"""Primary SQLite result codes (the low byte of an extended code such as SQLITE_BUSY_TIMEOUT)."""

_SQLITE_TEXTS = [
    ("database or disk is full", StorageProblem.DISK_FULL),
    ("database is locked", StorageProblem.BUSY),
    ("readonly database", StorageProblem.READ_ONLY),
    ("unable to open database", StorageProblem.UNREACHABLE),
]
"""Only for a sqlite3 error without `sqlite_errorcode`."""

_SQLSTATES = {
    "53100": StorageProblem.DISK_FULL,  # disk_full
    "55P03": StorageProblem.BUSY,  # lock_not_available (lock_timeout)
    "40P01": StorageProblem.BUSY,  # deadlock_detected
    "40001": StorageProblem.BUSY,  # serialization_failure
    "57014": StorageProblem.BUSY,  # query_canceled (statement_timeout)
    "57P01": StorageProblem.UNREACHABLE,  # admin_shutdown (also pg_terminate_backend)
    "57P02": StorageProblem.UNREACHABLE,  # crash_shutdown
    "57P03": StorageProblem.UNREACHABLE,  # cannot_connect_now (starting up, shutting down)
    "53300": StorageProblem.UNREACHABLE,  # too_many_connections
    "25006": StorageProblem.READ_ONLY,  # read_only_sql_transaction (also a hot standby)
}
"""PostgreSQL SQLSTATEs; the whole class 08 (connection exception) is UNREACHABLE as well."""

_DISK_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}

_MESSAGES = {
    StorageProblem.DISK_FULL: (
        "de schijf van de server is vol. Er is niets veranderd. "
        "Vraag de beheerder om ruimte te maken. Daarna kunt u het opnieuw proberen."
    ),
    StorageProblem.BUSY: (
        "de database was te lang bezet door een andere opslag. Er is niets veranderd. "
        "Probeer het over een paar seconden opnieuw."
    ),
    StorageProblem.UNREACHABLE: (
        "er is geen verbinding met de database. De verbinding is weggevallen of de database is niet "
        "bereikbaar. Er is niets veranderd. Probeer het over een minuut opnieuw. Blijft het misgaan, "
        "meld het dan aan de beheerder."
    ),
    StorageProblem.READ_ONLY: (
        "de database staat op alleen lezen: er kan nu niets in worden bewaard. Er is niets veranderd. "
        "Meld dit aan de beheerder."
    ),
    StorageProblem.OTHER: (
        "er ging iets mis in de database. Er is niets veranderd. Probeer het opnieuw. "
        "Blijft het misgaan, meld het dan aan de beheerder."
    ),
}


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """`exc`, the driver's error SQLAlchemy wraps (`orig`), and their causes; each once."""
    todo: list[BaseException] = [exc]
    seen: set[int] = set()
    while todo and len(seen) < 20:
        current = todo.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        todo += [
            e
            for e in (getattr(current, "orig", None), current.__cause__, current.__context__)
            if isinstance(e, BaseException)
        ]


def _is_psycopg_connection_error(exc: BaseException) -> bool:
    """A psycopg OperationalError raised by the client, not the server (no SQLSTATE): the
    connection could not be made or was lost (refused, closed, timed out)."""
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is in requirements.txt
        return False
    return isinstance(exc, psycopg.OperationalError) and getattr(exc, "sqlstate", None) is None


def _kind_of(exc: BaseException) -> StorageProblem | None:
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorcode", None)
        if isinstance(code, int):
            return _SQLITE_CODES.get(code & 0xFF)
        text = str(exc).lower()
        return next((kind for words, kind in _SQLITE_TEXTS if words in text), None)
    sqlstate = getattr(exc, "sqlstate", None) or getattr(exc, "pgcode", None)
    if isinstance(sqlstate, str):
        return _SQLSTATES.get(sqlstate, StorageProblem.UNREACHABLE if sqlstate.startswith("08") else None)
    if _is_psycopg_connection_error(exc):
        return StorageProblem.UNREACHABLE
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return StorageProblem.UNREACHABLE
    if isinstance(exc, PoolTimeoutError):  # every pooled connection in use for too long
        return StorageProblem.BUSY
    if isinstance(exc, OSError) and exc.errno in _DISK_FULL_ERRNOS:
        return StorageProblem.DISK_FULL
    return None


def _is_database_error(exc: BaseException) -> bool:
    return isinstance(exc, DBAPIError | sqlite3.Error) or type(exc).__module__.startswith("psycopg")


def storage_problem(exc: BaseException) -> StorageProblem | None:
    """What kind of storage failure `exc` is; OTHER for any other database error, None when `exc`
    is no database error and no full disk (a bug, bad input, a missing file)."""
    chain = list(_chain(exc))
    for link in chain:
        kind = _kind_of(link)
        if kind is not None:
            return kind
    return StorageProblem.OTHER if any(_is_database_error(link) for link in chain) else None


def storage_message(exc: BaseException, *, action: str = "Opslaan") -> str:
    """A Dutch message (B1) for a failed database or disk operation: what happened, that nothing
    changed, and what to do. `action` names what failed: "Opslaan is niet gelukt: ...". Anything
    that is no storage failure gets the general database message."""
    return f"{action} is niet gelukt: {_MESSAGES[storage_problem(exc) or StorageProblem.OTHER]}"
