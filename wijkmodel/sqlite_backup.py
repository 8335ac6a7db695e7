"""A consistent copy of a live SQLite database, and putting one back, with SQLite's online backup API.

The backup API copies a snapshot while the app keeps running: other connections may read and
write during the copy, and the copy is one consistent state. A restore first checks the file
(integrity and the tables wijkmodel needs), then keeps a copy of the current database beside
it, then copies the backup in through the same API, so open connections see the restored data.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from wijkmodel.db import SAVE_WAIT_S, Base, database_url
from wijkmodel.inputs import InputError

PAGES_PER_STEP = 256
"""Pages copied per step: writers get the database in between steps."""


@dataclass(frozen=True)
class DatabaseCheck:
    """What a check of a database file found."""

    path: Path
    municipalities: int
    changes: int


def sqlite_file(url: str | None = None) -> Path:
    """The file of a SQLite URL; a Dutch InputError for any other database."""
    url = url or database_url()
    if not url.startswith("sqlite:///") or url.endswith(":memory:"):
        raise InputError(
            [
                "Back-up en terugzetten met dit commando werken alleen voor een SQLite-bestand. "
                "Gebruik voor PostgreSQL pg_dump en pg_restore."
            ]
        )
    return Path(url.removeprefix("sqlite:///"))


def check_database(path: Path) -> DatabaseCheck:
    """Integrity and the tables wijkmodel needs; InputError naming what is wrong."""
    if not path.is_file():
        raise InputError([f"Bestand {path} bestaat niet."])
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=SAVE_WAIT_S)
    except sqlite3.Error as exc:
        raise InputError([f"{path} is geen SQLite-database ({exc})."]) from None
    try:
        result = connection.execute("PRAGMA integrity_check").fetchone()
        if result is None or result[0] != "ok":
            raise InputError([f"{path} is beschadigd: {result[0] if result else 'geen antwoord'}."])
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        missing = sorted(set(Base.metadata.tables) - tables)
        if missing:
            raise InputError([f"{path} is geen database van wijkmodel: de tabellen {', '.join(missing)} ontbreken."])
        municipalities = connection.execute("SELECT count(*) FROM municipality").fetchone()[0]
        changes = connection.execute("SELECT count(*) FROM change").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise InputError([f"{path} is geen bruikbare SQLite-database ({exc})."]) from None
    finally:
        connection.close()
    return DatabaseCheck(path=path, municipalities=int(municipalities), changes=int(changes))


def _copy(source: Path, target: Path) -> None:
    with sqlite3.connect(source, timeout=SAVE_WAIT_S) as reading:
        writing = sqlite3.connect(target, timeout=SAVE_WAIT_S)
        try:
            reading.backup(writing, pages=PAGES_PER_STEP)
        finally:
            writing.close()
    reading.close()


def backup_database(target: Path, url: str | None = None) -> DatabaseCheck:
    """Copy the live database to `target` (written beside it, checked, then moved into place)."""
    source = sqlite_file(url)
    if not source.is_file():
        raise InputError([f"Er is nog geen database in {source}."])
    if target.resolve() == source.resolve():
        raise InputError(["De back-up kan niet over de database zelf heen."])
    partial = target.with_name(f".{target.name}.deels")
    partial.unlink(missing_ok=True)
    try:
        _copy(source, partial)
        check = check_database(partial)
        os.replace(partial, target)
    except OSError as exc:
        raise InputError([f"Kan niet schrijven naar {target}: {exc.strerror}."]) from None
    finally:
        partial.unlink(missing_ok=True)
    return DatabaseCheck(path=target, municipalities=check.municipalities, changes=check.changes)


def restore_database(
    source: Path, url: str | None = None, *, now: dt.datetime | None = None
) -> tuple[DatabaseCheck, Path]:
    """Check `source`, keep a copy of the current database, then copy `source` in. Returns the check
    of what was restored and the path of the kept copy."""
    live = sqlite_file(url)
    check = check_database(source)
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    kept = live.with_name(f"{live.stem}.voor-terugzetten-{stamp}{live.suffix}")
    if live.is_file():
        backup_database(kept, url)
    else:
        live.parent.mkdir(parents=True, exist_ok=True)
    _copy(source, live)
    return check, kept
