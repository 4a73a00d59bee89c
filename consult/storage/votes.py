"""Votes: one current vote per member and proposal, every change logged, tallies kept in the same transaction."""

from __future__ import annotations

from sqlalchemy import Engine, and_, bindparam, select

from consult.storage import db, tallies
from consult.storage import schema as s
from consult.storage.consultations import VOTING_PHASES
from consult.storage.errors import NotFound, Refused, StoreError, retry_on_disconnect
from consult.storage.participants import MEMBERS_ONLY_NOW
from consult.storage.plain_reads import fetch_rows
from consult.storage.records import now_ms

VOTE_VALUES = {1: "agree", -1: "disagree", 0: "pass"}


# Votes on one proposal take turns (PostgreSQL row lock; SQLite's single writer does the same): the tally
# refresh reads the other regions' rows, and two members in different regions voting at once would otherwise
# each write a total that misses the other's vote. NO KEY UPDATE leaves foreign-key checks unblocked.
_VOTE_TARGET = (
    select(s.proposals.c.consultation_id, s.proposals.c.status, s.consultations.c.phase, s.consultations.c.access)
    .join(s.consultations, s.consultations.c.id == s.proposals.c.consultation_id)
    .where(s.proposals.c.id == bindparam("proposal_id"))
    .with_for_update(key_share=True, of=s.proposals)
)
# the voter and their current vote on the proposal (None: a first vote), in one read
_VOTER = (
    select(s.participants.c.consultation_id, s.participants.c.region, s.participants.c.verified,
           s.votes.c.value.label("current"))
    .select_from(s.participants.outerjoin(s.votes, and_(s.votes.c.participant_id == s.participants.c.id,
                                                        s.votes.c.proposal_id == bindparam("proposal_id"))))
    .where(s.participants.c.id == bindparam("participant_id"))
)
_VOTE_EVENT = s.vote_events.insert()


def _current_vote_update(stmt):
    return {"value": stmt.excluded.value, "updated_ms": stmt.excluded.updated_ms}


@retry_on_disconnect
def cast_vote(engine: Engine, participant_id: int, proposal_id: int, value: int) -> None:
    """Record a vote (+1 agree, -1 disagree, 0 pass): it replaces the current one and is logged as an event."""
    if value not in VOTE_VALUES:
        raise StoreError("A vote is agree (+1), disagree (-1) or pass (0).")
    stamp = now_ms()
    with db.writing(engine) as conn:
        row = conn.execute(_VOTE_TARGET, {"proposal_id": proposal_id}).first()
        if row is None:
            raise NotFound("That proposal no longer exists.")
        if row.status != "published":
            raise Refused("That proposal is not open for votes (it may have been moderated or merged).")
        if row.phase not in VOTING_PHASES:
            raise Refused("Voting is closed in this consultation.")
        voter = conn.execute(_VOTER, {"participant_id": participant_id, "proposal_id": proposal_id}).first()
        if voter is None or voter.consultation_id != row.consultation_id:
            raise NotFound("You are not registered in this consultation; please join again.")
        if row.access == "members" and not voter.verified:
            raise Refused(MEMBERS_ONLY_NOW)
        old = voter.current
        values = {"consultation_id": row.consultation_id, "participant_id": participant_id,
                  "proposal_id": proposal_id, "value": value}
        conn.execute(db.upsert(conn, s.votes, ("participant_id", "proposal_id"), _current_vote_update),
                     [values | {"updated_ms": stamp}])
        conn.execute(_VOTE_EVENT, [values | {"created_ms": stamp}])
        tallies.apply_vote(conn, row.consultation_id, proposal_id, voter.region, old, value)


_MY_VOTES = select(s.votes.c.proposal_id, s.votes.c.value).where(s.votes.c.participant_id == bindparam("participant_id"))


def participant_votes(engine: Engine, participant_id: int) -> dict[int, int]:
    """proposal_id -> current vote for one participant."""
    return dict(fetch_rows(engine, _MY_VOTES, {"participant_id": participant_id}))
