"""Erasure on request, pseudonyms, and small-cell suppression, on SQLite and PostgreSQL."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import select

from consult import storage
from consult.publishing import pseudonyms, suppression, tables
from consult.storage import erasure, tallies
from consult.storage import schema as s


def _stats(engine, consultation_id: int) -> pd.DataFrame:
    with engine.connect() as conn:
        return pd.read_sql(select(s.proposal_stats).where(s.proposal_stats.c.consultation_id == consultation_id)
                           .order_by(s.proposal_stats.c.proposal_id), conn)


def _people(engine, consultation, n: int, region: str = "E12000007") -> list[storage.Participant]:
    return [storage.add_participant(engine, consultation.id, region=region) for _ in range(n)]


@pytest.fixture
def voted(engine, consultation):
    leaver, *others = _people(engine, consultation, 4)
    own = storage.add_proposal(engine, consultation.id, body="Give regions control over buses", author_id=leaver.id)
    other = storage.add_proposal(engine, consultation.id, body="Elect assemblies by proportional vote",
                               author_id=others[0].id)
    storage.cast_vote(engine, leaver.id, other.id, 1)
    storage.cast_vote(engine, leaver.id, other.id, -1)  # a changed vote leaves an event to erase too
    for person in others:
        storage.cast_vote(engine, person.id, own.id, 1)
        storage.cast_vote(engine, person.id, other.id, 1)
    return engine, consultation, leaver, own, other


def test_erasure_anonymises_proposals_and_removes_votes(voted):
    engine, consultation, leaver, own, other = voted
    done = erasure.erase_participant(engine, leaver.id, actor="officer", reason="request by email")
    assert done == erasure.Erasure(votes_removed=1, proposals_anonymised=1, proposals_removed=0,
                                   votes_on_removed_proposals=0)
    assert storage.participant_by_token(engine, leaver.token) is None
    votes = storage.votes_frame(engine, consultation.id)
    assert leaver.id not in set(votes["participant_id"])
    assert leaver.id not in set(storage.vote_events_frame(engine, consultation.id)["participant_id"])
    kept = storage.get_proposal(engine, own.id)
    assert kept.author_id is None and kept.body == "Give regions control over buses" and kept.status == "published"
    # the running tallies equal a rebuild from the remaining votes
    before = _stats(engine, consultation.id)
    with engine.begin() as conn:
        tallies.rebuild(conn, consultation.id)
    assert before.equals(_stats(engine, consultation.id))
    assert before.set_index("proposal_id").loc[other.id, "agree"] == 3
    log = storage.audit_frame(engine, consultation.id)
    assert (log["action"] == "erase").sum() == 1 and "request by email" in set(log["reason"])


def test_erasure_can_remove_proposals_with_their_votes(voted):
    engine, consultation, leaver, own, _ = voted
    done = erasure.erase_participant(engine, leaver.id, actor="officer", remove_proposals=True)
    assert done.proposals_removed == 1 and done.votes_on_removed_proposals == 3
    removed = storage.get_proposal(engine, own.id)
    assert removed.body == erasure.REMOVED_TEXT and removed.status == "hidden"
    assert own.id not in set(storage.votes_frame(engine, consultation.id)["proposal_id"])
    assert own.id not in set(_stats(engine, consultation.id)["proposal_id"])


def test_erasing_twice_says_so_and_changes_nothing(voted):
    engine, consultation, leaver, *_ = voted
    erasure.erase_participant(engine, leaver.id, actor="officer")
    votes = len(storage.votes_frame(engine, consultation.id))
    with pytest.raises(storage.NotFound, match="already erased"):
        erasure.erase_participant(engine, leaver.id, actor="officer")
    assert len(storage.votes_frame(engine, consultation.id)) == votes


def test_pseudonyms_lead_back_to_the_participant_only_with_the_database(voted):
    engine, consultation, leaver, *_ = voted
    table = tables.votes_table(engine, consultation.id)
    assert not table["participant"].astype(str).str.fullmatch(r"\d+").any()
    name = pseudonyms.pseudonym(consultation.id, leaver.id)
    assert name in set(table["participant"])
    assert pseudonyms.find_participant(engine, consultation.id, name.lower()) == leaver.id
    assert pseudonyms.find_participant(engine, consultation.id, "P0000000000000000") is None
    assert pseudonyms.find_participant(engine, consultation.id, "not a pseudonym") is None


def test_votes_export_suppresses_regions_with_few_voters(engine, consultation):
    london = _people(engine, consultation, 12, "E12000007")
    wales = _people(engine, consultation, 3, "W92000004")
    scotland = _people(engine, consultation, 11, "S92000003")  # joins Wales under the label: 3 alone is too few
    proposal = storage.add_proposal(engine, consultation.id, body="Devolve rail to the regions", author_id=None)
    for person in london + wales + scotland:
        storage.cast_vote(engine, person.id, proposal.id, 1)
    regions_shown = set(tables.votes_table(engine, consultation.id)["region"])
    assert "London" in regions_shown
    assert "Wales" not in regions_shown and "Scotland" not in regions_shown
    assert suppression.SUPPRESSED_REGION in regions_shown


def test_cli_erases_by_pseudonym(sqlite_engine, sqlite_url, capsys):
    from consult.cli import main as cli

    consultation = storage.create_consultation(sqlite_engine, title="T", question="Q?", join_code="ERASEI")
    member = storage.add_participant(sqlite_engine, consultation.id, region="E12000001")
    storage.add_proposal(sqlite_engine, consultation.id, body="A proposal to erase later", author_id=member.id)
    name = pseudonyms.pseudonym(consultation.id, member.id)
    assert cli.main(["erase", "ERASEI", "P123", "--reason", "x", "--db", sqlite_url]) == 2
    assert "no participant" in capsys.readouterr().err
    assert cli.main(["erase", "ERASEI", name, "--reason", "asked", "--db", sqlite_url]) == 0
    assert "1 proposals anonymised" in capsys.readouterr().out
    assert storage.participant_by_token(sqlite_engine, member.token) is None
