"""The schema's record of which proposals each member was shown, on the same metadata as `schema`; migration 0015.

The vote page shows one proposal at a time, chosen by the routing. A row here says the card was put in front of
the member; a vote on it may follow or not. Shown-but-unanswered cards are what let `support.selection` tell
whether members answer more often what they agree with (a region's figure inflated by who chose to vote).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, ForeignKeyConstraint, Index, Integer, Table

from consult.storage.schema_base import metadata

proposal_views = Table(
    "proposal_views",
    metadata,
    Column("consultation_id", Integer, nullable=False),
    Column("participant_id", Integer, primary_key=True),
    Column("proposal_id", Integer, primary_key=True),
    Column("shown_ms", BigInteger, nullable=False),  # the first time it was shown
    ForeignKeyConstraint(
        ["participant_id", "consultation_id"], ["participants.id", "participants.consultation_id"],
        ondelete="CASCADE", name="fk_proposal_views_participant_participants",
    ),
    ForeignKeyConstraint(
        ["proposal_id", "consultation_id"], ["proposals.id", "proposals.consultation_id"],
        ondelete="CASCADE", name="fk_proposal_views_proposal_proposals",
    ),
    Index(None, "consultation_id"),
)
