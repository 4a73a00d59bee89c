"""secret ballots: motions, preferential and budget ballots, eligibility fixed at opening, papers kept apart
from who voted

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ballots",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("consultation_id", sa.Integer, sa.ForeignKey("consultations.id", ondelete="CASCADE",
                                                               name="fk_ballots_consultation_id_consultations"),
                  nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column("status", sa.String(8), nullable=False, server_default="draft"),
        sa.Column("seats", sa.Integer, nullable=False, server_default="1"),
        sa.Column("majority", sa.String(12), nullable=False, server_default="simple"),
        sa.Column("quorum_share", sa.Float),
        sa.Column("quorum_count", sa.Integer),
        sa.Column("budget", sa.BigInteger),
        sa.Column("max_approvals", sa.Integer),
        sa.Column("scope_regions", sa.Text, nullable=False, server_default=""),
        sa.Column("scope_local_parties", sa.Text, nullable=False, server_default=""),
        sa.Column("eligible_count", sa.Integer),
        sa.Column("seed", sa.Integer, nullable=False, server_default="0"),
        sa.Column("meeting", sa.Integer, nullable=False, server_default="0"),
        sa.Column("created_by", sa.String(120), nullable=False, server_default=""),
        sa.Column("opens_ms", sa.BigInteger),
        sa.Column("opened_ms", sa.BigInteger),
        sa.Column("closes_ms", sa.BigInteger),
        sa.Column("closed_ms", sa.BigInteger),
        sa.CheckConstraint("kind IN ('motion', 'preferential', 'budget')", name="ck_ballots_kind"),
        sa.CheckConstraint("status IN ('draft', 'open', 'closed')", name="ck_ballots_status"),
        sa.CheckConstraint("seats >= 1", name="ck_ballots_seats"),
        sa.CheckConstraint("length(title) >= 1", name="ck_ballots_title"),
        sa.CheckConstraint("budget IS NULL OR budget > 0", name="ck_ballots_budget"),
        sa.CheckConstraint("quorum_share IS NULL OR (quorum_share >= 0 AND quorum_share <= 1)",
                           name="ck_ballots_quorum_share"),
        sa.CheckConstraint("opens_ms IS NULL OR closes_ms IS NULL OR closes_ms > opens_ms", name="ck_ballots_schedule"),
    )
    op.create_table(
        "ballot_options",
        sa.Column("ballot_id", sa.Integer, sa.ForeignKey("ballots.id", ondelete="CASCADE",
                                                         name="fk_ballot_options_ballot_id_ballots"), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("label", sa.String(500), nullable=False),
        sa.Column("cost", sa.BigInteger),
        sa.Column("proposal_id", sa.Integer),
        sa.CheckConstraint("cost IS NULL OR cost >= 0", name="ck_ballot_options_cost"),
        sa.CheckConstraint("length(label) >= 1", name="ck_ballot_options_label"),
    )
    for name in ("ballot_eligible", "ballot_voters"):
        op.create_table(
            name,
            sa.Column("ballot_id", sa.Integer, sa.ForeignKey("ballots.id", ondelete="CASCADE",
                                                             name=f"fk_{name}_ballot_id_ballots"), primary_key=True),
            sa.Column("member_key", sa.String(64), primary_key=True),
            sqlite_with_rowid=False,
        )
    op.create_table(
        "ballot_papers",
        sa.Column("ballot_id", sa.Integer, sa.ForeignKey("ballots.id", ondelete="CASCADE",
                                                         name="fk_ballot_papers_ballot_id_ballots"), primary_key=True),
        sa.Column("receipt_hash", sa.String(64), primary_key=True),
        sa.Column("marks", sa.Text, nullable=False),
        sa.Column("region", sa.String(16)),
        sa.Column("local_party", sa.String(120)),
        sa.Column("cast_day", sa.String(10), nullable=False),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    for name in ("ballot_papers", "ballot_voters", "ballot_eligible", "ballot_options", "ballots"):
        op.drop_table(name)
