"""Moderation actions on proposals: publish, hide, restore, and merge a duplicate into the one kept."""

from __future__ import annotations

from sqlalchemy import Engine, delete, select, update

from consult.storage import changes, db, tallies
from consult.storage import schema as s
from consult.storage.audit import audit
from consult.storage.errors import StoreError, one
from consult.storage.records import now_ms


def set_proposal_status(
    engine: Engine, proposal_id: int, status: str, *, actor: str, reason: str = ""
) -> None:
    """Publish, hide or restore (to published) a proposal, with the reason in the audit log."""
    if status not in ("pending", "published", "hidden"):
        raise StoreError("A proposal can be set to pending, published or hidden (merging has its own action).")
    with db.writing(engine) as conn:
        row = one(conn, select(s.proposals.c.consultation_id, s.proposals.c.status)
                   .where(s.proposals.c.id == proposal_id), "proposal")
        conn.execute(
            update(s.proposals).where(s.proposals.c.id == proposal_id)
            .values(status=status, merged_into_id=None, updated_ms=now_ms())
        )
        changes.bump(conn, row.consultation_id)
        audit(conn, row.consultation_id, actor, f"status:{status}", "proposal", proposal_id,
              reason=reason, detail=f"{row.status} -> {status}")


def hiding_reasons(engine: Engine, consultation_id: int, proposal_ids) -> dict[int, str]:
    """The reason given when each proposal was last hidden (from the audit log), for its author's What happened."""
    ids = [int(i) for i in proposal_ids]
    if not ids:
        return {}
    a = s.audit_log.c
    query = (select(a.target_id, a.reason).where(a.consultation_id == consultation_id, a.target_type == "proposal",
                                                 a.action == "status:hidden", a.target_id.in_(ids))
             .order_by(a.id))
    with engine.connect() as conn:
        return {int(row.target_id): row.reason for row in conn.execute(query)}  # the latest wins


def merge_proposals(engine: Engine, duplicate_id: int, kept_id: int, *, actor: str, reason: str = "") -> int:
    """Merge a duplicate into the kept proposal; its votes move over unless the voter already voted there.

    Returns the number of votes moved.
    """
    if duplicate_id == kept_id:
        raise StoreError("A proposal cannot be merged into itself.")
    with db.writing(engine) as conn:
        dup = one(conn, select(s.proposals).where(s.proposals.c.id == duplicate_id), "proposal")
        kept = one(conn, select(s.proposals).where(s.proposals.c.id == kept_id), "proposal")
        if dup.consultation_id != kept.consultation_id:
            raise StoreError("Both proposals must belong to the same consultation.")
        if kept.status == "merged":
            raise StoreError("The proposal to keep has itself been merged; merge into the one it points to.")
        already = select(s.votes.c.participant_id).where(s.votes.c.proposal_id == kept_id)
        movable = conn.execute(
            select(s.votes).where(s.votes.c.proposal_id == duplicate_id, s.votes.c.participant_id.not_in(already))
        ).all()
        if movable:
            conn.execute(
                s.votes.insert(),
                [{"consultation_id": v.consultation_id, "participant_id": v.participant_id, "proposal_id": kept_id,
                  "value": v.value, "updated_ms": v.updated_ms} for v in movable],
            )
        conn.execute(delete(s.votes).where(s.votes.c.proposal_id == duplicate_id))
        # earlier merges into the duplicate now point at the kept proposal
        conn.execute(
            update(s.proposals).where(s.proposals.c.merged_into_id == duplicate_id).values(merged_into_id=kept_id)
        )
        conn.execute(
            update(s.proposals).where(s.proposals.c.id == duplicate_id)
            .values(status="merged", merged_into_id=kept_id, updated_ms=now_ms())
        )
        tallies.rebuild(conn, dup.consultation_id, [duplicate_id, kept_id])
        changes.bump(conn, dup.consultation_id)
        audit(conn, dup.consultation_id, actor, "merge", "proposal", duplicate_id, reason=reason,
              detail=f"into {kept_id}; {len(movable)} votes moved")
    return len(movable)
