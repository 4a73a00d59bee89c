"""Two groups side by side: what the first agrees on that the second does not."""

import pandas as pd
import pytest

from consult.opinion.compare import REST, against_the_rest, agreed_by_first_not_second
from consult.opinion.vote_matrix import VoteMatrix


def _votes() -> tuple[VoteMatrix, pd.Series]:
    rows = []
    # proposal 1: group A agrees, B disagrees; 2: both agree; 3: B agrees, A does not; 4: seen by one A member
    for person in range(60):
        group = "A" if person < 30 else "B"
        for proposal, agree_a, agree_b in ((1, 0.9, 0.2), (2, 0.9, 0.9), (3, 0.2, 0.9)):
            chance = agree_a if group == "A" else agree_b
            rows.append((person, proposal, 1 if person % 30 < chance * 30 else -1))  # exact shares
    rows.append((0, 4, 1))
    votes = pd.DataFrame(rows, columns=["participant_id", "proposal_id", "value"])
    labels = pd.Series(["A"] * 30 + ["B"] * 30, index=range(60))
    return VoteMatrix.from_votes(votes), labels


def test_lists_only_what_the_first_clearly_agrees_on_more():
    matrix, labels = _votes()
    a_not_b = agreed_by_first_not_second(matrix, labels, "A", "B")
    assert a_not_b["proposal_id"].tolist() == [1]
    row = a_not_b.iloc[0]
    assert row["agree_share_first"] > 0.7 > 0.4 > row["agree_share_second"] and row["seen_first"] == 30
    assert agreed_by_first_not_second(matrix, labels, "B", "A")["proposal_id"].tolist() == [3]
    assert agreed_by_first_not_second(matrix, labels, "A", "B", excluded={1}).empty


def test_unknown_or_same_groups():
    matrix, labels = _votes()
    assert agreed_by_first_not_second(matrix, labels, "A", "Z").empty
    with pytest.raises(ValueError, match="two different"):
        agreed_by_first_not_second(matrix, labels, "A", "A")


def test_one_region_against_the_rest_of_the_uk():
    matrix, labels = _votes()
    regions = labels.map({"A": "E12000007", "B": "E12000001"})
    regions.iloc[40:] = "W92000004"  # the rest is more than one region
    rest = against_the_rest(regions, "E12000007")
    assert set(rest) == {"E12000007", REST}
    assert agreed_by_first_not_second(matrix, rest, "E12000007", REST)["proposal_id"].tolist() == [1]
