"""Which proposals each member was shown on the vote page: the first time only, one row per member and proposal."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, bindparam, select

from consult.storage import db
from consult.storage import schema as s
from consult.storage.errors import retry_on_disconnect
from consult.storage.participants import counted
from consult.storage.records import now_ms

# both rows in one read, built once: this runs for every card a member is shown
_BOTH = (select(s.proposals.c.consultation_id)
         .join(s.participants, s.participants.c.consultation_id == s.proposals.c.consultation_id)
         .where(s.proposals.c.id == bindparam("proposal_id"), s.participants.c.id == bindparam("participant_id")))


@retry_on_disconnect
def record_shown(engine: Engine, participant_id: int, proposal_id: int) -> bool:
    """Note that the member was shown the proposal (a later showing keeps the first time); False when either is
    gone or they belong to different consultations: a card on screen is no reason to fail the page."""
    with db.writing(engine) as conn:
        consultation_id = conn.execute(_BOTH, {"proposal_id": proposal_id, "participant_id": participant_id}).scalar()
        if consultation_id is None:
            return False
        conn.execute(db.insert_ignoring(conn, s.proposal_views, ("participant_id", "proposal_id")),
                     [{"consultation_id": consultation_id, "participant_id": participant_id,
                       "proposal_id": proposal_id, "shown_ms": now_ms()}])
    return True


def shown_frame(engine: Engine, consultation_id: int) -> pd.DataFrame:
    """participant_id, proposal_id, region (the member's): every card shown to a member who counts."""
    views = s.proposal_views
    query = (
        select(views.c.participant_id, views.c.proposal_id, s.participants.c.region)
        .join(s.participants, s.participants.c.id == views.c.participant_id)
        .join(s.consultations, s.consultations.c.id == views.c.consultation_id)
        .where(views.c.consultation_id == consultation_id, counted())
    )
    with engine.connect() as conn:
        frame = pd.read_sql(query, conn)
    return frame.astype({"participant_id": "int64", "proposal_id": "int64"})
