"""The schema's membership-roll tables, on the same metadata as `schema`; migration 0006 creates them."""

from __future__ import annotations

from sqlalchemy import BigInteger, CheckConstraint, Column, ForeignKey, Index, Integer, String, Table

from consult.storage.schema_base import metadata

# The party's membership roll, as little of it as verification needs: keyed hashes (server secret) of the
# normalised membership number and verifier (postcode, date of birth, ...), never the raw values; the region
# and local party the record gives. A re-load replaces every row in one transaction.
members = Table(
    "members",
    metadata,
    Column("number_hash", String(64), primary_key=True),
    Column("verifier_hash", String(64), nullable=False),
    Column("region", ForeignKey("regions.code"), nullable=False),
    Column("local_party", String(120)),
    Column("branch", String(120)),
    Index(None, "region"),
)

# One row describing the loaded roll (what the verifier is called, when and from what it was loaded).
roll_info = Table(
    "roll_info",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("verifier_label", String(40), nullable=False),
    Column("members", Integer, nullable=False),
    Column("source_name", String(200), nullable=False, server_default=""),
    Column("loaded_ms", BigInteger, nullable=False),
    CheckConstraint("id = 1", name="single_row"),
)
