"""Accounts and their roles per municipality, and the account behind each change (issue 18).

1. The table `account`: a person who logs in with the municipality's own accounts (OIDC), by the
   provider (issuer) and its subject, with the e-mail the provider gave; no passwords.
2. The table `account_role`: an account's role in one municipality (beheerder, invuller, lezer).
3. The table `change_account`: the e-mail of the account that made a change, for changes made with
   login configured (a change without a row was made without login or by the command line).

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("issuer", sa.String(length=300), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("issuer", "subject"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_account_email", "account", ["email"])
    op.create_table(
        "account_role",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("account_id", "municipality_id"),
        sa.CheckConstraint("role in ('beheerder', 'invuller', 'lezer')", name="account_role_role"),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["municipality_id"], ["municipality.id"], ondelete="CASCADE"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_account_role_account_id", "account_role", ["account_id"])
    op.create_index("ix_account_role_municipality_id", "account_role", ["municipality_id"])
    op.create_table(
        "change_account",
        sa.Column("change_id", sa.Integer(), nullable=False),
        sa.Column("account", sa.String(length=320), nullable=False),
        sa.ForeignKeyConstraint(["change_id"], ["change.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("change_id"),
    )
    op.create_index("ix_change_account_account", "change_account", ["account"])
