"""How far any grouping that draws straight boundaries in a conversation's map could follow the full data's groups.

Polis's groups are k-means groups of the participants' points on the two principal axes: between two groups the
boundary is a straight line (up to the base-cluster step). When a resample moves the points, some members of the
full data's groups may end up on the other side of every straight line. `best_straight_agreement` is told the
full data's groups and finds the straight boundaries in the resample's own map that keep them together best; the
adjusted Rand index it reaches is a ceiling for any such grouping of that resample, however it is found.

Two groups: every direction on a fine grid of angles, and for each the best threshold (exact up to the grid).
More groups: a multinomial logistic regression fitted to the answer (an approximation of the best, not a proof).

A grouping that is a k-means optimum of the map (Polis's is: it stops where its start's Lloyd steps stop) has a
second limit: `kmeans_from_answer_agreement` starts k-means in the resample's map at the centres of the full
data's groups, so it ends at the optimum nearest the answer; where even that optimum has moved away, a k-means
grouping of that resample keeps the answer only by luck.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import adjusted_rand_score

ANGLES = 1440


def _best_threshold_split(points: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """The two-group labelling by one straight line that agrees with `labels` (0/1) on the most points."""
    best_correct, best = -1, labels
    for angle in np.linspace(0.0, np.pi, ANGLES, endpoint=False):
        along = points @ np.array([np.cos(angle), np.sin(angle)])
        order = np.argsort(along, kind="stable")
        sorted_labels = labels[order]
        # points up to position i on side 0, the rest on side 1, or the other way round
        ones_left = np.concatenate([[0], np.cumsum(sorted_labels)])
        zeros_left = np.arange(len(order) + 1) - ones_left
        ones_right = ones_left[-1] - ones_left
        correct = np.maximum(zeros_left + ones_right, ones_left + (zeros_left[-1] - zeros_left))
        cut = int(correct.argmax())
        if correct[cut] > best_correct:
            best_correct = int(correct[cut])
            side = np.zeros(len(order), dtype=int)
            side[order[cut:]] = 1
            flip = zeros_left[cut] + ones_right[cut] < correct[cut]
            best = 1 - side if flip else side
    return best


def best_straight_agreement(full_groups: pd.Series, map_points: pd.DataFrame) -> float:
    """Adjusted Rand index to `full_groups` (participant -> group) of the best straight-boundary grouping of the
    participants both hold, using their `x`, `y` in `map_points` (participant -> x, y)."""
    common = full_groups.index.intersection(map_points.index)
    labels = full_groups[common].to_numpy(dtype=int)
    if len(common) < 2 or len(np.unique(labels)) < 2:
        return float("nan")
    points = map_points.loc[common, ["x", "y"]].to_numpy(dtype=float)
    codes = np.unique(labels, return_inverse=True)[1]
    if codes.max() == 1:
        found = _best_threshold_split(points, codes)
    else:
        found = LogisticRegression(C=1e4, max_iter=10_000).fit(points, codes).predict(points)
    return float(adjusted_rand_score(codes, found))


def kmeans_from_answer_agreement(full_groups: pd.Series, map_points: pd.DataFrame) -> float:
    """Adjusted Rand index to `full_groups` of k-means on the participants both hold, in the resample's map,
    started at the centres of the full data's groups (the k-means optimum nearest the answer)."""
    common = full_groups.index.intersection(map_points.index)
    codes = np.unique(full_groups[common].to_numpy(dtype=int), return_inverse=True)[1] if len(common) else []
    if len(common) < 2 or max(codes) < 1:
        return float("nan")
    points = map_points.loc[common, ["x", "y"]].to_numpy(dtype=float)
    starts = np.array([points[codes == group].mean(axis=0) for group in range(max(codes) + 1)])
    found = KMeans(n_clusters=len(starts), init=starts, n_init=1).fit_predict(points)
    return float(adjusted_rand_score(codes, found))
