"""Shared factors behind the regional cells: found where regions move together, nothing where they do not."""

from __future__ import annotations

import numpy as np
from helpers import count_cells
from hypothesis import HealthCheck, given, settings
from scipy import special

from consult.support import region_factors


def counts(seed: int, loadings: np.ndarray, n_prop: int = 400, votes: float = 20.0, cell_sd: float = 0.3):
    """Counts whose cells are level + loadings . scores + noise; returns agree, seen and the true offsets."""
    rng = np.random.default_rng(seed)
    scores = rng.normal(size=(n_prop, loadings.shape[1]))
    offset = scores @ loadings.T
    truth = special.expit(rng.normal(0.0, 1.0, (n_prop, 1)) + offset
                          + rng.normal(0.0, cell_sd, (n_prop, loadings.shape[0])))
    seen = rng.poisson(votes, truth.shape).astype(float)
    return rng.binomial(seen.astype(int), truth).astype(float), seen, offset


def test_one_planted_factor_is_found():
    rng = np.random.default_rng(0)
    planted = rng.normal(0.0, 0.8, (12, 1))
    agree, seen, _ = counts(1, planted)
    found = region_factors.fit_factors(agree, seen, 1)
    # the loadings are found up to sign and the part of them the level absorbs (their mean over regions)
    centred = planted[:, 0] - planted[:, 0].mean()
    assert abs(np.corrcoef(found.loadings[:, 0], centred)[0, 1]) > 0.95


def test_the_offsets_follow_the_planted_ones():
    rng = np.random.default_rng(2)
    planted = rng.normal(0.0, 0.8, (12, 2))
    agree, seen, offset = counts(3, planted)
    found = region_factors.fit_factors(agree, seen, 2)
    fitted, covariance = region_factors.cell_offsets(agree, seen, found)
    truth = offset - offset.mean(axis=1, keepdims=True)
    fitted = fitted - fitted.mean(axis=1, keepdims=True)
    assert np.corrcoef(fitted.ravel(), truth.ravel())[0, 1] > 0.9
    assert covariance.shape == (400, 2, 2)
    assert np.all(np.linalg.eigvalsh(covariance) > 0)


def test_without_shared_structure_the_loadings_shrink_to_nothing():
    agree, seen, _ = counts(4, np.zeros((12, 1)), cell_sd=0.5)
    found = region_factors.fit_factors(agree, seen, 2)
    offset, _ = region_factors.cell_offsets(agree, seen, found)
    # a real factor of the tests above moves cells by 0.5-1 on the log-odds scale; noise leaves a small fraction
    # (400 proposals' sampling noise still lines up a little: 0.006 on average, 0.06 at most, with 30 or 300 rounds)
    assert np.abs(offset).mean() < 0.02 and np.abs(offset).max() < 0.1


def test_at_most_one_factor_fewer_than_regions_and_none_without_votes():
    agree, seen, _ = counts(5, np.array([[1.0], [-1.0]]), n_prop=30)
    assert region_factors.fit_factors(agree, seen, 4).n_factors == 1
    assert region_factors.fit_factors(agree[:, :1], seen[:, :1], 2).n_factors == 0
    empty = region_factors.fit_factors(np.zeros((5, 12)), np.zeros((5, 12)), 2)
    assert empty.n_factors == 0
    offset, covariance = region_factors.cell_offsets(np.zeros((5, 12)), np.zeros((5, 12)), empty)
    assert np.array_equal(offset, np.zeros((5, 12))) and covariance.shape == (5, 0, 0)


def test_the_score_nodes_hold_the_offsets_covariance_exactly():
    rng = np.random.default_rng(6)
    loadings = rng.normal(size=(12, 2))
    root = rng.normal(size=(3, 2, 2))
    covariance = root @ np.transpose(root, (0, 2, 1)) + 0.1 * np.eye(2)
    shifts, weights = region_factors.score_nodes(covariance, loadings)
    assert shifts.shape == (3, 4, 12) and np.isclose(weights.sum(), 1.0)
    held = np.einsum("g,pgr,pgs->prs", weights, shifts, shifts)
    assert np.allclose(held, np.einsum("ra,pab,sb->prs", loadings, covariance, loadings))
    assert np.allclose(np.einsum("g,pgr->pr", weights, shifts), 0.0)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(count_cells(max_votes=40))
def test_awkward_counts_give_finite_factors(data):
    agree, seen = data
    found = region_factors.fit_factors(agree, seen, 2)
    offset, covariance = region_factors.cell_offsets(agree, seen, found)
    assert np.all(np.isfinite(found.loadings)) and np.all(np.isfinite(offset)) and np.all(np.isfinite(covariance))


def test_a_factor_pulled_to_nothing_is_dropped():
    """Regions that differ only by their lean (the demo's case): no factor is kept, so nothing changes."""
    rng = np.random.default_rng(8)
    truth = special.expit(rng.normal(0.0, 1.0, (200, 1)) + rng.normal(0.0, 0.3, 12)[None, :])
    seen = rng.poisson(15.0, truth.shape).astype(float)
    agree = rng.binomial(seen.astype(int), truth).astype(float)
    assert region_factors.fit_factors(agree, seen, 2).n_factors == 0
