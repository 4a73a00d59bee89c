"""Clustering for themes: the number of themes chosen by stability across seeds, then a consensus partition.

Two published ideas, measured on the labelled sets in `benchmarks/bench_themes.py`:
- **k by stability** (Ben-Hur, Elisseeff and Guyon 2002; von Luxburg 2010): a number of themes that is really
  in the data is found again by k-means from different starting points; a wrong one splits or merges clusters
  differently each time. Stability is the mean pairwise adjusted Rand index of `n_runs` k-means runs, and a k
  counts only if its runs agree clearly more than they do on the same sample with its columns shuffled (Lange et
  al. 2004): a few big clusters are stable even where there are no themes. Silhouette (the previous rule)
  favoured many small themes on consultation text (20 on the demo's 12).
- **Consensus clustering** (evidence accumulation, Fred and Jain 2005): how often two texts share a cluster
  across the runs is a similarity; average linkage on it gives one partition that no single run's bad start
  decides. On the demo it lifts ARI from 0.83 (k-means, 10 starts) to 0.94 at the same k.

Both run on a sample (at most `sample_size` texts, in a `dimensions`-dimensional projection), so the cost does
not grow with the consultation; every text is then placed by its nearest consensus centre.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform
from sklearn.decomposition import TruncatedSVD
from sklearn.preprocessing import normalize


def selection_sample(vectors: np.ndarray, sample_size: int, dimensions: int,
                     random_state: int) -> tuple[np.ndarray, np.ndarray]:
    """Row positions of a sample and the sample projected on its leading `dimensions` axes (unit rows)."""
    rng = np.random.default_rng(random_state)
    n = len(vectors)
    rows = np.arange(n) if n <= sample_size else np.sort(rng.choice(n, sample_size, replace=False))
    sample = vectors[rows]
    width = min(dimensions, sample.shape[1] - 1, len(sample) - 1)
    if width >= 2:
        sample = TruncatedSVD(width, random_state=random_state, algorithm="randomized", n_iter=4).fit_transform(sample)
    return rows, normalize(np.asarray(sample, dtype=np.float32))


def spherical_kmeans(sample: np.ndarray, k: int, seed: int, max_iter: int = 50) -> np.ndarray:
    """One k-means run on unit rows by cosine (k-means++ start, Lloyd steps until no row moves).

    Written out because stability needs dozens of runs on a small sample, where scikit-learn's per-call
    checks cost more than the arithmetic (17 ms against about 2 ms a run at 1,500 x 48)."""
    rng = np.random.default_rng(seed)
    n = len(sample)
    chosen = [int(rng.integers(n))]
    nearest = 1.0 - sample @ sample[chosen[0]]
    for _ in range(1, k):
        weights = np.clip(nearest, 0.0, None) ** 2
        total = weights.sum()
        pick = int(rng.choice(n, p=weights / total)) if total > 0 else int(rng.integers(n))
        chosen.append(pick)
        nearest = np.minimum(nearest, 1.0 - sample @ sample[pick])
    centre = sample[chosen].copy()
    labels = np.full(n, -1)
    columns = np.ascontiguousarray(sample.T)  # centres x texts, read down the columns: a fifth faster than rows
    for _ in range(max_iter):
        new_labels = (centre @ columns).argmax(axis=0)
        if np.array_equal(new_labels, labels):
            break
        labels = new_labels
        membership = np.zeros((k, n), dtype=sample.dtype)
        membership[labels, np.arange(n)] = 1.0
        sums = membership @ sample
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        centre = np.where(norms > 0, sums / np.where(norms > 0, norms, 1.0), centre)
    return np.unique(labels, return_inverse=True)[1]


def kmeans_runs(sample: np.ndarray, k: int, n_runs: int, random_state: int, start: int = 0) -> list[np.ndarray]:
    """Single-start k-means partitions `start`..`n_runs - 1` of the sample, each from its own seed (so the
    first runs of a longer series are the runs of a shorter one)."""
    return [spherical_kmeans(sample, k, seed=random_state * 7919 + run * 104_729 + k) for run in range(start, n_runs)]


def _pairs(counts: np.ndarray) -> float:
    return float((counts * (counts - 1) / 2).sum())


def adjusted_rand(a: np.ndarray, b: np.ndarray) -> float:
    """Hubert and Arabie's adjusted Rand index of two labelings 0..k-1 (the same number as scikit-learn's
    `adjusted_rand_score`, tested, without its input checks: stability computes hundreds of these)."""
    width = int(b.max()) + 1
    together = _pairs(np.bincount(a * width + b))
    rows, cols = _pairs(np.bincount(a)), _pairs(np.bincount(b))
    expected = rows * cols / _pairs(np.array([len(a)]))
    ceiling = (rows + cols) / 2
    return 1.0 if ceiling == expected else float((together - expected) / (ceiling - expected))


def stability(runs: list[np.ndarray]) -> float:
    """Mean pairwise adjusted Rand index between partitions (1: every run found the same themes)."""
    pairs = [adjusted_rand(a, b) for i, a in enumerate(runs) for b in runs[i + 1:]]
    return float(np.mean(pairs)) if pairs else 0.0


def shuffled_columns(sample: np.ndarray, random_state: int) -> np.ndarray:
    """The sample with each column permuted on its own (unit rows again): every axis keeps its spread, the texts'
    joint structure is gone. What k-means finds here is what it finds in data without themes."""
    rng = np.random.default_rng(random_state + 1)  # not the draws that chose the sample's rows
    return normalize(np.column_stack([rng.permutation(column) for column in sample.T])).astype(sample.dtype)


def beats_chance(stability_k: float, null_stability_k: float, margin: float) -> bool:
    """Whether runs agree by more than `margin` of the way from what they reach on structureless data to
    perfect agreement (Lange, Roth, Braun and Buhmann 2004 normalise stability by that null in the same way)."""
    return (stability_k - null_stability_k) >= margin * max(1.0 - null_stability_k, 1e-9)


def choose_k(sample: np.ndarray, candidates: list[int], *, n_runs: int = 5, random_state: int = 0,
             null_margin: float = 0.2) -> tuple[int, dict[int, float], dict[int, list[np.ndarray]]]:
    """The candidate k whose k-means runs agree most (ties to the smaller k) among those that agree more than
    on structureless data; stabilities and runs by k.

    Screened first with half the runs: every other candidate, then the neighbours of the best two; the three best
    screened are then measured with all `n_runs` and the most stable of them is chosen if it passes the null
    check; if not, the next screened candidate takes its place and the choice is made again (the rest keep their
    screening figure). About a third of the runs of a full sweep, and the null is run for the winner only.

    The null check: a few big themes are always stable, because k-means cuts structureless data into four the
    same way nearly every time (column-shuffled samples agree at 0.6-0.96 for k = 4, against 0.2-0.35 for 20).
    Without it, 18 human themes pooled from two consultations came out as 4 themes in 2 of 6 fits (NMI 0.53
    instead of 0.88): a 4 whose runs agreed at 0.66 where shuffled data agree at 0.64 beat the 18s and 20s at
    0.6-0.7 against 0.3. The margin: 0.2, 0.3 and 0.4 choose the same k on the four shared sets and on the 18
    pooled themes (`benchmarks/bench_themes.py --k-follows`); 0.1 let gambling q1 fall to 6 themes on one seed,
    and 0.1 and 0.5 each let 25 pooled themes collapse to 5 (too lenient; too strict, so that nothing passes and
    the rule falls back to the most stable). The null takes the screening's number of runs: 0.01 s at 10,000
    texts."""
    runs_by_k: dict[int, list[np.ndarray]] = {}
    stabilities: dict[int, float] = {}
    screen_runs = max(2, n_runs // 2)
    null_sample = shuffled_columns(sample, random_state)
    null_stabilities: dict[int, float] = {}

    def measure(k: int, runs: int) -> None:
        if k not in candidates:
            return
        have = runs_by_k.get(k, [])
        if len(have) < runs:
            runs_by_k[k] = have + kmeans_runs(sample, k, runs, random_state, start=len(have))
            stabilities[k] = stability(runs_by_k[k])

    def passes(k: int) -> bool:
        if k not in null_stabilities:
            null_stabilities[k] = stability(kmeans_runs(null_sample, k, screen_runs, random_state))
        return beats_chance(stabilities[k], null_stabilities[k], null_margin)

    for k in candidates[::2] + candidates[-1:]:
        measure(k, screen_runs)
    for k in sorted(stabilities, key=lambda k: -stabilities[k])[:2]:
        measure(k - 1, screen_runs)
        measure(k + 1, screen_runs)
    ranked = sorted(stabilities, key=lambda k: (-round(stabilities[k], 3), k))
    finalists = ranked[:3]
    for k in finalists:
        measure(k, n_runs)
    first_three = list(finalists)
    position = len(finalists)
    while finalists:
        best = max(finalists, key=lambda k: (round(stabilities[k], 3), -k))
        if passes(best):
            return best, dict(sorted(stabilities.items())), runs_by_k
        # no better than chance: the next screened candidate takes its place among the finalists
        finalists.remove(best)
        if position < len(ranked):
            measure(ranked[position], n_runs)
            finalists.append(ranked[position])
            position += 1
    # nothing agrees beyond chance: the most stable, as before
    best = max(first_three, key=lambda k: (round(stabilities[k], 3), -k))
    return best, dict(sorted(stabilities.items())), runs_by_k


def consensus_labels(runs: list[np.ndarray], k: int) -> np.ndarray:
    """Average-linkage clusters (at most k) of the co-association matrix: how often two rows shared a cluster."""
    n = len(runs[0])
    if n < 2 or k < 2:
        return np.zeros(n, dtype=int)
    together = np.zeros((n, n), dtype=np.float32)
    for labels in runs:
        one_hot = sparse.csr_matrix((np.ones(n, dtype=np.float32), (np.arange(n), labels)))
        together += (one_hot @ one_hot.T).toarray()
    distance = 1.0 - together / len(runs)
    np.fill_diagonal(distance, 0.0)
    tree = linkage(squareform(distance, checks=False), method="average")
    labels = fcluster(tree, t=k, criterion="maxclust") - 1
    return np.unique(labels, return_inverse=True)[1]


def centres(vectors: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Unit mean vector of each label's rows (labels 0..k-1)."""
    k = int(labels.max()) + 1 if len(labels) else 0
    membership = sparse.csr_matrix((np.ones(len(labels), dtype=np.float32), (labels, np.arange(len(labels)))),
                                   shape=(k, len(labels)))
    return normalize(np.asarray(membership @ vectors, dtype=np.float32))
