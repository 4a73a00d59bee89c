"""Placing texts in themes by their similarity to the themes' centres: one to `max_themes` themes per text, and
"Other" for the weakest fits, never more than a set share of the texts."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

#: the theme number of "Other"
OTHER = -1


def place(similarity: np.ndarray, *, other_below: float, max_other_share: float, secondary_ratio: float,
          max_themes: int) -> pd.DataFrame:
    """Rows text (position), theme, score, rank for a texts x themes `similarity`: every text in its nearest theme
    (rank 1), or in `OTHER` when its best similarity is under `other_below` and it is among the weakest
    `max_other_share` of the texts; up to `max_themes - 1` further themes scoring at least `other_below` and
    `secondary_ratio` of its best."""
    n, k = similarity.shape
    if k == 0:
        return pd.DataFrame({"text": np.arange(n), "theme": OTHER, "score": 0.0, "rank": 1})
    order = np.argsort(-similarity, axis=1, kind="stable")[:, : max_themes]
    top = similarity[np.arange(n), order[:, 0]]
    # "Other" holds the weakest fits, and never more than max_other_share of the texts
    weak = top < other_below
    if weak.sum() > max_other_share * n:
        allowed = int(math.floor(max_other_share * n))
        weak = np.zeros(n, dtype=bool)
        if allowed:
            weak[np.argsort(top, kind="stable")[:allowed]] = True
        weak &= top < other_below
    rows_text, rows_theme, rows_score, rows_rank = [], [], [], []
    for rank in range(order.shape[1]):
        score = similarity[np.arange(n), order[:, rank]]
        if rank == 0:
            keep = np.ones(n, dtype=bool)
            theme = np.where(weak, OTHER, order[:, 0])
        else:
            keep = ~weak & (score >= other_below) & (score >= secondary_ratio * top)
            theme = order[:, rank]
        idx = np.flatnonzero(keep)
        rows_text.append(idx)
        rows_theme.append(theme[idx])
        rows_score.append(score[idx])
        rows_rank.append(np.full(len(idx), rank + 1))
    frame = pd.DataFrame({"text": np.concatenate(rows_text), "theme": np.concatenate(rows_theme),
                          "score": np.concatenate(rows_score).astype(float), "rank": np.concatenate(rows_rank)})
    return frame.sort_values(["text", "rank"], kind="stable").reset_index(drop=True)
