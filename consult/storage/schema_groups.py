"""The schema's record of the opinion groups last shown for a consultation, on the same metadata as `schema`;
migration 0016.

Groups in a live consultation are carried from one update to the next (consult.opinion.carry_over): the number of
groups changes only after a new number has won several updates in a row, and each group keeps its number. Keeping
that state here, not in one server's memory, means every app server, the report and the exports show the same
groups under the same numbers. One row of `opinion_group_updates` per consultation and set of voters (everyone, or
verified members only); one row of `opinion_group_members` per participant placed in a group. A participant's row
goes with them (erasure, or the consultation deleted).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    SmallInteger,
    Table,
)

from consult.storage.schema_base import metadata

opinion_group_updates = Table(
    "opinion_group_updates",
    metadata,
    Column("consultation_id", ForeignKey("consultations.id", ondelete="CASCADE"), primary_key=True),
    Column("verified_only", Boolean, primary_key=True),
    Column("k", SmallInteger, nullable=False),  # the number of groups shown
    Column("candidate_k", SmallInteger, nullable=True),  # another number winning the last `streak` updates
    Column("streak", SmallInteger, nullable=False, default=0),
    Column("updated_ms", BigInteger, nullable=False),
    CheckConstraint("k >= 1", name="k_positive"),
    CheckConstraint("streak >= 0", name="streak_not_negative"),
    CheckConstraint("(candidate_k IS NULL) = (streak = 0)", name="candidate_with_streak"),
)

opinion_group_members = Table(
    "opinion_group_members",
    metadata,
    Column("consultation_id", Integer, primary_key=True),
    Column("verified_only", Boolean, primary_key=True),
    Column("participant_id", Integer, primary_key=True),
    Column("group_number", SmallInteger, nullable=False),  # 0 for "Group 1"
    CheckConstraint("group_number >= 0", name="group_number_not_negative"),
    ForeignKeyConstraint(
        ["consultation_id", "verified_only"],
        ["opinion_group_updates.consultation_id", "opinion_group_updates.verified_only"],
        ondelete="CASCADE", name="fk_opinion_group_members_update_opinion_group_updates",
    ),
    ForeignKeyConstraint(
        ["participant_id", "consultation_id"], ["participants.id", "participants.consultation_id"],
        ondelete="CASCADE", name="fk_opinion_group_members_participant_participants",
    ),
)
