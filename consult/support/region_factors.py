"""How regions move together across proposals: a few shared factors behind the cells of the regional model.

Where members fall into opinion groups and each region holds its own mix of them, a proposal the "green" group
likes is liked in every green-leaning region at once: the regions' differences from the national level hang
together. A model whose cells are independent given the level cannot see that. It then underrates the chance that
a proposal has a majority in all twelve regions (measured: a forecast of 0.48 came true 73% of the time at 20 votes
a cell, `benchmarks/bench_regional.py --scenarios`), and a small region learns nothing from the regions it
resembles.

So each cell's log-odds gets an offset `loadings_r . scores_p`: `scores_p ~ Normal(0, I)` says how far proposal p
pulls along each factor, `loadings_r` how region r answers to it. They are a weighted factor analysis of each cell's
empirical log-odds minus its proposal's pooled level and its region's lean, each cell weighted by what its votes say
(`1 / (sampling variance + CELL_VARIANCE)`), with Normal(0, 1) priors on scores and loadings (alternating ridge
regressions, the scores' posterior covariance carried into the loadings' step). With no shared structure the priors
pull the loadings toward zero (a factor left under `NEGLIGIBLE` is dropped, as on the demo) and the model gives the
figures of the one without factors (measured on the model's own form and on tiny
regions: the same figures within the seeds' noise, 24 seeds). The scores' posterior covariance is kept: the regional
model integrates each proposal's score uncertainty (`score_nodes`), so "a majority everywhere" keeps the dependence
it implies. Measured: the mixture's cell spreads, fitted around the plug-in offsets, already hold part of that
uncertainty, so each region's own chance comes out a little too cautious where factors are strong (its largest gap
0.048 against 0.016 without factors, groups by region at 20 votes a cell); treating the offsets as known fixes that
there but makes spurious factors overconfident where there is no structure, so the uncertainty is kept.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

# the spread of a cell around what the level, lean and factors say, assumed when weighting cells: the scale
# mixture learns the real spreads afterwards; 0.5 on the log-odds scale is the middle of what it finds
CELL_VARIANCE = 0.25
ROUNDS = 30
NEGLIGIBLE = 0.02  # a loading under this moves no region's cells by a fiftieth on the log-odds scale


@dataclass(frozen=True)
class RegionFactors:
    """Fitted loadings (regions, factors) and the regions' leans the cells were measured from."""

    loadings: np.ndarray
    lean: np.ndarray

    @property
    def n_factors(self) -> int:
        return int(self.loadings.shape[1])


def _residuals(agree: np.ndarray, seen: np.ndarray, lean: np.ndarray | None) -> tuple[np.ndarray, np.ndarray,
                                                                                         np.ndarray]:
    """(residual log-odds, weights, leans): each cell's empirical log-odds minus its proposal's pooled level and
    its region's lean (the weighted mean residual of the region when `lean` is None); weight 0 where no votes."""
    level = special.logit((agree.sum(axis=1) + 0.5) / (seen.sum(axis=1) + 1.0))
    empirical = special.logit((agree + 0.5) / (seen + 1.0))
    sampling = 1.0 / (agree + 0.5) + 1.0 / (seen - agree + 0.5)
    weight = np.where(seen > 0, 1.0 / (sampling + CELL_VARIANCE), 0.0)
    residual = empirical - level[:, None]
    if lean is None:
        lean = (weight * residual).sum(axis=0) / np.maximum(weight.sum(axis=0), 1e-12)
    return np.where(seen > 0, residual - lean[None, :], 0.0), weight, lean


def _scores(residual: np.ndarray, weight: np.ndarray, loadings: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Posterior means (P, k) and covariances (P, k, k) of the scores given the loadings (a ridge regression per
    proposal with the Normal(0, I) prior)."""
    k = loadings.shape[1]
    precision = np.einsum("pr,ra,rb->pab", weight, loadings, loadings) + np.eye(k)[None]
    covariance = np.linalg.inv(precision)
    return np.einsum("pab,pb->pa", covariance, np.einsum("pr,pr,ra->pa", weight, residual, loadings)), covariance


def fit_factors(agree: np.ndarray, seen: np.ndarray, n_factors: int) -> RegionFactors:
    """Loadings of `n_factors` factors from cell counts (proposals, regions); at most regions - 1 factors (one
    more would only restate the level)."""
    n_reg = seen.shape[1]
    k = max(0, min(n_factors, n_reg - 1, seen.shape[0] - 1))
    residual, weight, lean = _residuals(agree, seen, None)
    if k == 0 or not weight.any():
        return RegionFactors(np.zeros((n_reg, 0)), lean)
    # started from the leading directions of the weighted residuals, deterministic
    scaled = residual * np.sqrt(weight / weight.mean())
    _, singular, directions = np.linalg.svd(scaled, full_matrices=False)
    loadings = directions[:k].T * singular[:k] / np.sqrt(len(residual))
    for _ in range(ROUNDS):
        scores, covariance = _scores(residual, weight, loadings)
        second_moment = scores[:, :, None] * scores[:, None, :] + covariance  # E[s s^T] per proposal
        normal = np.einsum("pr,pab->rab", weight, second_moment) + np.eye(k)[None]
        loadings = np.linalg.solve(normal, np.einsum("pr,pr,pa->ra", weight, residual, scores)[..., None])[..., 0]
    # a factor the priors pulled to nothing is dropped, so it costs nothing later (and draws stay as without it)
    return RegionFactors(loadings[:, np.abs(loadings).max(axis=0) >= NEGLIGIBLE], lean)


def cell_offsets(agree: np.ndarray, seen: np.ndarray, factors: RegionFactors) -> tuple[np.ndarray, np.ndarray]:
    """Each cell's offset `loadings . scores` (P, R) and the scores' posterior covariance (P, k, k), for these
    counts under fitted loadings (a refresh gives new votes the loadings a full fit learnt)."""
    n_prop, n_reg = seen.shape
    if factors.n_factors == 0:
        return np.zeros((n_prop, n_reg)), np.zeros((n_prop, 0, 0))
    residual, weight, _ = _residuals(agree, seen, factors.lean)
    scores, covariance = _scores(residual, weight, factors.loadings)
    return scores @ factors.loadings.T, covariance


def score_nodes(covariance: np.ndarray, loadings: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each proposal's score may lie, as shifts of each region's offset (P, G, R), and their weights (G,).

    A symmetric cubature of 2k points (plus and minus sqrt(k) along each axis of the scores' covariance, equal
    weights) integrates every polynomial of degree three exactly against a k-dimensional normal; four points for
    two factors keep the array "a majority everywhere" needs small (a 3 x 3 product grid would more than double it,
    62 MB to 140 MB at 100,000 proposals). Against a 7 x 7 grid the probability of a majority in all 12 regions moves
    by 0.002 on average and 0.03 at most (the 3 x 3 grid: 0.017 at most), measured at 20 votes a cell."""
    n_prop, k = covariance.shape[0], loadings.shape[1]
    if k == 0:
        return np.zeros((n_prop, 1, loadings.shape[0])), score_weights(0)
    axes = np.sqrt(k) * np.vstack([np.eye(k), -np.eye(k)])  # (2k, k)
    root = np.linalg.cholesky(covariance + 1e-12 * np.eye(k)[None])  # (P, k, k)
    shifts = np.einsum("pab,gb->pga", root, axes)  # (P, 2k, k)
    return np.einsum("pga,ra->pgr", shifts, loadings), score_weights(k)


def score_weights(n_factors: int) -> np.ndarray:
    """The weights of `score_nodes`' nodes for `n_factors` factors (one node of weight 1 without factors)."""
    return np.full(2 * n_factors, 1.0 / (2 * n_factors)) if n_factors else np.ones(1)
