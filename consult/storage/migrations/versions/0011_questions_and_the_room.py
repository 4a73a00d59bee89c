"""structured questions and answers, the room's Q&A with upvotes, and what the presenter focuses on

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str) -> sa.ForeignKey:
    return sa.ForeignKey(f"{target}.id", ondelete="CASCADE", name=f"fk_{table}_{column}_{target}")


def upgrade() -> None:
    op.create_table(
        "questions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("consultation_id", sa.Integer, _fk("questions", "consultation_id", "consultations"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("options", sa.Text, nullable=False, server_default=""),
        sa.Column("min_value", sa.Float),
        sa.Column("max_value", sa.Float),
        sa.Column("status", sa.String(8), nullable=False, server_default="draft"),
        sa.Column("results_shown", sa.Boolean, nullable=False, server_default="1"),
        sa.Column("created_by", sa.String(120), nullable=False, server_default=""),
        sa.Column("created_ms", sa.BigInteger, nullable=False),
        sa.Column("closed_ms", sa.BigInteger),
        sa.CheckConstraint("kind IN ('agree_scale', 'single', 'multiple', 'ranking', 'number', 'free_text')",
                           name="ck_questions_kind"),
        sa.CheckConstraint("status IN ('draft', 'open', 'closed')", name="ck_questions_status"),
        sa.CheckConstraint("length(text) >= 1 AND length(text) <= 1000", name="ck_questions_text"),
        sa.CheckConstraint("min_value IS NULL OR max_value IS NULL OR max_value > min_value", name="ck_questions_range"),
    )
    op.create_index("ix_questions_consultation_id_position", "questions", ["consultation_id", "position"], unique=True)
    op.create_table(
        "question_answers",
        sa.Column("question_id", sa.Integer, _fk("question_answers", "question_id", "questions"), primary_key=True),
        sa.Column("participant_id", sa.Integer, _fk("question_answers", "participant_id", "participants"),
                  primary_key=True),
        sa.Column("consultation_id", sa.Integer, nullable=False),
        sa.Column("answer", sa.Text, nullable=False),
        sa.Column("updated_ms", sa.BigInteger, nullable=False),
        sa.CheckConstraint("length(answer) >= 1 AND length(answer) <= 2000", name="ck_question_answers_answer"),
    )
    op.create_index("ix_question_answers_consultation_id", "question_answers", ["consultation_id"])
    op.create_table(
        "room_questions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("consultation_id", sa.Integer, _fk("room_questions", "consultation_id", "consultations"),
                  nullable=False),
        sa.Column("participant_id", sa.Integer, _fk("room_questions", "participant_id", "participants"),
                  nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("status", sa.String(12), nullable=False, server_default="published"),
        sa.Column("created_ms", sa.BigInteger, nullable=False),
        sa.CheckConstraint("status IN ('pending', 'published', 'hidden', 'answered')", name="ck_room_questions_status"),
        sa.CheckConstraint("length(body) >= 1 AND length(body) <= 300", name="ck_room_questions_body"),
    )
    op.create_index("ix_room_questions_consultation_id", "room_questions", ["consultation_id"])
    op.create_table(
        "room_question_votes",
        sa.Column("room_question_id", sa.Integer, _fk("room_question_votes", "room_question_id", "room_questions"),
                  primary_key=True),
        sa.Column("participant_id", sa.Integer, _fk("room_question_votes", "participant_id", "participants"),
                  primary_key=True),
    )
    op.create_table(
        "presenter_screens",
        sa.Column("consultation_id", sa.Integer, _fk("presenter_screens", "consultation_id", "consultations"),
                  primary_key=True),
        sa.Column("focus_kind", sa.String(16), nullable=False, server_default="none"),
        sa.Column("focus_id", sa.Integer),
        sa.Column("updated_ms", sa.BigInteger, nullable=False),
        sa.CheckConstraint("focus_kind IN ('none', 'question', 'proposal', 'room_questions')",
                           name="ck_presenter_screens_focus_kind"),
        sa.CheckConstraint("(focus_kind IN ('none', 'room_questions')) = (focus_id IS NULL)",
                           name="ck_presenter_screens_focus_id"),
    )


def downgrade() -> None:
    for name in ("presenter_screens", "room_question_votes", "room_questions", "question_answers", "questions"):
        op.drop_table(name)
