"""Invitations: an explicit "the respondent chooses the wijk", and joins counted per minute (issue 19).

1. `invitation.any_unit`: until now an invitation without `invitation_unit` rows meant "the
   respondent chooses among every wijk". Removing a wijk deletes its rows by cascade, so an
   invitation for that one wijk silently opened every wijk. The flag says it explicitly; an
   invitation whose chosen wijken are all gone now opens none. Existing invitations without rows
   get `any_unit` true: that is what they meant when they were made (an invitation whose only wijk
   was already removed cannot be told apart and keeps its old meaning).
2. `invitation.join_window_start` and `invitation.window_joins`: joins through one link are counted
   per minute in the database, so the bound holds across servers. Existing rows start at their
   `created_at` with no joins.

SQLite cannot add a NOT NULL column without a default to the middle of a CREATE statement, so the
table is made again with the statement a new database gets (frozen here as it is at this revision),
its rows copied with their ids and its indexes made again; `migrate` runs this with foreign keys
off. PostgreSQL adds the columns with a default for the existing rows and then drops the default.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

CREATE = """CREATE TABLE "_new_invitation" (
\tid INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, 
\tmunicipality_id INTEGER NOT NULL, 
\tround_id INTEGER NOT NULL, 
\ttitle VARCHAR(100) NOT NULL, 
\ttoken_hash VARCHAR(64) NOT NULL, 
\troles VARCHAR(200) NOT NULL, 
\tinstruments VARCHAR(200) NOT NULL, 
\tcloses_at DATETIME NOT NULL, 
\tcreated_at DATETIME NOT NULL, 
\tclosed_at DATETIME, 
\trevoked_at DATETIME, 
\tany_unit BOOLEAN NOT NULL, 
\tjoin_window_start DATETIME NOT NULL, 
\twindow_joins INTEGER NOT NULL, 
\tUNIQUE (token_hash), 
\tFOREIGN KEY(municipality_id) REFERENCES municipality (id) ON DELETE CASCADE, 
\tFOREIGN KEY(round_id) REFERENCES round (id) ON DELETE CASCADE
)"""  # noqa: W291 - create_all's own trailing spaces
OLD_COLUMNS = (
    "id, municipality_id, round_id, title, token_hash, roles, instruments, closes_at, created_at, closed_at, revoked_at"
)
ANY_UNIT = "NOT EXISTS (SELECT 1 FROM invitation_unit WHERE invitation_unit.invitation_id = invitation.id)"


def _sqlite() -> None:
    bind = op.get_bind()
    indexes = [
        row[0]
        for row in bind.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'invitation' AND sql IS NOT NULL"
        )
    ]
    bind.exec_driver_sql(CREATE)
    bind.exec_driver_sql(
        f'INSERT INTO "_new_invitation" ({OLD_COLUMNS}, any_unit, join_window_start, window_joins) '  # noqa: S608
        f"SELECT {OLD_COLUMNS}, {ANY_UNIT}, created_at, 0 FROM invitation"
    )
    bind.exec_driver_sql('DROP TABLE "invitation"')
    bind.exec_driver_sql('ALTER TABLE "_new_invitation" RENAME TO "invitation"')
    for index in indexes:
        bind.exec_driver_sql(index)


def _postgresql() -> None:
    op.add_column("invitation", sa.Column("any_unit", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column(
        "invitation",
        sa.Column("join_window_start", sa.DateTime(), nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")),
    )
    op.add_column("invitation", sa.Column("window_joins", sa.Integer(), nullable=False, server_default="0"))
    op.execute(f"UPDATE invitation SET any_unit = {ANY_UNIT}, join_window_start = created_at")  # noqa: S608
    for column in ("any_unit", "join_window_start", "window_joins"):
        op.alter_column("invitation", column, server_default=None)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite()
    else:
        _postgresql()
