"""Official responses to proposals ("you said, we did"): drafts, publishing, milestones, and the queue of
proposals that crossed a threshold and must be answered.

The lifecycle is one table of allowed moves (`ALLOWED_NEXT`): a proposal under consideration can be accepted
(wholly or in part), found to be policy already, not taken forward or referred to a named body; a referral can
come back with any decision; a decision can be revised but never silently returned to "under consideration"
except from a referral or a refusal being reopened. Officers edit a draft; members see only the published copy,
which changes only when an officer publishes again. Every change is audited in its own transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, and_, select, update

from consult.storage import changes, db, moderation, visibility
from consult.storage import schema as s
from consult.storage.audit import audit
from consult.storage.errors import NotFound, StoreError
from consult.storage.records import now_ms
from consult.storage.visibility import may_see
from consult.text.cleaning import clean_text

STATUS_LABELS = {
    "under_consideration": "Under consideration",
    "accepted": "Accepted",
    "accepted_in_part": "Accepted in part",
    "already_policy": "Already party policy",
    "not_taken_forward": "Not taken forward",
    "referred": "Referred",
}
DECISIONS = ("accepted", "accepted_in_part", "already_policy", "not_taken_forward", "referred")
ALLOWED_NEXT: dict[str | None, set[str]] = {
    None: set(STATUS_LABELS),
    "under_consideration": set(DECISIONS),
    "referred": {"under_consideration", "accepted", "accepted_in_part", "already_policy", "not_taken_forward"},
    "accepted": {"accepted_in_part", "not_taken_forward"},
    "accepted_in_part": {"accepted", "not_taken_forward"},
    "already_policy": {"accepted", "accepted_in_part"},
    "not_taken_forward": {"under_consideration"},
}
MAX_RESPONSE_CHARS = 5000
_R = s.responses.c


def _check_move(current: str | None, status: str) -> None:
    if status not in STATUS_LABELS:
        raise StoreError(f"Unknown response status {status!r}: use one of {', '.join(STATUS_LABELS)}.")
    if status != current and status not in ALLOWED_NEXT[current]:
        raise StoreError(f"A response cannot go from {STATUS_LABELS[current].lower()} to "
                         f"{STATUS_LABELS[status].lower()}.")


def _answerable(conn, proposal_id: int):
    row = conn.execute(select(s.proposals.c.consultation_id, s.proposals.c.status)
                       .where(s.proposals.c.id == proposal_id)).first()
    if row is None:
        raise NotFound(f"There is no proposal {proposal_id}.")
    if row.status == "merged":
        raise StoreError(f"Proposal {proposal_id} was merged into another; respond to the one it was merged into.")
    return row


def save_draft(engine: Engine, proposal_id: int, *, status: str, body: str = "", referred_to: str = "",
               decided_by: str = "", actor: str) -> None:
    """Create or change the draft response to a proposal (members see nothing until it is published)."""
    body, referred_to, decided_by = clean_text(body), clean_text(referred_to)[:200], clean_text(decided_by)[:200]
    if len(body) > MAX_RESPONSE_CHARS:
        raise StoreError(f"A response can be at most {MAX_RESPONSE_CHARS:,} characters; this one has "
                         f"{len(body):,}.")
    if status == "referred" and not referred_to:
        raise StoreError("Say which body the proposal is referred to (a regional party, the policy commission).")
    with db.writing(engine) as conn:
        proposal = _answerable(conn, proposal_id)
        current = conn.execute(select(_R.status).where(_R.proposal_id == proposal_id)).scalar_one_or_none()
        _check_move(current, status)
        values = {"status": status, "body": body, "referred_to": referred_to if status == "referred" else "",
                  "decided_by": decided_by, "updated_ms": now_ms()}
        if current is None:
            conn.execute(s.responses.insert().values(consultation_id=proposal.consultation_id,
                                                     proposal_id=proposal_id, **values))
        else:
            conn.execute(update(s.responses).where(_R.proposal_id == proposal_id).values(**values))
        audit(conn, proposal.consultation_id, actor, "response_draft", "proposal", proposal_id,
              detail=f"{current or 'none'} -> {status}")


def publish(engine: Engine, proposal_ids: list[int], *, actor: str) -> int:
    """Publish the drafts of these proposals (their current text becomes what members see); returns how many.

    Every response needs words, "Under consideration" too (a bare label tells a member nothing, and one click
    once published 36 of them); the whole batch is refused, naming the proposals, if any lacks them.
    """
    ids = sorted({int(pid) for pid in proposal_ids})
    if not ids:
        return 0
    with db.writing(engine) as conn:
        drafts = conn.execute(select(s.responses).where(_R.proposal_id.in_(ids))).all()
        missing = sorted(set(ids) - {row.proposal_id for row in drafts})
        if missing:
            raise StoreError(f"No draft response to publish for proposal(s) {', '.join(map(str, missing))}.")
        blank = [row.proposal_id for row in drafts if not row.body.strip()]
        if blank:
            raise StoreError("Write the response before publishing it (proposal(s) "
                             f"{', '.join(map(str, blank))}): a label alone tells members nothing.")
        stamp = now_ms()
        for row in drafts:
            conn.execute(update(s.responses).where(_R.proposal_id == row.proposal_id).values(
                published_status=row.status, published_body=row.body, published_referred_to=row.referred_to,
                published_decided_by=row.decided_by, published_ms=stamp))
            audit(conn, row.consultation_id, actor, "response_published", "proposal", row.proposal_id,
                  detail=row.status)
        for consultation_id in {row.consultation_id for row in drafts}:
            changes.bump(conn, consultation_id)
    return len(drafts)


def add_milestone(engine: Engine, proposal_id: int, *, title: str, percent: int, due_ms: int | None = None,
                  actor: str) -> None:
    """Record implementation progress on an accepted proposal (members see it with the published response)."""
    title = clean_text(title)[:300]
    if not title:
        raise StoreError("Give the milestone a name.")
    if not 0 <= int(percent) <= 100:
        raise StoreError("Progress is a percentage from 0 to 100.")
    with db.writing(engine) as conn:
        row = conn.execute(select(_R.consultation_id, _R.status).where(_R.proposal_id == proposal_id)).first()
        if row is None or row.status not in ("accepted", "accepted_in_part"):
            raise StoreError("Milestones track accepted proposals; accept the proposal first.")
        conn.execute(s.response_milestones.insert().values(
            consultation_id=row.consultation_id, proposal_id=proposal_id, title=title, percent=int(percent),
            due_ms=due_ms, created_ms=now_ms()))
        changes.bump(conn, row.consultation_id)
        audit(conn, row.consultation_id, actor, "milestone", "proposal", proposal_id, detail=f"{title}: {percent}%")


@dataclass(frozen=True)
class Thresholds:
    """What obliges an answer (None: that rule is off)."""

    min_supporters: int | None = None
    everywhere_probability: float | None = None
    region_share: float | None = None

    @property
    def any(self) -> bool:
        return any(v is not None for v in (self.min_supporters, self.everywhere_probability, self.region_share))


def thresholds(engine: Engine, consultation_id: int) -> Thresholds:
    with engine.connect() as conn:
        row = conn.execute(select(s.answer_thresholds)
                           .where(s.answer_thresholds.c.consultation_id == consultation_id)).first()
    if row is None:
        return Thresholds()
    return Thresholds(row.min_supporters, row.everywhere_probability, row.region_share)


def _threshold_update(stmt) -> dict:
    return {name: stmt.excluded[name] for name in ("min_supporters", "everywhere_probability", "region_share")}


def set_thresholds(engine: Engine, consultation_id: int, rules: Thresholds, *, actor: str) -> None:
    if rules.min_supporters is not None and rules.min_supporters < 1:
        raise StoreError("The number of supporters must be at least 1.")
    if rules.everywhere_probability is not None and not 0 < rules.everywhere_probability < 1:
        raise StoreError("The probability of a majority in every region is between 0 and 1 (say 0.8).")
    if rules.region_share is not None and not 0 < rules.region_share <= 1:
        raise StoreError("The share of a region's voters is between 0 and 1 (say 0.6).")
    values = {"min_supporters": rules.min_supporters, "everywhere_probability": rules.everywhere_probability,
              "region_share": rules.region_share}
    with db.writing(engine) as conn:
        statement = db.upsert(conn, s.answer_thresholds, ("consultation_id",), _threshold_update)
        conn.execute(statement, {"consultation_id": consultation_id, **values})
        audit(conn, consultation_id, actor, "answer_thresholds", "consultation", consultation_id,
              detail=", ".join(f"{k}={v}" for k, v in values.items()))


def oblige(engine: Engine, consultation_id: int, evidence: dict[int, str], *, actor: str = "thresholds") -> int:
    """Put proposals that crossed a threshold into the "needs an answer" queue (once: the first time is kept, so
    the queue can say how long each has waited); returns how many are new."""
    if not evidence:
        return 0
    with db.writing(engine) as conn:
        known = dict(conn.execute(select(_R.proposal_id, _R.obliged_ms).where(
            _R.consultation_id == consultation_id, _R.proposal_id.in_(list(evidence)))).all())
        stamp, new = now_ms(), 0
        for proposal_id, reason in evidence.items():
            if proposal_id in known and known[proposal_id] is not None:
                continue
            if proposal_id in known:
                conn.execute(update(s.responses).where(_R.proposal_id == proposal_id)
                             .values(obliged_ms=stamp, obliged_reason=reason))
            else:
                conn.execute(s.responses.insert().values(consultation_id=consultation_id, proposal_id=proposal_id,
                                                         updated_ms=stamp, obliged_ms=stamp, obliged_reason=reason))
            audit(conn, consultation_id, actor, "needs_answer", "proposal", proposal_id, detail=reason)
            new += 1
    return new


def responses_frame(engine: Engine, consultation_id: int) -> pd.DataFrame:
    """Every response, draft and published, with its proposal: for officers."""
    query = (select(s.responses, s.proposals.c.body.label("proposal"), s.proposals.c.region,
                    s.proposals.c.status.label("proposal_status"))
             .join(s.proposals, s.proposals.c.id == _R.proposal_id)
             .where(_R.consultation_id == consultation_id).order_by(_R.proposal_id))
    with engine.connect() as conn:
        frame = pd.read_sql(query, conn)
    frame["draft_differs"] = (frame["published_status"].isna()
                              | (frame["status"] != frame["published_status"])
                              | (frame["body"] != frame["published_body"])
                              | (frame["referred_to"] != frame["published_referred_to"].fillna(""))
                              | (frame["decided_by"] != frame["published_decided_by"].fillna("")))
    return frame


def needs_answer(engine: Engine, consultation_id: int, now: int | None = None) -> pd.DataFrame:
    """The queue: proposals that crossed a threshold and have no published decision yet, longest waiting first,
    with `waited_days`."""
    frame = responses_frame(engine, consultation_id)
    waiting = frame[frame["obliged_ms"].notna()
                    & ~frame["published_status"].isin(DECISIONS) & (frame["proposal_status"] == "published")]
    waiting = waiting.sort_values(["obliged_ms", "proposal_id"]).copy()
    waiting["waited_days"] = ((now or now_ms()) - waiting["obliged_ms"]) / 86_400_000
    return waiting.reset_index(drop=True)


def published_responses(engine: Engine, consultation_id: int) -> pd.DataFrame:
    """What members and the room may read: published responses to proposals they may see; proposal_id,
    proposal, region, theme (the proposal's main theme, "" if none), status, status_label, response,
    referred_to, decided_by, published_ms."""
    ta, th = s.theme_assignments.c, s.themes.c
    query = (select(_R.proposal_id, s.proposals.c.body.label("proposal"), s.proposals.c.region,
                    th.label.label("theme"), _R.published_status.label("status"),
                    _R.published_body.label("response"), _R.published_referred_to.label("referred_to"),
                    _R.published_decided_by.label("decided_by"), _R.published_ms)
             .join(s.proposals, and_(s.proposals.c.id == _R.proposal_id, may_see(None)))
             .outerjoin(s.theme_assignments, and_(ta.proposal_id == _R.proposal_id, ta.rank == 1))
             .outerjoin(s.themes, and_(th.id == ta.theme_id, th.active))
             .where(_R.consultation_id == consultation_id, _R.published_status.is_not(None))
             .order_by(_R.published_ms.desc(), _R.proposal_id))
    with engine.connect() as conn:
        frame = pd.read_sql(query, conn)
    frame["status_label"] = frame["status"].map(STATUS_LABELS)
    frame["theme"] = frame["theme"].fillna("")
    return frame


def published_milestones(engine: Engine, consultation_id: int) -> pd.DataFrame:
    """Milestones of proposals whose response is published (proposal_id, title, percent, due_ms)."""
    m = s.response_milestones.c
    query = (select(m.proposal_id, m.title, m.percent, m.due_ms)
             .join(s.responses, _R.proposal_id == m.proposal_id)
             .where(m.consultation_id == consultation_id, _R.published_status.is_not(None))
             .order_by(m.proposal_id, m.id))
    with engine.connect() as conn:
        return pd.read_sql(query, conn)


def own_proposals_with_responses(engine: Engine, consultation_id: int, viewer_id: int) -> pd.DataFrame:
    """A member's own proposals with the published response, if any, and what moderation did: pending ones, hidden
    ones with the reason the moderator gave (`hidden_because`), merged ones with the text they joined (`merged_into`).
    """
    p = s.proposals.c
    kept = s.proposals.alias("kept")
    query = (select(p.id, p.body, p.status, p.created_ms, _R.published_status.label("response_status"),
                    _R.published_body.label("response"), _R.published_referred_to.label("referred_to"),
                    kept.c.body.label("merged_into"))
             .outerjoin(s.responses, _R.proposal_id == p.id)
             .outerjoin(kept, and_(kept.c.id == p.merged_into_id, kept.c.status == visibility.PUBLIC_STATUS))
             .where(p.consultation_id == consultation_id, p.author_id == viewer_id,
                    p.status.in_(visibility.TOLD_TO_AUTHOR_STATUSES))
             .order_by(p.id.desc()))
    with engine.connect() as conn:
        frame = pd.read_sql(query, conn)
    frame["response_label"] = frame["response_status"].map(STATUS_LABELS)
    reasons = moderation.hiding_reasons(engine, consultation_id, frame.loc[frame["status"] == "hidden", "id"])
    frame["hidden_because"] = frame["id"].map(reasons).astype(object)
    return frame
