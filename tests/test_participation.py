"""What a member sees about their region and what to vote on next."""

from __future__ import annotations

import numpy as np
from helpers import votes

from consult import participation

WALES, LONDON = "W92000004", "E12000007"


def test_region_comparison_suppresses_small_sides():
    rows = [(1, 10, 1, WALES)] + [(100 + i, 10, 1, WALES) for i in range(11)]
    rows += [(200 + i, 10, -1 if i % 2 else 1, LONDON) for i in range(20)] + [(1, 11, -1, WALES)]
    table = participation.region_comparison(votes(rows), 1, WALES).set_index("proposal_id")
    assert table.loc[10, "my_vote"] == 1
    assert table.loc[10, "region_support"] == 1.0 and table.loc[10, "rest_support"] == 0.5
    assert table.loc[10, "difference"] == 0.5
    assert table.loc[11, "region_too_few"] and np.isnan(table.loc[11, "region_support"])


def test_next_proposal_skips_what_the_member_voted_on_even_if_the_cache_is_stale():
    frame = votes([(1, 10, 1, WALES)])
    pick = participation.next_proposal(frame, [10, 11, 12], 1, exclude={11})
    assert pick == 12
    assert participation.next_proposal(frame, [10, 11], 1, exclude={11}) is None
    assert participation.next_proposal(frame, [10, 11, 12], 1) == participation.next_proposal(frame, [10, 11, 12], 1)


def test_widest_support_ranks_by_consensus():
    rows = [(i, 1, 1, code) for i, code in enumerate([WALES, LONDON] * 15)]
    rows += [(100 + i, 2, 1 if i < 15 else -1, WALES if i < 15 else LONDON) for i in range(30)]
    table = participation.widest_support(votes(rows), top=2)
    assert table.index.tolist() == [1, 2]
