"""Baseline: the schema as `create_all` made it before migrations existed (main at 7d34567).

Such a database has no alembic_version table; `wijkmodel.storage.db.migrate` recognises it and records
this revision before running the later ones. A new database is made at the newest revision at
once, so this revision has nothing to do. Its exact SQLite schema is kept in
tests/schemas/0001_initial.sqlite.sql for the upgrade tests.

Revision ID: 0001
Revises:
"""

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing: every database at this revision was made by create_all."""
