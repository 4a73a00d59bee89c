"""themes confirmed by an officer: who and when (a report calls a theme checked only then)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("themes") as batch:
        batch.add_column(sa.Column("checked_by", sa.String(120)))
        batch.add_column(sa.Column("checked_ms", sa.BigInteger))
        batch.create_check_constraint(op.f("ck_themes_checked_together"),
                                      "(checked_by IS NULL) = (checked_ms IS NULL)")


def downgrade() -> None:
    with op.batch_alter_table("themes") as batch:
        batch.drop_constraint(op.f("ck_themes_checked_together"), type_="check")
        batch.drop_column("checked_ms")
        batch.drop_column("checked_by")
