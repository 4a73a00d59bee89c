"""Pooled regional support: the estimator's promises, its edge cases, and its ranking."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from helpers import count_cells, votes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats
from sklearn.base import clone

from consult import regions
from consult.proposals import routing
from consult.support import pooled as regional
from consult.support.pooling_model import EmpiricalBayesRegional, HierarchicalRegionalModel

CODES = regions.region_codes()
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(count_cells())
def test_estimates_lie_in_their_intervals_within_zero_and_one(data):
    agree, seen = data
    model = HierarchicalRegionalModel().fit(agree, seen)
    low, high = model.interval()
    estimate = model.estimate()
    assert np.all((low >= 0) & (low <= estimate) & (estimate <= high) & (high <= 1))
    assert np.all(np.isfinite(model.sd_))


@SETTINGS
@given(count_cells(), st.integers(2, 5))
def test_more_votes_at_the_same_share_never_widen_a_cell(data, factor):
    agree, seen = data
    model = HierarchicalRegionalModel().fit(agree, seen)
    row, col = np.unravel_index(np.argmax(seen), seen.shape)
    more_agree, more_seen = agree.copy(), seen.copy()
    more_agree[row, col] *= factor
    more_seen[row, col] *= factor
    # under the same fit (other things equal), on the log-odds scale, where width is information
    assert model.posterior_sd(more_agree, more_seen)[row, col] <= model.posterior_sd(agree, seen)[row, col] + 1e-9


def test_more_votes_narrow_a_region_in_a_real_sized_consultation():
    rng = np.random.default_rng(5)
    seen = rng.integers(0, 6, (200, 12)).astype(float)
    agree = np.floor(seen * rng.random((200, 12)))
    before = HierarchicalRegionalModel().fit(agree, seen)
    agree[0, 0], seen[0, 0] = 6, 12
    after = HierarchicalRegionalModel().fit(agree, seen)
    low_b, high_b = before.interval()
    low_a, high_a = after.interval()
    assert high_a[0, 0] - low_a[0, 0] < high_b[0, 0] - low_b[0, 0]


def test_edge_cases_do_not_crash():
    empty = pd.DataFrame(columns=["participant_id", "proposal_id", "value", "region"])
    assert regional.RegionalSupport().fit(empty).proposals_.empty
    one = votes([(1, 7, 1, "W92000004")])
    fitted = regional.RegionalSupport().fit(one)
    assert list(fitted.proposals_.index) == [7] and len(fitted.regions_) == 12
    all_pass = votes([(i, 1, 0, CODES[i % 12]) for i in range(30)])
    summary = regional.RegionalSupport().fit(all_pass).proposals_
    assert summary.loc[1, "support"] == 0 and summary.loc[1, "weighted_support"] < 0.5
    outside = votes([(i, 1, 1, regions.UNDISCLOSED) for i in range(5)])
    assert regional.RegionalSupport().fit(outside).proposals_.loc[1, "regions_with_votes"] == 0


def test_the_same_input_gives_the_same_output_and_clone_works():
    rows = [(i, p, 1 if (i * p) % 3 else -1, CODES[i % 12]) for i in range(60) for p in range(5)]
    first = regional.RegionalSupport(random_state=3).fit(votes(rows)).proposals_
    second = clone(regional.RegionalSupport(random_state=3)).fit(votes(rows)).proposals_
    pd.testing.assert_frame_equal(first, second)


def test_support_shown_in_every_region_beats_the_same_support_shown_in_two():
    rows = []
    for i, code in enumerate(CODES * 4):  # proposal 1: 4 voters in each region, 3 of 4 agree everywhere
        rows.append((i, 1, -1 if i < len(CODES) else 1, code))
    for i in range(8):  # proposal 2: 3 of 4 agree too, but its 8 votes come from London and the South East only
        rows.append((1000 + i, 2, -1 if i < 2 else 1, CODES[6 + i % 2]))
    for i, code in enumerate(CODES * 2):  # filler so the model learns how much regions differ
        for p in range(3, 9):
            rows.append((2000 + i, p, 1 if (i + p) % 2 else -1, code))
    fitted = regional.RegionalSupport().fit(votes(rows))
    ranked = fitted.ranked()
    assert ranked.index.get_loc(1) < ranked.index.get_loc(2)
    assert fitted.proposals_.loc[1, "prob_all"] > fitted.proposals_.loc[2, "prob_all"]
    assert "every regional estimate leans on the national figure" in fitted.pooling_note(2)


def test_a_region_with_many_votes_stands_on_its_own():
    rows = [(i, 1, 1 if i < 180 else -1, "E12000001") for i in range(200)]  # 90% in the North East
    rows += [(1000 + i, 1, 1 if i % 2 else -1, CODES[1 + i % 11]) for i in range(110)]
    estimates = regional.RegionalSupport().fit(votes(rows)).regions_.set_index("region")
    north_east = estimates.loc["E12000001"]
    assert north_east["estimate"] == pytest.approx(0.9, abs=0.03) and not north_east["leans_on_pooling"]


def test_empirical_bayes_baseline_shrinks_toward_the_national_rate():
    agree = np.array([[2.0, 0.0, 30.0]])
    seen = np.array([[2.0, 2.0, 40.0]])
    model = EmpiricalBayesRegional().fit(agree, seen)
    estimate = model.estimate()[0]
    national = 32 / 44
    assert abs(estimate[0] - national) < abs(1.0 - national) and abs(estimate[1] - national) < national
    low, high = model.interval()
    assert np.all(low <= estimate) and np.all(estimate <= high)
    # a majority everywhere is less likely than in the weakest region alone, and falls as the bar rises
    weakest = stats.beta.sf(0.5, model.alpha_, model.beta_).min()
    assert model.prob_above(0.5)[0] <= weakest and model.prob_above(0.8)[0] < model.prob_above(0.5)[0]


def test_evidence_routing_prefers_undecided_leaders_and_thin_regions():
    summary = pd.DataFrame({"prob_all": [0.5, 0.99, 0.5], "consensus_rank": [1, 2, 60]}, index=[10, 11, 12])
    estimates = pd.DataFrame({"proposal_id": [10, 11, 12], "region": "E12000001", "lower": [0.2, 0.2, 0.2],
                              "upper": [0.8, 0.8, 0.8]})
    value = routing.evidence_value(summary, estimates, "E12000001")
    assert value[10] > value[11] and 12 not in value.index  # settled or far down the list: no extra votes
    priority = pd.Series([1.0, 1.0, 1.0], index=[10, 11, 12])
    boosted = routing.with_evidence(priority, value)
    assert boosted[10] > boosted[11] >= boosted[12] == 1.0


def _consultation_votes(seed: int, n_people: int = 400, n_proposals: int = 40) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    people_region = rng.choice(CODES, n_people)
    leaning = rng.normal(0, 1, n_proposals)
    rows = [(person, proposal, 1 if rng.random() < 1 / (1 + np.exp(-leaning[proposal])) else -1, people_region[person])
            for person in range(n_people) for proposal in rng.choice(n_proposals, 8, replace=False)]
    return votes(rows)


def test_a_refresh_with_no_new_votes_changes_nothing():
    frame = _consultation_votes(1)
    first = regional.RegionalSupport().fit(frame)
    again = regional.RegionalSupport().fit(frame, previous=first)
    assert again.changed_ == 0 and again.hyper_votes_ == first.hyper_votes_
    pd.testing.assert_frame_equal(again.proposals_, first.proposals_)
    pd.testing.assert_frame_equal(again.regions_, first.regions_)


def test_a_refresh_works_out_again_only_the_proposals_with_new_votes():
    frame = _consultation_votes(2)
    first = regional.RegionalSupport().fit(frame)
    newcomers = votes([(10_000 + i, proposal, 1, CODES[i % 12]) for i in range(12) for proposal in (3, 7)]
                      + [(10_000 + i, 99, -1, CODES[i % 12]) for i in range(5)])  # and a new proposal
    refreshed = regional.RegionalSupport().fit(pd.concat([frame, newcomers], ignore_index=True), previous=first)
    assert refreshed.changed_ == 3
    assert refreshed.hyper_votes_ == first.hyper_votes_  # 29 more votes on 3,200: the spreads are kept
    untouched = [p for p in first.proposals_.index if p not in (3, 7)]
    pd.testing.assert_frame_equal(refreshed.proposals_.loc[untouched].drop(columns="consensus_rank"),
                                  first.proposals_.loc[untouched].drop(columns="consensus_rank"))
    # what was worked out again is each proposal's own posterior under the kept spreads: the same figures as
    # working out every proposal under them
    everyone = regional.RegionalSupport().fit(pd.concat([frame, newcomers], ignore_index=True))
    under_kept = type(first.model_)().fit(refreshed.agree_, refreshed.seen_, fitted=first.model_)
    rows = refreshed.proposal_ids_.get_indexer([3, 7, 99])
    new_cells = refreshed.regions_.set_index(["proposal_id", "region"]).loc[[3, 7, 99], "estimate"].to_numpy()
    assert np.allclose(new_cells, under_kept.estimate()[rows, :12].ravel())
    # and close to a fit from scratch, which relearns the spreads from nearly the same votes
    scratch = everyone.regions_.set_index(["proposal_id", "region"])["estimate"]
    kept = refreshed.regions_.set_index(["proposal_id", "region"])["estimate"]
    assert (scratch - kept.reindex(scratch.index)).abs().max() < 0.03
    # ranks cover every proposal once
    assert sorted(refreshed.proposals_["consensus_rank"]) == list(range(1, len(refreshed.proposals_) + 1))
    assert refreshed.proposals_.loc[99, "votes"] == 5


def test_a_refresh_after_many_more_votes_or_other_settings_is_a_fit_from_scratch():
    frame = _consultation_votes(3)
    first = regional.RegionalSupport().fit(frame.iloc[:2000])
    grown = regional.RegionalSupport().fit(frame, previous=first)  # 3,200 votes against 2,000: over a quarter
    scratch = regional.RegionalSupport().fit(frame)
    assert grown.changed_ == len(scratch.proposals_) and grown.hyper_votes_ == len(frame)
    pd.testing.assert_frame_equal(grown.proposals_, scratch.proposals_)
    other_baseline = pd.Series(1.0, index=CODES)
    weighted = regional.RegionalSupport(baseline=other_baseline).fit(frame, previous=scratch)
    assert weighted.changed_ == len(scratch.proposals_)
    pd.testing.assert_frame_equal(weighted.proposals_,
                                  regional.RegionalSupport(baseline=other_baseline).fit(frame).proposals_)


def test_a_refresh_drops_a_proposal_that_is_gone():
    frame = _consultation_votes(4)
    first = regional.RegionalSupport().fit(frame)
    without = frame[frame["proposal_id"] != 5]
    refreshed = regional.RegionalSupport().fit(without, previous=first)
    assert 5 not in refreshed.proposals_.index and 5 not in set(refreshed.regions_["proposal_id"])
    assert len(refreshed.regions_) == 12 * len(refreshed.proposals_)


def test_a_fitted_estimator_kept_for_the_next_refresh_holds_no_posteriors():
    """Kept between refreshes (members' pages, the presenter, the officers' table), a fitted estimator must stay
    small: the model drops its per-proposal posteriors once the figures are out, and works them out again if
    asked."""
    frame = _consultation_votes(6)
    fitted = regional.RegionalSupport().fit(frame)
    assert fitted.model_._cache == {}
    again = fitted.model_.estimate()[:, :12].ravel()
    assert np.allclose(again, fitted.regions_["estimate"].to_numpy())
