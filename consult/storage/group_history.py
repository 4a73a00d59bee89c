"""A consultation's opinion groups as last shown: loaded before an update, saved after it (schema_groups).

`current_groups` is the one way the app, the report, the question cross-tabs and the Polis export get a
consultation's opinion groups: the groups carried over from the last update (consult.opinion.carry_over). The
app's refresh saves its fit as the new last update (`save=True`); the report and the exports fit with a copy of the
stored state and leave it as it was, so they name the groups as the page does.

Two servers may refresh at once: a save is written only if nobody saved since its state was loaded (compare and
set on `updated_ms`); otherwise the other server's update stands and this one's is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, and_, delete, select, update
from sqlalchemy.exc import IntegrityError

from consult.opinion.carry_over import GroupHistory, KSmoother
from consult.opinion.groups import OpinionGroups
from consult.storage import db
from consult.storage import schema as s
from consult.storage.records import now_ms


@dataclass
class StoredHistory:
    history: GroupHistory
    updated_ms: int | None  # None: no update saved yet


def _which(table, consultation_id: int, verified_only: bool):
    return and_(table.c.consultation_id == consultation_id, table.c.verified_only == verified_only)


def load(engine: Engine, consultation_id: int, verified_only: bool = False) -> StoredHistory:
    """The state the last saved update left (a fresh history when there is none)."""
    updates, members = s.opinion_group_updates, s.opinion_group_members
    with db.reading(engine) as conn:
        row = conn.execute(select(updates).where(_which(updates, consultation_id, verified_only))).first()
        if row is None:
            return StoredHistory(GroupHistory(), None)
        placed = conn.execute(select(members.c.participant_id, members.c.group_number)
                              .where(_which(members, consultation_id, verified_only))).all()
    previous = pd.Series([number for _, number in placed], index=pd.Index([pid for pid, _ in placed],
                                                                          name="participant_id"), dtype="int64")
    smoother = KSmoother(current=row.k, candidate=row.candidate_k, streak=row.streak)
    return StoredHistory(GroupHistory(smoother=smoother, previous=previous), row.updated_ms)


def save(engine: Engine, consultation_id: int, verified_only: bool, history: GroupHistory, *,
         loaded_ms: int | None) -> bool:
    """Store `history` as the last update, unless another update was saved since `loaded_ms` (then False)."""
    updates, members = s.opinion_group_updates, s.opinion_group_members
    smoother, previous = history.smoother, history.previous
    if smoother.current is None or previous is None:
        return False
    state = {"k": smoother.current, "candidate_k": smoother.candidate, "streak": smoother.streak,
             "updated_ms": max(now_ms(), (loaded_ms or 0) + 1)}
    try:
        with db.writing(engine) as conn:
            where = _which(updates, consultation_id, verified_only)
            if loaded_ms is None:
                conn.execute(updates.insert().values(consultation_id=consultation_id, verified_only=verified_only,
                                                     **state))
            elif not conn.execute(update(updates).where(where, updates.c.updated_ms == loaded_ms)
                                  .values(**state)).rowcount:
                return False
            conn.execute(delete(members).where(_which(members, consultation_id, verified_only)))
            # only participants still registered: one erased since the fit has no row to point at
            present = set(conn.execute(select(s.participants.c.id).where(
                s.participants.c.consultation_id == consultation_id)).scalars())
            db.bulk_insert(conn, members, ["consultation_id", "verified_only", "participant_id", "group_number"],
                           [(consultation_id, verified_only, int(pid), int(number))
                            for pid, number in previous.items() if int(pid) in present])
    except IntegrityError:  # another server saved the first update at the same moment
        return False
    return True


def current_groups(engine: Engine, consultation_id: int, votes: pd.DataFrame, *, verified_only: bool = False,
                   save_update: bool = False, **settings) -> OpinionGroups:
    """The consultation's opinion groups on `votes`, carried over from the last update: with `save_update` this
    fit becomes the last update (the app's refresh); without, the stored state is left as it was."""
    stored = load(engine, consultation_id, verified_only)
    history = stored.history if save_update else stored.history.copy()
    model = OpinionGroups(history=history, **settings).fit(votes)
    if save_update and model.k_:
        save(engine, consultation_id, verified_only, history, loaded_ms=stored.updated_ms)
    return model
