"""BLT files: every malformed file is refused with its line; a written file reads back the same."""

from __future__ import annotations

import numpy as np
import pytest

from consult.ballots import blt
from consult.ballots.preferences import BallotFileError, PreferenceProfile

GOOD = '3 2\n4 1 2 0\n2 3 0\n1 2 3 1 0\n0\n"Ann ""A"" Lee"\nBen\n"Cy" "Party"\n"Title"\n'


def test_a_file_reads_with_quoted_names_weights_and_title():
    profile = blt.parse(GOOD)
    assert profile.candidates == ('Ann "A" Lee', "Ben", "Cy Party")
    assert profile.seats == 2 and profile.paper_count == 7 and profile.title == "Title"
    assert profile.rankings[2].tolist() == [1, 2, 0]


def test_withdrawn_candidates_and_ballot_ids_are_read():
    profile = blt.parse("3 1\n-2\n(a1) 1 1 2 0\n1 2 3 0\n0\nA\nB\nC\nT\n")
    assert profile.withdrawn == frozenset({1})
    assert profile.paper_count == 2


@pytest.mark.parametrize(("text", "message"), [
    ("", "empty"),
    ("three 2\n0\n", "first line must be two numbers"),
    ("2 1\n1 3 0\n0\nA\nB\nT\n", "line 2: candidate 3 is not one of the 2"),
    ("2 1\n1 1 1 0\n0\nA\nB\nT\n", "line 2: the same candidate is ranked twice"),
    ("2 1\n1 1 2\n0\nA\nB\nT\n", "line 2: a ballot line is a weight"),
    ("2 1\n-3\n1 1 0\n0\nA\nB\nT\n", "withdrawn candidate is not on the list of 2"),
    ("2 1\n1 1 0\n-3 1 0\n0\nA\nB\nT\n", "line 3: the weight -3 is negative"),
    ("2 1\n1 1 0\n", "never end"),
    ("3 1\n1 1 0\n0\nA\nB\n", "names 2 candidates but its first line says 3"),
    ("2 1\n1 1 0\n0\nA\nB\nT\nextra\n", "unexpected text after the title"),
    ("2 3\n1 1 0\n0\nA\nB\nT\n", "3 seats but only 2 candidates"),
    ("2 1\n1 1 = 2 0\n0\nA\nB\nT\n", "equal rankings"),
    ("2 1\n1 1 0\n0\nA\nA\nT\n", "names must differ"),
])
def test_malformed_files_are_refused_with_a_reason(text, message):
    with pytest.raises(BallotFileError, match=message):
        blt.parse(text)


def test_a_written_file_reads_back_identically():
    profile = PreferenceProfile.from_rankings(['Quote "me"', "Comma, Ltd", "Plain"], 2,
                                              [[0, 1], [2], [1, 0, 2]], [3, 1, 2], title="Ward 5")
    again = blt.parse(blt.dumps(profile))
    assert again.candidates == profile.candidates and again.title == "Ward 5"
    assert np.array_equal(again.rankings, profile.rankings) and np.array_equal(again.weights, profile.weights)


def test_numbers_beside_options_become_a_ranking_and_gaps_or_repeats_are_refused():
    from consult.ballots.preferences import ranking_from_numbers

    assert ranking_from_numbers({1: 2, 2: None, 3: 1}) == [3, 1]
    assert ranking_from_numbers({1: None, 2: None}) == []
    for bad in ({1: 1, 2: 3}, {1: 1, 2: 1}, {1: 2}):
        with pytest.raises(ValueError, match="without gaps or repeats"):
            ranking_from_numbers(bad)
