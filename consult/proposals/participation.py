"""What a member sees: the next proposal to vote on, and how their region compares with the rest of the UK."""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from consult import regions
from consult.proposals import routing

MIN_VOTES_FOR_REGION_VIEW = 5
VOTE_GOAL = 20  # a member never needs to see every proposal: after this many, their picture is a good one


def progress_goal(votes_cast: int, region: str) -> tuple[float, str]:
    """The vote page's progress bar as a goal, not a count of everything there is to vote on ("20 of 1,612");
    `region` is the member's region code."""
    done = f"{votes_cast} vote{'s' if votes_cast != 1 else ''} ·"
    if votes_cast < MIN_VOTES_FOR_REGION_VIEW:
        left = MIN_VOTES_FOR_REGION_VIEW - votes_cast
        return votes_cast / MIN_VOTES_FOR_REGION_VIEW, (f"{done} {left} more to see where "
                                                        f"{regions.region_in_sentence(region)} stands")
    if votes_cast < VOTE_GOAL:
        return votes_cast / VOTE_GOAL, (f"{done} {regions.region_in_sentence(region, starts=True)}'s picture is "
                                        f"taking shape; {VOTE_GOAL} votes make it a good one")
    return 1.0, f"{done} thank you: your region's picture is ready. Carry on as long as you like"


def next_proposal(votes: pd.DataFrame, published_ids: list[int], participant_id: int,
                  coords: pd.DataFrame | None = None, *, seed: int = 0, exclude: set[int] | None = None,
                  evidence: pd.Series | None = None) -> int | None:
    """The next proposal for this member by routing priority; the draw is repeatable for the same state.

    `exclude` adds proposals the member has voted on that `votes` (perhaps a cached copy) does not show yet;
    `evidence` (routing.evidence_value for the member's region) sends votes where they settle the ranking.
    """
    mine = set(votes.loc[votes["participant_id"] == participant_id, "proposal_id"]) | set(exclude or ())
    return next_for_member(routing_priority(votes, published_ids, coords, evidence), participant_id, mine,
                           seed=seed)


def routing_priority(votes: pd.DataFrame, published_ids: list[int], coords: pd.DataFrame | None = None,
                     evidence: pd.Series | None = None) -> pd.Series:
    """Every published proposal's routing priority for the members of one region: the same for all of them, so
    an app server works it out once and shares it."""
    return routing.with_evidence(routing.priorities(published_ids, votes, coords), evidence)


@cache
def _unvoted_priority() -> float:
    """Polis's priority of a proposal nobody has voted on yet (routing.priorities' rule, worked out once)."""
    no_votes = pd.DataFrame({"participant_id": pd.Series(dtype=int), "proposal_id": pd.Series(dtype=int),
                             "value": pd.Series(dtype=int)})
    return float(routing.priorities([0], no_votes).iloc[0])


def next_for_member(priority: pd.Series, participant_id: int, voted: set[int], *, seed: int = 0,
                    allowed: pd.Index | None = None) -> int | None:
    """Draw this member's next proposal from a shared `priority`, skipping what they voted on and, with
    `allowed`, anything outside it (what the member's page can show)."""
    ids, weights = aligned_priority(priority, allowed)
    return next_from(ids, weights, participant_id, voted, seed=seed)


def aligned_priority(priority: pd.Series, allowed: pd.Index | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(proposal ids, priorities) of a shared `priority` restricted to `allowed`; proposals published since it was
    worked out rank as proposals with no votes. The same for every member of a region: shareable."""
    ids, weights = priority.index.to_numpy(dtype=np.int64), priority.to_numpy(dtype=float)
    allowed_ids = None if allowed is None else np.asarray(allowed, dtype=np.int64)
    # (numpy on plain arrays: pandas' indexes cost 10x); the shared order is often of exactly what the page may show
    if allowed_ids is not None and not (allowed_ids.size == ids.size and np.array_equal(allowed_ids, ids)):
        newer = allowed_ids[~np.isin(allowed_ids, ids)]
        keep = np.isin(ids, allowed_ids)
        ids = np.concatenate([ids[keep], newer])
        weights = np.concatenate([weights[keep], np.full(len(newer), _unvoted_priority())])
    return ids, weights


def next_from(ids: np.ndarray, weights: np.ndarray, participant_id: int, voted: set[int], *,
              seed: int = 0) -> int | None:
    """`next_for_member` on an `aligned_priority`: repeatable for a member and how many votes they have cast."""
    rng = np.random.default_rng([seed, participant_id, len(voted)])
    return routing.pick_from(ids, weights, voted, rng)


def region_view(estimates: pd.DataFrame, summary: pd.DataFrame, my_votes: dict[int, int], region: str,
                *, top: int = 20) -> pd.DataFrame:
    """For the proposals this member voted on: their vote, their region's pooled estimate (with its interval and
    whether it leans on the national figure) and the estimate for the whole UK; biggest differences first.

    `estimates` and `summary` come from `regional.RegionalSupport` (`regions_`, `proposals_`/`proposal_summary`).
    The estimates are model figures, not counts of people, so they can be shown however few voted.
    """
    mine = pd.Series(my_votes, name="my_vote", dtype="int64").rename_axis("proposal_id")
    cells = estimates[(estimates["region"] == region) & estimates["proposal_id"].isin(mine.index)]
    cells = cells.set_index("proposal_id")[["estimate", "lower", "upper", "leans_on_pooling"]]
    national = summary["weighted_support"].rename("uk_estimate")
    out = cells.join(mine).join(national).dropna(subset=["estimate"])
    out["difference"] = out["estimate"] - out["uk_estimate"]
    out = out.assign(gap=out["difference"].abs()).sort_values(["gap", "estimate"], ascending=False).head(top)
    return out.drop(columns="gap").reset_index()


def widest_support(summary: pd.DataFrame, *, top: int = 5) -> pd.DataFrame:
    """The proposals most likely to have a majority in every region (the summary's consensus ranking)."""
    return summary.sort_values("consensus_rank").head(top)
