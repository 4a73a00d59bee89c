"""visibility version and small-cell minimum per consultation; sign-in throttle per account and address; upgraded staff hashes

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("consultations") as batch:
        batch.add_column(sa.Column("visibility_version", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("min_cell", sa.Integer, nullable=False, server_default="10"))
        batch.create_check_constraint(op.f("ck_consultations_min_cell"), "min_cell >= 2")
    op.drop_table("sign_in_failures")
    op.create_table(
        "sign_in_throttle",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("next_try_ms", sa.BigInteger, nullable=False),
        sa.Column("last_ms", sa.BigInteger, nullable=False),
        sa.CheckConstraint("failures >= 0", name=op.f("ck_sign_in_throttle_failures")),
    )
    op.create_index(op.f("ix_sign_in_throttle_last_ms"), "sign_in_throttle", ["last_ms"])
    op.create_table(
        "staff_password_upgrades",
        sa.Column("name", sa.String(120), primary_key=True),
        sa.Column("configured_fingerprint", sa.String(64), nullable=False),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("updated_ms", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("staff_password_upgrades")
    op.drop_index(op.f("ix_sign_in_throttle_last_ms"), "sign_in_throttle")
    op.drop_table("sign_in_throttle")
    op.create_table(
        "sign_in_failures",
        sa.Column("name", sa.String(120), primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("last_ms", sa.BigInteger, nullable=False),
        sa.CheckConstraint("failures >= 1", name=op.f("ck_sign_in_failures_failures")),
    )
    with op.batch_alter_table("consultations") as batch:
        batch.drop_constraint(op.f("ck_consultations_min_cell"), type_="check")
        batch.drop_column("min_cell")
        batch.drop_column("visibility_version")
