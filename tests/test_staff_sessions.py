"""Staff sessions: survive a reload (the browser keeps the id), end when idle wherever they are open, and a
self-refreshing fragment is not activity."""

from __future__ import annotations

from sqlalchemy import select

from consult.storage import schema as s
from consult.storage import staff_sessions


def test_a_session_lives_while_used_and_ends_when_idle(engine):
    session_id = staff_sessions.start(engine, "fran", "facilitator")
    with engine.connect() as conn:  # only a hash of the id is stored
        stored = conn.execute(select(s.staff_sessions.c.id_hash)).scalars().all()
    assert session_id not in stored
    t0 = staff_sessions.check(engine, session_id, 1.0)
    assert t0 == staff_sessions.StaffSession("fran", "facilitator")
    with engine.connect() as conn:
        seen = conn.execute(select(s.staff_sessions.c.last_seen_ms)).scalar()
    # used every 50 s for five minutes: still signed in
    for step in range(1, 7):
        assert staff_sessions.check(engine, session_id, 1.0, now=seen + step * 50_000) is not None
    # a fragment refreshing itself for two minutes is not activity: the session ends
    last = seen + 6 * 50_000
    for step in range(1, 40):
        result = staff_sessions.check(engine, session_id, 1.0, now=last + step * 3_000, touch=False)
    assert result is None
    assert staff_sessions.check(engine, session_id, 1.0, now=last + 130_000) is None  # ended, stays ended


def test_unknown_and_ended_sessions_are_refused(engine):
    assert staff_sessions.check(engine, "made-up", 30) is None
    assert staff_sessions.check(engine, None, 30) is None and staff_sessions.check(engine, "x" * 500, 30) is None
    session_id = staff_sessions.start(engine, "olivia", "officer")
    staff_sessions.end(engine, session_id)
    assert staff_sessions.check(engine, session_id, 30) is None
