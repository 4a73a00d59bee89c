"""Cheap reads for the presenter view."""

from __future__ import annotations

import pytest

from consult import demo, live, support


@pytest.fixture
def demo_db(engine):
    return engine, demo.install(engine, seed=12, data=demo.generate(seed=12, n_participants=300, n_proposals=400))


def test_tallies_give_the_same_consensus_as_vote_level_data(demo_db):
    engine, consultation_id = demo_db
    from consult import store

    votes = store.votes_frame(engine, consultation_id, published_only=True)
    top = live.top_consensus(live.regional_tallies(engine, consultation_id), n=5)
    full = support.cross_region_consensus(votes).sort_values("consensus", ascending=False)
    assert top["proposal_id"].tolist() == full.index[:5].tolist()
    assert top["consensus"].to_numpy() == pytest.approx(full["consensus"].to_numpy()[:5])


def test_representation_newest_and_pending(demo_db):
    engine, consultation_id = demo_db
    table = live.representation(engine, consultation_id, "population")
    assert table["participants"].sum() + 0 <= 300 and len(table) == 12
    newest = live.newest_proposals(engine, consultation_id, 3)
    assert newest["id"].is_monotonic_decreasing and len(newest) == 3
    assert live.pending_proposals(engine, consultation_id).empty
    assert live.top_consensus(live.regional_tallies(engine, 99999)).empty
