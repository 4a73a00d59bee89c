"""Reading a consultation as frames for analysis and staff pages, and its headline counts."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Engine, bindparam, func, select

from consult.storage import schema as s
from consult.storage.participants import participant_counts
from consult.storage.plain_reads import fetch_rows


def _votes_query(consultation_id, *, published_only: bool, verified_only: bool):
    query = (
        select(s.votes.c.participant_id, s.votes.c.proposal_id, s.votes.c.value, s.votes.c.updated_ms,
               s.participants.c.region)
        .join(s.participants, s.participants.c.id == s.votes.c.participant_id)
        .join(s.consultations, s.consultations.c.id == s.votes.c.consultation_id)
        .where(s.votes.c.consultation_id == consultation_id, participant_counts())
    )
    if published_only:
        query = query.join(s.proposals, s.proposals.c.id == s.votes.c.proposal_id).where(
            s.proposals.c.status == "published"
        )
    if verified_only:
        query = query.where(s.participants.c.verified.is_(True))
    return query


def votes_frame(engine: Engine, consultation_id: int, *, published_only: bool = False,
                verified_only: bool = False, changed_since_ms: int | None = None) -> pd.DataFrame:
    """Current votes: participant_id, proposal_id, value, updated_ms, region (the voter's); `verified_only`
    keeps the votes of members verified against the roll; `changed_since_ms` only those cast or changed at or
    after that time."""
    statement = _votes_statement(published_only, verified_only, changed_since_ms is not None)
    params = {"consultation_id": consultation_id}
    if changed_since_ms is not None:
        params["since_ms"] = changed_since_ms
    rows = fetch_rows(engine, statement, params)
    # columns built straight from the rows: a frame through pandas' SQL reader and a cast took 4 ms for a few rows,
    # and app servers read the votes changed since their last read every few seconds
    participant, proposal, value, updated, region = zip(*rows, strict=True) if rows else ((),) * 5
    return pd.DataFrame({"participant_id": np.array(participant, dtype="int64"),
                         "proposal_id": np.array(proposal, dtype="int64"), "value": np.array(value, dtype="int8"),
                         "updated_ms": np.array(updated, dtype="int64"),
                         "region": pd.array(region, dtype="str" if rows else object)})


# statements built once (for `plain_reads.fetch_rows`), by (published only, verified only, changed since)
_VOTES_STATEMENTS: dict[tuple[bool, bool, bool], object] = {}


def _votes_statement(published_only: bool, verified_only: bool, changed_since: bool):
    key = (published_only, verified_only, changed_since)
    if key not in _VOTES_STATEMENTS:
        statement = _votes_query(bindparam("consultation_id"), published_only=published_only,
                                 verified_only=verified_only)
        if changed_since:
            statement = statement.where(s.votes.c.updated_ms >= bindparam("since_ms"))
        _VOTES_STATEMENTS[key] = statement
    return _VOTES_STATEMENTS[key]


def votes_fingerprint(engine: Engine, consultation_id: int, before_ms: int, *, after_ms: int | None = None,
                      published_only: bool = False, verified_only: bool = False) -> tuple[int, int]:
    """Of the votes `votes_frame` would read, those stamped before `before_ms` (and at or after `after_ms`): how
    many, and the sum of how long before `before_ms` each was stamped. A copy holding the same rows has the same
    two numbers; a vote it missed (a late commit) or holds in an older state (a change since) moves at least one
    (stamps only grow)."""
    return stamp_fingerprint(engine, _votes_query(consultation_id, published_only=published_only,
                                                  verified_only=verified_only), s.votes.c.updated_ms, before_ms,
                             after_ms=after_ms)


def stamp_fingerprint(engine: Engine, query, stamp, before_ms: int, *, after_ms: int | None = None) -> tuple[int, int]:
    """(rows of `query` with `stamp` in [`after_ms`, `before_ms`), the sum of `before_ms - stamp` over them): one
    aggregate read instead of the rows (sums of ages, not of stamps, stay far inside 64 bits)."""
    rows = query.where(stamp < before_ms, *([] if after_ms is None else [stamp >= after_ms])).subquery()
    age = before_ms - rows.c[stamp.name]
    with engine.connect() as conn:
        found = conn.execute(select(func.count(), func.coalesce(func.sum(age), 0)).select_from(rows)).one()
    return int(found[0]), int(found[1])


def vote_events_frame(engine: Engine, consultation_id: int) -> pd.DataFrame:
    query = select(s.vote_events).where(s.vote_events.c.consultation_id == consultation_id).order_by(
        s.vote_events.c.id
    )
    with engine.connect() as conn:
        return pd.read_sql(query, conn)


def proposals_frame(engine: Engine, consultation_id: int, statuses: tuple[str, ...] | None = None) -> pd.DataFrame:
    query = select(
        s.proposals.c.id, s.proposals.c.author_id, s.proposals.c.region, s.proposals.c.tier, s.proposals.c.body,
        s.proposals.c.status, s.proposals.c.merged_into_id, s.proposals.c.is_seed, s.proposals.c.is_meta,
        s.proposals.c.external_id, s.proposals.c.created_ms,
    ).where(s.proposals.c.consultation_id == consultation_id).order_by(s.proposals.c.id)
    if statuses:
        query = query.where(s.proposals.c.status.in_(statuses))
    with engine.connect() as conn:
        return pd.read_sql(query, conn)


def participants_frame(engine: Engine, consultation_id: int, *, verified_only: bool = False) -> pd.DataFrame:
    """The participants who count (`participants.participant_counts`): in a members-only consultation, verified
    ones only."""
    query = select(
        s.participants.c.id, s.participants.c.region, s.participants.c.constituency, s.participants.c.channel,
        s.participants.c.verified, s.participants.c.external_id, s.participants.c.created_ms,
    ).join(s.consultations, s.consultations.c.id == s.participants.c.consultation_id).where(
        s.participants.c.consultation_id == consultation_id, participant_counts()).order_by(s.participants.c.id)
    if verified_only:
        query = query.where(s.participants.c.verified.is_(True))
    with engine.connect() as conn:
        return pd.read_sql(query, conn)


@dataclass(frozen=True)
class Counts:
    participants: int
    proposals: int
    published: int
    pending: int
    votes: int
    unverified: int = 0  # participants not verified against the membership roll


def counts(engine: Engine, consultation_id: int) -> Counts:
    """Headline counts in one round trip (cheap enough for a live view)."""
    p, pr, v = s.participants, s.proposals, s.votes
    query = select(
        select(func.count()).where(p.c.consultation_id == consultation_id).scalar_subquery(),
        select(func.count()).where(pr.c.consultation_id == consultation_id).scalar_subquery(),
        select(func.count()).where(pr.c.consultation_id == consultation_id, pr.c.status == "published")
        .scalar_subquery(),
        select(func.count()).where(pr.c.consultation_id == consultation_id, pr.c.status == "pending")
        .scalar_subquery(),
        select(func.count()).where(v.c.consultation_id == consultation_id).scalar_subquery(),
        select(func.count()).where(p.c.consultation_id == consultation_id, p.c.verified.is_(False))
        .scalar_subquery(),
    )
    with engine.connect() as conn:
        return Counts(*conn.execute(query).one())
