"""which proposals each member was shown (the vote page's cards), for the selection check

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "proposal_views",
        sa.Column("consultation_id", sa.Integer, nullable=False),
        sa.Column("participant_id", sa.Integer, nullable=False),
        sa.Column("proposal_id", sa.Integer, nullable=False),
        sa.Column("shown_ms", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("participant_id", "proposal_id", name=op.f("pk_proposal_views")),
        sa.ForeignKeyConstraint(["participant_id", "consultation_id"],
                                ["participants.id", "participants.consultation_id"], ondelete="CASCADE",
                                name="fk_proposal_views_participant_participants"),
        sa.ForeignKeyConstraint(["proposal_id", "consultation_id"], ["proposals.id", "proposals.consultation_id"],
                                ondelete="CASCADE", name="fk_proposal_views_proposal_proposals"),
    )
    op.create_index(op.f("ix_proposal_views_consultation_id"), "proposal_views", ["consultation_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_proposal_views_consultation_id"), table_name="proposal_views")
    op.drop_table("proposal_views")
