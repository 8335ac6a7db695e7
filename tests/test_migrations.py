"""Schema migrations: a database made before migrations existed (revision 0001, kept as SQL in
tests/schemas/) is brought to the newest revision with every row kept, ends up with the schema a
new database gets, and a migration that fails changes nothing. A SQLite file that is behind is
copied beside itself first; `python -m wijkmodel upgrade` says what it did.

The fixtures in tests/fixtures/ are real databases made by an older wijkmodel (`demo`), each with
the JSON backup that wijkmodel exported from it (`export-json`): upgraded by today's code, on SQLite
and on PostgreSQL, the database must export the very same bytes (docs/migrations.md)."""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import re
import shutil
import sqlite3
from contextlib import AbstractContextManager
from pathlib import Path

import pytest
from sqlalchemy import Integer, MetaData, create_engine, inspect, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from tests.conftest import ROOT, DemoRows
from wijkmodel.backup.format import FORMAT_VERSION
from wijkmodel.backup.older import map_older_answers
from wijkmodel.cli import run
from wijkmodel.model.loader import load_model
from wijkmodel.storage import db
from wijkmodel.storage.db import head_revision, make_engine, make_sessionmaker, migrate, new_engine, sync_id_sequences
from wijkmodel.storage.municipalities import find_municipality
from wijkmodel.storage.tables import ADDED_LATER, Base, DatabaseIdentity, data_tables
from wijkmodel.storage.wijken import add_wijk, remove_wijk

OLD_SQLITE_SCHEMA = ROOT / "tests" / "schemas" / "0001_initial.sqlite.sql"


def _old_sqlite(path: Path, demo_rows: DemoRows) -> str:
    """A SQLite file with the schema of revision 0001 and the demo's rows."""
    with sqlite3.connect(path) as conn:
        conn.executescript(OLD_SQLITE_SCHEMA.read_text())
    url = f"sqlite:///{path}"
    plain = create_engine(url)  # no migration: the rows go into the old tables
    with plain.begin() as conn:
        for table, rows in demo_rows:
            if rows and table.name not in ADDED_LATER:  # an old database has no such table (nor rows)
                conn.execute(table.insert(), rows)
    plain.dispose()
    return url


def _rows(url: str) -> dict[str, list[tuple]]:
    plain = create_engine(url)
    with plain.connect() as conn:
        present = set(inspect(conn).get_table_names())  # a table a later revision adds is empty before it
        dump = {
            t.name: sorted((tuple(r) for r in conn.execute(select(t))), key=repr) if t.name in present else []
            for t in data_tables()
        }
    plain.dispose()
    return dump


def _schema(path: Path) -> list[str]:
    """Every CREATE statement, with the quotes and spaces SQLite adds on a rename taken out."""
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'")
        return sorted(
            re.sub(r"\s+", " ", re.sub(r'^CREATE TABLE "(\w+)"', r"CREATE TABLE \1", sql)).strip() for (sql,) in rows
        )


def test_an_old_sqlite_database_is_upgraded_with_every_row_kept(tmp_path: Path, demo_rows: DemoRows) -> None:
    url = _old_sqlite(tmp_path / "old.sqlite", demo_rows)
    before = _rows(url)
    assert sum(len(rows) for rows in before.values()) > 1000
    engine = make_engine(url)
    assert _rows(url) == before
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
        assert len(conn.execute(select(DatabaseIdentity.generation)).scalar() or "") == 36
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1  # back on after the migration
    engine.dispose()
    make_engine(f"sqlite:///{tmp_path / 'new.sqlite'}").dispose()
    assert _schema(tmp_path / "old.sqlite") == _schema(tmp_path / "new.sqlite")
    make_engine(url).dispose()  # a second start changes nothing
    assert _rows(url) == before


def test_every_table_the_baseline_lacks_is_named_with_the_revision_that_added_it() -> None:
    baseline = set(re.findall(r"CREATE TABLE (\w+)", OLD_SQLITE_SCHEMA.read_text()))
    later = {t.name for t in data_tables()} - baseline
    assert later == set(ADDED_LATER)
    revisions = {p.name[:4] for p in (db.MIGRATIONS / "versions").glob("0*.py")}
    assert set(ADDED_LATER.values()) <= revisions


def test_after_the_upgrade_a_removed_wijk_s_id_is_not_given_out_again(tmp_path: Path, demo_rows: DemoRows) -> None:
    factory = make_sessionmaker(make_engine(_old_sqlite(tmp_path / "old.sqlite", demo_rows)))
    with factory.begin() as s:
        municipality = find_municipality(session=s, name="Voorbeeldstad")
        assert municipality is not None
        municipality_id = municipality.id
        last = add_wijk(session=s, municipality_id=municipality_id, name="Laatste").id
    with factory.begin() as s:
        remove_wijk(session=s, unit_id=last)
    with factory.begin() as s:
        assert add_wijk(session=s, municipality_id=municipality_id, name="Nieuwbouw").id > last


def test_a_failing_migration_leaves_the_database_as_it_was(tmp_path: Path, demo_rows: DemoRows) -> None:
    path = tmp_path / "old.sqlite"
    url = _old_sqlite(path, demo_rows)
    with sqlite3.connect(path) as conn:  # a table the migration cannot recognise, as a damaged file might have
        conn.execute("CREATE TABLE change_copy AS SELECT * FROM change")
        conn.execute("DROP TABLE change")
        conn.execute("CREATE TABLE change AS SELECT * FROM change_copy")
        conn.execute("DROP TABLE change_copy")
    before, schema = _rows(url), _schema(path)
    with pytest.raises(RuntimeError, match="unexpected schema of table change"):
        make_engine(url)
    assert _rows(url) == before and _schema(path) == schema
    assert not list(tmp_path.glob("*voor-upgrade*"))  # the copy from before goes again: nothing changed
    with sqlite3.connect(path) as conn:
        assert "alembic_version" not in {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}


def test_an_old_postgresql_database_is_upgraded(pg_url: str, demo_rows: DemoRows) -> None:
    plain = create_engine(pg_url)
    with plain.begin() as conn:  # revision 0001: every table but the identity and later ones, no alembic_version
        Base.metadata.create_all(conn, tables=[t for t in data_tables() if t.name not in ADDED_LATER])
        for table, rows in demo_rows:
            if rows and table.name not in ADDED_LATER:
                conn.execute(table.insert(), rows)
        sync_id_sequences(conn)
    plain.dispose()
    before = _rows(pg_url)
    engine = make_engine(pg_url)
    assert _rows(pg_url) == before
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
        assert conn.execute(select(DatabaseIdentity.generation)).scalar()
        assert set(inspect(conn).get_table_names()) == {*Base.metadata.tables, "alembic_version"}
    engine.dispose()


def test_a_restored_backup_of_an_older_version_is_brought_up_to_date(tmp_path: Path, demo_rows: DemoRows) -> None:
    from wijkmodel.storage.sqlite_backup import restore_database

    old = tmp_path / "back-up van vorig jaar.sqlite"
    before = _rows(_old_sqlite(old, demo_rows))
    live = f"sqlite:///{tmp_path / 'live.sqlite'}"
    make_engine(live).dispose()
    restore_database(old, live)
    assert _rows(live) == before
    make_engine(f"sqlite:///{tmp_path / 'new.sqlite'}").dispose()
    assert _schema(tmp_path / "live.sqlite") == _schema(tmp_path / "new.sqlite")


def test_after_a_restore_ids_given_out_since_the_backup_are_not_given_out_again(
    tmp_path: Path, demo_rows: DemoRows
) -> None:
    from tests.conftest import copy_demo
    from wijkmodel.storage.sqlite_backup import backup_database, restore_database

    live = f"sqlite:///{tmp_path / 'live.sqlite'}"
    engine = make_engine(live)
    copy_demo(engine, demo_rows)
    factory = make_sessionmaker(engine)
    backup_database(tmp_path / "back-up.sqlite", live)
    with factory.begin() as s:  # after the backup: a wijk that a colleague's screen may still show
        municipality = find_municipality(session=s, name="Voorbeeldstad")
        assert municipality is not None
        municipality_id = municipality.id
        since = add_wijk(session=s, municipality_id=municipality_id, name="Na de back-up").id
    engine.dispose()
    restore_database(tmp_path / "back-up.sqlite", live)
    factory = make_sessionmaker(make_engine(live))
    with factory.begin() as s:
        assert add_wijk(session=s, municipality_id=municipality_id, name="Nieuwbouw").id > since


def test_a_restored_file_that_cannot_be_brought_up_to_date_is_undone(tmp_path: Path, demo_rows: DemoRows) -> None:
    from tests.conftest import copy_demo
    from wijkmodel.storage.sqlite_backup import restore_database

    old = tmp_path / "vreemd.sqlite"
    _old_sqlite(old, demo_rows)
    with sqlite3.connect(old) as conn:  # a table the migration cannot recognise
        conn.execute("CREATE TABLE change_copy AS SELECT * FROM change")
        conn.execute("DROP TABLE change")
        conn.execute("CREATE TABLE change AS SELECT * FROM change_copy")
        conn.execute("DROP TABLE change_copy")
    live = f"sqlite:///{tmp_path / 'live.sqlite'}"
    engine = make_engine(live)
    copy_demo(engine, demo_rows)
    with factory_begin(engine) as s:
        municipality = find_municipality(session=s, name="Voorbeeldstad")
        assert municipality is not None
        add_wijk(session=s, municipality_id=municipality.id, name="Alleen in de live database")
    engine.dispose()
    before, schema = _rows(live), _schema(tmp_path / "live.sqlite")
    with pytest.raises(RuntimeError, match="unexpected schema"):
        restore_database(old, live)
    assert _rows(live) == before and _schema(tmp_path / "live.sqlite") == schema


def factory_begin(engine: Engine) -> AbstractContextManager[Session]:
    return make_sessionmaker(engine).begin()


# --- a copy before the upgrade, and `python -m wijkmodel upgrade` (issue 14, item 8) ----------------


def test_an_old_sqlite_file_is_copied_beside_itself_before_the_upgrade(
    tmp_path: Path, demo_rows: DemoRows, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "wijkmodel.sqlite"
    url = _old_sqlite(path, demo_rows)
    before, schema = _rows(url), _schema(path)
    engine = new_engine(url)
    with caplog.at_level(logging.WARNING, logger="wijkmodel.storage.db"):
        upgrade = migrate(engine)
    engine.dispose()
    assert (upgrade.before, upgrade.after) == ("0001", head_revision())
    copy = upgrade.copy
    assert copy is not None and copy.parent == tmp_path
    assert re.fullmatch(r"wijkmodel\.voor-upgrade-0001-\d{8}-\d{6}\.sqlite", copy.name)
    assert _rows(f"sqlite:///{copy}") == before and _schema(copy) == schema  # the file as it was
    assert f"kept at {copy}" in caplog.text and "from revision 0001 to" in caplog.text
    assert _rows(url) == before
    again = migrate(new_engine(url))  # up to date: no second copy
    assert (again.before, again.copy) == (head_revision(), None)
    assert sorted(p.name for p in tmp_path.glob("*.sqlite")) == sorted([path.name, copy.name])


@pytest.mark.parametrize("kind", ["new", "current", "memory"])
def test_no_copy_of_a_new_or_current_or_in_memory_database(tmp_path: Path, kind: str) -> None:
    url = "sqlite://" if kind == "memory" else f"sqlite:///{tmp_path / 'wijkmodel.sqlite'}"
    if kind == "current":
        make_engine(url).dispose()
    engine = new_engine(url)
    upgrade = migrate(engine)
    engine.dispose()
    assert upgrade.copy is None and upgrade.after == head_revision()
    assert upgrade.before == (head_revision() if kind == "current" else None)
    assert not list(tmp_path.glob("*voor-upgrade*"))


def test_without_the_copy_nothing_is_migrated(
    tmp_path: Path, demo_rows: DemoRows, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "wijkmodel.sqlite"
    url = _old_sqlite(path, demo_rows)
    before, schema = _rows(url), _schema(path)

    def disk_full(live: Path, revision: str) -> Path:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(db, "copy_before_upgrade", disk_full)
    with pytest.raises(OSError, match="No space"):
        make_engine(url)
    assert _rows(url) == before and _schema(path) == schema


def test_the_upgrade_command_says_what_it_did(
    tmp_path: Path,
    demo_rows: DemoRows,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "wijkmodel.sqlite"
    monkeypatch.setenv("WIJKMODEL_DATABASE_URL", _old_sqlite(path, demo_rows))
    assert run(["upgrade"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"De database is bijgewerkt van versie 0001 naar versie {head_revision()}."
    copy = Path(out[1].removeprefix("De database van daarvoor staat in ").removesuffix("."))
    assert out[1].startswith("De database van daarvoor staat in ") and copy.is_file() and len(out) == 2
    assert _schema(copy) != _schema(path)  # the copy is at 0001, the database at the head
    assert run(["upgrade"]) == 0
    assert (
        capsys.readouterr().out == f"De database is al bijgewerkt (versie {head_revision()}). Er is niets veranderd.\n"
    )


def test_a_command_that_upgrades_on_the_way_says_so_on_stderr(
    tmp_path: Path,
    demo_rows: DemoRows,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("WIJKMODEL_DATABASE_URL", _old_sqlite(tmp_path / "wijkmodel.sqlite", demo_rows))
    assert run(["summary", "--json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["municipality"] == "Voorbeeldstad"  # stdout stays JSON
    assert err.startswith(f"De database is bijgewerkt van versie 0001 naar versie {head_revision()}.\n")
    assert "De database van daarvoor staat in " in err


def test_the_upgrade_command_on_postgresql(
    pg_url: str,
    demo_rows: DemoRows,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    plain = create_engine(pg_url)
    with plain.begin() as conn:  # revision 0001: every table but the identity and later ones, no alembic_version
        Base.metadata.create_all(conn, tables=[t for t in data_tables() if t.name not in ADDED_LATER])
    plain.dispose()
    monkeypatch.setenv("WIJKMODEL_DATABASE_URL", pg_url)
    assert run(["upgrade", "--wacht", "5"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"De database is bijgewerkt van versie 0001 naar versie {head_revision()}.",
        "Op PostgreSQL maakt wijkmodel geen kopie. Maak die zelf met pg_dump, vóór een nieuwe versie.",
    ]


# --- fixtures: real databases of older revisions, upgraded by today's code (docs/migrations.md) -----

FIXTURES = ROOT / "tests" / "fixtures"
DOCS = ROOT / "docs" / "migrations.md"


def _documented_fixtures() -> dict[str, str]:
    """Each fixture's name (without .sqlite) and the revision docs/migrations.md says it is at."""
    rows = re.findall(r"^\| `tests/fixtures/([\w-]+)\.sqlite`[^|\n]*\| `(\w+)` \|", DOCS.read_text(), re.MULTILINE)
    return dict(rows)


FIXTURE_NAMES = sorted(_documented_fixtures())


def _revision_of(path: Path) -> str:
    """The revision a committed fixture is at, read without changing (or creating) any file."""
    with contextlib.closing(sqlite3.connect(f"{path.as_uri()}?immutable=1", uri=True)) as conn:
        return str(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])


def _export(url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> bytes:
    """`python -m wijkmodel export-json` of the demo municipality in the database at `url`."""
    monkeypatch.setenv("WIJKMODEL_DATABASE_URL", url)
    out = tmp_path / "export.json"
    assert run(["export-json", str(out), "--gemeente", "Voorbeeldstad"]) == 0
    return out.read_bytes()


def _expected_export(name: str) -> bytes:
    """The committed backup of a fixture as today's export writes it: the format's documented changes
    applied (docs/backup-format.md), every other byte the same. Format 4: answers mapped to the
    scales of model 2026.2 (the rule of migration 0003 and `backup.older`), per round a `zet` list and an
    `analysis_mark` (none); format 6: per round an `invitations` list (none), format 7 their `any_unit`; format 8: the
    sharing setting (none) and the regions (none)."""
    raw = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    model = load_model()
    map_older_answers(raw)
    raw["format_version"], raw["model_version"] = FORMAT_VERSION, model.version
    for round_ in raw["municipality"]["rounds"]:
        round_.setdefault("zet", [])
        round_.setdefault("analysis_mark", None)
        round_.setdefault("invitations", [])
    raw["municipality"]["settings"].setdefault("region_sharing", None)  # format 8
    raw["municipality"].setdefault("regions", [])
    return (json.dumps(raw, ensure_ascii=False, indent=2) + "\n").encode()


def test_the_expected_export_of_a_fixture_differs_only_where_the_format_changed() -> None:
    # the mapping is not a no-op: answers the migration moves are in the fixture
    committed = (FIXTURES / "demo-0002.json").read_text(encoding="utf-8")
    expected = _expected_export("demo-0002").decode()
    assert '"option": "volledig"' in expected and '"option": "volledig"' not in committed
    assert expected.count('"option": ') == committed.count('"option": ')


def test_every_fixture_is_at_the_revision_the_docs_say() -> None:
    documented = _documented_fixtures()
    assert documented, "docs/migrations.md lists no fixture"
    assert sorted(p.stem for p in FIXTURES.glob("*.sqlite")) == sorted(documented)
    for name, revision in documented.items():
        assert _revision_of(FIXTURES / f"{name}.sqlite") == revision, name
        assert (FIXTURES / f"{name}.json").is_file(), f"{name}.json, the backup exported from {name}.sqlite"


def test_there_is_a_fixture_of_the_revision_before_the_newest() -> None:
    # every new revision comes with a fixture of the one before it (docs/migrations.md)
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(db.MIGRATIONS))
    head = script.get_revision(head_revision())
    assert head is not None
    revisions = set(_documented_fixtures().values())
    assert head.revision in revisions or head.down_revision in revisions, (
        f"add a fixture of revision {head.down_revision} (made by the code before {head.revision})"
    )


def test_the_head_read_from_the_files_is_alembic_s() -> None:
    from alembic.script import ScriptDirectory

    assert head_revision() == ScriptDirectory(str(db.MIGRATIONS)).get_current_head()


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_a_fixture_upgraded_on_sqlite_exports_the_same_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    path = tmp_path / "wijkmodel.sqlite"
    shutil.copyfile(FIXTURES / f"{name}.sqlite", path)
    url = f"sqlite:///{path}"
    make_engine(url).dispose()  # brought up to date
    assert _export(url, tmp_path, monkeypatch) == _expected_export(name)
    make_engine(f"sqlite:///{tmp_path / 'new.sqlite'}").dispose()
    assert _schema(path) == _schema(tmp_path / "new.sqlite")


def _copy_to_postgresql(fixture: Path, pg_url: str) -> None:
    """A PostgreSQL database at the fixture's revision with the fixture's rows: its tables as the
    fixture has them (reflected, with generic types), every row (alembic_version too) copied in
    dependency order, and each id sequence moved past the copied ids. Not create_all: that makes
    today's tables, which are a fixture's only while no revision came after it."""
    source = create_engine("sqlite://", creator=lambda: sqlite3.connect(f"{fixture.as_uri()}?immutable=1", uri=True))
    tables = MetaData()
    tables.reflect(source)
    for table in tables.tables.values():
        for column in table.columns:
            column.type = column.type.as_generic()
    target = create_engine(pg_url)
    try:
        with source.connect() as reading, target.begin() as writing:
            tables.create_all(writing)
            for table in tables.sorted_tables:
                rows = [dict(row._mapping) for row in reading.execute(select(table))]
                if rows:
                    writing.execute(table.insert(), rows)
            for table in tables.sorted_tables:
                if "id" in table.c and table.c.id.primary_key and isinstance(table.c.id.type, Integer):
                    writing.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "  # noqa: S608 - reflected names
                            f'coalesce((SELECT max(id) FROM "{table.name}"), 0) + 1, false)'
                        )
                    )
    finally:
        source.dispose()
        target.dispose()


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_a_fixture_upgraded_on_postgresql_exports_the_same_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pg_url: str, name: str
) -> None:
    _copy_to_postgresql(FIXTURES / f"{name}.sqlite", pg_url)
    with create_engine(pg_url).connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == _documented_fixtures()[name]
    engine = make_engine(pg_url)  # brought up to date
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
        assert set(inspect(conn).get_table_names()) == {*Base.metadata.tables, "alembic_version"}
    engine.dispose()
    assert _export(pg_url, tmp_path, monkeypatch) == _expected_export(name)
