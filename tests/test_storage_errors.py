"""storage_errors: a failed save or copy is reported for what it is (disk full, busy, no connection,
read-only), judged from the driver's error codes. Every exception here is real: a SQLite file that
may not grow (max_page_count) or sits on a full tmpfs, two connections wanting the write lock, a
PostgreSQL lock timeout, a terminated backend, a tablespace on a full tmpfs.

`small_disk` (a tmpfs of a few hundred kB) needs root, or sudo without a password; without it those
tests skip, except in CI (CI=true), where they fail. test_sqlite_backup.py and test_cli.py use it too.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import psycopg
import pytest
from sqlalchemy import MetaData, create_engine, event, insert, text
from sqlalchemy.engine import make_url

from wijkmodel.demo.municipality import add_demo
from wijkmodel.model.schema import MaturityModel
from wijkmodel.storage import db
from wijkmodel.storage.db import make_engine, make_sessionmaker
from wijkmodel.storage.errors import StorageProblem, storage_message, storage_problem
from wijkmodel.storage.municipalities import create_municipality
from wijkmodel.storage.tables import Municipality

# --- a real, small, full disk --------------------------------------------------------------------


def _as_root(command: list[str]) -> list[str] | None:
    if os.geteuid() == 0:
        return command
    if shutil.which("sudo") and subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode == 0:
        return ["sudo", "-n", *command]
    return None


def _no_small_disk(why: str) -> NoReturn:
    message = f"geen kleine schijf (tmpfs) te maken: {why}. Daarvoor is root nodig, of sudo zonder wachtwoord"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


@contextmanager
def small_disk(where: Path, kilobytes: int, *, owner: tuple[int, int] | None = None) -> Iterator[Path]:
    """A tmpfs of `kilobytes` mounted at `where` (owned by `owner`, uid and gid; default: this
    user): writing past its size fails with ENOSPC, as on a full disk. Unmounted afterwards."""
    where.mkdir(parents=True, exist_ok=True)
    uid, gid = owner or (os.getuid(), os.getgid())
    options = f"size={kilobytes}k,uid={uid},gid={gid},mode=0700"
    mount = _as_root(["mount", "-t", "tmpfs", "-o", options, "wijkmodel-test", str(where)])
    if mount is None:
        _no_small_disk("deze tests draaien niet als root")
    done = subprocess.run(mount, capture_output=True, text=True)
    if done.returncode != 0:
        _no_small_disk(f"mount gaf {done.returncode}: {done.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(_as_root(["umount", "-l", str(where)]) or [], check=True)


def fill(disk: Path, *, leave: int = 0) -> Path:
    """Fill `disk` until a write fails with ENOSPC, then give back `leave` bytes."""
    filler = disk / "opvulling"
    with filler.open("ab", buffering=0) as out:
        try:
            while True:
                out.write(b"\0" * 4096)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    if leave:
        os.truncate(filler, max(filler.stat().st_size - leave, 0))
    return filler


# --- the cases: each makes one real failure ------------------------------------------------------


@dataclass
class Ctx:
    tmp_path: Path
    request: pytest.FixtureRequest
    monkeypatch: pytest.MonkeyPatch
    model: MaturityModel

    def sqlite(self, name: str = "db.sqlite") -> tuple[str, Path]:
        path = self.tmp_path / name
        return f"sqlite:///{path}", path

    def pg(self) -> str:
        return str(self.request.getfixturevalue("pg_url"))

    def later(self, finalizer: Callable[[], object]) -> None:
        self.request.addfinalizer(finalizer)


def _raised(action: Callable[[], object]) -> BaseException:
    try:
        action()
    except Exception as exc:  # noqa: BLE001 - whatever it raises is the case's failure
        return exc
    raise AssertionError("expected this to fail")


def _save(url_or_engine: Any, action: Callable[[Any], object]) -> BaseException:
    """One save through the app's own engine and sessions (what ui.saving.save runs)."""
    engine = make_engine(url_or_engine) if isinstance(url_or_engine, str) else url_or_engine
    try:
        factory = make_sessionmaker(engine)

        def run() -> None:
            with factory.begin() as session:
                action(session)

        return _raised(run)
    finally:
        engine.dispose()


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def sqlite_max_page_count(ctx: Ctx) -> BaseException:
    url, _ = ctx.sqlite()
    engine = make_engine(url)

    @event.listens_for(engine, "connect")
    def no_growth(dbapi: Any, _record: Any) -> None:  # the file may not grow past its pages now
        pages = dbapi.execute("PRAGMA page_count").fetchone()[0]
        dbapi.execute(f"PRAGMA max_page_count = {pages}")

    engine.dispose()  # the pooled connection from make_engine has no limit
    return _save(engine, lambda s: add_demo(session=s, model=ctx.model))


def sqlite_full_disk(ctx: Ctx) -> BaseException:
    disk = ctx.tmp_path / "schijf"
    with small_disk(disk, 1024):
        engine = make_engine(f"sqlite:///{disk / 'db.sqlite'}")
        with engine.connect():  # the app is running: the WAL and its index are there
            fill(disk)
            return _save(engine, lambda s: add_demo(session=s, model=ctx.model))


def os_enospc(_ctx: Ctx) -> BaseException:
    def write() -> None:
        with open("/dev/full", "wb", buffering=0) as out:  # Linux: every write fails with ENOSPC
            out.write(b"x")

    return _raised(write)


def sqlite_busy(ctx: Ctx) -> BaseException:
    url, path = ctx.sqlite()
    ctx.monkeypatch.setattr(db, "SAVE_WAIT_S", 0.2)
    engine = make_engine(url)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another save holds the write lock longer than we wait
    try:
        return _save(engine, lambda s: create_municipality(session=s, name="Bezetstad"))
    finally:
        holder.close()


def sqlite_read_only(ctx: Ctx) -> BaseException:
    url, path = ctx.sqlite()
    make_engine(url).dispose()
    engine = create_engine(f"sqlite:///{path.as_uri()}?mode=ro&uri=true")
    try:
        with engine.begin() as conn:
            return _raised(lambda: conn.execute(insert(Municipality).values(name="Leesstad")))
    finally:
        engine.dispose()


def sqlite_cannot_open(ctx: Ctx) -> BaseException:
    folder = ctx.tmp_path / "een-map"
    folder.mkdir()
    return _raised(lambda: make_engine(f"sqlite:///{folder}"))  # a folder is no database file


def sqlite_integrity(ctx: Ctx) -> BaseException:
    url, _ = ctx.sqlite()
    return _save(url, lambda s: s.execute(insert(Municipality), [{"name": "Dubbel"}, {"name": "Dubbel"}]))


def pg_lock_timeout(ctx: Ctx) -> BaseException:
    url = ctx.pg()
    ctx.monkeypatch.setattr(db, "SAVE_WAIT_S", 0.2)
    engine = make_engine(url)
    with psycopg.connect(_libpq(url), autocommit=True) as holder:
        holder.execute("SELECT pg_advisory_lock(%s)", [db.SAVE_LOCK_KEY])  # another save, still busy
        return _save(engine, lambda s: create_municipality(session=s, name="Bezetstad"))


def pg_terminated(ctx: Ctx) -> BaseException:
    url = ctx.pg()
    engine = make_engine(url)
    try:
        with make_sessionmaker(engine)() as session:
            pid = session.scalar(text("SELECT pg_backend_pid()"))
            with psycopg.connect(_libpq(url), autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", [pid])
                for _ in range(100):
                    if not admin.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone():
                        break
                    time.sleep(0.05)
            return _raised(lambda: session.execute(text("SELECT count(*) FROM municipality")))
    finally:
        engine.dispose()


def pg_refused(_ctx: Ctx) -> BaseException:
    return _raised(lambda: make_engine("postgresql+psycopg://wijkmodel@127.0.0.1:1/wijkmodel"))


def pg_read_only(ctx: Ctx) -> BaseException:
    url = ctx.pg()
    make_engine(url).dispose()
    read_only = make_url(url).update_query_dict({"options": "-c default_transaction_read_only=on"})
    return _save(read_only.render_as_string(hide_password=False), lambda s: create_municipality(session=s, name="X"))


def pg_disk_full(ctx: Ctx) -> BaseException:
    url = ctx.pg()
    host = make_url(url).host
    if host not in ("127.0.0.1", "localhost", "::1"):
        _no_small_disk(f"de PostgreSQL-testserver draait niet op deze machine ({host})")
    # the server's user must reach the folder: not under pytest's tmp_path (0700 for root)
    disk = Path(tempfile.mkdtemp(prefix="wijkmodel-tablespace-"))
    ctx.later(lambda: disk.rmdir())
    with psycopg.connect(_libpq(url), autocommit=True) as admin:
        row = admin.execute("SHOW data_directory").fetchone()
    assert row is not None
    data = Path(str(row[0]))
    server = data.stat()  # the server runs as the owner of its data directory
    with small_disk(disk, 1024, owner=(server.st_uid, server.st_gid)):
        admin = psycopg.connect(_libpq(url), autocommit=True)
        try:
            admin.execute(f"CREATE TABLESPACE wijkmodel_vol LOCATION '{disk}'")
            engine = make_engine(url)
            # only the app's own tables (never ALTER ... ALL: that moves information_schema too)
            tables = admin.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()").fetchall()
            for (table,) in tables:
                admin.execute(f'ALTER TABLE "{table}" SET TABLESPACE wijkmodel_vol')
            admin.execute("CREATE TABLE opvulling (x text) TABLESPACE wijkmodel_vol")
            with pytest.raises(psycopg.errors.DiskFull):
                admin.execute(
                    "INSERT INTO opvulling SELECT repeat(md5(g::text), 100) FROM generate_series(1, 1000000) g"
                )
            return _save(engine, lambda s: add_demo(session=s, model=ctx.model))
        finally:
            cleaner = create_engine(url)
            with cleaner.begin() as conn:
                every = MetaData()
                every.reflect(conn)
                every.drop_all(conn)
            cleaner.dispose()
            admin.execute("CHECKPOINT")  # the files of dropped tables go at a checkpoint
            admin.execute("DROP TABLESPACE IF EXISTS wijkmodel_vol")
            admin.close()


def not_storage(_ctx: Ctx) -> BaseException:
    return _raised(lambda: int("twaalf"))


def _evidence(exc: BaseException) -> set[str]:
    """The codes the drivers put on `exc` and what it wraps: proof each case is the real thing."""
    found: set[str] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        link = todo.pop()
        if link is None:
            continue
        found.add(type(link).__name__)
        for attribute in ("sqlite_errorname", "sqlstate"):
            if getattr(link, attribute, None):
                found.add(str(getattr(link, attribute)))
        if isinstance(link, OSError) and link.errno:
            found.add(errno.errorcode[link.errno])
        todo += [getattr(link, "orig", None), link.__cause__]
    return found


CASES = [
    pytest.param(sqlite_max_page_count, "SQLITE_FULL", StorageProblem.DISK_FULL, id="sqlite-max_page_count"),
    pytest.param(sqlite_full_disk, "SQLITE_FULL", StorageProblem.DISK_FULL, id="sqlite-full-tmpfs"),
    pytest.param(os_enospc, "ENOSPC", StorageProblem.DISK_FULL, id="oserror-dev-full"),
    pytest.param(sqlite_busy, "SQLITE_BUSY", StorageProblem.BUSY, id="sqlite-busy"),
    pytest.param(sqlite_read_only, "SQLITE_READONLY", StorageProblem.READ_ONLY, id="sqlite-read-only"),
    pytest.param(sqlite_cannot_open, "SQLITE_CANTOPEN", StorageProblem.UNREACHABLE, id="sqlite-cannot-open"),
    pytest.param(sqlite_integrity, "SQLITE_CONSTRAINT_UNIQUE", StorageProblem.OTHER, id="sqlite-unique"),
    pytest.param(pg_lock_timeout, "55P03", StorageProblem.BUSY, id="pg-lock-timeout"),
    pytest.param(pg_terminated, "OperationalError", StorageProblem.UNREACHABLE, id="pg-terminated"),
    pytest.param(pg_refused, "OperationalError", StorageProblem.UNREACHABLE, id="pg-refused"),
    pytest.param(pg_read_only, "25006", StorageProblem.READ_ONLY, id="pg-read-only"),
    pytest.param(pg_disk_full, "53100", StorageProblem.DISK_FULL, id="pg-full-tablespace"),
    pytest.param(not_storage, "ValueError", None, id="no-storage-error"),
]

SAYS = {
    StorageProblem.DISK_FULL: "de schijf van de server is vol",
    StorageProblem.BUSY: "de database was te lang bezet",
    StorageProblem.UNREACHABLE: "er is geen verbinding met de database",
    StorageProblem.READ_ONLY: "de database staat op alleen lezen",
    StorageProblem.OTHER: "er ging iets mis in de database",
    None: "er ging iets mis in de database",
}


@pytest.mark.parametrize(("make", "evidence", "kind"), CASES)
def test_a_real_failure_gets_the_message_that_tells_what_happened(
    make: Callable[[Ctx], BaseException],
    evidence: str,
    kind: StorageProblem | None,
    tmp_path: Path,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    model: MaturityModel,
) -> None:
    exc = make(Ctx(tmp_path, request, monkeypatch, model))
    assert evidence in _evidence(exc), f"{exc!r} is not the failure this case is about: {_evidence(exc)}"
    assert storage_problem(exc) == kind
    message = storage_message(exc)
    assert message.startswith(f"Opslaan is niet gelukt: {SAYS[kind]}")
    assert "Er is niets veranderd." in message
    for english in ("disk", "full", "locked", "readonly", "terminat", "connection", "No space"):
        assert english not in message  # nothing of the driver's own text


def test_the_action_is_named() -> None:
    exc = OSError(errno.ENOSPC, "No space left on device")
    assert storage_message(exc, action="Terugzetten").startswith("Terugzetten is niet gelukt: de schijf")
    assert storage_problem(OSError(errno.ENOENT, "No such file")) is None  # a missing file is no storage failure
