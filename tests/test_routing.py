"""Choosing the next proposal for a member."""

from __future__ import annotations

import numpy as np
import pandas as pd
from helpers import votes

from consult.proposals import routing


def test_new_proposals_outrank_well_seen_ones_with_the_same_record():
    seen = votes([(p, 1, 1 if p % 2 else -1, "E12000001") for p in range(40)])
    priority = routing.priorities([1, 2], seen)
    assert priority[2] > priority[1]


def test_passed_over_proposals_are_shown_less():
    rows = [(p, 1, 0, "E12000001") for p in range(10)] + [(p, 2, 1, "E12000001") for p in range(10)]
    priority = routing.priorities([1, 2], votes(rows))
    assert priority[2] > priority[1]


def test_divisive_proposals_get_a_boost_from_the_opinion_map():
    coords = pd.DataFrame({"x": [0.0, 0.9], "y": [0.0, 0.0]}, index=[1, 2])
    priority = routing.priorities([1, 2], votes([]), coords)
    assert priority[2] > priority[1]


def test_every_proposal_is_reachable_and_voted_ones_never_come_back():
    rng = np.random.default_rng(0)
    priority = routing.priorities(range(50), votes([]))
    voted: set[int] = set()
    while (pick := routing.pick_by_priority(priority, voted, rng)) is not None:
        assert pick not in voted
        voted.add(pick)
    assert voted == set(range(50))


def test_nothing_left_gives_none():
    assert routing.pick_by_priority(routing.priorities([], votes([])), [], np.random.default_rng(0)) is None
