"""The demo consultation's structured questions, answered by its participants with a regional lean (Scotland, Wales
and the North more in favour of tax-raising assemblies than London and the South East), so the officers' Questions
page, the members' Questions page, the report and the results file have something to show at first open; a
facilitator launches any of them as a live poll from Run a session."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import Engine, select

from consult.questions.kinds import encode_answer, make_spec
from consult.storage import db, room
from consult.storage import questions as question_store
from consult.storage import schema as s

QUESTIONS = [
    make_spec("agree_scale", "A regional assembly should be able to raise some of its own taxes."),
    make_spec("single", "Which area do you most identify with?", "My town or city|My county|My region|My nation|"
                                                                   "The UK as a whole"),
    make_spec("ranking", "Rank these powers by how much you want them decided in your region.",
              "Transport|Housing and planning|Skills and colleges|Health and care|Policing"),
    make_spec("number", "How many members should a regional assembly have?", min_value=10, max_value=200),
    make_spec("free_text", "In one or two words: what should your region decide for itself?"),
]
# how far each region leans towards tax-raising assemblies (added to the log-odds of agreeing)
LEAN = {"S92000003": 1.2, "W92000004": 0.9, "E12000001": 0.7, "E12000002": 0.6, "E12000003": 0.5,
        "N92000002": 0.3, "E12000004": 0.1, "E12000005": 0.1, "E12000006": -0.2, "E12000009": -0.1,
        "E12000008": -0.6, "E12000007": -0.8}
WORDS = ["transport", "buses", "housing", "skills", "health", "planning", "rail", "energy", "water", "jobs",
         "schools", "policing", "roads", "culture", "tourism"]


def _answer(rng: np.random.Generator, region: str) -> list[object]:
    lean = LEAN.get(region, 0.0)
    agree_odds = 1 / (1 + np.exp(-(0.2 + lean)))
    scale = int(rng.choice([4, 5])) if rng.random() < agree_odds else int(rng.choice([1, 2, 3], p=[0.3, 0.4, 0.3]))
    identity = int(rng.choice(5, p=[0.25, 0.1, 0.25 + 0.1 * max(lean, 0), 0.15, 0.25 - 0.1 * max(lean, 0)]))
    order = list(rng.permutation(5)[: int(rng.integers(1, 6))])
    size = int(np.clip(rng.normal(80, 25), 10, 200))
    words = " and ".join(rng.choice(WORDS, size=int(rng.integers(1, 3)), replace=False))
    return [scale, identity, order, size, words]


def install(engine: Engine, consultation_id: int, seed: int = 2026, *, answering: float = 0.6) -> list[int]:
    """Add the questions (open) and answers from a share of the participants; the presenter starts on the room view."""
    ids = question_store.add_questions(engine, consultation_id, QUESTIONS, actor="consult demo")
    for question_id in ids:
        question_store.set_status(engine, question_id, "open", actor="consult demo")
    with engine.connect() as conn:
        people = pd.read_sql(select(s.participants.c.id, s.participants.c.region, s.participants.c.created_ms)
                             .where(s.participants.c.consultation_id == consultation_id), conn)
    rng = np.random.default_rng(seed)
    rows = []
    for person in people.itertuples():
        if rng.random() > answering:
            continue
        for question_id, spec, value in zip(ids, QUESTIONS, _answer(rng, person.region), strict=True):
            if spec.kind == "free_text" and rng.random() < 0.5:
                continue
            rows.append((question_id, int(person.id), consultation_id, encode_answer(spec, value),
                         int(person.created_ms)))
    with db.writing(engine) as conn:
        db.bulk_insert(conn, s.question_answers, ["question_id", "participant_id", "consultation_id", "answer",
                                                  "updated_ms"], rows)
    room.set_focus(engine, consultation_id, "none", actor="consult demo")
    return ids
