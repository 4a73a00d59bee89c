"""Which proposals each member was shown on the vote page: the first time only, one row per member and proposal."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError

from consult.storage import db
from consult.storage import schema as s
from consult.storage.errors import retry_on_disconnect
from consult.storage.participants import participant_counts
from consult.storage.records import now_ms


@retry_on_disconnect
def record_shown(engine: Engine, participant_id: int, proposal_id: int, consultation_id: int) -> bool:
    """Note that the member was shown the proposal (a later showing keeps the first time); False when either is
    gone or either is not of `consultation_id`: a card on screen is no reason to fail the page.

    One insert, no read first (this runs for every card a member is shown): the table's foreign keys pair the
    member and the proposal each with the consultation, so a mismatch cannot be stored and is refused here."""
    try:
        with db.writing(engine) as conn:
            conn.execute(db.insert_ignoring(conn, s.proposal_views, ("participant_id", "proposal_id")),
                         [{"consultation_id": consultation_id, "participant_id": participant_id,
                           "proposal_id": proposal_id, "shown_ms": now_ms()}])
    except IntegrityError:
        return False
    return True


def shown_frame(engine: Engine, consultation_id: int) -> pd.DataFrame:
    """participant_id, proposal_id, region (the member's): every card shown to a member who counts."""
    views = s.proposal_views
    query = (
        select(views.c.participant_id, views.c.proposal_id, s.participants.c.region)
        .join(s.participants, s.participants.c.id == views.c.participant_id)
        .join(s.consultations, s.consultations.c.id == views.c.consultation_id)
        .where(views.c.consultation_id == consultation_id, participant_counts())
    )
    with engine.connect() as conn:
        frame = pd.read_sql(query, conn)
    return frame.astype({"participant_id": "int64", "proposal_id": "int64"})
