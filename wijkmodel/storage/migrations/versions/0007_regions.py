"""Regions (issue 20): municipalities grouped in a region, its coordinators, and what each
municipality shares with its regions.

1. The table `region`: a name.
2. The table `region_member`: the municipalities of a region.
3. The table `region_coordinator`: the accounts that coordinate a region (with login).
4. The table `region_sharing`: a municipality's choice to share (no row: nothing, the default).
Existing tables and rows are not touched.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "region",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "region_member",
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["region_id"], ["region.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["municipality_id"], ["municipality.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("region_id", "municipality_id"),
    )
    op.create_index("ix_region_member_municipality_id", "region_member", ["municipality_id"])
    op.create_table(
        "region_coordinator",
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["region_id"], ["region.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("region_id", "account_id"),
    )
    op.create_index("ix_region_coordinator_account_id", "region_coordinator", ["account_id"])
    op.create_table(
        "region_sharing",
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.CheckConstraint("level in ('totalen', 'wijken')", name="region_sharing_level"),
        sa.ForeignKeyConstraint(["municipality_id"], ["municipality.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("municipality_id"),
    )
