"""The straight-boundary ceiling of the resampling benchmark (benchmarks/polis_ceiling.py)."""

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from benchmarks.polis_ceiling import best_straight_agreement, kmeans_from_answer_agreement


@pytest.fixture
def points() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame(rng.normal(size=(300, 2)), columns=["x", "y"], index=np.arange(300) + 1000)


def test_groups_a_straight_line_separates_are_found_whole(points):
    groups = (points["x"] - 0.7 * points["y"] > 0.4).astype(int)
    assert best_straight_agreement(groups, points) == pytest.approx(1.0)


def test_groups_no_straight_line_separates_stay_far_below(points):
    inside_a_circle = ((points ** 2).sum(axis=1) < 1.0).astype(int)
    assert best_straight_agreement(inside_a_circle, points) < 0.2


def test_the_best_line_beats_the_axis_aligned_lines(points):
    # one participant in ten placed across the line: no straight boundary keeps them; the best line is at least
    # as good as the one that made the groups (it may fit the moved points a little better)
    groups = (points["x"] + points["y"] > 0).astype(int)
    flipped = groups.copy()
    flipped.iloc[::10] = 1 - flipped.iloc[::10]
    ceiling = best_straight_agreement(flipped, points)
    by_x = adjusted_rand_score(flipped, (points["x"] > 0).astype(int))
    assert adjusted_rand_score(flipped, groups) - 0.01 <= ceiling < 0.8
    assert ceiling > by_x


def test_three_groups_and_only_the_participants_both_hold(points):
    angle = np.arctan2(points["y"], points["x"])
    groups = pd.Series(np.digitize(angle, [-np.pi / 3, np.pi / 3]), index=points.index)
    outside = pd.Series(0, index=[1, 2, 3])  # participants the resample dropped count for nothing
    assert best_straight_agreement(pd.concat([groups, outside]), points) > 0.9


def test_one_group_or_no_shared_participant_has_no_answer(points):
    assert np.isnan(best_straight_agreement(pd.Series(0, index=points.index), points))
    assert np.isnan(best_straight_agreement(pd.Series([0, 1], index=[1, 2]), points))


def test_k_means_from_the_answer_keeps_groups_that_are_a_k_means_optimum():
    rng = np.random.default_rng(1)
    apart = pd.DataFrame(np.vstack([rng.normal(-3, 1, (100, 2)), rng.normal(3, 1, (100, 2))]), columns=["x", "y"])
    groups = pd.Series(np.repeat([0, 1], 100), index=apart.index)
    assert kmeans_from_answer_agreement(groups, apart) == pytest.approx(1.0)


def test_k_means_from_the_answer_leaves_groups_that_are_not_an_optimum():
    # two groups cut across one round cloud at an angle k-means does not keep: separable by a straight line (the
    # first ceiling is 1), yet k-means started from the answer moves to its own split
    rng = np.random.default_rng(2)
    cloud = pd.DataFrame(rng.normal(size=(400, 2)) * [3.0, 1.0], columns=["x", "y"])
    groups = (cloud["y"] > 0.0).astype(int)
    assert best_straight_agreement(groups, cloud) == pytest.approx(1.0)
    assert kmeans_from_answer_agreement(groups, cloud) < 0.3
