"""`python -m wijkmodel backup` and `restore`: a consistent copy of a live SQLite database, taken
while another process writes, and a checked restore that keeps the database it replaces."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.test_storage_errors import fill, small_disk
from wijkmodel.cli import run
from wijkmodel.model.loader import load_model
from wijkmodel.storage.db import make_engine, make_sessionmaker
from wijkmodel.storage.errors import StorageProblem, storage_problem
from wijkmodel.storage.inputs import InputError
from wijkmodel.storage.municipalities import create_municipality
from wijkmodel.storage.responses import get_or_create_respondent
from wijkmodel.storage.rounds import create_round
from wijkmodel.storage.sqlite_backup import backup_database, check_database, restore_database
from wijkmodel.storage.tables import Role
from wijkmodel.storage.wijken import add_wijk

WRITER = textwrap.dedent(
    """
    import sys, time
    from wijkmodel.storage.db import make_engine, make_sessionmaker
    from wijkmodel.model.loader import load_model
    from wijkmodel.storage.responses import save_position
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


Live = tuple[Path, str, int]  # a live SQLite database: its file, its URL, a respondent in it


@pytest.fixture
def live(tmp_path: Path) -> Live:
    path = tmp_path / "live.sqlite"
    url = f"sqlite:///{path}"
    factory = make_sessionmaker(make_engine(url))
    with factory.begin() as s:
        m = create_municipality(session=s, name="Schrijfstad")
        wijk = add_wijk(session=s, municipality_id=m.id, name="Centrum")
        r = create_round(session=s, municipality_id=m.id, label="2026", date=dt.date(2026, 3, 1))
        respondent = get_or_create_respondent(session=s, round_id=r.id, unit_id=wijk.id, role=Role.LOCAL_TEAM).id
    return path, url, respondent


def test_a_backup_taken_while_another_process_writes_is_one_consistent_state(live: Live, tmp_path: Path) -> None:
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


def test_restore_checks_the_copy_keeps_the_current_database_and_puts_the_copy_back(live: Live, tmp_path: Path) -> None:
    path, url, respondent = live
    copy = backup_database(tmp_path / "copy.sqlite", url)
    factory = make_sessionmaker(make_engine(url))
    from wijkmodel.storage.responses import save_position

    with factory.begin() as s:
        save_position(session=s, respondent_id=respondent, theme_id="lokale_teams", position=80.0, model=load_model())
    later = _counts(path)
    restored, kept = restore_database(copy.path, url, now=dt.datetime(2026, 11, 23, 19, 0))
    assert restored.municipalities == 1
    assert kept is not None and kept.name == "live.voor-terugzetten-20261123-190000.sqlite"
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
def test_a_bad_copy_is_refused_and_nothing_changes(
    live: Live, tmp_path: Path, make: Callable[[Path], object], message: str
) -> None:
    path, url, _ = live
    before = _counts(path)
    bad = tmp_path / "bad.sqlite"
    make(bad)
    with pytest.raises(InputError, match=message):
        restore_database(bad, url)
    assert _counts(path) == before
    assert not list(tmp_path.glob("live.voor-terugzetten-*"))  # refused before anything was touched


def test_backup_and_restore_from_the_command_line(
    live: Live, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
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


# --- exactly the file named, whatever its name ---------------------------------------------------

ODD_NAMES = [
    "backup #3 ?x %20 ë.sqlite",
    "evil#.sqlite",
    "kopie?mode=rwc.sqlite",
    "100%.sqlite",
    "met spatie .sqlite",
    "file:kopie.sqlite",
    "日本 ü.sqlite",
]


def _plain_copy(source: Path, target: Path) -> None:
    """A copy made without the code under test (sqlite3 opens a plain file name as it is)."""
    with sqlite3.connect(source) as reading, sqlite3.connect(target) as writing:
        reading.backup(writing)
    reading.close()
    writing.close()


def _add_municipality(url: str, name: str) -> None:
    with make_sessionmaker(make_engine(url)).begin() as s:
        create_municipality(session=s, name=name)


def _municipalities(path: Path) -> list[str]:
    with sqlite3.connect(path) as c:
        names = [row[0] for row in c.execute("SELECT name FROM municipality ORDER BY id")]
    c.close()
    return names


def _command(
    via: str, argv: list[str], url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    """`python -m wijkmodel ARGV` in this process (cli) or as a program of its own (programma)."""
    if via == "programma":
        env = {**os.environ, "WIJKMODEL_DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
        done = subprocess.run([sys.executable, "-m", "wijkmodel", *argv], cwd=ROOT, env=env, capture_output=True)
        return done.returncode, done.stdout.decode(), done.stderr.decode()
    monkeypatch.setenv("WIJKMODEL_DATABASE_URL", url)
    code = run(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def _back_up(
    via: str, target: Path, url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    if via == "functie":
        backup_database(target, url)
        return
    code, out, err = _command(via, ["backup", str(target)], url, monkeypatch, capsys)
    assert code == 0, err
    assert f"geschreven naar {target}:" in out


def _restore(
    via: str, source: Path, url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str]:
    """Restore `source`; the exit code (0 or 2, for the function: 2 on InputError) and the message."""
    if via == "functie":
        try:
            restored, _ = restore_database(source, url)
        except InputError as exc:
            return 2, " ".join(exc.problems)
        return 0, f"{restored.municipalities} gemeenten uit {restored.path}"
    code, out, err = _command(via, ["restore", str(source)], url, monkeypatch, capsys)
    return code, out + err


@pytest.mark.parametrize(
    ("name", "via"),
    [(name, via) for name in ODD_NAMES for via in ("functie", "cli")] + [(ODD_NAMES[0], "programma")],
)
def test_backup_and_restore_open_exactly_the_file_named(
    live: Live,
    tmp_path: Path,
    name: str,
    via: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path, url, respondent = live
    folder = tmp_path / "kopieën"
    folder.mkdir()
    target = folder / name
    saved = _counts(path)
    _back_up(via, target, url, monkeypatch, capsys)
    assert sorted(os.listdir(folder)) == [name]  # that file, and no other (no 'backup ', no '.deels')
    assert check_database(target).municipalities == 1 and _counts(target) == saved
    from wijkmodel.storage.responses import save_position

    with make_sessionmaker(make_engine(url)).begin() as s:
        save_position(session=s, respondent_id=respondent, theme_id="lokale_teams", position=80.0, model=load_model())
    assert _counts(path) != saved
    code, said = _restore(via, target, url, monkeypatch, capsys)
    assert code == 0, said
    assert str(target) in said and "1 gemeenten" in said
    assert _counts(path) == saved
    assert sorted(os.listdir(folder)) == [name]  # reading it left nothing beside it (no -wal, no -shm)


@pytest.mark.parametrize("via", ["functie", "cli", "programma"])
@pytest.mark.parametrize("content", ["rommel", "andere database"])
def test_restoring_evil_hash_checks_and_copies_that_file_never_evil(
    live: Live,
    tmp_path: Path,
    content: str,
    via: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path, url, _ = live
    folder = tmp_path / "kopieën"
    folder.mkdir()
    _plain_copy(path, folder / "evil")  # a valid wijkmodel database, one municipality
    evil_hash = folder / "evil#.sqlite"
    _add_municipality(url, "Tweestad")
    if content == "rommel":
        evil_hash.write_bytes(b"geen database " * 300)
    else:
        _plain_copy(path, evil_hash)  # a different one: two municipalities
    _add_municipality(url, "Driestad")
    files = {p.name: p.read_bytes() for p in folder.iterdir()}
    code, said = _restore(via, evil_hash, url, monkeypatch, capsys)
    if content == "rommel":
        assert code == 2 and "evil#.sqlite" in said and "geen bruikbare SQLite-database" in said
        assert _municipalities(path) == ["Schrijfstad", "Tweestad", "Driestad"]  # unchanged
        assert not list(tmp_path.glob("live.voor-terugzetten-*"))  # refused before anything was touched
    else:
        assert code == 0 and "2 gemeenten" in said  # the check looked at evil#.sqlite
        assert _municipalities(path) == ["Schrijfstad", "Tweestad"]  # and the copy came from it
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == files  # no stray file, both untouched


# --- a full disk: nothing left behind, the live database as it was --------------------------------


def _make_live(path: Path) -> str:
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    with make_sessionmaker(engine).begin() as s:
        create_municipality(session=s, name="Schrijfstad")
    engine.dispose()
    return url


def _grow(path: Path, megabytes: int) -> None:
    """Make a database file big with a table wijkmodel does not know (the check allows it)."""
    with sqlite3.connect(path) as c:
        c.execute("CREATE TABLE ballast (x BLOB)")
        c.executemany("INSERT INTO ballast VALUES (zeroblob(65536))", [()] * (16 * megabytes))
    c.close()


def _disk_state(disk: Path) -> tuple[dict[str, bytes | int], int]:
    """Every file's bytes (of the WAL index, which SQLite rewrites as it likes, its size) and the
    free space."""
    files = {p.name: p.stat().st_size if p.name.endswith("-shm") else p.read_bytes() for p in disk.iterdir()}
    return files, shutil.disk_usage(disk).free


def _fails_as_disk_full(
    via: str,
    argv: list[str],
    call: Callable[[], object],
    url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if via == "functie":
        # which exception it is, is storage_problem's to judge
        with pytest.raises(Exception) as caught:
            call()
        assert storage_problem(caught.value) is StorageProblem.DISK_FULL, repr(caught.value)
        return
    monkeypatch.setenv("WIJKMODEL_DATABASE_URL", url)
    code = run(argv)
    err = capsys.readouterr().err
    assert code == 1, err
    assert "de schijf van de server is vol" in err and "Er is niets veranderd" in err
    assert "disk is full" not in err and "Traceback" not in err and "Onverwachte fout" not in err


@pytest.mark.parametrize("via", ["functie", "cli"])
def test_a_backup_that_does_not_fit_leaves_nothing_behind(
    tmp_path: Path, via: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    live = tmp_path / "live.sqlite"
    url = _make_live(live)
    _grow(live, 2)
    with small_disk(tmp_path / "schijf", 512) as disk:
        target = disk / "kopie #1.sqlite"
        target.write_bytes(b"een oudere kopie")  # stays as it was
        before = _disk_state(disk)
        _fails_as_disk_full(
            via, ["backup", str(target)], lambda: backup_database(target, url), url, monkeypatch, capsys
        )
        assert _disk_state(disk) == before  # no partial copy: every byte free again


@pytest.mark.parametrize("via", ["functie", "cli"])
@pytest.mark.parametrize("fails", ["bij de bewaarde kopie", "bij het terugzetten"])
def test_a_restore_that_does_not_fit_changes_nothing_and_frees_the_disk(
    tmp_path: Path, fails: str, via: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "grote-kopie.sqlite"
    with small_disk(tmp_path / "schijf", 1024) as disk:
        live = disk / "live.sqlite"
        url = _make_live(live)
        _plain_copy(live, source)
        _grow(source, 2)  # a valid backup, too big for what is left on the disk
        source_bytes = source.read_bytes()
        app = sqlite3.connect(live)  # the app is running: the WAL stays open
        try:
            app.execute("SELECT count(*) FROM municipality").fetchone()
            app.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            if fails == "bij de bewaarde kopie":
                fill(disk, leave=8192)  # too little room for the copy of the live database
            before = _disk_state(disk)
            _fails_as_disk_full(
                via, ["restore", str(source)], lambda: restore_database(source, url), url, monkeypatch, capsys
            )
            after = _disk_state(disk)
            assert after[0] == before[0]  # the live database, its WAL, no kept copy, no partial file
            assert after[1] == before[1]  # and every byte free again
            assert _municipalities(live) == ["Schrijfstad"]
        finally:
            app.close()
    assert source.read_bytes() == source_bytes  # the user's file untouched


def test_the_copy_restores_the_state_the_check_saw(live: Live, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path, url, _ = live
    source = tmp_path / "kopie.sqlite"
    _plain_copy(path, source)
    with sqlite3.connect(source) as c:
        c.execute("PRAGMA journal_mode=WAL")  # as a copy of the app's database is: a writer need not wait
    c.close()
    from wijkmodel.storage import sqlite_backup

    checked = sqlite_backup._check

    def check_then_someone_writes(connection: sqlite3.Connection, checked_path: Path) -> object:
        result = checked(connection, checked_path)
        if checked_path != source:  # the check of the kept copy
            return result
        with sqlite3.connect(source) as other:  # between the check and the copy
            other.execute(
                "INSERT INTO municipality (name, overall_rule, theme_weight, population_weighted, revision) "
                "VALUES ('Tussendoor', 'gemiddelde', 0.5, 0, 0)"
            )
        other.close()
        return result

    monkeypatch.setattr(sqlite_backup, "_check", check_then_someone_writes)
    restored, _ = restore_database(source, url)
    assert restored.municipalities == 1 and _municipalities(path) == ["Schrijfstad"]
    assert _municipalities(source) == ["Schrijfstad", "Tussendoor"]  # the write itself went through


def test_restore_never_writes_over_the_file_it_restores_nor_over_the_database_itself(
    live: Live, tmp_path: Path
) -> None:
    path, url, _ = live
    at = dt.datetime(2026, 11, 23, 19, 0)
    source = tmp_path / "live.voor-terugzetten-20261123-190000.sqlite"  # the name the kept copy would get
    _plain_copy(path, source)
    _add_municipality(url, "Tweestad")
    restored, kept = restore_database(source, url, now=at)
    assert restored.municipalities == 1 and _municipalities(path) == ["Schrijfstad"]
    assert kept is not None and kept.name == "live.voor-terugzetten-20261123-190000-2.sqlite"
    assert _municipalities(kept) == ["Schrijfstad", "Tweestad"] and _municipalities(source) == ["Schrijfstad"]
    before = sorted(os.listdir(tmp_path))
    with pytest.raises(InputError, match="de database zelf"):
        restore_database(path, url, now=at)
    assert sorted(os.listdir(tmp_path)) == before and _municipalities(path) == ["Schrijfstad"]
