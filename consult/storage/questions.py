"""Structured questions: write them (one by one or a file at once), open and close them, and keep one current
answer per participant, changeable until the question closes.

What a valid answer is lives in `consult.questions.kinds`; this module refuses anything else with that reason.
Whose answers count follows `participants.participant_counts` (in a members-only consultation, verified members
only), the rule votes follow.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, func, select, update

from consult.questions.kinds import AnswerError, QuestionSpec, encode_answer
from consult.storage import db
from consult.storage import schema as s
from consult.storage.audit import audit
from consult.storage.errors import NotFound, Refused, one, retry_on_disconnect
from consult.storage.participants import MEMBERS_ONLY_NOW, participant_counts
from consult.storage.records import now_ms

_Q = s.questions.c
_A = s.question_answers.c


@dataclass(frozen=True)
class Question:
    id: int
    consultation_id: int
    position: int
    kind: str
    text: str
    options: tuple[str, ...]
    min_value: float | None
    max_value: float | None
    status: str
    results_shown: bool

    @property
    def spec(self) -> QuestionSpec:
        return QuestionSpec(self.kind, self.text, self.options, self.min_value, self.max_value)

    @classmethod
    def from_row(cls, row) -> Question:
        return cls(row.id, row.consultation_id, row.position, row.kind, row.text,
                   tuple(line for line in row.options.split("\n") if line), row.min_value, row.max_value,
                   row.status, bool(row.results_shown))


_COLUMNS = (_Q.id, _Q.consultation_id, _Q.position, _Q.kind, _Q.text, _Q.options, _Q.min_value, _Q.max_value,
            _Q.status, _Q.results_shown)


@retry_on_disconnect
def add_questions(engine: Engine, consultation_id: int, specs: Sequence[QuestionSpec], *, actor: str = "") -> list[int]:
    """Add checked questions (drafts) after the consultation's others, all or none: a question whose text is
    already in the consultation is refused with the others, since members could not tell the two apart."""
    if not specs:
        raise Refused("There are no questions to add.")
    with db.writing(engine) as conn:
        one(conn, select(s.consultations.c.id).where(s.consultations.c.id == consultation_id), "consultation")
        existing = {text.casefold() for text in conn.execute(select(_Q.text).where(
            _Q.consultation_id == consultation_id)).scalars()}
        repeated = [spec.text for spec in specs if spec.text.casefold() in existing]
        if repeated:
            raise Refused(f"Already asked in this consultation: {repeated[0]!r}"
                          + (f" and {len(repeated) - 1} more" if len(repeated) > 1 else "") + ". Nothing was added.")
        start = conn.execute(select(func.coalesce(func.max(_Q.position), -1)).where(
            _Q.consultation_id == consultation_id)).scalar() + 1
        stamp = now_ms()
        ids = []
        for offset, spec in enumerate(specs):
            ids.append(conn.execute(s.questions.insert().values(
                consultation_id=consultation_id, position=start + offset, kind=spec.kind, text=spec.text,
                options="\n".join(spec.options), min_value=spec.min_value, max_value=spec.max_value,
                created_by=actor, created_ms=stamp)).inserted_primary_key[0])
        audit(conn, actor=actor or "staff", action="questions added", consultation_id=consultation_id,
              detail=f"{len(ids)} question(s)")
    return ids


def list_questions(engine: Engine, consultation_id: int, statuses: tuple[str, ...] | None = None) -> list[Question]:
    query = select(*_COLUMNS).where(_Q.consultation_id == consultation_id).order_by(_Q.position)
    if statuses:
        query = query.where(_Q.status.in_(statuses))
    with engine.connect() as conn:
        return [Question.from_row(row) for row in conn.execute(query)]


def get_question(engine: Engine, question_id: int) -> Question:
    with engine.connect() as conn:
        return Question.from_row(one(conn, select(*_COLUMNS).where(_Q.id == question_id), "question"))


@retry_on_disconnect
def set_status(engine: Engine, question_id: int, status: str, *, actor: str = "") -> None:
    """Open a question for answers, or close it (answers are kept; a closed question can be opened again)."""
    if status not in s.QUESTION_STATUSES or status == "draft":
        raise Refused("A question is opened or closed.")
    with db.writing(engine) as conn:
        row = one(conn, select(_Q.consultation_id, _Q.status).where(_Q.id == question_id), "question")
        if row.status == status:
            return
        conn.execute(update(s.questions).where(_Q.id == question_id).values(
            status=status, closed_ms=now_ms() if status == "closed" else None))
        audit(conn, actor=actor or "staff", action=f"question {status}", consultation_id=row.consultation_id,
              target_type="question", target_id=question_id)


@retry_on_disconnect
def set_results_shown(engine: Engine, question_id: int, shown: bool) -> None:
    with db.writing(engine) as conn:
        conn.execute(update(s.questions).where(_Q.id == question_id).values(results_shown=bool(shown)))


@retry_on_disconnect
def delete_draft(engine: Engine, question_id: int, *, actor: str = "") -> None:
    """Remove a question that was never opened (an opened one has answers to keep: close it instead)."""
    with db.writing(engine) as conn:
        row = one(conn, select(_Q.consultation_id, _Q.status).where(_Q.id == question_id), "question")
        if row.status != "draft":
            raise Refused("Only a question that was never opened can be removed; close this one instead.")
        conn.execute(s.questions.delete().where(_Q.id == question_id))
        audit(conn, actor=actor or "staff", action="question removed", consultation_id=row.consultation_id,
              target_type="question", target_id=question_id)


_TARGET = (select(*_COLUMNS, s.consultations.c.phase, s.consultations.c.access)
           .join(s.consultations, s.consultations.c.id == _Q.consultation_id))


@retry_on_disconnect
def answer(engine: Engine, question_id: int, participant_id: int, value: object) -> str:
    """Record (or replace) a participant's answer; returns it as stored. Refused with the reason when the question
    is not open, the answer is not valid for it, or the participant does not belong to its consultation."""
    with db.writing(engine) as conn:
        row = conn.execute(_TARGET.where(_Q.id == question_id)).first()
        if row is None:
            raise NotFound("That question no longer exists.")
        question = Question.from_row(row)
        if question.status != "open" or row.phase == "closed":
            raise Refused("This question is closed: answers can no longer be given or changed.")
        voter = conn.execute(select(s.participants.c.consultation_id, s.participants.c.verified).where(
            s.participants.c.id == participant_id)).first()
        if voter is None or voter.consultation_id != question.consultation_id:
            raise NotFound("You are not registered in this consultation; please join again.")
        if row.access == "members" and not voter.verified:
            raise Refused(MEMBERS_ONLY_NOW)
        try:
            stored = encode_answer(question.spec, value)
        except AnswerError as exc:
            raise Refused(str(exc)) from None
        values = {"question_id": question_id, "participant_id": participant_id,
                  "consultation_id": question.consultation_id, "answer": stored, "updated_ms": now_ms()}
        conn.execute(db.upsert(conn, s.question_answers, ("question_id", "participant_id"),
                               lambda stmt: {"answer": stmt.excluded.answer, "updated_ms": stmt.excluded.updated_ms}),
                     [values])
    return stored


def participant_answers(engine: Engine, consultation_id: int, participant_id: int) -> dict[int, str]:
    """question_id -> this participant's stored answer."""
    with engine.connect() as conn:
        rows = conn.execute(select(_A.question_id, _A.answer).where(
            _A.consultation_id == consultation_id, _A.participant_id == participant_id)).all()
    return dict(rows)


def answers_frame(engine: Engine, consultation_id: int, question_id: int | None = None) -> pd.DataFrame:
    """The answers that count: question_id, participant_id, answer, updated_ms, region, local_party, verified."""
    p = s.participants.c
    query = (select(_A.question_id, _A.participant_id, _A.answer, _A.updated_ms, p.region,
                    p.constituency.label("local_party"), p.verified)
             .join(s.participants, p.id == _A.participant_id)
             .join(s.consultations, s.consultations.c.id == p.consultation_id)
             .where(_A.consultation_id == consultation_id, participant_counts())
             .order_by(_A.question_id, _A.participant_id))
    if question_id is not None:
        query = query.where(_A.question_id == question_id)
    with engine.connect() as conn:
        return pd.read_sql(query, conn)


def answer_counts(engine: Engine, consultation_id: int) -> dict[int, int]:
    """question_id -> how many participants have answered it (every answer, for the live count)."""
    with engine.connect() as conn:
        rows = conn.execute(select(_A.question_id, func.count()).where(_A.consultation_id == consultation_id)
                            .group_by(_A.question_id)).all()
    return dict(rows)
