"""What a member sees: the next proposal to vote on, and how their region compares with the rest of the UK."""

from __future__ import annotations

import numpy as np
import pandas as pd

from consult import routing, support

MIN_VOTES_FOR_REGION_VIEW = 5


def next_proposal(votes: pd.DataFrame, published_ids: list[int], participant_id: int,
                  coords: pd.DataFrame | None = None, *, seed: int = 0, exclude: set[int] | None = None) -> int | None:
    """The next proposal for this member by routing priority; the draw is repeatable for the same state.

    `exclude` adds proposals the member has voted on that `votes` (perhaps a cached copy) does not show yet.
    """
    mine = set(votes.loc[votes["participant_id"] == participant_id, "proposal_id"]) | set(exclude or ())
    priority = routing.priorities(published_ids, votes, coords)
    rng = np.random.default_rng([seed, participant_id, len(mine)])
    return routing.next_proposal(priority, mine, rng)


def region_comparison(votes: pd.DataFrame, participant_id: int, region: str, *,
                      min_votes: int = 10) -> pd.DataFrame:
    """For each proposal this member voted on: their vote, their region's support and the rest of the UK's.

    Support is the agree share with a Wilson interval; a side with fewer than `min_votes` votes is blanked
    (`region_too_few` / `rest_too_few`) so that a handful of neighbours cannot be singled out.
    """
    mine = votes[votes["participant_id"] == participant_id][["proposal_id", "value"]].rename(
        columns={"value": "my_vote"})
    relevant = votes[votes["proposal_id"].isin(mine["proposal_id"])]
    side = np.where(relevant["region"] == region, "region", "rest")
    table = support.support_table(relevant.assign(proposal_id=relevant["proposal_id"].astype(str) + "|" + side))
    table.index = pd.MultiIndex.from_tuples([tuple(i.split("|")) for i in table.index],
                                            names=["proposal_id", "side"])
    wide = table[["support", "votes"]].unstack("side")
    wide.columns = [f"{side}_{col}" for col, side in wide.columns]
    wide.index = wide.index.astype("int64")
    out = mine.set_index("proposal_id").join(wide)
    for side_name in ("region", "rest"):
        votes_col, support_col = f"{side_name}_votes", f"{side_name}_support"
        if votes_col not in out:
            out[votes_col], out[support_col] = 0, np.nan
        out[votes_col] = out[votes_col].fillna(0).astype(int)
        out[f"{side_name}_too_few"] = out[votes_col] < min_votes
        out.loc[out[f"{side_name}_too_few"], support_col] = np.nan
    out["difference"] = out["region_support"] - out["rest_support"]
    return out.reset_index()


def widest_support(votes: pd.DataFrame, *, top: int = 5, min_votes: int = 10) -> pd.DataFrame:
    """Proposals with the broadest support across regions: consensus, weakest region, regions counted."""
    table = support.cross_region_consensus(votes, min_votes=min_votes)
    if table.empty:
        return table
    overall = support.support_table(votes)[["support", "votes"]]
    return table.join(overall).sort_values(["consensus", "support"], ascending=False).head(top)
