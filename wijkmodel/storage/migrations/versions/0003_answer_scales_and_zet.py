"""Answers on the scales of model 2026.2, and ZET evaluations (issue 15).

1. Model 2026.2 gives the Quickscan questions that ask how or which ("Hoe is … georganiseerd?",
   "Welke afspraken …?") the scale "geregeld" (Niet · Deels · Grotendeels · Volledig geregeld) in
   place of the standard one. Answers already given move by the rule in docs/scoring.md: nee →
   niet, beperkt → deels, ja → volledig; grotendeels, weet_niet and nvt keep their ids. The rule and
   the questions are frozen in `wijkmodel.model.scale_change` (never edited), so this revision does the
   same thing whatever the model files say later. (BF2-Q5's polarity and the "geborgd"
   scale keep every stored answer as it is: only how it scores changed.)
2. The table `zet_evaluation`: the outcome of a ZET evaluation per round, unit and basic function.
3. The table `analysis_mark`: step 1 of a round marked done by hand, with a note.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

from wijkmodel.model.scale_change import HOW_QUESTIONS, STANDARD_TO_ARRANGED

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "zet_evaluation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("basic_function", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("scale_min", sa.Float(), nullable=False),
        sa.Column("scale_max", sa.Float(), nullable=False),
        sa.Column("cases", sa.Integer(), nullable=True),
        sa.Column("evaluated_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("round_id", "unit_id", "basic_function"),
        sa.CheckConstraint("scale_max > scale_min", name="zet_scale"),
        sa.CheckConstraint("value >= scale_min and value <= scale_max", name="zet_value"),
        sa.CheckConstraint("cases is null or cases >= 0", name="zet_cases"),
        sa.ForeignKeyConstraint(["round_id"], ["round.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_zet_evaluation_round_id", "zet_evaluation", ["round_id"])
    op.create_index("ix_zet_evaluation_unit_id", "zet_evaluation", ["unit_id"])

    op.create_table(
        "analysis_mark",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("round_id"),
        sa.ForeignKeyConstraint(["round_id"], ["round.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )

    answer = sa.table("answer", sa.column("question_id", sa.String), sa.column("option_id", sa.String))
    for old, new in STANDARD_TO_ARRANGED.items():
        op.execute(
            answer.update()
            .where(answer.c.question_id.in_(sorted(HOW_QUESTIONS)), answer.c.option_id == old)
            .values(option_id=new)
        )
