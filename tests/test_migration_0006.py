"""Migration 0006 on a real database of revision 0005 with invitations: the one without wijken gets
`any_unit` (what it meant), the one with a wijk does not; joins start counting at the creation time.
On SQLite and on PostgreSQL (the fixture copied there as `test_migrations` does)."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import create_engine, text

from tests.test_migrations import FIXTURES, _copy_to_postgresql
from wijkmodel.storage.db import make_engine

ROWS = """
INSERT INTO invitation (id, municipality_id, round_id, title, token_hash, roles, instruments, closes_at, created_at)
SELECT 1, m.id, r.id, 'Met wijk', :hash1, '', 'schuifjes', '2027-01-01 12:00:00', '2026-12-01 10:00:00'
FROM municipality m JOIN round r ON r.municipality_id = m.id ORDER BY r.id LIMIT 1;
INSERT INTO invitation (id, municipality_id, round_id, title, token_hash, roles, instruments, closes_at, created_at)
SELECT 2, m.id, r.id, 'Zelf kiezen', :hash2, '', 'schuifjes', '2027-01-01 12:00:00', '2026-12-02 10:00:00'
FROM municipality m JOIN round r ON r.municipality_id = m.id ORDER BY r.id LIMIT 1;
INSERT INTO invitation_unit (invitation_id, unit_id) SELECT 1, min(id) FROM unit WHERE kind = 'wijk';
"""


def _add_invitations(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        for statement in filter(str.strip, ROWS.split(";")):
            conn.execute(text(statement), {"hash1": "a" * 64, "hash2": "b" * 64})
    engine.dispose()


def _check(url: str) -> None:
    engine = make_engine(url)  # upgraded to the newest revision
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT id, any_unit, join_window_start, window_joins, created_at FROM invitation ORDER BY id")
        ).all()
        assert conn.execute(text("SELECT count(*) FROM invitation_unit")).scalar() == 1
    engine.dispose()
    assert [(r.id, bool(r.any_unit)) for r in rows] == [(1, False), (2, True)]
    assert all(r.join_window_start == r.created_at and r.window_joins == 0 for r in rows)


def test_0006_on_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "wijkmodel.sqlite"
    shutil.copyfile(FIXTURES / "demo-0005.sqlite", path)
    _add_invitations(f"sqlite:///{path}")
    _check(f"sqlite:///{path}")


def test_0006_on_postgresql(pg_url: str) -> None:
    _copy_to_postgresql(FIXTURES / "demo-0005.sqlite", pg_url)
    _add_invitations(pg_url)
    _check(pg_url)
