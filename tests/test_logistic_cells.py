"""The per-cell numerics under the regional model: marginal likelihoods against brute-force integrals, empty cells
skipped exactly, mixture quantiles against bisection."""

from __future__ import annotations

import numpy as np
from scipy import integrate, special, stats

from consult.support import logistic_cells
from consult.support.mixture_model import SCALES


def _log_likelihood(x: float, agree: int, seen: int, base: float) -> float:
    return agree * -np.logaddexp(0.0, -(base + x)) + (seen - agree) * -np.logaddexp(0.0, base + x)


def _log_marginal(agree: int, seen: int, base: float, scale: float) -> float:
    """log of the integral of likelihood x prior, scaled by the likelihood's peak so nothing underflows, with the
    peak and the prior's centre given to the integrator."""
    peak = special.logit((agree + 0.5) / (seen + 1.0)) - base
    top = _log_likelihood(peak, agree, seen, base)
    value, _ = integrate.quad(lambda x: np.exp(_log_likelihood(x, agree, seen, base) - top)
                              * stats.norm.pdf(x, 0, scale), -15, 15, points=[peak, 0.0], limit=500)
    return float(np.log(value) + top)


def test_marginal_likelihoods_match_the_integral_they_stand_for():
    for agree, seen, base in [(1, 1, 0.3), (0, 2, -1.0), (3, 5, 0.5), (10, 12, 0.0), (40, 60, 0.2)]:
        _, _, log_ml = logistic_cells.solve_cells(np.array([[[agree]]], float), np.array([[[seen]]], float),
                                                  np.array([[[base]]]), np.zeros((1, 1, SCALES.size)), SCALES)
        exact = [_log_marginal(agree, seen, base, scale) for scale in SCALES]
        error = log_ml.ravel() - exact
        if seen < logistic_cells.EXACT_BELOW:  # quadrature: close to the integral itself
            assert np.abs(error).max() < 0.02
        else:  # Laplace: off by O(1/votes), small from 30 votes on
            assert np.abs(error).max() < 0.01


def test_empty_cells_skipped_give_what_solving_every_cell_gives():
    rng = np.random.default_rng(7)
    seen = np.where(rng.random((40, 1, 12, 1)) < 0.2, rng.integers(1, 9, (40, 1, 12, 1)), 0).astype(float)
    agree = np.floor(seen * rng.random(seen.shape))
    base = rng.normal(0.0, 1.0, (40, 3, 12, 1))
    start = np.zeros((40, 3, 12, SCALES.size))
    sparse = logistic_cells.cell_posteriors(agree, seen, base, start, SCALES)  # under 60% voted: sparse
    every = logistic_cells.solve_cells(agree, seen, base, start, SCALES)
    for skipped, solved in zip(sparse, every, strict=True):
        assert np.allclose(skipped, np.broadcast_to(solved, skipped.shape), atol=1e-9)


def test_mixture_quantiles_match_bisection_on_the_mixture():
    rng = np.random.default_rng(3)
    weight = rng.dirichlet(np.ones(6), 200)
    mean, sd = rng.normal(0.0, 2.0, (200, 6)), rng.uniform(0.05, 2.5, (200, 6))
    for level in (0.025, 0.5, 0.975):
        found = logistic_cells.mixture_quantile(weight, mean, sd, level)
        cdf = (weight * stats.norm.cdf((found[:, None] - mean) / sd)).sum(axis=1)
        assert np.abs(cdf - level).max() < 1e-6


def test_a_mixture_settled_at_its_quantile_keeps_it():
    """Newton's step from the quantile itself lands on the bracket's end: the answer must stay there, not move to
    the bracket's middle (a cell's estimate came out 1e-4 off, and differed with what else was in the batch)."""
    rng = np.random.default_rng(11)
    n = 20_000
    weight = rng.dirichlet(np.ones(21), n)
    mean = rng.normal(-1.0, 0.3, (n, 1)) + rng.normal(0.0, 0.2, (n, 21))
    sd = rng.uniform(0.18, 1.05, (n, 21))
    for level in (0.025, 0.5, 0.975):
        found = logistic_cells.mixture_quantile(weight, mean, sd, level)
        cdf = (weight * stats.norm.cdf((found[:, None] - mean) / sd)).sum(axis=1)
        assert np.abs(cdf - level).max() < 1e-7
