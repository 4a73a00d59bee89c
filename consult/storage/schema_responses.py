"""The schema's official-response tables ("you said, we did"), on the same metadata as `schema`.

Import them through `consult.storage.schema` (which re-exports them); migration 0005 creates them.
"""

from __future__ import annotations

from sqlalchemy import (
                     BigInteger,
                     CheckConstraint,
                     Column,
                     Float,
                     ForeignKey,
                     ForeignKeyConstraint,
                     Index,
                     Integer,
                     SmallInteger,
                     String,
                     Table,
                     Text,
)

from consult.storage.schema_base import metadata
from consult.storage.schema_base import one_of as _one_of

# "You said, we did": the official response to a proposal. What members see is the published copy
# (published_*); the draft fields are the officers' working version until they publish it again. A row exists
# once an officer drafts a response or once the proposal crosses one of the consultation's thresholds
# (`obliged_ms`, with the evidence in `obliged_reason`), which puts it in the "needs an answer" queue.
RESPONSE_STATUSES = ("under_consideration", "accepted", "accepted_in_part", "already_policy", "not_taken_forward",
                     "referred")
responses = Table(
    "responses",
    metadata,
    Column("consultation_id", Integer, nullable=False),
    Column("proposal_id", Integer, primary_key=True),
    Column("status", String(24), nullable=False, server_default="under_consideration"),
    Column("body", Text, nullable=False, server_default=""),
    Column("referred_to", String(200), nullable=False, server_default=""),
    Column("decided_by", String(200), nullable=False, server_default=""),
    Column("updated_ms", BigInteger, nullable=False),
    Column("published_status", String(24)),
    Column("published_body", Text),
    Column("published_referred_to", String(200)),
    Column("published_decided_by", String(200)),
    Column("published_ms", BigInteger),
    Column("obliged_ms", BigInteger),
    Column("obliged_reason", Text, nullable=False, server_default=""),
    ForeignKeyConstraint(
        ["proposal_id", "consultation_id"], ["proposals.id", "proposals.consultation_id"],
        ondelete="CASCADE", name="fk_responses_proposal_proposals",
    ),
    CheckConstraint(_one_of("status", RESPONSE_STATUSES), name="status"),
    CheckConstraint(f"published_status IS NULL OR {_one_of('published_status', RESPONSE_STATUSES)}",
                    name="published_status"),
    CheckConstraint("(published_status IS NULL) = (published_ms IS NULL)", name="published_together"),
    CheckConstraint("status <> 'referred' OR length(referred_to) >= 1", name="referred_to_someone"),
    Index(None, "consultation_id", "published_status"),
)

# Implementation progress of an accepted proposal: dated milestones with a percentage, shown with the response.
response_milestones = Table(
    "response_milestones",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("consultation_id", Integer, nullable=False),
    Column("proposal_id", ForeignKey("responses.proposal_id", ondelete="CASCADE"), nullable=False),
    Column("title", String(300), nullable=False),
    Column("percent", SmallInteger, nullable=False),
    Column("due_ms", BigInteger),
    Column("created_ms", BigInteger, nullable=False),
    CheckConstraint("percent BETWEEN 0 AND 100", name="percent"),
    CheckConstraint("length(title) >= 1", name="title_not_blank"),
    Index(None, "proposal_id"),
)

# What obliges the party to answer a proposal, per consultation (each rule off when NULL): at least
# `min_supporters` agree votes; a majority in every region at least `everywhere_probability` likely (the
# regional estimates); or at least `region_share` of the voters of some region agreeing (with at least the
# consultation's min_cell of them voting).
answer_thresholds = Table(
    "answer_thresholds",
    metadata,
    Column("consultation_id", ForeignKey("consultations.id", ondelete="CASCADE"), primary_key=True),
    Column("min_supporters", Integer),
    Column("everywhere_probability", Float),
    Column("region_share", Float),
    CheckConstraint("min_supporters IS NULL OR min_supporters >= 1", name="min_supporters"),
    CheckConstraint("everywhere_probability IS NULL OR (everywhere_probability > 0 AND everywhere_probability < 1)",
                    name="everywhere_probability"),
    CheckConstraint("region_share IS NULL OR (region_share > 0 AND region_share <= 1)", name="region_share"),
)
