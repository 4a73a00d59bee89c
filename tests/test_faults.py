"""Faults: writers killed with SIGKILL mid-burst lose no acknowledged write; a dropped PostgreSQL connection is
recovered without losing the member's write."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import create_engine, event, select, text
from sqlalchemy.pool import NullPool

from consult import storage
from consult.storage import db, tallies
from consult.storage import errors as storage_errors
from consult.storage import schema as s

WRITER = Path(__file__).with_name("fault_writer.py")


def _stats(engine, consultation_id: int) -> pd.DataFrame:
    with engine.connect() as conn:
        return pd.read_sql(select(s.proposal_stats).where(s.proposal_stats.c.consultation_id == consultation_id)
                           .order_by(s.proposal_stats.c.proposal_id), conn)


def _acks(paths: list[Path]) -> tuple[set[int], set[int], dict[tuple[int, int], int]]:
    people, proposals, votes = set(), set(), {}
    for path in paths:
        for line in path.read_text().splitlines():
            kind, *numbers = line.split()
            if kind == "P":
                people.add(int(numbers[0]))
            elif kind == "S":
                proposals.add(int(numbers[0]))
            elif kind == "V" and len(numbers) == 3:
                votes[(int(numbers[0]), int(numbers[1]))] = int(numbers[2])
    return people, proposals, votes


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_sigkill_mid_burst_keeps_every_acknowledged_write(request, tmp_path, backend):
    url = request.getfixturevalue("sqlite_url" if backend == "sqlite" else "postgres_database_url")
    engine = db.make_engine(url)
    storage.init_db(engine)
    consultation = storage.create_consultation(engine, title="Kill test", question="Q?", min_chars=5,
                                             max_proposals_per_participant=100)
    outputs = [tmp_path / f"writer{i}.log" for i in range(4)]
    writers = []
    for seed, path in enumerate(outputs):
        with path.open("w") as out:
            writers.append(subprocess.Popen([sys.executable, str(WRITER), url, str(consultation.id), str(seed)],
                                            stdout=out, stderr=subprocess.STDOUT))
    deadline = time.monotonic() + 60
    while sum(len(p.read_text().splitlines()) for p in outputs) < 300 and time.monotonic() < deadline:
        if any(w.poll() is not None for w in writers):
            pytest.fail("a writer stopped by itself: " + "".join(p.read_text()[-500:] for p in outputs))
        time.sleep(0.2)
    for writer in writers:
        os.kill(writer.pid, signal.SIGKILL)
    for writer in writers:
        writer.wait(10)
    engine.dispose()

    people, proposals, votes = _acks(outputs)
    assert len(people) >= 4 and len(votes) >= 100
    engine = db.make_engine(url)  # a restarted server opens the database afresh
    if backend == "sqlite":
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    stored_people = set(storage.participants_frame(engine, consultation.id)["id"])
    stored_proposals = set(storage.proposals_frame(engine, consultation.id)["id"])
    current = storage.votes_frame(engine, consultation.id).set_index(["participant_id", "proposal_id"])["value"]
    assert people <= stored_people
    assert proposals <= stored_proposals
    assert all(current.get(key) == value for key, value in votes.items()), "an acknowledged vote was lost"
    assert not current.index.duplicated().any()
    # the running tallies agree with the votes that survived, write for write
    running = _stats(engine, consultation.id)
    with db.writing(engine) as conn:
        tallies.rebuild(conn, consultation.id)
    pd.testing.assert_frame_equal(running, _stats(engine, consultation.id), check_exact=False, rtol=1e-9)
    # and the database takes new writes at once
    member = storage.add_participant(engine, consultation.id, region="E12000003")
    storage.cast_vote(engine, member.id, next(iter(proposals)), 1)
    engine.dispose()


def _terminate(admin, pid: int | None = None) -> int:
    """Kill one PostgreSQL backend, or every other one on this database (a failover or a restart)."""
    with admin.connect() as conn:
        if pid is not None:
            return int(conn.execute(text("SELECT pg_terminate_backend(:pid)::int"), {"pid": pid}).scalar())
        return int(conn.execute(text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()")).scalar())


def test_postgres_connection_drop_is_recovered(postgres_engine, postgres_database_url):
    engine = postgres_engine
    admin = create_engine(postgres_database_url, poolclass=NullPool)
    consultation = storage.create_consultation(engine, title="Drop test", question="Q?", min_chars=5)
    member = storage.add_participant(engine, consultation.id, region="E12000004")
    first = storage.add_proposal(engine, consultation.id, body="Buses run by the region", author_id=None, is_seed=True)
    storage.cast_vote(engine, member.id, first.id, 1)

    # 1. between actions: the pooled connections die; the next action reconnects (pre-ping)
    assert _terminate(admin) >= 1
    storage.cast_vote(engine, member.id, first.id, -1)

    # 2. during an action: the connection dies just before the member's write is sent
    killed = []

    @event.listens_for(engine, "before_cursor_execute")
    def drop_once(conn, cursor, statement, *_):
        if not killed and statement.lstrip().upper().startswith("INSERT INTO PROPOSALS"):
            killed.append(_terminate(admin, conn.connection.dbapi_connection.info.backend_pid))
            time.sleep(0.2)

    try:
        saved = storage.add_proposal(engine, consultation.id, body="Regional assemblies elected by STV",
                                   author_id=member.id)
    finally:
        event.remove(engine, "before_cursor_execute", drop_once)
    assert killed == [1]
    assert storage.get_proposal(engine, saved.id).body == "Regional assemblies elected by STV"
    bodies = storage.proposals_frame(engine, consultation.id)["body"].tolist()
    assert bodies.count("Regional assemblies elected by STV") == 1
    assert storage.participant_votes(engine, member.id) == {first.id: -1}
    admin.dispose()


def test_a_database_that_stays_down_gives_a_clear_message(monkeypatch, sqlite_engine):
    from sqlalchemy.exc import OperationalError

    consultation = storage.create_consultation(sqlite_engine, title="Down", question="Q?", min_chars=5)
    monkeypatch.setattr(storage_errors, "RECONNECT_DELAYS", (0.0,))
    calls = []

    def always_dropped(*_args, **_kwargs):
        calls.append(1)
        raise OperationalError("INSERT", {}, Exception("server closed the connection"), connection_invalidated=True)

    monkeypatch.setattr(storage.db, "writing", always_dropped)
    with pytest.raises(storage.Unavailable, match="Your text is still here"):
        storage.add_proposal(sqlite_engine, consultation.id, body="This will not be saved today", author_id=None)
    assert len(calls) == 2  # the first try and one retry
