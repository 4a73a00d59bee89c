"""Questions, answers, the room's Q&A and the presenter's focus in the database (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from consult import storage
from consult.questions.kinds import make_spec
from consult.storage import erasure, room
from consult.storage import questions as question_store
from consult.storage import schema as s
from consult.storage.errors import NotFound, Refused


def _specs():
    return [make_spec("agree_scale", "Should a regional assembly have tax-raising powers?"),
            make_spec("single", "Which area do you identify with?", "Town|County|Region"),
            make_spec("multiple", "Which powers?", "Tax|Transport|Housing"),
            make_spec("ranking", "Rank these", "Tax|Transport|Housing"),
            make_spec("number", "How many members?", min_value=10, max_value=200),
            make_spec("free_text", "One word for your region")]


def test_each_kind_is_answered_changed_and_closed(engine, consultation):
    ids = question_store.add_questions(engine, consultation.id, _specs(), actor="officer")
    member = storage.add_participant(engine, consultation.id, region="E12000001")
    with pytest.raises(Refused, match="closed"):
        question_store.answer(engine, ids[0], member.id, 4)  # a draft takes no answers
    for question_id in ids:
        question_store.set_status(engine, question_id, "open", actor="officer")
    given = [4, "1", [0, 2], [2, 0, 1], "150", "Proud"]
    for question_id, value in zip(ids, given, strict=True):
        question_store.answer(engine, question_id, member.id, value)
    assert question_store.participant_answers(engine, consultation.id, member.id) == dict(
        zip(ids, ["4", "1", "0,2", "2,0,1", "150", "Proud"], strict=True))
    question_store.answer(engine, ids[0], member.id, 2)  # changed, still one answer
    frame = question_store.answers_frame(engine, consultation.id, ids[0])
    assert frame["answer"].tolist() == ["2"] and frame["region"].tolist() == ["E12000001"]
    question_store.set_status(engine, ids[0], "closed", actor="officer")
    with pytest.raises(Refused, match="closed"):
        question_store.answer(engine, ids[0], member.id, 5)
    assert question_store.answers_frame(engine, consultation.id, ids[0])["answer"].tolist() == ["2"]


def test_bad_answers_and_strangers_are_refused_and_change_nothing(engine, consultation):
    (question_id,) = question_store.add_questions(engine, consultation.id, [_specs()[4]])
    question_store.set_status(engine, question_id, "open")
    member = storage.add_participant(engine, consultation.id, region="E12000001")
    with pytest.raises(Refused, match="largest answer allowed is 200"):
        question_store.answer(engine, question_id, member.id, 5000)
    other = storage.create_consultation(engine, title="Other", question="Q?")
    stranger = storage.add_participant(engine, other.id, region="E12000001")
    with pytest.raises(NotFound, match="not registered"):
        question_store.answer(engine, question_id, stranger.id, 20)
    with pytest.raises(NotFound):
        question_store.answer(engine, 999_999, member.id, 20)
    assert question_store.answers_frame(engine, consultation.id).empty


def test_repeated_questions_are_refused_whole(engine, consultation):
    question_store.add_questions(engine, consultation.id, _specs()[:2])
    with pytest.raises(Refused, match="Already asked"):
        question_store.add_questions(engine, consultation.id, [_specs()[2], _specs()[0]])
    assert len(question_store.list_questions(engine, consultation.id)) == 2


def test_members_only_counts_verified_members_only(engine, consultation):
    (question_id,) = question_store.add_questions(engine, consultation.id, _specs()[:1])
    question_store.set_status(engine, question_id, "open")
    guest = storage.add_participant(engine, consultation.id, region="E12000001")
    question_store.answer(engine, question_id, guest.id, 5)
    storage.update_settings(engine, consultation.id, actor="officer", access="members")
    assert question_store.answers_frame(engine, consultation.id).empty
    with pytest.raises(Refused, match="verified party members"):
        question_store.answer(engine, question_id, guest.id, 4)


def test_two_devices_answering_at_once_leave_one_answer(engine, consultation):
    (question_id,) = question_store.add_questions(engine, consultation.id, _specs()[:1])
    question_store.set_status(engine, question_id, "open")
    people = [storage.add_participant(engine, consultation.id, region="E12000001") for _ in range(10)]
    errors = []

    def answer(member, value):
        try:
            question_store.answer(engine, question_id, member.id, value)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=answer, args=(member, value)) for member in people for value in (1, 5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert question_store.answer_counts(engine, consultation.id) == {question_id: 10}


def test_room_questions_are_moderated_upvoted_once_and_seen_by_the_visibility_rule(engine, consultation):
    asker, voter, other = (storage.add_participant(engine, consultation.id, region="E12000001") for _ in range(3))
    question_id, status = room.ask(engine, asker.id, "When would assemblies be elected?")
    assert status == "published"
    with pytest.raises(Refused, match="already asked"):
        room.ask(engine, asker.id, "when would assemblies be  elected?")
    flagged_id, flagged_status = room.ask(engine, other.id, "Ask Councillor Jane Smith on 07700 900123")
    assert flagged_status == "pending"
    room.upvote(engine, voter.id, question_id)
    room.upvote(engine, voter.id, question_id)  # a double tap counts once
    with pytest.raises(Refused, match="own question"):
        room.upvote(engine, asker.id, question_id)
    with pytest.raises(NotFound):
        room.upvote(engine, voter.id, flagged_id)  # nobody else sees a pending question
    seen = room.room_questions(engine, consultation.id, voter.id)
    assert seen["id"].tolist() == [question_id] and seen["upvotes"].tolist() == [1]
    assert seen["upvoted_by_viewer"].tolist() == [True]
    assert set(room.room_questions(engine, consultation.id, other.id)["id"]) == {question_id, flagged_id}
    assert room.room_questions(engine, consultation.id)["id"].tolist() == [question_id]  # the screen
    room.moderate(engine, flagged_id, "hidden", actor="facilitator")
    assert flagged_id not in set(room.room_questions(engine, consultation.id, other.id)["id"])
    room.upvote(engine, voter.id, question_id, up=False)
    assert room.room_questions(engine, consultation.id)["upvotes"].tolist() == [0]
    with pytest.raises(Refused, match="at most 300"):
        room.ask(engine, voter.id, "x" * 301)


def test_the_presenter_focus_is_one_row_that_must_name_what_it_shows(engine, consultation):
    assert room.focus(engine, consultation.id) == ("none", None)
    (question_id,) = question_store.add_questions(engine, consultation.id, _specs()[:1])
    room.set_focus(engine, consultation.id, "question", question_id, actor="facilitator")
    assert room.focus(engine, consultation.id) == ("question", question_id)
    room.set_focus(engine, consultation.id, "room_questions")
    assert room.focus(engine, consultation.id) == ("room_questions", None)
    with pytest.raises(Refused, match="which question"):
        room.set_focus(engine, consultation.id, "question")
    other = storage.create_consultation(engine, title="Other", question="Q?")
    with pytest.raises(NotFound):
        room.set_focus(engine, other.id, "question", question_id)


def test_erasure_removes_answers_room_questions_and_upvotes(engine, consultation):
    (question_id,) = question_store.add_questions(engine, consultation.id, _specs()[:1])
    question_store.set_status(engine, question_id, "open")
    leaving, staying = (storage.add_participant(engine, consultation.id, region="E12000001") for _ in range(2))
    question_store.answer(engine, question_id, leaving.id, 5)
    question_store.answer(engine, question_id, staying.id, 1)
    theirs, _ = room.ask(engine, leaving.id, "What about rural areas?")
    mine, _ = room.ask(engine, staying.id, "And the islands?")
    room.upvote(engine, staying.id, theirs)
    room.upvote(engine, leaving.id, mine)
    erasure.erase_participant(engine, leaving.id, actor="officer")
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(s.question_answers)).scalar() == 1
        assert conn.execute(select(s.room_questions.c.id)).scalars().all() == [mine]
        assert conn.execute(select(func.count()).select_from(s.room_question_votes)).scalar() == 0
