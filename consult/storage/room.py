"""The room: members' questions to the panel (Q&A with upvotes) and what the shared screen focuses on.

A room question is moderated like a proposal: in a consultation with moderation before publication, or when it
looks like it holds abuse or personal details (`proposals.flags`), it waits for a facilitator; otherwise it is
published at once. What a member sees of them is `visibility.may_see_room_question`. One upvote per member and
question (the primary key); a member's own question cannot be upvoted by them.

The presenter's focus (one row per consultation in `presenter_screens`) says what the shared screen shows large:
a question as a live poll, one proposal, or the Q&A; every app server's presenter reads the same row.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, func, select, update
from sqlalchemy.exc import IntegrityError

from consult.proposals.flags import flags
from consult.storage import db
from consult.storage import schema as s
from consult.storage.audit import audit
from consult.storage.errors import NotFound, Refused, one, retry_on_disconnect
from consult.storage.participants import MEMBERS_ONLY_NOW
from consult.storage.records import now_ms
from consult.storage.visibility import may_see_room_question
from consult.text.cleaning import clean_text

MAX_ROOM_QUESTION_CHARS = 300
MAX_ROOM_QUESTIONS_PER_MEMBER = 5
_R = s.room_questions.c
_V = s.room_question_votes.c


@retry_on_disconnect
def ask(engine: Engine, participant_id: int, body: str) -> tuple[int, str]:
    """A member's question to the panel: (id, status), status "published" or "pending" (waiting for a
    facilitator). Refused when empty, too long, a repeat of one already asked, or past the per-member limit."""
    text = clean_text(body or "")
    if len(text) < 3:
        raise Refused("Write your question first.")
    if len(text) > MAX_ROOM_QUESTION_CHARS:
        raise Refused(f"A question to the panel is at most {MAX_ROOM_QUESTION_CHARS} characters; yours is "
                      f"{len(text):,}.")
    with db.writing(engine) as conn:
        who = conn.execute(select(s.participants.c.consultation_id, s.participants.c.verified,
                                  s.consultations.c.moderation, s.consultations.c.access, s.consultations.c.phase)
                           .join(s.consultations, s.consultations.c.id == s.participants.c.consultation_id)
                           .where(s.participants.c.id == participant_id)).first()
        if who is None:
            raise NotFound("You are not registered in this consultation; please join again.")
        if who.access == "members" and not who.verified:
            raise Refused(MEMBERS_ONLY_NOW)
        if who.phase == "closed":
            raise Refused("This consultation is closed.")
        theirs = conn.execute(select(_R.body).where(_R.participant_id == participant_id)).scalars().all()
        if any(clean_text(old).casefold() == text.casefold() for old in theirs):
            raise Refused("You have already asked that question.")
        if len(theirs) >= MAX_ROOM_QUESTIONS_PER_MEMBER:
            raise Refused(f"You can ask up to {MAX_ROOM_QUESTIONS_PER_MEMBER} questions; upvote others' instead.")
        status = "pending" if who.moderation == "pre" or flags(text) else "published"
        new_id = conn.execute(s.room_questions.insert().values(
            consultation_id=who.consultation_id, participant_id=participant_id, body=text, status=status,
            created_ms=now_ms())).inserted_primary_key[0]
    return new_id, status


@retry_on_disconnect
def upvote(engine: Engine, participant_id: int, room_question_id: int, up: bool = True) -> None:
    """Add (or take back) a member's upvote on a question they may see; a second upvote changes nothing."""
    with db.writing(engine) as conn:
        row = conn.execute(select(_R.consultation_id, _R.participant_id).where(
            _R.id == room_question_id, may_see_room_question(participant_id))).first()
        voter = conn.execute(select(s.participants.c.consultation_id).where(
            s.participants.c.id == participant_id)).scalar()
        if row is None or voter != row.consultation_id:
            raise NotFound("That question is not open for upvotes.")
        if row.participant_id == participant_id:
            raise Refused("You cannot upvote your own question.")
        if not up:
            conn.execute(s.room_question_votes.delete().where(_V.room_question_id == room_question_id,
                                                               _V.participant_id == participant_id))
            return
        try:
            with conn.begin_nested():
                conn.execute(s.room_question_votes.insert().values(room_question_id=room_question_id,
                                                                   participant_id=participant_id))
        except IntegrityError:
            pass  # already upvoted: a double tap is one upvote


@retry_on_disconnect
def moderate(engine: Engine, room_question_id: int, status: str, *, actor: str = "") -> None:
    """Publish, hide or mark answered."""
    if status not in ("published", "hidden", "answered"):
        raise Refused("A question is published, hidden or marked answered.")
    with db.writing(engine) as conn:
        row = one(conn, select(_R.consultation_id).where(_R.id == room_question_id), "question")
        conn.execute(update(s.room_questions).where(_R.id == room_question_id).values(status=status))
        audit(conn, actor=actor or "staff", action=f"room question {status}", consultation_id=row.consultation_id,
              target_type="room_question", target_id=room_question_id)


def room_questions(engine: Engine, consultation_id: int, viewer_id: int | None = None, *,
                   staff: bool = False) -> pd.DataFrame:
    """Questions to the panel, most upvoted first (then oldest): id, body, status, upvotes, created_ms,
    asked_by_viewer, upvoted_by_viewer. Staff see every status; anyone else what `may_see_room_question` allows."""
    votes = (select(_V.room_question_id, func.count().label("upvotes"))
             .join(s.room_questions, _R.id == _V.room_question_id)
             .where(_R.consultation_id == consultation_id).group_by(_V.room_question_id).subquery())
    query = (select(_R.id, _R.body, _R.status, _R.created_ms, _R.participant_id,
                    func.coalesce(votes.c.upvotes, 0).label("upvotes"))
             .outerjoin(votes, votes.c.room_question_id == _R.id)
             .where(_R.consultation_id == consultation_id))
    if not staff:
        query = query.where(may_see_room_question(viewer_id))
    with engine.connect() as conn:
        frame = pd.read_sql(query, conn)
        mine = set(conn.execute(select(_V.room_question_id).where(_V.participant_id == viewer_id)).scalars()) \
            if viewer_id is not None else set()
    frame["asked_by_viewer"] = frame["participant_id"] == viewer_id if viewer_id is not None else False
    frame["upvoted_by_viewer"] = frame["id"].isin(mine)
    frame = frame.drop(columns=["participant_id"])
    return frame.sort_values(["upvotes", "created_ms", "id"], ascending=[False, True, True]).reset_index(drop=True)


@retry_on_disconnect
def set_focus(engine: Engine, consultation_id: int, kind: str, target_id: int | None = None, *,
              actor: str = "") -> None:
    """What the shared screen shows large: "question" (a live poll; `target_id` the question), "proposal",
    "room_questions" (the Q&A) or "none" (the usual room view)."""
    if kind not in s.FOCUS_KINDS:
        raise Refused(f"The presenter focuses on one of: {', '.join(s.FOCUS_KINDS)}.")
    if (kind in ("question", "proposal")) != (target_id is not None):
        raise Refused("Say which question or proposal to focus on." if target_id is None else
                      "Only a question or a proposal is focused on by its number.")
    with db.writing(engine) as conn:
        if kind == "question":
            one(conn, select(s.questions.c.id).where(s.questions.c.id == target_id,
                                                     s.questions.c.consultation_id == consultation_id), "question")
        if kind == "proposal":
            one(conn, select(s.proposals.c.id).where(s.proposals.c.id == target_id,
                                                     s.proposals.c.consultation_id == consultation_id), "proposal")
        values = {"consultation_id": consultation_id, "focus_kind": kind, "focus_id": target_id,
                  "updated_ms": now_ms()}
        conn.execute(db.upsert(conn, s.presenter_screens, ("consultation_id",),
                               lambda stmt: {"focus_kind": stmt.excluded.focus_kind, "focus_id": stmt.excluded.focus_id,
                                             "updated_ms": stmt.excluded.updated_ms}), [values])
        audit(conn, actor=actor or "staff", action="presenter focus", consultation_id=consultation_id,
              detail=f"{kind} {target_id or ''}".strip())


def focus(engine: Engine, consultation_id: int) -> tuple[str, int | None]:
    """(kind, id) of what the shared screen focuses on; ("none", None) when nothing is set."""
    with engine.connect() as conn:
        row = conn.execute(select(s.presenter_screens.c.focus_kind, s.presenter_screens.c.focus_id).where(
            s.presenter_screens.c.consultation_id == consultation_id)).first()
    return (row.focus_kind, row.focus_id) if row is not None else ("none", None)
