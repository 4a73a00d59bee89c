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
