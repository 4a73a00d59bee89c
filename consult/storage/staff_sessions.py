"""Staff sessions shared by every app server: started at sign-in, checked on every page and fragment run, ended
after the idle time or at sign-out.

The browser holds a random session id (a cookie); the table holds only its SHA-256, so the database alone cannot be
used to take over a session. A session is live while `ended_ms` is NULL and it was seen within the idle time; the
first check after that ends it, so a fragment left running in a forgotten tab stops acting for the account.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import Engine, delete, select, update

from consult.storage import db
from consult.storage import schema as s
from consult.storage.records import now_ms

TOUCH_EVERY_MS = 15_000  # last_seen is written at most this often (a fragment checks every few seconds)
ENDED_ROWS_KEPT_MS = 7 * 86_400_000


@dataclass(frozen=True)
class StaffSession:
    account: str
    role: str


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def start(engine: Engine, account: str, role: str) -> str:
    """A new session for `account`; returns the id for the browser's cookie."""
    session_id = secrets.token_urlsafe(32)
    stamp = now_ms()
    t = s.staff_sessions
    with db.writing(engine) as conn:
        conn.execute(delete(t).where(t.c.last_seen_ms < stamp - ENDED_ROWS_KEPT_MS))
        conn.execute(t.insert().values(id_hash=_hash(session_id), account=account[:120], role=role,
                                       created_ms=stamp, last_seen_ms=stamp))
    return session_id


def check(engine: Engine, session_id: str | None, idle_minutes: float, *, now: int | None = None,
          touch: bool = True) -> StaffSession | None:
    """The live session behind `session_id`, or None: unknown, ended, or idle too long (then it is ended here).
    With `touch` the check counts as activity (a page the person opened, a button they pressed); a fragment that
    refreshes itself checks without touching, so an open tab alone never keeps a session alive."""
    if not session_id or len(session_id) > 100:
        return None
    stamp = now_ms() if now is None else now
    t = s.staff_sessions
    key = _hash(session_id)
    with engine.connect() as conn:
        row = conn.execute(select(t.c.account, t.c.role, t.c.last_seen_ms, t.c.ended_ms)
                           .where(t.c.id_hash == key)).first()
    if row is None or row.ended_ms is not None:
        return None
    if stamp - row.last_seen_ms > idle_minutes * 60_000:
        end(engine, session_id, now=stamp)
        return None
    if touch and stamp - row.last_seen_ms > min(TOUCH_EVERY_MS, idle_minutes * 60_000 / 4):
        with db.writing(engine) as conn:
            conn.execute(update(t).where(t.c.id_hash == key, t.c.ended_ms.is_(None)).values(last_seen_ms=stamp))
    return StaffSession(row.account, row.role)


def end(engine: Engine, session_id: str | None, *, now: int | None = None) -> None:
    if not session_id:
        return
    t = s.staff_sessions
    with db.writing(engine) as conn:
        conn.execute(update(t).where(t.c.id_hash == _hash(session_id), t.c.ended_ms.is_(None))
                     .values(ended_ms=now_ms() if now is None else now))
