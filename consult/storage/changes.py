"""What members may see changed: a per-consultation version in the database, and in-process listeners.

Every change to what a member may see (a proposal published, hidden, merged or erased) bumps the
consultation's `visibility_version` inside the same transaction. Caches of member-visible data are keyed by
that version, so every app server drops a hidden proposal at its next read, not after a timeout; listeners
(the app's caches, the moderation-flag cache) are told after the commit so this process also forgets the
old text at once.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, Engine, bindparam, select, update

from consult.storage import schema as s
from consult.storage.plain_reads import fetch_rows

_LISTENERS: list[Callable[[set[int]], None]] = []
PENDING_KEY = "consult_changed"


def subscribe(listener: Callable[[set[int]], None]) -> None:
    """Call `listener(consultation_ids)` after every committed change to what members may see."""
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)


def bump(conn: Connection, consultation_id: int) -> None:
    """Inside a write transaction: members' view of this consultation changes when it commits."""
    conn.execute(update(s.consultations).where(s.consultations.c.id == consultation_id)
                 .values(visibility_version=s.consultations.c.visibility_version + 1))
    conn.info.setdefault(PENDING_KEY, set()).add(int(consultation_id))


def notify(consultation_ids: set[int]) -> None:
    for listener in list(_LISTENERS):
        listener(set(consultation_ids))


_VERSION = select(s.consultations.c.visibility_version).where(s.consultations.c.id == bindparam("consultation_id"))


def version(engine: Engine, consultation_id: int) -> int:
    """The current visibility version (one indexed read; cache keys include it)."""
    rows = fetch_rows(engine, _VERSION, {"consultation_id": consultation_id})
    return int(rows[0][0]) if rows else 0
