"""Placing texts in themes by similarity: nearest theme first, close seconds kept, "Other" capped."""

import numpy as np

from consult.themes.placement import OTHER, place


def test_nearest_theme_first_and_close_seconds_kept():
    similarity = np.array([[0.9, 0.85, 0.1], [0.2, 0.8, 0.5], [0.6, 0.6, 0.59]])
    frame = place(similarity, other_below=0.15, max_other_share=0.05, secondary_ratio=0.9, max_themes=3)
    by_text = {t: group.sort_values("rank")["theme"].tolist() for t, group in frame.groupby("text")}
    assert by_text == {0: [0, 1], 1: [1], 2: [0, 1, 2]}  # ties keep the lower theme first
    assert frame["rank"].min() == 1 and frame["score"].between(0, 1).all()


def test_other_holds_only_the_weakest_fits_up_to_its_share():
    rng = np.random.default_rng(0)
    similarity = rng.uniform(0.0, 0.1, size=(100, 4))  # every text a weak fit
    frame = place(similarity, other_below=0.15, max_other_share=0.05, secondary_ratio=0.9, max_themes=3)
    primary = frame[frame["rank"] == 1].set_index("text")
    others = primary.index[primary["theme"] == OTHER]
    assert len(others) == 5  # 5% of 100, the five weakest
    weakest = np.argsort(similarity.max(axis=1), kind="stable")[:5]
    assert set(others) == set(weakest)
    assert not frame[frame["text"].isin(others) & (frame["rank"] > 1)].size  # "Other" has no second theme


def test_no_themes_puts_everything_in_other():
    frame = place(np.zeros((3, 0)), other_below=0.15, max_other_share=0.05, secondary_ratio=0.9, max_themes=3)
    assert frame["theme"].tolist() == [OTHER] * 3 and frame["rank"].tolist() == [1, 1, 1]
