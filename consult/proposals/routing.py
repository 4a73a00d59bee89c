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
    # counted with bincount on each vote's position in `index` (a pandas group-by took 10-20 ms of every refresh
    # at demo scale; this is about 1 ms); votes on proposals outside `index` are left out
    position = index.get_indexer(votes["proposal_id"].to_numpy())
    inside = position >= 0
    position, value = position[inside], votes["value"].to_numpy()[inside]
    seen = np.bincount(position, minlength=len(index)).astype(float)
    agree = np.bincount(position, weights=value == 1, minlength=len(index))
    passes = np.bincount(position, weights=value == 0, minlength=len(index))
    p_agree = (agree + 1) / (seen + 2)
    p_pass = (passes + 1) / (seen + 2)
    extremity = np.zeros(len(index))
    if coords is not None and len(coords):
        aligned = coords.reindex(index).fillna(0.0)
        extremity = np.hypot(aligned["x"].to_numpy(), aligned["y"].to_numpy())
    importance = (1 - p_pass) * (extremity + 1) * p_agree
    return pd.Series((importance * (1 + 8 * 2 ** (-seen / 5))) ** 2, index=index, name="priority")


def evidence_value(summary: pd.DataFrame, estimates: pd.DataFrame, region: str | None, *,
                   top: int = 50) -> pd.Series:
    """How much a vote from a member in `region` would settle the "supported in every region" ranking, 0..1.

    Only the `top` proposals by that ranking count (`summary`: prob_all, consensus_rank): for each, how undecided
    it is (4 p (1 - p) with p = prob_all: 1 when a majority everywhere is a coin toss, 0 when settled) times how
    wide the member's region's interval still is (`estimates`: proposal_id, region, lower, upper), relative to
    the widest. Members in regions with few votes therefore get the proposals whose standing depends on them.
    Members outside the 12 regions count through the proposal's national level only (half weight).
    """
    if summary.empty:
        return pd.Series(dtype=float, name="evidence")
    leading = summary[summary["consensus_rank"] <= top]
    undecided = 4 * leading["prob_all"] * (1 - leading["prob_all"])
    cells = estimates[(estimates["region"] == region) & estimates["proposal_id"].isin(leading.index)]
    if cells.empty:
        width = pd.Series(0.5, index=leading.index)
    else:
        spread = (cells["upper"] - cells["lower"]).to_numpy()
        width = pd.Series(spread / max(spread.max(), 1e-9), index=cells["proposal_id"].to_numpy())
    return (undecided * width.reindex(leading.index).fillna(0.5)).rename("evidence")


def with_evidence(priority: pd.Series, evidence: pd.Series | None, *, boost: float = 8.0) -> pd.Series:
    """Polis's priority times (1 + boost * evidence): Polis's order stands, and votes go where they settle most."""
    if evidence is None or evidence.empty:
        return priority
    # (numpy on positions: this runs for every region every few seconds)
    position = evidence.index.get_indexer(priority.index)
    weight = np.where(position >= 0, evidence.to_numpy(dtype=float)[position], 0.0)
    return pd.Series(priority.to_numpy() * (1.0 + boost * np.nan_to_num(weight)), index=priority.index,
                     name=priority.name)


def pick_by_priority(priority: pd.Series, already_voted: Iterable[int], rng: np.random.Generator) -> int | None:
    """Draw one proposal the member has not voted on, with probability proportional to its priority."""
    return pick_from(priority.index.to_numpy(dtype=np.int64), priority.to_numpy(dtype=float), already_voted, rng)


def pick_from(ids: np.ndarray, priorities: np.ndarray, already_voted: Iterable[int],
              rng: np.random.Generator) -> int | None:
    """`pick_by_priority` on plain arrays of proposal ids and their priorities."""
    keep = priorities > 0
    voted = np.fromiter(already_voted, dtype=np.int64)
    if len(voted):
        keep &= ~np.isin(ids, voted)
    if not keep.any():
        return None
    remaining = priorities[keep]
    return int(ids[keep][rng.choice(len(remaining), p=remaining / remaining.sum())])
