"""Which proposal a member sees next: Polis's comment priority, favouring new, unseen and informative proposals."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd


def priorities(proposal_ids: Iterable[int], votes: pd.DataFrame,
               coords: pd.DataFrame | None = None) -> pd.Series:
    """Priority per proposal: ((1 - p_pass) * (E + 1) * p_agree * (1 + 8 * 2^(-S/5)))^2.

    p_pass and p_agree carry +1/+2 priors, S is how many votes the proposal has had (new proposals get up to
    a 9x boost that halves every 5 votes), and E is its distance from the centre of the opinion map
    (`coords`: proposal_id -> x, y, from OpinionGroups.proposal_coords_; 0 when absent), so proposals that
    separate opinion groups are shown more.
    """
    index = pd.Index(list(proposal_ids), name="proposal_id")
    if len(index) == 0:
        return pd.Series(dtype=float, index=index, name="priority")
    tally = (
        votes.assign(agree=votes["value"] == 1, passes=votes["value"] == 0)
        .groupby("proposal_id")
        .agg(seen=("value", "size"), agree=("agree", "sum"), passes=("passes", "sum"))
        .reindex(index, fill_value=0)
    )
    seen, agree, passes = (tally[c].to_numpy(dtype=float) for c in ("seen", "agree", "passes"))
    p_agree = (agree + 1) / (seen + 2)
    p_pass = (passes + 1) / (seen + 2)
    extremity = np.zeros(len(index))
    if coords is not None and len(coords):
        aligned = coords.reindex(index).fillna(0.0)
        extremity = np.hypot(aligned["x"].to_numpy(), aligned["y"].to_numpy())
    importance = (1 - p_pass) * (extremity + 1) * p_agree
    return pd.Series((importance * (1 + 8 * 2 ** (-seen / 5))) ** 2, index=index, name="priority")


def next_proposal(priority: pd.Series, already_voted: Iterable[int], rng: np.random.Generator) -> int | None:
    """Draw one proposal the member has not voted on, with probability proportional to its priority."""
    remaining = priority.drop(list(set(already_voted) & set(priority.index)))
    remaining = remaining[remaining > 0]
    if remaining.empty:
        return None
    weights = remaining.to_numpy() / remaining.sum()
    return int(remaining.index[rng.choice(len(remaining), p=weights)])
