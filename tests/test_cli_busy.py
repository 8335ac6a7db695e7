"""A busy database in the command line (issue 14, item 7): a command that writes waits for its turn
(--wacht, WIJKMODEL_WACHTTIJD, 60 s), then says in Dutch that someone else is using the database,
exits 1 and changes nothing; a lock released within the wait is simply waited for.

Another save holds the lock from the test: on SQLite a connection in `BEGIN IMMEDIATE` (the write
lock), on PostgreSQL the exclusive advisory lock of everything (`_postgresql_begin` in db.py). Each
command runs as a process of its own, as a user starts it. The PostgreSQL variants use `pg_url`
(they skip without WIJKMODEL_TEST_POSTGRES_URL, except in CI).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.engine import make_url

from tests.conftest import ROOT, DemoRows, copy_demo
from wijkmodel.storage.db import SAVE_LOCK_KEY, SAVE_WAIT_S, make_engine
from wijkmodel.storage.tables import Base

DUTCH = "de database is in gebruik door iemand anders."
ENGLISH = ("sqlalche.me", "locked", "[SQL", "lock timeout", "Traceback", "Onverwachte fout", "canceling")


@pytest.fixture(params=["sqlite", "postgresql"])
def demo_url(request: pytest.FixtureRequest, tmp_path: Path, demo_rows: DemoRows) -> str:
    """A database holding the demo: a SQLite file, or the emptied PostgreSQL test server."""
    url = request.getfixturevalue("pg_url") if request.param == "postgresql" else f"sqlite:///{tmp_path / 'd.sqlite'}"
    engine = make_engine(url)
    copy_demo(engine, demo_rows)
    engine.dispose()
    return url


def _dump(url: str) -> dict[str, list[tuple]]:
    """Every row of every table (the identity too), sorted."""
    plain = create_engine(url)
    with plain.connect() as conn:
        dump = {
            t.name: sorted((tuple(r) for r in conn.execute(select(t))), key=repr) for t in Base.metadata.sorted_tables
        }
    plain.dispose()
    return dump


@contextmanager
def _held(url: str) -> Iterator[Any]:
    """Another save holds the lock that every write of everything waits for, until the block ends."""
    if url.startswith("sqlite"):
        holder: Any = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
    else:
        holder = psycopg.connect(make_url(url).set(drivername="postgresql").render_as_string(False), autocommit=True)
        holder.execute("SELECT pg_advisory_lock(%s)", [SAVE_LOCK_KEY])
    try:
        yield holder
    finally:
        holder.close()


def _start(url: str, *argv: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    full = {**os.environ, "WIJKMODEL_DATABASE_URL": url}
    full.pop("WIJKMODEL_WACHTTIJD", None)
    full.update(env or {})
    return subprocess.Popen(
        [sys.executable, "-m", "wijkmodel", *argv],
        cwd=ROOT,
        env=full,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _is_waiting(process: subprocess.Popen[str], url: str, holder: Any) -> bool:
    """Whether `process` waits for the lock: on PostgreSQL an advisory lock not granted; on SQLite
    (which shows no waiters) the process has the database file open."""
    if url.startswith("postgresql"):
        row = holder.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted").fetchone()
        return bool(row and row[0])
    path = Path(url.removeprefix("sqlite:///")).resolve()
    fds = Path(f"/proc/{process.pid}/fd")
    try:
        return any(Path(os.readlink(fd)) == path for fd in fds.iterdir())
    except OSError:  # the process ended, or a descriptor closed while looking
        return False


def _argv(command: str, url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The command line of `command`, with the file it reads: a JSON backup of the demo, a CSV of
    wijk figures, a copy of the SQLite database."""
    from wijkmodel.cli import run

    monkeypatch.setenv("WIJKMODEL_DATABASE_URL", url)
    backup = tmp_path / "voorbeeldstad.json"
    assert run(["export-json", str(backup)]) == 0
    copy = tmp_path / "kopie.sqlite"
    if url.startswith("sqlite"):
        assert run(["backup", str(copy)]) == 0
    figures = tmp_path / "wijken 2025.csv"
    figures.write_text("code;naam;Inwoners\nWK999901;De Hoven;8412\nWK999902;Oude Haven;5230\n", encoding="utf-8")
    return {
        "demo": ["demo", "--replace"],
        "import-json": ["import-json", str(backup), "--replace"],
        "import-wijken": ["import-wijken", str(figures), "--gemeente", "Voorbeeldstad"],
        "restore": ["restore", str(copy)],
    }[command]


COMMANDS = ["demo", "import-json", "import-wijken", "restore"]


@pytest.mark.parametrize("command", COMMANDS)
def test_a_command_that_writes_gives_up_after_its_wait_in_dutch_and_changes_nothing(
    demo_url: str, tmp_path: Path, command: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    if command == "restore" and not demo_url.startswith("sqlite"):
        pytest.skip("restore is for a SQLite file (PostgreSQL: pg_restore)")
    argv = _argv(command, demo_url, tmp_path, monkeypatch)
    capsys.readouterr()
    before = _dump(demo_url)
    with _held(demo_url):
        started = time.monotonic()
        done = _start(demo_url, *argv, "--wacht", "1")
        out, err = done.communicate(timeout=120)
        took = time.monotonic() - started
    assert done.returncode == 1, (out, err)
    assert err.startswith(f"Fout: De opdracht {command} is niet gelukt: {DUTCH} Er is 1 seconde gewacht."), err
    assert "Er is niets veranderd. Probeer het later opnieuw." in err
    for english in ENGLISH:
        assert english not in err
    assert 1 <= took < SAVE_WAIT_S  # its own wait, not the app's
    assert _dump(demo_url) == before


def test_the_wait_comes_from_wijkmodel_wachttijd(demo_url: str) -> None:
    with _held(demo_url):
        done = _start(demo_url, "demo", "--replace", env={"WIJKMODEL_WACHTTIJD": "1,5"})
        _, err = done.communicate(timeout=120)
    assert done.returncode == 1 and f"{DUTCH} Er is 1,5 seconden gewacht." in err


def test_a_lock_released_within_the_wait_is_waited_for(demo_url: str) -> None:
    before = _dump(demo_url)
    with _held(demo_url) as holder:
        done = _start(demo_url, "demo", "--replace", "--wacht", "60")
        deadline = time.monotonic() + 60
        while not _is_waiting(done, demo_url, holder):
            assert done.poll() is None, done.communicate()
            assert time.monotonic() < deadline, "the command never reached the database"
            time.sleep(0.05)
        time.sleep(1)  # it waits on the lock (SQLite: it has the file open and is about to begin)
        assert done.poll() is None  # still waiting
    out, err = done.communicate(timeout=120)
    assert done.returncode == 0, err
    assert "Demogemeente Voorbeeldstad toegevoegd." in out
    after = _dump(demo_url)
    assert [r[0] for r in after["municipality"]] != [r[0] for r in before["municipality"]]  # made again
