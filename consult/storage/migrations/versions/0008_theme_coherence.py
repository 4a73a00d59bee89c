"""how coherent each theme is (mean similarity of its proposals to its centre), so weak themes show

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("themes") as batch:
        batch.add_column(sa.Column("coherence", sa.Float, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("themes") as batch:
        batch.drop_column("coherence")
