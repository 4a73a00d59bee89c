"""The schema's ballot tables, on the same metadata as `schema`; migration 0010 creates them.

Secrecy by construction: `ballot_papers` holds what was marked, a hash of the voter's receipt, the region the roll
gives (for results by region, suppressed when small) and the day, and nothing else: no participant id, no member
key, no time finer than the day, no sequence number. Who has voted is `ballot_voters`, keyed by the member key, with
no time at all. Both are written in one transaction (so a paper is never cast without its voter recorded, nor the
reverse), and nothing in the schema relates a row of one to a row of the other. On SQLite both tables are stored
in primary-key order (WITHOUT ROWID), so not even the file's row order follows the order of casting; on PostgreSQL
rows are read and published in receipt-hash order (a database superuser reading the raw heap is outside what the
application can promise).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, CheckConstraint, Column, Float, ForeignKey, Integer, String, Table, Text

from consult.storage.schema_base import metadata
from consult.storage.schema_base import one_of as _one_of

BALLOT_KINDS = ("motion", "preferential", "budget")
BALLOT_STATUSES = ("draft", "open", "closed")

ballots = Table(
    "ballots",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("consultation_id", ForeignKey("consultations.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("title", String(300), nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("status", String(8), nullable=False, server_default="draft"),
    Column("seats", Integer, nullable=False, server_default="1"),
    Column("majority", String(12), nullable=False, server_default="simple"),
    Column("quorum_share", Float),
    Column("quorum_count", Integer),
    Column("budget", BigInteger),
    Column("max_approvals", Integer),
    # scope: comma-separated ITL1 region codes / local-party names from the roll; empty means the whole party
    Column("scope_regions", Text, nullable=False, server_default=""),
    Column("scope_local_parties", Text, nullable=False, server_default=""),
    Column("eligible_count", Integer),
    Column("seed", Integer, nullable=False, server_default="0"),
    Column("meeting", Integer, nullable=False, server_default="0"),  # shown on the presenter when 1
    Column("created_by", String(120), nullable=False, server_default=""),
    Column("opens_ms", BigInteger),  # a scheduled opening (a draft opens by itself then)
    Column("opened_ms", BigInteger),
    Column("closes_ms", BigInteger),
    Column("closed_ms", BigInteger),
    CheckConstraint(_one_of("kind", BALLOT_KINDS), name="kind"),
    CheckConstraint(_one_of("status", BALLOT_STATUSES), name="status"),
    CheckConstraint("seats >= 1", name="seats"),
    CheckConstraint("length(title) >= 1", name="title"),
    CheckConstraint("budget IS NULL OR budget > 0", name="budget"),
    CheckConstraint("quorum_share IS NULL OR (quorum_share >= 0 AND quorum_share <= 1)", name="quorum_share"),
    CheckConstraint("opens_ms IS NULL OR closes_ms IS NULL OR closes_ms > opens_ms", name="schedule"),
)

ballot_options = Table(
    "ballot_options",
    metadata,
    Column("ballot_id", ForeignKey("ballots.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("label", String(500), nullable=False),
    Column("cost", BigInteger),
    Column("proposal_id", Integer),
    CheckConstraint("cost IS NULL OR cost >= 0", name="cost"),
    CheckConstraint("length(label) >= 1", name="label"),
)

def _members_of_ballot(name: str) -> Table:
    """A set of member keys per ballot, stored in key order."""
    return Table(name, metadata,
                 Column("ballot_id", ForeignKey("ballots.id", ondelete="CASCADE"), primary_key=True),
                 Column("member_key", String(64), primary_key=True),
                 sqlite_with_rowid=False)


# who may vote, fixed when the ballot opens: the member keys of the roll's members in scope at that moment
ballot_eligible = _members_of_ballot("ballot_eligible")
# who has voted (never how): written in the transaction that writes their paper
ballot_voters = _members_of_ballot("ballot_voters")

ballot_papers = Table(
    "ballot_papers",
    metadata,
    Column("ballot_id", ForeignKey("ballots.id", ondelete="CASCADE"), primary_key=True),
    Column("receipt_hash", String(64), primary_key=True),
    Column("marks", Text, nullable=False),  # motion: for/against/abstain; else option positions, comma-separated
    Column("region", String(16)),
    Column("local_party", String(120)),
    Column("cast_day", String(10), nullable=False),  # YYYY-MM-DD: no finer time is kept
    sqlite_with_rowid=False,
)
