"""Invitations to answer without an account, and the people who answer through them (issue 19).

1. The table `invitation`: a beheerder's link for a round (token stored as its SHA-256), with the
   roles and instruments it asks for, its closing date, and when it was closed or revoked.
2. The table `invitation_unit`: the wijken an invitation asks about (none: the respondent chooses).
3. The table `participant`: one anonymous person answering through an invitation, known by a
   continue code (stored as its SHA-256), with a count of saves per minute.
4. The table `participant_respondent`: that person's respondent record per wijk (one per wijk).
Existing tables and rows are not touched.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("roles", sa.String(length=200), nullable=False),
        sa.Column("instruments", sa.String(length=200), nullable=False),
        sa.Column("closes_at", sa.DateTime(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
        sa.ForeignKeyConstraint(["municipality_id"], ["municipality.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["round_id"], ["round.id"], ondelete="CASCADE"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_invitation_municipality_id", "invitation", ["municipality_id"])
    op.create_index("ix_invitation_round_id", "invitation", ["round_id"])
    op.create_table(
        "invitation_unit",
        sa.Column("invitation_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["invitation_id"], ["invitation.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("invitation_id", "unit_id"),
    )
    op.create_index("ix_invitation_unit_unit_id", "invitation_unit", ["unit_id"])
    op.create_table(
        "participant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invitation_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=30), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("window_start", sa.DateTime(), nullable=False),
        sa.Column("window_saves", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code_hash"),
        sa.UniqueConstraint("invitation_id", "number"),
        sa.ForeignKeyConstraint(["invitation_id"], ["invitation.id"], ondelete="CASCADE"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_participant_invitation_id", "participant", ["invitation_id"])
    op.create_table(
        "participant_respondent",
        sa.Column("respondent_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("respondent_id"),
        sa.UniqueConstraint("participant_id", "unit_id"),
        sa.ForeignKeyConstraint(["respondent_id"], ["respondent.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["participant_id"], ["participant.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], ondelete="CASCADE"),
    )
    op.create_index("ix_participant_respondent_participant_id", "participant_respondent", ["participant_id"])
