"""the membership roll (keyed hashes only), consultation access mode, verified members as participants

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("consultations") as batch:
        batch.add_column(sa.Column("access", sa.String(8), nullable=False, server_default="open"))
        batch.create_check_constraint(op.f("ck_consultations_access"), "access IN ('open', 'members', 'mixed')")
    with op.batch_alter_table("participants") as batch:
        batch.add_column(sa.Column("member_key", sa.String(64)))
        batch.create_unique_constraint(op.f("uq_participants_consultation_id_member_key"),
                                       ["consultation_id", "member_key"])
    op.create_table(
        "members",
        sa.Column("number_hash", sa.String(64), primary_key=True),
        sa.Column("verifier_hash", sa.String(64), nullable=False),
        sa.Column("region", sa.String(16), sa.ForeignKey("regions.code", name=op.f("fk_members_region_regions")),
                  nullable=False),
        sa.Column("local_party", sa.String(120)),
        sa.Column("branch", sa.String(120)),
    )
    op.create_index(op.f("ix_members_region"), "members", ["region"])
    op.create_table(
        "roll_info",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("verifier_label", sa.String(40), nullable=False),
        sa.Column("members", sa.Integer, nullable=False),
        sa.Column("source_name", sa.String(200), nullable=False, server_default=""),
        sa.Column("loaded_ms", sa.BigInteger, nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_roll_info_single_row")),
    )


def downgrade() -> None:
    op.drop_table("roll_info")
    op.drop_index(op.f("ix_members_region"), "members")
    op.drop_table("members")
    with op.batch_alter_table("participants") as batch:
        batch.drop_constraint(op.f("uq_participants_consultation_id_member_key"), type_="unique")
        batch.drop_column("member_key")
    with op.batch_alter_table("consultations") as batch:
        batch.drop_constraint(op.f("ck_consultations_access"), type_="check")
        batch.drop_column("access")
