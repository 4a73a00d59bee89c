"""Who chose to vote: do members answer the proposals they agree with more often than the others?

The vote page records every card it shows (`storage.shown_frame`). For the cards shown to members of one region,
suppose a member who would agree answers with probability `a` and one who would not (disagree or pass) with `b`.
Then over any set of cards, agrees / a + (other answers) / b = cards shown. One such sum is one equation in
(1/a, 1/b); sets of proposals that differ in how much they are liked give more. The sets here are the proposals
ranked by their agree share *in the other regions* (so a region's own answers do not pick its sets) and cut into
`n_bands` bands; least squares over the bands gives 1/a and 1/b. From them:
- `answer_ratio` = a / b: 1 means answering does not depend on the opinion; 2, that members who agree answer twice
  as often as members who do not;
- `adjusted_share`: the share of the cards shown that members would agree with (agrees x 1/a / cards shown),
  beside `answered_share`, the agree share among the answers (what every other figure counts);
- `inflation` = answered_share - adjusted_share, in share points.
Intervals resample members, not votes (one member's answers hang together), `n_resamples` times.
Intervals are 90%. A region is flagged `may_be_inflated` when its inflation is above `flag_points` at one-sided 5%
corrected for the number of regions looked at (Bonferroni, from the resampled standard error).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import optimize, stats
from sklearn.base import BaseEstimator

COLUMNS = ["region", "members", "shown", "answered", "answer_rate", "answered_share", "adjusted_share",
           "inflation", "inflation_low", "inflation_high", "answer_ratio", "answer_ratio_low", "answer_ratio_high",
           "may_be_inflated", "identified"]


class SelectionCheck(BaseEstimator):
    """Per region: how far its agree share may be raised by who chose to answer (see the module docstring).

    Parameters
    ----------
    n_bands : bands of proposals by their agree share elsewhere (each one equation).
    n_resamples : member bootstrap resamples for the intervals.
    flag_points : a region is flagged when its inflation is surely above this (0.02 = 2 points).
    min_unanswered : below this many unanswered cards in a region, nothing can be said (`identified` False).
    random_state : seed for the resampling.

    Attributes (after `fit`): `regions_`, one row per region with cards shown (COLUMNS).
    """

    def __init__(self, n_bands: int = 5, n_resamples: int = 200, flag_points: float = 0.02,
                 min_unanswered: int = 30, random_state: int = 0):
        self.n_bands = n_bands
        self.n_resamples = n_resamples
        self.flag_points = flag_points
        self.min_unanswered = min_unanswered
        self.random_state = random_state

    def fit(self, shown: pd.DataFrame, votes: pd.DataFrame) -> SelectionCheck:
        """`shown`: participant_id, proposal_id, region; `votes`: participant_id, proposal_id, value, region."""
        cards = shown[["participant_id", "proposal_id", "region"]].merge(
            votes[["participant_id", "proposal_id", "value"]], on=["participant_id", "proposal_id"], how="left")
        cards["answered"] = cards["value"].notna()
        cards["agreed"] = cards["value"] == 1
        agreed = votes["value"] == 1
        by_cell = votes.assign(agreed=agreed).groupby(["proposal_id", "region"])["agreed"].agg(["sum", "count"])
        by_proposal = by_cell.groupby(level=0).sum()
        rng = np.random.default_rng(self.random_state)
        groups = list(cards.groupby("region", sort=True))
        self.regions_ = pd.DataFrame([self._region(region, own, by_cell, by_proposal, rng, len(groups))
                                      for region, own in groups], columns=COLUMNS)
        return self

    def _bands(self, own: pd.DataFrame, region: str, by_cell: pd.DataFrame, by_proposal: pd.DataFrame) -> np.ndarray:
        """Each card's band: its proposal's agree share among the *other* regions' votes, cut into `n_bands`."""
        proposals = pd.Index(own["proposal_id"].unique())
        total = by_proposal.reindex(proposals, fill_value=0).to_numpy(float)
        mine = by_cell.reindex(pd.MultiIndex.from_arrays([proposals, [region] * len(proposals)]),
                               fill_value=0).to_numpy(float)
        elsewhere = total - mine
        share = (elsewhere[:, 0] + 0.5) / (elsewhere[:, 1] + 1.0)
        n_bands = min(self.n_bands, len(proposals))
        band = pd.qcut(pd.Series(share).rank(method="first"), n_bands, labels=False).to_numpy(int)
        return band[proposals.get_indexer(own["proposal_id"])]

    def _region(self, region, own, by_cell, by_proposal, rng: np.random.Generator, n_regions: int) -> list:
        members = own["participant_id"].nunique()
        shown, answered = len(own), int(own["answered"].sum())
        answered_share = float(own["agreed"].sum() / answered) if answered else np.nan
        base = [region, members, shown, answered, answered / shown if shown else np.nan, answered_share]
        unknown = [*base, np.nan, np.nan, np.nan, np.nan, np.nan, np.nan, np.nan, False, False]
        if shown - answered < self.min_unanswered:
            return unknown
        band = self._bands(own, region, by_cell, by_proposal)
        n_bands = int(band.max()) + 1
        member = pd.Index(own["participant_id"].unique())
        row = member.get_indexer(own["participant_id"])
        # per member and band: cards shown, agrees, answers (members are what the intervals resample)
        counts = np.zeros((member.size, n_bands, 3))
        np.add.at(counts, (row, band, 0), 1.0)
        np.add.at(counts, (row, band, 1), own["agreed"].to_numpy(float))
        np.add.at(counts, (row, band, 2), own["answered"].to_numpy(float))
        point = _solve(counts.sum(axis=0))
        if point is None:
            return unknown
        adjusted, ratio = point
        draws = []
        for _ in range(self.n_resamples):
            weights = np.bincount(rng.integers(0, member.size, member.size), minlength=member.size).astype(float)
            found = _solve(np.tensordot(weights, counts, axes=1))
            if found is not None:
                draws.append(found)
        if len(draws) < self.n_resamples // 2:
            return [*base, adjusted, answered_share - adjusted, np.nan, np.nan, ratio, np.nan, np.nan, False, True]
        draws_array = np.array(draws)
        raised = answered_share - draws_array[:, 0]
        low, high = np.quantile(raised, [0.05, 0.95])
        ratio_low, ratio_high = np.quantile(draws_array[:, 1], [0.05, 0.95])
        # flagged only past a bound corrected for looking at every region at once (Bonferroni, one-sided 5%):
        # twelve regions each tested at 5% would flag one by chance nearly half the time
        bound = answered_share - adjusted - stats.norm.ppf(1 - 0.05 / n_regions) * raised.std()
        return [*base, adjusted, answered_share - adjusted, float(low), float(high), ratio, float(ratio_low),
                float(ratio_high), bool(bound > self.flag_points), True]

    def flagged(self) -> pd.DataFrame:
        """The regions whose agree share may be raised by who chose to answer."""
        return self.regions_[self.regions_["may_be_inflated"]]


def _solve(sums: np.ndarray) -> tuple[float, float] | None:
    """(adjusted share, answer ratio a/b) from per-band (shown, agreed, answered) sums, or None where the bands
    cannot separate the two answer rates."""
    sums = sums[sums[:, 0] > 0]
    if len(sums) < 2:
        return None
    shown, agreed, answered = sums[:, 0], sums[:, 1], sums[:, 2]
    design = np.column_stack([agreed, answered - agreed])
    # each band's equation weighted by its size, so a band of ten cards counts less than one of a thousand; an
    # answer rate is at most 1, so 1/a and 1/b are at least 1 (bounded least squares)
    weight = 1.0 / np.sqrt(shown)
    fitted = optimize.lsq_linear(design * weight[:, None], shown * weight, bounds=(1.0, np.inf))
    inverse_agree, inverse_other = fitted.x
    if not np.isfinite(fitted.x).all():
        return None
    adjusted = float(agreed.sum() * inverse_agree / shown.sum())
    return min(max(adjusted, 0.0), 1.0), float(inverse_other / inverse_agree)

