"""The stability choice of k and its screening shortcut."""

import numpy as np
from sklearn.metrics import adjusted_rand_score
from sklearn.preprocessing import normalize

from consult.themes import clustering as theme_clustering


def _planted(k: int, per_cluster: int = 60, dimensions: int = 16, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = normalize(rng.normal(size=(k, dimensions)))
    truth = np.repeat(np.arange(k), per_cluster)
    points = centres[truth] + rng.normal(scale=0.15, size=(len(truth), dimensions))
    return normalize(points).astype(np.float32), truth


def test_a_longer_series_of_runs_starts_with_the_shorter_one():
    sample, _ = _planted(4)
    short = theme_clustering.kmeans_runs(sample, 4, 2, random_state=3)
    longer = theme_clustering.kmeans_runs(sample, 4, 5, random_state=3)
    rest = theme_clustering.kmeans_runs(sample, 4, 5, random_state=3, start=2)
    assert all(np.array_equal(a, b) for a, b in zip(short, longer[:2], strict=True))
    assert all(np.array_equal(a, b) for a, b in zip(rest, longer[2:], strict=True))


def test_choose_k_finds_the_planted_number_and_measures_finalists_fully():
    sample, truth = _planted(6)
    k, stabilities, runs_by_k = theme_clustering.choose_k(sample, list(range(3, 13)), n_runs=6, random_state=0)
    assert k == 6
    assert len(runs_by_k[6]) == 6  # the winner is judged on every run, not the screening half
    assert min(len(runs) for runs in runs_by_k.values()) == 3
    assert set(stabilities) == set(runs_by_k)
    consensus = theme_clustering.consensus_labels(runs_by_k[k], k)
    assert adjusted_rand_score(truth, consensus) > 0.95


def test_adjusted_rand_matches_scikit_learn():
    rng = np.random.default_rng(1)
    a, b = rng.integers(0, 5, 300), rng.integers(0, 7, 300)
    assert abs(theme_clustering.adjusted_rand(a, b) - adjusted_rand_score(a, b)) < 1e-12
