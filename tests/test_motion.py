"""Motions: quorum and majority edge cases."""

from __future__ import annotations

import pytest

from consult.ballots import motion


def test_quorum_is_a_share_of_eligible_rounded_up_or_a_count_whichever_is_larger():
    assert motion.quorum_needed(1001, quorum_share=0.1) == 101
    assert motion.quorum_needed(1000, quorum_share=0.1) == 100
    assert motion.quorum_needed(1000, quorum_share=0.1, quorum_count=150) == 150
    assert motion.quorum_needed(1000) == 1


def test_abstentions_count_towards_quorum_but_not_the_majority():
    result = motion.count(["for"] * 3 + ["against"] * 2 + ["abstain"] * 5, eligible=100, quorum_count=10)
    assert result.quorum_met and result.carried
    short = motion.count(["for"] * 3 + ["against"] * 2 + ["abstain"] * 4, eligible=100, quorum_count=10)
    assert not short.quorum_met and not short.carried and short.summary().startswith("Not decided")


def test_a_tie_does_not_carry_and_two_thirds_is_inclusive():
    assert not motion.count(["for", "against"], eligible=2).carried
    assert motion.count(["for", "for", "against"], eligible=3, majority="two-thirds").carried
    assert not motion.count(["for"] * 65 + ["against"] * 35, eligible=100, majority="two-thirds").carried
    assert not motion.count(["abstain"] * 5, eligible=5).carried  # nobody for: not carried


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"majority": "most"}, "majority must be one of"),
    ({"quorum_share": 1.5}, "between 0 and 1"),
    ({"quorum_count": -1}, "cannot be negative"),
])
def test_bad_settings_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        motion.count(["for"], eligible=1, **kwargs)


def test_an_unknown_choice_is_refused():
    with pytest.raises(ValueError, match="for, against or abstain"):
        motion.count(["yes"], eligible=1)
