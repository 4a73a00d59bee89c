"""The question pages under AppTest: a member answers every kind and changes an answer; an officer writes, opens
and reads a question with cross-tabs; a facilitator launches a live poll and runs the Q&A; the presenter shows the
poll's bars, the Q&A and, at a small local session, no regional claims (and says why)."""

from __future__ import annotations

from helpers import app_test, joined, sign_in_as

from consult import storage
from consult.questions.kinds import make_spec
from consult.storage import db, room
from consult.storage import questions as question_store


def _setup(sqlite_url):
    engine = db.make_engine(sqlite_url)
    storage.init_db(engine)
    consultation = storage.create_consultation(engine, title="Devolution", question="Which powers should go where?")
    return engine, consultation


def _all_kinds(engine, consultation):
    ids = question_store.add_questions(engine, consultation.id, [
        make_spec("agree_scale", "Should a regional assembly have tax-raising powers?"),
        make_spec("single", "Which area do you identify with?", "My town|My county|My region"),
        make_spec("multiple", "Which powers should go to regions?", "Transport|Housing|Skills"),
        make_spec("ranking", "Rank these powers", "Transport|Housing|Skills"),
        make_spec("number", "How many members should an assembly have?", min_value=10, max_value=200),
        make_spec("free_text", "One word for your region"),
    ])
    for question_id in ids:
        question_store.set_status(engine, question_id, "open")
    return ids


def _submit(at, question_id):
    next(b for b in at.button if b.key and b.key.startswith(f"FormSubmitter:answer_{question_id}")).click().run()


def test_a_member_answers_each_kind_and_changes_an_answer(sqlite_url):
    engine, consultation = _setup(sqlite_url)
    scale, single, multiple, ranking, number, text = _all_kinds(engine, consultation)
    at, member = joined(sqlite_url, engine, consultation)
    at.run()
    at.switch_page("consult/app/pages/questions.py").run()
    assert not at.exception
    at.radio(key=f"q{scale}").set_value(4)
    _submit(at, scale)
    assert any("Your answer is saved" in s.value for s in at.success)
    at.radio(key=f"q{single}").set_value(2)
    _submit(at, single)
    at.checkbox(key=f"q{multiple}_0").check()
    at.checkbox(key=f"q{multiple}_2").check()
    _submit(at, multiple)
    at.selectbox(key=f"q{ranking}_1").set_value(1)
    at.selectbox(key=f"q{ranking}_0").set_value(2)
    _submit(at, ranking)
    at.number_input(key=f"q{number}").set_value(120)
    _submit(at, number)
    at.text_input(key=f"q{text}").input("Proud")
    _submit(at, text)
    assert not at.exception
    assert question_store.participant_answers(engine, consultation.id, member.id) == {
        scale: "4", single: "2", multiple: "0,2", ranking: "1,0", number: "120", text: "Proud"}
    at.radio(key=f"q{scale}").set_value(2)  # changed
    _submit(at, scale)
    assert question_store.participant_answers(engine, consultation.id, member.id)[scale] == "2"
    question_store.set_status(engine, scale, "closed")
    at.run()
    assert any("Closed. Your answer: Disagree" in c.value for c in at.caption)


def test_a_ranking_with_a_gap_is_refused_and_nothing_is_saved(sqlite_url):
    engine, consultation = _setup(sqlite_url)
    ranking = _all_kinds(engine, consultation)[3]
    at, member = joined(sqlite_url, engine, consultation)
    at.run()
    at.switch_page("consult/app/pages/questions.py").run()
    at.selectbox(key=f"q{ranking}_0").set_value(1)
    at.selectbox(key=f"q{ranking}_1").set_value(3)
    _submit(at, ranking)
    assert at.error and ranking not in question_store.participant_answers(engine, consultation.id, member.id)


def test_an_officer_writes_opens_and_reads_a_question_by_region_and_local_party(sqlite_url):
    engine, consultation = _setup(sqlite_url)
    at = sign_in_as(app_test(sqlite_url), sqlite_url, "olivia", "officer")
    at.run()
    at.switch_page("consult/app/pages/questions_admin.py").run()
    assert not at.exception
    next(s for s in at.selectbox if s.label == "Kind").set_value("single")
    next(t for t in at.text_area if t.label == "Question").input("Where should transport powers sit?")
    next(t for t in at.text_area if t.label.startswith("Options")).input("Westminster\nRegional assembly\nCouncils")
    next(b for b in at.button if b.label == "Add the question").click().run()
    (question,) = question_store.list_questions(engine, consultation.id)
    assert question.options == ("Westminster", "Regional assembly", "Councils") and question.status == "draft"
    at.button(key=f"open_q{question.id}").click().run()
    assert question_store.get_question(engine, question.id).status == "open"
    for i in range(30):
        member = storage.add_participant(engine, consultation.id, region="E12000001" if i < 24 else "W92000004",
                                         constituency=f"Party {i % 2}")
        question_store.answer(engine, question.id, member.id, i % 3)
    at.run()
    assert not at.exception
    assert any("30 answers" in c.value for c in at.caption)
    # by region: Wales' six answers keep a pooled estimate but no count; the results file is offered
    regional = next(d.value for d in at.dataframe if "suppressed" in d.value.columns)
    wales = regional[regional["region"] == "Wales"]
    assert wales["suppressed"].all() and wales["n"].isna().all() and wales["share"].notna().all()
    assert not regional.loc[regional["region"] == "North East", "suppressed"].any()
    assert any(b.label == "Results by region (CSV)" for b in at.get("download_button"))
    at.segmented_control(key=f"by_{question.id}").set_value("local_party").run()
    assert not at.exception
    table = at.dataframe[-1].value
    assert set(table["group"]) == {"Party 0", "Party 1"} and int(table["respondents"].max()) == 15


def test_a_live_poll_and_the_qa_reach_the_presenter(sqlite_url):
    engine, consultation = _setup(sqlite_url)
    (question_id,) = question_store.add_questions(engine, consultation.id, [
        make_spec("single", "Which first: <b>transport</b> or housing?", "Transport|Housing")])
    facilitator = sign_in_as(app_test(sqlite_url), sqlite_url, "fran", "facilitator")
    facilitator.run()
    # a selectbox shows plain text: the question as written, no markdown escapes ("\.", "\(")
    assert facilitator.selectbox(key="poll_choice").options == ["Which first: <b>transport</b> or housing? (single "
                                                                "choice, draft)"]
    facilitator.selectbox(key="poll_choice").set_value(question_id)
    facilitator.button(key="launch_poll").click().run()
    assert room.focus(engine, consultation.id) == ("question", question_id)
    members = [storage.add_participant(engine, consultation.id, region="E12000001") for _ in range(4)]
    for member, choice in zip(members, [0, 0, 0, 1], strict=True):
        question_store.answer(engine, question_id, member.id, choice)
    screen = app_test(sqlite_url)
    screen.query_params["code"] = consultation.join_code
    screen.run()
    screen.switch_page("consult/app/pages/present.py").run()
    assert not screen.exception
    assert screen.title[0].value.startswith("Which first")
    bars = next(h.proto.body for h in screen.html if "poll-row" in h.proto.body)
    assert "75%" in bars and "25%" in bars and "&lt;b&gt;" not in bars  # labels escaped, title is text
    # the Q&A: a member asks, the facilitator approves (pre-moderated consultation), the screen shows it
    storage.update_settings(engine, consultation.id, actor="t", moderation="pre")
    asked, status = room.ask(engine, members[0].id, "Who pays for the assemblies?")
    assert status == "pending"
    facilitator.run()
    facilitator.button(key=f"qa_ok_{asked}").click().run()
    room.upvote(engine, members[1].id, asked)
    facilitator.button(key="focus_qa").click().run()
    screen.run()
    assert any(t.value == "Who pays for the assemblies?" for t in screen.text)
    assert any("▲ 1" in h.proto.body for h in screen.html)


def test_a_small_local_session_shows_the_rooms_results_and_no_regional_claims(sqlite_url):
    engine, consultation = _setup(sqlite_url)
    members = [storage.add_participant(engine, consultation.id, region="E12000001") for _ in range(4)]
    proposal = storage.add_proposal(engine, consultation.id, body="Give the region control of its buses",
                                    author_id=members[0].id, tier="region", region="E12000001")
    storage.set_phase(engine, consultation.id, "voting", actor="t")
    for member in members:
        storage.cast_vote(engine, member.id, proposal.id, 1)
    screen = app_test(sqlite_url)
    screen.query_params["code"] = consultation.join_code
    screen.run()
    screen.switch_page("consult/app/pages/present.py").run()
    assert not screen.exception
    headers = [h.value for h in screen.header]
    assert "Who is taking part" not in headers and "Supported in every region" not in headers
    assert "Most agreed in this room" in headers
    assert any("A local session" in c.value for c in screen.caption)
    assert any(t.value == "Which powers should go where?" for t in screen.text)  # the consultation's question
