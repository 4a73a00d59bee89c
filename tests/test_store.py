"""The storage layer on SQLite and on the real PostgreSQL server."""

from __future__ import annotations

import multiprocessing
import threading

import pandas as pd
import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from consult import regions, storage
from consult.storage import db, tallies
from consult.storage import schema as s


def _member(engine, consultation, region="E12000001"):
    return storage.add_participant(engine, consultation.id, region=region)


def test_round_trip_consultation_participant_proposal_vote(engine, consultation):
    assert storage.find_consultation(engine, consultation.join_code.lower()) == consultation
    member = _member(engine, consultation, region="W92000004")
    assert storage.participant_by_token(engine, member.token) == member
    proposal = storage.add_proposal(engine, consultation.id, body="  Give Wales   control over rail  ",
                                  author_id=member.id, tier="nation")
    assert proposal.body == "Give Wales control over rail"
    assert proposal.region == "W92000004" and proposal.status == "published"
    other = _member(engine, consultation)
    storage.cast_vote(engine, other.id, proposal.id, 1)
    votes = storage.votes_frame(engine, consultation.id)
    assert votes[["participant_id", "proposal_id", "value"]].values.tolist() == [[other.id, proposal.id, 1]]
    assert votes["region"].tolist() == ["E12000001"]
    assert storage.counts(engine, consultation.id) == storage.Counts(2, 1, 1, 0, 1, unverified=2)


def test_vote_change_keeps_one_current_vote_and_logs_every_event(engine, consultation):
    author, voter = _member(engine, consultation), _member(engine, consultation)
    proposal = storage.add_proposal(engine, consultation.id, body="Elect the assembly by STV", author_id=author.id)
    for value in (1, -1, 0):
        storage.cast_vote(engine, voter.id, proposal.id, value)
    assert storage.participant_votes(engine, voter.id) == {proposal.id: 0}
    assert len(storage.votes_frame(engine, consultation.id)) == 1
    assert storage.vote_events_frame(engine, consultation.id)["value"].tolist() == [1, -1, 0]


def test_database_rejects_bad_states(engine, consultation):
    member = _member(engine, consultation)
    proposal = storage.add_proposal(engine, consultation.id, body="A perfectly good proposal", author_id=member.id)
    bad_rows = [
        (s.votes, {"consultation_id": consultation.id, "participant_id": member.id, "proposal_id": proposal.id,
                   "value": 2, "updated_ms": 1}),
        (s.votes, {"consultation_id": consultation.id, "participant_id": member.id, "proposal_id": 99999,
                   "value": 1, "updated_ms": 1}),
        (s.participants, {"consultation_id": consultation.id, "token": "t1", "region": "ATLANTIS",
                          "created_ms": 1}),
        (s.proposals, {"consultation_id": consultation.id, "body": "x", "tier": "galaxy", "created_ms": 1,
                       "updated_ms": 1}),
        (s.proposals, {"consultation_id": consultation.id, "body": "x", "status": "merged", "created_ms": 1,
                       "updated_ms": 1}),
        (s.consultations, {"join_code": "ZZZZ", "title": "t", "question": "q", "phase": "party",
                           "created_ms": 1}),
    ]
    for table, row in bad_rows:
        with pytest.raises(IntegrityError), db.writing(engine) as conn:
            conn.execute(insert(table).values(**row))
    # a vote cannot point into another consultation's proposal
    elsewhere = storage.create_consultation(engine, title="Other", question="Other?")
    with pytest.raises(IntegrityError), db.writing(engine) as conn:
        conn.execute(insert(s.votes).values(consultation_id=elsewhere.id, participant_id=member.id,
                                            proposal_id=proposal.id, value=1, updated_ms=1))
    # a second current vote for the same pair is impossible
    storage.cast_vote(engine, member.id, proposal.id, 1)
    with pytest.raises(IntegrityError), db.writing(engine) as conn:
        conn.execute(insert(s.votes).values(consultation_id=consultation.id, participant_id=member.id,
                                            proposal_id=proposal.id, value=-1, updated_ms=2))


def test_a_member_sending_the_same_proposal_again_gets_the_first_one_back(engine, consultation):
    """A double press, or a page that runs its callback twice, must not turn a saved proposal into an error."""
    member = _member(engine, consultation)
    first = storage.add_proposal(engine, consultation.id, body="Fund rural buses properly", author_id=member.id)
    again = storage.add_proposal(engine, consultation.id, body="fund RURAL buses, properly!", author_id=member.id)
    assert again == first
    assert storage.proposals_written(engine, member.id) == 1
    for n in range(2):  # the repeat of a member's last allowed proposal is not refused for the limit either
        storage.add_proposal(engine, consultation.id, body=f"Distinct proposal number {n}", author_id=member.id)
    assert storage.add_proposal(engine, consultation.id, body="Distinct proposal number 1", author_id=member.id).id
    storage.set_proposal_status(engine, first.id, "hidden", actor="officer", reason="test")
    with pytest.raises(storage.HeldForReview):  # not saved again, and not "already made" (test_held_for_review)
        storage.add_proposal(engine, consultation.id, body="Fund rural buses properly", author_id=member.id)


def test_refusals_have_clear_messages(engine, consultation):
    member = _member(engine, consultation)
    with pytest.raises(storage.StoreError, match="at least 10"):
        storage.add_proposal(engine, consultation.id, body="too short", author_id=member.id)
    with pytest.raises(storage.StoreError, match="limit is 200"):
        storage.add_proposal(engine, consultation.id, body="x" * 201, author_id=member.id)
    with pytest.raises(storage.StoreError, match="Write your proposal"):
        storage.add_proposal(engine, consultation.id, body=" \u200b\n\t ", author_id=member.id)
    first = storage.add_proposal(engine, consultation.id, body="Fund rural buses properly", author_id=member.id)
    other = _member(engine, consultation)
    with pytest.raises(storage.Refused, match="already been made"):
        storage.add_proposal(engine, consultation.id, body="fund RURAL buses, properly!", author_id=other.id)
    storage.add_proposal(engine, consultation.id, body="Second distinct proposal", author_id=member.id)
    storage.add_proposal(engine, consultation.id, body="Third distinct proposal", author_id=member.id)
    with pytest.raises(storage.Refused, match="limit of 3"):
        storage.add_proposal(engine, consultation.id, body="Fourth distinct proposal", author_id=member.id)
    with pytest.raises(storage.StoreError, match="agree"):
        storage.cast_vote(engine, member.id, first.id, 5)
    with pytest.raises(storage.NotFound, match="join code"):
        storage.find_consultation(engine, "NOPE99")
    with pytest.raises(storage.StoreError, match="region"):
        storage.add_participant(engine, consultation.id, region="Mordor")
    with pytest.raises(storage.Refused, match="privacy"):
        storage.add_participant(engine, consultation.id, region="E12000007", consented=False)
    with pytest.raises(storage.StoreError, match="title is required"):
        storage.create_consultation(engine, title="  ", question="Why?")
    assert storage.participant_by_token(engine, "not-a-token") is None


def test_phases_and_moderation_gate_writes(engine, consultation):
    member = _member(engine, consultation)
    published = storage.add_proposal(engine, consultation.id, body="Published before the change",
                                   author_id=member.id)
    storage.update_settings(engine, consultation.id, actor="officer", moderation="pre")
    pending = storage.add_proposal(engine, consultation.id, body="Waits for an officer", author_id=member.id)
    assert pending.status == "pending"
    with pytest.raises(storage.Refused, match="not open for votes"):
        storage.cast_vote(engine, member.id, pending.id, 1)
    storage.set_phase(engine, consultation.id, "voting", actor="facilitator")
    with pytest.raises(storage.Refused, match="not taking new proposals"):
        storage.add_proposal(engine, consultation.id, body="Too late for this one", author_id=member.id)
    storage.cast_vote(engine, member.id, published.id, 1)
    storage.set_phase(engine, consultation.id, "closed", actor="facilitator")
    with pytest.raises(storage.Refused, match="Voting is closed"):
        storage.cast_vote(engine, member.id, published.id, -1)
    actions = storage.audit_frame(engine, consultation.id)["action"].tolist()
    assert actions[:3] == ["set_phase", "set_phase", "update_settings"]


def test_merge_moves_votes_without_double_counting(engine, consultation):
    a, b, c = (_member(engine, consultation) for _ in range(3))
    kept = storage.add_proposal(engine, consultation.id, body="Scrap the bidding pots", author_id=a.id)
    dup = storage.add_proposal(engine, consultation.id, body="End competitive bidding for funds", author_id=b.id)
    storage.cast_vote(engine, a.id, kept.id, 1)
    storage.cast_vote(engine, a.id, dup.id, -1)  # already voted on the kept one: not moved
    storage.cast_vote(engine, c.id, dup.id, 1)  # moved
    moved = storage.merge_proposals(engine, dup.id, kept.id, actor="officer", reason="same idea")
    assert moved == 1
    votes = storage.votes_frame(engine, consultation.id).sort_values("participant_id")
    assert votes[["participant_id", "proposal_id", "value"]].values.tolist() == [[a.id, kept.id, 1],
                                                                                  [c.id, kept.id, 1]]
    assert storage.get_proposal(engine, dup.id).status == "merged"
    log = storage.audit_frame(engine, consultation.id)
    assert log.iloc[0]["action"] == "merge" and log.iloc[0]["reason"] == "same idea"


def _hammer(engine, consultation_id, proposal_ids, participant_ids, errors):
    try:
        for participant_id in participant_ids:
            for proposal_id in proposal_ids:
                storage.cast_vote(engine, participant_id, proposal_id, 1 if (participant_id + proposal_id) % 2 else -1)
    except Exception as exc:  # noqa: BLE001 - the test reports every failure
        errors.append(repr(exc))


def _setup_for_concurrency(engine, consultation, writers):
    author = _member(engine, consultation)
    storage.update_settings(engine, consultation.id, actor="t", max_proposals_per_participant=50)
    proposals = [storage.add_proposal(engine, consultation.id, body=f"Concurrent proposal {i}",
                                    author_id=author.id).id for i in range(5)]
    # voters in every region, so that concurrent votes on one proposal touch different tally rows
    codes = regions.region_codes()
    members = [[_member(engine, consultation, codes[(2 * w + i) % len(codes)]).id for i in range(2)]
               for w in range(writers)]
    return proposals, members


def _tallies_match_the_votes(engine, consultation_id: int) -> None:
    """The running tallies, kept vote by vote under concurrency, equal a rebuild from the stored votes."""
    def stats():
        with engine.connect() as conn:
            return pd.read_sql(select(s.proposal_stats).where(s.proposal_stats.c.consultation_id == consultation_id)
                               .order_by(s.proposal_stats.c.proposal_id), conn)
    running = stats()
    assert running[["agree", "disagree", "passes"]].to_numpy().sum() == len(storage.votes_frame(engine, consultation_id))
    with db.writing(engine) as conn:
        tallies.rebuild(conn, consultation_id)
    pd.testing.assert_frame_equal(running, stats(), check_exact=False, rtol=1e-9)


def test_32_concurrent_writer_threads_lose_nothing(engine, consultation):
    proposals, members = _setup_for_concurrency(engine, consultation, 32)
    errors: list[str] = []
    threads = [threading.Thread(target=_hammer, args=(engine, consultation.id, proposals, ids, errors))
               for ids in members]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    votes = storage.votes_frame(engine, consultation.id)
    assert len(votes) == 32 * 2 * 5
    assert not votes.duplicated(["participant_id", "proposal_id"]).any()
    assert len(storage.vote_events_frame(engine, consultation.id)) == 32 * 2 * 5
    _tallies_match_the_votes(engine, consultation.id)


def _process_writer(url, consultation_id, proposal_ids, participant_ids, queue):
    engine = db.make_engine(url)
    errors: list[str] = []
    _hammer(engine, consultation_id, proposal_ids, participant_ids, errors)
    # each process also writes proposals, racing on the duplicate rule
    for i in range(3):
        try:
            storage.add_proposal(engine, consultation_id, body=f"Raced proposal number {i}",
                               author_id=participant_ids[0])
        except storage.Refused:
            pass
        except Exception as exc:  # noqa: BLE001
            errors.append(repr(exc))
    engine.dispose()
    queue.put(errors)


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_32_concurrent_writer_processes_lose_nothing(request, backend):
    engine_obj = request.getfixturevalue(f"{backend}_engine")
    consultation = storage.create_consultation(engine_obj, title="Processes", question="Race?", min_chars=5)
    proposals, members = _setup_for_concurrency(engine_obj, consultation, 32)
    url = engine_obj.url.render_as_string(hide_password=False)
    ctx = multiprocessing.get_context("fork")  # children build their own engines
    queue = ctx.Queue()
    procs = [ctx.Process(target=_process_writer, args=(url, consultation.id, proposals, ids, queue))
             for ids in members]
    for proc in procs:
        proc.start()
    results = [queue.get(timeout=180) for _ in procs]
    for proc in procs:
        proc.join(timeout=60)
    assert [e for errs in results for e in errs] == []
    votes = storage.votes_frame(engine_obj, consultation.id)
    assert len(votes) == 32 * 2 * 5
    bodies = storage.proposals_frame(engine_obj, consultation.id)["body"]
    assert sorted(b for b in bodies if b.startswith("Raced")) == [f"Raced proposal number {i}" for i in range(3)]
    _tallies_match_the_votes(engine_obj, consultation.id)
    if backend == "sqlite":
        with engine_obj.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"


def test_reference_data_loaded_once(engine):
    storage.sync_reference_data(engine)
    with engine.connect() as conn:
        assert conn.execute(select(s.regions.c.code)).scalars().all().__len__() == 14
    population = storage.baseline(engine)
    assert len(population) == 12 and population["E12000007"] == 8_799_800


def test_save_and_read_an_officer_baseline(engine):
    members = storage.baseline(engine) / 100
    storage.save_baseline(engine, "membership", members, source="party records", actor="officer")
    assert storage.baseline(engine, "membership").round(2).equals(members.round(2))
    with pytest.raises(storage.NotFound):
        storage.baseline(engine, "nothing")
