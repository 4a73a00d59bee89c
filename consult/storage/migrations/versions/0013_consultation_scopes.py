"""who a consultation is for: regions and local parties (a local-party scope needs verified members only)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("consultations") as batch:
        batch.add_column(sa.Column("scope_regions", sa.Text, nullable=False, server_default=""))
        batch.add_column(sa.Column("scope_local_parties", sa.Text, nullable=False, server_default=""))
        batch.create_check_constraint(op.f("ck_consultations_local_scope_verified"),
                                      "scope_local_parties = '' OR access = 'members'")


def downgrade() -> None:
    with op.batch_alter_table("consultations") as batch:
        batch.drop_constraint(op.f("ck_consultations_local_scope_verified"), type_="check")
        batch.drop_column("scope_local_parties")
        batch.drop_column("scope_regions")
