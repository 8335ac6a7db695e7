"""What an upgrade of the schema did, and the copy of a SQLite file kept from before it.

`wijkmodel.storage.db.migrate` calls `copy_before_upgrade` while it holds the write lock, before the
first migration step: the copy is the database exactly as the older version of wijkmodel left it,
and only the process that really upgrades makes one. The copy is made like `backup` makes one
(`wijkmodel/storage/sqlite_backup.py`): SQLite's online backup API, a file opened by exactly its
name, written beside its place and checked before it gets its name, nothing left behind on a
failure (a full disk), in which case nothing is migrated either.

This module imports nothing of wijkmodel: `db` uses it, and `sqlite_backup` imports `db` (the
architecture test forbids the cycle a reuse of `sqlite_backup.backup_database` would make).
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

COPY_WAIT_S = 10.0
"""How long opening the copy's files may wait (nobody else has them open)."""
SIDE_FILES = ("-journal", "-wal", "-shm")


@dataclass(frozen=True)
class Upgrade:
    """What `migrate` found and did: the revision before (None: an empty database, which got every
    table), the revision after, and where the copy of the file from before went (SQLite only)."""

    before: str | None
    after: str
    copy: Path | None = None

    @property
    def changed(self) -> bool:
        """Whether the schema changed (an empty database counts: it got its tables)."""
        return self.before != self.after


def free_name(live: Path, label: str, now: dt.datetime | None = None, suffix: str = ".sqlite") -> Path:
    """`<name>.<label>-<JJJJMMDD-UUMMSS><suffix>` beside `live`, numbered on when that name is taken:
    the name of a copy kept from before an upgrade or a restore."""
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    base = f"{live.stem}.{label}-{stamp}"
    name = live.with_name(f"{base}{suffix}")
    number = 1
    while name.exists():
        number += 1
        name = live.with_name(f"{base}-{number}{suffix}")
    return name


def copy_path(live: Path, revision: str, now: dt.datetime | None = None) -> Path:
    """`<name>.voor-upgrade-<revision>-<JJJJMMDD-UUMMSS>.sqlite` beside `live`; a name no file has yet."""
    return free_name(live, f"voor-upgrade-{revision}", now)


def sqlite_uri(path: Path, mode: str) -> str:
    """A SQLite URI for exactly `path` ('#', '?', '%', spaces and non-ASCII quoted)."""
    return f"{path.absolute().as_uri()}?mode={mode}"


def remove_sqlite_file(path: Path) -> None:
    """Remove a file wijkmodel made, with whatever SQLite kept beside it."""
    for suffix in ("", *SIDE_FILES):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def copy_before_upgrade(live: Path, revision: str, *, now: dt.datetime | None = None) -> Path:
    """Copy the SQLite file `live` (at `revision`) beside it with the online backup API; returns the
    copy's path. Raises (sqlite3.Error, OSError) when the copy cannot be made or is not intact; then
    no file is left behind."""
    copy = copy_path(live, revision, now)
    partial = copy.with_name(f".{copy.name}.deels")
    remove_sqlite_file(partial)
    try:
        reading = sqlite3.connect(sqlite_uri(live, "ro"), uri=True, timeout=COPY_WAIT_S, isolation_level=None)
        try:
            writing = sqlite3.connect(sqlite_uri(partial, "rwc"), uri=True, timeout=COPY_WAIT_S)
            try:
                reading.backup(writing)
                check = writing.execute("PRAGMA integrity_check").fetchone()
            finally:
                writing.close()
        finally:
            reading.close()
        if check is None or check[0] != "ok":
            raise sqlite3.DatabaseError(f"the copy of {live} before the upgrade is not intact: {check}")
        os.replace(partial, copy)
    finally:
        remove_sqlite_file(partial)
    return copy


def sqlite_path(database: str | None, query: dict[str, object]) -> Path | None:
    """The file of a SQLite URL's `database` part; None for an in-memory database or a `uri=true` URL
    (whose name may carry options)."""
    if not database or database == ":memory:" or "uri" in query or database.startswith("file:"):
        return None
    return Path(database)
