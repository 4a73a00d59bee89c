"""The stability choice of k, its check against shuffled data and its screening shortcut."""

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


def test_shuffled_columns_keep_unit_rows_and_lose_the_themes():
    sample, _ = _planted(6)
    null = theme_clustering.shuffled_columns(sample, random_state=0)
    assert null.shape == sample.shape and null.dtype == sample.dtype
    np.testing.assert_allclose(np.linalg.norm(null, axis=1), 1, atol=1e-5)
    real = theme_clustering.stability(theme_clustering.kmeans_runs(sample, 6, 6, random_state=0))
    shuffled = theme_clustering.stability(theme_clustering.kmeans_runs(null, 6, 6, random_state=0))
    assert real > 0.9 and shuffled < 0.7
    assert theme_clustering.beats_chance(real, shuffled, margin=0.2)
    assert np.array_equal(null, theme_clustering.shuffled_columns(sample, random_state=0))


def test_beats_chance_asks_for_part_of_the_way_from_the_null_to_perfect_agreement():
    assert theme_clustering.beats_chance(0.66, 0.30, margin=0.2)  # 0.36 of a possible 0.70
    assert not theme_clustering.beats_chance(0.66, 0.64, margin=0.2)  # 0.02 of a possible 0.36
    assert not theme_clustering.beats_chance(0.50, 0.60, margin=0.0)  # below chance
    assert theme_clustering.beats_chance(1.0, 1.0, margin=0.2) is False  # nothing to beat: not evidence
