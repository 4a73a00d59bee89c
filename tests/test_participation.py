"""What a member sees about their region and what to vote on next."""

from __future__ import annotations

import pandas as pd
from helpers import votes

from consult.proposals import participation
from consult.support import pooled as regional

WALES, LONDON = "W92000004", "E12000007"


def test_region_view_compares_the_pooled_estimate_with_the_uk():
    rows = [(1, 10, 1, WALES)] + [(100 + i, 10, 1, WALES) for i in range(11)]
    rows += [(200 + i, 10, -1 if i % 2 else 1, LONDON) for i in range(20)] + [(1, 11, -1, WALES)]
    summary, model = regional.proposal_summary(votes(rows))
    table = participation.region_view(model.regions_, summary, {10: 1, 11: -1}, WALES).set_index("proposal_id")
    assert table.loc[10, "my_vote"] == 1 and table.loc[11, "my_vote"] == -1
    # 12 of 12 Welsh voters agree, London is split: Wales sits well above the UK, with a range, not suppressed
    assert table.loc[10, "estimate"] > table.loc[10, "uk_estimate"]
    assert table.loc[10, "lower"] < table.loc[10, "estimate"] < table.loc[10, "upper"]
    assert not table.loc[10, "leans_on_pooling"] and table.loc[11, "leans_on_pooling"]  # one vote there


def test_next_proposal_skips_what_the_member_voted_on_even_if_the_cache_is_stale():
    frame = votes([(1, 10, 1, WALES)])
    pick = participation.next_proposal(frame, [10, 11, 12], 1, exclude={11})
    assert pick == 12
    assert participation.next_proposal(frame, [10, 11], 1, exclude={11}) is None
    assert participation.next_proposal(frame, [10, 11, 12], 1) == participation.next_proposal(frame, [10, 11, 12], 1)


def test_widest_support_ranks_by_support_in_every_region():
    rows = [(i, 1, 1, code) for i, code in enumerate([WALES, LONDON] * 15)]
    rows += [(100 + i, 2, 1 if i < 15 else -1, WALES if i < 15 else LONDON) for i in range(30)]
    summary, _ = regional.proposal_summary(votes(rows))
    assert participation.widest_support(summary, top=2).index.tolist() == [1, 2]


def test_a_proposal_newer_than_the_shared_routing_order_is_still_offered():
    """The vote page's order is shared and up to a few seconds old: a proposal published since is offered too,
    ranked as a proposal with no votes (the boost new proposals get), and one outside `allowed` never is."""
    from consult.proposals import routing

    shared = routing.priorities([10, 11], pd.DataFrame({"participant_id": [1, 2], "proposal_id": [10, 11],
                                                        "value": [1, -1]}))
    assert participation.next_for_member(shared, 7, {10, 11}, allowed=pd.Index([10, 11, 12])) == 12
    assert participation.next_for_member(shared, 7, {10, 11}, allowed=pd.Index([10, 11])) is None
    assert participation.next_for_member(shared, 7, {10}, allowed=pd.Index([11])) == 11


def test_the_aligned_order_keeps_the_shared_one_when_it_is_of_what_the_page_shows():
    from consult.proposals import routing

    shared = routing.priorities([10, 11], pd.DataFrame({"participant_id": [1], "proposal_id": [10], "value": [1]}))
    ids, weights = participation.aligned_priority(shared, pd.Index([10, 11]))
    assert ids.tolist() == [10, 11] and weights.tolist() == shared.tolist()
    ids, weights = participation.aligned_priority(shared, pd.Index([11, 12]))
    assert ids.tolist() == [11, 12] and weights.tolist() == [shared[11], shared[11]]  # 12 and 11 have no votes yet
    assert participation.next_from(ids, weights, 7, {11}) == 12


def test_the_vote_pages_goal_names_the_region_as_a_sentence_would():
    from consult.proposals.participation import progress_goal

    assert progress_goal(3, "E12000001")[1] == "3 votes · 2 more to see where the North East stands"
    assert progress_goal(6, "E12000001")[1].startswith("6 votes · The North East's picture is taking shape")
    assert progress_goal(1, "S92000003")[1] == "1 vote · 4 more to see where Scotland stands"
