"""Reads that skip SQLAlchemy's execution layer: for the few statements every member page runs.

On SQLite, `Connection.execute` (connection events, execution context, result rows) costs twice what a one-row
query does, and in a busy app server the reads every member page makes (the consultation, the member's votes)
were a tenth of a member's journey. `fetch_rows` runs a prebuilt Core statement, compiled once per dialect, on a
connection from the engine's own pool, and hands back the driver's rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError


@dataclass(frozen=True)
class _Compiled:
    sql: str
    order: tuple[str, ...] | None  # parameter names in order, for a driver that takes them by position
    fixed: dict[str, Any]  # values written into the statement when it was built
    needed: frozenset[str]  # bindparams without a value: the caller names them


_COMPILED: dict[tuple[str, Any], _Compiled] = {}
MAX_KEPT = 512  # compiled statements kept (there are a dozen)


def _compile(engine: Engine, statement: Any) -> _Compiled:
    made = statement.compile(dialect=engine.dialect)
    if made.literal_execute_params or made.post_compile_params:
        raise ValueError("fetch_rows takes no IN lists or literal-execute parameters")
    positional = engine.dialect.paramstyle in ("qmark", "numeric", "format")
    return _Compiled(made.string, tuple(made.positiontup) if positional else None,
                     {name: bind.effective_value for name, bind in made.binds.items() if not bind.required},
                     frozenset(name for name, bind in made.binds.items() if bind.required))


def fetch_rows(engine: Engine, statement: Any, params: dict[str, Any]) -> list[tuple]:
    """The rows of one read, as plain tuples, run straight on a pooled DBAPI connection.

    `statement` is a module-level Core statement (it is compiled once per dialect and kept): its `bindparam`s
    without a value are named in `params`; values written into it (a status, a flag) are fixed when it is built.
    Values come back as the driver gives them, with no SQLAlchemy type processing: only for columns of plain
    numbers and text (a Boolean is 0/1 on SQLite). Each statement reads as of its own start, as a plain
    `engine.connect()` read does. Driver errors are raised as SQLAlchemy's, and a dropped connection is thrown
    away (`connection_invalidated`), as `Connection.execute` does, so `errors.retry_on_disconnect` works on these
    reads too.
    """
    key = (engine.dialect.name, statement)
    compiled = _COMPILED.get(key)
    if compiled is None:
        if len(_COMPILED) >= MAX_KEPT:  # a statement built per call by mistake must not grow this without end
            _COMPILED.clear()
        compiled = _COMPILED[key] = _compile(engine, statement)
    missing = compiled.needed - params.keys()
    if missing:
        raise ValueError(f"fetch_rows needs a value for {', '.join(sorted(missing))}")
    values = {**compiled.fixed, **params} if compiled.fixed else params
    sql = compiled.sql
    arguments = tuple(values[name] for name in compiled.order) if compiled.order is not None else values
    dbapi = engine.dialect.loaded_dbapi
    connection = engine.raw_connection()
    cursor = None
    try:
        cursor = connection.cursor()
        cursor.execute(sql, arguments)
        return cursor.fetchall()
    except dbapi.Error as exc:
        dropped = engine.dialect.is_disconnect(exc, connection.dbapi_connection, cursor)
        if dropped:
            connection.invalidate(exc)
        raise DBAPIError.instance(sql, arguments, exc, dbapi.Error, connection_invalidated=dropped,
                                  dialect=engine.dialect) from exc
    finally:
        if cursor is not None and connection.is_valid:
            cursor.close()
        connection.close()  # back to the pool, which ends the read (PostgreSQL's implicit transaction too)
