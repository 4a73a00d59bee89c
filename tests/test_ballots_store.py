"""Secret ballots in the database: eligibility fixed at opening, one paper per member even under concurrency, a
close racing a cast never leaves half a vote, and no table, log or export joins a paper to a voter."""

from __future__ import annotations

import threading

import pandas as pd
import pytest
from sqlalchemy import select

from consult import storage
from consult.ballots import results
from consult.publishing import ballot_files
from consult.storage import ballots, db, roll
from consult.storage import schema as s
from consult.storage.errors import Refused

REGIONS = ["E12000001", "E12000007", "S92000003", "W92000004"]


def _roll(engine, members: int) -> list[str]:
    numbers = [f"n{i:05d}" for i in range(members)]
    rows = pd.DataFrame({"number_hash": numbers, "verifier_hash": ["v"] * members,
                         "region": [REGIONS[i % len(REGIONS)] for i in range(members)],
                         "local_party": [f"Party {i % 3}" for i in range(members)], "branch": [None] * members})
    roll.replace_roll(engine, rows, verifier_label="Postcode", actor="officer", allow_shrink=True)
    return numbers


def _setup(engine, members: int = 40, **settings):
    numbers = _roll(engine, members)
    consultation = storage.create_consultation(engine, title="Devolution", question="What next?")
    consultation_id = consultation if isinstance(consultation, int) else consultation.id
    voters = [roll.join_verified(engine, consultation_id, n, REGIONS[i % len(REGIONS)], f"Party {i % 3}",
                                 consented=True)[0] for i, n in enumerate(numbers)]
    kind = settings.pop("kind", "motion")
    options = settings.pop("options", [])
    ballot_id = ballots.create_ballot(engine, consultation_id, kind, "Set up regional assemblies", options,
                                      actor="officer", **settings)
    return consultation_id, ballot_id, voters, numbers


def test_a_motion_is_cast_counted_and_published_without_any_link_to_voters(engine):
    consultation_id, ballot_id, voters, _ = _setup(engine, members=100, quorum_share=0.5)
    assert ballots.open_ballot(engine, ballot_id, actor="officer") == 100
    receipts = {}
    for i, voter in enumerate(voters):
        receipts[voter.id] = ballots.cast(engine, ballot_id, voter, ["for", "against", "abstain", "for"][i % 4])
    assert ballots.turnout(engine, ballot_id) == (100, 100)
    with pytest.raises(Refused, match="only after the ballot closes"):
        ballots.papers(engine, ballot_id)
    ballots.close_ballot(engine, ballot_id, actor="officer")
    papers = ballots.papers(engine, ballot_id)
    assert len(papers) == 100
    # the secrecy walk: the paper table holds only these columns, and no receipt hash or member key appears in any
    # other table, so nothing joins a paper to a participant
    assert {c.name for c in s.ballot_papers.columns} == {"ballot_id", "receipt_hash", "marks", "region",
                                                         "local_party", "cast_day"}
    hashes = set(papers["receipt_hash"])
    with db.reading(engine) as conn:
        member_keys = set(conn.execute(select(s.participants.c.member_key)).scalars())
        for table in s.metadata.sorted_tables:
            values = {str(v) for row in conn.execute(select(table)).all() for v in row}
            if table.name != "ballot_papers":
                assert not values & hashes, f"a receipt hash appears in {table.name}"
            if table.name == "ballot_papers":
                assert not values & member_keys, "a member key appears on a paper"
        audit_text = " ".join(str(v) for row in conn.execute(select(s.audit_log)).all() for v in row)
    assert not any(h in audit_text for h in hashes)
    # papers come back in receipt order, not the order of casting
    cast_order = [ballots.receipt_hash(ballot_id, receipts[v.id]) for v in voters]
    assert papers["receipt_hash"].tolist() == sorted(cast_order) != cast_order
    # each member finds their own paper with their receipt
    assert ballots.find_receipt(engine, ballot_id, receipts[voters[1].id].lower()) == "against"
    assert ballots.find_receipt(engine, ballot_id, "AAAA-BBBB-CCCC-DDDD") is None
    outcome = results.result(ballots.get_ballot(engine, ballot_id), papers)
    assert outcome.motion.votes_for == 50 and outcome.motion.carried
    assert "in 2 of 4 regions" in outcome.headline  # North East and Wales for, London against, Scotland abstained
    parties = outcome.by_local_party.set_index("local_party")
    assert set(parties.index) == {"Party 0", "Party 1", "Party 2"} and parties["papers"].sum() == 100
    name, data = ballot_files.papers_file(ballots.get_ballot(engine, ballot_id), papers)
    assert name.endswith(".csv") and data.decode().count("\n") == 101
    assert not any(key.encode() in data for key in member_keys if key)


def test_eligibility_is_fixed_when_the_ballot_opens_and_scope_limits_it(engine):
    _, ballot_id, voters, numbers = _setup(engine, members=40, scope_regions=("E12000001",))
    assert ballots.open_ballot(engine, ballot_id) == 10
    north_east = [v for v in voters if v.region == "E12000001"]
    london = [v for v in voters if v.region == "E12000007"]
    with pytest.raises(Refused, match="members in North East on the roll"):
        ballots.cast(engine, ballot_id, london[0], "for")
    _roll(engine, 2)  # a later, smaller roll does not take the vote away from anyone eligible at opening
    assert ballots.cast(engine, ballot_id, north_east[0], "for")
    assert ballots.turnout(engine, ballot_id) == (1, 10)


def test_one_member_one_paper_even_from_two_devices_at_once(engine):
    _, ballot_id, voters, _ = _setup(engine, members=8)
    ballots.open_ballot(engine, ballot_id)
    outcomes, barrier = [], threading.Barrier(4)

    def vote() -> None:
        barrier.wait()
        try:
            outcomes.append(ballots.cast(engine, ballot_id, voters[0], "for"))
        except Refused as exc:
            outcomes.append(exc)

    threads = [threading.Thread(target=vote) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(isinstance(o, str) for o in outcomes) == 1
    assert all("already voted" in str(o) for o in outcomes if not isinstance(o, str))
    assert ballots.turnout(engine, ballot_id)[0] == 1
    assert ballots.has_voted(engine, ballot_id, voters[0].id) and not ballots.has_voted(engine, ballot_id, voters[1].id)


def test_a_close_racing_casts_leaves_every_paper_whole(engine):
    _, ballot_id, voters, _ = _setup(engine, members=24)
    ballots.open_ballot(engine, ballot_id)
    barrier = threading.Barrier(len(voters) + 1)
    accepted, refused = [], []

    def vote(voter) -> None:
        barrier.wait()
        try:
            accepted.append(ballots.cast(engine, ballot_id, voter, "for"))
        except Refused as exc:
            refused.append(str(exc))

    threads = [threading.Thread(target=vote, args=(v,)) for v in voters]
    for thread in threads:
        thread.start()
    barrier.wait()
    ballots.close_ballot(engine, ballot_id)
    for thread in threads:
        thread.join()
    assert all("closed" in r for r in refused)
    papers = ballots.papers(engine, ballot_id)
    assert len(papers) == len(accepted) == ballots.turnout(engine, ballot_id)[0]


def test_a_preferential_ballot_is_counted_by_stv_and_published_as_blt(engine, tmp_path):
    options = [(name, None, None) for name in ("Ann", "Ben", "Cy", "Di")]
    _, ballot_id, voters, _ = _setup(engine, members=30, kind="preferential", options=options, seats=2, seed=5)
    ballots.open_ballot(engine, ballot_id)
    with pytest.raises(Refused, match="numbered once"):
        ballots.cast(engine, ballot_id, voters[0], [1, 1])
    for i, voter in enumerate(voters):
        ballots.cast(engine, ballot_id, voter, [[1, 2], [2, 1, 3], [3, 2], [4]][i % 4])
    ballots.close_ballot(engine, ballot_id)
    ballot, papers = ballots.get_ballot(engine, ballot_id), ballots.papers(engine, ballot_id)
    outcome = results.result(ballot, papers)
    assert len(outcome.stv.elected) == 2
    # 30 papers over 4 regions is 8, 8, 7 and 7: every region under 10, so none is shown on its own
    assert outcome.by_region.empty and outcome.hidden_regions == 4
    assert results.result(ballot, papers, min_cell=7).by_region["papers"].sum() == 30
    name, data = ballot_files.papers_file(ballot, papers)
    (tmp_path / name).write_bytes(data)
    # the published file recounts to the same result with the command the sheet prints
    from consult.cli import main as cli

    sheet = ballot_files.count_sheet(ballot, papers)
    assert f"--seed {ballot.seed}" in sheet
    assert cli.main(["count", str(tmp_path / name), "--method", "scottish-stv", "--seed", str(ballot.seed)]) == 0


def test_a_budget_ballot_limits_approvals_and_counts_both_rules(engine, tmp_path):
    options = [("Library", 600, None), ("Buses", 600, None), ("Bench", 100, None)]
    _, ballot_id, voters, _ = _setup(engine, members=12, kind="budget", options=options, budget=1000,
                                     max_approvals=2)
    ballots.open_ballot(engine, ballot_id)
    with pytest.raises(Refused, match="at most 2"):
        ballots.cast(engine, ballot_id, voters[0], [1, 2, 3])
    for i, voter in enumerate(voters):
        ballots.cast(engine, ballot_id, voter, [[1], [2, 3], [1, 3]][i % 3])
    ballots.close_ballot(engine, ballot_id)
    ballot, papers = ballots.get_ballot(engine, ballot_id), ballots.papers(engine, ballot_id)
    outcome = results.result(ballot, papers)
    assert outcome.equal_shares.spent <= 1000 and outcome.greedy is not None
    assert outcome.headline.startswith("Funded by equal shares")
    # the published file, recounted with the published seed, funds the same projects (ties follow the same lot)
    from consult.ballots import count_file

    name, data = ballot_files.papers_file(ballot, papers)
    (tmp_path / name).write_bytes(data)
    recount = count_file.count_file(tmp_path / name, "equal-shares", seed=ballot.seed).result
    assert recount.loc[recount["selected"] == 1, "project_id"].tolist() == outcome.equal_shares.funded
    assert "drawn by lot with seed" in ballot_files.count_sheet(ballot, papers)


@pytest.mark.parametrize(("kind", "options", "settings", "message"), [
    ("motion", [], {"title": " "}, "needs a title"),
    ("preferential", [("Only", None, None)], {}, "at least two options"),
    ("preferential", [("A", None, None), ("a", None, None)], {}, "same name"),
    ("preferential", [("A", None, None), ("B", None, None)], {"seats": 2}, "fewer than the 2"),
    ("budget", [("A", 5, None), ("B", 5, None)], {}, "amount to spend"),
    ("budget", [("A", -5, None), ("B", 5, None)], {"budget": 10}, "cost of zero or more"),
])
def test_bad_ballots_are_refused_with_a_reason(sqlite_engine, kind, options, settings, message):
    consultation = storage.create_consultation(sqlite_engine, title="T", question="Q")
    consultation_id = consultation if isinstance(consultation, int) else consultation.id
    title = settings.pop("title", "A ballot")
    with pytest.raises(Refused, match=message):
        ballots.create_ballot(sqlite_engine, consultation_id, kind, title, options, **settings)


def test_a_ballot_cannot_open_without_a_roll_or_be_cast_before_opening(sqlite_engine):
    consultation = storage.create_consultation(sqlite_engine, title="T", question="Q")
    consultation_id = consultation if isinstance(consultation, int) else consultation.id
    ballot_id = ballots.create_ballot(sqlite_engine, consultation_id, "motion", "M", [])
    with pytest.raises(Refused, match="load the membership roll"):
        ballots.open_ballot(sqlite_engine, ballot_id)


def test_erasure_removes_that_a_member_voted_keeps_the_anonymous_paper_and_blocks_a_second_vote(engine):
    from consult.storage import erasure

    consultation_id, ballot_id, voters, numbers = _setup(engine, members=6)
    ballots.open_ballot(engine, ballot_id)
    ballots.cast(engine, ballot_id, voters[0], "for")
    erasure.erase_participant(engine, voters[0].id, actor="officer", reason="request")
    assert ballots.turnout(engine, ballot_id) == (0, 6)  # the fact they voted is gone; eligible stays as opened
    again = roll.join_verified(engine, consultation_id, numbers[0], REGIONS[0], "Party 0", consented=True)[0]
    with pytest.raises(Refused, match="on the roll when it opened"):
        ballots.cast(engine, ballot_id, again, "for")
    ballots.close_ballot(engine, ballot_id)
    assert ballots.papers(engine, ballot_id)["marks"].tolist() == ["for"]


def test_a_closing_time_refuses_late_papers_and_closes_the_ballot(engine):
    from sqlalchemy import update

    from consult.storage.records import now_ms

    consultation_id, ballot_id, voters, _ = _setup(engine, members=4)
    with pytest.raises(Refused, match="already passed"):
        ballots.open_ballot(engine, ballot_id, closes_ms=now_ms() - 1)
    ballots.open_ballot(engine, ballot_id, closes_ms=now_ms() + 3_600_000)
    ballots.cast(engine, ballot_id, voters[0], "for")
    with db.writing(engine) as conn:  # an hour later, as far as the ballot is concerned
        conn.execute(update(s.ballots).where(s.ballots.c.id == ballot_id).values(closes_ms=now_ms() - 1))
    with pytest.raises(Refused, match="closed"):
        ballots.cast(engine, ballot_id, voters[1], "for")
    assert ballots.run_schedule(engine, consultation_id) == 1
    assert ballots.get_ballot(engine, ballot_id).status == "closed"
    assert len(ballots.papers(engine, ballot_id)) == 1


def test_a_scheduled_ballot_opens_by_itself_with_eligibility_fixed_then(engine):
    from consult.storage.records import now_ms

    consultation_id, ballot_id, voters, _ = _setup(engine, members=4)
    with pytest.raises(Refused, match="after the opening time"):
        ballots.create_ballot(engine, consultation_id, "motion", "Late", [], opens_ms=now_ms() + 7_200_000,
                              closes_ms=now_ms() + 3_600_000)
    scheduled = ballots.create_ballot(engine, consultation_id, "motion", "Scheduled", [], opens_ms=now_ms() - 1,
                                      closes_ms=now_ms() + 3_600_000)
    assert ballots.run_schedule(engine, consultation_id) == 1
    opened = ballots.get_ballot(engine, scheduled)
    assert opened.status == "open" and opened.eligible_count == 4 and opened.closes_ms is not None
    assert ballots.get_ballot(engine, ballot_id).status == "draft"  # unscheduled drafts wait for a person
    assert ballots.run_schedule(engine, consultation_id) == 0
