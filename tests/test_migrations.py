"""Schema migrations: a database made before migrations existed (revision 0001, kept as SQL in
tests/schemas/) is brought to the newest revision with every row kept, ends up with the schema a
new database gets, and a migration that fails changes nothing."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, select, text

from tests.conftest import ROOT
from wijkmodel.storage.db import (
    Base,
    DatabaseIdentity,
    data_tables,
    head_revision,
    make_engine,
    make_sessionmaker,
    sync_id_sequences,
)
from wijkmodel.storage.municipalities import find_municipality
from wijkmodel.storage.wijken import add_wijk, remove_wijk

OLD_SQLITE_SCHEMA = ROOT / "tests" / "schemas" / "0001_initial.sqlite.sql"


def _old_sqlite(path: Path, demo_rows) -> str:  # type: ignore[no-untyped-def]
    """A SQLite file with the schema of revision 0001 and the demo's rows."""
    with sqlite3.connect(path) as conn:
        conn.executescript(OLD_SQLITE_SCHEMA.read_text())
    url = f"sqlite:///{path}"
    plain = create_engine(url)  # no migration: the rows go into the old tables
    with plain.begin() as conn:
        for table, rows in demo_rows:
            if rows:
                conn.execute(table.insert(), rows)
    plain.dispose()
    return url


def _rows(url: str) -> dict[str, list[tuple]]:
    plain = create_engine(url)
    with plain.connect() as conn:
        dump = {t.name: sorted((tuple(r) for r in conn.execute(select(t))), key=repr) for t in data_tables()}
    plain.dispose()
    return dump


def _schema(path: Path) -> list[str]:
    """Every CREATE statement, with the quotes and spaces SQLite adds on a rename taken out."""
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'")
        return sorted(
            re.sub(r"\s+", " ", re.sub(r'^CREATE TABLE "(\w+)"', r"CREATE TABLE \1", sql)).strip() for (sql,) in rows
        )


def test_an_old_sqlite_database_is_upgraded_with_every_row_kept(tmp_path, demo_rows) -> None:  # type: ignore[no-untyped-def]
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


def test_after_the_upgrade_a_removed_wijk_s_id_is_not_given_out_again(tmp_path, demo_rows) -> None:  # type: ignore[no-untyped-def]
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


def test_a_failing_migration_leaves_the_database_as_it_was(tmp_path, demo_rows) -> None:  # type: ignore[no-untyped-def]
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
    with sqlite3.connect(path) as conn:
        assert "alembic_version" not in {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}


def test_an_old_postgresql_database_is_upgraded(pg_url, demo_rows) -> None:  # type: ignore[no-untyped-def]
    plain = create_engine(pg_url)
    with plain.begin() as conn:  # revision 0001: every table but the identity, no alembic_version
        Base.metadata.create_all(conn, tables=data_tables())
        for table, rows in demo_rows:
            if rows:
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


def test_a_restored_backup_of_an_older_version_is_brought_up_to_date(tmp_path, demo_rows) -> None:  # type: ignore[no-untyped-def]
    from wijkmodel.storage.sqlite_backup import restore_database

    old = tmp_path / "back-up van vorig jaar.sqlite"
    before = _rows(_old_sqlite(old, demo_rows))
    live = f"sqlite:///{tmp_path / 'live.sqlite'}"
    make_engine(live).dispose()
    restore_database(old, live)
    assert _rows(live) == before
    make_engine(f"sqlite:///{tmp_path / 'new.sqlite'}").dispose()
    assert _schema(tmp_path / "live.sqlite") == _schema(tmp_path / "new.sqlite")


def test_after_a_restore_ids_given_out_since_the_backup_are_not_given_out_again(tmp_path, demo_rows) -> None:  # type: ignore[no-untyped-def]
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


def test_a_restored_file_that_cannot_be_brought_up_to_date_is_undone(tmp_path, demo_rows) -> None:  # type: ignore[no-untyped-def]
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


def factory_begin(engine):  # type: ignore[no-untyped-def]
    return make_sessionmaker(engine).begin()
