"""What one set of members agrees on that another does not: two opinion groups, or two regions, side by side.

For each proposal both sides voted on, the agree share on each side (Polis's smoothed (agree + 1) / (seen + 2))
and a two-proportion z-test of the difference, as in Polis's representativeness; a proposal is listed when the
first side agrees more and the difference clears z > 1.645 (95% one-sided), biggest differences first.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from consult.opinion.repness import _two_prop_z, group_counts
from consult.opinion.vote_matrix import VoteMatrix

Z95 = 1.6449
#: the label for "everyone outside the region" when one region is compared with the rest of the UK
REST = "rest of the UK"
COLUMNS = ["proposal_id", "agree_share_first", "seen_first", "agree_share_second", "seen_second", "difference", "z"]


def agreed_by_first_not_second(matrix: VoteMatrix, labels: pd.Series, first: object, second: object, *,
                               top: int = 10, min_seen: int = 5, excluded: set | None = None) -> pd.DataFrame:
    """Proposals the members labelled `first` agree with clearly more than those labelled `second`.

    `labels` maps participant id to a group (an opinion group, a region code); proposals seen by fewer than
    `min_seen` members on either side, or `excluded` (moderated out), are not listed."""
    if first == second:
        raise ValueError("Choose two different groups to compare.")
    groups, agree, _, seen = group_counts(matrix, labels)
    where = {group: i for i, group in enumerate(groups)}
    if first not in where or second not in where:
        return pd.DataFrame(columns=COLUMNS)
    a, b = where[first], where[second]
    share_first = (agree[a] + 1) / (seen[a] + 2)
    share_second = (agree[b] + 1) / (seen[b] + 2)
    z = _two_prop_z(agree[a], agree[b], seen[a], seen[b])
    keep = (seen[a] >= min_seen) & (seen[b] >= min_seen) & (z > Z95) & (share_first > share_second)
    keep &= ~matrix.proposals.isin(list(excluded or ()))
    frame = pd.DataFrame({"proposal_id": matrix.proposals, "agree_share_first": share_first,
                          "seen_first": seen[a].astype(int), "agree_share_second": share_second,
                          "seen_second": seen[b].astype(int), "difference": share_first - share_second, "z": z})
    frame = frame[np.asarray(keep)]
    return frame.sort_values(["difference", "proposal_id"], ascending=[False, True],
                             kind="stable").head(top).reset_index(drop=True)


def against_the_rest(labels: pd.Series, region: object) -> pd.Series:
    """The labels with everyone outside `region` labelled `REST`, to compare one region with the rest of the UK."""
    return labels.where(labels == region, REST)
