"""`python -m wijkmodel backup` and `restore`: a consistent copy of a live SQLite database, taken
while another process writes, and a checked restore that keeps the database it replaces."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT
from wijkmodel.cli import run
from wijkmodel.db import Role, make_engine, make_sessionmaker
from wijkmodel.inputs import InputError
from wijkmodel.loader import load_model
from wijkmodel.sqlite_backup import backup_database, check_database, restore_database
from wijkmodel.store import add_wijk, create_municipality, create_round, get_or_create_respondent

WRITER = textwrap.dedent(
    """
    import sys, time
    from wijkmodel.db import make_engine, make_sessionmaker
    from wijkmodel.loader import load_model
    from wijkmodel.store import save_position
    factory = make_sessionmaker(make_engine(sys.argv[1]))
    model, respondent, seconds = load_model(), int(sys.argv[2]), float(sys.argv[3])
    end, n = time.monotonic() + seconds, 0
    while time.monotonic() < end:
        with factory.begin() as s:  # every save changes the value: one history row, one revision
            value = 10.0 + n % 2 * 10
            save_position(session=s, respondent_id=respondent, theme_id="lokale_teams", position=value, model=model)
        n += 1
        if n == 1:
            print("started", flush=True)
    print(n, flush=True)
    """
)


def _counts(path: Path) -> tuple[int, int]:
    with sqlite3.connect(path) as c:
        revision = c.execute("SELECT revision FROM municipality").fetchone()[0]
        changes = c.execute("SELECT count(*) FROM change").fetchone()[0]
    c.close()
    return int(revision), int(changes)


@pytest.fixture
def live(tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "live.sqlite"
    url = f"sqlite:///{path}"
    factory = make_sessionmaker(make_engine(url))
    with factory.begin() as s:
        m = create_municipality(session=s, name="Schrijfstad")
        wijk = add_wijk(session=s, municipality_id=m.id, name="Centrum")
        r = create_round(session=s, municipality_id=m.id, label="2026", date=dt.date(2026, 3, 1))
        respondent = get_or_create_respondent(session=s, round_id=r.id, unit_id=wijk.id, role=Role.LOCAL_TEAM).id
    return path, url, respondent


def test_a_backup_taken_while_another_process_writes_is_one_consistent_state(live, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path, url, respondent = live
    revision0, changes0 = _counts(path)
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, url, str(respondent), "4"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None
    assert writer.stdout.readline().strip() == "started"
    copies = []
    for n in range(3):
        copies.append(backup_database(tmp_path / f"copy-{n}.sqlite", url))
        time.sleep(0.3)
    saves = int(writer.stdout.readline())
    assert writer.wait(timeout=60) == 0
    seen = []
    for copy in copies:
        check_database(copy.path)  # integrity ok, every table there
        revision, changes = _counts(copy.path)
        # each save raises the revision and adds a history row in one transaction: a copy that caught a
        # save half-way would differ here
        assert revision - revision0 == changes - changes0
        seen.append(changes - changes0)
    assert seen == sorted(seen) and seen[-1] > 0  # taken during the writes, each later than the one before
    assert _counts(path) == (revision0 + saves, changes0 + saves)  # the writer lost nothing


def test_restore_checks_the_copy_keeps_the_current_database_and_puts_the_copy_back(live, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path, url, respondent = live
    copy = backup_database(tmp_path / "copy.sqlite", url)
    factory = make_sessionmaker(make_engine(url))
    from wijkmodel.store import save_position

    with factory.begin() as s:
        save_position(session=s, respondent_id=respondent, theme_id="lokale_teams", position=80.0, model=load_model())
    later = _counts(path)
    restored, kept = restore_database(copy.path, url, now=dt.datetime(2026, 11, 23, 19, 0))
    assert restored.municipalities == 1
    assert kept.name == "live.voor-terugzetten-20261123-190000.sqlite"
    assert _counts(path) == _counts(copy.path)  # the copy's state is back
    assert _counts(kept) == later  # and the replaced state is kept
    with factory() as s:  # an engine opened before the restore reads the restored data
        from sqlalchemy import text

        assert s.execute(text("SELECT count(*) FROM theme_position")).scalar() == 0


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_bytes(b"geen database"), "geen bruikbare SQLite-database"),
        (lambda p: sqlite3.connect(p).execute("CREATE TABLE x (a)").connection.commit(), "geen database van wijkmodel"),
        (lambda p: None, "bestaat niet"),
    ],
)
def test_a_bad_copy_is_refused_and_nothing_changes(live, tmp_path, make, message) -> None:  # type: ignore[no-untyped-def]
    path, url, _ = live
    before = _counts(path)
    bad = tmp_path / "bad.sqlite"
    make(bad)
    with pytest.raises(InputError, match=message):
        restore_database(bad, url)
    assert _counts(path) == before
    assert not list(tmp_path.glob("live.voor-terugzetten-*"))  # refused before anything was touched


def test_backup_and_restore_from_the_command_line(live, tmp_path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    _, url, _ = live
    monkeypatch.setenv("WIJKMODEL_DATABASE_URL", url)
    target = tmp_path / "kopie.sqlite"
    assert run(["backup", str(target)]) == 0
    assert "1 gemeenten, gecontroleerd" in capsys.readouterr().out
    assert run(["restore", str(target)]) == 0
    out = capsys.readouterr().out
    assert "Database teruggezet" in out and "voor-terugzetten" in out
    monkeypatch.setenv("WIJKMODEL_DATABASE_URL", "postgresql+psycopg://x@127.0.0.1:1/x")
    assert run(["backup", str(target)]) == 2
    assert "alleen voor een SQLite-bestand" in capsys.readouterr().err
