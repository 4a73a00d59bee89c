"""Loading a whole consultation's participants, proposals and votes in one transaction (demo, imports)."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

import numpy as np
import pandas as pd
from sqlalchemy import Engine, select

from consult import regions
from consult.storage import db, tallies
from consult.storage import schema as s
from consult.storage.records import now_ms
from consult.text.cleaning import clean_text, dedupe_key

CHUNK = 20_000


def _records(frame: pd.DataFrame) -> list[dict]:
    clean = frame.astype(object).where(frame.notna(), None)
    return clean.to_dict("records")


def _chunks(rows: list[dict], size: int = CHUNK) -> Iterable[list[dict]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def load(
    engine: Engine,
    consultation_id: int,
    *,
    participants: pd.DataFrame,
    proposals: pd.DataFrame,
    votes: pd.DataFrame,
    events: pd.DataFrame | None = None,
    shown: pd.DataFrame | None = None,
) -> tuple[dict[str, int], dict[str, int]]:
    """Insert everything at once; returns (participant external id -> id, proposal external id -> id).

    participants: external_id, region, [constituency, channel, created_ms, verified]
    proposals: external_id, author_external_id, body, [tier, region, status, is_seed, is_meta, created_ms]
    votes (current) and events (the log; defaults to the current votes):
        participant_external_id, proposal_external_id, value, created_ms
    shown (optional): participant_external_id, proposal_external_id, shown_ms: cards the vote page showed
    Repeated proposal texts are kept (imports carry them) but only the first holds the duplicate key.
    """
    stamp = now_ms()
    valid_regions = set(regions.answer_codes())
    people = participants.copy()
    people["external_id"] = people["external_id"].astype(str)
    people["region"] = people["region"].where(people["region"].isin(valid_regions), regions.UNDISCLOSED)
    people_rows = [
        {"consultation_id": consultation_id, "token": secrets.token_urlsafe(12), "region": row["region"],
         "constituency": row.get("constituency"), "verified": bool(row.get("verified") or False),
         "channel": row.get("channel") or "import", "external_id": row["external_id"],
         "consented_ms": row.get("created_ms") or stamp, "created_ms": row.get("created_ms") or stamp}
        for row in _records(people)
    ]
    with db.writing(engine) as conn:
        for chunk in _chunks(people_rows):
            conn.execute(s.participants.insert(), chunk)
        person_ids = dict(conn.execute(
            select(s.participants.c.external_id, s.participants.c.id)
            .where(s.participants.c.consultation_id == consultation_id)
        ).all())

        seen: set[str] = set()
        proposal_rows = []
        for row in _records(proposals):
            body = clean_text(row["body"])
            if not body:
                continue
            key = dedupe_key(body)
            author = row.get("author_external_id")
            created = row.get("created_ms") or stamp
            proposal_rows.append({
                "consultation_id": consultation_id,
                "author_id": person_ids.get(str(author)) if author is not None else None,
                "region": row.get("region") if row.get("region") in valid_regions else None,
                "tier": row.get("tier") or "uk", "body": body,
                "dedupe_key": None if key in seen else key,
                "status": row.get("status") or "published",
                "is_seed": bool(row.get("is_seed") or False), "is_meta": bool(row.get("is_meta") or False),
                "external_id": str(row["external_id"]), "created_ms": created, "updated_ms": created,
            })
            seen.add(key)
        for chunk in _chunks(proposal_rows):
            conn.execute(s.proposals.insert(), chunk)
        proposal_ids = dict(conn.execute(
            select(s.proposals.c.external_id, s.proposals.c.id)
            .where(s.proposals.c.consultation_id == consultation_id)
        ).all())

        def resolve(frame: pd.DataFrame) -> pd.DataFrame:
            out = pd.DataFrame({
                "consultation_id": consultation_id,
                "participant_id": frame["participant_external_id"].astype(str).map(person_ids),
                "proposal_id": frame["proposal_external_id"].astype(str).map(proposal_ids),
                "value": frame["value"].astype("int64"),
                "created_ms": frame["created_ms"].astype("int64"),
            })
            return out.dropna(subset=["participant_id", "proposal_id"]).astype(
                {"participant_id": "int64", "proposal_id": "int64"}
            )

        current = resolve(votes).drop_duplicates(["participant_id", "proposal_id"], keep="last")
        current = current.rename(columns={"created_ms": "updated_ms"})
        for chunk in _chunks(_int_records(current)):
            conn.execute(s.votes.insert(), chunk)
        log = resolve(events if events is not None else votes)
        for chunk in _chunks(_int_records(log)):
            conn.execute(s.vote_events.insert(), chunk)
        if shown is not None and len(shown):
            cards = resolve(shown.assign(value=0, created_ms=shown["shown_ms"])).drop(columns=["value"])
            cards = cards.rename(columns={"created_ms": "shown_ms"}).drop_duplicates(["participant_id", "proposal_id"])
            for chunk in _chunks(_int_records(cards)):
                conn.execute(s.proposal_views.insert(), chunk)
        tallies.rebuild(conn, consultation_id)
    return person_ids, proposal_ids


def _int_records(frame: pd.DataFrame) -> list[dict]:
    """Rows as plain Python ints (drivers reject numpy scalars)."""
    columns = list(frame.columns)
    arrays = [frame[c].to_numpy(dtype=np.int64).tolist() for c in columns]
    return [dict(zip(columns, values, strict=True)) for values in zip(*arrays, strict=True)]
