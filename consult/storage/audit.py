"""The audit log: every staff action, written in the same transaction as the action it records."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection, Engine, select

from consult.storage import schema as s
from consult.storage.records import now_ms
from consult.text.cleaning import clean_text


def audit(
    conn: Connection,
    consultation_id: int | None,
    actor: str,
    action: str,
    target_type: str | None = None,
    target_id: int | None = None,
    *,
    reason: str = "",
    detail: str = "",
) -> None:
    """Append to the audit log inside the caller's transaction (so the action and its record commit together)."""
    conn.execute(s.audit_log.insert().values(
        consultation_id=consultation_id, actor=actor[:120], action=action[:40], target_type=target_type,
        target_id=target_id, reason=clean_text(reason), detail=detail, created_ms=now_ms(),
    ))


def audit_frame(engine: Engine, consultation_id: int | None = None) -> pd.DataFrame:
    query = select(s.audit_log).order_by(s.audit_log.c.id.desc())
    if consultation_id is not None:
        query = query.where(s.audit_log.c.consultation_id == consultation_id)
    with engine.connect() as conn:
        return pd.read_sql(query, conn)
