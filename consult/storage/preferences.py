"""Staff preferences kept in the database (the consultation an officer last chose), per account."""

from __future__ import annotations

from sqlalchemy import Engine, select

from consult.storage import db
from consult.storage import schema as s
from consult.storage.records import now_ms

_P = s.staff_preferences.c


def _replace(stmt) -> dict:
    return {"value": stmt.excluded.value, "updated_ms": stmt.excluded.updated_ms}


def remember(engine: Engine, account: str, name: str, value: str) -> None:
    with db.writing(engine) as conn:
        conn.execute(db.upsert(conn, s.staff_preferences, ("account", "name"), _replace),
                     [{"account": account[:120], "name": name[:40], "value": str(value)[:200],
                       "updated_ms": now_ms()}])


def recall(engine: Engine, account: str, name: str) -> str | None:
    with engine.connect() as conn:
        return conn.execute(select(_P.value).where(_P.account == account[:120], _P.name == name[:40])
                            ).scalar_one_or_none()
