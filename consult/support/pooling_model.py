"""Pooled regional support: a hierarchical logistic model of agree shares by proposal and region.

At real vote density (about 2 votes per proposal per region) a region's own agree share says almost nothing.
The model borrows strength, as multilevel regression (the "MR" of MRP) does:

    logit(share agreeing with proposal p in region r) = mu_p + lean_r + cell_pr
    mu_p ~ Normal(overall, proposal_sd^2)     the proposal's national level
    lean_r                                    the region's general lean across all proposals (fixed effect)
    cell_pr ~ Normal(0, cell_sd^2)            what is particular to this proposal in this region

A cell with 2 votes sits near its proposal's national level plus its region's lean, with a wide interval; a
cell with 200 votes stands on its own data. Agree share = agrees / votes seen (passes count as seen).

Fitting is Laplace-EM: for each proposal the posterior of (mu_p, cell_p1..cell_pR) is approximated by a
Gaussian at its mode (Newton's method; the Hessian is an "arrow" matrix, so every step is closed-form and all
proposals are solved at once), and the hyperparameters (overall, proposal_sd, cell_sd, leans) are updated from
those posteriors until they settle. The approximation gives, per proposal, the joint posterior of its regional
log-odds as eta_r = mode_r + z_r / sqrt(D_r) + (1 - w_r / D_r) * u / sqrt(S) with independent standard
normals z_r, u (D_r, w_r, S below), which makes joint draws cheap and exact under the approximation.

`EmpiricalBayesRegional` is the simpler baseline (beta-binomial shrinkage toward each proposal's national
rate, one prior strength fitted by marginal likelihood); benchmarks/bench_regional.py compares the two.
"""

from __future__ import annotations

import numpy as np
from scipy import optimize, special, stats
from sklearn.base import BaseEstimator

Z95 = 1.959963984540054


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return special.expit(x)


def checked_counts(agree: np.ndarray, seen: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The two count arrays as floats, refused by name unless they are (proposals, regions) alike and
    0 <= agree <= seen."""
    agree = np.asarray(agree, dtype=float)
    seen = np.asarray(seen, dtype=float)
    if agree.shape != seen.shape or agree.ndim != 2:
        raise ValueError("agree and seen must be arrays of the same (proposals, regions) shape")
    if np.any(agree < 0) or np.any(agree > seen):
        raise ValueError("agree counts must lie between 0 and the votes seen")
    return agree, seen


class HierarchicalRegionalModel(BaseEstimator):
    """Fit on cell counts: `agree` and `seen` arrays of shape (n_proposals, n_regions).

    Parameters
    ----------
    max_iter : EM iterations at most.
    tol : stop when no hyperparameter moves by more than this.
    min_proposal_sd, min_cell_sd : floors for the two spreads. With a handful of votes (a meeting's first
        minutes) the data cannot tell how much proposals and regions differ; without a floor the fit would call
        them identical and show 97-100% ranges after five votes. Fitted spreads on real-sized data lie above
        (demo: 0.50 and 0.33; simulations 0.9 and 0.6), so the floors bind only when evidence is thin.
    overall_prior_sd : a Normal(0, sd^2) prior on the overall log-odds, so that all-agree early data does not
        send the overall level to infinity.
    min_cell_votes : cells with at least this many votes teach the model how much regions differ.
    random_state : seed for the posterior draws (`draw`), so results repeat exactly.

    Attributes (after `fit`)
    ----------
    mode_ : (P, R) posterior mode of each cell's log-odds.
    sd_ : (P, R) posterior standard deviation of each cell's log-odds.
    overall_, proposal_sd_, cell_sd_ : fitted hyperparameters; lean_ : (R,) region leans (sum to zero).
    n_iter_ : EM iterations used.
    """

    def __init__(self, max_iter: int = 500, tol: float = 1e-4, min_proposal_sd: float = 0.5,
                 min_cell_sd: float = 0.25, overall_prior_sd: float = 1.5, min_cell_votes: int = 3,
                 random_state: int = 0):
        self.max_iter = max_iter
        self.tol = tol
        self.min_proposal_sd = min_proposal_sd
        self.min_cell_sd = min_cell_sd
        self.overall_prior_sd = overall_prior_sd
        self.min_cell_votes = min_cell_votes
        self.random_state = random_state

    def fit(self, agree: np.ndarray, seen: np.ndarray) -> HierarchicalRegionalModel:
        agree, seen = checked_counts(agree, seen)
        n_prop, n_reg = seen.shape
        total_agree, total_seen = agree.sum(), seen.sum()
        overall = float(special.logit((total_agree + 1) / (total_seen + 2)))
        proposal_sd, cell_sd = 1.0, 0.5
        lean = np.zeros(n_reg)
        mu = np.full(n_prop, overall)
        cell = np.zeros((n_prop, n_reg))
        # where no proposal has two regions with two votes each, the spread falls back to the EM estimate
        informative = seen >= self.min_cell_votes
        if not informative.any():
            informative = seen >= 0
        between = self._between_region_variance(agree, seen)
        self.n_iter_ = 0
        for iteration in range(1, self.max_iter + 1):
            mu, cell, var_mu, var_cell, _ = self._posterior(agree, seen, mu, cell, overall, lean, proposal_sd, cell_sd)
            # MAP for the overall level under its Normal(0, overall_prior_sd^2) prior
            new_overall = float(mu.sum() / proposal_sd**2 / (n_prop / proposal_sd**2 + 1 / self.overall_prior_sd**2))
            new_proposal_sd = max(self.min_proposal_sd, float(np.sqrt(np.mean((mu - new_overall) ** 2 + var_mu))))
            if np.isfinite(between):  # the moment estimate, less what the region leans already explain
                new_cell_sd = max(self.min_cell_sd, float(np.sqrt(max(between - lean.var(), 0.0))))
            else:
                new_cell_sd = max(self.min_cell_sd, float(np.sqrt(np.mean((cell**2 + var_cell)[informative]))))
            new_lean = self._update_lean(agree, seen, mu, cell, lean, cell_sd)
            moved = max(abs(new_overall - overall), abs(new_proposal_sd - proposal_sd),
                        abs(new_cell_sd - cell_sd), float(np.abs(new_lean - lean).max(initial=0.0)))
            overall, proposal_sd, cell_sd, lean = new_overall, new_proposal_sd, new_cell_sd, new_lean
            self.n_iter_ = iteration
            if moved < self.tol:
                break
        mu, cell, _, _, parts = self._posterior(agree, seen, mu, cell, overall, lean, proposal_sd, cell_sd)
        self.overall_, self.proposal_sd_, self.cell_sd_, self.lean_ = overall, proposal_sd, cell_sd, lean
        self.mode_ = mu[:, None] + lean[None, :] + cell
        self._d, self._w, self._s = parts
        self.sd_ = np.sqrt(1.0 / self._d + (1.0 - self._w / self._d) ** 2 / self._s[:, None])
        return self

    def _posterior(self, agree, seen, mu, cell, overall, lean, proposal_sd, cell_sd, steps: int = 25):
        """Posterior modes and variances of (mu_p, cell_pr) for every proposal at once (Newton on the arrow system)."""
        prior_mu, prior_cell = 1.0 / proposal_sd**2, 1.0 / cell_sd**2
        for _ in range(steps):
            eta = mu[:, None] + lean[None, :] + cell
            share = _sigmoid(eta)
            residual = agree - seen * share
            weight = seen * share * (1.0 - share)
            grad_mu = residual.sum(axis=1) - (mu - overall) * prior_mu
            grad_cell = residual - cell * prior_cell
            diag = weight + prior_cell
            schur = weight.sum(axis=1) + prior_mu - (weight**2 / diag).sum(axis=1)
            step_mu = (grad_mu - (weight / diag * grad_cell).sum(axis=1)) / schur
            step_cell = (grad_cell - weight * step_mu[:, None]) / diag
            # the posterior is log-concave; a cap on the step keeps the first steps from overshooting
            biggest = max(float(np.abs(step_mu).max(initial=0.0)), float(np.abs(step_cell).max(initial=0.0)))
            scale = 1.0 if biggest <= 3.0 else 3.0 / biggest
            mu, cell = mu + scale * step_mu, cell + scale * step_cell
            if biggest < 1e-8:
                break
        eta = mu[:, None] + lean[None, :] + cell
        share = _sigmoid(eta)
        weight = seen * share * (1.0 - share)
        diag = weight + prior_cell
        schur = weight.sum(axis=1) + prior_mu - (weight**2 / diag).sum(axis=1)
        var_mu = 1.0 / schur
        var_cell = 1.0 / diag + (weight / diag) ** 2 / schur[:, None]
        return mu, cell, var_mu, var_cell, (diag, weight, schur)

    @staticmethod
    def _between_region_variance(agree: np.ndarray, seen: np.ndarray) -> float:
        """How much regions differ on the same proposal, on the log-odds scale, by the method of moments.

        Within a proposal, k_r (k_r - 1) / (n_r (n_r - 1)) is an unbiased estimate of p_r^2 and k_r k_s / (n_r n_s)
        of p_r p_s, so the spread of the true shares across its regions (cells with 2+ votes) is estimated
        without bias however few the votes; dividing by the mean of p (1 - p), squared, puts it on the log-odds scale. Proposals
        are pooled as a ratio of sums. The Gaussian approximation's own estimate of this spread is biased toward
        zero when cells hold one or two votes (simulations: 0.40 for a true 0.60, and 95% intervals covering 87%).
        """
        usable = seen >= 2
        count = usable.sum(axis=1)
        rows = count >= 2
        if not rows.any():
            return np.nan
        k, n, m = agree[rows], seen[rows], count[rows].astype(float)
        use = usable[rows]
        safe_n = np.where(use, n, 2.0)
        share = np.where(use, k / safe_n, 0.0)
        square = np.where(use, k * (k - 1) / (safe_n * (safe_n - 1)), 0.0)
        sum_share, sum_square = share.sum(axis=1), square.sum(axis=1)
        cross = sum_share**2 - (share**2).sum(axis=1)  # sum over ordered pairs r != s of p_r p_s
        spread = sum_square / m - cross / (m * (m - 1))
        # the slope of the share against the log-odds is p (1 - p), averaged over the regions (unbiasedly, from the
        # same pair counts); p-bar (1 - p-bar) would overstate it (Jensen) and understate the spread
        scale = np.clip(sum_share / m - sum_square / m, 0.0, 0.25) ** 2
        return float(spread.sum() / max(scale.sum(), 1e-9))

    @staticmethod
    def _update_lean(agree, seen, mu, cell, lean, cell_sd) -> np.ndarray:
        """One Newton step for the region leans, centred so they sum to zero (the overall level absorbs the rest)."""
        share = _sigmoid(mu[:, None] + lean[None, :] + cell)
        grad = (agree - seen * share).sum(axis=0) - lean  # a Normal(0, 1) prior keeps empty regions at 0
        hess = (seen * share * (1 - share)).sum(axis=0) + 1.0
        new = lean + np.clip(grad / hess, -1.0, 1.0)
        return new - new.mean()

    def posterior_sd(self, agree: np.ndarray, seen: np.ndarray) -> np.ndarray:
        """Each cell's posterior sd (log-odds) for other counts under this fit's hyperparameters (same shape)."""
        agree, seen = np.asarray(agree, dtype=float), np.asarray(seen, dtype=float)
        mu = np.full(seen.shape[0], self.overall_)
        _, _, _, _, (diag, weight, schur) = self._posterior(agree, seen, mu, np.zeros_like(seen), self.overall_,
                                                            self.lean_, self.proposal_sd_, self.cell_sd_, steps=60)
        return np.sqrt(1.0 / diag + (1.0 - weight / diag) ** 2 / schur[:, None])

    def interval(self, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
        """Lower and upper bounds of each cell's agree share."""
        z = stats.norm.ppf(0.5 + level / 2)
        return _sigmoid(self.mode_ - z * self.sd_), _sigmoid(self.mode_ + z * self.sd_)

    def estimate(self) -> np.ndarray:
        """Each cell's agree share: the posterior median (the share at the mode of the log-odds)."""
        return _sigmoid(self.mode_)

    def draw(self, n_draws: int = 400, rows: np.ndarray | None = None) -> np.ndarray:
        """Joint posterior draws of the agree shares, shape (n_draws, proposals, regions); repeatable."""
        rows = np.arange(self.mode_.shape[0]) if rows is None else np.asarray(rows)
        rng = np.random.default_rng(self.random_state)
        d, w, s = self._d[rows], self._w[rows], self._s[rows]
        z = rng.standard_normal((n_draws, *d.shape))
        u = rng.standard_normal((n_draws, d.shape[0], 1))
        eta = self.mode_[rows][None] + z / np.sqrt(d)[None] + (1.0 - w / d)[None] * u / np.sqrt(s)[None, :, None]
        return _sigmoid(eta)


class EmpiricalBayesRegional(BaseEstimator):
    """Beta-binomial shrinkage toward each proposal's national agree rate: the floor the model must beat.

    Prior for cell (p, r): Beta(m_p * s, (1 - m_p) * s) with m_p = (agrees_p + 1) / (seen_p + 2); the strength s
    maximises the beta-binomial marginal likelihood of all cells. Posterior Beta(m_p s + agree, (1 - m_p) s +
    seen - agree); 95% interval from its quantiles.
    """

    def __init__(self, min_strength: float = 0.5, max_strength: float = 1e4):
        self.min_strength = min_strength
        self.max_strength = max_strength

    def fit(self, agree: np.ndarray, seen: np.ndarray) -> EmpiricalBayesRegional:
        agree, seen = np.asarray(agree, dtype=float), np.asarray(seen, dtype=float)
        national = (agree.sum(axis=1, keepdims=True) + 1) / (seen.sum(axis=1, keepdims=True) + 2)
        used = seen > 0

        def negative_log_likelihood(log_strength: float) -> float:
            s = np.exp(log_strength)
            alpha, beta = national * s, (1 - national) * s
            ll = (special.betaln(alpha + agree, beta + seen - agree) - special.betaln(alpha, beta))[used]
            return -float(ll.sum())

        bounds = (np.log(self.min_strength), np.log(self.max_strength))
        best = optimize.minimize_scalar(negative_log_likelihood, bounds=bounds, method="bounded")
        self.strength_ = float(np.exp(best.x))
        self.alpha_ = national * self.strength_ + agree
        self.beta_ = (1 - national) * self.strength_ + seen - agree
        return self

    def estimate(self) -> np.ndarray:
        return self.alpha_ / (self.alpha_ + self.beta_)

    def prob_above(self, threshold: float = 0.5) -> np.ndarray:
        """P(every region's share is above `threshold`) per proposal, with the cells' Beta posteriors independent."""
        return np.prod(stats.beta.sf(threshold, self.alpha_, self.beta_), axis=1)

    def interval(self, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
        tail = (1 - level) / 2
        return special.betaincinv(self.alpha_, self.beta_, tail), special.betaincinv(self.alpha_, self.beta_, 1 - tail)
