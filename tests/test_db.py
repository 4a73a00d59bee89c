"""Engines, the database URL, and migrations."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from consult import storage
from consult.storage import db
from consult.storage.schema import metadata


def test_sqlite_runs_in_wal_with_foreign_keys_and_busy_timeout(sqlite_engine):
    with sqlite_engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == db.SQLITE_BUSY_TIMEOUT_MS


def test_in_memory_sqlite_is_refused_with_a_reason():
    with pytest.raises(ValueError, match="in-memory"):
        db.make_engine("sqlite:///:memory:")


def test_migrations_build_exactly_the_declared_schema(engine):
    assert db.current_revision(engine) == "0016"
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diffs == []


def test_upgrade_twice_is_harmless(sqlite_engine):
    db.upgrade(sqlite_engine)
    assert db.has_schema(sqlite_engine)


def test_database_url_precedence(tmp_path, monkeypatch):
    secrets = tmp_path / "secrets.toml"
    monkeypatch.delenv("CONSULT_DATABASE_URL", raising=False)
    assert db.database_url(secrets).startswith("sqlite:///") and db.database_url(secrets).endswith("consult.db")
    secrets.write_text('[connections.consult]\nurl = "postgresql+psycopg://u@h/db"\n')
    assert db.database_url(secrets) == "postgresql+psycopg://u@h/db"
    monkeypatch.setenv("CONSULT_DATABASE_URL", "sqlite:////tmp/x.db")
    assert db.database_url(secrets) == "sqlite:////tmp/x.db"


def test_upgrading_a_database_with_data_keeps_every_row(tmp_path):
    """SQLite rebuilds a table to alter it; with foreign keys on, dropping the old consultations table would
    cascade-delete everything that refers to it. Every row must survive every migration."""
    from sqlalchemy import func, select

    from consult.storage import schema as s

    engine = db.make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    db.upgrade(engine, "0003")
    storage.sync_reference_data(engine)
    with db.writing(engine) as conn:
        cid = conn.execute(s.consultations.insert().values(
            join_code="KEEP1", title="Old", question="Q?", created_ms=1)).inserted_primary_key[0]
        pid = conn.execute(s.participants.insert().values(
            consultation_id=cid, token="t", region="E12000001", created_ms=1)).inserted_primary_key[0]
        prop = conn.execute(s.proposals.insert().values(
            consultation_id=cid, author_id=pid, body="Kept", status="published", created_ms=1,
            updated_ms=1)).inserted_primary_key[0]
        conn.execute(s.votes.insert().values(consultation_id=cid, participant_id=pid, proposal_id=prop, value=1,
                                             updated_ms=1))
    tables = ("consultations", "participants", "proposals", "votes")

    def counts():
        with engine.connect() as conn:
            return [conn.execute(select(func.count()).select_from(s.metadata.tables[t])).scalar() for t in tables]

    before = counts()
    db.upgrade(engine)
    assert counts() == before == [1, 1, 1, 1]
    with engine.connect() as conn:  # and foreign keys are enforced again afterwards
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def _rename(engine, consultation_id: int, title: str) -> None:
    from sqlalchemy import update

    from consult.storage import schema

    with db.writing(engine) as conn:
        conn.execute(update(schema.consultations).where(schema.consultations.c.id == consultation_id)
                     .values(title=title))


def _title(conn, consultation_id: int) -> str:
    from sqlalchemy import select

    from consult.storage import schema

    return conn.execute(select(schema.consultations.c.title)
                        .where(schema.consultations.c.id == consultation_id)).scalar_one()


def test_reading_sees_one_snapshot_and_a_plain_read_sees_each_commit(engine, consultation):
    """`db.reading` is one snapshot on both databases; a plain connection (which on SQLite no longer opens a
    transaction of its own) sees a commit made between two of its statements, as PostgreSQL's default does."""
    with db.reading(engine) as conn:
        before = _title(conn, consultation.id)
        _rename(engine, consultation.id, "Renamed while a snapshot was open")
        assert _title(conn, consultation.id) == before
    with engine.connect() as conn:
        assert _title(conn, consultation.id) == "Renamed while a snapshot was open"
        _rename(engine, consultation.id, "Renamed between two plain reads")
        assert _title(conn, consultation.id) == "Renamed between two plain reads"
    with db.reading(engine) as conn:  # the snapshot's isolation is not left on the pooled connection
        assert _title(conn, consultation.id) == "Renamed between two plain reads"
    with engine.connect() as conn:
        _rename(engine, consultation.id, "Renamed once more")
        assert _title(conn, consultation.id) == "Renamed once more"


def test_a_plain_read_on_sqlite_sends_no_begin(sqlite_engine, tmp_path):
    from sqlalchemy import event, text

    sent: list[str] = []
    event.listen(sqlite_engine, "before_cursor_execute", lambda _c, _cur, statement, *_: sent.append(statement))
    with sqlite_engine.connect() as conn:
        conn.execute(text("SELECT 1")).all()
    with db.reading(sqlite_engine) as conn:
        conn.execute(text("SELECT 2")).all()
    with db.writing(sqlite_engine) as conn:
        conn.execute(text("SELECT 3")).all()
    assert sent == ["SELECT 1", "BEGIN", "SELECT 2", "BEGIN IMMEDIATE", "SELECT 3"]

