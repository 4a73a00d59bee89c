"""Engines for SQLite and PostgreSQL, where the database URL comes from, transactions, upserts and migrations."""

from __future__ import annotations

import os
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, create_engine, event, inspect
from sqlalchemy.engine import make_url

from consult import configuration

PROJECT_ROOT = Path(__file__).resolve().parents[2]
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 30_000


def database_url(secrets_path: Path | None = None) -> str:
    """The database URL: `CONSULT_DATABASE_URL`, else secrets' [connections.consult] url, else SQLite
    (the order every entry point uses: `consult.configuration`)."""
    secrets = configuration.secrets_file(secrets_path) if secrets_path else None
    return configuration.database_url(secrets=secrets)


def make_engine(url: str | None = None, **kwargs) -> Engine:
    """An engine with the settings consult relies on (WAL, foreign keys and a busy timeout on SQLite)."""
    url = url or database_url()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database in ("", ":memory:"):
            raise ValueError("consult needs a SQLite file, not an in-memory database (each thread would see its own).")
        Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}, **kwargs
        )
        _configure_sqlite(engine)
        return engine
    kwargs.setdefault("pool_pre_ping", True)  # a connection the server dropped is replaced, not handed out
    # every app server holds up to 2 x CONSULT_DB_POOL_SIZE connections: keep replicas x that under max_connections
    kwargs.setdefault("pool_size", int(os.environ.get("CONSULT_DB_POOL_SIZE", "10")))
    kwargs.setdefault("max_overflow", kwargs["pool_size"])
    kwargs.setdefault("pool_recycle", 1800)  # load balancers and firewalls cut idle connections
    return create_engine(url, **kwargs)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # Take over transaction control from pysqlite so that writers can BEGIN IMMEDIATE (below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        options = conn.get_execution_options()
        # A deferred transaction that reads and then writes can fail with "database is locked" without
        # waiting, when another writer committed in between; writers take the lock up front instead.
        if options.get("consult_write"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        elif options.get(SNAPSHOT_OPTION):
            conn.exec_driver_sql("BEGIN")
        # Any other connection only reads (writes go through `writing`): each statement is its own snapshot, as on
        # PostgreSQL at its default READ COMMITTED, without a BEGIN statement (a fifth of a one-row read's cost)


_WRITERS: weakref.WeakKeyDictionary[Engine, Engine] = weakref.WeakKeyDictionary()


def _writer(engine: Engine) -> Engine:
    # the option engine shares the pool; building it once keeps per-write overhead down
    writer = _WRITERS.get(engine)
    if writer is None:
        writer = _WRITERS[engine] = engine.execution_options(consult_write=True)
    return writer


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """One write transaction: committed on success, rolled back on any error.

    Changes to what members may see (`changes.bump`) are announced to this process's listeners after the commit.
    """
    from consult.storage import changes

    with _writer(engine).begin() as conn:
        try:
            yield conn
        except BaseException:
            # the info dict outlives this checkout (it belongs to the pooled connection): empty it, unless the
            # connection itself is gone (then touching it would try to reconnect inside a failed transaction)
            if not conn.invalidated:
                conn.info.pop(changes.PENDING_KEY, None)
            raise
        changed = conn.info.pop(changes.PENDING_KEY, set())
    if changed:
        changes.notify(changed)


SNAPSHOT_OPTION = "consult_snapshot"


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """One read transaction that sees one consistent snapshot of the database, on SQLite and on PostgreSQL (where
    it runs at REPEATABLE READ). A plain `engine.connect()` reads each statement as of its own start."""
    options = {SNAPSHOT_OPTION: True} if is_sqlite(engine) else {"isolation_level": "REPEATABLE READ"}
    with engine.connect().execution_options(**options) as conn, conn.begin():
        yield conn


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def _alembic_config(connection: Connection):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to `revision` (every migration is idempotent to re-run: already applied ones are skipped)."""
    from alembic import command

    with engine.connect().execution_options(consult_write=True) as conn:
        sqlite = is_sqlite(engine)
        if sqlite:
            # SQLite's ALTERs rebuild a table (copy, drop, rename); with foreign keys on, dropping the old
            # consultations table would cascade-delete every participant, proposal and vote. The pragma only
            # takes effect outside a transaction, so it is set on the raw connection before ours begins.
            conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
        try:
            command.upgrade(_alembic_config(conn), revision)
            if sqlite:
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
                if broken:
                    conn.rollback()
                    raise RuntimeError(f"the migration would leave {len(broken)} rows pointing at nothing; "
                                       "nothing was changed")
            conn.commit()
        finally:
            if sqlite:
                conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def has_schema(engine: Engine) -> bool:
    return inspect(engine).has_table("consultations")


_UPSERTS: dict[tuple, Any] = {}


def _dialect_insert(conn: Connection, table: Table) -> Any:
    """INSERT for the connection's dialect: PostgreSQL's and SQLite's both speak ON CONFLICT."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table)


def upsert(conn: Connection, table: Table, index_elements: tuple[str, ...], update: Callable[[Any], dict]) -> Any:
    """INSERT ... ON CONFLICT (index_elements) DO UPDATE SET update(stmt), for the connection's dialect.

    Written once for PostgreSQL and SQLite (both speak ON CONFLICT); the statement is built once per dialect,
    table and key and reused, as the hot paths (votes, tallies) run it on every write. `update` receives the
    insert statement so it can refer to `stmt.excluded`.
    """
    key = (conn.dialect.name, table.name, index_elements, update.__module__, update.__qualname__)
    statement = _UPSERTS.get(key)
    if statement is None:
        stmt = _dialect_insert(conn, table)
        statement = _UPSERTS[key] = stmt.on_conflict_do_update(index_elements=list(index_elements),
                                                               set_=update(stmt))
    return statement


def insert_ignoring(conn: Connection, table: Table, index_elements: tuple[str, ...]) -> Any:
    """INSERT ... ON CONFLICT (index_elements) DO NOTHING, for the connection's dialect (built once, reused)."""
    key = (conn.dialect.name, table.name, index_elements, "nothing")
    statement = _UPSERTS.get(key)
    if statement is None:
        statement = _UPSERTS[key] = _dialect_insert(conn, table).on_conflict_do_nothing(
            index_elements=list(index_elements))
    return statement


def bulk_insert(conn: Connection, table: Table, columns: list[str], rows: list[tuple]) -> None:
    """Insert many rows fast inside the caller's transaction: COPY on PostgreSQL, executemany on SQLite.

    For loads of hundreds of thousands of rows (the membership roll), where building a dict per row for
    SQLAlchemy's executemany costs more than the database does.
    """
    if not rows:
        return
    names = ", ".join(columns)
    raw = conn.connection.driver_connection
    if conn.dialect.name == "postgresql":
        with raw.cursor() as cursor, cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
            for values in rows:
                copy.write_row(values)
        return
    marks = ", ".join("?" for _ in columns)
    raw.executemany(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", rows)  # nosec B608 - names from the schema
