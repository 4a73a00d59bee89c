"""running tallies for live views

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


# the 12 UK regions at the time of this migration (regions.csv); other answers do not enter consensus
UK_REGIONS = [f"E1200000{i}" for i in range(1, 10)] + ["W92000004", "S92000003", "N92000002"]


def _backfill() -> None:
    """Tallies and stats for votes cast before this migration."""
    import math

    bind = op.get_bind()
    bind.execute(sa.text(
        "INSERT INTO proposal_region_tallies (consultation_id, proposal_id, region, agree, disagree, passes) "
        "SELECT v.consultation_id, v.proposal_id, p.region, "
        "SUM(CASE WHEN v.value = 1 THEN 1 ELSE 0 END), SUM(CASE WHEN v.value = -1 THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN v.value = 0 THEN 1 ELSE 0 END) "
        "FROM votes v JOIN participants p ON p.id = v.participant_id "
        "GROUP BY v.consultation_id, v.proposal_id, p.region"
    ))
    rows = bind.execute(sa.text(
        "SELECT consultation_id, proposal_id, region, agree, disagree, passes FROM proposal_region_tallies"
    )).all()
    stats: dict[int, dict] = {}
    for consultation_id, proposal_id, region, agree, disagree, passes in rows:
        entry = stats.setdefault(proposal_id, {"consultation_id": consultation_id, "proposal_id": proposal_id,
                                               "agree": 0, "disagree": 0, "passes": 0,
                                               "log_gic": len(UK_REGIONS) * math.log(0.5)})
        entry["agree"] += agree
        entry["disagree"] += disagree
        entry["passes"] += passes
        if region in UK_REGIONS:
            entry["log_gic"] += math.log((agree + 1) / (agree + disagree + passes + 2)) - math.log(0.5)
    if stats:
        table = sa.table("proposal_stats", *(sa.column(c) for c in
                                             ("consultation_id", "proposal_id", "agree", "disagree", "passes",
                                              "log_gic")))
        op.bulk_insert(table, list(stats.values()))


def upgrade() -> None:
    op.create_table(
        "proposal_region_tallies",
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("region", sa.String(length=16), nullable=False),
        sa.Column("agree", sa.Integer(), nullable=False),
        sa.Column("disagree", sa.Integer(), nullable=False),
        sa.Column("passes", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "agree >= 0 AND disagree >= 0 AND passes >= 0", name=op.f("ck_proposal_region_tallies_counts")
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id", "consultation_id"],
            ["proposals.id", "proposals.consultation_id"],
            name="fk_proposal_region_tallies_proposal_proposals",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["region"], ["regions.code"], name=op.f("fk_proposal_region_tallies_region_regions")
        ),
        sa.PrimaryKeyConstraint("proposal_id", "region", name=op.f("pk_proposal_region_tallies")),
    )
    op.create_table(
        "proposal_stats",
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("agree", sa.Integer(), nullable=False),
        sa.Column("disagree", sa.Integer(), nullable=False),
        sa.Column("passes", sa.Integer(), nullable=False),
        sa.Column("log_gic", sa.Float(), nullable=False),
        sa.CheckConstraint(
            "agree >= 0 AND disagree >= 0 AND passes >= 0", name=op.f("ck_proposal_stats_counts")
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id", "consultation_id"],
            ["proposals.id", "proposals.consultation_id"],
            name="fk_proposal_stats_proposal_proposals",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("proposal_id", name=op.f("pk_proposal_stats")),
    )
    with op.batch_alter_table("proposal_stats", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_proposal_stats_consultation_id_log_gic"),
            ["consultation_id", "log_gic"],
            unique=False,
        )

    _backfill()


def downgrade() -> None:
    with op.batch_alter_table("proposal_stats", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proposal_stats_consultation_id_log_gic"))

    op.drop_table("proposal_stats")
    op.drop_table("proposal_region_tallies")
