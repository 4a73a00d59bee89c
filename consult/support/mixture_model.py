"""Regional support with each region's own, heavy-tailed spread: a scale-mixture hierarchical logistic model.

    logit(share agreeing with proposal p in region r) = mu_p + lean_r + loadings_r . scores_p + cell_pr
    mu_p ~ Normal(overall, proposal_sd^2)                  the proposal's national level
    lean_r                                                 the region's general lean (its uncertainty is carried)
    loadings_r . scores_p                                  how regions move together (`region_factors`)
    cell_pr ~ sum_k weight_rk Normal(0, SCALES_k^2)        what is particular to this proposal in this region

The cell prior is a mixture over a fixed ladder of spreads, its weights fitted per region (adaptive shrinkage,
Stephens 2017, with one mixture a region): a region that differs little gets narrow intervals, a small region that
differs a lot gets its own wide ones, and a single cell 30 points off the rest is explained by a wide component
instead of being pulled back to the national figure by one normal spread for everything. Each region's weights are
shrunk toward the mean of the regions' weights (a Dirichlet prior with `region_strength` pseudo-cells), which is
itself shrunk toward an even spread over the ladder, so that a region with few votes borrows what regions are like
rather than what the largest regions are like, and a consultation's first votes do not claim regions agree.

Fitting is EM. Per proposal, mu_p is integrated by adaptive Gauss-Hermite quadrature (`n_level_nodes` nodes, recentred
every iteration); given a node, each cell under each spread has a Laplace posterior (Newton, warm-started) and a
marginal likelihood by 3-point adaptive quadrature (`logistic_cells`). So the posterior of a cell's log-odds is a mixture of normals
over (node, spread): intervals are its exact quantiles; joint draws pick one node per proposal, then a spread and a
normal per region, so "a majority in every region" keeps the dependence through the shared national level. The
factors' loadings are fitted once before EM; each proposal's scores are a plug-in offset whose uncertainty is
integrated where regions are judged together (`region_factors.score_nodes`) and added to each cell's variance,
scaled by how far a shift of its prior moves its posterior (posterior over prior variance).
"""

from __future__ import annotations

import numpy as np
from scipy import special
from sklearn.base import BaseEstimator

from consult.support import region_factors
from consult.support.logistic_cells import cell_posteriors, logsumexp, mixture_quantile, sigmoid
from consult.support.pooling_model import checked_counts

SCALES = np.array([0.1, 0.25, 0.45, 0.7, 1.0, 1.5, 2.5])
# what a fit learns about the consultation as a whole; each proposal's posterior follows from them and its votes
_HYPERPARAMETERS = ("overall_", "proposal_sd_", "lean_", "weights_", "mean_weights_", "region_spread_", "lean_sd_",
                    "factors_")
BLOCK = 2000  # proposals whose posterior is held at once


class ScaleMixtureRegionalModel(BaseEstimator):
    """Fit on cell counts: `agree` and `seen` arrays of shape (n_proposals, n_regions); same outputs as
    `pooling_model.HierarchicalRegionalModel` (`estimate`, `interval`, `draw`).

    Parameters
    ----------
    max_iter, tol : EM iterations at most; stop when no weight or level moves by more than `tol`.
    min_proposal_sd : floor for the spread of proposals' national levels (few votes cannot show proposals agree).
    overall_prior_sd : Normal(0, sd^2) prior on the overall log-odds (all-agree early data stays finite).
    region_strength : pseudo-cells of the Dirichlet prior that ties a region's spread weights to the regions' mean.
    even_strength : pseudo-regions tying the regions' mean weights to an even spread over SCALES.
    n_level_nodes : Gauss-Hermite nodes for each proposal's national level.
    n_factors : shared factors through which regions move together (0: cells independent given the level).
    max_fit_proposals : the spreads, leans and levels are fitted on at most this many proposals drawn at random.
    random_state : seed for the posterior draws.

    Attributes (after `fit`)
    ----------
    weights_ : (R, K) each region's mixture weights over SCALES; mean_weights_ : (K,) the regions' mean.
    region_spread_ : (R,) each region's prior sd of cell effects (sqrt of sum_k weight_rk SCALES_k^2).
    factors_ : `region_factors.RegionFactors` (loadings (R, n_factors) and the leans they were measured from).
    overall_, proposal_sd_, lean_, lean_sd_ : the other fitted quantities; n_iter_ : EM iterations used.
    """

    def __init__(self, max_iter: int = 200, tol: float = 1e-3, min_proposal_sd: float = 0.5,
                 overall_prior_sd: float = 1.5, region_strength: float = 10.0, even_strength: float = 4.0,
                 n_level_nodes: int = 3, n_factors: int = 2, max_fit_proposals: int = 400, random_state: int = 0):
        self.max_iter = max_iter
        self.tol = tol
        self.min_proposal_sd = min_proposal_sd
        self.overall_prior_sd = overall_prior_sd
        self.region_strength = region_strength
        self.even_strength = even_strength
        self.n_level_nodes = n_level_nodes
        self.n_factors = n_factors
        self.max_fit_proposals = max_fit_proposals
        self.random_state = random_state

    def fit(self, agree: np.ndarray, seen: np.ndarray, *,
            fitted: ScaleMixtureRegionalModel | None = None) -> ScaleMixtureRegionalModel:
        """Fit on the counts. `fitted`: a model fitted earlier on the same consultation's regions whose spreads,
        leans and levels are taken as they are (no EM): each proposal's posterior is then its own votes under
        them, which is what a refresh after a few more votes needs (`RegionalSupport.fit(previous=...)`)."""
        agree, seen = checked_counts(agree, seen)
        n_prop, n_reg = seen.shape
        if fitted is not None:
            if fitted.weights_.shape[0] != n_reg:
                raise ValueError(f"The fitted model has {fitted.weights_.shape[0]} regions; these counts {n_reg}.")
            for name in _HYPERPARAMETERS:
                setattr(self, name, getattr(fitted, name))
            self.n_iter_ = 0
            self._agree, self._seen, self._cache = agree, seen, {}
            self._offset, self._score_cov = region_factors.cell_offsets(agree, seen, self.factors_)
            return self
        self.factors_ = region_factors.fit_factors(agree, seen, self.n_factors)
        offset, self._score_cov = region_factors.cell_offsets(agree, seen, self.factors_)
        # the spreads, leans and levels are learnt from at most `max_fit_proposals` proposals drawn at random
        # (600 proposals hold 7,800 cells: plenty for 12 regions' weights); every proposal then gets its posterior
        sample = np.arange(n_prop)
        if n_prop > self.max_fit_proposals:
            rng = np.random.default_rng(self.random_state)
            sample = np.sort(rng.choice(n_prop, self.max_fit_proposals, replace=False))
        self._agree, self._seen, self._offset = agree[sample], seen[sample], offset[sample]
        overall = float(special.logit((agree.sum() + 1) / (seen.sum() + 2)))
        theta = self._pack(overall, 1.0, np.zeros(n_reg), np.full((n_reg, SCALES.size), 1.0 / SCALES.size))
        self._modes = np.zeros((sample.size, 0, n_reg, SCALES.size))
        self._level = _starting_level(self._agree, self._seen)
        self.n_iter_ = 0
        # EM accelerated by SQUAREM (Varadhan & Roland 2008): two EM steps give a direction and a step length;
        # the extrapolated point is kept only if a further EM step from it is sane. Plain EM needs 100+ steps here.
        while self.n_iter_ < self.max_iter:
            first = self._em_step(theta)
            second = self._em_step(first)
            self.n_iter_ += 2
            change = first - theta
            curve = second - first - change
            if self._moved(first, second) < self.tol:
                theta = second
                break
            step = -np.sqrt((change**2).sum() / max((curve**2).sum(), 1e-300))
            theta = self._em_step(theta - 2 * step * change + step**2 * curve) if step < -1 else second
            self.n_iter_ += int(step < -1)
            if not np.all(np.isfinite(theta)):
                theta = second
        overall, proposal_sd, lean, weights = self._unpack(theta)
        self.overall_, self.proposal_sd_, self.lean_, self.weights_ = overall, proposal_sd, lean, weights
        self.mean_weights_ = self._mean_weights(weights)
        self.region_spread_ = np.sqrt(weights @ SCALES**2)
        # the leans' uncertainty from the fitting sample, scaled to all the votes (information grows with votes)
        post = self._posterior(*self._level, overall, proposal_sd, lean, weights, n_nodes=3)
        scale_up = seen.sum(axis=0) / np.maximum(self._seen.sum(axis=0), 1.0)
        self.lean_sd_ = 1.0 / np.sqrt(self._lean_information(post) * scale_up + 1.0)
        self._agree, self._seen, self._offset = agree, seen, offset
        self._cache: dict = {}
        return self

    def _pack(self, overall: float, proposal_sd: float, lean: np.ndarray, weights: np.ndarray) -> np.ndarray:
        return np.concatenate([[overall, np.log(proposal_sd)], lean, np.log(weights).ravel()])

    def _unpack(self, theta: np.ndarray) -> tuple[float, float, np.ndarray, np.ndarray]:
        n_reg = self._seen.shape[1]
        weights = np.exp(theta[2 + n_reg:].reshape(n_reg, SCALES.size))
        weights /= weights.sum(axis=1, keepdims=True)
        lean = theta[2:2 + n_reg] - theta[2:2 + n_reg].mean()
        return float(theta[0]), max(self.min_proposal_sd, float(np.exp(theta[1]))), lean, weights

    def _moved(self, before: np.ndarray, after: np.ndarray) -> float:
        """The largest change of any level, lean or weight (weights as shares, not logs)."""
        old, new = self._unpack(before), self._unpack(after)
        return max(abs(old[0] - new[0]), abs(old[1] - new[1]), float(np.abs(old[2] - new[2]).max(initial=0.0)),
                   float(np.abs(old[3] - new[3]).max()))

    def _em_step(self, theta: np.ndarray) -> np.ndarray:
        """One EM update of (overall, log proposal_sd, leans, log weights); the level's nodes follow as a side effect."""
        overall, proposal_sd, lean, weights = self._unpack(theta)
        # three nodes for the level while the hyperparameters move, the full number once they have settled
        post = self._posterior(*self._level, overall, proposal_sd, lean, weights, n_nodes=3)
        self._level = (post["centre"], post["spread"])
        n_prop = self._seen.shape[0]
        level_mean = (post["node_weight"] * post["nodes"]).sum(axis=1)
        level_square = (post["node_weight"] * post["nodes"] ** 2).sum(axis=1)
        new_overall = float(level_mean.sum() / proposal_sd**2
                            / (n_prop / proposal_sd**2 + 1.0 / self.overall_prior_sd**2))
        new_proposal_sd = max(self.min_proposal_sd, float(np.sqrt(np.mean(
            level_square - 2 * level_mean * new_overall + new_overall**2))))
        new_weights = self._update_weights(post["responsibility"], post["node_weight"], weights)
        return self._pack(new_overall, new_proposal_sd, self._update_lean(post, lean), np.maximum(new_weights, 1e-12))

    # --- the E-step -------------------------------------------------------------------------------------------

    def _posterior(self, centre, spread, overall, proposal_sd, lean, weights, n_nodes: int, passes: int = 1,
                   rows: np.ndarray | None = None) -> dict:
        """Quadrature over each proposal's level, Laplace per cell and spread; mixture weights for both. Without
        `rows`, the fitting sample (warm-started from the last call); with them, those proposals from scratch."""
        if rows is None:
            agree, seen, offset = self._agree, self._seen, self._offset
            if self._modes.shape[1] != n_nodes:
                self._modes = np.zeros((seen.shape[0], n_nodes, seen.shape[1], SCALES.size))
            start = self._modes
        else:
            agree, seen, offset = self._agree[rows], self._seen[rows], self._offset[rows]
            start = np.zeros((rows.size, n_nodes, seen.shape[1], SCALES.size))
        x, w = np.polynomial.hermite.hermgauss(n_nodes)
        post: dict = {}
        for _ in range(passes):  # each pass recentres the nodes on the posterior the last one gave
            nodes = centre[:, None] + np.sqrt(2.0) * spread[:, None] * x[None, :]  # (P, J)
            base = nodes[:, :, None] + lean[None, None, :] + offset[:, None, :]  # (P, J, R)
            mode, variance, log_ml = cell_posteriors(agree[:, None, :, None], seen[:, None, :, None],
                                                     base[..., None], start, SCALES)
            log_mixture = log_ml + np.log(weights)[None, None, :, :]  # (P, J, R, K)
            log_cell = logsumexp(log_mixture, axis=3)  # (P, J, R)
            log_level = (-0.5 * ((nodes - overall) / proposal_sd) ** 2 + log_cell.sum(axis=2)
                         + x[None, :] ** 2 + np.log(w)[None, :])
            node_weight = np.exp(log_level - logsumexp(log_level, axis=1, keepdims=True))
            mean = (node_weight * nodes).sum(axis=1)
            sd = np.sqrt(np.maximum((node_weight * (nodes - mean[:, None]) ** 2).sum(axis=1), 1e-12))
            # a quadrature whose nodes all sat on one side keeps a sane width for the next pass
            centre, spread = mean, np.clip(sd, 0.02, 3.0)
            post = {"nodes": nodes, "node_weight": node_weight, "mode": mode, "variance": variance,
                    "responsibility": np.exp(log_mixture - log_cell[..., None]), "centre": centre, "spread": spread,
                    "base": base}
            start = mode
        if rows is None:
            self._modes = start
        return post

    # --- the M-step -------------------------------------------------------------------------------------------

    def _mean_weights(self, weights: np.ndarray) -> np.ndarray:
        n_reg, n_scales = weights.shape
        return (weights.sum(axis=0) + self.even_strength / n_scales) / (n_reg + self.even_strength)

    def _update_weights(self, responsibility: np.ndarray, node_weight: np.ndarray, weights: np.ndarray) -> np.ndarray:
        # cells without votes would add their prior back unchanged: leaving them out reaches the same fixed point
        voted = (self._seen > 0)[:, None, :, None]
        counts = (np.where(voted, responsibility, 0.0) * node_weight[:, :, None, None]).sum(axis=(0, 1))  # (R, K)
        prior = self._mean_weights(weights)
        return (counts + self.region_strength * prior[None, :]) / (
            counts.sum(axis=1, keepdims=True) + self.region_strength)

    def _update_lean(self, post: dict, lean: np.ndarray) -> np.ndarray:
        """One Newton step for the region leans on the marginal likelihood, centred to sum to zero."""
        agree, seen = self._agree[:, None, :, None], self._seen[:, None, :, None]
        share = sigmoid(post["base"][..., None] + post["mode"])
        mass = post["responsibility"] * post["node_weight"][:, :, None, None]
        precision = 1.0 / SCALES**2
        gradient = (mass * (agree - seen * share)).sum(axis=(0, 1, 3)) - lean
        info = seen * share * (1 - share)
        curvature = (mass * info * precision / (info + precision)).sum(axis=(0, 1, 3)) + 1.0
        new = lean + np.clip(gradient / curvature, -1.0, 1.0)
        return new - new.mean()

    def _lean_information(self, post: dict) -> np.ndarray:
        """Each lean's Fisher information from the votes, each cell's own effect integrated out."""
        seen = self._seen[:, None, :, None]
        share = sigmoid(post["base"][..., None] + post["mode"])
        mass = post["responsibility"] * post["node_weight"][:, :, None, None]
        info = seen * share * (1 - share)
        precision = 1.0 / SCALES**2
        return (mass * info * precision / (info + precision)).sum(axis=(0, 1, 3))

    # --- what the fit says (computed a block of proposals at a time, so 100,000 proposals fit in memory) -------

    def _block(self, rows: np.ndarray) -> dict:
        key = (int(rows[0]), int(rows[-1]), rows.size) if rows.size else (0, 0, 0)
        if key not in self._cache:
            if len(self._cache) > 4:
                self._cache = {name: value for name, value in self._cache.items() if isinstance(name, str)}
            fitted = (self.overall_, self.proposal_sd_, self.lean_, self.weights_)
            levels = self._cache.setdefault("levels", np.full((self._seen.shape[0], 2), np.nan))
            if np.isnan(levels[rows, 0]).any():
                # two cheap passes find where each level's posterior lies (kept: a block asked for again needs
                # only the last pass); the last places the nodes there exactly
                rough = self._posterior(*_starting_level(self._agree[rows], self._seen[rows]), *fitted, n_nodes=3,
                                        passes=2, rows=rows)
                levels[rows, 0], levels[rows, 1] = rough["centre"], rough["spread"]
            self._cache[key] = self._posterior(levels[rows, 0], levels[rows, 1], *fitted, self.n_level_nodes,
                                               rows=rows)
        return self._cache[key]

    def _blocks(self) -> list[np.ndarray]:
        n_prop = self._seen.shape[0]
        return [np.arange(start, min(start + BLOCK, n_prop)) for start in range(0, n_prop, BLOCK)]

    def _quantiles(self) -> dict[float, np.ndarray]:
        """Posterior quantiles (2.5%, 50%, 97.5%) of every cell's log-odds (Newton on the mixture's CDF), and in
        the same pass over the blocks what `prob_above(0.5)` needs."""
        if "quantiles" not in self._cache:
            levels = (0.025, 0.5, 0.975)
            out = {level: np.empty(self._seen.shape) for level in levels}
            n_prop, n_reg = self._seen.shape
            # single precision: it is multiplied over regions, and at 100,000 proposals it is the largest array held
            nodes = region_factors.score_weights(self.factors_.n_factors).size
            above = np.empty((n_prop, self.n_level_nodes, nodes, n_reg), dtype=np.float32)
            node_weights = np.empty((n_prop, self.n_level_nodes))
            for rows in self._blocks():
                post = self._block(rows)
                n_rows, n_nodes, n_reg, n_scales = post["mode"].shape
                weight = np.moveaxis(post["responsibility"] * post["node_weight"][:, :, None, None], 1, 2).reshape(
                    n_rows, n_reg, n_nodes * n_scales)
                mean = np.moveaxis(post["base"][..., None] + post["mode"], 1, 2).reshape(weight.shape)
                sd = np.sqrt(np.moveaxis(self._cell_variance(post, rows), 1, 2).reshape(weight.shape))
                for level in levels:
                    out[level][rows] = mixture_quantile(weight, mean, sd, level)
                above[rows] = self._above(post, 0.0, rows)
                node_weights[rows] = post["node_weight"]
            self._cache["quantiles"] = out
            self._cache["above half"] = (above, node_weights)
        return self._cache["quantiles"]

    def _cell_variance(self, post: dict, rows: np.ndarray) -> np.ndarray:
        """(P, J, R, K) each cell's posterior variance with the lean's and the factor offset's uncertainty (a
        shift of the prior moves the posterior by posterior / prior variance)."""
        variance = post["variance"] + self.lean_sd_[None, None, :, None] ** 2
        if self.factors_.n_factors == 0:
            return variance
        loadings = self.factors_.loadings
        offset_variance = np.einsum("ra,pab,rb->pr", loadings, self._score_cov[rows], loadings)
        return variance + (post["variance"] / SCALES**2) ** 2 * offset_variance[:, None, :, None]

    def _above(self, post: dict, cut: float, rows: np.ndarray) -> np.ndarray:
        """(P, J, G, R): the chance each cell's log-odds is above `cut`, given each node of its proposal's level and
        each node of its factor scores (G = 1 without factors)."""
        mean = post["base"][..., None] + post["mode"]
        sd = np.sqrt(post["variance"] + self.lean_sd_[None, None, :, None] ** 2)
        shifts, _ = region_factors.score_nodes(self._score_cov[rows], self.factors_.loadings)  # (P, G, R)
        pull = post["variance"] / SCALES**2
        moved = mean[:, :, None] + pull[:, :, None] * shifts[:, None, :, :, None]
        return (post["responsibility"][:, :, None] * special.ndtr((moved - cut) / sd[:, :, None])).sum(axis=4)

    def release(self) -> ScaleMixtureRegionalModel:
        """Drop the per-proposal posteriors held since the last question (tens of MB at 1,600 proposals, hundreds
        at 100,000); the fitted spreads and leans stay, and any later question works them out again."""
        self._cache = {}
        return self

    def estimate(self) -> np.ndarray:
        """Each cell's agree share: the posterior median."""
        return sigmoid(self._quantiles()[0.5])

    def interval(self) -> tuple[np.ndarray, np.ndarray]:
        """Lower and upper bounds of each cell's agree share (the 95% equal-tailed posterior interval)."""
        quantiles = self._quantiles()
        return sigmoid(quantiles[0.025]), sigmoid(quantiles[0.975])

    def prob_above(self, threshold: float = 0.5, columns: np.ndarray | None = None) -> np.ndarray:
        """Posterior probability that the share is above `threshold` in every one of `columns` (all by default),
        computed under the fit, not drawn: the national level's nodes and the factor scores' nodes are shared,
        regions independent given both (exact without factors; with them, within 0.03 of a 7 x 7 grid over the
        scores at 20 votes a cell, 0.002 on average)."""
        columns = np.arange(self._seen.shape[1]) if columns is None else np.asarray(columns)
        score_weight = region_factors.score_weights(self.factors_.n_factors)

        def together(above: np.ndarray, node_weight: np.ndarray) -> np.ndarray:
            joint = np.prod(above[..., columns].astype(float), axis=3) @ score_weight  # (P, J)
            return (node_weight * joint).sum(axis=1)

        if threshold == 0.5:
            self._quantiles()
            return together(*self._cache["above half"])
        out = np.empty(self._seen.shape[0])
        for rows in self._blocks():
            post = self._block(rows)
            out[rows] = together(self._above(post, special.logit(threshold), rows), post["node_weight"])
        return out

    def draw(self, n_draws: int = 400, rows: np.ndarray | None = None) -> np.ndarray:
        """Joint posterior draws of the agree shares, shape (n_draws, proposals, regions); repeatable."""
        rows = np.arange(self._seen.shape[0]) if rows is None else np.asarray(rows)
        rng = np.random.default_rng(self.random_state)
        out = np.empty((n_draws, rows.size, self._seen.shape[1]))
        for start in range(0, rows.size, BLOCK):
            block = rows[start:start + BLOCK]
            out[:, start:start + block.size] = self._draw_block(self._block(block), block, n_draws, rng)
        return out

    def _draw_block(self, post: dict, rows: np.ndarray, n_draws: int, rng: np.random.Generator) -> np.ndarray:
        """Draws for one block: a level node and factor scores per draw and proposal, then a spread and a normal
        per region."""
        n_rows, n_nodes, n_reg, n_scales = post["mode"].shape
        cumulative_nodes = np.cumsum(post["node_weight"], axis=1)
        # single precision from here: a draw needs six digits, and the gathers below move half the bytes
        cumulative_scales = np.moveaxis(np.cumsum(post["responsibility"], axis=3), 3, 0).astype(np.float32).reshape(
            n_scales, -1)  # (K, P*J*R), each row in the order of `cell` below
        centre = (post["base"][..., None] + post["mode"]).astype(np.float32).ravel()
        sd = np.sqrt(post["variance"] + self.lean_sd_[None, None, :, None] ** 2).astype(np.float32).ravel()
        pull = (post["variance"] / SCALES**2).astype(np.float32).ravel()
        loadings = self.factors_.loadings
        root = np.linalg.cholesky(self._score_cov[rows] + 1e-12 * np.eye(loadings.shape[1])[None])
        out = np.empty((n_draws, n_rows, n_reg))
        region = np.arange(n_reg, dtype=np.int32)[None, None, :]
        step = max(1, 2_000_000 // max(n_rows * n_reg, 1))
        for start in range(0, n_draws, step):
            size = min(step, n_draws - start)
            node = np.minimum((rng.random((size, n_rows, 1)) > cumulative_nodes[None]).sum(axis=2), n_nodes - 1)
            cell = ((np.arange(n_rows, dtype=np.int32)[None, :, None] * n_nodes + node[..., None]) * n_reg
                    + region).astype(np.int32)  # (D, P', R)
            chance = rng.random(cell.shape, dtype=np.float32)
            scale = np.zeros(cell.shape, dtype=np.int32)
            for k in range(n_scales - 1):  # the spread: how many cumulative responsibilities the uniform passes
                scale += chance > cumulative_scales[k][cell]
            flat = cell * n_scales + scale
            if loadings.shape[1]:  # where the factor scores may lie: a normal draw with their covariance
                scores = np.einsum("pab,dpb->dpa", root, rng.standard_normal((size, n_rows, loadings.shape[1])))
                centre_drawn = centre[flat] + pull[flat] * (scores @ loadings.T).astype(np.float32)
            else:
                centre_drawn = centre[flat]
            out[start:start + size] = sigmoid(centre_drawn + sd[flat] * rng.standard_normal(cell.shape,
                                                                                             dtype=np.float32))
        return out


def _starting_level(agree: np.ndarray, seen: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each proposal's level to start the quadrature from: its own pooled share, as sure as its votes alone."""
    total_agree, total_seen = agree.sum(axis=1), seen.sum(axis=1)
    return special.logit((total_agree + 0.5) / (total_seen + 1.0)), 1.0 / np.sqrt(total_seen / 4.0 + 1.0)
