"""Opinion groups the way Polis finds them, and the statistics that describe any grouping of voters.

The maths follows Polis's published method (see ../shared/notes/methods.md): a participant x proposal vote
matrix, mean imputation, PCA to two dimensions with sparsity-aware scaling, many small base clusters and then
k = 2..5 groups of their centres chosen by silhouette. Where this departs from Polis: each k-means step also
tries k-means++ starts beside Polis's first-distinct one and keeps the lowest objective; a cluster too small to
be a group (one far-out voter) is set aside and its members join their nearest group; and the pipeline is re-run
on twenty subsamples to say how settled each participant's group is (consult.opinion.resampling; the groups
themselves are the full data's, as Polis's are, unless `combine_resamples` asks for the subsamples' majority);
in a live conversation a `GroupHistory` carries the groups from one update to the next (consult.opinion.carry_over).
The group statistics (repness, group-informed consensus, consensus, uncertainty) take any labelling, so they answer
the same questions with regions as the groups.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.cluster import KMeans
from sklearn.utils.extmath import randomized_svd

from consult.opinion import resampling
from consult.opinion.carry_over import GroupHistory, KSmoother  # noqa: F401 - KSmoother used through this module too
from consult.opinion.repness import (  # noqa: F401 - the statistics for any grouping, used through this module too
    REPNESS_COLUMNS,
    Z90,
    consensus,
    group_counts,
    group_informed_consensus,
    repness,
    select_statements,
    uncertainty,
)
from consult.opinion.vote_matrix import VoteMatrix

#: the base step (up to 100 clusters of participants) only compresses the points for the group step, so it gets
#: fewer starts: three, and one past 100,000 participants (each start costs about 1 s per 100,000 there)
BASE_STEP_STARTS = 3
BASE_STEP_BUDGET = 200_000
#: each subsample's run compresses its points with one start of the base step (nearly all of a run's cost); its
#: group step keeps every start, as a poor optimum there changes the answer
RESAMPLED_BASE_STARTS = 1

# -- finding the groups ----------------------------------------------------------------------------------------


def _first_distinct(points: np.ndarray, k: int) -> np.ndarray:
    _, first = np.unique(points.round(12), axis=0, return_index=True)
    return points[np.sort(first)[:k]]


def _weighted_silhouette(points: np.ndarray, labels: np.ndarray, weights: np.ndarray) -> float:
    """Silhouette of weighted points (each stands for `weight` identical members)."""
    groups = np.unique(labels)
    if len(groups) < 2:
        return -1.0
    dist = np.sqrt(((points[:, None, :] - points[None, :, :]) ** 2).sum(axis=2))
    scores = np.zeros(len(points))
    for i in range(len(points)):
        mean_to = {}
        for g in groups:
            members = labels == g
            total = weights[members].sum() - (1 if g == labels[i] else 0)
            mean_to[g] = (weights[members] * dist[i, members]).sum() / total if total > 0 else 0.0
        a = mean_to[labels[i]]
        b = min(v for g, v in mean_to.items() if g != labels[i])
        own_size = weights[labels == labels[i]].sum()
        scores[i] = 0.0 if own_size <= 1 or max(a, b) == 0 else (b - a) / max(a, b)
    return float((scores * weights).sum() / weights.sum())


def _top_components(centred: sparse.csr_matrix, random_state: int) -> np.ndarray:
    """The first two principal axes (two rows, zero where there are fewer); randomised SVD on big matrices
    (it works on the sparse matrix directly), exact on small ones."""
    axes = np.zeros((2, centred.shape[1]))
    if centred.shape[1] == 0:
        return axes
    if min(centred.shape) > 200:
        _, _, vt = randomized_svd(centred, n_components=2, n_iter=7, random_state=random_state)
    else:
        _, _, vt = np.linalg.svd(centred.toarray(), full_matrices=False)
    axes[: min(2, len(vt))] = vt[:2]
    return axes


class Partition(NamedTuple):
    labels: np.ndarray
    centres: np.ndarray
    inertia: float


def _kmeans_without_outliers(points: np.ndarray, k: int, weights: np.ndarray, min_size: float, *,
                             first_distinct: bool, random_state: int,
                             init: np.ndarray | None = None) -> Partition | None:
    """k-means in which a cluster lighter than `min_size` is not a group: its points are set aside, the rest are
    clustered again, and the set-aside points finally join their nearest group. k-means readily gives one far-out
    participant a cluster of their own (it lowers the objective most), which says nothing about opinion and
    swings with every vote. The start is `init` (given centres) or else Polis's first-distinct points or
    k-means++. None when fewer than k distinct points remain."""
    active = np.ones(len(points), dtype=bool)
    while True:
        kept = points[active]
        distinct_starts = _first_distinct(kept, k)
        if len(distinct_starts) < k:
            return None
        start = init if init is not None else distinct_starts if first_distinct else "k-means++"
        model = KMeans(n_clusters=k, init=start, n_init=1, random_state=random_state)
        model.fit(kept, sample_weight=weights[active])
        light = np.bincount(model.labels_, weights=weights[active], minlength=k) < min_size
        set_aside = light[model.labels_]
        if not light.any():
            break
        if not set_aside.any():  # only an empty cluster is light: these points make fewer than k groups
            return None
        active[np.flatnonzero(active)[set_aside]] = False
    labels = model.predict(points)
    inertia = float((weights * ((points - model.cluster_centers_[labels]) ** 2).sum(axis=1)).sum())
    return Partition(labels, model.cluster_centers_, inertia)


@dataclass
class OpinionGroups:
    """Polis-style opinion groups with scikit-learn habits: parameters here, results in attributes after `fit`.

    Attributes after fit: `matrix_` (VoteMatrix), `projection_` (participant_id -> x, y, n_votes, in_conv,
    group), `labels_` (participant_id -> group, NaN when not clustered), `k_`, `silhouettes_` (k -> score),
    `steadiness_` (participant_id -> share of the subsample runs that put them in their group),
    `agreement_` (mean adjusted Rand index of the runs to the groups), `resampled_runs_`, `close_k_` (other
    numbers of groups whose silhouette is within `k_tolerance` of the chosen one's), `one_fit_because_` (None
    when subsamples were run; else "asked" (n_resamples 0), "many votes" (past
    max_resampled_votes) or "no subsample" (none could make k groups)),
    `proposal_coords_` (proposal_id -> x, y: the PCA loadings), `components_`, `carried_over_` (whether the
    groups are the ones the history's start led to).
    """

    min_votes: int = 7
    min_clustered: int = 15
    max_base_clusters: int = 100
    max_groups: int = 5
    random_state: int = 0
    #: prefer fewer groups unless more groups raise the silhouette by more than this (differences of a few
    #: thousandths are noise, and a group that splits on noise flickers in a live view)
    k_tolerance: float = 0.02
    #: k-means starts at each step: Polis's first-distinct start, plus k-means++ starts drawn from random_state;
    #: the partition with the lowest within-cluster sum of squares is kept (one start can land in a poor optimum)
    n_init: int = 10
    #: a group smaller than this share of the clustered participants is not a group (k-means readily splits off
    #: one outlier, which says nothing about opinion and swings with every vote)
    min_group_share: float = 0.03
    #: k-means starts in the base step (up to 100 clusters that only compress the points for the group step)
    base_step_starts: int = BASE_STEP_STARTS
    #: the pipeline re-run on this many subsamples (each keeping `resample_share` of the participants and of the
    #: proposals) to measure how settled each participant's group is (`steadiness_`); 0 for one fit only
    n_resamples: int = 20
    resample_share: float = 0.9
    #: whether the subsamples' majority decides each participant's group (bagged clustering) instead of the full
    #: data's fit; off, because on held-out real Polis conversations it moved groups away from Polis's own and
    #: was no steadier (consult.opinion.resampling)
    combine_resamples: bool = False
    #: past this many votes one fit is already steady (and each extra run would cost seconds), so none is resampled
    max_resampled_votes: int = 500_000
    #: live state of a running conversation (consult.opinion.carry_over): the number of groups changes only after
    #: winning several updates in a row, k-means also starts from the last update's groups (kept unless another
    #: start's objective is lower by more than `carry_over_tolerance`), and groups keep their numbers
    history: GroupHistory | None = None
    carry_over_tolerance: float = 0.05
    silhouettes_: dict[int, float] = field(default_factory=dict, init=False)

    def fit(self, votes: pd.DataFrame, *, zeroed_proposals: set | None = None) -> OpinionGroups:
        """Find groups from current votes; proposals in `zeroed_proposals` (hidden, meta) count as 0 for all.
        With a `history`, this is the conversation's next update (one at a time)."""
        if self.history is None:
            return self._fit(votes, set(zeroed_proposals or ()))
        with self.history.lock:
            return self._fit(votes, set(zeroed_proposals or ()))

    def _fit(self, votes: pd.DataFrame, zeroed_proposals: set) -> OpinionGroups:
        matrix = VoteMatrix.from_votes(votes)
        self.matrix_ = matrix
        self.k_ = 0
        self.silhouettes_, self.close_k_, self.one_fit_because_ = {}, [], None
        self.steadiness_, self.agreement_, self.resampled_runs_ = pd.Series(dtype=float), float("nan"), 0
        self.labels_ = pd.Series(np.nan, index=matrix.participants, name="group")
        self.proposal_coords_ = pd.DataFrame({"x": 0.0, "y": 0.0}, index=matrix.proposals)
        points, in_conv = self._project(matrix, zeroed_proposals)
        self.projection_ = pd.DataFrame({"x": points[:, 0], "y": points[:, 1], "n_votes": matrix.n_votes,
                                         "in_conv": in_conv, "group": np.nan}, index=matrix.participants)
        self.proposal_coords_ = pd.DataFrame(self.components_.T, index=matrix.proposals, columns=["x", "y"])
        clustered = matrix.participants[in_conv]
        self.carried_over_, self._carried_at = False, None
        self._carried = self.history.starting_centres(points[in_conv], clustered) if self.history else None
        by_k, self.silhouettes_ = self._clusterings(points[in_conv])
        if not by_k:
            return self
        # k from the full data, by Polis's rule: the subsamples have fewer votes a person, so their points are
        # fuzzier and their silhouettes favour fewer groups (on the demo's three camps a mean over them chose 2)
        best_k = self._best_k(self.silhouettes_)
        chosen = self.history.smoother.update(best_k) if self.history else best_k
        if chosen not in by_k:  # the number kept can no longer be made: the data's own choice, from now on
            chosen = best_k
            if self.history:
                self.history.smoother = KSmoother(self.history.smoother.patience, current=best_k)
        self.k_ = chosen
        self.carried_over_ = self._carried_at == chosen
        # other numbers of groups the votes fit about as well: the choice between them is a close call
        self.close_k_ = [k for k, score in self.silhouettes_.items()
                         if k != chosen and score >= self.silhouettes_[chosen] - self.k_tolerance]
        reference = pd.Series(by_k[chosen], index=clustered)
        with_chosen = self._resampled_runs(votes, zeroed_proposals, chosen)
        if self.n_resamples <= 0:
            self.one_fit_because_ = "asked"
        elif len(votes) > self.max_resampled_votes:
            self.one_fit_because_ = "many votes"
        elif not with_chosen:
            self.one_fit_because_ = "no subsample"
        if self.combine_resamples:
            labels, steadiness = resampling.plurality_groups(reference, with_chosen, chosen)
            if labels.nunique() < chosen:  # the majority emptied a group: the subsamples do not hold it: one fit
                labels, steadiness, with_chosen = reference, steadiness.iloc[:0], []
                self.one_fit_because_ = "no subsample"
        else:
            labels, steadiness = reference, resampling.agreeing_share(reference, with_chosen, chosen)
        if with_chosen:
            self.steadiness_ = steadiness
            self.agreement_ = resampling.mean_agreement(labels, with_chosen)
            self.resampled_runs_ = len(with_chosen)
        group = pd.Series(np.nan, index=matrix.participants)
        if self.history:  # each group keeps the number of the group it was at the last update
            group[clustered] = self.history.named_like_previous(labels).to_numpy()
            self.history.remember(group)
        else:  # number groups by size, largest first, so labels read the same across runs
            order = np.argsort(-np.bincount(labels.to_numpy(), minlength=chosen), kind="stable")
            rank = np.empty_like(order)
            rank[order] = np.arange(len(order))
            group[clustered] = rank[labels.to_numpy()]
        self.projection_["group"] = group.to_numpy()
        self.labels_ = group.rename("group")
        return self

    def _project(self, matrix: VoteMatrix, zeroed_proposals: set) -> tuple[np.ndarray, np.ndarray]:
        """Each participant's point on the two principal axes (Polis's sparsity scaling) and whether they vote
        enough to be clustered; sets `components_`."""
        n_part, n_prop = matrix.shape
        n_votes = matrix.n_votes
        in_conv = n_votes >= min(self.min_votes, n_prop)
        if in_conv.sum() < self.min_clustered:
            heaviest = np.argsort(-n_votes, kind="stable")[: self.min_clustered]
            in_conv[heaviest] = True
        self.components_ = np.zeros((2, n_prop))
        if n_part < 2 or n_prop < 2:
            return np.zeros((n_part, 2)), np.zeros(n_part, dtype=bool)
        zeroed = matrix.proposals.isin(list(zeroed_proposals))
        # As Polis does: column means and the principal axes come from every participant's votes (not only
        # those clustered), moderated-out columns are 0 for everyone, and those zeros count as votes in the
        # sparsity scaling below. Counting only real votes there pushed light voters outward wherever many
        # comments were moderated out (bg2050-volunteers: adjusted Rand 0.13 against Polis's groups, now 1.0).
        # A zeroed column is constant, so it adds nothing to the axes: it is left out of the centred matrix,
        # which holds (vote - column mean) where voted and 0 elsewhere (mean imputation, then centring).
        counted = matrix.keep_columns(~zeroed)
        centred = counted.centred(counted.column_means())
        components = np.zeros((2, n_prop))
        components[:, ~zeroed] = _top_components(centred, self.random_state)
        # fix each component's sign so the same data always gives the same picture
        signs = np.sign(components[np.arange(2), np.abs(components).argmax(axis=1)])
        self.components_ = components * np.where(signs == 0, 1, signs)[:, None]
        votes_counted = counted.n_votes + int(zeroed.sum())
        scale = np.sqrt(n_prop / np.maximum(votes_counted, 1))
        points = np.asarray(centred @ self.components_[:, ~zeroed].T) * scale[:, None]
        return points, in_conv

    def _resampled_runs(self, votes: pd.DataFrame, zeroed_proposals: set, k: int) -> list[pd.Series]:
        """The pipeline at `k` groups on `n_resamples` subsamples: each run's groups (participant_id -> group),
        for the runs that could make k groups. None past `max_resampled_votes`, where one fit is already steady."""
        if self.n_resamples <= 0 or len(votes) > self.max_resampled_votes:
            return []
        # the same settings, one base-step start, no resampling of its own and no history (it is live state)
        single = replace(self, base_step_starts=RESAMPLED_BASE_STARTS, n_resamples=0, history=None)
        single._carried, single._carried_at = None, None
        runs = []
        for number in range(self.n_resamples):
            rng = np.random.default_rng([self.random_state, number])
            part = VoteMatrix.from_votes(resampling.subsample_votes(votes, self.resample_share, rng))
            points, in_conv = single._project(part, zeroed_proposals)
            by_k, _ = single._clusterings(points[in_conv], only_k=k)
            if k in by_k:
                runs.append(pd.Series(by_k[k], index=part.participants[in_conv]))
        return runs

    def _best_k(self, silhouettes: dict[int, float]) -> int:
        top_score = max(silhouettes.values())
        return min(k for k, score in silhouettes.items() if score >= top_score - self.k_tolerance)

    def _clusterings(self, points: np.ndarray, only_k: int | None = None) -> tuple[dict[int, np.ndarray],
                                                                                   dict[int, float]]:
        """Polis's two steps: up to 100 base clusters, then k = 2..max groups of their centres (or `only_k`).
        Returns each participant's group for every k that could be made, and each k's silhouette."""
        if len(points) < 2 or len(np.unique(points.round(12), axis=0)) < 2:
            return {}, {}
        distinct = len(np.unique(points.round(12), axis=0))
        n_base = min(self.max_base_clusters, distinct)
        base_starts = min(self.n_init, self.base_step_starts, max(1, BASE_STEP_BUDGET // len(points)))
        base = self._best_kmeans(points, n_base, n_init=base_starts)
        centres = base.centres
        sizes = np.bincount(base.labels, minlength=n_base).astype(float)
        keep = sizes > 0
        centres, sizes = centres[keep], sizes[keep]
        remap = np.cumsum(keep) - 1
        base_labels = remap[base.labels]
        max_k = min(self.max_groups, 2 + len(centres) // 12, len(centres))
        by_k, silhouettes = {}, {}
        for k in range(2, max_k + 1):
            if only_k is not None and k != only_k:
                continue
            if len(_first_distinct(centres, k)) < k:
                break
            model = self._best_kmeans(centres, k, sizes, min_size=self.min_group_share * sizes.sum())
            carried = self._carried_partition(centres, k, sizes, model)
            if carried is not None:
                model, self._carried_at = carried, k
            if model is None:
                continue
            silhouettes[k] = _weighted_silhouette(centres, model.labels, sizes)
            by_k[k] = model.labels[base_labels]
        return by_k, silhouettes

    def _carried_partition(self, centres: np.ndarray, k: int, sizes: np.ndarray,
                           best: Partition | None) -> Partition | None:
        """k-means of the base centres started where the last update's k groups sit now, when its objective is
        within `carry_over_tolerance` of the best start's (else None: the votes have moved on)."""
        carried = getattr(self, "_carried", None)
        if carried is None or len(carried) != k:
            return None
        partition = _kmeans_without_outliers(centres, k, sizes, self.min_group_share * sizes.sum(),
                                             first_distinct=False, random_state=self.random_state, init=carried)
        if partition is None or (best is not None and best.inertia < partition.inertia * (1 - self.carry_over_tolerance)):
            return None
        return partition

    def _best_kmeans(self, points: np.ndarray, k: int, weights: np.ndarray | None = None,
                     min_size: float = 0.0, n_init: int | None = None) -> Partition | None:
        """k-means from Polis's first-distinct start and from k-means++ starts, each start with its own outliers
        set aside; the lowest within-cluster sum of squares wins, the first-distinct start on ties. None when
        the points cannot make k groups of `min_size`."""
        weights = np.ones(len(points)) if weights is None else weights
        best = None
        for number in range(self.n_init if n_init is None else n_init):
            partition = _kmeans_without_outliers(points, k, weights, min_size, first_distinct=number == 0,
                                                 random_state=self.random_state + number)
            if partition is not None and (best is None or partition.inertia < best.inertia * (1 - 1e-9)):
                best = partition
        return best

    def group_sizes(self) -> pd.Series:
        return self.labels_.dropna().astype(int).value_counts().sort_index()
