"""Personal data: erasure on request, pseudonyms for exports, and small-cell suppression for regional tables."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, delete, select, update

from consult import storage
from consult.storage import db, tallies
from consult.storage import schema as s

SMALL_CELL = 10
REMOVED_TEXT = "[Removed at the author's request]"
SUPPRESSED_REGION = "Suppressed (region with fewer than 10 voters)"


@dataclass(frozen=True)
class Erasure:
    votes_removed: int
    proposals_anonymised: int
    proposals_removed: int
    votes_on_removed_proposals: int


def pseudonym_salt(consultation: storage.Consultation) -> str:
    return f"{consultation.join_code}:{consultation.created_ms}"


def pseudonym(participant_id: int, salt: str) -> str:
    """A stable pseudonym that cannot be turned back into the database id without the salt."""
    return "P" + hashlib.sha256(f"{salt}:{participant_id}".encode()).hexdigest()[:12]


def find_by_pseudonym(engine: Engine, consultation_id: int, name: str) -> int | None:
    """The participant id behind an export's pseudonym (an officer answering an erasure request), or None."""
    name = name.strip().lower()
    if len(name) != 13 or not name.startswith("p"):
        return None
    salt = pseudonym_salt(storage.get_consultation(engine, consultation_id))
    with engine.connect() as conn:
        ids = conn.execute(select(s.participants.c.id).where(s.participants.c.consultation_id == consultation_id))
        for (participant_id,) in ids:
            if pseudonym(participant_id, salt).lower() == name:
                return participant_id
    return None


def erase_participant(engine: Engine, participant_id: int, *, actor: str, reason: str = "",
                      remove_proposals: bool = False) -> Erasure:
    """Erase a participant in one transaction: their votes and vote history, their registration (token, region,
    constituency, external id), and the link to their proposals, which are anonymised (kept without an author) or,
    with `remove_proposals`, emptied, hidden and stripped of votes. Tallies are rebuilt for every proposal touched.
    """
    p, pr, v, ev = s.participants, s.proposals, s.votes, s.vote_events
    with db.writing(engine) as conn:
        consultation_id = conn.execute(select(p.c.consultation_id).where(p.c.id == participant_id)).scalar()
        if consultation_id is None:
            raise storage.NotFound(f"There is no participant {participant_id} (already erased?).")
        voted_on = set(conn.execute(select(v.c.proposal_id).where(v.c.participant_id == participant_id)).scalars())
        own = list(conn.execute(select(pr.c.id).where(pr.c.author_id == participant_id)).scalars())
        conn.execute(delete(ev).where(ev.c.participant_id == participant_id))
        votes_removed = conn.execute(delete(v).where(v.c.participant_id == participant_id)).rowcount
        others = 0
        if own and remove_proposals:
            others = conn.execute(delete(v).where(v.c.proposal_id.in_(own))).rowcount
            conn.execute(delete(ev).where(ev.c.proposal_id.in_(own)))
            conn.execute(update(pr).where(pr.c.id.in_(own)).values(
                author_id=None, body=REMOVED_TEXT, dedupe_key=None, external_id=None, status="hidden",
                merged_into_id=None, updated_ms=storage.now_ms()))
        elif own:
            conn.execute(update(pr).where(pr.c.id.in_(own)).values(author_id=None, updated_ms=storage.now_ms()))
        conn.execute(delete(p).where(p.c.id == participant_id))
        touched = sorted(voted_on | set(own))
        if touched:
            tallies.rebuild(conn, consultation_id, touched)
        result = Erasure(votes_removed, 0 if remove_proposals else len(own), len(own) if remove_proposals else 0,
                         others)
        storage.audit(conn, consultation_id, actor, "erase", "participant", participant_id, reason=reason,
                    detail=f"{votes_removed} votes removed; {len(own)} proposals "
                           f"{'removed' if remove_proposals else 'anonymised'}")
    return result


def suppress_small_regions(frame: pd.DataFrame, *, region_column: str = "region", person_column: str = "participant",
                           threshold: int = SMALL_CELL) -> pd.DataFrame:
    """Replace the region of people in regions with fewer than `threshold` people in `frame`, so a row-level
    export cannot single out the two members from a small region."""
    people = frame.drop_duplicates(person_column)[region_column].value_counts()
    small = set(people[people < threshold].index)
    out = frame.copy()
    out[region_column] = out[region_column].where(~out[region_column].isin(small), SUPPRESSED_REGION)
    return out
