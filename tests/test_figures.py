"""How counts and shares of voters are said (consult.text.figures)."""

import numpy as np

from consult.text.figures import (
    all_regions_chance,
    all_regions_firm,
    chance_with_caveat,
    count_of,
    share_of_voters,
)


def test_a_count_is_singular_only_for_one_and_has_thousands_separators():
    assert count_of(1, "vote") == "1 vote"
    assert count_of(0, "vote") == "0 votes"
    assert count_of(1204, "vote") == "1,204 votes"
    assert count_of(4.6, "vote") == "5 votes" and count_of(1.2, "vote") == "1 vote"


def test_a_share_always_says_how_many_it_is_a_share_of():
    assert share_of_voters(1.0, 11) == "100% of 11 voters"
    assert share_of_voters(0.54, 1) == "54% of 1 voter"
    assert share_of_voters(0.666, 12000) == "67% of 12,000 voters"


def test_the_chance_of_a_majority_everywhere_is_firm_once_half_the_regions_have_their_own_votes():
    assert all_regions_chance(0.912, 6) == "a majority in all 12 regions 91% likely"
    assert all_regions_chance(0.4, 5) == \
        "a majority in all 12 regions 40% likely (rough: only 5 of 12 regions have 10+ votes)"
    assert all_regions_chance(0.4, 1).endswith("(rough: only 1 of 12 regions has 10+ votes)")
    assert all_regions_chance(0.91, 0).endswith("91% likely (rough: no region has 10+ votes yet)")
    assert all_regions_chance(0.4, 2, 4) == "a majority in all 4 regions 40% likely"
    assert all_regions_chance(0.91, 0, brief=True) == "majority everywhere 91% likely (rough)"
    assert chance_with_caveat(0.912, 6) == "91% likely"
    assert chance_with_caveat(0.4, 3) == "40% likely (rough: only 3 of 12 regions have 10+ votes)"
    assert all_regions_chance(0.91, 7, brief=True) == "majority everywhere 91% likely"
    assert all_regions_firm(np.array([0, 5, 6, 12]), 12).tolist() == [False, False, True, True]
