"""staff sessions that survive a reload and end everywhere when idle

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staff_sessions",
        sa.Column("id_hash", sa.String(64), primary_key=True),
        sa.Column("account", sa.String(120), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("created_ms", sa.BigInteger, nullable=False),
        sa.Column("last_seen_ms", sa.BigInteger, nullable=False),
        sa.Column("ended_ms", sa.BigInteger),
        sa.CheckConstraint("role IN ('officer', 'facilitator')", name="ck_staff_sessions_staff_role"),
    )
    op.create_index("ix_staff_sessions_last_seen_ms", "staff_sessions", ["last_seen_ms"])


def downgrade() -> None:
    op.drop_index("ix_staff_sessions_last_seen_ms", "staff_sessions")
    op.drop_table("staff_sessions")
