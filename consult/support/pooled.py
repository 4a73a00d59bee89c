"""Regional support that holds at real vote density: pooled estimates, "supported in every region", MRP.

`RegionalSupport` turns the current votes (participant, proposal, value, region) into
- `regions_`: one row per proposal and UK region: n, agree, estimate, lower, upper (95%), and `leans_on_pooling`
  where the region has fewer votes than the consultation's minimum (its estimate leans on the national figure
  and the region's general lean);
- `proposals_`: one row per proposal: raw support with its Wilson interval; `weighted_support` (multilevel
  regression and post-stratification: the regional estimates weighted by each region's share of the baseline)
  with its interval; `prob_all` (the posterior probability that a majority agrees in every one of the 12
  regions), the weakest and strongest regions, divisiveness between regions (the standard deviation of the
  regional estimates: pooled, so it is high only where the votes show real differences), and `consensus_rank`
  (1 = best supported in every region: by `expected_weakest`, the expected support in the weakest region).

Votes from members who gave no UK region inform each proposal's national level but no regional figure.
The model is `mixture_model.ScaleMixtureRegionalModel` (each region its own heavy-tailed spread); its calibration is
measured in benchmarks/bench_regional.py (and per region in benchmarks/regional_scenarios.py).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator

from consult import regions as region_data
from consult.support.direct import wilson_interval
from consult.support.mixture_model import ScaleMixtureRegionalModel
from consult.text.figures import OWN_VOTES

OTHER = "OTHER"  # votes from members outside the 12 regions or who did not say
MAJORITY = 0.5
REFIT_GROWTH = 1.25  # a refresh keeps the spreads and leans while the votes are within a quarter of their fit's


def cell_counts(votes: pd.DataFrame) -> tuple[pd.Index, list[str], np.ndarray, np.ndarray]:
    """(proposal ids, region columns, agree counts, votes seen) from a current-votes frame; the last column is
    OTHER (everyone not in one of the 12 regions)."""
    codes = region_data.region_codes()
    columns = [*codes, OTHER]
    if votes.empty:
        return pd.Index([], name="proposal_id"), columns, np.zeros((0, len(columns))), np.zeros((0, len(columns)))
    proposals = pd.Index(np.sort(votes["proposal_id"].unique()), name="proposal_id")
    region = votes["region"].where(votes["region"].isin(codes), OTHER)
    row = proposals.get_indexer(votes["proposal_id"])
    col = pd.Index(columns).get_indexer(region)
    seen = np.zeros((len(proposals), len(columns)))
    agree = np.zeros_like(seen)
    np.add.at(seen, (row, col), 1.0)
    np.add.at(agree, (row, col), (votes["value"].to_numpy() == 1).astype(float))
    return proposals, columns, agree, seen


def tallies_to_cells(tallies: pd.DataFrame) -> tuple[pd.Index, list[str], np.ndarray, np.ndarray]:
    """The same arrays from running tallies (proposal_id, region, agree, disagree, passes): no vote is re-read."""
    codes = region_data.region_codes()
    columns = [*codes, OTHER]
    if tallies.empty:
        return pd.Index([], name="proposal_id"), columns, np.zeros((0, len(columns))), np.zeros((0, len(columns)))
    frame = tallies.assign(region=tallies["region"].where(tallies["region"].isin(codes), OTHER),
                           seen=tallies["agree"] + tallies["disagree"] + tallies["passes"])
    grouped = frame.groupby(["proposal_id", "region"])[["agree", "seen"]].sum()
    proposals = pd.Index(np.sort(frame["proposal_id"].unique()), name="proposal_id")
    row = proposals.get_indexer(grouped.index.get_level_values(0))
    col = pd.Index(columns).get_indexer(grouped.index.get_level_values(1))
    agree = np.zeros((len(proposals), len(columns)))
    seen = np.zeros_like(agree)
    agree[row, col] = grouped["agree"].to_numpy()
    seen[row, col] = grouped["seen"].to_numpy()
    return proposals, columns, agree, seen


class RegionalSupport(BaseEstimator):
    """Pooled regional support for every proposal (see the module docstring).

    Parameters
    ----------
    baseline : region code -> count (population or membership) for post-stratification; None weights the 12
        regions by the population baseline shipped with consult.
    min_cell : regions with fewer votes than this are flagged `leans_on_pooling` (their counts are suppressed
        when published; the estimate is not a count of people).
    n_draws : posterior draws for probabilities and the weighted interval.
    coarse_draws, refine_top : beyond `refine_top` proposals, all get `coarse_draws` and the leading
        `refine_top` get `n_draws` (keeps 100,000 proposals to seconds).
    chunk : proposals per block of draws (bounds memory at 100,000 proposals).
    random_state : seed; the same input always gives the same output.
    """

    def __init__(self, baseline: pd.Series | None = None, min_cell: int = 10, n_draws: int = 400,
                 coarse_draws: int = 24, refine_top: int = 2000, chunk: int = 2000, random_state: int = 0):
        self.baseline = baseline
        self.min_cell = min_cell
        self.n_draws = n_draws
        self.coarse_draws = coarse_draws
        self.refine_top = refine_top
        self.chunk = chunk
        self.random_state = random_state

    def fit(self, votes: pd.DataFrame | None = None, *, tallies: pd.DataFrame | None = None,
            previous: RegionalSupport | None = None) -> RegionalSupport:
        """Fit on current votes, or on running tallies (proposal_id, region, agree, disagree, passes).

        `previous`: this estimator fitted earlier on the same consultation, for a refresh. While the votes are
        within a quarter of those its spreads and leans were learnt from (`REFIT_GROWTH`), they are kept, and
        a proposal whose counts have not changed keeps its figures: only proposals with new votes are worked
        out again (a live refresh after a few hundred votes costs a tenth of a fit). The result then depends on
        `previous` as well as the votes; without it, on the votes alone.
        """
        if tallies is not None:
            proposals, columns, agree, seen = tallies_to_cells(tallies)
        else:
            proposals, columns, agree, seen = cell_counts(votes if votes is not None else pd.DataFrame(
                columns=["participant_id", "proposal_id", "value", "region"]))
        self.proposal_ids_, self.columns_ = proposals, columns
        self.agree_, self.seen_ = agree, seen
        self.model_ = ScaleMixtureRegionalModel(random_state=self.random_state)
        if len(proposals) == 0:
            self.regions_ = _regions_template()
            self.proposals_ = pd.DataFrame(columns=_SUMMARY_COLUMNS).set_index("proposal_id")
            self.hyper_votes_, self.changed_ = 0.0, 0
            return self
        if not self._can_refresh(previous):
            self.model_.fit(agree, seen)
            self.hyper_votes_ = float(seen.sum())
            self.changed_ = len(proposals)
            self.regions_, summaries = self._figures(self.model_, np.arange(len(proposals)))
            self.proposals_ = _ranked(summaries)
            self.model_.release()  # a fitted estimator is kept as the next refresh's `previous`: keep it small
            return self
        self.model_.fit(agree, seen, fitted=previous.model_)
        self.hyper_votes_ = previous.hyper_votes_
        earlier = previous.proposal_ids_.get_indexer(proposals)
        same = earlier >= 0
        same[same] = ((previous.agree_[earlier[same]] == agree[same]).all(axis=1)
                      & (previous.seen_[earlier[same]] == seen[same]).all(axis=1))
        changed = np.flatnonzero(~same)
        self.changed_ = int(changed.size)
        kept = proposals[same]
        regions = [previous.regions_[previous.regions_["proposal_id"].isin(kept)]]
        summaries = [previous.proposals_.loc[kept].drop(columns="consensus_rank")]
        if changed.size:
            part = ScaleMixtureRegionalModel(random_state=self.random_state).fit(agree[changed], seen[changed],
                                                                                fitted=self.model_)
            new_regions, new_summaries = self._figures(part, changed)
            regions.append(new_regions)
            summaries.append(new_summaries)
        self.regions_ = (pd.concat(regions, ignore_index=True).sort_values("proposal_id", kind="stable")
                         .reset_index(drop=True))
        self.proposals_ = _ranked(pd.concat(summaries).loc[proposals])
        return self

    def _can_refresh(self, previous: RegionalSupport | None) -> bool:
        """Whether `previous` may stand in for a fit of the spreads and leans (see `fit`)."""
        if previous is None or not hasattr(previous, "agree_") or previous.hyper_votes_ <= 0:
            return False
        mine, theirs = self.get_params(), previous.get_params()
        same_settings = all(_same_setting(mine[name], theirs[name]) for name in mine)
        votes = float(self.seen_.sum())
        return (same_settings and list(previous.columns_) == list(self.columns_)
                and previous.hyper_votes_ / REFIT_GROWTH <= votes <= previous.hyper_votes_ * REFIT_GROWTH)

    def _figures(self, model: ScaleMixtureRegionalModel, rows: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(regions_ rows, unranked proposals_ rows) of the proposals at `rows`, from `model` fitted on their
        counts alone."""
        codes = region_data.region_codes()
        uk = len(codes)
        proposals, agree, seen = self.proposal_ids_[rows], self.agree_[rows], self.seen_[rows]
        estimate = model.estimate()
        lower, upper = model.interval()
        regions = pd.DataFrame({
            "proposal_id": np.repeat(proposals.to_numpy(), uk), "region": np.tile(codes, len(proposals)),
            "n": seen[:, :uk].ravel().astype(int), "agree": agree[:, :uk].ravel().astype(int),
            "estimate": estimate[:, :uk].ravel(), "lower": lower[:, :uk].ravel(), "upper": upper[:, :uk].ravel(),
        })
        regions["leans_on_pooling"] = regions["n"] < self.min_cell
        summaries = self._summaries(model, proposals, agree, seen, estimate[:, :uk], lower[:, :uk],
                                    self._weights(codes))
        return regions, summaries

    def _weights(self, codes: list[str]) -> np.ndarray:
        base = self.baseline if self.baseline is not None else region_data.regions().set_index("code")["population"]
        shares = pd.Series(base, dtype=float).reindex(codes).fillna(0.0).to_numpy()
        return shares / shares.sum() if shares.sum() > 0 else np.full(len(codes), 1 / len(codes))

    def _summaries(self, model, proposals, agree, seen, estimate, lower, weights) -> pd.DataFrame:
        codes = np.array(region_data.region_codes())
        uk = len(codes)
        total_seen, total_agree = seen.sum(axis=1), agree.sum(axis=1)
        low, high = wilson_interval(total_agree, total_seen)
        expected_weakest = np.empty(len(proposals))
        weighted = np.empty((len(proposals), 3))
        pooled = np.empty((len(proposals), 3))
        # the voters' own regional mix: the model's estimate before weighting, so that what pooling moves and
        # what weighting moves can be told apart (raw -> pooled -> weighted)
        regional_seen = seen[:, :uk]
        voters_mix = regional_seen / np.maximum(regional_seen.sum(axis=1, keepdims=True), 1)

        def summarise(rows: np.ndarray, n_draws: int) -> None:
            for start in range(0, len(rows), self.chunk):
                block = rows[start:start + self.chunk]
                draws = model.draw(n_draws, block)[:, :, :uk]  # (draws, proposals, regions)
                expected_weakest[block] = draws.min(axis=2).mean(axis=0)
                mrp = draws @ weights
                weighted[block] = np.column_stack([np.median(mrp, axis=0), np.quantile(mrp, 0.025, axis=0),
                                                   np.quantile(mrp, 0.975, axis=0)])
                at_mix = (draws * voters_mix[block][None, :, :]).sum(axis=2)
                pooled[block] = np.column_stack([np.median(at_mix, axis=0), np.quantile(at_mix, 0.025, axis=0),
                                                 np.quantile(at_mix, 0.975, axis=0)])

        # exact under the model (no draws): the regions are independent given the proposal's national level
        prob_all = model.prob_above(MAJORITY, columns=np.arange(uk))
        everyone = np.arange(len(proposals))
        if len(proposals) <= self.refine_top:
            summarise(everyone, self.n_draws)
        else:
            # at 100,000 proposals 400 draws of each would take half a minute: a coarse pass for all, then
            # the full number of draws for the leaders, where the ranking matters
            summarise(everyone, self.coarse_draws)
            leaders = np.argsort(-expected_weakest, kind="stable")[:self.refine_top]
            summarise(np.sort(leaders), self.n_draws)
        weakest = estimate.argmin(axis=1)
        row = np.arange(len(proposals))
        frame = pd.DataFrame({
            "proposal_id": proposals, "votes": total_seen.astype(int), "agree": total_agree.astype(int),
            "support": np.where(total_seen > 0, total_agree / np.maximum(total_seen, 1), np.nan),
            "support_low": low, "support_high": high,
            "weighted_support": weighted[:, 0], "weighted_low": weighted[:, 1], "weighted_high": weighted[:, 2],
            "pooled_support": np.where(regional_seen.sum(axis=1) > 0, pooled[:, 0], np.nan),
            "pooled_low": np.where(regional_seen.sum(axis=1) > 0, pooled[:, 1], np.nan),
            "pooled_high": np.where(regional_seen.sum(axis=1) > 0, pooled[:, 2], np.nan),
            "prob_all": prob_all, "expected_weakest": expected_weakest, "weakest_region": codes[weakest], "weakest_estimate": estimate[row, weakest],
            "weakest_lower": lower[row, weakest], "divisiveness": estimate.std(axis=1),
            "strongest_region": codes[estimate.argmax(axis=1)], "regions_with_votes": (seen[:, :uk] > 0).sum(axis=1),
            "regions_with_enough": (seen[:, :uk] >= self.min_cell).sum(axis=1),
            # whether "a majority in every region" is firm yet (`figures.all_regions_firm`), whatever the minimum cell
            "regions_with_own_votes": (seen[:, :uk] >= OWN_VOTES).sum(axis=1),
        })
        return frame.set_index("proposal_id")

    def ranked(self) -> pd.DataFrame:
        """`proposals_` best supported in every region first."""
        return self.proposals_.sort_values("consensus_rank")

    def pooling_note(self, proposal_id: int, names: dict[str, str] | None = None) -> str:
        """Plain English for where an estimate leans on pooling, e.g. 'Few votes yet from the North East and
        Wales: their estimates lean on the national figure.'"""
        names = names or region_data.region_names()
        cells = self.regions_[(self.regions_["proposal_id"] == proposal_id) & self.regions_["leans_on_pooling"]]
        if cells.empty:
            return ""
        listed = [names.get(code, code) for code in cells["region"]]
        if len(listed) == len(region_data.region_codes()):
            return "Few votes in any region yet: every regional estimate leans on the national figure."
        joined = listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " and " + listed[-1]
        verb = "its estimate leans" if len(listed) == 1 else "their estimates lean"
        return f"Few votes yet from {joined}: {verb} on the national figure."


SUMMARY_COLUMNS = ["agree", "disagree", "passes", "votes", "support", "support_low", "support_high",
                   "weighted_support", "weighted_low", "weighted_high", "pooled_support", "pooled_low", "pooled_high",
                   "poststratified_support", "poststratified_low", "poststratified_high", "prob_all",
                   "expected_weakest",
                   "consensus_rank",
                   "weakest_region", "weakest_support", "weakest_lower", "strongest_region", "divisiveness",
                   "regions_with_enough", "regions_with_own_votes", "consensus"]


def _same_setting(mine: object, theirs: object) -> bool:
    if isinstance(mine, pd.Series) or isinstance(theirs, pd.Series):
        return isinstance(mine, pd.Series) and isinstance(theirs, pd.Series) and mine.equals(theirs)
    return mine == theirs


def _regions_template() -> pd.DataFrame:
    return pd.DataFrame(columns=["proposal_id", "region", "n", "agree", "estimate", "lower", "upper",
                                 "leans_on_pooling"])


def _ranked(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` (indexed by proposal) with `consensus_rank`: ranked by the expected support in whichever region
    turns out weakest. It rewards high support and evidence from every region at once (an unknown region's wide
    range pulls the expectation down), and, unlike the probability of a majority everywhere, it does not
    saturate at 100% for the leaders."""
    frame = frame.copy()
    order = np.lexsort((frame.index.to_numpy(), -frame["prob_all"].to_numpy(dtype=float),
                        -frame["expected_weakest"].to_numpy(dtype=float).round(9)))
    frame["consensus_rank"] = 0
    frame.iloc[order, frame.columns.get_loc("consensus_rank")] = np.arange(1, len(frame) + 1)
    return frame


def proposal_summary(votes: pd.DataFrame, baseline: pd.Series | None = None, *, min_cell: int = 10,
                     random_state: int = 0, previous: RegionalSupport | None = None,
                     ) -> tuple[pd.DataFrame, RegionalSupport]:
    """One row per proposal (SUMMARY_COLUMNS), best supported in every region first, and the fitted model.

    Raw support has a Wilson interval; weighted support is MRP (pooled regional estimates post-stratified to
    `baseline`); `prob_all`, the weakest and strongest regions and divisiveness come from the pooled
    estimates; `consensus` is Polis's group-informed consensus with the 12 regions as groups, kept as a second
    view (the geometric mean of (agree + 1) / (votes + 2) over regions). `previous`: the model this returned
    before, for a refresh (`RegionalSupport.fit`).
    """
    from consult.support.direct import cross_region_consensus, support_table, weighted_support

    model = RegionalSupport(baseline=baseline, min_cell=min_cell, random_state=random_state).fit(votes,
                                                                                               previous=previous)
    raw = support_table(votes)
    pooled = model.proposals_.drop(columns=["votes", "agree", "support", "support_low", "support_high"])
    pooled = pooled.rename(columns={"weakest_estimate": "weakest_support"})
    gic = cross_region_consensus(votes, min_votes=min_cell)["consensus"] if len(votes) else pd.Series(dtype=float)
    out = raw[["agree", "disagree", "passes", "votes", "support", "support_low", "support_high"]].join(pooled)
    out["consensus"] = gic.reindex(out.index)
    # the plain alternative beside the model's: each region's raw share weighted to the baseline (no pooling)
    plain = weighted_support(votes, baseline if baseline is not None else region_data.population_baseline())
    for name in ("support", "low", "high"):
        out[f"poststratified_{name}"] = plain[f"weighted_{name}"].reindex(out.index)
    return out[SUMMARY_COLUMNS].sort_values("consensus_rank"), model


_SUMMARY_COLUMNS = ["proposal_id", "votes", "agree", "support", "support_low", "support_high", "weighted_support",
                    "weighted_low", "weighted_high", "pooled_support", "pooled_low", "pooled_high", "prob_all", "expected_weakest", "weakest_region", "weakest_estimate",
                    "weakest_lower", "divisiveness", "strongest_region", "regions_with_votes", "regions_with_enough",
                    "regions_with_own_votes",
                    "consensus_rank"]
