"""the opinion groups last shown, so updates carry them over and every server shows the same

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "opinion_group_updates",
        sa.Column("consultation_id", sa.Integer, nullable=False),
        sa.Column("verified_only", sa.Boolean, nullable=False),
        sa.Column("k", sa.SmallInteger, nullable=False),
        sa.Column("candidate_k", sa.SmallInteger, nullable=True),
        sa.Column("streak", sa.SmallInteger, nullable=False),
        sa.Column("updated_ms", sa.BigInteger, nullable=False),
        sa.CheckConstraint("k >= 1", name=op.f("ck_opinion_group_updates_k_positive")),
        sa.CheckConstraint("streak >= 0", name=op.f("ck_opinion_group_updates_streak_not_negative")),
        sa.CheckConstraint("(candidate_k IS NULL) = (streak = 0)",
                           name=op.f("ck_opinion_group_updates_candidate_with_streak")),
        sa.PrimaryKeyConstraint("consultation_id", "verified_only", name=op.f("pk_opinion_group_updates")),
        sa.ForeignKeyConstraint(["consultation_id"], ["consultations.id"], ondelete="CASCADE",
                                name=op.f("fk_opinion_group_updates_consultation_id_consultations")),
    )
    op.create_table(
        "opinion_group_members",
        sa.Column("consultation_id", sa.Integer, nullable=False),
        sa.Column("verified_only", sa.Boolean, nullable=False),
        sa.Column("participant_id", sa.Integer, nullable=False),
        sa.Column("group_number", sa.SmallInteger, nullable=False),
        sa.CheckConstraint("group_number >= 0", name=op.f("ck_opinion_group_members_group_number_not_negative")),
        sa.PrimaryKeyConstraint("consultation_id", "verified_only", "participant_id",
                                name=op.f("pk_opinion_group_members")),
        sa.ForeignKeyConstraint(["consultation_id", "verified_only"],
                                ["opinion_group_updates.consultation_id", "opinion_group_updates.verified_only"],
                                ondelete="CASCADE", name="fk_opinion_group_members_update_opinion_group_updates"),
        sa.ForeignKeyConstraint(["participant_id", "consultation_id"],
                                ["participants.id", "participants.consultation_id"], ondelete="CASCADE",
                                name="fk_opinion_group_members_participant_participants"),
    )


def downgrade() -> None:
    op.drop_table("opinion_group_members")
    op.drop_table("opinion_group_updates")
