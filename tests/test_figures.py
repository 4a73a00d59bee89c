"""How counts and shares of voters are said (consult.text.figures)."""

from consult.text.figures import count_of, share_of_voters


def test_a_count_is_singular_only_for_one_and_has_thousands_separators():
    assert count_of(1, "vote") == "1 vote"
    assert count_of(0, "vote") == "0 votes"
    assert count_of(1204, "vote") == "1,204 votes"
    assert count_of(4.6, "vote") == "5 votes" and count_of(1.2, "vote") == "1 vote"


def test_a_share_always_says_how_many_it_is_a_share_of():
    assert share_of_voters(1.0, 11) == "100% of 11 voters"
    assert share_of_voters(0.54, 1) == "54% of 1 voter"
    assert share_of_voters(0.666, 12000) == "67% of 12,000 voters"
