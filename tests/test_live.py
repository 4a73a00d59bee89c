"""Cheap reads for the presenter view, and the running tallies behind them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from consult import storage
from consult.demo import consultation as demo
from consult.live import presenter_data as live
from consult.storage import db, tallies
from consult.storage import schema as s
from consult.support import direct as support


@pytest.fixture
def demo_db(engine):
    return engine, demo.install(engine, seed=12, data=demo.generate(seed=12, n_participants=300, n_proposals=400))


def _full_consensus(engine, consultation_id):
    votes = storage.votes_frame(engine, consultation_id, published_only=True)
    return support.cross_region_consensus(votes).sort_values("consensus", ascending=False, kind="stable")


def test_running_tallies_match_a_full_recomputation(demo_db):
    engine, consultation_id = demo_db
    top = live.top_consensus(engine, consultation_id, n=5)
    full = _full_consensus(engine, consultation_id)
    assert top["consensus"].to_numpy() == pytest.approx(full["consensus"].to_numpy()[:5])
    # live votes, changes and a merge keep them exact
    people = storage.participants_frame(engine, consultation_id)["id"].tolist()
    proposals = storage.proposals_frame(engine, consultation_id)["id"].tolist()
    rng = np.random.default_rng(0)
    for _ in range(150):
        storage.cast_vote(engine, int(rng.choice(people)), int(rng.choice(proposals[:30])), int(rng.choice([-1, 0, 1])))
    storage.merge_proposals(engine, proposals[1], proposals[0], actor="t")
    with engine.connect() as conn:
        stored = pd.read_sql(s.proposal_stats.select().where(s.proposal_stats.c.consultation_id == consultation_id),
                             conn).set_index("proposal_id")
    full = _full_consensus(engine, consultation_id)
    common = full.index.intersection(stored.index)
    assert len(common) == len(full)
    assert np.exp(stored.loc[common, "log_gic"] / 12).to_numpy() == pytest.approx(full.loc[common, "consensus"].to_numpy())
    support_table = support.support_table(storage.votes_frame(engine, consultation_id))
    assert stored.loc[support_table.index, "agree"].tolist() == support_table["agree"].tolist()


def test_migration_backfills_tallies_for_existing_votes(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    db.upgrade(engine, "0001")
    storage.sync_reference_data(engine)
    # rows written the 0001 way (raw inserts: today's code reads columns that 0001 does not have)
    with db.writing(engine) as conn:
        consultation_id = conn.execute(s.consultations.insert().values(
            join_code="OLDI", title="Old", question="Before tallies?", min_chars=5, created_ms=1)).inserted_primary_key[0]
        member_id = conn.execute(s.participants.insert().values(
            consultation_id=consultation_id, token="t-old", region="W92000004", created_ms=1)).inserted_primary_key[0]
        proposal_id = conn.execute(s.proposals.insert().values(
            consultation_id=consultation_id, author_id=member_id, body="An older proposal", status="published", created_ms=1,
            updated_ms=1)).inserted_primary_key[0]
        conn.execute(s.votes.insert().values(consultation_id=consultation_id, participant_id=member_id,
                                             proposal_id=proposal_id, value=1, updated_ms=1))
    db.upgrade(engine)
    top = live.top_consensus(engine, consultation_id)
    assert top["votes"].tolist() == [1]
    assert top["consensus"].iloc[0] == pytest.approx(np.exp((11 * np.log(0.5) + np.log(2 / 3)) / 12))


def test_log_gic_of_nothing_is_a_half_everywhere():
    assert np.exp(tallies.log_gic([]) / 12) == pytest.approx(0.5)


def test_representation_newest_and_pending(demo_db):
    engine, consultation_id = demo_db
    table = live.representation(engine, consultation_id, "population")
    assert table["participants"].sum() <= 300 and len(table) == 12
    newest = live.newest_proposals(engine, consultation_id, 3)
    assert newest["id"].is_monotonic_decreasing and len(newest) == 3
    assert live.pending_proposals(engine, consultation_id).empty
    assert live.top_consensus(engine, 99999).empty


def test_the_presenters_regional_refresh_works_out_only_the_proposal_with_a_new_vote(demo_db):
    engine, consultation_id = demo_db
    top, first = live.top_supported_everywhere(engine, consultation_id)
    assert len(top) == 5 and list(top["consensus_rank"]) == [1, 2, 3, 4, 5]
    member = storage.add_participant(engine, consultation_id, region="E12000001")
    proposal_id = int(first.proposals_.index[10])
    storage.cast_vote(engine, member.id, proposal_id, 1)
    _, refreshed = live.top_supported_everywhere(engine, consultation_id, previous=first)
    assert refreshed.changed_ == 1
    assert refreshed.proposals_.loc[proposal_id, "votes"] == first.proposals_.loc[proposal_id, "votes"] + 1
    _, scratch = live.top_supported_everywhere(engine, consultation_id)
    assert scratch.changed_ == len(scratch.proposals_)
    assert (scratch.proposals_["weighted_support"] - refreshed.proposals_["weighted_support"]).abs().max() < 0.03
