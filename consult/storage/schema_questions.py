"""The schema's tables for asking: structured questions and their answers, the room's Q&A, and what the presenter
shows. On the same metadata as `schema`; migration 0011 creates them.

- `questions`: one question of a consultation, of one kind (agree scale, single or multiple choice, ranking, a
  number, free text); options one per line; answerable while `status` is open.
- `question_answers`: one current answer per participant and question (changeable until the question closes). The
  answer is stored as text in the kind's own encoding (`consult.questions.kinds`).
- `room_questions`, `room_question_votes`: the Q&A: members' questions to the panel, moderated by the same rule as
  proposals (`storage.visibility`), and one upvote per member and question.
- `presenter_screens`: what the shared screen focuses on, one row per consultation (a question as a live poll, one
  proposal, the Q&A), so every app server's presenter shows the same thing.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from consult.storage.schema_base import metadata
from consult.storage.schema_base import one_of as _one_of

QUESTION_KINDS = ("agree_scale", "single", "multiple", "ranking", "number", "free_text")
QUESTION_STATUSES = ("draft", "open", "closed")
ROOM_QUESTION_STATUSES = ("pending", "published", "hidden", "answered")
FOCUS_KINDS = ("none", "question", "proposal", "room_questions")

questions = Table(
    "questions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("consultation_id", ForeignKey("consultations.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("text", Text, nullable=False),
    Column("options", Text, nullable=False, server_default=""),  # one option per line, in order
    Column("min_value", Float),
    Column("max_value", Float),
    Column("status", String(8), nullable=False, server_default="draft"),
    Column("results_shown", Boolean, nullable=False, server_default="1"),  # on the presenter while it is live
    Column("created_by", String(120), nullable=False, server_default=""),
    Column("created_ms", BigInteger, nullable=False),
    Column("closed_ms", BigInteger),
    CheckConstraint(_one_of("kind", QUESTION_KINDS), name="kind"),
    CheckConstraint(_one_of("status", QUESTION_STATUSES), name="status"),
    CheckConstraint("length(text) >= 1 AND length(text) <= 1000", name="text"),
    CheckConstraint("min_value IS NULL OR max_value IS NULL OR max_value > min_value", name="range"),
    Index("ix_questions_consultation_id_position", "consultation_id", "position", unique=True),
)

question_answers = Table(
    "question_answers",
    metadata,
    Column("question_id", ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True),
    Column("participant_id", ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True),
    Column("consultation_id", Integer, nullable=False),
    Column("answer", Text, nullable=False),
    Column("updated_ms", BigInteger, nullable=False),
    CheckConstraint("length(answer) >= 1 AND length(answer) <= 2000", name="answer"),
    Index("ix_question_answers_consultation_id", "consultation_id"),
)

room_questions = Table(
    "room_questions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("consultation_id", ForeignKey("consultations.id", ondelete="CASCADE"), nullable=False),
    Column("participant_id", ForeignKey("participants.id", ondelete="CASCADE"), nullable=False),
    Column("body", Text, nullable=False),
    Column("status", String(12), nullable=False, server_default="published"),
    Column("created_ms", BigInteger, nullable=False),
    CheckConstraint(_one_of("status", ROOM_QUESTION_STATUSES), name="status"),
    CheckConstraint("length(body) >= 1 AND length(body) <= 300", name="body"),
    Index("ix_room_questions_consultation_id", "consultation_id"),
)

room_question_votes = Table(
    "room_question_votes",
    metadata,
    Column("room_question_id", ForeignKey("room_questions.id", ondelete="CASCADE"), primary_key=True),
    Column("participant_id", ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True),
)

presenter_screens = Table(
    "presenter_screens",
    metadata,
    Column("consultation_id", ForeignKey("consultations.id", ondelete="CASCADE"), primary_key=True),
    Column("focus_kind", String(16), nullable=False, server_default="none"),
    Column("focus_id", Integer),
    Column("updated_ms", BigInteger, nullable=False),
    CheckConstraint(_one_of("focus_kind", FOCUS_KINDS), name="focus_kind"),
    CheckConstraint("(focus_kind IN ('none', 'room_questions')) = (focus_id IS NULL)", name="focus_id"),
)
