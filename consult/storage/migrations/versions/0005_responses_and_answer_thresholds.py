"""official responses to proposals, implementation milestones, thresholds that oblige an answer

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

STATUSES = "('under_consideration', 'accepted', 'accepted_in_part', 'already_policy', 'not_taken_forward', 'referred')"


def upgrade() -> None:
    op.create_table(
        "responses",
        sa.Column("consultation_id", sa.Integer, nullable=False),
        sa.Column("proposal_id", sa.Integer, primary_key=True),
        sa.Column("status", sa.String(24), nullable=False, server_default="under_consideration"),
        sa.Column("body", sa.Text, nullable=False, server_default=""),
        sa.Column("referred_to", sa.String(200), nullable=False, server_default=""),
        sa.Column("decided_by", sa.String(200), nullable=False, server_default=""),
        sa.Column("updated_ms", sa.BigInteger, nullable=False),
        sa.Column("published_status", sa.String(24)),
        sa.Column("published_body", sa.Text),
        sa.Column("published_referred_to", sa.String(200)),
        sa.Column("published_decided_by", sa.String(200)),
        sa.Column("published_ms", sa.BigInteger),
        sa.Column("obliged_ms", sa.BigInteger),
        sa.Column("obliged_reason", sa.Text, nullable=False, server_default=""),
        sa.ForeignKeyConstraint(["proposal_id", "consultation_id"], ["proposals.id", "proposals.consultation_id"],
                                ondelete="CASCADE", name="fk_responses_proposal_proposals"),
        sa.CheckConstraint(f"status IN {STATUSES}", name=op.f("ck_responses_status")),
        sa.CheckConstraint(f"published_status IS NULL OR published_status IN {STATUSES}",
                           name=op.f("ck_responses_published_status")),
        sa.CheckConstraint("(published_status IS NULL) = (published_ms IS NULL)",
                           name=op.f("ck_responses_published_together")),
        sa.CheckConstraint("status <> 'referred' OR length(referred_to) >= 1",
                           name=op.f("ck_responses_referred_to_someone")),
    )
    op.create_index(op.f("ix_responses_consultation_id_published_status"), "responses",
                    ["consultation_id", "published_status"])
    op.create_table(
        "response_milestones",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("consultation_id", sa.Integer, nullable=False),
        sa.Column("proposal_id", sa.Integer, sa.ForeignKey("responses.proposal_id", ondelete="CASCADE",
                                                           name=op.f("fk_response_milestones_proposal_id_responses")),
                  nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("percent", sa.SmallInteger, nullable=False),
        sa.Column("due_ms", sa.BigInteger),
        sa.Column("created_ms", sa.BigInteger, nullable=False),
        sa.CheckConstraint("percent BETWEEN 0 AND 100", name=op.f("ck_response_milestones_percent")),
        sa.CheckConstraint("length(title) >= 1", name=op.f("ck_response_milestones_title_not_blank")),
    )
    op.create_index(op.f("ix_response_milestones_proposal_id"), "response_milestones", ["proposal_id"])
    op.create_table(
        "answer_thresholds",
        sa.Column("consultation_id", sa.Integer,
                  sa.ForeignKey("consultations.id", ondelete="CASCADE",
                                name=op.f("fk_answer_thresholds_consultation_id_consultations")),
                  primary_key=True),
        sa.Column("min_supporters", sa.Integer),
        sa.Column("everywhere_probability", sa.Float),
        sa.Column("region_share", sa.Float),
        sa.CheckConstraint("min_supporters IS NULL OR min_supporters >= 1",
                           name=op.f("ck_answer_thresholds_min_supporters")),
        sa.CheckConstraint("everywhere_probability IS NULL OR (everywhere_probability > 0 AND "
                           "everywhere_probability < 1)", name=op.f("ck_answer_thresholds_everywhere_probability")),
        sa.CheckConstraint("region_share IS NULL OR (region_share > 0 AND region_share <= 1)",
                           name=op.f("ck_answer_thresholds_region_share")),
    )


def downgrade() -> None:
    op.drop_table("answer_thresholds")
    op.drop_index(op.f("ix_response_milestones_proposal_id"), "response_milestones")
    op.drop_table("response_milestones")
    op.drop_index(op.f("ix_responses_consultation_id_published_status"), "responses")
    op.drop_table("responses")
