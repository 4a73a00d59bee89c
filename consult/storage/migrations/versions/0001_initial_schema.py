"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "consultations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("join_code", sa.String(length=12), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("phase", sa.String(length=16), server_default="collecting", nullable=False),
        sa.Column("moderation", sa.String(length=8), server_default="post", nullable=False),
        sa.Column("min_chars", sa.Integer(), server_default="20", nullable=False),
        sa.Column("max_chars", sa.Integer(), server_default="500", nullable=False),
        sa.Column("max_proposals_per_participant", sa.Integer(), server_default="10", nullable=False),
        sa.Column("results_visible", sa.Boolean(), server_default="1", nullable=False),
        sa.Column("baseline", sa.String(length=40), server_default="population", nullable=False),
        sa.Column("source", sa.String(length=40), server_default="consult", nullable=False),
        sa.Column("created_ms", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("moderation IN ('post', 'pre')", name=op.f("ck_consultations_moderation")),
        sa.CheckConstraint(
            "phase IN ('draft', 'collecting', 'voting', 'results', 'closed')",
            name=op.f("ck_consultations_phase"),
        ),
        sa.CheckConstraint(
            "length(title) >= 1 AND length(question) >= 1", name=op.f("ck_consultations_not_blank")
        ),
        sa.CheckConstraint(
            "max_proposals_per_participant >= 1", name=op.f("ck_consultations_proposal_limit")
        ),
        sa.CheckConstraint(
            "min_chars >= 1 AND max_chars >= min_chars AND max_chars <= 10000",
            name=op.f("ck_consultations_lengths"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultations")),
        sa.UniqueConstraint("join_code", name=op.f("uq_consultations_join_code")),
    )
    op.create_table(
        "regions",
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("is_uk_region", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_regions")),
        sa.UniqueConstraint("name", name=op.f("uq_regions_name")),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("target_type", sa.String(length=20), nullable=True),
        sa.Column("target_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), server_default="", nullable=False),
        sa.Column("detail", sa.Text(), server_default="", nullable=False),
        sa.Column("created_ms", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_audit_log_consultation_id_consultations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_audit_log_consultation_id_created_ms"),
            ["consultation_id", "created_ms"],
            unique=False,
        )

    op.create_table(
        "baselines",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("region", sa.String(length=16), nullable=False),
        sa.Column("count", sa.Float(), nullable=False),
        sa.Column("source", sa.Text(), server_default="", nullable=False),
        sa.CheckConstraint("count >= 0", name=op.f("ck_baselines_count")),
        sa.ForeignKeyConstraint(["region"], ["regions.code"], name=op.f("fk_baselines_region_regions")),
        sa.PrimaryKeyConstraint("name", "region", name=op.f("pk_baselines")),
    )
    op.create_table(
        "participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("region", sa.String(length=16), nullable=False),
        sa.Column("constituency", sa.String(length=120), nullable=True),
        sa.Column("verified", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("channel", sa.String(length=16), server_default="online", nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=True),
        sa.Column("consented_ms", sa.BigInteger(), nullable=True),
        sa.Column("created_ms", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "channel IN ('online', 'meeting', 'import')", name=op.f("ck_participants_channel")
        ),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_participants_consultation_id_consultations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["region"], ["regions.code"], name=op.f("fk_participants_region_regions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participants")),
        sa.UniqueConstraint(
            "consultation_id", "external_id", name=op.f("uq_participants_consultation_id_external_id")
        ),
        sa.UniqueConstraint("id", "consultation_id", name=op.f("uq_participants_id_consultation_id")),
        sa.UniqueConstraint("token", name=op.f("uq_participants_token")),
    )
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_participants_consultation_id_region"), ["consultation_id", "region"], unique=False
        )

    op.create_table(
        "themes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("label_edited", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("keywords", sa.Text(), server_default="", nullable=False),
        sa.Column("is_other", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("active", sa.Boolean(), server_default="1", nullable=False),
        sa.Column("created_ms", sa.BigInteger(), nullable=False),
        sa.Column("updated_ms", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_themes_consultation_id_consultations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_themes")),
        sa.UniqueConstraint("id", "consultation_id", name=op.f("uq_themes_id_consultation_id")),
    )
    with op.batch_alter_table("themes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_themes_consultation_id"), ["consultation_id"], unique=False)

    op.create_table(
        "proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("region", sa.String(length=16), nullable=True),
        sa.Column("tier", sa.String(length=8), server_default="uk", nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("dedupe_key", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=12), server_default="published", nullable=False),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("is_seed", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("is_meta", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=True),
        sa.Column("created_ms", sa.BigInteger(), nullable=False),
        sa.Column("updated_ms", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "(status = 'merged' AND merged_into_id IS NOT NULL AND merged_into_id <> id) OR (status <> 'merged' AND merged_into_id IS NULL)",
            name=op.f("ck_proposals_merge_target"),
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'published', 'hidden', 'merged')", name=op.f("ck_proposals_status")
        ),
        sa.CheckConstraint("tier IN ('uk', 'nation', 'region', 'local')", name=op.f("ck_proposals_tier")),
        sa.CheckConstraint("length(body) >= 1", name=op.f("ck_proposals_body_not_blank")),
        sa.ForeignKeyConstraint(
            ["author_id", "consultation_id"],
            ["participants.id", "participants.consultation_id"],
            name="fk_proposals_author_participants",
        ),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_proposals_consultation_id_consultations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["merged_into_id"], ["proposals.id"], name=op.f("fk_proposals_merged_into_id_proposals")
        ),
        sa.ForeignKeyConstraint(["region"], ["regions.code"], name=op.f("fk_proposals_region_regions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposals")),
        sa.UniqueConstraint(
            "consultation_id", "dedupe_key", name=op.f("uq_proposals_consultation_id_dedupe_key")
        ),
        sa.UniqueConstraint(
            "consultation_id", "external_id", name=op.f("uq_proposals_consultation_id_external_id")
        ),
        sa.UniqueConstraint("id", "consultation_id", name=op.f("uq_proposals_id_consultation_id")),
    )
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_proposals_author_id"), ["author_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_proposals_consultation_id_status"), ["consultation_id", "status"], unique=False
        )

    op.create_table(
        "theme_assignments",
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("rank", sa.SmallInteger(), nullable=False),
        sa.Column("source", sa.String(length=8), server_default="model", nullable=False),
        sa.CheckConstraint("source IN ('model', 'officer')", name=op.f("ck_theme_assignments_source")),
        sa.CheckConstraint("rank BETWEEN 1 AND 3", name=op.f("ck_theme_assignments_rank")),
        sa.CheckConstraint("score >= 0 AND score <= 1", name=op.f("ck_theme_assignments_score")),
        sa.ForeignKeyConstraint(
            ["proposal_id", "consultation_id"],
            ["proposals.id", "proposals.consultation_id"],
            name="fk_theme_assignments_proposal_proposals",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["theme_id", "consultation_id"],
            ["themes.id", "themes.consultation_id"],
            name="fk_theme_assignments_theme_themes",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("proposal_id", "theme_id", name=op.f("pk_theme_assignments")),
    )
    with op.batch_alter_table("theme_assignments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_theme_assignments_consultation_id"), ["consultation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_theme_assignments_theme_id"), ["theme_id"], unique=False)

    op.create_table(
        "vote_events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.SmallInteger(), nullable=False),
        sa.Column("created_ms", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("value IN (-1, 0, 1)", name=op.f("ck_vote_events_value")),
        sa.ForeignKeyConstraint(
            ["participant_id", "consultation_id"],
            ["participants.id", "participants.consultation_id"],
            name="fk_vote_events_participant_participants",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id", "consultation_id"],
            ["proposals.id", "proposals.consultation_id"],
            name="fk_vote_events_proposal_proposals",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vote_events")),
    )
    with op.batch_alter_table("vote_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_vote_events_consultation_id_created_ms"),
            ["consultation_id", "created_ms"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_vote_events_participant_id_proposal_id"),
            ["participant_id", "proposal_id"],
            unique=False,
        )

    op.create_table(
        "votes",
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.SmallInteger(), nullable=False),
        sa.Column("updated_ms", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("value IN (-1, 0, 1)", name=op.f("ck_votes_value")),
        sa.ForeignKeyConstraint(
            ["participant_id", "consultation_id"],
            ["participants.id", "participants.consultation_id"],
            name="fk_votes_participant_participants",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id", "consultation_id"],
            ["proposals.id", "proposals.consultation_id"],
            name="fk_votes_proposal_proposals",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("participant_id", "proposal_id", name=op.f("pk_votes")),
    )
    with op.batch_alter_table("votes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_votes_consultation_id"), ["consultation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_votes_proposal_id"), ["proposal_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("votes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_votes_proposal_id"))
        batch_op.drop_index(batch_op.f("ix_votes_consultation_id"))

    op.drop_table("votes")
    with op.batch_alter_table("vote_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_vote_events_participant_id_proposal_id"))
        batch_op.drop_index(batch_op.f("ix_vote_events_consultation_id_created_ms"))

    op.drop_table("vote_events")
    with op.batch_alter_table("theme_assignments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_theme_assignments_theme_id"))
        batch_op.drop_index(batch_op.f("ix_theme_assignments_consultation_id"))

    op.drop_table("theme_assignments")
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proposals_consultation_id_status"))
        batch_op.drop_index(batch_op.f("ix_proposals_author_id"))

    op.drop_table("proposals")
    with op.batch_alter_table("themes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_themes_consultation_id"))

    op.drop_table("themes")
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participants_consultation_id_region"))

    op.drop_table("participants")
    op.drop_table("baselines")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_consultation_id_created_ms"))

    op.drop_table("audit_log")
    op.drop_table("regions")
    op.drop_table("consultations")
