"""Ids are never given out twice (SQLite AUTOINCREMENT), and the database gets a generation.

Issue 13: on SQLite a removed wijk's id went to the next new wijk, so a screen still showing the
removed wijk saved into the new one. SQLite can only add AUTOINCREMENT by rebuilding a table
(https://www.sqlite.org/lang_altertable.html, "other kinds of table schema changes"): each table is
made again from its own stored CREATE statement with the id column marked AUTOINCREMENT, its rows
copied with their ids, its indexes made again. `migrate` runs this with foreign keys off (so
dropping the old table deletes nothing) and checks them afterwards. PostgreSQL sequences never
repeat, so there only the new table is made.

Revision ID: 0002
Revises: 0001
"""

import re
import uuid

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TABLES = [
    "municipality",
    "unit",
    "round",
    "respondent",
    "theme_position",
    "answer",
    "target",
    "energy_mark",
    "core_choice",
    "action",
    "indicator_value",
    "change",
]
"""Every table with its own integer id (unit_geometry is keyed by its unit)."""


def _never_reuse_ids(table: str) -> None:
    bind = op.get_bind()
    create = bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).scalar_one()
    if "AUTOINCREMENT" in create:
        return
    # create_all wrote "id INTEGER NOT NULL," and "PRIMARY KEY (id),": the same as create_all now
    # writes with sqlite_autoincrement
    new, column = re.subn(r"\bid INTEGER NOT NULL,", "id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,", create, count=1)
    new, key = re.subn(r"\s*PRIMARY KEY \(id\),", "", new, count=1)
    if column != 1 or key != 1:
        raise RuntimeError(f"unexpected schema of table {table}: {create}")
    indexes = [
        row[0]
        for row in bind.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", (table,)
        )
    ]
    temporary = f"_new_{table}"
    bind.exec_driver_sql(new.replace(f"CREATE TABLE {table} (", f'CREATE TABLE "{temporary}" (', 1))
    bind.exec_driver_sql(f'INSERT INTO "{temporary}" SELECT * FROM "{table}"')  # noqa: S608 - fixed names
    bind.exec_driver_sql(f'DROP TABLE "{table}"')
    bind.exec_driver_sql(f'ALTER TABLE "{temporary}" RENAME TO "{table}"')
    for index in indexes:
        bind.exec_driver_sql(index)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in TABLES:
            _never_reuse_ids(table)
    identity = op.create_table(
        "database_identity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("generation", sa.String(length=36), nullable=False),
        sa.CheckConstraint("id = 1", name="one_identity"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.bulk_insert(identity, [{"id": 1, "generation": str(uuid.uuid4())}])
