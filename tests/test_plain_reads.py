"""Plain reads: prebuilt statements run on the engine's pool without SQLAlchemy's execution layer."""

from __future__ import annotations

import pytest

from consult import storage
from consult.storage import plain_reads


def test_fetch_rows_gives_the_driver_rows_of_a_prebuilt_read(engine, consultation):
    from sqlalchemy import bindparam, select

    from consult.storage import schema

    by_id = select(schema.consultations.c.id, schema.consultations.c.title, schema.consultations.c.min_cell).where(
        schema.consultations.c.id == bindparam("consultation_id"))
    assert plain_reads.fetch_rows(engine, by_id, {"consultation_id": consultation.id}) == [
        (consultation.id, consultation.title, consultation.min_cell)]
    assert plain_reads.fetch_rows(engine, by_id, {"consultation_id": consultation.id + 1000}) == []
    assert storage.get_consultation(engine, consultation.id) == consultation  # the Boolean comes back a bool
    assert storage.get_consultation(engine, consultation.id).results_visible is True
    with pytest.raises(ValueError, match="needs a value for consultation_id"):
        plain_reads.fetch_rows(engine, by_id, {})
    # a value written into the statement is kept with it
    open_ones = select(schema.consultations.c.id).where(schema.consultations.c.access == "open",
                                                        schema.consultations.c.id == bindparam("consultation_id"))
    assert plain_reads.fetch_rows(engine, open_ones, {"consultation_id": consultation.id}) == [(consultation.id,)]
    with pytest.raises(ValueError, match="IN lists"):
        plain_reads.fetch_rows(engine, select(schema.consultations.c.id).where(
            schema.consultations.c.id.in_([consultation.id])), {})


def test_fetch_rows_raises_driver_errors_as_sqlalchemy_errors(sqlite_engine):
    from sqlalchemy import Column, Integer, MetaData, Table, select
    from sqlalchemy.exc import OperationalError

    missing = Table("no_such_table", MetaData(), Column("id", Integer))
    with pytest.raises(OperationalError) as raised:
        plain_reads.fetch_rows(sqlite_engine, select(missing.c.id), {})
    assert not raised.value.connection_invalidated
    assert "no_such_table" in str(raised.value)
    consultation = storage.create_consultation(sqlite_engine, title="After an error", question="Q?")
    assert storage.get_consultation(sqlite_engine, consultation.id).title == "After an error"  # the pool still works


def test_fetch_rows_throws_away_a_dropped_postgres_connection(postgres_engine):
    from sqlalchemy import func, select
    from sqlalchemy.exc import DBAPIError

    consultation = storage.create_consultation(postgres_engine, title="Drop", question="Q?")
    with pytest.raises(DBAPIError) as raised:  # the server ends this very connection while it reads
        plain_reads.fetch_rows(postgres_engine, select(func.pg_terminate_backend(func.pg_backend_pid())), {})
    assert raised.value.connection_invalidated
    assert storage.get_consultation(postgres_engine, consultation.id).title == "Drop"


def test_statements_kept_compiled_are_bounded(sqlite_engine, monkeypatch):
    from sqlalchemy import literal, select

    monkeypatch.setattr(plain_reads, "MAX_KEPT", 2)
    monkeypatch.setattr(plain_reads, "_COMPILED", {})
    for number in range(5):  # a statement built afresh on each call, as no caller should
        assert plain_reads.fetch_rows(sqlite_engine, select(literal(number).label("n")), {}) == [(number,)]
    assert len(plain_reads._COMPILED) <= 2
