"""The one rule for what a member (or the room, on the presenter's screen) may see of the proposals.

A member sees published proposals only: never another member's pending proposal, and never a hidden or
merged-away one. Their own pending proposal may be shown back to them, marked as waiting for moderation.
Every member-facing read goes through `may_see`: the voting queue, the similar-proposal check, the propose
page, "my region", the presenter. Caches of these reads are keyed by `changes.version`.

The room's Q&A questions follow the same rule (`may_see_room_question`): published (or answered) ones are seen by
everyone, a member's own pending one by them alone, hidden ones by nobody.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import ColumnElement, Engine, and_, bindparam, or_, select

from consult.storage import schema as s
from consult.storage.plain_reads import fetch_rows
from consult.storage.records import Proposal

PUBLIC_STATUS = "published"
OWN_STATUSES = ("pending", "published")  # what an author still sees of their own proposals
# what an author is told about on What happened: hidden ones with the moderator's reason, merged ones with the
# proposal they joined (shown to nobody else, and never in the voting queue)
TOLD_TO_AUTHOR_STATUSES = ("pending", "published", "hidden", "merged")
_P = s.proposals.c


def _rule(status, author, public: tuple[str, ...], viewer_id: int | None) -> ColumnElement[bool]:
    # one status is an equality, not an IN list, so a statement built on the rule can be kept prebuilt
    published = status == public[0] if len(public) == 1 else status.in_(public)
    if viewer_id is None:
        return published
    return or_(published, and_(author == viewer_id, status.in_(OWN_STATUSES)))


def may_see(viewer_id: int | None = None) -> ColumnElement[bool]:
    """The SQL condition on `proposals` for what this viewer may see (None: anyone, e.g. the room)."""
    return _rule(_P.status, _P.author_id, (PUBLIC_STATUS,), viewer_id)


def may_see_room_question(viewer_id: int | None = None) -> ColumnElement[bool]:
    """The same rule on `room_questions` (an answered question stays in view, marked answered)."""
    rq = s.room_questions.c
    return _rule(rq.status, rq.participant_id, (PUBLIC_STATUS, "answered"), viewer_id)


def _visible_query(consultation_id: int, viewer_id: int | None):
    return (select(_P.id, _P.body, _P.tier, _P.region, _P.status, _P.author_id, _P.created_ms)
            .where(_P.consultation_id == consultation_id, may_see(viewer_id)))


def visible_proposals(engine: Engine, consultation_id: int, viewer_id: int | None = None, *,
                      created_since_ms: int | None = None) -> pd.DataFrame:
    """What the viewer may see: index id; body, tier, region, status, author_is_viewer, created_ms (with
    `created_since_ms`, only proposals made at or after then)."""
    query = _visible_query(consultation_id, viewer_id).order_by(_P.id)
    if created_since_ms is not None:
        query = query.where(_P.created_ms >= created_since_ms)
    with engine.connect() as conn:
        frame = pd.read_sql(query, conn)
    frame["author_is_viewer"] = (frame["author_id"] == viewer_id) if viewer_id is not None else False
    return frame.drop(columns=["author_id"]).set_index("id")


# what anyone may see, as app servers keep a copy of it (`published_frame`): built once, for `fetch_rows`
_PUBLISHED = (select(_P.id, _P.body, _P.tier, _P.region, _P.created_ms)
              .where(_P.consultation_id == bindparam("consultation_id"), may_see(None)).order_by(_P.id))
_PUBLISHED_SINCE = _PUBLISHED.where(_P.created_ms >= bindparam("since_ms"))


def published_frame(engine: Engine, consultation_id: int, *, created_since_ms: int | None = None) -> pd.DataFrame:
    """`visible_proposals` for anyone (no viewer), as members' pages share it: index id; body, tier, region,
    created_ms. Built from the driver's rows: an app server reads the proposals published since its last read
    every few seconds, and pandas' SQL reader cost ten times the query."""
    rows = (fetch_rows(engine, _PUBLISHED, {"consultation_id": consultation_id}) if created_since_ms is None else
            fetch_rows(engine, _PUBLISHED_SINCE, {"consultation_id": consultation_id, "since_ms": created_since_ms}))
    ids, body, tier, region, created = zip(*rows, strict=True) if rows else ((),) * 5
    text = "str" if rows else object
    return pd.DataFrame({"body": pd.array(body, dtype=text), "tier": pd.array(tier, dtype=text),
                         "region": pd.array(region, dtype=text),
                         "created_ms": np.array(created, dtype="int64")},
                        index=pd.Index(np.array(ids, dtype="int64"), name="id"))


def visible_fingerprint(engine: Engine, consultation_id: int, before_ms: int, *,
                        after_ms: int | None = None) -> tuple[int, int]:
    """`reads.stamp_fingerprint` of what anyone may see, by `created_ms`: whether a copy of it is whole."""
    from consult.storage.reads import stamp_fingerprint

    return stamp_fingerprint(engine, _visible_query(consultation_id, None), _P.created_ms, before_ms,
                             after_ms=after_ms)


def visible_proposal(engine: Engine, consultation_id: int, proposal_id: int,
                     viewer_id: int | None = None) -> Proposal | None:
    """One proposal if the viewer may see it, else None (unknown, other consultation, pending, hidden, merged)."""
    columns = [s.proposals.c[name] for name in Proposal.__dataclass_fields__]
    with engine.connect() as conn:
        row = conn.execute(select(*columns).where(_P.id == proposal_id, _P.consultation_id == consultation_id,
                                                  may_see(viewer_id))).first()
    return None if row is None else Proposal(*row)


def published_since(engine: Engine, consultation_id: int, after_id: int) -> list[tuple[int, str]]:
    """Published proposals (id, body) newer than `after_id`, oldest first: what a similarity index built earlier has
    not seen. Plain rows: it is read on every "similar proposals" check, where a frame cost ten times the query."""
    query = (select(_P.id, _P.body).where(_P.consultation_id == consultation_id, _P.id > after_id, may_see(None))
             .order_by(_P.id))
    with engine.connect() as conn:
        return [(int(pid), body) for pid, body in conn.execute(query)]


def newest(engine: Engine, consultation_id: int, n: int = 5) -> pd.DataFrame:
    """The newest proposals the room may see (id, body, region)."""
    query = (select(_P.id, _P.body, _P.region).where(_P.consultation_id == consultation_id, may_see(None))
             .order_by(_P.id.desc()).limit(n))
    with engine.connect() as conn:
        return pd.read_sql(query, conn)


def own_proposals(engine: Engine, consultation_id: int, viewer_id: int) -> pd.DataFrame:
    """A member's own proposals that they still see (published or pending), newest first."""
    query = (select(_P.id, _P.body, _P.status, _P.created_ms)
             .where(_P.consultation_id == consultation_id, _P.author_id == viewer_id, _P.status.in_(OWN_STATUSES))
             .order_by(_P.id.desc()))
    with engine.connect() as conn:
        return pd.read_sql(query, conn)
